//! Proves in headless Chromium that the app mounts, its navigation is labelled, and the sign-up form
//! refuses an under-13 birth date with a readable message before anything is sent.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use vinano_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> HtmlElement {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), App).forget();
    root
}

fn query(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

async fn settle() {
    for _ in 0..5 {
        tick().await;
    }
}

#[wasm_bindgen_test]
async fn navigation_has_the_five_destinations() {
    let root = mount();
    settle().await;
    let nav = query(&root, "nav.nav-desktop");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("Main"));
    let links = nav.query_selector_all("a").unwrap();
    let names: Vec<String> =
        (0..links.length()).map(|i| links.item(i).unwrap().text_content().unwrap_or_default()).collect();
    assert_eq!(names, ["Home", "AI Image", "AI Video", "AI Tools", "Me"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn signup_refuses_under_13_with_a_message() {
    let root = mount();
    settle().await;
    // Click "Sign up" in the header: the router navigates client-side.
    query(&root, ".account a[href='/signup']").click();
    settle().await;
    assert_eq!(query(&root, "h1").text_content().as_deref(), Some("Create your account"));

    let fill = |id: &str, value: &str| {
        query(&root, &format!("#{id}")).unchecked_into::<HtmlInputElement>().set_value(value);
    };
    fill("signup-name", "Young Person");
    fill("signup-email", "young@example.com");
    fill("signup-username", "young");
    fill("signup-password", "a long enough password");
    let today = js_sys::Date::new_0();
    fill("signup-dob", &format!("{:04}-01-01", today.get_full_year() - 5));
    query(&root, "form button[type=submit]").click();
    settle().await;

    // The message is under the date field, announced, and the field is marked invalid.
    let alert = query(&root, "#date_of_birth-error[role=alert]");
    assert!(alert.text_content().unwrap().contains("at least 13 years old"));
    let dob = query(&root, "#signup-dob");
    assert_eq!(dob.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(dob.get_attribute("aria-describedby").unwrap().contains("date_of_birth-error"));
    // Still on the sign-up page: nothing was submitted.
    assert_eq!(query(&root, "h1").text_content().as_deref(), Some("Create your account"));
    root.remove();
}

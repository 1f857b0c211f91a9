//! `/`: what ViNano does and where to start. The page itself is in the app's frame (a first visit loads
//! nothing else before it shows); for a signed-in person, the box that starts a conversation, the shortcuts
//! and their recent creations come in a chunk of their own (`start.rs`, `routes::home_part`), which for a
//! visitor brings the tour of real examples (`tour.rs`) below the fold instead.

use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{i18n.tr("home-title")}</h1>
            <p class="lead">{i18n.tr("home-lead")}</p>
            <Show
                when=move || session.signed_in()
                fallback=move || {
                    view! {
                        <div class="hero-actions">
                            <A href="/image" attr:class="btn btn-primary btn-large">{i18n.tr("home-cta")}</A>
                            <A href="/signup" attr:class="btn btn-ghost btn-large">{i18n.tr("home-cta-signup")}</A>
                        </div>
                    }
                }
            >
                {
                    // If the chunk can't be downloaded, the way into the editor stands in for it.
                    let failed = RwSignal::new(false);
                    view! {
                        {home_part(false, failed)}
                        <Show when=move || failed.get()>
                            <div class="hero-actions">
                                <A href="/image" attr:class="btn btn-primary btn-large">{i18n.tr("home-cta")}</A>
                            </div>
                        </Show>
                    }
                }
            </Show>
        </section>
        // For a visitor, what it does (in the frame: on a phone it shows with the hero, and the page's largest
        // text must not wait for a chunk), then a tour of real examples below the fold, from Home's chunk.
        <Show when=move || !session.signed_in()>
            <ul class="features">
                <li>{i18n.tr("home-feature-chat")}</li>
                <li>{i18n.tr("home-feature-versions")}</li>
                <li>{i18n.tr("home-feature-private")}</li>
            </ul>
            {home_part(true, RwSignal::new(false))}
        </Show>
    }
}

/// Where a chunk of Home mounts its part — the start box for someone signed in (`pages/start.rs`), the
/// `tour` for a visitor (`pages/tour.rs`) — under this branch's owner (its contexts, its lifetime): the
/// frame holds no code of it. `failed` turns true when the chunk couldn't be downloaded.
fn home_part(tour: bool, failed: RwSignal<bool>) -> impl IntoView {
    let slot = NodeRef::<leptos::html::Div>::new();
    let owner = Owner::current();
    Effect::new(move |_| {
        if let (Some(slot), Some(owner)) = (slot.get(), owner.clone()) {
            let load = move || {
                // Home may have been left meanwhile (its part is then not wanted).
                if failed.is_disposed() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    failed.try_set(!crate::routes::home_part(slot.into(), owner, tour).await);
                })
            };
            // The tour is below the fold: its chunk is asked for once the page's largest paint has been
            // shown, so that it doesn't share the connection with what that paint needs (and a page-load
            // measure doesn't count it in).
            match tour {
                true => after_largest_paint(load),
                false => load(),
            }
        }
    });
    view! { <div node_ref=slot></div> }
}

/// Calls `then` once the browser has reported a largest paint made after now (the page being drawn now has
/// reached the screen: the frame after a `requestAnimationFrame` callback can take two more to be shown),
/// or after half a second where it reports none (Safari has no largest-paint entries).
fn after_largest_paint(then: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    type Once = Rc<Cell<Option<Box<dyn FnOnce()>>>>;
    let once: Once = Rc::new(Cell::new(Some(Box::new(then))));
    let fire = move |once: &Once| {
        if let Some(then) = once.take() {
            then();
        }
    };
    let since = window().performance().map_or(0.0, |p| p.now());
    let seen = once.clone();
    let callback =
        Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList, web_sys::PerformanceObserver)>::new(
            move |list: web_sys::PerformanceObserverEntryList, observer: web_sys::PerformanceObserver| {
                let painted = list
                    .get_entries()
                    .iter()
                    .any(|entry| entry.unchecked_into::<web_sys::PerformanceEntry>().start_time() >= since);
                if painted {
                    observer.disconnect();
                    fire(&seen);
                }
            },
        );
    let observing =
        web_sys::PerformanceObserver::new(callback.into_js_value().unchecked_ref()).ok().and_then(|o| {
            let init = js_sys::Object::new();
            js_sys::Reflect::set(&init, &"type".into(), &"largest-contentful-paint".into()).ok()?;
            js_sys::Reflect::set(&init, &"buffered".into(), &JsValue::TRUE).ok()?;
            o.observe(init.unchecked_ref());
            Some(o)
        });
    let late = once.clone();
    set_timeout(
        move || {
            if let Some(o) = &observing {
                o.disconnect();
            }
            fire(&late);
        },
        std::time::Duration::from_millis(500),
    );
}

//! `/tools` (AI Tools): task-shaped tools, each a form that ends in a normal conversation — the editor opens
//! with the form's words and photo and sends them with the form (`PostMessage.tool`), so the result keeps
//! versions, compare, download and sharing, and can be edited on by chat.

mod archive;
mod batch;
mod batch_edit;
mod enhance;
mod id_photo;
mod poster;
mod presets;
mod product;
mod resize;
mod video;

pub use batch_edit::BatchEdit;
pub use enhance::EnhanceTool;
pub use id_photo::IdPhoto;
pub use poster::PosterMaker;
pub use product::ProductTool;
pub use resize::Resizer;
pub use video::VideoMaker;

use crate::components::signed_in::RequireSignIn;
use crate::i18n::use_i18n;
use crate::state::start::{hand_over, Start};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::NavigateOptions;

/// The catalogue: (path, title key, description key).
const TOOLS: [(&str, &str, &str); 6] = [
    ("/tools/poster", "tools-poster-title", "tools-poster-about"),
    ("/tools/product", "tools-product-title", "tools-product-about"),
    ("/tools/id", "tools-id-title", "tools-id-about"),
    ("/tools/resize", "tools-resize-title", "tools-resize-about"),
    ("/tools/enhance", "tools-enhance-title", "tools-enhance-about"),
    ("/tools/batch", "tools-batch-title", "tools-batch-about"),
];

/// `/tools` and `/tools/:tool`: the catalogue, or the tool the path names; `/video`: AI Video.
#[component]
pub fn ToolsPages() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let location = leptos_router::hooks::use_location();
    move || match params.with(|p| p.get("tool")).as_deref() {
        None if location.pathname.with(|p| p.starts_with("/video")) => VideoMaker().into_any(),
        None => Tools().into_any(),
        Some("poster") => PosterMaker().into_any(),
        Some("enhance") => EnhanceTool().into_any(),
        Some("product") => ProductTool().into_any(),
        Some("id") => IdPhoto().into_any(),
        Some("resize") => Resizer().into_any(),
        Some("batch") => BatchEdit().into_any(),
        Some(_) => crate::pages::not_found::NotFound().into_any(),
    }
}

/// The AI Tools page: every tool, each opening its form.
#[component]
pub fn Tools() -> impl IntoView {
    let i18n = use_i18n();
    let cards = TOOLS
        .into_iter()
        .map(|(href, title, about)| {
            view! {
                <li class="card tool-card">
                    <h2><A href=href>{i18n.tr(title)}</A></h2>
                    <p>{i18n.tr(about)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="page">
            <h1>{i18n.tr("tools-title")}</h1>
            <p class="lead">{i18n.tr("tools-lead")}</p>
            <ul class="tool-cards">{cards}</ul>
            <presets::MyPresets/>
        </section>
    }
}

/// Opens the editor with `start`, which sends it as soon as its photo is uploaded (`navigate`: the page's
/// `use_navigate()`).
fn start_in_editor(navigate: &impl Fn(&str, NavigateOptions), start: Start) {
    hand_over(start);
    navigate("/image", NavigateOptions::default());
}

/// The image file of a file input's choice.
fn picked(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let file = input.files().and_then(|l| l.get(0)).filter(|f| f.type_().starts_with("image/"));
    input.set_value("");
    file
}

/// A tool's page: the way back to the catalogue, its title and what it does, and its form for a signed-in
/// person (an invitation to sign in otherwise), or for anyone when the tool is `open`.
#[component]
fn ToolPage(
    /// The title's i18n key.
    title: &'static str,
    /// The i18n key of what it does.
    about: &'static str,
    /// The form.
    children: ChildrenFn,
    /// The form works without an account (nothing reaches the server).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = match open {
        true => children().into_any(),
        false => view! { <RequireSignIn need="tools-need-account">{children()}</RequireSignIn> }.into_any(),
    };
    view! {
        <section class="page narrow tool-page">
            <A href="/tools" attr:class="back-link">{i18n.tr("tools-back")}</A>
            <h1>{i18n.tr(title)}</h1>
            <p class="lead">{i18n.tr(about)}</p>
            {form}
        </section>
    }
}

/// Radio choices drawn as cards, one for each (value, name key, what-it-means key) of `options`, bound to
/// `value`.
fn choices<T: Copy + PartialEq + Send + Sync + 'static>(
    group: &'static str,
    options: impl IntoIterator<Item = (T, &'static str, Option<&'static str>)>,
    value: RwSignal<T>,
) -> impl IntoView {
    let i18n = use_i18n();
    options
        .into_iter()
        .map(|(option, name, about)| {
            let words = match about {
                Some(about) => view! { <strong>{i18n.tr(name)}</strong><small>{i18n.tr(about)}</small> }.into_any(),
                None => i18n.tr(name).into_any(),
            };
            view! {
                <label class="preset-choice">
                    <input type="radio" name=group checked=move || value.get() == option on:change=move |_| value.set(option)/>
                    <span>{words}</span>
                </label>
            }
        })
        .collect_view()
}

/// One photo chosen for a tool: the picker, and the chosen file's name with a way to remove it; with
/// `problem`, what the form says about the photo ("choose the photo"), shown under it and gone once one is
/// chosen.
#[component]
fn PhotoPicker(
    photo: RwSignal<Option<web_sys::File>>,
    #[prop(optional)] problem: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="tool-photo">
            <label class="btn btn-ghost file-button">
                {move || i18n.tr(if photo.with(Option::is_some) { "tools-photo-change" } else { "tools-photo-pick" })}
                <input class="visually-hidden" type="file" accept="image/*" on:change=move |ev| {
                    if let Some(file) = picked(&ev) {
                        photo.set(Some(file));
                        if let Some(problem) = problem {
                            problem.set(None);
                        }
                    }
                }/>
            </label>
            {move || photo.get().map(|f| view! {
                <span class="chip">
                    <span>{f.name()}</span>
                    <button type="button" class="chip-remove" aria-label=i18n.t("tools-photo-remove") on:click=move |_| photo.set(None)>"×"</button>
                </span>
            })}
        </div>
        {move || problem.and_then(|p| p.get()).map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
    }
}

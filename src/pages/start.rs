//! Home for a signed-in person: a box that starts a conversation at once (words, and photos picked,
//! dropped or pasted), shortcuts that fill it with a first instruction, and their recent creations. The
//! editor receives what was started through `state::start` and sends it as soon as the photos are ready.

use crate::api;
use crate::components::describe;
use crate::i18n::use_i18n;
use crate::state::start::{hand_over, Start};
use leptos::ev::SubmitEvent;
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// How many recent creations Home shows.
const RECENT: u32 = 8;

/// The shortcuts: (label key, key of the instruction it starts with).
const SHORTCUTS: [(&str, &str); 5] = [
    ("home-shortcut-poster", "home-shortcut-poster-text"),
    ("home-shortcut-cutout", "home-shortcut-cutout-text"),
    ("home-shortcut-portrait", "home-shortcut-portrait-text"),
    ("home-shortcut-warm", "home-shortcut-warm-text"),
    ("home-shortcut-mono", "home-shortcut-mono-text"),
];

/// The images in a drop or a paste.
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| {
        (0..l.length()).filter_map(|i| l.get(i)).filter(|f| f.type_().starts_with("image/")).collect()
    })
    .unwrap_or_default()
}

/// Mounts the signed-in part of Home into `slot`, as a child of `owner` (Home's): it reads Home's contexts
/// and goes when Home does.
pub fn mount(slot: web_sys::HtmlElement, owner: Owner) {
    owner.with(|| {
        let handle = leptos::mount::mount_to(slot, StartHome);
        // Dropped (and so unmounted) with the owner.
        StoredValue::new_local(handle);
    });
}

/// The signed-in part of Home.
#[component]
pub fn StartHome() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let text_ref = NodeRef::<Textarea>::new();
    let chosen = RwSignal::new(None::<api::HomePreset>);
    let shortcuts = SHORTCUTS
        .into_iter()
        .map(|(label, words)| {
            let fill = move |_| {
                text.set(i18n.t(words));
                if let Some(area) = text_ref.get_untracked() {
                    let _ = area.focus();
                }
            };
            view! { <li><button type="button" class="suggestion" on:click=fill>{i18n.tr(label)}</button></li> }
        })
        .collect_view();
    let fill = move |words: String| {
        text.set(words);
        if let Some(area) = text_ref.get_untracked() {
            let _ = area.focus();
        }
    };
    let suggestions = LocalResource::new(api::suggestions);
    let often = move || {
        let used = suggestions.get().and_then(Result::ok).map(|s| s.instructions).unwrap_or_default();
        (!used.is_empty()).then(|| {
            let chips = used
                .into_iter()
                .map(|u| {
                    let words = u.text.clone();
                    let times = i18n.t_args("home-often-times", [("times", i64::from(u.times).into())]);
                    view! {
                        <li>
                            <button type="button" class="suggestion" on:click=move |_| fill(words.clone())>
                                {u.text}<span class="visually-hidden">" (" {times} ")"</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h2 class="home-heading" id="home-often">{i18n.tr("home-often")}</h2>
                <ul class="suggestions home-shortcuts" aria-labelledby="home-often">{chips}</ul>
            }
        })
    };
    // The person's presets: one tapped is run on the photos added to the box.
    let presets = LocalResource::new(api::home_presets);
    let mine = move || {
        let list = presets.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty()).then(|| {
            let chips = list
                .into_iter()
                .take(8)
                .map(|preset| {
                    let pressed = {
                        let id = preset.id.clone();
                        move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                    };
                    let name = preset.name.clone();
                    view! {
                        <li>
                            <button type="button" class="suggestion" aria-pressed=pressed
                                on:click=move |_| chosen.set(Some(preset.clone()))>
                                {name}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h2 class="home-heading" id="home-presets">{i18n.tr("home-presets")}</h2>
                <ul class="suggestions home-shortcuts" aria-labelledby="home-presets">{chips}</ul>
            }
        })
    };
    let liked = move || {
        let items = suggestions.get().and_then(Result::ok).map(|s| s.liked).unwrap_or_default();
        (!items.is_empty()).then(|| {
            view! {
                <h2 class="home-heading" id="home-liked">{i18n.tr("home-liked")}</h2>
                <ul class="home-recent" aria-labelledby="home-liked">{tiles(i18n, items)}</ul>
            }
        })
    };
    view! {
        <StartBox text=text text_ref=text_ref chosen=chosen/>
        {often}
        {mine}
        <h2 class="home-heading" id="home-shortcuts">{i18n.tr("home-shortcuts")}</h2>
        <ul class="suggestions home-shortcuts" aria-labelledby="home-shortcuts">
            {shortcuts}
            <li><A href="/tools" attr:class="suggestion">{i18n.tr("home-shortcut-tools")}</A></li>
        </ul>
        <Recent/>
        {liked}
    }
}

/// The box: what to make or change, and photos; "Start" opens the editor, which sends it.
#[component]
fn StartBox(
    text: RwSignal<String>,
    text_ref: NodeRef<Textarea>,
    chosen: RwSignal<Option<api::HomePreset>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new(use_navigate());
    let files = RwSignal::new(Vec::<web_sys::File>::new());
    let problem = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let add = move |more: Vec<web_sys::File>| {
        if !more.is_empty() {
            problem.set(None);
            files.update(|f| f.extend(more));
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let words = text.get_untracked().trim().to_string();
        let photos = files.get_untracked();
        let preset = chosen.get_untracked();
        if preset.is_some() && photos.is_empty() {
            problem.set(Some(i18n.t("home-preset-needs-photo")));
            return;
        }
        if words.is_empty() && photos.is_empty() {
            problem.set(Some(i18n.t("home-start-empty")));
            return;
        }
        // A preset's saved steps make the version; its name is what the thread says was asked.
        let (words, preset) = match preset {
            Some(p) => (if words.is_empty() { p.name } else { words }, Some(p.id)),
            None => (words, None),
        };
        hand_over(Start { text: words, files: photos, tool: None, preset, image: None });
        navigate.with_value(|go| go("/image", Default::default()));
    };
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        add(files_of(input.files()));
        input.set_value("");
    };
    let chips = move || {
        files
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let name = f.name();
                let label = i18n.t_args("home-start-remove", [("name", name.clone().into())]);
                view! {
                    <li class="chip">
                        <span>{name}</span>
                        <button type="button" class="chip-remove" aria-label=label on:click=move |_| files.update(|f| { f.remove(i); })>"×"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form
            class="start-box"
            class:dragging=move || dragging.get()
            on:submit=submit
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if ev.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0)) {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                add(files_of(ev.data_transfer().and_then(|d| d.files())));
            }
        >
            <label for="start-text" class="start-label">{i18n.tr("home-start-label")}</label>
            <textarea
                id="start-text"
                node_ref=text_ref
                rows="2"
                maxlength=vinano_api::validate::PROMPT_MAX.to_string()
                placeholder=move || i18n.t("home-start-placeholder")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:paste=move |ev: leptos::ev::ClipboardEvent| {
                    let pasted = files_of(ev.clipboard_data().and_then(|d| d.files()));
                    if !pasted.is_empty() {
                        ev.prevent_default();
                        add(pasted);
                    }
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Enter starts, Shift+Enter is a new line (as in the editor).
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        if let Some(form) = text_ref.get_untracked().and_then(|t| t.form()) {
                            let _ = form.request_submit();
                        }
                    }
                }
            ></textarea>
            <ul class="start-files">
                {chips}
                {move || chosen.get().map(|p| {
                    let label = i18n.t_args("home-preset-remove", [("name", p.name.clone().into())]);
                    view! {
                        <li class="chip">
                            <span>{i18n.t_args("home-preset-chip", [("name", p.name.clone().into())])}</span>
                            <button type="button" class="chip-remove" aria-label=label on:click=move |_| chosen.set(None)>"×"</button>
                        </li>
                    }
                })}
            </ul>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <div class="start-actions">
                <label class="btn btn-ghost file-button">
                    {i18n.tr("home-start-attach")}
                    <input class="visually-hidden" type="file" accept="image/*" multiple on:change=pick/>
                </label>
                <button type="submit" class="btn btn-primary">{i18n.tr("home-start-submit")}</button>
            </div>
        </form>
    }
}

/// The person's newest versions, each opening its conversation.
#[component]
fn Recent() -> impl IntoView {
    let i18n = use_i18n();
    let recent = LocalResource::new(|| api::list_images(RECENT));
    move || {
        let items = match recent.get() {
            Some(Ok(items)) if !items.is_empty() => items,
            _ => return ().into_any(),
        };
        let tiles = tiles(i18n, items);
        view! {
            <div class="home-recent-head">
                <h2 class="home-heading" id="home-recent">{i18n.tr("home-recent")}</h2>
                <A href="/images">{i18n.tr("home-recent-all")}</A>
            </div>
            <ul class="home-recent" aria-labelledby="home-recent">{tiles}</ul>
        }
        .into_any()
    }
}

/// A tile per version, each opening its conversation.
fn tiles(i18n: crate::i18n::I18n, items: Vec<vinano_api::LibraryItem>) -> impl IntoView {
    items
        .into_iter()
        .map(|item| {
            let what = describe(i18n, &item.image);
            let picture = view! {
                <img
                    src=item.image.preview_url(256)
                    alt=what.clone()
                    width=item.image.width
                    height=item.image.height
                    loading="lazy"
                />
            };
            match item.conversation_id {
                Some(c) => {
                    let label = i18n.t_args("home-recent-open", [("what", what.into())]);
                    view! { <li><A href=format!("/image/{c}") attr:aria-label=label>{picture}</A></li> }
                        .into_any()
                }
                None => view! { <li>{picture}</li> }.into_any(),
            }
        })
        .collect_view()
}

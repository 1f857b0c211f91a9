//! The thread: the version tree, then every message with its image, how it was made and what can be done
//! with it.

use super::job::JobStatus;
use super::menu::{MenuFor, VersionMenu};
use super::suggest::{self, Suggestions};
use super::versions::{versions, VersionTree};
use super::viewer::Viewer;
use super::{use_editor, EditorCtx, ThreadResource};
use crate::api::ApiError;
use crate::components::{describe, error_text};
use crate::i18n::{use_i18n, I18n};
use leptos::html::Input;
use leptos::prelude::*;
use vinano_api::{ImageInfo, Message, Role};

thread_local! {
    // Whether the person sent something and waits for its reply. Outside the view: the first send of a new
    // conversation moves to its address, and the thread there is a new view that must still announce it.
    static SENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The open conversation's messages (or why they can't be shown).
#[component]
pub(super) fn Thread(
    /// The open conversation.
    thread: ThreadResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let EditorCtx { target, viewing, send, .. } = use_editor();
    // A screen reader hears each new reply once, not the whole thread again whenever it reloads.
    let announced = RwSignal::new(String::new());
    // (conversation, its last reply and the reply's words) as last seen: a change in the same conversation
    // is announced; so is the first reply of a conversation this editor just started by sending.
    let last_reply = StoredValue::new(None::<(String, Option<(String, String)>)>);
    Effect::new(move |_| {
        if send.pending.get() {
            SENT.set(true);
        }
    });
    Effect::new(move |_| {
        let Some(Ok(Some(detail))) = thread.get() else { return };
        let reply = detail.messages.iter().rev().find(|m| m.role == Role::Assistant);
        let words = reply.map(|m| i18n.said(m.text_said.as_ref(), &m.text));
        let now = (detail.conversation.id.clone(), reply.map(|m| m.id.clone()).zip(words.clone()));
        let seen = last_reply.get_value();
        last_reply.set_value(Some(now.clone()));
        let same = seen.as_ref().is_some_and(|s| s.0 == now.0);
        let new = if same { seen.is_some_and(|s| s.1 != now.1) } else { SENT.get() };
        if let (true, Some(words)) = (new, words) {
            SENT.set(false);
            announced.set(words);
        }
    });
    // Each message's words are chosen as it is drawn, so the thread is drawn again when the language changes
    // (the person's language can arrive after the conversation, which index.html asks for early).
    let shown = move || {
        i18n.locale(); // tracked: a new language draws the thread again
        thread.get()
    };
    let messages = move || match shown() {
        // Said only if it takes a while: the header comes in with the thread, and a word shown before it
        // would be pushed down by it.
        None => view! { <p class="muted late">{i18n.tr("loading")}</p> }.into_any(),
        Some(Err(ApiError::Server { status: 404, .. })) => {
            view! { <p class="alert" role="alert">{i18n.tr("image-not-found")}</p> }.into_any()
        }
        Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
        Some(Ok(Some(detail))) if !detail.messages.is_empty() => {
            let all = versions(&detail.messages);
            // The older images (and the version tree's thumbnails) start downloading once the newest has
            // arrived (or failed, or is a clip): on a slow connection the newest image doesn't share the line
            // with them. (Those this page has shown before don't wait: they are at hand.)
            let newest_is_still = detail
                .messages
                .iter()
                .rev()
                .find_map(|m| m.image.as_ref())
                .is_some_and(|img| !img.content_type.starts_with("video/"));
            let newest_done = RwSignal::new(!newest_is_still);
            let tree = view! {
                <VersionTree versions=all.clone() target=target newest_done=newest_done/>
                <Viewer versions=all viewing=viewing/>
            };
            // Each reply names its prompt: pair them so a result can be regenerated.
            let prompts: std::collections::HashMap<String, String> = detail
                .messages
                .iter()
                .filter(|m| m.role == Role::User)
                .map(|m| (m.id.clone(), m.text.clone()))
                .collect();
            // The background's chips once the server says it can do them (the credits answer says so): only
            // this row is drawn again when that answer arrives.
            let credits = super::use_editor().credits;
            let next = detail
                .messages
                .last()
                .filter(|m| m.role == Role::Assistant)
                .and_then(|m| m.image.clone())
                .map(|image| {
                    move || {
                        let background =
                            credits.get().and_then(Result::ok).is_some_and(|c| c.engines.background);
                        let keys = suggest::next_for(&image, background);
                        (!keys.is_empty()).then(|| view! { <Suggestions keys=keys label="image-next"/> })
                    }
                });
            // The newest image is what the person looks at first: it loads first; the older ones (above it,
            // scrolled away in a long thread) only when they come near the screen.
            let newest = detail.messages.iter().rev().find(|m| m.image.is_some()).map(|m| m.id.clone());
            let conversation = detail.conversation.id.clone();
            let items = detail
                .messages
                .into_iter()
                .map(|m| {
                    let asked = m.reply_to.as_ref().and_then(|p| prompts.get(p).cloned());
                    let first = newest.as_ref() == Some(&m.id);
                    let conversation = conversation.clone();
                    view! {
                        <MessageItem message=m prompt=asked first=first newest_done=newest_done conversation=conversation/>
                    }
                })
                .collect_view();
            view! {
                {tree}
                <ol class="thread">{items}</ol>
                {next}
            }
            .into_any()
        }
        Some(Ok(_)) => view! {
            <p class="empty-hint">{i18n.tr("image-empty-thread")}</p>
            <Suggestions keys=suggest::EXAMPLES.to_vec() label="image-examples"/>
        }
        .into_any(),
    };
    view! {
        <p class="visually-hidden" role="status">{move || announced.get()}</p>
        {messages}
    }
}

/// One message: the prompt with its target photo, or ViNano's reply with the result.
#[component]
fn MessageItem(
    /// The message to show.
    message: Message,
    /// For a reply: the instruction it answered.
    prompt: Option<String>,
    /// Its image loads before the others (the thread's newest).
    first: bool,
    /// Whether the thread's newest image has loaded (or failed): the others wait for it.
    newest_done: RwSignal<bool>,
    /// The conversation it is in.
    conversation: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let refresh = use_editor().refresh;
    // A reply with candidates offers them to pick from, under the one it shows.
    let variants = message.image.as_ref().filter(|_| message.variants.len() > 1).map(|shown| {
        let (message, variants, picked) = (message.id.clone(), message.variants.clone(), shown.id.clone());
        view! { <super::variants::Variants conversation=conversation message=message variants=variants picked=picked/> }
    });
    let job = message.job.clone().map(|job| view! { <JobStatus job=job finished=refresh/> });
    let (who, class) = match message.role {
        Role::User => (i18n.t("image-you"), "msg msg-user"),
        Role::Assistant => (i18n.t("image-assistant"), "msg msg-assistant"),
    };
    let image = message.image.map(|img| {
        view! { <VersionImage role=message.role image=img prompt=prompt first=first newest_done=newest_done/> }
    });
    view! {
        <li class=class>
            <span class="msg-author">{who}</span>
            // User text is rendered as text, never as HTML.
            <p class="msg-text">{i18n.said(message.text_said.as_ref(), &message.text)}</p>
            {image}
            {variants}
            {job}
        </li>
    }
}

/// What an older image of the thread shows until the newest has loaded: one transparent pixel.
pub(super) const WAITING: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

thread_local! {
    // The images (by URL) this page has shown: drawn again (after an edit), they don't wait for the newest.
    static SHOWN: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// Whether this page has shown the image at `url` (see [`shown`]).
pub(super) fn was_shown(url: &str) -> bool {
    SHOWN.with(|s| s.borrow().contains(url))
}

/// Whether the image an event is about shows [`WAITING`] (its `load` isn't the picture's).
pub(super) fn is_waiting(ev: &leptos::ev::Event) -> bool {
    event_target::<web_sys::Element>(ev).get_attribute("src").as_deref() == Some(WAITING)
}

/// Notes that the image at `url` has been shown: drawn again, it doesn't wait for the thread's newest.
pub(super) fn shown(url: &str) {
    SHOWN.with(|s| s.borrow_mut().insert(url.to_string()));
}

/// An image version in the thread, with how it was made and its menu.
#[component]
fn VersionImage(
    /// Who posted it: the user's target or ViNano's result.
    role: Role,
    /// The version.
    image: ImageInfo,
    /// For a result: the instruction that made it.
    prompt: Option<String>,
    /// Load it at once and before the others; otherwise only when it comes near the screen.
    first: bool,
    /// Whether the thread's newest image has loaded (or failed); set by it, waited for by the others.
    newest_done: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = match role {
        Role::User => "msg-image original",
        Role::Assistant => "msg-image result",
    };
    let alt = describe(i18n, &image);
    let url = image.url();
    let is_video = image.content_type.starts_with("video/");
    // A clip (an MP4 from the local engine or a video model; a GIF made before clips were MP4s) downloads as itself and
    // isn't edited further.
    let is_clip = image.content_type == "image/gif" || is_video;
    let generation = image.generation.clone().map(|g| {
        let line = i18n.t_args(
            "image-generation",
            [
                ("steps", crate::components::steps_text(i18n, &g).into()),
                ("provider", provider_name(i18n, &g.provider).into()),
                ("ms", g.duration_ms.into()),
            ],
        );
        view! { <p class="generation muted">{line}</p> }
    });
    let (width, height) = (image.width, image.height);
    // The size it will be shown at, known before it loads, so nothing below it moves when it arrives: its
    // own width, at most 34rem (the `sizes` width) and the height cap, within the thread. (No percentage in
    // it: the bubble around it takes its width from the image's; `max-width: 100%` keeps it inside.)
    let srcset = image.srcset();
    let seen = first || was_shown(&url);
    let loaded = url.clone();
    // The newest image has come (or failed): the older ones may start, and the frame kept over the starting
    // app with the same picture goes.
    let arrived = move || {
        if first {
            newest_done.set(true);
            crate::boot::handed_over();
        }
    };
    let cap = if role == Role::User { "10rem" } else { "28rem" };
    let shown_width = format!("min(34rem, {width}px, calc({cap} * {} / {}))", width.max(1), height.max(1));
    // Which preview to fetch: a result as wide as the thread allows; a photo the person sent, as wide as its
    // thumbnail (a phone doesn't download a 768 px preview for a 10rem one). (index.html preloads the newest
    // result of a conversation opened directly with the same `srcset` and `sizes`.)
    let sizes = match role {
        Role::Assistant => "(max-width: 720px) calc(100vw - 3rem), 34rem".to_string(),
        Role::User => format!("calc({cap} * {} / {})", width.max(1), height.max(1)),
    };
    let comparing = RwSignal::new(false);
    let position = RwSignal::new(50u32);
    let slider_ref = NodeRef::<Input>::new();
    // `autofocus` only works on page load: move focus to the slider when it appears.
    Effect::new(move |_| {
        if let Some(slider) = slider_ref.get() {
            let _ = slider.focus();
        }
    });
    let before_url =
        image.parent_id.as_deref().filter(|_| role == Role::Assistant && !is_clip).map(vinano_api::image_url);
    let has_before = before_url.is_some();
    let picture = if is_video {
        view! {
            <video
                src=url.clone()
                aria-label=alt
                class=class
                width=width
                height=height
                style:width=shown_width
                style:aspect-ratio=format!("{} / {}", width.max(1), height.max(1))
                controls
                autoplay=!reduced_motion()
                loop
                muted
                // The attribute alone doesn't mute an element made by script, and only a muted clip may play
                // by itself.
                prop:muted=true
                playsinline
            ></video>
        }
        .into_any()
    } else {
        // A tap (or Enter) opens it full screen.
        let viewing = use_editor().viewing;
        let id = StoredValue::new(image.id.clone());
        let label = i18n.t_args("viewer-open", [("image", alt.clone().into())]);
        view! {
            <button
                type="button"
                class="picture-open"
                aria-label=label
                on:click=move |_| viewing.set(Some(id.get_value()))
            >
                // A phone loads a preview that fits its screen, not the whole image.
                <img
                    // (Until then, a transparent pixel: an image without `src` isn't laid out like one.)
                    src=move || if seen || newest_done.get() { url.clone() } else { WAITING.to_string() }
                    srcset=move || (seen || newest_done.get()).then(|| srcset.clone())
                    sizes=sizes
                    alt=alt
                    class=class
                    width=width
                    height=height
                    loading=if first { "eager" } else { "lazy" }
                    fetchpriority=if first { "high" } else { "auto" }
                    on:load=move |ev| {
                        if !is_waiting(&ev) {
                            shown(&loaded);
                        }
                        arrived();
                    }
                    on:error=move |_| arrived()
                    style:width=shown_width
                    style:aspect-ratio=format!("{} / {}", width.max(1), height.max(1))
                />
            </button>
        }
        .into_any()
    };
    let compare_view = before_url.map(|before| {
        view! {
            <Show when=move || comparing.get()>
                <div
                    class="compare"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            comparing.set(false);
                        }
                    }
                >
                    <img
                        src=before.clone()
                        alt=i18n.tr("image-compare-before-alt")
                        class="compare-before"
                        // Set through the CSSOM (`style:`), which the content security policy allows; a
                        // `style` attribute would be inline style.
                        style:clip-path=move || format!("inset(0 {}% 0 0)", 100 - position.get())
                    />
                    <input
                        type="range"
                        class="compare-slider"
                        min="0"
                        max="100"
                        node_ref=slider_ref
                        aria-label=i18n.tr("image-compare-slider")
                        prop:value=move || position.get().to_string()
                        on:input=move |ev| position.set(event_target_value(&ev).parse().unwrap_or(50))
                    />
                </div>
            </Show>
        }
    });
    let target = use_editor().target;
    let id = image.id.clone();
    let selected = Memo::new(move |_| target.with(|t| t.as_ref().is_some_and(|t| t.id == id)));
    let menu = MenuFor {
        image: image.clone(),
        role,
        is_clip,
        has_before,
        comparing,
        regenerate: prompt.zip(image.parent_id.clone()),
    };
    view! {
        <div class="picture" class:selected=move || selected.get() data-version=image.id.clone()>{picture} {compare_view}</div>
        <div class="version-foot">
            <div class="version-facts">
                {generation}
                <p class="muted expires">{crate::components::expiry_text(i18n, &image)}</p>
            </div>
            <VersionMenu menu=menu/>
        </div>
    }
}

fn provider_name(i18n: I18n, provider: &str) -> String {
    match provider {
        "local" => i18n.t("provider-local"),
        other => other.to_string(),
    }
}

/// True when the person asked their system for less motion (a clip then waits for Play). Asked through
/// `Reflect`, which the app already uses, rather than a web-sys binding of its own.
fn reduced_motion() -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return false };
    let query = js_sys::Reflect::get(&window, &"matchMedia".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let answer = query.and_then(|f| f.call1(&window, &"(prefers-reduced-motion: reduce)".into()).ok());
    answer.and_then(|m| js_sys::Reflect::get(&m, &"matches".into()).ok()).is_some_and(|v| v.is_truthy())
}

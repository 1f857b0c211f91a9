//! The widget's compact editor (`/embed?partner=…&origin=…`), inside a partner's page: attach a photo, say
//! what to change (or what to make), see the result, hand it to the page or download it.
//!
//! It starts by asking who the partner is, and refuses to run unless `origin` (the page `widget.js` runs
//! in) is one of the partner's origins: the browser already refuses to show it in any other page
//! (`frame-ancestors`), and every message goes to that exact origin. Then it waits briefly for the page's
//! `init` (the partner's token for its user), signs in — the member, the guest this browser already is, or a
//! new guest — and tells the page it is ready.

mod data;
mod host;

use crate::api;
use crate::components::attachments::{AttachState, AttachmentList, Attachments};
use crate::components::error_text;
use crate::i18n::{use_i18n, I18n, Locale};
use host::{FromHost, Host};
use leptos::prelude::*;
use leptos::task::spawn_local;
use vinano_api::{JobState, PostMessage, WidgetImageLink, WidgetSession};
use wasm_bindgen::JsValue;

/// How long the page may take to send `init` before the widget opens as a guest.
const INIT_WAIT_MS: u32 = 3000;
/// How long an instruction waits for a photo still being prepared or uploaded.
const ATTACH_WAIT_MS: u32 = 120_000;

/// Where the widget is.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Starting,
    Ready(WidgetSession),
    Failed(String),
    /// The visitor deleted everything of theirs here.
    Deleted,
}

/// A query parameter of the page's address.
fn param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name).filter(|v| !v.is_empty())
}

async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The widget's page.
#[component]
pub fn Embed() -> impl IntoView {
    let i18n = use_i18n();
    let phase = RwSignal::new(Phase::Starting);
    let host: StoredValue<Option<Host>> = StoredValue::new(None);
    let ignored = RwSignal::new(0u32);
    let attachments = Attachments::new();
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<WidgetImageLink>);
    let conversation = StoredValue::new(None::<String>);
    let init = RwSignal::new(None::<Option<String>>);

    let fail = move |message: String, code: &str| {
        if let Some(h) = host.get_value() {
            h.send("error", &[("code", code.into()), ("message", JsValue::from_str(&message))]);
        }
        phase.set(Phase::Failed(message));
    };

    let send = move |words: String| {
        let words = words.trim().to_string();
        if busy.get_untracked() || words.is_empty() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            // A photo still being prepared or uploaded goes with these words: wait for it.
            let mut waited = 0;
            while attachments.busy() && waited < ATTACH_WAIT_MS {
                sleep(200).await;
                waited += 200;
            }
            // The newest attached photo is what the words are about; without one, the newest result.
            let image = attachments
                .ready()
                .last()
                .map(|i| i.id.clone())
                .or_else(|| result.get_untracked().map(|r| r.id));
            let outcome = run(words, image, conversation).await;
            busy.set(false);
            match outcome {
                Ok(link) => {
                    text.set(String::new());
                    attachments.clear();
                    if let Some(h) = host.get_value() {
                        h.send("image", &image_fields(&link));
                    }
                    result.set(Some(link));
                    refresh_credits(phase).await;
                }
                Err(Failure::Api(e)) => problem.set(Some(error_text(i18n, &e))),
                Err(Failure::Job(reason)) if reason.is_empty() => problem.set(Some(i18n.t("embed-failed"))),
                Err(Failure::Job(reason)) => problem.set(Some(reason)),
            }
        });
    };

    let on_host = move |message: FromHost| match message {
        FromHost::Init { token, language, modal } => {
            if let Some(language) = language {
                i18n.set_locale(Locale::from_tag(&language));
            }
            if modal {
                // A dialog over the page closes with Escape, wherever the focus is inside it.
                let on_key = move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        if let Some(h) = host.get_value() {
                            h.send("closed", &[]);
                        }
                    }
                };
                let _ = window_event_listener(leptos::ev::keydown, on_key);
            }
            init.set(Some(token));
        }
        FromHost::Prompt(words) => {
            text.set(words.clone());
            if matches!(phase.get_untracked(), Phase::Ready(_)) {
                send(words);
            }
        }
        FromHost::Attach(file) => attachments.add_files(vec![file], i18n),
        FromHost::Close => {
            if let Some(h) = host.get_value() {
                h.send("closed", &[]);
            }
        }
    };

    spawn_local(async move {
        let (Some(partner), Some(origin)) = (param("partner"), param("origin")) else {
            return fail(i18n.t("embed-not-here"), "not_embedded");
        };
        api::set_partner(&partner);
        let info = match api::widget_partner(&partner).await {
            Ok(info) => info,
            Err(e) => return fail(error_text(i18n, &e), "partner_unknown"),
        };
        if !info.origins.contains(&origin) {
            return fail(i18n.t("embed-not-here"), "origin_not_allowed");
        }
        let h = Host::new(origin, ignored);
        h.listen(on_host);
        h.report_height();
        h.send("loaded", &[]);
        host.set_value(Some(h.clone()));
        // The page says who its visitor is; a page that says nothing gets a guest after a moment.
        let mut waited = 0;
        while init.get_untracked().is_none() && waited < INIT_WAIT_MS {
            sleep(100).await;
            waited += 100;
        }
        let token = init.get_untracked().flatten();
        let session = match token {
            Some(token) => api::widget_sign_in(&partner, Some(token)).await,
            None => match api::widget_session().await {
                Ok(session) => Ok(session),
                Err(_) => api::widget_sign_in(&partner, None).await,
            },
        };
        match session {
            Ok(session) => {
                let fields = [
                    ("visitor", JsValue::from_str(&session.visitor)),
                    ("credits", JsValue::from(session.credits as f64)),
                ];
                h.send("ready", &fields);
                phase.set(Phase::Ready(session));
                // What the page asked before the widget was ready.
                let waiting = text.get_untracked();
                if !waiting.trim().is_empty() {
                    send(waiting);
                }
            }
            Err(e) => fail(error_text(i18n, &e), "sign_in_refused"),
        }
    });

    let deleted = Callback::new(move |()| {
        result.set(None);
        attachments.clear();
        phase.set(Phase::Deleted);
    });
    let root_ignored = move || ignored.get().to_string();
    view! {
        <main class="embed" data-ignored=root_ignored aria-busy=move || busy.get().to_string()>
            {move || match phase.get() {
                Phase::Starting => view! { <p class="embed-status muted">{i18n.t("embed-starting")}</p> }.into_any(),
                Phase::Failed(message) => view! { <p class="embed-status" role="alert">{message}</p> }.into_any(),
                Phase::Deleted => view! { <p class="embed-status" role="status">{i18n.t("embed-data-deleted")}</p> }.into_any(),
                Phase::Ready(session) => view! {
                    <Editor i18n session attachments text busy problem result send=Callback::new(send) deleted/>
                }
                .into_any(),
            }}
        </main>
    }
}

/// The fields of an `image` message: what the page needs to show or download the result.
fn image_fields(link: &WidgetImageLink) -> Vec<(&'static str, JsValue)> {
    let format = link.content_type.trim_start_matches("image/").to_string();
    vec![
        ("id", JsValue::from_str(&link.id)),
        ("url", JsValue::from_str(&link.url)),
        ("width", JsValue::from(link.width)),
        ("height", JsValue::from(link.height)),
        ("format", JsValue::from_str(&format)),
        ("expires_at", JsValue::from_str(&link.expires_at.0)),
    ]
}

/// The credits shown after an edit.
async fn refresh_credits(phase: RwSignal<Phase>) {
    if let Ok(session) = api::widget_session().await {
        phase.set(Phase::Ready(session));
    }
}

enum Failure {
    Api(api::ApiError),
    Job(String),
}

impl From<api::ApiError> for Failure {
    fn from(e: api::ApiError) -> Self {
        Failure::Api(e)
    }
}

/// Sends `words` about `image` (in a conversation made on first use), waits for the edit, and returns a
/// link to its result.
async fn run(
    words: String,
    image: Option<String>,
    conversation: StoredValue<Option<String>>,
) -> Result<WidgetImageLink, Failure> {
    let id = match conversation.get_value() {
        Some(id) => id,
        None => {
            let made = api::create_conversation().await?.id;
            conversation.set_value(Some(made.clone()));
            made
        }
    };
    let body = PostMessage { text: words, image_id: image, ..PostMessage::default() };
    let exchange = api::post_message(&id, &body, &crate::state::idempotency_key()).await?;
    let reply_image = match exchange.job {
        Some(job) => {
            let mut job = job;
            while matches!(job.state, JobState::Queued | JobState::Running) {
                sleep(400).await;
                job = api::job(&job.id).await?;
            }
            if job.state != JobState::Succeeded {
                return Err(Failure::Job(job.error.unwrap_or_default()));
            }
            let detail = api::conversation(&id).await?;
            let reply =
                detail.messages.into_iter().find(|m| m.reply_to.as_deref() == Some(&exchange.prompt.id));
            reply.and_then(|m| m.image)
        }
        None => exchange.reply.and_then(|m| m.image),
    };
    match reply_image {
        Some(image) => Ok(api::widget_image_link(&image.id).await?),
        None => Err(Failure::Job(String::new())),
    }
}

/// The editor once signed in.
#[component]
fn Editor(
    i18n: I18n,
    session: WidgetSession,
    attachments: Attachments,
    text: RwSignal<String>,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    result: RwSignal<Option<WidgetImageLink>>,
    send: Callback<String>,
    deleted: Callback<()>,
) -> impl IntoView {
    let credits = session.credits.max(0) as u64;
    let on_files = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let files = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        attachments.add_files(files, i18n);
        input.set_value("");
    };
    let uploading = move || {
        attachments.items.with(|items| {
            items.iter().any(|a| matches!(a.state.get(), AttachState::Preparing | AttachState::Uploading(_)))
        })
    };
    view! {
        <header class="embed-head">
            <strong>{session.partner_name.clone()}</strong>
            <span class="muted">{i18n.t("embed-mark")}</span>
            <span class="embed-credits muted">{i18n.t_args("embed-credits", [("n", credits.into())])}</span>
        </header>
        {move || result.get().map(|r| {
            let alt = i18n.t_args("embed-result-alt", [("width", r.width.into()), ("height", r.height.into())]);
            view! {
                <figure class="embed-result">
                    <img src=r.url.clone() alt=alt width=r.width height=r.height/>
                    <a class="btn" href=r.url.clone() download="vinano.png">{i18n.t("embed-download")}</a>
                </figure>
            }
        })}
        <AttachmentList attachments=attachments/>
        <form class="embed-composer" on:submit=move |ev| {
            ev.prevent_default();
            send.run(text.get_untracked());
        }>
            <label class="btn embed-attach">
                {i18n.t("embed-attach")}
                <input type="file" class="visually-hidden" accept="image/jpeg,image/png,image/webp,image/heic,image/heif" on:change=on_files/>
            </label>
            <input
                type="text"
                class="embed-text"
                aria-label=i18n.t("embed-placeholder")
                placeholder=i18n.t("embed-placeholder")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <button type="submit" class="btn btn-primary" disabled=move || busy.get() || uploading()>
                {move || if busy.get() { i18n.t("embed-working") } else { i18n.t("embed-send") }}
            </button>
        </form>
        {move || problem.get().map(|p| view! { <p class="embed-problem" role="alert">{p}</p> })}
        <data::YourData i18n deleted/>
        <p class="embed-terms muted">
            {i18n.t("embed-terms")} " "
            <a href="/privacy" target="_blank" rel="noopener">{i18n.t("footer-privacy")}</a>
        </p>
    }
}

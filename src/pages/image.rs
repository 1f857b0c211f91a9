//! `/image` and `/image/:id`: the chat editor. Attach a photo, type an instruction, see the result as a
//! new version under the prompt; the thread is stored on the server and survives reloads.

use crate::api::{self, ApiError};
use crate::components::attachments::{AttachmentList, Attachments, UploadSize};
use crate::components::job::JobStatus;
use crate::components::params::ParamsBar;
use crate::components::versions::{versions, VersionTree};
use crate::components::{describe, error_text, ErrorAlert};
use crate::i18n::{use_i18n, I18n};
use crate::state::session::{use_session, Session};
use crate::state::{drafts, idempotency_key};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use vinano_api::{validate, EditParams, Feedback, ImageInfo, Message, PostMessage, Rating, Role};
use wasm_bindgen::JsCast;

/// The AI Image page: the editor for signed-in people, an invitation to sign in otherwise.
#[component]
pub fn ImagePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        if session.signed_in() {
            view! { <Editor/> }.into_any()
        } else if !session.checked.get() {
            view! { <p class="page">{i18n.tr("loading")}</p> }.into_any()
        } else {
            view! {
                <section class="page narrow">
                    <h1>{i18n.tr("image-title")}</h1>
                    <p>{i18n.tr("image-need-login")}</p>
                    <div class="hero-actions">
                        <A href="/login" attr:class="btn btn-ghost">{i18n.tr("nav-login")}</A>
                        <A href="/signup" attr:class="btn btn-primary">{i18n.tr("nav-signup")}</A>
                    </div>
                </section>
            }
            .into_any()
        }
    }
}

/// Conversations fetched per page of the list.
const PAGE: u32 = 50;

#[component]
fn Editor() -> impl IntoView {
    crate::state::telemetry::track("editor_open", None);
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let navigate = use_navigate();
    let conversation_id = Memo::new(move |_| params.read().get("id"));
    let search = RwSignal::new(String::new());
    let page_size = RwSignal::new(PAGE);
    let conversations = LocalResource::new(move || {
        let (q, limit) = (search.get(), page_size.get());
        async move { api::list_conversations(&q, limit).await }
    });
    let thread = LocalResource::new(move || {
        let id = conversation_id.get();
        async move {
            match id {
                Some(id) => api::conversation(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let text = RwSignal::new(String::new());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let attachments = Attachments::new();
    // The image the next instruction edits; `None` means the latest image in the thread.
    let target = RwSignal::new(None::<ImageInfo>);
    Effect::new(move |_| {
        let id = conversation_id.get();
        target.set(None);
        // Each conversation has its own unsent draft: words and uploaded photos.
        let key = drafts::key(id.as_deref());
        text.set(drafts::load(&key).unwrap_or_default());
        attachments.switch_draft(key);
    });
    // Aspect, style and format for the next instruction: the stored defaults once they arrive.
    let params = RwSignal::new(EditParams::default());
    let preferences = LocalResource::new(api::preferences);
    Effect::new(move |_| {
        if let Some(Ok(p)) = preferences.get() {
            params.set(p.edit);
        }
    });
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    // One key per logical send: a retry after a network failure reuses it, so the server runs it once.
    let pending_key = RwSignal::new(None::<String>);
    let can_send = Memo::new(move |_| {
        !pending.get()
            && !attachments.busy()
            && (!text.with(|t| t.trim().is_empty()) || !attachments.ready().is_empty())
    });

    let add_files = move |files: Option<web_sys::FileList>| {
        let files: Vec<web_sys::File> =
            files.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        if !files.is_empty() {
            error.set(None);
            pending_key.set(None);
            attachments.add_files(files, i18n);
        }
    };

    // Both file inputs (picker and camera): attach what was chosen, then clear so the same file can be
    // chosen again.
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        add_files(input.files());
        input.set_value("");
    };

    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if attachments.busy() {
            error.set(Some(i18n.t("attach-wait")));
            return;
        }
        if attachments.has_failed() {
            error.set(Some(i18n.t("attach-remove-failed")));
            return;
        }
        let photos = attachments.ready();
        let instruction = text.get_untracked().trim().to_string();
        // Words are optional only when photos are being added.
        if !instruction.is_empty() || photos.is_empty() {
            if let Err(e) = validate::prompt(&instruction) {
                error.set(Some(i18n.problem(&e.problem)));
                return;
            }
        }
        let chosen_target = target.get_untracked().map(|t| t.id);
        let chosen_params = params.get_untracked();
        let existing = conversation_id.get_untracked();
        let thread_has_image = thread
            .get_untracked()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|d| d.messages.iter().any(|m| m.image.is_some()));
        // A poster is made from words alone; every other instruction needs a photo to work on.
        let makes_image = vinano_engine::plan(&instruction).is_ok_and(|p| p.creates_image());
        if photos.is_empty() && !thread_has_image && !makes_image {
            error.set(Some(i18n.t("image-need-photo")));
            return;
        }
        let key = pending_key.get_untracked().unwrap_or_else(idempotency_key);
        pending_key.set(Some(key.clone()));
        pending.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let id = match existing.clone() {
                    Some(id) => id,
                    None => api::create_conversation().await?.id,
                };
                // Each photo joins the thread; the instruction (if any) goes with the last one, or with the
                // chosen target when no photo was attached. Every post has its own idempotency key.
                let count = photos.len();
                let with_words = |text: String| {
                    let params = (!text.is_empty()).then_some(chosen_params);
                    (text, params)
                };
                for (i, photo) in photos.iter().enumerate() {
                    let last = i + 1 == count;
                    let (text, params) = with_words(if last { instruction.clone() } else { String::new() });
                    let body = PostMessage { text, image_id: Some(photo.id.clone()), params };
                    api::post_message(&id, &body, &format!("{key}-{i}")).await?;
                }
                if count == 0 {
                    let (text, params) = with_words(instruction);
                    let body = PostMessage { text, image_id: chosen_target, params };
                    api::post_message(&id, &body, &key).await?;
                    crate::state::telemetry::track("edit_sent", None);
                }
                Ok::<_, ApiError>(id)
            }
            .await;
            match result {
                Ok(id) => {
                    text.set(String::new());
                    drafts::save(&drafts::key(existing.as_deref()), "");
                    attachments.clear();
                    target.set(None);
                    pending_key.set(None);
                    if existing.is_none() {
                        navigate(&format!("/image/{id}"), Default::default());
                    } else {
                        thread.refetch();
                    }
                    conversations.refetch();
                }
                Err(e) => {
                    forget_expired_session(session, &e);
                    error.set(Some(error_text(i18n, &e)));
                }
            }
            pending.set(false);
        });
    };

    // A job finished or was queued again: show the thread as it now is.
    let refresh = Callback::new(move |()| {
        thread.refetch();
        conversations.refetch();
    });

    // Regenerate: the same instruction on the same parent, as a new sibling version; the old one stays.
    let regenerate = Callback::new(move |(prompt, parent): (String, String)| {
        let Some(id) = conversation_id.get_untracked() else { return };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let body = PostMessage { text: prompt, image_id: Some(parent), params: Some(params.get_untracked()) };
        leptos::task::spawn_local(async move {
            match api::post_message(&id, &body, &idempotency_key()).await {
                Ok(_) => thread.refetch(),
                Err(e) => {
                    forget_expired_session(session, &e);
                    error.set(Some(error_text(i18n, &e)));
                }
            }
            pending.set(false);
        });
    });

    // Keep the newest message in view when the thread changes (after a send, or on opening).
    Effect::new(move |_| {
        if thread.with(|t| t.as_ref().is_some_and(Result::is_ok)) {
            if let Ok(Some(last)) = document().query_selector(".thread > li:last-child") {
                last.scroll_into_view_with_bool(false);
            }
        }
    });

    view! {
        <div class="editor">
            <aside class="conversations" aria-labelledby="conversations-heading">
                <h2 id="conversations-heading">{i18n.tr("image-conversations")}</h2>
                <A href="/image" attr:class="btn btn-ghost new-conversation">{i18n.tr("image-new")}</A>
                <A href="/images" attr:class="library-link">{i18n.tr("library-title")}</A>
                <label for="conversation-search" class="visually-hidden">{i18n.tr("image-search")}</label>
                <input
                    id="conversation-search"
                    type="search"
                    class="search"
                    placeholder=i18n.tr("image-search-placeholder")
                    prop:value=move || search.get()
                    on:input=move |ev| {
                        page_size.set(PAGE);
                        search.set(event_target_value(&ev));
                    }
                />
                {move || match conversations.get() {
                    None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        let key = if search.with(String::is_empty) { "image-no-conversations" } else { "image-no-matches" };
                        view! { <p class="muted">{i18n.t(key)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        let more = list.len() as u32 >= page_size.get_untracked();
                        view! {
                            <ul class="conversation-list">
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        view! { <li><A href=format!("/image/{}", c.id)>{c.title}</A></li> }
                                    })
                                    .collect_view()}
                            </ul>
                            <Show when=move || more>
                                <button type="button" class="btn btn-ghost btn-small" on:click=move |_| page_size.update(|n| *n += PAGE)>
                                    {i18n.tr("image-show-more")}
                                </button>
                            </Show>
                        }
                            .into_any()
                    }
                }}
            </aside>
            <section
                class="chat"
                class:dragging=move || dragging.get()
                aria-labelledby="chat-heading"
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    let has_files = ev.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0));
                    if has_files {
                        ev.prevent_default();
                        dragging.set(true);
                    }
                }
                on:dragleave=move |ev: leptos::ev::DragEvent| {
                    // Only when leaving the section, not when moving between its children.
                    let inside = ev
                        .related_target()
                        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                        .zip(ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()))
                        .is_some_and(|(to, section)| section.contains(Some(&to)));
                    if !inside {
                        dragging.set(false);
                    }
                }
                on:drop=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    add_files(ev.data_transfer().and_then(|d| d.files()));
                }
                on:paste=move |ev: leptos::ev::ClipboardEvent| {
                    // Pasted images become attachments; pasted text goes into the box as usual.
                    let files = ev.clipboard_data().and_then(|d| d.files());
                    if files.as_ref().is_some_and(|f| f.length() > 0) {
                        ev.prevent_default();
                        add_files(files);
                    }
                }
            >
                <Show when=move || dragging.get()>
                    <div class="drop-overlay" aria-hidden="true">{i18n.tr("attach-drop")}</div>
                </Show>
                <h1 id="chat-heading" class="visually-hidden">{i18n.tr("image-title")}</h1>
                {move || {
                    thread
                        .get()
                        .and_then(|r| r.ok().flatten())
                        .map(|d| view! { <ConversationHeader conversation=d.conversation thread=thread conversations=conversations/> })
                }}
                <div class="thread-scroll">
                    {move || match thread.get() {
                        None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                        Some(Err(ApiError::Server { status: 404, .. })) => {
                            view! { <p class="alert" role="alert">{i18n.tr("image-not-found")}</p> }.into_any()
                        }
                        Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                        Some(Ok(Some(detail))) if !detail.messages.is_empty() => {
                            let tree = view! { <VersionTree versions=versions(&detail.messages) target=target/> };
                            // Each reply names its prompt: pair them so a result can be regenerated.
                            let prompts: std::collections::HashMap<String, String> = detail
                                .messages
                                .iter()
                                .filter(|m| m.role == Role::User)
                                .map(|m| (m.id.clone(), m.text.clone()))
                                .collect();
                            let items = detail
                                .messages
                                .into_iter()
                                .map(|m| {
                                    let asked = m.reply_to.as_ref().and_then(|p| prompts.get(p).cloned());
                                    view! {
                                        <MessageItem
                                            message=m
                                            target=target
                                            prompt=asked
                                            regenerate=regenerate
                                            busy=pending
                                            refresh=refresh
                                        />
                                    }
                                })
                                .collect_view();
                            view! {
                                {tree}
                                <ol class="thread" aria-live="polite">{items}</ol>
                            }
                                .into_any()
                        }
                        Some(Ok(_)) => view! { <p class="empty-hint">{i18n.tr("image-empty-thread")}</p> }.into_any(),
                    }}
                </div>
                <form class="composer" on:submit=send node_ref=form_ref>
                    <AttachmentList attachments=attachments/>
                    {move || {
                        let chosen = target.get()?;
                        if attachments.items.with(|items| !items.is_empty()) {
                            return None;
                        }
                        let what = describe(i18n, &chosen);
                        Some(view! {
                            <div class="attachment target-chip">
                                <img src=chosen.url() alt="" class="attachment-thumb"/>
                                <span>{i18n.t_args("image-target-chip", [("what", what.into())])}</span>
                                <button
                                    type="button"
                                    class="btn btn-ghost btn-small"
                                    aria-label=i18n.tr("image-target-clear")
                                    on:click=move |_| target.set(None)
                                >
                                    "×"
                                </button>
                            </div>
                        })
                    }}
                    <div class="composer-row">
                        <label class="btn btn-ghost file-button">
                            <span>{i18n.tr("image-attach")}</span>
                            <input
                                type="file"
                                class="visually-hidden"
                                accept="image/jpeg,image/png,image/webp,image/heic,image/heif"
                                multiple
                                on:change=pick
                            />
                        </label>
                        <label class="btn btn-ghost file-button camera-button">
                            <span>{i18n.tr("attach-camera")}</span>
                            <input
                                type="file"
                                class="visually-hidden"
                                accept="image/*"
                                capture="environment"
                                on:change=pick
                            />
                        </label>
                        <label for="instruction" class="visually-hidden">{i18n.tr("image-instruction")}</label>
                        <textarea
                            id="instruction"
                            name="instruction"
                            rows="2"
                            maxlength=validate::PROMPT_MAX.to_string()
                            placeholder=i18n.tr("image-instruction-placeholder")
                            aria-describedby="instruction-hint"
                            prop:value=move || text.get()
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                drafts::save(&drafts::key(conversation_id.get_untracked().as_deref()), &value);
                                text.set(value);
                            }
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                // Enter sends; Shift+Enter is a newline; Enter that confirms an IME
                                // composition (Chinese, Japanese input) must not send.
                                if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                    ev.prevent_default();
                                    if let Some(form) = form_ref.get_untracked() {
                                        let _ = form.request_submit();
                                    }
                                }
                            }
                        ></textarea>
                        <button
                            type="submit"
                            class="btn btn-primary"
                            disabled=move || !can_send.get()
                            aria-describedby="send-hint"
                        >
                            {move || if pending.get() { i18n.t("image-sending") } else { i18n.t("image-send") }}
                        </button>
                    </div>
                    <ParamsBar params=params/>
                    <div class="composer-options">
                        <UploadSize attachments=attachments/>
                        <small id="instruction-hint" class="hint">{i18n.tr("image-enter-hint")}</small>
                        <small id="send-hint" class="hint" role="status">
                            {move || {
                                if pending.get() {
                                    String::new()
                                } else if attachments.busy() {
                                    i18n.t("attach-wait")
                                } else if !can_send.get() {
                                    i18n.t("image-send-hint")
                                } else {
                                    String::new()
                                }
                            }}
                        </small>
                    </div>
                    <ErrorAlert message=error/>
                </form>
            </section>
        </div>
    }
}

type ThreadResource = LocalResource<Result<Option<vinano_api::ConversationDetail>, ApiError>>;
type ListResource = LocalResource<Result<Vec<vinano_api::Conversation>, ApiError>>;

/// The open conversation's title with rename and delete.
#[component]
fn ConversationHeader(
    /// The open conversation.
    conversation: vinano_api::Conversation,
    /// The thread, refreshed after a rename.
    thread: ThreadResource,
    /// The list, refreshed after a rename or delete.
    conversations: ListResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let editing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let title_ref = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = title_ref.get() {
            let _ = input.focus();
        }
    });
    let id = StoredValue::new(conversation.id.clone());
    let title = conversation.title.clone();
    let commercial = RwSignal::new(conversation.commercial);

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new_title = title_ref.get_untracked().map(|i| i.value()).unwrap_or_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::rename_conversation(&id.get_value(), &new_title).await {
                Ok(_) => {
                    editing.set(false);
                    error.set(None);
                    thread.refetch();
                    conversations.refetch();
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    let delete = move |_| {
        let confirmed = window().confirm_with_message(&i18n.t("image-delete-confirm")).unwrap_or(false);
        if !confirmed || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::delete_conversation(&id.get_value()).await {
                Ok(kept) => {
                    // Some content is kept for legal reasons: the person is told so.
                    if let Some(note) = kept {
                        let _ = window().alert_with_message(&note);
                    }
                    conversations.refetch();
                    navigate("/image", Default::default());
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="conversation-header">
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <h2 class="conversation-title">{title.clone()}</h2>
                        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| editing.set(true)>
                            {i18n.tr("image-rename")}
                        </button>
                    }
                }
            >
                <form class="rename-form" on:submit=save>
                    <label for="rename-title" class="visually-hidden">{i18n.tr("image-rename-label")}</label>
                    <input id="rename-title" node_ref=title_ref value=conversation.title.clone() maxlength="200"/>
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || busy.get()>
                        {i18n.tr("image-rename-save")}
                    </button>
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| editing.set(false)>
                        {i18n.tr("image-rename-cancel")}
                    </button>
                </form>
            </Show>
            <div class="check conversation-commercial">
                <input
                    id="conversation-commercial"
                    type="checkbox"
                    prop:checked=move || commercial.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        leptos::task::spawn_local(async move {
                            match api::set_conversation_commercial(&id.get_value(), on).await {
                                Ok(c) => commercial.set(c.commercial),
                                Err(e) => error.set(Some(error_text(i18n, &e))),
                            }
                        });
                    }
                />
                <label for="conversation-commercial">{i18n.tr("image-conversation-commercial")}</label>
            </div>
            <button type="button" class="btn btn-ghost btn-small danger" on:click=delete disabled=move || busy.get()>
                {i18n.tr("image-delete")}
            </button>
            <ErrorAlert message=error/>
        </div>
    }
}

/// Deleting a version, or the image with every version of it.
#[component]
fn ImageDelete(
    /// The version.
    id: String,
    /// Reloads the thread afterwards.
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let error = RwSignal::new(None::<String>);
    let run = move |all: bool| {
        let question = if all { "image-delete-all-confirm" } else { "image-delete-version-confirm" };
        if !window().confirm_with_message(&i18n.t(question)).unwrap_or(false) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::delete_image(&id.get_value(), all).await {
                Ok(done) => {
                    if let Some(note) = done.message {
                        let _ = window().alert_with_message(&note);
                    }
                    refresh.run(());
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <details class="delete-menu">
            <summary class="btn btn-ghost btn-small">{i18n.tr("image-delete-menu")}</summary>
            <button type="button" class="btn btn-ghost btn-small danger" on:click=move |_| run(false)>{i18n.tr("image-delete-version")}</button>
            <button type="button" class="btn btn-ghost btn-small danger" on:click=move |_| run(true)>{i18n.tr("image-delete-all")}</button>
            <ErrorAlert message=error/>
        </details>
    }
}

/// An image's privacy flags: commercial use (never used for AI training), and, for a commercial image,
/// the separate consent to use it anyway.
#[component]
fn ImagePrivacy(
    /// The version.
    image: ImageInfo,
) -> impl IntoView {
    let i18n = use_i18n();
    let commercial = RwSignal::new(image.commercial);
    let consent = RwSignal::new(image.training_consent);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(image.id.clone());
    let send = move |flags: vinano_api::ImageFlags| {
        leptos::task::spawn_local(async move {
            match api::flag_image(&id.get_value(), &flags).await {
                Ok(info) => {
                    commercial.set(info.commercial);
                    consent.set(info.training_consent);
                    error.set(None);
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let commercial_id = format!("commercial-{}", image.id);
    let consent_id = format!("consent-{}", image.id);
    view! {
        <details class="privacy-menu">
            <summary class="btn btn-ghost btn-small">{i18n.tr("image-privacy")}</summary>
            <div class="check">
                <input
                    id=commercial_id.clone()
                    type="checkbox"
                    prop:checked=move || commercial.get()
                    on:change=move |ev| send(vinano_api::ImageFlags { commercial: Some(event_target_checked(&ev)), training_consent: None })
                />
                <label for=commercial_id>{i18n.tr("image-commercial")}</label>
            </div>
            <Show when=move || commercial.get()>
                <div class="check">
                    <input
                        id=consent_id.clone()
                        type="checkbox"
                        prop:checked=move || consent.get()
                        on:change=move |ev| send(vinano_api::ImageFlags { commercial: None, training_consent: Some(event_target_checked(&ev)) })
                    />
                    <label for=consent_id.clone()>{i18n.tr("image-training-consent")}</label>
                </div>
            </Show>
            <ErrorAlert message=error/>
        </details>
    }
}

/// A 401 means the session ended (expired, or logged out elsewhere): show the signed-out state.
fn forget_expired_session(session: Session, error: &ApiError) {
    if matches!(error, ApiError::Server { code: vinano_api::ErrorCode::Unauthenticated, .. }) {
        session.me.set(None);
    }
}

/// One message: the prompt with its target photo, or ViNano's reply with the result.
#[component]
fn MessageItem(
    /// The message to show.
    message: Message,
    /// The image chosen for the next edit.
    target: RwSignal<Option<ImageInfo>>,
    /// For a reply: the instruction it answered.
    prompt: Option<String>,
    /// Runs an instruction again on a parent: `(prompt, parent id)`.
    regenerate: Callback<(String, String)>,
    /// True while a request is running (regenerate waits).
    busy: RwSignal<bool>,
    /// Reloads the thread (when a job finishes).
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let job = message.job.clone().map(|job| view! { <JobStatus job=job finished=refresh/> });
    let (who, class) = match message.role {
        Role::User => (i18n.t("image-you"), "msg msg-user"),
        Role::Assistant => (i18n.t("image-assistant"), "msg msg-assistant"),
    };
    let image = message.image.map(|img| {
        view! { <VersionImage role=message.role image=img target=target prompt=prompt regenerate=regenerate busy=busy refresh=refresh/> }
    });
    view! {
        <li class=class>
            <span class="msg-author">{who}</span>
            // User text is rendered as text, never as HTML.
            <p class="msg-text">{message.text}</p>
            {image}
            {job}
        </li>
    }
}

/// An image version in the thread, with how it was made and what can be done with it.
#[component]
fn VersionImage(
    /// Who posted it: the user's target or ViNano's result.
    role: Role,
    /// The version.
    image: ImageInfo,
    /// The image chosen for the next edit.
    target: RwSignal<Option<ImageInfo>>,
    /// For a result: the instruction that made it.
    prompt: Option<String>,
    /// Runs an instruction again on a parent: `(prompt, parent id)`.
    regenerate: Callback<(String, String)>,
    /// True while a request is running.
    busy: RwSignal<bool>,
    /// Reloads the thread (after a deletion).
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let class = match role {
        Role::User => "msg-image original",
        Role::Assistant => "msg-image result",
    };
    let alt = describe(i18n, &image);
    let url = image.url();
    // A clip (an animated GIF from the local engine, an MP4 from a video model) downloads as itself; stills
    // in any of the three formats.
    let privacy_image = image.clone();
    let expiry_image = image.clone();
    let delete_id = image.id.clone();
    let is_video = image.content_type.starts_with("video/");
    let is_clip = image.content_type == "image/gif" || is_video;
    let formats: &[(&str, &str)] =
        if is_clip { &[] } else { &[("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WebP")] };
    let clip_link = is_clip.then(|| {
        let href = format!("{}?download=1", image.url());
        let name = if is_video { "MP4" } else { "GIF" };
        view! {
            <li>
                <a href=href download aria-label=i18n.t_args("image-download-as", [("format", name.into())])>{name}</a>
            </li>
        }
    });
    let downloads = formats
        .iter()
        .map(|&(format, name)| {
            view! {
                <li>
                    <a href=image.download_url(format) download aria-label=i18n.t_args("image-download-as", [("format", name.into())])>
                        {name}
                    </a>
                </li>
            }
        })
        .collect_view();
    let regenerate_view =
        prompt.zip(image.parent_id.clone()).filter(|_| role == Role::Assistant).map(|pair| {
            let pair = StoredValue::new(pair);
            view! {
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    disabled=move || busy.get()
                    on:click=move |_| regenerate.run(pair.get_value())
                >
                    {i18n.tr("image-regenerate")}
                </button>
            }
        });
    let generation = image.generation.clone().map(|g| {
        let line = i18n.t_args(
            "image-generation",
            [
                ("steps", g.steps.join(" → ").into()),
                ("provider", provider_name(i18n, &g.provider).into()),
                ("ms", g.duration_ms.into()),
            ],
        );
        view! { <p class="generation muted">{line}</p> }
    });
    let id = image.id.clone();
    let selected = Memo::new(move |_| target.with(|t| t.as_ref().is_some_and(|t| t.id == id)));
    let (width, height) = (image.width, image.height);
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
            <video src=url.clone() aria-label=alt class=class width=width height=height controls loop muted playsinline></video>
        }
        .into_any()
    } else {
        view! { <img src=url.clone() alt=alt class=class width=width height=height/> }.into_any()
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
    let rating_view = (role == Role::Assistant).then(|| {
        view! { <RateResult image_id=image.id.clone() initial=image.feedback.clone()/> }
    });
    view! {
        <div class="picture" data-version=image.id.clone()>{picture} {compare_view}</div>
        {generation}
        <p class="muted expires">{crate::components::expiry_text(i18n, &expiry_image)}</p>
        {rating_view}
        <div class="image-actions">
            <Show when=move || !is_clip>
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    aria-pressed=move || selected.get().to_string()
                    on:click={
                        let image = image.clone();
                        move |_| target.set(Some(image.clone()))
                    }
                >
                    {move || if selected.get() { i18n.t("image-target-selected") } else { i18n.t("image-use-target") }}
                </button>
            </Show>
            <details class="download-menu">
                <summary class="btn btn-ghost btn-small">{i18n.tr("image-download")}</summary>
                <ul>{downloads} {clip_link}</ul>
            </details>
            <ImagePrivacy image=privacy_image/>
            <ImageDelete id=delete_id refresh=refresh/>
            {regenerate_view}
            <Show when=move || has_before>
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    aria-pressed=move || comparing.get().to_string()
                    on:click=move |_| comparing.update(|c| *c = !*c)
                >
                    {move || if comparing.get() { i18n.t("image-compare-close") } else { i18n.t("image-compare") }}
                </button>
            </Show>
        </div>
    }
}

const THUMB_UP: &str = "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3";
const THUMB_DOWN: &str = "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17";

/// Thumbs up/down and an optional comment on a result, stored as feedback on the server.
#[component]
fn RateResult(
    /// The result being rated.
    image_id: String,
    /// The rating given earlier, if any.
    initial: Option<Feedback>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rating = RwSignal::new(initial.as_ref().map(|f| f.rating));
    let comment = RwSignal::new(initial.and_then(|f| f.comment).unwrap_or_default());
    let commenting = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(image_id);

    let save = move |new_rating: Option<Rating>| {
        let text = comment.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match new_rating {
                Some(r) => {
                    let comment = (!text.trim().is_empty()).then_some(text);
                    api::rate_image(&id.get_value(), &Feedback { rating: r, comment }).await.map(|_| ())
                }
                None => api::unrate_image(&id.get_value()).await,
            };
            match result {
                Ok(()) => {
                    rating.set(new_rating);
                    error.set(None);
                    status.set(new_rating.map(|_| i18n.t("feedback-thanks")));
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let thumb = move |r: Rating, key: &'static str, path: &'static str| {
        view! {
            <button
                type="button"
                class="btn btn-ghost btn-small"
                aria-label=i18n.tr(key)
                title=i18n.tr(key)
                aria-pressed=move || (rating.get() == Some(r)).to_string()
                on:click=move |_| save(if rating.get_untracked() == Some(r) { None } else { Some(r) })
            >
                // Feather icons (MIT): drawn, so they show even where no emoji font is installed.
                <svg
                    aria-hidden="true"
                    width="18"
                    height="18"
                    viewBox="0 0 24 24"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                >
                    <path d=path></path>
                </svg>
            </button>
        }
    };
    let submit_comment = move |ev: SubmitEvent| {
        ev.prevent_default();
        commenting.set(false);
        save(rating.get_untracked());
    };

    view! {
        <div class="rating">
            {thumb(Rating::Up, "feedback-up", THUMB_UP)}
            {thumb(Rating::Down, "feedback-down", THUMB_DOWN)}
            <Show when=move || rating.get().is_some() && !commenting.get()>
                <button type="button" class="btn btn-ghost btn-small" on:click=move |_| commenting.set(true)>
                    {i18n.tr("feedback-comment")}
                </button>
            </Show>
            <p class="muted" role="status">{move || status.get()}</p>
        </div>
        <Show when=move || commenting.get()>
            <form class="comment-form" on:submit=submit_comment>
                <label class="visually-hidden" for=format!("comment-{}", id.get_value())>
                    {i18n.tr("feedback-comment-label")}
                </label>
                <textarea
                    id=format!("comment-{}", id.get_value())
                    rows="2"
                    maxlength="1000"
                    prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" class="btn btn-primary btn-small">{i18n.tr("feedback-comment-save")}</button>
            </form>
        </Show>
        <ErrorAlert message=error/>
    }
}

fn provider_name(i18n: I18n, provider: &str) -> String {
    match provider {
        "local" => i18n.t("provider-local"),
        other => other.to_string(),
    }
}

//! `/image` and `/image/:id`: the chat editor. Attach a photo, type an instruction, see the result as a
//! new version under the prompt; the thread is stored on the server and survives reloads.
//!
//! One file per part of the screen: `sidebar.rs` (the conversation list), `header.rs` (title, rename,
//! share, delete), `thread.rs` (messages and versions, with `versions.rs` and `job.rs`), `actions.rs` (rate,
//! privacy and delete on a version), `composer.rs` (attach, type, send, with `params.rs`) and the rules of
//! a send, testable without a browser, in `send.rs`; the selection brush in `mask.rs`; photos shared to the installed app arrive through
//! `shared.rs`. The parts share the editor's state through
//! [`EditorCtx`].

mod actions;
mod composer;
mod device;
mod header;
mod job;
mod link;
mod mask;
mod menu;
mod params;
mod pick_preset;
mod preset;
mod send;
mod shared;
mod shortcuts;
mod sidebar;
mod suggest;
mod thread;
mod variants;
mod versions;
mod viewer;
mod zoom;

use crate::api::{self, ApiError};
use crate::components::attachments::Attachments;
use crate::components::error_text;
use crate::components::form::Submit;
use crate::components::signed_in::RequireSignIn;
use crate::i18n::use_i18n;
use crate::state::{drafts, idempotency_key};
use composer::Composer;
use header::ConversationHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use sidebar::Sidebar;
use thread::Thread;
use vinano_api::{EditParams, ImageInfo, PostMessage};
use wasm_bindgen::JsCast;

/// The AI Image page: the editor for signed-in people, an invitation to sign in otherwise.
#[component]
pub fn ImagePage() -> impl IntoView {
    view! {
        <RequireSignIn need="image-need-login" title="image-title">
            <Editor/>
        </RequireSignIn>
    }
}

/// Conversations fetched per page of the list (`index.html` asks for the first page while the app downloads:
/// its `limit=50` must stay the same, or the list is fetched twice — `chunks.spec.ts` checks).
const PAGE: u32 = 50;

type ThreadResource = LocalResource<Result<Option<vinano_api::ConversationDetail>, ApiError>>;
type ListResource = LocalResource<Result<Vec<vinano_api::Conversation>, ApiError>>;
type CreditsResource = LocalResource<Result<vinano_api::Credits, ApiError>>;

/// What the parts of the editor share, provided as context by the editor.
#[derive(Clone, Copy)]
pub struct EditorCtx {
    /// The image the next instruction edits; `None` means the latest image in the thread.
    pub target: RwSignal<Option<ImageInfo>>,
    /// The editor's sending (an instruction, a regeneration): one at a time, its failure under the
    /// composer.
    pub send: Submit,
    /// Reloads the thread and the conversation list (a job finished, a version was deleted).
    pub refresh: Callback<()>,
    /// Runs an instruction again on a parent, as a new sibling version: `(prompt, parent id)`.
    pub regenerate: Callback<(String, String)>,
    /// The version shown in the full-screen viewer, if it is open.
    pub viewing: RwSignal<Option<String>>,
    /// The composer's words (a suggestion tapped in the thread puts its words here).
    pub draft: RwSignal<String>,
    /// The person's plan and credits (shown at the top; the composer prices the next send with them).
    pub credits: CreditsResource,
    /// The version the selection brush is open on, if it is.
    pub brushing: RwSignal<Option<ImageInfo>>,
    /// The brushed selection the next instruction works in.
    pub selection: RwSignal<Option<mask::Brushed>>,
    /// "Edit on this device": whether it is on, and the versions made here.
    pub device: device::DeviceCtx,
    /// What the "Share a link" dialog is making a link for, while it is open.
    pub sharing: RwSignal<Option<link::ShareWhat>>,
    /// Home started this conversation: the composer sends what it handed over once the photos are ready.
    pub starting: RwSignal<bool>,
    /// The AI Tools form that started this conversation, sent with the next instruction (then cleared).
    pub tool: RwSignal<Option<vinano_api::Tool>>,
    /// The preset (My presets) that started this conversation, sent with the next instruction (then
    /// cleared).
    pub preset: RwSignal<Option<String>>,
    /// The version "Save as a preset" is saving (its id and a name to start from), while its dialog is open.
    pub saving_preset: RwSignal<Option<(String, String)>>,
}

/// The editor's shared state.
fn use_editor() -> EditorCtx {
    expect_context::<EditorCtx>()
}

/// The editor: the conversation list, the open thread and the composer.
#[component]
fn Editor() -> impl IntoView {
    crate::state::telemetry::track("editor_open", None);
    let i18n = use_i18n();
    let params = use_params_map();
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
    let attachments = Attachments::new();
    let target = RwSignal::new(None::<ImageInfo>);
    Effect::new(move |_| {
        let id = conversation_id.get();
        target.set(None);
        // Each conversation has its own unsent draft: words and uploaded photos.
        let key = drafts::key(id.as_deref());
        text.set(drafts::load(&key).unwrap_or_default());
        attachments.switch_draft(key);
    });
    // What Home handed over (words, photos): a new conversation starts with them, sent once the photos are
    // ready (the composer sends; a photo that can't be used stops it, with its reason shown).
    let starting = RwSignal::new(false);
    let tool = RwSignal::new(None::<vinano_api::Tool>);
    let preset = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if conversation_id.with(Option::is_none) {
            if let Some(start) = crate::state::start::take() {
                // What Home started replaces an unsent draft of a new conversation.
                attachments.clear();
                text.set(start.text);
                attachments.add_files(start.files, i18n);
                tool.set(start.tool);
                preset.set(start.preset);
                if let Some(image) = start.image {
                    target.set(Some(image));
                }
                starting.set(true);
            }
        }
    });
    // Edit on this device: the choice remembered for the conversation (or this browser's default). Versions
    // made here belong to the conversation they were made in; the first save into a new one keeps them.
    let device = device::DeviceCtx::new();
    Effect::new(move |previous: Option<Option<String>>| {
        let id = conversation_id.get();
        if previous.is_some() {
            device.clear();
            device.restore();
        }
        device.on.set(crate::state::on_device::for_conversation(id.as_deref()));
        id
    });
    // Aspect, style and format for the next instruction: the stored defaults once they arrive.
    let params = RwSignal::new(EditParams::default());
    let preferences = LocalResource::new(api::preferences);
    Effect::new(move |_| {
        if let Some(Ok(p)) = preferences.get() {
            params.set(p.edit);
        }
    });
    let send = Submit::new();
    let error = send.errors.general;
    let dragging = RwSignal::new(false);
    // The conversation list over the thread, on phones; closed again when another conversation opens.
    let drawer = RwSignal::new(false);
    Effect::new(move |_| {
        conversation_id.track();
        drawer.set(false);
    });
    // One key per logical send: a retry after a network failure reuses it, so the server runs it once.
    let pending_key = RwSignal::new(None::<String>);

    let add_files = Callback::new(move |files: Option<web_sys::FileList>| {
        let files: Vec<web_sys::File> =
            files.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        if files.is_empty() {
            return;
        }
        error.set(None);
        if device.on.get_untracked() {
            device::attach(device, files, i18n, error);
        } else {
            pending_key.set(None);
            attachments.add_files(files, i18n);
        }
    });

    shared::receive(i18n, attachments, error);

    // A job finished or was queued again: show the thread as it now is.
    let refresh = Callback::new(move |()| {
        thread.refetch();
        conversations.refetch();
    });

    // Regenerate: the same instruction on the same parent, as a new sibling version; the old one stays.
    let regenerate = Callback::new(move |(prompt, parent): (String, String)| {
        let Some(id) = conversation_id.get_untracked() else { return };
        let body = PostMessage {
            text: prompt,
            image_id: Some(parent),
            params: Some(params.get_untracked()),
            selection: None,
            references: vec![],
            tool: None,
            preset: None,
        };
        send.attempt(async move { api::post_message(&id, &body, &idempotency_key()).await }, move |answer| {
            match answer {
                Ok(_) => thread.refetch(),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    });
    // A version made on this device was saved: a new conversation opens, an open one shows it.
    let navigate = leptos_router::hooks::use_navigate();
    let device_saved = Callback::new(move |id: String| {
        if conversation_id.get_untracked().as_deref() == Some(id.as_str()) {
            thread.refetch();
        } else {
            // The first save started the conversation: it edits on this device too, with the rest.
            crate::state::on_device::set_for_conversation(Some(&id), true);
            device.carry();
            navigate(&format!("/image/{id}"), Default::default());
        }
        conversations.refetch();
    });
    let viewing = RwSignal::new(None::<String>);
    // Read again whenever the thread is read again: a send reserved some, a failed edit gave some back. Not
    // when it first comes in: they were read with it (index.html asks for both while the app downloads).
    let credits = LocalResource::new(api::credits);
    Effect::new(move |had_thread: Option<bool>| {
        let has_thread = thread.with(Option::is_some);
        if had_thread == Some(true) {
            credits.refetch();
        }
        has_thread
    });
    let brushing = RwSignal::new(None::<ImageInfo>);
    let selection = RwSignal::new(None::<mask::Brushed>);
    // A selection belongs to the version it was brushed on: choosing another one drops it.
    Effect::new(move |_| {
        let chosen = target.with(|t| t.as_ref().map(|t| t.id.clone()));
        let brushed = selection.with_untracked(|s| s.as_ref().map(|s| s.image_id.clone()));
        if chosen.is_some() && brushed.is_some() && chosen != brushed {
            selection.set(None);
        }
    });
    let sharing = RwSignal::new(None);
    let saving_preset = RwSignal::new(None);
    provide_context(EditorCtx {
        target,
        send,
        refresh,
        regenerate,
        viewing,
        draft: text,
        credits,
        brushing,
        selection,
        device,
        sharing,
        starting,
        tool,
        preset,
        saving_preset,
    });
    let help = RwSignal::new(false);
    shortcuts::use_shortcuts(thread, help);

    // Keep the newest message in view when the thread changes (after a send, or on opening): the thread
    // scrolls to its end once the new messages are laid out.
    let thread_ref = NodeRef::<leptos::html::Div>::new();
    // Whether the thread follows its end: yes after a change, no once the person scrolls up to read. Only
    // the person's own scrolling (wheel, touch, keys, the scroll bar) can stop it: a scroll the page causes
    // (content replaced, the window resized) never does.
    let follow = RwSignal::new(true);
    let touched = StoredValue::new(false);
    let to_end = move || {
        if let Some(scroller) = thread_ref.get_untracked() {
            touched.set_value(false);
            scroller.set_scroll_top(scroller.scroll_height());
        }
    };
    Effect::new(move |_| {
        if thread.with(|t| t.as_ref().is_some_and(Result::is_ok)) {
            follow.set(true);
            request_animation_frame(to_end);
        }
    });
    // The end moves when images take their height as they load, and the thread's window shrinks when the
    // title above it or the composer below it grows: a following thread moves with it.
    Effect::new(move |_| {
        let Some(scroller) = thread_ref.get() else { return };
        let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if follow.get_untracked() {
                to_end();
            }
        });
        let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else { return };
        observer.observe(&scroller);
        if let Some(content) = scroller.first_element_child() {
            observer.observe(&content);
        }
        let held = send_wrapper::SendWrapper::new((observer, on_resize));
        on_cleanup(move || held.0.disconnect());
    });

    view! {
        <div class="editor">
            <Sidebar search=search page_size=page_size conversations=conversations open=drawer shortcuts=help/>
            <shortcuts::ShortcutsHelp open=help/>
            <link::ShareDialog sharing=sharing/>
            <preset::PresetDialog saving=saving_preset/>
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
                    add_files.run(ev.data_transfer().and_then(|d| d.files()));
                }
                on:paste=move |ev: leptos::ev::ClipboardEvent| {
                    // Pasted images become attachments; pasted text goes into the box as usual.
                    let files = ev.clipboard_data().and_then(|d| d.files());
                    if files.as_ref().is_some_and(|f| f.length() > 0) {
                        ev.prevent_default();
                        add_files.run(files);
                    }
                }
            >
                <Show when=move || dragging.get()>
                    <div class="drop-overlay" aria-hidden="true">{i18n.tr("attach-drop")}</div>
                </Show>
                <h1 id="chat-heading" class="visually-hidden">{i18n.tr("image-title")}</h1>
                <div class="chat-top">
                    <button
                        type="button"
                        class="btn btn-ghost btn-small drawer-toggle"
                        aria-expanded=move || drawer.get().to_string()
                        on:click=move |_| drawer.set(true)
                    >
                        <span aria-hidden="true">"☰"</span>
                        <span class="drawer-label">{i18n.tr("image-conversations-open")}</span>
                    </button>
                    {move || {
                        thread
                            .get()
                            .and_then(|r| r.ok().flatten())
                            .map(|d| view! { <ConversationHeader conversation=d.conversation thread=thread conversations=conversations/> })
                    }}
                    {move || match credits.get() {
                        Some(Ok(c)) => {
                            let left = i18n.t_args("credits-balance", [("count", c.balance.max(0).into())]);
                            view! { <a class="credits-chip" href="/me#subscription" data-testid="credits">{left}</a> }
                                .into_any()
                        }
                        // Its place is kept until the answer comes: the title beside it would otherwise
                        // wrap anew then, and push the thread down.
                        None => {
                            let left = i18n.t_args("credits-balance", [("count", 100.into())]);
                            view! { <span class="credits-chip placeholder" aria-hidden="true">{left}</span> }
                                .into_any()
                        }
                        Some(Err(_)) => ().into_any(),
                    }}
                </div>
                // Hidden while an opened conversation is on its way: its title, in the row above, comes with
                // it and may take two lines, which moved this box down as it was shown (a layout shift).
                <div
                    class="thread-scroll"
                    class:arriving=move || conversation_id.get().is_some() && thread.with(Option::is_none)
                    node_ref=thread_ref
                    on:wheel=move |_| touched.set_value(true)
                    on:touchstart=move |_| touched.set_value(true)
                    on:pointerdown=move |_| touched.set_value(true)
                    on:keydown=move |_| touched.set_value(true)
                    on:scroll=move |_| {
                        if let Some(el) = thread_ref.get_untracked() {
                            let at_end = el.scroll_height() - el.scroll_top() - el.client_height() < 48;
                            if at_end || touched.get_value() {
                                follow.set(at_end);
                            }
                        }
                    }
                >
                    <div class="thread-content">
                        <Thread thread=thread/>
                        <device::LocalThread ctx=device conversation_id=conversation_id saved=device_saved/>
                    </div>
                </div>
                <mask::MaskEditor brushing=brushing done=Callback::new(move |b| selection.set(Some(b)))/>
                <Composer
                    conversation_id=conversation_id
                    thread=thread
                    conversations=conversations
                    text=text
                    attachments=attachments
                    params=params
                    pending_key=pending_key
                    add_files=add_files
                />
            </section>
        </div>
    }
}

//! The composer under the thread: attached photos, the chosen target, the instruction box (Enter sends,
//! Shift+Enter is a newline, an IME's Enter only confirms), the edit settings, and sending (its rules are
//! in `send.rs`).

use super::params::{Settings, SettingsButton};
use super::send::{self, Draft};
use super::{use_editor, ListResource, ThreadResource};
use crate::api::{self, ApiError};
use crate::components::attachments::{AttachmentList, Attachments};
use crate::components::{describe, error_text, ErrorAlert};
use crate::i18n::use_i18n;
use crate::state::{drafts, idempotency_key};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{validate, EditParams};

/// The form that sends an instruction and photos.
#[component]
pub(super) fn Composer(
    /// The open conversation (`None`: the first send starts one).
    conversation_id: Memo<Option<String>>,
    /// The open thread, reloaded after a send.
    thread: ThreadResource,
    /// The conversation list, reloaded after a send.
    conversations: ListResource,
    /// The unsent words (kept per conversation as a draft).
    text: RwSignal<String>,
    /// The attached photos.
    attachments: Attachments,
    /// Aspect, style and format for the next instruction.
    params: RwSignal<EditParams>,
    /// The key of the send being tried (a retry reuses it; attaching another photo starts a new one).
    pending_key: RwSignal<Option<String>>,
    /// Attaches files (from the pickers).
    add_files: Callback<Option<web_sys::FileList>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let editor = use_editor();
    let (target, sending) = (editor.target, editor.send);
    let (brushing, selection) = (editor.brushing, editor.selection);
    // The version a selection would be brushed on: the chosen one, else the latest in the thread.
    let device = editor.device;
    let brushable = Memo::new(move |_| {
        let newest_here = device.on.get().then(|| device.newest().map(|l| l.info)).flatten();
        newest_here.or_else(|| target.get()).or_else(|| {
            thread.with(|t| match t {
                Some(Ok(Some(d))) => d.messages.iter().rev().find_map(|m| m.image.clone()),
                _ => None,
            })
        })
    });
    let (pending, error) = (sending.pending, sending.errors.general);
    // The last refusal was for want of credits: the way to more goes under its message.
    let short = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let text_ref = NodeRef::<leptos::html::Textarea>::new();
    let settings_open = RwSignal::new(false);
    let chosen_preset = RwSignal::new(None::<api::PresetChoice>);
    // A send that got no answer waits for the connection and goes again, once, with the same keys (the
    // server runs each key once); a conversation it already started is used again, not started twice.
    let queued = RwSignal::new(false);
    let started = RwSignal::new(None::<String>);
    let connectivity = crate::state::connectivity::use_connectivity();
    Effect::new(move |_| {
        if connectivity.online() && queued.get_untracked() {
            queued.set(false);
            if let Some(form) = form_ref.get_untracked() {
                let _ = form.request_submit();
            }
        }
    });
    // The box grows with its text (up to the height the style allows), and shrinks back after a send.
    Effect::new(move |_| {
        let empty = text.with(String::is_empty);
        if let Some(area) = text_ref.get() {
            let style = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&area).style();
            // Empty, it is one line (a long placeholder must not make it tall).
            let _ = style.remove_property("height");
            if !empty {
                // The text's height plus the borders (the box is sized border to border).
                let borders = area.offset_height() - area.client_height();
                let _ = style.set_property("height", &format!("{}px", area.scroll_height() + borders));
            }
        }
    });
    let can_send = Memo::new(move |_| {
        if device.on.get() {
            return !device.busy.get() && !text.with(|t| t.trim().is_empty());
        }
        !pending.get()
            && !attachments.busy()
            && (!text.with(|t| t.trim().is_empty())
                || !attachments.ready().is_empty()
                || editor.preset.with(Option::is_some))
    });

    // A conversation Home started goes out at once: when the photos it brought are uploaded (a photo that
    // can't be used stops it; the person sees why and sends when they like).
    let starting = editor.starting;
    Effect::new(move |_| {
        let Some(form) = form_ref.get() else { return };
        if !starting.get() || attachments.busy() {
            return;
        }
        starting.set(false);
        if !attachments.has_failed() && can_send.get_untracked() {
            let _ = form.request_submit();
        }
    });

    // What sending now would cost, with what is left ("about 2 credits (298 left)"), under the box.
    let price = Memo::new(move |_| {
        let credits = editor.credits.get()?.ok()?;
        let words = text.with(|t| t.trim().to_string());
        let size = target
            .get()
            .or_else(|| attachments.ready().pop())
            .or_else(|| {
                thread.with(|t| match t {
                    Some(Ok(Some(d))) => d.messages.iter().rev().find_map(|m| m.image.clone()),
                    _ => None,
                })
            })
            .map(|image| (image.width, image.height));
        let variants = params.with(|p| p.variants);
        let cost = send::estimate(&words, size, &credits.costs, credits.engines, variants)?;
        let args = [("cost", (cost as i64).into()), ("left", credits.balance.max(0).into())];
        Some(i18n.t_args("credits-estimate", args))
    });

    // Both file inputs (picker and camera): attach what was chosen, then clear so the same file can be
    // chosen again.
    let pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        add_files.run(input.files());
        input.set_value("");
    };

    // On this device: the words run in the browser on the newest version made here (or the thread's);
    // nothing is sent.
    let send_on_device = move |instruction: String| {
        if let Err(e) = validate::prompt(&instruction) {
            error.set(Some(i18n.problem(&e.problem)));
            return;
        }
        error.set(None);
        let server_base = target.get_untracked().or_else(|| {
            thread.with_untracked(|t| match t {
                Some(Ok(Some(d))) => d.messages.iter().rev().find_map(|m| m.image.clone()),
                _ => None,
            })
        });
        let brushed = selection.get_untracked();
        super::device::send(device, instruction, params.get_untracked(), brushed, server_base, i18n);
        text.set(String::new());
        drafts::save(&drafts::key(conversation_id.get_untracked().as_deref()), "");
        selection.set(None);
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let tool = editor.tool.get_untracked();
        let preset = editor.preset.get_untracked();
        // A preset chosen here, sent without words, is said by its name.
        let named = chosen_preset.with_untracked(|c| {
            c.as_ref().filter(|c| Some(&c.id) == preset.as_ref()).map(|c| c.name.clone())
        });
        let instruction = match (text.get_untracked().trim().to_string(), named) {
            (words, Some(name)) if words.is_empty() => name,
            (words, _) => words,
        };
        if device.on.get_untracked() && tool.is_none() && preset.is_none() {
            send_on_device(instruction);
            return;
        }
        let photos: Vec<String> = attachments.ready().into_iter().map(|p| p.id).collect();
        // A thread still loading (just after a reload) may well have an image: the server decides then,
        // rather than the person being told to attach one.
        let thread_has_image = match thread.get_untracked() {
            None => conversation_id.get_untracked().is_some(),
            Some(Ok(Some(d))) => d.messages.iter().any(|m| m.image.is_some()),
            Some(_) => false,
        };
        let draft = Draft {
            uploading: attachments.busy(),
            failed: attachments.has_failed(),
            photos: &photos,
            instruction: &instruction,
            // A poster tool makes its own picture, like words asking for a poster; a picture chosen to edit
            // (one of the library's, for AI Video) is the photo.
            thread_has_image: thread_has_image
                || target.with_untracked(Option::is_some)
                || matches!(&tool, Some(vinano_api::Tool::Poster(form)) if !form.photo),
        };
        if let Err(refusal) = send::check(draft) {
            let message = match (&refusal, refusal.i18n_key()) {
                (send::Refusal::Words(e), _) => i18n.problem(&e.problem),
                (_, Some(key)) => i18n.t(key),
                (_, None) => String::new(),
            };
            error.set(Some(message));
            return;
        }
        let existing = conversation_id.get_untracked();
        let key = pending_key.get_untracked().unwrap_or_else(idempotency_key);
        pending_key.set(Some(key.clone()));
        let brushed = selection.get_untracked().filter(|_| photos.is_empty()).map(|s| (s.image_id, s.png));
        let mut posts = send::posts(
            &photos,
            &instruction,
            target.get_untracked().map(|t| t.id),
            params.get_untracked(),
            brushed,
            &key,
        );
        // A tool's form goes with the words (the last post), in place of the composer's settings.
        if let (Some(tool), Some((words, _))) = (tool, posts.last_mut()) {
            words.tool = Some(tool);
            words.params = None;
        }
        // So does a preset's id: its saved steps replace the words' and the settings'.
        if let (Some(preset), Some((words, _))) = (preset, posts.last_mut()) {
            words.preset = Some(preset);
            words.params = None;
        }
        let navigate = navigate.clone();
        let start = existing.clone().or_else(|| started.get_untracked());
        let call = async move {
            let id = match start {
                Some(id) => id,
                None => {
                    let id = api::create_conversation().await?.id;
                    started.set(Some(id.clone()));
                    id
                }
            };
            for (body, key) in &posts {
                api::post_message(&id, body, key).await?;
            }
            if photos.is_empty() {
                crate::state::telemetry::track("edit_sent", None);
            }
            Ok::<_, ApiError>(id)
        };
        sending.attempt(call, move |answer| match answer {
            Ok(id) => {
                text.set(String::new());
                drafts::save(&drafts::key(existing.as_deref()), "");
                attachments.clear();
                target.set(None);
                selection.set(None);
                pending_key.set(None);
                started.set(None);
                editor.tool.set(None);
                editor.preset.set(None);
                if existing.is_none() {
                    navigate(&format!("/image/{id}"), Default::default());
                } else {
                    thread.refetch();
                }
                conversations.refetch();
            }
            Err(ApiError::Network) => {
                error.set(None);
                queued.set(true);
            }
            Err(e) => {
                short
                    .set(matches!(&e, ApiError::Server { code: vinano_api::ErrorCode::PaymentRequired, .. }));
                error.set(Some(error_text(i18n, &e)));
            }
        });
    };

    view! {
        <form class="composer" on:submit=submit node_ref=form_ref>
            <AttachmentList attachments=attachments/>
            {move || {
                let chosen = target.get()?;
                if attachments.items.with(|items| !items.is_empty()) || selection.with(Option::is_some) {
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
            {move || {
                let brushed = selection.get()?;
                if attachments.items.with(|items| !items.is_empty()) {
                    return None;
                }
                let on = brushable.get().filter(|b| b.id == brushed.image_id);
                let photo = on.as_ref().map(|i| super::device::src_of(device, i, 256));
                Some(view! {
                    <div class="attachment selection-chip">
                        <span class="selection-thumb">
                            <img src=photo alt="" class="attachment-thumb"/>
                            <img src=brushed.png.clone() alt="" class="attachment-thumb selection-overlay"/>
                        </span>
                        <span>{i18n.tr("mask-chip")}</span>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            on:click=move |_| brushing.set(on.clone())
                        >
                            {i18n.tr("mask-change")}
                        </button>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            aria-label=i18n.tr("mask-remove")
                            on:click=move |_| selection.set(None)
                        >
                            "×"
                        </button>
                    </div>
                })
            }}
            <super::pick_preset::PresetChip chosen=chosen_preset/>
            <Show when=move || device.on.get()>
                <p class="device-chip" data-testid="device-chip">
                    {i18n.tr("device-chip")}
                </p>
            </Show>
            <div class="composer-row">
                <label class="btn btn-ghost icon-button file-button" title=i18n.tr("image-attach")>
                    <span aria-hidden="true">"+"</span>
                    <input
                        type="file"
                        class="visually-hidden"
                        aria-label=i18n.tr("image-attach")
                        accept="image/jpeg,image/png,image/webp,image/heic,image/heif"
                        multiple
                        on:change=pick
                    />
                </label>
                <label class="btn btn-ghost icon-button file-button camera-button" title=i18n.tr("attach-camera")>
                    <span aria-hidden="true">"◉"</span>
                    <input
                        type="file"
                        class="visually-hidden"
                        aria-label=i18n.tr("attach-camera")
                        accept="image/*"
                        capture="environment"
                        on:change=pick
                    />
                </label>
                <label for="instruction" class="visually-hidden">{i18n.tr("image-instruction")}</label>
                <textarea
                    id="instruction"
                    name="instruction"
                    rows="1"
                    maxlength=validate::PROMPT_MAX.to_string()
                    placeholder=i18n.tr("image-instruction-placeholder")
                    aria-describedby="instruction-hint send-hint"
                    prop:value=move || text.get()
                    node_ref=text_ref
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
                <Show when=move || brushable.with(Option::is_some) && attachments.items.with(Vec::is_empty)>
                    <button
                        type="button"
                        class="btn btn-ghost icon-button brush-button"
                        title=i18n.tr("mask-open")
                        aria-label=i18n.tr("mask-open")
                        aria-pressed=move || selection.with(Option::is_some).to_string()
                        on:click=move |_| brushing.set(brushable.get_untracked())
                    >
                        <span aria-hidden="true">"✎"</span>
                    </button>
                </Show>
                <SettingsButton open=settings_open params=params/>
                <button
                    type="submit"
                    class="btn btn-primary send-button"
                    disabled=move || !can_send.get()
                >
                    <span class="send-icon" aria-hidden="true">"↑"</span>
                    <span class="send-label">
                        {move || if pending.get() { i18n.t("image-sending") } else { i18n.t("image-send") }}
                    </span>
                </button>
            </div>
            <Settings open=settings_open params=params attachments=attachments>
                <super::pick_preset::PresetChoices open=settings_open chosen=chosen_preset/>
                <super::device::DeviceSwitch ctx=device conversation_id=conversation_id/>
            </Settings>
            <small id="instruction-hint" class="visually-hidden">{i18n.tr("image-enter-hint")}</small>
            <small id="send-hint" class="hint send-hint" role="status">
                {move || {
                    if device.on.get() {
                        // Nothing is charged for what this device does.
                        if device.busy.get() { i18n.t("device-working") } else { i18n.t("device-free") }
                    } else if queued.get() {
                        i18n.t("image-send-queued")
                    } else if pending.get() {
                        String::new()
                    } else if attachments.busy() {
                        i18n.t("attach-wait")
                    } else if !can_send.get() {
                        i18n.t("image-send-hint")
                    } else {
                        price.get().unwrap_or_default()
                    }
                }}
            </small>
            <ErrorAlert message=error/>
            {move || (short.get() && error.with(Option::is_some)).then(|| view! {
                <p class="alert-action"><a href="/me#subscription">{i18n.tr("credits-see-plans")}</a></p>
            })}
        </form>
    }
}

//! `/s/:token`: what a share link shows, to anyone who has it, no account needed: one picture, or a whole
//! conversation's words and pictures. "Edit a copy in ViNano" copies a picture into the reader's own
//! account and opens it in the editor (signing in first, and coming back here). The server tells search
//! engines to leave the page and its answers alone.

use crate::api::{self, ApiError};
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::ErrorAlert;
use crate::i18n::{use_i18n, I18n};
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use vinano_api::{ImageInfo, PostMessage, Role, ShareKind, SharedImage, SharedView};

/// How a shared picture is named in alt text: the same words as the editor's, by what it is.
fn alt(i18n: I18n, image: &SharedImage) -> String {
    let info = ImageInfo {
        id: image.id.clone(),
        // Only whether it has one matters to the words.
        parent_id: image.edited.then(String::new),
        width: image.width,
        height: image.height,
        content_type: image.content_type.clone(),
        generation: image.generation.clone(),
        feedback: None,
        commercial: false,
        training_consent: false,
        expires_at: None,
    };
    crate::components::describe(i18n, &info)
}

/// The preview size a shared page's pictures come in (`SharedImage::preview_url`).
const PREVIEW: u32 = 768;

/// One shared picture (or clip), full width on a phone, its 768 px preview where that is enough.
#[component]
fn Picture(image: SharedImage) -> impl IntoView {
    let i18n = use_i18n();
    let label = alt(i18n, &image);
    if image.content_type.starts_with("video/") {
        return view! {
            <video class="shared-picture" src=image.url controls playsinline preload="metadata" aria-label=label width=image.width height=image.height></video>
        }
        .into_any();
    }
    // The preview is the picture itself when the picture is no larger (a 768w claim would shrink it).
    let longer = image.width.max(image.height).max(1);
    let larger = longer > PREVIEW;
    let srcset = larger.then(|| {
        let preview = (u64::from(image.width) * u64::from(PREVIEW)).div_ceil(u64::from(longer));
        format!("{} {preview}w, {} {}w", image.preview_url, image.url, image.width)
    });
    view! {
        <img
            class="shared-picture"
            src=if larger { image.preview_url } else { image.url }
            srcset=srcset
            sizes="(max-width: 48rem) 100vw, 46rem"
            alt=label
            width=image.width
            height=image.height
            decoding="async"
        />
    }
    .into_any()
}

/// The page.
#[component]
pub fn SharedPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let shown = LocalResource::new(move || {
        let token = token.get();
        async move { api::shared(&token).await }
    });
    view! {
        <section class="page shared">
            <Suspense fallback=move || view! { <p class="muted" role="status">{i18n.tr("shared-loading")}</p> }>
                {move || shown.get().map(|answer| match answer {
                    Ok(view) => view! { <Shared token=token.get_untracked() view=view/> }.into_any(),
                    Err(ApiError::Server { status: 404, .. }) => view! { <Gone/> }.into_any(),
                    Err(e) => {
                        let message = RwSignal::new(Some(crate::components::error_text(i18n, &e)));
                        view! {
                            <h1>{i18n.tr("shared-page-title")}</h1>
                            <ErrorAlert message=message/>
                        }
                        .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A link that doesn't work (any more): said plainly, with the way to ViNano.
#[component]
fn Gone() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{i18n.tr("shared-gone-title")}</h1>
        <p>{i18n.tr("shared-gone")}</p>
        <p><A href="/" attr:class="btn btn-primary">{i18n.tr("shared-to-vinano")}</A></p>
    }
}

/// What the link shows.
#[component]
fn Shared(token: String, view: SharedView) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let heading = match (&view.kind, &view.title) {
        (ShareKind::Conversation, Some(title)) if !title.is_empty() => title.clone(),
        (ShareKind::Conversation, _) => i18n.t("shared-conversation"),
        (ShareKind::Image, _) => i18n.t("shared-image"),
    };
    let until = match &view.expires_at {
        Some(at) => i18n.t_args("shared-until", [("date", clock.minute(at).into())]),
        None => i18n.t("shared-read-only"),
    };
    let body = match view.kind {
        ShareKind::Image => view.image.clone().map(|image| view! { <Picture image=image/> }).into_any(),
        ShareKind::Conversation => {
            let messages = view
                .messages
                .iter()
                .filter(|m| !m.text.is_empty() || m.image.is_some())
                .map(|m| {
                    let text = match m.role {
                        Role::User => m.text.clone(),
                        Role::Assistant => i18n.said(m.text_said.as_ref(), &m.text),
                    };
                    let class = match m.role {
                        Role::User => "shared-message from-user",
                        Role::Assistant => "shared-message from-assistant",
                    };
                    let words = (!text.is_empty()).then(|| view! { <p class="shared-words">{text}</p> });
                    let picture = m.image.clone().map(|image| view! { <Picture image=image/> });
                    view! { <li class=class>{words}{picture}</li> }
                })
                .collect_view();
            view! { <ol class="shared-thread">{messages}</ol> }.into_any()
        }
    };
    let copy = view.image.clone().map(|image| view! { <EditCopy token=token.clone() image=image/> });
    let download = view.image.clone().map(|image| {
        view! { <a class="btn btn-ghost" href=image.url download>{i18n.tr("shared-download")}</a> }
    });
    view! {
        <p class="shared-kicker">{i18n.tr("shared-kicker")}</p>
        <h1>{heading}</h1>
        {body}
        <div class="shared-actions">{copy}{download}</div>
        <p class="muted shared-until">{until}</p>
    }
}

/// "Edit a copy in ViNano": signed in, the picture becomes the person's own photo in a new conversation;
/// otherwise, signing in first brings them back here.
#[component]
fn EditCopy(token: String, image: SharedImage) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new(use_navigate());
    let act = Submit::new();
    let token = StoredValue::new(token);
    let image_id = StoredValue::new(image.id);
    let start = move |_| {
        if !session.signed_in() {
            let next = js_sys::encode_uri_component(&format!("/s/{}", token.get_value()));
            navigate.with_value(|go| go(&format!("/login?next={next}"), Default::default()));
            return;
        }
        let (token, image_id) = (token.get_value(), image_id.get_value());
        act.run(
            async move {
                let copy = api::copy_shared(&token, &image_id).await?;
                let conversation = api::create_conversation().await?;
                let attach = PostMessage { image_id: Some(copy.id.clone()), ..Default::default() };
                api::post_message(&conversation.id, &attach, &crate::state::idempotency_key()).await?;
                Ok(conversation.id)
            },
            move |conversation| {
                navigate.with_value(|go| go(&format!("/image/{conversation}"), Default::default()))
            },
        );
    };
    view! {
        <button type="button" class="btn btn-primary" id="shared-edit-copy" on:click=start disabled=move || act.pending.get()>
            {i18n.tr("shared-edit-copy")}
        </button>
        <ErrorAlert message=act.errors.general/>
    }
}

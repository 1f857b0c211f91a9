//! Parts of a version's menu: rating a result and its privacy flags.

use crate::api;
use crate::components::requests::Requests;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use vinano_api::{Feedback, ImageInfo, Rating};

/// An image's privacy flags: commercial use (never used for AI training), and, for a commercial image,
/// the separate consent to use it anyway.
#[component]
pub(super) fn ImagePrivacy(
    /// The version.
    image: ImageInfo,
) -> impl IntoView {
    let i18n = use_i18n();
    let commercial = RwSignal::new(image.commercial);
    let consent = RwSignal::new(image.training_consent);
    let requests = Requests::new();
    let error = requests.error;
    let id = StoredValue::new(image.id.clone());
    let send = move |flags: vinano_api::ImageFlags| {
        requests.call(async move { api::flag_image(&id.get_value(), &flags).await }, move |answer| {
            match answer {
                Ok(info) => {
                    commercial.set(info.commercial);
                    consent.set(info.training_consent);
                    error.set(None);
                }
                Err(e) => {
                    error.set(Some(error_text(i18n, &e)));
                    // Not saved: the boxes show the flags as they still are.
                    commercial.notify();
                    consent.notify();
                }
            }
        });
    };
    let commercial_id = format!("commercial-{}", image.id);
    let consent_id = format!("consent-{}", image.id);
    view! {
        <fieldset class="menu-section">
            <legend>{i18n.tr("image-privacy")}</legend>
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
        </fieldset>
    }
}

const THUMB_UP: &str = "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3";
const THUMB_DOWN: &str = "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17";

/// Thumbs up/down and an optional comment on a result, stored as feedback on the server.
#[component]
pub(super) fn RateResult(
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
    let requests = Requests::new();
    let error = requests.error;
    let id = StoredValue::new(image_id);

    let save = move |new_rating: Option<Rating>| {
        let text = comment.get_untracked();
        let call = async move {
            match new_rating {
                Some(r) => {
                    let comment = (!text.trim().is_empty()).then_some(text);
                    api::rate_image(&id.get_value(), &Feedback { rating: r, comment }).await.map(|_| ())
                }
                None => api::unrate_image(&id.get_value()).await,
            }
        };
        requests.run(call, move |()| {
            rating.set(new_rating);
            status.set(new_rating.map(|_| i18n.t("feedback-thanks")));
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
        <div class="rating" role="group" aria-label=i18n.tr("feedback-title")>
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

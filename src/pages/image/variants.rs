//! A reply's variants: the candidates one instruction made ("4 variants" in the settings), side by side
//! under the one it shows. Tapping one picks it: the reply shows it from then on, and the next instruction
//! works on it.

use super::use_editor;
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::ImageInfo;

/// The candidates of reply `message` in `conversation`, with `picked` the one it shows.
#[component]
pub(super) fn Variants(
    conversation: String,
    message: String,
    variants: Vec<ImageInfo>,
    picked: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let (conversation, message) = (StoredValue::new(conversation), StoredValue::new(message));
    let items = variants
        .into_iter()
        .enumerate()
        .map(|(k, image)| {
            let chosen = image.id == picked;
            let label = i18n.t_args("variant-label", [("n", (k as i64 + 1).into())]);
            let id = StoredValue::new(image.id.clone());
            let pick = move |_| {
                if chosen || busy.get_untracked() {
                    return;
                }
                busy.set(true);
                leptos::task::spawn_local(async move {
                    let picked = crate::api::pick_variant(
                        &conversation.get_value(),
                        &message.get_value(),
                        &id.get_value(),
                    )
                    .await;
                    busy.set(false);
                    match picked {
                        Ok(_) => {
                            // The next instruction works on the picked one (the thread's latest).
                            editor.target.set(None);
                            editor.refresh.run(());
                        }
                        Err(e) => toasts.note(crate::components::error_text(i18n, &e)),
                    }
                });
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="variant"
                        aria-pressed=chosen.to_string()
                        aria-label=label.clone()
                        title=label
                        disabled=move || busy.get()
                        on:click=pick
                    >
                        <img src=image.preview_url(256) alt="" width=image.width height=image.height loading="lazy"/>
                        <span class="variant-number" aria-hidden="true">{k + 1}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="variants">
            <p class="hint">{i18n.tr("variant-pick")}</p>
            <ul class="variant-grid" role="list">{items}</ul>
        </div>
    }
}

//! Batch edit (`/tools/batch`): one instruction on up to 20 photos, each with its own progress and
//! Cancel, in one new conversation; the results download together as a ZIP.

use super::batch::{Batch, BatchList, BatchPicker, Work};
use super::ToolPage;
use crate::components::form::{FieldMessage, FormErrors};
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The batch edit page.
#[component]
pub fn BatchEdit() -> impl IntoView {
    view! { <ToolPage title="tools-batch-title" about="tools-batch-about"><BatchForm/></ToolPage> }
}

#[component]
fn BatchForm() -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new();
    let text = RwSignal::new(String::new());
    let batch = Batch::new();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let words = text.get_untracked().trim().to_string();
        if let Err(e) = vinano_api::validate::prompt(&words) {
            errors.invalid(i18n, e);
            return;
        }
        if batch.len() == 0 {
            batch.problem.set(Some(i18n.t("tools-batch-need-photos")));
            return;
        }
        let title = i18n.t_args(
            "tools-batch-conversation",
            [("text", words.as_str().into()), ("count", batch.len().into())],
        );
        batch.start(title, Work { text: words, tool: None }, i18n);
    };
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            <label for="batch-text">{i18n.tr("tools-batch-field-text")}</label>
            <textarea
                id="batch-text"
                name="text"
                rows="2"
                readonly=move || batch.started()
                placeholder=i18n.tr("tools-batch-placeholder")
                aria-invalid=errors.aria_invalid("text")
                aria-describedby=errors.described_by("text", None)
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <FieldMessage field="text" errors=errors/>
            <span class="field-label">{i18n.tr("tools-batch-field-photos")}</span>
            <BatchList batch=batch zip_name=Signal::derive(move || i18n.t("tools-batch-zip-name")) suffix="edited"/>
            <BatchPicker batch=batch/>
            <Show when=move || !batch.started()>
                <button type="submit" class="btn btn-primary">
                    {move || i18n.t_args("tools-batch-submit", [("count", batch.len().into())])}
                </button>
            </Show>
        </form>
    }
}

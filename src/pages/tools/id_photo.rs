//! ID and passport photos (`/tools/id`): a standard, a plain white or light blue background, one photo or a
//! 4 × 6 in print sheet, and the person's own adjustment of where the head sits and how large it is; it ends
//! in the editor with the photo made at 300 dpi.

use super::{choices, start_in_editor, PhotoPicker, ToolPage};
use crate::components::form::{FieldMessage, FormErrors};
use crate::i18n::use_i18n;
use crate::state::start::Start;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{IdBackground, IdNudge, IdPhotoTool, IdStandard, Tool};

/// (name key, where-it-is-used key) of a standard.
fn keys(standard: IdStandard) -> (&'static str, &'static str) {
    match standard {
        IdStandard::Mm35x45 => ("tools-id-mm35x45", "tools-id-mm35x45-about"),
        IdStandard::In2x2 => ("tools-id-in2x2", "tools-id-in2x2-about"),
        IdStandard::Mm50x70 => ("tools-id-mm50x70", "tools-id-mm50x70-about"),
        IdStandard::Mm33x48 => ("tools-id-mm33x48", "tools-id-mm33x48-about"),
    }
}

fn background_key(background: IdBackground) -> &'static str {
    match background {
        IdBackground::White => "tools-id-white",
        IdBackground::LightBlue => "tools-id-light-blue",
    }
}

/// The ID photo page (hidden behind a notice when the server has no face detection model).
#[component]
pub fn IdPhoto() -> impl IntoView {
    let i18n = use_i18n();
    let credits = LocalResource::new(crate::api::credits);
    // Until the server has said, the form shows; a server without the models says so instead.
    let off = move || credits.get().and_then(Result::ok).is_some_and(|c| !c.engines.faces);
    view! {
        <ToolPage title="tools-id-title" about="tools-id-about">
            <Show when=move || !off() fallback=move || view! { <p class="alert" role="status">{i18n.tr("tools-id-off")}</p> }>
                <IdForm/>
            </Show>
        </ToolPage>
    }
}

#[component]
fn IdForm() -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new();
    let standard = RwSignal::new(IdStandard::Mm35x45);
    let background = RwSignal::new(IdBackground::White);
    let sheet = RwSignal::new(false);
    let (right, down, larger) = (RwSignal::new(0i32), RwSignal::new(0i32), RwSignal::new(0i32));
    let photo = RwSignal::new(None::<web_sys::File>);
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let form = IdPhotoTool {
            standard: standard.get_untracked(),
            background: background.get_untracked(),
            sheet: sheet.get_untracked(),
            nudge: IdNudge {
                right: right.get_untracked(),
                down: down.get_untracked(),
                larger: larger.get_untracked(),
            },
        };
        if let Err(e) = form.check() {
            errors.invalid(i18n, e);
            return;
        }
        let Some(file) = photo.get_untracked() else {
            problem.set(Some(i18n.t("tools-id-need-photo")));
            return;
        };
        let key = if form.sheet { "tools-id-summary-sheet" } else { "tools-id-summary" };
        let words = i18n.t_args(
            key,
            [
                ("standard", i18n.t(keys(form.standard).0).into()),
                ("background", i18n.t(background_key(form.background)).into()),
            ],
        );
        start_in_editor(
            &navigate,
            Start {
                text: words,
                files: vec![file],
                tool: Some(Tool::IdPhoto(form)),
                preset: None,
                image: None,
            },
        );
    };
    let standards =
        choices("standard", IdStandard::ALL.into_iter().map(|s| (s, keys(s).0, Some(keys(s).1))), standard);
    let backgrounds = [IdBackground::White, IdBackground::LightBlue]
        .into_iter()
        .map(|b| {
            let swatch = format!("swatch swatch-id-{}", background_key(b).trim_start_matches("tools-id-"));
            view! {
                <label class="swatch-choice">
                    <input type="radio" name="background" checked=move || background.get() == b on:change=move |_| background.set(b)/>
                    <span class=swatch></span>
                    <span>{i18n.tr(background_key(b))}</span>
                </label>
            }
        })
        .collect_view();
    let outputs = choices("output", [(false, "tools-id-one", None), (true, "tools-id-sheet", None)], sheet);
    // A slider of the person's own adjustment, −20 to 20 %, with its value in words.
    let slider = move |id: &'static str, label: &'static str, value: RwSignal<i32>| {
        let field = match id {
            "id-right" => "nudge.right",
            "id-down" => "nudge.down",
            _ => "nudge.larger",
        };
        view! {
            <label for=id>{i18n.tr(label)}</label>
            <div class="nudge">
                <input id=id type="range" min="-20" max="20" step="1"
                    aria-valuetext=move || i18n.t_args("tools-id-percent", [("n", value.get().into())])
                    prop:value=move || value.get().to_string()
                    on:input=move |ev| value.set(event_target_value(&ev).parse().unwrap_or(0))/>
                <output for=id>{move || i18n.t_args("tools-id-percent", [("n", value.get().into())])}</output>
            </div>
            <FieldMessage field=field errors=errors/>
        }
    };
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            <fieldset class="presets">
                <legend>{i18n.tr("tools-id-field-standard")}</legend>
                {standards}
            </fieldset>
            <fieldset class="swatches">
                <legend>{i18n.tr("tools-id-field-background")}</legend>
                {backgrounds}
            </fieldset>
            <fieldset class="presets backdrops">
                <legend>{i18n.tr("tools-id-field-output")}</legend>
                {outputs}
            </fieldset>
            <details class="nudges">
                <summary>{i18n.tr("tools-id-adjust")}</summary>
                <div class="nudge-fields">
                    <small class="hint">{i18n.tr("tools-id-adjust-hint")}</small>
                    {slider("id-down", "tools-id-down", down)}
                    {slider("id-right", "tools-id-right", right)}
                    {slider("id-larger", "tools-id-larger", larger)}
                </div>
            </details>
            <span class="field-label">{i18n.tr("tools-id-field-photo")}</span>
            <small class="hint">{i18n.tr("tools-id-photo-hint")}</small>
            <PhotoPicker photo=photo problem=problem/>
            <button type="submit" class="btn btn-primary">{i18n.tr("tools-id-submit")}</button>
        </form>
    }
}

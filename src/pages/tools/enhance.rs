//! Enhance presets (`/tools/enhance`): one photo and a named set of corrections for its kind (a room, food,
//! a portrait, an old photo); it ends in the editor with the enhanced version next to the photo.

use super::{choices, start_in_editor, PhotoPicker, ToolPage};
use crate::i18n::use_i18n;
use crate::state::start::Start;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{EnhancePreset, Tool};

/// (title key, what-it-does key) of a preset.
fn keys(preset: EnhancePreset) -> (&'static str, &'static str) {
    match preset {
        EnhancePreset::RealEstate => ("tools-enhance-real-estate", "tools-enhance-real-estate-about"),
        EnhancePreset::Food => ("tools-enhance-food", "tools-enhance-food-about"),
        EnhancePreset::Portrait => ("tools-enhance-portrait", "tools-enhance-portrait-about"),
        EnhancePreset::OldPhoto => ("tools-enhance-old-photo", "tools-enhance-old-photo-about"),
    }
}

/// The enhance presets' page.
#[component]
pub fn EnhanceTool() -> impl IntoView {
    view! { <ToolPage title="tools-enhance-title" about="tools-enhance-about"><EnhanceForm/></ToolPage> }
}

#[component]
fn EnhanceForm() -> impl IntoView {
    let i18n = use_i18n();
    let preset = RwSignal::new(EnhancePreset::RealEstate);
    let photo = RwSignal::new(None::<web_sys::File>);
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(file) = photo.get_untracked() else {
            problem.set(Some(i18n.t("tools-enhance-need-photo")));
            return;
        };
        let preset = preset.get_untracked();
        let words = i18n.t_args("tools-enhance-summary", [("preset", i18n.t(keys(preset).0).into())]);
        start_in_editor(
            &navigate,
            Start {
                text: words,
                files: vec![file],
                tool: Some(Tool::Enhance { preset }),
                preset: None,
                image: None,
            },
        );
    };
    let presets =
        choices("preset", EnhancePreset::ALL.into_iter().map(|p| (p, keys(p).0, Some(keys(p).1))), preset);
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            <fieldset class="presets">
                <legend>{i18n.tr("tools-enhance-field-preset")}</legend>
                {presets}
            </fieldset>
            <span class="field-label">{i18n.tr("tools-enhance-field-photo")}</span>
            <PhotoPicker photo=photo problem=problem/>
            <button type="submit" class="btn btn-primary">{i18n.tr("tools-enhance-submit")}</button>
        </form>
    }
}

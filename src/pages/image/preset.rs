//! "Save as a preset…": a version's steps kept under a name and an icon (My presets, on AI Tools), to run
//! again on other photos. A dialog asks for both; the server checks the steps can be run again.

use crate::api;
use crate::components::form::{FieldMessage, Submit};
use crate::components::preset_icon::PresetGlyph;
use crate::components::toast::use_toasts;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use leptos::html::Dialog;
use leptos::prelude::*;
use vinano_api::{NewPreset, PresetIcon};

/// The i18n key of an icon's name.
fn icon_name(icon: PresetIcon) -> &'static str {
    match icon {
        PresetIcon::Star => "preset-icon-star",
        PresetIcon::Heart => "preset-icon-heart",
        PresetIcon::Sun => "preset-icon-sun",
        PresetIcon::Moon => "preset-icon-moon",
        PresetIcon::Bolt => "preset-icon-bolt",
        PresetIcon::Drop => "preset-icon-drop",
        PresetIcon::Camera => "preset-icon-camera",
        PresetIcon::Picture => "preset-icon-picture",
    }
}

/// The dialog, open while `saving` names a version (its id, and a name to start from).
#[component]
pub(super) fn PresetDialog(saving: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dialog = NodeRef::<Dialog>::new();
    crate::components::dialog::sync_modal(dialog, move || saving.with(Option::is_some));
    let name = RwSignal::new(String::new());
    let icon = RwSignal::new(PresetIcon::default());
    let act = Submit::new();
    // Each opening starts again, with the version's first step as the name.
    Effect::new(move |_| {
        if let Some((_, suggested)) = saving.get() {
            name.set(suggested);
            icon.set(PresetIcon::default());
            act.errors.clear();
        }
    });
    let close = move || saving.set(None);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((image_id, _)) = saving.get_untracked() else { return };
        let new = NewPreset { image_id, name: name.get_untracked(), icon: icon.get_untracked() };
        let saved = new.name.trim().to_string();
        act.run(async move { api::create_preset(&new).await }, move |()| {
            saving.set(None);
            toasts.note(i18n.t_args("preset-saved", [("name", saved.into())]));
        });
    };
    let icons = PresetIcon::ALL
        .into_iter()
        .map(|choice| {
            view! {
                <label class="preset-icon-choice" title=move || i18n.t(icon_name(choice))>
                    <input type="radio" name="preset-icon" class="visually-hidden"
                        prop:checked=move || icon.get() == choice on:change=move |_| icon.set(choice)/>
                    <PresetGlyph icon=choice/>
                    <span class="visually-hidden">{i18n.tr(icon_name(choice))}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <dialog class="dialog preset-dialog" node_ref=dialog aria-labelledby="preset-title" on:close=move |_| close()>
            <form on:submit=save>
                <h2 id="preset-title">{i18n.tr("preset-title")}</h2>
                <p class="muted">{i18n.tr("preset-lead")}</p>
                <label for="preset-name">{i18n.tr("preset-name")}</label>
                <input id="preset-name" name="name" maxlength="60" required prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=act.errors.aria_invalid("name") aria-describedby=act.errors.described_by("name", None)/>
                <FieldMessage field="name" errors=act.errors/>
                <fieldset class="preset-icons">
                    <legend>{i18n.tr("preset-icon")}</legend>
                    {icons}
                </fieldset>
                <FieldMessage field="image_id" errors=act.errors/>
                <ErrorAlert message=act.errors.general/>
                <div class="dialog-actions">
                    <button type="button" class="btn btn-ghost" on:click=move |_| close()>{i18n.tr("dialog-cancel")}</button>
                    <button type="submit" class="btn btn-primary" disabled=move || act.pending.get()>{i18n.tr("preset-save")}</button>
                </div>
            </form>
        </dialog>
    }
}

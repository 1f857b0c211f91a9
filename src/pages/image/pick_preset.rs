//! My presets in the composer: the settings list the person's presets; one chosen shows as a chip above the
//! box, and the next send runs its saved steps on the photo (in place of reading the words).

use super::use_editor;
use crate::api::{self, PresetChoice};
use crate::components::preset_icon::PresetGlyph;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::PresetIcon;

/// The presets to choose from, in the composer's settings (loaded when they are opened; nothing when the
/// person has none or isn't signed in).
#[component]
pub(super) fn PresetChoices(
    /// Whether the settings are shown (choosing a preset closes them).
    open: RwSignal<bool>,
    /// The preset chosen for the next send.
    chosen: RwSignal<Option<PresetChoice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    let list = LocalResource::new(move || {
        let shown = open.get();
        async move {
            match shown {
                true => api::preset_choices().await.unwrap_or_default(),
                false => Vec::new(),
            }
        }
    });
    let listed = move || {
        // On this device, nothing is sent: a preset's steps run on the server, so it isn't offered.
        let presets = list.get().unwrap_or_default();
        (!presets.is_empty() && !editor.device.on.get()).then(|| {
            let buttons = presets
                .into_iter()
                .map(|preset| {
                    let icon = PresetIcon::parse(&preset.icon);
                    let name = preset.name.clone();
                    let id = preset.id.clone();
                    let pressed = move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string();
                    view! {
                        <li>
                            <button type="button" class="btn btn-ghost btn-small preset-choice"
                                aria-pressed=pressed
                                on:click=move |_| {
                                    editor.preset.set(Some(preset.id.clone()));
                                    chosen.set(Some(preset.clone()));
                                    open.set(false);
                                }>
                                <PresetGlyph icon=icon/>
                                <span>{name}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="preset-choices" role="group" aria-labelledby="preset-choices-title">
                    <p id="preset-choices-title" class="field-label">{i18n.tr("composer-presets")}</p>
                    <ul>{buttons}</ul>
                    <p class="hint">{i18n.tr("composer-presets-hint")}</p>
                </div>
            }
        })
    };
    view! { {listed} }
}

/// The chosen preset above the box, with a way to leave it out.
#[component]
pub(super) fn PresetChip(
    /// The preset chosen for the next send.
    chosen: RwSignal<Option<PresetChoice>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editor = use_editor();
    // Shown while the editor is still to send it (a send clears the editor's preset).
    let shown = move || chosen.get().filter(|c| editor.preset.with(|p| p.as_deref() == Some(c.id.as_str())));
    move || {
        shown().map(|preset| {
            let icon = PresetIcon::parse(&preset.icon);
            view! {
                <div class="attachment preset-chip">
                    <span class="preset-badge"><PresetGlyph icon=icon/></span>
                    <span>{i18n.t_args("composer-preset-chip", [("name", preset.name.clone().into())])}</span>
                    <button type="button" class="btn btn-ghost btn-small"
                        aria-label=i18n.tr("composer-preset-clear")
                        on:click=move |_| {
                            editor.preset.set(None);
                            chosen.set(None);
                        }>
                        "×"
                    </button>
                </div>
            }
        })
    }
}

//! My presets on AI Tools: the steps a person saved from a result ("Save as a preset…" in a version's menu),
//! each run again on a photo chosen here — the editor opens with it and sends it with the preset, whose
//! saved steps replace reading the words — or deleted.

use super::{picked, start_in_editor};
use crate::api;
use crate::components::form::Submit;
use crate::components::preset_icon::PresetGlyph;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use crate::state::start::Start;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::Preset;

/// The section, for a signed-in person.
#[component]
pub fn MyPresets() -> impl IntoView {
    let session = use_session();
    let signed_in = Memo::new(move |_| session.me.with(Option::is_some));
    move || signed_in.get().then(|| view! { <PresetList/> })
}

#[component]
fn PresetList() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::presets);
    let act = Submit::new();
    let navigate = use_navigate();
    let card = move |preset: Preset| {
        let steps = crate::components::said_steps(i18n, &preset.steps, &preset.steps_said);
        let (id, name) = (preset.id.clone(), preset.name.clone());
        let navigate = navigate.clone();
        let use_on = move |ev: leptos::ev::Event| {
            if let Some(file) = picked(&ev) {
                let start = Start {
                    text: name.clone(),
                    files: vec![file],
                    tool: None,
                    preset: Some(id.clone()),
                    image: None,
                };
                start_in_editor(&navigate, start);
            }
        };
        let id = preset.id.clone();
        let delete = move |_| {
            let id = id.clone();
            act.run(async move { api::delete_preset(&id).await }, move |()| list.refetch());
        };
        let label = i18n.t_args("tools-preset-use-label", [("name", preset.name.clone().into())]);
        let delete_label = i18n.t_args("tools-preset-delete-label", [("name", preset.name.clone().into())]);
        view! {
            <li class="card preset-card">
                <div class="preset-head">
                    <span class="preset-badge"><PresetGlyph icon=preset.icon/></span>
                    <h3>{preset.name.clone()}</h3>
                </div>
                <p class="muted preset-steps">{steps}</p>
                <div class="batch-actions">
                    <label class="btn btn-primary btn-small file-button" aria-label=label>
                        {i18n.tr("tools-preset-use")}
                        <input class="visually-hidden" type="file" accept="image/*" on:change=use_on/>
                    </label>
                    <button type="button" class="btn btn-ghost btn-small" aria-label=delete_label
                        disabled=move || act.pending.get() on:click=delete>
                        {i18n.tr("tools-preset-delete")}
                    </button>
                </div>
            </li>
        }
    };
    view! {
        <section class="my-presets" aria-labelledby="my-presets-title">
            <h2 id="my-presets-title">{i18n.tr("tools-presets-title")}</h2>
            <ErrorAlert message=act.errors.general/>
            {move || match list.get() {
                None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="muted">{i18n.tr("tools-presets-unavailable")}</p> }.into_any(),
                Some(Ok(presets)) if presets.is_empty() => {
                    view! { <p class="muted">{i18n.tr("tools-presets-empty")}</p> }.into_any()
                }
                Some(Ok(presets)) => {
                    view! { <ul class="preset-cards">{presets.into_iter().map(card.clone()).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
    }
}

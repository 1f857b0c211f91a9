//! Me → Appearance: light, dark, or the system's setting (remembered in this browser).

use crate::i18n::use_i18n;
use crate::state::theme::{self, Theme};
use leptos::prelude::*;

/// The appearance switch.
#[component]
pub fn Appearance() -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(theme::load());
    let options = Theme::ALL
        .into_iter()
        .map(|t| {
            let id = format!("theme-{}", t.as_str());
            view! {
                <div class="check">
                    <input
                        type="radio"
                        name="theme"
                        id=id.clone()
                        value=t.as_str()
                        prop:checked=move || chosen.get() == t
                        on:change=move |_| {
                            chosen.set(t);
                            theme::choose(t);
                        }
                    />
                    <label for=id>{i18n.tr(match t {
                        Theme::System => "theme-system",
                        Theme::Light => "theme-light",
                        Theme::Dark => "theme-dark",
                    })}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="appearance-title">
            <h2 id="appearance-title">{i18n.tr("theme-title")}</h2>
            <fieldset class="settings">
                <legend class="visually-hidden">{i18n.tr("theme-title")}</legend>
                {options}
            </fieldset>
        </section>
    }
}

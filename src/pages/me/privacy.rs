//! Me → Privacy: the person's choices (saved as they are changed) and the ledger of every consent given or
//! changed, newest first.

use crate::api;
use crate::components::requests::Requests;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::{ConsentEntry, PrivacySettings, PrivacyUpdate};

/// Which setting a checkbox changes.
#[derive(Clone, Copy)]
enum Choice {
    Training,
    Analytics,
    News,
    Tips,
}

impl Choice {
    fn get(self, s: &PrivacySettings) -> bool {
        match self {
            Choice::Training => s.ai_training,
            Choice::Analytics => s.analytics,
            Choice::News => s.email_news,
            Choice::Tips => s.email_tips,
        }
    }

    fn update(self, on: bool) -> PrivacyUpdate {
        let mut u = PrivacyUpdate::default();
        match self {
            Choice::Training => u.ai_training = Some(on),
            Choice::Analytics => u.analytics = Some(on),
            Choice::News => u.email_news = Some(on),
            Choice::Tips => u.email_tips = Some(on),
        }
        u
    }

    fn ids(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Choice::Training => ("privacy-training", "me-privacy-training", "me-privacy-training-hint"),
            Choice::Analytics => ("privacy-analytics", "me-privacy-analytics", "me-privacy-analytics-hint"),
            Choice::News => ("privacy-news", "me-privacy-news", "me-privacy-news-hint"),
            Choice::Tips => ("privacy-tips", "me-privacy-tips", "me-privacy-tips-hint"),
        }
    }
}

/// The Privacy card.
#[component]
pub(super) fn Privacy() -> impl IntoView {
    let i18n = use_i18n();
    let settings = RwSignal::new(None::<PrivacySettings>);
    let ledger = RwSignal::new(Vec::<ConsentEntry>::new());
    let requests = Requests::new();
    let error = requests.error;
    let reload_ledger = move || requests.refresh(api::consents(), move |entries| ledger.set(entries));
    requests.run(api::privacy(), move |s| {
        settings.set(Some(s));
        reload_ledger();
    });
    let toggle = move |choice: Choice, on: bool| {
        let update = choice.update(on);
        requests.call(async move { api::update_privacy(&update).await }, move |answer| match answer {
            Ok(s) => {
                crate::state::telemetry::set_enabled(s.analytics && !s.gpc);
                settings.set(Some(s));
                error.set(None);
                reload_ledger();
            }
            Err(e) => {
                error.set(Some(error_text(i18n, &e)));
                // Not saved: the box shows the setting as it still is.
                settings.notify();
            }
        });
    };
    let checkbox = move |choice: Choice| {
        let (id, label, hint) = choice.ids();
        let hint_id = format!("{id}-hint");
        view! {
            <div class="check">
                <input
                    id=id
                    type="checkbox"
                    aria-describedby=hint_id.clone()
                    prop:checked=move || settings.with(|s| s.as_ref().is_some_and(|s| choice.get(s)))
                    on:change=move |ev| toggle(choice, event_target_checked(&ev))
                />
                <div>
                    <label for=id>{i18n.tr(label)}</label>
                    <small id=hint_id class="hint">{i18n.tr(hint)}</small>
                </div>
            </div>
        }
    };
    // Where edits run is this browser's own setting: the server is never told.
    let device_default = RwSignal::new(crate::state::on_device::default_on());
    view! {
        <section class="card" aria-labelledby="privacy-title">
            <h2 id="privacy-title">{i18n.tr("me-privacy")}</h2>
            {move || settings.with(|s| s.as_ref().is_some_and(|s| s.gpc)).then(|| view! { <p class="notice">{i18n.tr("me-privacy-gpc")}</p> })}
            <fieldset class="settings">
                <legend>{i18n.tr("me-privacy-images")}</legend>
                {checkbox(Choice::Training)}
            </fieldset>
            <fieldset class="settings">
                <legend>{i18n.tr("privacy-device-title")}</legend>
                <div class="check">
                    <input
                        id="privacy-device"
                        type="checkbox"
                        aria-describedby="privacy-device-body"
                        prop:checked=device_default
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            crate::state::on_device::set_default(on);
                            device_default.set(on);
                        }
                    />
                    <div>
                        <label for="privacy-device">{i18n.tr("privacy-device-default")}</label>
                        <small id="privacy-device-body" class="hint">{i18n.tr("privacy-device-body")}</small>
                    </div>
                </div>
            </fieldset>
            <fieldset class="settings">
                <legend>{i18n.tr("me-privacy-usage")}</legend>
                {checkbox(Choice::Analytics)}
            </fieldset>
            <fieldset class="settings">
                <legend>{i18n.tr("me-privacy-email")}</legend>
                {checkbox(Choice::News)}
                {checkbox(Choice::Tips)}
                <div class="check">
                    <input id="privacy-policy-mail" type="checkbox" checked disabled aria-describedby="privacy-policy-mail-hint"/>
                    <div>
                        <label for="privacy-policy-mail">{i18n.tr("me-privacy-policy-mail")}</label>
                        <small id="privacy-policy-mail-hint" class="hint">{i18n.tr("me-privacy-policy-mail-hint")}</small>
                    </div>
                </div>
            </fieldset>
            <ErrorAlert message=error/>
            <super::consents::ConsentLog entries=ledger/>
        </section>
    }
}

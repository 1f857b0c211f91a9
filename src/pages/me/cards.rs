//! Me → Subscription → Payment methods: the cards on file (brand, last four digits, expiry — all ViNano
//! keeps), which one renewals charge, adding one (a renewal waiting to be paid is charged with it at once)
//! and removing one.

use crate::api;
use crate::components::card_form::CardForm;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::Submit;
use crate::components::toast::use_toasts;
use crate::components::ErrorAlert;
use crate::i18n::{use_i18n, I18n};
use leptos::prelude::*;
use vinano_api::PaymentMethod;

/// A request that answers with the cards.
type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<PaymentMethod>, api::ApiError>>>>;

/// `Visa •••• 4242`.
pub fn card_name(i18n: I18n, card: &PaymentMethod) -> String {
    let brand = match card.brand.as_str() {
        "visa" => "Visa".to_string(),
        "mastercard" => "Mastercard".to_string(),
        "amex" => "American Express".to_string(),
        _ => i18n.t("cards-card"),
    };
    format!("{brand} •••• {}", card.last4)
}

/// The section. `renewing`: the plan renews with a card (removing the last one warns); `changed`: called
/// after a card is added (a past-due renewal may have been paid with it).
#[component]
pub fn PaymentMethods(renewing: Option<String>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dialogs = use_dialogs();
    let cards = RwSignal::new(None::<Vec<PaymentMethod>>);
    let form = Submit::new();
    let adding = RwSignal::new(false);
    let loaded = LocalResource::new(api::payment_methods);
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            cards.set(Some(list));
        }
    });
    let renewing = StoredValue::new(renewing);
    let act = move |call: Answer, note: Option<String>| {
        form.run(call, move |list: Vec<PaymentMethod>| {
            cards.set(Some(list));
            if let Some(note) = note {
                toasts.note(note);
            }
        });
    };
    let remove = move |card: PaymentMethod| {
        let name = card_name(i18n, &card);
        let last = cards.with_untracked(|c| c.as_ref().is_some_and(|c| c.len() == 1));
        let question = match renewing.get_value() {
            Some(plan) if last => {
                i18n.t_args("cards-remove-last", [("card", name.clone().into()), ("plan", plan.into())])
            }
            _ => i18n.t_args("cards-remove-question", [("card", name.clone().into())]),
        };
        let id = card.id.clone();
        dialogs.confirm(Confirm {
            question,
            confirm: i18n.t("cards-remove"),
            danger: true,
            then: Callback::new(move |()| {
                let id = id.clone();
                act(
                    Box::pin(async move { api::remove_card(&id).await }),
                    Some(i18n.t_args("cards-removed", [("card", name.clone().into())])),
                );
            }),
        });
    };
    let add_form = Submit::new();
    let on_card = Callback::new(move |card: vinano_api::CardDetails| {
        add_form.run(async move { api::add_card(&card).await }, move |list: Vec<PaymentMethod>| {
            let added = list.first().map(|c| card_name(i18n, c)).unwrap_or_default();
            cards.set(Some(list));
            adding.set(false);
            toasts.note(i18n.t_args("cards-added", [("card", added.into())]));
            changed.run(());
        });
    });
    let rows = move || {
        cards.get().map(|list| {
            if list.is_empty() {
                return view! { <p class="muted">{i18n.tr("cards-none")}</p> }.into_any();
            }
            let items = list
                .into_iter()
                .map(|card| {
                    let name = card_name(i18n, &card);
                    let expires = i18n.t_args(
                        "cards-expires",
                        [("date", format!("{:02}/{}", card.exp_month, card.exp_year).into())],
                    );
                    let id = card.id.clone();
                    let make_default = (!card.is_default).then(|| {
                        let id = id.clone();
                        let done = i18n.t_args("cards-now-default", [("card", name.clone().into())]);
                        view! {
                            <button type="button" class="btn btn-small" disabled=move || form.pending.get()
                                on:click=move |_| {
                                    let id = id.clone();
                                    act(Box::pin(async move { api::default_card(&id).await }), Some(done.clone()));
                                }>
                                {i18n.tr("cards-make-default")}
                            </button>
                        }
                    });
                    let card_for_remove = card.clone();
                    view! {
                        <li class="payment-method" data-testid="payment-method">
                            <span class="payment-card">{name}</span>
                            <span class="muted">{expires}</span>
                            {card.is_default.then(|| view! { <span class="badge">{i18n.tr("cards-default")}</span> })}
                            <span class="actions">
                                {make_default}
                                <button type="button" class="btn btn-small" disabled=move || form.pending.get()
                                    on:click=move |_| remove(card_for_remove.clone())>
                                    {i18n.tr("cards-remove")}
                                </button>
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="payment-methods">{items}</ul> }.into_any()
        })
    };
    view! {
        <h3 id="payment-methods">{i18n.tr("cards-title")}</h3>
        {rows}
        <ErrorAlert message=form.errors.general/>
        <Show
            when=move || adding.get()
            fallback=move || view! {
                <p class="actions">
                    <button type="button" class="btn" on:click=move |_| adding.set(true)>{i18n.tr("cards-add")}</button>
                </p>
            }
        >
            <p class="hint">{i18n.tr("checkout-test-mode")}</p>
            <CardForm form=add_form label=i18n.t("cards-add-submit") on_card=on_card/>
            <p class="actions">
                <button type="button" class="btn" on:click=move |_| adding.set(false)>{i18n.tr("cards-add-cancel")}</button>
            </p>
        </Show>
    }
}

/// The section when the processor keeps the cards (Stripe): a button to its Customer Portal, which sends
/// the person back to Me → Subscription.
#[component]
pub fn ProcessorCards() -> impl IntoView {
    let i18n = use_i18n();
    let form = Submit::new();
    let open = move |_| {
        form.run(async move { api::billing_portal().await }, move |page: vinano_api::ProcessorPage| {
            let _ = window().location().set_href(&page.url);
        });
    };
    view! {
        <h3 id="payment-methods">{i18n.tr("cards-title")}</h3>
        <p>{i18n.tr("cards-processor")}</p>
        <p class="actions">
            <button type="button" class="btn" disabled=move || form.pending.get() on:click=open>
                {i18n.tr("cards-processor-open")}
            </button>
        </p>
        <ErrorAlert message=form.errors.general/>
    }
}

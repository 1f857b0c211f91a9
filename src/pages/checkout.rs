//! `/billing/checkout/:session`: the local test-mode processor's checkout page — the plan and its price, a
//! card form (test cards only: nothing is charged), the extra confirmation step some cards ask for, and the
//! way back once paid. The card goes to ViNano's server, which keeps only its brand, last four digits and
//! expiry.

use crate::api::{self, ApiError};
use crate::components::card_form::CardForm;
use crate::components::form::Submit;
use crate::components::signed_in::RequireSignIn;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use vinano_api::{CardDetails, CheckoutInfo, CheckoutState};

/// The checkout page.
#[component]
pub fn Checkout() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("session").unwrap_or_default());
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move { api::checkout(&id).await }
    });
    // The session as last answered (a payment answers with it too).
    let info = RwSignal::new(None::<Result<CheckoutInfo, ApiError>>);
    // Why the confirmation step failed, shown over the card form it returns to.
    let refused = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(answer) = loaded.get() {
            info.set(Some(answer));
        }
    });
    view! {
        <section class="page checkout">
            <h1>{i18n.tr("checkout-title")}</h1>
            <RequireSignIn need="checkout-need-login">
                {move || match info.get() {
                    None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Some(Ok(session)) => view! { <Session session=session info=info refused=refused/> }.into_any(),
                }}
            </RequireSignIn>
        </section>
    }
}

/// The session in its state.
#[component]
fn Session(
    session: CheckoutInfo,
    info: RwSignal<Option<Result<CheckoutInfo, ApiError>>>,
    refused: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let price = crate::pages::me::price(i18n, &session.plan);
    let credits = i18n.t_args("sub-credits", [("count", (session.plan.credits as i64).into())]);
    let summary = i18n.t_args(
        "checkout-summary",
        [
            ("plan", session.plan.name.clone().into()),
            ("price", price.clone().into()),
            ("credits", credits.into()),
        ],
    );
    let body = match session.state {
        CheckoutState::Open => view! {
            <ErrorAlert message=refused/>
            <Pay id=session.id.clone() price=price info=info refused=refused/>
        }
        .into_any(),
        CheckoutState::Confirming => {
            view! { <Confirm id=session.id.clone() info=info refused=refused/> }.into_any()
        }
        CheckoutState::Complete => {
            let done = i18n.t_args("checkout-done", [("plan", session.plan.name.clone().into())]);
            view! {
                <p class="notice" role="status">{done}</p>
                <p class="actions">
                    <A href="/image" attr:class="btn btn-primary">{i18n.tr("checkout-to-editor")}</A>
                    <A href="/me#subscription" attr:class="btn">{i18n.tr("checkout-to-subscription")}</A>
                </p>
            }
            .into_any()
        }
        CheckoutState::Expired => view! {
            <p class="alert" role="alert">{i18n.tr("checkout-expired")}</p>
            <p><A href="/me#subscription">{i18n.tr("checkout-to-subscription")}</A></p>
        }
        .into_any(),
    };
    view! {
        <div class="card">
            <p class="checkout-summary" data-testid="checkout-summary">{summary}</p>
            {session.test_mode.then(|| view! { <p class="hint checkout-test">{i18n.tr("checkout-test-mode")}</p> })}
            {body}
        </div>
    }
}

/// The card form, paying the session.
#[component]
fn Pay(
    id: String,
    price: String,
    info: RwSignal<Option<Result<CheckoutInfo, ApiError>>>,
    refused: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Submit::new();
    let id = StoredValue::new(id);
    let on_card = Callback::new(move |card: CardDetails| {
        form.run(async move { api::pay_checkout(&id.get_value(), &card).await }, move |paid| {
            refused.set(None);
            info.set(Some(Ok(paid)));
        });
    });
    let label = i18n.t_args("checkout-pay", [("price", price.into())]);
    view! { <CardForm form=form label=label on_card=on_card/> }
}

/// The extra confirmation step (what a bank's 3-D Secure page does, in test mode).
#[component]
fn Confirm(
    id: String,
    info: RwSignal<Option<Result<CheckoutInfo, ApiError>>>,
    refused: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Submit::new();
    let pending = form.pending;
    let id = StoredValue::new(id);
    let answer = move |approve: bool| {
        form.attempt(async move { api::confirm_checkout(&id.get_value(), approve).await }, move |answer| {
            match answer {
                Ok(session) => info.set(Some(Ok(session))),
                Err(e) => {
                    // Refused: the card form is back, with the reason over it.
                    refused.set(Some(error_text(i18n, &e)));
                    leptos::task::spawn_local(async move {
                        if let Ok(session) = api::checkout(&id.get_value()).await {
                            info.set(Some(Ok(session)));
                        }
                    });
                }
            }
        });
    };
    view! {
        <p>{i18n.tr("checkout-confirm-lead")}</p>
        <p class="actions">
            <button type="button" class="btn btn-primary" disabled=move || pending.get() on:click=move |_| answer(true)>
                {i18n.tr("checkout-confirm")}
            </button>
            <button type="button" class="btn" disabled=move || pending.get() on:click=move |_| answer(false)>
                {i18n.tr("checkout-refuse")}
            </button>
        </p>
    }
}

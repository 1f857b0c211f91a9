//! Me → Subscription: the plan, the credits left and used in this period, when the next period's credits
//! come; a renewal that wasn't paid and paying it; changing plans (the proration shown before confirming),
//! cancelling and resuming; the plans on offer with what each kind of edit costs; the cards on file and the
//! billing history.

use super::cards::{PaymentMethods, ProcessorCards};
use super::invoices::Invoices;
use crate::api;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::toast::use_toasts;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::{use_i18n, I18n};
use crate::state::idempotency_key;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{Costs, Credits, PlanChange, PlanInfo};

/// An amount as the person's language writes money (`$12.00`, `US$12.00`).
pub fn money(i18n: I18n, cents: u64, currency: &str) -> String {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into()).is_ok();
    let amount = cents as f64 / 100.0;
    if set("style", "currency") && set("currency", &currency.to_ascii_uppercase()) {
        let locales = js_sys::Array::of1(&i18n.locale().tag().into());
        let format = js_sys::Intl::NumberFormat::new(&locales, &options);
        if let Some(text) = format.format().call1(&format, &amount.into()).ok().and_then(|v| v.as_string()) {
            return text;
        }
    }
    format!("{} {amount:.2}", currency.to_ascii_uppercase())
}

/// A month's price (`$12.00 a month`), or "Free".
pub fn price(i18n: I18n, plan: &PlanInfo) -> String {
    if plan.price_cents == 0 {
        return i18n.t("sub-price-free");
    }
    let text = money(i18n, plan.price_cents, &plan.currency);
    i18n.t_args("sub-price-month", [("price", text.into())])
}

/// The Subscription section.
#[component]
pub fn Subscription() -> impl IntoView {
    let i18n = use_i18n();
    let credits = LocalResource::new(api::credits);
    let plans = LocalResource::new(api::plans);
    // Bumped after anything that may have made an invoice: the history reads again.
    let tick = RwSignal::new(0u32);
    let refresh = Callback::new(move |()| {
        credits.refetch();
        tick.update(|t| *t += 1);
    });
    let known = move || credits.get().and_then(Result::ok);
    // Back from the processor's checkout page: its event starts the plan a moment later, so the plan is
    // read again every two seconds (for half a minute) until it has.
    let back_from_checkout = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("checkout").is_some_and(|v| v == "done"));
    if back_from_checkout {
        let tries = StoredValue::new(0u32);
        Effect::new(move |_| {
            let waiting = credits.get().and_then(Result::ok).is_some_and(|c| c.plan.price_cents == 0);
            if waiting && tries.get_value() < 15 {
                tries.update_value(|t| *t += 1);
                set_timeout(move || credits.refetch(), std::time::Duration::from_secs(2));
            }
        });
    }
    view! {
        <section class="card subscription" id="subscription" aria-labelledby="subscription-title">
            <h2 id="subscription-title">{i18n.tr("sub-title")}</h2>
            {move || {
                let confirming = back_from_checkout && known().is_some_and(|c| c.plan.price_cents == 0);
                confirming.then(|| view! { <p class="notice" role="status">{i18n.tr("sub-confirming")}</p> })
            }}
            {move || match credits.get() {
                None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(c)) => view! { <Current credits=c refresh=refresh/> }.into_any(),
            }}
            {move || {
                let current = known();
                plans.get().and_then(Result::ok).map(|p| view! { <PlanTable plans=p.plans costs=p.costs current=current refresh=refresh/> })
            }}
            {move || known().map(|c| {
                if c.cards_at_processor {
                    return view! { <ProcessorCards/> }.into_any();
                }
                let renewing = (c.plan.price_cents > 0 && !c.cancel_at_period_end).then(|| c.plan.name.clone());
                view! { <PaymentMethods renewing=renewing changed=refresh/> }.into_any()
            })}
            <Invoices tick=tick/>
        </section>
    }
}

/// A renewal that wasn't paid: when it is tried again, and paying it now.
#[component]
fn PastDue(credits: Credits, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let form = Submit::new();
    let toasts = use_toasts();
    let retry = credits.retry_at.as_ref().map(|at| clock.date(at)).unwrap_or_default();
    let amount = money(i18n, credits.plan.price_cents, &credits.plan.currency);
    let lead = i18n.t_args(
        "sub-past-due",
        [
            ("plan", credits.plan.name.clone().into()),
            ("amount", amount.clone().into()),
            ("date", retry.into()),
        ],
    );
    let pay = move |_| {
        let paid = i18n.t_args("sub-paid", [("amount", amount.clone().into())]);
        form.run(api::pay_now(), move |_| {
            toasts.note(paid);
            refresh.run(());
        });
    };
    view! {
        <div class="notice notice-warn" role="alert" data-testid="past-due">
            <p>{lead}</p>
            <p class="actions">
                <button type="button" class="btn btn-primary" disabled=move || form.pending.get() on:click=pay>
                    {i18n.tr("sub-pay-now")}
                </button>
                <a class="btn" href="#payment-methods">{i18n.tr("sub-use-another-card")}</a>
            </p>
            <ErrorAlert message=form.errors.general/>
        </div>
    }
}

/// The person's plan and credits; ending a paid plan at the end of its period (or not after all); keeping
/// it when a lower one is scheduled.
#[component]
fn Current(credits: Credits, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let renews = clock.date(&credits.period_end);
    let status = match (&credits.next_plan, credits.status.as_str()) {
        (_, "past_due") => Some(i18n.t("sub-status-past-due")),
        (_, "cancelled") => Some(i18n.t("sub-status-cancelled")),
        _ if credits.cancel_at_period_end => Some(i18n.t_args("sub-ends", [("date", renews.clone().into())])),
        (Some(next), _) => {
            Some(i18n.t_args(
                "sub-changes-on",
                [("plan", next.name.clone().into()), ("date", renews.clone().into())],
            ))
        }
        _ => None,
    };
    let left = credits.balance.max(0);
    let granted = credits.plan.credits;
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let dialogs = use_dialogs();
    let plan_name = credits.plan.name.clone();
    let plan_id = credits.plan.id.clone();
    let renewal = (credits.plan.price_cents > 0 && credits.status != "past_due").then(|| {
        let set = move |cancel: bool| {
            form.run(async move { api::set_plan_renewal(cancel).await }, move |_| refresh.run(()));
        };
        let keep = i18n.t_args("sub-keep", [("plan", plan_name.clone().into())]);
        if credits.cancel_at_period_end {
            view! { <button type="button" class="btn" disabled=move || pending.get() on:click=move |_| set(false)>{keep}</button> }
                .into_any()
        } else {
            let question = i18n.t_args(
                "sub-cancel-question",
                [("plan", plan_name.clone().into()), ("date", renews.clone().into())],
            );
            let confirm_args = [("plan", plan_name.clone().into()), ("date", renews.clone().into())];
            let ask = move |_| {
                dialogs.confirm(Confirm {
                    question: question.clone(),
                    confirm: i18n.t_args("sub-cancel-confirm", confirm_args.clone()),
                    danger: true,
                    then: Callback::new(move |()| set(true)),
                });
            };
            let label = i18n.t_args("sub-cancel", [("plan", plan_name.clone().into())]);
            // A lower plan scheduled: keeping this one drops it.
            let keep_button = credits.next_plan.is_some().then(|| {
                let plan_id = plan_id.clone();
                let keep_plan = move |_| {
                    let (plan_id, key) = (plan_id.clone(), idempotency_key());
                    form.run(async move { api::change_plan(&plan_id, &key).await }, move |_| refresh.run(()));
                };
                view! { <button type="button" class="btn" disabled=move || pending.get() on:click=keep_plan>{keep.clone()}</button> }
            });
            view! {
                {keep_button}
                <button type="button" class="btn" disabled=move || pending.get() on:click=ask>{label}</button>
            }
            .into_any()
        }
    });
    let renews_line = if credits.cancel_at_period_end {
        i18n.t_args("sub-then-free", [("date", renews.clone().into())])
    } else {
        let next = credits.next_plan.as_ref().unwrap_or(&credits.plan);
        i18n.t_args(
            "sub-renews-on",
            [("date", renews.clone().into()), ("count", (next.credits as i64).into())],
        )
    };
    let past_due =
        (credits.status == "past_due").then(|| view! { <PastDue credits=credits.clone() refresh=refresh/> });
    view! {
        {past_due}
        <dl class="facts">
            <dt>{i18n.tr("sub-plan")}</dt>
            <dd data-testid="plan-name">{credits.plan.name.clone()} {status.map(|s| view! { <span class="muted">" · " {s}</span> })}</dd>
            <dt>{i18n.tr("sub-left")}</dt>
            <dd data-testid="credits-left">
                {i18n.t_args("sub-left-of", [("left", left.into()), ("granted", (granted as i64).into())])}
                <meter min="0" max=granted.max(1).to_string() value=left.to_string() aria-hidden="true"></meter>
            </dd>
            <dt>{i18n.tr("sub-used")}</dt>
            <dd>{i18n.t_args("sub-credits", [("count", (credits.used as i64).into())])}</dd>
            <dt>{i18n.tr("sub-renews")}</dt>
            <dd data-testid="renews">{renews_line}</dd>
        </dl>
        {renewal.map(|button| view! { <p class="actions">{button}</p> })}
        <ErrorAlert message=errors.general/>
    }
}

/// The question before a change of plan, from its proration.
fn change_question(
    i18n: I18n,
    clock: crate::components::time::Clock,
    change: &PlanChange,
) -> (String, String) {
    let to = change.to.name.clone();
    let renews = price(i18n, &change.to);
    let date = clock.date(&change.effective_at);
    if change.when == "now" {
        let amount = money(i18n, change.amount_cents, &change.currency);
        let question = i18n.t_args(
            "sub-switch-now",
            [
                ("plan", to.clone().into()),
                ("amount", amount.clone().into()),
                ("days", (change.days_left as i64).into()),
                ("total", (change.days_in_period as i64).into()),
                ("credits", (change.credits as i64).into()),
                ("price", renews.into()),
            ],
        );
        (question, i18n.t_args("sub-switch-pay", [("amount", amount.into()), ("plan", to.into())]))
    } else {
        let question = i18n.t_args(
            "sub-switch-later",
            [
                ("plan", to.clone().into()),
                ("from", change.from.name.clone().into()),
                ("date", date.clone().into()),
                ("price", renews.into()),
            ],
        );
        (question, i18n.t_args("sub-switch-on", [("plan", to.into()), ("date", date.into())]))
    }
}

/// The plans on offer — from Free a checkout for each paid one; on a paid plan, switching to the other
/// (its proration asked first) — and what each kind of edit costs.
#[component]
fn PlanTable(
    plans: Vec<PlanInfo>,
    costs: Costs,
    current: Option<Credits>,
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let navigate = use_navigate();
    let dialogs = use_dialogs();
    let toasts = use_toasts();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let on_free = current.as_ref().is_some_and(|c| c.plan.price_cents == 0);
    let switchable = current.as_ref().is_some_and(|c| c.plan.price_cents > 0 && c.status != "past_due");
    let current_id = current.as_ref().map(|c| c.plan.id.clone()).unwrap_or_default();
    let buttons = plans
        .iter()
        .filter(|p| p.price_cents > 0 && p.id != current_id && (on_free || switchable))
        .map(|p| {
            let id = p.id.clone();
            let navigate = navigate.clone();
            let (label, class) = if on_free {
                (i18n.t_args("sub-choose", [("plan", p.name.clone().into())]), "btn btn-primary")
            } else {
                (i18n.t_args("sub-switch", [("plan", p.name.clone().into())]), "btn")
            };
            let choose = move |_| {
                let (id, navigate) = (id.clone(), navigate.clone());
                let key = idempotency_key();
                if on_free {
                    form.run(async move { api::open_checkout(&id, &key).await }, move |session| {
                        match session.url {
                            // The processor's own checkout page (Stripe).
                            Some(url) => {
                                let _ = window().location().set_href(&url);
                            }
                            None => {
                                navigate(&format!("/billing/checkout/{}", session.id), Default::default())
                            }
                        }
                    });
                    return;
                }
                let preview_id = id.clone();
                form.run(async move { api::preview_change(&preview_id).await }, move |change: PlanChange| {
                    let (question, confirm) = change_question(i18n, clock, &change);
                    let then = Callback::new(move |()| {
                        let (id, key) = (id.clone(), key.clone());
                        let done = i18n.t_args("sub-switched", [("plan", change.to.name.clone().into())]);
                        let later = change.when != "now";
                        form.run(async move { api::change_plan(&id, &key).await }, move |_| {
                            if !later {
                                toasts.note(done);
                            }
                            refresh.run(());
                        });
                    });
                    dialogs.confirm(Confirm { question, confirm, danger: false, then });
                });
            };
            view! {
                <button type="button" class=class disabled=move || pending.get() on:click=choose>
                    {label}
                </button>
            }
        })
        .collect_view();
    let rows = plans
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{price(i18n, &p)}</td>
                    <td>{i18n.t_args("sub-credits", [("count", (p.credits as i64).into())])}</td>
                    <td>{format!("{} MP", p.max_megapixels)}</td>
                </tr>
            }
        })
        .collect_view();
    let cost = |key: &'static str, n: u64| {
        view! { <li>{i18n.t_args(key, [("count", (n as i64).into())])}</li> }
    };
    view! {
        <h3>{i18n.tr("sub-plans")}</h3>
        <div class="table-scroll">
            <table class="ledger plans">
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("sub-plan")}</th>
                        <th scope="col">{i18n.tr("sub-price")}</th>
                        <th scope="col">{i18n.tr("sub-monthly")}</th>
                        <th scope="col">{i18n.tr("sub-largest")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="actions">{buttons}</p>
        <ErrorAlert message=errors.general/>
        <h3>{i18n.tr("sub-costs")}</h3>
        <ul class="costs">
            {cost("sub-cost-edit", costs.edit)}
            {cost("sub-cost-clip", costs.clip)}
            {cost("sub-cost-provider", costs.provider_image)}
            {cost("sub-cost-video", costs.video)}
        </ul>
    }
}

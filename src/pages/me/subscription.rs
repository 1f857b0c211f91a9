//! Me → Subscription: the plan, the credits left and used in this period, when the next period's credits
//! come, and the plans on offer with what each kind of edit costs.

use crate::api;
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::{use_i18n, I18n};
use crate::state::idempotency_key;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{Costs, Credits, PlanInfo};

/// An amount as the person's language writes money (`$12.00`, `US$12.00`).
fn money(i18n: I18n, cents: u64, currency: &str) -> String {
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
    view! {
        <section class="card subscription" id="subscription" aria-labelledby="subscription-title">
            <h2 id="subscription-title">{i18n.tr("sub-title")}</h2>
            {move || match credits.get() {
                None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(c)) => view! { <Current credits=c refresh=Callback::new(move |()| credits.refetch())/> }.into_any(),
            }}
            {move || {
                let current = credits.get().and_then(Result::ok).map(|c| c.plan.priority);
                plans.get().and_then(Result::ok).map(|p| view! { <PlanTable plans=p.plans costs=p.costs current=current/> })
            }}
            <Invoices/>
        </section>
    }
}

/// The person's plan and credits, and ending a paid plan at the end of its period (or not after all).
#[component]
fn Current(credits: Credits, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let renews = clock.date(&credits.period_end);
    let status = match credits.status.as_str() {
        "past_due" => Some(i18n.t("sub-status-past-due")),
        "cancelled" => Some(i18n.t("sub-status-cancelled")),
        _ if credits.cancel_at_period_end => Some(i18n.t_args("sub-ends", [("date", renews.clone().into())])),
        _ => None,
    };
    let left = credits.balance.max(0);
    let granted = credits.plan.credits;
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let dialogs = crate::components::dialog::use_dialogs();
    let plan_name = credits.plan.name.clone();
    let renewal = (credits.plan.price_cents > 0).then(|| {
        let set = move |cancel: bool| {
            form.run(async move { api::set_plan_renewal(cancel).await }, move |_| refresh.run(()));
        };
        if credits.cancel_at_period_end {
            let keep = i18n.t_args("sub-keep", [("plan", plan_name.clone().into())]);
            view! { <button type="button" class="btn" disabled=move || pending.get() on:click=move |_| set(false)>{keep}</button> }
                .into_any()
        } else {
            let question = i18n.t_args(
                "sub-cancel-question",
                [("plan", plan_name.clone().into()), ("date", renews.clone().into())],
            );
            let confirm_args = [("plan", plan_name.clone().into()), ("date", renews.clone().into())];
            let ask = move |_| {
                dialogs.confirm(crate::components::dialog::Confirm {
                    question: question.clone(),
                    confirm: i18n.t_args("sub-cancel-confirm", confirm_args.clone()),
                    danger: true,
                    then: Callback::new(move |()| set(true)),
                });
            };
            let label = i18n.t_args("sub-cancel", [("plan", plan_name.clone().into())]);
            view! { <button type="button" class="btn" disabled=move || pending.get() on:click=ask>{label}</button> }
                .into_any()
        }
    });
    let renews_line = if credits.cancel_at_period_end {
        i18n.t_args("sub-then-free", [("date", renews.clone().into())])
    } else {
        i18n.t_args("sub-renews-on", [("date", renews.clone().into()), ("count", (granted as i64).into())])
    };
    view! {
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

/// The plans on offer (with a button for each one above the person's, `current`), and what each kind of
/// edit costs.
#[component]
fn PlanTable(plans: Vec<PlanInfo>, costs: Costs, current: Option<u8>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let upgrades = plans
        .iter()
        .filter(|p| current.is_some_and(|c| p.priority > c))
        .map(|p| {
            let (id, label) = (p.id.clone(), i18n.t_args("sub-choose", [("plan", p.name.clone().into())]));
            let navigate = navigate.clone();
            let choose = move |_| {
                let (id, navigate) = (id.clone(), navigate.clone());
                let key = idempotency_key();
                form.run(async move { api::open_checkout(&id, &key).await }, move |session| {
                    navigate(&format!("/billing/checkout/{}", session.id), Default::default());
                });
            };
            view! {
                <button type="button" class="btn btn-primary" disabled=move || pending.get() on:click=choose>
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
        <p class="actions">{upgrades}</p>
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

/// The billing history: each paid period, with its printable invoice.
#[component]
fn Invoices() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let list = LocalResource::new(api::invoices);
    move || {
        let invoices = list.get()?.ok()?;
        let rows = invoices
            .into_iter()
            .map(|invoice| {
                let status = if invoice.status == "paid" {
                    i18n.t("sub-invoice-paid")
                } else {
                    invoice.status.clone()
                };
                view! {
                    <tr>
                        <td>{clock.date(&invoice.created_at)}</td>
                        <td>{invoice.plan.clone()}</td>
                        <td>{money(i18n, invoice.amount_cents, &invoice.currency)}</td>
                        <td>{status}</td>
                        <td>
                            <a href=api::invoice_url(&invoice.id) target="_blank" rel="noopener">
                                {i18n.tr("sub-invoice-open")}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        let body = if rows.is_empty() {
            view! { <p class="muted">{i18n.tr("sub-history-empty")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="ledger invoices">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr("sub-invoice-date")}</th>
                                <th scope="col">{i18n.tr("sub-plan")}</th>
                                <th scope="col">{i18n.tr("sub-invoice-amount")}</th>
                                <th scope="col">{i18n.tr("sub-invoice-status")}</th>
                                <th scope="col">{i18n.tr("sub-invoice")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        Some(view! {
            <h3>{i18n.tr("sub-history")}</h3>
            {body}
        })
    }
}

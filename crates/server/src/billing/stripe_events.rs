//! Stripe's events, applied to the subscription row and the credit ledger (the signature, the replay check
//! and the per-subscription order are `webhook.rs`'s). Shapes are those of [`super::stripe::API_VERSION`].
//!
//! - `checkout.session.completed`: the account's customer and subscription are linked and the plan starts.
//! - `invoice.paid`: the invoice is recorded (once, by its id); a first or renewal invoice for a period
//!   newer than the one here starts that period with its credits; one for a past-due period makes it
//!   active with its credits.
//! - `invoice.payment_failed` (a renewal): the new period begins past due, with no credits, an open
//!   invoice and a letter; Stripe retries on its own schedule and says when (`next_payment_attempt`).
//! - `customer.subscription.updated`: cancel at period end or not, a plan changed elsewhere (up at once
//!   with the credits for the days left, down at the period's end), or an ended status → Free.
//! - `customer.subscription.deleted`: Free from now (with a letter when it ended unpaid).
//!
//! An event about an account ViNano doesn't know is acknowledged and ignored (Stripe would otherwise
//! resend it for days).

use super::invoices::{self, Bill};
use super::stripe::StripeConfig;
use super::webhook::Outcome;
use super::{dunning, ledger, Plan, PLAN_IDS};
use crate::config::Config;
use crate::error::Error;
use serde_json::Value;
use sqlx::AnyConnection;
use vinano_api::Msg;

/// The settings the events are read with.
pub type With<'a> = (&'a Config, &'a StripeConfig);

fn text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

/// Seconds as Stripe sends them → milliseconds.
fn ms(object: &Value, pointer: &str) -> Option<i64> {
    object.pointer(pointer).and_then(Value::as_i64).map(|s| s.saturating_mul(1000))
}

/// The account of a Stripe customer.
async fn account(tx: &mut AnyConnection, customer: Option<&str>) -> Result<Option<String>, Error> {
    let Some(customer) = customer else { return Ok(None) };
    Ok(sqlx::query_scalar("SELECT user_id FROM subscriptions WHERE processor_customer = $1")
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?)
}

/// Applies one event of `kind` made at `created` (seconds) about `object`.
pub async fn apply(
    tx: &mut AnyConnection,
    with: With<'_>,
    (kind, created): (&str, i64),
    object: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    match kind {
        "checkout.session.completed" => checkout_completed(tx, with, created, object, now).await,
        "invoice.paid" => invoice_paid(tx, with, object, now).await,
        "invoice.payment_failed" => payment_failed(tx, with, object, now).await,
        "customer.subscription.updated" | "customer.subscription.deleted" => {
            let Some(user_id) = account(tx, text(object, "/customer")).await? else {
                return Ok(Outcome::Ignored);
            };
            let last: i64 = sqlx::query_scalar("SELECT last_event_at FROM subscriptions WHERE user_id = $1")
                .bind(&user_id)
                .fetch_one(&mut *tx)
                .await?;
            if created < last {
                return Ok(Outcome::Stale);
            }
            sqlx::query("UPDATE subscriptions SET last_event_at = $1 WHERE user_id = $2")
                .bind(created)
                .bind(&user_id)
                .execute(&mut *tx)
                .await?;
            let ended = kind == "customer.subscription.deleted"
                || matches!(text(object, "/status"), Some("canceled" | "unpaid" | "incomplete_expired"));
            if ended {
                subscription_ended(tx, with.0, &user_id, object, now).await
            } else {
                subscription_updated(tx, with, &user_id, object, now).await
            }
        }
        _ => Ok(Outcome::Ignored),
    }
}

async fn checkout_completed(
    tx: &mut AnyConnection,
    (config, _): With<'_>,
    created: i64,
    object: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    let (Some(session), Some(user_id)) = (text(object, "/id"), text(object, "/client_reference_id")) else {
        return Err(Error::invalid(Msg::WebhookBody));
    };
    let plan: Option<String> =
        sqlx::query_scalar("SELECT plan FROM checkout_sessions WHERE id = $1 AND user_id = $2")
            .bind(session)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(plan) = plan else {
        tracing::warn!(session, "a Stripe checkout ViNano didn't open; ignored");
        return Ok(Outcome::Ignored);
    };
    let before = ledger::current(tx, config, user_id, now).await?;
    sqlx::query(
        "UPDATE subscriptions SET processor_customer = COALESCE(processor_customer, $1),
                                  processor_subscription = COALESCE($2, processor_subscription),
                                  last_event_at = CASE WHEN last_event_at > $3 THEN last_event_at ELSE $3 END
         WHERE user_id = $4",
    )
    .bind(text(object, "/customer"))
    .bind(text(object, "/subscription"))
    .bind(created)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE checkout_sessions SET state = 'complete' WHERE id = $1")
        .bind(session)
        .execute(&mut *tx)
        .await?;
    // Its first invoice may have started the plan already (Stripe doesn't promise an order).
    if before.plan != plan {
        let plan = config.billing.plan(&plan);
        ledger::start_plan(tx, config, user_id, plan, now, "plan changed").await?;
    }
    Ok(Outcome::Applied)
}

/// The line of an invoice that is the subscription's own (not a proration), else its last.
fn main_line(invoice: &Value) -> Option<&Value> {
    let lines = invoice.pointer("/lines/data")?.as_array()?;
    lines.iter().find(|l| l["proration"] == Value::Bool(false)).or(lines.last())
}

/// The invoice's plan and period (ms), from its main line.
fn plan_and_period<'a>(
    (config, stripe): With<'a>,
    invoice: &Value,
) -> Option<(&'a Plan, (i64, i64), Option<String>)> {
    let line = main_line(invoice)?;
    let plan = stripe.plan_of(text(line, "/price/id")?)?;
    let period = (ms(line, "/period/start")?, ms(line, "/period/end")?);
    let item = text(line, "/subscription_item").map(str::to_string);
    Some((config.billing.plan(plan), period, item))
}

/// An invoice's account (`None`: not one of ViNano's), plan, period and subscription item (422 when its
/// lines don't name a plan's price and a period).
async fn invoice_of<'a>(
    tx: &mut AnyConnection,
    with: With<'a>,
    invoice: &Value,
) -> Result<Option<(String, (&'a Plan, (i64, i64), Option<String>))>, Error> {
    let Some(user_id) = account(tx, text(invoice, "/customer")).await? else { return Ok(None) };
    let found = plan_and_period(with, invoice).ok_or(Error::invalid(Msg::WebhookBody))?;
    Ok(Some((user_id, found)))
}

/// Records the invoice (once) with `status`; returns its id here.
async fn record(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    invoice: &Value,
    (plan, period): (&Plan, (i64, i64)),
    status: &str,
    now: i64,
) -> Result<String, Error> {
    let stripe_id = text(invoice, "/id").ok_or(Error::invalid(Msg::WebhookBody))?;
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM invoices WHERE processor_invoice = $1")
        .bind(stripe_id)
        .fetch_optional(&mut *tx)
        .await?;
    let paid_with = (status == "paid").then_some("card (Stripe)");
    if let Some(id) = known {
        sqlx::query("UPDATE invoices SET status = $1, paid_with = COALESCE($2, paid_with) WHERE id = $3")
            .bind(status)
            .bind(paid_with)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        return Ok(id);
    }
    let amount = if status == "paid" { "/amount_paid" } else { "/amount_due" };
    let amount_cents = invoice.pointer(amount).and_then(Value::as_i64).unwrap_or(0).max(0) as u64;
    let description = match text(invoice, "/billing_reason") {
        Some("subscription_update") => format!("Change to {} for the rest of the period", plan.name),
        _ => String::new(),
    };
    let bill = Bill { plan, amount_cents, period, paid_with, description: &description, key: None };
    let id = invoices::record(tx, &config.billing, user_id, &bill, now).await?;
    sqlx::query("UPDATE invoices SET processor_invoice = $1, status = $2 WHERE id = $3")
        .bind(stripe_id)
        .bind(status)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// An invoice was paid (an event, or the answer to paying one now).
pub async fn invoice_paid(
    tx: &mut AnyConnection,
    with: With<'_>,
    invoice: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    let config = with.0;
    let Some((user_id, (plan, (start, end), item))) = invoice_of(tx, with, invoice).await? else {
        return Ok(Outcome::Ignored);
    };
    let here = ledger::current(tx, config, &user_id, now).await?;
    let id = record(tx, config, &user_id, invoice, (plan, (start, end)), "paid", now).await?;
    sqlx::query(
        "UPDATE subscriptions SET processor_subscription = COALESCE($1, processor_subscription),
                                  processor_item = COALESCE($2, processor_item)
         WHERE user_id = $3",
    )
    .bind(text(invoice, "/subscription"))
    .bind(item)
    .bind(&user_id)
    .execute(&mut *tx)
    .await?;
    let reason = text(invoice, "/billing_reason").unwrap_or_default();
    if !matches!(reason, "subscription_create" | "subscription_cycle") {
        return Ok(Outcome::Applied);
    }
    if here.start < start || (here.plan == PLAN_IDS[0] && reason == "subscription_create") {
        // A period newer than the one here (a renewal, or the first before its checkout's event).
        let period = (start.max(here.start), end);
        ledger::start_period(tx, config, &user_id, (plan, Some(&id)), period, "the period ended").await?;
    } else if here.status == "past_due" && here.start == start {
        sqlx::query(
            "UPDATE subscriptions SET status = 'active', retry_at = NULL, updated_at = $1 WHERE user_id = $2",
        )
        .bind(now)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        ledger::grant(tx, &user_id, plan, (now, start), Some(&id)).await?;
        let amount = invoices::amount(plan.price_cents, &config.billing.currency);
        let args = [("plan", plan.name.as_str()), ("amount", &amount), ("card", "card (Stripe)")];
        dunning::letter(tx, config, (&user_id, now), "mail-payment-received", None, &args).await?;
    }
    Ok(Outcome::Applied)
}

async fn payment_failed(
    tx: &mut AnyConnection,
    with: With<'_>,
    invoice: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    let config = with.0;
    if text(invoice, "/billing_reason") != Some("subscription_cycle") {
        // A first payment is retried on Stripe's checkout page; a change's is refused as it is made.
        return Ok(Outcome::Ignored);
    }
    let Some((user_id, (plan, (start, end), _))) = invoice_of(tx, with, invoice).await? else {
        return Ok(Outcome::Ignored);
    };
    let here = ledger::current(tx, config, &user_id, now).await?;
    if here.start > start {
        return Ok(Outcome::Stale);
    }
    if here.start < start {
        // The new period begins past due: what was left expires, nothing is granted until it is paid.
        ledger::expire_left(tx, &user_id, (start, here.start), "the period ended").await?;
        dunning::void_open(tx, &user_id).await?;
        sqlx::query(
            "UPDATE subscriptions SET plan = $1, period_start = $2, period_end = $3, cancel_at_period_end = 0,
                                      next_plan = NULL, updated_at = $4
             WHERE user_id = $5",
        )
        .bind(plan.id)
        .bind(start)
        .bind(end)
        .bind(now)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    }
    record(tx, config, &user_id, invoice, (plan, (start, end)), "open", now).await?;
    let retry_at = ms(invoice, "/next_payment_attempt");
    sqlx::query("UPDATE subscriptions SET status = 'past_due', retry_at = $1 WHERE user_id = $2")
        .bind(retry_at)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    let amount = invoices::amount(plan.price_cents, &config.billing.currency);
    let retry = retry_at.map(|at| crate::clock::timestamp(at).date().to_string()).unwrap_or_default();
    let args = [("plan", plan.name.as_str()), ("amount", &amount), ("retry", &retry)];
    dunning::letter(tx, config, (&user_id, now), "mail-payment-failed", Some(Msg::CardDeclined), &args)
        .await?;
    Ok(Outcome::Applied)
}

async fn subscription_updated(
    tx: &mut AnyConnection,
    (config, stripe): With<'_>,
    user_id: &str,
    object: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    let here = ledger::current(tx, config, user_id, now).await?;
    sqlx::query(
        "UPDATE subscriptions SET processor_subscription = $1, processor_item = COALESCE($2, processor_item)
         WHERE user_id = $3",
    )
    .bind(text(object, "/id"))
    .bind(text(object, "/items/data/0/id"))
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if here.plan == PLAN_IDS[0] {
        // Not started here yet: its checkout's or first invoice's event does that.
        return Ok(Outcome::Applied);
    }
    if here.status == "past_due" {
        // Stripe is still trying to collect: its paid or ended events say how that goes.
        return Ok(Outcome::Applied);
    }
    let cancel = object["cancel_at_period_end"] == Value::Bool(true);
    if cancel != here.cancel_at_period_end {
        ledger::set_cancel(tx, config, user_id, now, cancel).await?;
    }
    let Some(plan) = text(object, "/items/data/0/price/id").and_then(|p| stripe.plan_of(p)) else {
        return Ok(Outcome::Applied);
    };
    let scheduled = here.next_plan.as_deref();
    if plan == here.plan && scheduled.is_some() {
        // The plan is kept after all.
        super::change::apply(tx, config, user_id, (plan, super::change::Payment::Processor), None, now)
            .await?;
    } else if plan != here.plan && Some(plan) != scheduled && !cancel {
        // Changed elsewhere (the Customer Portal): up at once with the days' credits, down at the end.
        super::change::apply(tx, config, user_id, (plan, super::change::Payment::Processor), None, now)
            .await?;
    }
    Ok(Outcome::Applied)
}

async fn subscription_ended(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    object: &Value,
    now: i64,
) -> Result<Outcome, Error> {
    let here = ledger::current(tx, config, user_id, now).await?;
    sqlx::query(
        "UPDATE subscriptions SET processor_subscription = NULL, processor_item = NULL
         WHERE user_id = $1 AND (processor_subscription IS NULL OR processor_subscription = $2)",
    )
    .bind(user_id)
    .bind(text(object, "/id"))
    .execute(&mut *tx)
    .await?;
    if here.plan == PLAN_IDS[0] {
        return Ok(Outcome::Applied);
    }
    let was = config.billing.plan(&here.plan).name.clone();
    let free = &config.billing.plans[0];
    ledger::start_plan(tx, config, user_id, free, now, "plan ended").await?;
    if here.status == "past_due" {
        let args = [("plan", was.as_str()), ("free", free.name.as_str())];
        dunning::letter(tx, config, (user_id, now), "mail-plan-ended-unpaid", None, &args).await?;
    }
    Ok(Outcome::Applied)
}

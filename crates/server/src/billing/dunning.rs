//! Renewals and dunning: at the end of a paid period the person's default card is charged for the next.
//! Paid, the period begins with the plan's credits and a paid invoice. Not paid, the subscription is past
//! due: the invoice stays open, no credits are granted, the person is emailed, and the charge is tried
//! again [`RETRY_DAYS`] after the period began (or at once when they add a card or press "Pay now"). After
//! the last failed try the account moves to Free for the rest of the period. Everything reads the
//! injectable clock, and the sweep ([`sweep`], run with the retention sweep) finds what is due.

use super::cards::{self, Charge};
use super::{ledger, Plan};
use crate::config::Config;
use crate::error::Error;
use crate::periods::DAY_MS;
use crate::AppState;
use sqlx::AnyConnection;
use vinano_api::Msg;

/// Days after a failed renewal when it is tried again; after the last, the plan ends.
pub const RETRY_DAYS: [i64; 3] = [1, 3, 7];

/// Queues letter `kind` to the account, with the site's address and (for a failed charge) its `reason` in
/// the account's language.
pub(super) async fn letter(
    tx: &mut AnyConnection,
    config: &Config,
    (user_id, now): (&str, i64),
    kind: &str,
    reason: Option<Msg>,
    args: &[(&str, &str)],
) -> Result<(), Error> {
    let (email, language): (String, String) =
        sqlx::query_as("SELECT email, language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    let site = config.site_url();
    let why = reason.map(|r| crate::i18n::say(&language, &r.into())).unwrap_or_default();
    let mut all = vec![("site", site.as_str()), ("reason", why.as_str())];
    all.extend_from_slice(args);
    crate::mail::queue_letter(tx, now, user_id, &email, kind, &all).await?;
    Ok(())
}

fn day(ms: i64) -> String {
    crate::clock::timestamp(ms).date().to_string()
}

/// Voids the account's unpaid renewal (its period is over, or a checkout started another plan).
pub async fn void_open(tx: &mut AnyConnection, user_id: &str) -> Result<(), Error> {
    sqlx::query("UPDATE invoices SET status = 'void' WHERE user_id = $1 AND status = 'open'")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Charges the renewal of paid `plan` for `start`..`end` (the subscription row already names the plan
/// and period): paid, an invoice and the plan's credits; not paid, an open invoice, past due, a retry
/// scheduled and a letter. Returns whether it was paid.
pub async fn renew(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    plan: &Plan,
    (start, end): (i64, i64),
    now: i64,
) -> Result<bool, Error> {
    let settings = &config.billing;
    match cards::charge(tx, user_id, now).await? {
        Charge::Paid(with) => {
            let invoice =
                super::invoices::insert(tx, settings, user_id, plan, (start, end), Some(&with), start)
                    .await?;
            ledger::grant(tx, user_id, plan, (start, start), Some(&invoice)).await?;
            Ok(true)
        }
        Charge::Failed(reason) => {
            super::invoices::insert(tx, settings, user_id, plan, (start, end), None, start).await?;
            let retry_at = start + RETRY_DAYS[0] * DAY_MS;
            sqlx::query("UPDATE subscriptions SET status = 'past_due', retry_at = $1 WHERE user_id = $2")
                .bind(retry_at)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let amount = super::invoices::amount(plan.price_cents, &settings.currency);
            let args = [("plan", plan.name.as_str()), ("amount", &amount), ("retry", &day(retry_at))];
            letter(tx, config, (user_id, now), "mail-payment-failed", Some(reason), &args).await?;
            tracing::info!(event = "renewal_failed", user = %user_id, "a renewal was not paid; past due");
            Ok(false)
        }
    }
}

/// How a retry came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Its time on the schedule came: a failure counts towards the last try.
    Scheduled,
    /// The person pressed "Pay now" or added a card: a failure changes nothing but is reported.
    Person,
}

/// Tries the past-due renewal again. Paid: active, the plan's credits, the invoice paid, a receipt.
/// Not paid: by the schedule, the next try — or after the last, Free for the rest of the period (with a
/// letter each time); by the person, 402 with the card's reason. Nothing due: `Ok(false)`.
pub async fn retry(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    now: i64,
    trigger: Trigger,
) -> Result<bool, Error> {
    let settings = &config.billing;
    let period = ledger::current(tx, config, user_id, now).await?;
    if period.status != "past_due" {
        return Ok(false);
    }
    let open: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, attempts FROM invoices WHERE user_id = $1 AND status = 'open'
         ORDER BY created_at DESC, id LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((invoice, attempts)) = open else { return Ok(false) };
    let plan = settings.plan(&period.plan);
    let amount = super::invoices::amount(plan.price_cents, &settings.currency);
    match cards::charge(tx, user_id, now).await? {
        Charge::Paid(with) => {
            sqlx::query(
                "UPDATE invoices SET status = 'paid', paid_with = $1, attempts = attempts + 1, created_at = $2
                 WHERE id = $3",
            )
            .bind(&with)
            .bind(now)
            .bind(&invoice)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE subscriptions SET status = 'active', retry_at = NULL, updated_at = $1 WHERE user_id = $2")
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            ledger::grant(tx, user_id, plan, (now, period.start), Some(&invoice)).await?;
            let args = [("plan", plan.name.as_str()), ("amount", &amount), ("card", &with)];
            letter(tx, config, (user_id, now), "mail-payment-received", None, &args).await?;
            tracing::info!(event = "renewal_paid", user = %user_id, attempts = attempts + 1, "a past-due renewal was paid");
            Ok(true)
        }
        Charge::Failed(reason) if trigger == Trigger::Person => Err(Error::PaymentRequired(reason.into())),
        Charge::Failed(reason) => {
            sqlx::query("UPDATE invoices SET attempts = attempts + 1 WHERE id = $1")
                .bind(&invoice)
                .execute(&mut *tx)
                .await?;
            // `attempts` tries so far (the renewal was the first): the next is the schedule's `attempts`-th.
            match RETRY_DAYS.get(attempts as usize) {
                Some(days) => {
                    let retry_at = period.start + days * DAY_MS;
                    sqlx::query("UPDATE subscriptions SET retry_at = $1 WHERE user_id = $2")
                        .bind(retry_at)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                    let args = [("plan", plan.name.as_str()), ("amount", &amount), ("retry", &day(retry_at))];
                    letter(tx, config, (user_id, now), "mail-payment-failed", Some(reason), &args).await?;
                }
                None => {
                    void_open(tx, user_id).await?;
                    let free = &settings.plans[0];
                    sqlx::query(
                        "UPDATE subscriptions SET plan = $1, status = 'active', retry_at = NULL, next_plan = NULL,
                                                  cancel_at_period_end = 0, updated_at = $2
                         WHERE user_id = $3",
                    )
                    .bind(free.id)
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                    ledger::grant(tx, user_id, free, (now, period.start), None).await?;
                    let args = [("plan", plan.name.as_str()), ("free", free.name.as_str())];
                    letter(tx, config, (user_id, now), "mail-plan-ended-unpaid", None, &args).await?;
                    tracing::info!(event = "renewal_given_up", user = %user_id, "unpaid after every try; now Free");
                }
            }
            Ok(false)
        }
    }
}

/// Renews every period that has ended and tries every past-due renewal whose time has come, each account
/// in its own transaction (one failing doesn't hold up the rest). Returns how many accounts it touched.
pub async fn sweep(state: &AppState) -> anyhow::Result<u64> {
    let now = state.clock.now_ms();
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM subscriptions WHERE period_end <= $1 OR (status = 'past_due' AND retry_at <= $1)",
    )
    .bind(now)
    .fetch_all(&state.db)
    .await?;
    let mut touched = 0;
    for user_id in &due {
        let result: Result<(), Error> = async {
            let mut tx = crate::storage::db::write_tx(&state.db).await?;
            let period = ledger::current(&mut tx, &state.config, user_id, now).await?;
            // Stripe retries its own failed renewals and says how each went.
            let ours = state.config.billing.stripe.is_none();
            if ours && period.status == "past_due" && period.retry_at.is_some_and(|at| at <= now) {
                retry(&mut tx, &state.config, user_id, now, Trigger::Scheduled).await?;
            }
            crate::mail::commit_and_send(state, tx).await?;
            Ok(())
        }
        .await;
        match result {
            Ok(()) => touched += 1,
            Err(e) => tracing::error!(error = ?e, user = %user_id, "renewing a plan failed; will try again"),
        }
    }
    Ok(touched)
}

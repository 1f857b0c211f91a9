//! The credit ledger: periods, grants, expiries and reservations, each a row that is never changed.
//!
//! Everything that reads a balance to decide something does it inside a write transaction (`BEGIN
//! IMMEDIATE`), so two requests racing for the last credits are served one after the other: the second
//! sees the first one's reservation.

use super::Plan;
use crate::config::Config;
use crate::error::Error;
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};
use vinano_api::{Msg, Problem};

/// An account's plan and current period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The plan's id.
    pub plan: String,
    /// `active`, `past_due` or `cancelled`.
    pub status: String,
    /// When the period began (ms).
    pub start: i64,
    /// When it ends (ms).
    pub end: i64,
    /// The plan ends with this period.
    pub cancel_at_period_end: bool,
    /// A lower paid plan that takes over when this period ends.
    pub next_plan: Option<String>,
    /// While past due: when the unpaid renewal is tried again (ms).
    pub retry_at: Option<i64>,
}

/// The same day and time a month later (the 31st becomes the month's last day).
pub fn month_after(ms: i64) -> i64 {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let (year, month) = match at.month() {
        time::Month::December => (at.year() + 1, time::Month::January),
        m => (at.year(), m.next()),
    };
    let day = at.day().min(month.length(year));
    let next = time::Date::from_calendar_date(year, month, day)
        .map(|d| d.with_time(at.time()).assume_utc())
        .unwrap_or(at + Duration::days(30));
    (next.unix_timestamp_nanos() / 1_000_000) as i64
}

/// What the ledger holds for `user_id`: its sum.
pub async fn balance(tx: &mut AnyConnection, user_id: &str) -> Result<i64, Error> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_ledger WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?)
}

/// Credits spent or held in the period that began at `start`: reservations less refunds.
pub async fn used(tx: &mut AnyConnection, user_id: &str, start: i64) -> Result<u64, Error> {
    let used: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind IN ('reserve', 'refund') THEN -amount ELSE 0 END), 0) AS BIGINT)
         FROM credit_ledger WHERE user_id = $1 AND at >= $2",
    )
    .bind(user_id)
    .bind(start)
    .fetch_one(&mut *tx)
    .await?;
    Ok(used.max(0) as u64)
}

pub(super) async fn load(tx: &mut AnyConnection, user_id: &str) -> Result<Option<Period>, Error> {
    type Row = (String, String, i64, i64, i64, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT plan, status, period_start, period_end, cancel_at_period_end, next_plan, retry_at
         FROM subscriptions WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|(plan, status, start, end, cancel, next_plan, retry_at)| Period {
        plan,
        status,
        start,
        end,
        cancel_at_period_end: cancel != 0,
        next_plan,
        retry_at,
    }))
}

/// Writes one ledger row.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write(
    tx: &mut AnyConnection,
    user_id: &str,
    at: i64,
    kind: &str,
    amount: i64,
    reason: &str,
    period_start: i64,
    invoice_id: Option<&str>,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO credit_ledger (user_id, at, kind, amount, reason, period_start, invoice_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(at)
    .bind(kind)
    .bind(amount)
    .bind(reason)
    .bind(period_start)
    .bind(invoice_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Grants `plan`'s credits for the period that began at `start` (`at`: now, or the period's start).
pub(super) async fn grant(
    tx: &mut AnyConnection,
    user_id: &str,
    plan: &Plan,
    (at, start): (i64, i64),
    invoice_id: Option<&str>,
) -> Result<(), Error> {
    // A widget visitor gets its partner's allowance instead (`partners::visitors`).
    let (credits, reason) = match crate::partners::visitors::partner_of(tx, user_id).await? {
        Some((_, partner, allowance, _)) => {
            (allowance, format!("{partner}: a visitor's credits of the month"))
        }
        None => (plan.credits, format!("{} plan: credits of the period", plan.name)),
    };
    let amount = credits.min(i64::MAX as u64) as i64;
    write(tx, user_id, at, "grant", amount, &reason, start, invoice_id).await
}

/// Expires what is left of the balance (`reason`) at `at`, for the period that began at `start`.
pub(super) async fn expire_left(
    tx: &mut AnyConnection,
    user_id: &str,
    (at, start): (i64, i64),
    reason: &str,
) -> Result<(), Error> {
    let left = balance(tx, user_id).await?;
    if left > 0 {
        write(tx, user_id, at, "expire", -left, reason, start, None).await?;
    }
    Ok(())
}

/// The account's current period, made or moved on first: an account without one starts on Free now; a
/// period that has ended expires what is left of it and renews for the one `now` falls in — Free with its
/// credits; a plan cancelled at the end of its period becomes Free; a scheduled lower plan takes over; a
/// paid plan is charged (`dunning::renew`: paid, its credits; not paid, past due). Call it inside a write
/// transaction.
pub async fn current(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    now: i64,
) -> Result<Period, Error> {
    let settings = &config.billing;
    let Some(period) = load(tx, user_id).await? else {
        let free = &settings.plans[0];
        let end = month_after(now);
        sqlx::query(
            "INSERT INTO subscriptions (user_id, plan, status, period_start, period_end, updated_at)
             VALUES ($1, $2, 'active', $3, $4, $3)",
        )
        .bind(user_id)
        .bind(free.id)
        .bind(now)
        .bind(end)
        .execute(&mut *tx)
        .await?;
        grant(tx, user_id, free, (now, now), None).await?;
        return Ok(Period {
            plan: free.id.into(),
            status: "active".into(),
            start: now,
            end,
            cancel_at_period_end: false,
            next_plan: None,
            retry_at: None,
        });
    };
    if now < period.end {
        return Ok(period);
    }
    // With Stripe, a paid plan renews (or fails to) when Stripe says so (`stripe_events.rs`): until its
    // event arrives the period stands.
    if config.billing.stripe.is_some()
        && settings.plan(&period.plan).price_cents > 0
        && !period.cancel_at_period_end
    {
        return Ok(period);
    }
    // Months may have passed unseen: the period `now` is in follows on from the last one's dates.
    let (mut start, mut end) = (period.end, month_after(period.end));
    while end <= now {
        (start, end) = (end, month_after(end));
    }
    expire_left(tx, user_id, (period.end, period.start), "the period ended").await?;
    // A renewal still unpaid when its period is over is not asked for any more.
    super::dunning::void_open(tx, user_id).await?;
    let plan = if period.cancel_at_period_end {
        &settings.plans[0]
    } else {
        settings.plan(period.next_plan.as_deref().unwrap_or(&period.plan))
    };
    sqlx::query(
        "UPDATE subscriptions SET plan = $1, status = 'active', period_start = $2, period_end = $3,
                                  cancel_at_period_end = 0, next_plan = NULL, retry_at = NULL, updated_at = $4
         WHERE user_id = $5",
    )
    .bind(plan.id)
    .bind(start)
    .bind(end)
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if plan.price_cents > 0 {
        super::dunning::renew(tx, config, user_id, plan, (start, end), now).await?;
    } else {
        grant(tx, user_id, plan, (start, start), None).await?;
    }
    Ok(load(tx, user_id).await?.expect("the row was just written"))
}

/// Puts the account on `plan` from `now` (a checkout was paid): what is left of this period's credits
/// expires (`reason`), an unpaid renewal is voided, and a new period begins with the plan's credits. Call
/// it inside a write transaction.
pub async fn start_plan(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    plan: &Plan,
    now: i64,
    reason: &str,
) -> Result<Period, Error> {
    start_period(tx, config, user_id, (plan, None), (now, month_after(now)), reason).await
}

/// As [`start_plan`], for the period `start`..`end` the processor names (its renewal, or its first), its
/// grant tied to the processor's `invoice` when there is one.
pub async fn start_period(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    (plan, invoice): (&Plan, Option<&str>),
    (start, end): (i64, i64),
    reason: &str,
) -> Result<Period, Error> {
    let before = current(tx, config, user_id, start).await?;
    expire_left(tx, user_id, (start, before.start), reason).await?;
    super::dunning::void_open(tx, user_id).await?;
    sqlx::query(
        "UPDATE subscriptions SET plan = $1, status = 'active', period_start = $2, period_end = $3,
                                  cancel_at_period_end = 0, next_plan = NULL, retry_at = NULL, updated_at = $2
         WHERE user_id = $4",
    )
    .bind(plan.id)
    .bind(start)
    .bind(end)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    grant(tx, user_id, plan, (start, start), invoice).await?;
    Ok(load(tx, user_id).await?.expect("the row was just written"))
}

/// Ends a paid plan at the end of its period (`cancel`), or keeps it renewing (`!cancel`). Free has
/// nothing to end (409).
pub async fn set_cancel(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    now: i64,
    cancel: bool,
) -> Result<Period, Error> {
    let mut period = current(tx, config, user_id, now).await?;
    if period.plan == config.billing.plans[0].id {
        return Err(Error::Conflict(vinano_api::Msg::PlanFreeNoCancel.into()));
    }
    // Cancelling also drops a scheduled lower plan: the plan ends, it doesn't change first.
    sqlx::query(
        "UPDATE subscriptions SET cancel_at_period_end = $1, next_plan = NULL, updated_at = $2 WHERE user_id = $3",
    )
    .bind(i64::from(cancel))
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    period.cancel_at_period_end = cancel;
    period.next_plan = None;
    Ok(period)
}

/// Reserves `cost` credits for the current run of `job_id` (queued in this transaction) and gives it the
/// plan's place in the queue, or refuses with 402 when the balance can't cover it — and then the caller's transaction, job and all, is rolled back.
pub async fn reserve(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    now: i64,
    job_id: &str,
    cost: u64,
) -> Result<(), Error> {
    let settings = &config.billing;
    let period = current(tx, config, user_id, now).await?;
    let priority = super::PLAN_IDS.iter().position(|id| *id == period.plan).unwrap_or(0) as i64;
    sqlx::query("UPDATE jobs SET priority = $1 WHERE id = $2")
        .bind(priority)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
    if cost == 0 {
        return Ok(());
    }
    let left = balance(tx, user_id).await?;
    let cost = cost.min(i64::MAX as u64) as i64;
    if left < cost {
        // A widget visitor has no plan to change: its allowance renews with its period.
        if crate::partners::visitors::partner_of(tx, user_id).await?.is_some() {
            return Err(crate::partners::visitors::allowance_short(cost as u64, left, period.end));
        }
        let plan = settings.plan(&period.plan);
        let msg = if period.status == "past_due" { Msg::CreditsPastDue } else { Msg::CreditsShort };
        return Err(Error::PaymentRequired(
            Problem::new(msg)
                .num("cost", cost as u64)
                .num("balance", left.max(0) as u64)
                .text("plan", plan.name.clone()),
        ));
    }
    crate::partners::visitors::check_budget(tx, user_id, cost as u64, now).await?;
    let run: i64 = sqlx::query_scalar("SELECT retries FROM jobs WHERE id = $1 AND user_id = $2")
        .bind(job_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO credit_ledger (user_id, at, kind, amount, reason, job_id, run, period_start)
         VALUES ($1, $2, 'reserve', $3, 'edit queued', $4, $5, $6)",
    )
    .bind(user_id)
    .bind(now)
    .bind(-cost)
    .bind(job_id)
    .bind(run)
    .bind(period.start)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE jobs SET credits = $1 WHERE id = $2")
        .bind(cost)
        .bind(job_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, m: u8, d: u8) -> i64 {
        let date = time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
        (date.midnight().assume_utc().unix_timestamp()) * 1000
    }

    #[test]
    fn a_period_is_a_calendar_month() {
        assert_eq!(month_after(ms(2026, 11, 29)), ms(2026, 12, 29));
        assert_eq!(month_after(ms(2026, 12, 15)), ms(2027, 1, 15));
        assert_eq!(month_after(ms(2027, 1, 31)), ms(2027, 2, 28), "the month's last day");
        assert_eq!(month_after(ms(2028, 1, 31)), ms(2028, 2, 29), "a leap year");
        assert_eq!(month_after(ms(2026, 11, 29) + 3_723_000), ms(2026, 12, 29) + 3_723_000, "same time");
    }
}

//! The credit ledger: periods, grants, expiries and reservations, each a row that is never changed.
//!
//! Everything that reads a balance to decide something does it inside a write transaction (`BEGIN
//! IMMEDIATE`), so two requests racing for the last credits are served one after the other: the second
//! sees the first one's reservation.

use super::{Plan, Settings};
use crate::error::Error;
use sqlx::SqliteConnection;
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
pub async fn balance(tx: &mut SqliteConnection, user_id: &str) -> Result<i64, Error> {
    Ok(sqlx::query_scalar("SELECT COALESCE(SUM(amount), 0) FROM credit_ledger WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?)
}

/// Credits spent or held in the period that began at `start`: reservations less refunds.
pub async fn used(tx: &mut SqliteConnection, user_id: &str, start: i64) -> Result<u64, Error> {
    let used: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(CASE WHEN kind IN ('reserve', 'refund') THEN -amount ELSE 0 END), 0)
         FROM credit_ledger WHERE user_id = $1 AND at >= $2",
    )
    .bind(user_id)
    .bind(start)
    .fetch_one(&mut *tx)
    .await?;
    Ok(used.max(0) as u64)
}

async fn load(tx: &mut SqliteConnection, user_id: &str) -> Result<Option<Period>, Error> {
    let row: Option<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT plan, status, period_start, period_end, cancel_at_period_end FROM subscriptions WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|(plan, status, start, end, cancel)| Period {
        plan,
        status,
        start,
        end,
        cancel_at_period_end: cancel != 0,
    }))
}

async fn grant(tx: &mut SqliteConnection, user_id: &str, plan: &Plan, start: i64) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO credit_ledger (user_id, at, kind, amount, reason, period_start)
         VALUES ($1, $2, 'grant', $3, $4, $2)",
    )
    .bind(user_id)
    .bind(start)
    .bind(plan.credits.min(i64::MAX as u64) as i64)
    .bind(format!("{} plan: credits of the period", plan.name))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The account's current period, made or moved on first: an account without one starts on Free now; a
/// period that has ended expires what is left of it and grants the plan's credits for the one `now` falls
/// in (a plan cancelled at the end of its period becomes Free). Call it inside a write transaction.
pub async fn current(
    tx: &mut SqliteConnection,
    settings: &Settings,
    user_id: &str,
    now: i64,
) -> Result<Period, Error> {
    let Some(mut period) = load(tx, user_id).await? else {
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
        grant(tx, user_id, free, now).await?;
        return Ok(Period {
            plan: free.id.into(),
            status: "active".into(),
            start: now,
            end,
            cancel_at_period_end: false,
        });
    };
    if now < period.end {
        return Ok(period);
    }
    // Months may have passed unseen: the period `now` is in follows on from the last one's dates.
    let (mut start, mut end) = (period.end, month_after(period.end));
    while end <= now {
        (start, end) = (end, month_after(end));
    }
    let left = balance(tx, user_id).await?;
    if left > 0 {
        sqlx::query(
            "INSERT INTO credit_ledger (user_id, at, kind, amount, reason, period_start)
             VALUES ($1, $2, 'expire', $3, 'the period ended', $4)",
        )
        .bind(user_id)
        .bind(period.end)
        .bind(-left)
        .bind(period.start)
        .execute(&mut *tx)
        .await?;
    }
    if period.cancel_at_period_end {
        period.plan = settings.plans[0].id.into();
        period.cancel_at_period_end = false;
    } else if settings.plan(&period.plan).price_cents > 0 {
        // A paid plan renews by charging the default card (an invoice); without one it ends.
        let plan = settings.plan(&period.plan);
        if !super::invoices::renew(tx, settings, user_id, plan, (start, end)).await? {
            period.plan = settings.plans[0].id.into();
        }
    }
    grant(tx, user_id, settings.plan(&period.plan), start).await?;
    sqlx::query(
        "UPDATE subscriptions SET plan = $1, period_start = $2, period_end = $3, cancel_at_period_end = $4,
                                  updated_at = $5
         WHERE user_id = $6",
    )
    .bind(settings.plan(&period.plan).id)
    .bind(start)
    .bind(end)
    .bind(i64::from(period.cancel_at_period_end))
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    period.plan = settings.plan(&period.plan).id.into();
    (period.start, period.end) = (start, end);
    Ok(period)
}

/// Puts the account on `plan` from `now` (a checkout was paid): what is left of this period's credits
/// expires (`reason`), and a new period begins with the plan's credits. Call it inside a write transaction,
/// after [`current`].
pub async fn start_plan(
    tx: &mut SqliteConnection,
    settings: &Settings,
    user_id: &str,
    plan: &Plan,
    now: i64,
    reason: &str,
) -> Result<Period, Error> {
    let before = current(tx, settings, user_id, now).await?;
    let left = balance(tx, user_id).await?;
    if left > 0 {
        sqlx::query(
            "INSERT INTO credit_ledger (user_id, at, kind, amount, reason, period_start)
             VALUES ($1, $2, 'expire', $3, $4, $5)",
        )
        .bind(user_id)
        .bind(now)
        .bind(-left)
        .bind(reason)
        .bind(before.start)
        .execute(&mut *tx)
        .await?;
    }
    let end = month_after(now);
    sqlx::query(
        "UPDATE subscriptions SET plan = $1, status = 'active', period_start = $2, period_end = $3,
                                  cancel_at_period_end = 0, updated_at = $2
         WHERE user_id = $4",
    )
    .bind(plan.id)
    .bind(now)
    .bind(end)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    grant(tx, user_id, plan, now).await?;
    Ok(Period { plan: plan.id.into(), status: "active".into(), start: now, end, cancel_at_period_end: false })
}

/// Ends a paid plan at the end of its period (`cancel`), or keeps it renewing (`!cancel`). Free has
/// nothing to end (409).
pub async fn set_cancel(
    tx: &mut SqliteConnection,
    settings: &Settings,
    user_id: &str,
    now: i64,
    cancel: bool,
) -> Result<Period, Error> {
    let mut period = current(tx, settings, user_id, now).await?;
    if period.plan == settings.plans[0].id {
        return Err(Error::Conflict(vinano_api::Msg::PlanFreeNoCancel.into()));
    }
    sqlx::query("UPDATE subscriptions SET cancel_at_period_end = $1, updated_at = $2 WHERE user_id = $3")
        .bind(i64::from(cancel))
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    period.cancel_at_period_end = cancel;
    Ok(period)
}

/// Reserves `cost` credits for the current run of `job_id` (queued in this transaction) and gives it the
/// plan's place in the queue, or refuses with 402 when the balance can't cover it — and then the caller's transaction, job and all, is rolled back.
pub async fn reserve(
    tx: &mut SqliteConnection,
    settings: &Settings,
    user_id: &str,
    now: i64,
    job_id: &str,
    cost: u64,
) -> Result<(), Error> {
    let period = current(tx, settings, user_id, now).await?;
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
        let plan = settings.plan(&period.plan);
        return Err(Error::PaymentRequired(
            Problem::new(Msg::CreditsShort)
                .num("cost", cost as u64)
                .num("balance", left.max(0) as u64)
                .text("plan", plan.name.clone()),
        ));
    }
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

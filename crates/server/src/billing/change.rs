//! Changing between paid plans. Up (Pro → Studio) takes effect at once: the price difference for the days
//! left in the period is charged to the default card and the credit difference for those days is granted,
//! the period's dates unchanged (the proration is shown before confirming). Down (Studio → Pro) takes
//! effect when the paid period ends: nothing is refunded, the next renewal charges the lower price.
//! Choosing the current plan again keeps it (drops a scheduled change). Free → paid goes through checkout;
//! paid → Free is cancelling.

use super::cards::{self, Charge};
use super::invoices::{self, Bill};
use super::{ledger, Plan, PLAN_IDS};
use crate::config::Config;
use crate::error::Error;
use sqlx::AnyConnection;
use vinano_api::{Msg, PlanChange, Problem};

/// What a change would do, worked out for `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The plan now.
    pub from: &'static str,
    /// The plan chosen.
    pub to: &'static str,
    /// `now`: it takes effect at once; `period_end`: when the period ends; `keep`: it keeps the plan
    /// (drops a scheduled change).
    pub when: &'static str,
    /// Charged now, in the currency's smallest unit.
    pub amount_cents: u64,
    /// Credits added now.
    pub credits: u64,
    /// Whole days left in the period, and its length in days.
    pub days: (i64, i64),
}

/// `part` of `whole` of `value`, rounded to the nearest unit.
fn share(value: u64, (part, whole): (i64, i64)) -> u64 {
    if whole <= 0 {
        return 0;
    }
    let (v, p, w) = (i128::from(value), i128::from(part.clamp(0, whole)), i128::from(whole));
    ((v * p + w / 2) / w).clamp(0, i128::from(u64::MAX)) as u64
}

/// Works out changing `period`'s plan to `to` at `now` (422 for a plan that doesn't exist, 409 for a
/// change that goes another way: from Free, to Free, while a renewal is unpaid).
pub fn quote(config: &Config, period: &ledger::Period, to: &str, now: i64) -> Result<Quote, Error> {
    let settings = &config.billing;
    let Some(to) = settings.plans.iter().find(|p| p.id == to) else {
        return Err(Error::Field("plan", Problem::new(Msg::PlanUnknown).text("plan", to.to_string())));
    };
    let from = settings.plan(&period.plan);
    if period.status == "past_due" {
        return Err(Error::Conflict(Msg::PlanChangePastDue.into()));
    }
    if from.id == PLAN_IDS[0] {
        return Err(Error::Conflict(Msg::PlanChangeFromFree.into()));
    }
    if to.id == PLAN_IDS[0] {
        return Err(Error::Conflict(Msg::PlanChangeToFree.into()));
    }
    let day = crate::periods::DAY_MS;
    let whole_days = |ms: i64| (ms.max(0) + day - 1) / day;
    let days = (whole_days(period.end - now), whole_days(period.end - period.start).max(1));
    let quote =
        |when, amount_cents, credits| Quote { from: from.id, to: to.id, when, amount_cents, credits, days };
    if to.id == from.id {
        if period.next_plan.is_none() && !period.cancel_at_period_end {
            return Err(Error::Conflict(Msg::PlanCurrent.into()));
        }
        return Ok(quote("keep", 0, 0));
    }
    if to.price_cents <= from.price_cents {
        return Ok(quote("period_end", 0, 0));
    }
    let left = (period.end - now, period.end - period.start);
    let amount = share(to.price_cents - from.price_cents, left);
    let credits = share(to.credits.saturating_sub(from.credits), left);
    Ok(quote("now", amount, credits))
}

/// The quote as the API sends it.
pub fn shown(config: &Config, q: &Quote, period: &ledger::Period, now: i64) -> PlanChange {
    let settings = &config.billing;
    let info = |id: &str| settings.info(settings.plan(id), config.max_pixels);
    PlanChange {
        from: info(q.from),
        to: info(q.to),
        when: q.when.to_string(),
        amount_cents: q.amount_cents,
        currency: settings.currency.clone(),
        credits: q.credits,
        days_left: q.days.0.max(0) as u64,
        days_in_period: q.days.1.max(0) as u64,
        effective_at: crate::clock::timestamp(if q.when == "now" { now } else { period.end }),
    }
}

fn upgrade_text(from: &Plan, to: &Plan, (left, total): (i64, i64)) -> String {
    format!("Upgrade from {} to {}, prorated for {left} of {total} days", from.name, to.name)
}

/// Who takes the payment of an upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    /// The local processor charges the default card here, and the invoice is written here.
    DefaultCard,
    /// The processor has charged it already (Stripe, in the same call that changed its subscription); its
    /// invoice arrives as an event.
    Processor,
}

/// Makes the change: up, charged now (402 with the card's reason when it isn't paid, nothing changed);
/// down, scheduled; the same plan, kept. `key`: the request's `Idempotency-Key` — an upgrade already made
/// with it is not charged again.
pub async fn apply(
    tx: &mut AnyConnection,
    config: &Config,
    user_id: &str,
    (to, payment): (&str, Payment),
    key: Option<&str>,
    now: i64,
) -> Result<Quote, Error> {
    let settings = &config.billing;
    if let Some(key) = key {
        let done: Option<String> =
            sqlx::query_scalar("SELECT plan FROM invoices WHERE user_id = $1 AND idempotency_key = $2")
                .bind(user_id)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(plan) = done {
            let plan = settings.plan(&plan).id;
            return Ok(Quote {
                from: plan,
                to: plan,
                when: "keep",
                amount_cents: 0,
                credits: 0,
                days: (0, 0),
            });
        }
    }
    let period = ledger::current(tx, config, user_id, now).await?;
    let q = quote(config, &period, to, now)?;
    match q.when {
        "keep" | "period_end" => {
            let next = (q.when == "period_end").then_some(q.to);
            sqlx::query(
                "UPDATE subscriptions SET next_plan = $1, cancel_at_period_end = 0, updated_at = $2
                 WHERE user_id = $3",
            )
            .bind(next)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        _ => {
            let (from, to) = (settings.plan(q.from), settings.plan(q.to));
            let description = upgrade_text(from, to, q.days);
            let invoice = match payment {
                Payment::DefaultCard => {
                    let with = match cards::charge(tx, user_id, now).await? {
                        Charge::Paid(with) => with,
                        Charge::Failed(reason) => return Err(Error::PaymentRequired(reason.into())),
                    };
                    let bill = Bill {
                        plan: to,
                        amount_cents: q.amount_cents,
                        period: (now, period.end),
                        paid_with: Some(&with),
                        description: &description,
                        key,
                    };
                    Some(invoices::record(tx, settings, user_id, &bill, now).await?)
                }
                Payment::Processor => None,
            };
            sqlx::query(
                "UPDATE subscriptions SET plan = $1, next_plan = NULL, cancel_at_period_end = 0, updated_at = $2
                 WHERE user_id = $3",
            )
            .bind(to.id)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if q.credits > 0 {
                let reason = format!("{description}: credits for the days left");
                let amount = q.credits.min(i64::MAX as u64) as i64;
                ledger::write(tx, user_id, now, "grant", amount, &reason, period.start, invoice.as_deref())
                    .await?;
            }
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = crate::periods::DAY_MS;

    fn period(plan: &str, status: &str) -> ledger::Period {
        ledger::Period {
            plan: plan.into(),
            status: status.into(),
            start: 0,
            end: 30 * DAY,
            cancel_at_period_end: false,
            next_plan: None,
            retry_at: None,
        }
    }

    fn config() -> Config {
        let mut c = Config::default();
        c.billing.plans[1].price_cents = 1_200;
        c.billing.plans[1].credits = 3_000;
        c.billing.plans[2].price_cents = 3_600;
        c.billing.plans[2].credits = 12_000;
        c
    }

    #[test]
    fn an_upgrade_charges_and_grants_the_difference_for_the_days_left() {
        let c = config();
        let q = quote(&c, &period("pro", "active"), "studio", 20 * DAY).unwrap();
        // 10 of 30 days left: a third of (36.00 - 12.00) and of (12 000 - 3 000) credits.
        assert_eq!((q.when, q.amount_cents, q.credits, q.days), ("now", 800, 3_000, (10, 30)));
        let q = quote(&c, &period("pro", "active"), "studio", 20 * DAY + DAY / 2).unwrap();
        assert_eq!((q.amount_cents, q.credits, q.days.0), (760, 2_850, 10), "half a day left counts");
        let q = quote(&c, &period("pro", "active"), "studio", 0).unwrap();
        assert_eq!((q.amount_cents, q.credits), (2_400, 9_000), "on the first day, the whole difference");
    }

    #[test]
    fn a_downgrade_waits_for_the_period_end_and_other_ways_are_refused() {
        let c = config();
        let q = quote(&c, &period("studio", "active"), "pro", 5 * DAY).unwrap();
        assert_eq!((q.when, q.amount_cents, q.credits), ("period_end", 0, 0));
        let conflict = |p: ledger::Period, to: &str| match quote(&c, &p, to, DAY) {
            Err(Error::Conflict(problem)) => problem.msg,
            other => panic!("{other:?}"),
        };
        assert_eq!(conflict(period("free", "active"), "pro"), Msg::PlanChangeFromFree);
        assert_eq!(conflict(period("pro", "active"), "free"), Msg::PlanChangeToFree);
        assert_eq!(conflict(period("pro", "past_due"), "studio"), Msg::PlanChangePastDue);
        assert_eq!(conflict(period("pro", "active"), "pro"), Msg::PlanCurrent);
        let scheduled = ledger::Period { next_plan: Some("pro".into()), ..period("studio", "active") };
        assert_eq!(quote(&c, &scheduled, "studio", DAY).unwrap().when, "keep");
        assert!(matches!(quote(&c, &period("pro", "active"), "gold", DAY), Err(Error::Field("plan", _))));
    }
}

//! People, as an administrator manages them: a search over accounts with their plan and credits, credits
//! given or taken back (an `adjust` row in the ledger with the reason), and disabling an account (signed
//! out everywhere, refused at sign-in) or enabling it again. Each act is written to the audit log in the
//! transaction that does it.

use super::audit;
use crate::billing::ledger;
use crate::config::Config;
use crate::error::Error;
use sqlx::AnyConnection;
use vinano_api::{AdminPeople, AdminPerson, Msg, Problem};

/// People on a page.
pub const PAGE: i64 = 50;
/// The most credits one adjustment may give or take.
pub const MAX_ADJUSTMENT: i64 = 1_000_000;

type Row = (String, String, String, String, i64, i64, Option<i64>, Option<String>, Option<String>);

/// Open accounts whose username, name or email contains `q` (all when empty), newest first, from `offset`.
pub async fn search(
    tx: &mut AnyConnection,
    config: &Config,
    q: &str,
    offset: i64,
) -> Result<AdminPeople, Error> {
    let pattern = format!(
        "%{}%",
        q.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
    );
    let filter =
        "closed_at IS NULL AND (lower(username) LIKE $1 ESCAPE '\\' OR lower(name) LIKE $1 ESCAPE '\\'
                  OR email LIKE $1 ESCAPE '\\')";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM users WHERE {filter}"))
        .bind(&pattern)
        .fetch_one(&mut *tx)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT u.id, u.username, u.name, u.email, u.created_at, u.is_admin, u.disabled_at, s.plan, s.status
         FROM users u LEFT JOIN subscriptions s ON s.user_id = u.id
         WHERE {filter} ORDER BY u.created_at DESC, u.id LIMIT $2 OFFSET $3"
    ))
    .bind(&pattern)
    .bind(PAGE)
    .bind(offset.max(0))
    .fetch_all(&mut *tx)
    .await?;
    let mut people = Vec::with_capacity(rows.len());
    for (id, username, name, email, created_at, is_admin, disabled_at, plan, status) in rows {
        // An account that hasn't used anything yet has no period: it starts on Free with Free's credits.
        let balance = match plan {
            Some(_) => ledger::balance(tx, &id).await?,
            None => config.billing.plans[0].credits.min(i64::MAX as u64) as i64,
        };
        people.push(AdminPerson {
            plan: config.billing.plan(plan.as_deref().unwrap_or("free")).name.clone(),
            status: status.unwrap_or_else(|| "active".into()),
            balance,
            is_admin: is_admin != 0,
            disabled: disabled_at.is_some(),
            created_at: crate::clock::timestamp(created_at),
            id,
            username,
            name,
            email,
        });
    }
    Ok(AdminPeople { people, total: total.max(0) as u64 })
}

/// The username of open account `id` (404 when there is none).
async fn username(tx: &mut AnyConnection, id: &str) -> Result<String, Error> {
    sqlx::query_scalar("SELECT username FROM users WHERE id = $1 AND closed_at IS NULL")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)
}

/// Gives (or, negative, takes back) `amount` credits of account `id`, with `reason` in the ledger and the
/// audit log (by `actor`). The balance never goes below zero (409).
pub async fn adjust_credits(
    tx: &mut AnyConnection,
    config: &Config,
    (actor, id): (&str, &str),
    amount: i64,
    reason: &str,
    now: i64,
) -> Result<i64, Error> {
    let reason = reason.trim();
    if !(3..=200).contains(&reason.chars().count()) {
        return Err(Error::Field("reason", Msg::AdjustReason.into()));
    }
    if amount == 0 || amount.abs() > MAX_ADJUSTMENT {
        return Err(Error::Field(
            "amount",
            Problem::new(Msg::AdjustAmount).num("max", MAX_ADJUSTMENT as u64),
        ));
    }
    let who = username(tx, id).await?;
    let period = ledger::current(tx, config, id, now).await?;
    let balance = ledger::balance(tx, id).await?;
    if balance + amount < 0 {
        return Err(Error::Conflict(
            Problem::new(Msg::AdjustBelowZero).num("balance", balance.max(0) as u64),
        ));
    }
    let said = format!("adjusted by an administrator: {reason}");
    ledger::write(tx, id, now, "adjust", amount, &said, period.start, None).await?;
    audit(tx, actor, "credits", Some(id), &format!("{amount:+} credits for {who}: {reason}"), now).await?;
    Ok(balance + amount)
}

/// Disables account `id` (its sessions end) or enables it again; an administrator can't disable their own
/// account (409).
pub async fn set_disabled(
    tx: &mut AnyConnection,
    (actor, id): (&str, &str),
    disabled: bool,
    now: i64,
) -> Result<(), Error> {
    if disabled && actor == id {
        return Err(Error::Conflict(Msg::DisableSelf.into()));
    }
    let who = username(tx, id).await?;
    sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(disabled.then_some(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    }
    let (action, detail) = if disabled {
        ("disable", format!("{who} may not sign in; signed out everywhere"))
    } else {
        ("enable", format!("{who} may sign in again"))
    };
    audit(tx, actor, action, Some(id), &detail, now).await?;
    Ok(())
}

/// Whether account `id` is disabled.
pub async fn is_disabled(db: impl sqlx::Executor<'_, Database = sqlx::Any>, id: &str) -> Result<bool, Error> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT disabled_at FROM users WHERE id = $1").bind(id).fetch_optional(db).await?;
    Ok(at.flatten().is_some())
}

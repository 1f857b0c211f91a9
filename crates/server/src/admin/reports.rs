//! What an administrator reads: invitations, use and revenue by day, the moderation log's decisions (hashes
//! and categories, never words) with the evidence holds, and the audit log.

use crate::clock::timestamp;
use crate::error::Error;
use crate::periods::DAY_MS;
use std::collections::BTreeMap;
use vinano_api::{AuditEntry, HeldImage, InviteInfo, Moderation, ModerationEntry, Usage, UsageDay};

/// The most days a usage report covers.
pub const MAX_DAYS: i64 = 366;
/// Rows of a list (decisions, holds, audit, invitations).
pub const LIST: i64 = 100;

/// The latest invitations, newest first.
pub async fn invites(db: &sqlx::AnyPool) -> Result<Vec<InviteInfo>, Error> {
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT i.created_at, i.expires_at, u.username FROM invites i LEFT JOIN users u ON u.id = i.used_by
         ORDER BY i.created_at DESC LIMIT $1",
    )
    .bind(LIST)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(created, expires, used_by)| InviteInfo {
            created_at: timestamp(created),
            expires_at: timestamp(expires),
            used_by,
        })
        .collect())
}

/// Sums `sql` (selecting a day number and an amount, grouped by day, for `at >= $1`) into `days`.
async fn by_day(
    db: &sqlx::AnyPool,
    sql: &str,
    from: i64,
    days: &mut BTreeMap<i64, UsageDay>,
    put: impl Fn(&mut UsageDay, u64),
) -> Result<(), Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(sql).bind(from).fetch_all(db).await?;
    for (day, amount) in rows {
        if let Some(entry) = days.get_mut(&day) {
            put(entry, amount.max(0) as u64);
        }
    }
    Ok(())
}

/// Use and revenue for each of the last `count` days (UTC, today included), newest first.
pub async fn usage(db: &sqlx::AnyPool, currency: &str, now: i64, count: i64) -> Result<Usage, Error> {
    let count = count.clamp(1, MAX_DAYS);
    let today = now.div_euclid(DAY_MS);
    let first = today - count + 1;
    let mut days: BTreeMap<i64, UsageDay> = (first..=today)
        .map(|d| {
            let day = UsageDay {
                day: timestamp(d * DAY_MS).date().to_string(),
                signups: 0,
                jobs: 0,
                credits: 0,
                revenue_cents: 0,
            };
            (d, day)
        })
        .collect();
    let from = first * DAY_MS;
    // Day numbers by integer division: the same SQL on SQLite and PostgreSQL.
    by_day(
        db,
        "SELECT created_at / 86400000, COUNT(*) FROM users WHERE created_at >= $1 GROUP BY 1",
        from,
        &mut days,
        |d, n| d.signups = n,
    )
    .await?;
    by_day(
        db,
        "SELECT created_at / 86400000, COUNT(*) FROM jobs WHERE created_at >= $1 GROUP BY 1",
        from,
        &mut days,
        |d, n| d.jobs = n,
    )
    .await?;
    by_day(
        db,
        "SELECT at / 86400000, CAST(-SUM(amount) AS BIGINT) FROM credit_ledger WHERE at >= $1 AND kind IN ('reserve', 'refund') GROUP BY 1",
        from,
        &mut days,
        |d, n| d.credits = n,
    )
    .await?;
    by_day(
        db,
        "SELECT created_at / 86400000, CAST(SUM(amount_cents) AS BIGINT) FROM invoices WHERE created_at >= $1 AND status = 'paid' GROUP BY 1",
        from,
        &mut days,
        |d, n| d.revenue_cents = n,
    )
    .await?;
    Ok(Usage { currency: currency.to_string(), days: days.into_values().rev().collect() })
}

/// The latest moderation decisions, the images on hold, and whether the log's hash chain is intact.
pub async fn moderation(db: &sqlx::AnyPool) -> Result<Moderation, Error> {
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT seq, created_at, user_id, prompt_sha256, category, decision FROM moderation_log
         ORDER BY seq DESC LIMIT $1",
    )
    .bind(LIST)
    .fetch_all(db)
    .await?;
    let decisions = rows
        .into_iter()
        .map(|(seq, at, user_id, prompt_sha256, category, decision)| ModerationEntry {
            seq,
            at: timestamp(at),
            user_id,
            prompt_sha256,
            category,
            decision,
        })
        .collect();
    let held: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, user_id, created_at FROM images WHERE evidence_hold = 1 ORDER BY created_at DESC LIMIT $1",
    )
    .bind(LIST)
    .fetch_all(db)
    .await?;
    let holds = held
        .into_iter()
        .map(|(id, user_id, created)| HeldImage { id, user_id, created_at: timestamp(created) })
        .collect();
    let chain_intact = crate::moderation::verify_chain(db).await?.is_ok();
    Ok(Moderation { decisions, holds, chain_intact })
}

/// An audit row: when, actor, action, target, detail, and the actor's and target's usernames.
type AuditRow = (i64, String, String, Option<String>, String, Option<String>, Option<String>);

/// The latest administrators' acts, newest first, with usernames for ids.
pub async fn audit_log(db: &sqlx::AnyPool) -> Result<Vec<AuditEntry>, Error> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.at, a.actor, a.action, a.target, a.detail, actor.username, target.username
         FROM admin_audit a
         LEFT JOIN users actor ON actor.id = a.actor
         LEFT JOIN users target ON target.id = a.target
         ORDER BY a.id DESC LIMIT $1",
    )
    .bind(LIST)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, target, detail, actor_name, target_name)| AuditEntry {
            at: timestamp(at),
            actor: actor_name.unwrap_or(actor),
            action,
            target: target_name.or(target),
            detail,
        })
        .collect())
}

//! The limits shared by every replica, in the database (with PostgreSQL): one row per bucket in
//! `rate_limits`, changed by a single upsert each, so concurrent attempts on any replica are counted once.
//!
//! A token bucket is GCRA's "theoretical arrival time" (`until_ms`): an attempt is let through when moving it
//! on by one emission interval keeps it within the burst's tolerance of now; the bucket is full again (and
//! its row forgettable) once `until_ms` has passed. A failure window keeps its end in `until_ms` and its
//! count in `hits`. Keys are stored as a keyed hash (HMAC under a key derived from the master key), so the
//! table holds no email addresses or client addresses.

use super::Limit;
use crate::storage::crypto::MasterKey;
use sqlx::AnyPool;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The database's buckets.
#[derive(Debug)]
pub(super) struct Shared {
    db: AnyPool,
    key: MasterKey,
}

/// Now, in Unix milliseconds, by the database's clock: replicas whose clocks drift apart still agree on
/// when a bucket refills (the table is only used with PostgreSQL; this process's clock otherwise).
async fn now_ms(db: &AnyPool) -> sqlx::Result<i64> {
    if crate::storage::db::Backend::of_pool(db) == crate::storage::db::Backend::Postgres {
        return sqlx::query_scalar("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)")
            .fetch_one(db)
            .await;
    }
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4).max(1)
}

/// The scope used for failed log-ins per account.
const LOGIN_FAILURES: &str = "login-failures";

impl Shared {
    pub(super) fn new(db: AnyPool, key: MasterKey) -> Self {
        Self { db, key }
    }

    fn name(&self, scope: &str, key: &str) -> String {
        hex::encode(&self.key.mac("rate-limits", format!("{scope}\n{key}").as_bytes())[..16])
    }

    /// Takes one token from the bucket `key` of `scope`; `Err(seconds)` when it is empty.
    pub(super) async fn take(
        &self,
        scope: &str,
        key: &str,
        limit: Limit,
        scale: u32,
    ) -> sqlx::Result<Result<(), u64>> {
        let burst = i64::from(limit.burst.saturating_mul(scale));
        if burst == 0 {
            return Ok(Ok(()));
        }
        let every = (millis(limit.period) / burst).max(1);
        let tolerance = every.saturating_mul(burst);
        let (now, name) = (now_ms(&self.db).await?, self.name(scope, key));
        // The new arrival time is max(stored, now) + one interval; it is kept only within the tolerance.
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_limits (scope, name, until_ms, hits) VALUES ($1, $2, $3 + $4, 0)
             ON CONFLICT (scope, name) DO UPDATE
               SET until_ms = (CASE WHEN rate_limits.until_ms > $3 THEN rate_limits.until_ms ELSE $3 END) + $4
             WHERE (CASE WHEN rate_limits.until_ms > $3 THEN rate_limits.until_ms ELSE $3 END) + $4 - $3 <= $5
             RETURNING until_ms",
        )
        .bind(scope)
        .bind(&name)
        .bind(now)
        .bind(every)
        .bind(tolerance)
        .fetch_optional(&self.db)
        .await?;
        if taken.is_some() {
            return Ok(Ok(()));
        }
        let until: Option<i64> =
            sqlx::query_scalar("SELECT until_ms FROM rate_limits WHERE scope = $1 AND name = $2")
                .bind(scope)
                .bind(&name)
                .fetch_optional(&self.db)
                .await?;
        let wait = until.map_or(every, |u| (u + every - now - tolerance).max(1));
        Ok(Err(super::whole_seconds(Duration::from_millis(wait.unsigned_abs()))))
    }

    /// Seconds until `account` may try to log in again, when its failures have reached `limit`.
    pub(super) async fn login_locked(
        &self,
        account: &str,
        limit: Limit,
        scale: u32,
    ) -> sqlx::Result<Option<u64>> {
        let burst = i64::from(limit.burst.saturating_mul(scale));
        if burst == 0 {
            return Ok(None);
        }
        let now = now_ms(&self.db).await?;
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT hits, until_ms FROM rate_limits WHERE scope = $1 AND name = $2 AND until_ms > $3",
        )
        .bind(LOGIN_FAILURES)
        .bind(self.name(LOGIN_FAILURES, account))
        .bind(now)
        .fetch_optional(&self.db)
        .await?;
        Ok(row
            .filter(|&(hits, _)| hits >= burst)
            .map(|(_, until)| super::whole_seconds(Duration::from_millis((until - now).unsigned_abs()))))
    }

    /// Counts a failed log-in for `account` in its window (a new window when the last one has ended).
    pub(super) async fn login_failed(&self, account: &str, limit: Limit, scale: u32) -> sqlx::Result<()> {
        if limit.burst.saturating_mul(scale) == 0 {
            return Ok(());
        }
        let (now, window) = (now_ms(&self.db).await?, millis(limit.period));
        sqlx::query(
            "INSERT INTO rate_limits (scope, name, until_ms, hits) VALUES ($1, $2, $3 + $4, 1)
             ON CONFLICT (scope, name) DO UPDATE
               SET hits = CASE WHEN rate_limits.until_ms <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
                   until_ms = CASE WHEN rate_limits.until_ms <= $3 THEN $3 + $4 ELSE rate_limits.until_ms END",
        )
        .bind(LOGIN_FAILURES)
        .bind(self.name(LOGIN_FAILURES, account))
        .bind(now)
        .bind(window)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Forgets `account`'s failed log-ins.
    pub(super) async fn login_succeeded(&self, account: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM rate_limits WHERE scope = $1 AND name = $2")
            .bind(LOGIN_FAILURES)
            .bind(self.name(LOGIN_FAILURES, account))
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Removes every bucket that is full again and every failure window that has ended.
    pub(super) async fn prune(&self) -> sqlx::Result<u64> {
        let now = now_ms(&self.db).await?;
        let done =
            sqlx::query("DELETE FROM rate_limits WHERE until_ms <= $1").bind(now).execute(&self.db).await?;
        Ok(done.rows_affected())
    }
}

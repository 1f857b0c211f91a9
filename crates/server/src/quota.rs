//! Per-person quotas: how much one account may ask of the server, so one person can't fill the disk, the job
//! queue or the CPU for everyone else.
//!
//! - Counted per hour (a sliding window): uploads, new conversations, format conversions on download. Each
//!   counted action leaves a row in `usage` (who, what, when) that outlives deleting the thing it made, so
//!   deleting and redoing gains nothing; rows older than the window are removed as new ones are written
//!   and by the retention sweep. The counts are in the database, so every process sees the same ones.
//! - Counted as they stand: edits waiting or running (`jobs`), bytes stored (`images.byte_size`).
//! - Open progress streams are counted in this process ([`Streams`]).
//!
//! A check reads before any work starts; the action is recorded after it succeeded (a refused or failed
//! upload doesn't count). Two requests racing may both pass a check that only one of them should have: the
//! limits are a budget, not a security boundary, and overshoot by at most the number of concurrent requests.
//! Each limit is a setting (`[quota]` in `vinano.toml`); 0 turns it off.

use crate::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use vinano_api::Quota;

/// The sliding window of the per-hour quotas.
pub const HOUR_MS: i64 = 60 * 60 * 1000;

/// The limits in force; 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Photos uploaded per hour (`VINANO_QUOTA_UPLOADS_PER_HOUR`, default 100).
    pub uploads_per_hour: u64,
    /// Edits waiting or running at once (`VINANO_QUOTA_JOBS_IN_FLIGHT`, default 10).
    pub jobs_in_flight: u64,
    /// Bytes of images and clips stored (`VINANO_QUOTA_STORED_MB`, default 2 000 MB).
    pub stored_bytes: u64,
    /// Conversations started per hour (`VINANO_QUOTA_CONVERSATIONS_PER_HOUR`, default 60).
    pub conversations_per_hour: u64,
    /// Downloads converted to another format per hour (`VINANO_QUOTA_CONVERSIONS_PER_HOUR`, default 200).
    pub conversions_per_hour: u64,
    /// Progress streams open at once (`VINANO_QUOTA_OPEN_STREAMS`, default 8).
    pub open_streams: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            uploads_per_hour: 100,
            jobs_in_flight: 10,
            stored_bytes: 2_000 * 1_000_000,
            conversations_per_hour: 60,
            conversions_per_hour: 200,
            open_streams: 8,
        }
    }
}

/// A quota that is used up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {quota:?} quota of {limit} is used up")]
pub struct Exceeded {
    /// Which limit.
    pub quota: Quota,
    /// Its value (a count, or bytes for storage).
    pub limit: u64,
    /// Seconds until one more is allowed, when waiting helps.
    pub retry_after: Option<u64>,
}

/// A failed check: the quota, or the database.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The quota is used up.
    #[error(transparent)]
    Exceeded(#[from] Exceeded),
    /// The count could not be read.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a per-hour quota counts (the `usage.kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// An uploaded photo.
    Upload,
    /// A new conversation.
    Conversation,
    /// A download converted to another format.
    Conversion,
}

impl Counted {
    fn kind(self) -> &'static str {
        match self {
            Counted::Upload => "upload",
            Counted::Conversation => "conversation",
            Counted::Conversion => "conversion",
        }
    }

    fn quota(self) -> Quota {
        match self {
            Counted::Upload => Quota::UploadsPerHour,
            Counted::Conversation => Quota::ConversationsPerHour,
            Counted::Conversion => Quota::ConversionsPerHour,
        }
    }

    fn limit(self, q: &Quotas) -> u64 {
        match self {
            Counted::Upload => q.uploads_per_hour,
            Counted::Conversation => q.conversations_per_hour,
            Counted::Conversion => q.conversions_per_hour,
        }
    }
}

/// Refuses when `user_id` has reached the per-hour limit of `what`, saying when the oldest counted action
/// leaves the window.
pub async fn check_hourly(state: &AppState, user_id: &str, what: Counted) -> Result<(), Refused> {
    let limit = what.limit(&state.config.quotas);
    if limit == 0 {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let (count, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM usage WHERE user_id = $1 AND kind = $2 AND at > $3")
            .bind(user_id)
            .bind(what.kind())
            .bind(now - HOUR_MS)
            .fetch_one(&state.db)
            .await?;
    if (count as u64) < limit {
        return Ok(());
    }
    let free_at = oldest.unwrap_or(now) + HOUR_MS;
    let wait = ((free_at - now).max(1000) as u64).div_ceil(1000);
    Err(Exceeded { quota: what.quota(), limit, retry_after: Some(wait) }.into())
}

/// Counts one action of `what` for `user_id` (after it succeeded), forgetting that person's rows of the
/// same kind that left the window. The action is done by then, so a failure to count it is logged, not
/// returned.
pub async fn record(state: &AppState, user_id: &str, what: Counted) {
    if what.limit(&state.config.quotas) == 0 {
        return;
    }
    let now = state.clock.now_ms();
    let write = async {
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        sqlx::query("DELETE FROM usage WHERE user_id = $1 AND kind = $2 AND at <= $3")
            .bind(user_id)
            .bind(what.kind())
            .bind(now - HOUR_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO usage (user_id, kind, at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(what.kind())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    };
    if let Err(e) = write.await {
        tracing::warn!(error = ?e, kind = what.kind(), "could not count an action against its quota");
    }
}

/// Refuses a new edit when `user_id` already has the most edits waiting or running.
pub async fn check_jobs(state: &AppState, user_id: &str) -> Result<(), Refused> {
    let limit = state.config.quotas.jobs_in_flight;
    if limit == 0 {
        return Ok(());
    }
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND state IN ('queued', 'running')")
            .bind(user_id)
            .fetch_one(&state.db)
            .await?;
    if (count as u64) < limit {
        return Ok(());
    }
    Err(Exceeded { quota: Quota::JobsInFlight, limit, retry_after: Some(5) }.into())
}

/// Bytes of images and clips `user_id` stores.
pub async fn stored_bytes(state: &AppState, user_id: &str) -> Result<u64, sqlx::Error> {
    let (sum,): (Option<i64>,) =
        sqlx::query_as("SELECT CAST(SUM(byte_size) AS BIGINT) FROM images WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&state.db)
            .await?;
    Ok(sum.unwrap_or(0).max(0) as u64)
}

/// Refuses when storing `adding` more bytes would take `user_id` past the storage limit (with `adding` 0:
/// when the storage is already full).
pub async fn check_storage(state: &AppState, user_id: &str, adding: u64) -> Result<(), Refused> {
    let limit = state.config.quotas.stored_bytes;
    if limit == 0 {
        return Ok(());
    }
    let used = stored_bytes(state, user_id).await?;
    let over = if adding == 0 { used >= limit } else { used.saturating_add(adding) > limit };
    if over {
        return Err(Exceeded { quota: Quota::StoredBytes, limit, retry_after: None }.into());
    }
    Ok(())
}

/// Open progress streams per person, in this process.
#[derive(Debug, Default)]
pub struct Streams {
    open: Mutex<HashMap<String, u64>>,
}

/// One open stream; dropping it (the stream ended or the client went away) frees its place.
#[derive(Debug)]
pub struct StreamPass {
    streams: Arc<Streams>,
    user_id: String,
}

impl Streams {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a place for a new stream of `user_id`, or refuses when `limit` (0: none) are open already.
    pub fn open(self: &Arc<Self>, user_id: &str, limit: u64) -> Result<StreamPass, Exceeded> {
        let mut open = self.map();
        let count = open.entry(user_id.to_string()).or_default();
        if limit > 0 && *count >= limit {
            if *count == 0 {
                open.remove(user_id);
            }
            return Err(Exceeded { quota: Quota::OpenStreams, limit, retry_after: None });
        }
        *count += 1;
        Ok(StreamPass { streams: Arc::clone(self), user_id: user_id.to_string() })
    }

    /// Streams `user_id` has open.
    pub fn count(&self, user_id: &str) -> u64 {
        self.map().get(user_id).copied().unwrap_or(0)
    }
}

impl Drop for StreamPass {
    fn drop(&mut self) {
        let mut open = self.streams.map();
        if let Some(count) = open.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_capped_per_person_and_freed_on_drop() {
        let streams = Arc::new(Streams::default());
        let a = streams.open("ana", 2).unwrap();
        let _b = streams.open("ana", 2).unwrap();
        let refused = streams.open("ana", 2).unwrap_err();
        assert_eq!(refused.quota, Quota::OpenStreams);
        // Another person is not affected.
        let _c = streams.open("ben", 2).unwrap();
        drop(a);
        assert_eq!(streams.count("ana"), 1);
        let _d = streams.open("ana", 2).unwrap();
        assert_eq!(streams.count("ana"), 2);
        drop(_d);
        drop(_b);
        assert_eq!(streams.count("ana"), 0);
        assert!(streams.map().get("ana").is_none(), "no entry is kept for a person without streams");
    }

    #[test]
    fn zero_means_no_limit() {
        let streams = Arc::new(Streams::default());
        let passes: Vec<_> = (0..100).map(|_| streams.open("ana", 0).unwrap()).collect();
        assert_eq!(streams.count("ana"), 100);
        drop(passes);
        assert_eq!(streams.count("ana"), 0);
    }
}

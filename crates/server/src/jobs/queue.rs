//! The queue itself: enqueueing, claiming (atomically, fairly across people, counting crashes), leases,
//! checkpoints, cancellation and retries.

use super::{JobRequest, Stop};
use crate::error::Error;
use crate::ids::{ConversationId, ImageId, JobId, MessageId, UserId};
use crate::storage::db::Backend;
use crate::{ids, AppState};
use std::time::Duration;
use vinano_api::{JobInfo, JobState};
use vinano_api::{Msg, Problem};

/// How long a claim lasts before another worker may take the job over.
pub(super) const LEASE_MS: i64 = 60_000;
/// Claims of one job in one run before it is given up as failed (transient failures are tried again).
pub(super) const MAX_ATTEMPTS: i64 = 3;
/// A job whose worker died this many times while running it (a lease that ran out: the process crashed or
/// was killed mid-step) is failed and never claimed again: it may be what kills the process.
pub(super) const MAX_CRASHES: i64 = 2;
/// How many times a person may retry one job.
pub const MAX_RETRIES: i64 = 3;
/// How often an idle worker looks for expired leases even without being woken.
pub(super) const IDLE_POLL: Duration = Duration::from_secs(1);

/// Stores a queued job (inside the caller's transaction) and returns its public form. `target` is the image
/// to edit (empty for none) and the job's cost: the most pixels its plan holds at once.
pub async fn enqueue(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    user_id: &UserId,
    conversation_id: &ConversationId,
    prompt_message_id: &MessageId,
    (target_image_id, cost): (Option<&ImageId>, u64),
    request: &JobRequest,
) -> Result<JobInfo, Error> {
    let id = ids::new_id();
    let json = serde_json::to_string(request).map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO jobs (id, user_id, conversation_id, prompt_message_id, target_image_id, request_json, state,
                           created_at, updated_at, cost)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7, $8)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(conversation_id)
    .bind(prompt_message_id)
    // Stored empty when there is none.
    .bind(target_image_id.map_or("", ImageId::as_str))
    .bind(json)
    .bind(now_ms)
    .bind(cost.min(i64::MAX as u64) as i64)
    .execute(&mut *tx)
    .await?;
    Ok(JobInfo { id, state: JobState::Queued, progress: 0, error: None, error_said: None })
}

/// Public form of a stored job row (`error_said`: the stored message key of its failure).
pub fn info(
    id: String,
    state: &str,
    progress: i64,
    error: Option<String>,
    error_said: Option<String>,
) -> JobInfo {
    JobInfo {
        id,
        state: JobState::parse(state),
        progress: progress.clamp(0, 100) as u8,
        error,
        error_said: crate::i18n::said(error_said),
    }
}

/// `id, state, progress, error, error_said` of a job.
type JobRow = (String, String, i64, Option<String>, Option<String>);

/// A job owned by `user_id` (404 for anyone else's).
pub async fn owned(state: &AppState, user_id: &UserId, job_id: &JobId) -> Result<JobInfo, Error> {
    let row: Option<JobRow> = sqlx::query_as(
        "SELECT id, state, progress, error, error_said FROM jobs WHERE id = $1 AND user_id = $2",
    )
    .bind(job_id)
    .bind(user_id)
    .fetch_optional(&state.db)
    .await?;
    let (id, st, progress, error, error_said) = row.ok_or(Error::NotFound)?;
    Ok(info(id, &st, progress, error, error_said))
}

/// Cancels a job: at once when queued, between two steps when running; finished jobs stay as they are.
pub async fn cancel(state: &AppState, user_id: &UserId, job_id: &JobId) -> Result<JobInfo, Error> {
    let now = state.clock.now_ms();
    // A running job whose worker died (lease over) has no one to notice the request: cancel it at once.
    sqlx::query(
        "UPDATE jobs SET state = CASE WHEN state = 'queued' OR lease_until < $1 THEN 'cancelled' ELSE state END,
                         cancel_requested = 1, updated_at = $1
         WHERE id = $2 AND user_id = $3 AND state IN ('queued', 'running')",
    )
    .bind(now)
    .bind(job_id)
    .bind(user_id)
    .execute(&state.db)
    .await?;
    state.job_signals.changed(job_id);
    owned(state, user_id, job_id).await
}

/// Queues a failed or cancelled job again, from the start — at most [`MAX_RETRIES`] times, and never a job
/// that stopped its worker twice.
pub async fn retry(state: &AppState, user_id: &UserId, job_id: &JobId) -> Result<JobInfo, Error> {
    let current = owned(state, user_id, job_id).await?;
    if !matches!(current.state, JobState::Failed | JobState::Cancelled) {
        return Err(Error::Conflict(Msg::RetryOnlyFailed.into()));
    }
    let (retries, crashes): (i64, i64) = sqlx::query_as("SELECT retries, crashes FROM jobs WHERE id = $1")
        .bind(job_id)
        .fetch_one(&state.db)
        .await?;
    if crashes >= MAX_CRASHES {
        return Err(Error::conflict(Msg::RetryCrashed));
    }
    if retries >= MAX_RETRIES {
        return Err(Error::conflict(Problem::new(Msg::RetryTooMany).num("max", MAX_RETRIES as u64)));
    }
    crate::quota::check_jobs(state, user_id).await?;
    // The attempts of the last run start again; the retries and the crashes never do. The new run reserves
    // its credits again (the last one's were refunded when it failed), in the same transaction.
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let queued = sqlx::query(
        "UPDATE jobs SET state = 'queued', progress = 0, error = NULL, error_said = NULL, attempts = 0, retries = retries + 1,
                         cancel_requested = 0, lease_owner = NULL, lease_until = NULL, updated_at = $1
         WHERE id = $2 AND user_id = $3 AND state IN ('failed', 'cancelled') AND retries < $4 AND crashes < $5",
    )
    .bind(state.clock.now_ms())
    .bind(job_id)
    .bind(user_id)
    .bind(MAX_RETRIES)
    .bind(MAX_CRASHES)
    .execute(&mut *tx)
    .await?;
    if queued.rows_affected() == 1 {
        let (json, pixels): (String, i64) =
            sqlx::query_as("SELECT request_json, cost FROM jobs WHERE id = $1")
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?;
        let request: JobRequest = serde_json::from_str(&json).map_err(anyhow::Error::from)?;
        let billing = &state.config.billing;
        let credits = crate::billing::price(&billing.costs, &request, pixels.max(0) as u64);
        let now = state.clock.now_ms();
        crate::billing::ledger::reserve(&mut tx, &state.config, user_id, now, job_id, credits).await?;
    }
    tx.commit().await?;
    state.job_signals.changed(job_id);
    state.jobs_wakeup.notify_waiters();
    owned(state, user_id, job_id).await
}

/// A claimed job.
pub(super) struct Claimed {
    pub(super) id: String,
    pub(super) user_id: UserId,
    pub(super) conversation_id: ConversationId,
    pub(super) prompt_message_id: MessageId,
    /// The image it edits (none for a poster or a generation).
    pub(super) target_image_id: Option<ImageId>,
    pub(super) request_json: String,
    pub(super) attempts: i64,
    /// Times a worker died while running it (counted when a lapsed lease is taken over).
    pub(super) crashes: i64,
}

/// A claimed job's row: id, user, conversation, prompt message, target, request, attempts, crashes.
type ClaimRow = (String, UserId, ConversationId, MessageId, String, String, i64, i64);

/// Takes the next job, fairly across people: first the jobs of whoever has the fewest running, then those
/// of a higher plan (Studio, Pro, Free), then of whoever has used the least in the last minute (the cost
/// of the jobs they were given: pixels, so a 40-megapixel edit weighs as much as forty 1-megapixel ones),
/// then whoever was served longest ago, then the oldest. So one person's fifty queued edits delay another
/// person's first edit by at most the one job already running, and someone sending the most expensive
/// plans gets the machine only as often as their cost allows while others wait (at least once a minute:
/// older costs are forgotten).
pub(super) async fn claim(state: &AppState, worker: &str) -> Result<Option<Claimed>, Error> {
    let now = state.clock.now_ms();
    // One statement picks and takes the job, so two workers can never both get it. Taking over a running job
    // (its lease ran out: the worker died) counts as a crash.
    // On PostgreSQL two replicas could pick the same row: the pick skips rows another claim has locked, and
    // the job is taken only if it is still claimable once its lock is had.
    let lock = match Backend::of_pool(&state.db) {
        Backend::Sqlite => "",
        Backend::Postgres => "FOR UPDATE OF j SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1,
                         crashes = crashes + CASE WHEN state = 'running' THEN 1 ELSE 0 END,
                         claimed_at = $3, updated_at = $3
         WHERE (state = 'queued' OR (state = 'running' AND lease_until < $3)) AND cancel_requested = 0
           AND id = (SELECT j.id FROM jobs j
                     WHERE (j.state = 'queued' OR (j.state = 'running' AND j.lease_until < $3))
                       AND j.cancel_requested = 0
                     ORDER BY (SELECT COUNT(*) FROM jobs r
                               WHERE r.user_id = j.user_id AND r.state = 'running' AND r.lease_until >= $3),
                              j.priority DESC,
                              (SELECT COALESCE(SUM(u.cost), 0) FROM jobs u
                               WHERE u.user_id = j.user_id AND u.claimed_at > $3 - 60000),
                              (SELECT COALESCE(MAX(c.claimed_at), 0) FROM jobs c WHERE c.user_id = j.user_id),
                              j.created_at, j.id
                     LIMIT 1 {lock})
         RETURNING id, user_id, conversation_id, prompt_message_id, target_image_id, request_json, attempts,
                   crashes"
    );
    let row: Option<ClaimRow> =
        sqlx::query_as(&sql).bind(worker).bind(now + LEASE_MS).bind(now).fetch_optional(&state.db).await?;
    if let Some(row) = &row {
        state.job_signals.changed(&row.0);
    }
    Ok(row.map(
        |(
            id,
            user_id,
            conversation_id,
            prompt_message_id,
            target_image_id,
            request_json,
            attempts,
            crashes,
        )| {
            Claimed {
                id,
                user_id,
                conversation_id,
                prompt_message_id,
                target_image_id: Some(target_image_id).filter(|t| !t.is_empty()).map(ImageId::from),
                request_json,
                attempts,
                crashes,
            }
        },
    ))
}
/// Moves a job this worker holds to `next`, dropping the lease; `reason` says why it failed (stored in
/// English and as its message key).
pub(super) async fn finish(
    state: &AppState,
    worker: &str,
    job_id: &str,
    next: &str,
    reason: Option<&Problem>,
) {
    let result = sqlx::query(
        "UPDATE jobs SET state = $1, error = $2, error_said = $3, lease_owner = NULL, lease_until = NULL,
                updated_at = $4
         WHERE id = $5 AND lease_owner = $6 AND state = 'running'",
    )
    .bind(next)
    .bind(reason.map(crate::i18n::english))
    .bind(reason.map(crate::i18n::stored))
    .bind(state.clock.now_ms())
    .bind(job_id)
    .bind(worker)
    .execute(&state.db)
    .await;
    if let Err(e) = result {
        tracing::error!(error = ?e, job = %job_id, "could not record the end of a job");
    }
    state.job_signals.changed(job_id);
    if next == "queued" {
        state.jobs_wakeup.notify_waiters();
    }
}

/// Whether the person asked to stop, and whether this worker still holds the job.
pub(super) async fn checkpoint(
    state: &AppState,
    worker: &str,
    job_id: &str,
    progress: i64,
) -> Result<(), Stop> {
    // Only the lease holder moves the progress bar, and each checkpoint renews its lease.
    let now = state.clock.now_ms();
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE jobs SET progress = CASE WHEN lease_owner = $4 THEN $1 ELSE progress END,
                         lease_until = CASE WHEN lease_owner = $4 THEN $5 ELSE lease_until END,
                         updated_at = $2
         WHERE id = $3 AND state = 'running'
         RETURNING cancel_requested, lease_owner",
    )
    .bind(progress)
    .bind(now)
    .bind(job_id)
    .bind(worker)
    .bind(now + LEASE_MS)
    .fetch_optional(&state.db)
    .await
    .map_err(|e| Stop::Transient(e.into()))?;
    state.job_signals.changed(job_id);
    match row {
        Some((_, owner)) if owner.as_deref() != Some(worker) => Err(Stop::LostLease),
        Some((1, _)) => Err(Stop::Cancelled),
        Some(_) => Ok(()),
        None => Err(Stop::LostLease),
    }
}

/// How often a long wait (a model provider, a planner) renews the lease and looks for a cancellation.
const HEARTBEAT: Duration = Duration::from_millis(500);

/// Awaits `work` (a call to a model service) while renewing the lease; a cancellation or a lost lease drops
/// the call at once, which closes its connection.
pub(super) async fn guarded<T>(
    state: &AppState,
    worker: &str,
    job_id: &str,
    progress: i64,
    work: impl std::future::Future<Output = Result<T, Stop>>,
) -> Result<T, Stop> {
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            () = tokio::time::sleep(HEARTBEAT) => checkpoint(state, worker, job_id, progress).await?,
        }
    }
}

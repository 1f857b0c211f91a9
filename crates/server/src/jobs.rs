//! The edit job queue: a table (`jobs`) and a bounded pool of workers.
//!
//! Posting an instruction stores the prompt and a `queued` job in one transaction. A worker claims the
//! oldest queued job (or a running one whose lease ran out, after a crash) with a single atomic `UPDATE`,
//! so several server processes on one database can share the queue. It runs the plan step by step on the
//! blocking pool, writing progress after each step and checking for cancellation between steps, then
//! stores the result version and the reply and marks the job `succeeded` in one transaction — only if it
//! still holds the lease, so a job is never finished twice.

use crate::http::images::{insert_image, load_owned, put_encoded, put_image, EditRecord};
use crate::http::Error;
use crate::providers::ImageProvider;
use crate::{ids, AppState};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use vinano_api::{JobInfo, JobState};
use vinano_engine::EditPlan;
use vinano_imaging::OutputFormat;

/// How long a claim lasts before another worker may take the job over.
const LEASE_MS: i64 = 60_000;
/// Claims of one job before it is given up as failed.
const MAX_ATTEMPTS: i64 = 3;
/// How often an idle worker looks for expired leases even without being woken.
const IDLE_POLL: Duration = Duration::from_secs(1);

/// What a job does, stored as JSON with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobRequest {
    /// The plan to run on the target.
    pub plan: EditPlan,
    /// Result format (`png`, `jpeg`, `webp`), or `None` for the best one for the image.
    pub format: Option<String>,
    /// For a model provider: the instruction as written (the plan then holds only the parameters' steps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// For a model provider: the size to ask for (`1024x1024`, `1536x1024`, `1024x1536`, `auto`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// For the language-model planner: the instruction to plan (its steps run before the plan's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planner_prompt: Option<String>,
    /// For a video model: the instruction as written (the plan's last step is the clip it replaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_prompt: Option<String>,
    /// The prompt was flagged for review: the result goes on evidence hold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hold: bool,
}

/// Stores a queued job (inside the caller's transaction) and returns its public form.
pub async fn enqueue(
    tx: &mut sqlx::SqliteConnection,
    now_ms: i64,
    user_id: &str,
    conversation_id: &str,
    prompt_message_id: &str,
    target_image_id: &str,
    request: &JobRequest,
) -> Result<JobInfo, Error> {
    let id = ids::new_id();
    let json = serde_json::to_string(request).map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO jobs (id, user_id, conversation_id, prompt_message_id, target_image_id, request_json, state,
                           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(conversation_id)
    .bind(prompt_message_id)
    .bind(target_image_id)
    .bind(json)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    Ok(JobInfo { id, state: JobState::Queued, progress: 0, error: None })
}

/// Public form of a stored job row.
pub fn info(id: String, state: &str, progress: i64, error: Option<String>) -> JobInfo {
    JobInfo { id, state: JobState::parse(state), progress: progress.clamp(0, 100) as u8, error }
}

/// A job owned by `user_id` (404 for anyone else's).
pub async fn owned(state: &AppState, user_id: &str, job_id: &str) -> Result<JobInfo, Error> {
    let row: Option<(String, String, i64, Option<String>)> =
        sqlx::query_as("SELECT id, state, progress, error FROM jobs WHERE id = $1 AND user_id = $2")
            .bind(job_id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let (id, st, progress, error) = row.ok_or(Error::NotFound)?;
    Ok(info(id, &st, progress, error))
}

/// Cancels a job: at once when queued, between two steps when running; finished jobs stay as they are.
pub async fn cancel(state: &AppState, user_id: &str, job_id: &str) -> Result<JobInfo, Error> {
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
    owned(state, user_id, job_id).await
}

/// Queues a failed or cancelled job again, from the start.
pub async fn retry(state: &AppState, user_id: &str, job_id: &str) -> Result<JobInfo, Error> {
    let current = owned(state, user_id, job_id).await?;
    if !matches!(current.state, JobState::Failed | JobState::Cancelled) {
        return Err(Error::Conflict("Only a failed or cancelled edit can be retried.".into()));
    }
    sqlx::query(
        "UPDATE jobs SET state = 'queued', progress = 0, error = NULL, attempts = 0, cancel_requested = 0,
                         lease_owner = NULL, lease_until = NULL, updated_at = $1
         WHERE id = $2 AND user_id = $3 AND state IN ('failed', 'cancelled')",
    )
    .bind(state.clock.now_ms())
    .bind(job_id)
    .bind(user_id)
    .execute(&state.db)
    .await?;
    state.jobs_wakeup.notify_waiters();
    owned(state, user_id, job_id).await
}

/// Starts `count` workers on the current runtime (the server starts `config.job_workers`).
pub fn spawn_workers(state: &AppState, count: usize) {
    for n in 0..count {
        let state = state.clone();
        let name = format!("{}-{n}", ids::new_id());
        tokio::spawn(async move { worker(state, name).await });
    }
}

async fn worker(state: AppState, name: String) {
    loop {
        // Register for a wake-up before looking, so an enqueue between the look and the wait isn't missed.
        let wakeup = state.jobs_wakeup.notified();
        match claim(&state, &name).await {
            Ok(Some(job)) => run(&state, &name, job).await,
            Ok(None) => {
                let _ = tokio::time::timeout(IDLE_POLL, wakeup).await;
            }
            Err(e) => {
                tracing::error!(error = ?e, "job queue unavailable");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

/// A claimed job.
struct Claimed {
    id: String,
    user_id: String,
    conversation_id: String,
    prompt_message_id: String,
    target_image_id: String,
    request_json: String,
    attempts: i64,
}

async fn claim(state: &AppState, worker: &str) -> Result<Option<Claimed>, Error> {
    let now = state.clock.now_ms();
    // One statement picks and takes the job, so two workers can never both get it.
    let row: Option<(String, String, String, String, String, String, i64)> = sqlx::query_as(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1,
                         updated_at = $3
         WHERE id = (SELECT id FROM jobs
                     WHERE (state = 'queued' OR (state = 'running' AND lease_until < $3)) AND cancel_requested = 0
                     ORDER BY created_at, id LIMIT 1)
         RETURNING id, user_id, conversation_id, prompt_message_id, target_image_id, request_json, attempts",
    )
    .bind(worker)
    .bind(now + LEASE_MS)
    .bind(now)
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(
        |(id, user_id, conversation_id, prompt_message_id, target_image_id, request_json, attempts)| {
            Claimed {
                id,
                user_id,
                conversation_id,
                prompt_message_id,
                target_image_id,
                request_json,
                attempts,
            }
        },
    ))
}

/// How a run ended short of success.
enum Stop {
    /// The person cancelled it.
    Cancelled,
    /// It cannot succeed; the message says why.
    Failed(String),
    /// Something broke that may work next time.
    Transient(anyhow::Error),
    /// Another worker or a cancellation took the job over; leave it alone.
    LostLease,
}

async fn run(state: &AppState, worker: &str, job: Claimed) {
    if job.attempts > MAX_ATTEMPTS {
        finish(state, worker, &job.id, "failed", Some("This edit failed several times. Please try again."))
            .await;
        return;
    }
    match execute(state, worker, &job).await {
        Ok(()) => {}
        Err(Stop::Cancelled) => finish(state, worker, &job.id, "cancelled", None).await,
        Err(Stop::Failed(reason)) => finish(state, worker, &job.id, "failed", Some(&reason)).await,
        Err(Stop::Transient(e)) => {
            tracing::warn!(error = ?e, job = %job.id, attempt = job.attempts, "edit job failed; will retry");
            let next = if job.attempts >= MAX_ATTEMPTS { "failed" } else { "queued" };
            let reason =
                (next == "failed").then_some("Something went wrong while editing. Please try again.");
            finish(state, worker, &job.id, next, reason).await;
        }
        Err(Stop::LostLease) => {}
    }
}

/// Moves a job this worker holds to `next`, dropping the lease.
async fn finish(state: &AppState, worker: &str, job_id: &str, next: &str, error: Option<&str>) {
    let result = sqlx::query(
        "UPDATE jobs SET state = $1, error = $2, lease_owner = NULL, lease_until = NULL, updated_at = $3
         WHERE id = $4 AND lease_owner = $5 AND state = 'running'",
    )
    .bind(next)
    .bind(error)
    .bind(state.clock.now_ms())
    .bind(job_id)
    .bind(worker)
    .execute(&state.db)
    .await;
    if let Err(e) = result {
        tracing::error!(error = ?e, job = %job_id, "could not record the end of a job");
    }
    if next == "queued" {
        state.jobs_wakeup.notify_waiters();
    }
}

/// Whether the person asked to stop, and whether this worker still holds the job.
async fn checkpoint(state: &AppState, worker: &str, job_id: &str, progress: i64) -> Result<(), Stop> {
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
async fn guarded<T>(
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

async fn execute(state: &AppState, worker: &str, job: &Claimed) -> Result<(), Stop> {
    let mut request: JobRequest = serde_json::from_str(&job.request_json)
        .map_err(|e| Stop::Failed(format!("This edit is damaged ({e}).")))?;
    let mut planned_by = None;
    if let Some(instruction) = request.planner_prompt.clone() {
        let Some(planner) = state.planner.clone() else {
            return Err(Stop::Failed("The planner for this edit is not configured any more.".into()));
        };
        let planned = guarded(state, worker, &job.id, 0, async {
            planner.plan(&instruction).await.map_err(|e| Stop::Failed(e.to_string()))
        })
        .await?;
        let missing: String = planned.texts().iter().flat_map(|t| state.fonts.missing(t)).collect();
        if !missing.is_empty() {
            return Err(Stop::Failed(format!("There is no font on this server for: {missing}.")));
        }
        let params = std::mem::take(&mut request.plan.operations);
        request.plan = EditPlan {
            operations: planned.operations.into_iter().chain(params).collect(),
            not_understood: vec![],
        };
        planned_by = Some(planner.name());
    }
    let started = Instant::now();
    // No target (a poster, or a provider generation) starts from nothing.
    let loaded = if !job.target_image_id.is_empty() {
        load_owned(state, &job.user_id, &job.target_image_id).await.map(Some)
    } else {
        Ok(None)
    };
    let target = match loaded {
        Ok(image) => image,
        Err(Error::NotFound) => return Err(Stop::Failed("The image to edit has been deleted.".into())),
        Err(Error::InvalidImage(m) | Error::UnsupportedMediaType(m)) => return Err(Stop::Failed(m)),
        Err(e) => return Err(Stop::Transient(anyhow::anyhow!("{e}"))),
    };
    // The provider's answer (when one is used), the steps, then encoding and storing: each counts the same
    // towards the progress bar.
    let provider_step = i64::from(request.prompt.is_some());
    let steps = request.plan.operations.len() as i64 + 1 + provider_step;
    checkpoint(state, worker, &job.id, 0).await?;
    let mut provider_name = planned_by.unwrap_or_else(|| "local".to_string());
    let mut image = match &request.prompt {
        Some(prompt) => {
            let Some(provider) = state.provider.clone() else {
                return Err(Stop::Failed(
                    "The image service for this edit is not configured any more.".into(),
                ));
            };
            provider_name = provider.name();
            let size = request.size.as_deref();
            let answer = guarded(
                state,
                worker,
                &job.id,
                0,
                from_provider(state, &job.user_id, &provider, target, prompt, size),
            )
            .await?;
            checkpoint(state, worker, &job.id, 100 / steps).await?;
            answer
        }
        None => target.unwrap_or_else(|| vinano_imaging::DynamicImage::new_rgb8(1, 1)),
    };
    for (done, op) in request.plan.operations.iter().enumerate() {
        let (op, fonts) = (op.clone(), state.fonts.clone());
        image = state
            .blocking(move || vinano_engine::apply(&op, &image, &fonts))
            .await
            .map_err(Stop::Transient)?;
        checkpoint(state, worker, &job.id, (done as i64 + 1 + provider_step) * 100 / steps).await?;
    }
    let video_model = request.video_prompt.as_ref().zip(state.video.clone());
    let blob = match request.plan.video() {
        // With a video model configured, it animates the edited image (a crossfade stays local: it needs
        // two versions).
        Some((motion, seconds)) if motion != vinano_engine::Motion::Crossfade && video_model.is_some() => {
            let Some((prompt, model)) = video_model else { unreachable!("checked by the guard") };
            let progress = (steps - 1) * 100 / steps;
            let (width, height) = (image.width(), image.height());
            let clip = guarded(
                state,
                worker,
                &job.id,
                progress,
                from_video_model(state, &job.user_id, &model, image, prompt, seconds),
            )
            .await?;
            provider_name = crate::providers::VideoProvider::name(model.as_ref());
            put_encoded(state, clip, "video/mp4", width, height)
                .await
                .map_err(|e| Stop::Transient(anyhow::anyhow!("{e}")))?
        }
        // A video ends the plan: the clip of the edited image is the result.
        Some((motion, seconds)) => {
            let earlier = match motion {
                vinano_engine::Motion::Crossfade => Some(earlier_version(state, job).await?),
                _ => None,
            };
            let clip = state
                .blocking(move || crate::video::render(&image, earlier.as_ref(), motion, seconds))
                .await
                .map_err(Stop::Transient)?
                .map_err(|e| Stop::Failed(format!("The video could not be made ({e}).")))?;
            put_encoded(state, clip.bytes, "image/gif", clip.width, clip.height)
                .await
                .map_err(|e| Stop::Transient(anyhow::anyhow!("{e}")))?
        }
        None => {
            let format = request.format.as_deref().and_then(OutputFormat::parse);
            put_image(state, image, format).await.map_err(|e| Stop::Transient(anyhow::anyhow!("{e}")))?
        }
    };
    let record = EditRecord {
        plan: request.plan.clone(),
        provider: provider_name,
        duration_ms: started.elapsed().as_millis() as u64,
    };
    match store(state, worker, job, &blob, &record, request.hold).await {
        Ok(true) => Ok(()),
        Ok(false) => {
            blob.discard(state).await;
            Err(Stop::LostLease)
        }
        Err(e) => {
            blob.discard(state).await;
            Err(Stop::Transient(e))
        }
    }
}

/// The version the target was made from (where a crossfade starts).
async fn earlier_version(state: &AppState, job: &Claimed) -> Result<vinano_imaging::DynamicImage, Stop> {
    let parent: Option<String> = sqlx::query_scalar("SELECT parent_id FROM images WHERE id = $1")
        .bind(&job.target_image_id)
        .fetch_optional(&state.db)
        .await
        .map_err(|e| Stop::Transient(e.into()))?
        .flatten();
    let Some(parent) = parent else {
        return Err(Stop::Failed("A crossfade needs an earlier version of this image to fade from.".into()));
    };
    load_owned(state, &job.user_id, &parent)
        .await
        .map_err(|_| Stop::Failed("The earlier version is gone.".into()))
}

/// Sends the target and the prompt to the model provider and decodes its answer (under the same limits as
/// uploads). A provider's safety block is written to the moderation log.
async fn from_provider(
    state: &AppState,
    user_id: &str,
    provider: &crate::providers::Provider,
    image: Option<vinano_imaging::DynamicImage>,
    prompt: &str,
    size: Option<&str>,
) -> Result<vinano_imaging::DynamicImage, Stop> {
    use crate::providers::{ImageProvider, ImageRequest, ProviderError};
    // An edit sends the target as PNG; without one, the provider generates.
    let png = match image {
        Some(image) => Some(
            state
                .blocking(move || vinano_imaging::encode(&image, OutputFormat::Png))
                .await
                .map_err(Stop::Transient)?
                .map_err(|e| Stop::Failed(e.to_string()))?
                .bytes,
        ),
        None => None,
    };
    let request =
        ImageRequest { prompt: prompt.to_string(), image: png, size: size.unwrap_or("auto").into() };
    let bytes = match provider.run(&request).await {
        Ok(bytes) => bytes,
        Err(e @ ProviderError::SafetyBlock(_)) => {
            log_safety_block(state, user_id, prompt).await;
            return Err(Stop::Failed(e.to_string()));
        }
        Err(e) => return Err(Stop::Failed(e.to_string())),
    };
    let limits = vinano_imaging::DecodeLimits { max_pixels: state.config.max_pixels, ..Default::default() };
    let decoded =
        state.blocking(move || vinano_imaging::decode(&bytes, limits)).await.map_err(Stop::Transient)?;
    decoded
        .map(|d| d.image)
        .map_err(|_| Stop::Failed("The image service sent back something that isn't a usable image.".into()))
}

/// Writes a model's own safety block to the moderation log (a failure to log is logged, not fatal).
async fn log_safety_block(state: &AppState, user_id: &str, prompt: &str) {
    let hash = crate::moderation::prompt_hash(prompt);
    if let Err(e) = crate::moderation::append(state, user_id, &hash, "provider_safety", "refuse").await {
        tracing::error!(error = ?e, "could not log a model's safety block");
    }
}

/// Sends the edited image and the instruction to the video model. Its safety filter's refusals go to the
/// moderation log, like an image provider's.
async fn from_video_model(
    state: &AppState,
    user_id: &str,
    model: &crate::providers::veo::Veo,
    image: vinano_imaging::DynamicImage,
    prompt: &str,
    seconds: u32,
) -> Result<Vec<u8>, Stop> {
    use crate::providers::{ProviderError, VideoProvider, VideoRequest};
    let aspect_ratio = if image.height() > image.width() { "9:16" } else { "16:9" };
    let png = state
        .blocking(move || vinano_imaging::encode(&image, OutputFormat::Png))
        .await
        .map_err(Stop::Transient)?
        .map_err(|e| Stop::Failed(e.to_string()))?
        .bytes;
    let request = VideoRequest { prompt: prompt.to_string(), image: png, seconds, aspect_ratio };
    match model.run(&request).await {
        Ok(mp4) => Ok(mp4),
        Err(e @ ProviderError::SafetyBlock(_)) => {
            log_safety_block(state, user_id, prompt).await;
            Err(Stop::Failed(e.to_string().replace("image service", "video service")))
        }
        Err(e) => Err(Stop::Failed(e.to_string().replace("image service", "video service"))),
    }
}

/// Records the result and the reply and marks the job done, all or nothing; `false` when the job was no
/// longer this worker's (cancelled, taken over, or its conversation deleted).
async fn store(
    state: &AppState,
    worker: &str,
    job: &Claimed,
    blob: &crate::http::images::StoredBlob,
    record: &EditRecord,
    hold: bool,
) -> anyhow::Result<bool> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let done = sqlx::query(
        "UPDATE jobs SET state = 'succeeded', progress = 100, lease_owner = NULL, lease_until = NULL, updated_at = $1
         WHERE id = $2 AND lease_owner = $3 AND state = 'running' AND cancel_requested = 0",
    )
    .bind(now)
    .bind(&job.id)
    .bind(worker)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let parent = Some(job.target_image_id.as_str()).filter(|t| !t.is_empty());
    let result = insert_image(&mut *tx, now, &job.user_id, parent, blob, Some(record))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if hold {
        sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
            .bind(&result.id)
            .execute(&mut *tx)
            .await?;
    }
    // An edit of a commercial image is commercial too (its training consent is not inherited).
    if let Some(parent) = parent {
        sqlx::query(
            "UPDATE images SET commercial = (SELECT commercial FROM images WHERE id = $1) WHERE id = $2",
        )
        .bind(parent)
        .bind(&result.id)
        .execute(&mut *tx)
        .await?;
    }
    let position: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM messages WHERE conversation_id = $1")
            .bind(&job.conversation_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, user_id, position, role, text, image_id, reply_to, created_at)
         VALUES ($1, $2, $3, $4, 'assistant', $5, $6, $7, $8)",
    )
    .bind(ids::new_id())
    .bind(&job.conversation_id)
    .bind(&job.user_id)
    .bind(position)
    .bind(record.plan.summary())
    .bind(&result.id)
    .bind(&job.prompt_message_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&job.conversation_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

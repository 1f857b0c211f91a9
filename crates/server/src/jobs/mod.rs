//! The edit job queue: a table (`jobs`) and a bounded pool of workers.
//!
//! Posting an instruction stores the prompt and a `queued` job in one transaction. A worker claims the
//! next job fairly across people (or a running one whose lease ran out, after a crash) with a single atomic
//! `UPDATE`, so several server processes on one database can share the queue (`queue.rs`). A job whose
//! worker died twice is failed, never claimed again; a panic in a step fails the job, not the process; and
//! every step's result is held to the pixel budget. It runs the plan step by step on the
//! blocking pool, writing progress after each step and checking for cancellation between steps, then
//! stores the result version and the reply and marks the job `succeeded` in one transaction — only if it
//! still holds the lease, so a job is never finished twice.

mod models;
mod queue;
mod render;
pub mod signals;

pub use queue::{cancel, enqueue, info, owned, retry, MAX_RETRIES};

use crate::error::Error;
use crate::ids::ImageId;
use crate::images::{
    insert_image, load_owned, load_owned_with_dpi, put_encoded, put_image, EditRecord, StoredBlob,
};
use crate::providers::{ImageProvider, Service};
use crate::{ids, AppState};
use models::from_video_model;
use queue::{checkpoint, claim, finish, guarded, Claimed, IDLE_POLL, MAX_ATTEMPTS, MAX_CRASHES};
use serde::{Deserialize, Serialize};
use std::time::Instant;
use vinano_api::{Msg, Problem};
use vinano_engine::EditPlan;
use vinano_imaging::OutputFormat;

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
    /// The brushed selection the plan works in, sealed (see [`crate::selection`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// How many candidates to make (1 to [`vinano_api::MAX_VARIANTS`]); each is its own version.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub variants: u8,
    /// Every image the instruction came with, in order ("image 1" first), when it came with more than
    /// the photo it edits; the plan places, combines or puts them behind. Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached: Vec<String>,
    /// The print resolution the edited file states, found when the job loads it (not stored).
    #[serde(skip)]
    pub print_dpi: Option<u32>,
}

fn one() -> u8 {
    1
}

fn is_one(n: &u8) -> bool {
    *n == 1
}

/// Starts `count` workers on the current runtime (the server starts `config.job_workers`).
pub fn spawn_workers(state: &AppState, count: usize) {
    for n in 0..count {
        let state = state.clone();
        // The process's id first: stopping hands back the leases of exactly this process.
        let name = format!("{}-{n}-{}", state.process_id, ids::random_hex(4));
        // Counted as running until its loop ends (stopping, or a panic outside a job's own task).
        let running = state.workers.started();
        tokio::spawn(async move {
            let _running = running;
            worker(state, name).await
        });
    }
}

async fn worker(state: AppState, name: String) {
    loop {
        // Register for a wake-up before looking, so an enqueue between the look and the wait isn't missed.
        let wakeup = state.jobs_wakeup.notified();
        if state.stopping.is_stopping() {
            return;
        }
        match claim(&state, &name).await {
            Ok(Some(job)) => {
                // Its own task: a panic anywhere in the run fails the job and this worker carries on.
                let id = job.id.clone();
                let (st, nm) = (state.clone(), name.clone());
                if let Err(e) = tokio::spawn(async move { run(&st, &nm, job).await }).await {
                    tracing::error!(error = %e, job = %id, "an edit job panicked; it fails");
                    finish(&state, &name, &id, "failed", Some(&Msg::ReasonPanicked.into())).await;
                }
            }
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::timeout(IDLE_POLL, wakeup) => {}
                    () = state.stopping.wait() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = ?e, "job queue unavailable");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

/// How a run ended short of success.
pub(super) enum Stop {
    /// The person cancelled it.
    Cancelled,
    /// It cannot succeed; the message says why.
    Failed(Problem),
    /// Something broke that may work next time.
    Transient(anyhow::Error),
    /// Another worker or a cancellation took the job over; leave it alone.
    LostLease,
}

async fn run(state: &AppState, worker: &str, job: Claimed) {
    if job.crashes >= MAX_CRASHES {
        tracing::error!(job = %job.id, crashes = job.crashes, "edit job stopped its worker again; failed for good");
        finish(state, worker, &job.id, "failed", Some(&Msg::RetryCrashed.into())).await;
        return;
    }
    if job.attempts > MAX_ATTEMPTS {
        finish(state, worker, &job.id, "failed", Some(&Msg::ReasonAttempts.into())).await;
        return;
    }
    let started = Instant::now();
    let outcome = match execute(state, worker, &job).await {
        Ok(()) => "succeeded",
        Err(Stop::Cancelled) => {
            finish(state, worker, &job.id, "cancelled", None).await;
            "cancelled"
        }
        Err(Stop::Failed(reason)) => {
            finish(state, worker, &job.id, "failed", Some(&reason)).await;
            "failed"
        }
        Err(Stop::Transient(e)) => {
            tracing::warn!(error = ?e, job = %job.id, attempt = job.attempts, "edit job failed; will retry");
            let next = if job.attempts >= MAX_ATTEMPTS { "failed" } else { "queued" };
            let reason = (next == "failed").then(|| Problem::new(Msg::ReasonTransient));
            finish(state, worker, &job.id, next, reason.as_ref()).await;
            if next == "failed" {
                "failed"
            } else {
                "retried"
            }
        }
        Err(Stop::LostLease) => "lost_lease",
    };
    let kind = serde_json::from_str::<JobRequest>(&job.request_json)
        .ok()
        .and_then(|request| serde_json::to_value(crate::billing::kind(&request)).ok())
        .and_then(|kind| kind.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    state.metrics.observe_job(&kind, outcome, started.elapsed().as_secs_f64());
}

async fn execute(state: &AppState, worker: &str, job: &Claimed) -> Result<(), Stop> {
    let mut request: JobRequest = serde_json::from_str(&job.request_json).map_err(|e| {
        tracing::error!(error = %e, job = %job.id, "a stored edit request does not read");
        Stop::Failed(Msg::ReasonDamaged.into())
    })?;
    let mut planned_by = None;
    if let Some(instruction) = request.planner_prompt.clone() {
        let Some(planner) = state.planner.clone() else {
            return Err(Stop::Failed(Msg::ReasonPlannerGone.into()));
        };
        let planned = guarded(state, worker, &job.id, 0, async {
            planner.plan(&instruction).await.map_err(|e| Stop::Failed(e.said(Service::Image)))
        })
        .await?;
        let missing: String = planned.texts().iter().flat_map(|t| state.fonts.missing(t)).collect();
        if !missing.is_empty() {
            return Err(Stop::Failed(Problem::new(Msg::NoFont).text("chars", missing)));
        }
        let params = std::mem::take(&mut request.plan.operations);
        request.plan = EditPlan {
            operations: planned.operations.into_iter().chain(params).collect(),
            not_understood: vec![],
            in_selection: false,
            base: None,
        };
        planned_by = Some(planner.name());
    }
    let started = Instant::now();
    // The job's memory is reserved before its photo is loaded: the plan's peak from the photo's size (a
    // provider's answer can be anything up to the pixel budget).
    let size = target_size(state, job).await.map_err(Stop::Transient)?;
    let peak = match request.prompt {
        Some(_) => state.config.max_pixels.saturating_mul(2),
        None => request.plan.peak_pixels(size),
    };
    // Other images the plan places or combines are held beside it (the list is empty for most jobs).
    let others = attached_pixels(state, &request.attached).await.map_err(Stop::Transient)?;
    let _memory = state.memory.reserve(crate::memory::for_pixels(peak.saturating_add(others))).await;
    let attached = load_attached(state, job, &request.attached).await?;
    // No target (a poster, or a provider generation) starts from nothing.
    let loaded = match &job.target_image_id {
        Some(target) => load_owned_with_dpi(state, &job.user_id, target).await.map(Some),
        None => Ok(None),
    };
    let target = match loaded {
        Ok(Some((image, dpi))) => {
            // A print poster edited further stays made for print.
            request.print_dpi = dpi;
            Some(image)
        }
        Ok(None) => None,
        Err(Error::NotFound) => return Err(Stop::Failed(Msg::ReasonImageDeleted.into())),
        Err(Error::InvalidImage(p) | Error::UnsupportedMediaType(p)) => return Err(Stop::Failed(p)),
        Err(e) => return Err(Stop::Transient(anyhow::anyhow!("{e}"))),
    };
    // A selection is opened against the photo it was brushed on, before anything works on it.
    let selection = match (&request.selection, &target) {
        (Some(stored), Some(target)) => Some(std::sync::Arc::new(selection_of(state, job, stored, target)?)),
        (Some(_), None) => return Err(Stop::Failed(Msg::SelectionNoPhoto.into())),
        (None, _) => None,
    };
    // Each variant: the provider's answer (when one is used), the steps, then encoding; each counts the same
    // towards the progress bar.
    let variants = if request.plan.video().is_some() { 1 } else { request.variants.max(1) };
    let per = request.plan.operations.len() as i64 + 1 + i64::from(request.prompt.is_some());
    let prompt = request.prompt.as_deref().map(|p| (p, request.size.as_deref()));
    let units = per * i64::from(variants);
    let renderer = render::Job { state, worker, job, selection, prompt, units, attached };
    checkpoint(state, worker, &job.id, 0).await?;
    let mut provider_name = planned_by.unwrap_or_else(|| "local".to_string());
    if let (Some(provider), Some(_)) = (&state.provider, &request.prompt) {
        provider_name = provider.name();
    }
    let mut note = None;
    let mut results: Vec<(StoredBlob, EditRecord)> = Vec::new();
    for k in 0..variants {
        let plan = request.plan.variant(k);
        let image = match renderer.render(&plan, target.clone(), i64::from(k) * per).await {
            Ok(image) => image,
            Err(stop) => {
                discard(state, &results).await;
                return Err(stop);
            }
        };
        let blob = match result_blob(state, worker, job, &request, image, &mut note, &mut provider_name).await
        {
            Ok(blob) => blob,
            Err(stop) => {
                discard(state, &results).await;
                return Err(stop);
            }
        };
        let record = EditRecord {
            plan,
            provider: provider_name.clone(),
            duration_ms: started.elapsed().as_millis() as u64,
            note: note.clone(),
            selection: request.selection.clone(),
        };
        results.push((blob, record));
    }
    match store(state, worker, job, &results, request.hold).await {
        Ok(true) => Ok(()),
        Ok(false) => {
            discard(state, &results).await;
            Err(Stop::LostLease)
        }
        Err(e) => {
            discard(state, &results).await;
            Err(Stop::Transient(e))
        }
    }
}

/// Removes the blobs of results that will not be stored.
async fn discard(state: &AppState, results: &[(StoredBlob, EditRecord)]) {
    for (blob, _) in results {
        blob.discard(state).await;
    }
}

/// The stored file of a rendered result: a clip when the plan ends with one (by the video model when one is
/// configured), else the image in the asked format, marked with its provenance.
async fn result_blob(
    state: &AppState,
    worker: &str,
    job: &Claimed,
    request: &JobRequest,
    image: vinano_imaging::DynamicImage,
    note: &mut Option<Problem>,
    provider_name: &mut String,
) -> Result<StoredBlob, Stop> {
    let transient = |e: Error| Stop::Transient(anyhow::anyhow!("{e}"));
    let video_model = request.video_prompt.as_ref().zip(state.video.clone());
    match request.plan.video() {
        // With a video model configured, it animates the edited image (a crossfade stays local: it needs
        // two versions).
        Some((motion, seconds)) if motion != vinano_engine::Motion::Crossfade && video_model.is_some() => {
            let Some((prompt, model)) = video_model else { unreachable!("checked by the guard") };
            let (width, height) = (image.width(), image.height());
            let clip = guarded(
                state,
                worker,
                &job.id,
                99,
                from_video_model(state, &job.user_id, &model, image, prompt, seconds),
            )
            .await?;
            *provider_name = crate::providers::VideoProvider::name(model.as_ref());
            let made = made(request, job, Some(provider_name.clone()));
            put_encoded(state, clip, "video/mp4", (width, height), made, &[]).await.map_err(transient)
        }
        // A video ends the plan: the clip of the edited image is the result.
        Some((motion, seconds)) => {
            let earlier = match motion {
                vinano_engine::Motion::Crossfade => Some(earlier_version(state, job).await?),
                _ => None,
            };
            let segmentation = state.segmentation.clone();
            let shape = request.plan.video_shape();
            let clip = state
                .blocking(move || {
                    // A parallax moves the subject the segmentation model finds in front of the rest.
                    let matte = match motion {
                        vinano_engine::Motion::Parallax => {
                            let model = segmentation.model().map_err(|why| {
                                tracing::error!(%why, "the segmentation model could not be prepared");
                                Stop::Failed(Msg::ReasonSegmentationOff.into())
                            })?;
                            let matte = vinano_imaging::matte::matte(&image, model.as_ref())
                                .map_err(|e| Stop::Transient(anyhow::anyhow!("{e}")))?;
                            Some(matte)
                        }
                        _ => None,
                    };
                    let size = (seconds, crate::video::SIZE, shape);
                    let clip = crate::video::render(&image, earlier.as_ref(), matte.as_ref(), motion, size)
                        .map_err(|e| {
                        tracing::error!(error = %e, "a clip could not be made");
                        Stop::Failed(Msg::ReasonVideoFailed.into())
                    })?;
                    // A grid of pictures shows a clip by its first frame.
                    let stills = crate::preview::stills(&image::DynamicImage::ImageRgba8(clip.first.clone()));
                    Ok::<_, Stop>((clip, stills))
                })
                .await
                .map_err(Stop::Transient)??;
            let (clip, stills) = clip;
            let made = made(request, job, None);
            put_encoded(state, clip.bytes, "video/mp4", (clip.width, clip.height), made, &stills)
                .await
                .map_err(transient)
        }
        None => {
            // A cut-out asked for as JPEG (which has no transparency) is kept as a PNG, and the reply says so.
            let asked = request.format.as_deref().and_then(OutputFormat::parse);
            let transparent = vinano_imaging::matte::is_transparent(&image);
            let (format, as_png) = vinano_engine::settings::result_format(asked, transparent);
            if as_png {
                *note = Some(Msg::ReplyTransparentAsPng.into());
            }
            // Marked as made by ViNano, and how (no personal data).
            let model = request.prompt.is_some().then(|| provider_name.clone());
            put_image(state, image, format, Some(made(request, job, model))).await.map_err(transient)
        }
    }
}

/// How a result was made, for its provenance marks: the plan's steps, after `model`'s (a provider's) edit
/// when one made the pixels.
fn made(request: &JobRequest, job: &Claimed, model: Option<String>) -> crate::provenance::Made {
    let edit = job.target_image_id.is_some();
    let source = request.plan.provenance(model.is_some(), !edit);
    let mut made = crate::provenance::Made::by_plan(&request.plan, source, model, edit);
    // The local engine's edit of a file made for print keeps its resolution (a model's answer has its own
    // size, and a clip has none).
    if made.model.is_none() && request.plan.video().is_none() {
        made.dpi = made.dpi.or(request.print_dpi);
    }
    made
}

/// The job's selection, opened and checked against the image it works on (the same size, as when it was
/// sent).
fn selection_of(
    state: &AppState,
    job: &Claimed,
    stored: &str,
    image: &vinano_imaging::DynamicImage,
) -> Result<vinano_imaging::selection::Selection, Stop> {
    let mask = crate::selection::open(&state.master_key, &job.user_id, stored).map_err(|e| {
        tracing::error!(error = %e, job = %job.id, "a stored selection does not open");
        Stop::Failed(Msg::ReasonDamaged.into())
    })?;
    if mask.dimensions() != (image.width(), image.height()) {
        return Err(Stop::Failed(Msg::ReasonNoSelection.into()));
    }
    Ok(vinano_imaging::selection::Selection::new(mask))
}

/// A plan that outgrew the pixel budget fails with the size it would have reached.
fn too_large(e: vinano_engine::TooLarge) -> Stop {
    Stop::Failed(
        Problem::new(Msg::ReasonTooLarge)
            .num("width", e.width)
            .num("height", e.height)
            .num("limit_mp", vinano_engine::megapixels(e.max_pixels)),
    )
}

/// A step that panicked fails the job (running it again would only panic again); other failures of the
/// blocking pool may pass.
fn step_failed(e: anyhow::Error) -> Stop {
    if e.downcast_ref::<crate::pool::Panicked>().is_some() {
        tracing::error!(error = %e, "an edit step panicked; the job fails");
        return Stop::Failed(Msg::ReasonPanicked.into());
    }
    Stop::Transient(e)
}

/// The version the target was made from (where a crossfade starts).
async fn earlier_version(state: &AppState, job: &Claimed) -> Result<vinano_imaging::DynamicImage, Stop> {
    let parent: Option<ImageId> = sqlx::query_scalar("SELECT parent_id FROM images WHERE id = $1")
        .bind(&job.target_image_id)
        .fetch_optional(&state.db)
        .await
        .map_err(|e| Stop::Transient(e.into()))?
        .flatten();
    let Some(parent) = parent else {
        return Err(Stop::Failed(Msg::ReasonCrossfadeNeedsEarlier.into()));
    };
    load_owned(state, &job.user_id, &parent).await.map_err(|_| Stop::Failed(Msg::ReasonEarlierGone.into()))
}

/// The pixels of the images a job places or combines, as stored.
async fn attached_pixels(state: &AppState, ids: &[String]) -> anyhow::Result<u64> {
    let mut total = 0u64;
    for id in ids {
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT width, height FROM images WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db)
            .await?;
        total =
            total.saturating_add(row.map_or(0, |(w, h)| (w.max(0) as u64).saturating_mul(h.max(0) as u64)));
    }
    Ok(total)
}

/// The images a job places or combines, in order, each still the person's own; one deleted since the
/// instruction was sent fails the job with why.
async fn load_attached(
    state: &AppState,
    job: &Claimed,
    ids: &[String],
) -> Result<std::sync::Arc<Vec<vinano_imaging::DynamicImage>>, Stop> {
    let mut images = Vec::with_capacity(ids.len());
    for id in ids {
        match load_owned(state, &job.user_id, &ImageId::from(id.clone())).await {
            Ok(image) => images.push(image),
            Err(Error::NotFound) => return Err(Stop::Failed(Msg::ReasonReferenceDeleted.into())),
            Err(Error::InvalidImage(p) | Error::UnsupportedMediaType(p)) => return Err(Stop::Failed(p)),
            Err(e) => return Err(Stop::Transient(anyhow::anyhow!("{e}"))),
        }
    }
    Ok(std::sync::Arc::new(images))
}

/// The width and height of the job's photo as stored (none for a job without one, or a deleted photo).
async fn target_size(state: &AppState, job: &Claimed) -> anyhow::Result<Option<(u32, u32)>> {
    let Some(target) = &job.target_image_id else {
        return Ok(None);
    };
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT width, height FROM images WHERE id = $1")
        .bind(target)
        .fetch_optional(&state.db)
        .await?;
    Ok(row.map(|(w, h)| (w.clamp(0, i64::from(u32::MAX)) as u32, h.clamp(0, i64::from(u32::MAX)) as u32)))
}

/// Records the results (one, or the variants, siblings sharing the job's id as their batch) and the reply
/// (showing the first) and marks the job done, all or nothing; `false` when the job was no longer this
/// worker's (cancelled, taken over, or its conversation deleted).
async fn store(
    state: &AppState,
    worker: &str,
    job: &Claimed,
    results: &[(StoredBlob, EditRecord)],
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
    let parent = job.target_image_id.as_ref();
    let Some((_, record)) = results.first() else { anyhow::bail!("a job finished without a result") };
    let mut first = None;
    for (k, (blob, record)) in results.iter().enumerate() {
        // Variants are made a millisecond apart, so they keep their order.
        let made = now + k as i64;
        let result = insert_image(&mut *tx, made, &job.user_id, parent, blob, Some(record))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if results.len() > 1 {
            sqlx::query("UPDATE images SET batch = $1 WHERE id = $2")
                .bind(&job.id)
                .bind(&result.id)
                .execute(&mut *tx)
                .await?;
        }
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
        first.get_or_insert(result.id);
    }
    let first = first.unwrap_or_default();
    let position: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM messages WHERE conversation_id = $1")
            .bind(&job.conversation_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, user_id, position, role, text, text_said, image_id, reply_to,
                               created_at)
         VALUES ($1, $2, $3, $4, 'assistant', $5, $6, $7, $8, $9)",
    )
    .bind(ids::new_id())
    .bind(&job.conversation_id)
    .bind(&job.user_id)
    .bind(position)
    .bind(vinano_api::problem::words::english(record.reply().msg.key(), &record.reply().args))
    .bind(crate::i18n::stored(&record.reply()))
    .bind(&first)
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
    state.job_signals.changed(&job.id);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_step_fails_the_job_and_other_pool_errors_may_pass() {
        let pool = crate::pool::ImagePool::new(1);
        let panicked = pool.run(|| -> u8 { panic!("a step blew up") }).await.unwrap_err();
        match step_failed(panicked) {
            Stop::Failed(reason) => assert_eq!(reason, Msg::ReasonPanicked.into()),
            _ => panic!("a panic must fail the job"),
        }
        assert!(matches!(step_failed(anyhow::anyhow!("the image threads have stopped")), Stop::Transient(_)));
    }
}

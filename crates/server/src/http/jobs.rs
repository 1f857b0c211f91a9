//! Edit jobs (`/jobs`): status, a live event stream of progress, cancel and retry. Every route checks
//! that the job belongs to the signed-in person.

use super::extract::Json;
use super::{CurrentUser, Result};
use crate::ids::{JobId, UserId};
use crate::jobs::{self, signals::Follow};
use crate::quota::StreamPass;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::JobInfo;

/// How often a progress stream reads its job without being woken (a job another process runs), and checks
/// that the session it was opened with is still signed in.
const SLOW_POLL: Duration = Duration::from_secs(2);

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(events))
        .routes(routes!(cancel))
        .routes(routes!(retry))
}

/// A job's state and progress.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = String, Path, description = "A job id")), responses((status = 200, description = "The job", body = vinano_api::JobInfo)), security(("session" = [])))]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<JobId>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::owned(&state, &user.id, &id).await?))
}

/// A progress stream's state between two events.
struct Follower {
    state: AppState,
    user_id: UserId,
    session_hash: String,
    id: JobId,
    follow: Follow,
    _pass: StreamPass,
    next: Option<JobInfo>,
    last: Option<JobInfo>,
}

impl Follower {
    /// The job as it is now, once it may have changed: woken by this process, or after the slow poll (which
    /// also ends the stream when the session has ended). `None` ends the stream.
    async fn wait(&mut self) -> Option<JobInfo> {
        tokio::select! {
            () = self.follow.changed() => {}
            () = tokio::time::sleep(SLOW_POLL) => {
                if !session_alive(&self.state, &self.session_hash).await {
                    return None;
                }
            }
        }
        jobs::owned(&self.state, &self.user_id, &self.id).await.ok()
    }
}

/// Whether the session is still signed in (not logged out, revoked or expired).
async fn session_alive(state: &AppState, session_hash: &str) -> bool {
    let found: Result<Option<i64>, _> =
        sqlx::query_scalar("SELECT 1 FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(session_hash)
            .bind(state.clock.now_ms())
            .fetch_optional(&state.db)
            .await;
    !matches!(found, Ok(None))
}

/// Server-Sent Events: one `data:` JSON [`JobInfo`] per change, the last one finished, then the stream ends.
/// Woken in-process when the job changes; it ends with the job, when the job is gone, or when the session
/// ends; each person may have `open_streams` of them open.
#[utoipa::path(get, path = "/jobs/{id}/events", tag = "jobs", params(("id" = String, Path, description = "A job id")), responses((status = 200, description = "Server-Sent Events: one `data:` line with a JobInfo per change, the last one finished", content_type = "text/event-stream", body = String)), security(("session" = [])))]
async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<JobId>,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    // Following starts before the first read, so no change between the two is missed.
    let follow = state.job_signals.follow(&id);
    let first = jobs::owned(&state, &user.id, &id).await?;
    // The place is held until the stream is dropped (it ended, or the client went away).
    let pass = state.streams.open(&user.id, state.config.quotas.open_streams)?;
    let follower = Follower {
        state,
        user_id: user.id,
        session_hash: user.session_hash,
        id,
        follow,
        _pass: pass,
        next: Some(first),
        last: None,
    };
    let stream = stream::unfold(Some(follower), |follower| async move {
        let mut f = follower?;
        loop {
            let job = match f.next.take() {
                Some(job) => job,
                None if f.last.as_ref().is_some_and(|j| j.state.is_finished()) => return None,
                None => f.wait().await?,
            };
            if f.last.as_ref() != Some(&job) {
                let event = Event::default().json_data(&job).unwrap_or_default();
                f.last = Some(job);
                return Some((Ok(event), Some(f)));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Cancels a queued or running job.
#[utoipa::path(post, path = "/jobs/{id}/cancel", tag = "jobs", params(("id" = String, Path, description = "A job id")), responses((status = 200, description = "Cancelled (or finished already)", body = vinano_api::JobInfo)), security(("session" = [])))]
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<JobId>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::cancel(&state, &user.id, &id).await?))
}

/// Runs a failed or cancelled job again.
#[utoipa::path(post, path = "/jobs/{id}/retry", tag = "jobs", params(("id" = String, Path, description = "A job id")), responses((status = 200, description = "Queued again", body = vinano_api::JobInfo)), security(("session" = [])))]
async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<JobId>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::retry(&state, &user.id, &id).await?))
}

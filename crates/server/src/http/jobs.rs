//! Edit jobs (`/jobs`): status, a live event stream of progress, cancel and retry. Every route checks
//! that the job belongs to the signed-in person.

use super::extract::Json;
use super::{CurrentUser, Result};
use crate::jobs;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::Router;
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use vinano_api::JobInfo;

/// How often the event stream looks at the job row (the row is the truth, whichever process runs it).
const POLL: Duration = Duration::from_millis(100);

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs/{id}", get(show))
        .route("/jobs/{id}/events", get(events))
        .route("/jobs/{id}/cancel", post(cancel))
        .route("/jobs/{id}/retry", post(retry))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::owned(&state, &user.id, &id).await?))
}

/// Server-Sent Events: one `data:` JSON [`JobInfo`] per change, the last one finished, then the stream ends.
async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    let first = jobs::owned(&state, &user.id, &id).await?;
    // The place is held until the stream is dropped (it ended, or the client went away).
    let pass = state.streams.open(&user.id, state.config.quotas.open_streams)?;
    let user_id = user.id;
    let stream = stream::unfold((Some(first), None::<JobInfo>), move |(next, last)| {
        let (state, user_id, id) = (state.clone(), user_id.clone(), id.clone());
        let _pass = &pass;
        async move {
            let mut current = next;
            loop {
                let job = match current.take() {
                    Some(job) => job,
                    None => {
                        // Finished (or gone): end the stream.
                        if last.as_ref().is_some_and(|j| j.state.is_finished()) {
                            return None;
                        }
                        tokio::time::sleep(POLL).await;
                        jobs::owned(&state, &user_id, &id).await.ok()?
                    }
                };
                if last.as_ref() != Some(&job) {
                    let event = Event::default().json_data(&job).unwrap_or_default();
                    return Some((Ok(event), (None, Some(job))));
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::cancel(&state, &user.id, &id).await?))
}

async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<JobInfo>> {
    Ok(Json(jobs::retry(&state, &user.id, &id).await?))
}

//! Request bodies arrive in time or not at all: a body that sends nothing for the idle timeout, or is not
//! complete by the body timeout, ends with [`BodyTimedOut`] (the handler answers 408), so a client trickling
//! a byte at a time can't hold a request open.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use http_body::Body as _;
use std::time::Duration;
use tokio::time::Instant;

/// How long a request body may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimeouts {
    /// Longest wait for the next piece of the body.
    pub idle: Duration,
    /// Longest time for the whole body.
    pub total: Duration,
}

/// The body was too slow.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the request body was too slow to arrive")]
pub struct BodyTimedOut;

/// Whether `error` (or what caused it) is a [`BodyTimedOut`].
pub fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<BodyTimedOut>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// Middleware: puts the timeouts on the request's body (bodies known to be empty pass untouched).
pub async fn deadline(State(limits): State<BodyTimeouts>, request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let end = Instant::now() + limits.total;
    let chunks = body.into_data_stream();
    let timed = futures_util::stream::unfold(Some(chunks), move |chunks| async move {
        let mut chunks = chunks?;
        let wait = (Instant::now() + limits.idle).min(end);
        match tokio::time::timeout_at(wait, chunks.next()).await {
            Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(chunks))),
            Ok(Some(Err(e))) => Some((Err(axum::BoxError::from(e)), None)),
            Ok(None) => None,
            Err(_) => Some((Err(axum::BoxError::from(BodyTimedOut)), None)),
        }
    });
    next.run(Request::from_parts(parts, Body::from_stream(timed))).await
}

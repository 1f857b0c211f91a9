//! Edit jobs: progress, cancel, retry (the server's `http/jobs.rs`).

use super::{json, post, url, ApiError};
use vinano_api::JobInfo;

/// URL of a job's live progress stream (Server-Sent Events of [`JobInfo`]).
pub fn job_events_url(id: &str) -> String {
    url(&format!("/jobs/{id}/events"))
}

/// Asks a running or queued edit job to stop.
pub async fn cancel_job(id: &str) -> Result<JobInfo, ApiError> {
    json(post(&url(&format!("/jobs/{id}/cancel"))).send().await).await
}

/// Queues a failed or cancelled edit job again.
pub async fn retry_job(id: &str) -> Result<JobInfo, ApiError> {
    json(post(&url(&format!("/jobs/{id}/retry"))).send().await).await
}

//! Usage analytics and error reports from the app. Analytics are counted only for people who have them on
//! (and never while the browser sends Global Privacy Control), and stored anonymised: per day and event, a
//! count and a total duration — no person, no session. Error reports keep the reporter (so access, export
//! and deletion cover them) and are deleted with other data by retention. Both validate and bound input.

use super::extract::Json;
use super::security::Client;
use super::CurrentUser;
use super::{Error, Result};
use crate::limits::Action;
use crate::{ids, privacy, AppState};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{ErrorReport, UsageBatch, USAGE_EVENTS};
use vinano_api::{Msg, Problem};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(usage)).routes(routes!(report))
}

/// At most this many events per batch.
pub const BATCH_MAX: usize = 50;

/// Records usage events, only when the person allowed analytics (otherwise dropped).
#[utoipa::path(post, path = "/analytics", tag = "reports", request_body = vinano_api::UsageBatch, responses((status = 204, description = "Recorded (or dropped: analytics is off)")), security(("session" = [])))]
async fn usage(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(batch): Json<UsageBatch>,
) -> Result<StatusCode> {
    if batch.events.is_empty() || batch.events.len() > BATCH_MAX {
        return Err(Error::invalid(Problem::new(Msg::ReportBatch).num("max", BATCH_MAX as u64)));
    }
    for event in &batch.events {
        if !USAGE_EVENTS.contains(&event.name.as_str()) {
            let name = event.name.chars().take(40).collect::<String>();
            return Err(Error::invalid(Problem::new(Msg::ReportEvent).text("name", name)));
        }
        if event.ms.is_some_and(|ms| ms > 86_400_000) {
            return Err(Error::InvalidInput(Msg::ReportDuration.into()));
        }
    }
    // Off, or the browser asks not to be tracked: accepted and dropped.
    if privacy::gpc(&headers) || !privacy::load(&state.db, &user.id).await?.analytics {
        return Ok(StatusCode::NO_CONTENT);
    }
    let day = crate::clock::rfc3339(state.clock.now_ms())[..10].to_string();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    for event in &batch.events {
        sqlx::query(
            "INSERT INTO usage_daily (day, event, count, total_ms) VALUES ($1, $2, 1, $3)
             ON CONFLICT (day, event) DO UPDATE SET count = usage_daily.count + 1, total_ms = usage_daily.total_ms + $3",
        )
        .bind(&day)
        .bind(&event.name)
        .bind(event.ms.unwrap_or(0) as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in person, when there is one (error reports may come from anyone).
struct MaybeUser(Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        Ok(MaybeUser(CurrentUser::from_request_parts(parts, state).await.ok()))
    }
}

fn bounded(value: &str, field: &'static str, max: usize, required: bool) -> Result<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(Error::Field(field, Msg::FieldEmpty.into()));
    }
    if value.chars().count() > max {
        return Err(Error::Field(field, Problem::new(Msg::FieldTooLong).num("max", max as u64)));
    }
    Ok(value.to_string())
}

/// Receives an error report from the app (scrubbed of personal data; works signed out too).
#[utoipa::path(post, path = "/errors", tag = "reports", request_body = vinano_api::ErrorReport, responses((status = 202, description = "Received")))]
async fn report(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: Client,
    Json(report): Json<ErrorReport>,
) -> Result<StatusCode> {
    state.limits.attempt(Action::Report, client.ip, None).await?;
    if report.kind != "panic" && report.kind != "request" {
        return Err(Error::Field("kind", Msg::ReportKind.into()));
    }
    let message = bounded(&report.message, "message", 2000, true)?;
    let path = super::loggable(&bounded(report.path.split('?').next().unwrap_or(""), "path", 300, false)?);
    let description = bounded(report.description.as_deref().unwrap_or(""), "description", 2000, false)?;
    sqlx::query(
        "INSERT INTO error_reports (id, user_id, kind, message, path, description, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ids::new_id())
    .bind(user.as_ref().map(|u| u.id.as_str()))
    .bind(&report.kind)
    .bind(&message)
    .bind(&path)
    .bind(&description)
    .bind(state.clock.now_ms())
    .execute(&state.db)
    .await?;
    tracing::warn!(event = "client_error", kind = %report.kind, %path, "the app reported an error");
    Ok(StatusCode::ACCEPTED)
}

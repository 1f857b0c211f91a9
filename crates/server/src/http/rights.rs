//! Me → Your data: delete an image version or all its versions, every image in a date range, or the whole
//! account (password again; 30-day grace, cancellable by logging in); the data-rights request tracker;
//! data exports (asked for here, built in the background, downloaded by a session that entered its password
//! in the last 10 minutes).

use super::auth::load_me;
use super::extract::{Json, Query};
use super::security::Client;
use super::CurrentUser;
use super::{Error, Result};
use crate::billing::processor::BillingProcessor;
use crate::rights::export;
use crate::{rights, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{
    DataRequest, DateRange, DeleteAccount, DeletedImages, ExportInfo, ExportList, ExportStatus, Me,
    RequestKind, RequestStatus, Restore, Restored,
};
use vinano_api::{Msg, Problem};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(delete_image))
        .routes(routes!(delete_range))
        .routes(routes!(restore_images))
        .routes(routes!(request_deletion, cancel_deletion))
        .routes(routes!(requests))
        .routes(routes!(everything))
        .routes(routes!(request_export, exports))
        .routes(routes!(download_export))
}

fn answer(d: rights::Deleted) -> DeletedImages {
    let held = (d.retained > 0).then(|| Problem::new(Msg::NoteHeld));
    DeletedImages {
        deleted: d.deleted,
        retained: d.retained,
        message: held.as_ref().map(crate::i18n::english),
        message_said: held.map(Into::into),
        undo: d
            .restorable
            .map(|r| vinano_api::Undo { token: r.token, until: crate::clock::timestamp(r.until) }),
    }
}

/// `?versions=all` deletes the whole tree of versions the image belongs to.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Which {
    /// `all`: every version of the image's tree, not only this one.
    versions: Option<String>,
    /// `true`: the deleted versions can be brought back for 10 seconds (`POST /me/images/restore`); their
    /// files are removed after that.
    undo: Option<bool>,
}

/// Deletes one version of an image, or its whole tree with `?versions=all` (rows and files).
#[utoipa::path(delete, path = "/images/{id}", tag = "rights", params(("id" = String, Path, description = "An image id"), Which), responses((status = 200, description = "Deleted", body = vinano_api::DeletedImages)), security(("session" = [])))]
async fn delete_image(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(which): Query<Which>,
) -> Result<Json<DeletedImages>> {
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .fetch_optional(&state.db)
        .await?;
    exists.ok_or(Error::NotFound)?;
    let ids: Vec<String> = match which.versions.as_deref() {
        None | Some("one") => vec![id.clone()],
        Some("all") => {
            // Up to the original, then every version made from it.
            sqlx::query_scalar(
                "WITH RECURSIVE up(id, parent_id) AS (
                     SELECT id, parent_id FROM images WHERE id = $1 AND user_id = $2
                     UNION SELECT i.id, i.parent_id FROM images i JOIN up ON i.id = up.parent_id WHERE i.user_id = $2
                 ), root AS (SELECT id FROM up WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM images)),
                 down(id) AS (
                     SELECT id FROM root
                     UNION SELECT i.id FROM images i JOIN down ON i.parent_id = down.id WHERE i.user_id = $2
                 )
                 SELECT id FROM down",
            )
            .bind(&id)
            .bind(&user.id)
            .fetch_all(&state.db)
            .await?
        }
        Some(other) => {
            return Err(Error::invalid(
                Problem::new(Msg::Versions).text("value", other.chars().take(20).collect::<String>()),
            ))
        }
    };
    let done = rights::delete_images(&state, &user.id, &ids, which.undo == Some(true)).await?;
    tracing::info!(event = "images_deleted", user = %user.id, deleted = done.deleted, retained = done.retained, "images deleted");
    Ok(Json(answer(done)))
}

/// Deletes every image made or uploaded between two dates (inclusive).
#[utoipa::path(post, path = "/me/images/delete-range", tag = "rights", request_body = vinano_api::DateRange, responses((status = 200, description = "Deleted", body = vinano_api::DeletedImages)), security(("session" = [])))]
async fn delete_range(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(range): Json<DateRange>,
) -> Result<Json<DeletedImages>> {
    let day = |text: &str, field: &'static str| -> Result<i64> {
        let date: vinano_api::Date = text.parse().map_err(|_| Error::Field(field, Msg::DateFormat.into()))?;
        Ok(date.days_since_epoch() * 24 * 3600 * 1000)
    };
    let (from, to) = (day(&range.from, "from")?, day(&range.to, "to")?);
    if to < from {
        return Err(Error::Field("to", Msg::DateOrder.into()));
    }
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM images WHERE user_id = $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(&user.id)
    .bind(from)
    .bind(to + 24 * 3600 * 1000)
    .fetch_all(&state.db)
    .await?;
    let done = rights::delete_images(&state, &user.id, &ids, false).await?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let detail = Problem::new(Msg::RequestImagesRange).text("from", &range.from).text("to", &range.to);
    rights::open_request(&mut tx, state.clock.now_ms(), &user.id, "deletion", "completed", &detail).await?;
    tx.commit().await?;
    Ok(Json(answer(done)))
}

/// Brings back versions deleted with `?undo=true` a moment ago: the same ids, bytes, rating and place in
/// the thread.
#[utoipa::path(post, path = "/me/images/restore", tag = "rights", request_body = Restore, responses((status = 200, description = "Restored", body = Restored), (status = 404, description = "No such deletion"), (status = 410, description = "Too late")), security(("session" = [])))]
async fn restore_images(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<Restore>,
) -> Result<Json<Restored>> {
    match crate::undo::restore(&state, &user.id, &body.token).await? {
        Ok(images) => {
            tracing::info!(event = "images_restored", user = %user.id, count = images.len(), "deleted versions restored");
            Ok(Json(Restored { images }))
        }
        Err(crate::undo::NotRestored::Unknown) => Err(Error::NotFound),
        Err(crate::undo::NotRestored::TooLate) => Err(Error::Gone(Msg::RestoreTooLate.into())),
    }
}

/// Schedules the account's deletion after the grace period (the password again), and signs it out
/// everywhere; logging in before the date offers to cancel.
#[utoipa::path(post, path = "/me/deletion", tag = "rights", request_body = vinano_api::DeleteAccount, responses((status = 200, description = "Scheduled; every session ended", body = vinano_api::DeletionScheduled)), security(("session" = [])))]
async fn request_deletion(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Json(req): Json<DeleteAccount>,
) -> Result<impl IntoResponse> {
    super::auth::confirm_password(&state, &user, &client, &req.password, super::auth::WRONG_PASSWORD).await?;
    let now = state.clock.now_ms();
    let due = now + rights::GRACE_DAYS * 24 * 3600 * 1000;
    // A paid plan stops renewing: nobody is charged for an account they asked to delete. (Keeping the
    // account later leaves it cancelled at the period's end, which Me → Subscription can resume.)
    let customer = state.billing.has_customer(&state, &user.id).await?;
    if paid_and_renewing(&state, &user.id).await? {
        if let Err(e) = state.billing.set_cancel(&state, &user.id, true).await {
            tracing::warn!(error = %e, user = %user.id, "the plan of an account being deleted couldn't be cancelled");
        }
    }
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query("UPDATE users SET deletion_due_at = $1 WHERE id = $2")
        .bind(due)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    rights::set_status(&mut tx, now, &user.id, "deletion", "received", "cancelled").await?;
    let whole = Msg::RequestWholeAccount.into();
    rights::open_request(&mut tx, now, &user.id, "deletion", "received", &whole).await?;
    if customer {
        let at_processor =
            Problem::new(Msg::RequestProcessorCustomer).text("processor", state.billing.name().to_string());
        rights::open_request(&mut tx, now, &user.id, "deletion", "received", &at_processor).await?;
    }
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&mut *tx)
        .await?;
    let due_at = crate::clock::timestamp(due);
    crate::mail::queue_letter(&mut tx, now, &user.id, &email, "mail-deletion", &[("date", due_at.date())])
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
    crate::mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "deletion_requested", user = %user.id, ip = ?client.ip, "account deletion scheduled");
    let cookie = super::auth::clear_cookie(&client);
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(vinano_api::DeletionScheduled { deletion_due_at: due_at.to_string() }),
    ))
}

/// Whether the person is on a paid plan that renews at the end of its period.
async fn paid_and_renewing(state: &AppState, user_id: &str) -> Result<bool> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT plan, cancel_at_period_end FROM subscriptions WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    Ok(row.is_some_and(|(plan, cancel)| cancel == 0 && state.config.billing.plan(&plan).price_cents > 0))
}

/// Keeps the account: cancels a scheduled deletion.
#[utoipa::path(delete, path = "/me/deletion", tag = "rights", responses((status = 200, description = "The account is kept", body = vinano_api::Me)), security(("session" = [])))]
async fn cancel_deletion(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let changed =
        sqlx::query("UPDATE users SET deletion_due_at = NULL WHERE id = $1 AND deletion_due_at IS NOT NULL")
            .bind(&user.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 0 {
        return Err(Error::InvalidInput(Msg::DeletionNotScheduled.into()));
    }
    rights::set_status(&mut tx, now, &user.id, "deletion", "received", "cancelled").await?;
    tx.commit().await?;
    tracing::info!(event = "deletion_cancelled", user = %user.id, "account deletion cancelled");
    Ok(Json(load_me(&state, &user.id).await?))
}

/// Access: everything held about the person, table by table.
#[utoipa::path(get, path = "/me/data", tag = "rights", responses((status = 200, description = "Every row about the person, by table", body = Object)), security(("session" = [])))]
async fn everything(State(state): State<AppState>, user: CurrentUser) -> Result<Json<serde_json::Value>> {
    let data = rights::personal_data(&state.db, &user.id).await?;
    Ok(Json(serde_json::Value::Object(data)))
}

type RequestRow = (String, String, String, String, Option<String>, i64, i64, Option<i64>);

/// The person's data-rights requests (access, export, deletion) and their state, newest first.
#[utoipa::path(get, path = "/me/requests", tag = "rights", responses((status = 200, description = "The person's data-rights requests, newest first", body = [vinano_api::DataRequest])), security(("session" = [])))]
async fn requests(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<DataRequest>>> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT id, kind, status, detail, detail_said, received_at, due_at, completed_at FROM data_requests
         WHERE user_id = $1 ORDER BY received_at DESC, id",
    )
    .bind(&user.id)
    .fetch_all(&state.db)
    .await?;
    let time = crate::clock::timestamp;
    Ok(Json(
        rows.into_iter()
            .map(|(id, kind, status, detail, detail_said, received, due, completed)| DataRequest {
                id,
                // Only these values are stored (`rights::open_request` and `set_status` write them).
                kind: RequestKind::from_stored(&kind).unwrap_or(RequestKind::Correction),
                status: RequestStatus::from_stored(&status).unwrap_or(RequestStatus::Received),
                detail,
                detail_said: crate::i18n::said(detail_said),
                received_at: time(received),
                due_at: time(due),
                completed_at: completed.map(time),
            })
            .collect(),
    ))
}

type ExportRow = (String, String, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<String>);

fn export_info(row: ExportRow, now: i64) -> ExportInfo {
    let (id, stored, requested, ready, expires, size, files, error) = row;
    let time = crate::clock::timestamp;
    let mut status = ExportStatus::from_stored(&stored).unwrap_or(ExportStatus::Failed);
    // The sweep runs hourly; between runs an export past its time already reads as expired.
    if status == ExportStatus::Ready && expires.is_some_and(|e| e <= now) {
        status = ExportStatus::Expired;
    }
    let download_url = (status == ExportStatus::Ready)
        .then(|| format!("{}/me/exports/{id}/download", vinano_api::API_PREFIX));
    ExportInfo {
        id,
        status,
        requested_at: time(requested),
        ready_at: ready.map(time),
        expires_at: expires.map(time),
        size_bytes: size.map(|s| s as u64),
        file_count: files.map(|f| f as u64),
        // An export fails for one reason people need to know: it could not be prepared.
        error_said: error.as_ref().map(|_| Msg::ExportFailed.into()),
        error,
        download_url,
    }
}

const EXPORT_COLUMNS: &str = "id, status, created_at, ready_at, expires_at, size_bytes, file_count, error";

/// Asks for a copy of everything: 202 with the queued export, 409 while another is being prepared.
#[utoipa::path(post, path = "/me/exports", tag = "rights", responses((status = 202, description = "Queued", body = vinano_api::ExportInfo)), security(("session" = [])))]
async fn request_export(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<(StatusCode, Json<ExportInfo>)> {
    let id =
        export::request(&state, &user.id).await?.ok_or_else(|| Error::Conflict(Msg::ExportBusy.into()))?;
    let row: ExportRow = sqlx::query_as(&format!("SELECT {EXPORT_COLUMNS} FROM exports WHERE id = $1"))
        .bind(&id)
        .fetch_one(&state.db)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(export_info(row, state.clock.now_ms()))))
}

/// The person's exports (newest first) and until when this session may download without its password.
#[utoipa::path(get, path = "/me/exports", tag = "rights", responses((status = 200, description = "The person's exports", body = vinano_api::ExportList)), security(("session" = [])))]
async fn exports(State(state): State<AppState>, user: CurrentUser) -> Result<Json<ExportList>> {
    let rows: Vec<ExportRow> = sqlx::query_as(&format!(
        "SELECT {EXPORT_COLUMNS} FROM exports WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 20"
    ))
    .bind(&user.id)
    .fetch_all(&state.db)
    .await?;
    let now = state.clock.now_ms();
    let until = user.reauth_at + export::REAUTH_MS;
    Ok(Json(ExportList {
        exports: rows.into_iter().map(|row| export_info(row, now)).collect(),
        reauth_until: (until > now).then(|| crate::clock::timestamp(until)),
    }))
}

/// The ZIP, decrypted as it is sent: only while ready (24 hours), only to a session that entered its
/// password in the last 10 minutes.
#[utoipa::path(get, path = "/me/exports/{id}/download", tag = "rights", params(("id" = String, Path, description = "An export id")), responses((status = 200, description = "The ZIP", content_type = "application/zip", body = super::openapi::Binary)), security(("session" = [])))]
async fn download_export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let row: Option<(String, Option<i64>, String)> = sqlx::query_as(&format!(
        "SELECT status, expires_at, {} FROM exports WHERE id = $1 AND user_id = $2",
        export::files::FILE_NAME
    ))
    .bind(&id)
    .bind(&user.id)
    .fetch_optional(&state.db)
    .await?;
    let (status, expires, file_name) = row.ok_or(Error::NotFound)?;
    let now = state.clock.now_ms();
    match status.as_str() {
        "ready" if expires.is_some_and(|e| e > now) => {}
        "ready" | "expired" => return Err(Error::Gone(Msg::ExportExpired.into())),
        "failed" => return Err(Error::Gone(Msg::ExportFailed.into())),
        _ => return Err(Error::Conflict(Msg::ExportPending.into())),
    }
    user.require_recent_password(now, export::REAUTH_MS)?;
    let opener = state.clone();
    let name = id.clone();
    let (mut reader, size) = tokio::task::spawn_blocking(move || export::open(&opener, &name, &file_name))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(|e| anyhow::anyhow!("opening export {id}: {e}"))?;
    tracing::info!(event = "export_download", user = %user.id, export = %id, "data export download started");
    // Decrypt on the blocking pool, a segment at a time, into a small channel the response drains. A damaged
    // segment ends the response with an error (short of its Content-Length), never with other bytes.
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let reading = tokio::task::spawn_blocking(move || loop {
        let mut buffer = vec![0u8; 64 * 1024];
        let item = match std::io::Read::read(&mut reader, &mut buffer) {
            Ok(0) => return true,
            Ok(n) => {
                buffer.truncate(n);
                Ok(Bytes::from(buffer))
            }
            Err(e) => {
                tracing::error!(error = ?e, "an export could not be read");
                Err(e)
            }
        };
        let failed = item.is_err();
        if sender.blocking_send(item).is_err() || failed {
            return false;
        }
    });
    // Downloaded once every byte was handed over: the app stops announcing it.
    let db = state.db.clone();
    tokio::spawn(async move {
        if let Ok(true) = reading.await {
            let marked =
                sqlx::query("UPDATE exports SET downloaded_at = COALESCE(downloaded_at, $1) WHERE id = $2")
                    .bind(now)
                    .bind(&id)
                    .execute(&db)
                    .await;
            if let Err(e) = marked {
                tracing::warn!(error = ?e, export = %id, "could not mark an export downloaded");
            }
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let date = &crate::clock::rfc3339(now)[..10];
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"vinano-data-{date}.zip\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

//! Me → Your data: delete an image version or all its versions, every image in a date range, or the whole
//! account (password again; 30-day grace, cancellable by logging in); the data-rights request tracker.

use super::auth::{load_me, CurrentUser};
use super::extract::Json;
use super::security::Client;
use super::{Error, Result};
use crate::limits::Action;
use crate::{accounts, rights, AppState};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{delete, get, post};
use axum::Router;
use vinano_api::{DataRequest, DateRange, DeleteAccount, DeletedImages, Me};

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/images/{id}", delete(delete_image))
        .route("/me/images/delete-range", post(delete_range))
        .route("/me/deletion", post(request_deletion).delete(cancel_deletion))
        .route("/me/requests", get(requests))
        .route("/me/data", get(everything))
}

const HELD: &str =
    "Some of this content is kept for legal reasons (a content review is open), so it was not deleted.";

fn answer(d: rights::Deleted) -> DeletedImages {
    DeletedImages {
        deleted: d.deleted,
        retained: d.retained,
        message: (d.retained > 0).then(|| HELD.to_string()),
    }
}

/// `?versions=all` deletes the whole tree of versions the image belongs to.
#[derive(Debug, serde::Deserialize)]
struct Which {
    versions: Option<String>,
}

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
        Some(other) => return Err(Error::InvalidInput(format!("versions={other}: use one or all."))),
    };
    let done = rights::delete_images(&state, &user.id, &ids).await?;
    tracing::info!(event = "images_deleted", user = %user.id, deleted = done.deleted, retained = done.retained, "images deleted");
    Ok(Json(answer(done)))
}

async fn delete_range(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(range): Json<DateRange>,
) -> Result<Json<DeletedImages>> {
    let day = |text: &str, field: &'static str| -> Result<i64> {
        let date: vinano_api::Date =
            text.parse().map_err(|_| Error::Field(field, "Please give a date as YYYY-MM-DD.".into()))?;
        Ok(date.days_since_epoch() * 24 * 3600 * 1000)
    };
    let (from, to) = (day(&range.from, "from")?, day(&range.to, "to")?);
    if to < from {
        return Err(Error::Field("to", "The last day comes before the first.".into()));
    }
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM images WHERE user_id = $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(&user.id)
    .bind(from)
    .bind(to + 24 * 3600 * 1000)
    .fetch_all(&state.db)
    .await?;
    let done = rights::delete_images(&state, &user.id, &ids).await?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let detail = format!("images from {} to {}", range.from, range.to);
    rights::open_request(&mut tx, state.clock.now_ms(), &user.id, "deletion", "completed", &detail).await?;
    tx.commit().await?;
    Ok(Json(answer(done)))
}

/// Schedules the account's deletion after the grace period (the password again), and signs it out
/// everywhere; logging in before the date offers to cancel.
async fn request_deletion(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Json(req): Json<DeleteAccount>,
) -> Result<impl IntoResponse> {
    state.limits.attempt(Action::Login, client.ip, Some(&user.id))?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&state.db)
        .await?;
    let password = req.password.chars().take(vinano_api::validate::PASSWORD_MAX + 1).collect::<String>();
    if !state.blocking(move || accounts::verify_password(&password, &stored)).await? {
        return Err(Error::Field("password", "That password isn't right.".into()));
    }
    let now = state.clock.now_ms();
    let due = now + rights::GRACE_DAYS * 24 * 3600 * 1000;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query("UPDATE users SET deletion_due_at = $1 WHERE id = $2")
        .bind(due)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    rights::set_status(&mut tx, now, &user.id, "deletion", "received", "cancelled").await?;
    rights::open_request(&mut tx, now, &user.id, "deletion", "received", "the whole account").await?;
    let (email, name): (String, String) = sqlx::query_as("SELECT email, name FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&mut *tx)
        .await?;
    let date = crate::clock::rfc3339(due);
    let body = format!(
        "Hello {name},\n\nAs you asked, your ViNano account and everything in it will be deleted on {}.\n\n\
         Changed your mind? Log in before then and choose \"Keep my account\".\n\n— ViNano\n",
        &date[..10]
    );
    crate::mail::queue(&mut tx, now, Some(&user.id), &email, "Your ViNano account will be deleted", &body)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
    super::account::commit_and_send(&state, tx).await?;
    tracing::info!(event = "deletion_requested", user = %user.id, ip = ?client.ip, "account deletion scheduled");
    let cookie = super::auth::clear_cookie(&client);
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(serde_json::json!({"deletion_due_at": date}))))
}

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
        return Err(Error::InvalidInput("Your account isn't scheduled for deletion.".into()));
    }
    rights::set_status(&mut tx, now, &user.id, "deletion", "received", "cancelled").await?;
    tx.commit().await?;
    tracing::info!(event = "deletion_cancelled", user = %user.id, "account deletion cancelled");
    Ok(Json(load_me(&state, &user.id).await?))
}

/// Access: everything held about the person, table by table.
async fn everything(State(state): State<AppState>, user: CurrentUser) -> Result<Json<serde_json::Value>> {
    let data = rights::personal_data(&state.db, &user.id).await?;
    Ok(Json(serde_json::Value::Object(data)))
}

type RequestRow = (String, String, String, String, i64, i64, Option<i64>);

async fn requests(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<DataRequest>>> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT id, kind, status, detail, received_at, due_at, completed_at FROM data_requests
         WHERE user_id = $1 ORDER BY received_at DESC, id",
    )
    .bind(&user.id)
    .fetch_all(&state.db)
    .await?;
    let time = crate::clock::rfc3339;
    Ok(Json(
        rows.into_iter()
            .map(|(id, kind, status, detail, received, due, completed)| DataRequest {
                id,
                kind,
                status,
                detail,
                received_at: time(received),
                due_at: time(due),
                completed_at: completed.map(time),
            })
            .collect(),
    ))
}

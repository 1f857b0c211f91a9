//! Image uploads and downloads (`/images`). Uploads are validated by content, decoded under limits,
//! oriented and re-encoded (which strips all metadata, GPS included) before anything is stored.

use super::extract::{Json, Query};
use super::{CurrentUser, Error, Result};
use crate::quota::{self, Counted};
use crate::{memory, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use sqlx::{Executor, Sqlite};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Feedback, Generation, ImageInfo, LibraryItem, Page, Rating};
use vinano_engine::EditPlan;
use vinano_imaging::{DecodeLimits, DynamicImage, OutputFormat};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, library))
        .routes(routes!(download))
        .routes(routes!(rate, unrate))
}

/// Encoded image bytes written to the blob store, not yet recorded in the database.
pub(crate) struct StoredBlob {
    key: String,
    content_type: &'static str,
    width: u32,
    height: u32,
    size: usize,
}

impl StoredBlob {
    /// Removes the blob again (when the database write that should reference it failed).
    pub(crate) async fn discard(&self, state: &AppState) {
        if let Err(e) = state.blobs.delete(&self.key).await {
            tracing::warn!(error = ?e, key = %self.key, "could not remove orphaned blob");
        }
    }
}

/// Encodes `image` off the async threads (in `format`, or the best for it when `None`) and writes it to
/// the blob store.
pub(crate) async fn put_image(
    state: &AppState,
    image: DynamicImage,
    format: Option<OutputFormat>,
) -> Result<StoredBlob> {
    let (width, height) = (image.width(), image.height());
    let format = format.unwrap_or_else(|| OutputFormat::for_image(&image));
    let encoded = state.blocking(move || vinano_imaging::encode(&image, format)).await??;
    let key = crate::ids::new_id();
    state.blobs.put(&key, &encoded.bytes).await.map_err(anyhow::Error::from)?;
    Ok(StoredBlob { key, content_type: encoded.format.mime(), width, height, size: encoded.bytes.len() })
}

/// Writes already-encoded bytes (a clip) to the blob store.
pub(crate) async fn put_encoded(
    state: &AppState,
    bytes: Vec<u8>,
    content_type: &'static str,
    width: u32,
    height: u32,
) -> Result<StoredBlob> {
    let key = crate::ids::new_id();
    state.blobs.put(&key, &bytes).await.map_err(anyhow::Error::from)?;
    Ok(StoredBlob { key, content_type, width, height, size: bytes.len() })
}

/// How an edited version was made, stored with it.
pub(crate) struct EditRecord {
    /// The plan that was run.
    pub plan: EditPlan,
    /// The executor ("local" for the built-in engine, `openai:<model>` for a provider).
    pub provider: String,
    /// Time spent running the plan and encoding the result.
    pub duration_ms: u64,
}

/// The user-facing description of a stored edit.
pub(crate) fn generation(
    plan_json: &str,
    provider: Option<String>,
    duration_ms: Option<i64>,
) -> Option<Generation> {
    let plan: EditPlan = serde_json::from_str(plan_json).ok()?;
    Some(Generation {
        steps: plan.operations.iter().map(ToString::to_string).collect(),
        provider: provider.unwrap_or_else(|| "local".into()),
        duration_ms: duration_ms.unwrap_or(0).max(0) as u64,
    })
}

/// Records a stored blob as an image version owned by `user_id`.
pub(crate) async fn insert_image<'e, E: Executor<'e, Database = Sqlite>>(
    db: E,
    now_ms: i64,
    user_id: &str,
    parent_id: Option<&str>,
    blob: &StoredBlob,
    edit: Option<&EditRecord>,
) -> Result<ImageInfo> {
    let plan_json = edit.map(|e| serde_json::to_string(&e.plan)).transpose().map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO images (id, user_id, parent_id, blob_key, content_type, width, height, byte_size, plan_json,
                             provider, duration_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&blob.key)
    .bind(user_id)
    .bind(parent_id)
    .bind(&blob.key)
    .bind(blob.content_type)
    .bind(i64::from(blob.width))
    .bind(i64::from(blob.height))
    .bind(blob.size as i64)
    .bind(&plan_json)
    .bind(edit.map(|e| e.provider.as_str()))
    .bind(edit.map(|e| e.duration_ms as i64))
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(ImageInfo {
        id: blob.key.clone(),
        parent_id: parent_id.map(str::to_string),
        width: blob.width,
        height: blob.height,
        content_type: blob.content_type.to_string(),
        generation: edit.and_then(|e| {
            generation(plan_json.as_deref()?, Some(e.provider.clone()), Some(e.duration_ms as i64))
        }),
        feedback: None,
        commercial: false,
        training_consent: false,
        expires_at: Some(crate::retention::image_expiry(now_ms)),
    })
}

/// Loads and decodes an image owned by `user_id` (404 for anyone else's).
pub(crate) async fn load_owned(state: &AppState, user_id: &str, image_id: &str) -> Result<DynamicImage> {
    let key: Option<String> =
        sqlx::query_scalar("SELECT blob_key FROM images WHERE id = $1 AND user_id = $2")
            .bind(image_id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let key = key.ok_or(Error::NotFound)?;
    let bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    let limits = limits(state);
    let decoded = state.blocking(move || vinano_imaging::decode(&bytes, limits)).await??;
    Ok(decoded.image)
}

fn limits(state: &AppState) -> DecodeLimits {
    DecodeLimits { max_pixels: state.config.max_pixels, ..DecodeLimits::default() }
}

fn too_large(limit: usize) -> Error {
    Error::PayloadTooLarge(format!(
        "This file is too large. The limit is {} MB.",
        limit.div_ceil(1024 * 1024)
    ))
}

/// Uploads a photo (JPEG, PNG or WebP): checked, re-encoded without metadata, stored sealed.
#[utoipa::path(post, path = "/images", tag = "images", params(("Idempotency-Key" = Option<String>, Header, description = "Any string up to 200 characters; a retry with the same key gets the first answer instead of a second image")), request_body(description = "The photo's bytes", content((super::openapi::Binary = "image/jpeg"), (super::openapi::Binary = "image/png"), (super::openapi::Binary = "image/webp"))), responses((status = 201, description = "Stored (re-encoded, metadata stripped)", body = vinano_api::ImageInfo)), security(("session" = [])))]
async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImageInfo>)> {
    let limit = state.config.max_upload_bytes;
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let key = idempotency_key(&headers);
    // A retry of an upload that was stored (its 201 lost on the way) gets that image, even when a quota was
    // reached since: it is not a new upload.
    let earlier = match &key {
        Some(key) => earlier_upload(&state, &user.id, key).await?,
        None => None,
    };
    if earlier.is_none() {
        quota::check_hourly(&state, &user.id, Counted::Upload).await?;
        quota::check_storage(&state, &user.id, 0).await?;
    }
    // The body's memory is reserved before it is read (its declared length, or the limit), and read with
    // the limit enforced as it streams, whatever Content-Length claimed.
    let _body_memory = state.memory.reserve_body(declared.unwrap_or(limit as u64).min(limit as u64)).await;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|e| {
        if crate::serve::body::timed_out(&e) {
            Error::RequestTimeout
        } else {
            too_large(limit)
        }
    })?;
    if bytes.is_empty() {
        return Err(Error::InvalidInput("The upload was empty. Please choose a photo.".into()));
    }
    let fingerprint = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    if let Some((id, hash)) = earlier {
        return replay(&state, &user.id, &id, &hash, &fingerprint).await;
    }
    let limits = limits(&state);
    // The pixels' memory is reserved from the header's dimensions before anything is decoded.
    let (_, width, height) = vinano_imaging::probe(&bytes, limits)?;
    let _pixel_memory = state.memory.reserve(memory::for_pixels(u64::from(width) * u64::from(height))).await;
    let decoded = state.blocking(move || vinano_imaging::decode(&bytes, limits)).await??;
    let blob = put_image(&state, decoded.image, None).await?;
    // The stored file (re-encoded) is what counts against the storage quota.
    if let Err(e) = quota::check_storage(&state, &user.id, blob.size as u64).await {
        blob.discard(&state).await;
        return Err(e.into());
    }
    match record_upload(&state, &user.id, &blob, key.as_deref(), &fingerprint).await {
        Ok(info) => {
            quota::record(&state, &user.id, Counted::Upload).await;
            Ok((StatusCode::CREATED, Json(info)))
        }
        Err(e) => {
            blob.discard(&state).await;
            // The same key raced in from another request, which stored its image first: that is the answer.
            if let (Error::Conflict(_), Some(key)) = (&e, &key) {
                if let Some((id, hash)) = earlier_upload(&state, &user.id, key).await? {
                    return replay(&state, &user.id, &id, &hash, &fingerprint).await;
                }
            }
            Err(e)
        }
    }
}

/// The client's `Idempotency-Key` (none when absent, empty or longer than 200 characters).
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    let key = headers.get("idempotency-key")?.to_str().ok()?.trim();
    (!key.is_empty() && key.len() <= 200).then(|| key.to_string())
}

/// The image an earlier upload with this key made, with the fingerprint of its bytes.
async fn earlier_upload(state: &AppState, user_id: &str, key: &str) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, COALESCE(request_hash, '') FROM images WHERE user_id = $1 AND idempotency_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(&state.db)
    .await?)
}

/// Answers a repeated upload with the image its key made (422 when the key came with other bytes).
async fn replay(
    state: &AppState,
    user_id: &str,
    id: &str,
    stored_hash: &str,
    fingerprint: &str,
) -> Result<(StatusCode, Json<ImageInfo>)> {
    if stored_hash != fingerprint {
        return Err(Error::InvalidInput(
            "This Idempotency-Key was already used for a different photo. Upload it with a new key.".into(),
        ));
    }
    Ok((StatusCode::CREATED, Json(info_of(state, user_id, id).await?)))
}

/// Records an uploaded blob as an original, with its idempotency key (409 when that key was taken
/// meanwhile: the row is not written).
async fn record_upload(
    state: &AppState,
    user_id: &str,
    blob: &StoredBlob,
    key: Option<&str>,
    fingerprint: &str,
) -> Result<ImageInfo> {
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let info = insert_image(&mut *tx, state.clock.now_ms(), user_id, None, blob, None).await?;
    if let Some(key) = key {
        sqlx::query("UPDATE images SET idempotency_key = $1, request_hash = $2 WHERE id = $3")
            .bind(key)
            .bind(fingerprint)
            .bind(&info.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::on_unique(e, |_| "This Idempotency-Key is in use.".into()))?;
    }
    tx.commit().await?;
    Ok(info)
}

/// `?format=png|jpeg|webp` converts on the way out; `?download=1` asks the browser to save it as a file.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DownloadQuery {
    /// Converted to this format on the way: `png`, `jpeg` or `webp` (none: as stored).
    format: Option<String>,
    /// `1` or `true`: sent as an attachment with a file name, not shown inline.
    download: Option<String>,
}

/// An image's bytes, optionally converted (`?format=`) or as an attachment (`?download=1`).
#[utoipa::path(get, path = "/images/{id}", tag = "images", params(("id" = String, Path, description = "An image id"), DownloadQuery, ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds")), responses((status = 200, description = "The image (or clip)", content((super::openapi::Binary = "image/png"), (super::openapi::Binary = "image/jpeg"), (super::openapi::Binary = "image/webp"), (super::openapi::Binary = "video/mp4"))), (status = 304, description = "The client's copy is current")), security(("session" = [])))]
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
    headers: HeaderMap,
) -> Result<axum::response::Response> {
    let wanted = match query.format.as_deref() {
        None | Some("") => None,
        Some(name) => Some(OutputFormat::parse(name).ok_or_else(|| {
            Error::InvalidInput(format!("Unknown format \"{name}\". Choose png, jpeg or webp."))
        })?),
    };
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT blob_key, content_type, width, height FROM images WHERE id = $1 AND user_id = $2",
    )
    .bind(&id)
    .bind(&user.id)
    .fetch_optional(&state.db)
    .await?;
    let (key, stored_type, width, height) = row.ok_or(Error::NotFound)?;
    if wanted.is_some() && stored_type.starts_with("video/") {
        return Err(Error::InvalidInput("A video downloads as MP4 only.".into()));
    }
    let stored = OutputFormat::parse(&stored_type);
    let format = wanted.or(stored);
    // Versions never change, so id + format is the validator. `no-cache` makes the browser ask every time,
    // so a deleted image or an ended session stops showing at once; an unchanged image costs a 304.
    let etag = format!("\"{id}{}\"", wanted.map(|f| format!(".{}", f.extension())).unwrap_or_default());
    let mut caching =
        vec![(header::CACHE_CONTROL, "private, no-cache".to_string()), (header::ETAG, etag.clone())];
    if query.download.as_deref().is_some_and(|d| d == "1" || d == "true") {
        let extension = format.map(OutputFormat::extension).unwrap_or(match stored_type.as_str() {
            "image/gif" => "gif",
            "video/mp4" => "mp4",
            _ => "img",
        });
        let short = id.get(..8).unwrap_or(&id);
        caching.push((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"vinano-{short}.{extension}\""),
        ));
    }
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return Ok((StatusCode::NOT_MODIFIED, axum::response::AppendHeaders(caching)).into_response());
    }
    let mut bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    let mut content_type = stored_type;
    if let Some(target) = wanted.filter(|w| Some(*w) != stored) {
        quota::check_hourly(&state, &user.id, Counted::Conversion).await?;
        let pixels = width.max(0) as u64 * height.max(0) as u64;
        let _memory = state.memory.reserve(memory::for_pixels(pixels)).await;
        let limits = limits(&state);
        let encoded = state
            .blocking(move || {
                let image = vinano_imaging::decode(&bytes, limits)?.image;
                vinano_imaging::encode(&image, target)
            })
            .await??;
        bytes = encoded.bytes;
        content_type = target.mime().to_string();
        quota::record(&state, &user.id, Counted::Conversion).await;
    }
    Ok((axum::response::AppendHeaders(caching), [(header::CONTENT_TYPE, content_type)], bytes)
        .into_response())
}

type LibraryRow = (
    String,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
    bool,
    bool,
    i64,
    Option<String>,
);

/// Every image the person owns across conversations, newest first.
#[utoipa::path(get, path = "/images", tag = "images", params(vinano_api::Page), responses((status = 200, description = "Every image the person owns, newest first", body = [vinano_api::LibraryItem])), security(("session" = [])))]
async fn library(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(page): Query<Page>,
) -> Result<Json<Vec<LibraryItem>>> {
    let rows: Vec<LibraryRow> = sqlx::query_as(
        "SELECT i.id, i.parent_id, i.content_type, i.width, i.height, i.plan_json, i.provider, i.duration_ms,
                i.commercial, i.training_consent, i.evidence_hold,
                i.created_at, (SELECT MIN(m.conversation_id) FROM messages m WHERE m.image_id = i.id)
         FROM images i WHERE i.user_id = $1
         ORDER BY i.created_at DESC, i.id LIMIT $2 OFFSET $3",
    )
    .bind(&user.id)
    .bind(i64::from(page.limit.unwrap_or(50).clamp(1, 100)))
    .bind(i64::from(page.offset.unwrap_or(0)))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(
                |(
                    id,
                    parent_id,
                    content_type,
                    width,
                    height,
                    plan,
                    provider,
                    ms,
                    commercial,
                    training_consent,
                    evidence_hold,
                    created_at,
                    conversation_id,
                )| {
                    LibraryItem {
                        image: ImageColumns {
                            id,
                            parent_id,
                            content_type,
                            width,
                            height,
                            plan_json: plan,
                            provider,
                            duration_ms: ms,
                            commercial,
                            training_consent,
                            created_at,
                            evidence_hold,
                        }
                        .into_info(None),
                        conversation_id,
                        created_at: crate::clock::rfc3339(created_at),
                    }
                },
            )
            .collect(),
    ))
}

type InfoRow = (
    String,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    bool,
    bool,
    i64,
    bool,
    Option<String>,
    Option<String>,
);

/// The API view of one of the person's image versions (404 when it isn't theirs).
pub(crate) async fn info_of(state: &AppState, user_id: &str, id: &str) -> Result<ImageInfo> {
    let row: Option<InfoRow> = sqlx::query_as(
        "SELECT i.id, i.parent_id, i.content_type, i.width, i.height, i.plan_json, i.provider, i.duration_ms,
                i.commercial, i.training_consent, i.created_at, i.evidence_hold, f.rating, f.comment
         FROM images i LEFT JOIN feedback f ON f.image_id = i.id WHERE i.id = $1 AND i.user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&state.db)
    .await?;
    let (
        id,
        parent_id,
        content_type,
        width,
        height,
        plan_json,
        provider,
        duration_ms,
        commercial,
        consent,
        created_at,
        evidence_hold,
        rating,
        comment,
    ) = row.ok_or(Error::NotFound)?;
    Ok(ImageColumns {
        id,
        parent_id,
        content_type,
        width,
        height,
        plan_json,
        provider,
        duration_ms,
        commercial,
        training_consent: consent,
        created_at,
        evidence_hold,
    }
    .into_info(feedback(rating, comment)))
}

/// Longest accepted feedback comment.
const COMMENT_MAX: usize = 1000;

/// The stored columns of one image version, as the API describes it.
pub(crate) struct ImageColumns {
    pub id: String,
    pub parent_id: Option<String>,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub plan_json: Option<String>,
    pub provider: Option<String>,
    pub duration_ms: Option<i64>,
    pub commercial: bool,
    pub training_consent: bool,
    pub created_at: i64,
    pub evidence_hold: bool,
}

impl ImageColumns {
    /// The API view of the version, with the owner's rating if there is one.
    pub(crate) fn into_info(self, feedback: Option<Feedback>) -> ImageInfo {
        ImageInfo {
            generation: self
                .plan_json
                .as_deref()
                .and_then(|p| generation(p, self.provider, self.duration_ms)),
            id: self.id,
            parent_id: self.parent_id,
            width: self.width as u32,
            height: self.height as u32,
            content_type: self.content_type,
            feedback,
            commercial: self.commercial,
            training_consent: self.training_consent,
            expires_at: (!self.evidence_hold).then(|| crate::retention::image_expiry(self.created_at)),
        }
    }
}

/// Reads a stored rating.
pub(crate) fn feedback(rating: Option<String>, comment: Option<String>) -> Option<Feedback> {
    let rating = match rating.as_deref()? {
        "up" => Rating::Up,
        "down" => Rating::Down,
        _ => return None,
    };
    Some(Feedback { rating, comment })
}

/// Rates a result (thumbs up/down and an optional comment); rating again replaces the earlier rating.
#[utoipa::path(put, path = "/images/{id}/feedback", tag = "images", params(("id" = String, Path, description = "An image id")), request_body = vinano_api::Feedback, responses((status = 200, description = "Stored", body = vinano_api::Feedback)), security(("session" = [])))]
async fn rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<Feedback>,
) -> Result<Json<Feedback>> {
    let parent: Option<Option<String>> =
        sqlx::query_scalar("SELECT parent_id FROM images WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&user.id)
            .fetch_optional(&state.db)
            .await?;
    if parent.ok_or(Error::NotFound)?.is_none() {
        return Err(Error::InvalidInput("Only edited images can be rated.".into()));
    }
    let comment = req.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if comment.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX) {
        return Err(Error::InvalidInput(format!("Comments can be at most {COMMENT_MAX} characters.")));
    }
    let now = state.clock.now_ms();
    sqlx::query(
        "INSERT INTO feedback (image_id, user_id, rating, comment, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (image_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
             updated_at = excluded.updated_at",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(req.rating.as_str())
    .bind(&comment)
    .bind(now)
    .execute(&state.db)
    .await?;
    Ok(Json(Feedback { rating: req.rating, comment }))
}

/// Withdraws a rating.
#[utoipa::path(delete, path = "/images/{id}/feedback", tag = "images", params(("id" = String, Path, description = "An image id")), responses((status = 204, description = "Withdrawn")), security(("session" = [])))]
async fn unrate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let owned: Option<String> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .fetch_optional(&state.db)
        .await?;
    owned.ok_or(Error::NotFound)?;
    sqlx::query("DELETE FROM feedback WHERE image_id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Image uploads and downloads (`/images`). Uploads are validated by content, decoded under limits,
//! oriented and re-encoded (which strips all metadata, GPS included) before anything is stored.

use super::extract::{Json, Query};
use super::{CurrentUser, Error, Result};
use crate::ids::{ImageId, UserId};
use crate::images::{self, info_of, insert_image, put_image, ImageColumns, StoredBlob, COLUMNS};
use crate::quota::{self, Counted};
use crate::{memory, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Feedback, ImageInfo, LibraryItem, Page};
use vinano_api::{Msg, Problem};
use vinano_imaging::OutputFormat;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, library))
        .routes(routes!(download))
        .routes(routes!(rate, unrate))
        .routes(routes!(selection))
        .routes(routes!(subject))
}

pub(super) fn too_large(limit: usize) -> Error {
    Error::PayloadTooLarge(
        Problem::new(Msg::FileTooLarge).num("limit_mb", limit.div_ceil(1024 * 1024) as u64),
    )
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
    let key = super::idempotency::key(&headers);
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
        return Err(Error::InvalidInput(Msg::UploadEmpty.into()));
    }
    let fingerprint = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    if let Some((id, hash)) = earlier {
        return replay(&state, &user.id, &id, &hash, &fingerprint).await;
    }
    let limits = images::decode_limits(&state);
    // The pixels' memory is reserved from the header's dimensions before anything is decoded.
    let (_, width, height) = vinano_imaging::probe(&bytes, limits)?;
    let _pixel_memory = state.memory.reserve(memory::for_pixels(u64::from(width) * u64::from(height))).await;
    let decoded = state.blocking(move || vinano_imaging::decode(&bytes, limits)).await??;
    let blob = put_image(&state, decoded.image, None, None).await?;
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

/// The image an earlier upload with this key made, with the fingerprint of its bytes.
async fn earlier_upload(state: &AppState, user_id: &UserId, key: &str) -> Result<Option<(ImageId, String)>> {
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
    user_id: &UserId,
    id: &ImageId,
    stored_hash: &str,
    fingerprint: &str,
) -> Result<(StatusCode, Json<ImageInfo>)> {
    if stored_hash != fingerprint {
        return Err(Error::InvalidInput(Msg::UploadKeyReused.into()));
    }
    Ok((StatusCode::CREATED, Json(info_of(state, user_id, id).await?)))
}

/// Records an uploaded blob as an original, with its idempotency key (409 when that key was taken
/// meanwhile: the row is not written).
async fn record_upload(
    state: &AppState,
    user_id: &UserId,
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
            .map_err(|e| Error::on_unique(e, |_| Error::conflict(Msg::UploadKeyBusy)))?;
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
    /// A preview instead: `256` or `768` px on the longer side (the image itself when it is that small or
    /// smaller, or a clip). Not with `format`.
    size: Option<u32>,
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
            Error::invalid(
                Problem::new(Msg::UnknownFormat).text("name", name.chars().take(20).collect::<String>()),
            )
        })?),
    };
    if let Some(size) = query.size {
        if !crate::preview::SIZES.contains(&size) || wanted.is_some() {
            return Err(Error::invalid(Problem::new(Msg::PreviewSize).num("size", u64::from(size))));
        }
    }
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT blob_key, content_type, width, height FROM images WHERE id = $1 AND user_id = $2",
    )
    .bind(&id)
    .bind(&user.id)
    .fetch_optional(&state.db)
    .await?;
    let (key, stored_type, width, height) = row.ok_or(Error::NotFound)?;
    if wanted.is_some() && stored_type.starts_with("video/") {
        return Err(Error::InvalidInput(Msg::VideoMp4Only.into()));
    }
    let stored = OutputFormat::parse(&stored_type);
    let format = wanted.or(stored);
    // Versions never change, so id + format is the validator. `no-cache` makes the browser ask every time,
    // so a deleted image or an ended session stops showing at once; an unchanged image costs a 304.
    let variant = match (wanted, query.size) {
        (Some(f), _) => format!(".{}", f.extension()),
        (None, Some(size)) => format!(".s{size}"),
        (None, None) => String::new(),
    };
    let etag = format!("\"{id}{variant}\"");
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
    if let Some(size) = query.size {
        if let Some((bytes, mime)) =
            crate::preview::get(&state, &key, size).await.map_err(anyhow::Error::from)?
        {
            return Ok((
                axum::response::AppendHeaders(caching),
                [(header::CONTENT_TYPE, mime.to_string())],
                bytes,
            )
                .into_response());
        }
    }
    let mut bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    let mut content_type = stored_type;
    if let Some(target) = wanted.filter(|w| Some(*w) != stored) {
        quota::check_hourly(&state, &user.id, Counted::Conversion).await?;
        let pixels = width.max(0) as u64 * height.max(0) as u64;
        let _memory = state.memory.reserve(memory::for_pixels(pixels)).await;
        let limits = images::decode_limits(&state);
        let credentials = state.content_credentials.clone();
        let original = content_type.clone();
        let encoded = state
            .blocking(move || {
                // The provenance marks go with the pixels into the new format: the XMP mark, and Content
                // Credentials naming the stored file (with its own) as what this one was converted from.
                let source = vinano_imaging::provenance::read(&bytes);
                let image = vinano_imaging::decode(&bytes, limits)?.image;
                vinano_imaging::encode(&image, target).map(|e| match source {
                    Some(source) => {
                        let marked = vinano_imaging::provenance::mark(e.bytes, target, source);
                        match &credentials {
                            Some(c) => c.seal_converted(marked, target.mime(), &bytes, &original),
                            None => marked,
                        }
                    }
                    None => e.bytes,
                })
            })
            .await??;
        bytes = encoded;
        content_type = target.mime().to_string();
        quota::record(&state, &user.id, Counted::Conversion).await;
    }
    Ok((axum::response::AppendHeaders(caching), [(header::CONTENT_TYPE, content_type)], bytes)
        .into_response())
}

/// Every image the person owns across conversations, newest first.
#[utoipa::path(get, path = "/images", tag = "images", params(vinano_api::Page), responses((status = 200, description = "Every image the person owns, newest first", body = [vinano_api::LibraryItem])), security(("session" = [])))]
async fn library(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(page): Query<Page>,
) -> Result<Json<Vec<LibraryItem>>> {
    let rows: Vec<AnyRow> = sqlx::query(&format!(
        "SELECT {COLUMNS}, (SELECT MIN(m.conversation_id) FROM messages m WHERE m.image_id = i.id) AS conversation_id
         FROM images i WHERE i.user_id = $1
         ORDER BY i.created_at DESC, i.id LIMIT $2 OFFSET $3"
    ))
    .bind(&user.id)
    .bind(i64::from(page.limit.unwrap_or(50).clamp(1, 100)))
    .bind(i64::from(page.offset.unwrap_or(0)))
    .fetch_all(&state.db)
    .await?;
    let item = |row: AnyRow| -> std::result::Result<LibraryItem, sqlx::Error> {
        let image = ImageColumns::from_row(&row)?;
        let created_at = crate::clock::timestamp(image.created_at);
        Ok(LibraryItem {
            image: image.into_info(None),
            conversation_id: row.try_get("conversation_id")?,
            created_at,
        })
    };
    Ok(Json(rows.into_iter().map(item).collect::<std::result::Result<_, _>>()?))
}

/// Longest accepted feedback comment.
const COMMENT_MAX: usize = 1000;

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
        return Err(Error::InvalidInput(Msg::RateOnlyEdited.into()));
    }
    let comment = req.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if comment.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX) {
        return Err(Error::invalid(Problem::new(Msg::CommentTooLong).num("max", COMMENT_MAX as u64)));
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

/// The brushed selection a version's steps were done in, as a PNG (white where brushed); 404 for a version
/// made without one.
#[utoipa::path(get, path = "/images/{id}/selection", tag = "images", params(("id" = String, Path, description = "An image id")), responses((status = 200, description = "The selection's mask", content((super::openapi::Binary = "image/png"))), (status = 404, description = "No such version of the person's, or it has no selection")), security(("session" = [])))]
async fn selection(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT selection FROM images WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&user.id)
            .fetch_optional(&state.db)
            .await?;
    let stored = stored.flatten().ok_or(Error::NotFound)?;
    let png = crate::selection::open_png(&state.master_key, &user.id, &stored)?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=3600")], png))
}

/// `?x=&y=`: where the person tapped, as fractions of the photo's width and height (0 to 1).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SubjectQuery {
    /// From the left edge, 0 to 1 (with `y`).
    x: Option<f64>,
    /// From the top edge, 0 to 1 (with `x`).
    y: Option<f64>,
}

/// The subject of a version as a selection, for the brush's "Select subject": the segmentation model's
/// matte, at most 1 024 px on the long side with the photo's shape (as the brush paints), white on the
/// subject. With a tapped point (`?x=&y=`), only the subject under it (or just beside it). 409 when the
/// server has no segmentation model, 422 when nothing stands out (there).
#[utoipa::path(post, path = "/images/{id}/subject", tag = "images", params(("id" = String, Path, description = "An image id"), SubjectQuery), responses((status = 200, description = "The subject's mask", content((super::openapi::Binary = "image/png"))), (status = 409, description = "Background editing is off on this server"), (status = 422, description = "No clear subject in the photo, or none where it was tapped")), security(("session" = [])))]
async fn subject(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(at): Query<SubjectQuery>,
) -> Result<impl IntoResponse> {
    if state.segmentation.off_because().is_some() {
        return Err(Error::Conflict(Msg::ReasonSegmentationOff.into()));
    }
    let tapped = match (at.x, at.y) {
        (None, None) => None,
        (Some(x), Some(y)) if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => Some((x, y)),
        _ => return Err(Error::invalid(Msg::SubjectPoint)),
    };
    let size: Option<(i64, i64)> =
        sqlx::query_as("SELECT width, height FROM images WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&user.id)
            .fetch_optional(&state.db)
            .await?;
    let (iw, ih) = size.ok_or(Error::NotFound)?;
    // The photo decoded, then the copy the model and the matte work on, and the matte's planes: held first.
    let pixels = (iw.max(0) as u64).saturating_mul(ih.max(0) as u64);
    let _memory = state.memory.reserve(memory::for_pixels(pixels.saturating_add(4 << 20))).await;
    let image = images::load_owned(&state, &user.id, &ImageId::from(id)).await?;
    let (w, h) = vinano_api::selection_canvas(image.width(), image.height());
    let segmentation = state.segmentation.clone();
    let png = state
        .blocking(move || -> Result<Vec<u8>> {
            let small = image.resize_exact(w, h, image::imageops::FilterType::Triangle);
            let model =
                segmentation.model().map_err(|_| Error::Conflict(Msg::ReasonSegmentationOff.into()))?;
            let matte = vinano_imaging::matte::matte(&small, model.as_ref())
                .map_err(|_| Error::invalid(Msg::ReasonSegmentationFailed))?;
            if vinano_imaging::matte::coverage(&matte) < 0.005 {
                return Err(Error::invalid(Msg::ReasonNoSubject));
            }
            let matte = match tapped {
                Some((x, y)) => {
                    let at = |f: f64, side: u32| (f * f64::from(side - 1)).round() as u32;
                    vinano_imaging::matte::component_at(&matte, at(x, w), at(y, h))
                        .ok_or_else(|| Error::invalid(Msg::ReasonNoSubjectThere))?
                }
                None => matte,
            };
            let encoded =
                vinano_imaging::encode(&vinano_imaging::DynamicImage::ImageLuma8(matte), OutputFormat::Png)
                    .map_err(|e| Error::from(anyhow::anyhow!("{e}")))?;
            Ok(encoded.bytes)
        })
        .await??;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png))
}

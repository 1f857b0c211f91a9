//! Image versions: the encoded bytes in the blob store and their rows in `images`. The upload handler, the
//! job worker and the thread view all store and read versions through here.

use crate::error::{Error, Result};
use crate::ids::{ImageId, UserId};
use crate::provenance::Made;
use crate::AppState;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow, Row};
use vinano_api::{Feedback, Generation, ImageInfo, Rating};
use vinano_engine::EditPlan;
use vinano_imaging::{DecodeLimits, DynamicImage, OutputFormat};

/// Encoded image bytes written to the blob store, not yet recorded in the database.
pub(crate) struct StoredBlob {
    key: String,
    content_type: &'static str,
    width: u32,
    height: u32,
    /// Its size in bytes.
    pub(crate) size: usize,
}

impl StoredBlob {
    /// Removes the blob and its previews again (when the database write that should reference it failed).
    pub(crate) async fn discard(&self, state: &AppState) {
        if let Err(e) = state.blobs.delete(&self.key).await {
            tracing::warn!(error = ?e, key = %self.key, "could not remove orphaned blob");
        }
        if let Err(e) = crate::preview::remove(state, &self.key).await {
            tracing::warn!(error = ?e, key = %self.key, "could not remove an orphaned blob's previews");
        }
    }
}

/// Encodes `image` off the async threads (in `format`, or the best for it when `None`), with the provenance
/// marks of what ViNano made (`made`; an upload has none), and writes it to the blob store.
pub(crate) async fn put_image(
    state: &AppState,
    image: DynamicImage,
    format: Option<OutputFormat>,
    made: Option<Made>,
) -> Result<StoredBlob> {
    let (width, height) = (image.width(), image.height());
    let format = format.unwrap_or_else(|| OutputFormat::for_image(&image));
    let credentials = state.content_credentials.clone();
    let (bytes, previews) = state
        .blocking(move || {
            vinano_imaging::encode(&image, format).map(|e| {
                let bytes = match &made {
                    Some(made) => crate::provenance::mark(credentials.as_deref(), e.bytes, format, made),
                    None => e.bytes,
                };
                (bytes, crate::preview::render(&image))
            })
        })
        .await??;
    let key = crate::ids::new_id();
    state.blobs.put(&key, &bytes).await.map_err(anyhow::Error::from)?;
    crate::preview::store(state, &key, &previews).await;
    Ok(StoredBlob { key, content_type: format.mime(), width, height, size: bytes.len() })
}

/// Writes already-encoded bytes (a clip) to the blob store, with Content Credentials of how it was made
/// when they are on, and its `previews` (stills) when it has any.
pub(crate) async fn put_encoded(
    state: &AppState,
    bytes: Vec<u8>,
    content_type: &'static str,
    (width, height): (u32, u32),
    made: Made,
    previews: &[(u32, Vec<u8>)],
) -> Result<StoredBlob> {
    let bytes = match state.content_credentials.clone() {
        Some(credentials) => state.blocking(move || credentials.seal(bytes, content_type, &made)).await?,
        None => bytes,
    };
    let key = crate::ids::new_id();
    state.blobs.put(&key, &bytes).await.map_err(anyhow::Error::from)?;
    crate::preview::store(state, &key, previews).await;
    Ok(StoredBlob { key, content_type, width, height, size: bytes.len() })
}

/// A new file with the same bytes (and previews) as the stored file `key`: a copy someone else may own.
pub(crate) async fn copy_blob(
    state: &AppState,
    key: &str,
    content_type: &str,
    (width, height): (i64, i64),
) -> Result<StoredBlob> {
    let content_type = ["image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4"]
        .into_iter()
        .find(|known| *known == content_type)
        .ok_or_else(|| anyhow::anyhow!("a stored file of an unknown type: {content_type}"))?;
    let bytes = state.blobs.get(key).await.map_err(anyhow::Error::from)?;
    let copy = crate::ids::new_id();
    state.blobs.put(&copy, &bytes).await.map_err(anyhow::Error::from)?;
    let mut previews = Vec::new();
    for size in crate::preview::SIZES {
        if let Some((preview, _)) =
            crate::preview::get(state, key, size).await.map_err(anyhow::Error::from)?
        {
            previews.push((size, preview));
        }
    }
    crate::preview::store(state, &copy, &previews).await;
    let (width, height) = (width.max(0) as u32, height.max(0) as u32);
    Ok(StoredBlob { key: copy, content_type, width, height, size: bytes.len() })
}

/// How an edited version was made, stored with it.
pub(crate) struct EditRecord {
    /// The plan that was run.
    pub plan: EditPlan,
    /// The executor ("local" for the built-in engine, `openai:<model>` for a provider).
    pub provider: String,
    /// Time spent running the plan and encoding the result.
    pub duration_ms: u64,
    /// Said after the reply (why the format differs from the one asked for, say).
    pub note: Option<vinano_api::Problem>,
    /// The selection the steps were done in, sealed (see [`crate::selection`]).
    pub selection: Option<String>,
}

impl EditRecord {
    /// What the assistant answers: the plan's summary, and the note if there is one.
    pub fn reply(&self) -> vinano_api::Problem {
        // A model provider's own edit has no steps of ours to list.
        let said = match (self.plan.operations.is_empty(), self.plan.in_selection) {
            (true, true) if self.provider != "local" => vinano_api::Msg::ReplyServiceDoneInSelection.into(),
            (true, false) if self.provider != "local" => vinano_api::Msg::ReplyServiceDone.into(),
            _ => self.plan.summary_said(),
        };
        match &self.note {
            Some(note) => vinano_api::Problem::new(vinano_api::Msg::ReplyWithNote)
                .list("reply", [said])
                .list("note", [note.clone()]),
            None => said,
        }
    }
}

/// The user-facing description of a stored edit.
pub(crate) fn generation(
    plan_json: &str,
    provider: Option<String>,
    duration_ms: Option<i64>,
) -> Option<Generation> {
    let plan: EditPlan = serde_json::from_str(plan_json).ok()?;
    let said = plan.steps_said();
    Some(Generation {
        steps: said.iter().map(crate::i18n::english).collect(),
        steps_said: said.into_iter().map(Into::into).collect(),
        selection: plan.in_selection,
        provider: provider.unwrap_or_else(|| "local".into()),
        duration_ms: duration_ms.unwrap_or(0).max(0) as u64,
    })
}

/// Records a stored blob as an image version owned by `user_id`.
pub(crate) async fn insert_image<'e, E: Executor<'e, Database = Any>>(
    db: E,
    now_ms: i64,
    user_id: &UserId,
    parent_id: Option<&ImageId>,
    blob: &StoredBlob,
    edit: Option<&EditRecord>,
) -> Result<ImageInfo> {
    let plan_json = edit.map(|e| serde_json::to_string(&e.plan)).transpose().map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO images (id, user_id, parent_id, blob_key, content_type, width, height, byte_size, plan_json,
                             provider, duration_ms, created_at, selection)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
    .bind(edit.and_then(|e| e.selection.as_deref()))
    .execute(db)
    .await?;
    Ok(ImageInfo {
        id: blob.key.clone(),
        parent_id: parent_id.map(ImageId::to_string),
        width: blob.width,
        height: blob.height,
        content_type: blob.content_type.to_string(),
        generation: edit.and_then(|e| {
            generation(plan_json.as_deref()?, Some(e.provider.clone()), Some(e.duration_ms as i64))
        }),
        feedback: None,
        commercial: false,
        training_consent: false,
        expires_at: Some(crate::periods::image_expiry(now_ms)),
    })
}

/// Loads and decodes an image owned by `user_id` (404 for anyone else's).
pub(crate) async fn load_owned(
    state: &AppState,
    user_id: &UserId,
    image_id: &ImageId,
) -> Result<DynamicImage> {
    Ok(load_owned_with_dpi(state, user_id, image_id).await?.0)
}

/// [`load_owned`], with the print resolution its file states (a print poster's 300 dpi), if any.
pub(crate) async fn load_owned_with_dpi(
    state: &AppState,
    user_id: &UserId,
    image_id: &ImageId,
) -> Result<(DynamicImage, Option<u32>)> {
    let key: Option<String> =
        sqlx::query_scalar("SELECT blob_key FROM images WHERE id = $1 AND user_id = $2")
            .bind(image_id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let key = key.ok_or(Error::NotFound)?;
    let bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    let limits = decode_limits(state);
    let dpi = vinano_imaging::density::read(&bytes);
    let decoded = state.blocking(move || vinano_imaging::decode(&bytes, limits)).await??;
    Ok((decoded.image, dpi))
}

pub(crate) fn decode_limits(state: &AppState) -> DecodeLimits {
    DecodeLimits { max_pixels: state.config.max_pixels, ..DecodeLimits::default() }
}

/// The columns [`ImageColumns`] reads, from `images i`.
pub(crate) const COLUMNS: &str =
    "i.id, i.parent_id, i.content_type, i.width, i.height, i.plan_json, i.provider, \
     i.duration_ms, i.commercial, i.training_consent, i.created_at, i.evidence_hold";

/// A version with its owner's rating.
/// The API view of one of the person's image versions (404 when it isn't theirs).
pub(crate) async fn info_of(state: &AppState, user_id: &UserId, id: &ImageId) -> Result<ImageInfo> {
    let row: Option<AnyRow> = sqlx::query(&format!(
        "SELECT {COLUMNS}, f.rating, f.comment
         FROM images i LEFT JOIN feedback f ON f.image_id = i.id WHERE i.id = $1 AND i.user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&state.db)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    Ok(ImageColumns::from_row(&row)?.into_info(feedback(row.try_get("rating")?, row.try_get("comment")?)))
}

/// The stored columns of one image version, as the API describes it (`SELECT {COLUMNS}` reads them).
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

impl<'r> FromRow<'r, AnyRow> for ImageColumns {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        Ok(ImageColumns {
            id: row.try_get("id")?,
            parent_id: row.try_get("parent_id")?,
            content_type: row.try_get("content_type")?,
            width: row.try_get("width")?,
            height: row.try_get("height")?,
            plan_json: row.try_get("plan_json")?,
            provider: row.try_get("provider")?,
            duration_ms: row.try_get("duration_ms")?,
            commercial: row.try_get::<i64, _>("commercial")? != 0,
            training_consent: row.try_get::<i64, _>("training_consent")? != 0,
            created_at: row.try_get("created_at")?,
            evidence_hold: row.try_get::<i64, _>("evidence_hold")? != 0,
        })
    }
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
            expires_at: (!self.evidence_hold).then(|| crate::periods::image_expiry(self.created_at)),
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

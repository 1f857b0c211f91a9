//! Versions made on the person's device ("Edit on this device"): the browser ran the instruction itself and
//! nothing reached the server until the person chose to save one. Saving sends the version's file and its
//! steps; it joins the thread as the reply to its instruction, like an edit made here, with its provenance
//! mark, and costs no credits (the server did no work but storing it).

use super::conversations::{messages, owned};
use super::thread::{insert_message, load_owned_id, touch, NewMessage};
use super::{CurrentUser, Error, Result};
use crate::ids::{ConversationId, ImageId, MessageId};
use crate::images::{insert_image, put_image, EditRecord};
use crate::memory;
use crate::quota::{self, Counted};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{validate, DeviceEdit, Exchange, Msg};
use vinano_engine::EditPlan;
use vinano_imaging::{OutputFormat, SourceFormat};

/// The largest `edit` part: the words and a plan of at most `MAX_STEPS` steps take far less.
const EDIT_MAX: u64 = 64 * 1024;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(save))
}

/// Saves a version made on the person's device into the conversation: a `multipart/form-data` body with an
/// `edit` part ([`DeviceEdit`] as JSON) and an `image` part (the file, PNG, JPEG or WebP, within the upload
/// limits). The file is decoded and written again (nothing of its metadata is kept) with ViNano's
/// provenance mark; the instruction passes moderation as any other.
#[utoipa::path(post, path = "/conversations/{id}/device-edits", tag = "conversations", params(("id" = String, Path, description = "A conversation id")), request_body(content = vinano_api::DeviceEdit, description = "multipart/form-data: `edit` (this, as JSON) and `image` (the file)", content_type = "multipart/form-data"), responses((status = 200, description = "The instruction and its reply with the saved version", body = vinano_api::Exchange)), security(("session" = [])))]
async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConversationId>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Exchange>> {
    let conversation = owned(&state, &user, &id).await?;
    let limit = state.config.max_upload_bytes;
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (limit as u64).saturating_add(EDIT_MAX)) {
        return Err(super::images::too_large(limit));
    }
    quota::check_hourly(&state, &user.id, Counted::Upload).await?;
    quota::check_storage(&state, &user.id, 0).await?;
    let _body_memory = state.memory.reserve_body(limit as u64 + EDIT_MAX).await;
    let (edit, bytes) = read_parts(&headers, body, limit).await?;

    let text = edit.text.trim().to_string();
    validate::prompt(&edit.text)?;
    let plan: EditPlan = serde_json::from_str(&edit.plan).map_err(|_| Error::invalid(Msg::DeviceEditPlan))?;
    if plan.validate().is_err() || plan.operations.is_empty() || plan.video().is_some() {
        return Err(Error::invalid(Msg::DeviceEditPlan));
    }
    let parent = edit.parent_id.map(ImageId::from);
    if let Some(parent) = &parent {
        load_owned_id(&state, &user.id, parent).await?;
    }
    let flagged = crate::moderation::gate(&state, &user.id, &text).await?;

    let limits = crate::images::decode_limits(&state);
    let (format, width, height) = vinano_imaging::probe(&bytes, limits)?;
    let format = match format {
        SourceFormat::Jpeg => OutputFormat::Jpeg,
        SourceFormat::Png => OutputFormat::Png,
        SourceFormat::WebP => OutputFormat::WebP,
    };
    let _pixel_memory = state.memory.reserve(memory::for_pixels(u64::from(width) * u64::from(height))).await;
    let decoded = state.blocking(move || vinano_imaging::decode(&bytes, limits)).await??;
    let source = plan.provenance(false, plan.creates_image());
    let made = crate::provenance::Made::by_plan(&plan, source, None, parent.is_some());
    let blob = put_image(&state, decoded.image, Some(format), Some(made)).await?;
    if let Err(e) = quota::check_storage(&state, &user.id, blob.size as u64).await {
        blob.discard(&state).await;
        return Err(e.into());
    }
    let record = EditRecord {
        plan,
        provider: "device".into(),
        duration_ms: edit.duration_ms,
        note: None,
        selection: None,
    };
    let (prompt_id, reply_id) = (MessageId::new(), MessageId::new());
    let now = state.clock.now_ms();
    let write = async {
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        let image = insert_image(&mut *tx, now, &user.id, parent.as_ref(), &blob, Some(&record)).await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM messages WHERE conversation_id = $1")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
        let reply = record.reply();
        let english = crate::i18n::english(&reply);
        for (message_id, offset, role, words, said, image_id, reply_to) in [
            (&prompt_id, 1, "user", text.as_str(), None, parent.as_deref(), None),
            (
                &reply_id,
                2,
                "assistant",
                english.as_str(),
                Some(&reply),
                Some(image.id.as_str()),
                Some(&*prompt_id),
            ),
        ] {
            let message = NewMessage {
                id: message_id,
                conversation_id: &id,
                user_id: &user.id,
                position: position + offset,
                role,
                text: words,
                said,
                image_id,
                reply_to,
                idempotency: None,
                now,
            };
            insert_message(&mut tx, message).await?;
        }
        if flagged {
            sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1 AND user_id = $2")
                .bind(&image.id)
                .bind(&user.id)
                .execute(&mut *tx)
                .await?;
        }
        touch(&mut tx, &conversation, Some(&text), now).await?;
        tx.commit().await?;
        Ok::<_, Error>(())
    };
    if let Err(e) = write.await {
        blob.discard(&state).await;
        return Err(e);
    }
    quota::record(&state, &user.id, Counted::Upload).await;
    let mut stored = messages(&state, &id, Some([prompt_id.as_str(), reply_id.as_str()])).await?.into_iter();
    let prompt = stored.next().ok_or_else(|| anyhow::anyhow!("exchange vanished"))?;
    Ok(Json(Exchange { prompt, reply: stored.next(), job: None }))
}

/// The `edit` and `image` parts of the body, each within its limit (`limit` for the image) as it streams.
async fn read_parts(headers: &HeaderMap, body: Body, limit: usize) -> Result<(DeviceEdit, Vec<u8>)> {
    let missing = || Error::invalid(Msg::DeviceEditImage);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|_| missing())?;
    let constraints = multer::Constraints::new()
        .allowed_fields(vec!["edit", "image"])
        .size_limit(multer::SizeLimit::new().for_field("edit", EDIT_MAX).for_field("image", limit as u64));
    let mut parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let (mut edit, mut image) = (None, None);
    loop {
        let field = match parts.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(part_error(e, limit)),
        };
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|e| part_error(e, limit))?;
        match name.as_str() {
            "edit" => {
                edit = Some(serde_json::from_slice::<DeviceEdit>(&bytes).map_err(|_| missing())?);
            }
            _ => image = Some(bytes.to_vec()),
        }
    }
    match (edit, image) {
        (Some(edit), Some(image)) if !image.is_empty() => Ok((edit, image)),
        _ => Err(missing()),
    }
}

fn part_error(e: multer::Error, limit: usize) -> Error {
    match e {
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            super::images::too_large(limit)
        }
        multer::Error::StreamReadFailed(e) if crate::serve::body::timed_out(&*e) => Error::RequestTimeout,
        _ => Error::invalid(Msg::DeviceEditImage),
    }
}

//! Conversations and their messages (`/conversations`): posting an instruction runs the edit engine on
//! the target image and stores the result as a new version whose parent is the target.

use super::extract::{Json, Query};
use super::idempotency::Idempotency;
use super::preferences;
use super::thread::{insert_message, load_owned_id, touch, NewMessage};
use super::{CurrentUser, Error, Result};
use crate::clock::timestamp;
use crate::conversations::{self as rules, Answer, Capabilities};
use crate::ids::{ConversationId, ImageId, MessageId};
use crate::images::{feedback, ImageColumns};
use crate::quota::{self, Counted};
use crate::{ids, jobs, AppState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use std::collections::HashSet;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{
    validate, Conversation, ConversationDetail, ConversationQuery, Exchange, Message, NewConversation,
    PostMessage, Preferences, RenameConversation, Role,
};
use vinano_api::{Msg, Problem};

/// Title of a conversation before its first instruction names it.
pub(super) const DEFAULT_TITLE: &str = "New conversation";

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, rename, remove))
        .routes(routes!(post_message))
        .merge(super::variants::router())
        .merge(super::device_edits::router())
}

type ConversationRow = (String, String, i64, i64, i64);

fn to_conversation((id, title, created_at, updated_at, commercial): ConversationRow) -> Conversation {
    Conversation {
        id,
        title,
        created_at: timestamp(created_at),
        updated_at: timestamp(updated_at),
        commercial: commercial != 0,
    }
}

pub(super) async fn owned(state: &AppState, user: &CurrentUser, id: &str) -> Result<Conversation> {
    let row: Option<ConversationRow> = sqlx::query_as(
        "SELECT id, title, created_at, updated_at, commercial FROM conversations WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(&user.id)
    .fetch_optional(&state.db)
    .await?;
    row.map(to_conversation).ok_or(Error::NotFound)
}

/// The person's conversations, most recently updated first (searchable, paged).
#[utoipa::path(get, path = "/conversations", tag = "conversations", params(vinano_api::ConversationQuery), responses((status = 200, description = "The person's conversations, most recently updated first", body = [vinano_api::Conversation])), security(("session" = [])))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ConversationQuery>,
) -> Result<Json<Vec<Conversation>>> {
    let limit = i64::from(query.limit.unwrap_or(50).clamp(1, 100));
    let offset = i64::from(query.offset.unwrap_or(0));
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let rows: Vec<ConversationRow> = match search {
        None => {
            sqlx::query_as(
                "SELECT id, title, created_at, updated_at, commercial FROM conversations WHERE user_id = $1
                 ORDER BY updated_at DESC, id LIMIT $2 OFFSET $3",
            )
            .bind(&user.id)
            .bind(limit)
            .bind(offset)
            .fetch_all(&state.db)
            .await?
        }
        Some(q) => {
            // LIKE wildcards typed by the person are matched literally.
            let pattern = format!(
                "%{}%",
                q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
            );
            sqlx::query_as(
                "SELECT c.id, c.title, c.created_at, c.updated_at, c.commercial FROM conversations c WHERE c.user_id = $1
                 AND (lower(c.title) LIKE $2 ESCAPE '\\' OR EXISTS (
                     SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user'
                     AND lower(m.text) LIKE $2 ESCAPE '\\'))
                 ORDER BY c.updated_at DESC, c.id LIMIT $3 OFFSET $4",
            )
            .bind(&user.id)
            .bind(pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(&state.db)
            .await?
        }
    };
    Ok(Json(rows.into_iter().map(to_conversation).collect()))
}

fn checked_title(title: &str) -> Result<&str> {
    let title = title.trim();
    match title.chars().count() {
        0 => Err(Error::InvalidInput(Msg::TitleEmpty.into())),
        n if n > 200 => Err(Error::invalid(Problem::new(Msg::TitleTooLong).num("max", 200))),
        _ => Ok(title),
    }
}

/// Renames a conversation or changes its commercial flag.
#[utoipa::path(patch, path = "/conversations/{id}", tag = "conversations", params(("id" = String, Path, description = "A conversation id")), request_body = vinano_api::RenameConversation, responses((status = 200, description = "Renamed", body = vinano_api::Conversation)), security(("session" = [])))]
async fn rename(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<RenameConversation>,
) -> Result<Json<Conversation>> {
    owned(&state, &user, &id).await?;
    let title = req.title.as_deref().map(checked_title).transpose()?;
    if title.is_none() && req.commercial.is_none() {
        return Err(Error::InvalidInput(Msg::ConversationNothing.into()));
    }
    sqlx::query(
        "UPDATE conversations SET title = COALESCE($1, title), commercial = COALESCE($2, commercial), updated_at = $3
         WHERE id = $4 AND user_id = $5",
    )
    .bind(title)
    .bind(req.commercial.map(i64::from))
    .bind(state.clock.now_ms())
    .bind(&id)
    .bind(&user.id)
    .execute(&state.db)
    .await?;
    Ok(Json(owned(&state, &user, &id).await?))
}

/// Deletes a conversation, its messages, and the images no other conversation uses (rows and files).
/// Images on evidence hold are kept (row and file); the answer then says how many, and why.
#[utoipa::path(delete, path = "/conversations/{id}", tag = "conversations", params(("id" = String, Path, description = "A conversation id")), responses((status = 204, description = "Deleted with its messages and images"), (status = 200, description = "Deleted, but some images are kept for legal reasons", body = vinano_api::ConversationDeleted)), security(("session" = [])))]
async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response> {
    owned(&state, &user, &id).await?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let here: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT image_id FROM messages WHERE conversation_id = $1 AND image_id IS NOT NULL",
    )
    .bind(&id)
    .fetch_all(&mut *tx)
    .await?;
    let elsewhere: HashSet<String> = sqlx::query_scalar(
        "SELECT DISTINCT image_id FROM messages WHERE conversation_id <> $1 AND user_id = $2 AND image_id IS NOT NULL",
    )
    .bind(&id)
    .bind(&user.id)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    sqlx::query("DELETE FROM messages WHERE conversation_id = $1").bind(&id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM conversations WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    let mut blobs = vec![];
    let mut retained = 0;
    for image in here.iter().filter(|i| !elsewhere.contains(*i)) {
        let key: Option<String> = sqlx::query_scalar(
            "DELETE FROM images WHERE id = $1 AND user_id = $2 AND evidence_hold = 0 RETURNING blob_key",
        )
        .bind(image)
        .bind(&user.id)
        .fetch_optional(&mut *tx)
        .await?;
        if key.is_none() {
            retained += 1;
        }
        blobs.extend(key);
    }
    // Files go only after the rows are gone (never a row pointing at a missing file), through the deletion
    // queue written in this transaction (never a deleted image left on disk after a crash).
    crate::trash::queue(&mut tx, state.clock.now_ms(), crate::trash::Kind::Blob, &blobs).await?;
    tx.commit().await?;
    crate::trash::empty_now(&state).await;
    if retained > 0 {
        let note = Problem::new(Msg::NoteConversationHeld).num("retained", retained.into());
        let answer = vinano_api::ConversationDeleted {
            retained,
            message: crate::i18n::english(&note),
            message_said: Some(note.into()),
        };
        return Ok((StatusCode::OK, Json(answer)).into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Starts a conversation.
#[utoipa::path(post, path = "/conversations", tag = "conversations", request_body = vinano_api::NewConversation, responses((status = 201, description = "Started", body = vinano_api::Conversation)), security(("session" = [])))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<NewConversation>,
) -> Result<(StatusCode, Json<Conversation>)> {
    let title = match req.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => checked_title(t)?,
        None => DEFAULT_TITLE,
    };
    quota::check_hourly(&state, &user.id, Counted::Conversation).await?;
    let id = ids::new_id();
    let now = state.clock.now_ms();
    sqlx::query(
        "INSERT INTO conversations (id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(title)
    .bind(now)
    .bind(now)
    .execute(&state.db)
    .await?;
    quota::record(&state, &user.id, Counted::Conversation).await;
    Ok((StatusCode::CREATED, Json(owned(&state, &user, &id).await?)))
}

/// One message with its image, feedback and job, as the thread query returns it.
struct MessageRow(Message);

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for MessageRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        let image_id: Option<String> = row.try_get("image_id")?;
        let image = match image_id {
            Some(id) => Some(
                ImageColumns {
                    id,
                    parent_id: row.try_get("parent_id")?,
                    content_type: row.try_get::<Option<String>, _>("content_type")?.unwrap_or_default(),
                    width: row.try_get::<Option<i64>, _>("width")?.unwrap_or(0),
                    height: row.try_get::<Option<i64>, _>("height")?.unwrap_or(0),
                    plan_json: row.try_get("plan_json")?,
                    provider: row.try_get("provider")?,
                    duration_ms: row.try_get("duration_ms")?,
                    commercial: row.try_get::<Option<i64>, _>("commercial")?.is_some_and(|v| v != 0),
                    training_consent: row
                        .try_get::<Option<i64>, _>("training_consent")?
                        .is_some_and(|v| v != 0),
                    created_at: row.try_get::<Option<i64>, _>("image_created_at")?.unwrap_or(0),
                    evidence_hold: row.try_get::<Option<i64>, _>("evidence_hold")?.is_some_and(|v| v != 0),
                }
                .into_info(feedback(row.try_get("rating")?, row.try_get("comment")?)),
            ),
            None => None,
        };
        let job_id: Option<String> = row.try_get("job_id")?;
        let job = match job_id {
            Some(id) => Some(jobs::info(
                id,
                &row.try_get::<String, _>("job_state")?,
                row.try_get("job_progress")?,
                row.try_get("job_error")?,
                row.try_get("job_error_said")?,
            )),
            None => None,
        };
        let role: String = row.try_get("role")?;
        Ok(MessageRow(Message {
            id: row.try_get("id")?,
            role: if role == "user" { Role::User } else { Role::Assistant },
            text: row.try_get("text")?,
            text_said: crate::i18n::said(row.try_get("text_said")?),
            image,
            created_at: timestamp(row.try_get("created_at")?),
            reply_to: row.try_get("reply_to")?,
            job,
            variants: vec![],
        }))
    }
}

/// The conversation's messages in order, or only those with the given ids.
pub(super) async fn messages(
    state: &AppState,
    conversation_id: &str,
    only_ids: Option<[&str; 2]>,
) -> Result<Vec<Message>> {
    let mut sql = String::from(
        "SELECT m.id, m.role, m.text, m.text_said, m.created_at, m.reply_to,
                i.id AS image_id, i.parent_id, i.content_type, i.width, i.height, i.plan_json, i.provider,
                i.duration_ms, i.commercial, i.training_consent, i.created_at AS image_created_at, i.evidence_hold,
                f.rating, f.comment,
                j.id AS job_id, j.state AS job_state, j.progress AS job_progress, j.error AS job_error,
                j.error_said AS job_error_said
         FROM messages m LEFT JOIN images i ON i.id = m.image_id LEFT JOIN feedback f ON f.image_id = i.id
              LEFT JOIN jobs j ON j.prompt_message_id = m.id
         WHERE m.conversation_id = $1",
    );
    if only_ids.is_some() {
        sql.push_str(" AND m.id IN ($2, $3)");
    }
    sql.push_str(" ORDER BY m.position");
    let mut q = sqlx::query_as::<_, MessageRow>(&sql).bind(conversation_id);
    if let Some([a, b]) = only_ids {
        q = q.bind(a).bind(b);
    }
    let mut list: Vec<Message> = q.fetch_all(&state.db).await?.into_iter().map(|r| r.0).collect();
    super::variants::attach(state, conversation_id, &mut list).await?;
    Ok(list)
}

/// A conversation with all its messages and their images and jobs.
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations", params(("id" = String, Path, description = "A conversation id")), responses((status = 200, description = "The conversation and its messages", body = vinano_api::ConversationDetail)), security(("session" = [])))]
async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ConversationDetail>> {
    let conversation = owned(&state, &user, &id).await?;
    let messages = messages(&state, &id, None).await?;
    Ok(Json(ConversationDetail { conversation, messages }))
}

/// Sends a message: an instruction (edited by a queued job), a generation request or a photo.
#[utoipa::path(post, path = "/conversations/{id}/messages", tag = "conversations", params(("id" = String, Path, description = "A conversation id"), ("Idempotency-Key" = Option<String>, Header, description = "Any string up to 200 characters; a retry with the same key gets the first answer instead of a second message")), request_body = vinano_api::PostMessage, responses((status = 200, description = "The person's message and the reply (with a queued job for an edit)", body = vinano_api::Exchange)), security(("session" = [])))]
async fn post_message(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConversationId>,
    headers: HeaderMap,
    Json(req): Json<PostMessage>,
) -> Result<Json<Exchange>> {
    let conversation = owned(&state, &user, &id).await?;
    let text = req.text.trim().to_string();
    // A photo with no words is added to the thread (to be edited later) without a reply.
    let attach_only = text.is_empty() && req.image_id.is_some() && req.tool.is_none() && req.preset.is_none();
    if !attach_only {
        validate::prompt(&req.text)?;
    }
    // A tool's form fixes the steps for one whole photo (or none): no brushed area, no other images.
    if let Some(tool) = &req.tool {
        if req.selection.is_some() || !req.references.is_empty() {
            return Err(Error::invalid(Msg::ToolAlone));
        }
        match tool {
            vinano_api::Tool::Poster(form) => form.check()?,
            vinano_api::Tool::Product(form) => form.check()?,
            vinano_api::Tool::IdPhoto(form) => form.check()?,
            vinano_api::Tool::Video(form) => form.check()?,
            vinano_api::Tool::Enhance { .. } => {}
        }
    }
    // So do a preset's saved steps.
    if req.preset.is_some() && (req.tool.is_some() || req.selection.is_some() || !req.references.is_empty()) {
        return Err(Error::invalid(Msg::PresetAlone));
    }
    validate::variants(req.params.unwrap_or_default().variants)?;
    validate::references(&req.references)?;
    // A repeated request (double click, retry after a dropped connection) returns the first answer.
    let idempotency = Idempotency::of(&headers, &req);
    if let Some(idempotency) = &idempotency {
        if let Some(exchange) = idempotency.replay(&state, &user, &id).await? {
            return Ok(Json(exchange));
        }
    }

    // Every instruction passes the moderation gate (and is logged) before anything is stored or run.
    // A request flagged for review runs, but its photo and result go on evidence hold.
    let checked = match &req.tool {
        Some(vinano_api::Tool::Poster(form)) => [text.as_str(), &form.title]
            .into_iter()
            .chain(form.subtitle.as_deref())
            .chain(form.line.as_deref())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => text.clone(),
    };
    let flagged = !attach_only && crate::moderation::gate(&state, &user.id, &checked).await?;

    // The local engine plans first; a request it cannot understand gets a helpful reply, not an error page.
    // A plan becomes a queued job whose result will be the reply. A plan that makes a new image (a poster)
    // needs no photo; with a model provider, an instruction without any photo asks it to generate one.
    // With a brushed selection, "erase this" fills it and the other steps are done inside it.
    // Other images sent with it are "image 2" onwards; the local engine places or combines them.
    let selected = req.selection.is_some();
    let count = 1 + req.references.len() as u32;
    // A tool's steps come from its form, a preset's from where it was saved; only the local engine does them.
    let preset_plan = match &req.preset {
        Some(preset) => Some(crate::presets::plan(&state, &user.id, preset).await?),
        None => None,
    };
    let fixed = req.tool.is_some() || preset_plan.is_some();
    let local_plan = match (&req.tool, preset_plan) {
        (Some(tool), _) => Ok(vinano_engine::tools::plan(tool).map_err(|e| Error::invalid(e.said()))?),
        (None, Some(plan)) => Ok(plan),
        (None, None) => vinano_engine::plan_with(&text, selected).and_then(|plan| plan.for_images(count)),
    };
    let latest: Option<String> = sqlx::query_scalar(
        "SELECT image_id FROM messages WHERE conversation_id = $1 AND image_id IS NOT NULL
         ORDER BY position DESC LIMIT 1",
    )
    .bind(&id)
    .fetch_optional(&state.db)
    .await?;
    // Words about a poster's title, colours or background draw the poster again (see `crate::posters`).
    let revised = match (req.image_id.clone().or_else(|| latest.clone()), fixed || selected || count > 1) {
        (Some(on), false) => crate::posters::revision(&state, &user.id, &ImageId::from(on), &text).await?,
        _ => None,
    };
    let fixed = fixed || revised.is_some();
    let local_plan = match &revised {
        Some(revised) => Ok(revised.plan.clone()),
        None => local_plan,
    };
    let can = Capabilities {
        provider: state.provider.is_some(),
        planner: state.planner.is_some(),
        video: state.video.is_some(),
    };
    let can = match fixed {
        true => Capabilities::default(),
        false => rules::with_other_images(can, &local_plan, !req.references.is_empty()),
    };
    let creates = local_plan.as_ref().is_ok_and(|p| p.creates_image());
    let target_id = match revised {
        Some(revised) => Some(revised.start),
        None => rules::target(req.image_id.clone(), latest, creates, can, attach_only)?.map(ImageId::from),
    };
    if let Ok(plan) = &local_plan {
        let missing: String = plan.texts().iter().flat_map(|t| state.fonts.missing(t)).collect();
        if !missing.is_empty() && !can.provider {
            return Err(Error::invalid(Problem::new(Msg::NoFont).text("chars", missing)));
        }
    }
    let params = req.params.unwrap_or_default();
    let (reply, mut job_request) = match rules::answer(&text, &params, local_plan, can, attach_only, selected)
    {
        Answer::Nothing => (None, None),
        Answer::Job(request) => (None, Some(*request)),
        Answer::Reply(said) => (Some(said), None),
    };
    if let Some(request) = job_request.as_mut() {
        request.hold = flagged;
    }
    // The target and every other image must exist and be the person's own before anything is stored, and
    // no step of the plan may make an image over the pixel budget (checked again after every step by the
    // job). The steps start from the image the plan names (image 1 unless it says otherwise).
    let attached = rules::attached(target_id.as_deref(), &req.references)?;
    let mut sizes = Vec::with_capacity(attached.len());
    for image in &attached {
        sizes.push(load_owned_id(&state, &user.id, &ImageId::from(image.clone())).await?);
    }
    let start = job_request.as_ref().map_or(1, |request| request.plan.start()).max(1) as usize;
    let job_target = match attached.get(start - 1) {
        Some(image) => Some(ImageId::from(image.clone())),
        None => target_id.clone(),
    };
    if let Some(request) = job_request.as_mut() {
        request.attached = attached;
    }
    let target_size = match (&job_target, sizes.get(start - 1)) {
        (_, Some(size)) => Some(*size),
        (Some(target), None) => Some(load_owned_id(&state, &user.id, target).await?),
        (None, None) => None,
    };
    // The selection is read and checked against the photo before anything is stored.
    if let (Some(request), Some(encoded)) = (job_request.as_mut(), req.selection.as_deref()) {
        let size = target_size.ok_or_else(|| Error::invalid(Msg::SelectionNoPhoto))?;
        let plan = request.plan.clone();
        let encoded = encoded.to_string();
        let (key, owner) = (state.master_key.clone(), user.id.to_string());
        // The mask is decoded at most at the photo's size, and scaled to it: room for both, held first.
        let pixels = u64::from(size.0) * u64::from(size.1);
        let _memory = state.memory.reserve(crate::memory::for_pixels(pixels)).await;
        let sealed = state
            .blocking(move || {
                let mask = crate::selection::read(&encoded, size, &plan).map_err(Error::invalid)?;
                crate::selection::seal(&key, &owner, &mask).map_err(Error::from)
            })
            .await??;
        request.selection = Some(sealed);
    }
    if let Some(request) = &job_request {
        let max_pixels = crate::billing::max_pixels(&state, &user.id).await?;
        request.plan.check_budget(target_size, max_pixels)?;
        quota::check_jobs(&state, &user.id).await?;
        quota::check_storage(&state, &user.id, 0).await?;
    }

    let now = state.clock.now_ms();
    let prompt_id = MessageId::new();
    let reply_id = MessageId::new();
    let write = async {
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM messages WHERE conversation_id = $1")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
        insert_message(
            &mut tx,
            NewMessage {
                id: &prompt_id,
                conversation_id: &id,
                user_id: &user.id,
                position: position + 1,
                role: "user",
                text: &text,
                said: None,
                image_id: target_id.as_deref(),
                reply_to: None,
                idempotency: idempotency.as_ref(),
                now,
            },
        )
        .await?;
        if let Some(reply) = &reply {
            insert_message(
                &mut tx,
                NewMessage {
                    id: &reply_id,
                    conversation_id: &id,
                    user_id: &user.id,
                    position: position + 2,
                    role: "assistant",
                    text: &crate::i18n::english(reply),
                    said: Some(reply),
                    image_id: None,
                    reply_to: Some(&prompt_id),
                    idempotency: None,
                    now,
                },
            )
            .await?;
        }
        if let Some(target) = target_id.as_deref().filter(|_| flagged) {
            sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1 AND user_id = $2")
                .bind(target)
                .bind(&user.id)
                .execute(&mut *tx)
                .await?;
        }
        let job = match &job_request {
            Some(request) => {
                // Its cost (the plan's peak in pixels) decides its place in the fair queue.
                let cost = request.plan.peak_pixels(target_size);
                let target = (job_target.as_ref(), cost);
                let job = jobs::enqueue(&mut tx, now, &user.id, &id, &prompt_id, target, request).await?;
                // Its price is reserved with it, or nothing of this message is stored (402).
                let billing = &state.config.billing;
                let credits = crate::billing::price(&billing.costs, request, cost);
                crate::billing::ledger::reserve(&mut tx, &state.config, &user.id, now, &job.id, credits)
                    .await?;
                Some(job)
            }
            None => None,
        };
        // The choices sent become the person's defaults for next time.
        if let Some(edit) = req.params {
            preferences::save(&mut *tx, &user.id, now, &Preferences { edit }).await?;
        }
        let words = (!attach_only).then_some(text.as_str());
        touch(&mut tx, &conversation, words, now).await?;
        tx.commit().await?;
        Ok::<_, Error>(job)
    };
    let job = match write.await {
        Ok(job) => job,
        Err(e) => {
            // Two identical requests raced: the other one won and its answer is the answer.
            if let (Error::Sqlx(sqlx::Error::Database(db)), Some(idempotency)) = (&e, &idempotency) {
                if db.is_unique_violation() {
                    if let Some(exchange) = idempotency.replay(&state, &user, &id).await? {
                        return Ok(Json(exchange));
                    }
                }
            }
            return Err(e);
        }
    };
    if job.is_some() {
        state.jobs_wakeup.notify_waiters();
    }

    let mut stored = messages(&state, &id, Some([prompt_id.as_str(), reply_id.as_str()])).await?.into_iter();
    let prompt = stored.next().ok_or_else(|| anyhow::anyhow!("exchange vanished"))?;
    Ok(Json(Exchange { prompt, reply: stored.next(), job }))
}

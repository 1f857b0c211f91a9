//! Variants of a reply: the candidates one job made ("Show 4 variants"), siblings in the version tree that
//! share the job's id as their batch. The reply shows the one picked (the first, until another is); the
//! next instruction works on it.

use super::conversations::{messages, owned};
use super::extract::Json;
use super::{CurrentUser, Error, Result};
use crate::images::{feedback, EditRecord, ImageColumns, COLUMNS};
use crate::AppState;
use axum::extract::{Path, State};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Message, Msg, PickVariant, Role};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pick))
}

/// Fills in the variants of the conversation's replies that have them, in the order they were made.
pub(super) async fn attach(state: &AppState, conversation_id: &str, list: &mut [Message]) -> Result<()> {
    if !list.iter().any(|m| m.role == Role::Assistant && m.image.is_some()) {
        return Ok(());
    }
    let rows: Vec<AnyRow> = sqlx::query(&format!(
        "SELECT {COLUMNS}, f.rating, f.comment, s.id AS shown_id
         FROM messages m JOIN images s ON s.id = m.image_id JOIN images i ON i.batch = s.batch
              LEFT JOIN feedback f ON f.image_id = i.id
         WHERE m.conversation_id = $1 AND m.role = 'assistant' AND s.batch IS NOT NULL
         ORDER BY i.created_at, i.id"
    ))
    .bind(conversation_id)
    .fetch_all(&state.db)
    .await?;
    for row in rows {
        let shown: String = row.try_get("shown_id")?;
        let info = ImageColumns::from_row(&row)?
            .into_info(feedback(row.try_get("rating")?, row.try_get("comment")?));
        if let Some(message) = list.iter_mut().find(|m| m.image.as_ref().is_some_and(|i| i.id == shown)) {
            message.variants.push(info);
        }
    }
    Ok(())
}

/// Picks one of a reply's variants: the reply shows it from now on, and the next instruction works on it.
#[utoipa::path(put, path = "/conversations/{id}/messages/{message_id}/image", tag = "conversations", params(("id" = String, Path, description = "A conversation id"), ("message_id" = String, Path, description = "A reply with variants")), request_body = PickVariant, responses((status = 200, description = "The reply, showing the picked variant", body = Message), (status = 422, description = "Not one of this reply's variants")), security(("session" = [])))]
async fn pick(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, message_id)): Path<(String, String)>,
    Json(req): Json<PickVariant>,
) -> Result<Json<Message>> {
    owned(&state, &user, &id).await?;
    // The picked version must share the batch of the version the reply shows now.
    let same: Option<(String,)> = sqlx::query_as(
        "SELECT i.id FROM messages m JOIN images s ON s.id = m.image_id
              JOIN images i ON i.batch = s.batch AND i.user_id = s.user_id
         WHERE m.id = $1 AND m.conversation_id = $2 AND m.role = 'assistant' AND i.id = $3",
    )
    .bind(&message_id)
    .bind(&id)
    .bind(&req.image_id)
    .fetch_optional(&state.db)
    .await?;
    if same.is_none() {
        let exists: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM messages WHERE id = $1 AND conversation_id = $2 AND role = 'assistant'",
        )
        .bind(&message_id)
        .bind(&id)
        .fetch_optional(&state.db)
        .await?;
        return Err(match exists {
            Some(_) => Error::invalid(Msg::VariantNotHere),
            None => Error::NotFound,
        });
    }
    // The reply's words say what the picked one is ("Done: warmer +30%.").
    let (plan_json, provider): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT plan_json, provider FROM images WHERE id = $1")
            .bind(&req.image_id)
            .fetch_one(&state.db)
            .await?;
    let plan = plan_json.and_then(|p| serde_json::from_str::<vinano_engine::EditPlan>(&p).ok());
    let said = plan.map(|plan| {
        let provider = provider.unwrap_or_else(|| "local".into());
        EditRecord { plan, provider, duration_ms: 0, note: None, selection: None }.reply()
    });
    let text = said.as_ref().map(|r| vinano_api::problem::words::english(r.msg.key(), &r.args));
    sqlx::query(
        "UPDATE messages SET image_id = $1, text = COALESCE($2, text), text_said = COALESCE($3, text_said)
         WHERE id = $4",
    )
    .bind(&req.image_id)
    .bind(text)
    .bind(said.as_ref().map(crate::i18n::stored))
    .bind(&message_id)
    .execute(&state.db)
    .await?;
    let mut list = messages(&state, &id, Some([&message_id, &message_id])).await?;
    list.pop().map(Json).ok_or(Error::NotFound)
}

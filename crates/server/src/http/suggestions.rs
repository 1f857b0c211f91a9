//! `GET /me/suggestions`: what Home suggests from the person's own history (the rules are
//! `src/suggestions.rs`'s): the instructions they come back to, and the results they liked.

use super::extract::Json;
use super::{CurrentUser, Result};
use crate::images::{ImageColumns, COLUMNS};
use crate::suggestions::{self, Sent};
use crate::AppState;
use axum::extract::State;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Feedback, LibraryItem, Rating, Suggestions};

/// How many sent instructions are looked at (the newest).
const LOOKED_AT: i64 = 500;
/// How many liked results are listed.
const LIKED: i64 = 6;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(suggest))
}

/// The instructions the person sends again and again (by their words alone), and the results they rated
/// as good.
#[utoipa::path(get, path = "/me/suggestions", tag = "images", responses((status = 200, description = "The suggestions", body = vinano_api::Suggestions)), security(("session" = [])))]
async fn suggest(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Suggestions>> {
    let sent: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT m.text, i.plan_json, m.created_at
         FROM messages m
         JOIN messages r ON r.reply_to = m.id AND r.image_id IS NOT NULL
         JOIN images i ON i.id = r.image_id
         WHERE m.user_id = $1 AND m.role = 'user' AND m.text <> ''
         ORDER BY m.created_at DESC, m.id LIMIT $2",
    )
    .bind(&user.id)
    .bind(LOOKED_AT)
    .fetch_all(&state.db)
    .await?;
    let sent: Vec<Sent> =
        sent.into_iter().map(|(text, plan_json, at)| Sent { text, plan_json, at }).collect();
    let rows: Vec<AnyRow> = sqlx::query(&format!(
        "SELECT {COLUMNS}, f.comment,
                (SELECT MIN(m.conversation_id) FROM messages m WHERE m.image_id = i.id) AS conversation_id
         FROM feedback f JOIN images i ON i.id = f.image_id
         WHERE f.user_id = $1 AND i.user_id = $1 AND f.rating = 'up'
         ORDER BY f.updated_at DESC, i.id LIMIT $2"
    ))
    .bind(&user.id)
    .bind(LIKED)
    .fetch_all(&state.db)
    .await?;
    let item = |row: AnyRow| -> std::result::Result<LibraryItem, sqlx::Error> {
        let image = ImageColumns::from_row(&row)?;
        let created_at = crate::clock::timestamp(image.created_at);
        let feedback = Feedback { rating: Rating::Up, comment: row.try_get("comment")? };
        Ok(LibraryItem {
            image: image.into_info(Some(feedback)),
            conversation_id: row.try_get("conversation_id")?,
            created_at,
        })
    };
    let liked = rows.into_iter().map(item).collect::<std::result::Result<_, _>>()?;
    Ok(Json(Suggestions { instructions: suggestions::instructions(&sent), liked }))
}

//! Share links (`/shares`, `/shared/*`; the rules are `src/sharing.rs`'s): the owner makes, lists and turns
//! off links; anyone with a link reads what it shows and the pictures' signed addresses, never indexed; a
//! signed-in reader copies a picture into their own account.

use super::extract::{Json, Query};
use super::{CurrentUser, Error, Result};
use crate::sharing::{self, FileAddress};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{ImageInfo, Msg, NewShare, Problem, Share, SharesRevoked};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create, revoke_all))
        .routes(routes!(revoke))
        .routes(routes!(open))
        .routes(routes!(file))
        .routes(routes!(copy))
}

/// What a shared page's answers say to search engines: not to be indexed, followed or kept.
fn unlisted() -> [(HeaderName, &'static str); 1] {
    [(HeaderName::from_static("x-robots-tag"), super::security::UNLISTED)]
}

/// The person's links that still work, newest first.
#[utoipa::path(get, path = "/shares", tag = "sharing", responses((status = 200, description = "The links", body = Vec<vinano_api::Share>)), security(("session" = [])))]
async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Share>>> {
    Ok(Json(sharing::list(&state, &user.id).await?))
}

/// Makes a read-only link to one of the person's versions or conversations (404 for anyone else's; 409
/// for a version kept for legal reasons).
#[utoipa::path(post, path = "/shares", tag = "sharing", request_body = vinano_api::NewShare, responses((status = 201, description = "The link", body = vinano_api::Share), (status = 404, description = "No such version or conversation of theirs", body = vinano_api::ErrorBody), (status = 409, description = "The version is under evidence hold", body = vinano_api::ErrorBody), (status = 422, description = "Neither or both of image_id and conversation_id", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewShare>,
) -> Result<(StatusCode, Json<Share>)> {
    Ok((StatusCode::CREATED, Json(sharing::create(&state, &user.id, &new).await?)))
}

/// Turns every one of the person's links off.
#[utoipa::path(delete, path = "/shares", tag = "sharing", responses((status = 200, description = "How many stopped working", body = vinano_api::SharesRevoked)), security(("session" = [])))]
async fn revoke_all(State(state): State<AppState>, user: CurrentUser) -> Result<Json<SharesRevoked>> {
    let revoked = sharing::revoke_all(&state, &user.id).await?;
    tracing::info!(event = "shares_revoked", user = %user.id, revoked, "every share link turned off");
    Ok(Json(SharesRevoked { revoked }))
}

/// Turns one link off: it stops working at once, and so do the addresses of its pictures.
#[utoipa::path(delete, path = "/shares/{id}", tag = "sharing", params(("id" = String, Path, description = "The link's id")), responses((status = 204, description = "Turned off"), (status = 404, description = "No such link of theirs", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if !sharing::revoke(&state, &user.id, &id).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(event = "share_revoked", user = %user.id, share = %id, "share link turned off");
    Ok(StatusCode::NO_CONTENT)
}

/// What a link shows, for anyone who has it (no account): the version, or the conversation's words and
/// pictures, each picture by an address that works for an hour. 404 once the link was turned off, expired,
/// or what it showed was deleted or is kept for legal reasons.
#[utoipa::path(get, path = "/shared/{token}", tag = "sharing", params(("token" = String, Path, description = "The link's token (the last part of its address)")), responses((status = 200, description = "What it shows", body = vinano_api::SharedView), (status = 404, description = "The link doesn't work", body = vinano_api::ErrorBody)))]
async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let view = sharing::open(&state, &token).await?;
    Ok((unlisted(), [(header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

/// A signed picture address of a shared page.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FileQuery {
    /// The link's id.
    share: String,
    /// When the address stops working (unix ms).
    expires: i64,
    /// Its signature (hex).
    sig: String,
    /// Its preview instead: `256` or `768` px on the longer side.
    size: Option<u32>,
}

/// A picture of a shared page by its signed address, while the address and the link both work.
#[utoipa::path(get, path = "/shared/files/{id}", tag = "sharing", params(("id" = String, Path, description = "A version's id"), FileQuery), responses((status = 200, description = "The picture", content((super::openapi::Binary = "image/png"), (super::openapi::Binary = "image/jpeg"), (super::openapi::Binary = "image/webp"), (super::openapi::Binary = "video/mp4"))), (status = 404, description = "The address or the link doesn't work", body = vinano_api::ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> Result<Response> {
    if let Some(size) = q.size {
        if !crate::preview::SIZES.contains(&size) {
            return Err(Error::invalid(Problem::new(Msg::PreviewSize).num("size", u64::from(size))));
        }
    }
    let address = FileAddress { share: q.share, expires: q.expires, sig: q.sig };
    let (key, content_type) = sharing::file(&state, &id, &address).await?;
    let left = ((q.expires - state.clock.now_ms()) / 1000).max(0);
    let caching = [(header::CACHE_CONTROL, format!("private, max-age={left}"))];
    if let Some(size) = q.size {
        if let Some((bytes, mime)) =
            crate::preview::get(&state, &key, size).await.map_err(anyhow::Error::from)?
        {
            return Ok(
                (unlisted(), caching, [(header::CONTENT_TYPE, mime.to_string())], bytes).into_response()
            );
        }
    }
    let bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    Ok((unlisted(), caching, [(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// "Edit a copy in ViNano": a picture a link shows becomes a new photo of the signed-in reader's (counted
/// as an upload), to start a conversation with.
#[utoipa::path(post, path = "/shared/{token}/images/{id}/copy", tag = "sharing", params(("token" = String, Path, description = "The link's token"), ("id" = String, Path, description = "A version the link shows")), responses((status = 201, description = "The reader's copy", body = vinano_api::ImageInfo), (status = 404, description = "The link doesn't work or doesn't show that picture", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn copy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((token, id)): Path<(String, String)>,
) -> Result<(StatusCode, Json<ImageInfo>)> {
    Ok((StatusCode::CREATED, Json(sharing::copy(&state, &user.id, &token, &id).await?)))
}

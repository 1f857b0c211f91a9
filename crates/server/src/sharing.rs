//! Share links: a read-only link to one version or to a whole conversation, made by its owner and opened by
//! anyone who has it, without an account.
//!
//! - Nothing is shared until its owner makes a link. The link's token (192 random bits) is looked up by its
//!   hash; the owner's copy is sealed with the master key, so the owner can copy it again from Me → Your
//!   data and a copy of the database alone opens nothing.
//! - A link works until it expires (24 hours, 7 days, 30 days or never) or is turned off. Deleting the
//!   version or the conversation deletes its links (the schema cascades), and so does retention's deletion
//!   of the version and the account's.
//! - A version under evidence hold is never shown: a link to it can't be made, a link made before the hold
//!   stops showing it, and a shared conversation leaves it out.
//! - The page gets its pictures through addresses signed for an hour ([`crate::signed`]) that name the link,
//!   not its token: an address copied out of the page shows nothing once the link is off or an hour passed.

use crate::error::{Error, Result};
use crate::ids::{self, UserId};
use crate::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;
use vinano_api::{ImageInfo, Msg, NewShare, Role, Share, ShareKind, SharedImage, SharedMessage, SharedView};

/// How long a picture's address on a shared page works.
pub const FILE_LINK_MS: i64 = 3_600_000;
/// What those addresses are signed for.
const FILE_PURPOSE: &str = "share-file";
/// The most messages a shared conversation's page shows (its newest).
pub const MAX_MESSAGES: i64 = 500;

/// The address of the page a token opens.
pub fn page_url(site: &str, token: &str) -> String {
    format!("{site}/s/{token}")
}

/// The name a link's token is sealed under (binds the sealed bytes to the link).
fn seal_name(id: &str) -> String {
    format!("share-token/{id}")
}

/// A link's stored row.
struct Link {
    id: String,
    token_sealed: String,
    image_id: Option<String>,
    conversation_id: Option<String>,
    created_at: i64,
    expires_at: Option<i64>,
    views: i64,
}

const ROW: &str = "id, token_sealed, image_id, conversation_id, created_at, expires_at, views";

impl<'r> sqlx::FromRow<'r, AnyRow> for Link {
    fn from_row(row: &'r AnyRow) -> std::result::Result<Self, sqlx::Error> {
        Ok(Link {
            id: row.try_get("id")?,
            token_sealed: row.try_get("token_sealed")?,
            image_id: row.try_get("image_id")?,
            conversation_id: row.try_get("conversation_id")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            views: row.try_get("views")?,
        })
    }
}

impl Link {
    fn kind(&self) -> ShareKind {
        if self.image_id.is_some() {
            ShareKind::Image
        } else {
            ShareKind::Conversation
        }
    }

    fn live(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }
}

/// Makes a link to one of `user_id`'s versions or conversations (404 for anyone else's; 409 for a version
/// under evidence hold).
pub async fn create(state: &AppState, user_id: &UserId, new: &NewShare) -> Result<Share> {
    let (image_id, conversation_id) = match (&new.image_id, &new.conversation_id) {
        (Some(image), None) => (Some(image.as_str()), None),
        (None, Some(conversation)) => (None, Some(conversation.as_str())),
        _ => return Err(Error::invalid(Msg::ShareWhat)),
    };
    if let Some(image) = image_id {
        let held: Option<i64> =
            sqlx::query_scalar("SELECT evidence_hold FROM images WHERE id = $1 AND user_id = $2")
                .bind(image)
                .bind(user_id)
                .fetch_optional(&state.db)
                .await?;
        if held.ok_or(Error::NotFound)? != 0 {
            return Err(Error::conflict(Msg::ShareHeld));
        }
    }
    if let Some(conversation) = conversation_id {
        let found: Option<String> =
            sqlx::query_scalar("SELECT id FROM conversations WHERE id = $1 AND user_id = $2")
                .bind(conversation)
                .bind(user_id)
                .fetch_optional(&state.db)
                .await?;
        found.ok_or(Error::NotFound)?;
    }
    let now = state.clock.now_ms();
    let (id, token) = (ids::new_id(), ids::random_hex(24));
    let sealed = hex::encode(state.master_key.seal(&seal_name(&id), token.as_bytes()));
    sqlx::query(
        "INSERT INTO shares (id, user_id, token_hash, token_sealed, image_id, conversation_id, created_at,
                             expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(crate::credentials::hash_token(&token))
    .bind(&sealed)
    .bind(image_id)
    .bind(conversation_id)
    .bind(now)
    .bind(new.expires.millis().map(|ms| now + ms))
    .execute(&state.db)
    .await?;
    tracing::info!(event = "share_created", user = %user_id, share = %id, "share link made");
    let row: Link = sqlx::query_as(&format!("SELECT {ROW} FROM shares WHERE id = $1"))
        .bind(&id)
        .fetch_one(&state.db)
        .await?;
    owner_view(state, row).await
}

/// The person's links that still work, newest first.
pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<Share>> {
    let rows: Vec<Link> = sqlx::query_as(&format!(
        "SELECT {ROW} FROM shares WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2)
         ORDER BY created_at DESC, id"
    ))
    .bind(user_id)
    .bind(state.clock.now_ms())
    .fetch_all(&state.db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(owner_view(state, row).await?);
    }
    Ok(out)
}

/// A link as its owner sees it: the link itself again, what it shows and where that is.
async fn owner_view(state: &AppState, row: Link) -> Result<Share> {
    let token = hex::decode(&row.token_sealed)
        .ok()
        .and_then(|sealed| state.master_key.open(&seal_name(&row.id), &sealed).ok())
        .and_then(|plain| String::from_utf8(plain).ok())
        .ok_or_else(|| anyhow::anyhow!("share {} has a token that doesn't open", row.id))?;
    let conversation_id = match (&row.conversation_id, &row.image_id) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(image)) => {
            sqlx::query_scalar(
                "SELECT conversation_id FROM messages WHERE image_id = $1 ORDER BY position LIMIT 1",
            )
            .bind(image)
            .fetch_optional(&state.db)
            .await?
        }
        (None, None) => None,
    };
    let title: Option<String> = match &conversation_id {
        Some(c) => {
            sqlx::query_scalar("SELECT title FROM conversations WHERE id = $1")
                .bind(c)
                .fetch_optional(&state.db)
                .await?
        }
        None => None,
    };
    let image_id = match (&row.image_id, &row.conversation_id) {
        (Some(image), _) => Some(image.clone()),
        (None, Some(c)) => latest_image(state, c).await?,
        (None, None) => None,
    };
    Ok(Share {
        url: page_url(&state.config.site_url(), &token),
        kind: row.kind(),
        id: row.id,
        image_id,
        conversation_id,
        title: title.unwrap_or_default(),
        created_at: crate::clock::timestamp(row.created_at),
        expires_at: row.expires_at.map(crate::clock::timestamp),
        views: row.views.max(0) as u64,
    })
}

/// The newest picture of a conversation that may be shown (none under evidence hold).
async fn latest_image(state: &AppState, conversation_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT m.image_id FROM messages m JOIN images i ON i.id = m.image_id
         WHERE m.conversation_id = $1 AND i.evidence_hold = 0 ORDER BY m.position DESC LIMIT 1",
    )
    .bind(conversation_id)
    .fetch_optional(&state.db)
    .await?)
}

/// Turns one of the person's links off (false: no such link of theirs).
pub async fn revoke(state: &AppState, user_id: &UserId, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM shares WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&state.db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Turns every one of the person's links off; how many there were.
pub async fn revoke_all(state: &AppState, user_id: &UserId) -> Result<u64> {
    let done = sqlx::query("DELETE FROM shares WHERE user_id = $1").bind(user_id).execute(&state.db).await?;
    Ok(done.rows_affected())
}

/// The live link a token opens (404 for an unknown, expired or turned-off one).
async fn by_token(state: &AppState, token: &str) -> Result<Link> {
    if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound);
    }
    let row: Option<Link> = sqlx::query_as(&format!("SELECT {ROW} FROM shares WHERE token_hash = $1"))
        .bind(crate::credentials::hash_token(token))
        .fetch_optional(&state.db)
        .await?;
    row.filter(|r| r.live(state.clock.now_ms())).ok_or(Error::NotFound)
}

/// What a token shows, with each picture's signed addresses; counts the visit. 404 when the link doesn't
/// work (unknown, expired, turned off, or its version was deleted or put under evidence hold).
pub async fn open(state: &AppState, token: &str) -> Result<SharedView> {
    let row = by_token(state, token).await?;
    let now = state.clock.now_ms();
    let site = state.config.site_url();
    let signer = |r: &AnyRow| shared_image(state, &site, &row.id, now, r);
    let mut view = SharedView {
        kind: row.kind(),
        title: None,
        image: None,
        messages: vec![],
        created_at: crate::clock::timestamp(row.created_at),
        expires_at: row.expires_at.map(crate::clock::timestamp),
    };
    const IMAGE: &str = "i.id AS image_id, i.parent_id, i.content_type, i.width, i.height, i.plan_json, \
                         i.provider, i.duration_ms";
    if let Some(image) = &row.image_id {
        let found: Option<AnyRow> =
            sqlx::query(&format!("SELECT {IMAGE} FROM images i WHERE i.id = $1 AND i.evidence_hold = 0"))
                .bind(image)
                .fetch_optional(&state.db)
                .await?;
        view.image = Some(signer(&found.ok_or(Error::NotFound)?)?);
    } else if let Some(conversation) = &row.conversation_id {
        view.title = sqlx::query_scalar("SELECT title FROM conversations WHERE id = $1")
            .bind(conversation)
            .fetch_optional(&state.db)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT * FROM (
                 SELECT m.position, m.role, m.text, m.text_said, {IMAGE}
                 FROM messages m LEFT JOIN images i ON i.id = m.image_id AND i.evidence_hold = 0
                 WHERE m.conversation_id = $1 ORDER BY m.position DESC LIMIT {MAX_MESSAGES}
             ) newest ORDER BY position"
        ))
        .bind(conversation)
        .fetch_all(&state.db)
        .await?;
        for r in &rows {
            let image = match r.try_get::<Option<String>, _>("image_id")? {
                Some(_) => Some(signer(r)?),
                None => None,
            };
            let role: String = r.try_get("role")?;
            view.messages.push(SharedMessage {
                role: if role == "user" { Role::User } else { Role::Assistant },
                text: r.try_get("text")?,
                text_said: crate::i18n::said(r.try_get("text_said")?),
                image,
            });
        }
        view.image = view.messages.iter().rev().find_map(|m| m.image.clone());
    }
    sqlx::query("UPDATE shares SET views = views + 1 WHERE id = $1").bind(&row.id).execute(&state.db).await?;
    Ok(view)
}

/// A picture of a shared page from its row (`image_id`, `parent_id`, `content_type`, `width`, `height`,
/// `plan_json`, `provider`, `duration_ms`), with addresses signed for [`FILE_LINK_MS`].
fn shared_image(state: &AppState, site: &str, share: &str, now: i64, r: &AnyRow) -> Result<SharedImage> {
    let id: String = r.try_get("image_id")?;
    let expires = now + FILE_LINK_MS;
    let sig = crate::signed::signature(&state.master_key, FILE_PURPOSE, &format!("{share}.{id}"), expires);
    let url = format!(
        "{site}{}/shared/files/{id}?share={share}&expires={expires}&sig={sig}",
        vinano_api::API_PREFIX
    );
    let plan: Option<String> = r.try_get("plan_json")?;
    Ok(SharedImage {
        preview_url: format!("{url}&size=768"),
        url,
        id,
        width: r.try_get::<i64, _>("width")?.max(0) as u32,
        height: r.try_get::<i64, _>("height")?.max(0) as u32,
        content_type: r.try_get("content_type")?,
        edited: r.try_get::<Option<String>, _>("parent_id")?.is_some(),
        generation: plan.as_deref().and_then(|p| {
            crate::images::generation(p, r.try_get("provider").ok()?, r.try_get("duration_ms").ok()?)
        }),
    })
}

/// A signed address of a shared page's picture, as it arrives.
#[derive(Debug, Clone)]
pub struct FileAddress {
    /// The link the page was opened with.
    pub share: String,
    /// When the address stops working (unix ms).
    pub expires: i64,
    /// Its signature (hex).
    pub sig: String,
}

/// The stored file (`blob_key`, `content_type`) a signed address opens: only while the address holds, its
/// link still works and still shows that picture, and the picture isn't under evidence hold.
pub async fn file(state: &AppState, image_id: &str, address: &FileAddress) -> Result<(String, String)> {
    let now = state.clock.now_ms();
    let subject = format!("{}.{image_id}", address.share);
    if !crate::signed::holds(
        &state.master_key,
        FILE_PURPOSE,
        (&subject, address.expires),
        &address.sig,
        now,
        FILE_LINK_MS,
    ) {
        return Err(Error::NotFound);
    }
    let row: Option<Link> = sqlx::query_as(&format!("SELECT {ROW} FROM shares WHERE id = $1"))
        .bind(&address.share)
        .fetch_optional(&state.db)
        .await?;
    let row = row.filter(|r| r.live(now)).ok_or(Error::NotFound)?;
    shown_file(state, &row, image_id).await
}

/// The file of `image_id` if the link shows it: the version shared, or a picture of the conversation's
/// messages; never one under evidence hold.
async fn shown_file(state: &AppState, row: &Link, image_id: &str) -> Result<(String, String)> {
    let found: Option<(String, String)> = match (&row.image_id, &row.conversation_id) {
        (Some(shared), _) if shared == image_id => {
            sqlx::query_as("SELECT blob_key, content_type FROM images WHERE id = $1 AND evidence_hold = 0")
                .bind(image_id)
                .fetch_optional(&state.db)
                .await?
        }
        (None, Some(conversation)) => {
            sqlx::query_as(
                "SELECT i.blob_key, i.content_type FROM images i
                 WHERE i.id = $1 AND i.evidence_hold = 0
                   AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = $2 AND m.image_id = i.id)",
            )
            .bind(image_id)
            .bind(conversation)
            .fetch_optional(&state.db)
            .await?
        }
        _ => None,
    };
    found.ok_or(Error::NotFound)
}

/// "Edit a copy in ViNano": a copy of a picture a link shows, as a new photo of `user_id`'s (the same
/// bytes, its previews with it), counted as an upload against their limits.
pub async fn copy(state: &AppState, user_id: &UserId, token: &str, image_id: &str) -> Result<ImageInfo> {
    let row = by_token(state, token).await?;
    let (key, content_type) = shown_file(state, &row, image_id).await?;
    let size: (i64, i64) = sqlx::query_as("SELECT width, height FROM images WHERE id = $1")
        .bind(image_id)
        .fetch_one(&state.db)
        .await?;
    crate::quota::check_hourly(state, user_id, crate::quota::Counted::Upload).await?;
    crate::quota::check_storage(state, user_id, 0).await?;
    let blob = crate::images::copy_blob(state, &key, &content_type, size).await?;
    if let Err(e) = crate::quota::check_storage(state, user_id, blob.size as u64).await {
        blob.discard(state).await;
        return Err(e.into());
    }
    let now = state.clock.now_ms();
    match crate::images::insert_image(&state.db, now, user_id, None, &blob, None).await {
        Ok(info) => {
            crate::quota::record(state, user_id, crate::quota::Counted::Upload).await;
            tracing::info!(event = "share_copied", user = %user_id, share = %row.id, "shared picture copied");
            Ok(info)
        }
        Err(e) => {
            blob.discard(state).await;
            Err(e)
        }
    }
}

//! Share links (`/shares`, `/shared/*`): a read-only link to one version or a whole conversation, made by its
//! owner, that anyone holding it can open without an account until it expires or is turned off.

use super::{Generation, Role};
use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// How long a new link works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ShareExpiry {
    /// 24 hours.
    #[serde(rename = "24h")]
    Day,
    /// 7 days (the default).
    #[default]
    #[serde(rename = "7d")]
    Week,
    /// 30 days.
    #[serde(rename = "30d")]
    Month,
    /// Until it is turned off (or what it shows is deleted).
    #[serde(rename = "never")]
    Never,
}

impl ShareExpiry {
    /// Every choice, shortest first.
    pub const ALL: [ShareExpiry; 4] =
        [ShareExpiry::Day, ShareExpiry::Week, ShareExpiry::Month, ShareExpiry::Never];

    /// How long, in milliseconds; `None` for never.
    pub fn millis(self) -> Option<i64> {
        const HOUR: i64 = 3_600_000;
        match self {
            ShareExpiry::Day => Some(24 * HOUR),
            ShareExpiry::Week => Some(7 * 24 * HOUR),
            ShareExpiry::Month => Some(30 * 24 * HOUR),
            ShareExpiry::Never => None,
        }
    }

    /// Its name on the wire ("24h", "7d", "30d", "never").
    pub fn as_str(self) -> &'static str {
        match self {
            ShareExpiry::Day => "24h",
            ShareExpiry::Week => "7d",
            ShareExpiry::Month => "30d",
            ShareExpiry::Never => "never",
        }
    }
}

/// `POST /api/v1/shares`: share one version (`image_id`) or one conversation (`conversation_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewShare {
    /// The version to share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The conversation to share (every version in it, with the words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// How long the link works (default 7 days).
    #[serde(default)]
    pub expires: ShareExpiry,
}

/// What a link shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareKind {
    /// One version.
    Image,
    /// A whole conversation.
    Conversation,
}

/// One of the person's links, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    /// The link's id (for turning it off; not the link itself).
    pub id: String,
    /// The link to give people.
    pub url: String,
    /// What it shows.
    pub kind: ShareKind,
    /// The version shared, or the conversation's latest picture (none for a conversation without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The conversation shared, or the one the version is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// The conversation's title.
    pub title: String,
    /// When it was made (RFC 3339).
    pub created_at: Timestamp,
    /// When it stops working; none: until turned off.
    pub expires_at: Option<Timestamp>,
    /// How many times it was opened.
    pub views: u64,
}

/// The answer to turning every link off (`DELETE /api/v1/shares`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharesRevoked {
    /// How many links stopped working.
    pub revoked: u64,
}

/// A picture on a shared page: short-lived addresses of it (no account needed until they expire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedImage {
    /// The version's id.
    pub id: String,
    /// The picture, full size.
    pub url: String,
    /// Its 768 px preview (the picture itself when it is that small).
    pub preview_url: String,
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// Its type (`image/png`, `image/jpeg`, `image/webp`, `video/mp4`).
    pub content_type: String,
    /// Made from another picture (an edit), not from words alone or uploaded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
    /// How ViNano made it, when it did (none for a photo someone uploaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<Generation>,
}

/// One message of a shared conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedMessage {
    /// Who wrote it.
    pub role: Role,
    /// The words (the instruction, or ViNano's answer in English).
    pub text: String,
    /// ViNano's answer as a message key with its values, for the page to say in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_said: Option<crate::Said>,
    /// Its picture, if it has one that may be shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<SharedImage>,
}

/// What a link shows (`GET /api/v1/shared/{token}`, public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedView {
    /// One version or a whole conversation.
    pub kind: ShareKind,
    /// The conversation's title (a shared version: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The version shared; for a conversation, its latest picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<SharedImage>,
    /// A shared conversation's messages, oldest first (a shared version: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<SharedMessage>,
    /// When the link was made (RFC 3339).
    pub created_at: Timestamp,
    /// When it stops working; none: until its owner turns it off.
    pub expires_at: Option<Timestamp>,
}

//! The widget on a partner's site (`/widget/*`): starting a visitor's session and what it shows.

use serde::{Deserialize, Serialize};

/// The request header that makes a request the widget's: its value is the partner's id. With it, only the
/// widget's session cookie counts, and only on the routes the widget uses.
pub const WIDGET_HEADER: &str = "x-vinano-widget";

/// Starts a widget session (`POST /widget/session`): as a guest, or as the partner's user with the token
/// the partner's server made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetSignIn {
    /// The partner's public id (`pt_…`).
    pub partner: String,
    /// The partner's signed token for its user (HS256 JWT); none for a guest.
    #[serde(default)]
    pub token: Option<String>,
}

/// The widget's session as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetSession {
    /// The partner's public id.
    pub partner: String,
    /// The partner's name ("ViNano on …").
    pub partner_name: String,
    /// `guest` or `member` (signed in by the partner).
    pub visitor: String,
    /// Credits this visitor has left this month.
    pub credits: i64,
}

/// A partner as its widget needs to know it (`GET /widget/partners/{id}`, public: the embed page checks the
/// page it is in before anything else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetPartner {
    /// The partner's public id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The origins its widget may be shown on (and the only ones it talks to).
    pub origins: Vec<String>,
    /// Whether visitors without the partner's token may use it.
    pub guests: bool,
}

/// A short-lived address of one of the visitor's images (`POST /widget/images/{id}/link`): the widget shows
/// it, and hands it to the partner's page, which may download it until `expires_at` without any cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetImageLink {
    /// The image's id.
    pub id: String,
    /// The address (absolute), good until `expires_at`.
    pub url: String,
    /// When the address stops working.
    pub expires_at: crate::Timestamp,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its media type (`image/png`, …).
    pub content_type: String,
}

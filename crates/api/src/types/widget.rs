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

/// A partner as an administrator sees it (`GET /admin/partners`; never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPartner {
    /// The public id (`pt_…`), written into the partner's page.
    pub id: String,
    /// Its name, shown in the widget.
    pub name: String,
    /// The origins allowed to show the widget (`https://shop.example`).
    pub origins: Vec<String>,
    /// Credits all its visitors together may spend in a calendar month (UTC).
    pub monthly_credits: u64,
    /// Credits each visitor gets a month.
    pub visitor_allowance: u64,
    /// Whether visitors without the partner's token may use the widget as guests.
    pub guests: bool,
    /// Credits its visitors have spent this month.
    pub spent_this_month: u64,
    /// Its visitors' accounts (guests and members) that are open.
    pub visitors: u64,
    /// Until when the secret before the last rotation is still accepted, if one is.
    pub previous_secret_until: Option<crate::Timestamp>,
    /// When it was registered.
    pub created_at: crate::Timestamp,
}

/// Registers a partner (`POST /admin/partners`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartner {
    /// Its name (1–80 characters).
    pub name: String,
    /// 1 to 5 origins: `https://host[:port]`, or `http://localhost:port` while developing.
    pub origins: Vec<String>,
    /// Credits all its visitors together may spend in a month.
    pub monthly_credits: u64,
    /// Credits each visitor gets a month.
    pub visitor_allowance: u64,
    /// Whether visitors without the partner's token may use the widget.
    pub guests: bool,
}

/// Changes a partner (`PATCH /admin/partners/{id}`): what is absent stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerChange {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New origins (1 to 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// A new monthly budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_credits: Option<u64>,
    /// A new allowance per visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_allowance: Option<u64>,
    /// Guests allowed or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guests: Option<bool>,
}

/// A partner's new signing secret, shown this once (`POST /admin/partners`, and
/// `POST /admin/partners/{id}/secret`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSecret {
    /// The partner as it is now.
    pub partner: AdminPartner,
    /// The secret (`vns_…`): the partner's server signs its users' tokens with it; it is never shown again.
    pub secret: String,
    /// What the partner pastes into its pages.
    pub snippet: String,
}

/// Makes a partner a new secret (`POST /admin/partners/{id}/secret`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerRotation {
    /// How long the previous secret is still accepted, in hours (0 to 720; 24 when absent).
    #[serde(default)]
    pub overlap_hours: Option<u32>,
}

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

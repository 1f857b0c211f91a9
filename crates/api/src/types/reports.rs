//! What the app reports: usage events (while analytics is on) and errors.

use serde::{Deserialize, Serialize};

/// Usage events the app may count (anything else is refused).
pub const USAGE_EVENTS: [&str; 8] = [
    "session",
    "editor_open",
    "photo_attached",
    "edit_sent",
    "edit_done",
    "download",
    "clip_made",
    "poster_made",
];

/// `POST /api/v1/analytics`: a batch of usage events (at most 50), sent only while analytics is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageBatch {
    /// The events.
    pub events: Vec<UsageEvent>,
}

/// One usage event: which, and how long it took when that matters (a session, an edit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageEvent {
    /// One of [`USAGE_EVENTS`].
    pub name: String,
    /// Duration in milliseconds, at most a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 86_400_000_u64))]
    pub ms: Option<u64>,
}

/// `POST /api/v1/errors`: something went wrong in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorReport {
    /// `panic` (the app crashed) or `request` (a request failed).
    pub kind: String,
    /// What went wrong (at most 2000 characters).
    pub message: String,
    /// The page, without its query (at most 300 characters).
    pub path: String,
    /// The person's own words about what they were doing (optional, at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

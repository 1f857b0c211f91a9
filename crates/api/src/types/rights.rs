//! Data rights: deleting the account or images, the request tracker, and exports.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/me/deletion`: delete the account (after a 30-day grace period); the password again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccount {
    /// The current password.
    pub password: String,
}

/// `POST /api/v1/me/images/delete-range`: every image made between two dates (inclusive, UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateRange {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
}

/// What a deletion of images did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedImages {
    /// Versions deleted.
    pub deleted: u64,
    /// Versions kept for legal reasons (evidence hold).
    pub retained: u64,
    /// What to tell the person when something was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A data-rights request as the tracker lists it, `GET /api/v1/me/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataRequest {
    /// Request id.
    pub id: String,
    /// `export`, `deletion` or `correction`.
    pub kind: String,
    /// `received`, `in_progress`, `completed` or `cancelled`.
    pub status: String,
    /// What it is about, in words.
    pub detail: String,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// When it is due: one month after receipt (RFC 3339).
    pub due_at: String,
    /// When it was completed or cancelled (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

/// A data export, `GET /api/v1/me/exports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportInfo {
    /// Export id.
    pub id: String,
    /// `pending`, `building`, `ready`, `failed` or `expired`.
    pub status: String,
    /// When it was asked for (RFC 3339).
    pub requested_at: String,
    /// When it was ready (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<String>,
    /// Until when it can be downloaded (RFC 3339): 24 hours after it was ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Size of the ZIP file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Files in the ZIP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_count: Option<u64>,
    /// What went wrong, for a failed export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where to download it (while it is ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// The person's exports, newest first, and whether this session may download now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportList {
    /// Exports of the last weeks, newest first.
    pub exports: Vec<ExportInfo>,
    /// Until when this session may download without entering its password again (RFC 3339), if it may now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reauth_until: Option<String>,
}

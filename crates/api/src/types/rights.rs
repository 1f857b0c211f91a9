//! Data rights: deleting the account or images, the request tracker, and exports.

use crate::Timestamp;
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
    /// The same as a message key with its values (`message` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_said: Option<crate::Said>,
    /// With `?undo=true`: how to bring the deleted versions back, while that is still possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<Undo>,
}

/// Deleted versions that can still be brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Undo {
    /// What `POST /api/v1/me/images/restore` takes.
    pub token: String,
    /// Until when.
    pub until: Timestamp,
}

/// `POST /api/v1/me/images/restore`: bring back versions deleted a moment ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restore {
    /// The token of the deletion ([`Undo::token`]).
    pub token: String,
}

/// The versions brought back, with their ids as before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restored {
    /// Their ids.
    pub images: Vec<String>,
}

/// Declares a status enum stored and sent as its snake_case name.
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stored (and sent) form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The value for its stored form.
            pub fn from_stored(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

stored_enum! {
    /// What a data-rights request asks for.
    RequestKind {
        /// A copy of everything.
        Export = "export",
        /// Deleting the account, or images.
        Deletion = "deletion",
        /// Correcting the profile.
        Correction = "correction",
    }
}

stored_enum! {
    /// Where a data-rights request is.
    RequestStatus {
        /// Received, not started.
        Received = "received",
        /// Being worked on.
        InProgress = "in_progress",
        /// Done.
        Completed = "completed",
        /// Withdrawn.
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// Where a data export is.
    ExportStatus {
        /// Waiting for the worker.
        Pending = "pending",
        /// Being built.
        Building = "building",
        /// Ready to download.
        Ready = "ready",
        /// It could not be built.
        Failed = "failed",
        /// Past its download window.
        Expired = "expired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_sent_as_they_are_stored() {
        for status in ExportStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(ExportStatus::from_stored(status.as_str()), Some(*status));
        }
        assert_eq!(serde_json::to_string(&RequestStatus::InProgress).unwrap(), "\"in_progress\"");
        assert_eq!(RequestKind::from_stored("correction"), Some(RequestKind::Correction));
        assert_eq!(RequestKind::from_stored("nonsense"), None);
    }
}

/// A data-rights request as the tracker lists it, `GET /api/v1/me/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataRequest {
    /// Request id.
    pub id: String,
    /// What was asked for.
    pub kind: RequestKind,
    /// Where it is.
    pub status: RequestStatus,
    /// What it is about, in words.
    pub detail: String,
    /// The same as a message key with its values (`detail` is its English; absent for requests recorded
    /// before the key was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_said: Option<crate::Said>,
    /// When it was received (RFC 3339).
    pub received_at: Timestamp,
    /// When it is due: one month after receipt (RFC 3339).
    pub due_at: Timestamp,
    /// When it was completed or cancelled (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
}

/// A data export, `GET /api/v1/me/exports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportInfo {
    /// Export id.
    pub id: String,
    /// Where it is.
    pub status: ExportStatus,
    /// When it was asked for (RFC 3339).
    pub requested_at: Timestamp,
    /// When it was ready (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<Timestamp>,
    /// Until when it can be downloaded (RFC 3339): 24 hours after it was ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Size of the ZIP file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Files in the ZIP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_count: Option<u64>,
    /// What went wrong, for a failed export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The same as a message key with its values (`error` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_said: Option<crate::Said>,
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
    pub reauth_until: Option<Timestamp>,
}

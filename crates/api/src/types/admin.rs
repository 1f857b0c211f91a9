//! The operator's controls (`/api/v1/admin/*`, administrators only; anyone else gets 404): people, their
//! credits and whether they may sign in, invitations, usage and revenue by day, moderation decisions and
//! evidence holds, and the audit log of every administrator's act.

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// One account as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPerson {
    /// Account id.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// The plan's name.
    pub plan: String,
    /// `active` or `past_due`.
    pub status: String,
    /// Credits left.
    pub balance: i64,
    /// Administers this ViNano.
    pub is_admin: bool,
    /// May not sign in (an administrator disabled the account).
    pub disabled: bool,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// A page of people (`GET /api/v1/admin/people?q=…&offset=…`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPeople {
    /// This page.
    pub people: Vec<AdminPerson>,
    /// How many match the search in all.
    pub total: u64,
}

/// Credits given (positive) or taken back (negative), with the reason the ledger keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditAdjustment {
    /// Credits, not zero; at most a million either way.
    pub amount: i64,
    /// Why (3 to 200 characters).
    pub reason: String,
}

/// Whether an account may sign in (`POST /api/v1/admin/people/{id}/disabled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountDisabled {
    /// True: signed out everywhere and refused at sign-in; false: allowed again.
    pub disabled: bool,
}

/// A new invitation: its link is shown once (only the code's hash is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteCreated {
    /// The sign-up link with the code.
    pub link: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// An invitation as listed (no code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteInfo {
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops (or stopped) working.
    pub expires_at: Timestamp,
    /// The username of the account it made, once used.
    pub used_by: Option<String>,
}

/// One day's use (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Accounts made.
    pub signups: u64,
    /// Edits sent.
    pub jobs: u64,
    /// Credits reserved for edits, less those refunded.
    pub credits: u64,
    /// Paid invoices, in the currency's smallest unit.
    pub revenue_cents: u64,
}

/// Use and revenue by day, newest first (`GET /api/v1/admin/usage?days=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    /// ISO 4217, lower case.
    pub currency: String,
    /// Every day of the window, empty ones included.
    pub days: Vec<UsageDay>,
}

/// A moderation decision as its log keeps it: a hash of the words, never the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationEntry {
    /// Its place in the hash chain.
    pub seq: i64,
    /// When.
    pub at: Timestamp,
    /// Whose request.
    pub user_id: String,
    /// SHA-256 of the instruction.
    pub prompt_sha256: String,
    /// The category that decided it.
    pub category: String,
    /// `refused` or `flagged`.
    pub decision: String,
}

/// An image kept for legal reasons: deletion and retention skip it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldImage {
    /// The image's id.
    pub id: String,
    /// Whose.
    pub user_id: String,
    /// When it was made.
    pub created_at: Timestamp,
}

/// The moderation log's latest decisions and the evidence holds (`GET /api/v1/admin/moderation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderation {
    /// Newest first (the latest 100).
    pub decisions: Vec<ModerationEntry>,
    /// Images on hold, newest first.
    pub holds: Vec<HeldImage>,
    /// The hash chain checks out from the first row to the last.
    pub chain_intact: bool,
}

/// One administrator's act (`GET /api/v1/admin/audit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who: an administrator's username, `cli` or `system`.
    pub actor: String,
    /// What: `grant-admin`, `invite`, `credits`, `disable`, `enable`.
    pub action: String,
    /// To whom (a username), when it was done to someone.
    pub target: Option<String>,
    /// In words.
    pub detail: String,
}

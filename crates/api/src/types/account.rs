//! Accounts: sign-up, log-in, who am I, the profile, passwords, sessions and emailed links.

use crate::Date;
use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/auth/signup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    /// Display name.
    pub name: String,
    /// Email address, used to log in.
    pub email: String,
    /// Unique handle, also usable to log in.
    pub username: String,
    /// Plain-text password (sent over TLS, hashed with argon2id on arrival).
    pub password: String,
    /// Date of birth as `YYYY-MM-DD`; people under 13 are refused.
    pub date_of_birth: String,
    /// Accepts the terms of service ([`crate::policy::TERMS_VERSION`]).
    #[serde(default)]
    pub accept_terms: bool,
    /// Accepts the privacy policy ([`crate::policy::PRIVACY_VERSION`]).
    #[serde(default)]
    pub accept_privacy: bool,
    /// Accepts responsibility for what they upload and ask for ([`crate::policy::RESPONSIBILITY_VERSION`]).
    #[serde(default)]
    pub accept_responsibility: bool,
    /// The language the app was showing (`en`, `zh-Hant` or `zh-Hans`): the account's language, for the
    /// app and for emails (English when left out).
    #[serde(default)]
    pub language: Option<String>,
    /// The browser's IANA time zone (`Asia/Taipei`): the account's, for the times it shows (`UTC` when left
    /// out).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The code of an invitation's link, where sign-ups are by invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<String>,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Email address or username.
    pub login: String,
    /// Password.
    pub password: String,
}

/// Who this browser is signed in as, `GET /api/v1/session`: an account, or nobody. Unlike `GET /me` it
/// answers a visitor with 200, so a signed-out page load makes no failed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionState {
    /// The signed-in person; `null` without a valid session.
    pub me: Option<Me>,
}

/// Who may make an account here (`GET /api/v1/auth/signups`), so the sign-up page says so before the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupPolicy {
    /// `open` (anyone), `invite` (with an invitation's link) or `closed` (nobody).
    pub signups: String,
}

/// The signed-in person, `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Account id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Username.
    pub username: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// When the account was created (RFC 3339).
    pub created_at: Timestamp,
    /// The email address has been confirmed from its inbox.
    #[serde(default)]
    pub email_verified: bool,
    /// A new address waiting to be confirmed (the old one stays in use until then).
    #[serde(default)]
    pub pending_email: Option<String>,
    /// Interface language: `en`, `zh-Hant` or `zh-Hans`.
    #[serde(default = "default_language")]
    pub language: String,
    /// IANA time zone, such as `Europe/Paris`.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The profile picture (an image of theirs), if any.
    #[serde(default)]
    pub avatar_image_id: Option<String>,
    /// Set while the account is scheduled for deletion (RFC 3339): it can still be cancelled until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_due_at: Option<Timestamp>,
    /// The current privacy-policy version, when the person hasn't accepted it yet (a banner asks them to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_update: Option<String>,
    /// Until when a finished data export waits to be downloaded (RFC 3339), while it hasn't been yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_ready_until: Option<Timestamp>,
    /// A data export is being prepared (the app watches for it to be ready).
    #[serde(default)]
    pub export_pending: bool,
    /// Administers this ViNano (Me → Admin).
    #[serde(default)]
    pub is_admin: bool,
}

/// `POST /api/v1/me/reauth`: the password again, before a sensitive action such as downloading an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reauth {
    /// The current password.
    pub password: String,
}

/// Answer to a successful [`Reauth`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reauthenticated {
    /// Until when sensitive actions need no password (RFC 3339).
    pub reauth_until: Timestamp,
}

fn default_language() -> String {
    "en".into()
}

fn default_time_zone() -> String {
    "UTC".into()
}

/// `POST /api/v1/auth/verify-email`: the token from the emailed link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmail {
    /// The link's token.
    pub token: String,
}

/// `POST /api/v1/auth/forgot-password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForgotPassword {
    /// The account's email address.
    pub email: String,
}

/// `POST /api/v1/auth/reset-password`: the emailed token and the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPassword {
    /// The link's token.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// `POST /api/v1/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    /// The password in use now.
    pub current_password: String,
    /// The new one.
    pub new_password: String,
    /// Also end every other session.
    #[serde(default)]
    pub sign_out_others: bool,
}

/// The answer to a password change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChanged {
    /// How many other sessions were ended.
    pub signed_out: u64,
}

/// `PATCH /api/v1/me/profile`: only the fields present change. A new email is used once confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Email address (confirmed by a link sent to it before it is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Interface language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// IANA time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// A corrected date of birth, `YYYY-MM-DD` (an account found to be under 13 is deleted at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// An image of theirs as the profile picture; `""` removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_image_id: Option<String>,
    /// The current password: required when `email` changes (403 without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

/// One of the signed-in person's sessions, `GET /api/v1/me/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// Public id, for ending it (`DELETE /api/v1/me/sessions/{id}`); never the token.
    pub id: String,
    /// The browser and system it was started from, such as "Firefox on Windows".
    pub device: String,
    /// The address it was started from.
    pub ip: String,
    /// When it started (RFC 3339).
    pub created_at: Timestamp,
    /// When it was last used (RFC 3339, to the minute).
    pub last_seen_at: Timestamp,
    /// True for the session making this request.
    pub current: bool,
}

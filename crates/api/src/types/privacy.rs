//! Privacy: the policy in force, the person's settings and the consent ledger.

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/policy`: the privacy policy in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyInfo {
    /// Its version, such as `2025-01`.
    pub version: String,
    /// When this server started using it (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<Timestamp>,
}

/// Me → Privacy: the person's choices, `GET`/`PATCH /api/v1/me/privacy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacySettings {
    /// Their images may be used (anonymised) to train AI models; commercial images never without separate
    /// consent. On by default, as the privacy policy says ("opt-out available").
    pub ai_training: bool,
    /// Usage analytics are collected (off while the browser sends Global Privacy Control).
    pub analytics: bool,
    /// Product news by email (off by default).
    pub email_news: bool,
    /// Tips by email (off by default).
    pub email_tips: bool,
    /// Policy changes are always emailed; this is always `true`.
    pub email_policy: bool,
    /// The browser sends `Sec-GPC: 1`: sharing and analytics stay off without asking.
    pub gpc: bool,
}

/// `PATCH /api/v1/me/privacy`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyUpdate {
    /// See [`PrivacySettings::ai_training`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_training: Option<bool>,
    /// See [`PrivacySettings::analytics`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<bool>,
    /// See [`PrivacySettings::email_news`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_news: Option<bool>,
    /// See [`PrivacySettings::email_tips`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_tips: Option<bool>,
}

/// One entry of the consent ledger, `GET /api/v1/me/consents` (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentEntry {
    /// What the consent is about, such as `ai_training` or `privacy_policy`.
    pub what: String,
    /// The value before (absent for a first choice).
    pub old_value: Option<String>,
    /// The value after.
    pub new_value: String,
    /// The privacy-policy version in force.
    pub policy_version: String,
    /// Where the change came from: `signup`, `settings`, `gpc`, `image`.
    pub source: String,
    /// When (RFC 3339).
    pub at: Timestamp,
}

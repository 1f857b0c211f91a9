//! Request and response bodies of `/api/v1`.

use crate::Date;
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
    pub created_at: String,
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
    pub deletion_due_at: Option<String>,
    /// The current privacy-policy version, when the person hasn't accepted it yet (a banner asks them to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_update: Option<String>,
    /// Until when a finished data export waits to be downloaded (RFC 3339), while it hasn't been yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_ready_until: Option<String>,
    /// A data export is being prepared (the app watches for it to be ready).
    #[serde(default)]
    pub export_pending: bool,
}

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

/// `GET /api/v1/policy`: the privacy policy in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyInfo {
    /// Its version, such as `2025-01`.
    pub version: String,
    /// When this server started using it (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
}

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
    pub reauth_until: String,
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
    pub created_at: String,
    /// When it was last used (RFC 3339, to the minute).
    pub last_seen_at: String,
    /// True for the session making this request.
    pub current: bool,
}

/// `POST /api/v1/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConversation {
    /// Optional title; defaults to "New conversation" and is replaced by the first prompt.
    #[serde(default)]
    pub title: Option<String>,
}

/// `PATCH /api/v1/conversations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameConversation {
    /// The new title (1-200 characters), if it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Mark or unmark the conversation for commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial: Option<bool>,
}

/// Query of `GET /api/v1/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ConversationQuery {
    /// Only conversations whose title or prompts contain this text (case-insensitive).
    #[serde(default)]
    pub q: Option<String>,
    /// Page size, 1-100 (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub limit: Option<u32>,
    /// Conversations to skip (for the next page).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub offset: Option<u32>,
}

/// One conversation in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// Conversation id.
    pub id: String,
    /// Title shown in lists.
    pub title: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last activity (RFC 3339).
    pub updated_at: String,
    /// Marked for commercial use: its images are never used for AI training without separate consent.
    #[serde(default)]
    pub commercial: bool,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person.
    User,
    /// ViNano.
    Assistant,
}

/// One message in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// Message id.
    pub id: String,
    /// Author.
    pub role: Role,
    /// Text (prompt, or the assistant's description of what it did).
    pub text: String,
    /// Image attached to the message: the target for a user message, the result for an assistant one.
    pub image: Option<ImageInfo>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// For a reply: the id of the prompt it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// For a prompt that started an edit: the edit job and where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<JobInfo>,
}

/// Where an edit job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Being worked on.
    Running,
    /// Done; the result is the prompt's reply.
    Succeeded,
    /// Gave up; `error` says why. Can be retried.
    Failed,
    /// Stopped at the person's request. Can be retried.
    Cancelled,
}

impl JobState {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Parses the stored form (unknown values read as failed).
    pub fn parse(s: &str) -> Self {
        match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "cancelled" => JobState::Cancelled,
            _ => JobState::Failed,
        }
    }

    /// True once the job will not change again by itself.
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed | JobState::Cancelled)
    }
}

/// An edit job, `GET /api/v1/jobs/{id}` and each event of `GET /api/v1/jobs/{id}/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobInfo {
    /// Job id.
    pub id: String,
    /// Where it is.
    pub state: JobState,
    /// Percent done, 0–100.
    pub progress: u8,
    /// Why it failed, written for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationDetail {
    /// The conversation.
    pub conversation: Conversation,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// A stored image version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageInfo {
    /// Image id; its bytes are at `/api/v1/images/{id}`.
    pub id: String,
    /// The version this one was made from, if it is an edit.
    pub parent_id: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type of the stored bytes.
    pub content_type: String,
    /// How this version was made, when it is an edit (absent for uploads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<Generation>,
    /// The owner's rating of this result, if they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// Marked for commercial use: never used for AI training without the separate consent below.
    #[serde(default)]
    pub commercial: bool,
    /// Explicit consent to AI training for this commercial image.
    #[serde(default)]
    pub training_consent: bool,
    /// When the retention policy deletes it (RFC 3339): 90 days after it was made. Absent while it is kept
    /// for legal reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// `PATCH /api/v1/images/{id}`: the image's privacy flags (only the fields present change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageFlags {
    /// Marked for commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial: Option<bool>,
    /// Explicit consent to AI training for this (commercial) image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_consent: Option<bool>,
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
    pub at: String,
}

/// Thumbs up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// A good result.
    Up,
    /// A bad result.
    Down,
}

impl Rating {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Up => "up",
            Rating::Down => "down",
        }
    }
}

/// `PUT /api/v1/images/{id}/feedback`, and the stored rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    /// Thumbs up or down.
    pub rating: Rating,
    /// Optional words about the result (at most 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// How an edited version was produced: shown under the result so nothing about it is hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Generation {
    /// The operations applied, in order, in words ("black and white", "rotate 90° clockwise").
    pub steps: Vec<String>,
    /// Which executor ran them ("local" for the built-in engine).
    pub provider: String,
    /// Time spent producing the image, in milliseconds.
    pub duration_ms: u64,
}

impl ImageInfo {
    /// URL of the image bytes.
    pub fn url(&self) -> String {
        image_url(&self.id)
    }

    /// URL that downloads the version as a file in `format` ("png", "jpeg" or "webp").
    pub fn download_url(&self, format: &str) -> String {
        format!("{}?format={format}&download=1", image_url(&self.id))
    }
}

/// URL of an image version's bytes.
pub fn image_url(id: &str) -> String {
    format!("{}/images/{id}", crate::API_PREFIX)
}

/// `POST /api/v1/conversations/{id}/messages`: an instruction applied to a target image, or (empty text
/// with an `image_id`) a photo added to the thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostMessage {
    /// The instruction, in plain language.
    pub text: String,
    /// The image to edit; when absent, the latest image of the conversation.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Aspect ratio, style and format of the result; remembered as the person's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::EditParams>,
}

/// The reply to [`PostMessage`]: the stored prompt and either the assistant's answer (an instruction it
/// could not follow) or the queued edit job (whose result becomes the answer); neither when a photo was
/// added without an instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exchange {
    /// The user's message as stored.
    pub prompt: Message,
    /// The assistant's message, with the result image, when it is already there.
    pub reply: Option<Message>,
    /// The edit job started by the prompt, whose result will be the reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<JobInfo>,
}

/// One image in the "All my images" library, `GET /api/v1/images`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryItem {
    /// The image version.
    pub image: ImageInfo,
    /// The conversation it appears in, if any.
    pub conversation_id: Option<String>,
    /// When it was stored (RFC 3339).
    pub created_at: String,
}

/// Paging for lists: `limit` (1-100) and `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Page {
    /// Page size, 1-100 (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub limit: Option<u32>,
    /// Items to skip.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub offset: Option<u32>,
}

//! The error body every API endpoint returns: `{ "code": "...", "message": "..." }`.

use crate::problem::Args;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Machine-readable error codes. The SPA may branch on these; people read the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed or a field failed validation.
    InvalidInput,
    /// Signing up is refused because the person is younger than the minimum age.
    UnderAge,
    /// No valid session, or the session expired.
    Unauthenticated,
    /// Email/username and password did not match an account.
    InvalidCredentials,
    /// The object does not exist or belongs to someone else.
    NotFound,
    /// A unique value (email, username) is already taken.
    Conflict,
    /// The upload is larger than the configured limit.
    PayloadTooLarge,
    /// The upload is not an image format we accept.
    UnsupportedMediaType,
    /// The image could not be decoded, or its dimensions are too large.
    InvalidImage,
    /// The moderation gate refused the request; the message names the category.
    ContentRefused,
    /// The request was refused: it came from another site, or the session may not do this.
    Forbidden,
    /// Too many attempts; the `Retry-After` header says when to try again.
    RateLimited,
    /// This needs the password entered again (`POST /api/v1/me/reauth`) first.
    ReauthRequired,
    /// It existed but is no longer available (an expired export).
    Gone,
    /// An edit would make an image larger than the pixel budget (`args`: `width`, `height`, `limit_mp`).
    TooManyPixels,
    /// A per-person limit is used up (`quota` says which; `args`: `limit`, and `retry_after` in seconds
    /// when waiting helps).
    QuotaExceeded,
    /// The person's credits don't cover this job (402; `args`: `cost`, `balance`, `plan`): nothing was
    /// queued. Me → Subscription shows the plans.
    PaymentRequired,
    /// The request body arrived too slowly and was stopped (408).
    RequestTimeout,
    /// The server's disk is full: reading works, saving doesn't until an operator makes room (507).
    InsufficientStorage,
    /// A service this needs (the payment processor) isn't answering: nothing was changed; try again
    /// later (503).
    ServiceUnavailable,
    /// Something failed on our side.
    Internal,
}

/// The per-person limits a request can run into (`vinano.toml` sets each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Quota {
    /// Photos uploaded per hour.
    UploadsPerHour,
    /// Edits waiting or running at once.
    JobsInFlight,
    /// Bytes of images stored.
    StoredBytes,
    /// Conversations started per hour.
    ConversationsPerHour,
    /// Downloads converted to another format per hour.
    ConversionsPerHour,
    /// Progress streams open at once.
    OpenStreams,
}

/// JSON body of every failed API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people, in English (written from the English locale file).
    pub message: String,
    /// The message's key in the locale files (`crates/api/locales/`): the app says it in the person's
    /// language with `args`, and shows `message` for a key it doesn't know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The request field the message is about, when it is about one (shown next to that field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Which per-person limit was reached, for `quota_exceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Quota>,
    /// The values in the message (numbers, or words such as a category), so that the app can say it in the
    /// person's language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: Args,
}

//! The HTTP error type: every failure becomes `{code, message}` JSON with a fitting status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;
use vinano_api::{ErrorBody, ErrorCode, Quota};

/// Errors a handler may return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid session.
    #[error("Please log in to continue.")]
    Unauthenticated,
    /// Wrong login or password.
    #[error("That email/username and password don't match an account.")]
    InvalidCredentials,
    /// Missing, or someone else's.
    #[error("We couldn't find that.")]
    NotFound,
    /// A field failed validation.
    #[error("{0}")]
    InvalidInput(String),
    /// This request field is wrong (the SPA shows the message next to it).
    #[error("{1}")]
    Field(&'static str, String),
    /// The age gate.
    #[error("{0}")]
    UnderAge(String),
    /// Unique value already taken.
    #[error("{0}")]
    Conflict(String),
    /// This field's value is already taken (409, shown next to the field).
    #[error("{1}")]
    Taken(&'static str, String),
    /// Upload over the configured limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Not an accepted image format.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Damaged or oversized image.
    #[error("{0}")]
    InvalidImage(String),
    /// The moderation gate refused the prompt; the message names the category.
    #[error("{0}")]
    Refused(String),
    /// Refused: a cross-site request, or an action this session may not take.
    #[error("{0}")]
    Forbidden(String),
    /// The session must prove its password again first (403 `reauth_required`).
    #[error("For your security, please enter your password again.")]
    ReauthRequired,
    /// It existed but is gone (410).
    #[error("{0}")]
    Gone(String),
    /// Too many attempts; try again after this many seconds.
    #[error("Too many attempts. Please wait {} and try again.", wait_text(*.0))]
    RateLimited(u64),
    /// An edit would make an image larger than the pixel budget (422).
    #[error("{0}")]
    TooManyPixels(#[from] vinano_engine::TooLarge),
    /// A per-person limit is used up: 429 with `Retry-After` when waiting helps, 413 for storage.
    #[error("{}", quota_text(*quota, *limit, *retry_after))]
    Quota {
        /// Which limit.
        quota: Quota,
        /// Its value (a count, or bytes for storage).
        limit: u64,
        /// Seconds until one more is allowed, when waiting helps.
        retry_after: Option<u64>,
    },
    /// The request body was too slow to arrive (408).
    #[error("The upload was too slow and was stopped. Please try again on a better connection.")]
    RequestTimeout,
    /// The disk (or the database) is full: nothing was saved (507).
    #[error("ViNano can't save anything right now: the server is out of space. Everything you have is safe and can still be viewed and downloaded. Please try again later.")]
    StorageFull,
    /// Database failure (logged, never shown).
    #[error("database error")]
    Sqlx(#[from] sqlx::Error),
    /// Anything else unexpected (logged, never shown).
    #[error("internal error")]
    Anyhow(#[from] anyhow::Error),
}

fn wait_text(secs: u64) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "a minute".into(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

fn quota_text(quota: Quota, limit: u64, retry_after: Option<u64>) -> String {
    let plural =
        |n: u64, one: &str, many: &str| if n == 1 { format!("one {one}") } else { format!("{n} {many}") };
    let wait =
        retry_after.map(|s| format!(" Please wait {} and try again.", wait_text(s))).unwrap_or_default();
    match quota {
        Quota::UploadsPerHour => {
            let photos = plural(limit, "photo", "photos");
            format!("You have uploaded {photos} in the last hour, the most allowed.{wait}")
        }
        Quota::JobsInFlight => {
            format!("You already have {limit} edits waiting or running. Please wait for one to finish.")
        }
        Quota::StoredBytes => format!(
            "Your images use all of your {} MB of storage. Delete some older versions to make room.",
            limit / 1_000_000
        ),
        Quota::ConversationsPerHour => {
            let conversations = plural(limit, "conversation", "conversations");
            format!("You have started {conversations} in the last hour, the most allowed.{wait}")
        }
        Quota::ConversionsPerHour => {
            format!("You have converted {limit} downloads in the last hour, the most allowed.{wait}")
        }
        Quota::OpenStreams => {
            format!("You are following {limit} edits at once already. Close another tab and try again.")
        }
    }
}

/// Result alias for handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status for this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Error::Unauthenticated | Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::InvalidInput(_)
            | Error::Field(..)
            | Error::UnderAge(_)
            | Error::InvalidImage(_)
            | Error::Refused(_)
            | Error::TooManyPixels(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Quota { quota: Quota::StoredBytes, .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Quota { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Conflict(_) | Error::Taken(..) => StatusCode::CONFLICT,
            Error::Forbidden(_) | Error::ReauthRequired => StatusCode::FORBIDDEN,
            Error::Gone(_) => StatusCode::GONE,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Error::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Sqlx(_) | Error::Anyhow(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            Error::Unauthenticated => ErrorCode::Unauthenticated,
            Error::InvalidCredentials => ErrorCode::InvalidCredentials,
            Error::NotFound => ErrorCode::NotFound,
            Error::InvalidInput(_) | Error::Field(..) => ErrorCode::InvalidInput,
            Error::UnderAge(_) => ErrorCode::UnderAge,
            Error::Conflict(_) | Error::Taken(..) => ErrorCode::Conflict,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::ReauthRequired => ErrorCode::ReauthRequired,
            Error::Gone(_) => ErrorCode::Gone,
            Error::RateLimited(_) => ErrorCode::RateLimited,
            Error::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Error::RequestTimeout => ErrorCode::RequestTimeout,
            Error::StorageFull => ErrorCode::InsufficientStorage,
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::InvalidImage(_) => ErrorCode::InvalidImage,
            Error::Refused(_) => ErrorCode::ContentRefused,
            Error::TooManyPixels(_) => ErrorCode::TooManyPixels,
            Error::Quota { .. } => ErrorCode::QuotaExceeded,
            Error::Sqlx(_) | Error::Anyhow(_) => ErrorCode::Internal,
        }
    }

    /// The quota, the `Retry-After` seconds and the numbers of the message, for the body and headers.
    fn details(&self) -> (Option<Quota>, Option<u64>, BTreeMap<String, u64>) {
        let args = |pairs: &[(&str, u64)]| pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        match self {
            Error::RateLimited(secs) => (None, Some(*secs), args(&[("retry_after", (*secs).max(1))])),
            Error::TooManyPixels(t) => (
                None,
                None,
                args(&[
                    ("width", t.width),
                    ("height", t.height),
                    ("limit_mp", vinano_engine::megapixels(t.max_pixels)),
                ]),
            ),
            Error::Quota { quota, limit, retry_after } => {
                let mut a: BTreeMap<String, u64> = args(&[("limit", *limit)]);
                if let Some(secs) = retry_after {
                    a.insert("retry_after".into(), (*secs).max(1));
                }
                (Some(*quota), *retry_after, a)
            }
            _ => (None, None, BTreeMap::new()),
        }
    }

    /// Maps a unique-constraint violation to 409 with `message`, passing other errors through.
    pub fn on_unique(e: sqlx::Error, message: impl FnOnce(&str) -> String) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(message(db.message())),
            _ => Error::Sqlx(e),
        }
    }
}

impl From<crate::quota::Exceeded> for Error {
    fn from(e: crate::quota::Exceeded) -> Self {
        Error::Quota { quota: e.quota, limit: e.limit, retry_after: e.retry_after }
    }
}

impl From<crate::quota::Refused> for Error {
    fn from(e: crate::quota::Refused) -> Self {
        match e {
            crate::quota::Refused::Exceeded(e) => e.into(),
            crate::quota::Refused::Db(e) => Error::Sqlx(e),
        }
    }
}

impl From<vinano_api::validate::FieldError> for Error {
    fn from(e: vinano_api::validate::FieldError) -> Self {
        if e.under_age {
            Error::UnderAge(e.message)
        } else {
            Error::Field(e.field, e.message)
        }
    }
}

impl From<vinano_imaging::ImagingError> for Error {
    fn from(e: vinano_imaging::ImagingError) -> Self {
        use vinano_imaging::ImagingError as E;
        match e {
            E::UnsupportedFormat | E::Heic => Error::UnsupportedMediaType(e.to_string()),
            E::TooLarge { .. } | E::Corrupt => Error::InvalidImage(e.to_string()),
            E::Encode => Error::Anyhow(anyhow::anyhow!(e)),
        }
    }
}

/// Whether an I/O error is the disk being full.
fn io_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
}

impl Error {
    /// An unexpected failure recognised as one with a meaning for the person: the disk is full (507), or
    /// the account was closed while the request ran (401, like any other request of a closed account).
    fn classified(self) -> Self {
        use crate::storage::db::{is_account_closed, is_storage_full};
        let found = match &self {
            Error::Sqlx(e) => Some((is_storage_full(e), is_account_closed(e))),
            Error::Anyhow(e) => Some(e.chain().fold((false, false), |(full, closed), cause| {
                let sql = cause.downcast_ref::<sqlx::Error>();
                (
                    full || sql.is_some_and(is_storage_full)
                        || cause.downcast_ref::<std::io::Error>().is_some_and(io_full),
                    closed || sql.is_some_and(is_account_closed),
                )
            })),
            _ => None,
        };
        match found {
            Some((_, true)) => Error::Unauthenticated,
            Some((true, _)) => {
                tracing::error!(error = ?self, "out of space: a write was refused");
                Error::StorageFull
            }
            _ => self,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let this = self.classified();
        let message = match &this {
            Error::Sqlx(e) => {
                tracing::error!(error = ?e, "database error");
                "Something went wrong on our side. Please try again.".to_string()
            }
            Error::Anyhow(e) => {
                tracing::error!(error = ?e, "internal error");
                "Something went wrong on our side. Please try again.".to_string()
            }
            other => other.to_string(),
        };
        let field = match &this {
            Error::Field(field, _) | Error::Taken(field, _) => Some(field.to_string()),
            _ => None,
        };
        let (quota, retry_after, args) = this.details();
        let body = ErrorBody { code: this.code(), message, field, quota, args };
        let mut response = (this.status_code(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        response
    }
}

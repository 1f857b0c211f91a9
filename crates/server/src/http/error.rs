//! The HTTP error type: every failure becomes `{code, message}` JSON with a fitting status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use vinano_api::{ErrorBody, ErrorCode};

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
            | Error::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Conflict(_) | Error::Taken(..) => StatusCode::CONFLICT,
            Error::Forbidden(_) | Error::ReauthRequired => StatusCode::FORBIDDEN,
            Error::Gone(_) => StatusCode::GONE,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
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
            Error::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Error::InvalidImage(_) => ErrorCode::InvalidImage,
            Error::Refused(_) => ErrorCode::ContentRefused,
            Error::Sqlx(_) | Error::Anyhow(_) => ErrorCode::Internal,
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

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let message = match &self {
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
        let field = match &self {
            Error::Field(field, _) | Error::Taken(field, _) => Some(field.to_string()),
            _ => None,
        };
        let mut response =
            (self.status_code(), Json(ErrorBody { code: self.code(), message, field })).into_response();
        if let Error::RateLimited(secs) = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        response
    }
}

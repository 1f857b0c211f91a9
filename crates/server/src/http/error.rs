//! Errors as HTTP answers: every failure becomes `{code, message}` JSON with a fitting status.

use crate::error::Error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use vinano_api::{ErrorBody, ErrorCode, Quota};

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
            Error::PaymentRequired(_) => StatusCode::PAYMENT_REQUIRED,
            Error::BadSignature(_) => StatusCode::UNAUTHORIZED,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
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
            Error::PaymentRequired(_) => ErrorCode::PaymentRequired,
            Error::BadSignature(_) => ErrorCode::Unauthenticated,
            Error::Unavailable(_) => ErrorCode::ServiceUnavailable,
            Error::Sqlx(_) | Error::Anyhow(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let this = self.classified();
        match &this {
            Error::Sqlx(e) => tracing::error!(error = ?e, "database error"),
            Error::Anyhow(e) => tracing::error!(error = ?e, "internal error"),
            _ => {}
        }
        let field = match &this {
            Error::Field(field, _) | Error::Taken(field, _) => Some(field.to_string()),
            _ => None,
        };
        let (quota, retry_after) = match &this {
            Error::Quota { quota, retry_after, .. } => (Some(*quota), *retry_after),
            Error::RateLimited(secs) => (None, Some(*secs)),
            _ => (None, None),
        };
        let problem = this.problem();
        let body = ErrorBody {
            code: this.code(),
            message: crate::i18n::english(&problem),
            key: Some(problem.msg.key().to_string()),
            field,
            quota,
            args: problem.args,
        };
        let mut response = (this.status_code(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.max(1).into());
        }
        response
    }
}

//! Extractors whose rejections use the API's JSON error shape.

use super::Error;
use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;

/// `axum::Json`, but a malformed body is a readable 422 (and one over the size limit a 413) instead of a
/// plain-text rejection.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct Json<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Self {
        if crate::serve::body::timed_out(&r) {
            return Error::RequestTimeout;
        }
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge("This request is too large.".into());
        }
        Error::InvalidInput(format!("We couldn't read that request: {}", r.body_text()))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

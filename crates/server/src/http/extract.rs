//! Extractors whose rejections use the API's JSON error shape.

use super::Error;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderMap};
use serde::de::DeserializeOwned;
use vinano_api::{Msg, Problem};

/// `axum::Json`, but a malformed body is a readable 422 (and one over the size limit a 413) instead of a
/// plain-text rejection, and the body must be a JSON object (every request body of the API is one; serde
/// would otherwise read an array as a struct's fields in order).
#[derive(Debug)]
pub struct Json<T>(pub T);

/// Whether the request says its body is JSON (`application/json` or a `+json` type).
fn says_json(headers: &HeaderMap) -> bool {
    let Some(kind) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = kind.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        if !says_json(request.headers()) {
            return Err(Error::invalid(Msg::JsonContentType));
        }
        let bytes = Bytes::from_request(request, state).await?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Error::InvalidInput(Msg::JsonObject.into()));
        }
        Ok(Json(axum::Json::<T>::from_bytes(&bytes)?.0))
    }
}

impl From<BytesRejection> for Error {
    fn from(r: BytesRejection) -> Self {
        if crate::serve::body::timed_out(&r) {
            return Error::RequestTimeout;
        }
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge(Msg::RequestTooLarge.into());
        }
        Error::invalid(Problem::new(Msg::RequestUnreadable).text("detail", r.body_text()))
    }
}

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Self {
        Error::invalid(Problem::new(Msg::RequestUnreadable).text("detail", r.body_text()))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query`, but a malformed query string is a readable 422 in the API's error shape.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

impl From<QueryRejection> for Error {
    fn from(r: QueryRejection) -> Self {
        Error::invalid(Problem::new(Msg::QueryUnreadable).text("detail", r.body_text()))
    }
}

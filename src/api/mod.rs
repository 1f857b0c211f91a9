//! The only place the SPA talks HTTP: one `async fn` per endpoint, each returning `Result<T, ApiError>`,
//! in one module per resource as the server's `http/` has them.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use vinano_api::{ErrorBody, ErrorCode, API_PREFIX};

mod account;
mod admin;
mod auth;
mod billing;
mod conversations;
mod early;
mod images;
mod jobs;
mod policy;
mod preferences;
mod presets;
mod privacy;
mod rights;
mod scope;
mod shares;
mod widget;

pub use account::*;
pub use admin::*;
pub use auth::*;
pub use billing::*;
pub use conversations::*;
pub use early::forget as forget_early_answers;
pub use images::*;
pub use jobs::*;
pub use policy::*;
pub use preferences::*;
pub use presets::*;
pub use privacy::*;
pub use rights::*;
pub use scope::Scope;
pub use shares::*;
pub use widget::*;

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error body: a message key said in the person's language, or its English
    /// message for a key this app doesn't know.
    #[error("{message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Machine-readable code.
        code: ErrorCode,
        /// The message in English.
        message: String,
        /// The message's key in the shared locale files.
        key: Option<String>,
        /// The request field the message is about, if any.
        field: Option<String>,
        /// Which per-person limit was reached, for `quota_exceeded`.
        quota: Option<vinano_api::Quota>,
        /// The values in the message (sizes, limits, seconds to wait, a category).
        args: vinano_api::Args,
    },
    /// The request never got an answer (offline, server down, connection dropped).
    #[error("Can't reach ViNano. Check your connection and try again.")]
    Network,
    /// The answer could not be read.
    #[error("ViNano sent a response we couldn't read. Please try again.")]
    Decode,
}

impl ApiError {
    /// The app's own i18n key for errors that arise in the browser, and for an expired session (which the
    /// app words as such); other server errors carry their key in the body.
    pub fn i18n_key(&self) -> Option<&'static str> {
        match self {
            ApiError::Server { code: ErrorCode::Unauthenticated, .. } => Some("error-session-expired"),
            ApiError::Server { .. } => None,
            ApiError::Network => Some("error-network"),
            ApiError::Decode => Some("error-decode"),
        }
    }
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

/// A request that ends with the view that made it (see [`Scope`]), and, in the widget, says so.
fn scoped(builder: RequestBuilder) -> RequestBuilder {
    let builder = builder.abort_signal(scope::current_signal().as_ref());
    match widget::partner() {
        Some(partner) => builder.header(vinano_api::WIDGET_HEADER, &partner),
        None => builder,
    }
}

fn get(url: &str) -> RequestBuilder {
    scoped(Request::get(url))
}

fn post(url: &str) -> RequestBuilder {
    scoped(Request::post(url))
}

fn put(url: &str) -> RequestBuilder {
    scoped(Request::put(url))
}

fn patch(url: &str) -> RequestBuilder {
    scoped(Request::patch(url))
}

fn delete(url: &str) -> RequestBuilder {
    scoped(Request::delete(url))
}

async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    // No answer at all means offline, unless the view that asked went away and cancelled it.
    let cancelled = matches!(&response, Err(gloo_net::Error::JsError(e)) if e.name == "AbortError");
    if !cancelled {
        crate::state::connectivity::reached(response.is_ok());
    }
    let response = response.map_err(|_| ApiError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    // Our side failed: tell us (the person sees their own message).
    if status >= 500 {
        crate::state::telemetry::report_error("request", &format!("HTTP {status} on {}", response.url()));
    }
    Err(server_error(status, response.json::<ErrorBody>().await.ok()))
}

/// The error for a non-2xx answer, from our JSON error body when there is one.
fn server_error(status: u16, body: Option<ErrorBody>) -> ApiError {
    match body {
        Some(body) => ApiError::Server {
            status,
            code: body.code,
            message: body.message,
            key: body.key,
            field: body.field,
            quota: body.quota,
            args: body.args,
        },
        // Not our JSON (a proxy's error page, say): still say something useful.
        None => ApiError::Server {
            status,
            code: ErrorCode::Internal,
            message: format!("Something went wrong (HTTP {status}). Please try again."),
            key: None,
            field: None,
            quota: None,
            args: Default::default(),
        },
    }
}

async fn json<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    check(response).await?.json::<T>().await.map_err(|_| ApiError::Decode)
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let request = builder.json(body).map_err(|_| ApiError::Decode)?;
    json(request.send().await).await
}

//! The OpenAPI 3.1 document of `/api/v1`, served at `/api/v1/openapi.json`.
//!
//! Nothing in it is written twice: each handler's `#[utoipa::path]` says its method, path, body and answers,
//! the routers are built from those same annotations (`utoipa_axum::routes!`), and the schemas are the
//! `vinano-api` DTOs the SPA and the server share. What every operation has in common — the error body, the
//! session cookie — is added here once.

use super::{
    account, admin, auth, billing, conversations, health, images, jobs, partners, policy, preferences,
    presets, privacy, reports, rights, shares, suggestions, widget,
};
use crate::AppState;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;
use std::sync::OnceLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, ResponseBuilder};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// The document as served (the same for every app this process builds).
static DOCUMENT: OnceLock<Bytes> = OnceLock::new();

/// The document's fixed part: what the API is, its tags and the shared schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ViNano API",
        description = "Create, edit and enhance images by talking to them; accounts, privacy controls and data \
rights. Every failed request answers with an `ErrorBody` whose `code` is one of `ErrorCode`. State-changing \
requests from a browser must be same-site (`Sec-Fetch-Site` or `Origin`); programs that send neither header are \
accepted. Signing in (`POST /auth/login`) sets the session cookie the other operations need.",
        license(name = "MIT", identifier = "MIT")
    ),
    servers((url = "/api/v1", description = "This server")),
    components(schemas(vinano_api::ErrorBody, vinano_api::ErrorCode, vinano_api::Quota)),
    tags(
        (name = "auth", description = "Signing up, in and out; sessions"),
        (name = "account", description = "Email verification, passwords and the profile"),
        (name = "policy", description = "The privacy policy and its acceptance"),
        (name = "privacy", description = "Privacy settings, the consent ledger, per-image flags"),
        (name = "preferences", description = "The person's default edit settings"),
        (name = "conversations", description = "Chats with the editor: messages, replies, edits"),
        (name = "images", description = "Uploads, the library, downloads, ratings"),
        (name = "jobs", description = "Edits running in the background and their progress"),
        (name = "billing", description = "Plans, credits and what each kind of edit costs"),
        (name = "rights", description = "Deletion, access and export of the person's data"),
        (name = "reports", description = "Usage analytics (with consent) and error reports"),
        (name = "admin", description = "The operator's controls: people, credits, invitations, usage, moderation, audit (administrators only; 404 for anyone else)"),
        (name = "presets", description = "My presets: the steps of a result saved under a name and an icon, run again on other photos"),
        (name = "sharing", description = "Read-only links to a version or a conversation: made, listed and turned off by their owner, opened by anyone who has one"),
        (name = "widget", description = "The editor embedded on partners' sites: a visitor's session (with the `X-Vinano-Widget` header, the widget's cookie opens only the widget's routes)"),
        (name = "meta", description = "This document and the server's version"),
    )
)]
struct Base;

/// Bytes of a file (a photo, a clip, a ZIP) as a request or response body.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

/// Every API route with its document (built from the same annotations, so neither can miss one).
pub fn routes() -> (Router<AppState>, Document) {
    let (router, mut document) = OpenApiRouter::with_openapi(Base::openapi())
        .merge(auth::router())
        .merge(admin::router())
        .merge(partners::router())
        .merge(billing::router())
        .merge(account::router())
        .merge(conversations::router())
        .merge(images::router())
        .merge(jobs::router())
        .merge(preferences::router())
        .merge(privacy::router())
        .merge(policy::router())
        .merge(reports::router())
        .merge(rights::router())
        .merge(shares::router())
        .merge(presets::router())
        .merge(suggestions::router())
        .merge(health::router())
        .merge(widget::router())
        .routes(utoipa_axum::routes!(document))
        .split_for_parts();
    add_conventions(&mut document);
    DOCUMENT.get_or_init(|| Bytes::from(serde_json::to_vec(&document).expect("the document serializes")));
    (router, document)
}

/// `(method, path)` of every operation in `document`, sorted.
pub fn operations(document: &Document) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, item) in &document.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("PUT", &item.put),
            ("POST", &item.post),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
            ("HEAD", &item.head),
            ("OPTIONS", &item.options),
            ("TRACE", &item.trace),
        ];
        for (method, operation) in methods {
            if operation.is_some() {
                found.push((method.to_string(), path.clone()));
            }
        }
    }
    found.sort();
    found
}

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.get().cloned().unwrap_or_default())
}

/// The session cookie as a security scheme (the public operations say they need none), and the error body as the answer of every operation for the
/// 4XX and 5XX statuses it does not describe itself; header parameters as plain strings.
fn add_conventions(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    let cookie = ApiKeyValue::with_description(
        crate::http::extract::SESSION_COOKIE,
        "Set by signing up or in (`__Host-vinano_session` when the server is reached over HTTPS)",
    );
    components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    let widget = ApiKeyValue::with_description(
        crate::http::extract::WIDGET_COOKIE,
        "Set by `POST /widget/session`; counts only with the `X-Vinano-Widget` header, on the widget's routes",
    );
    components.add_security_scheme("widget", SecurityScheme::ApiKey(ApiKey::Cookie(widget)));
    for (path, item) in document.paths.paths.iter_mut() {
        let public = |method: &str| super::PUBLIC_ROUTES.contains(&(method, path.as_str()));
        for (method, operation) in [("GET", &mut item.get), ("POST", &mut item.post)] {
            if let Some(operation) = operation.as_mut().filter(|_| public(method)) {
                // Explicitly open: no credentials needed.
                operation.security = Some(Vec::new());
            }
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            add_errors(operation);
            plain_headers(operation);
        }
    }
}

/// An optional header is absent or a string, never `null` (what `Option<String>` says in a JSON schema).
fn plain_headers(operation: &mut Operation) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    for parameter in operation.parameters.iter_mut().flatten() {
        if parameter.parameter_in == ParameterIn::Header {
            parameter.schema = Some(ObjectBuilder::new().schema_type(Type::String).into());
        }
    }
}

fn add_errors(operation: &mut Operation) {
    for (range, description) in [
        ("4XX", "Refused: see `code` and `message` (the message is for people, in English)"),
        ("5XX", "Failed on the server's side (`internal`), or its disk is full (`insufficient_storage`)"),
    ] {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        let response =
            ResponseBuilder::new().description(description).content("application/json", body).build();
        operation.responses.responses.entry(range.to_string()).or_insert(response.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_answers_errors_with_the_error_body() {
        let (_, document) = routes();
        let json = serde_json::to_value(&document).unwrap();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                for range in ["4XX", "5XX"] {
                    let schema =
                        &operation["responses"][range]["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {range}");
                }
            }
        }
    }
}

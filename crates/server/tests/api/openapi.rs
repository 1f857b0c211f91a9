//! The OpenAPI document at `/api/v1/openapi.json`: served to anyone, complete (every route, every error
//! code, every operation described) and self-consistent (every schema it names is in it).

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use vinano_api::ErrorCode;

/// Every error code, by an exhaustive match: a new code fails to compile here until it is listed.
fn every_code() -> Vec<ErrorCode> {
    use ErrorCode::*;
    let all = [
        InvalidInput,
        UnderAge,
        Unauthenticated,
        InvalidCredentials,
        NotFound,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        InvalidImage,
        ContentRefused,
        Forbidden,
        RateLimited,
        ReauthRequired,
        Gone,
        TooManyPixels,
        QuotaExceeded,
        PaymentRequired,
        RequestTimeout,
        InsufficientStorage,
        ServiceUnavailable,
        Internal,
    ];
    for code in all {
        match code {
            InvalidInput | UnderAge | Unauthenticated | InvalidCredentials | NotFound | Conflict
            | PayloadTooLarge | UnsupportedMediaType | InvalidImage | ContentRefused | Forbidden
            | RateLimited | ReauthRequired | Gone | TooManyPixels | QuotaExceeded | PaymentRequired
            | RequestTimeout | InsufficientStorage | ServiceUnavailable | Internal => {}
        }
    }
    all.to_vec()
}

async fn document() -> Value {
    let app = TestApp::new().await;
    let reply = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK, "served without a session");
    assert_eq!(reply.headers["content-type"], "application/json");
    reply.json()
}

/// Every `$ref` anywhere in `value`.
fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => out.push(target),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_names_every_error_code() {
    let doc = document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let listed: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for code in every_code() {
        let name = serde_json::to_value(code).unwrap();
        assert!(listed.contains(&name.as_str().unwrap()), "{name} is missing from ErrorCode");
    }
    assert_eq!(listed.len(), every_code().len());
}

#[tokio::test]
async fn every_operation_is_described_and_every_schema_it_names_is_there() {
    let doc = document().await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut named = Vec::new();
    refs(&doc, &mut named);
    assert!(named.len() > 60, "the operations refer to the shared schemas");
    for target in named {
        let name = target.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{target}"));
        assert!(schemas.contains_key(name), "{target} is named but not defined");
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(summary.len() > 10, "{method} {path} says what it does");
            let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            assert!(statuses.iter().any(|s| s.starts_with('2')), "{method} {path} has a success answer");
            let public = vinano_server::http::PUBLIC_ROUTES
                .iter()
                .any(|&(m, p)| m.eq_ignore_ascii_case(method) && p == path);
            let security = match (public, path.starts_with("/widget/")) {
                (true, _) => json!([]),
                (false, true) => json!([{"widget": []}]),
                (false, false) => json!([{"session": []}]),
            };
            assert_eq!(op["security"], security, "{method} {path}: which cookie is required");
        }
    }
    assert_eq!(doc["components"]["securitySchemes"]["session"]["in"], "cookie");
    assert_eq!(doc["components"]["securitySchemes"]["widget"]["name"], "__Host-vinano_widget");
}

/// Found by schemathesis: a query string that doesn't parse answered plain text (not the `ErrorBody` the
/// document promises), and a JSON array was read as an object's fields in order.
#[tokio::test]
async fn malformed_queries_and_bodies_answer_the_error_body() {
    let app = TestApp::new().await;
    let ada = app.signup("ada").await;
    for uri in ["/api/v1/conversations?offset=-1", "/api/v1/images?limit=many"] {
        let reply = app.get(uri, Some(&ada)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(reply.json()["code"], "invalid_input", "{uri}");
        assert!(reply.json()["message"].as_str().unwrap().contains("query string"), "{uri}");
    }
    let reply = app
        .request(
            Method::PATCH,
            "/api/v1/me/profile",
            Some(&ada),
            Some("application/json"),
            b"[null, null]".to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["message"], "The request body must be a JSON object.");
    // An object still works.
    let reply = app
        .request(
            Method::PATCH,
            "/api/v1/me/profile",
            Some(&ada),
            Some("application/json"),
            br#" {"name": "Ada L."}"#.to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["name"], "Ada L.");
}

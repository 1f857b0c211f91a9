//! An in-process fake of the parts of Stripe's API ViNano calls. It checks each request's shape the way
//! Stripe would refuse it (the secret key as a bearer token, the pinned `Stripe-Version`, a form-encoded
//! body, an `Idempotency-Key` on every POST and DELETE, the fields each endpoint requires), answers like
//! Stripe (a repeated key gets the first answer again), and records every call for the tests to read.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const SECRET_KEY: &str = "sk_test_fake_0123456789";
pub const WEBHOOK_SECRET: &str = "whsec_fake_0123456789";
pub const PRICE_PRO: &str = "price_1QxYpro";
pub const PRICE_STUDIO: &str = "price_1QxYstudio";

/// One call as the fake received it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub fields: Vec<(String, String)>,
    pub key: Option<String>,
}

impl Call {
    /// The value of form field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct Inner {
    pub calls: Vec<Call>,
    /// Answers by idempotency key, as Stripe keeps them.
    answered: HashMap<String, (u16, Value)>,
    next_id: u32,
    /// The next card charges are declined with this code.
    pub decline: Option<&'static str>,
    /// The next this many calls answer 500.
    pub fail: u32,
    /// What `POST /v1/invoices/{id}/pay` answers with when it is paid.
    pub invoices: HashMap<String, Value>,
    /// What `GET /v1/invoices/upcoming` says is due.
    pub amount_due: i64,
    pub deleted: Vec<String>,
}

#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<Inner>>);

impl Fake {
    pub fn calls(&self, method: Method, path_start: &str) -> Vec<Call> {
        let inner = self.0.lock().unwrap();
        inner.calls.iter().filter(|c| c.method == method && c.path.starts_with(path_start)).cloned().collect()
    }

    pub fn set(&self, edit: impl FnOnce(&mut Inner)) {
        edit(&mut self.0.lock().unwrap());
    }
}

fn refuse(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"type": kind, "message": message}}))).into_response()
}

/// Checks the request as Stripe would, records it and answers with `answer` (once per idempotency key).
fn handle(
    fake: &Fake,
    (method, path): (Method, String),
    headers: &HeaderMap,
    body: &[u8],
    answer: impl FnOnce(&mut Inner, &Call) -> (u16, Value),
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    if header("authorization").as_deref() != Some(&format!("Bearer {SECRET_KEY}")) {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided");
    }
    if header("stripe-version").as_deref() != Some("2024-06-20") {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request_error", "an unpinned API version");
    }
    let key = header("idempotency-key");
    if method != Method::GET {
        if key.as_deref().is_none_or(str::is_empty) {
            return refuse(StatusCode::BAD_REQUEST, "invalid_request_error", "no Idempotency-Key");
        }
        if method == Method::POST
            && header("content-type").as_deref() != Some("application/x-www-form-urlencoded")
        {
            return refuse(StatusCode::BAD_REQUEST, "invalid_request_error", "not form-encoded");
        }
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let call = Call { method, path, fields, key: key.clone() };
    let mut inner = fake.0.lock().unwrap();
    inner.calls.push(call.clone());
    if inner.fail > 0 {
        inner.fail -= 1;
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, "api_error", "a fault injected by the test");
    }
    if let Some((status, value)) = key.as_ref().and_then(|k| inner.answered.get(k)).cloned() {
        return (StatusCode::from_u16(status).unwrap(), Json(value)).into_response();
    }
    let (status, value) = answer(&mut inner, &call);
    if let Some(k) = key {
        inner.answered.insert(k, (status, value.clone()));
    }
    (StatusCode::from_u16(status).unwrap(), Json(value)).into_response()
}

fn missing(call: &Call, required: &[&str]) -> Option<(u16, Value)> {
    required.iter().find(|f| call.field(f).is_none_or(str::is_empty)).map(|f| {
        (400, json!({"error": {"type": "invalid_request_error", "message": format!("Missing required param: {f}.")}}))
    })
}

fn new_id(inner: &mut Inner, prefix: &str) -> String {
    inner.next_id += 1;
    format!("{prefix}_test{:04}", inner.next_id)
}

fn declined(inner: &mut Inner) -> Option<(u16, Value)> {
    inner.decline.take().map(|code| {
        (
            402,
            json!({"error": {"type": "card_error", "code": "card_declined", "decline_code": code,
                               "message": "Your card was declined."}}),
        )
    })
}

async fn customers(State(f): State<Fake>, headers: HeaderMap, body: Bytes) -> Response {
    handle(&f, (Method::POST, "/v1/customers".into()), &headers, &body, |inner, call| {
        missing(call, &["email", "metadata[user_id]"]).unwrap_or_else(|| {
            let id = new_id(inner, "cus");
            (200, json!({"id": id, "object": "customer", "email": call.field("email")}))
        })
    })
}

async fn delete_customer(State(f): State<Fake>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    handle(&f, (Method::DELETE, format!("/v1/customers/{id}")), &headers, b"", |inner, _| {
        if inner.deleted.contains(&id) || !id.starts_with("cus_") {
            return (404, json!({"error": {"type": "invalid_request_error", "message": "No such customer"}}));
        }
        inner.deleted.push(id.clone());
        (200, json!({"id": id, "object": "customer", "deleted": true}))
    })
}

async fn checkout(State(f): State<Fake>, headers: HeaderMap, body: Bytes) -> Response {
    handle(&f, (Method::POST, "/v1/checkout/sessions".into()), &headers, &body, |inner, call| {
        let required = [
            "mode",
            "customer",
            "line_items[0][price]",
            "line_items[0][quantity]",
            "success_url",
            "cancel_url",
        ];
        if let Some(refused) = missing(call, &required) {
            return refused;
        }
        if ![PRICE_PRO, PRICE_STUDIO].contains(&call.field("line_items[0][price]").unwrap()) {
            return (400, json!({"error": {"type": "invalid_request_error", "message": "No such price"}}));
        }
        let id = new_id(inner, "cs");
        let url = format!("https://checkout.stripe.com/c/pay/{id}");
        (200, json!({"id": id, "object": "checkout.session", "url": url, "mode": call.field("mode")}))
    })
}

async fn portal(State(f): State<Fake>, headers: HeaderMap, body: Bytes) -> Response {
    handle(&f, (Method::POST, "/v1/billing_portal/sessions".into()), &headers, &body, |inner, call| {
        missing(call, &["customer"]).unwrap_or_else(|| {
            let id = new_id(inner, "bps");
            (200, json!({"id": id, "object": "billing_portal.session", "url": format!("https://billing.stripe.com/p/session/{id}")}))
        })
    })
}

fn subscription(id: &str, price: &str) -> Value {
    json!({"id": id, "object": "subscription", "items": {"object": "list", "data": [
        {"id": "si_test_item", "object": "subscription_item", "price": {"id": price, "object": "price"}}]}})
}

async fn get_subscription(State(f): State<Fake>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    handle(&f, (Method::GET, format!("/v1/subscriptions/{id}")), &headers, b"", |_, _| {
        (200, subscription(&id, PRICE_PRO))
    })
}

async fn update_subscription(
    State(f): State<Fake>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(&f, (Method::POST, format!("/v1/subscriptions/{id}")), &headers, &body, |inner, call| {
        if call.field("proration_behavior") == Some("always_invoice") {
            if let Some(refused) = declined(inner) {
                return refused;
            }
        }
        (200, subscription(&id, call.field("items[0][price]").unwrap_or(PRICE_PRO)))
    })
}

async fn upcoming(State(f): State<Fake>, headers: HeaderMap, uri: axum::http::Uri) -> Response {
    let query = uri.query().unwrap_or_default().as_bytes().to_vec();
    handle(&f, (Method::GET, "/v1/invoices/upcoming".into()), &headers, &query, |inner, call| {
        let required =
            ["customer", "subscription", "subscription_items[0][id]", "subscription_items[0][price]"];
        missing(call, &required)
            .unwrap_or((200, json!({"object": "invoice", "amount_due": inner.amount_due})))
    })
}

async fn pay_invoice(
    State(f): State<Fake>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(&f, (Method::POST, format!("/v1/invoices/{id}/pay")), &headers, &body, |inner, _| {
        if let Some(refused) = declined(inner) {
            return refused;
        }
        match inner.invoices.get(&id) {
            Some(invoice) => (200, invoice.clone()),
            None => (404, json!({"error": {"type": "invalid_request_error", "message": "No such invoice"}})),
        }
    })
}

/// Starts the fake on a free port; its base URL and handle.
pub async fn start() -> (String, Fake) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/v1/customers", post(customers))
        .route("/v1/customers/{id}", axum::routing::delete(delete_customer))
        .route("/v1/checkout/sessions", post(checkout))
        .route("/v1/billing_portal/sessions", post(portal))
        .route("/v1/subscriptions/{id}", get(get_subscription).post(update_subscription))
        .route("/v1/invoices/upcoming", get(upcoming))
        .route("/v1/invoices/{id}/pay", post(pay_invoice))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fake)
}

/// A recorded event (`tests/fixtures/stripe/<name>.json`) with its placeholders filled in.
pub fn event(name: &str, values: &[(&str, String)]) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/stripe/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(path).unwrap();
    for (k, v) in values {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    assert!(!text.contains("{{"), "a placeholder left in {name}: {text}");
    serde_json::from_str::<Value>(&text).expect("the filled-in event is JSON");
    text.into_bytes()
}

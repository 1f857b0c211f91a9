//! Access control, route by route: every route of the router (`vinano_server::http::route_list`, read
//! from the handlers' annotations) is walked anonymously (401 unless public) and as a second person aimed at
//! the first person's objects (404, and nothing of theirs changes).

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use vinano_server::http::{route_list, PUBLIC_ROUTES};

/// `(method, path)` of every operation as the OpenAPI JSON document says (what clients read), found
/// independently of `route_list`.
fn routes_in_document() -> Vec<(String, String)> {
    let (_, document) = vinano_server::http::openapi::routes();
    let json = serde_json::to_value(&document).unwrap();
    let mut found = Vec::new();
    for (path, item) in json["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            found.push((method.to_uppercase(), path.clone()));
        }
    }
    found.sort();
    found
}

#[test]
fn the_route_list_is_the_documents_and_names_every_public_route() {
    let routes = route_list();
    assert_eq!(routes, routes_in_document());
    // The API as the app and the guides know it (a sample: a renamed or lost route fails here).
    for route in [("POST", "/auth/login"), ("GET", "/me"), ("POST", "/conversations/{id}/messages")] {
        assert!(routes.contains(&(route.0.to_string(), route.1.to_string())), "{route:?} is missing");
    }
    assert!(routes.len() >= 49, "{} routes", routes.len());
    for (method, path) in PUBLIC_ROUTES {
        assert!(
            routes.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is public but not a route"
        );
    }
}

/// A body that passes validation for each route, so that ownership is what decides the answer.
fn body_for(method: &str, path: &str) -> Option<Value> {
    Some(match (method, path) {
        ("POST", "/conversations/{id}/messages") => json!({"text": "make it warmer"}),
        ("PATCH", "/conversations/{id}") => json!({"title": "Taken over"}),
        ("PUT", "/images/{id}/feedback") => json!({"rating": "down"}),
        ("PUT", "/conversations/{id}/messages/{message_id}/image") => json!({"image_id": "not-hers"}),
        ("PATCH", "/images/{id}") => json!({"commercial": true, "training_consent": true}),
        ("PATCH", "/me/privacy") => json!({"ai_training": false}),
        // A wrong password: the walker's own account must survive the walk.
        ("POST", "/me/deletion") => json!({"password": "not the password"}),
        ("POST", "/me/images/delete-range") => json!({"from": "2026-01-01", "to": "2026-12-31"}),
        ("PUT", "/me/preferences") => json!({"edit": {"aspect": "1:1", "style": "none", "format": "auto"}}),
        ("PATCH", "/me/profile") => json!({"name": "Mallory"}),
        ("POST", "/me/password") => {
            json!({"current_password": "a long enough password", "new_password": "mallory was here"})
        }
        ("POST", "/auth/verify-email" | "/auth/reset-password") => {
            json!({"token": "0".repeat(64), "password": "xxxxxxxxxx"})
        }
        ("POST", "/auth/forgot-password") => json!({"email": "ada@example.com"}),
        ("POST", "/billing/checkout") => json!({"plan": "studio"}),
        ("POST", "/billing/checkout/{id}/pay") => {
            json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"})
        }
        ("POST", "/billing/checkout/{id}/confirm") => json!({"approve": true}),
        ("POST", "/admin/people/{id}/credits") => json!({"amount": 500, "reason": "taken over"}),
        ("POST", "/admin/people/{id}/disabled") => json!({"disabled": true}),
        ("POST", _) | ("PUT", _) | ("PATCH", _) => json!({}),
        _ => return None,
    })
}

/// Puts `cookie`'s account on Pro with a test card: (its checkout session, its invoice).
async fn paid(app: &TestApp, cookie: &str) -> (String, String) {
    let session =
        app.post_json("/api/v1/billing/checkout", Some(cookie), json!({"plan": "pro"})).await.json();
    let id = session["id"].as_str().unwrap().to_string();
    let card = json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"});
    let r = app.post_json(&format!("/api/v1/billing/checkout/{id}/pay"), Some(cookie), card).await;
    assert_eq!(r.json()["state"], "complete");
    let invoices = app.get("/api/v1/me/invoices", Some(cookie)).await.json();
    (id, invoices[0]["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn every_route_refuses_strangers_and_other_people() {
    let app = TestApp::new().await;
    // Ada's things: a conversation with a photo and an edit (so a job and a result), and her session.
    let (ada, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let sent = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&ada),
            // Brushed over the left half: the version keeps its selection (`GET /images/{id}/selection`).
            json!({"text": "make this brighter", "image_id": photo, "selection": left_half(40, 30)}),
        )
        .await;
    let done = app.complete(&ada, &conv, sent.json()).await;
    let job = done["job"]["id"].as_str().unwrap().to_string();
    let edited = done["reply"]["image"]["id"].as_str().unwrap().to_string();
    let ada_session =
        app.get("/api/v1/me/sessions", Some(&ada)).await.json()[0]["id"].as_str().unwrap().to_string();
    let ada_id = app.get("/api/v1/me", Some(&ada)).await.json()["id"].as_str().unwrap().to_string();
    let export = app.ready_export(&ada).await;
    let (checkout, invoice) = paid(&app, &ada).await;
    let card =
        app.get("/api/v1/me/payment-methods", Some(&ada)).await.json()[0]["id"].as_str().unwrap().to_string();
    let link = app.post_json("/api/v1/shares", Some(&ada), json!({"image_id": photo})).await.json();
    let link = link["id"].as_str().unwrap().to_string();
    let before = ada_rows(&app, &ada_id).await;
    // Mallory isn't an administrator (Ada, the first account, is): the admin routes are 404 to her.
    let mallory = app.signup("mallory").await;

    for (method, path) in route_list() {
        let (method, path) = (method.as_str(), path.as_str());
        let target = |id: &str| path.replace("{id}", id);
        let uri = if path.starts_with("/conversations/") {
            target(&conv)
        } else if path.ends_with("/selection") {
            target(&edited)
        } else if path.starts_with("/images/") {
            target(&photo)
        } else if path.starts_with("/jobs/") {
            target(&job)
        } else if path.starts_with("/me/sessions/") {
            target(&ada_session)
        } else if path.starts_with("/me/exports/") {
            target(&export)
        } else if path.starts_with("/billing/checkout/") {
            target(&checkout)
        } else if path.starts_with("/me/invoices/") {
            target(&invoice)
        } else if path.starts_with("/me/payment-methods/") {
            target(&card)
        } else if path.starts_with("/admin/people/") {
            target(&ada_id)
        } else if path == "/widget/files/{id}" {
            // The address of Ada's photo, but not a signature the server made.
            format!("{}?expires=4102444800000&sig={}", target(&photo), "0".repeat(64))
        } else if path.starts_with("/widget/images/") {
            target(&photo)
        } else if path.starts_with("/shares/") {
            target(&link)
        } else if path == "/shared/files/{id}" {
            // Ada's photo, shown by her link, but not by an address the server signed.
            format!("{}?share={link}&expires=4102444800000&sig={}", target(&photo), "0".repeat(64))
        } else if path.starts_with("/shared/") {
            // Without the link's token, nothing it shows.
            target(&photo).replace("{token}", &"0".repeat(48))
        } else {
            path.to_string()
        };
        let uri = format!("/api/v1{uri}");
        let body = body_for(method, path);
        let send = |cookie: Option<String>| {
            let (uri, body) = (uri.clone(), body.clone());
            let app = &app;
            async move {
                let method: Method = method.parse().unwrap();
                let (ct, bytes) = match &body {
                    Some(b) => (Some("application/json"), b.to_string().into_bytes()),
                    None => (None, vec![]),
                };
                app.request(method, &uri, cookie.as_deref(), ct, bytes).await
            }
        };
        if !PUBLIC_ROUTES.contains(&(method, path)) {
            let anonymous = send(None).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path} without a session");
        }
        if path.contains("{id}") {
            let stranger = send(Some(mallory.clone())).await;
            // The widget's routes don't know the site's session at all (widget.rs tries them visitor against
            // visitor).
            let widget_only = path.starts_with("/widget/") && stranger.status == StatusCode::UNAUTHORIZED;
            assert!(
                widget_only || matches!(stranger.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{method} {path} as another person: {} {}",
                stranger.status,
                String::from_utf8_lossy(&stranger.body)
            );
        }
    }
    // Nothing of Ada's changed, and she is still signed in.
    assert_eq!(ada_rows(&app, &ada_id).await, before);
    assert_eq!(app.get("/api/v1/me", Some(&ada)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn reading_changes_nothing() {
    let app = TestApp::new().await;
    let (ada, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let sent = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&ada),
            // Brushed over the left half: the version keeps its selection (`GET /images/{id}/selection`).
            json!({"text": "make this brighter", "image_id": photo, "selection": left_half(40, 30)}),
        )
        .await;
    let done = app.complete(&ada, &conv, sent.json()).await;
    let job = done["job"]["id"].as_str().unwrap().to_string();
    let edited = done["reply"]["image"]["id"].as_str().unwrap().to_string();
    let session =
        app.get("/api/v1/me/sessions", Some(&ada)).await.json()[0]["id"].as_str().unwrap().to_string();
    let id = app.get("/api/v1/me", Some(&ada)).await.json()["id"].as_str().unwrap().to_string();
    let export = app.ready_export(&ada).await;
    let (checkout, invoice) = paid(&app, &ada).await;
    let before = ada_rows(&app, &id).await;
    let counts = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            let mut all = Vec::new();
            for table in [
                "users",
                "sessions",
                "conversations",
                "messages",
                "images",
                "jobs",
                "feedback",
                "outbox",
                "email_tokens",
                "consents",
                "moderation_log",
                "exports",
                "data_requests",
            ] {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                    .fetch_one(&db)
                    .await
                    .unwrap();
                all.push((table, n));
            }
            all
        }
    };
    let counted = counts(&app).await;
    // Every GET route, as the owner, on her own objects. (Downloading her export sets its `downloaded_at`, a
    // read receipt that stops the app announcing it; nothing else may change.)
    // (The widget's session is a widget visitor's, not hers: widget.rs reads it. A shared page is read by
    // anyone with its link, and counts its visits: sharing.rs reads it.)
    let own = |p: &str| !p.starts_with("/widget/") && !p.starts_with("/shared/");
    for (method, path) in route_list().into_iter().filter(|(m, p)| m == "GET" && own(p)) {
        let uri = path
            .replace("/conversations/{id}", &format!("/conversations/{conv}"))
            .replace("/images/{id}/selection", &format!("/images/{edited}/selection"))
            .replace("/images/{id}", &format!("/images/{photo}"))
            .replace("/jobs/{id}", &format!("/jobs/{job}"))
            .replace("/me/sessions/{id}", &format!("/me/sessions/{session}"))
            .replace("/me/exports/{id}", &format!("/me/exports/{export}"))
            .replace("/billing/checkout/{id}", &format!("/billing/checkout/{checkout}"))
            .replace("/me/invoices/{id}", &format!("/me/invoices/{invoice}"))
            .replace("/me/subscription/change", "/me/subscription/change?plan=studio");
        let r = app.get(&format!("/api/v1{uri}"), Some(&ada)).await;
        assert!(r.status.is_success(), "{method} {path}: {}", r.status);
    }
    assert_eq!(ada_rows(&app, &id).await, before);
    assert_eq!(counts(&app).await, counted);
}

/// Everything of one person's that a stranger could try to change.
async fn ada_rows(app: &TestApp, id: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT 'c' || id || title FROM conversations WHERE user_id = $1
         UNION ALL SELECT 'm' || id || text FROM messages WHERE user_id = $1
         UNION ALL SELECT 'i' || id || commercial || training_consent FROM images WHERE user_id = $1
         UNION ALL SELECT 'j' || id || state FROM jobs WHERE user_id = $1
         UNION ALL SELECT 's' || id FROM sessions WHERE user_id = $1
         UNION ALL SELECT 'u' || name || email || password_hash FROM users WHERE id = $1
         UNION ALL SELECT 'f' || image_id || rating FROM feedback WHERE user_id = $1
         UNION ALL SELECT 'e' || id || status FROM exports WHERE user_id = $1
         UNION ALL SELECT 'p' || plan || period_start || cancel_at_period_end FROM subscriptions WHERE user_id = $1
         UNION ALL SELECT 'l' || id || kind || amount FROM credit_ledger WHERE user_id = $1
         UNION ALL SELECT 'b' || id || state FROM checkout_sessions WHERE user_id = $1
         UNION ALL SELECT 'v' || id || status FROM invoices WHERE user_id = $1
         UNION ALL SELECT 'k' || id || is_default FROM payment_methods WHERE user_id = $1
         UNION ALL SELECT 'd' || COALESCE(disabled_at, 0) || is_admin FROM users WHERE id = $1
         UNION ALL SELECT 'h' || id || COALESCE(expires_at, 0) FROM shares WHERE user_id = $1
         ORDER BY 1",
    )
    .bind(id)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

/// A selection of the left half of a `w` × `h` photo, as the API takes it.
fn left_half(w: u32, h: u32) -> String {
    use base64::Engine as _;
    let mask = image::GrayImage::from_fn(w, h, |x, _| image::Luma([if x < w / 2 { 255 } else { 0 }]));
    let png = vinano_imaging::encode(
        &vinano_imaging::DynamicImage::ImageLuma8(mask),
        vinano_imaging::OutputFormat::Png,
    )
    .unwrap()
    .bytes;
    base64::engine::general_purpose::STANDARD.encode(png)
}

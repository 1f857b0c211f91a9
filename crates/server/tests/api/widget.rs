//! The widget on partners' sites: partners registered by the admin command, a visitor's session (guest or
//! the partner's member by a signed token, checked, used once), the widget's cookie kept apart from the
//! site's session both ways, the embed page framed by exactly its partner's origins, the partner's monthly
//! budget, and quiet guests removed.

use crate::common::{jpeg, TestApp};
use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};
use vinano_server::partners::{self, token, NewPartner};

/// Registers a partner in-process; returns its id and secret.
async fn partner(app: &TestApp, monthly: u64, allowance: u64, guests: bool) -> (String, String) {
    let new = NewPartner {
        name: "Example Prints".into(),
        origins: vec!["https://prints.example".into(), "http://localhost:5173".into()],
        monthly_credits: monthly,
        visitor_allowance: allowance,
        guests,
    };
    let (p, secret) = partners::add(&app.state, "test", new).await.unwrap();
    (p.id, secret)
}

/// A token for `user` of `partner`, as the partner's server would make it.
pub(crate) fn member_token(app: &TestApp, partner: &str, secret: &str, user: &str, nonce: &str) -> String {
    let now = app.state.clock.now_ms() / 1000;
    let claims = json!({"iss": partner, "sub": user, "aud": app.state.config.site_url(), "iat": now,
                        "exp": now + 300, "jti": nonce});
    token::sign(&claims, secret)
}

/// A request as the widget sends it: its cookie and the header naming its partner.
pub(crate) async fn as_widget(
    app: &TestApp,
    method: Method,
    uri: &str,
    cookie: &str,
    partner: &str,
    body: Option<Value>,
) -> crate::common::Reply {
    let headers = [(vinano_api::WIDGET_HEADER, partner)];
    let (ct, bytes) = match body {
        Some(b) => (Some("application/json"), b.to_string().into_bytes()),
        None => (None, Vec::new()),
    };
    app.request_with(method, uri, Some(cookie), ct, bytes, &headers).await
}

/// A photo uploaded by the widget.
async fn upload(app: &TestApp, cookie: &str, partner: &str, bytes: Vec<u8>) -> crate::common::Reply {
    let headers = [(vinano_api::WIDGET_HEADER, partner)];
    app.request_with(Method::POST, "/api/v1/images", Some(cookie), Some("image/jpeg"), bytes, &headers).await
}

pub(crate) async fn sign_in(app: &TestApp, partner: &str, token: Option<&str>) -> crate::common::Reply {
    app.post_json("/api/v1/widget/session", None, json!({"partner": partner, "token": token})).await
}

#[tokio::test]
async fn the_admin_command_registers_a_partner_and_shows_its_secret_once() {
    let app = TestApp::new().await;
    let out = app
        .command(&[
            "admin",
            "partner",
            "add",
            "Example Prints",
            "--origin",
            "https://Prints.Example/",
            "--allowance",
            "7",
        ])
        .await;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    let id = said.split_whitespace().find(|w| w.starts_with("pt_")).unwrap().to_string();
    let secret = said.split_whitespace().find(|w| w.starts_with("vns_")).unwrap().to_string();
    assert!(
        said.contains("https://prints.example") && said.contains(&format!("data-partner=\"{id}\"")),
        "{said}"
    );
    let listed = app.command(&["admin", "partner", "list"]).await;
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains(&id) && listed.contains("7 for each") && !listed.contains(&secret), "{listed}");
    // The database keeps the secret sealed, never as it was shown.
    let sealed: String = sqlx::query_scalar("SELECT secret_sealed FROM partners WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(!sealed.contains(&secret[4..]));
    // A token signed with the shown secret opens the widget as that member.
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "u1", "nonce-0000000001"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["credits"], 7);
    // Bad input is named, and nothing is registered.
    let bad = app.command(&["admin", "partner", "add", "Shop", "--origin", "http://shop.example"]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("\"http://shop.example\" can't be used"));
    assert_eq!(app.count("partners").await, 1);
}

#[tokio::test]
async fn a_guest_gets_a_widget_session_of_its_own_with_the_partners_allowance() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let r = sign_in(&app, &id, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    for part in ["__Host-vinano_widget=", "Path=/", "HttpOnly", "Secure", "SameSite=None", "Partitioned"] {
        assert!(set.contains(part), "{part} missing from {set}");
    }
    let body = r.json();
    assert_eq!((body["visitor"].as_str(), body["credits"].as_i64()), (Some("guest"), Some(12)));
    assert_eq!(body["partner_name"], "Example Prints");
    let cookie = r.cookie();
    let shown = as_widget(&app, Method::GET, "/api/v1/widget/session", &cookie, &id, None).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["credits"], 12);
    // The widget's own routes work: a photo, a conversation, an edit.
    let up = upload(&app, &cookie, &id, jpeg(64, 48)).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&up.body));
    let conv = as_widget(&app, Method::POST, "/api/v1/conversations", &cookie, &id, Some(json!({}))).await;
    let conv = conv.json()["id"].as_str().unwrap().to_string();
    let said = json!({"text": "make it black and white", "image_id": up.json()["id"]});
    let sent = as_widget(
        &app,
        Method::POST,
        &format!("/api/v1/conversations/{conv}/messages"),
        &cookie,
        &id,
        Some(said),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", String::from_utf8_lossy(&sent.body));
    // Another guest is another account: nothing of the first is theirs.
    let other = sign_in(&app, &id, None).await.cookie();
    let peek =
        as_widget(&app, Method::GET, &format!("/api/v1/conversations/{conv}"), &other, &id, None).await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    // An unknown partner, or one that lets only its members in.
    sign_in(&app, "pt_nobody", None).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let (members_only, _) = partner(&app, 1000, 12, false).await;
    sign_in(&app, &members_only, None).await.error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn the_widget_cookie_and_the_sites_session_never_open_each_other() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let widget = sign_in(&app, &id, None).await.cookie();
    let site = app.signup("ada").await;
    // The widget's cookie on the site's API: with or without the header, and even in the site's cookie's name.
    assert_eq!(app.get("/api/v1/me", Some(&widget)).await.status, StatusCode::UNAUTHORIZED);
    let token = widget.split_once('=').unwrap().1;
    let renamed = format!("vinano_session={token}");
    assert_eq!(app.get("/api/v1/me", Some(&renamed)).await.status, StatusCode::UNAUTHORIZED);
    for uri in ["/api/v1/me", "/api/v1/me/data", "/api/v1/conversations", "/api/v1/me/sessions"] {
        let r = as_widget(&app, Method::GET, uri, &widget, &id, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    // The site's session in the widget: refused, as is the widget cookie for another partner.
    let r = as_widget(&app, Method::GET, "/api/v1/widget/session", &site, &id, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let (other, _) = partner(&app, 1000, 12, true).await;
    let r = as_widget(&app, Method::GET, "/api/v1/widget/session", &widget, &other, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // And the site's own session keeps working as before.
    assert_eq!(app.get("/api/v1/me", Some(&site)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn member_tokens_are_checked_and_used_once() {
    let app = TestApp::new().await;
    let (id, secret) = partner(&app, 1000, 12, false).await;
    let first =
        sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "user-42", "nonce-aaaaaaaaaaaa"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&first.body));
    assert_eq!(first.json()["visitor"], "member");
    let cookie = first.cookie();
    let up = upload(&app, &cookie, &id, jpeg(32, 32)).await;
    let image = up.json()["id"].as_str().unwrap().to_string();
    // The same member later, with a new token: the same account (their image is there), not a new one.
    let again =
        sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "user-42", "nonce-bbbbbbbbbbbb"))).await;
    assert_eq!(again.status, StatusCode::OK);
    let seen =
        as_widget(&app, Method::GET, &format!("/api/v1/images/{image}"), &again.cookie(), &id, None).await;
    assert_eq!(seen.status, StatusCode::OK);
    // Replayed, forged, expired, for another partner: refused, and no account or session is made.
    let (users, sessions) = (app.count("users").await, app.count("sessions").await);
    let replay =
        sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "user-42", "nonce-aaaaaaaaaaaa"))).await;
    assert_eq!(replay.json()["key"], "error-widget-token-replayed");
    let forged =
        sign_in(&app, &id, Some(&member_token(&app, &id, "vns_guessed", "user-43", "nonce-cccccccccccc")))
            .await;
    assert_eq!(forged.json()["key"], "error-widget-token-invalid");
    let late = member_token(&app, &id, &secret, "user-44", "nonce-dddddddddddd");
    app.clock.advance(301);
    let expired = sign_in(&app, &id, Some(&late)).await;
    assert_eq!(expired.json()["key"], "error-widget-token-expired");
    let (other, _) = partner(&app, 1000, 12, false).await;
    let elsewhere =
        sign_in(&app, &other, Some(&member_token(&app, &id, &secret, "user-45", "nonce-eeeeeeeeeeee"))).await;
    assert_eq!(elsewhere.json()["key"], "error-widget-token-invalid");
    for r in [&replay, &forged, &expired, &elsewhere] {
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert_eq!((app.count("users").await, app.count("sessions").await), (users, sessions));
}

#[tokio::test]
async fn a_rotated_secret_overlaps_then_stops_and_a_removed_partner_ends_its_sessions() {
    let app = TestApp::new().await;
    let (id, old) = partner(&app, 1000, 12, false).await;
    let new = partners::rotate(&app.state, "test", &id, 3_600_000).await.unwrap().unwrap();
    assert_ne!(old, new);
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &old, "u", "nonce-old-000000001"))).await;
    assert_eq!(r.status, StatusCode::CREATED, "the old secret still works during the overlap");
    app.clock.advance(3601);
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &old, "u", "nonce-old-000000002"))).await;
    assert_eq!(r.json()["key"], "error-widget-token-invalid");
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &new, "u", "nonce-new-000000001"))).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.cookie();
    assert!(partners::remove(&app.state, "test", &id).await.unwrap());
    let r = as_widget(&app, Method::GET, "/api/v1/widget/session", &cookie, &id, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &new, "u", "nonce-new-000000002"))).await;
    assert_eq!(r.json()["key"], "error-widget-partner-unknown");
    let csp =
        app.get(&format!("/embed?partner={id}"), None).await.headers[header::CONTENT_SECURITY_POLICY].clone();
    assert!(csp.to_str().unwrap().contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn only_the_embed_page_may_be_framed_and_only_by_its_partners_origins() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let embed = app.get(&format!("/embed?partner={id}"), None).await;
    let csp = embed.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors https://prints.example http://localhost:5173"), "{csp}");
    assert!(embed.headers.get(header::X_FRAME_OPTIONS).is_none());
    for uri in ["/", "/image", "/embed", "/embed?partner=pt_unknown", "/api/v1/widget/session", "/me"] {
        let r = app.get(uri, None).await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
    }
}

#[tokio::test]
async fn the_partners_monthly_budget_is_shared_by_its_visitors() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 3, 2, true).await;
    let mut spent = 0;
    let mut refused = None;
    for _ in 0..2 {
        let cookie = sign_in(&app, &id, None).await.cookie();
        let up = upload(&app, &cookie, &id, jpeg(32, 32)).await;
        let conv =
            as_widget(&app, Method::POST, "/api/v1/conversations", &cookie, &id, Some(json!({}))).await;
        let conv = conv.json()["id"].as_str().unwrap().to_string();
        for _ in 0..2 {
            let said = json!({"text": "make it warmer", "image_id": up.json()["id"]});
            let uri = format!("/api/v1/conversations/{conv}/messages");
            let r = as_widget(&app, Method::POST, &uri, &cookie, &id, Some(said)).await;
            match r.status {
                StatusCode::OK => spent += 1,
                _ => refused = Some(r),
            }
        }
    }
    // A visitor whose own allowance is spent is told when it renews (not about plans it doesn't have).
    let (solo, _) = partner(&app, 1000, 2, true).await;
    let cookie = sign_in(&app, &solo, None).await.cookie();
    let up = upload(&app, &cookie, &solo, jpeg(32, 32)).await;
    let conv = as_widget(&app, Method::POST, "/api/v1/conversations", &cookie, &solo, Some(json!({}))).await;
    let uri = format!("/api/v1/conversations/{}/messages", conv.json()["id"].as_str().unwrap());
    for n in 0..3 {
        let said = json!({"text": format!("make it warmer by {}", n + 1), "image_id": up.json()["id"]});
        let r = as_widget(&app, Method::POST, &uri, &cookie, &solo, Some(said)).await;
        if n == 2 {
            assert_eq!(r.json()["key"], "error-widget-credits-short", "{}", r.json());
            assert!(r.json()["message"].as_str().unwrap().contains("renew on 2026-12-29"));
        }
    }
    // Two visitors with 2 credits each, but the partner pays for 3 a month.
    assert_eq!(spent, 3);
    let refused = refused.expect("the fourth edit is refused");
    let message = refused.error(StatusCode::PAYMENT_REQUIRED, "payment_required");
    assert!(message.contains("2026-12-01"), "{message}");
}

#[tokio::test]
async fn a_guest_quiet_for_30_days_is_removed_with_its_images() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let cookie = sign_in(&app, &id, None).await.cookie();
    upload(&app, &cookie, &id, jpeg(32, 32)).await;
    let active = sign_in(&app, &id, None).await.cookie();
    app.clock.advance(29 * 86_400);
    // One guest comes back on day 29 (and keeps their cookie another 30 days); the other doesn't.
    let back = as_widget(&app, Method::GET, "/api/v1/widget/session", &active, &id, None).await;
    assert!(back.headers[header::SET_COOKIE].to_str().unwrap().contains(&format!("Max-Age={}", 30 * 86_400)));
    app.clock.advance(2 * 86_400);
    let swept = vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.guests, 1);
    assert_eq!(app.count("images").await, 0);
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE partner_id = $1 AND closed_at IS NULL")
            .bind(&id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(open, 1);
}

#[tokio::test]
async fn a_visitors_image_link_works_for_ten_minutes_from_any_site_and_for_nothing_else() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let info = app.get(&format!("/api/v1/widget/partners/{id}"), None).await.json();
    assert_eq!(info["origins"], json!(["https://prints.example", "http://localhost:5173"]));
    assert_eq!(app.get("/api/v1/widget/partners/pt_nobody", None).await.status, StatusCode::NOT_FOUND);
    let cookie = sign_in(&app, &id, None).await.cookie();
    let image = upload(&app, &cookie, &id, jpeg(40, 30)).await.json()["id"].as_str().unwrap().to_string();
    let link_uri = format!("/api/v1/widget/images/{image}/link");
    let link = as_widget(&app, Method::POST, &link_uri, &cookie, &id, None).await;
    assert_eq!(link.status, StatusCode::OK, "{}", String::from_utf8_lossy(&link.body));
    let link = link.json();
    assert_eq!((link["width"].as_u64(), link["height"].as_u64()), (Some(40), Some(30)));
    let url = link["url"].as_str().unwrap();
    let path = url.strip_prefix(&app.state.config.site_url()).unwrap().to_string();
    // No cookie, readable by the partner's page.
    let file = app.get(&path, None).await;
    assert_eq!(file.status, StatusCode::OK);
    let stored = as_widget(&app, Method::GET, &format!("/api/v1/images/{image}"), &cookie, &id, None).await;
    assert_eq!(file.body, stored.body, "the stored image, byte for byte");
    assert_eq!(file.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(file.headers["cross-origin-resource-policy"], "cross-origin");
    // Altered, or for another image, or late: nothing.
    let other = path.replace(&image, &"0".repeat(32));
    let last = if path.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{last}", &path[..path.len() - 1]);
    let longer = path.replace("expires=", "expires=9");
    for bad in [other, tampered, longer] {
        assert_eq!(app.get(&bad, None).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
    app.clock.advance(601);
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    // Another visitor can't make a link to it.
    let stranger = sign_in(&app, &id, None).await.cookie();
    let r = as_widget(&app, Method::POST, &link_uri, &stranger, &id, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The site's own session doesn't open the widget's routes, not even for its own images.
    let site = app.signup("ada").await;
    let own = app.upload(&site, jpeg(8, 8)).await.json()["id"].as_str().unwrap().to_string();
    let r = app
        .request(Method::POST, &format!("/api/v1/widget/images/{own}/link"), Some(&site), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.request(Method::DELETE, "/api/v1/widget/session", Some(&site), None, vec![]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&site)).await.status, StatusCode::OK, "and it is still signed in");
    // Every other response stays closed to other sites.
    let page = app.get("/", None).await;
    assert_eq!(page.headers["cross-origin-resource-policy"], "same-origin");
}

#[tokio::test]
async fn a_visitor_downloads_a_copy_of_everything_and_deletes_everything_from_the_widget() {
    let app = TestApp::new().await;
    let (id, _) = partner(&app, 1000, 12, true).await;
    let cookie = sign_in(&app, &id, None).await.cookie();
    let image = upload(&app, &cookie, &id, jpeg(40, 30)).await.json()["id"].as_str().unwrap().to_string();
    let other = sign_in(&app, &id, None).await.cookie();
    let theirs = upload(&app, &other, &id, jpeg(20, 20)).await.json()["id"].as_str().unwrap().to_string();

    // A copy of everything: asked, built, downloaded, all through the widget's own session.
    let asked = as_widget(&app, Method::POST, "/api/v1/me/exports", &cookie, &id, Some(json!({}))).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&asked.body));
    let mut export = Value::Null;
    for _ in 0..1000 {
        export = as_widget(&app, Method::GET, "/api/v1/me/exports", &cookie, &id, None).await.json()
            ["exports"][0]
            .clone();
        if !["pending", "building"].contains(&export["status"].as_str().unwrap()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(export["status"], "ready", "{export}");
    let download = format!("/api/v1/me/exports/{}/download", export["id"].as_str().unwrap());
    let zip = as_widget(&app, Method::GET, &download, &cookie, &id, None).await;
    assert_eq!(zip.status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body.clone())).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().to_string()).collect();
    assert!(names.iter().any(|n| n.contains(&image)), "the visitor's photo is in the copy: {names:?}");
    assert!(!names.iter().any(|n| n.contains(&theirs)), "and nobody else's: {names:?}");
    assert!(
        archive.by_name("manifest.json").is_ok() && archive.by_name("data/users.json").is_ok(),
        "{names:?}"
    );
    // No letter is queued for a visitor, who has no address.
    assert_eq!(app.count("outbox").await, 0);

    // Deleting everything: the account, its images, its session; the other visitor keeps theirs.
    let user: String = sqlx::query_scalar("SELECT user_id FROM images WHERE id = $1")
        .bind(&image)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let r = as_widget(&app, Method::DELETE, "/api/v1/widget/visitor", &cookie, &id, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE user_id = $1")
        .bind(&user)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(app.count("images").await, 1, "the other visitor's photo stays");
    let r = as_widget(&app, Method::GET, "/api/v1/widget/session", &cookie, &id, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The site's own session can't delete anything through the widget's route.
    let site = app.signup("ada").await;
    let r = app.request(Method::DELETE, "/api/v1/widget/visitor", Some(&site), None, vec![]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&site)).await.status, StatusCode::OK);
}

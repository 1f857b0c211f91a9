//! Share links: a version or a conversation opens by its link without an account (never indexed), its
//! pictures by addresses signed for an hour; the link stops working when it is turned off, when it expires,
//! when what it shows is deleted, and never shows a version under evidence hold; a reader copies a picture
//! into their own account; the links are the owner's data (listed, exported, purged).

use crate::common::{Reply, TestApp};
use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};

/// The path (from `/api/v1`) of an absolute address the server made.
fn path_of(url: &str) -> &str {
    &url[url.find("/api/v1").expect("an API address")..]
}

/// The token at the end of a link's page address.
fn token_of(share: &Value) -> String {
    let url = share["url"].as_str().unwrap();
    let token = url.rsplit_once("/s/").expect("a /s/ page").1.to_string();
    assert_eq!(token.len(), 48, "{url}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    token
}

async fn share(app: &TestApp, cookie: &str, body: Value) -> Reply {
    app.post_json("/api/v1/shares", Some(cookie), body).await
}

async fn open(app: &TestApp, token: &str) -> Reply {
    app.get(&format!("/api/v1/shared/{token}"), None).await
}

async fn hold(app: &TestApp, image: &str) {
    sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
        .bind(image)
        .execute(&app.state.db)
        .await
        .unwrap();
}

/// Ada's conversation: her photo added, then "flip it" — (cookie, conversation, photo, result).
async fn flipped(app: &TestApp) -> (String, String, String, String) {
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    assert_eq!(app.say(&cookie, &conv, "", Some(&photo)).await.status, StatusCode::OK);
    let exchange = app.say(&cookie, &conv, "flip it", Some(&photo)).await.json();
    let done = app.complete(&cookie, &conv, exchange).await;
    let result = done["reply"]["image"]["id"].as_str().expect("a result").to_string();
    (cookie, conv, photo, result)
}

#[tokio::test]
async fn a_shared_version_opens_without_an_account_until_it_is_turned_off() {
    let app = TestApp::new().await;
    let (ada, _, _, result) = flipped(&app).await;
    let bob = app.signup("bob").await;

    let r = share(&app, &ada, json!({"image_id": result, "expires": "24h"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let link = r.json();
    assert_eq!((link["kind"].as_str(), link["image_id"].as_str()), (Some("image"), Some(result.as_str())));
    assert_eq!(link["expires_at"], "2026-11-30T12:00:00Z");
    let token = token_of(&link);

    // Anyone with the link, no cookie: the version, not for search engines, not kept by caches.
    let r = open(&app, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.headers["x-robots-tag"].to_str().unwrap().contains("noindex"));
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let view = r.json();
    assert_eq!((view["kind"].as_str(), view["title"].as_str()), (Some("image"), None));
    assert_eq!((view["image"]["width"].as_u64(), view["image"]["height"].as_u64()), (Some(40), Some(30)));
    assert_eq!(view["image"]["generation"]["steps"][0], "flip horizontally");
    assert_eq!(view["image"]["edited"], true, "an edit of the photo");
    // The owner's rating and flags are not the reader's business.
    assert!(view["image"].get("feedback").is_none() && view["image"].get("commercial").is_none());

    // Its picture by the signed address: the same bytes as the owner's download.
    let url = view["image"]["url"].as_str().unwrap().to_string();
    let file = app.get(path_of(&url), None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, app.get(&format!("/api/v1/images/{result}"), Some(&ada)).await.body);
    assert!(file.headers["x-robots-tag"].to_str().unwrap().contains("noindex"));
    let preview = app.get(path_of(view["image"]["preview_url"].as_str().unwrap()), None).await;
    assert_eq!(preview.status, StatusCode::OK);
    // A changed signature, deadline or picture opens nothing.
    for forged in [
        url.replace("sig=", "sig=00"),
        url.replace("expires=", "expires=1"),
        url.replace(&format!("files/{result}"), "files/0123456789abcdef0123456789abcdef"),
    ] {
        assert_eq!(app.get(path_of(&forged), None).await.status, StatusCode::NOT_FOUND, "{forged}");
    }
    // A token that isn't one.
    assert_eq!(open(&app, "nope").await.status, StatusCode::NOT_FOUND);
    assert_eq!(open(&app, &"0".repeat(48)).await.status, StatusCode::NOT_FOUND);

    // Only the owner sees and turns off her links.
    let listed = app.get("/api/v1/shares", Some(&ada)).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!((listed[0]["url"].clone(), listed[0]["views"].as_u64()), (link["url"].clone(), Some(1)));
    assert_eq!(app.get("/api/v1/shares", Some(&bob)).await.json(), json!([]));
    let uri = format!("/api/v1/shares/{}", link["id"].as_str().unwrap());
    app.request(Method::DELETE, &uri, Some(&bob), None, vec![])
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get("/api/v1/shares", None).await.status, StatusCode::UNAUTHORIZED);

    // Turned off: the link and the address of its picture stop at once.
    assert_eq!(
        app.request(Method::DELETE, &uri, Some(&ada), None, vec![]).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(open(&app, &token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(path_of(&url), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("shares").await, 0);

    // The page itself is served as not to be indexed either.
    let page = app.get(&format!("/s/{token}"), None).await;
    assert!(page.headers["x-robots-tag"].to_str().unwrap().contains("noindex"));
}

#[tokio::test]
async fn a_link_stops_when_it_expires_or_its_picture_is_deleted_and_never_shows_a_held_one() {
    let app = TestApp::new().await;
    let (ada, conv, photo, result) = flipped(&app).await;
    let bob = app.signup("bob").await;

    // What can't be shared: nothing named, both named, an unknown expiry, someone else's.
    for body in [json!({}), json!({"image_id": result, "conversation_id": conv})] {
        let r = share(&app, &ada, body).await;
        let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert!(message.contains("one picture or one conversation"), "{message}");
    }
    assert_eq!(
        share(&app, &ada, json!({"image_id": result, "expires": "1y"})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    share(&app, &bob, json!({"image_id": result})).await.error(StatusCode::NOT_FOUND, "not_found");
    share(&app, &bob, json!({"conversation_id": conv})).await.error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("shares").await, 0, "nothing written");

    // Expiry: 7 days by default; the moved clock ends it, and the sweep removes the row.
    let week = share(&app, &ada, json!({"image_id": photo})).await.json();
    assert_eq!(week["expires_at"], "2026-12-06T12:00:00Z");
    let token = token_of(&week);
    app.clock.advance(7 * 24 * 3600 - 1);
    assert_eq!(open(&app, &token).await.status, StatusCode::OK);
    app.clock.advance(1);
    assert_eq!(open(&app, &token).await.status, StatusCode::NOT_FOUND);
    // (A week on, Ada signs in again.)
    let login = json!({"login": "ada", "password": "a long enough password"});
    let ada = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    assert_eq!(app.get("/api/v1/shares", Some(&ada)).await.json(), json!([]));
    vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(app.count("shares").await, 0);

    // Deleting the version deletes its links.
    let never = share(&app, &ada, json!({"image_id": result, "expires": "never"})).await.json();
    assert_eq!(never["expires_at"], Value::Null);
    let r = app
        .request(Method::DELETE, &format!("/api/v1/images/{result}?versions=one"), Some(&ada), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(open(&app, &token_of(&never)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("shares").await, 0);

    // Evidence hold: no new link, and a link made before the hold stops showing it.
    let before = share(&app, &ada, json!({"image_id": photo, "expires": "30d"})).await.json();
    hold(&app, &photo).await;
    let message = share(&app, &ada, json!({"image_id": photo})).await.error(StatusCode::CONFLICT, "conflict");
    assert!(message.contains("legal reasons"), "{message}");
    assert_eq!(open(&app, &token_of(&before)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_shared_conversation_shows_its_words_and_pictures_but_never_a_held_one() {
    let app = TestApp::new().await;
    let (ada, conv, photo, result) = flipped(&app).await;
    let link = share(&app, &ada, json!({"conversation_id": conv, "expires": "30d"})).await.json();
    assert_eq!(
        (link["kind"].as_str(), link["image_id"].as_str()),
        (Some("conversation"), Some(result.as_str()))
    );
    assert_eq!(link["title"], "flip it");
    let token = token_of(&link);

    let view = open(&app, &token).await.json();
    assert_eq!(view["title"], "flip it");
    let messages = view["messages"].as_array().unwrap();
    let said: Vec<(&str, &str, Option<&str>)> = messages
        .iter()
        .map(|m| (m["role"].as_str().unwrap(), m["text"].as_str().unwrap(), m["image"]["id"].as_str()))
        .collect();
    assert_eq!(said[0], ("user", "", Some(photo.as_str())), "the photo added");
    assert_eq!(said[1].0, "user");
    assert_eq!(said[1].1, "flip it");
    assert_eq!(said[2].0, "assistant");
    assert_eq!(said[2].2, Some(result.as_str()));
    assert_eq!(view["image"]["id"], result.as_str(), "the latest picture leads");
    let result_url = messages[2]["image"]["url"].as_str().unwrap().to_string();
    assert_eq!(app.get(path_of(&result_url), None).await.status, StatusCode::OK);

    // A picture under evidence hold leaves the page, and its address stops working.
    hold(&app, &result).await;
    let view = open(&app, &token).await.json();
    assert!(view["messages"][2]["image"].is_null(), "{view}");
    assert_eq!(view["messages"][2]["text"], messages[2]["text"], "the words stay");
    assert_eq!(view["image"]["id"], photo.as_str());
    assert_eq!(app.get(path_of(&result_url), None).await.status, StatusCode::NOT_FOUND);

    // Deleting the conversation deletes its link.
    let r =
        app.request(Method::DELETE, &format!("/api/v1/conversations/{conv}"), Some(&ada), None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(open(&app, &token).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reader_copies_a_shared_picture_and_the_links_are_the_owners_data() {
    let app = TestApp::new().await;
    let (ada, conv, photo, result) = flipped(&app).await;
    let link = share(&app, &ada, json!({"image_id": result})).await.json();
    let token = token_of(&link);
    share(&app, &ada, json!({"conversation_id": conv})).await;

    // Bob, signed in, makes a copy of his own: a new photo with the same bytes.
    let bob = app.signup("bob").await;
    let uri = format!("/api/v1/shared/{token}/images/{result}/copy");
    assert_eq!(app.post_json(&uri, None, json!({})).await.status, StatusCode::UNAUTHORIZED);
    let r = app.post_json(&uri, Some(&bob), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let copy = r.json()["id"].as_str().unwrap().to_string();
    assert_ne!(copy, result);
    let mine = app.get(&format!("/api/v1/images/{copy}"), Some(&bob)).await;
    assert_eq!(mine.body, app.get(&format!("/api/v1/images/{result}"), Some(&ada)).await.body);
    assert_eq!(app.get(&format!("/api/v1/images/{copy}?size=256"), Some(&bob)).await.status, StatusCode::OK);
    // Only what the link shows: the photo isn't in a link to the result.
    let other = format!("/api/v1/shared/{token}/images/{photo}/copy");
    app.post_json(&other, Some(&bob), json!({})).await.error(StatusCode::NOT_FOUND, "not_found");
    // Ada deleting hers leaves Bob's copy his.
    app.request(Method::DELETE, &format!("/api/v1/images/{result}?versions=one"), Some(&ada), None, vec![])
        .await;
    assert_eq!(app.get(&format!("/api/v1/images/{copy}"), Some(&bob)).await.status, StatusCode::OK);

    // Ada's links are in what is held about her, without their tokens.
    let data = app.get("/api/v1/me/data", Some(&ada)).await.json();
    let rows = data["shares"].as_array().expect("a shares table");
    assert_eq!(rows.len(), 1, "the image's link went with the image: {rows:?}");
    assert_eq!(rows[0]["conversation_id"], conv.as_str());
    assert!(rows[0].get("token_hash").is_none() && rows[0].get("token_sealed").is_none(), "{rows:?}");

    // "Revoke all".
    let r = app.request(Method::DELETE, "/api/v1/shares", Some(&ada), None, vec![]).await;
    assert_eq!(r.json()["revoked"], 1);
    assert_eq!(app.count("shares").await, 0);
}

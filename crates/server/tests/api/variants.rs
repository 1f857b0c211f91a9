//! Variants: "make it warmer" with four variants makes four versions, siblings of the photo, the first as
//! asked and the others subtler, stronger and more vivid; the four are priced; the reply shows the first
//! until another is picked, and the next instruction works on the one picked. Asking for 0 or 5 is refused
//! in words with nothing stored; a version that isn't one of the reply's can't be picked.

use crate::common::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The mean red minus blue of a version: how warm it looks.
async fn warmth(app: &TestApp, cookie: &str, id: &str) -> f64 {
    let r = app.get(&format!("/api/v1/images/{id}"), Some(cookie)).await;
    let img = image::load_from_memory(&r.body).unwrap().to_rgb8();
    let n = f64::from(img.width() * img.height());
    img.pixels().map(|p| f64::from(p[0]) - f64::from(p[2])).sum::<f64>() / n
}

async fn balance(app: &TestApp, cookie: &str) -> i64 {
    app.get("/api/v1/me/credits", Some(cookie)).await.json()["balance"].as_i64().unwrap()
}

async fn put(app: &TestApp, uri: &str, cookie: Option<&str>, body: Value) -> crate::common::Reply {
    let json = Some("application/json");
    app.request(axum::http::Method::PUT, uri, cookie, json, body.to_string().into_bytes()).await
}

async fn send(app: &TestApp, cookie: &str, conv: &str, body: Value) -> (StatusCode, Value) {
    let r = app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(cookie), body).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn four_variants_are_four_priced_siblings_and_the_picked_one_is_edited_next() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("vera", 96, 64).await;

    // One result first, for its price.
    let before = balance(&app, &cookie).await;
    let (status, ex) = send(&app, &cookie, &conv, json!({"text": "make it warmer", "image_id": photo})).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let one = app.complete(&cookie, &conv, ex).await;
    assert!(one["reply"]["variants"].is_null(), "a single result has no variants: {one}");
    let price = before - balance(&app, &cookie).await;
    assert!(price > 0);

    let before = balance(&app, &cookie).await;
    let body =
        json!({"text": "make it warmer", "image_id": photo, "params": {"variants": 4, "format": "png"}});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    assert_eq!(before - balance(&app, &cookie).await, 4 * price, "four variants cost four results");
    let ex = app.complete(&cookie, &conv, ex).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let reply = &ex["reply"];
    let variants = reply["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 4);
    assert_eq!(reply["image"]["id"], variants[0]["id"], "the first is shown until another is picked");
    for v in variants {
        assert_eq!(v["parent_id"], photo.as_str(), "siblings of the photo");
    }
    // As asked, subtler, stronger, and as asked with more vivid colour.
    let ids: Vec<&str> = variants.iter().map(|v| v["id"].as_str().unwrap()).collect();
    let mut warm = Vec::new();
    for id in &ids {
        warm.push(warmth(&app, &cookie, id).await);
    }
    assert!(warm[1] < warm[0] && warm[0] < warm[2], "{warm:?}");
    let steps: Vec<String> = variants.iter().map(|v| v["generation"]["steps"].to_string()).collect();
    assert!(steps[3].contains("contrast") && steps[3].contains("saturation"), "{steps:?}");
    // Every variant is in the version list of the photo's tree and in the library.
    let library = app.get("/api/v1/images", Some(&cookie)).await.json().to_string();
    assert!(ids.iter().all(|id| library.contains(id)));

    // Pick the third: the reply shows it, and the next instruction (no image named) edits it.
    let reply_id = reply["id"].as_str().unwrap();
    let pick = format!("/api/v1/conversations/{conv}/messages/{reply_id}/image");
    let r = put(&app, &pick, Some(&cookie), json!({"image_id": ids[2]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["image"]["id"], ids[2]);
    // Its words now say what the picked one is: the stronger warmth.
    let said = r.json()["text"].as_str().unwrap().to_string();
    assert!(
        said.starts_with("Done: warmer") && said != reply["text"].as_str().unwrap(),
        "{said} vs {}",
        reply["text"]
    );
    assert_eq!(r.json()["variants"].as_array().unwrap().len(), 4);
    let (_, ex) = send(&app, &cookie, &conv, json!({"text": "rotate it 90 degrees"})).await;
    let next = app.complete(&cookie, &conv, ex).await;
    assert_eq!(next["reply"]["image"]["parent_id"], ids[2]);

    // Not one of the reply's: the photo itself; an unknown reply; someone else.
    let r = put(&app, &pick, Some(&cookie), json!({"image_id": photo})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("isn't one of this reply's variants"));
    let unknown = format!("/api/v1/conversations/{conv}/messages/nope/image");
    assert_eq!(
        put(&app, &unknown, Some(&cookie), json!({"image_id": ids[1]})).await.status,
        StatusCode::NOT_FOUND
    );
    let other = app.signup("not-vera").await;
    assert_eq!(
        put(&app, &pick, Some(&other), json!({"image_id": ids[1]})).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn asking_for_no_variants_or_too_many_is_refused_in_words_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("vic", 64, 48).await;
    let path = format!("/api/v1/conversations/{conv}");
    let before = app.get(&path, Some(&cookie)).await.json()["messages"].clone();
    for n in [0, 5, 200] {
        let body = json!({"text": "make it warmer", "image_id": photo, "params": {"variants": n}});
        let (status, problem) = send(&app, &cookie, &conv, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{n}: {problem}");
        assert!(problem.to_string().contains("Ask for 1 to 4 variants at a time"), "{n}: {problem}");
    }
    assert_eq!(app.get(&path, Some(&cookie)).await.json()["messages"], before, "nothing stored");
}

#[tokio::test]
async fn a_model_provider_is_asked_once_per_variant() {
    use crate::providers::{config, start_fake, Answer};
    use vinano_server::providers::ProviderConfig;
    let (url, fake) = start_fake(&[Answer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let (cookie, conv, photo) = app.conversation_with_photo("vincent", 64, 48).await;
    let body = json!({"text": "turn it into a watercolor", "image_id": photo, "params": {"variants": 2}});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(&cookie, &conv, ex).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    assert_eq!(ex["reply"]["variants"].as_array().unwrap().len(), 2);
    assert_eq!(fake.seen.lock().unwrap().len(), 2, "one call per variant");
}

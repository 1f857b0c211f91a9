//! Proves that the words the server stores for a person to read (the editor's replies, the steps of an
//! edit, why a job failed, what a data-rights request was about, a note on a deletion) come with their
//! message key, so the app can say them in the person's language, and that every stored key is one the
//! locale files have.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use vinano_api::problem::words::english;
use vinano_api::Said;

/// The stored key of `value` said in English: what the English beside it must read.
fn said(value: &Value) -> String {
    let said: Said = serde_json::from_value(value.clone()).expect("a message key with its values");
    let text = english(&said.key, &said.args);
    assert_ne!(text, said.key, "{} is not in the locale files", said.key);
    text
}

#[tokio::test]
async fn replies_steps_and_failures_carry_their_message_keys() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 40, 30).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    let post =
        |text: &'static str| app.post_json(&url, Some(&cookie), json!({"text": text, "image_id": image}));

    // Not understood: the written reply.
    let sent = post("sing me a song").await.json();
    assert_eq!(sent["reply"]["text_said"], json!({"key": "reply-not-understood"}));
    assert_eq!(said(&sent["reply"]["text_said"]), sent["reply"]["text"].as_str().unwrap());

    // A value out of range: the reply names the range.
    let sent = post("rotate 45 degrees").await.json();
    assert_eq!(sent["reply"]["text_said"]["key"], "reply-rotate-quarter");

    // An edit: the reply lists the steps and what was left out; the result lists its steps.
    let done = app.complete(&cookie, &conv, post("add a rainbow and crop it square").await.json()).await;
    let reply = &done["reply"];
    assert_eq!(reply["text"], "Done: crop square. I didn't understand \"add a rainbow\" and left that out.");
    assert_eq!(said(&reply["text_said"]), reply["text"].as_str().unwrap());
    assert_eq!(reply["text_said"]["args"]["steps"], json!([{"key": "op-crop-square"}]));
    let generation = &reply["image"]["generation"];
    assert_eq!(generation["steps"], json!(["crop square"]));
    assert_eq!(generation["steps_said"], json!([{"key": "op-crop-square"}]));

    // A failure: a crossfade of an upload has nothing to fade from.
    let failed = app.complete(&cookie, &conv, post("crossfade video").await.json()).await;
    assert_eq!(failed["job"]["state"], "failed");
    assert_eq!(failed["job"]["error_said"], json!({"key": "reason-crossfade-needs-earlier"}));
    assert_eq!(said(&failed["job"]["error_said"]), failed["job"]["error"].as_str().unwrap());
    // The thread says the same on reading it again.
    let thread = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    let prompt = thread["messages"].as_array().unwrap().iter().find(|m| m["id"] == failed["prompt"]["id"]);
    assert_eq!(prompt.unwrap()["job"]["error_said"], failed["job"]["error_said"]);
}

#[tokio::test]
async fn tracker_details_and_deletion_notes_carry_their_message_keys() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let range = json!({"from": "2020-01-01", "to": "2020-12-31"});
    let deleted = app.post_json("/api/v1/me/images/delete-range", Some(&cookie), range).await;
    assert_eq!(deleted.status, StatusCode::OK);
    let profile = json!({"name": "Ada King", "date_of_birth": "1990-05-18"});
    let patched = app
        .request(
            Method::PATCH,
            "/api/v1/me/profile",
            Some(&cookie),
            Some("application/json"),
            profile.to_string().into_bytes(),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(
        app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await.status,
        StatusCode::ACCEPTED
    );

    let requests = app.get("/api/v1/me/requests", Some(&cookie)).await.json();
    let detail = |kind: &str| -> Value {
        requests.as_array().unwrap().iter().find(|r| r["kind"] == kind).unwrap().clone()
    };
    let range = detail("deletion");
    assert_eq!(range["detail"], "images from 2020-01-01 to 2020-12-31");
    assert_eq!(range["detail_said"]["key"], "request-images-range");
    assert_eq!(said(&range["detail_said"]), "images from 2020-01-01 to 2020-12-31");
    let corrected = detail("correction");
    assert_eq!(corrected["detail"], "corrected name, date of birth");
    assert_eq!(said(&corrected["detail_said"]), "corrected name, date of birth");
    assert_eq!(said(&detail("export")["detail_said"]), "a copy of all your data (ZIP)");
}

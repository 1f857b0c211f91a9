//! Home's suggestions from a person's own history: the instructions they send again and again (by their
//! words alone; never a tool's summary), and the results they liked; nobody else's.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn suggestions_are_the_persons_own_repeated_instructions_and_liked_results() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 64, 48).await;
    let empty = app.get("/api/v1/me/suggestions", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json(), json!({"instructions": [], "liked": []}));

    let mut results = vec![];
    for (text, tool) in [
        ("make it black and white", None),
        ("crop it square", None),
        ("Make it black and white", None),
        ("rotate it 90 degrees", None),
        ("crop it square", None),
        ("make it black and white", None),
        ("Enhance preset: Food", Some(json!({"tool": "enhance", "preset": "food"}))),
        ("Enhance preset: Food", Some(json!({"tool": "enhance", "preset": "food"}))),
    ] {
        let body = json!({"text": text, "image_id": photo, "tool": tool});
        let r = app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(&cookie), body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
        let ex = app.complete(&cookie, &conv, r.json()).await;
        results.push(ex["reply"]["image"]["id"].as_str().unwrap().to_string());
        app.clock.advance(1);
    }
    // Two liked, one disliked.
    for (id, rating) in [(&results[0], "up"), (&results[1], "down"), (&results[3], "up")] {
        let r = app
            .request(
                axum::http::Method::PUT,
                &format!("/api/v1/images/{id}/feedback"),
                Some(&cookie),
                Some("application/json"),
                json!({"rating": rating}).to_string().into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
        app.clock.advance(1);
    }

    let got = app.get("/api/v1/me/suggestions", Some(&cookie)).await.json();
    // Most used first, as last written; used once (the rotation) and a tool's summary are not offered.
    assert_eq!(
        got["instructions"],
        json!([{"text": "make it black and white", "times": 3}, {"text": "crop it square", "times": 2}])
    );
    let liked: Vec<&str> =
        got["liked"].as_array().unwrap().iter().map(|i| i["image"]["id"].as_str().unwrap()).collect();
    assert_eq!(liked, [results[3].as_str(), results[0].as_str()], "newest rating first, only the good ones");
    assert_eq!(got["liked"][0]["conversation_id"], conv.as_str());
    assert_eq!(got["liked"][0]["image"]["feedback"]["rating"], "up");

    // Someone else sees their own (nothing), and a visitor is asked to sign in.
    let other = app.signup("bob").await;
    assert_eq!(
        app.get("/api/v1/me/suggestions", Some(&other)).await.json(),
        json!({"instructions": [], "liked": []})
    );
    assert_eq!(app.get("/api/v1/me/suggestions", None).await.status, StatusCode::UNAUTHORIZED);
}

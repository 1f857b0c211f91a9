//! My presets through the API: the steps of a result saved under a name and an icon and run again on another
//! photo give the same steps; what can't be run again, bad names and anyone else's are refused; presets are
//! in the person's data.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_saved_preset_runs_the_same_steps_on_another_photo() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 160, 120).await;
    let r = app
        .post_message(
            &cookie,
            &conv,
            json!({"text": "make it black and white and crop it square", "image_id": photo}),
        )
        .await;
    let made = app.complete(&cookie, &conv, r.json()).await;
    let image = made["reply"]["image"].clone();
    let steps = image["generation"]["steps"].clone();
    assert_eq!(steps.as_array().map(Vec::len), Some(2), "{steps}");

    let r = app
        .post_json(
            "/api/v1/presets",
            Some(&cookie),
            json!({"image_id": image["id"], "name": "  Mono square ", "icon": "moon"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let preset = r.json();
    assert_eq!((preset["name"].as_str(), preset["icon"].as_str()), (Some("Mono square"), Some("moon")));
    assert_eq!(preset["steps"], steps);
    let list = app.get("/api/v1/presets", Some(&cookie)).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    // Another photo, in another conversation: the preset's steps, not the words', make the version.
    let (conv2, other) = {
        let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let up = app.upload(&cookie, common::jpeg(200, 100)).await.json();
        (conv, up["id"].as_str().unwrap().to_string())
    };
    let r = app
        .post_message(
            &cookie,
            &conv2,
            json!({"text": "Mono square", "image_id": other, "preset": preset["id"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let again = app.complete(&cookie, &conv2, r.json()).await;
    assert_eq!(again["job"]["state"], "succeeded", "{again}");
    let result = &again["reply"]["image"];
    assert_eq!(result["generation"]["steps"], steps);
    assert_eq!((result["width"].as_u64(), result["height"].as_u64()), (Some(100), Some(100)));
    let file = app.get(&format!("/api/v1/images/{}", result["id"].as_str().unwrap()), Some(&cookie)).await;
    let px = image::load_from_memory(&file.body).unwrap().to_rgb8().get_pixel(50, 50).0;
    assert!(px[0].abs_diff(px[1]) <= 2 && px[1].abs_diff(px[2]) <= 2, "grey: {px:?}");
    // Used, it comes first, with when.
    let list = app.get("/api/v1/presets", Some(&cookie)).await.json();
    assert!(list[0]["used_at"].is_string(), "{list}");

    // It is in her data (access), with its steps.
    let data = app.get("/api/v1/me/data", Some(&cookie)).await.json();
    assert_eq!(data["presets"][0]["name"], "Mono square");
    assert!(data["presets"][0]["plan_json"]
        .as_str()
        .is_some_and(|p| p.contains("grayscale") || p.contains("Grayscale")));

    // Deleted: gone, and a message naming it is refused.
    let id = preset["id"].as_str().unwrap();
    let r = app.request(Method::DELETE, &format!("/api/v1/presets/{id}"), Some(&cookie), None, vec![]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.request(Method::DELETE, &format!("/api/v1/presets/{id}"), Some(&cookie), None, vec![]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_message(&cookie, &conv2, json!({"text": "Mono square", "image_id": other, "preset": id}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn what_cannot_be_run_again_bad_names_and_other_peoples_are_refused() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 120, 80).await;
    let new = |image: &str, name: &str| json!({"image_id": image, "name": name});
    // An upload has no steps.
    let r = app.post_json("/api/v1/presets", Some(&cookie), new(&photo, "Mine")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "image_id", "{}", String::from_utf8_lossy(&r.body));
    let r = app.post_message(&cookie, &conv, json!({"text": "make it warmer", "image_id": photo})).await;
    let warm =
        app.complete(&cookie, &conv, r.json()).await["reply"]["image"]["id"].as_str().unwrap().to_string();
    for name in ["", "   ", &"x".repeat(61)] {
        let r = app.post_json("/api/v1/presets", Some(&cookie), new(&warm, name)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(r.json()["field"], "name");
    }
    let r = app
        .post_json("/api/v1/presets", Some(&cookie), json!({"image_id": warm, "name": "W", "icon": "rocket"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an icon the app can't draw");
    let preset = app.post_json("/api/v1/presets", Some(&cookie), new(&warm, "Warm")).await.json();
    // Bob can't save Ada's version, see, run or delete her preset.
    let bob = app.signup("bob").await;
    let r = app.post_json("/api/v1/presets", Some(&bob), new(&warm, "Hers")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/presets", Some(&bob)).await.json(), json!([]));
    let bob_conv = app.post_json("/api/v1/conversations", Some(&bob), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bob_photo = app.upload(&bob, common::jpeg(40, 40)).await.json()["id"].as_str().unwrap().to_string();
    let r = app
        .post_message(&bob, &bob_conv, json!({"text": "Warm", "image_id": bob_photo, "preset": preset["id"]}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/presets/{}", preset["id"].as_str().unwrap());
    assert_eq!(
        app.request(Method::DELETE, &path, Some(&bob), None, vec![]).await.status,
        StatusCode::NOT_FOUND
    );
    // A preset with a tool's form or a brushed area: refused, nothing stored.
    let r = app.post_message(&cookie, &conv,
        json!({"text": "Warm", "image_id": photo, "preset": preset["id"], "tool": {"tool": "enhance", "preset": "food"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["key"], "error-preset-alone", "{}", String::from_utf8_lossy(&r.body));
    // Without an account: 401.
    assert_eq!(app.get("/api/v1/presets", None).await.status, StatusCode::UNAUTHORIZED);
}

//! Proves the edit round trip (upload → instruction → stored result version) and that one user can never
//! see or use another user's conversations or images.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{jpeg, TestApp};
use serde_json::json;

async fn conversation(app: &TestApp, cookie: &str) -> String {
    let r = app.post_json("/api/v1/conversations", Some(cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn upload(app: &TestApp, cookie: &str) -> String {
    let r = app.upload(cookie, jpeg(80, 40)).await;
    assert_eq!(r.status, StatusCode::CREATED);
    r.json()["id"].as_str().unwrap().to_string()
}

/// Posts an instruction to a conversation.
async fn send(app: &TestApp, cookie: &str, conv: &str, text: &str, image: Option<&str>) -> common::Reply {
    app.post_json(
        &format!("/api/v1/conversations/{conv}/messages"),
        Some(cookie),
        json!({"text": text, "image_id": image}),
    )
    .await
}

#[tokio::test]
async fn edit_round_trip_black_and_white_rotated() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;

    let r =
        send(&app, &cookie, &conv, "make it black and white and rotate it 90 degrees", Some(&image)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    // The answer comes at once with a queued job; its result becomes the reply.
    let queued = r.json();
    assert_eq!(queued["job"]["state"], "queued");
    assert!(queued["reply"].is_null());
    let ex = app.complete(&cookie, &conv, queued).await;
    assert_eq!(ex["job"]["state"], "succeeded");
    assert_eq!(ex["job"]["progress"], 100);
    assert_eq!(ex["prompt"]["image"]["id"], image.as_str());
    let result = &ex["reply"]["image"];
    assert_eq!(result["parent_id"], image.as_str());
    assert_eq!((result["width"].as_u64(), result["height"].as_u64()), (Some(40), Some(80)));
    assert!(ex["reply"]["text"].as_str().unwrap().contains("black and white"));
    // What produced the result is shown, not hidden.
    let generation = &result["generation"];
    assert_eq!(generation["steps"], json!(["black and white", "rotate 90° clockwise"]));
    assert_eq!(generation["provider"], "local");
    assert!(generation["duration_ms"].is_u64());
    assert!(ex["prompt"]["image"]["generation"].is_null(), "uploads have no generation");

    let bytes = app.get(&format!("/api/v1/images/{}", result["id"].as_str().unwrap()), Some(&cookie)).await;
    let pixels = image::load_from_memory(&bytes.body).unwrap().to_rgb8();
    assert_eq!(pixels.dimensions(), (40, 80));
    assert!(pixels.pixels().all(|p| p[0].abs_diff(p[1]) <= 3 && p[1].abs_diff(p[2]) <= 3), "grayscale");
    // Rotated clockwise: the red (brighter in gray) left half is now the top half.
    let (top, bottom) = (pixels.get_pixel(20, 10)[0], pixels.get_pixel(20, 70)[0]);
    assert_ne!(top, bottom);

    // The thread survives a reload: the detail lists prompt then reply, and the plan is stored.
    let d = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    assert_eq!(d["messages"].as_array().unwrap().len(), 2);
    assert_eq!(d["messages"][0]["role"], "user");
    assert_eq!(d["messages"][1]["role"], "assistant");
    assert_eq!(d["messages"][1]["reply_to"], d["messages"][0]["id"]);
    assert_eq!(d["messages"][0]["job"]["state"], "succeeded");
    assert_eq!(d["messages"][1]["image"]["generation"]["steps"], generation["steps"]);
    assert_eq!(d["conversation"]["title"], "make it black and white and rotate it 90 degrees");
    let plan: String = sqlx::query_scalar("SELECT plan_json FROM images WHERE parent_id IS NOT NULL")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(plan, r#"{"operations":[{"op":"grayscale"},{"op":"rotate","degrees":90}]}"#);

    // Without an image_id the latest image (the result) is the target.
    let r = edit(&app, &cookie, &conv, "crop it square", None).await;
    assert_eq!(r["prompt"]["image"]["id"], result["id"]);
    assert_eq!(
        (r["reply"]["image"]["width"].as_u64(), r["reply"]["image"]["height"].as_u64()),
        (Some(40), Some(40))
    );

    let list = app.get("/api/v1/conversations", Some(&cookie)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_instructions_get_a_helpful_reply_without_an_image() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    let r = send(&app, &cookie, &conv, "sing me a song", Some(&image)).await;
    assert_eq!(r.status, StatusCode::OK);
    let reply = &r.json()["reply"];
    assert!(reply["image"].is_null());
    assert!(reply["text"].as_str().unwrap().contains("I can change brightness"));
    assert_eq!(app.count("images").await, 1);
}

#[tokio::test]
async fn instructions_need_text_and_a_photo() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    let m = app
        .post_json(&url, Some(&cookie), json!({"text": "rotate"}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("attach a photo"), "{m}");
    app.post_json(&url, Some(&cookie), json!({"text": "   "}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.count("messages").await, 0);
}

#[tokio::test]
async fn photos_added_without_words_wait_in_the_thread_as_targets() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let first = upload(&app, &cookie).await;
    let r = app.upload(&cookie, jpeg(40, 120)).await;
    let second = r.json()["id"].as_str().unwrap().to_string();
    for image in [&first, &second] {
        let r = send(&app, &cookie, &conv, "", Some(image)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.json()["reply"].is_null());
        assert_eq!(r.json()["prompt"]["image"]["id"], image.as_str());
    }
    // No instruction yet: two user messages, no result, and the title is still the default.
    assert_eq!(app.count("messages").await, 2);
    assert_eq!(app.count("images").await, 2);
    // Without a chosen target the latest photo (the second, 40 × 120) is edited...
    let latest = edit(&app, &cookie, &conv, "rotate 90 degrees", None).await;
    assert_eq!(latest["reply"]["image"]["parent_id"], second.as_str());
    assert_eq!(
        (latest["reply"]["image"]["width"].as_u64(), latest["reply"]["image"]["height"].as_u64()),
        (Some(120), Some(40))
    );
    // ...and the first can be chosen explicitly.
    let chosen = edit(&app, &cookie, &conv, "rotate 90 degrees", Some(&first)).await;
    assert_eq!(chosen["reply"]["image"]["parent_id"], first.as_str());
    let detail = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    let texts: Vec<_> =
        detail["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 6);
    assert_eq!(texts[..3], ["", "", "rotate 90 degrees"]);
    assert_eq!(detail["conversation"]["title"], "rotate 90 degrees");
}

#[tokio::test]
async fn a_repeated_request_with_the_same_idempotency_key_runs_once() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    let body = json!({"text": "rotate left", "image_id": image}).to_string().into_bytes();
    let url = format!("/api/v1/conversations/{conv}/messages");
    let send = || {
        app.request_with(
            Method::POST,
            &url,
            Some(&cookie),
            Some("application/json"),
            body.clone(),
            &[("idempotency-key", "k-1")],
        )
    };
    let (a, b) = (send().await, send().await);
    assert_eq!(a.status, StatusCode::OK);
    // The replay is the same prompt and the same job (whose state may have moved on meanwhile).
    assert_eq!(a.json()["prompt"]["id"], b.json()["prompt"]["id"]);
    assert_eq!(a.json()["job"]["id"], b.json()["job"]["id"]);
    assert_eq!(a.json()["prompt"]["job"]["id"], a.json()["job"]["id"]);
    app.complete(&cookie, &conv, a.json()).await;
    assert_eq!(send().await.json()["job"]["state"], "succeeded");
    assert_eq!(app.count("jobs").await, 1);
    assert_eq!(app.count("messages").await, 2);
    assert_eq!(app.count("images").await, 2);

    // Adding a photo without words is idempotent too.
    let attach = json!({"text": "", "image_id": image}).to_string().into_bytes();
    let add = || {
        app.request_with(
            Method::POST,
            &url,
            Some(&cookie),
            Some("application/json"),
            attach.clone(),
            &[("idempotency-key", "k-2")],
        )
    };
    let (a, b) = (add().await, add().await);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), b.json());
    assert!(a.json()["reply"].is_null());
    assert_eq!(app.count("messages").await, 3);

    // The same key with other words is refused with a message, and nothing is written.
    let other = json!({"text": "rotate right", "image_id": image}).to_string().into_bytes();
    let r = app
        .request_with(
            Method::POST,
            &url,
            Some(&cookie),
            Some("application/json"),
            other,
            &[("idempotency-key", "k-1")],
        )
        .await;
    let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(message.contains("already used for a different message"), "{message}");
    assert_eq!((app.count("messages").await, app.count("jobs").await), (3, 1));

    // The same key in another conversation is a new key there: a new exchange, not an error.
    let elsewhere = conversation(&app, &cookie).await;
    let r = app
        .request_with(
            Method::POST,
            &format!("/api/v1/conversations/{elsewhere}/messages"),
            Some(&cookie),
            Some("application/json"),
            body.clone(),
            &[("idempotency-key", "k-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_ne!(r.json()["prompt"]["id"], a.json()["prompt"]["id"]);
    assert_eq!(app.count("jobs").await, 2);
}

#[tokio::test]
async fn user_b_cannot_reach_user_a_s_things() {
    let app = TestApp::new().await;
    let a = app.signup("alice").await;
    let b = app.signup("bob").await;
    let conv = conversation(&app, &a).await;
    let image = upload(&app, &a).await;

    app.get(&format!("/api/v1/conversations/{conv}"), Some(&b))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/api/v1/images/{image}"), Some(&b)).await.error(StatusCode::NOT_FOUND, "not_found");
    app.post_json(
        &format!("/api/v1/conversations/{conv}/messages"),
        Some(&b),
        json!({"text": "rotate", "image_id": image}),
    )
    .await
    .error(StatusCode::NOT_FOUND, "not_found");
    // Bob's own conversation cannot target Alice's image either.
    let bob_conv = conversation(&app, &b).await;
    app.post_json(
        &format!("/api/v1/conversations/{bob_conv}/messages"),
        Some(&b),
        json!({"text": "rotate", "image_id": image}),
    )
    .await
    .error(StatusCode::NOT_FOUND, "not_found");
    assert!(app
        .get("/api/v1/conversations", Some(&b))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != conv.as_str()));
    assert_eq!(app.count("messages").await, 0);
}

/// Posts an instruction and waits for its result.
async fn edit(app: &TestApp, cookie: &str, conv: &str, text: &str, image: Option<&str>) -> serde_json::Value {
    let r = send(app, cookie, conv, text, image).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    app.complete(cookie, conv, r.json()).await
}

#[tokio::test]
async fn rename_search_and_page_conversations() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let first = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    edit(&app, &cookie, &first, "make it black and white", Some(&image)).await;
    app.clock.advance(60);
    let second = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    edit(&app, &cookie, &second, "crop it square", Some(&image)).await;
    app.clock.advance(60);

    let r = app
        .request(
            Method::PATCH,
            &format!("/api/v1/conversations/{first}"),
            Some(&cookie),
            Some("application/json"),
            json!({"title": "  Holiday 100%_fun  "}).to_string().into_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["title"], "Holiday 100%_fun");
    app.request(
        Method::PATCH,
        &format!("/api/v1/conversations/{first}"),
        Some(&cookie),
        Some("application/json"),
        json!({"title": " "}).to_string().into_bytes(),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

    let titles = |v: serde_json::Value| {
        v.as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    // Newest activity first: the rename touched the first conversation.
    assert_eq!(
        titles(app.get("/api/v1/conversations", Some(&cookie)).await.json()),
        ["Holiday 100%_fun", "crop it square"]
    );
    // Search matches titles and prompts, case-insensitively; wildcards are literal.
    assert_eq!(
        titles(app.get("/api/v1/conversations?q=HOLIDAY", Some(&cookie)).await.json()),
        ["Holiday 100%_fun"]
    );
    assert_eq!(
        titles(app.get("/api/v1/conversations?q=black%20and", Some(&cookie)).await.json()),
        ["Holiday 100%_fun"]
    );
    assert_eq!(
        titles(app.get("/api/v1/conversations?q=100%25_", Some(&cookie)).await.json()),
        ["Holiday 100%_fun"]
    );
    assert!(titles(app.get("/api/v1/conversations?q=%25", Some(&cookie)).await.json()).len() == 1);
    assert!(
        titles(app.get("/api/v1/conversations?q=nothing-like-this", Some(&cookie)).await.json()).is_empty()
    );
    // Paging.
    assert_eq!(
        titles(app.get("/api/v1/conversations?limit=1&offset=1", Some(&cookie)).await.json()),
        ["crop it square"]
    );
}

#[tokio::test]
async fn deleting_a_conversation_removes_its_messages_images_and_files() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let keep = conversation(&app, &cookie).await;
    let kept_image = upload(&app, &cookie).await;
    edit(&app, &cookie, &keep, "rotate it", Some(&kept_image)).await;
    let doomed = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    edit(&app, &cookie, &doomed, "flip it", Some(&image)).await;
    edit(&app, &cookie, &doomed, "crop it square", None).await;
    assert_eq!((app.count("images").await, app.state.blobs.count().await), (5, 5));

    let other = app.signup("mallory").await;
    app.request(Method::DELETE, &format!("/api/v1/conversations/{doomed}"), Some(&other), None, vec![])
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.request(
        Method::PATCH,
        &format!("/api/v1/conversations/{doomed}"),
        Some(&other),
        Some("application/json"),
        json!({"title": "mine"}).to_string().into_bytes(),
    )
    .await
    .error(StatusCode::NOT_FOUND, "not_found");

    let r = app
        .request(Method::DELETE, &format!("/api/v1/conversations/{doomed}"), Some(&cookie), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/conversations/{doomed}"), Some(&cookie))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/api/v1/images/{image}"), Some(&cookie))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    // Only the other conversation's upload and result remain, as rows and as files.
    assert_eq!((app.count("images").await, app.state.blobs.count().await), (2, 2));
    assert_eq!(app.count("messages").await, 2);
    assert_eq!(app.get(&format!("/api/v1/images/{kept_image}"), Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn results_can_be_rated_and_the_rating_is_kept() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let original = upload(&app, &cookie).await;
    edit(&app, &cookie, &conv, "rotate it", Some(&original)).await;
    let detail = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    let result = detail["messages"][1]["image"]["id"].as_str().unwrap().to_string();
    let put = |who: String, id: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.request(
                Method::PUT,
                &format!("/api/v1/images/{id}/feedback"),
                Some(&who),
                Some("application/json"),
                body.to_string().into_bytes(),
            )
            .await
        }
    };

    let r = put(cookie.clone(), result.clone(), json!({"rating": "down", "comment": "  too dark  "})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"rating": "down", "comment": "too dark"}));
    // Rating again replaces the first rating.
    put(cookie.clone(), result.clone(), json!({"rating": "up"})).await;
    assert_eq!(app.count("feedback").await, 1);
    let detail = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    assert_eq!(detail["messages"][1]["image"]["feedback"], json!({"rating": "up"}));

    put(cookie.clone(), original.clone(), json!({"rating": "up"}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    put(cookie.clone(), result.clone(), json!({"rating": "meh"}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    put(cookie.clone(), result.clone(), json!({"rating": "up", "comment": "x".repeat(1001)}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let other = app.signup("mallory").await;
    put(other.clone(), result.clone(), json!({"rating": "down"}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.request(Method::DELETE, &format!("/api/v1/images/{result}/feedback"), Some(&other), None, vec![])
        .await
        .error(StatusCode::NOT_FOUND, "not_found");

    let r = app
        .request(Method::DELETE, &format!("/api/v1/images/{result}/feedback"), Some(&cookie), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.count("feedback").await, 0);
}

#[tokio::test]
async fn parameters_shape_the_result_and_become_the_defaults() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    let image = upload(&app, &cookie).await;
    // Nothing chosen yet: the defaults.
    let prefs = app.get("/api/v1/me/preferences", Some(&cookie)).await.json();
    assert_eq!(
        prefs,
        json!({"edit": {"aspect": "original", "style": "none", "format": "auto", "variants": 1}})
    );

    let url = format!("/api/v1/conversations/{conv}/messages");
    let body = json!({"text": "rotate it 90 degrees", "image_id": image,
                      "params": {"aspect": "16:9", "style": "mono", "format": "png"}});
    let r = app.post_json(&url, Some(&cookie), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let done = app.complete(&cookie, &conv, r.json()).await;
    let result = &done["reply"]["image"];
    // 80 × 40 rotated is 40 × 80; cropped to 16:9 in the centre: 40 × 22.
    assert_eq!((result["width"].as_u64(), result["height"].as_u64()), (Some(40), Some(22)));
    assert_eq!(result["content_type"], "image/png");
    assert_eq!(
        result["generation"]["steps"],
        json!(["rotate 90° clockwise", "crop to 16:9", "black and white"])
    );
    let bytes = app.get(&format!("/api/v1/images/{}", result["id"].as_str().unwrap()), Some(&cookie)).await;
    assert_eq!(bytes.headers["content-type"], "image/png");
    let decoded = vinano_imaging::decode(&bytes.body, vinano_imaging::DecodeLimits::default()).unwrap();
    assert!(decoded.image.to_rgb8().pixels().all(|p| p[0] == p[1] && p[1] == p[2]), "mono style");

    // The choices are now the person's defaults; another person's are untouched.
    let prefs = app.get("/api/v1/me/preferences", Some(&cookie)).await.json();
    assert_eq!(prefs["edit"], json!({"aspect": "16:9", "style": "mono", "format": "png", "variants": 1}));
    let other = app.signup("bob").await;
    assert_eq!(app.get("/api/v1/me/preferences", Some(&other)).await.json()["edit"]["aspect"], "original");

    // They can be set directly, and absurd values are refused without changing anything.
    let put = |body| {
        app.request(
            Method::PUT,
            "/api/v1/me/preferences",
            Some(&cookie),
            Some("application/json"),
            serde_json::to_vec(&body).unwrap(),
        )
    };
    assert_eq!(put(json!({"edit": {"aspect": "1:1"}})).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me/preferences", Some(&cookie)).await.json()["edit"],
        json!({"aspect": "1:1", "style": "none", "format": "auto", "variants": 1})
    );
    put(json!({"edit": {"aspect": "5:4"}})).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    put(json!({"edit": {"variants": 9}})).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let bad = json!({"text": "flip it", "image_id": image, "params": {"format": "gif"}});
    app.post_json(&url, Some(&cookie), bad).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.get("/api/v1/me/preferences", Some(&cookie)).await.json()["edit"]["aspect"], "1:1");
    assert_eq!(
        app.request(Method::GET, "/api/v1/me/preferences", None, None, vec![]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_poster_needs_no_photo_and_captions_are_drawn() {
    // Only the bundled Latin font: no CJK font is looked for.
    let app = TestApp::with_config(|c| c.font_dirs.clear()).await;
    let cookie = app.signup("ada").await;
    let conv = conversation(&app, &cookie).await;
    // No photo in the conversation: a poster is made from the words.
    let poster =
        edit(&app, &cookie, &conv, "create a poster for a summer sale with the text '50% OFF'", None).await;
    assert_eq!(poster["job"]["state"], "succeeded", "{poster}");
    assert!(poster["prompt"]["image"].is_null());
    let image = &poster["reply"]["image"];
    assert!(image["parent_id"].is_null());
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1080), Some(1350)));
    assert_eq!(image["generation"]["steps"], json!(["poster \"50% OFF\""]));
    let bytes = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(&cookie)).await;
    let pixels = image::load_from_memory(&bytes.body).unwrap().to_rgb8();
    let white = (400..560)
        .flat_map(|y| (0..1080).map(move |x| (x, y)))
        .filter(|&(x, y)| pixels.get_pixel(x, y).0.iter().all(|&c| c > 235))
        .count();
    assert!(white > 5000, "the title is written across the poster ({white} white pixels)");

    // A caption on the poster (the latest image), at the top, in black.
    let captioned = edit(&app, &cookie, &conv, "add the text \"Today only\" at the top in black", None).await;
    assert_eq!(captioned["reply"]["image"]["parent_id"], image["id"]);
    // Characters no font here can draw are refused up front, with the reason, and nothing is stored.
    let before = app.count("messages").await;
    let m = send(&app, &cookie, &conv, "加上文字「生日快樂」", None)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("生日快樂") && m.contains("CJK font"), "{m}");
    assert_eq!(app.count("messages").await, before);
}

#[tokio::test]
async fn a_video_job_makes_an_mp4_clip_at_24_frames_a_second() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 160, 120).await;
    let clip = edit(&app, &cookie, &conv, "make a 2 second video with a slow zoom", Some(&photo)).await;
    assert_eq!(clip["job"]["state"], "succeeded", "{clip}");
    let image = &clip["reply"]["image"];
    assert_eq!(image["content_type"], "video/mp4");
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(160), Some(120)));
    assert_eq!(image["generation"]["steps"], json!(["2 s video: slow zoom"]));
    let id = image["id"].as_str().unwrap();
    let file = app.get(&format!("/api/v1/images/{id}?download=1"), Some(&cookie)).await;
    assert_eq!(file.headers["content-type"], "video/mp4");
    assert!(file.headers["content-disposition"].to_str().unwrap().ends_with(".mp4\""));
    // What a player sees: two seconds at 24 frames a second, every frame of the picture's size, red on the
    // left and blue on the right as in the photo.
    let played = common::clips::decode(&file.body);
    assert_eq!(played.duration, std::time::Duration::from_secs(2));
    assert_eq!(played.fps.round(), 24.0);
    assert!((40..=48).contains(&played.frames.len()), "{}", played.frames.len());
    assert!(played.frames.iter().all(|f| f.dimensions() == (160, 120)));
    let (left, right) = (played.frames[0].get_pixel(20, 60).0, played.frames[0].get_pixel(140, 60).0);
    assert!(left[0] > 150 && left[2] < 100 && right[2] > 150 && right[0] < 100, "{left:?} {right:?}");
    // A grid of pictures (the library) gets its first frame as a still.
    let still = app.get(&format!("/api/v1/images/{id}?size=256"), Some(&cookie)).await;
    assert_eq!(still.headers["content-type"], "image/jpeg");
    let still = image::load_from_memory(&still.body).unwrap().to_rgb8();
    assert!(still.get_pixel(5, still.height() / 2)[0] > 150, "the photo's red left side");
    // The clip carries Content Credentials too: made from an earlier version, into a clip.
    let reader = c2pa::Reader::from_context(c2pa::Context::new())
        .with_stream("video/mp4", std::io::Cursor::new(&file.body))
        .unwrap();
    assert_eq!(reader.validation_state(), c2pa::ValidationState::Valid);
    assert!(reader.json().contains("made into a clip"));

    // A crossfade runs from the version before (the colour photo) to the edit (black and white).
    edit(&app, &cookie, &conv, "make it black and white", Some(&photo)).await;
    let fade = edit(&app, &cookie, &conv, "crossfade video from the previous version", None).await;
    assert_eq!(fade["job"]["state"], "succeeded", "{fade}");
    let id = fade["reply"]["image"]["id"].as_str().unwrap();
    let body = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await.body;
    let frames = common::clips::decode(&body).frames;
    let spread = |f: &image::RgbImage| {
        let p = f.get_pixel(10, 60);
        p[0].abs_diff(p[2]).max(p[0].abs_diff(p[1]))
    };
    assert!(spread(&frames[0]) > 60, "starts in colour");
    assert!(spread(frames.last().unwrap()) < 16, "ends black and white");
    // A crossfade of an upload has nothing to fade from: the job fails and says so.
    let none = edit(&app, &cookie, &conv, "crossfade video", Some(&photo)).await;
    assert_eq!(none["job"]["state"], "failed");
    assert!(none["job"]["error"].as_str().unwrap().contains("earlier version"));
}

#[tokio::test]
async fn images_on_evidence_hold_survive_deletion_and_the_answer_says_so() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 80, 40).await;
    let result = edit(&app, &cookie, &conv, "flip it", Some(&photo)).await["reply"]["image"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
        .bind(&result)
        .execute(&app.state.db)
        .await
        .unwrap();
    let r = app
        .request(Method::DELETE, &format!("/api/v1/conversations/{conv}"), Some(&cookie), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["retained"], 1);
    assert!(r.json()["message"].as_str().unwrap().contains("legal reasons"));
    // The conversation and the unheld photo are gone; the held result stays, row and file.
    assert_eq!(app.count("conversations").await, 0);
    assert_eq!(app.count("messages").await, 0);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(left, [result]);
    assert_eq!(app.state.blobs.count().await, 1);
}

//! A poster edited by chat: the poster is drawn again from its words with the change ("make the title
//! red"), the steps after it repeated, the other clauses done as usual — not a tint over its pixels.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

/// How many pixels of the image pass `is`.
async fn count(app: &TestApp, cookie: &str, image: &Value, is: fn([u8; 3]) -> bool) -> usize {
    let file = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    image::load_from_memory(&file.body).unwrap().to_rgb8().pixels().filter(|p| is(p.0)).count()
}

fn red(p: [u8; 3]) -> bool {
    p[0] > 170 && p[1] < 60 && p[2] < 60
}

fn white(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c > 240)
}

fn yellow(p: [u8; 3]) -> bool {
    p[0] > 220 && p[1] > 180 && p[2] < 80
}

#[tokio::test]
async fn make_the_title_red_draws_the_poster_again_with_a_red_title() {
    let app = TestApp::with_config(|c| c.font_dirs.clear()).await;
    let cookie = app.signup("ada").await;
    let conv = app.conversation(&cookie).await;
    let form = json!({
        "tool": "poster", "size": "square", "title": "SALE", "subtitle": "Everything half price",
        "style": "circles", "colors": ["#102040", "#203060"]
    });
    let r = app.post_message(&cookie, &conv, json!({"text": "Poster: SALE", "tool": form})).await;
    let poster = app.complete(&cookie, &conv, r.json()).await["reply"]["image"].clone();
    assert_eq!(count(&app, &cookie, &poster, red).await, 0);
    let white_before = count(&app, &cookie, &poster, white).await;
    assert!(white_before > 10_000, "white words: {white_before}");

    // The title turns red; the subtitle stays white; a clause about something else is done after it.
    let r = app
        .post_message(&cookie, &conv, json!({"text": "make the title red and add a thin black border"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let red_title = ex["reply"]["image"].clone();
    assert_eq!(red_title["parent_id"], poster["id"], "a new version of the poster");
    assert_eq!(red_title["width"], red_title["height"]);
    assert!(red_title["width"].as_u64() > Some(1080), "the border around the square poster");
    let steps = red_title["generation"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!(steps[0], "poster \"SALE\"");
    let reds = count(&app, &cookie, &red_title, red).await;
    assert!(reds > 8_000, "the title's red ink: {reds}");
    let whites = count(&app, &cookie, &red_title, white).await;
    assert!(whites > 2_000 && whites < white_before, "the subtitle stays white: {whites}");

    // New words for the title, on the version with the border: the border is repeated, the title still red.
    let r = app.post_message(&cookie, &conv, json!({"text": "change the title to \"HALF OFF\""})).await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let renamed = &ex["reply"]["image"];
    assert_eq!(renamed["parent_id"], red_title["id"]);
    assert_eq!(renamed["generation"]["steps"][0], "poster \"HALF OFF\"");
    assert_eq!(renamed["generation"]["steps"].as_array().unwrap().len(), 2);
    assert!(count(&app, &cookie, renamed, red).await > reds, "more letters, more red");

    // Words the poster can't take are said, not done to the whole picture.
    let r =
        app.post_message(&cookie, &conv, json!({"text": "make the title gold, make the title spin"})).await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let said = ex.to_string();
    assert!(said.contains("make the title spin"), "the clause not done is reported: {said}");
}

#[tokio::test]
async fn a_poster_over_a_photo_is_drawn_again_over_the_photo() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 160, 120).await;
    let over = json!({"tool": "poster", "size": "square", "title": "PARK DAY", "photo": true});
    let body = json!({"text": "Poster over my photo", "image_id": photo, "tool": over});
    let r = app.post_message(&cookie, &conv, body).await;
    let poster = app.complete(&cookie, &conv, r.json()).await["reply"]["image"].clone();
    assert_eq!(count(&app, &cookie, &poster, yellow).await, 0);

    let r = app.post_message(&cookie, &conv, json!({"text": "make the title yellow"})).await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!(image["parent_id"], photo.as_str(), "drawn again over the photo, beside the first poster");
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1080), Some(1080)));
    assert!(count(&app, &cookie, image, yellow).await > 5_000);
}

//! AI Tools through the API: a tool's form posted with a message makes a normal version in a normal thread,
//! with the steps the form fixes; a bad form is refused field by field and stores nothing.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

async fn post(app: &TestApp, cookie: &str, conv: &str, body: Value) -> common::Reply {
    app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(cookie), body).await
}

fn red(p: [u8; 3]) -> bool {
    p[0] > 200 && p[1] < 70 && p[2] < 70
}

#[tokio::test]
async fn the_poster_maker_makes_an_a4_print_poster_with_its_words_where_the_layout_puts_them() {
    let app = TestApp::with_config(|c| c.font_dirs.clear()).await;
    let cookie = app.signup("ada").await;
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let form = json!({
        "tool": "poster", "size": "a4", "title": "SUMMER SALE", "subtitle": "Everything half price",
        "line": "Sat 12 July, Main Street", "style": "circles", "colors": ["#102040", "#203060"],
        "text_color": "#e01010"
    });
    let r = post(&app, &cookie, &conv, json!({"text": "Poster: SUMMER SALE (A4)", "tool": form})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    assert_eq!(ex["prompt"]["text"], "Poster: SUMMER SALE (A4)");
    let image = &ex["reply"]["image"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(2480), Some(3508)));
    assert_eq!(image["generation"]["steps"], json!(["poster \"SUMMER SALE\""]));
    assert_eq!(image["generation"]["provider"], "local");
    let file = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(&cookie)).await;
    // Made for print: the file says 300 dpi.
    assert_eq!(vinano_imaging::density::read(&file.body), Some(300));
    let pixels = image::load_from_memory(&file.body).unwrap().to_rgb8();
    let ink = |rows: std::ops::Range<u32>| {
        rows.flat_map(|y| (0..2480).map(move |x| (x, y)))
            .filter(|&(x, y)| red(pixels.get_pixel(x, y).0))
            .count()
    };
    // The circles layout: the title from 30 % of the height down, nothing above it.
    let top = (3508.0 * 0.3) as u32;
    assert_eq!(ink(0..top - 10), 0, "no lettering above the title");
    assert!(ink(top..top + 420) > 50_000, "the title's red ink");
    // The background is the form's dark blue at the top.
    let corner = pixels.get_pixel(5, 5).0;
    assert!(corner[2] > corner[0] && corner[2] < 90, "{corner:?}");

    // It is a normal version: a chat edit works on it.
    let r = post(&app, &cookie, &conv, json!({"text": "make it black and white"})).await;
    let edited = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(edited["reply"]["image"]["parent_id"], image["id"]);
    assert_eq!(edited["reply"]["image"]["width"], 2480);
}

#[tokio::test]
async fn a_poster_over_the_photo_and_an_enhance_preset_edit_the_photo() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 160, 120).await;
    let over = json!({"tool": "poster", "size": "square", "title": "PARK DAY", "photo": true});
    let r =
        post(&app, &cookie, &conv, json!({"text": "Poster over my photo", "image_id": photo, "tool": over}))
            .await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!(image["parent_id"], photo.as_str());
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1080), Some(1080)));

    let r = post(
        &app,
        &cookie,
        &conv,
        json!({"text": "Enhance: old photo", "image_id": photo, "tool": {"tool": "enhance", "preset": "old_photo"}}),
    )
    .await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let steps = ex["reply"]["image"]["generation"]["steps"].as_array().unwrap().len();
    assert_eq!(steps, 5, "{}", ex["reply"]["image"]["generation"]);
    assert_eq!(ex["reply"]["image"]["width"], 160);
}

#[tokio::test]
async fn a_bad_form_is_refused_field_by_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 64, 48).await;
    let before = app.count("messages").await;
    for (tool, field, needle) in [
        (json!({"tool": "poster", "title": " "}), "title", "can't be empty"),
        (json!({"tool": "poster", "title": "A", "colors": ["#fff", "#000000"]}), "colors", "#fff"),
        (json!({"tool": "poster", "title": "A", "colors": ["#ffffff"]}), "colors", "two colours"),
        (json!({"tool": "poster", "title": "A", "line": "x".repeat(201)}), "line", "200"),
        (json!({"tool": "poster", "title": "A", "text_color": "red"}), "text_color", "red"),
    ] {
        let r = post(&app, &cookie, &conv, json!({"text": "Poster", "tool": tool})).await;
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert_eq!(r.json()["field"], field, "{m}");
        assert!(m.contains(needle), "{field}: {m}");
    }
    // A tool is for one whole photo: not with a brushed area or other images.
    let with_other = json!({"text": "Enhance", "image_id": photo, "references": [photo],
        "tool": {"tool": "enhance", "preset": "food"}});
    let m =
        post(&app, &cookie, &conv, with_other).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("one whole photo"), "{m}");
    let unknown = json!({"text": "Enhance", "tool": {"tool": "enhance", "preset": "sparkle"}});
    assert_eq!(post(&app, &cookie, &conv, unknown).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("messages").await, before);

    // An enhance preset needs a photo: in a new, empty conversation it says so.
    let empty = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(
        &app,
        &cookie,
        &empty,
        json!({"text": "Enhance", "tool": {"tool": "enhance", "preset": "food"}}),
    )
    .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("photo"), "{m}");
}

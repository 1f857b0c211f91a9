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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_product_photo_tool_centres_the_subject_on_a_white_marketplace_square() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let (photo, _) = vinano_vision::sample::figure(480, 360);
    let bytes =
        vinano_imaging::encode(&image::DynamicImage::ImageRgb8(photo), vinano_imaging::OutputFormat::Png)
            .unwrap()
            .bytes;
    let photo = app.upload(&cookie, bytes).await.json()["id"].as_str().unwrap().to_string();
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let form = json!({"tool": "product", "preset": "square2000"});
    let body = json!({"text": "Product photo: 2000 × 2000", "image_id": photo, "tool": form});
    let ex = app.complete(&cookie, &conv, post(&app, &cookie, &conv, body).await.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(2000), Some(2000)));
    assert_eq!(image["parent_id"], photo.as_str());
    let file = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(&cookie)).await;
    let pixels = image::load_from_memory(&file.body).unwrap().to_rgb8();
    // Where something other than white was drawn: the subject's box.
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in pixels.enumerate_pixels() {
        if p.0.iter().any(|&c| c < 235) {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    // 7 % margins (140 px) on every side, the subject filling the rest one way, centred the other.
    assert!(x0 >= 135 && y0 >= 135 && x1 <= 1865 && y1 <= 1865, "box {x0},{y0} – {x1},{y1}");
    assert!(x1 - x0 >= 1650 || y1 - y0 >= 1650, "fills the frame: {x0},{y0} – {x1},{y1}");
    assert!(((x0 + x1) / 2).abs_diff(1000) < 40 && ((y0 + y1) / 2).abs_diff(1000) < 40);
    for corner in [(0, 0), (1999, 0), (0, 1999), (1999, 1999)] {
        assert_eq!(pixels.get_pixel(corner.0, corner.1).0, [255, 255, 255], "{corner:?}");
    }
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
        (json!({"tool": "product", "colors": ["#ffffff", "#eeeeee", "#dddddd"]}), "colors", "gradient"),
        (json!({"tool": "product", "colors": ["white"]}), "colors", "white"),
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

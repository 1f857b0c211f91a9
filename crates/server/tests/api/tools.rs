//! AI Tools through the API: a tool's form posted with a message makes a normal version in a normal thread,
//! with the steps the form fixes; a bad form is refused field by field and stores nothing.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

fn red(p: [u8; 3]) -> bool {
    p[0] > 200 && p[1] < 70 && p[2] < 70
}

#[tokio::test]
async fn the_poster_maker_makes_an_a4_print_poster_with_its_words_where_the_layout_puts_them() {
    let app = TestApp::with_config(|c| c.font_dirs.clear()).await;
    let cookie = app.signup("ada").await;
    let conv = app.conversation(&cookie).await;
    let form = json!({
        "tool": "poster", "size": "a4", "title": "SUMMER SALE", "subtitle": "Everything half price",
        "line": "Sat 12 July, Main Street", "style": "circles", "colors": ["#102040", "#203060"],
        "text_color": "#e01010"
    });
    let r = app.post_message(&cookie, &conv, json!({"text": "Poster: SUMMER SALE (A4)", "tool": form})).await;
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
    let r = app.post_message(&cookie, &conv, json!({"text": "make it black and white"})).await;
    let edited = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(edited["reply"]["image"]["parent_id"], image["id"]);
    assert_eq!(edited["reply"]["image"]["width"], 2480);
    // Still made for print: the edited file says 300 dpi too.
    let id = edited["reply"]["image"]["id"].as_str().unwrap();
    let file = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
    assert_eq!(vinano_imaging::density::read(&file.body), Some(300));
}

#[tokio::test]
async fn a_poster_over_the_photo_and_an_enhance_preset_edit_the_photo() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 160, 120).await;
    let over = json!({"tool": "poster", "size": "square", "title": "PARK DAY", "photo": true});
    let r = app
        .post_message(
            &cookie,
            &conv,
            json!({"text": "Poster over my photo", "image_id": photo, "tool": over}),
        )
        .await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!(image["parent_id"], photo.as_str());
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1080), Some(1080)));

    let r = app.post_message(&cookie, &conv,
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
    let photo = app.upload_figure(&cookie).await;
    let conv = app.conversation(&cookie).await;
    let form = json!({"tool": "product", "preset": "square2000"});
    let body = json!({"text": "Product photo: 2000 × 2000", "image_id": photo, "tool": form});
    let ex = app.complete(&cookie, &conv, app.post_message(&cookie, &conv, body).await.json()).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_in_a_scene_stands_on_a_wooden_table() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let photo = app.upload_figure(&cookie).await;
    let conv = app.conversation(&cookie).await;
    let form = json!({"tool": "product", "preset": "shopee", "scene": "table"});
    let body = json!({"text": "Product photo: Shopee, wooden table", "image_id": photo, "tool": form});
    let ex = app.complete(&cookie, &conv, app.post_message(&cookie, &conv, body).await.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1024), Some(1024)));
    assert_eq!(image["generation"]["steps"], json!(["product shot on a wooden table"]));
    let file = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(&cookie)).await;
    let pixels = image::load_from_memory(&file.body).unwrap().to_rgb8();
    // A light warm wall behind, warm brown wood in front.
    let wall = pixels.get_pixel(8, 8).0;
    let wood = pixels.get_pixel(8, 1015).0;
    assert!(wall[0] > 190 && wall[0] >= wall[2], "wall {wall:?}");
    assert!(wood[0] > wood[1] && wood[1] > wood[2] && wood[0] < wall[0] - 40, "wood {wood:?}");
    // The orange figure stands on the table: its lowest row near 86 % of the height, with room above it.
    let orange = |p: &image::Rgb<u8>| p[0] > 170 && p[1] < 110 && p[2] < 70;
    let rows: Vec<u32> =
        (0..1024).filter(|&y| (300..724).filter(|&x| orange(pixels.get_pixel(x, y))).count() > 20).collect();
    let (first, last) = (rows[0], *rows.last().unwrap());
    assert!(last.abs_diff(880) < 30, "its base at row {last}");
    assert!(first > 140, "room above it: from row {first}");
}

/// The ID photo tool on a real face (NASA's portrait of Eileen Collins, fetched by `cargo xtask bootstrap`):
/// 35 × 45 mm at 300 dpi, the file says so, white all round, the head crown to chin within the standard's
/// 32–36 mm as the face detector and the outline measure it on the result, the eyes level and centred.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_id_photo_tool_frames_a_real_face_as_the_35x45_standard_asks() {
    use vinano_imaging::face::FaceFinder;
    let app = TestApp::new().await;
    assert_eq!(app.get("/api/v1/version", None).await.json()["id_photos"], true);
    let cookie = app.signup("ada").await;
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/models");
    let portrait = std::fs::read(models.join("astronaut.png")).expect("`cargo xtask bootstrap` fetches it");
    let photo = app.upload(&cookie, portrait).await.json()["id"].as_str().unwrap().to_string();
    let conv = app.conversation(&cookie).await;
    let form = json!({"tool": "id_photo", "standard": "mm35x45", "background": "white"});
    let body = json!({"text": "ID photo: 35 × 45 mm", "image_id": photo, "tool": form});
    let ex = app.complete(&cookie, &conv, app.post_message(&cookie, &conv, body).await.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let image = &ex["reply"]["image"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(413), Some(531)));
    assert_eq!(image["generation"]["steps"], json!(["ID photo 35 × 45 mm"]));
    let file = app.get(&format!("/api/v1/images/{}", image["id"].as_str().unwrap()), Some(&cookie)).await;
    assert_eq!(vinano_imaging::density::read(&file.body), Some(300));
    let pixels = image::load_from_memory(&file.body).unwrap().to_rgb8();
    for (x, y) in [(2, 2), (410, 2), (2, 200), (410, 200)] {
        assert!(
            pixels.get_pixel(x, y).0.iter().all(|&c| c >= 245),
            "({x}, {y}): {:?}",
            pixels.get_pixel(x, y)
        );
    }
    let detector =
        vinano_vision::BlazeFace::load(&std::fs::read(models.join(vinano_vision::BLAZEFACE_FILE)).unwrap())
            .unwrap();
    let faces = detector.faces(&pixels).unwrap();
    assert_eq!(faces.len(), 1, "{faces:?}");
    let face = faces[0];
    // The crown: the first row, from the top, that isn't white above the face.
    let crown = (0..531)
        .find(|&y| (150..263).filter(|&x| pixels.get_pixel(x, y).0.iter().any(|&c| c < 230)).count() > 5)
        .unwrap() as f32;
    let head_mm = (face.chin() - crown) / 531.0 * 45.0;
    println!(
        "head {head_mm:.1} mm, crown {:.1} mm from the top, tilt {:.1}°",
        crown / 531.0 * 45.0,
        face.tilt().to_degrees()
    );
    assert!((32.0..=36.0).contains(&head_mm), "head {head_mm} mm");
    assert!(face.tilt().to_degrees().abs() < 2.5, "{face:?}");
    assert!((face.eye_mid().0 - 206.5).abs() < 15.0, "{face:?}");
    // The print sheet: 4 × 6 in at 300 dpi with eight copies.
    let form = json!({"tool": "id_photo", "standard": "mm35x45", "sheet": true});
    let body = json!({"text": "ID photo sheet", "image_id": photo, "tool": form});
    let ex = app.complete(&cookie, &conv, app.post_message(&cookie, &conv, body).await.json()).await;
    let sheet = &ex["reply"]["image"];
    assert_eq!((sheet["width"].as_u64(), sheet["height"].as_u64()), (Some(1800), Some(1200)), "{ex}");
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
        (json!({"tool": "id_photo", "nudge": {"larger": 40}}), "nudge.larger", "20"),
    ] {
        let r = app.post_message(&cookie, &conv, json!({"text": "Poster", "tool": tool})).await;
        let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert_eq!(r.json()["field"], field, "{m}");
        assert!(m.contains(needle), "{field}: {m}");
    }
    // A tool is for one whole photo: not with a brushed area or other images.
    let with_other = json!({"text": "Enhance", "image_id": photo, "references": [photo],
        "tool": {"tool": "enhance", "preset": "food"}});
    let m = app
        .post_message(&cookie, &conv, with_other)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("one whole photo"), "{m}");
    let unknown = json!({"text": "Enhance", "tool": {"tool": "enhance", "preset": "sparkle"}});
    assert_eq!(app.post_message(&cookie, &conv, unknown).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("messages").await, before);

    // An enhance preset needs a photo: in a new, empty conversation it says so.
    let empty = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post_message(
            &cookie,
            &empty,
            json!({"text": "Enhance", "tool": {"tool": "enhance", "preset": "food"}}),
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("photo"), "{m}");
}

//! Background editing through the API with the real segmentation model: a cut-out asked for as JPEG comes
//! back as a PNG with the figure opaque and the wall transparent, and the reply says why; portrait mode
//! keeps the figure and blurs the wall; a product shot is square and white around the figure. Without the
//! model the server still starts, says so on `/version`, and such an edit fails with the reason in words.

use crate::common::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use vinano_imaging::{encode, DynamicImage, OutputFormat};

/// Signs up, uploads the synthetic figure photo (480 × 360), and starts a conversation.
async fn figure(app: &TestApp) -> (String, String, String) {
    let cookie = app.signup("bea").await;
    let (photo, _) = vinano_vision::sample::figure(480, 360);
    let bytes = encode(&DynamicImage::ImageRgb8(photo), OutputFormat::Png).unwrap().bytes;
    let up = app.upload(&cookie, bytes).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&up.body));
    let image = up.json()["id"].as_str().unwrap().to_string();
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json();
    (cookie, conv["id"].as_str().unwrap().to_string(), image)
}

async fn edit(app: &TestApp, cookie: &str, conv: &str, text: &str, image: &str, format: &str) -> Value {
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(cookie),
            json!({"text": text, "image_id": image, "params": {"aspect": "original", "style": "none", "format": format}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    app.complete(cookie, conv, r.json()).await
}

async fn result(app: &TestApp, cookie: &str, ex: &Value) -> (String, DynamicImage) {
    let id = ex["reply"]["image"]["id"].as_str().unwrap();
    let r = app.get(&format!("/api/v1/images/{id}"), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let kind = r.headers["content-type"].to_str().unwrap().to_string();
    (kind, image::load_from_memory(&r.body).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_is_removed_replaced_and_blurred_with_the_real_model() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/api/v1/version", None).await.json()["background_editing"], true);
    let (cookie, conv, image) = figure(&app).await;
    assert_eq!(app.get("/api/v1/me/credits", Some(&cookie)).await.json()["engines"]["background"], true);

    let ex = edit(&app, &cookie, &conv, "remove the background", &image, "jpeg").await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let reply = ex["reply"]["text"].as_str().unwrap();
    assert!(reply.contains("remove background") && reply.contains("PNG"), "{reply}");
    let (kind, cut) = result(&app, &cookie, &ex).await;
    assert_eq!(kind, "image/png", "JPEG can't be transparent");
    let cut = cut.to_rgba8();
    assert!(cut.get_pixel(240, 240)[3] > 240, "the figure stays: {:?}", cut.get_pixel(240, 240));
    assert!(cut.get_pixel(20, 20)[3] < 15, "the wall goes: {:?}", cut.get_pixel(20, 20));
    // ... and leaves no trace in the file: dropping the alpha channel can't bring the wall back.
    let cleared = cut.pixels().filter(|p| p[3] == 0).collect::<Vec<_>>();
    assert!(cleared.len() > 480 * 360 / 4, "most of the wall is fully transparent: {}", cleared.len());
    assert!(cleared.iter().all(|p| p.0 == [0; 4]), "the removed wall's colours are gone");

    // On the cut-out, "make the background blue" uses its transparency (no second guess).
    let cut_id = ex["reply"]["image"]["id"].as_str().unwrap().to_string();
    let ex = edit(&app, &cookie, &conv, "make the background blue", &cut_id, "png").await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let blue = result(&app, &cookie, &ex).await.1.to_rgb8();
    assert_eq!(blue.get_pixel(20, 20).0, [30, 60, 200]);

    let ex = edit(&app, &cookie, &conv, "把背景模糊", &image, "png").await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let (photo, _) = vinano_vision::sample::figure(480, 360);
    let blurred = result(&app, &cookie, &ex).await.1.to_rgb8();
    let near = |a: [u8; 3], b: [u8; 3], d: u8| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= d);
    assert!(near(blurred.get_pixel(240, 240).0, photo.get_pixel(240, 240).0, 3), "the figure is kept");
    // The wall's texture is smoothed away: neighbouring pixels differ far less than in the photo.
    let roughness = |img: &image::RgbImage| {
        (10..110)
            .map(|x| i32::from(img.get_pixel(x, 30)[0]).abs_diff(i32::from(img.get_pixel(x + 1, 30)[0])))
            .sum::<u32>()
    };
    assert!(roughness(&blurred) * 3 < roughness(&photo), "{} vs {}", roughness(&blurred), roughness(&photo));

    // "Select subject" in the brush: the figure as a mask at the brush's size.
    let r = app.post_json(&format!("/api/v1/images/{image}/subject"), Some(&cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.headers["content-type"], "image/png");
    let mask = image::load_from_memory(&r.body).unwrap().to_luma8();
    assert_eq!(mask.dimensions(), vinano_api::selection_canvas(480, 360));
    assert!(mask.get_pixel(240, 240)[0] > 200 && mask.get_pixel(20, 20)[0] < 40, "the figure, not the wall");
    let other = app.signup("not-bea").await;
    let r = app.post_json(&format!("/api/v1/images/{image}/subject"), Some(&other), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "someone else's photo");
    // A tap on the figure takes it; a tap on the wall far from it finds nothing there, in words.
    let tap = |x: f64, y: f64| format!("/api/v1/images/{image}/subject?x={x}&y={y}");
    let r = app.post_json(&tap(0.5, 0.66), Some(&cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let tapped = image::load_from_memory(&r.body).unwrap().to_luma8();
    assert!(tapped.get_pixel(240, 240)[0] > 200 && tapped.get_pixel(20, 20)[0] < 40);
    assert!(vinano_imaging::matte::iou(&tapped, &mask) > 0.95, "the figure is the only subject");
    let r = app.post_json(&tap(0.03, 0.05), Some(&cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("Nothing stands out where you tapped"));
    for bad in ["x=0.5", "x=1.5&y=0.2", "x=-1&y=0.5", "x=a&y=b"] {
        let r =
            app.post_json(&format!("/api/v1/images/{image}/subject?{bad}"), Some(&cookie), json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    let ex = edit(&app, &cookie, &conv, "white background for a product", &image, "auto").await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let shot = result(&app, &cookie, &ex).await.1.to_rgb8();
    assert_eq!(shot.width(), shot.height(), "square");
    assert!(near(shot.get_pixel(2, 2).0, [255, 255, 255], 2), "{:?}", shot.get_pixel(2, 2));
}

#[tokio::test]
async fn without_the_model_the_server_says_so_and_the_edit_fails_in_words() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_path_buf();
    let app = TestApp::with_config(move |c| c.models_dir = Some(dir)).await;
    assert_eq!(app.get("/api/v1/version", None).await.json()["background_editing"], false);
    let (cookie, conv, image) = figure(&app).await;
    let ex = edit(&app, &cookie, &conv, "remove the background", &image, "auto").await;
    assert_eq!(ex["job"]["state"], "failed", "{ex}");
    let r = app.post_json(&format!("/api/v1/images/{image}/subject"), Some(&cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(String::from_utf8_lossy(&r.body).contains("segmentation model is not installed"));
    assert_eq!(app.get("/api/v1/me/credits", Some(&cookie)).await.json()["engines"]["background"], false);
    let reason = ex["job"]["error"].to_string();
    assert!(reason.contains("segmentation model is not installed"), "{reason}");
    // Everything else still works.
    let ex = edit(&app, &cookie, &conv, "make it warmer", &image, "auto").await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
}

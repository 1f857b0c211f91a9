//! AI Video's form through the API: a movement, a length and a shape make an MP4 clip of that shape and
//! length; a parallax moves the subject (the segmentation model's) in front of the wall; a clip of 12
//! seconds is refused by field; a clip described in words ("Video: a slow pan, 2 seconds, vertical") is made
//! as described.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_pan_of_two_seconds_in_16_9_is_an_mp4_of_that_shape_and_length() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 320, 240).await;
    let form = json!({"tool": "video", "motion": "pan", "seconds": 2, "aspect": "landscape"});
    let r = app
        .post_message(
            &cookie,
            &conv,
            json!({"text": "2 s video: pan, 16:9", "image_id": photo, "tool": form}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let clip = &ex["reply"]["image"];
    assert_eq!(clip["content_type"], "video/mp4");
    assert_eq!(clip["generation"]["steps"], json!(["2 s video: pan, 16:9"]), "the steps say its shape");
    let body = app.get(&format!("/api/v1/images/{}", clip["id"].as_str().unwrap()), Some(&cookie)).await.body;
    let played = common::clips::decode(&body);
    assert_eq!(played.duration, std::time::Duration::from_secs(2));
    // 16:9 frames of a 4:3 photo: 320 × 180, the whole width, so the pan travels across a closer view.
    let (w, h) = played.frames[0].dimensions();
    assert_eq!((w, h), (320, 180));
    assert_eq!((clip["width"].as_u64(), clip["height"].as_u64()), (Some(320), Some(180)));
    // Left to right: the red half fills the start, the blue half the end.
    let red = |f: &image::RgbImage| f.pixels().filter(|p| p[0] > 150 && p[2] < 100).count();
    assert!(red(&played.frames[0]) > red(played.frames.last().unwrap()) * 2);

    let bad = json!({"tool": "video", "motion": "pan", "seconds": 12});
    let r = app.post_message(&cookie, &conv, json!({"text": "12 s", "image_id": photo, "tool": bad})).await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(r.json()["field"], "seconds", "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_parallax_the_figure_grows_more_than_its_wall() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = app.conversation(&cookie).await;
    let (photo, _) = vinano_vision::sample::figure(480, 360);
    let bytes =
        vinano_imaging::encode(&image::DynamicImage::ImageRgb8(photo), vinano_imaging::OutputFormat::Png)
            .unwrap()
            .bytes;
    let photo = app.upload(&cookie, bytes).await.json()["id"].as_str().unwrap().to_string();
    let form = json!({"tool": "video", "motion": "parallax", "seconds": 1});
    let r = app
        .post_message(&cookie, &conv, json!({"text": "1 s video: parallax", "image_id": photo, "tool": form}))
        .await;
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    assert_eq!(ex["reply"]["image"]["generation"]["steps"], json!(["1 s video: parallax"]));
    let body = app
        .get(&format!("/api/v1/images/{}", ex["reply"]["image"]["id"].as_str().unwrap()), Some(&cookie))
        .await
        .body;
    let frames = common::clips::decode(&body).frames;
    // The figure's share of the frame: it is pushed closer (1.05 → 1.17) than its wall (1.05 → 1.09), so it
    // grows by more than the wall's zoom alone would make it.
    // (The figure is orange, its wall a light plaster.)
    let figure_share = |f: &image::RgbImage| {
        let orange =
            f.pixels().filter(|p| p[0] > p[1].saturating_add(60) && p[0] > p[2].saturating_add(80)).count();
        orange as f64 / f64::from(f.width() * f.height())
    };
    let (first, last) = (figure_share(&frames[0]), figure_share(frames.last().unwrap()));
    assert!(first > 0.05, "the figure is in the clip: {first}");
    assert!(last / first > 1.12, "{first} → {last}");
}

#[tokio::test]
async fn a_clip_described_in_words_has_the_movement_length_and_shape_it_says() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 320, 240).await;
    let words = "Video: a slow pan from left to right, 2 seconds, vertical for stories";
    let r = app.post_message(&cookie, &conv, json!({"text": words, "image_id": photo})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let clip = &ex["reply"]["image"];
    assert_eq!(clip["generation"]["steps"], json!(["2 s video: pan, 9:16"]));
    assert!(!ex.to_string().contains("didn't understand"), "every clause was about the clip: {ex}");
    let played = common::clips::decode(
        &app.get(&format!("/api/v1/images/{}", clip["id"].as_str().unwrap()), Some(&cookie)).await.body,
    );
    assert_eq!(played.duration, std::time::Duration::from_secs(2));
    // Upright frames of a 4:3 photo: 9:16 of its height (134 × 240 → even sizes).
    let (w, h) = played.frames[0].dimensions();
    assert!(h > w && (w as f32 / h as f32 - 9.0 / 16.0).abs() < 0.02, "{w} × {h}");
}

//! The video-model slot, against an in-process fake of Veo's long-running Gemini API: the request shape it
//! requires (key header, base64 PNG first frame, aspect ratio, a duration it supports), polling the
//! operation, fetching the MP4 from the answer's URI, its safety filter, and cancelling a clip that never
//! finishes.

use crate::common;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use common::TestApp;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use vinano_server::providers::veo::{Veo, VeoConfig};
use vinano_server::providers::{ProviderError, RetryPolicy, VideoProvider, VideoRequest};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ending {
    /// Ready after two polls.
    Video,
    /// The safety filter kept the clip back.
    Filtered,
    /// Never ready.
    Never,
    /// Ready, but stored on another host.
    Elsewhere,
    /// Ready on this host, whose download answers with a redirect to another.
    Redirect,
}

#[derive(Clone)]
struct Fake {
    ending: Ending,
    base: Arc<Mutex<String>>,
    polls: Arc<AtomicUsize>,
    downloads: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Value>>>,
    /// Requests that reached the other host, and how many of them carried the key.
    elsewhere: Arc<Mutex<(String, usize, usize)>>,
}

const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\0\0isomiso2mp41\0\0\0\x08free";

fn key_ok(headers: &HeaderMap) -> bool {
    headers.get("x-goog-api-key").is_some_and(|v| v == "veo-key")
}

async fn start(
    State(fake): State<Fake>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    if !key_ok(&headers) {
        return (StatusCode::FORBIDDEN, Json(json!({"error": {"message": "API key not valid"}})))
            .into_response();
    }
    assert_eq!(rest, "models/veo-test:predictLongRunning", "the model and method are in the path");
    let body: Value = serde_json::from_slice(&body).expect("a JSON body");
    let instance = &body["instances"][0];
    let image = &instance["image"];
    assert_eq!(image["mimeType"], "image/png");
    let png = base64::engine::general_purpose::STANDARD
        .decode(image["bytesBase64Encoded"].as_str().expect("base64 image"))
        .expect("valid base64");
    let decoded = image::load_from_memory(&png).expect("a PNG first frame");
    fake.seen.lock().unwrap().push(json!({
        "prompt": instance["prompt"],
        "size": [decoded.width(), decoded.height()],
        "aspectRatio": body["parameters"]["aspectRatio"],
        "durationSeconds": body["parameters"]["durationSeconds"],
    }));
    Json(json!({"name": "models/veo-test/operations/op-1", "done": false})).into_response()
}

async fn poll_or_fetch(
    State(fake): State<Fake>,
    Path(rest): Path<String>,
    headers: HeaderMap,
) -> impl IntoResponse {
    if !key_ok(&headers) {
        return (StatusCode::FORBIDDEN, Json(json!({"error": {"message": "API key not valid"}})))
            .into_response();
    }
    if rest == "files/clip-2:download" {
        let there = fake.elsewhere.lock().unwrap().0.clone();
        return (StatusCode::FOUND, [("location", format!("{there}/stolen"))]).into_response();
    }
    if rest == "files/clip-1:download" {
        fake.downloads.fetch_add(1, Ordering::SeqCst);
        return ([("content-type", "video/mp4")], MP4).into_response();
    }
    assert_eq!(rest, "models/veo-test/operations/op-1");
    let n = fake.polls.fetch_add(1, Ordering::SeqCst);
    if n < 2 || fake.ending == Ending::Never {
        return Json(json!({"name": "models/veo-test/operations/op-1", "done": false})).into_response();
    }
    let base = fake.base.lock().unwrap().clone();
    let response = match fake.ending {
        Ending::Filtered => json!({"generateVideoResponse": {
            "raiMediaFilteredCount": 1,
            "raiMediaFilteredReasons": ["The video was filtered for safety."]
        }}),
        Ending::Elsewhere => json!({"generateVideoResponse": {"generatedSamples": [
            {"video": {"uri": "http://203.0.113.9/v1beta/files/clip-1:download?alt=media"}}
        ]}}),
        Ending::Redirect => json!({"generateVideoResponse": {"generatedSamples": [
            {"video": {"uri": format!("{base}/v1beta/files/clip-2:download?alt=media")}}
        ]}}),
        _ => json!({"generateVideoResponse": {"generatedSamples": [
            {"video": {"uri": format!("{base}/v1beta/files/clip-1:download?alt=media")}}
        ]}}),
    };
    Json(json!({"name": "models/veo-test/operations/op-1", "done": true, "response": response}))
        .into_response()
}

async fn fake_veo(ending: Ending) -> (String, Fake) {
    let fake = Fake {
        ending,
        base: Arc::default(),
        polls: Arc::default(),
        downloads: Arc::default(),
        seen: Arc::default(),
        elsewhere: Arc::default(),
    };
    // The other host counts what reaches it.
    let counter = fake.elsewhere.clone();
    let other = Router::new().fallback(move |headers: HeaderMap| {
        let counter = counter.clone();
        async move {
            let mut c = counter.lock().unwrap();
            c.1 += 1;
            c.2 += usize::from(headers.contains_key("x-goog-api-key"));
            ([("content-type", "video/mp4")], MP4)
        }
    });
    let there = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    fake.elsewhere.lock().unwrap().0 = format!("http://{}", there.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(there, other).await.unwrap() });
    let app = Router::new().route("/v1beta/{*rest}", post(start).get(poll_or_fetch)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    *fake.base.lock().unwrap() = url.clone();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fake)
}

fn config(base_url: String) -> VeoConfig {
    VeoConfig {
        base_url,
        api_key: "veo-key".into(),
        model: "veo-test".into(),
        policy: RetryPolicy {
            timeout: Duration::from_secs(2),
            retries: 1,
            backoff: Duration::from_millis(10),
        },
        poll_every: Duration::from_millis(20),
        give_up_after: Duration::from_secs(30),
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(w, h)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn the_adapter_polls_until_the_clip_is_ready_and_fetches_it() {
    let (url, fake) = fake_veo(Ending::Video).await;
    let request =
        VideoRequest { prompt: "waves roll in".into(), image: png(32, 18), seconds: 5, aspect_ratio: "16:9" };
    let clip = Veo::new(config(url.clone())).run(&request).await.unwrap();
    assert_eq!(clip, MP4);
    assert_eq!(fake.polls.load(Ordering::SeqCst), 3, "asked until done");
    let seen = fake.seen.lock().unwrap()[0].clone();
    assert_eq!(
        seen,
        json!({"prompt": "waves roll in", "size": [32, 18], "aspectRatio": "16:9", "durationSeconds": 6})
    );

    let mut wrong_key = config(url);
    wrong_key.api_key = "nope".into();
    let refused = Veo::new(wrong_key).run(&request).await.unwrap_err();
    assert_eq!(refused, ProviderError::Rejected("the service's API key was not accepted.".into()));

    // A result stored on another host is not fetched (the key would go with it).
    let (url, fake) = fake_veo(Ending::Elsewhere).await;
    let elsewhere = Veo::new(config(url)).run(&request).await.unwrap_err();
    assert_eq!(elsewhere, ProviderError::Rejected("the video is stored somewhere unexpected.".into()));
    assert_eq!(fake.downloads.load(Ordering::SeqCst), 0);

    // A download that redirects elsewhere is not followed: the key never leaves for the other host.
    let (url, fake) = fake_veo(Ending::Redirect).await;
    let redirected = Veo::new(config(url)).run(&request).await.unwrap_err();
    assert_eq!(redirected, ProviderError::Rejected("the video could not be fetched (302 Found).".into()));
    let (_, reached, with_key) = fake.elsewhere.lock().unwrap().clone();
    assert_eq!((reached, with_key), (0, 0), "nothing reached the other host");
}

async fn app_with_veo(url: String) -> TestApp {
    TestApp::with_config(|c| c.video = Some(config(url))).await
}

#[tokio::test]
async fn with_a_video_model_configured_a_clip_is_an_mp4_from_it() {
    let (url, fake) = fake_veo(Ending::Video).await;
    let app = app_with_veo(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 40, 80).await;
    let messages = format!("/api/v1/conversations/{conv}/messages");
    let body =
        json!({"text": "make it black and white, then make a video with a slow zoom", "image_id": image});
    let r = app.post_json(&messages, Some(&cookie), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    let result = &done["reply"]["image"];
    assert_eq!(result["content_type"], "video/mp4");
    assert_eq!(result["generation"]["provider"], "veo:veo-test");
    // The model got the edited (grey) portrait frame and the words as written.
    let seen = fake.seen.lock().unwrap()[0].clone();
    assert_eq!(seen["size"], json!([40, 80]));
    assert_eq!(seen["aspectRatio"], "9:16");
    assert_eq!(seen["prompt"], "make it black and white, then make a video with a slow zoom");

    let id = result["id"].as_str().unwrap();
    let file = app.get(&format!("/api/v1/images/{id}?download=1"), Some(&cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, MP4);
    assert_eq!(file.headers["content-type"], "video/mp4");
    assert!(file.headers["content-disposition"].to_str().unwrap().ends_with(".mp4\""));
    let converted = app.get(&format!("/api/v1/images/{id}?format=png"), Some(&cookie)).await;
    assert_eq!(
        converted.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "A video downloads as MP4 only."
    );
}

#[tokio::test]
async fn the_video_models_safety_filter_fails_the_job_and_is_logged() {
    let (url, _fake) = fake_veo(Ending::Filtered).await;
    let app = app_with_veo(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 40, 30).await;
    let messages = format!("/api/v1/conversations/{conv}/messages");
    let r = app
        .post_json(&messages, Some(&cookie), json!({"text": "make a video with a pan", "image_id": image}))
        .await;
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "failed");
    assert_eq!(done["job"]["error"], "The video service refused this request for safety reasons.");
    let last: (String, String) =
        sqlx::query_as("SELECT category, decision FROM moderation_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(last, ("provider_safety".to_string(), "refuse".to_string()));
}

#[tokio::test]
async fn a_clip_that_never_finishes_can_be_cancelled_while_the_model_works() {
    let (url, fake) = fake_veo(Ending::Never).await;
    let app = app_with_veo(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 40, 30).await;
    let messages = format!("/api/v1/conversations/{conv}/messages");
    let r = app
        .post_json(
            &messages,
            Some(&cookie),
            json!({"text": "make a video with a slow zoom", "image_id": image}),
        )
        .await;
    let job = r.json()["job"]["id"].as_str().unwrap().to_string();
    // Wait until the model is being polled: the job is running inside the provider call.
    for _ in 0..200 {
        if fake.polls.load(Ordering::SeqCst) >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(fake.polls.load(Ordering::SeqCst) >= 3, "the model was never polled");
    // Minutes pass while the model works: the worker keeps renewing its lease, so nobody takes the job over.
    app.clock.advance(5 * 60);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (attempts, lease_until): (i64, i64) =
        sqlx::query_as("SELECT attempts, lease_until FROM jobs WHERE id = $1")
            .bind(&job)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(lease_until > app.state.clock.now_ms(), "the lease was renewed");
    let cancel = app.post_json(&format!("/api/v1/jobs/{job}/cancel"), Some(&cookie), json!({})).await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", String::from_utf8_lossy(&cancel.body));
    let finished = app.wait_for_job(&cookie, &job).await;
    assert_eq!(finished["state"], "cancelled");
    // The provider call was dropped: polling stops.
    let polls = fake.polls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(fake.polls.load(Ordering::SeqCst) <= polls + 1, "still polling after the cancel");
    assert_eq!(app.count("images").await, 1, "no result stored");
}

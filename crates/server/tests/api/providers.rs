//! Model providers against an in-process fake of the OpenAI Images API that checks the request shapes the
//! real API requires (bearer key, multipart fields, the PNG file part, JSON for generations) and replays
//! its answers: success, rate limits with Retry-After, server errors, safety blocks, bad keys, slowness.

use crate::common;

use axum::extract::{Multipart, State};
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
use vinano_server::providers::openai::{OpenAiConfig, OpenAiImages};
use vinano_server::providers::{ImageProvider, ImageRequest, ProviderConfig, ProviderError, RetryPolicy};

/// How the fake answers: one script entry per request, the last one repeated.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answer {
    Image,
    RateLimited,
    ServerError,
    SafetyBlock,
    BadKey,
    Slow,
}

#[derive(Clone)]
pub(crate) struct Fake {
    script: Arc<Vec<Answer>>,
    calls: Arc<AtomicUsize>,
    /// What each request carried, as checked fields.
    pub(crate) seen: Arc<Mutex<Vec<Value>>>,
}

/// A 24 × 16 blue PNG, base64, as the API returns it.
fn blue_png_b64() -> String {
    let img = image::RgbImage::from_pixel(24, 16, image::Rgb([20, 40, 220]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(png)
}

async fn answer(fake: &Fake) -> axum::response::Response {
    let n = fake.calls.fetch_add(1, Ordering::SeqCst);
    let step = fake.script[n.min(fake.script.len() - 1)];
    match step {
        Answer::Image => Json(json!({"created": 1, "data": [{"b64_json": blue_png_b64()}]})).into_response(),
        Answer::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "0")],
            Json(json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}})),
        )
            .into_response(),
        Answer::ServerError => (StatusCode::BAD_GATEWAY, "upstream exploded").into_response(),
        Answer::SafetyBlock => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error", "code": "moderation_blocked"}})),
        )
            .into_response(),
        Answer::BadKey => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"message": "Incorrect API key provided: sk-...", "type": "invalid_request_error", "code": "invalid_api_key"}})),
        )
            .into_response(),
        Answer::Slow => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(json!({"data": [{"b64_json": blue_png_b64()}]})).into_response()
        }
    }
}

async fn edits(
    State(fake): State<Fake>,
    headers: HeaderMap,
    mut form: Multipart,
) -> axum::response::Response {
    let mut seen = json!({"auth": headers.get("authorization").and_then(|v| v.to_str().ok())});
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().unwrap().to_string();
        if name == "image" {
            seen["image_file_name"] = json!(field.file_name());
            seen["image_type"] = json!(field.content_type());
            let bytes = field.bytes().await.unwrap();
            let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap();
            seen["image_size"] = json!([decoded.width(), decoded.height()]);
        } else if name == "image[]" {
            let file = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.unwrap();
            let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap();
            let list = seen.as_object_mut().unwrap().entry("images").or_insert(json!([]));
            list.as_array_mut()
                .unwrap()
                .push(json!({"file": file, "size": [decoded.width(), decoded.height()]}));
        } else if name == "mask" {
            seen["mask_type"] = json!(field.content_type());
            let bytes = field.bytes().await.unwrap();
            seen["mask_png"] = json!(base64::engine::general_purpose::STANDARD.encode(&bytes));
        } else {
            seen[name] = json!(field.text().await.unwrap());
        }
    }
    fake.seen.lock().unwrap().push(seen);
    answer(&fake).await
}

async fn generations(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    let mut seen = body;
    seen["auth"] = json!(headers.get("authorization").and_then(|v| v.to_str().ok()));
    fake.seen.lock().unwrap().push(seen);
    answer(&fake).await
}

/// Starts the fake on a free port; returns its base URL and handle.
pub(crate) async fn start_fake(script: &[Answer]) -> (String, Fake) {
    let fake = Fake { script: Arc::new(script.to_vec()), calls: Arc::default(), seen: Arc::default() };
    let app = Router::new()
        .route("/v1/images/edits", post(edits))
        .route("/v1/images/generations", post(generations))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fake)
}

pub(crate) fn config(base_url: String) -> OpenAiConfig {
    OpenAiConfig {
        base_url,
        api_key: "test-key".into(),
        model: "gpt-image-1".into(),
        policy: RetryPolicy {
            timeout: Duration::from_secs(2),
            retries: 2,
            backoff: Duration::from_millis(10),
        },
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(w, h))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn an_edit_sends_the_shape_the_api_requires_and_survives_a_rate_limit() {
    use vinano_server::metrics::{provider_requests, ProviderOutcome};
    let (url, fake) = start_fake(&[Answer::RateLimited, Answer::Image]).await;
    let provider = OpenAiImages::new(config(url));
    let request = ImageRequest {
        prompt: "watercolor".into(),
        image: Some(png(40, 30)),
        size: "1024x1024".into(),
        mask: None,
        references: vec![],
    };
    let counted = || {
        (
            provider_requests("openai", ProviderOutcome::RateLimited),
            provider_requests("openai", ProviderOutcome::Ok),
        )
    };
    let before = counted();
    let bytes = provider.run(&request).await.unwrap();
    // Both attempts are counted for /metrics (other tests may count theirs meanwhile: at least these).
    let after = counted();
    assert!(after.0 > before.0 && after.1 > before.1, "{before:?} → {after:?}");
    let result = image::load_from_memory(&bytes).unwrap();
    assert_eq!((result.width(), result.height()), (24, 16));
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2, "retried once after the 429");
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen["auth"], "Bearer test-key");
    assert_eq!(seen["model"], "gpt-image-1");
    assert_eq!(seen["prompt"], "watercolor");
    assert_eq!(seen["n"], "1");
    assert_eq!(seen["size"], "1024x1024");
    assert_eq!(seen["image_file_name"], "image.png");
    assert_eq!(seen["image_type"], "image/png");
    assert_eq!(seen["image_size"], json!([40, 30]));
    assert_eq!(provider.name(), "openai:gpt-image-1");
}

#[tokio::test]
async fn a_generation_is_json() {
    let (url, fake) = start_fake(&[Answer::Image]).await;
    let provider = OpenAiImages::new(config(url));
    let request = ImageRequest {
        prompt: "a poster for a summer sale".into(),
        image: None,
        size: "auto".into(),
        mask: None,
        references: vec![],
    };
    assert!(!provider.run(&request).await.unwrap().is_empty());
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        seen,
        json!({"model": "gpt-image-1", "prompt": "a poster for a summer sale", "n": 1, "size": "auto", "auth": "Bearer test-key"})
    );
}

#[tokio::test]
async fn failures_map_to_readable_errors_after_bounded_retries() {
    let request = ImageRequest {
        prompt: "x".into(),
        image: Some(png(8, 8)),
        size: "auto".into(),
        mask: None,
        references: vec![],
    };
    let (url, fake) = start_fake(&[Answer::ServerError]).await;
    assert_eq!(OpenAiImages::new(config(url)).run(&request).await, Err(ProviderError::Unavailable));
    assert_eq!(fake.calls.load(Ordering::SeqCst), 3, "one try and two retries, then give up");

    let (url, fake) = start_fake(&[Answer::SafetyBlock]).await;
    let e = OpenAiImages::new(config(url)).run(&request).await.unwrap_err();
    assert!(matches!(e, ProviderError::SafetyBlock(ref m) if m.contains("safety system")), "{e:?}");
    assert_eq!(fake.calls.load(Ordering::SeqCst), 1, "a refusal is not retried");

    let (url, _) = start_fake(&[Answer::BadKey]).await;
    let e = OpenAiImages::new(config(url)).run(&request).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "The image service rejected the request: the service's API key was not accepted."
    );

    let (url, fake) = start_fake(&[Answer::Slow]).await;
    let mut slow = config(url);
    slow.policy.timeout = Duration::from_millis(200);
    slow.policy.retries = 1;
    assert_eq!(OpenAiImages::new(slow).run(&request).await, Err(ProviderError::Unavailable));
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn with_a_provider_configured_an_instruction_becomes_its_result() {
    let (url, fake) = start_fake(&[Answer::Image, Answer::SafetyBlock]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    // The local engine wouldn't understand this; the provider does.
    let body = json!({"text": "turn it into a watercolor painting", "image_id": image, "params": {"aspect": "1:1", "format": "png"}});
    let r = app.post_json(&url, Some(&cookie), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    let result = &done["reply"]["image"];
    // The provider's 24 × 16 answer, then the square crop the parameters asked for.
    assert_eq!((result["width"].as_u64(), result["height"].as_u64()), (Some(16), Some(16)));
    assert_eq!(result["content_type"], "image/png");
    assert_eq!(result["generation"]["provider"], "openai:gpt-image-1");
    assert_eq!(result["generation"]["steps"], json!(["crop square"]));
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen["prompt"], "turn it into a watercolor painting");
    assert_eq!(seen["size"], "1024x1024");
    assert_eq!(seen["image_size"], json!([80, 40]));

    // The provider's safety block fails the job with a readable reason and is written to the audit log.
    let r = app
        .post_json(&url, Some(&cookie), json!({"text": "something the provider refuses", "image_id": image}))
        .await;
    let failed = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(failed["job"]["state"], "failed");
    assert_eq!(failed["job"]["error"], "The image service refused this request for safety reasons.");
    let logged: Vec<(String, String)> =
        sqlx::query_as("SELECT category, decision FROM moderation_log ORDER BY seq")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(logged.last().unwrap(), &("provider_safety".to_string(), "refuse".to_string()));
    assert_eq!(vinano_server::moderation::verify_chain(&app.state.db).await.unwrap(), Ok(3));
}

/// Gemini's answers, scripted like the OpenAI fake's.
#[derive(Clone, Copy, Debug)]
pub(crate) enum GeminiAnswer {
    Image,
    RateLimited,
    PromptBlocked,
    ImageSafety,
}

#[derive(Clone)]
pub(crate) struct GeminiFake {
    script: Arc<Vec<GeminiAnswer>>,
    calls: Arc<AtomicUsize>,
    pub(crate) seen: Arc<Mutex<Vec<Value>>>,
}

async fn generate_content(
    State(fake): State<GeminiFake>,
    axum::extract::Path(model_action): axum::extract::Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    let mut seen = body;
    seen["path"] = json!(model_action);
    seen["key"] = json!(headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()));
    fake.seen.lock().unwrap().push(seen);
    let n = fake.calls.fetch_add(1, Ordering::SeqCst);
    match fake.script[n.min(fake.script.len() - 1)] {
        GeminiAnswer::Image => Json(json!({"candidates": [{"content": {"role": "model", "parts": [
            {"text": "Here is your image."},
            {"inlineData": {"mimeType": "image/png", "data": blue_png_b64()}}
        ]}, "finishReason": "STOP"}]}))
        .into_response(),
        GeminiAnswer::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}})),
        )
            .into_response(),
        GeminiAnswer::PromptBlocked => Json(json!({"promptFeedback": {"blockReason": "SAFETY"}})).into_response(),
        GeminiAnswer::ImageSafety => {
            Json(json!({"candidates": [{"content": {"parts": []}, "finishReason": "IMAGE_SAFETY"}]})).into_response()
        }
    }
}

pub(crate) async fn start_gemini(script: &[GeminiAnswer]) -> (String, GeminiFake) {
    let fake = GeminiFake { script: Arc::new(script.to_vec()), calls: Arc::default(), seen: Arc::default() };
    let app =
        Router::new().route("/v1beta/models/{model_action}", post(generate_content)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fake)
}

pub(crate) fn gemini_config(base_url: String) -> vinano_server::providers::gemini::GeminiConfig {
    vinano_server::providers::gemini::GeminiConfig {
        base_url,
        api_key: "g-key".into(),
        model: "gemini-2.5-flash-image".into(),
        policy: RetryPolicy {
            timeout: Duration::from_secs(2),
            retries: 2,
            backoff: Duration::from_millis(10),
        },
    }
}

fn gemini(base_url: String) -> vinano_server::providers::gemini::GeminiImages {
    vinano_server::providers::gemini::GeminiImages::new(gemini_config(base_url))
}

#[tokio::test]
async fn gemini_gets_inline_image_data_and_answers_with_one() {
    let (url, fake) = start_gemini(&[GeminiAnswer::RateLimited, GeminiAnswer::Image]).await;
    let provider = gemini(url);
    let request = ImageRequest {
        prompt: "make it snowy".into(),
        image: Some(png(40, 30)),
        size: "1024x1024".into(),
        mask: None,
        // Another image the words name: after the one edited.
        references: vec![png(12, 10)],
    };
    let bytes = provider.run(&request).await.unwrap();
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 24);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2, "retried after the 429");
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen["path"], "gemini-2.5-flash-image:generateContent");
    assert_eq!(seen["key"], "g-key");
    let parts = &seen["contents"][0]["parts"];
    assert_eq!(parts[0]["text"], "make it snowy");
    assert_eq!(parts[1]["inlineData"]["mimeType"], "image/png");
    let sent = base64::engine::general_purpose::STANDARD
        .decode(parts[1]["inlineData"]["data"].as_str().unwrap())
        .unwrap();
    assert_eq!(image::load_from_memory(&sent).unwrap().width(), 40);
    let other = base64::engine::general_purpose::STANDARD
        .decode(parts[2]["inlineData"]["data"].as_str().unwrap())
        .unwrap();
    assert_eq!(image::load_from_memory(&other).unwrap().width(), 12);
    assert_eq!(parts.as_array().unwrap().len(), 3);
    assert_eq!(seen["generationConfig"]["responseModalities"], json!(["TEXT", "IMAGE"]));
    assert_eq!(seen["generationConfig"]["imageConfig"]["aspectRatio"], "1:1");
    assert_eq!(provider.name(), "gemini:gemini-2.5-flash-image");
}

#[tokio::test]
async fn gemini_safety_blocks_are_reported_as_such() {
    let request =
        ImageRequest { prompt: "x".into(), image: None, size: "auto".into(), mask: None, references: vec![] };
    for answer in [GeminiAnswer::PromptBlocked, GeminiAnswer::ImageSafety] {
        let (url, fake) = start_gemini(&[answer]).await;
        let e = gemini(url).run(&request).await.unwrap_err();
        assert!(matches!(e, ProviderError::SafetyBlock(_)), "{answer:?}: {e:?}");
        assert_eq!(fake.calls.load(Ordering::SeqCst), 1);
        // A generation sends only the text part.
        let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
        assert_eq!(seen["contents"][0]["parts"].as_array().unwrap().len(), 1);
    }
}

/// A fake chat-completions server answering with an `edit_plan` tool call whose arguments are `plan`.
async fn start_planner(plan: &'static str) -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(mut body): Json<Value>| {
            let log = log.clone();
            async move {
                body["auth"] = json!(headers.get("authorization").and_then(|v| v.to_str().ok()));
                log.lock().unwrap().push(body);
                Json(json!({"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"index": 0,
                    "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "edit_plan", "arguments": plan}}]},
                    "finish_reason": "tool_calls"}]}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn planner_app(url: String) -> TestApp {
    TestApp::with_config(|c| {
        c.planner = Some(vinano_server::providers::planner::PlannerConfig {
            base_url: url,
            api_key: "p-key".into(),
            model: "test-model".into(),
            policy: RetryPolicy {
                timeout: Duration::from_secs(2),
                retries: 1,
                backoff: Duration::from_millis(10),
            },
        })
    })
    .await
}

#[tokio::test]
async fn a_language_model_plans_what_the_rules_do_not_understand() {
    let (url, seen) =
        start_planner(r#"{"operations":[{"op":"sepia"},{"op":"vignette","strength":50}]}"#).await;
    let app = planner_app(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    let r = app
        .post_json(
            &url,
            Some(&cookie),
            json!({"text": "make it look like an autochrome from 1910", "image_id": image}),
        )
        .await;
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    let generation = &done["reply"]["image"]["generation"];
    assert_eq!(generation["steps"], json!(["sepia", "vignette 50%"]));
    assert_eq!(generation["provider"], "planner:test-model");
    let request = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(request["auth"], "Bearer p-key");
    assert_eq!(request["model"], "test-model");
    assert_eq!(request["messages"][1]["content"], "make it look like an autochrome from 1910");
    assert_eq!(request["tools"][0]["type"], "function");
    assert_eq!(request["tools"][0]["function"]["name"], "edit_plan");
    assert_eq!(request["tool_choice"]["function"]["name"], "edit_plan");
    let schema = &request["tools"][0]["function"]["parameters"];
    assert_eq!(schema["required"], json!(["operations"]));
    assert!(
        schema["properties"]["operations"]["items"]["properties"]["op"]["enum"].as_array().unwrap().len()
            >= 26
    );
    // Instructions the rules understand never reach the model.
    let before = seen.lock().unwrap().len();
    let r = app.post_json(&url, Some(&cookie), json!({"text": "flip it", "image_id": image})).await;
    assert_eq!(
        app.complete(&cookie, &conv, r.json()).await["reply"]["image"]["generation"]["provider"],
        "local"
    );
    assert_eq!(seen.lock().unwrap().len(), before);
}

#[tokio::test]
async fn a_plan_with_absurd_values_fails_the_job_with_a_reason() {
    let (url, _) = start_planner(r#"{"operations":[{"op":"rotate","degrees":45}]}"#).await;
    let app = planner_app(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            json!({"text": "tilt it jauntily", "image_id": image}),
        )
        .await;
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "failed");
    assert!(done["job"]["error"].as_str().unwrap().contains("out of range"), "{done}");
    assert_eq!(app.count("images").await, 1);
}

#[tokio::test]
async fn a_planned_plan_that_outgrows_the_budget_fails_with_the_size_and_the_server_carries_on() {
    let (url, _) =
        start_planner(r#"{"operations":[{"op":"scale","factor":4},{"op":"scale","factor":4}]}"#).await;
    let app = planner_app(url).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 1800, 1200).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    let post =
        |text: &'static str| app.post_json(&url, Some(&cookie), json!({"text": text, "image_id": image}));
    let done = app.complete(&cookie, &conv, post("embiggen it enormously").await.json()).await;
    assert_eq!(done["job"]["state"], "failed", "{done}");
    assert_eq!(done["job"]["error"], "This would make a 28 800 × 19 200 image; the limit is 40 megapixels.");
    assert_eq!(app.count("images").await, 1, "nothing stored");
    // The workers are still there for the next edit.
    let done = app.complete(&cookie, &conv, post("flip it").await.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
}

#[tokio::test]
async fn an_answer_over_the_cap_is_refused_whether_its_length_is_declared_or_not() {
    use axum::body::Body;
    let big = vec![b'x'; 3 * 1024 * 1024];
    let declared = big.clone();
    let app = Router::new()
        .route("/declared", axum::routing::get(move || async move { declared.clone() }))
        .route(
            "/streamed",
            axum::routing::get(move || {
                let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                    big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
                async move { Body::from_stream(futures_util::stream::iter(chunks)) }
            }),
        )
        .route("/small", axum::routing::get(|| async { "{\"ok\": true}" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = vinano_server::providers::client();
    for path in ["declared", "streamed"] {
        let response = client.get(format!("{url}/{path}")).send().await.unwrap();
        let refused = vinano_server::providers::read_capped(response, 1024 * 1024).await.unwrap_err();
        assert_eq!(refused, ProviderError::Rejected("the answer was larger than 1 MB.".into()), "{path}");
    }
    let response = client.get(format!("{url}/small")).send().await.unwrap();
    let small = vinano_server::providers::read_json(response, 1024 * 1024).await.unwrap();
    assert_eq!(small, json!({"ok": true}));
}

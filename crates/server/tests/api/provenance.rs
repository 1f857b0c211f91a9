//! Provenance marks: every image ViNano makes or edits carries the IPTC digital source type in XMP, and
//! nothing personal; a download converted to another format keeps it; an upload carries nothing at all.

use crate::common::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use vinano_imaging::provenance::{read, Source};

async fn bytes(app: &TestApp, cookie: &str, path: &str) -> Vec<u8> {
    let r = app.get(path, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    r.body.to_vec()
}

async fn edit(app: &TestApp, cookie: &str, conv: &str, body: Value) -> String {
    let r = app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(cookie), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = app.complete(cookie, conv, r.json()).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    ex["reply"]["image"]["id"].as_str().unwrap().to_string()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn what_vinano_makes_says_how_it_was_made_and_nothing_personal() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("prov", 120, 80).await;
    let upload = bytes(&app, &cookie, &format!("/api/v1/images/{photo}")).await;
    assert_eq!(read(&upload), None, "an upload carries no metadata at all");
    assert!(!contains(&upload, b"xmpmeta"));

    // A local adjustment: algorithmically enhanced; converted to PNG and WebP on the way out, still marked.
    let warmer = edit(&app, &cookie, &conv, json!({"text": "make it warmer", "image_id": photo})).await;
    for path in ["", "?format=png", "?format=webp", "?format=jpeg&download=1"] {
        let file = bytes(&app, &cookie, &format!("/api/v1/images/{warmer}{path}")).await;
        assert_eq!(read(&file), Some(Source::Enhanced), "{path}");
        let text = String::from_utf8_lossy(&file).to_string();
        assert!(
            text.contains("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicallyEnhanced"),
            "{path}"
        );
        // Nothing about the person: not their name or address, not the instruction, not a place.
        for private in ["prov", "warmer", "GPS", "exif"] {
            assert!(!text.contains(private), "{path}: {private}");
        }
    }
    // A poster made from words: algorithmic media.
    let poster = edit(&app, &cookie, &conv, json!({"text": "create a poster that says 'SALE'"})).await;
    assert_eq!(
        read(&bytes(&app, &cookie, &format!("/api/v1/images/{poster}")).await),
        Some(Source::Algorithmic)
    );
}

#[tokio::test]
async fn a_model_providers_image_is_marked_as_made_by_a_trained_model() {
    use crate::providers::{config, start_fake, Answer};
    use vinano_server::providers::ProviderConfig;
    let (url, _fake) = start_fake(&[Answer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let cookie = app.signup("gen").await;
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json();
    let conv = conv["id"].as_str().unwrap();
    let made = edit(&app, &cookie, conv, json!({"text": "a cat in a spacesuit"})).await;
    assert_eq!(read(&bytes(&app, &cookie, &format!("/api/v1/images/{made}")).await), Some(Source::Generated));
    let edited = edit(&app, &cookie, conv, json!({"text": "add a hat", "image_id": made})).await;
    assert_eq!(
        read(&bytes(&app, &cookie, &format!("/api/v1/images/{edited}")).await),
        Some(Source::ModelEdited)
    );
}

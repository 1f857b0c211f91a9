//! Provenance marks: every image ViNano makes or edits carries the IPTC digital source type in XMP, and
//! nothing personal; a download converted to another format keeps it; an upload carries nothing at all.
//!
//! Content Credentials: it also carries a C2PA manifest signed with the operator's certificate, which the
//! `c2pa` crate's reader validates, naming ViNano and the steps; a download converted to another format
//! names the stored file as its parent; `VINANO_C2PA=off` leaves it out; without a configured certificate
//! one is issued for the installation.

use crate::common::TestApp;
use axum::http::StatusCode;
use c2pa::{Context, Reader, ValidationState};
use serde_json::{json, Value};
use std::io::Cursor;
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
    let (cookie, conv, photo) = app.conversation_with_photo("zqxjperson", 120, 80).await;
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
        for private in ["zqxjperson", "warmer", "GPS", "exif"] {
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

/// A file and its content type.
async fn typed(app: &TestApp, cookie: &str, path: &str) -> (Vec<u8>, String) {
    let r = app.get(path, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    let mime = r.headers.get("content-type").unwrap().to_str().unwrap().to_string();
    (r.body.to_vec(), mime)
}

/// The file's manifest store as the reader reports it, and how far it validates; `trusting` is a PEM of
/// authorities to trust.
fn manifest(file: &[u8], mime: &str, trusting: Option<&str>) -> c2pa::Result<(ValidationState, Value)> {
    let mut settings = c2pa::settings::Settings::new();
    if let Some(pem) = trusting {
        settings = settings.with_value("trust.trust_anchors", pem)?;
    }
    let reader =
        Reader::from_context(Context::new().with_settings(settings)?).with_stream(mime, Cursor::new(file))?;
    Ok((reader.validation_state(), serde_json::from_str(&reader.json()).unwrap()))
}

/// The active manifest's actions, as the reader reports them.
fn action_list(store: &Value) -> Vec<Value> {
    let active = &store["manifests"][store["active_manifest"].as_str().unwrap()];
    let assertions = active["assertions"].as_array().unwrap();
    let assertion = assertions
        .iter()
        .find(|a| a["label"].as_str().unwrap().starts_with("c2pa.actions"))
        .expect("an actions assertion");
    assertion["data"]["actions"].as_array().unwrap().clone()
}

/// The active manifest's actions, as `(action, description)`.
fn actions(store: &Value) -> Vec<(String, String)> {
    let said = |a: &Value| a["parameters"]["description"].as_str().unwrap_or("").to_string();
    action_list(store).iter().map(|a| (a["action"].as_str().unwrap().to_string(), said(a))).collect()
}

/// An app signing with a certificate from an authority the test trusts; returns the authority's PEM.
async fn signing_app() -> (TestApp, String, tempfile::TempDir) {
    let (chain, key) = vinano_server::provenance::issue().unwrap();
    let authority = chain[chain.find("-----END CERTIFICATE-----").unwrap() + 25..].trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("chain.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, chain).unwrap();
    std::fs::write(&key_path, key).unwrap();
    let app = TestApp::with_config(|c| {
        c.c2pa.cert = Some(cert_path);
        c.c2pa.key = Some(key_path);
    })
    .await;
    (app, authority, dir)
}

#[tokio::test]
async fn an_edit_carries_a_signed_manifest_naming_vinano_and_its_steps() {
    let (app, authority, _dir) = signing_app().await;
    let (cookie, conv, photo) = app.conversation_with_photo("c2pa", 160, 120).await;
    let (upload, mime) = typed(&app, &cookie, &format!("/api/v1/images/{photo}")).await;
    assert!(manifest(&upload, &mime, None).is_err(), "an upload carries no manifest");

    let warmer = edit(
        &app,
        &cookie,
        &conv,
        json!({"text": "make it warmer and rotate it 90 degrees", "image_id": photo}),
    )
    .await;
    let (file, mime) = typed(&app, &cookie, &format!("/api/v1/images/{warmer}")).await;
    let (state, store) = manifest(&file, &mime, Some(&authority)).unwrap();
    assert_eq!(state, ValidationState::Trusted, "{store:#}");
    let active = &store["manifests"][store["active_manifest"].as_str().unwrap()];
    assert_eq!(active["claim_generator_info"][0]["name"], "ViNano");
    assert_eq!(active["signature_info"]["common_name"], "ViNano Content Credentials");
    assert_eq!(active["ingredients"][0]["relationship"], "parentOf");
    assert_eq!(
        actions(&store),
        [("c2pa.opened", ""), ("c2pa.color_adjustments", "warmth"), ("c2pa.orientation", "rotated")]
            .map(|(a, d)| (a.to_string(), d.to_string()))
    );
    // Without trusting the authority the signature still validates; the signer is just unknown.
    assert_eq!(manifest(&file, &mime, None).unwrap().0, ValidationState::Valid);
    // The XMP mark is still there, and nothing about the person is: not their address, not the words.
    assert_eq!(read(&file), Some(Source::Enhanced));
    let text = String::from_utf8_lossy(&file).to_string();
    for private in ["c2pa@", "warmer", "GPS"] {
        assert!(!text.contains(private), "{private}");
    }
    // A changed byte in the pixels breaks the seal.
    let mut tampered = file.clone();
    let at = tampered.len() - 40;
    tampered[at] ^= 0xFF;
    let broken = manifest(&tampered, &mime, Some(&authority)).map(|(s, _)| s);
    assert!(!matches!(broken, Ok(ValidationState::Trusted | ValidationState::Valid)), "{broken:?}");

    // Converted on the way out: a new manifest, its parent the stored file with that file's own manifest.
    let (target, asked) = if mime == "image/jpeg" { ("png", "image/png") } else { ("jpeg", "image/jpeg") };
    let (converted, mime) =
        typed(&app, &cookie, &format!("/api/v1/images/{warmer}?format={target}&download=1")).await;
    assert_eq!(mime, asked);
    let (state, store) = manifest(&converted, &mime, Some(&authority)).unwrap();
    assert_eq!(state, ValidationState::Trusted, "{store:#}");
    assert_eq!(actions(&store).last().unwrap().0, "c2pa.converted");
    assert_eq!(store["manifests"].as_object().unwrap().len(), 2, "the stored file's manifest comes along");
    assert_eq!(read(&converted), Some(Source::Enhanced));

    // A poster from words is created, not opened: algorithmic media, drawn.
    let poster = edit(&app, &cookie, &conv, json!({"text": "create a poster that says 'SALE'"})).await;
    let (file, mime) = typed(&app, &cookie, &format!("/api/v1/images/{poster}")).await;
    let (state, store) = manifest(&file, &mime, Some(&authority)).unwrap();
    assert_eq!(state, ValidationState::Trusted);
    let created = &action_list(&store)[0];
    assert_eq!(created["action"], "c2pa.created");
    assert_eq!(
        created["digitalSourceType"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
    );
}

#[tokio::test]
async fn a_model_providers_edit_is_named_in_the_manifest() {
    use crate::providers::{config, start_fake, Answer};
    use vinano_server::providers::ProviderConfig;
    let (url, _fake) = start_fake(&[Answer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let (cookie, conv, photo) = app.conversation_with_photo("model", 64, 64).await;
    let edited = edit(&app, &cookie, &conv, json!({"text": "add a hat", "image_id": photo})).await;
    let (file, mime) = typed(&app, &cookie, &format!("/api/v1/images/{edited}")).await;
    let (state, store) = manifest(&file, &mime, None).unwrap();
    assert_eq!(state, ValidationState::Valid, "{store:#}");
    let model =
        action_list(&store).into_iter().find(|a| a["action"] == "c2pa.edited").expect("the model's edit");
    assert!(model["softwareAgent"]["name"].as_str().unwrap().starts_with("openai"), "{model}");
    assert_eq!(
        model["digitalSourceType"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    );
}

#[tokio::test]
async fn without_a_certificate_one_is_issued_and_off_means_the_xmp_mark_alone() {
    let app = TestApp::new().await;
    let issued = app.state.config.data_dir.join("c2pa/signer.pem");
    assert!(std::fs::read_to_string(&issued).unwrap().contains("PRIVATE KEY"));
    let (cookie, conv, photo) = app.conversation_with_photo("issued", 80, 60).await;
    let brighter = edit(&app, &cookie, &conv, json!({"text": "brighter", "image_id": photo})).await;
    let (file, mime) = typed(&app, &cookie, &format!("/api/v1/images/{brighter}")).await;
    assert_eq!(manifest(&file, &mime, None).unwrap().0, ValidationState::Valid);

    let off = TestApp::with_config(|c| c.c2pa.enabled = false).await;
    assert!(!off.state.config.data_dir.join("c2pa").exists());
    let (cookie, conv, photo) = off.conversation_with_photo("off", 80, 60).await;
    let brighter = edit(&off, &cookie, &conv, json!({"text": "brighter", "image_id": photo})).await;
    let (file, mime) = typed(&off, &cookie, &format!("/api/v1/images/{brighter}")).await;
    assert!(manifest(&file, &mime, None).is_err(), "no manifest when off");
    assert_eq!(read(&file), Some(Source::Enhanced));
}

//! Encryption at rest: the file behind an uploaded photo holds no image signature and none of its bytes,
//! the API still serves the photo, and a file swapped for another one's is refused rather than served.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;

const SIGNATURES: [&[u8]; 5] = [b"\xFF\xD8\xFF", b"\x89PNG", b"RIFF", b"WEBP", b"GIF8"];

#[tokio::test]
async fn image_files_are_encrypted_on_disk() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let first = app.upload(&cookie, common::jpeg(64, 48)).await.json()["id"].as_str().unwrap().to_string();
    let second = app.upload(&cookie, common::jpeg(32, 32)).await.json()["id"].as_str().unwrap().to_string();
    let served = app.get(&format!("/api/v1/images/{first}"), Some(&cookie)).await;
    assert_eq!(served.status, StatusCode::OK);
    assert!(served.body.starts_with(b"\xFF\xD8\xFF"), "the API serves the JPEG");

    let file = app.state.blobs.file_of(&first).unwrap();
    let raw = std::fs::read(&file).unwrap();
    assert!(raw.starts_with(b"VNB1"));
    for signature in SIGNATURES {
        assert!(!raw.windows(signature.len()).any(|w| w == signature), "{signature:?} found on disk");
    }
    // No run of the served bytes appears in the file.
    assert!(!raw.windows(32).any(|w| served.body.windows(32).any(|s| s == w)));

    // A file put in another's place doesn't open (names are bound into the encryption): a 500, not a
    // different person's picture.
    std::fs::copy(app.state.blobs.file_of(&second).unwrap(), &file).unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/images/{first}"), Some(&cookie)).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[tokio::test]
async fn the_master_key_comes_from_the_configuration_or_a_private_file() {
    let app = TestApp::new().await;
    let key_file = app.state.config.data_dir.join("master.key");
    let text = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(text.len(), 64, "generated on first start");
    let configured = TestApp::with_config(|c| {
        c.master_key = Some(vinano_server::storage::crypto::MasterKey::from_hex(&"7".repeat(64)).unwrap());
    })
    .await;
    assert!(!configured.state.config.data_dir.join("master.key").exists(), "no file when configured");
    let cookie = configured.signup("ada").await;
    let id =
        configured.upload(&cookie, common::jpeg(20, 20)).await.json()["id"].as_str().unwrap().to_string();
    let raw = std::fs::read(configured.state.blobs.file_of(&id).unwrap()).unwrap();
    let key = vinano_server::storage::crypto::MasterKey::from_hex(&"7".repeat(64)).unwrap();
    assert!(key.open(&id, &raw).unwrap().starts_with(b"\xFF\xD8\xFF"));
    assert!(vinano_server::storage::crypto::MasterKey::generate().open(&id, &raw).is_err());
}

//! Proves upload validation: images are checked by content, re-encoded without metadata, and every bad
//! upload gets a readable 4xx while leaving no row and no file behind.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{jpeg, TestApp};

#[tokio::test]
async fn a_photo_is_stored_reencoded_without_metadata() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    // Insert an EXIF segment carrying a marker string where a GPS block would be.
    let plain = jpeg(64, 48);
    let mut with_exif = plain[..2].to_vec();
    let payload = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0GPS-SECRET-LOCATION";
    with_exif.extend_from_slice(&[0xFF, 0xE1]);
    with_exif.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    with_exif.extend_from_slice(payload);
    with_exif.extend_from_slice(&plain[2..]);

    let r = app.upload(&cookie, with_exif).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let info = r.json();
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(64), Some(48)));

    let got = app.get(&format!("/api/v1/images/{}", info["id"].as_str().unwrap()), Some(&cookie)).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.headers["content-type"], "image/jpeg");
    assert_eq!(got.headers["cache-control"], "private, no-cache");
    let etag = got.headers["etag"].to_str().unwrap().to_string();
    let again = app
        .request_with(
            axum::http::Method::GET,
            &format!("/api/v1/images/{}", info["id"].as_str().unwrap()),
            Some(&cookie),
            None,
            vec![],
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert!(!got.body.windows(4).any(|w| w == b"Exif"), "EXIF must be stripped");
    assert!(!got.body.windows(10).any(|w| w == b"GPS-SECRET"));
    let decoded = image::load_from_memory(&got.body).unwrap().to_rgb8();
    assert_eq!(decoded.dimensions(), (64, 48));
    let left = decoded.get_pixel(5, 10);
    assert!(left[0] > 180 && left[2] < 90, "left half stays red: {left:?}");
}

#[tokio::test]
async fn a_display_p3_photo_is_stored_in_srgb_without_its_profile() {
    use image::ImageEncoder;
    use moxcms::{ColorProfile, Layout};
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    // A brick colour as a phone stores it: in Display P3, the profile in the file's iCCP chunk.
    let brick = [200u8, 100, 50];
    let to_p3 = ColorProfile::new_srgb()
        .create_transform_8bit(Layout::Rgb, &ColorProfile::new_display_p3(), Layout::Rgb, Default::default())
        .unwrap();
    let mut stored = [0u8; 3];
    to_p3.transform(&brick, &mut stored).unwrap();
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb(stored));
    let mut png = Vec::new();
    let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
    encoder.set_icc_profile(ColorProfile::new_display_p3().encode().unwrap()).unwrap();
    encoder.write_image(&img, 40, 30, image::ExtendedColorType::Rgb8).unwrap();
    assert!(png.windows(4).any(|w| w == b"iCCP"));

    let r = app.upload(&cookie, png).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let got = app.get(&format!("/api/v1/images/{}", r.json()["id"].as_str().unwrap()), Some(&cookie)).await;
    assert!(!got.body.windows(4).any(|w| w == b"iCCP"), "the profile is dropped");
    let pixel = image::load_from_memory(&got.body).unwrap().to_rgb8().get_pixel(20, 15).0;
    assert!(pixel.iter().zip(brick).all(|(a, b)| a.abs_diff(b) <= 2), "{pixel:?} is not sRGB {brick:?}");
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing_behind() {
    let app = TestApp::with_config(|c| c.max_upload_bytes = 1024 * 1024).await;
    let cookie = app.signup("ada").await;

    let m = app
        .upload(&cookie, b"%PDF-1.7 this is not a picture".to_vec())
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert!(m.contains("JPEG"), "{m}");

    let good = jpeg(64, 48);
    let corrupt = good[..good.len() / 2].to_vec();
    let m = app.upload(&cookie, corrupt).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_image");
    assert!(m.contains("damaged"), "{m}");

    // A real JPEG header that declares 10000 × 5000 = 50 megapixels.
    let mut huge = jpeg(64, 48);
    let sof = huge.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    huge[sof + 5..sof + 7].copy_from_slice(&5_000u16.to_be_bytes());
    huge[sof + 7..sof + 9].copy_from_slice(&10_000u16.to_be_bytes());
    let m = app.upload(&cookie, huge).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_image");
    assert!(m.contains("10 000 × 5 000") && m.contains("40 megapixels"), "{m}");

    let big = vec![0xFFu8; 1024 * 1024 + 1];
    let m = app.upload(&cookie, big).await.error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert!(m.contains("1 MB"), "{m}");

    app.upload(&cookie, vec![]).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

    assert_eq!(app.count("images").await, 0);
    assert_eq!(app.state.blobs.count().await, 0);
}

#[tokio::test]
async fn uploads_need_a_session() {
    let app = TestApp::new().await;
    let r =
        app.request(axum::http::Method::POST, "/api/v1/images", None, Some("image/jpeg"), jpeg(8, 8)).await;
    r.error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.state.blobs.count().await, 0);
}

#[tokio::test]
async fn the_library_lists_only_my_images_newest_first() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), serde_json::json!({})).await.json()
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = app.upload(&cookie, jpeg(40, 20)).await.json()["id"].as_str().unwrap().to_string();
    app.clock.advance(10);
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            serde_json::json!({"text": "rotate it", "image_id": first}),
        )
        .await
        .json();
    let r = app.complete(&cookie, &conv, r).await;
    let result = r["reply"]["image"]["id"].as_str().unwrap().to_string();
    let other = app.signup("bob").await;
    app.upload(&other, jpeg(8, 8)).await;

    let items = app.get("/api/v1/images", Some(&cookie)).await.json();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["image"]["id"], result.as_str());
    assert_eq!(items[0]["image"]["generation"]["steps"], serde_json::json!(["rotate 90° clockwise"]));
    assert_eq!(items[1]["image"]["id"], first.as_str());
    assert!(items.iter().all(|i| i["conversation_id"] == conv.as_str()));
    assert_eq!(
        app.get("/api/v1/images?limit=1&offset=1", Some(&cookie)).await.json().as_array().unwrap().len(),
        1
    );
    assert_eq!(app.get("/api/v1/images", Some(&other)).await.json().as_array().unwrap().len(), 1);
    app.get("/api/v1/images", None).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn any_version_downloads_as_png_jpeg_or_webp() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let id = app.upload(&cookie, jpeg(64, 48)).await.json()["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/images/{id}");
    let mut etags = std::collections::HashSet::new();
    for (format, mime) in [("png", "image/png"), ("webp", "image/webp"), ("jpeg", "image/jpeg")] {
        let r = app.get(&format!("{url}?format={format}&download=1"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        assert_eq!(r.headers["content-type"], mime);
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        let extension = if format == "jpeg" { "jpg" } else { format };
        assert_eq!(disposition, format!("attachment; filename=\"vinano-{}.{extension}\"", &id[..8]));
        assert!(etags.insert(r.headers["etag"].to_str().unwrap().to_string()), "ETag must differ per format");
        // The bytes really are that format, with the same pixels.
        let decoded = vinano_imaging::decode(&r.body, vinano_imaging::DecodeLimits::default()).unwrap();
        assert_eq!(format!("{:?}", decoded.format).to_lowercase(), format);
        assert_eq!((decoded.image.width(), decoded.image.height()), (64, 48));
        let left = decoded.image.to_rgb8().get_pixel(5, 24).0;
        assert!(left[0] > 180 && left[2] < 80, "{format}: {left:?}");
    }
    // Unknown format: a readable 422; someone else's image: 404 in every format.
    let m = app
        .get(&format!("{url}?format=gif"), Some(&cookie))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("png, jpeg or webp"), "{m}");
    let other = app.signup("bob").await;
    app.get(&format!("{url}?format=png"), Some(&other)).await.error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_photo_cut_off_on_the_way_is_refused_as_damaged() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let photo = common::jpeg(300, 200);
    let r = app.upload(&cookie, photo[..photo.len() / 3].to_vec()).await;
    let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_image");
    assert!(message.contains("damaged"), "{message}");
    assert_eq!(app.count("images").await, 0);
    assert_eq!(app.state.blobs.count().await, 0);
}

fn previews_on_disk(app: &TestApp) -> usize {
    let root = app.state.previews.root().unwrap();
    std::fs::read_dir(root)
        .map(|dirs| {
            dirs.flatten()
                .filter(|d| d.file_name() != "tmp" && d.path().is_dir())
                .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn previews_are_made_when_an_image_is_stored_and_go_with_it() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let id = app.upload(&cookie, common::jpeg(1200, 900)).await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(previews_on_disk(&app), 2);
    let full = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
    for (size, dims) in [(256, (256, 192)), (768, (768, 576))] {
        let r = app.get(&format!("/api/v1/images/{id}?size={size}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "image/jpeg");
        assert_eq!(r.headers["etag"], format!("\"{id}.s{size}\"").as_str());
        let img = image::load_from_memory(&r.body).unwrap();
        assert_eq!((img.width(), img.height()), dims);
        assert!(r.body.len() < full.body.len(), "a preview is smaller than the image");
    }
    // Someone else's image has no previews for them either.
    let other = app.signup("bob").await;
    assert_eq!(
        app.get(&format!("/api/v1/images/{id}?size=256"), Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    // Only the two sizes, and not converted.
    for bad in ["100", "256&format=png"] {
        let message = app
            .get(&format!("/api/v1/images/{id}?size={bad}"), Some(&cookie))
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert!(message.contains("256 or 768"), "{message}");
    }

    // A picture no larger than a preview is its own preview; transparency stays (lossless WebP).
    let small = app.upload(&cookie, common::jpeg(200, 100)).await.json()["id"].as_str().unwrap().to_string();
    let r = app.get(&format!("/api/v1/images/{small}?size=256"), Some(&cookie)).await;
    assert_eq!(r.body, app.get(&format!("/api/v1/images/{small}"), Some(&cookie)).await.body);
    let mut png = Vec::new();
    image::DynamicImage::new_rgba8(300, 600)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let clear = app.request(Method::POST, "/api/v1/images", Some(&cookie), Some("image/png"), png).await;
    let clear = clear.json()["id"].as_str().unwrap().to_string();
    let r = app.get(&format!("/api/v1/images/{clear}?size=256"), Some(&cookie)).await;
    assert_eq!(r.headers["content-type"], "image/webp");
    assert!(image::load_from_memory(&r.body).unwrap().color().has_alpha());
    assert_eq!(previews_on_disk(&app), 3);

    // Deleting the images removes their previews with their files.
    for image in [&id, &small, &clear] {
        let r = app
            .request(Method::DELETE, &format!("/api/v1/images/{image}"), Some(&cookie), None, vec![])
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    assert_eq!(previews_on_disk(&app), 0);
    assert_eq!(app.state.blobs.count().await, 0);
}

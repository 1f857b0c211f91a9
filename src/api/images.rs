//! Uploading, listing and rating image versions (the server's `http/images.rs`).

use super::{check, delete, get, json, post, put, send_json, server_error, url, ApiError};
use vinano_api::{Feedback, ImageInfo, LibraryItem};

/// Uploads a prepared photo, calling `on_progress` with the fraction sent (0.0–1.0) as bytes go out.
/// (XMLHttpRequest, because `fetch` cannot report upload progress.)
pub async fn upload_image(
    body: &web_sys::Blob,
    content_type: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ImageInfo, ApiError> {
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open_with_async("POST", &url("/images"), true).map_err(|_| ApiError::Network)?;
    xhr.set_request_header("Content-Type", content_type).map_err(|_| ApiError::Network)?;
    if let Some(partner) = super::widget::partner() {
        xhr.set_request_header(vinano_api::WIDGET_HEADER, &partner).map_err(|_| ApiError::Network)?;
    }
    let progress = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
        move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        },
    );
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    // The view that sent it went away: stop sending (see `Scope`).
    let signal = super::scope::current_signal();
    let stop = {
        let xhr = xhr.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let _ = xhr.abort();
        })
    };
    xhr.send_with_opt_blob(Some(body)).map_err(|_| ApiError::Network)?;
    if let Some(signal) = &signal {
        let _ = signal.add_event_listener_with_callback("abort", stop.as_ref().unchecked_ref());
    }
    let outcome = wasm_bindgen_futures::JsFuture::from(finished).await;
    if let Some(signal) = &signal {
        let _ = signal.remove_event_listener_with_callback("abort", stop.as_ref().unchecked_ref());
    }
    drop((progress, stop));
    outcome.map_err(|_| ApiError::Network)?;
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| ApiError::Decode);
    }
    Err(server_error(status, serde_json::from_str(&text).ok()))
}

/// Every image the person owns, newest first.
pub async fn list_images(limit: u32) -> Result<Vec<LibraryItem>, ApiError> {
    json(get(&url(&format!("/images?limit={limit}"))).send().await).await
}

/// What Home suggests from the person's own history.
pub async fn suggestions() -> Result<vinano_api::Suggestions, ApiError> {
    json(get(&url("/me/suggestions")).send().await).await
}

/// Rates a result; rating again replaces the earlier rating.
pub async fn rate_image(id: &str, feedback: &Feedback) -> Result<Feedback, ApiError> {
    send_json(put(&url(&format!("/images/{id}/feedback"))), feedback).await
}

/// Withdraws a rating.
pub async fn unrate_image(id: &str) -> Result<(), ApiError> {
    check(delete(&url(&format!("/images/{id}/feedback"))).send().await).await.map(|_| ())
}

/// The subject of version `id` as a selection mask (a grey PNG, white on the subject, at the brush's size),
/// found by the server's segmentation model; with `at` (where the person tapped, as fractions of the width and
/// height), only the subject there.
pub async fn subject(id: &str, at: Option<(f64, f64)>) -> Result<Vec<u8>, ApiError> {
    let point = at.map(|(x, y)| format!("?x={x:.4}&y={y:.4}")).unwrap_or_default();
    let response = check(post(&url(&format!("/images/{id}/subject{point}"))).send().await).await?;
    response.binary().await.map_err(|_| ApiError::Decode)
}

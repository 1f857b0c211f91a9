//! Answers `index.html` asked for while the app was still downloading (`window.vinanoEarly`, keyed by API
//! path): the session on every page, and on the editor — once the session says someone is signed in — the
//! conversation list, the opened conversation, the preferences and the credits left. Each answer is used
//! once; a later call asks the server again.

use gloo_net::http::Response;
use wasm_bindgen::{JsCast, JsValue};

const EARLY: &str = "vinanoEarly";

/// The early answer to `GET {path}`, taken out of the page: `None` when `index.html` didn't ask for it, or
/// decided not to (a visitor has no conversations to fetch).
async fn take(path: &str) -> Option<Result<Response, gloo_net::Error>> {
    let window = web_sys::window()?;
    let early = js_sys::Reflect::get(&window, &JsValue::from_str(EARLY)).ok()?;
    if !early.is_object() {
        return None;
    }
    let key = JsValue::from_str(path);
    let asked = js_sys::Reflect::get(&early, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    js_sys::Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &key).ok()?;
    match wasm_bindgen_futures::JsFuture::from(asked).await {
        Ok(answer) if answer.is_instance_of::<web_sys::Response>() => {
            Some(Ok(Response::from(web_sys::Response::from(answer))))
        }
        Ok(_) => None,
        Err(_) => Some(Err(gloo_net::Error::GlooError(format!("no answer to the early request for {path}")))),
    }
}

/// `GET {path}` (an API path such as `/session`): the early answer if there is one, else a new request.
pub(super) async fn get(path: &str) -> Result<Response, gloo_net::Error> {
    match take(path).await {
        Some(answer) => answer,
        None => super::get(&super::url(path)).send().await,
    }
}

/// Drops every early answer unused: they are too old to go by (the app started offline and asks again when
/// it is back).
pub fn forget() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str(EARLY));
    }
}

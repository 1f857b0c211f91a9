//! Whether ViNano can be reached. The browser's `online`/`offline` events say when the device loses its
//! network, but not when our server is down or a proxy drops the connection, so every API request reports
//! too: a request that got no answer marks the app offline, any answer marks it back. While offline the app
//! asks the server every few seconds, so it notices the way back by itself (a stopped server sends no
//! `online` event). Drafts stay in the composer meanwhile, and a send that failed goes when we are back.

use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How often the app asks whether the server is back.
const PROBE_EVERY: Duration = Duration::from_secs(3);

thread_local! {
    static ONLINE: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
    /// Whether a round of asking is under way (one at a time).
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

/// The app's connection, as a signal.
#[derive(Debug, Clone, Copy)]
pub struct Connectivity {
    online: RwSignal<bool>,
}

impl Connectivity {
    /// Whether the server answers (tracked).
    pub fn online(&self) -> bool {
        self.online.get()
    }
}

/// Provides [`Connectivity`], starting from what the browser says.
pub fn provide_connectivity() -> Connectivity {
    let online = RwSignal::new(window().navigator().on_line());
    ONLINE.with(|cell| cell.set(Some(online)));
    let offline = Closure::<dyn Fn()>::new(move || online.set(false));
    let back = Closure::<dyn Fn()>::new(watch_for_return);
    let _ = window().add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    let _ = window().add_event_listener_with_callback("online", back.as_ref().unchecked_ref());
    // Both live as long as the page.
    offline.forget();
    back.forget();
    Effect::new(move |_| {
        if !online.get() {
            watch_for_return();
        }
    });
    let connectivity = Connectivity { online };
    provide_context(connectivity);
    connectivity
}

/// The app's [`Connectivity`].
pub fn use_connectivity() -> Connectivity {
    use_context::<Connectivity>().expect("Connectivity is provided by App")
}

/// What a request found: an answer (`true`, whatever its status) or none (`false`).
pub fn reached(answered: bool) {
    if let Some(online) = ONLINE.with(Cell::get) {
        if online.get_untracked() != answered {
            online.set(answered);
        }
    }
}

/// Asks the server, now and every few seconds, until it answers (or another request did).
fn watch_for_return() {
    if PROBING.with(|p| p.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async {
        loop {
            let answered = gloo_net::http::Request::get(&format!("{}/session", vinano_api::API_PREFIX))
                .send()
                .await
                // A proxy's "bad gateway" is an answer, but not from ViNano.
                .is_ok_and(|r| r.ok());
            reached(answered);
            let offline = ONLINE.with(Cell::get).is_some_and(|online| !online.get_untracked());
            if answered || !offline {
                break;
            }
            sleep(PROBE_EVERY).await;
        }
        PROBING.with(|p| p.set(false));
    });
}

/// Waits `duration` (a browser timer).
pub(crate) async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, duration.as_millis() as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

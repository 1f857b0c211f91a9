//! A readable error message, announced to screen readers.

use crate::api::ApiError;
use crate::i18n::I18n;
use leptos::prelude::*;

/// The message to show for an API error in the current language: the server's message key with its values
/// (its English message when the key is unknown here), or the app's own words for browser-side failures.
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    if let Some(key) = error.i18n_key() {
        return i18n.t(key);
    }
    match error {
        ApiError::Server { key: Some(key), args, message, .. } => {
            i18n.say(key, args).unwrap_or_else(|| message.clone())
        }
        other => other.to_string(),
    }
}

/// Shows `message` in an alert box when it is set; renders nothing otherwise.
#[component]
pub fn ErrorAlert(
    /// The message, or `None` for no alert.
    #[prop(into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    move || message.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })
}

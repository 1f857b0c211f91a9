//! A readable error message, announced to screen readers.

use crate::api::ApiError;
use crate::i18n::I18n;
use leptos::prelude::*;

/// The message to show for an API error in the current language.
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    match error.i18n_key() {
        Some(key) => i18n.t(key),
        None => error.to_string(),
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

//! A readable error message, announced to screen readers.

use crate::api::ApiError;
use crate::i18n::I18n;
use fluent_bundle::FluentValue;
use leptos::prelude::*;

/// The message to show for an API error in the current language, with the numbers the server sent
/// (sizes grouped by three, storage in MB, waits in minutes or seconds).
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    let Some(key) = error.i18n_key() else { return error.to_string() };
    let ApiError::Server { args, .. } = error else { return i18n.t(key) };
    let mut values: Vec<(&str, FluentValue<'static>)> = Vec::new();
    for (name, value) in args {
        let value = match name.as_str() {
            "width" | "height" => FluentValue::from(vinano_engine::group(*value)),
            _ => FluentValue::from(*value),
        };
        values.push((name.as_str(), value));
    }
    if let Some(secs) = args.get("retry_after") {
        // Minutes from a minute and a half on; seconds below that.
        let (key, n) =
            if *secs >= 90 { ("wait-minutes", secs.div_ceil(60)) } else { ("wait-seconds", *secs) };
        values.push(("wait", FluentValue::from(i18n.t_args(key, [("n", FluentValue::from(n))]))));
    }
    if let Some(bytes) = args.get("limit").filter(|_| key == "error-quota-storage") {
        values.push(("mb", FluentValue::from(bytes / 1_000_000)));
    }
    i18n.t_args(key, values)
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

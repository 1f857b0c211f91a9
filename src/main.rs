//! Browser entry point: mounts the app on `<body>`.

fn main() {
    vinano_web::state::telemetry::install();
    wasm_bindgen_futures::spawn_local(async {
        // The browser's language first, when it is one the bundle doesn't carry (a small chunk): the app's
        // first paint is in the person's language, not English that then changes.
        let patience = std::time::Duration::from_secs(3);
        vinano_web::i18n::load_for_start(vinano_web::i18n::browser_locale(), patience).await;
        // The frame `index.html` paints while the app loads makes way for the app itself.
        vinano_web::boot::make_way();
        let path = leptos::prelude::window().location().pathname().unwrap_or_default();
        if path == "/embed" || path.starts_with("/embed/") {
            leptos::mount::mount_to_body(vinano_web::EmbedApp);
        } else {
            leptos::mount::mount_to_body(vinano_web::App);
        }
    });
}

//! Browser entry point: mounts the app on `<body>`.

fn main() {
    vinano_web::state::telemetry::install();
    // The frame `index.html` paints while the app loads makes way for the app itself.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(vinano_web::App);
}

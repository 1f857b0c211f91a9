//! Browser entry point: mounts the app on `<body>`.

fn main() {
    vinano_web::state::telemetry::install();
    leptos::mount::mount_to_body(vinano_web::App);
}

//! ViNano's single-page app: a Leptos client-side-rendered WebAssembly front end for chat-driven image
//! editing. `main.rs` mounts [`App`] (or [`EmbedApp`], the widget on a partner's site, at `/embed`); tests
//! mount it (or parts of it) with `leptos::mount::mount_to`.

pub mod api;
mod app;
pub mod boot;
pub mod components;
pub mod device;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod state;
pub mod styles;
pub mod worker;

pub use app::{App, EmbedApp};

//! The pages that load on first visit: each is its own WebAssembly chunk, fetched when the person first
//! opens it, so the first page of a visit downloads the app's frame and that
//! page only. The `split` feature (what Trunk builds the app with) marks the split points, and `cargo xtask
//! build` splits the bundle (`crates/xtask/src/split.rs`); without it (the browser tests) every page is in
//! the one bundle. The installed app's service worker keeps every chunk for offline use.
//!
//! A chunk that can't be downloaded (the connection dropped) shows a page that says so, with "Try again",
//! instead of stopping the app.

use crate::i18n::use_i18n;
use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::LazyRoute;

/// Declares a route type whose page is split into its own chunk, loaded on first use.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $name:ident, $chunk:ident, $preload:ident => $($page:tt)::+) => {
        $(#[$doc])*
        pub struct $name;

        #[cfg_attr(
            feature = "split",
            wasm_split($chunk, fallible, preload($preload), wasm_split_path = ::leptos::wasm_split)
        )]
        fn $chunk() -> Result<AnyView, SplitLoaderError> {
            Ok($($page)::+().into_any())
        }

        impl LazyRoute for $name {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                #[cfg(feature = "split")]
                let page = $chunk().await;
                #[cfg(not(feature = "split"))]
                let page = $chunk();
                page.unwrap_or_else(|_| PageLoadFailed().into_any())
            }

            async fn preload() {
                // A failure here is met again (and shown) when the page is opened.
                #[cfg(feature = "split")]
                let _ = $preload().await;
            }
        }
    };
}

lazy_page!(
    /// The editor: AI Image, a new conversation or an existing one.
    Editor, editor_page, preload_editor_page => crate::pages::image::ImagePage
);
lazy_page!(
    /// Me: account, appearance, privacy, data rights.
    Me, me_page, preload_me_page => crate::pages::me::MePage
);
lazy_page!(
    /// The library of every result.
    Library, library_page, preload_library_page => crate::pages::library::Library
);
lazy_page!(
    /// Log in.
    Login, login_page, preload_login_page => crate::pages::auth::Login
);
lazy_page!(
    /// Sign up.
    Signup, signup_page, preload_signup_page => crate::pages::auth::Signup
);
lazy_page!(
    /// The page an e-mail's verification link opens.
    VerifyEmail, verify_email_page, preload_verify_email_page => crate::pages::email_links::VerifyEmail
);
lazy_page!(
    /// Asking for a password-reset link.
    ForgotPassword, forgot_password_page, preload_forgot_password_page => crate::pages::email_links::ForgotPassword
);
lazy_page!(
    /// The page a password-reset link opens.
    ResetPassword, reset_password_page, preload_reset_password_page => crate::pages::email_links::ResetPasswordPage
);
lazy_page!(
    /// The privacy policy.
    PrivacyPolicy, privacy_policy_page, preload_privacy_policy_page => crate::pages::policy::PrivacyPolicy
);

/// A page whose chunk couldn't be downloaded: what happened, and a way to try again (a reload, which
/// fetches the chunk afresh).
#[component]
fn PageLoadFailed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{i18n.tr("page-load-failed-title")}</h1>
            <p role="alert">{i18n.tr("page-load-failed-body")}</p>
            <button type="button" class="btn btn-primary" on:click=|_| {
                let _ = window().location().reload();
            }>{i18n.tr("page-load-failed-retry")}</button>
        </section>
    }
}

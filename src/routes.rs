//! The pages that load on first visit: each is its own WebAssembly chunk (the five sign-in and e-mail link
//! pages share one), fetched when the person first opens it, so the first page of a visit downloads the
//! app's frame and that page only. The `split` feature (what Trunk builds the app with) marks the split points, and `cargo xtask
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

/// Declares a route type whose page comes from a split (`$split($($arg)?)`, declared with `split!`), loaded
/// on first use.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $name:ident => $split:ident($($arg:expr)?), $preload:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl LazyRoute for $name {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                #[cfg(feature = "split")]
                let page = $split($($arg)?).await;
                #[cfg(not(feature = "split"))]
                let page = $split($($arg)?);
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

/// Declares a split: a function whose code (and what only it uses) is its own chunk with the `split`
/// feature, and `$preload`, which downloads that chunk without running anything.
macro_rules! split {
    ($split:ident, $preload:ident, fn($($arg:ident: $ty:ty)?) $body:block) => {
        #[cfg_attr(
            feature = "split",
            wasm_split($split, fallible, preload($preload), wasm_split_path = ::leptos::wasm_split)
        )]
        fn $split($($arg: $ty)?) -> Result<AnyView, SplitLoaderError> $body
    };
}

split!(editor_page, preload_editor_page, fn() {
    crate::i18n::bring(&[crate::i18n::EDITOR]);
    // The header's version menu is styled there: shown without it, the page jumped when it came in. It
    // downloads with the page's chunks (`crates/xtask/src/split.rs`), so waiting for it costs nothing.
    Ok(crate::styles::with_sheet("/editor.css", crate::pages::image::ImagePage))
});
lazy_page!(
    /// The editor: AI Image, a new conversation or an existing one.
    Editor => editor_page(), preload_editor_page
);

/// Me, the checkout its Subscription section opens, and Me → Admin: one chunk (they share the plans' and
/// forms' code; a chunk of its own made the pages' shared chunks more and smaller, more requests for every
/// page).
#[derive(Clone, Copy)]
enum MeArea {
    Me,
    Checkout,
    Admin,
}

split!(me_page, preload_me_page, fn(area: MeArea) {
    crate::i18n::bring(&[crate::i18n::ME, crate::i18n::WIDGET]);
    Ok(crate::styles::with_sheet("/me.css", move || match area {
        MeArea::Me => crate::pages::me::MePage().into_any(),
        MeArea::Checkout => crate::pages::checkout::Checkout().into_any(),
        MeArea::Admin => crate::pages::admin::AdminPage().into_any(),
    }))
});
lazy_page!(
    /// Me: account, subscription, appearance, privacy, data rights.
    Me => me_page(MeArea::Me), preload_me_page
);
lazy_page!(
    /// The test-mode processor's checkout page.
    Checkout => me_page(MeArea::Checkout), preload_me_page
);
lazy_page!(
    /// Me → Admin: the operator's controls.
    Admin => me_page(MeArea::Admin), preload_me_page
);

split!(library_page, preload_library_page, fn() { Ok(crate::pages::library::Library().into_any()) });
lazy_page!(
    /// The library of every result.
    Library => library_page(), preload_library_page
);

/// The pages of getting into an account: small, and often opened one after another (sign up, then the
/// e-mail's link; forgot the password, then its link), so one chunk: fewer requests than five.
#[derive(Clone, Copy)]
enum AccountPage {
    Login,
    Signup,
    VerifyEmail,
    ForgotPassword,
    ResetPassword,
}

split!(account_pages, preload_account_pages, fn(page: AccountPage) {
    use crate::pages::{auth, email_links};
    crate::i18n::bring(&[crate::i18n::ACCOUNT]);
    Ok(match page {
        AccountPage::Login => auth::Login().into_any(),
        AccountPage::Signup => auth::Signup().into_any(),
        AccountPage::VerifyEmail => email_links::VerifyEmail().into_any(),
        AccountPage::ForgotPassword => email_links::ForgotPassword().into_any(),
        AccountPage::ResetPassword => email_links::ResetPasswordPage().into_any(),
    })
});
lazy_page!(
    /// Log in.
    Login => account_pages(AccountPage::Login), preload_account_pages
);
lazy_page!(
    /// Sign up.
    Signup => account_pages(AccountPage::Signup), preload_account_pages
);
lazy_page!(
    /// The page an e-mail's verification link opens.
    VerifyEmail => account_pages(AccountPage::VerifyEmail), preload_account_pages
);
lazy_page!(
    /// Asking for a password-reset link.
    ForgotPassword => account_pages(AccountPage::ForgotPassword), preload_account_pages
);
lazy_page!(
    /// The page a password-reset link opens.
    ResetPassword => account_pages(AccountPage::ResetPassword), preload_account_pages
);

split!(privacy_policy_page, preload_privacy_policy_page, fn() {
    Ok(crate::pages::policy::PrivacyPolicy().into_any())
});
lazy_page!(
    /// The privacy policy.
    PrivacyPolicy => privacy_policy_page(), preload_privacy_policy_page
);

split!(embed_page, preload_embed_page, fn() {
    crate::i18n::bring(&[crate::i18n::EMBED, crate::i18n::WIDGET]);
    Ok(crate::pages::embed::Embed().into_any())
});
lazy_page!(
    /// The widget's page on a partner's site (`/embed`).
    Embed => embed_page(), preload_embed_page
);

split!(shared_page, preload_shared_page, fn() {
    crate::i18n::bring(&[crate::i18n::SHARE]);
    Ok(crate::styles::with_sheet("/share.css", crate::pages::share::SharedPage))
});
lazy_page!(
    /// What a share link shows (`/s/:token`), to anyone who has it.
    Shared => shared_page(), preload_shared_page
);

split!(tools_pages, preload_tools_pages, fn() {
    crate::i18n::bring(&[crate::i18n::TOOLS]);
    Ok(crate::styles::with_sheet("/tools.css", crate::pages::tools::ToolsPages))
});
lazy_page!(
    /// AI Tools: the catalogue and each tool's page (`/tools`, `/tools/:tool`), and AI Video (`/video`).
    Tools => tools_pages(), preload_tools_pages
);

split!(home_part_chunk, preload_home_part_chunk, fn(at: (web_sys::HtmlElement, Owner, bool)) {
    let (slot, owner, tour) = at;
    crate::i18n::bring(&[if tour { crate::i18n::TOUR } else { crate::i18n::HOME }]);
    // Shown once its stylesheet is in (no flash of an unstyled box or cards).
    leptos::task::spawn_local(async move {
        crate::styles::load("/home.css").await;
        // Home may have been left meanwhile: there is nowhere (and no owner) to show its part in.
        if !slot.is_connected() {
            return;
        }
        match tour {
            true => crate::pages::tour::mount(slot, owner),
            false => crate::pages::start::mount(slot, owner),
        }
    });
    Ok(().into_any())
});

/// Home's part (one chunk, fetched once Home has shown, so a visitor's first load is the frame alone),
/// mounted into `slot` under `owner`: for someone signed in the start box (`pages/start.rs`), for a visitor
/// (`tour`) the tour of examples (`pages/tour.rs`). False when the chunk couldn't be downloaded.
pub async fn home_part(slot: web_sys::HtmlElement, owner: Owner, tour: bool) -> bool {
    #[cfg(feature = "split")]
    let done = home_part_chunk((slot, owner, tour)).await;
    #[cfg(not(feature = "split"))]
    let done = home_part_chunk((slot, owner, tour));
    done.is_ok()
}

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

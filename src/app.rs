//! The app shell: context, router, navigation.

use crate::components::form::Submit;
use crate::components::requests::{use_interval, Requests};
use crate::components::ErrorAlert;
use crate::i18n::{provide_i18n, use_i18n};
use crate::pages;
use crate::routes;
use crate::state::session::{provide_session, use_session};
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router, A};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, Lazy};

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    crate::state::theme::apply(crate::state::theme::load());
    crate::state::connectivity::provide_connectivity();
    crate::state::pwa::provide_pwa();
    provide_session();
    crate::components::toast::provide_toasts();
    crate::components::dialog::provide_dialogs();
    // Analytics follow the signed-in person's setting (and their browser's Global Privacy Control).
    let session = use_session();
    let who = Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.id.clone())));
    let requests = Requests::new();
    Effect::new(move |_| {
        if who.get().is_some() {
            requests.call(crate::api::privacy(), |answer| {
                crate::state::telemetry::set_enabled(answer.is_ok_and(|s| s.analytics && !s.gpc));
            });
        } else {
            crate::state::telemetry::set_enabled(false);
        }
    });
    // The signed-in person's language setting wins over the browser's.
    Effect::new(move |_| {
        if let Some(language) = session.me.with(|m| m.as_ref().map(|m| m.language.clone())) {
            i18n.set_locale(crate::i18n::Locale::from_tag(&language));
        }
    });
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", i18n.locale().tag());
        }
    });
    view! {
        <Router>
            <a class="skip-link" href="#main">{i18n.tr("skip-to-content")}</a>
            <PageTitle/>
            // Everything but the footer: at least one screen tall, and exactly one on the editor, where the
            // banners take their room from the thread instead of pushing the composer off the screen.
            <div class="shell">
                <Header/>
                <crate::components::connection::OfflineBanner/>
                <crate::components::connection::UpdatePrompt/>
                <DeletionBanner/>
                <PolicyBanner/>
                <ExportBanner/>
                <crate::components::problem::ProblemReport/>
                <main id="main" class="main" tabindex="-1">
                    <FlatRoutes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::Home/>
                        <Route path=path!("/image") view={Lazy::<routes::Editor>::new()}/>
                        <Route path=path!("/image/:id") view={Lazy::<routes::Editor>::new()}/>
                        <Route path=path!("/images") view={Lazy::<routes::Library>::new()}/>
                        <Route path=path!("/video") view={Lazy::<routes::Tools>::new()}/>
                        <Route path=path!("/tools") view={Lazy::<routes::Tools>::new()}/>
                        <Route path=path!("/tools/:tool") view={Lazy::<routes::Tools>::new()}/>
                        <Route path=path!("/me") view={Lazy::<routes::Me>::new()}/>
                        <Route path=path!("/me/data") view={Lazy::<routes::Me>::new()}/>
                        <Route path=path!("/billing/checkout/:session") view={Lazy::<routes::Checkout>::new()}/>
                        <Route path=path!("/me/admin") view={Lazy::<routes::Admin>::new()}/>
                        <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                        <Route path=path!("/signup") view={Lazy::<routes::Signup>::new()}/>
                        <Route path=path!("/verify-email") view={Lazy::<routes::VerifyEmail>::new()}/>
                        <Route path=path!("/forgot-password") view={Lazy::<routes::ForgotPassword>::new()}/>
                        <Route path=path!("/reset-password") view={Lazy::<routes::ResetPassword>::new()}/>
                        <Route path=path!("/privacy") view={Lazy::<routes::PrivacyPolicy>::new()}/>
                        <Route path=path!("/s/:token") view={Lazy::<routes::Shared>::new()}/>
                    </FlatRoutes>
                </main>
            </div>
            <footer class="site-footer">
                <A href="/privacy">{i18n.tr("footer-privacy")}</A>
            </footer>
            <TabBar/>
            <crate::components::toast::ToastHost/>
            <crate::components::dialog::DialogHost/>
        </Router>
    }
}

/// The window's title names the page ("AI Image · ViNano"), in the person's language: what a tab, the
/// history and a screen reader announce.
#[component]
fn PageTitle() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    Effect::new(move |before: Option<String>| {
        let path = location.pathname.get();
        let mut section = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_string();
        if path.starts_with("/me/admin") {
            section = "me/admin".into();
        }
        // Another page (not the first one, nor another conversation of the same editor): a screen reader
        // starts reading at its heading, as after a page load.
        if before.is_some_and(|before| before != section) {
            focus_heading_soon();
        }
        let key = match section.as_str() {
            "" => "nav-home",
            "image" => "nav-image",
            "images" => "library-title",
            "video" => "nav-video",
            "tools" => "nav-tools",
            "me" => "nav-me",
            "me/admin" => "admin-title",
            "billing" => "checkout-title",
            "login" => "nav-login",
            "signup" => "nav-signup",
            "privacy" => "footer-privacy",
            "verify-email" => "verify-title",
            "forgot-password" => "forgot-title",
            "reset-password" => "reset-title",
            "s" => "shared-page-title",
            _ => "not-found-title",
        };
        let app = i18n.t("app-name");
        let title = format!("{} · {app}", i18n.t(key));
        document().set_title(&title);
        section
    });
}

/// Moves focus to the new page's `<h1>` once it is drawn (a page may show it after its data arrives), unless
/// the person has meanwhile put focus somewhere themselves.
fn focus_heading_soon() {
    /// Frames to watch for the heading (about three seconds: a page's chunk may still be downloading, and
    /// the old page's heading stays until it is in).
    const FRAMES: u32 = 180;
    fn attempt(was: Option<web_sys::Element>, mine: Option<web_sys::Element>, frame: u32) {
        let now = document().active_element();
        let body = document().body().map(wasm_bindgen::JsCast::unchecked_into::<web_sys::Element>);
        let ours = now.is_some() && now == mine;
        if now.is_some() && now != was && now != body && !ours {
            return;
        }
        let heading = document().query_selector("main h1").ok().flatten();
        if let Some(heading) = &heading {
            if Some(heading) != mine.as_ref() || !ours {
                let _ = heading.set_attribute("tabindex", "-1");
                let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(heading).focus();
            }
        }
        if frame < FRAMES {
            let mine = heading.or(mine);
            request_animation_frame(move || attempt(was, mine, frame + 1));
        }
    }
    let was = document().active_element();
    request_animation_frame(move || attempt(was, None, 0));
}

/// A finished data export waits to be downloaded: every page says so until it is (or it expires).
#[component]
fn ExportBanner() -> impl IntoView {
    let i18n = use_i18n();
    let clock = crate::components::time::use_clock();
    let session = use_session();
    let until = move || session.me.with(|m| m.as_ref().and_then(|m| m.export_ready_until.clone()));
    // While one is being prepared, look now and then, wherever the person is in the app.
    let requests = Requests::new();
    use_interval(std::time::Duration::from_secs(5), move || {
        if session.me.with_untracked(|m| m.as_ref().is_some_and(|m| m.export_pending)) {
            requests.refresh(crate::api::me(), move |me| {
                if me.is_some() {
                    session.me.set(me);
                }
            });
        }
    });
    move || {
        until().map(|until| {
            view! {
                <div class="policy-banner export-banner" role="status">
                    <span>{i18n.t_args("export-banner", [("until", clock.minute(&until).into())])}</span>
                    <A href="/me/data" attr:class="btn btn-primary btn-small">{i18n.tr("export-banner-open")}</A>
                </div>
            }
        })
    }
}

/// After a change to the privacy policy, every page asks the person to read and accept it.
#[component]
fn PolicyBanner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let pending = move || session.me.with(|m| m.as_ref().and_then(|m| m.policy_update.clone()));
    move || {
        pending().map(|version| {
            view! {
                <div class="policy-banner" role="status">
                    <span>{i18n.t_args("policy-banner", [("version", version.into())])}</span>
                    <A href="/privacy" attr:class="btn btn-primary btn-small">{i18n.tr("policy-banner-read")}</A>
                </div>
            }
        })
    }
}

/// While the account is scheduled for deletion, every page says when, and offers to keep it.
#[component]
fn DeletionBanner() -> impl IntoView {
    let i18n = use_i18n();
    let clock = crate::components::time::use_clock();
    let session = use_session();
    let due = move || session.me.with(|m| m.as_ref().and_then(|m| m.deletion_due_at.clone()));
    let keeping = Submit::new();
    let keep = move |_| keeping.run(crate::api::cancel_deletion(), move |me| session.me.set(Some(me)));
    move || {
        due().map(|date| {
            let date = clock.date(&date);
            view! {
                <div class="deletion-banner" role="alert">
                    <span>{i18n.t_args("deletion-banner", [("date", date.into())])}</span>
                    <button type="button" class="btn btn-primary btn-small" on:click=keep disabled=move || keeping.pending.get()>{i18n.tr("deletion-keep")}</button>
                    <ErrorAlert message=keeping.errors.general/>
                </div>
            }
        })
    }
}

/// Top bar: brand, main navigation (desktop), account links.
#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let connectivity = crate::state::connectivity::use_connectivity();
    let navigate = use_navigate();
    let requests = Requests::new();
    let logout = move |_| {
        let navigate = navigate.clone();
        // Even if the server is unreachable, forget the session locally; the cookie expires anyway.
        requests.call(crate::api::logout(), move |_| {
            session.me.set(None);
            navigate("/", Default::default());
        });
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                {i18n.tr("app-name")}
            </A>
            <nav class="nav-desktop" aria-label=i18n.tr("nav-main")>
                <NavLinks/>
            </nav>
            <div class="account">
                <Show
                    when=move || session.signed_in()
                    fallback=move || {
                        // Not while offline before the app knows who this is: a signed-in person reloading
                        // without a connection isn't asked to log in.
                        (session.checked.get() || connectivity.online()).then(|| view! {
                            <A href="/login" attr:class="btn btn-ghost">{i18n.tr("nav-login")}</A>
                            <A href="/signup" attr:class="btn btn-primary">{i18n.tr("nav-signup")}</A>
                        })
                    }
                >
                    <button type="button" class="btn btn-ghost" on:click=logout.clone()>
                        {i18n.tr("nav-logout")}
                    </button>
                </Show>
            </div>
        </header>
    }
}

/// The five destinations of the seed's navigation.
#[component]
fn NavLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href="/" exact=true>{i18n.tr("nav-home")}</A>
        <A href="/image">{i18n.tr("nav-image")}</A>
        <A href="/video">{i18n.tr("nav-video")}</A>
        <A href="/tools">{i18n.tr("nav-tools")}</A>
        <A href="/me">{i18n.tr("nav-me")}</A>
    }
}

/// Bottom tab bar on phones (the same links as the desktop navigation).
#[component]
fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="tabbar" aria-label=i18n.tr("nav-main")>
            <NavLinks/>
        </nav>
    }
}

/// The widget on a partner's site (`/embed`): the compact editor alone, without the site's header, tabs,
/// banners or footer. The site's session isn't the widget's (its own cookie is), so none is asked for.
#[component]
pub fn EmbedApp() -> impl IntoView {
    provide_i18n();
    crate::state::theme::apply(crate::state::theme::load());
    crate::state::connectivity::provide_connectivity();
    crate::state::session::provide_none();
    crate::components::toast::provide_toasts();
    crate::components::dialog::provide_dialogs();
    // Its few styles of its own, only here.
    if let Ok(link) = document().create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", "/embed.css");
        if let Some(head) = document().head() {
            let _ = head.append_child(&link);
        }
    }
    view! {
        <Router>
            <FlatRoutes fallback=pages::not_found::NotFound>
                <Route path=path!("/embed") view={Lazy::<routes::Embed>::new()}/>
            </FlatRoutes>
        </Router>
        <crate::components::toast::ToastHost/>
        <crate::components::dialog::DialogHost/>
    }
}

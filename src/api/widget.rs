//! The widget on a partner's site (the server's `http/widget.rs`): once [`set_partner`] is called (by the
//! embed page, before anything else), every request says it is the widget's, so the server opens the
//! widget's session and not the site's.

use super::{delete, get, json, post, send_json, url, ApiError};
use std::cell::RefCell;
use vinano_api::{JobInfo, WidgetImageLink, WidgetPartner, WidgetSession, WidgetSignIn};

thread_local! {
    static PARTNER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Makes this app the widget of `partner`: every request from now on carries `X-Vinano-Widget`.
pub fn set_partner(partner: &str) {
    PARTNER.with(|p| *p.borrow_mut() = Some(partner.to_string()));
}

/// The partner this app is the widget of, if it is one.
pub(super) fn partner() -> Option<String> {
    PARTNER.with(|p| p.borrow().clone())
}

/// The partner as its widget needs to know it (public).
pub async fn widget_partner(id: &str) -> Result<WidgetPartner, ApiError> {
    json(get(&url(&format!("/widget/partners/{id}"))).send().await).await
}

/// Starts the widget's session: as the partner's member with `token`, or as a guest.
pub async fn widget_sign_in(partner: &str, token: Option<String>) -> Result<WidgetSession, ApiError> {
    send_json(post(&url("/widget/session")), &WidgetSignIn { partner: partner.into(), token }).await
}

/// The widget's session, when this browser has one for the partner (and it is renewed).
pub async fn widget_session() -> Result<WidgetSession, ApiError> {
    json(get(&url("/widget/session")).send().await).await
}

/// Ends the widget's session.
pub async fn widget_sign_out() -> Result<(), ApiError> {
    super::check(delete(&url("/widget/session")).send().await).await.map(drop)
}

/// A short-lived address of one of the visitor's images, to show and to hand to the partner's page.
pub async fn widget_image_link(id: &str) -> Result<WidgetImageLink, ApiError> {
    json(post(&url(&format!("/widget/images/{id}/link"))).send().await).await
}

/// A job as it is now (the widget asks instead of listening: an event stream can't carry its header).
pub async fn job(id: &str) -> Result<JobInfo, ApiError> {
    json(get(&url(&format!("/jobs/{id}"))).send().await).await
}

/// Deletes everything of the visitor's (their account here, with every image), and ends the session.
pub async fn widget_forget() -> Result<(), ApiError> {
    super::check(delete(&url("/widget/visitor")).send().await).await.map(drop)
}

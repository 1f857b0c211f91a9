//! Who is signed in, shared by every page.

use leptos::prelude::*;
use vinano_api::Me;

/// The session as the SPA knows it.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The signed-in person, if any.
    pub me: RwSignal<Option<Me>>,
    /// False until the first `/me` answer arrived (so pages don't flash "please log in").
    pub checked: RwSignal<bool>,
}

impl Session {
    /// Whether someone is signed in.
    pub fn signed_in(&self) -> bool {
        self.me.with(Option::is_some)
    }

    /// After a failed request: a 401 means the session ended (expired, or logged out elsewhere), so the
    /// app shows the signed-out state. Every form and the editor go through here.
    pub fn forget_if_expired(&self, error: &crate::api::ApiError) {
        if matches!(error, crate::api::ApiError::Server { code: vinano_api::ErrorCode::Unauthenticated, .. })
        {
            self.me.set(None);
        }
    }
}

/// Provides the session and asks the server who is signed in.
pub fn provide_session() -> Session {
    let session = Session { me: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
    // Offline (a reload with the server out of reach): the pages wait, under the offline banner, and the
    // check is made again when the server answers.
    let connectivity = crate::state::connectivity::use_connectivity();
    Effect::new(move |_| {
        if session.checked.get_untracked() {
            return;
        }
        if !connectivity.online() {
            crate::api::forget_early_answers();
            return;
        }
        leptos::task::spawn_local(async move {
            // An error answer (a server restarting, a proxy's error page) doesn't mean nobody is signed in:
            // the check is made again, 2, 4, 8 and 16 s later, before the app gives up on knowing.
            for wait in [2, 4, 8, 16, 0] {
                match crate::api::me().await {
                    // Offline: this effect runs again when the server answers.
                    Err(crate::api::ApiError::Network) => return,
                    Ok(me) => {
                        session.me.set(me);
                        break;
                    }
                    Err(_) if wait > 0 => {
                        crate::state::connectivity::sleep(std::time::Duration::from_secs(wait)).await;
                    }
                    Err(_) => break,
                }
            }
            session.checked.set(true);
        });
    });
    session
}

/// Provides a session nobody is signed in to, without asking the server: the widget on a partner's site,
/// whose visitor is signed in by the widget's own cookie, not the site's.
pub fn provide_none() {
    provide_context(Session { me: RwSignal::new(None), checked: RwSignal::new(true) });
}

/// The app's session.
pub fn use_session() -> Session {
    use_context::<Session>().expect("Session is provided by App")
}

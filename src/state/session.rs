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
    leptos::task::spawn_local(async move {
        // A failed check (offline) is treated as signed out; pages that need the server will say why.
        let me = crate::api::me().await.ok().flatten();
        session.me.set(me);
        session.checked.set(true);
    });
    session
}

/// The app's session.
pub fn use_session() -> Session {
    use_context::<Session>().expect("Session is provided by App")
}

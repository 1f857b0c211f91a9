//! Sign-up, log-in, sessions and the password again (the server's `http/auth.rs`).

use super::{check, delete, get, json, post, send_json, url, ApiError};
use vinano_api::{LoginRequest, Me, Reauth, Reauthenticated, SessionInfo, SessionState, SignupRequest};

/// The signed-in person, or `None` when there is no valid session (asked without a failed request, so a
/// visitor's console stays clean).
///
/// The first call takes the answer `index.html` asked for while the app was still downloading
/// (`src/api/early.rs`), so the app knows who is signed in as soon as it starts.
pub async fn me() -> Result<Option<Me>, ApiError> {
    json::<SessionState>(super::early::get("/session").await).await.map(|state| state.me)
}

/// Creates an account and signs in.
pub async fn signup(req: &SignupRequest) -> Result<Me, ApiError> {
    send_json(post(&url("/auth/signup")), req).await
}

/// Who may make an account here: `open`, `invite` or `closed`.
pub async fn signup_policy() -> Result<String, ApiError> {
    json::<vinano_api::SignupPolicy>(get(&url("/auth/signups")).send().await).await.map(|p| p.signups)
}

/// Signs in with email or username and password.
pub async fn login(req: &LoginRequest) -> Result<Me, ApiError> {
    send_json(post(&url("/auth/login")), req).await
}

/// Ends the session on the server and clears the cookie.
pub async fn logout() -> Result<(), ApiError> {
    check(post(&url("/auth/logout")).send().await).await.map(|_| ())
}

/// The signed-in person's sessions, most recently used first.
pub async fn sessions() -> Result<Vec<SessionInfo>, ApiError> {
    json(get(&url("/me/sessions")).send().await).await
}

/// Ends one session (another device's, or this one).
pub async fn revoke_session(id: &str) -> Result<(), ApiError> {
    check(delete(&url(&format!("/me/sessions/{id}"))).send().await).await.map(|_| ())
}

/// Ends every session of the account, this one included.
pub async fn logout_everywhere() -> Result<(), ApiError> {
    check(post(&url("/auth/logout-everywhere")).send().await).await.map(|_| ())
}

/// Enters the password again before a sensitive action (downloading an export).
pub async fn reauth(password: &str) -> Result<Reauthenticated, ApiError> {
    send_json(post(&url("/me/reauth")), &Reauth { password: password.into() }).await
}

//! The only place the SPA talks HTTP: one `async fn` per endpoint, each returning `Result<T, ApiError>`.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use vinano_api::{
    ChangePassword, ConsentEntry, Conversation, ConversationDetail, DataRequest, DateRange, DeleteAccount,
    DeletedImages, ErrorBody, ErrorCode, Exchange, ExportInfo, ExportList, Feedback, ForgotPassword,
    ImageFlags, ImageInfo, JobInfo, LibraryItem, LoginRequest, Me, NewConversation, PasswordChanged,
    PolicyInfo, PostMessage, Preferences, PrivacySettings, PrivacyUpdate, ProfileUpdate, Reauth,
    Reauthenticated, RenameConversation, ResetPassword, SessionInfo, SignupRequest, VerifyEmail, API_PREFIX,
};

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error body: a message key said in the person's language, or its English
    /// message for a key this app doesn't know.
    #[error("{message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Machine-readable code.
        code: ErrorCode,
        /// The message in English.
        message: String,
        /// The message's key in the shared locale files.
        key: Option<String>,
        /// The request field the message is about, if any.
        field: Option<String>,
        /// Which per-person limit was reached, for `quota_exceeded`.
        quota: Option<vinano_api::Quota>,
        /// The values in the message (sizes, limits, seconds to wait, a category).
        args: vinano_api::Args,
    },
    /// The request never got an answer (offline, server down, connection dropped).
    #[error("Can't reach ViNano. Check your connection and try again.")]
    Network,
    /// The answer could not be read.
    #[error("ViNano sent a response we couldn't read. Please try again.")]
    Decode,
}

impl ApiError {
    /// The app's own i18n key for errors that arise in the browser, and for an expired session (which the
    /// app words as such); other server errors carry their key in the body.
    pub fn i18n_key(&self) -> Option<&'static str> {
        match self {
            ApiError::Server { code: ErrorCode::Unauthenticated, .. } => Some("error-session-expired"),
            ApiError::Server { .. } => None,
            ApiError::Network => Some("error-network"),
            ApiError::Decode => Some("error-decode"),
        }
    }
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn check(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    // Our side failed: tell us (the person sees their own message).
    if status >= 500 {
        crate::state::telemetry::report_error("request", &format!("HTTP {status} on {}", response.url()));
    }
    Err(server_error(status, response.json::<ErrorBody>().await.ok()))
}

/// The error for a non-2xx answer, from our JSON error body when there is one.
fn server_error(status: u16, body: Option<ErrorBody>) -> ApiError {
    match body {
        Some(body) => ApiError::Server {
            status,
            code: body.code,
            message: body.message,
            key: body.key,
            field: body.field,
            quota: body.quota,
            args: body.args,
        },
        // Not our JSON (a proxy's error page, say): still say something useful.
        None => ApiError::Server {
            status,
            code: ErrorCode::Internal,
            message: format!("Something went wrong (HTTP {status}). Please try again."),
            key: None,
            field: None,
            quota: None,
            args: Default::default(),
        },
    }
}

async fn json<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    check(response).await?.json::<T>().await.map_err(|_| ApiError::Decode)
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let request = builder.json(body).map_err(|_| ApiError::Decode)?;
    json(request.send().await).await
}

/// The signed-in person, or `None` when there is no valid session.
pub async fn me() -> Result<Option<Me>, ApiError> {
    match json::<Me>(Request::get(&url("/me")).send().await).await {
        Ok(me) => Ok(Some(me)),
        Err(ApiError::Server { code: ErrorCode::Unauthenticated, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Creates an account and signs in.
pub async fn signup(req: &SignupRequest) -> Result<Me, ApiError> {
    send_json(Request::post(&url("/auth/signup")), req).await
}

/// Signs in with email or username and password.
pub async fn login(req: &LoginRequest) -> Result<Me, ApiError> {
    send_json(Request::post(&url("/auth/login")), req).await
}

/// Ends the session on the server and clears the cookie.
pub async fn logout() -> Result<(), ApiError> {
    check(Request::post(&url("/auth/logout")).send().await).await.map(|_| ())
}

/// Confirms an email address with the token from the emailed link; answers with the updated account.
pub async fn verify_email(token: &str) -> Result<Me, ApiError> {
    send_json(Request::post(&url("/auth/verify-email")), &VerifyEmail { token: token.into() }).await
}

/// Sends the confirmation link again.
pub async fn resend_verification() -> Result<(), ApiError> {
    check(Request::post(&url("/auth/resend-verification")).send().await).await.map(|_| ())
}

/// Asks for a password-reset link (the answer is the same whether or not the address has an account).
pub async fn forgot_password(email: &str) -> Result<(), ApiError> {
    let request = Request::post(&url("/auth/forgot-password"))
        .json(&ForgotPassword { email: email.into() })
        .map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Sets a new password with the token from the emailed link.
pub async fn reset_password(req: &ResetPassword) -> Result<(), ApiError> {
    let request = Request::post(&url("/auth/reset-password")).json(req).map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Changes the password (the current one is required).
pub async fn change_password(req: &ChangePassword) -> Result<PasswordChanged, ApiError> {
    send_json(Request::post(&url("/me/password")), req).await
}

/// Corrects the profile; answers with the updated account.
pub async fn update_profile(req: &ProfileUpdate) -> Result<Me, ApiError> {
    send_json(Request::patch(&url("/me/profile")), req).await
}

/// The signed-in person's sessions, most recently used first.
pub async fn sessions() -> Result<Vec<SessionInfo>, ApiError> {
    json(Request::get(&url("/me/sessions")).send().await).await
}

/// Ends one session (another device's, or this one).
pub async fn revoke_session(id: &str) -> Result<(), ApiError> {
    check(Request::delete(&url(&format!("/me/sessions/{id}"))).send().await).await.map(|_| ())
}

/// Ends every session of the account, this one included.
pub async fn logout_everywhere() -> Result<(), ApiError> {
    check(Request::post(&url("/auth/logout-everywhere")).send().await).await.map(|_| ())
}

/// The signed-in person's conversations, most recent first; `search` filters by title and prompt text.
pub async fn list_conversations(search: &str, limit: u32) -> Result<Vec<Conversation>, ApiError> {
    let mut path = format!("/conversations?limit={limit}");
    if !search.trim().is_empty() {
        path.push_str("&q=");
        path.push_str(&String::from(js_sys::encode_uri_component(search.trim())));
    }
    json(Request::get(&url(&path)).send().await).await
}

/// Renames a conversation.
pub async fn rename_conversation(id: &str, title: &str) -> Result<Conversation, ApiError> {
    send_json(
        Request::patch(&url(&format!("/conversations/{id}"))),
        &RenameConversation { title: Some(title.into()), commercial: None },
    )
    .await
}

/// Marks or unmarks a conversation for commercial use.
pub async fn set_conversation_commercial(id: &str, commercial: bool) -> Result<Conversation, ApiError> {
    send_json(
        Request::patch(&url(&format!("/conversations/{id}"))),
        &RenameConversation { title: None, commercial: Some(commercial) },
    )
    .await
}

/// Sets an image's privacy flags (commercial use, training consent).
pub async fn flag_image(id: &str, flags: &ImageFlags) -> Result<ImageInfo, ApiError> {
    send_json(Request::patch(&url(&format!("/images/{id}"))), flags).await
}

/// The person's privacy settings.
pub async fn privacy() -> Result<PrivacySettings, ApiError> {
    json(Request::get(&url("/me/privacy")).send().await).await
}

/// Changes privacy settings.
pub async fn update_privacy(update: &PrivacyUpdate) -> Result<PrivacySettings, ApiError> {
    send_json(Request::patch(&url("/me/privacy")), update).await
}

/// Deletes one image version, or (`all`) every version of the image.
pub async fn delete_image(id: &str, all: bool) -> Result<DeletedImages, ApiError> {
    let which = if all { "all" } else { "one" };
    json(Request::delete(&url(&format!("/images/{id}?versions={which}"))).send().await).await
}

/// Deletes every image made between two dates (inclusive).
pub async fn delete_range(range: &DateRange) -> Result<DeletedImages, ApiError> {
    send_json(Request::post(&url("/me/images/delete-range")), range).await
}

/// Schedules the account's deletion (after the grace period) and signs out everywhere.
pub async fn request_deletion(password: &str) -> Result<(), ApiError> {
    let request = Request::post(&url("/me/deletion"))
        .json(&DeleteAccount { password: password.into() })
        .map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Keeps the account: cancels a scheduled deletion.
pub async fn cancel_deletion() -> Result<Me, ApiError> {
    json(Request::delete(&url("/me/deletion")).send().await).await
}

/// Everything held about the person, table by table (Access).
pub async fn personal_data() -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    json(Request::get(&url("/me/data")).send().await).await
}

/// Asks for a copy of everything (built in the background).
pub async fn request_export() -> Result<ExportInfo, ApiError> {
    json(Request::post(&url("/me/exports")).send().await).await
}

/// The person's exports, newest first, and whether this session may download without its password.
pub async fn exports() -> Result<ExportList, ApiError> {
    json(Request::get(&url("/me/exports")).send().await).await
}

/// Enters the password again before a sensitive action (downloading an export).
pub async fn reauth(password: &str) -> Result<Reauthenticated, ApiError> {
    send_json(Request::post(&url("/me/reauth")), &Reauth { password: password.into() }).await
}

/// The data-rights requests, newest first.
pub async fn requests() -> Result<Vec<DataRequest>, ApiError> {
    json(Request::get(&url("/me/requests")).send().await).await
}

/// The privacy policy in force.
pub async fn policy() -> Result<PolicyInfo, ApiError> {
    json(Request::get(&url("/policy")).send().await).await
}

/// Accepts the current privacy policy.
pub async fn accept_policy() -> Result<Me, ApiError> {
    json(Request::post(&url("/me/policy/accept")).send().await).await
}

/// The consent ledger, newest first.
pub async fn consents() -> Result<Vec<ConsentEntry>, ApiError> {
    json(Request::get(&url("/me/consents")).send().await).await
}

/// Deletes a conversation with its messages and images.
/// Returns the server's note when some images were kept (an evidence hold).
pub async fn delete_conversation(id: &str) -> Result<Option<String>, ApiError> {
    let response = check(Request::delete(&url(&format!("/conversations/{id}"))).send().await).await?;
    if response.status() == 204 {
        return Ok(None);
    }
    let body: serde_json::Value = response.json().await.map_err(|_| ApiError::Decode)?;
    Ok(body["message"].as_str().map(str::to_string))
}

/// Starts a conversation.
pub async fn create_conversation() -> Result<Conversation, ApiError> {
    send_json(Request::post(&url("/conversations")), &NewConversation::default()).await
}

/// A conversation with its messages.
pub async fn conversation(id: &str) -> Result<ConversationDetail, ApiError> {
    json(Request::get(&url(&format!("/conversations/{id}"))).send().await).await
}

/// Uploads a prepared photo, calling `on_progress` with the fraction sent (0.0–1.0) as bytes go out.
/// (XMLHttpRequest, because `fetch` cannot report upload progress.)
pub async fn upload_image(
    body: &web_sys::Blob,
    content_type: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<ImageInfo, ApiError> {
    use wasm_bindgen::JsCast;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    xhr.open_with_async("POST", &url("/images"), true).map_err(|_| ApiError::Network)?;
    xhr.set_request_header("Content-Type", content_type).map_err(|_| ApiError::Network)?;
    let progress = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
        move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        },
    );
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(body)).map_err(|_| ApiError::Network)?;
    let outcome = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(progress);
    outcome.map_err(|_| ApiError::Network)?;
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| ApiError::Decode);
    }
    Err(server_error(status, serde_json::from_str(&text).ok()))
}

/// URL of a job's live progress stream (Server-Sent Events of [`JobInfo`]).
pub fn job_events_url(id: &str) -> String {
    url(&format!("/jobs/{id}/events"))
}

/// Asks a running or queued edit job to stop.
pub async fn cancel_job(id: &str) -> Result<JobInfo, ApiError> {
    json(Request::post(&url(&format!("/jobs/{id}/cancel"))).send().await).await
}

/// Queues a failed or cancelled edit job again.
pub async fn retry_job(id: &str) -> Result<JobInfo, ApiError> {
    json(Request::post(&url(&format!("/jobs/{id}/retry"))).send().await).await
}

/// The person's editor defaults.
pub async fn preferences() -> Result<Preferences, ApiError> {
    json(Request::get(&url("/me/preferences")).send().await).await
}

/// Every image the person owns, newest first.
pub async fn list_images(limit: u32) -> Result<Vec<LibraryItem>, ApiError> {
    json(Request::get(&url(&format!("/images?limit={limit}"))).send().await).await
}

/// Rates a result; rating again replaces the earlier rating.
pub async fn rate_image(id: &str, feedback: &Feedback) -> Result<Feedback, ApiError> {
    send_json(Request::put(&url(&format!("/images/{id}/feedback"))), feedback).await
}

/// Withdraws a rating.
pub async fn unrate_image(id: &str) -> Result<(), ApiError> {
    check(Request::delete(&url(&format!("/images/{id}/feedback"))).send().await).await.map(|_| ())
}

/// Sends an instruction; `idempotency_key` makes a retried send run once.
pub async fn post_message(id: &str, body: &PostMessage, idempotency_key: &str) -> Result<Exchange, ApiError> {
    let builder = Request::post(&url(&format!("/conversations/{id}/messages")))
        .header("Idempotency-Key", idempotency_key);
    send_json(builder, body).await
}

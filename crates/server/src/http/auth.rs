//! Sign up, log in, log out, and who am I (`/auth/*`, `/me`).

use super::extract::{session_token, Json, SECURE_SESSION_COOKIE, SESSION_COOKIE};
use super::security::Client;
use super::CurrentUser;
use super::{Error, Result};
use crate::admin::Signups;
use crate::credentials::{self, SESSION_IDLE_SECS, SESSION_LIFETIME_SECS};
use crate::limits::Action;
use crate::{ids, AppState};
use axum::extract::Path;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::Msg;
use vinano_api::{
    validate, LoginRequest, Me, Reauth, Reauthenticated, SessionInfo, SessionState, SignupRequest,
};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(signup_policy))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(me))
        .routes(routes!(session))
        .routes(routes!(sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(reauth))
}

/// Checks the person's password again before a sensitive action (rate-limited like logging in); on success
/// this session counts as freshly authenticated. A wrong password is an error on `wrong`'s field, with its
/// message.
pub(crate) async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    password: &str,
    wrong: (&'static str, Msg),
) -> Result<()> {
    state.limits.attempt(Action::Login, client.ip, None).await?;
    state.limits.login_locked(&user.id).await?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&state.db)
        .await?;
    let password = password.chars().take(validate::PASSWORD_MAX + 1).collect::<String>();
    if !state.hashing(move || credentials::verify_password(&password, &stored)).await? {
        state.limits.login_failed(&user.id).await?;
        tracing::warn!(event = "reauth_failed", user = %user.id, ip = ?client.ip, field = wrong.0, "wrong password");
        return Err(Error::Field(wrong.0, wrong.1.into()));
    }
    sqlx::query("UPDATE sessions SET reauth_at = $1 WHERE token_hash = $2")
        .bind(state.clock.now_ms())
        .bind(&user.session_hash)
        .execute(&state.db)
        .await?;
    Ok(())
}

/// The answer to a wrong password in a form whose field is `password`.
pub(crate) const WRONG_PASSWORD: (&str, Msg) = ("password", Msg::PasswordWrong);

/// The password again: sensitive actions (downloading a data export) work for the next 10 minutes.
#[utoipa::path(post, path = "/me/reauth", tag = "auth", request_body = vinano_api::Reauth, responses((status = 200, description = "Confirmed", body = vinano_api::Reauthenticated)), security(("session" = [])))]
async fn reauth(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Json(req): Json<Reauth>,
) -> Result<Json<Reauthenticated>> {
    confirm_password(&state, &user, &client, &req.password, WRONG_PASSWORD).await?;
    let until = state.clock.now_ms() + crate::rights::export::REAUTH_MS;
    tracing::info!(event = "reauthenticated", user = %user.id, ip = ?client.ip, "password confirmed");
    Ok(Json(Reauthenticated { reauth_until: crate::clock::timestamp(until) }))
}

fn session_cookie(client: &Client, token: &str, max_age: i64) -> String {
    if client.tls {
        format!("{SECURE_SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age={max_age}")
    } else {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")
    }
}

/// The cookie that ends the session in the browser.
pub(crate) fn clear_cookie(client: &Client) -> String {
    session_cookie(client, "", 0)
}

/// Starts a new session (a fresh random token: never one the browser brought along) and returns its cookie.
/// The person has just entered their password, so the session starts freshly authenticated.
async fn start_session(state: &AppState, client: &Client, user_id: &str) -> Result<String> {
    let (token, hash) = credentials::new_session_token();
    let now = state.clock.now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at, last_seen_at, reauth_at,
                               user_agent, ip)
         VALUES ($1, $2, $3, $4, $5, $4, $4, $6, $7)",
    )
    .bind(&hash)
    .bind(ids::new_id())
    .bind(user_id)
    .bind(now)
    .bind(now + SESSION_LIFETIME_SECS * 1000)
    .bind(&client.user_agent)
    .bind(client.ip.map(|ip| ip.to_string()).unwrap_or_default())
    .execute(&state.db)
    .await?;
    Ok(session_cookie(client, &token, SESSION_LIFETIME_SECS))
}

type MeRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
);

/// The account as the API shows it to its owner.
pub(crate) async fn load_me(state: &AppState, id: &str) -> Result<Me> {
    let row: Option<MeRow> = sqlx::query_as(
        "SELECT id, name, email, username, date_of_birth, created_at, email_verified_at, language, time_zone,
                avatar_image_id, deletion_due_at, is_admin
         FROM users WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    let (
        id,
        name,
        email,
        username,
        dob,
        created_at,
        verified,
        language,
        time_zone,
        avatar,
        deletion,
        is_admin,
    ) = row.ok_or(Error::Unauthenticated)?;
    let pending_email: Option<String> = sqlx::query_scalar(
        "SELECT new_email FROM email_tokens
         WHERE user_id = $1 AND purpose = 'email_change' AND used_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(&id)
    .bind(state.clock.now_ms())
    .fetch_optional(&state.db)
    .await?
    .flatten();
    let policy_update = policy_update(state, &id).await?;
    let export_ready_until: Option<i64> = sqlx::query_scalar(
        "SELECT expires_at FROM exports WHERE user_id = $1 AND status = 'ready' AND downloaded_at IS NULL
           AND expires_at > $2 ORDER BY ready_at DESC LIMIT 1",
    )
    .bind(&id)
    .bind(state.clock.now_ms())
    .fetch_optional(&state.db)
    .await?;
    let export_pending: Option<String> = sqlx::query_scalar(
        "SELECT id FROM exports WHERE user_id = $1 AND status IN ('pending', 'building') LIMIT 1",
    )
    .bind(&id)
    .fetch_optional(&state.db)
    .await?;
    Ok(Me {
        id,
        name,
        email,
        username,
        date_of_birth: dob.parse().map_err(|e| anyhow::anyhow!("stored date of birth: {e}"))?,
        created_at: crate::clock::timestamp(created_at),
        email_verified: verified.is_some(),
        pending_email,
        language,
        time_zone,
        avatar_image_id: avatar,
        deletion_due_at: deletion.map(crate::clock::timestamp),
        policy_update,
        export_ready_until: export_ready_until.map(crate::clock::timestamp),
        export_pending: export_pending.is_some(),
        is_admin: is_admin != 0,
    })
}

/// The current policy version when the person hasn't accepted it yet.
async fn policy_update(state: &AppState, user_id: &str) -> Result<Option<String>> {
    let accepted = crate::policy::accepted(&state.db, user_id).await?;
    let current = &state.config.policy_version;
    Ok((accepted.as_deref() != Some(current.as_str())).then(|| current.clone()))
}

/// Creates an account (age gate, policy acceptance, consents) and signs it in.
#[utoipa::path(post, path = "/auth/signup", tag = "auth", request_body = vinano_api::SignupRequest, responses((status = 201, description = "Account created and signed in (session cookie set)", body = vinano_api::Me)))]
async fn signup(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Json(req): Json<SignupRequest>,
) -> Result<impl IntoResponse> {
    state.limits.attempt(Action::Signup, client.ip, None).await?;
    let invite = req.invite.as_deref().map(str::trim).filter(|c| !c.is_empty());
    match state.config.signups {
        Signups::Closed => return Err(Error::Forbidden(Msg::SignupsClosed.into())),
        Signups::Invite if invite.is_none() => return Err(Error::Forbidden(Msg::SignupsInviteOnly.into())),
        _ => {}
    }
    // Validation (and the age gate) runs before anything is written: an under-13 signup stores nothing.
    let dob = validate::signup(&req, state.clock.today())?;
    let email = req.email.trim().to_lowercase();
    let username = req.username.trim().to_string();

    let taken: Option<(String, String)> =
        sqlx::query_as("SELECT email, username FROM users WHERE email = $1 OR lower(username) = lower($2)")
            .bind(&email)
            .bind(&username)
            .fetch_optional(&state.db)
            .await?;
    if let Some((e, _)) = taken {
        return Err(if e == email {
            Error::Taken("email", Msg::EmailTaken.into())
        } else {
            Error::Taken("username", Msg::UsernameTaken.into())
        });
    }

    let password = req.password.clone();
    let hash = state.hashing(move || credentials::hash_password(&password)).await?;
    let id = ids::new_id();
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query(
        "INSERT INTO users (id, name, email, username, password_hash, date_of_birth, created_at, language,
                            time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(req.name.trim())
    .bind(&email)
    .bind(&username)
    .bind(&hash)
    .bind(dob.to_string())
    .bind(now)
    .bind(req.language.as_deref().unwrap_or("en"))
    .bind(req.time_zone.as_deref().unwrap_or("UTC"))
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        Error::on_unique(e, |m| {
            if m.contains("email") {
                Error::Taken("email", Msg::EmailTaken.into())
            } else {
                Error::Taken("username", Msg::UsernameTaken.into())
            }
        })
    })?;
    // By invitation, the invitation is used up with the account (or nothing is stored); the first account
    // administers this ViNano.
    if let (Signups::Invite, Some(code)) = (state.config.signups, invite) {
        if !crate::admin::use_invite(&mut tx, code, &id, now).await? {
            return Err(Error::Forbidden(Msg::InviteInvalid.into()));
        }
    }
    crate::admin::make_first_admin(&mut tx, &id, now).await?;

    // What was accepted, with its version and the time.
    let items = [
        ("terms", vinano_api::policy::TERMS_VERSION),
        ("privacy_policy", state.config.policy_version.as_str()),
        ("user_responsibility", vinano_api::policy::RESPONSIBILITY_VERSION),
    ];
    crate::privacy::accepted(&mut tx, &id, now, "signup", &items).await?;
    // A browser asking for Global Privacy Control gets analytics and training off from the start.
    if crate::privacy::gpc(&headers) {
        crate::privacy::apply_gpc(&mut tx, crate::privacy::At::now(&state), &id).await?;
    }
    crate::email_links::send_verification(&state, &mut tx, &id, &email, false).await?;
    crate::mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "signup", user = %id, ip = ?client.ip, "account created");
    let cookie = start_session(&state, &client, &id).await?;
    let device = super::devices::cookie(&state, &client, &id);
    let me = load_me(&state, &id).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([(header::SET_COOKIE, cookie), (header::SET_COOKIE, device)]),
        Json(me),
    ))
}

/// Signs in with email or username and password (rate-limited per account and address).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = vinano_api::LoginRequest, responses((status = 200, description = "Signed in (session cookie set)", body = vinano_api::Me)))]
async fn login(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> Result<impl IntoResponse> {
    let login = req.login.trim().chars().take(320).collect::<String>();
    if login.is_empty() || req.password.is_empty() {
        return Err(Error::InvalidInput(Msg::LoginMissing.into()));
    }
    if let Err(e) = state.limits.attempt(Action::Login, client.ip, None).await {
        tracing::warn!(event = "login_locked", ip = ?client.ip, "login refused: too many attempts from this address");
        return Err(e);
    }
    if req.password.chars().count() > validate::PASSWORD_MAX {
        return Err(Error::InvalidCredentials);
    }
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1 OR lower(username) = lower($2)")
            .bind(login.to_lowercase())
            .bind(&login)
            .fetch_optional(&state.db)
            .await?;
    // Failures count per account (by id, so its email and username are one bucket; by the name tried when
    // there is no account). Past the limit only the account's known browsers may try.
    let account = row.as_ref().map_or_else(|| login.to_lowercase(), |(id, _)| id.clone());
    let known = row.as_ref().is_some_and(|(id, _)| super::devices::known(&state, &headers, &client, id));
    if !known {
        if let Err(e) = state.limits.login_locked(&account).await {
            tracing::warn!(event = "login_locked", ip = ?client.ip, "login refused: too many failures for this account");
            return Err(e);
        }
    }
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, credentials::dummy_hash().to_string()),
    };
    let password = req.password.clone();
    let ok = state.hashing(move || credentials::verify_password(&password, &hash)).await?;
    let id = match (ok, id) {
        (true, Some(id)) => id,
        (_, id) => {
            state.limits.login_failed(&account).await?;
            tracing::warn!(event = "login_failed", user = id.as_deref().unwrap_or("unknown"), ip = ?client.ip, "wrong password or unknown account");
            return Err(Error::InvalidCredentials);
        }
    };
    state.limits.login_succeeded(&account).await?;
    // Said only to someone who knows the password: it reveals nothing to a guesser.
    if crate::admin::people::is_disabled(&state.db, &id).await? {
        tracing::warn!(event = "login_disabled", user = %id, ip = ?client.ip, "login refused: the account is disabled");
        return Err(Error::Forbidden(Msg::AccountDisabled.into()));
    }
    // A session cookie the browser already had is ended, not reused (no fixation).
    if let Some(old) = session_token(&headers, client.tls) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(credentials::hash_token(&old))
            .execute(&state.db)
            .await?;
    }
    if crate::privacy::gpc(&headers) {
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        crate::privacy::apply_gpc(&mut tx, crate::privacy::At::now(&state), &id).await?;
        tx.commit().await?;
    }
    tracing::info!(event = "login", user = %id, ip = ?client.ip, "logged in");
    let cookie = start_session(&state, &client, &id).await?;
    let device = super::devices::cookie(&state, &client, &id);
    let me = load_me(&state, &id).await?;
    Ok((AppendHeaders([(header::SET_COOKIE, cookie), (header::SET_COOKIE, device)]), Json(me)))
}

/// Signs out this session (harmless without one).
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204, description = "Signed out; the session cookie is cleared")))]
async fn logout(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<impl IntoResponse> {
    // Logging out works even with an expired or unknown session: the cookie is cleared either way.
    if let Some(token) = session_token(&headers, client.tls) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(credentials::hash_token(&token))
            .execute(&state.db)
            .await?;
    }
    let cookie = session_cookie(&client, "", 0);
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, cookie)])))
}

/// The signed-in account: profile, verification, policy and deletion state.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, description = "The signed-in account", body = vinano_api::Me)), security(("session" = [])))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse> {
    Ok((NO_STORE, Json(load_me(&state, &user.id).await?)))
}

/// Who is signed in is this browser's alone: no cache keeps it.
const NO_STORE: [(header::HeaderName, &str); 1] = [(header::CACHE_CONTROL, "no-store")];

/// Who this browser is signed in as, or nobody (200 either way: what the app asks on every page load).
#[utoipa::path(get, path = "/session", tag = "auth", responses((status = 200, description = "The signed-in account, or `me: null` for a visitor", body = vinano_api::SessionState)))]
async fn session(State(state): State<AppState>, user: Option<CurrentUser>) -> Result<impl IntoResponse> {
    let me = match user {
        // The account can close between the session's look-up and this one: nobody, then.
        Some(user) => match load_me(&state, &user.id).await {
            Ok(me) => Some(me),
            Err(Error::Unauthenticated) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    Ok((NO_STORE, Json(SessionState { me })))
}

/// Who may make an account here: open, by invitation, or closed (`VINANO_SIGNUPS`).
#[utoipa::path(get, path = "/auth/signups", tag = "auth", responses((status = 200, description = "open, invite or closed", body = vinano_api::SignupPolicy)))]
async fn signup_policy(State(state): State<AppState>) -> Json<vinano_api::SignupPolicy> {
    let signups = match state.config.signups {
        crate::admin::Signups::Open => "open",
        crate::admin::Signups::Invite => "invite",
        crate::admin::Signups::Closed => "closed",
    };
    Json(vinano_api::SignupPolicy { signups: signups.into() })
}

/// Ends every session of the account, this one included.
#[utoipa::path(post, path = "/auth/logout-everywhere", tag = "auth", responses((status = 204, description = "Every session ended")), security(("session" = [])))]
async fn logout_everywhere(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
) -> Result<impl IntoResponse> {
    let ended =
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user.id).execute(&state.db).await?;
    tracing::info!(event = "logout_everywhere", user = %user.id, ip = ?client.ip, sessions = ended.rows_affected(), "all sessions ended");
    let cookie = session_cookie(&client, "", 0);
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, cookie)])))
}

/// The account's sessions, most recently used first.
#[utoipa::path(get, path = "/me/sessions", tag = "auth", responses((status = 200, description = "The account's sessions", body = [vinano_api::SessionInfo])), security(("session" = [])))]
async fn sessions(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<SessionInfo>>> {
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, user_agent, ip, created_at, last_seen_at FROM sessions
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(&user.id)
    .bind(state.clock.now_ms())
    .bind(state.clock.now_ms() - SESSION_IDLE_SECS * 1000)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, agent, ip, created, seen)| SessionInfo {
                current: id == user.session_id,
                device: credentials::describe_user_agent(&agent),
                id,
                ip,
                created_at: crate::clock::timestamp(created),
                last_seen_at: crate::clock::timestamp(seen),
            })
            .collect(),
    ))
}

/// Ends one of the account's sessions (another person's: 404).
#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "auth", params(("id" = String, Path, description = "A session id from `GET /me/sessions`")), responses((status = 204, description = "The session is ended")), security(("session" = [])))]
async fn revoke_session(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let ended = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .execute(&state.db)
        .await?;
    if ended.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tracing::info!(event = "session_revoked", user = %user.id, ip = ?client.ip, session = %id, "session ended");
    Ok(StatusCode::NO_CONTENT)
}

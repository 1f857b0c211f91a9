//! Me → Account and the emailed links: email verification, forgotten password, password change, profile
//! correction (name, username, email with re-verification, avatar, language, time zone).
//!
//! Links carry a 256-bit random token; only its SHA-256 is stored, it works once, and it expires (30 minutes
//! for a password reset, 2 days for an email check). Link addresses come from `VINANO_PUBLIC_URL` (or the
//! bind address), never from the request's `Host` header, so nobody can make us mail a link to their site.

use super::auth::load_me;
use super::extract::Json;
use super::security::Client;
use super::CurrentUser;
use super::{Error, Result};
use crate::credentials;
use crate::limits::Action;
use crate::notices::PasswordChange;
use crate::{email_links, mail, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{
    validate, ChangePassword, ForgotPassword, Me, PasswordChanged, ProfileUpdate, ResetPassword, VerifyEmail,
};
use vinano_api::{Msg, Problem};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
        .routes(routes!(change_password))
        .routes(routes!(update_profile))
}

/// Uses a link token: `Some((user id, new email))` when it is valid, unused and unexpired (and marks it used).
async fn use_link(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    token: &str,
    purposes: &[&str],
) -> Result<Option<(String, String, Option<String>)>> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "UPDATE email_tokens SET used_at = $1
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
         RETURNING user_id, purpose, new_email",
    )
    .bind(now)
    .bind(credentials::hash_token(token.trim()))
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.filter(|(_, purpose, _)| purposes.contains(&purpose.as_str())))
}

/// Verifies the email address with the token from the emailed link.
#[utoipa::path(post, path = "/auth/verify-email", tag = "account", request_body = vinano_api::VerifyEmail, responses((status = 200, description = "The address is verified", body = vinano_api::Me)))]
async fn verify_email(State(state): State<AppState>, Json(req): Json<VerifyEmail>) -> Result<Json<Me>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let Some((user_id, purpose, new_email)) =
        use_link(&mut tx, now, &req.token, &["verify", "email_change"]).await?
    else {
        return Err(Error::InvalidInput(Msg::LinkExpired.into()));
    };
    if purpose == "email_change" {
        let email = new_email.ok_or_else(|| anyhow::anyhow!("email_change token without an address"))?;
        sqlx::query("UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3")
            .bind(&email)
            .bind(now)
            .bind(&user_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::on_unique(e, |_| Error::conflict(Msg::EmailInUse)))?;
    } else {
        sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
            .bind(now)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(event = "email_verified", user = %user_id, change = purpose == "email_change", "email confirmed");
    Ok(Json(load_me(&state, &user_id).await?))
}

/// Sends the verification link again (rate-limited).
#[utoipa::path(post, path = "/auth/resend-verification", tag = "account", responses((status = 202, description = "A new link is on its way")), security(("session" = [])))]
async fn resend_verification(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
) -> Result<StatusCode> {
    state.limits.attempt(Action::VerifyMail, client.ip, Some(&user.id)).await?;
    let me = load_me(&state, &user.id).await?;
    if me.email_verified && me.pending_email.is_none() {
        return Err(Error::InvalidInput(Msg::EmailAlreadyConfirmed.into()));
    }
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    match &me.pending_email {
        Some(pending) => email_links::send_verification(&state, &mut tx, &user.id, pending, true).await?,
        None => email_links::send_verification(&state, &mut tx, &user.id, &me.email, false).await?,
    }
    mail::commit_and_send(&state, tx).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Always 202, whether or not the address has an account: the answer tells nobody who uses ViNano.
#[utoipa::path(post, path = "/auth/forgot-password", tag = "account", request_body = vinano_api::ForgotPassword, responses((status = 202, description = "If the address has an account, a link is on its way")))]
async fn forgot_password(
    State(state): State<AppState>,
    client: Client,
    Json(req): Json<ForgotPassword>,
) -> Result<StatusCode> {
    let email = req.email.trim().to_lowercase();
    validate::email(&email)?;
    state.limits.attempt(Action::Reset, client.ip, Some(&email)).await?;
    let account: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&state.db)
        .await?;
    let Some(user_id) = account else {
        tracing::info!(event = "reset_requested", user = "unknown", ip = ?client.ip, "password reset for an unknown address");
        return Ok(StatusCode::ACCEPTED);
    };
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let token =
        email_links::new_link(&mut tx, now, &user_id, "reset", None, email_links::RESET_LINK_SECS).await?;
    let link = format!("{}/reset-password?token={token}", state.config.site_url());
    mail::queue_letter(&mut tx, now, &user_id, &email, "mail-reset", &[("link", link.as_str())]).await?;
    mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "reset_requested", user = %user_id, ip = ?client.ip, "password reset link sent");
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the token from a reset link; every session ends.
#[utoipa::path(post, path = "/auth/reset-password", tag = "account", request_body = vinano_api::ResetPassword, responses((status = 204, description = "The password is changed; every session ended")))]
async fn reset_password(
    State(state): State<AppState>,
    client: Client,
    Json(req): Json<ResetPassword>,
) -> Result<StatusCode> {
    // Cheap checks first, hashing last: the address and the link are rate-limited, the link is looked up
    // (a read), and only a live link gets the new password hashed.
    let token_hash = credentials::hash_token(req.token.trim());
    state.limits.attempt(Action::ResetUse, client.ip, Some(&token_hash)).await?;
    validate::password(&req.password)?;
    let dead = || Error::InvalidInput(Msg::ResetLinkExpired.into());
    let now = state.clock.now_ms();
    let live: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM email_tokens WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > $2",
    )
    .bind(&token_hash)
    .bind(now)
    .fetch_optional(&state.db)
    .await?;
    if live.is_none() {
        return Err(dead());
    }
    let password = req.password.clone();
    let hash = state.hashing(move || credentials::hash_password(&password)).await?;
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let Some((user_id, _, _)) = use_link(&mut tx, now, &req.token, &["reset"]).await? else {
        return Err(dead());
    };
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    // Every session ends, and every other reset link dies with the old password.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user_id).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset' AND used_at IS NULL",
    )
    .bind(now)
    .bind(&user_id)
    .execute(&mut *tx)
    .await?;
    cancel_email_change(&mut tx, now, &user_id).await?;
    crate::notices::password_changed(&state, &mut tx, &user_id, PasswordChange::Reset).await?;
    mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "password_reset", user = %user_id, ip = ?client.ip, "password reset; all sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the password (the current one is required); other sessions end.
#[utoipa::path(post, path = "/me/password", tag = "account", request_body = vinano_api::ChangePassword, responses((status = 200, description = "Changed", body = vinano_api::PasswordChanged)), security(("session" = [])))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Json(req): Json<ChangePassword>,
) -> Result<Json<PasswordChanged>> {
    validate::password(&req.new_password)?;
    let wrong = ("current_password", Msg::CurrentPasswordWrong);
    super::auth::confirm_password(&state, &user, &client, &req.current_password, wrong).await?;
    let new = req.new_password.clone();
    let hash = state.hashing(move || credentials::hash_password(&new)).await?;
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    let signed_out = if req.sign_out_others {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(&user.id)
            .bind(&user.session_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    } else {
        0
    };
    cancel_email_change(&mut tx, now, &user.id).await?;
    crate::notices::password_changed(&state, &mut tx, &user.id, PasswordChange::Changed).await?;
    mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "password_changed", user = %user.id, ip = ?client.ip, signed_out, "password changed");
    Ok(Json(PasswordChanged { signed_out }))
}

/// A change of email address waiting for its confirmation link dies (with a new password, or a newer
/// change).
async fn cancel_email_change(tx: &mut sqlx::AnyConnection, now: i64, user_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'email_change' AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(tx)
    .await
    .map(drop)
}

/// Updates name, username, email (verified before it counts), language, time zone, birth date or avatar.
#[utoipa::path(patch, path = "/me/profile", tag = "account", request_body = vinano_api::ProfileUpdate, responses((status = 200, description = "The updated account", body = vinano_api::Me)), security(("session" = [])))]
async fn update_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    client: Client,
    Json(req): Json<ProfileUpdate>,
) -> Result<Json<Me>> {
    validate::profile(&req)?;
    let me = load_me(&state, &user.id).await?;
    // Moving the account to another address needs the password (a borrowed, unlocked device is not enough)
    // and is rate-limited, since each change mails the new address; nothing is written before this.
    let new_email = req.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| *e != me.email);
    if new_email.is_some() {
        let password = req
            .current_password
            .as_deref()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::Forbidden(Msg::EmailChangeNeedsPassword.into()))?;
        state.limits.attempt(Action::VerifyMail, client.ip, Some(&user.id)).await?;
        let wrong = ("current_password", Msg::CurrentPasswordWrong);
        super::auth::confirm_password(&state, &user, &client, password, wrong).await?;
    }
    // A corrected birth date that shows the person is under 13: the account is deleted at once, no grace.
    if let Some(dob) = &req.date_of_birth {
        let dob: vinano_api::Date = dob.parse().map_err(|_| anyhow::anyhow!("validated above"))?;
        let age = dob.age_on(state.clock.today());
        if age < validate::MINIMUM_AGE {
            crate::rights::purge_account(&state, &user.id, "under_13").await?;
            let age = validate::MINIMUM_AGE as u64;
            return Err(Error::UnderAge(Problem::new(Msg::UnderAgeDeleted).num("age", age)));
        }
        if !(0..=130).contains(&age) {
            return Err(Error::Field("date_of_birth", Msg::DateOfBirthUnreal.into()));
        }
    }
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    if let Some(avatar) = req.avatar_image_id.as_deref().filter(|a| !a.is_empty()) {
        let own: Option<String> = sqlx::query_scalar("SELECT id FROM images WHERE id = $1 AND user_id = $2")
            .bind(avatar)
            .bind(&user.id)
            .fetch_optional(&mut *tx)
            .await?;
        own.ok_or(Error::NotFound)?;
    }
    sqlx::query(
        "UPDATE users SET name = COALESCE($1, name), username = COALESCE($2, username),
                          language = COALESCE($3, language), time_zone = COALESCE($4, time_zone),
                          date_of_birth = COALESCE($7, date_of_birth),
                          avatar_image_id = CASE WHEN $5 IS NULL THEN avatar_image_id WHEN $5 = '' THEN NULL ELSE $5 END
         WHERE id = $6",
    )
    .bind(req.name.as_deref().map(str::trim))
    .bind(req.username.as_deref().map(str::trim))
    .bind(req.language.as_deref())
    .bind(req.time_zone.as_deref())
    .bind(req.avatar_image_id.as_deref())
    .bind(&user.id)
    .bind(req.date_of_birth.as_deref())
    .execute(&mut *tx)
    .await
    .map_err(|e| Error::on_unique(e, |_| Error::Taken("username", Msg::UsernameTaken.into())))?;
    // A new email address is only used once it is confirmed from its own inbox; the old one is told.
    if let Some(email) = new_email {
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Error::Taken("email", Msg::EmailInUse.into()));
        }
        cancel_email_change(&mut tx, state.clock.now_ms(), &user.id).await?;
        email_links::send_verification(&state, &mut tx, &user.id, &email, true).await?;
        crate::notices::email_change_requested(&state, &mut tx, &user.id, &email).await?;
    }
    // Self-service corrections are data-rights requests too, completed on the spot.
    let fields: Vec<Msg> = [
        (Msg::FieldName, req.name.as_ref().filter(|n| n.trim() != me.name).is_some()),
        (Msg::FieldUsername, req.username.as_ref().filter(|u| u.trim() != me.username).is_some()),
        (Msg::FieldEmail, req.email.as_ref().filter(|e| e.trim().to_lowercase() != me.email).is_some()),
        (
            Msg::FieldDateOfBirth,
            req.date_of_birth.as_ref().filter(|d| **d != me.date_of_birth.to_string()).is_some(),
        ),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect();
    if !fields.is_empty() {
        let detail = Problem::new(Msg::RequestCorrected).list("fields", fields);
        crate::rights::open_request(
            &mut tx,
            state.clock.now_ms(),
            &user.id,
            "correction",
            "completed",
            &detail,
        )
        .await?;
    }
    mail::commit_and_send(&state, tx).await?;
    tracing::info!(event = "profile_updated", user = %user.id, "profile corrected");
    Ok(Json(load_me(&state, &user.id).await?))
}

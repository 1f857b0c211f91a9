//! Emailed links, the password and the profile (the server's `http/account.rs`).

use super::{check, patch, post, send_json, url, ApiError};
use vinano_api::{
    ChangePassword, ForgotPassword, Me, PasswordChanged, ProfileUpdate, ResetPassword, VerifyEmail,
};

/// Confirms an email address with the token from the emailed link; answers with the updated account.
pub async fn verify_email(token: &str) -> Result<Me, ApiError> {
    send_json(post(&url("/auth/verify-email")), &VerifyEmail { token: token.into() }).await
}

/// Sends the confirmation link again.
pub async fn resend_verification() -> Result<(), ApiError> {
    check(post(&url("/auth/resend-verification")).send().await).await.map(|_| ())
}

/// Asks for a password-reset link (the answer is the same whether or not the address has an account).
pub async fn forgot_password(email: &str) -> Result<(), ApiError> {
    let request = post(&url("/auth/forgot-password"))
        .json(&ForgotPassword { email: email.into() })
        .map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Sets a new password with the token from the emailed link.
pub async fn reset_password(req: &ResetPassword) -> Result<(), ApiError> {
    let request = post(&url("/auth/reset-password")).json(req).map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Changes the password (the current one is required).
pub async fn change_password(req: &ChangePassword) -> Result<PasswordChanged, ApiError> {
    send_json(post(&url("/me/password")), req).await
}

/// Corrects the profile; answers with the updated account.
pub async fn update_profile(req: &ProfileUpdate) -> Result<Me, ApiError> {
    send_json(patch(&url("/me/profile")), req).await
}

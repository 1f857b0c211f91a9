//! The operator's controls (the server's `http/admin.rs`; administrators only).

use super::{check, delete, get, json, patch, post, send_json, url, ApiError};
use vinano_api::{
    AccountDisabled, AdminPartner, AdminPeople, AuditEntry, CreditAdjustment, InviteCreated, InviteInfo,
    Moderation, NewPartner, PartnerChange, PartnerRotation, PartnerSecret, Usage,
};

/// Open accounts matching `q`, a page from `offset`.
pub async fn admin_people(q: &str, offset: u64) -> Result<AdminPeople, ApiError> {
    let q = js_sys::encode_uri_component(q);
    json(get(&url(&format!("/admin/people?q={q}&offset={offset}"))).send().await).await
}

/// Gives (or, negative, takes back) credits with a reason; answers with the new balance.
pub async fn admin_adjust_credits(id: &str, amount: i64, reason: &str) -> Result<i64, ApiError> {
    let body = CreditAdjustment { amount, reason: reason.to_string() };
    let answer: serde_json::Value =
        send_json(post(&url(&format!("/admin/people/{id}/credits"))), &body).await?;
    Ok(answer["balance"].as_i64().unwrap_or_default())
}

/// Disables an account (signed out everywhere) or enables it again.
pub async fn admin_set_disabled(id: &str, disabled: bool) -> Result<(), ApiError> {
    let request = post(&url(&format!("/admin/people/{id}/disabled"))).json(&AccountDisabled { disabled });
    let request = request.map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// The latest invitations.
pub async fn admin_invites() -> Result<Vec<InviteInfo>, ApiError> {
    json(get(&url("/admin/invites")).send().await).await
}

/// Makes an invitation; its link is in this answer only.
pub async fn admin_invite() -> Result<InviteCreated, ApiError> {
    send_json(post(&url("/admin/invites")), &serde_json::json!({})).await
}

/// Use and revenue for each of the last `days` days.
pub async fn admin_usage(days: u32) -> Result<Usage, ApiError> {
    json(get(&url(&format!("/admin/usage?days={days}"))).send().await).await
}

/// Moderation decisions and evidence holds.
pub async fn admin_moderation() -> Result<Moderation, ApiError> {
    json(get(&url("/admin/moderation")).send().await).await
}

/// The audit log.
pub async fn admin_audit() -> Result<Vec<AuditEntry>, ApiError> {
    json(get(&url("/admin/audit")).send().await).await
}

/// The partners whose sites embed the widget, with this month's spending.
pub async fn admin_partners() -> Result<Vec<AdminPartner>, ApiError> {
    json(get(&url("/admin/partners")).send().await).await
}

/// Registers a partner; its secret is in this answer only.
pub async fn admin_add_partner(new: &NewPartner) -> Result<PartnerSecret, ApiError> {
    send_json(post(&url("/admin/partners")), new).await
}

/// Changes what `change` names about partner `id`.
pub async fn admin_change_partner(id: &str, change: &PartnerChange) -> Result<AdminPartner, ApiError> {
    send_json(patch(&url(&format!("/admin/partners/{id}"))), change).await
}

/// Gives partner `id` a new secret (in this answer only); the previous one works for `overlap_hours` more.
pub async fn admin_rotate_partner(id: &str, overlap_hours: u32) -> Result<PartnerSecret, ApiError> {
    let body = PartnerRotation { overlap_hours: Some(overlap_hours) };
    send_json(post(&url(&format!("/admin/partners/{id}/secret"))), &body).await
}

/// Removes partner `id`: its widget stops loading everywhere.
pub async fn admin_remove_partner(id: &str) -> Result<(), ApiError> {
    check(delete(&url(&format!("/admin/partners/{id}"))).send().await).await.map(|_| ())
}

//! Plans and credits (the server's `http/billing.rs`).

use super::{delete, get, json, post, send_json, url, ApiError};
use vinano_api::{
    CardDetails, CheckoutInfo, CheckoutRequest, ConfirmPayment, Credits, Invoice, PaymentMethod, PlanChange,
    Plans, ProcessorPage,
};

/// The plans on offer and what each kind of job costs.
pub async fn plans() -> Result<Plans, ApiError> {
    json(get(&url("/billing/plans")).send().await).await
}

/// The person's plan, credits left and this period's use.
pub async fn credits() -> Result<Credits, ApiError> {
    json(super::early::get("/me/credits").await).await
}

/// Opens a checkout for `plan`; `idempotency_key` makes a repeated click open the same one.
pub async fn open_checkout(plan: &str, idempotency_key: &str) -> Result<CheckoutInfo, ApiError> {
    let request = post(&url("/billing/checkout")).header("Idempotency-Key", idempotency_key);
    send_json(request, &CheckoutRequest { plan: plan.to_string() }).await
}

/// The payment processor's page for the person's cards and billing details (Stripe's Customer Portal).
pub async fn billing_portal() -> Result<ProcessorPage, ApiError> {
    send_json(post(&url("/me/billing-portal")), &serde_json::json!({})).await
}

/// A checkout session.
pub async fn checkout(id: &str) -> Result<CheckoutInfo, ApiError> {
    json(get(&url(&format!("/billing/checkout/{id}"))).send().await).await
}

/// Pays a checkout with a card.
pub async fn pay_checkout(id: &str, card: &CardDetails) -> Result<CheckoutInfo, ApiError> {
    send_json(post(&url(&format!("/billing/checkout/{id}/pay"))), card).await
}

/// Answers the card's extra confirmation step.
pub async fn confirm_checkout(id: &str, approve: bool) -> Result<CheckoutInfo, ApiError> {
    send_json(post(&url(&format!("/billing/checkout/{id}/confirm"))), &ConfirmPayment { approve }).await
}

/// Ends the paid plan at the end of its period (`cancel`), or keeps it renewing.
pub async fn set_plan_renewal(cancel: bool) -> Result<Credits, ApiError> {
    let path = if cancel { "/me/subscription/cancel" } else { "/me/subscription/resume" };
    send_json(post(&url(path)), &serde_json::json!({})).await
}

/// The person's invoices, newest first.
pub async fn invoices() -> Result<Vec<Invoice>, ApiError> {
    json(get(&url("/me/invoices")).send().await).await
}

/// Where an invoice's printable page is.
pub fn invoice_url(id: &str) -> String {
    url(&format!("/me/invoices/{id}"))
}

/// The person's cards on file, the default first.
pub async fn payment_methods() -> Result<Vec<PaymentMethod>, ApiError> {
    json(get(&url("/me/payment-methods")).send().await).await
}

/// Adds a card (it becomes the default); answers with the cards.
pub async fn add_card(card: &CardDetails) -> Result<Vec<PaymentMethod>, ApiError> {
    send_json(post(&url("/me/payment-methods")), card).await
}

/// Makes a card the default; answers with the cards.
pub async fn default_card(id: &str) -> Result<Vec<PaymentMethod>, ApiError> {
    send_json(post(&url(&format!("/me/payment-methods/{id}/default"))), &serde_json::json!({})).await
}

/// Removes a card; answers with the cards left.
pub async fn remove_card(id: &str) -> Result<Vec<PaymentMethod>, ApiError> {
    json(delete(&url(&format!("/me/payment-methods/{id}"))).send().await).await
}

/// What changing to `plan` would do (nothing changes).
pub async fn preview_change(plan: &str) -> Result<PlanChange, ApiError> {
    json(get(&url(&format!("/me/subscription/change?plan={plan}"))).send().await).await
}

/// Changes to `plan`; `idempotency_key` keeps a repeated click from charging twice.
pub async fn change_plan(plan: &str, idempotency_key: &str) -> Result<PlanChange, ApiError> {
    let request = post(&url("/me/subscription/change")).header("Idempotency-Key", idempotency_key);
    send_json(request, &CheckoutRequest { plan: plan.to_string() }).await
}

/// Pays the renewal that is past due with the default card.
pub async fn pay_now() -> Result<Credits, ApiError> {
    send_json(post(&url("/me/subscription/pay")), &serde_json::json!({})).await
}

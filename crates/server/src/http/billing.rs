//! Plans and credits: the plans on offer (`/billing/plans`, public), the person's own plan, balance and
//! this period's use (`/me/credits`), checkout with the local test-mode processor (`/billing/checkout`),
//! and the processor's signed events (`/billing/webhook`, public: the signature is the proof).

use super::extract::Json;
use super::extract::Query;
use super::{CurrentUser, Result};
use crate::billing::processor::BillingProcessor;
use crate::billing::{cards, checkout, dunning, invoices as bills, ledger, webhook};
use crate::clock::timestamp;
use crate::error::Error;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{
    CardDetails, CheckoutInfo, CheckoutRequest, ConfirmPayment, Credits, Engines, Invoice, Msg,
    PaymentMethod, PlanChange, Plans, ProcessorPage,
};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans))
        .routes(routes!(credits))
        .routes(routes!(open_checkout))
        .routes(routes!(show_checkout))
        .routes(routes!(pay))
        .routes(routes!(confirm))
        .routes(routes!(events))
        .routes(routes!(cancel))
        .routes(routes!(resume))
        .routes(routes!(invoices))
        .routes(routes!(invoice_page))
        .routes(routes!(payment_methods, add_card))
        .routes(routes!(remove_card))
        .routes(routes!(default_card))
        .routes(routes!(preview_change, change_plan))
        .routes(routes!(pay_now))
        .routes(routes!(billing_portal))
}

/// The plans on offer (Free, then by price) and what each kind of job costs.
#[utoipa::path(get, path = "/billing/plans", tag = "billing", responses((status = 200, description = "The plans and the price of each kind of job", body = vinano_api::Plans)))]
async fn plans(State(state): State<AppState>) -> Json<Plans> {
    let billing = &state.config.billing;
    Json(Plans {
        plans: billing.plans.iter().map(|p| billing.info(p, state.config.max_pixels)).collect(),
        costs: billing.costs,
    })
}

/// The person's plan, credits left, this period's use and when it ends (a new account starts on Free here,
/// and a period that ended is closed and the next one's credits granted).
#[utoipa::path(get, path = "/me/credits", tag = "billing", responses((status = 200, description = "Plan, balance and period", body = vinano_api::Credits)), security(("session" = [])))]
async fn credits(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Credits>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let period = ledger::current(&mut tx, &state.config, &user.id, now).await?;
    let answer = summary(&state, &mut tx, &user.id, period).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

/// The person's credits as `/me/credits` answers, in `period`.
async fn summary(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    period: ledger::Period,
) -> Result<Credits> {
    let billing = &state.config.billing;
    let balance = ledger::balance(tx, user_id).await?;
    let used = ledger::used(tx, user_id, period.start).await?;
    Ok(Credits {
        plan: billing.info(billing.plan(&period.plan), state.config.max_pixels),
        status: period.status,
        balance,
        used,
        period_start: timestamp(period.start),
        period_end: timestamp(period.end),
        cancel_at_period_end: period.cancel_at_period_end,
        next_plan: period
            .next_plan
            .as_deref()
            .map(|p| billing.info(billing.plan(p), state.config.max_pixels)),
        retry_at: period.retry_at.map(timestamp),
        costs: billing.costs,
        engines: Engines {
            provider: state.provider.is_some(),
            planner: state.planner.is_some(),
            video: state.video.is_some(),
            background: state.segmentation.off_because().is_none(),
            faces: state.segmentation.off_because().is_none() && state.faces.off_because().is_none(),
            credentials: state.content_credentials.is_some(),
        },
        cards_at_processor: !state.billing.cards_here(),
    })
}

/// The person's credits as they are now.
async fn fresh_summary(state: &AppState, user_id: &str) -> Result<Credits> {
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let period = ledger::current(&mut tx, &state.config, user_id, state.clock.now_ms()).await?;
    let answer = summary(state, &mut tx, user_id, period).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Ends or keeps renewing the person's paid plan at the end of its period.
async fn set_cancel(state: &AppState, user: &CurrentUser, cancel: bool) -> Result<Json<Credits>> {
    state.billing.set_cancel(state, &user.id, cancel).await?;
    Ok(Json(fresh_summary(state, &user.id).await?))
}

/// Cancels the paid plan at the end of its period: it stays, with its credits, until then; then Free.
#[utoipa::path(post, path = "/me/subscription/cancel", tag = "billing", responses((status = 200, description = "Ends at the end of the period", body = vinano_api::Credits)), security(("session" = [])))]
async fn cancel(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Credits>> {
    set_cancel(&state, &user, true).await
}

/// Keeps a plan cancelled at the end of its period renewing after all.
#[utoipa::path(post, path = "/me/subscription/resume", tag = "billing", responses((status = 200, description = "Renews again", body = vinano_api::Credits)), security(("session" = [])))]
async fn resume(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Credits>> {
    set_cancel(&state, &user, false).await
}

/// The person's invoices, newest first.
#[utoipa::path(get, path = "/me/invoices", tag = "billing", responses((status = 200, description = "Invoices", body = Vec<vinano_api::Invoice>)), security(("session" = [])))]
async fn invoices(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Invoice>>> {
    Ok(Json(bills::list(&state.db, &state.config.billing, &user.id).await?))
}

/// One invoice as a printable page.
#[utoipa::path(get, path = "/me/invoices/{id}", tag = "billing", params(("id" = String, Path, description = "An invoice number")), responses((status = 200, description = "The invoice, as HTML", content_type = "text/html", body = String)), security(("session" = [])))]
async fn invoice_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let invoice = bills::one(&state.db, &state.config.billing, &user.id, &id).await?;
    let (name, email): (String, String) = sqlx::query_as("SELECT name, email FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&state.db)
        .await?;
    let page = bills::html(&invoice, &name, &email);
    Ok(([(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response())
}

/// Opens a checkout for a plan; the answer names its page. The same `Idempotency-Key` (for the same plan)
/// answers with the same session.
#[utoipa::path(post, path = "/billing/checkout", tag = "billing", params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key gets the same session")), request_body = vinano_api::CheckoutRequest, responses((status = 201, description = "The session", body = vinano_api::CheckoutInfo)), security(("session" = [])))]
async fn open_checkout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(req): Json<CheckoutRequest>,
) -> Result<(StatusCode, Json<CheckoutInfo>)> {
    let key = super::idempotency::key(&headers).map(|k| format!("{k}|{}", req.plan));
    let session = state.billing.checkout(&state, &user.id, &req.plan, key.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// A checkout session of the person's.
#[utoipa::path(get, path = "/billing/checkout/{id}", tag = "billing", params(("id" = String, Path, description = "A checkout session id")), responses((status = 200, description = "The session", body = vinano_api::CheckoutInfo)), security(("session" = [])))]
async fn show_checkout(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CheckoutInfo>> {
    Ok(Json(checkout::show(&state, &user.id, &id).await?))
}

/// Pays a checkout with a card (test cards only: the local processor charges nothing). Paid, the plan
/// starts at once; a refused card answers 402 with its reason; some cards ask for a confirmation first.
#[utoipa::path(post, path = "/billing/checkout/{id}/pay", tag = "billing", params(("id" = String, Path, description = "A checkout session id")), request_body = vinano_api::CardDetails, responses((status = 200, description = "Paid, or waiting for the card's confirmation", body = vinano_api::CheckoutInfo)), security(("session" = [])))]
async fn pay(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(card): Json<CardDetails>,
) -> Result<Json<CheckoutInfo>> {
    cards_here(&state)?;
    Ok(Json(checkout::pay(&state, &user.id, &id, &card).await?))
}

/// The card's extra confirmation step: approved, the payment goes through; refused, nothing is charged.
#[utoipa::path(post, path = "/billing/checkout/{id}/confirm", tag = "billing", params(("id" = String, Path, description = "A checkout session id")), request_body = vinano_api::ConfirmPayment, responses((status = 200, description = "Paid", body = vinano_api::CheckoutInfo)), security(("session" = [])))]
async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(answer): Json<ConfirmPayment>,
) -> Result<Json<CheckoutInfo>> {
    cards_here(&state)?;
    Ok(Json(checkout::confirm(&state, &user.id, &id, answer.approve).await?))
}

/// The billing processor's events, verified by their `Stripe-Signature` over the raw body. A replay or an
/// event older than the last one applied changes nothing.
#[utoipa::path(post, path = "/billing/webhook", tag = "billing", params(("Stripe-Signature" = Option<String>, Header, description = "t=<seconds>,v1=<HMAC-SHA256 of \"t.body\">")), request_body(content = Object, description = "An event"), responses((status = 200, description = "Received", body = Object)))]
async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>> {
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let secret = state.billing.webhook_secret(&state);
    let outcome = webhook::receive(&state, &secret, signature, &body).await?;
    Ok(Json(serde_json::json!({ "received": true, "outcome": format!("{outcome:?}").to_lowercase() })))
}

/// The person's cards on file, the default first.
#[utoipa::path(get, path = "/me/payment-methods", tag = "billing", responses((status = 200, description = "Cards: brand, last four digits, expiry", body = Vec<vinano_api::PaymentMethod>)), security(("session" = [])))]
async fn payment_methods(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<PaymentMethod>>> {
    Ok(Json(cards::list(&state.db, &user.id).await?))
}

/// Adds a card (test cards only with the local processor) and makes it the default; a refused card is
/// not kept (402 with its reason). A renewal waiting to be paid is tried with it at once.
#[utoipa::path(post, path = "/me/payment-methods", tag = "billing", request_body = vinano_api::CardDetails, responses((status = 201, description = "The cards, the new one the default", body = Vec<vinano_api::PaymentMethod>)), security(("session" = [])))]
async fn add_card(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(card): Json<CardDetails>,
) -> Result<(StatusCode, Json<Vec<PaymentMethod>>)> {
    cards_here(&state)?;
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    cards::add(&mut tx, &user.id, &card, now).await?;
    tx.commit().await?;
    // The card is kept whatever the retry does: a failure is told by the subscription's state and a letter.
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    match dunning::retry(&mut tx, &state.config, &user.id, now, dunning::Trigger::Person).await {
        Ok(_) => crate::mail::commit_and_send(&state, tx).await?,
        Err(crate::error::Error::PaymentRequired(_)) => tx.rollback().await?,
        Err(e) => return Err(e),
    }
    Ok((StatusCode::CREATED, Json(cards::list(&state.db, &user.id).await?)))
}

/// Makes one of the person's cards the default.
#[utoipa::path(post, path = "/me/payment-methods/{id}/default", tag = "billing", params(("id" = String, Path, description = "A card's id")), responses((status = 200, description = "The cards", body = Vec<vinano_api::PaymentMethod>)), security(("session" = [])))]
async fn default_card(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PaymentMethod>>> {
    cards_here(&state)?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    cards::set_default(&mut tx, &user.id, &id).await?;
    tx.commit().await?;
    Ok(Json(cards::list(&state.db, &user.id).await?))
}

/// Removes one of the person's cards (the newest other one becomes the default).
#[utoipa::path(delete, path = "/me/payment-methods/{id}", tag = "billing", params(("id" = String, Path, description = "A card's id")), responses((status = 200, description = "The cards left", body = Vec<vinano_api::PaymentMethod>)), security(("session" = [])))]
async fn remove_card(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PaymentMethod>>> {
    cards_here(&state)?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    cards::remove(&mut tx, &user.id, &id).await?;
    tx.commit().await?;
    Ok(Json(cards::list(&state.db, &user.id).await?))
}

/// The plan a change is to.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ChangeTo {
    /// `pro` or `studio`.
    plan: String,
}

/// What changing to another paid plan would do — the proration, shown before confirming. Nothing changes.
#[utoipa::path(get, path = "/me/subscription/change", tag = "billing", params(ChangeTo), responses((status = 200, description = "The change: when, the charge now, the credits added", body = vinano_api::PlanChange)), security(("session" = [])))]
async fn preview_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(to): Query<ChangeTo>,
) -> Result<Json<PlanChange>> {
    Ok(Json(state.billing.preview_change(&state, &user.id, &to.plan).await?))
}

/// Changes to another paid plan: up at once (the proration charged to the default card; 402 with the card's
/// reason when it isn't paid, and nothing changes), down when the period ends, the current plan kept. The
/// same `Idempotency-Key` never charges twice.
#[utoipa::path(post, path = "/me/subscription/change", tag = "billing", params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key is not charged again")), request_body = vinano_api::CheckoutRequest, responses((status = 200, description = "The change made", body = vinano_api::PlanChange)), security(("session" = [])))]
async fn change_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(req): Json<CheckoutRequest>,
) -> Result<Json<PlanChange>> {
    let key = super::idempotency::key(&headers).map(|k| format!("change|{k}"));
    Ok(Json(state.billing.change_plan(&state, &user.id, &req.plan, key.as_deref()).await?))
}

/// Pays the renewal that is past due now, with the default card (402 with its reason when it isn't paid;
/// 409 when nothing is due).
#[utoipa::path(post, path = "/me/subscription/pay", tag = "billing", responses((status = 200, description = "Paid: the plan is active again with its credits", body = vinano_api::Credits)), security(("session" = [])))]
async fn pay_now(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Credits>> {
    if !state.billing.pay_now(&state, &user.id).await? {
        return Err(Error::Conflict(Msg::NothingDue.into()));
    }
    Ok(Json(fresh_summary(&state, &user.id).await?))
}

/// The payment processor's own page for the person's cards and billing details (Stripe's Customer
/// Portal); 404 with the local processor, whose cards are on Me → Subscription.
#[utoipa::path(post, path = "/me/billing-portal", tag = "billing", responses((status = 200, description = "Where to send the person", body = vinano_api::ProcessorPage)), security(("session" = [])))]
async fn billing_portal(State(state): State<AppState>, user: CurrentUser) -> Result<Json<ProcessorPage>> {
    Ok(Json(ProcessorPage { url: state.billing.portal(&state, &user.id).await? }))
}

/// Cards are typed here only with the local processor; with Stripe they never reach ViNano (404).
fn cards_here(state: &AppState) -> Result<()> {
    if state.billing.cards_here() {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

//! Checkout with the local, offline test-mode processor: a session for a plan, paid on ViNano's own
//! checkout page (`/billing/checkout/:session`) with a test card. The card is tokenised here — only its
//! brand, last four digits and expiry are kept — and a paid checkout is announced to the webhook the same
//! way a real processor does it (a signed `checkout.session.completed` event), so the plan changes through
//! the one path every processor uses.
//! The test cards are listed in `cards.rs`.

use super::cards::{self, read_card, Outcome, Token};
use super::{webhook, PLAN_IDS};
use crate::error::Error;
use crate::ids;
use crate::AppState;
use vinano_api::{CardDetails, CheckoutInfo, CheckoutState, Msg, Problem};

/// How long a checkout session stays open.
pub const SESSION_MS: i64 = 24 * 3600 * 1000;

/// The secret the local processor signs its events with (derived from the master key).
pub fn local_secret(state: &AppState) -> [u8; 32] {
    state.master_key.mac("local billing webhook", b"")
}

/// `(plan, state, pending card)` of the person's open session `id` (404 for anyone else's or unknown).
async fn session(
    state: &AppState,
    user_id: &str,
    id: &str,
) -> Result<(String, String, Option<String>, i64), Error> {
    sqlx::query_as(
        "SELECT plan, state, pending_card, expires_at FROM checkout_sessions WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(Error::NotFound)
}

/// Opens a checkout for `plan` (Pro or Studio, not the one the person is on); the same `key` gives the same
/// session (a double click, a retry).
pub async fn create(state: &AppState, user_id: &str, plan: &str, key: Option<&str>) -> Result<String, Error> {
    if plan == PLAN_IDS[0] || !PLAN_IDS.contains(&plan) {
        return Err(Error::Field("plan", Problem::new(Msg::PlanUnknown).text("plan", plan.to_string())));
    }
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    if let Some(key) = key {
        let existing: Option<String> = sqlx::query_scalar(
            "SELECT id FROM checkout_sessions WHERE user_id = $1 AND idempotency_key = $2",
        )
        .bind(user_id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = existing {
            return Ok(id);
        }
    }
    let current = super::ledger::current(&mut tx, &state.config, user_id, now).await?;
    if current.plan == plan {
        return Err(Error::Conflict(Msg::PlanCurrent.into()));
    }
    let id = ids::new_id();
    sqlx::query(
        "INSERT INTO checkout_sessions (id, user_id, plan, idempotency_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(plan)
    .bind(key)
    .bind(now)
    .bind(now + SESSION_MS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The session as its page shows it.
pub async fn show(state: &AppState, user_id: &str, id: &str) -> Result<CheckoutInfo, Error> {
    let (plan, st, _, expires_at) = session(state, user_id, id).await?;
    let billing = &state.config.billing;
    let open = st != "complete" && state.clock.now_ms() < expires_at;
    Ok(CheckoutInfo {
        id: id.to_string(),
        plan: billing.info(billing.plan(&plan), state.config.max_pixels),
        state: match st.as_str() {
            "complete" => CheckoutState::Complete,
            _ if !open => CheckoutState::Expired,
            "confirming" => CheckoutState::Confirming,
            _ => CheckoutState::Open,
        },
        test_mode: state.config.billing.stripe.is_none(),
        url: None,
    })
}

/// Pays session `id` with `card`: paid (the plan starts), refused with the card's reason (402, nothing
/// changed), or waiting for the extra confirmation step.
pub async fn pay(
    state: &AppState,
    user_id: &str,
    id: &str,
    card: &CardDetails,
) -> Result<CheckoutInfo, Error> {
    let info = show(state, user_id, id).await?;
    if info.state != CheckoutState::Open && info.state != CheckoutState::Confirming {
        return Err(Error::Conflict(Msg::CheckoutClosed.into()));
    }
    let (token, outcome) = read_card(card, state.clock.now_ms())?;
    match outcome {
        Outcome::Paid => complete(state, user_id, id, &token).await,
        Outcome::Declined | Outcome::ChargesFail => Err(Error::PaymentRequired(Msg::CardDeclined.into())),
        Outcome::InsufficientFunds => Err(Error::PaymentRequired(Msg::CardInsufficientFunds.into())),
        Outcome::NotATestCard => Err(Error::PaymentRequired(Msg::CardTestOnly.into())),
        Outcome::NeedsConfirmation => {
            let pending = serde_json::to_string(&token).map_err(anyhow::Error::from)?;
            sqlx::query(
                "UPDATE checkout_sessions SET state = 'confirming', pending_card = $1
                 WHERE id = $2 AND user_id = $3 AND state <> 'complete'",
            )
            .bind(pending)
            .bind(id)
            .bind(user_id)
            .execute(&state.db)
            .await?;
            show(state, user_id, id).await
        }
    }
}

/// The extra confirmation step: approved, the payment goes through; refused, the session is open again
/// and the person is told (402).
pub async fn confirm(
    state: &AppState,
    user_id: &str,
    id: &str,
    approve: bool,
) -> Result<CheckoutInfo, Error> {
    let info = show(state, user_id, id).await?;
    let (_, _, pending, _) = session(state, user_id, id).await?;
    let token: Option<Token> = pending.and_then(|p| serde_json::from_str(&p).ok());
    let (CheckoutState::Confirming, Some(token)) = (info.state, token) else {
        return Err(Error::Conflict(Msg::CheckoutClosed.into()));
    };
    if approve {
        return complete(state, user_id, id, &token).await;
    }
    sqlx::query(
        "UPDATE checkout_sessions SET state = 'open', pending_card = NULL WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .execute(&state.db)
    .await?;
    Err(Error::PaymentRequired(Msg::CardAuthenticationFailed.into()))
}

/// A paid checkout: the card is kept as the default payment method, and the processor's event goes to
/// the webhook, signed.
async fn complete(state: &AppState, user_id: &str, id: &str, token: &Token) -> Result<CheckoutInfo, Error> {
    let now = state.clock.now_ms();
    let (plan, ..) = session(state, user_id, id).await?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    cards::store(&mut tx, user_id, token, false, true, now).await?;
    tx.commit().await?;
    let event = serde_json::json!({
        "id": format!("evt_{}", ids::random_hex(12)),
        "object": "event",
        "type": "checkout.session.completed",
        "created": now / 1000,
        "data": {"object": {
            "id": id,
            "object": "checkout.session",
            "client_reference_id": user_id,
            "metadata": {"plan": plan},
            "payment_status": "paid",
            "paid_with": token.shown(),
        }},
    });
    let body = serde_json::to_vec(&event).map_err(anyhow::Error::from)?;
    let secret = local_secret(state);
    let signature = webhook::sign(&secret, now / 1000, &body);
    webhook::receive(state, &secret, Some(&signature), &body).await?;
    show(state, user_id, id).await
}

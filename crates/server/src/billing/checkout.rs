//! Checkout with the local, offline test-mode processor: a session for a plan, paid on ViNano's own
//! checkout page (`/billing/checkout/:session`) with a test card. The card is tokenised here — only its
//! brand, last four digits and expiry are kept — and a paid checkout is announced to the webhook the same
//! way a real processor does it (a signed `checkout.session.completed` event), so the plan changes through
//! the one path every processor uses.
//!
//! Test cards: 4242 4242 4242 4242 (and 5555 5555 5555 4444) are paid; 4000 0000 0000 0002 is declined;
//! 4000 0000 0000 9995 has insufficient funds; 4000 0025 0000 3155 asks for an extra confirmation step.

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

/// What a test card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Paid,
    Declined,
    InsufficientFunds,
    NeedsConfirmation,
    NotATestCard,
}

/// A card as kept: brand, last four digits and expiry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Token {
    brand: String,
    last4: String,
    exp_month: u32,
    exp_year: i32,
}

impl Token {
    fn shown(&self) -> String {
        format!("{} {}", self.brand, self.last4)
    }
}

/// Whether the digits pass the Luhn check every card number carries.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if !i.is_multiple_of(2) {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks a card as a processor would (number, expiry, security code) and says what the test card does.
fn read_card(card: &CardDetails, now_ms: i64) -> Result<(Token, Outcome), Error> {
    let digits: Vec<u8> = card.number.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c as u8).collect();
    if !(12..=19).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::Field("number", Msg::CardNumberInvalid.into()));
    }
    let digits: Vec<u8> = digits.iter().map(|d| d - b'0').collect();
    if !luhn(&digits) {
        return Err(Error::Field("number", Msg::CardNumberInvalid.into()));
    }
    let today = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (year, month) = (today.year(), u32::from(u8::from(today.month())));
    let exp_year = if card.exp_year < 100 { 2000 + card.exp_year } else { card.exp_year };
    if !(1..=12).contains(&card.exp_month) || exp_year > year + 20 {
        return Err(Error::Field("exp", Msg::CardExpiryInvalid.into()));
    }
    if (exp_year, card.exp_month) < (year, month) {
        return Err(Error::Field("exp", Msg::CardExpired.into()));
    }
    let cvc_ok = (3..=4).contains(&card.cvc.len()) && card.cvc.bytes().all(|b| b.is_ascii_digit());
    if !cvc_ok {
        return Err(Error::Field("cvc", Msg::CardCvc.into()));
    }
    let number: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let brand = match digits[0] {
        4 => "visa",
        5 => "mastercard",
        3 => "amex",
        _ => "card",
    };
    let outcome = match number.as_str() {
        "4242424242424242" | "5555555555554444" => Outcome::Paid,
        "4000000000000002" => Outcome::Declined,
        "4000000000009995" => Outcome::InsufficientFunds,
        "4000002500003155" => Outcome::NeedsConfirmation,
        _ => Outcome::NotATestCard,
    };
    let token = Token {
        brand: brand.into(),
        last4: number[number.len() - 4..].into(),
        exp_month: card.exp_month,
        exp_year,
    };
    Ok((token, outcome))
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
    let current = super::ledger::current(&mut tx, &state.config.billing, user_id, now).await?;
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
        test_mode: true,
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
        Outcome::Declined => Err(Error::PaymentRequired(Msg::CardDeclined.into())),
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
    sqlx::query("UPDATE payment_methods SET is_default = 0 WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO payment_methods (id, user_id, brand, last4, exp_month, exp_year, is_default, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
    )
    .bind(ids::new_id())
    .bind(user_id)
    .bind(&token.brand)
    .bind(&token.last4)
    .bind(token.exp_month)
    .bind(token.exp_year)
    .bind(now)
    .execute(&mut *tx)
    .await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str, exp_month: u32, exp_year: i32, cvc: &str) -> CardDetails {
        CardDetails { number: number.into(), exp_month, exp_year, cvc: cvc.into(), name: "Ada".into() }
    }

    const NOW: i64 = 1_796_083_200_000; // 2026-12-01

    #[test]
    fn test_cards_do_what_they_say_and_only_brand_last_four_and_expiry_are_kept() {
        let (token, outcome) = read_card(&card("4242 4242 4242 4242", 12, 30, "123"), NOW).unwrap();
        assert_eq!(outcome, Outcome::Paid);
        assert_eq!(
            token,
            Token { brand: "visa".into(), last4: "4242".into(), exp_month: 12, exp_year: 2030 }
        );
        for (number, outcome) in [
            ("4000000000000002", Outcome::Declined),
            ("4000-0000-0000-9995", Outcome::InsufficientFunds),
            ("4000002500003155", Outcome::NeedsConfirmation),
            ("4111111111111111", Outcome::NotATestCard),
            ("5555555555554444", Outcome::Paid),
        ] {
            assert_eq!(read_card(&card(number, 1, 2031, "999"), NOW).unwrap().1, outcome, "{number}");
        }
    }

    #[test]
    fn a_wrong_number_expiry_or_code_names_its_field() {
        let field = |c: CardDetails| match read_card(&c, NOW) {
            Err(Error::Field(f, p)) => (f, p.msg),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(card("4242 4242 4242 4241", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("4242", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("42424242424242a2", 12, 2030, "123")), ("number", Msg::CardNumberInvalid));
        assert_eq!(field(card("4242424242424242", 11, 2026, "123")), ("exp", Msg::CardExpired));
        assert_eq!(field(card("4242424242424242", 13, 2030, "123")), ("exp", Msg::CardExpiryInvalid));
        assert_eq!(field(card("4242424242424242", 12, 2026, "12")), ("cvc", Msg::CardCvc));
        assert!(read_card(&card("4242424242424242", 12, 2026, "123"), NOW).is_ok(), "this month still works");
    }
}

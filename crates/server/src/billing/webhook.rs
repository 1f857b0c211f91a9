//! The billing processor's events: verified from the raw body as Stripe signs them (`Stripe-Signature:
//! t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">`, at most 300 s old or early), recorded by id (a replay is
//! recognised and changes nothing) and applied in order per subscription (an event older than the last one
//! applied is recorded, not applied: the state never moves back).

use super::ledger;
use crate::error::Error;
use crate::AppState;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use vinano_api::Msg;

/// How far an event's signing time may be from now, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

type HmacSha256 = Hmac<sha2::Sha256>;

fn mac(secret: &[u8], t: i64, body: &[u8]) -> HmacSha256 {
    let mut m = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    m
}

/// The `Stripe-Signature` header for `body` signed at `t` (seconds).
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body).finalize().into_bytes()))
}

/// Whether `header` signs `body` with `secret` at a time within [`TOLERANCE_SECS`] of `now` (seconds).
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64) -> bool {
    let mut t = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now - t).abs() > TOLERANCE_SECS {
        return false;
    }
    // Compared in constant time by the MAC itself.
    signatures.iter().any(|s| mac(secret, t, body).verify_slice(s).is_ok())
}

/// An event as the processor sends it.
#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    /// When the processor made it (seconds).
    created: i64,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It changed the subscription.
    Applied,
    /// It was received before: nothing changed.
    Replayed,
    /// An event about the subscription newer than it was applied already: recorded, not applied.
    Stale,
    /// A kind of event ViNano doesn't act on.
    Ignored,
}

/// Checks, records and applies one event (`signature`: the `Stripe-Signature` header, `body`: the raw body).
/// A bad signature is refused (401) and logged, and nothing is recorded.
pub async fn receive(
    state: &AppState,
    secret: &[u8],
    signature: Option<&str>,
    body: &[u8],
) -> Result<Outcome, Error> {
    let now = state.clock.now_ms();
    if !signature.is_some_and(|s| verify(secret, s, body, now / 1000)) {
        tracing::warn!(event = "webhook_refused", "a billing event with a missing or wrong signature");
        return Err(Error::BadSignature(Msg::WebhookSignature.into()));
    }
    let event: Event = serde_json::from_slice(body).map_err(|_| Error::invalid(Msg::WebhookBody))?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let new = sqlx::query(
        "INSERT INTO billing_events (id, type, created, received_at, applied) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.kind)
    .bind(event.created)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if new.rows_affected() == 0 {
        return Ok(Outcome::Replayed);
    }
    let outcome = match &state.config.billing.stripe {
        Some(stripe) => {
            let with = (state.config.as_ref(), stripe);
            let what = (event.kind.as_str(), event.created);
            super::stripe_events::apply(&mut tx, with, what, &event.data.object, now).await?
        }
        None => match event.kind.as_str() {
            "checkout.session.completed" => checkout_completed(state, &mut tx, &event, now).await?,
            _ => Outcome::Ignored,
        },
    };
    if outcome == Outcome::Applied {
        sqlx::query("UPDATE billing_events SET applied = 1 WHERE id = $1")
            .bind(&event.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, ?outcome, "billing event");
    Ok(outcome)
}

/// A checkout was paid: the person is on the plan from now, with a new period, its credits and an invoice.
async fn checkout_completed(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    now: i64,
) -> Result<Outcome, Error> {
    let object = &event.data.object;
    let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str).map(str::to_string);
    let (Some(session), Some(user_id)) = (text("id"), text("client_reference_id")) else {
        return Err(Error::invalid(Msg::WebhookBody));
    };
    let plan_id = object.pointer("/metadata/plan").and_then(serde_json::Value::as_str).unwrap_or_default();
    let billing = &state.config.billing;
    let plan = billing.plans.iter().find(|p| p.id == plan_id).ok_or(Error::invalid(Msg::WebhookBody))?;
    let exists: Option<String> =
        sqlx::query_scalar("SELECT id FROM checkout_sessions WHERE id = $1 AND user_id = $2")
            .bind(&session)
            .bind(&user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if exists.is_none() {
        return Err(Error::invalid(Msg::WebhookBody));
    }
    ledger::current(tx, &state.config, &user_id, now).await?;
    let last: i64 = sqlx::query_scalar("SELECT last_event_at FROM subscriptions WHERE user_id = $1")
        .bind(&user_id)
        .fetch_one(&mut *tx)
        .await?;
    if event.created < last {
        return Ok(Outcome::Stale);
    }
    let period = ledger::start_plan(tx, &state.config, &user_id, plan, now, "plan changed").await?;
    sqlx::query("UPDATE subscriptions SET last_event_at = $1 WHERE user_id = $2")
        .bind(event.created)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE checkout_sessions SET state = 'complete', pending_card = NULL WHERE id = $1")
        .bind(&session)
        .execute(&mut *tx)
        .await?;
    let paid_with = text("paid_with").unwrap_or_else(|| "card".into());
    super::invoices::insert(tx, billing, &user_id, plan, (period.start, period.end), Some(&paid_with), now)
        .await?;
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_body_its_secret_and_five_minutes() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(b"secret", 1_000_000, body);
        assert!(verify(b"secret", &header, body, 1_000_000));
        assert!(verify(b"secret", &header, body, 1_000_300), "300 s later");
        assert!(!verify(b"secret", &header, body, 1_000_301), "too late: a replay of an old capture");
        assert!(!verify(b"secret", &header, body, 999_699), "too early");
        assert!(!verify(b"other", &header, body, 1_000_000), "another secret");
        assert!(!verify(b"secret", &header, br#"{"id":"evt_2"}"#, 1_000_000), "another body");
        assert!(!verify(b"secret", "t=1000000", body, 1_000_000), "no signature");
        assert!(!verify(b"secret", "v1=00", body, 1_000_000), "no time");
        // Stripe sends a v0 (test) signature too, and may send several v1 during a secret's rollover.
        let rolled = format!("t=1000000,v0=abc,v1=0011,{}", header.split(',').nth(1).unwrap());
        assert!(verify(b"secret", &rolled, body, 1_000_000));
    }
}

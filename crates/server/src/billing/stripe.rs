//! Stripe as the payment processor (`VINANO_BILLING_PROCESSOR=stripe`): the calls ViNano makes to its API.
//! Subscribing goes through a Checkout Session on Stripe's own page; cards are kept and changed in Stripe's
//! Customer Portal; plan changes, cancelling and paying a past-due invoice are calls on the subscription
//! and invoice; deleting an account deletes its Stripe customer. What Stripe then does (paid, failed,
//! renewed, ended) comes back as signed events (`stripe_events.rs`).
//!
//! Every call is form-encoded with the secret key as a bearer token, pins the API version whose shapes
//! this code reads ([`API_VERSION`]), and carries an `Idempotency-Key`, so a retry — ours after a timeout, or
//! a person's double click — never charges or creates twice. Network failures, 429 and 5xx are retried with
//! the same key. A card refusal is a 402 with the card's reason in the person's words; anything else
//! Stripe refuses is logged and told as the payment service being unavailable, nothing changed.

use crate::error::Error;
use serde_json::Value;
use std::time::Duration;
use vinano_api::Msg;

/// The Stripe API version whose request and event shapes this code uses. Create the webhook endpoint
/// with the same version.
pub const API_VERSION: &str = "2024-06-20";

/// Stripe's settings (`VINANO_STRIPE_*`).
#[derive(Clone, PartialEq, Eq)]
pub struct StripeConfig {
    /// `https://api.stripe.com`, or a test double's address.
    pub api_base: String,
    /// The secret API key, `sk_live_…` or `sk_test_…`.
    pub secret_key: String,
    /// The webhook endpoint's signing secret, `whsec_…`.
    pub webhook_secret: String,
    /// The Price ids of Pro and Studio (`price_…`), monthly and recurring.
    pub prices: [String; 2],
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("secret_key", &"[hidden]")
            .field("webhook_secret", &"[hidden]")
            .field("prices", &self.prices)
            .finish()
    }
}

impl StripeConfig {
    /// Reads `VINANO_STRIPE_*`; each is required but the API address.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let need = |name: &str, prefix: &str| -> anyhow::Result<String> {
            let value = var(name).map(|v| v.trim().to_string()).unwrap_or_default();
            if value.is_empty() {
                anyhow::bail!("VINANO_BILLING_PROCESSOR=stripe needs {name}");
            }
            if !value.starts_with(prefix) {
                anyhow::bail!("{name} should start with {prefix}");
            }
            Ok(value)
        };
        Ok(Self {
            api_base: var("VINANO_STRIPE_API_BASE")
                .map(|v| v.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://api.stripe.com".into()),
            secret_key: need("VINANO_STRIPE_SECRET_KEY", "sk_")?,
            webhook_secret: need("VINANO_STRIPE_WEBHOOK_SECRET", "whsec_")?,
            prices: [
                need("VINANO_STRIPE_PRICE_PRO", "price_")?,
                need("VINANO_STRIPE_PRICE_STUDIO", "price_")?,
            ],
        })
    }

    /// The Price id of a paid plan.
    pub fn price(&self, plan: &str) -> Option<&str> {
        match plan {
            "pro" => Some(&self.prices[0]),
            "studio" => Some(&self.prices[1]),
            _ => None,
        }
    }

    /// The plan a Price id is for.
    pub fn plan_of(&self, price: &str) -> Option<&'static str> {
        if price == self.prices[0] {
            Some("pro")
        } else if price == self.prices[1] {
            Some("studio")
        } else {
            None
        }
    }
}

/// Form fields of a call, in order.
pub type Form = Vec<(String, String)>;

/// Builds a [`Form`] from pairs.
pub fn form<const N: usize>(pairs: [(&str, &str); N]) -> Form {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// How a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StripeError {
    /// A card refused the charge (402): the reason as the person is told it.
    Card(Msg),
    /// The object doesn't exist (404).
    Missing,
    /// Stripe refused the call for another reason (a bad key, a bad parameter): logged, not shown.
    Refused(u16, String),
    /// Unreachable, or failing, after the retries.
    Unavailable,
}

impl From<StripeError> for Error {
    fn from(e: StripeError) -> Self {
        match e {
            StripeError::Card(msg) => Error::PaymentRequired(msg.into()),
            StripeError::Missing => Error::NotFound,
            StripeError::Refused(status, why) => {
                tracing::error!(status, why = %why, "the payment processor refused a call");
                Error::Unavailable(Msg::BillingUnavailable.into())
            }
            StripeError::Unavailable => Error::Unavailable(Msg::BillingUnavailable.into()),
        }
    }
}

/// A card error's reason, in the person's words.
fn card_reason(error: &Value) -> Msg {
    let code = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or_default();
    match (code("code"), code("decline_code")) {
        (_, "insufficient_funds") => Msg::CardInsufficientFunds,
        ("expired_card", _) | (_, "expired_card") => Msg::CardExpired,
        ("authentication_required", _) | (_, "authentication_required") => Msg::CardAuthenticationFailed,
        ("incorrect_cvc", _) | ("invalid_cvc", _) => Msg::CardCvc,
        _ => Msg::CardDeclined,
    }
}

/// The client.
#[derive(Debug, Clone)]
pub struct Stripe {
    config: StripeConfig,
    http: reqwest::Client,
    /// Retries after the first attempt, and the first backoff.
    retries: (u32, Duration),
}

impl Stripe {
    /// A client for `config`.
    pub fn new(config: StripeConfig) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { config, http, retries: (2, Duration::from_millis(300)) }
    }

    /// Its settings.
    pub fn config(&self) -> &StripeConfig {
        &self.config
    }

    /// One call: `method` on `path` (`/v1/…`) with `fields`, under `key`. Retried with the same key on a
    /// network failure, 429 or 5xx.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        fields: &Form,
        key: &str,
    ) -> Result<Value, StripeError> {
        let url = format!("{}{path}", self.config.api_base);
        let mut wait = self.retries.1;
        for attempt in 0..=self.retries.0 {
            if attempt > 0 {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(&self.config.secret_key)
                .header("Stripe-Version", API_VERSION);
            if method != reqwest::Method::GET {
                request = request.header("Idempotency-Key", key).form(fields);
            } else {
                request = request.query(fields);
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(error = %e, path, attempt, "the payment processor didn't answer");
                    continue;
                }
            };
            let status = response.status().as_u16();
            let body = crate::providers::read_capped(response, crate::providers::MAX_JSON_ANSWER)
                .await
                .map_err(|_| StripeError::Unavailable)?;
            let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            match status {
                200..=299 => return Ok(json),
                429 | 500..=599 => {
                    tracing::warn!(status, path, attempt, "the payment processor is failing");
                    continue;
                }
                402 => return Err(StripeError::Card(card_reason(&json["error"]))),
                404 => return Err(StripeError::Missing),
                _ => {
                    let error = &json["error"];
                    if error["type"] == "card_error" {
                        return Err(StripeError::Card(card_reason(error)));
                    }
                    let why = error["message"].as_str().unwrap_or("no message").to_string();
                    return Err(StripeError::Refused(status, why));
                }
            }
        }
        Err(StripeError::Unavailable)
    }

    /// Creates the customer for an account (one per account, whatever the retries).
    pub async fn create_customer(
        &self,
        user_id: &str,
        email: &str,
        name: &str,
    ) -> Result<String, StripeError> {
        let fields = form([("email", email), ("name", name), ("metadata[user_id]", user_id)]);
        let answer = self
            .call(reqwest::Method::POST, "/v1/customers", &fields, &format!("customer-{user_id}"))
            .await?;
        id_of(&answer)
    }

    /// Opens a Checkout Session subscribing `customer` to `plan`; returns its id and page.
    pub async fn checkout_session(
        &self,
        order: &Order<'_>,
        key: &str,
    ) -> Result<(String, String), StripeError> {
        let price = self.config.price(order.plan).ok_or(StripeError::Missing)?;
        let fields = form([
            ("mode", "subscription"),
            ("customer", order.customer),
            ("client_reference_id", order.user_id),
            ("line_items[0][price]", price),
            ("line_items[0][quantity]", "1"),
            ("metadata[plan]", order.plan),
            ("subscription_data[metadata][user_id]", order.user_id),
            ("subscription_data[metadata][plan]", order.plan),
            ("success_url", order.success_url),
            ("cancel_url", order.cancel_url),
        ]);
        let answer = self.call(reqwest::Method::POST, "/v1/checkout/sessions", &fields, key).await?;
        let url =
            answer["url"].as_str().ok_or(StripeError::Refused(200, "a session without a url".into()))?;
        Ok((id_of(&answer)?, url.to_string()))
    }

    /// A Customer Portal page for `customer` (cards, billing details), coming back to `return_url`.
    pub async fn portal(&self, customer: &str, return_url: &str, key: &str) -> Result<String, StripeError> {
        let fields = form([("customer", customer), ("return_url", return_url)]);
        let answer = self.call(reqwest::Method::POST, "/v1/billing_portal/sessions", &fields, key).await?;
        answer["url"]
            .as_str()
            .map(str::to_string)
            .ok_or(StripeError::Refused(200, "a portal without a url".into()))
    }

    /// Changes `subscription`: its fields as Stripe names them.
    pub async fn update_subscription(
        &self,
        subscription: &str,
        fields: &Form,
        key: &str,
    ) -> Result<Value, StripeError> {
        self.call(reqwest::Method::POST, &format!("/v1/subscriptions/{subscription}"), fields, key).await
    }

    /// What moving `subscription`'s item to `price` now would charge at once, in the smallest unit.
    pub async fn preview_change(&self, ids: &Ids<'_>, price: &str, at_secs: i64) -> Result<u64, StripeError> {
        let at = at_secs.to_string();
        let fields = form([
            ("customer", ids.customer),
            ("subscription", ids.subscription),
            ("subscription_items[0][id]", ids.item),
            ("subscription_items[0][price]", price),
            ("subscription_proration_behavior", "always_invoice"),
            ("subscription_proration_date", &at),
        ]);
        let answer = self.call(reqwest::Method::GET, "/v1/invoices/upcoming", &fields, "").await?;
        Ok(answer["amount_due"].as_i64().unwrap_or(0).max(0) as u64)
    }

    /// Pays an open invoice now with the customer's default card.
    pub async fn pay_invoice(&self, invoice: &str, key: &str) -> Result<Value, StripeError> {
        self.call(reqwest::Method::POST, &format!("/v1/invoices/{invoice}/pay"), &Form::new(), key).await
    }

    /// Deletes `customer` (and so its cards and subscriptions) at Stripe; one gone already is fine.
    pub async fn delete_customer(&self, customer: &str) -> Result<(), StripeError> {
        let key = format!("delete-{customer}");
        match self
            .call(reqwest::Method::DELETE, &format!("/v1/customers/{customer}"), &Form::new(), &key)
            .await
        {
            Ok(_) | Err(StripeError::Missing) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// A subscription's ids at Stripe.
#[derive(Debug, Clone, Copy)]
pub struct Ids<'a> {
    /// `cus_…`
    pub customer: &'a str,
    /// `sub_…`
    pub subscription: &'a str,
    /// `si_…`, its one item.
    pub item: &'a str,
}

/// A subscription being bought.
#[derive(Debug, Clone, Copy)]
pub struct Order<'a> {
    /// The account.
    pub user_id: &'a str,
    /// Its Stripe customer.
    pub customer: &'a str,
    /// `pro` or `studio`.
    pub plan: &'a str,
    /// Where Stripe sends the person once paid.
    pub success_url: &'a str,
    /// Where Stripe sends the person who turns back.
    pub cancel_url: &'a str,
}

fn id_of(answer: &Value) -> Result<String, StripeError> {
    answer["id"]
        .as_str()
        .map(str::to_string)
        .ok_or(StripeError::Refused(200, "an answer without an id".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_error_is_told_in_the_person_s_words() {
        let reason = |v: Value| card_reason(&v);
        assert_eq!(
            reason(serde_json::json!({"code": "card_declined", "decline_code": "insufficient_funds"})),
            Msg::CardInsufficientFunds
        );
        assert_eq!(
            reason(serde_json::json!({"code": "card_declined", "decline_code": "generic_decline"})),
            Msg::CardDeclined
        );
        assert_eq!(reason(serde_json::json!({"code": "expired_card"})), Msg::CardExpired);
        assert_eq!(reason(serde_json::json!({})), Msg::CardDeclined);
    }

    #[test]
    fn its_settings_are_checked_and_its_secrets_never_printed() {
        let vars = |extra: &[(&'static str, &'static str)]| {
            let mut m: std::collections::HashMap<&str, &str> = [
                ("VINANO_STRIPE_SECRET_KEY", "sk_test_abc"),
                ("VINANO_STRIPE_WEBHOOK_SECRET", "whsec_def"),
                ("VINANO_STRIPE_PRICE_PRO", "price_pro"),
                ("VINANO_STRIPE_PRICE_STUDIO", "price_studio"),
            ]
            .into_iter()
            .collect();
            m.extend(extra.iter().copied());
            move |k: &str| m.get(k).filter(|v| !v.is_empty()).map(|v| v.to_string())
        };
        let c = StripeConfig::from_lookup(&vars(&[])).unwrap();
        assert_eq!(c.api_base, "https://api.stripe.com");
        assert_eq!(
            (c.price("studio"), c.plan_of("price_pro"), c.plan_of("price_x")),
            (Some("price_studio"), Some("pro"), None)
        );
        let shown = format!("{c:?}");
        assert!(!shown.contains("sk_test_abc") && !shown.contains("whsec_def"), "{shown}");
        assert!(StripeConfig::from_lookup(&vars(&[("VINANO_STRIPE_SECRET_KEY", "")])).is_err());
        assert!(StripeConfig::from_lookup(&vars(&[("VINANO_STRIPE_PRICE_PRO", "pro")])).is_err());
    }
}

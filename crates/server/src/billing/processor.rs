//! The billing processor: who takes the money. Two implement [`BillingProcessor`], chosen by
//! `VINANO_BILLING_PROCESSOR`:
//! - `local` (the default, offline): ViNano's own test-mode checkout page and cards on file, test card
//!   numbers only, nothing charged (`checkout.rs`, `cards.rs`, `dunning.rs`);
//! - `stripe`: Stripe's Checkout, Customer Portal and subscriptions (`stripe.rs`), its events applied by
//!   `stripe_events.rs`.
//!
//! Either way the credit ledger and the subscription row here are what the product reads; a processor
//! only changes them through the same ledger functions.

use super::change::{self, Payment};
use super::stripe::{self, Stripe};
use super::{checkout, dunning, ledger, PLAN_IDS};
use crate::error::Error;
use crate::{ids, AppState};
use std::future::Future;
use vinano_api::{CheckoutInfo, CheckoutState, Msg, PlanChange, Problem};

/// What every processor does.
pub trait BillingProcessor {
    /// Its name as the person sees it (the request tracker names it).
    fn name(&self) -> &'static str;

    /// The secret its events are signed with.
    fn webhook_secret(&self, state: &AppState) -> Vec<u8>;

    /// Whether cards are typed into ViNano (`true`) or kept on the processor's own pages.
    fn cards_here(&self) -> bool;

    /// Opens a checkout for a paid `plan`; the same `key` gives the same checkout.
    fn checkout(
        &self,
        state: &AppState,
        user_id: &str,
        plan: &str,
        key: Option<&str>,
    ) -> impl Future<Output = Result<CheckoutInfo, Error>> + Send;

    /// The processor's page for the person's cards and billing details (404 for the local processor,
    /// whose cards are ViNano's own page).
    fn portal(&self, state: &AppState, user_id: &str) -> impl Future<Output = Result<String, Error>> + Send;

    /// What changing to `plan` would do, before it is confirmed.
    fn preview_change(
        &self,
        state: &AppState,
        user_id: &str,
        plan: &str,
    ) -> impl Future<Output = Result<PlanChange, Error>> + Send;

    /// Changes to `plan` (up at once and charged, down at the period's end, the same kept).
    fn change_plan(
        &self,
        state: &AppState,
        user_id: &str,
        plan: &str,
        key: Option<&str>,
    ) -> impl Future<Output = Result<PlanChange, Error>> + Send;

    /// Ends the paid plan at the end of its period (`cancel`), or keeps it renewing.
    fn set_cancel(
        &self,
        state: &AppState,
        user_id: &str,
        cancel: bool,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Pays the past-due renewal now (`false`: nothing is due).
    fn pay_now(&self, state: &AppState, user_id: &str) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Whether the processor holds a customer record of the person's.
    fn has_customer(
        &self,
        state: &AppState,
        user_id: &str,
    ) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Deletes the person's customer record at the processor (an account being purged).
    fn forget_customer(
        &self,
        state: &AppState,
        user_id: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The configured processor.
#[derive(Debug, Clone)]
pub enum Processor {
    /// ViNano's test mode.
    Local,
    /// Stripe.
    Stripe(Stripe),
}

impl Processor {
    /// The processor `settings` choose.
    pub fn new(settings: &super::Settings) -> Self {
        match &settings.stripe {
            Some(config) => Processor::Stripe(Stripe::new(config.clone())),
            None => Processor::Local,
        }
    }
}

/// The person's ids at the processor: customer, subscription, its item.
async fn processor_ids(
    state: &AppState,
    user_id: &str,
) -> Result<(Option<String>, Option<String>, Option<String>), Error> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT processor_customer, processor_subscription, processor_item FROM subscriptions WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&state.db)
    .await?;
    Ok(row.unwrap_or_default())
}

/// The current period, moved on first.
async fn period(state: &AppState, user_id: &str) -> Result<ledger::Period, Error> {
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let period = ledger::current(&mut tx, &state.config, user_id, state.clock.now_ms()).await?;
    tx.commit().await?;
    Ok(period)
}

/// Applies a change locally (the processor, if any, has made it already).
async fn change_here(
    state: &AppState,
    user_id: &str,
    (plan, payment): (&str, Payment),
    key: Option<&str>,
) -> Result<PlanChange, Error> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let quote = change::apply(&mut tx, &state.config, user_id, (plan, payment), key, now).await?;
    let period = ledger::current(&mut tx, &state.config, user_id, now).await?;
    tx.commit().await?;
    Ok(change::shown(&state.config, &quote, &period, now))
}

impl BillingProcessor for Processor {
    fn name(&self) -> &'static str {
        match self {
            Processor::Local => "ViNano test mode",
            Processor::Stripe(_) => "Stripe",
        }
    }

    fn webhook_secret(&self, state: &AppState) -> Vec<u8> {
        match self {
            Processor::Local => checkout::local_secret(state).to_vec(),
            Processor::Stripe(s) => s.config().webhook_secret.as_bytes().to_vec(),
        }
    }

    fn cards_here(&self) -> bool {
        matches!(self, Processor::Local)
    }

    async fn checkout(
        &self,
        state: &AppState,
        user_id: &str,
        plan: &str,
        key: Option<&str>,
    ) -> Result<CheckoutInfo, Error> {
        let Processor::Stripe(stripe) = self else {
            let id = checkout::create(state, user_id, plan, key).await?;
            return checkout::show(state, user_id, &id).await;
        };
        if plan == PLAN_IDS[0] || stripe.config().price(plan).is_none() {
            return Err(Error::Field("plan", Problem::new(Msg::PlanUnknown).text("plan", plan.to_string())));
        }
        let current = period(state, user_id).await?;
        if current.plan == plan {
            return Err(Error::Conflict(Msg::PlanCurrent.into()));
        }
        let (customer, subscription, _) = processor_ids(state, user_id).await?;
        if subscription.is_some() && current.plan != PLAN_IDS[0] {
            return Err(Error::Conflict(Msg::PlanChangeInstead.into()));
        }
        let customer = match customer {
            Some(c) => c,
            None => {
                let (email, name): (String, String) =
                    sqlx::query_as("SELECT email, name FROM users WHERE id = $1")
                        .bind(user_id)
                        .fetch_one(&state.db)
                        .await?;
                let id = stripe.create_customer(user_id, &email, &name).await?;
                sqlx::query("UPDATE subscriptions SET processor_customer = $1 WHERE user_id = $2")
                    .bind(&id)
                    .bind(user_id)
                    .execute(&state.db)
                    .await?;
                id
            }
        };
        let site = state.config.site_url();
        let order = stripe::Order {
            user_id,
            customer: &customer,
            plan,
            success_url: &format!("{site}/me?checkout=done#subscription"),
            cancel_url: &format!("{site}/me#subscription"),
        };
        // The same key from the person gives the same session at Stripe (it answers a repeat with the first
        // answer), and the row below is written once.
        let stripe_key = match key {
            Some(k) => format!("checkout-{user_id}-{k}"),
            None => format!("checkout-{}", ids::random_hex(12)),
        };
        let (id, url) = stripe.checkout_session(&order, &stripe_key).await?;
        let now = state.clock.now_ms();
        sqlx::query(
            "INSERT INTO checkout_sessions (id, user_id, plan, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(user_id)
        .bind(plan)
        .bind(now)
        .bind(now + checkout::SESSION_MS)
        .execute(&state.db)
        .await?;
        let billing = &state.config.billing;
        Ok(CheckoutInfo {
            id,
            plan: billing.info(billing.plan(plan), state.config.max_pixels),
            state: CheckoutState::Open,
            test_mode: false,
            url: Some(url),
        })
    }

    async fn portal(&self, state: &AppState, user_id: &str) -> Result<String, Error> {
        let Processor::Stripe(stripe) = self else { return Err(Error::NotFound) };
        let (Some(customer), ..) = processor_ids(state, user_id).await? else {
            return Err(Error::Conflict(Msg::BillingPortalNone.into()));
        };
        let back = format!("{}/me#subscription", state.config.site_url());
        Ok(stripe.portal(&customer, &back, &format!("portal-{}", ids::random_hex(12))).await?)
    }

    async fn preview_change(&self, state: &AppState, user_id: &str, plan: &str) -> Result<PlanChange, Error> {
        let now = state.clock.now_ms();
        let current = period(state, user_id).await?;
        let mut quote = change::quote(&state.config, &current, plan, now)?;
        if let (Processor::Stripe(stripe), "now") = (self, quote.when) {
            // What Stripe will charge is what is shown: its proration, to the second.
            let (customer, subscription, item) = subscription_ids(stripe, state, user_id).await?;
            let ids = stripe::Ids { customer: &customer, subscription: &subscription, item: &item };
            let price = stripe.config().price(quote.to).ok_or(Error::NotFound)?;
            quote.amount_cents = stripe.preview_change(&ids, price, now / 1000).await?;
        }
        Ok(change::shown(&state.config, &quote, &current, now))
    }

    async fn change_plan(
        &self,
        state: &AppState,
        user_id: &str,
        plan: &str,
        key: Option<&str>,
    ) -> Result<PlanChange, Error> {
        let Processor::Stripe(stripe) = self else {
            return change_here(state, user_id, (plan, Payment::DefaultCard), key).await;
        };
        let now = state.clock.now_ms();
        let current = period(state, user_id).await?;
        let quote = change::quote(&state.config, &current, plan, now)?;
        let (_, subscription, item) = subscription_ids(stripe, state, user_id).await?;
        // Kept: the price goes back to the plan's own (a scheduled lower one is dropped).
        let price = stripe.config().price(quote.to).ok_or(Error::NotFound)?;
        let at = (now / 1000).to_string();
        let mut fields = stripe::form([("items[0][id]", item.as_str()), ("items[0][price]", price)]);
        match quote.when {
            "now" => fields.extend(stripe::form([
                ("proration_behavior", "always_invoice"),
                ("proration_date", &at),
                ("payment_behavior", "error_if_incomplete"),
            ])),
            _ => fields.extend(stripe::form([("proration_behavior", "none")])),
        }
        if quote.when == "keep" {
            fields.extend(stripe::form([("cancel_at_period_end", "false")]));
        }
        let stripe_key = match key {
            Some(k) => format!("change-{user_id}-{k}"),
            None => format!("change-{}", ids::random_hex(12)),
        };
        stripe.update_subscription(&subscription, &fields, &stripe_key).await?;
        change_here(state, user_id, (plan, Payment::Processor), key).await
    }

    async fn set_cancel(&self, state: &AppState, user_id: &str, cancel: bool) -> Result<(), Error> {
        let now = state.clock.now_ms();
        if let Processor::Stripe(stripe) = self {
            let current = period(state, user_id).await?;
            if current.plan == PLAN_IDS[0] {
                return Err(Error::Conflict(Msg::PlanFreeNoCancel.into()));
            }
            let (_, subscription, item) = subscription_ids(stripe, state, user_id).await?;
            let flag = if cancel { "true" } else { "false" };
            let mut fields = stripe::form([("cancel_at_period_end", flag)]);
            if !cancel {
                // Resuming also drops a scheduled lower plan, as it does here.
                let price = stripe.config().price(&current.plan).ok_or(Error::NotFound)?;
                fields.extend(stripe::form([
                    ("items[0][id]", item.as_str()),
                    ("items[0][price]", price),
                    ("proration_behavior", "none"),
                ]));
            }
            let key = format!("cancel-{flag}-{}", ids::random_hex(12));
            stripe.update_subscription(&subscription, &fields, &key).await?;
        }
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        ledger::set_cancel(&mut tx, &state.config, user_id, now, cancel).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pay_now(&self, state: &AppState, user_id: &str) -> Result<bool, Error> {
        let now = state.clock.now_ms();
        let Processor::Stripe(stripe) = self else {
            let mut tx = crate::storage::db::write_tx(&state.db).await?;
            let paid = dunning::retry(&mut tx, &state.config, user_id, now, dunning::Trigger::Person).await?;
            crate::mail::commit_and_send(state, tx).await?;
            return Ok(paid);
        };
        let open: Option<String> = sqlx::query_scalar(
            "SELECT processor_invoice FROM invoices
             WHERE user_id = $1 AND status = 'open' AND processor_invoice IS NOT NULL
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(&state.db)
        .await?;
        let Some(invoice) = open else { return Ok(false) };
        // A new key each time: after a refusal the person may have changed their card in the portal.
        let paid = stripe.pay_invoice(&invoice, &format!("pay-{invoice}-{}", ids::random_hex(8))).await?;
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        let config = &state.config;
        let stripe_config = stripe.config();
        super::stripe_events::invoice_paid(&mut tx, (config, stripe_config), &paid, now).await?;
        crate::mail::commit_and_send(state, tx).await?;
        Ok(true)
    }

    async fn has_customer(&self, state: &AppState, user_id: &str) -> Result<bool, Error> {
        Ok(match self {
            Processor::Stripe(_) => processor_ids(state, user_id).await?.0.is_some(),
            Processor::Local => !super::cards::list(&state.db, user_id).await?.is_empty(),
        })
    }

    async fn forget_customer(&self, state: &AppState, user_id: &str) -> Result<(), Error> {
        // The local processor's customer record is its cards on file: the purge's walk deletes them.
        if let Processor::Stripe(stripe) = self {
            if let (Some(customer), ..) = processor_ids(state, user_id).await? {
                stripe.delete_customer(&customer).await?;
                tracing::info!(event = "processor_customer_deleted", user = %user_id, "Stripe customer deleted");
            }
        }
        Ok(())
    }
}

/// The person's customer, subscription and item at Stripe (409 when they have no subscription there);
/// an item not yet known from an event is asked for.
async fn subscription_ids(
    stripe: &Stripe,
    state: &AppState,
    user_id: &str,
) -> Result<(String, String, String), Error> {
    let (Some(customer), Some(subscription), item) = processor_ids(state, user_id).await? else {
        return Err(Error::Conflict(Msg::PlanChangeFromFree.into()));
    };
    let item = match item {
        Some(item) => item,
        None => {
            let path = format!("/v1/subscriptions/{subscription}");
            let answer = stripe.call(reqwest::Method::GET, &path, &Vec::new(), "").await?;
            let item = answer
                .pointer("/items/data/0/id")
                .and_then(serde_json::Value::as_str)
                .ok_or(Error::Unavailable(Msg::BillingUnavailable.into()))?
                .to_string();
            sqlx::query("UPDATE subscriptions SET processor_item = $1 WHERE user_id = $2")
                .bind(&item)
                .bind(user_id)
                .execute(&state.db)
                .await?;
            item
        }
    };
    Ok((customer, subscription, item))
}

//! Plans and credits: the plans on offer (Free, Pro, Studio — configuration, not code), what each job
//! costs, and the credit ledger that is the only source of a balance (`ledger.rs`).
//!
//! Every account is on a plan for a period (a month from the day it started). Each period begins with a
//! grant of the plan's credits and ends by expiring what is left. Sending an edit reserves its cost in the
//! same transaction that queues it, or is refused with 402 when the balance can't cover it; the job's end
//! settles the reservation (it succeeded) or refunds it (it failed or was cancelled) — in the database, by a
//! trigger on the job's state (migration 0021), so no code path that ends a job can forget it.

pub mod cards;
pub mod change;
pub mod checkout;
pub mod dunning;
pub mod invoices;
pub mod ledger;
pub mod processor;
pub mod stripe;
pub mod stripe_events;
pub mod webhook;

use crate::jobs::JobRequest;
use vinano_api::{Costs, JobKind, PlanInfo};

/// Every billing setting, by its environment name (`[plan.pro]` → `VINANO_PLAN_PRO_*`, `[cost]` →
/// `VINANO_COST_*`).
pub const SETTINGS: &[&str] = &[
    "VINANO_CURRENCY",
    "VINANO_PLAN_FREE_NAME",
    "VINANO_PLAN_FREE_CREDITS",
    "VINANO_PLAN_FREE_MAX_MEGAPIXELS",
    "VINANO_PLAN_PRO_NAME",
    "VINANO_PLAN_PRO_CREDITS",
    "VINANO_PLAN_PRO_PRICE_CENTS",
    "VINANO_PLAN_PRO_MAX_MEGAPIXELS",
    "VINANO_PLAN_STUDIO_NAME",
    "VINANO_PLAN_STUDIO_CREDITS",
    "VINANO_PLAN_STUDIO_PRICE_CENTS",
    "VINANO_PLAN_STUDIO_MAX_MEGAPIXELS",
    "VINANO_COST_EDIT",
    "VINANO_COST_CLIP",
    "VINANO_COST_PROVIDER_IMAGE",
    "VINANO_COST_VIDEO",
    "VINANO_COST_PLANNER",
    "VINANO_BILLING_PROCESSOR",
    "VINANO_STRIPE_API_BASE",
    "VINANO_STRIPE_SECRET_KEY",
    "VINANO_STRIPE_WEBHOOK_SECRET",
    "VINANO_STRIPE_PRICE_PRO",
    "VINANO_STRIPE_PRICE_STUDIO",
];

/// The plans' ids, lowest first; each period of a plan grants its credits.
pub const PLAN_IDS: [&str; 3] = ["free", "pro", "studio"];

/// One plan as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `free`, `pro` or `studio`.
    pub id: &'static str,
    /// Its name as shown.
    pub name: String,
    /// A month's price in the currency's smallest unit.
    pub price_cents: u64,
    /// Credits granted each period.
    pub credits: u64,
    /// The largest image its edits may make, in megapixels (0: the server's limit).
    pub max_megapixels: u64,
}

/// The plans and prices in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Free, Pro, Studio (in [`PLAN_IDS`] order).
    pub plans: [Plan; 3],
    /// The currency of the prices (ISO 4217, lower case).
    pub currency: String,
    /// What each kind of job costs.
    pub costs: Costs,
    /// Stripe, when it is the processor (`VINANO_BILLING_PROCESSOR=stripe`); otherwise the local test-mode
    /// processor.
    pub stripe: Option<stripe::StripeConfig>,
}

impl Default for Settings {
    fn default() -> Self {
        let plan = |id, name: &str, price_cents, credits| Plan {
            id,
            name: name.to_string(),
            price_cents,
            credits,
            max_megapixels: 0,
        };
        Self {
            plans: [
                plan("free", "Free", 0, 300),
                plan("pro", "Pro", 1_200, 3_000),
                plan("studio", "Studio", 3_600, 12_000),
            ],
            currency: "usd".into(),
            costs: Costs::default(),
            stripe: None,
        }
    }
}

impl Settings {
    /// Reads `VINANO_CURRENCY`, `VINANO_PLAN_*` and `VINANO_COST_*` over the defaults.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut s = Self::default();
        let number = |name: &str| -> anyhow::Result<Option<u64>> {
            var(name)
                .map(|v| {
                    v.trim().parse::<u64>().map_err(|_| anyhow::anyhow!("{name} must be a whole number"))
                })
                .transpose()
        };
        if let Some(v) = var("VINANO_CURRENCY") {
            let code = v.trim().to_ascii_lowercase();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
                anyhow::bail!("VINANO_CURRENCY must be a three-letter code such as usd or eur");
            }
            s.currency = code;
        }
        for plan in &mut s.plans {
            let key = |field: &str| format!("VINANO_PLAN_{}_{field}", plan.id.to_ascii_uppercase());
            if let Some(name) = var(&key("NAME")) {
                let name = name.trim();
                if name.is_empty() || name.chars().count() > 40 {
                    anyhow::bail!("{} must be 1 to 40 characters", key("NAME"));
                }
                plan.name = name.to_string();
            }
            if let Some(n) = number(&key("CREDITS"))? {
                plan.credits = n;
            }
            if let Some(n) = number(&key("MAX_MEGAPIXELS"))? {
                plan.max_megapixels = n.min(crate::config::MAX_MEGAPIXELS);
            }
            if plan.id != "free" {
                if let Some(n) = number(&key("PRICE_CENTS"))? {
                    plan.price_cents = n;
                }
            }
        }
        for (name, field) in [
            ("VINANO_COST_EDIT", &mut s.costs.edit),
            ("VINANO_COST_CLIP", &mut s.costs.clip),
            ("VINANO_COST_PROVIDER_IMAGE", &mut s.costs.provider_image),
            ("VINANO_COST_VIDEO", &mut s.costs.video),
            ("VINANO_COST_PLANNER", &mut s.costs.planner),
        ] {
            if let Some(n) = number(name)? {
                *field = n;
            }
        }
        s.stripe = match var("VINANO_BILLING_PROCESSOR").as_deref().map(str::trim) {
            None | Some("local") => None,
            Some("stripe") => Some(stripe::StripeConfig::from_lookup(var)?),
            Some(other) => anyhow::bail!("VINANO_BILLING_PROCESSOR={other}: use local or stripe"),
        };
        Ok(s)
    }

    /// The plan with this id; an id no longer offered is Free.
    pub fn plan(&self, id: &str) -> &Plan {
        self.plans.iter().find(|p| p.id == id).unwrap_or(&self.plans[0])
    }

    /// A plan as the API sends it, with the pixel limit in force (`server_max_pixels` when the plan sets
    /// none or a larger one).
    pub fn info(&self, plan: &Plan, server_max_pixels: u64) -> PlanInfo {
        let server_mp = vinano_engine::megapixels(server_max_pixels);
        let max_megapixels = match plan.max_megapixels {
            0 => server_mp,
            mp => mp.min(server_mp),
        };
        let priority = PLAN_IDS.iter().position(|id| *id == plan.id).unwrap_or(0) as u8;
        PlanInfo {
            id: plan.id.to_string(),
            name: plan.name.clone(),
            price_cents: plan.price_cents,
            currency: self.currency.clone(),
            credits: plan.credits,
            max_megapixels,
            priority,
        }
    }
}

/// The largest image `user_id`'s plan lets an edit make, in pixels (the server's limit at most).
pub async fn max_pixels(state: &crate::AppState, user_id: &str) -> Result<u64, crate::error::Error> {
    let plan: Option<String> = sqlx::query_scalar("SELECT plan FROM subscriptions WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&state.db)
        .await?;
    let plan = state.config.billing.plan(plan.as_deref().unwrap_or("free"));
    Ok(match plan.max_megapixels {
        0 => state.config.max_pixels,
        mp => state.config.max_pixels.min(mp.saturating_mul(1_000_000)),
    })
}

/// The credits a job costs: its kind's price for its peak in pixels, once for every variant it makes.
pub fn price(costs: &Costs, request: &JobRequest, peak_pixels: u64) -> u64 {
    costs.of(kind(request), peak_pixels).saturating_mul(u64::from(request.variants.max(1)))
}

/// The kind of a queued job, which decides its price.
pub fn kind(request: &JobRequest) -> JobKind {
    if request.video_prompt.is_some() {
        JobKind::Video
    } else if request.prompt.is_some() {
        JobKind::ProviderImage
    } else if request.planner_prompt.is_some() {
        JobKind::Planned
    } else if request.plan.video().is_some() {
        JobKind::Clip
    } else {
        JobKind::Edit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(&|k: &str| map.get(k).cloned())
    }

    #[test]
    fn plans_and_prices_come_from_the_configuration() {
        let s = settings(&[
            ("VINANO_PLAN_PRO_CREDITS", "500"),
            ("VINANO_PLAN_PRO_PRICE_CENTS", "990"),
            ("VINANO_PLAN_STUDIO_NAME", "Team"),
            ("VINANO_PLAN_FREE_MAX_MEGAPIXELS", "12"),
            ("VINANO_CURRENCY", "EUR"),
            ("VINANO_COST_VIDEO", "25"),
        ])
        .unwrap();
        assert_eq!((s.plans[1].credits, s.plans[1].price_cents), (500, 990));
        assert_eq!(s.plans[2].name, "Team");
        assert_eq!(s.currency, "eur");
        assert_eq!(s.costs.video, 25);
        assert_eq!(s.info(s.plan("free"), 40_000_000).max_megapixels, 12);
        assert_eq!(s.info(s.plan("pro"), 40_000_000).max_megapixels, 40, "0 is the server's limit");
        assert_eq!(s.plan("gone").id, "free", "a plan no longer offered is Free");
        assert_eq!(s.info(s.plan("studio"), 40_000_000).priority, 2);
        for bad in [
            ("VINANO_PLAN_PRO_CREDITS", "-1"),
            ("VINANO_CURRENCY", "dollars"),
            ("VINANO_PLAN_PRO_NAME", " "),
            ("VINANO_COST_EDIT", "one"),
        ] {
            assert!(settings(&[bad]).is_err(), "{bad:?} is refused");
        }
    }
}

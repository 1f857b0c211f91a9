//! Plans and credits: what each plan gives, what each kind of job costs, and what a person has left.

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// One megapixel-budget step of a local edit: an edit costs [`Costs::edit`] for each started one.
pub const EDIT_STEP_PIXELS: u64 = 4_000_000;

/// What each kind of job costs, in credits (the server's configuration, `[cost]` in `vinano.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Costs {
    /// A local edit, for each started 4 megapixels its plan holds at once (so at least this).
    pub edit: u64,
    /// A short clip made by the local engine.
    pub clip: u64,
    /// An image made or edited by a model provider.
    pub provider_image: u64,
    /// A clip made by a video model.
    pub video: u64,
    /// Asking the language-model planner, on top of the edit it plans.
    pub planner: u64,
}

impl Default for Costs {
    fn default() -> Self {
        Self { edit: 1, clip: 5, provider_image: 10, video: 40, planner: 1 }
    }
}

/// The kinds of job that cost differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// An edit (or a poster) by the local engine.
    Edit,
    /// A clip by the local engine.
    Clip,
    /// An image by a model provider.
    ProviderImage,
    /// A clip by a video model.
    Video,
    /// An instruction the language-model planner plans, then the local engine runs.
    Planned,
}

impl Costs {
    /// The credits a job of `kind` costs when its plan holds at most `peak_pixels` at once.
    pub fn of(&self, kind: JobKind, peak_pixels: u64) -> u64 {
        let edit = self.edit.saturating_mul(peak_pixels.div_ceil(EDIT_STEP_PIXELS).max(1));
        match kind {
            JobKind::Edit => edit,
            JobKind::Clip => self.clip,
            JobKind::ProviderImage => self.provider_image,
            JobKind::Video => self.video,
            JobKind::Planned => edit.saturating_add(self.planner),
        }
    }
}

/// A plan people can be on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanInfo {
    /// `free`, `pro` or `studio`.
    pub id: String,
    /// Its name as shown (the operator's words).
    pub name: String,
    /// The price of a month, in the currency's smallest unit (cents); 0 for Free.
    pub price_cents: u64,
    /// ISO 4217 code, lower case (`usd`, `eur`, `twd`).
    pub currency: String,
    /// Credits given at the start of every period (unused ones end with it).
    pub credits: u64,
    /// The largest image its edits may make, in megapixels.
    pub max_megapixels: u64,
    /// Its jobs go ahead of lower plans' in the queue (higher first; Free is 0).
    pub priority: u8,
}

/// The plans on offer and what jobs cost (`GET /api/v1/billing/plans`, no session needed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plans {
    /// Free first, then by price.
    pub plans: Vec<PlanInfo>,
    /// What each kind of job costs.
    pub costs: Costs,
}

/// What this server answers with, which decides a job's kind before it is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Engines {
    /// Instructions go to a model provider as written.
    pub provider: bool,
    /// Instructions the rules don't understand go to a language-model planner.
    pub planner: bool,
    /// Clips are made by a video model.
    pub video: bool,
    /// The background can be removed, replaced and blurred (the segmentation model is installed).
    #[serde(default)]
    pub background: bool,
    /// ID photos can be made (the face detection model is installed too).
    #[serde(default)]
    pub faces: bool,
    /// Results carry signed Content Credentials (a C2PA manifest) besides the IPTC mark.
    #[serde(default)]
    pub credentials: bool,
}

/// A person's plan and credits (`GET /api/v1/me/credits`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credits {
    /// The plan they are on.
    pub plan: PlanInfo,
    /// `active`, `past_due` or `cancelled`.
    pub status: String,
    /// Credits left to spend now (what is reserved by waiting edits is already taken off).
    pub balance: i64,
    /// Credits spent or reserved in this period (refunds taken off).
    pub used: u64,
    /// When this period began.
    pub period_start: Timestamp,
    /// When it ends: unused credits end, the next period's are given.
    pub period_end: Timestamp,
    /// The plan ends at the end of this period.
    pub cancel_at_period_end: bool,
    /// A lower plan that takes over when the period ends.
    #[serde(default)]
    pub next_plan: Option<PlanInfo>,
    /// While past due: when the unpaid renewal is tried again.
    #[serde(default)]
    pub retry_at: Option<Timestamp>,
    /// What jobs cost.
    pub costs: Costs,
    /// What this server answers with (a job's kind, so its cost, depends on it).
    pub engines: Engines,
    /// Cards are kept and changed on the payment processor's own pages (Stripe's customer portal,
    /// `POST /api/v1/me/billing-portal`) rather than in ViNano.
    #[serde(default)]
    pub cards_at_processor: bool,
}

/// A page of the payment processor's to send the person to (`POST /api/v1/me/billing-portal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorPage {
    /// Its address (valid for a few minutes, for this person only).
    pub url: String,
}

/// Opening a checkout for a plan (`POST /api/v1/billing/checkout`, with an `Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutRequest {
    /// `pro` or `studio`.
    pub plan: String,
}

/// Where a checkout stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckoutState {
    /// Waiting for a card.
    Open,
    /// The card asked for an extra confirmation step.
    Confirming,
    /// Paid: the plan has started.
    Complete,
    /// Not paid in time.
    Expired,
}

/// A checkout session as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutInfo {
    /// Its id (the page is `/billing/checkout/{id}`).
    pub id: String,
    /// The plan being bought.
    pub plan: PlanInfo,
    /// Where it stands.
    pub state: CheckoutState,
    /// The local test-mode processor: only test cards, nothing is charged.
    pub test_mode: bool,
    /// The payment processor's own checkout page to send the person to (Stripe); absent, the checkout is
    /// ViNano's page `/billing/checkout/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A card typed on the checkout page. Only its brand, last four digits and expiry are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardDetails {
    /// The card number (spaces and dashes allowed).
    pub number: String,
    /// Expiry month, 1–12.
    pub exp_month: u32,
    /// Expiry year (2030, or 30).
    pub exp_year: i32,
    /// The 3 or 4 digit security code.
    pub cvc: String,
    /// The name on the card.
    #[serde(default)]
    pub name: String,
}

/// The answer to the extra confirmation step of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmPayment {
    /// Confirmed (true) or refused (false).
    pub approve: bool,
}

/// A paid period (`GET /api/v1/me/invoices`; its printable page is `GET /api/v1/me/invoices/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    /// Its number.
    pub id: String,
    /// The plan's name.
    pub plan: String,
    /// In the currency's smallest unit.
    pub amount_cents: u64,
    /// ISO 4217, lower case.
    pub currency: String,
    /// `paid`, `open` or `void`.
    pub status: String,
    /// The period it pays for.
    pub period_start: Timestamp,
    /// The period's end.
    pub period_end: Timestamp,
    /// How it was paid (`visa 4242`).
    pub paid_with: Option<String>,
    /// When it was made (for a paid one: when it was paid).
    pub created_at: Timestamp,
    /// What it is for when it isn't the plan's period ("Upgrade from Pro to Studio, prorated for 10 of 30
    /// days"); empty for a period.
    #[serde(default)]
    pub description: String,
}

/// A card kept on file: only what the processor lets anyone keep (`GET /api/v1/me/payment-methods`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMethod {
    /// Its id.
    pub id: String,
    /// `visa`, `mastercard`, `amex` or `card`.
    pub brand: String,
    /// The number's last four digits.
    pub last4: String,
    /// Expiry month (1–12).
    pub exp_month: u32,
    /// Expiry year (four digits).
    pub exp_year: i32,
    /// Renewals and upgrades charge this one.
    pub is_default: bool,
}

/// What changing to another paid plan does, shown before confirming (`GET
/// /api/v1/me/subscription/change?plan=…`) and answered after (`POST /api/v1/me/subscription/change`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChange {
    /// The plan now.
    pub from: PlanInfo,
    /// The plan chosen.
    pub to: PlanInfo,
    /// `now` (an upgrade), `period_end` (a downgrade, when the paid period ends) or `keep` (the plan
    /// stays; a scheduled change is dropped).
    pub when: String,
    /// Charged now to the default card, in the currency's smallest unit.
    pub amount_cents: u64,
    /// ISO 4217, lower case.
    pub currency: String,
    /// Credits added now.
    pub credits: u64,
    /// Days left in the period (a part day counts).
    pub days_left: u64,
    /// Days in the period.
    pub days_in_period: u64,
    /// When it takes effect.
    pub effective_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_costs_one_credit_per_started_four_megapixels_and_other_kinds_a_flat_price() {
        let c = Costs::default();
        assert_eq!(c.of(JobKind::Edit, 0), 1, "a poster: no input, still one step");
        assert_eq!(c.of(JobKind::Edit, 2_000_000), 1);
        assert_eq!(c.of(JobKind::Edit, 4_000_000), 1);
        assert_eq!(c.of(JobKind::Edit, 4_000_001), 2);
        assert_eq!(c.of(JobKind::Edit, 24_000_000), 6);
        assert_eq!(c.of(JobKind::Planned, 2_000_000), 2);
        assert_eq!(c.of(JobKind::Clip, 90_000_000), 5);
        assert_eq!(c.of(JobKind::ProviderImage, 1), 10);
        assert_eq!(c.of(JobKind::Video, 1), 40);
        let doubled = Costs { edit: 2, ..c };
        assert_eq!(doubled.of(JobKind::Edit, 8_000_000), 4);
        assert_eq!(Costs { edit: u64::MAX, ..c }.of(JobKind::Edit, u64::MAX), u64::MAX, "no overflow");
    }
}

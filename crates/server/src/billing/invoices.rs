//! Invoices: one for each paid period (a checkout, a renewal), listed in Me → Subscription and shown as a
//! printable page.

use super::{Plan, Settings};
use crate::error::Error;
use crate::rights::export::page::esc;
use sqlx::AnyConnection;
use vinano_api::Invoice;

/// An invoice to record.
#[derive(Debug, Clone)]
pub struct Bill<'a> {
    /// The plan it is for.
    pub plan: &'a Plan,
    /// What it asks for, in the currency's smallest unit.
    pub amount_cents: u64,
    /// The period it covers (ms).
    pub period: (i64, i64),
    /// The card that paid it (`visa 4242`); none: not paid (yet).
    pub paid_with: Option<&'a str>,
    /// What it is for when not the plan's period ("Upgrade from Pro to Studio, prorated …").
    pub description: &'a str,
    /// The request's `Idempotency-Key`, when one made it.
    pub key: Option<&'a str>,
}

/// Records an invoice — paid, or open when nothing paid it — and returns its number.
pub async fn record(
    tx: &mut AnyConnection,
    settings: &Settings,
    user_id: &str,
    bill: &Bill<'_>,
    now: i64,
) -> Result<String, Error> {
    let id = crate::ids::new_id();
    sqlx::query(
        "INSERT INTO invoices (id, user_id, plan, amount_cents, currency, status, period_start, period_end,
                               paid_with, created_at, description, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(bill.plan.id)
    .bind(bill.amount_cents.min(i64::MAX as u64) as i64)
    .bind(&settings.currency)
    .bind(if bill.paid_with.is_some() { "paid" } else { "open" })
    .bind(bill.period.0)
    .bind(bill.period.1)
    .bind(bill.paid_with)
    .bind(now)
    .bind(bill.description)
    .bind(bill.key)
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// Records the invoice of `plan`'s period `start`..`end` at its price: paid with `paid_with`, or open.
pub async fn insert(
    tx: &mut AnyConnection,
    settings: &Settings,
    user_id: &str,
    plan: &Plan,
    period: (i64, i64),
    paid_with: Option<&str>,
    now: i64,
) -> Result<String, Error> {
    let bill = Bill { plan, amount_cents: plan.price_cents, period, paid_with, description: "", key: None };
    record(tx, settings, user_id, &bill, now).await
}

/// An invoice row: id, plan, amount, currency, status, period start and end, paid with, made, description.
type Row = (String, String, i64, String, String, i64, i64, Option<String>, i64, String);

const COLUMNS: &str =
    "id, plan, amount_cents, currency, status, period_start, period_end, paid_with, created_at, description";

fn to_invoice(settings: &Settings, row: Row) -> Invoice {
    let (id, plan, amount_cents, currency, status, start, end, paid_with, created_at, description) = row;
    Invoice {
        id,
        plan: settings.plan(&plan).name.clone(),
        amount_cents: amount_cents.max(0) as u64,
        currency,
        status,
        period_start: crate::clock::timestamp(start),
        period_end: crate::clock::timestamp(end),
        paid_with: paid_with.filter(|p| !p.is_empty()),
        created_at: crate::clock::timestamp(created_at),
        description,
    }
}

/// The person's invoices, newest first.
pub async fn list(db: &sqlx::AnyPool, settings: &Settings, user_id: &str) -> Result<Vec<Invoice>, Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invoices WHERE user_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| to_invoice(settings, r)).collect())
}

/// One of the person's invoices (404 for anyone else's).
pub async fn one(db: &sqlx::AnyPool, settings: &Settings, user_id: &str, id: &str) -> Result<Invoice, Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM invoices WHERE id = $1 AND user_id = $2"))
            .bind(id)
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    row.map(|r| to_invoice(settings, r)).ok_or(Error::NotFound)
}

/// An amount as an invoice writes it: `USD 12.00`.
pub fn amount(cents: u64, currency: &str) -> String {
    format!("{} {}.{:02}", currency.to_ascii_uppercase(), cents / 100, cents % 100)
}

/// The printable invoice: a page of its own (its style from `/invoice.css`), every value escaped.
pub fn html(invoice: &Invoice, name: &str, email: &str) -> String {
    let total = amount(invoice.amount_cents, &invoice.currency);
    let period = format!("{} – {}", invoice.period_start.date(), invoice.period_end.date());
    let status = match invoice.status.as_str() {
        "paid" => {
            let with = invoice.paid_with.as_deref().map(|p| format!(" with {p}")).unwrap_or_default();
            format!("Paid{with} on {}.", invoice.created_at.date())
        }
        "void" => "Void: this invoice was not charged.".to_string(),
        _ => "Not paid yet.".to_string(),
    };
    let what = if invoice.description.is_empty() {
        format!("{} plan", invoice.plan)
    } else {
        invoice.description.clone()
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>ViNano invoice {id}</title>\
         <link rel=\"stylesheet\" href=\"/invoice.css\"></head><body><main class=\"invoice\">\
         <h1>Invoice</h1><p class=\"seller\">ViNano</p>\
         <dl><dt>Invoice number</dt><dd>{id}</dd><dt>Date</dt><dd>{date}</dd>\
         <dt>Billed to</dt><dd>{name}<br>{email}</dd></dl>\
         <table><thead><tr><th scope=\"col\">Description</th><th scope=\"col\">Period</th>\
         <th scope=\"col\" class=\"num\">Amount</th></tr></thead><tbody><tr><td>{what}</td><td>{period}</td>\
         <td class=\"num\">{total}</td></tr></tbody><tfoot><tr><th scope=\"row\" colspan=\"2\">Total</th>\
         <td class=\"num\">{total}</td></tr></tfoot></table>\
         <p class=\"status\">{status}</p></main></body></html>\n",
        id = esc(&invoice.id),
        date = esc(invoice.created_at.date()),
        name = esc(name),
        email = esc(email),
        what = esc(&what),
        period = esc(&period),
        total = esc(&total),
        status = esc(&status),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printable_invoice_says_what_was_paid_and_escapes_every_value() {
        let invoice = Invoice {
            id: "inv1".into(),
            plan: "Pro".into(),
            amount_cents: 1_205,
            currency: "usd".into(),
            status: "paid".into(),
            period_start: vinano_api::Timestamp("2026-12-01T10:00:00Z".into()),
            period_end: vinano_api::Timestamp("2027-01-01T10:00:00Z".into()),
            paid_with: Some("visa 4242".into()),
            created_at: vinano_api::Timestamp("2026-12-01T10:00:00Z".into()),
            description: String::new(),
        };
        let page = html(&invoice, "Ada <script>alert(1)</script>", "ada@example.com");
        assert!(page
            .contains("<td>Pro plan</td><td>2026-12-01 – 2027-01-01</td><td class=\"num\">USD 12.05</td>"));
        assert!(page.contains("Paid with visa 4242 on 2026-12-01."));
        assert!(page.contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script>"));
    }
}

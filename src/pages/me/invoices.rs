//! Me → Subscription → Billing history: each invoice (a period, an upgrade), its state, and its printable
//! page.

use super::subscription::money;
use crate::api;
use crate::components::time::use_clock;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The billing history: each invoice, newest first, with its printable page.
/// `tick`: read again when it changes (after a payment or a plan change).
#[component]
pub fn Invoices(tick: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let list = LocalResource::new(move || {
        tick.track();
        api::invoices()
    });
    move || {
        let invoices = list.get()?.ok()?;
        let rows = invoices
            .into_iter()
            .map(|invoice| {
                let status = match invoice.status.as_str() {
                    "paid" => i18n.t("sub-invoice-paid"),
                    "void" => i18n.t("sub-invoice-void"),
                    _ => i18n.t("sub-invoice-unpaid"),
                };
                let what = if invoice.description.is_empty() {
                    invoice.plan.clone()
                } else {
                    invoice.description.clone()
                };
                view! {
                    <tr>
                        <td>{clock.date(&invoice.created_at)}</td>
                        <td>{what}</td>
                        <td>{money(i18n, invoice.amount_cents, &invoice.currency)}</td>
                        <td>{status}</td>
                        <td>
                            <a href=api::invoice_url(&invoice.id) target="_blank" rel="noopener">
                                {i18n.tr("sub-invoice-open")}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        let body = if rows.is_empty() {
            view! { <p class="muted">{i18n.tr("sub-history-empty")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="ledger invoices">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr("sub-invoice-date")}</th>
                                <th scope="col">{i18n.tr("sub-invoice-for")}</th>
                                <th scope="col">{i18n.tr("sub-invoice-amount")}</th>
                                <th scope="col">{i18n.tr("sub-invoice-status")}</th>
                                <th scope="col">{i18n.tr("sub-invoice")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        Some(view! {
            <h3>{i18n.tr("sub-history")}</h3>
            {body}
        })
    }
}

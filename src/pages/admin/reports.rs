//! Admin → Invitations (make one: its link is shown once), Use and revenue by day, Moderation (decisions as
//! hashes and categories, evidence holds, whether the log's chain is intact) and the Audit log.

use crate::api;
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use crate::pages::me::money;
use leptos::prelude::*;
use vinano_api::InviteCreated;

/// A table that scrolls sideways on a narrow screen, with its column headings.
fn table(class: &'static str, heads: Vec<String>, rows: AnyView) -> AnyView {
    let heads = heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view();
    view! {
        <div class="table-scroll">
            <table class=format!("ledger {class}")>
                <thead><tr>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Invitations: make one, and the latest ones.
#[component]
pub fn Invites(acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let form = Submit::new();
    let made = RwSignal::new(None::<InviteCreated>);
    let list = LocalResource::new(move || {
        acted.track();
        api::admin_invites()
    });
    let make = move |_| {
        form.run(api::admin_invite(), move |invite| {
            made.set(Some(invite));
            acted.update(|n| *n += 1);
        });
    };
    let rows = move || {
        list.get().and_then(Result::ok).map(|invites| {
            if invites.is_empty() {
                return view! { <p class="muted">{i18n.tr("admin-invites-none")}</p> }.into_any();
            }
            let rows = invites
                .into_iter()
                .map(|invite| {
                    let state = match invite.used_by {
                        Some(who) => i18n.t_args("admin-invite-used", [("user", who.into())]),
                        None => i18n.t("admin-invite-open"),
                    };
                    view! {
                        <tr>
                            <td>{clock.minute(&invite.created_at)}</td>
                            <td>{clock.date(&invite.expires_at)}</td>
                            <td>{state}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            let heads = vec![
                i18n.t("admin-invite-made"),
                i18n.t("admin-invite-expires"),
                i18n.t("admin-invite-state"),
            ];
            table("invites", heads, rows)
        })
    };
    view! {
        <section class="card" aria-labelledby="admin-invites-title">
            <h2 id="admin-invites-title">{i18n.tr("admin-invites")}</h2>
            <p>{i18n.tr("admin-invites-lead")}</p>
            <p class="actions">
                <button type="button" class="btn" disabled=move || form.pending.get() on:click=make>{i18n.tr("admin-invite-make")}</button>
            </p>
            <ErrorAlert message=form.errors.general/>
            {move || made.get().map(|invite| {
                let expires = clock.date(&invite.expires_at);
                view! {
                    <div class="notice" role="status">
                        <p>{i18n.t_args("admin-invite-link", [("date", expires.into())])}</p>
                        <input class="invite-link" type="text" readonly value=invite.link.clone() aria-label=i18n.t("admin-invite-link-label") data-testid="invite-link"/>
                    </div>
                }
            })}
            {rows}
        </section>
    }
}

/// Use and revenue, by day, for the last 30 days.
#[component]
pub fn UsageByDay() -> impl IntoView {
    let i18n = use_i18n();
    let usage = LocalResource::new(|| api::admin_usage(30));
    let body = move || {
        usage.get().map(|answer| match answer {
            Err(e) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
            Ok(usage) => {
                let currency = usage.currency.clone();
                let sum = |f: fn(&vinano_api::UsageDay) -> u64| usage.days.iter().map(f).sum::<u64>();
                let totals =
                    (sum(|d| d.signups), sum(|d| d.jobs), sum(|d| d.credits), sum(|d| d.revenue_cents));
                // Days with nothing to count are left out (the total still covers them).
                let rows = usage
                    .days
                    .iter()
                    .filter(|d| d.signups + d.jobs + d.credits + d.revenue_cents > 0)
                    .map(|d| {
                        view! {
                            <tr>
                                <th scope="row">{d.day.clone()}</th>
                                <td class="num">{d.signups}</td>
                                <td class="num">{d.jobs}</td>
                                <td class="num">{d.credits}</td>
                                <td class="num">{money(i18n, d.revenue_cents, &currency)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let rows = view! {
                    <tr class="total" data-testid="usage-total">
                        <th scope="row">{i18n.tr("admin-usage-total")}</th>
                        <td class="num">{totals.0}</td>
                        <td class="num">{totals.1}</td>
                        <td class="num">{totals.2}</td>
                        <td class="num">{money(i18n, totals.3, &currency)}</td>
                    </tr>
                    {rows}
                }
                .into_any();
                let heads = [
                    "admin-usage-day",
                    "admin-usage-signups",
                    "admin-usage-jobs",
                    "admin-usage-credits",
                    "admin-usage-revenue",
                ]
                .iter()
                .map(|k| i18n.t(k))
                .collect();
                table("usage", heads, rows)
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="admin-usage-title">
            <h2 id="admin-usage-title">{i18n.tr("admin-usage")}</h2>
            <p class="muted">{i18n.tr("admin-usage-lead")}</p>
            {body}
        </section>
    }
}

/// The moderation log's decisions and the evidence holds.
#[component]
pub fn ModerationLog() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let log = LocalResource::new(api::admin_moderation);
    let body = move || {
        log.get().map(|answer| match answer {
            Err(e) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
            Ok(log) => {
                let chain = if log.chain_intact { i18n.t("admin-chain-intact") } else { i18n.t("admin-chain-broken") };
                let decisions = if log.decisions.is_empty() {
                    view! { <p class="muted">{i18n.tr("admin-decisions-none")}</p> }.into_any()
                } else {
                    let rows = log
                        .decisions
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr>
                                    <td>{clock.minute(&d.at)}</td>
                                    <td>{d.category}</td>
                                    <td>{d.decision}</td>
                                    <td><code title=d.prompt_sha256.clone()>{d.prompt_sha256[..12.min(d.prompt_sha256.len())].to_string()}</code></td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any();
                    let heads = ["admin-when", "admin-category", "admin-decision", "admin-hash"].iter().map(|k| i18n.t(k)).collect();
                    table("decisions", heads, rows)
                };
                let holds = if log.holds.is_empty() {
                    view! { <p class="muted">{i18n.tr("admin-holds-none")}</p> }.into_any()
                } else {
                    let items = log
                        .holds
                        .into_iter()
                        .map(|h| view! { <li><code>{h.id}</code> " · " {clock.minute(&h.created_at)}</li> })
                        .collect_view();
                    view! { <ul class="holds">{items}</ul> }.into_any()
                };
                view! {
                    <p class:alert=!log.chain_intact data-testid="chain">{chain}</p>
                    <h3>{i18n.tr("admin-decisions")}</h3>
                    {decisions}
                    <h3>{i18n.tr("admin-holds")}</h3>
                    {holds}
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="admin-moderation-title">
            <h2 id="admin-moderation-title">{i18n.tr("admin-moderation")}</h2>
            {body}
        </section>
    }
}

/// Every administrator's act, newest first.
#[component]
pub fn AuditLog(acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let log = LocalResource::new(move || {
        acted.track();
        api::admin_audit()
    });
    let body = move || {
        log.get().and_then(Result::ok).map(|entries| {
            let rows = entries
                .into_iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td>{clock.minute(&e.at)}</td>
                            <td>{e.actor}</td>
                            <td>{e.action}</td>
                            <td>{e.target.unwrap_or_default()}</td>
                            <td>{e.detail}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            let heads = ["admin-when", "admin-who", "admin-what", "admin-whom", "admin-detail"]
                .iter()
                .map(|k| i18n.t(k))
                .collect();
            table("audit", heads, rows)
        })
    };
    view! {
        <section class="card" aria-labelledby="admin-audit-title">
            <h2 id="admin-audit-title">{i18n.tr("admin-audit")}</h2>
            <p class="muted">{i18n.tr("admin-audit-lead")}</p>
            {body}
        </section>
    }
}

//! Admin → Partners: the sites that embed the widget. Register one (its signing secret and the snippet
//! for its pages are shown once), see this month's spending against its budget and how many visitors it
//! has, change it, give it a new secret (the old one still works for a day) or remove it.

use crate::api;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::{input_value, Submit, TextField};
use crate::components::time::use_clock;
use crate::components::toast::use_toasts;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use vinano_api::{AdminPartner, NewPartner, PartnerChange, PartnerSecret};

/// The open form's name while a partner is being registered.
const NEW: &str = "new";

/// How long a rotated-out secret keeps working, in hours (the partner's servers switch meanwhile).
const OVERLAP_HOURS: u32 = 24;

/// The section. `acted` is bumped after each act (the audit log reads again).
#[component]
pub fn Partners(acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        acted.track();
        api::admin_partners()
    });
    // A secret just made: shown until the page is left.
    let secret = RwSignal::new(None::<PartnerSecret>);
    // The form that is open, one at a time: a partner's id, or `NEW` for registering one.
    let open = RwSignal::new(None::<String>);
    let adding = move || open.with(|o| o.as_deref() == Some(NEW));
    let rows = move || {
        list.get().map(|answer| match answer {
            Err(e) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
            Ok(partners) if partners.is_empty() => {
                view! { <p class="muted">{i18n.tr("admin-partners-none")}</p> }.into_any()
            }
            Ok(partners) => {
                let rows = partners
                    .into_iter()
                    .map(|partner| view! { <Partner partner=partner secret=secret open=open acted=acted/> })
                    .collect_view();
                view! { <ul class="people partners">{rows}</ul> }.into_any()
            }
        })
    };
    let added = Callback::new(move |made: PartnerSecret| {
        secret.set(Some(made));
        open.set(None);
        acted.update(|n| *n += 1);
    });
    view! {
        <section class="card" aria-labelledby="admin-partners-title">
            <h2 id="admin-partners-title">{i18n.tr("admin-partners")}</h2>
            <p>{i18n.tr("admin-partners-lead")}</p>
            {move || secret.get().map(|made| view! { <SecretShown made=made/> })}
            {rows}
            <p class="actions">
                <button type="button" class="btn" aria-expanded=move || adding().to_string()
                    on:click=move |_| open.set((!adding()).then(|| NEW.to_string()))>
                    {i18n.tr("admin-partner-add")}
                </button>
            </p>
            <Show when=adding>
                <PartnerForm initial=None added=added changed=Callback::new(|_| ())/>
            </Show>
        </section>
    }
}

/// A secret and the snippet, shown once, to copy now.
#[component]
fn SecretShown(made: PartnerSecret) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice" role="status" data-testid="partner-secret">
            <p>{i18n.t_args("admin-partner-secret", [("name", made.partner.name.clone().into())])}</p>
            <label for="partner-secret">{i18n.tr("admin-partner-secret-label")}</label>
            <input id="partner-secret" class="invite-link" type="text" readonly value=made.secret.clone()/>
            <label for="partner-snippet">{i18n.tr("admin-partner-snippet-label")}</label>
            <input id="partner-snippet" class="invite-link" type="text" readonly value=made.snippet.clone()/>
        </div>
    }
}

/// One partner: who, where, this month's spending, and the acts.
#[component]
fn Partner(
    partner: AdminPartner,
    secret: RwSignal<Option<PartnerSecret>>,
    open: RwSignal<Option<String>>,
    acted: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let dialogs = use_dialogs();
    let toasts = use_toasts();
    let form = Submit::new();
    let id = StoredValue::new(partner.id.clone());
    let editing = move || open.with(|o| o.as_deref() == Some(id.get_value().as_str()));
    let name = StoredValue::new(partner.name.clone());
    let rotate = move |_| {
        let question = i18n.t_args(
            "admin-partner-rotate-question",
            [("name", name.get_value().into()), ("hours", i64::from(OVERLAP_HOURS).into())],
        );
        dialogs.confirm(Confirm {
            question,
            confirm: i18n.t("admin-partner-rotate"),
            danger: false,
            then: Callback::new(move |()| {
                form.run(
                    async move { api::admin_rotate_partner(&id.get_value(), OVERLAP_HOURS).await },
                    move |made| {
                        secret.set(Some(made));
                        acted.update(|n| *n += 1);
                    },
                );
            }),
        });
    };
    let remove = move |_| {
        dialogs.confirm(Confirm {
            question: i18n.t_args("admin-partner-remove-question", [("name", name.get_value().into())]),
            confirm: i18n.t("admin-partner-remove"),
            danger: true,
            then: Callback::new(move |()| {
                form.run(async move { api::admin_remove_partner(&id.get_value()).await }, move |()| {
                    toasts.note(i18n.t_args("admin-partner-removed", [("name", name.get_value().into())]));
                    acted.update(|n| *n += 1);
                });
            }),
        });
    };
    let changed = Callback::new(move |_: AdminPartner| {
        open.set(None);
        toasts.note(i18n.t("admin-partner-saved"));
        acted.update(|n| *n += 1);
    });
    let spent = i18n.t_args(
        "admin-partner-spent",
        [
            ("spent", (partner.spent_this_month as i64).into()),
            ("monthly", (partner.monthly_credits as i64).into()),
            ("allowance", (partner.visitor_allowance as i64).into()),
        ],
    );
    let visitors = i18n.t_args("admin-partner-visitors", [("count", (partner.visitors as i64).into())]);
    let overlap = partner
        .previous_secret_until
        .as_ref()
        .map(|until| i18n.t_args("admin-partner-overlap", [("date", clock.minute(until).into())]));
    let initial = StoredValue::new(partner.clone());
    view! {
        <li class="person partner" data-testid="partner">
            <div class="person-who">
                <strong>{partner.name.clone()}</strong> " "
                <code class="muted">{partner.id.clone()}</code> " "
                {(!partner.guests).then(|| view! { <span class="badge">{i18n.tr("admin-partner-members-only")}</span> })}
            </div>
            <div class="muted partner-origins">{partner.origins.join(" · ")}</div>
            <div data-testid="partner-spent">{spent} " · " {visitors}</div>
            {overlap.map(|o| view! { <div class="muted">{o}</div> })}
            <p class="actions">
                <button type="button" class="btn btn-small" aria-expanded=move || editing().to_string()
                    on:click=move |_| open.set((!editing()).then(|| id.get_value()))>
                    {i18n.tr("admin-partner-edit")}
                </button>
                <button type="button" class="btn btn-small" disabled=move || form.pending.get() on:click=rotate>
                    {i18n.tr("admin-partner-rotate")}
                </button>
                <button type="button" class="btn btn-small btn-danger" disabled=move || form.pending.get() on:click=remove>
                    {i18n.tr("admin-partner-remove")}
                </button>
            </p>
            <ErrorAlert message=form.errors.general/>
            <Show when=editing>
                <PartnerForm initial=Some(initial.get_value()) added=Callback::new(|_| ()) changed=changed/>
            </Show>
        </li>
    }
}

/// Registering a partner (`initial` none) or changing one.
#[component]
fn PartnerForm(
    initial: Option<AdminPartner>,
    added: Callback<PartnerSecret>,
    changed: Callback<AdminPartner>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Submit::new();
    let (name, monthly, allowance, guests) =
        (NodeRef::<Input>::new(), NodeRef::<Input>::new(), NodeRef::<Input>::new(), NodeRef::<Input>::new());
    let origins = NodeRef::<Textarea>::new();
    let editing = StoredValue::new(initial.as_ref().map(|p| p.id.clone()));
    let start = initial.clone().unwrap_or(AdminPartner {
        id: String::new(),
        name: String::new(),
        origins: Vec::new(),
        monthly_credits: 1000,
        visitor_allowance: 20,
        guests: true,
        spent_this_month: 0,
        visitors: 0,
        previous_secret_until: None,
        created_at: Default::default(),
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let number = |node: NodeRef<Input>, field: &str| {
            let parsed = input_value(node).trim().parse::<u64>();
            if parsed.is_err() {
                form.errors.at_field(field, i18n.t("admin-partner-number"));
            }
            parsed.ok()
        };
        form.errors.clear();
        let (Some(monthly), Some(allowance)) =
            (number(monthly, "monthly_credits"), number(allowance, "visitor_allowance"))
        else {
            return;
        };
        let origins: Vec<String> = origins
            .get_untracked()
            .map(|t| t.value())
            .unwrap_or_default()
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .collect();
        let name = input_value(name);
        let guests = guests.get_untracked().is_some_and(|g| g.checked());
        match editing.get_value() {
            None => {
                let new = NewPartner {
                    name,
                    origins,
                    monthly_credits: monthly,
                    visitor_allowance: allowance,
                    guests,
                };
                form.run(async move { api::admin_add_partner(&new).await }, move |made| added.run(made));
            }
            Some(id) => {
                let change = PartnerChange {
                    name: Some(name),
                    origins: Some(origins),
                    monthly_credits: Some(monthly),
                    visitor_allowance: Some(allowance),
                    guests: Some(guests),
                };
                form.run(async move { api::admin_change_partner(&id, &change).await }, move |p| {
                    changed.run(p)
                });
            }
        }
    };
    let save = if initial.is_some() { "admin-partner-save" } else { "admin-partner-register" };
    view! {
        <form class="form partner-form" on:submit=submit>
            <TextField id="partner-name" name="name" label="admin-partner-name" errors=form.errors node_ref=name required=true value=start.name.clone()/>
            <label for="partner-origins">{i18n.tr("admin-partner-origins")}</label>
            <textarea id="partner-origins" name="origins" rows="3" required node_ref=origins
                aria-describedby="partner-origins-hint" prop:value=start.origins.join("\n")></textarea>
            <small id="partner-origins-hint" class="hint">{i18n.tr("admin-partner-origins-hint")}</small>
            <TextField id="partner-monthly" name="monthly_credits" label="admin-partner-monthly" kind="number" errors=form.errors node_ref=monthly required=true value=start.monthly_credits.to_string()/>
            <TextField id="partner-allowance" name="visitor_allowance" label="admin-partner-allowance" kind="number" errors=form.errors node_ref=allowance required=true value=start.visitor_allowance.to_string()/>
            <label class="check" for="partner-guests">
                <input id="partner-guests" type="checkbox" node_ref=guests prop:checked=start.guests/>
                " " {i18n.tr("admin-partner-guests")}
            </label>
            <ErrorAlert message=form.errors.general/>
            <button type="submit" class="btn btn-primary" disabled=move || form.pending.get()>{i18n.tr(save)}</button>
        </form>
    }
}

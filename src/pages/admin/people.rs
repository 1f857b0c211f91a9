//! Admin → People: a search over accounts (username, name, email) with plan, credits and state; credits
//! given or taken back with a reason; an account disabled (signed out at once) or enabled again.

use crate::api;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::{input_value, Submit, TextField};
use crate::components::toast::use_toasts;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use vinano_api::AdminPerson;

/// The section. `acted` is bumped after each act (the audit log reads again).
#[component]
pub fn People(acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let found = LocalResource::new(move || {
        let (q, from) = (query.get(), offset.get());
        acted.track();
        async move { api::admin_people(&q, from).await }
    });
    let search = NodeRef::<Input>::new();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        offset.set(0);
        query.set(input_value(search));
    };
    // The row whose credits form is open.
    let adjusting = RwSignal::new(None::<String>);
    let list = move || {
        found.get().map(|answer| match answer {
            Err(e) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
            Ok(page) if page.people.is_empty() => view! { <p class="muted">{i18n.tr("admin-people-none")}</p> }.into_any(),
            Ok(page) => {
                let total = page.total;
                let rows = page
                    .people
                    .into_iter()
                    .map(|person| view! { <Person person=person adjusting=adjusting acted=acted/> })
                    .collect_view();
                let shown = offset.get_untracked();
                let more = shown + 50 < total;
                view! {
                    <p class="muted" data-testid="people-total">{i18n.t_args("admin-people-count", [("count", (total as i64).into())])}</p>
                    <ul class="people">{rows}</ul>
                    <p class="actions">
                        {(shown > 0).then(|| view! { <button type="button" class="btn" on:click=move |_| offset.update(|o| *o = o.saturating_sub(50))>{i18n.tr("admin-previous")}</button> })}
                        {more.then(|| view! { <button type="button" class="btn" on:click=move |_| offset.update(|o| *o += 50)>{i18n.tr("admin-next")}</button> })}
                    </p>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="admin-people-title">
            <h2 id="admin-people-title">{i18n.tr("admin-people")}</h2>
            <form class="search-row" role="search" on:submit=submit>
                <label for="admin-search" class="visually-hidden">{i18n.tr("admin-search-label")}</label>
                <input id="admin-search" type="search" node_ref=search placeholder=i18n.t("admin-search-placeholder")/>
                <button type="submit" class="btn">{i18n.tr("admin-search")}</button>
            </form>
            {list}
        </section>
    }
}

/// One person: who, plan and credits, state, and the acts.
#[component]
fn Person(person: AdminPerson, adjusting: RwSignal<Option<String>>, acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let dialogs = use_dialogs();
    let toasts = use_toasts();
    let form = Submit::new();
    let id = StoredValue::new(person.id.clone());
    let username = person.username.clone();
    let disabled = person.disabled;
    let toggle = move |_| {
        let who = username.clone();
        let (question, confirm, done) = if disabled {
            ("admin-enable-question", "admin-enable", "admin-enabled")
        } else {
            ("admin-disable-question", "admin-disable", "admin-disabled")
        };
        dialogs.confirm(Confirm {
            question: i18n.t_args(question, [("user", who.clone().into())]),
            confirm: i18n.t(confirm),
            danger: !disabled,
            then: Callback::new(move |()| {
                let note = i18n.t_args(done, [("user", who.clone().into())]);
                form.run(
                    async move { api::admin_set_disabled(&id.get_value(), !disabled).await },
                    move |()| {
                        toasts.note(note);
                        acted.update(|n| *n += 1);
                    },
                );
            }),
        });
    };
    let open = move || adjusting.with(|a| a.as_deref() == Some(id.get_value().as_str()));
    let status = match person.status.as_str() {
        "past_due" => Some(i18n.t("sub-status-past-due")),
        _ => None,
    };
    view! {
        <li class="person" data-testid="person">
            <div class="person-who">
                <strong>{person.username.clone()}</strong>
                {person.is_admin.then(|| view! { <span class="badge">{i18n.tr("admin-badge")}</span> })}
                {person.disabled.then(|| view! { <span class="badge badge-danger">{i18n.tr("admin-badge-disabled")}</span> })}
                <span class="muted person-name">{person.name.clone()} " · " {person.email.clone()}</span>
            </div>
            <div class="person-plan">
                <span>{person.plan.clone()}</span>
                {status.map(|s| view! { <span class="muted">" · " {s}</span> })}
                <span data-testid="person-credits">" · " {i18n.t_args("credits-balance", [("count", person.balance.into())])}</span>
            </div>
            <p class="actions">
                <button type="button" class="btn btn-small" aria-expanded=move || open().to_string()
                    on:click=move |_| adjusting.set(if open() { None } else { Some(id.get_value()) })>
                    {i18n.tr("admin-adjust")}
                </button>
                <button type="button" class="btn btn-small" disabled=move || form.pending.get() on:click=toggle>
                    {if person.disabled { i18n.t("admin-enable") } else { i18n.t("admin-disable") }}
                </button>
            </p>
            <ErrorAlert message=form.errors.general/>
            <Show when=open>
                <Adjust id=id.get_value() adjusting=adjusting acted=acted/>
            </Show>
        </li>
    }
}

/// Giving or taking back credits, with the reason the ledger keeps.
#[component]
fn Adjust(id: String, adjusting: RwSignal<Option<String>>, acted: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let form = Submit::new();
    let (amount, reason) = (NodeRef::<Input>::new(), NodeRef::<Input>::new());
    let id = StoredValue::new(id);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = input_value(amount).trim().trim_start_matches('+').parse::<i64>() else {
            form.errors.at_field("amount", i18n.t("admin-adjust-number"));
            return;
        };
        let why = input_value(reason);
        form.run(async move { api::admin_adjust_credits(&id.get_value(), n, &why).await }, move |balance| {
            toasts.note(i18n.t_args("admin-adjusted", [("count", balance.into())]));
            adjusting.set(None);
            acted.update(|n| *n += 1);
        });
    };
    view! {
        <form class="form adjust-form" on:submit=submit novalidate>
            <TextField id="adjust-amount" name="amount" label="admin-adjust-amount" hint="admin-adjust-amount-hint" errors=form.errors node_ref=amount required=true/>
            <TextField id="adjust-reason" name="reason" label="admin-adjust-reason" errors=form.errors node_ref=reason required=true/>
            <ErrorAlert message=form.errors.general/>
            <button type="submit" class="btn btn-primary" disabled=move || form.pending.get()>{i18n.tr("admin-adjust-save")}</button>
        </form>
    }
}

//! Me → Account: the profile (name, username, email with re-verification, language, time zone) and the
//! profile picture.

use super::value;
use crate::api;
use crate::components::form::{FieldMessage, Submit, TextField};
use crate::components::requests::Requests;
use crate::components::ErrorAlert;
use crate::i18n::{use_i18n, Locale};
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Select};
use leptos::prelude::*;
use vinano_api::{validate, Me, ProfileUpdate};

/// Every IANA time zone the browser knows, `UTC` first.
fn time_zones() -> Vec<String> {
    let mut zones = vec!["UTC".to_string()];
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok();
    let supported = intl
        .as_ref()
        .and_then(|intl| js_sys::Reflect::get(intl, &"supportedValuesOf".into()).ok())
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
    if let (Some(intl), Some(f)) = (intl, supported) {
        if let Ok(list) = f.call1(&intl, &"timeZone".into()) {
            zones.extend(
                js_sys::Array::from(&list).iter().filter_map(|v| v.as_string()).filter(|z| z != "UTC"),
            );
        }
    }
    zones
}

/// The time zone choices as the `<select>`'s HTML, `zone` selected. Some 420 options: parsed by the browser in
/// one go, which is much cheaper than making each through the DOM (on a phone it was the most expensive part
/// of opening Me).
fn zone_options(zones: &[String], zone: &str) -> String {
    let mut html = String::with_capacity(zones.len() * 48);
    for z in zones {
        let selected = if z == zone { " selected" } else { "" };
        let z = z.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        html.push_str(&format!("<option value=\"{z}\"{selected}>{z}</option>"));
    }
    html
}

/// Me → Account: see and correct the profile. A new email address is confirmed from its inbox first.
#[component]
pub(super) fn Profile(
    /// The account as loaded.
    me: Me,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = crate::components::toast::use_toasts();
    let navigate = StoredValue::new(leptos_router::hooks::use_navigate());
    let name_ref = NodeRef::<Input>::new();
    let username_ref = NodeRef::<Input>::new();
    let email_ref = NodeRef::<Input>::new();
    let language_ref = NodeRef::<Select>::new();
    let zone_ref = NodeRef::<Select>::new();
    let dob_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    // Moving the account to another address asks for the password; the field shows once the address differs.
    let account_email = me.email.clone();
    let email_changed = RwSignal::new(false);
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let saved = RwSignal::new(false);
    let resent = RwSignal::new(false);
    let since = crate::components::time::use_clock().date(&me.created_at);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.busy() {
            return;
        }
        let select = |node: NodeRef<Select>| node.get().map(|el| el.value()).unwrap_or_default();
        let req = ProfileUpdate {
            name: Some(value(name_ref)),
            username: Some(value(username_ref)),
            email: Some(value(email_ref)),
            language: Some(select(language_ref)),
            time_zone: Some(select(zone_ref)),
            date_of_birth: Some(value(dob_ref)),
            avatar_image_id: None,
            current_password: email_changed
                .get_untracked()
                .then(|| password_ref.get_untracked().map(|el| el.value()).unwrap_or_default()),
        };
        if let Err(e) = validate::profile(&req) {
            form.invalid(e);
            return;
        }
        if req.current_password.as_deref() == Some("") {
            let message = i18n.t("me-current-password-needed");
            errors.at_field("current_password", message);
            return;
        }
        saved.set(false);
        form.attempt(async move { api::update_profile(&req).await }, move |answer| {
            match answer {
                Ok(me) => {
                    // A new address waits for its confirmation (the notice above says so); the field shows
                    // the address in use.
                    if let Some(el) = email_ref.get_untracked() {
                        el.set_value(&me.email);
                    }
                    email_changed.set(false);
                    session.me.set(Some(me));
                    saved.set(true);
                }
                // An account shown to be under 13 is deleted at once: say so, then leave.
                Err(e @ crate::api::ApiError::Server { code: vinano_api::ErrorCode::UnderAge, .. }) => {
                    toasts.note(crate::components::error_text(i18n, &e));
                    session.me.set(None);
                    navigate.with_value(|go| go("/", Default::default()));
                }
                Err(e) => form.show(&e),
            }
        });
    };
    let resending = Submit::new();
    let resend = move |_| resending.run(api::resend_verification(), move |()| resent.set(true));
    // Follows the account as it changes (a new address pending, then confirmed).
    let status = move || {
        let (verified, pending) = session
            .me
            .with(|m| m.as_ref().map(|m| (m.email_verified, m.pending_email.clone())).unwrap_or_default());
        if verified && pending.is_none() {
            return view! { <p class="muted">{i18n.tr("me-email-verified")}</p> }.into_any();
        }
        let text = match pending {
            Some(pending) => i18n.t_args("me-email-pending", [("email", pending.into())]),
            None => i18n.t("me-email-unverified"),
        };
        view! {
            <p class="notice">
                {text} " "
                <button type="button" class="btn btn-ghost btn-small" on:click=resend>{i18n.tr("me-email-resend")}</button>
            </p>
            <ErrorAlert message=resending.errors.general/>
            {move || resent.get().then(|| view! { <p role="status">{i18n.tr("me-email-resent")}</p> })}
        }
        .into_any()
    };
    let shown_name = move || session.me.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let language = me.language.clone();
    let zone = me.time_zone.clone();
    // The account's zone is always a choice (a browser may call it by another name), so saving the form
    // never changes it unasked.
    let mut zones = time_zones();
    if !zones.contains(&zone) {
        zones.push(zone.clone());
    }
    view! {
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{i18n.tr("me-account")}</h2>
            <Avatar/>
            <p>{move || i18n.t_args("me-signed-in-as", [("name", shown_name().into())])}</p>
            {status}
            <form class="form" on:submit=submit novalidate>
                <TextField id="profile-name" name="name" label="auth-name" value=me.name.clone() required=true errors=errors node_ref=name_ref/>
                <TextField id="profile-username" name="username" label="auth-username" value=me.username.clone() required=true errors=errors node_ref=username_ref/>
                <TextField
                    id="profile-email"
                    name="email"
                    label="auth-email"
                    kind="email"
                    value=me.email.clone()
                    required=true
                    autocomplete="email"
                    errors=errors
                    node_ref=email_ref
                    on_input=move |text: String| email_changed.set(text.trim().to_lowercase() != account_email)
                />
                {move || email_changed.get().then(|| view! {
                    <TextField id="profile-current-password" name="current_password" label="me-current-password" kind="password" autocomplete="current-password" hint="me-current-password-why" required=true errors=errors node_ref=password_ref/>
                })}
                <TextField id="profile-dob" name="date_of_birth" label="auth-dob" kind="date" value=me.date_of_birth.to_string() required=true errors=errors node_ref=dob_ref/>
                <label for="profile-language">{i18n.tr("me-language")}</label>
                <select id="profile-language" name="language" node_ref=language_ref>
                    {Locale::ALL
                        .map(|l| view! { <option value=l.tag() selected=language == l.tag()>{l.name()}</option> })
                        .collect_view()}
                </select>
                <FieldMessage field="language" errors=errors/>
                <label for="profile-time-zone">{i18n.tr("me-time-zone")}</label>
                <select id="profile-time-zone" name="time_zone" node_ref=zone_ref inner_html=zone_options(&zones, &zone)></select>
                <FieldMessage field="time_zone" errors=errors/>
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>{i18n.tr("me-save")}</button>
                {move || saved.get().then(|| view! { <p role="status">{i18n.tr("me-saved")}</p> })}
            </form>
            <p class="muted">{move || i18n.t_args("me-member-since", [("date", since.clone().into())])}</p>
        </section>
    }
}

/// The profile picture: chosen from the device, prepared in the image worker like every photo (upright,
/// metadata stripped, 512 px), uploaded, then set on the account.
#[component]
fn Avatar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = Submit::new();
    let errors = form.errors;
    let requests = Requests::new();
    // The photo is being prepared on this device (before the upload).
    let preparing = RwSignal::new(false);
    let busy = Signal::derive(move || preparing.get() || form.pending.get());
    let current = move || session.me.with(|m| m.as_ref().and_then(|m| m.avatar_image_id.clone()));
    let set_avatar = |id: String| ProfileUpdate { avatar_image_id: Some(id), ..ProfileUpdate::default() };
    let apply = move |id: String| {
        form.run(async move { api::update_profile(&set_avatar(id)).await }, move |me| {
            session.me.set(Some(me))
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        if busy.get_untracked() {
            return;
        }
        errors.clear();
        preparing.set(true);
        requests.spawn(async move {
            let request = crate::worker::PrepRequest { max_side: Some(512), ..Default::default() };
            let prepared = crate::worker::prepare(&file, request).await;
            preparing.set(false);
            match prepared {
                Ok(photo) => form.run(
                    async move {
                        let image = api::upload_image(&photo.blob, &photo.info.content_type, |_| {}).await?;
                        api::update_profile(&set_avatar(image.id)).await
                    },
                    move |me| session.me.set(Some(me)),
                ),
                Err(e) => {
                    errors.general.set(Some(crate::components::attachments::prep_error_text(i18n, &e)));
                }
            }
        });
    };
    view! {
        <div class="avatar-row">
            {move || match current() {
                Some(id) => view! { <img class="avatar" src=vinano_api::image_url(&id) alt=i18n.t("me-avatar-alt") width="96" height="96"/> }.into_any(),
                None => view! { <span class="avatar avatar-empty" aria-hidden="true">"◆"</span> }.into_any(),
            }}
            <div>
                <label class="btn btn-ghost" for="avatar-file">{i18n.tr("me-avatar-choose")}</label>
                <input id="avatar-file" class="visually-hidden" type="file" accept="image/*" on:change=on_pick disabled=move || busy.get()/>
                {move || current().map(|_| view! {
                    <button type="button" class="btn btn-ghost btn-small" disabled=move || busy.get() on:click=move |_| apply(String::new())>
                        {i18n.tr("me-avatar-remove")}
                    </button>
                })}
                {move || busy.get().then(|| view! { <p role="status">{i18n.tr("me-avatar-working")}</p> })}
                <ErrorAlert message=errors.general/>
            </div>
        </div>
    }
}

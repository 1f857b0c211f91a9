//! The card form of the checkout page and of Me → Subscription's "Add a card": number, expiry, security
//! code and name, with the expiry read as people type it. The card goes to ViNano's server, which keeps
//! only its brand, last four digits and expiry.

use crate::components::form::{Submit, TextField};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use vinano_api::CardDetails;

/// `MM/YY` (or `MM / YYYY`) as (month, year); `None` when it isn't a date.
pub fn expiry(text: &str) -> Option<(u32, i32)> {
    let (month, year) = text.split_once('/')?;
    let month: u32 = month.trim().parse().ok()?;
    let year: i32 = year.trim().parse().ok()?;
    ((1..=12).contains(&month) && (0..=9999).contains(&year)).then_some((month, year))
}

/// The form: on submit, a card whose expiry reads as a date goes to `on_card` (which sends it with
/// `form`, so the server's refusals show under the field they name or in the form's alert).
#[component]
pub fn CardForm(
    /// The submission state the caller sends the card with.
    form: Submit,
    /// The submit button's words ("Pay $12.00", "Add the card").
    label: String,
    /// Gets the card.
    on_card: Callback<CardDetails>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (errors, pending) = (form.errors, form.pending);
    let (number, exp, cvc, name) =
        (NodeRef::<Input>::new(), NodeRef::<Input>::new(), NodeRef::new(), NodeRef::new());
    let value = |node: NodeRef<Input>| node.get_untracked().map(|el| el.value()).unwrap_or_default();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.busy() {
            return;
        }
        let Some((exp_month, exp_year)) = expiry(&value(exp)) else {
            errors.at_field("exp", i18n.t("checkout-exp-format"));
            return;
        };
        on_card.run(CardDetails {
            number: value(number),
            exp_month,
            exp_year,
            cvc: value(cvc),
            name: value(name),
        });
    };
    view! {
        <form class="form card-form" on:submit=submit novalidate>
            <TextField id="card-number" name="number" label="checkout-number" errors=errors node_ref=number autocomplete="cc-number" required=true/>
            <div class="card-row">
                <div class="form">
                    <TextField id="card-exp" name="exp" label="checkout-exp" hint="checkout-exp-hint" errors=errors node_ref=exp autocomplete="cc-exp" required=true/>
                </div>
                <div class="form">
                    <TextField id="card-cvc" name="cvc" label="checkout-cvc" errors=errors node_ref=cvc autocomplete="cc-csc" required=true/>
                </div>
            </div>
            <TextField id="card-name" name="name" label="checkout-name" errors=errors node_ref=name autocomplete="cc-name"/>
            <ErrorAlert message=errors.general/>
            <button type="submit" class="btn btn-primary" disabled=move || pending.get()>{label}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::expiry;

    #[test]
    fn the_expiry_is_read_as_people_type_it() {
        assert_eq!(expiry("12/30"), Some((12, 30)));
        assert_eq!(expiry(" 1 / 2031 "), Some((1, 2031)));
        assert_eq!(expiry("13/30"), None);
        assert_eq!(expiry("0/30"), None);
        assert_eq!(expiry("1230"), None);
        assert_eq!(expiry("ab/cd"), None);
    }
}

//! Form errors shown where they belong: a message about one field appears under that field (and marks it
//! `aria-invalid`), anything else in an alert above the submit button.

use crate::api::ApiError;
use crate::components::error_text;
use crate::components::requests::Requests;
use crate::i18n::{use_i18n, I18n};
use leptos::html::Input;
use leptos::prelude::*;
use std::future::Future;
use vinano_api::validate::FieldError;

/// The current text of an input (empty before it is mounted).
pub fn input_value(node: NodeRef<leptos::html::Input>) -> String {
    node.get().map(|el| el.value()).unwrap_or_default()
}

/// The errors of one form.
#[derive(Debug, Clone, Copy)]
pub struct FormErrors {
    /// A message not about one field.
    pub general: RwSignal<Option<String>>,
    /// `(field, message)` for the field at fault.
    pub field: RwSignal<Option<(String, String)>>,
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FormErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self { general: RwSignal::new(None), field: RwSignal::new(None) }
    }

    /// Clears both.
    pub fn clear(&self) {
        self.general.set(None);
        self.field.set(None);
    }

    /// A client-side check failed.
    pub fn invalid(&self, i18n: I18n, e: FieldError) {
        self.at_field(e.field, i18n.problem(&e.problem));
    }

    /// `message` under `field`.
    pub fn at_field(&self, field: &str, message: String) {
        self.general.set(None);
        self.field.set(Some((field.to_string(), message)));
    }

    /// The server said no: under the field it names, or in the alert.
    pub fn api(&self, i18n: I18n, e: &ApiError) {
        match e {
            ApiError::Server { field: Some(field), .. } => self.at_field(field, error_text(i18n, e)),
            other => {
                self.field.set(None);
                self.general.set(Some(error_text(i18n, other)));
            }
        }
    }

    /// The message for `field`, if it is the one at fault.
    pub fn message(&self, field: &str) -> Option<String> {
        self.field.with(|f| f.as_ref().filter(|(name, _)| name == field).map(|(_, m)| m.clone()))
    }

    /// `aria-invalid` for `field`.
    pub fn aria_invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
        move || self.message(field).map(|_| "true")
    }

    /// `aria-describedby` for `field`: its hint (if any) and, when at fault, its message.
    pub fn described_by(self, field: &'static str, hint: Option<&str>) -> impl Fn() -> String + Clone {
        let hint = hint.map(str::to_string);
        move || {
            let mut ids: Vec<String> = hint.iter().cloned().collect();
            if self.message(field).is_some() {
                ids.push(format!("{field}-error"));
            }
            ids.join(" ")
        }
    }
}

/// The message under a field, when it is the one at fault.
#[component]
pub fn FieldMessage(
    /// The field's name in the request.
    field: &'static str,
    /// The form's errors.
    errors: FormErrors,
) -> impl IntoView {
    move || {
        errors.message(field).map(
            |m| view! { <small class="field-error" id=format!("{field}-error") role="alert">{m}</small> },
        )
    }
}

/// How every form and every button that changes something submits: one request at a time, the errors
/// cleared first and shown where they belong after (under the field the server names, or in the form's
/// alert), a 401 signs the person out, and the request ends if the view goes away.
#[derive(Debug, Clone, Copy)]
pub struct Submit {
    /// The form's errors.
    pub errors: FormErrors,
    /// True while the request runs (the submit button shows it and is disabled).
    pub pending: RwSignal<bool>,
    requests: Requests,
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}

impl Submit {
    /// A form's submission state (inside a component: it reads the translator and the session).
    pub fn new() -> Self {
        Self { errors: FormErrors::new(), pending: RwSignal::new(false), requests: Requests::new() }
    }

    /// Whether a request is running (read without tracking, for the submit handler's guard).
    pub fn busy(&self) -> bool {
        self.pending.get_untracked()
    }

    /// A client-side check failed: its message under its field.
    pub fn invalid(&self, e: FieldError) {
        self.errors.invalid(self.requests.i18n(), e);
    }

    /// The server said no: its message under the field it names, or in the form's alert.
    pub fn show(&self, e: &ApiError) {
        self.errors.api(self.requests.i18n(), e);
    }

    /// Runs `call` unless a request is already running; `done` gets the answer, failures included (for a
    /// form that answers some refusal itself; [`Submit::show`] words the others).
    pub fn attempt<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(Result<T, ApiError>) + 'static,
    ) {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        self.errors.clear();
        self.requests.call(call, move |answer| {
            self.pending.set(false);
            done(answer);
        });
    }

    /// Runs `call` unless a request is already running; `done` gets its answer.
    pub fn run<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.attempt(call, move |answer| match answer {
            Ok(value) => done(value),
            Err(e) => self.show(&e),
        });
    }
}

/// A labelled input with its hint and its error message, wired for assistive technology: `aria-invalid`
/// when the field is at fault, `aria-describedby` naming the hint and the message.
#[component]
pub fn TextField(
    /// The element id (the hint is `{id}-hint`).
    id: &'static str,
    /// The field's name in the request: errors about it show here.
    name: &'static str,
    /// The label's i18n key.
    label: &'static str,
    /// The form's errors.
    errors: FormErrors,
    /// The input, for reading its value.
    node_ref: NodeRef<Input>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The hint's i18n key.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
    /// The largest value (dates).
    #[prop(optional, into)]
    max: Option<String>,
    /// The value it starts with.
    #[prop(optional, into)]
    value: Option<String>,
    /// Called with the text as the person types.
    #[prop(optional, into)]
    on_input: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = hint.map(|_| format!("{id}-hint"));
    view! {
        <label for=id>{i18n.tr(label)}</label>
        <input
            id=id
            name=name
            type=kind
            autocomplete=autocomplete
            required=required
            max=max
            value=value
            aria-invalid=errors.aria_invalid(name)
            aria-describedby=errors.described_by(name, hint_id.as_deref())
            node_ref=node_ref
            on:input=move |ev| {
                if let Some(on_input) = on_input {
                    on_input.run(event_target_value(&ev));
                }
            }
        />
        {hint.zip(hint_id.clone()).map(|(key, id)| view! { <small id=id class="hint">{i18n.tr(key)}</small> })}
        <FieldMessage field=name errors=errors/>
    }
}

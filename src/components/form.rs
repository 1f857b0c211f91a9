//! Form errors shown where they belong: a message about one field appears under that field (and marks it
//! `aria-invalid`), anything else in an alert above the submit button.

use crate::api::ApiError;
use crate::components::error_text;
use crate::i18n::I18n;
use leptos::prelude::*;
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
    pub fn described_by(self, field: &'static str, hint: Option<&'static str>) -> impl Fn() -> String + Copy {
        move || {
            let mut ids: Vec<String> = hint.map(str::to_string).into_iter().collect();
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

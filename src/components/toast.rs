//! Toasts: short notes at the bottom of the screen ("Version deleted — Undo"), in place of `alert()`. They
//! outlive the page that raised them (the shell draws them), go away by themselves, and can carry one
//! action.

use crate::api::ApiError;
use crate::components::error_text;
use crate::components::requests::Requests;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

/// How long an "Undo" stays offered (the server keeps a deleted version for 10 s; the toast goes a little
/// before, so an Undo tapped at its last moment still arrives in time).
pub const UNDO_MS: u64 = 9_000;

/// A toast's button.
#[derive(Clone)]
pub struct ToastAction {
    /// Its words.
    pub label: String,
    /// What it does (the toast closes first).
    pub run: Callback<()>,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    text: String,
    action: Option<ToastAction>,
}

/// The shell's toasts (see [`provide_toasts`]).
#[derive(Clone, Copy)]
pub struct Toasts {
    shown: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
    requests: Requests,
}

impl Toasts {
    /// Shows `text` for `for_ms` milliseconds, with an optional action; returns its id.
    pub fn show(self, text: String, action: Option<ToastAction>, for_ms: u64) -> u64 {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.shown.update(|t| {
            // Three at most: the oldest makes room.
            if t.len() >= 3 {
                t.remove(0);
            }
            t.push(Toast { id, text, action });
        });
        set_timeout(move || self.close(id), Duration::from_millis(for_ms));
        id
    }

    /// Shows a note for a few seconds.
    pub fn note(self, text: String) {
        self.show(text, None, 6000);
    }

    /// Runs a toast's request (an Undo) in the shell, so it finishes even when the page that raised the
    /// toast has gone; a failure is said in a toast of its own.
    pub fn call<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        let i18n = self.requests.i18n();
        self.requests.call(call, move |answer| match answer {
            Ok(value) => done(value),
            Err(e) => self.note(error_text(i18n, &e)),
        });
    }

    /// Closes a toast (nothing when it is gone already).
    pub fn close(self, id: u64) {
        self.shown.update(|t| t.retain(|x| x.id != id));
    }
}

/// Makes the toasts available to every view below.
pub fn provide_toasts() -> Toasts {
    let toasts =
        Toasts { shown: RwSignal::new(Vec::new()), next: StoredValue::new(0), requests: Requests::new() };
    provide_context(toasts);
    toasts
}

/// The shell's toasts.
pub fn use_toasts() -> Toasts {
    expect_context()
}

/// Where the toasts are drawn: a polite live region, so a screen reader says each new one once.
#[component]
pub fn ToastHost() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.shown.get() key=|t| t.id let:toast>
                {
                    let id = toast.id;
                    let action = toast.action.map(|a| {
                        view! {
                            <button
                                type="button"
                                class="btn btn-ghost btn-small toast-action"
                                on:click=move |_| {
                                    toasts.close(id);
                                    a.run.run(());
                                }
                            >
                                {a.label}
                            </button>
                        }
                    });
                    view! {
                        <div class="toast">
                            <span class="toast-text">{toast.text}</span>
                            {action}
                            <button
                                type="button"
                                class="btn btn-ghost btn-small icon-button"
                                aria-label=i18n.tr("toast-close")
                                on:click=move |_| toasts.close(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

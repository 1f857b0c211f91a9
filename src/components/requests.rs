//! How a view talks to the server: its requests end with the view, an expired session signs the person
//! out (in this one place for every page), and a failure becomes a message in the person's language.

use crate::api::{ApiError, Scope};
use crate::components::error_text;
use crate::i18n::{use_i18n, I18n};
use crate::state::session::{use_session, Session};
use leptos::prelude::*;
use std::future::Future;
use std::time::Duration;

/// The requests of one view.
#[derive(Debug, Clone, Copy)]
pub struct Requests {
    scope: Scope,
    session: Session,
    i18n: I18n,
    /// The last failure of [`Requests::run`], worded for the person.
    pub error: RwSignal<Option<String>>,
}

impl Default for Requests {
    fn default() -> Self {
        Self::new()
    }
}

impl Requests {
    /// The requests of the current view (call it inside a component).
    pub fn new() -> Self {
        Self { scope: Scope::new(), session: use_session(), i18n: use_i18n(), error: RwSignal::new(None) }
    }

    /// The translator, for wording answers.
    pub fn i18n(&self) -> I18n {
        self.i18n
    }

    /// Runs `call`; `done` gets its answer (a 401 has already signed the person out).
    pub fn call<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(Result<T, ApiError>) + 'static,
    ) {
        let session = self.session;
        self.scope.spawn(async move {
            let answer = call.await;
            if let Err(e) = &answer {
                session.forget_if_expired(e);
            }
            done(answer);
        });
    }

    /// Runs `call`; `done` gets its value, and a failure is shown in [`Requests::error`].
    pub fn run<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.error.set(None);
        self.call(call, move |answer| match answer {
            Ok(value) => done(value),
            Err(e) => self.error.set(Some(error_text(self.i18n, &e))),
        });
    }

    /// Runs `call` for a background refresh: `done` gets its value; a failure leaves what the view shows
    /// as it is (the next refresh tries again).
    pub fn refresh<T: 'static>(
        self,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        self.call(call, move |answer| {
            if let Ok(value) = answer {
                done(value);
            }
        });
    }

    /// Runs a task of several requests (each attaches this view's abort signal).
    pub fn spawn(self, task: impl Future<Output = ()> + 'static) {
        self.scope.spawn(task);
    }
}

/// Runs `tick` every `period` while the view is shown.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(timer) = set_interval_with_handle(tick, period) {
        on_cleanup(move || timer.clear());
    }
}

//! Requests that belong to a view: when the view goes away (the person navigates, a card closes), its
//! requests in flight are aborted and nothing they would have done afterwards (set a signal, show an
//! error) happens.
//!
//! A [`Scope`] owns an `AbortController` that is aborted when the reactive owner it was made under is
//! cleaned up. A task started with [`Scope::spawn`] carries the controller's signal as a task-local value:
//! every request built while the task is polled (`get`, `post`, … in this module's parent) attaches it.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use web_sys::{AbortController, AbortSignal};

thread_local! {
    /// The abort signal of the task being polled (the browser runs one task at a time).
    static CURRENT: RefCell<Option<AbortSignal>> = const { RefCell::new(None) };
}

/// The abort signal of the task being polled, for the request it is building.
pub(super) fn current_signal() -> Option<AbortSignal> {
    CURRENT.with(|s| s.borrow().clone())
}

/// The requests of one view.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    signal: StoredValue<Option<SendWrapper<AbortSignal>>>,
}

impl Default for Scope {
    fn default() -> Self {
        Self::new()
    }
}

impl Scope {
    /// A scope for the current view (call it inside a component): its requests are aborted when the view
    /// is cleaned up.
    pub fn new() -> Self {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(|c| SendWrapper::new(c.signal()));
        let controller = SendWrapper::new(controller);
        on_cleanup(move || {
            if let Some(controller) = controller.as_ref() {
                controller.abort();
            }
        });
        Self { signal: StoredValue::new(signal) }
    }

    /// Runs `task`. Its requests carry this scope's abort signal; once the view is gone the task is
    /// dropped at its next wake-up instead of running on.
    pub fn spawn(self, task: impl Future<Output = ()> + 'static) {
        let signal = self.signal.try_get_value().flatten().map(SendWrapper::take);
        if signal.as_ref().is_some_and(AbortSignal::aborted) {
            return;
        }
        leptos::task::spawn_local(Scoped { signal, task: Box::pin(task) });
    }
}

/// A task with its abort signal.
struct Scoped<F> {
    signal: Option<AbortSignal>,
    task: Pin<Box<F>>,
}

impl<F: Future<Output = ()>> Future for Scoped<F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Poll::Ready(());
        }
        let outer = CURRENT.with(|s| s.replace(this.signal.clone()));
        let polled = this.task.as_mut().poll(cx);
        CURRENT.with(|s| *s.borrow_mut() = outer);
        polled
    }
}

//! In-app confirmation dialogs, in place of `confirm()`: the page's words and buttons, in the person's
//! language, as a modal `<dialog>` (focus stays inside, Escape cancels, focus returns where it was).

use crate::i18n::use_i18n;
use leptos::html::Dialog;
use leptos::prelude::*;

/// What to ask.
#[derive(Clone)]
pub struct Confirm {
    /// The question.
    pub question: String,
    /// The confirming button's words ("Delete").
    pub confirm: String,
    /// Whether confirming destroys something (the button is drawn as such).
    pub danger: bool,
    /// What confirming does.
    pub then: Callback<()>,
}

/// The shell's dialog (see [`provide_dialogs`]).
#[derive(Clone, Copy)]
pub struct Dialogs {
    asking: RwSignal<Option<Confirm>>,
}

impl Dialogs {
    /// Asks; `ask.then` runs when the person confirms.
    pub fn confirm(self, ask: Confirm) {
        self.asking.set(Some(ask));
    }
}

/// Makes the dialog available to every view below.
pub fn provide_dialogs() -> Dialogs {
    let dialogs = Dialogs { asking: RwSignal::new(None) };
    provide_context(dialogs);
    dialogs
}

/// The shell's dialog.
pub fn use_dialogs() -> Dialogs {
    expect_context()
}

/// Shows `dialog` as a modal while `open` says so, and closes it when it stops.
pub fn sync_modal(dialog: NodeRef<Dialog>, open: impl Fn() -> bool + 'static) {
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        match open() {
            true if !el.open() => {
                let _ = el.show_modal();
            }
            false if el.open() => el.close(),
            _ => {}
        }
    });
}

/// The one modal dialog of the shell.
#[component]
pub fn DialogHost() -> impl IntoView {
    let i18n = use_i18n();
    let asking = use_dialogs().asking;
    let dialog = NodeRef::<Dialog>::new();
    sync_modal(dialog, move || asking.with(Option::is_some));
    let answer = move |yes: bool| {
        let ask = asking.get_untracked();
        asking.set(None);
        if let (true, Some(ask)) = (yes, ask) {
            ask.then.run(());
        }
    };
    view! {
        <dialog
            class="dialog"
            node_ref=dialog
            aria-labelledby="dialog-question"
            // Escape (or the browser's back gesture) cancels.
            on:close=move |_| asking.set(None)
        >
            <p id="dialog-question" class="dialog-question">{move || asking.with(|a| a.as_ref().map(|a| a.question.clone()))}</p>
            <div class="dialog-actions">
                <button type="button" class="btn btn-ghost" autofocus on:click=move |_| answer(false)>
                    {i18n.tr("dialog-cancel")}
                </button>
                <button
                    type="button"
                    class=move || {
                        if asking.with(|a| a.as_ref().is_some_and(|a| a.danger)) { "btn btn-danger" } else { "btn btn-primary" }
                    }
                    on:click=move |_| answer(true)
                >
                    {move || asking.with(|a| a.as_ref().map(|a| a.confirm.clone()))}
                </button>
            </div>
        </dialog>
    }
}

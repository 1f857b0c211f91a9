//! The editor's keyboard shortcuts: `/` goes to the instruction box, ← and → choose the previous or next
//! version as the next edit's target, `?` lists the shortcuts (the viewer's too). They never fire while
//! the person types, or while a dialog or the viewer is open (the viewer has its own).

use super::versions::{reveal, versions};
use super::ThreadResource;
use crate::i18n::use_i18n;
use leptos::html::Dialog;
use leptos::prelude::*;
use vinano_api::ImageInfo;

/// Whether a key pressed on `target` is someone typing (or inside an open dialog).
fn typing(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el.is_content_editable()
        || el.closest("dialog[open]").ok().flatten().is_some()
}

/// The version `by` steps from the target (the latest when none is chosen), if there is one.
pub(super) fn step(all: &[ImageInfo], target: Option<&ImageInfo>, by: isize) -> Option<ImageInfo> {
    let current =
        target.and_then(|t| all.iter().position(|v| v.id == t.id)).unwrap_or(all.len().checked_sub(1)?);
    let next = current as isize + by;
    (next >= 0).then(|| all.get(next as usize).cloned()).flatten()
}

/// Listens for the shortcuts while the editor is shown.
pub(super) fn use_shortcuts(thread: ThreadResource, help: RwSignal<bool>) {
    let editor = super::use_editor();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || ev.is_composing() {
            return;
        }
        if editor.viewing.with_untracked(Option::is_some) || help.get_untracked() || typing(ev.target()) {
            return;
        }
        match ev.key().as_str() {
            "/" => {
                if let Some(el) = document().get_element_by_id("instruction") {
                    let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                }
            }
            "?" => help.set(true),
            key @ ("ArrowLeft" | "ArrowRight") => {
                let by = if key == "ArrowLeft" { -1 } else { 1 };
                let all = thread.with_untracked(|t| match t {
                    Some(Ok(Some(d))) => versions(&d.messages),
                    _ => Vec::new(),
                });
                let Some(next) = editor.target.with_untracked(|t| step(&all, t.as_ref(), by)) else { return };
                reveal(&next.id);
                editor.target.set(Some(next));
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

/// The list of shortcuts (`?`), as a modal dialog.
#[component]
pub(super) fn ShortcutsHelp(
    /// Whether it is shown.
    open: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<Dialog>::new();
    crate::components::dialog::sync_modal(dialog, move || open.get());
    let rows = [
        ("/", "shortcut-instruction"),
        ("← →", "shortcut-versions"),
        ("?", "shortcut-help"),
        ("← →", "shortcut-viewer-versions"),
        ("+ − 0", "shortcut-viewer-zoom"),
        ("Esc", "shortcut-close"),
    ]
    .into_iter()
    .map(|(keys, what)| view! { <dt><kbd>{keys}</kbd></dt><dd>{i18n.tr(what)}</dd> })
    .collect_view();
    view! {
        <dialog class="dialog shortcuts" node_ref=dialog aria-labelledby="shortcuts-title" on:close=move |_| open.set(false)>
            <h2 id="shortcuts-title">{i18n.tr("shortcuts-title")}</h2>
            <dl>{rows}</dl>
            <div class="dialog-actions">
                <button type="button" class="btn btn-primary" autofocus on:click=move |_| open.set(false)>
                    {i18n.tr("dialog-close")}
                </button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str) -> ImageInfo {
        serde_json::from_value(
            serde_json::json!({"id": id, "content_type": "image/png", "width": 1, "height": 1}),
        )
        .unwrap()
    }

    #[test]
    fn arrows_step_from_the_target_or_the_latest_and_stop_at_the_ends() {
        let all = [version("a"), version("b"), version("c")];
        let id = |v: Option<ImageInfo>| v.map(|v| v.id);
        assert_eq!(id(step(&all, None, -1)), Some("b".into()), "from the latest");
        assert_eq!(id(step(&all, None, 1)), None);
        assert_eq!(id(step(&all, Some(&all[0]), -1)), None);
        assert_eq!(id(step(&all, Some(&all[0]), 1)), Some("b".into()));
        assert_eq!(id(step(&[], None, -1)), None);
    }
}

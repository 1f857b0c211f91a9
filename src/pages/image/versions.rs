//! The conversation's version tree: every image (uploads and results) nested under the version it was made
//! from, so branches are visible. Choosing a version makes it the next edit's target (a new edit from an
//! earlier version starts a branch); Previous/Next step through versions in the order they were made.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use vinano_api::{ImageInfo, Message};

/// The versions of a thread, in the order they first appear.
pub fn versions(messages: &[Message]) -> Vec<ImageInfo> {
    let mut seen = HashSet::new();
    messages.iter().filter_map(|m| m.image.clone()).filter(|img| seen.insert(img.id.clone())).collect()
}

/// Brings the first picture of a version in the thread into view.
pub(super) fn reveal(id: &str) {
    let selector = format!("[data-version=\"{id}\"]");
    if let Ok(Some(el)) = document().query_selector(&selector) {
        el.scroll_into_view_with_bool(false);
    }
}

/// The tree, with Previous/Next buttons.
#[component]
pub fn VersionTree(
    /// The thread's versions (see [`versions`]).
    versions: Vec<ImageInfo>,
    /// The image chosen for the next edit; `None` means the latest.
    target: RwSignal<Option<ImageInfo>>,
    /// Whether the thread's newest image has arrived: the thumbnails wait for it.
    newest_done: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = versions.len();
    let order: HashMap<String, usize> = versions.iter().enumerate().map(|(i, v)| (v.id.clone(), i)).collect();
    let all = StoredValue::new(versions.clone());
    // The selected version's index; the latest when none is chosen.
    let current = Memo::new(move |_| {
        target
            .with(|t| t.as_ref().and_then(|t| all.with_value(|v| v.iter().position(|x| x.id == t.id))))
            .unwrap_or(total.saturating_sub(1))
    });
    let select = move |index: usize| {
        if let Some(v) = all.with_value(|v| v.get(index).cloned()) {
            reveal(&v.id);
            target.set(Some(v));
        }
    };

    let mut children: HashMap<Option<String>, Vec<ImageInfo>> = HashMap::new();
    for v in versions {
        // A parent outside this thread (an image from elsewhere) makes the version a root here.
        let parent = v.parent_id.clone().filter(|p| order.contains_key(p));
        children.entry(parent).or_default().push(v);
    }
    let tree = branch(&children, None, &order, current, select, newest_done);

    view! {
        <details class="versions" open>
            <summary>{i18n.tr("versions-title")} " (" {total} ")"</summary>
            <div class="versions-nav">
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    disabled=move || current.get() == 0
                    on:click=move |_| select(current.get_untracked().saturating_sub(1))
                >
                    "‹ " {i18n.tr("versions-previous")}
                </button>
                <span class="muted" role="status">
                    {move || i18n.t_args("versions-position", [("n", (current.get() + 1).into()), ("total", total.into())])}
                </span>
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    disabled=move || is_last(current.get(), total)
                    on:click=move |_| select(current.get_untracked() + 1)
                >
                    {i18n.tr("versions-next")} " ›"
                </button>
            </div>
            {tree}
        </details>
    }
}

/// True for the last of `total` versions (kept out of `view!`, where `>` would end the tag).
fn is_last(index: usize, total: usize) -> bool {
    index + 1 >= total
}

fn branch(
    children: &HashMap<Option<String>, Vec<ImageInfo>>,
    parent: Option<String>,
    order: &HashMap<String, usize>,
    current: Memo<usize>,
    select: impl Fn(usize) + Copy + Send + Sync + 'static,
    newest_done: RwSignal<bool>,
) -> AnyView {
    let i18n = use_i18n();
    let Some(nodes) = children.get(&parent) else { return ().into_any() };
    let items = nodes
        .iter()
        .map(|v| {
            let index = order[&v.id];
            let sub = branch(children, Some(v.id.clone()), order, current, select, newest_done);
            let label = i18n.t_args("versions-label", [("n", (index + 1).into())]);
            let size = format!("{} × {}", v.width, v.height);
            let url = v.preview_url(256);
            let (seen, loaded) = (super::thread::was_shown(&url), url.clone());
            let thumb = move || if seen || newest_done.get() { url.clone() } else { super::thread::WAITING.to_string() };
            view! {
                <li>
                    <button
                        type="button"
                        class="version"
                        aria-pressed=move || (current.get() == index).to_string()
                        on:click=move |_| select(index)
                    >
                        <img src=thumb alt="" class="version-thumb" loading="lazy" decoding="async" on:load=move |ev| if !super::thread::is_waiting(&ev) { super::thread::shown(&loaded) }/>
                        <span>{label}</span>
                        <span class="muted">{size}</span>
                    </button>
                    {sub}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="version-branch">{items}</ul> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_api::Role;

    fn image(id: &str, parent: Option<&str>) -> ImageInfo {
        ImageInfo {
            id: id.into(),
            parent_id: parent.map(Into::into),
            width: 10,
            height: 10,
            content_type: "image/jpeg".into(),
            generation: None,
            feedback: None,
            commercial: false,
            training_consent: false,
            expires_at: None,
        }
    }

    fn message(role: Role, image: Option<ImageInfo>) -> Message {
        Message {
            id: "m".into(),
            role,
            text: String::new(),
            text_said: None,
            image,
            created_at: Default::default(),
            reply_to: None,
            job: None,
            variants: vec![],
        }
    }

    #[test]
    fn versions_are_unique_in_order_of_appearance() {
        let a = image("a", None);
        let b = image("b", Some("a"));
        let c = image("c", Some("a"));
        // The prompt of each edit shows its target again: a appears three times.
        let thread = [
            message(Role::User, Some(a.clone())),
            message(Role::User, Some(a.clone())),
            message(Role::Assistant, Some(b.clone())),
            message(Role::User, Some(a.clone())),
            message(Role::Assistant, Some(c.clone())),
            message(Role::Assistant, None),
        ];
        let ids: Vec<_> = versions(&thread).into_iter().map(|v| v.id).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }
}

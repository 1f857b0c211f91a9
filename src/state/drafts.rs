//! Unsent instructions kept in the browser's localStorage, so a reload or a crash doesn't lose them.

const PREFIX: &str = "vinano.draft.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The storage key of the draft for a conversation (`None` = a conversation not created yet).
pub fn key(conversation_id: Option<&str>) -> String {
    format!("{PREFIX}{}", conversation_id.unwrap_or("new"))
}

/// The saved draft, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten().filter(|d| !d.is_empty())
}

/// Saves a draft; an empty draft removes the entry. Storage failures (private mode, full quota) are
/// ignored: drafts are a convenience, never a reason to interrupt typing.
pub fn save(key: &str, draft: &str) {
    if let Some(s) = storage() {
        let _ = if draft.is_empty() { s.remove_item(key) } else { s.set_item(key, draft) };
    }
}

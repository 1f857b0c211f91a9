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

/// Photos already uploaded for a draft but not sent yet (stored as JSON next to the text).
pub fn load_attachments(key: &str) -> Vec<vinano_api::ImageInfo> {
    storage()
        .and_then(|s| s.get_item(&format!("{key}.photos")).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Saves the uploaded-but-unsent photos of a draft; none removes the entry.
pub fn save_attachments(key: &str, photos: &[vinano_api::ImageInfo]) {
    let json =
        if photos.is_empty() { String::new() } else { serde_json::to_string(photos).unwrap_or_default() };
    save(&format!("{key}.photos"), &json);
}

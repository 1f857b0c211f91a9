//! "Edit on this device": whether instructions run in the browser (nothing uploaded until a version is
//! saved) — a default for this browser (Me → Privacy) and a choice per conversation, both kept in this
//! browser's localStorage only: the server is never told.

const DEFAULT_KEY: &str = "vinano.onDevice";
const PREFIX: &str = "vinano.onDevice.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(key: &str) -> Option<bool> {
    storage()?.get_item(key).ok().flatten().map(|v| v == "1")
}

fn write(key: &str, on: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, if on { "1" } else { "0" });
    }
}

/// This browser's default for new conversations (off unless chosen).
pub fn default_on() -> bool {
    read(DEFAULT_KEY).unwrap_or(false)
}

/// Sets this browser's default.
pub fn set_default(on: bool) {
    write(DEFAULT_KEY, on);
}

/// Whether conversation `id` edits on this device (`None`: a conversation not started yet), falling back to
/// the default.
pub fn for_conversation(id: Option<&str>) -> bool {
    id.and_then(|id| read(&format!("{PREFIX}{id}"))).unwrap_or_else(default_on)
}

/// Remembers the choice for conversation `id` (a conversation not started yet has none to remember).
pub fn set_for_conversation(id: Option<&str>, on: bool) {
    if let Some(id) = id {
        write(&format!("{PREFIX}{id}"), on);
    }
}

//! What Home (or an AI Tools form) hands to the editor: the words, photos and tool a conversation starts
//! with. It keeps them here and opens `/image`; the editor takes them (once), attaches the photos, and sends as soon as they are ready.

use std::cell::RefCell;

/// A conversation to start.
pub struct Start {
    /// The instruction (may be empty when photos come with it).
    pub text: String,
    /// Photos picked, dropped or pasted on Home (or a tool's photo).
    pub files: Vec<web_sys::File>,
    /// A tool's form (AI Tools), sent with the words: its steps are fixed by the form.
    pub tool: Option<vinano_api::Tool>,
    /// One of the person's presets (My presets), by id, sent with the words: its saved steps are run.
    pub preset: Option<String>,
    /// A picture of the person's library to work on, instead of new photos (AI Video).
    pub image: Option<vinano_api::ImageInfo>,
}

thread_local! {
    static START: RefCell<Option<Start>> = const { RefCell::new(None) };
}

/// Keeps `start` for the editor to take.
pub fn hand_over(start: Start) {
    START.with(|s| *s.borrow_mut() = Some(start));
}

/// What Home handed over, if anything (taken: a second call gets nothing).
pub fn take() -> Option<Start> {
    START.with(|s| s.borrow_mut().take())
}

//! How long things are kept, as the privacy policy's retention section promises. The retention task
//! (`retention.rs`) deletes by these; the API shows each image's date from them.

/// A day in milliseconds.
pub const DAY_MS: i64 = 24 * 3600 * 1000;
/// Images are kept this many days.
pub const IMAGE_DAYS: i64 = 90;
/// Conversations are kept this many days after their last activity.
pub const CONVERSATION_DAYS: i64 = 365;
/// Delivered mail stays in the outbox (addresses and subjects only) this many days.
pub const MAIL_DAYS: i64 = 30;
/// Days invoices are kept — the longest period tax and accounting law commonly asks of a seller (ten years,
/// as in Germany's HGB § 257; six to seven elsewhere) — also after the account is deleted.
pub const INVOICE_DAYS: i64 = 10 * 365 + 3;

/// When an image made at `created_at_ms` is deleted.
pub fn image_expiry(created_at_ms: i64) -> vinano_api::Timestamp {
    crate::clock::timestamp(created_at_ms + IMAGE_DAYS * DAY_MS)
}

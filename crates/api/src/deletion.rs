//! What a deletion answers when there is something to say besides "done" (204).

use serde::{Deserialize, Serialize};

/// A conversation was deleted, but some of its images are kept for legal reasons (an evidence hold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationDeleted {
    /// How many of the conversation's images are kept until the hold ends.
    pub retained: u32,
    /// What happened, for people.
    pub message: String,
    /// The same as a message key with its values (`message` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_said: Option<crate::Said>,
}

/// The account's deletion is scheduled (the grace period in which logging in can still keep it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletionScheduled {
    /// When the account and everything in it will be deleted (RFC 3339).
    pub deletion_due_at: String,
}

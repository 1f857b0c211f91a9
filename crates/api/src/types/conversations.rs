//! Conversations: the list, a thread, sending a message, and the edit jobs it queues.

use super::ImageInfo;
use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConversation {
    /// Optional title; defaults to "New conversation" and is replaced by the first prompt.
    #[serde(default)]
    pub title: Option<String>,
}

/// `PATCH /api/v1/conversations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenameConversation {
    /// The new title (1-200 characters), if it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Mark or unmark the conversation for commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial: Option<bool>,
}

/// Query of `GET /api/v1/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ConversationQuery {
    /// Only conversations whose title or prompts contain this text (case-insensitive).
    #[serde(default)]
    pub q: Option<String>,
    /// Page size, 1-100 (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub limit: Option<u32>,
    /// Conversations to skip (for the next page).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub offset: Option<u32>,
}

/// One conversation in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// Conversation id.
    pub id: String,
    /// Title shown in lists.
    pub title: String,
    /// Creation time (RFC 3339).
    pub created_at: Timestamp,
    /// Last activity (RFC 3339).
    pub updated_at: Timestamp,
    /// Marked for commercial use: its images are never used for AI training without separate consent.
    #[serde(default)]
    pub commercial: bool,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person.
    User,
    /// ViNano.
    Assistant,
}

/// One message in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// Message id.
    pub id: String,
    /// Author.
    pub role: Role,
    /// Text (prompt, or the assistant's description of what it did).
    pub text: String,
    /// The assistant's text as a message key with its values, for the app to say in the person's language
    /// (`text` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_said: Option<crate::Said>,
    /// Image attached to the message: the target for a user message, the result for an assistant one.
    pub image: Option<ImageInfo>,
    /// Creation time (RFC 3339).
    pub created_at: Timestamp,
    /// For a reply: the id of the prompt it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// For a prompt that started an edit: the edit job and where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<JobInfo>,
    /// For a reply that made several candidates: all of them in the order made (`image` is the one
    /// picked; `PUT .../messages/{id}/image` picks another). Empty for a single result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<ImageInfo>,
}

/// `PUT /api/v1/conversations/{id}/messages/{message_id}/image`: pick one of a reply's variants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickVariant {
    /// One of the reply's `variants`.
    pub image_id: String,
}

/// `POST /api/v1/conversations/{id}/device-edits`: the `edit` part of a version made on the person's device
/// (the `image` part is its file). The version joins the thread as the reply to `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceEdit {
    /// The instruction that made it.
    pub text: String,
    /// The steps the device ran, as the engine wrote them (an `EditPlan` as JSON).
    pub plan: String,
    /// The version it was made from, when that one is on the server (a photo that never left the device
    /// has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// Milliseconds the device spent.
    #[serde(default)]
    pub duration_ms: u64,
}

/// Where an edit job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Being worked on.
    Running,
    /// Done; the result is the prompt's reply.
    Succeeded,
    /// Gave up; `error` says why. Can be retried.
    Failed,
    /// Stopped at the person's request. Can be retried.
    Cancelled,
}

impl JobState {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Parses the stored form (unknown values read as failed).
    pub fn parse(s: &str) -> Self {
        match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "cancelled" => JobState::Cancelled,
            _ => JobState::Failed,
        }
    }

    /// True once the job will not change again by itself.
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed | JobState::Cancelled)
    }
}

/// An edit job, `GET /api/v1/jobs/{id}` and each event of `GET /api/v1/jobs/{id}/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobInfo {
    /// Job id.
    pub id: String,
    /// Where it is.
    pub state: JobState,
    /// Percent done, 0–100.
    pub progress: u8,
    /// Why it failed, written for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why it failed, as a message key with its values (`error` is its English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_said: Option<crate::Said>,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationDetail {
    /// The conversation.
    pub conversation: Conversation,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// `POST /api/v1/conversations/{id}/messages`: an instruction applied to a target image, or (empty text
/// with an `image_id`) a photo added to the thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostMessage {
    /// The instruction, in plain language.
    pub text: String,
    /// The image to edit; when absent, the latest image of the conversation.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Aspect ratio, style, format and number of variants of the result; remembered as the person's
    /// defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<crate::EditParams>,
    /// Where to edit: a brushed mask as a PNG in base64 (a `data:image/png;base64,` prefix allowed), white
    /// (or opaque) where brushed, the image's size or smaller with its shape. "Erase this" fills it; other
    /// steps are done inside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// Other images of the person's sent with the instruction, in the order attached: the photo edited is
    /// "image 1", these are "image 2" onwards ("put image 2 in the bottom right corner"). At most
    /// [`crate::MAX_REFERENCES`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 3))]
    pub references: Vec<String>,
    /// A tool's form (AI Tools) instead of words to be read: its steps are fixed by the form, done by the
    /// local engine on the photo (`image_id`, or the latest in the thread) or, for a poster, from nothing.
    /// `text` is what the thread shows for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<crate::Tool>,
    /// One of the person's presets (`/presets`) instead of words to be read: its saved steps are done by
    /// the local engine on the photo (`image_id`, or the latest in the thread). `text` is what the thread
    /// shows for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
}

/// The reply to [`PostMessage`]: the stored prompt and either the assistant's answer (an instruction it
/// could not follow) or the queued edit job (whose result becomes the answer); neither when a photo was
/// added without an instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exchange {
    /// The user's message as stored.
    pub prompt: Message,
    /// The assistant's message, with the result image, when it is already there.
    pub reply: Option<Message>,
    /// The edit job started by the prompt, whose result will be the reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<JobInfo>,
}

/// Paging for lists: `limit` (1-100) and `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Page {
    /// Page size, 1-100 (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub limit: Option<u32>,
    /// Items to skip.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Int64, maximum = 4294967295_u64))]
    pub offset: Option<u32>,
}

//! The HTTP contract between the ViNano SPA and server.
//!
//! Everything here is plain data and pure functions so it compiles to WebAssembly for the SPA and natively
//! for the server: request/response types, the error body every endpoint returns on failure, and the
//! input rules both sides enforce (the server always re-checks; the SPA checks first for quick feedback).

pub mod date;
pub mod deletion;
pub mod error;
pub mod l10n;
pub mod params;
pub mod policy;
pub mod problem;
pub mod time;
pub mod tour;
pub mod types;
pub mod validate;

pub use date::Date;
pub use deletion::{ConversationDeleted, DeletionScheduled};
pub use error::{ErrorBody, ErrorCode, Quota};
pub use params::{Aspect, EditParams, Format, Preferences, Style, MAX_REFERENCES, MAX_VARIANTS};
pub use problem::{Arg, Args, Msg, Problem, Said};
pub use time::Timestamp;
pub use types::*;

/// Prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

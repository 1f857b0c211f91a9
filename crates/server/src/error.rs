//! The error type of the server's work: what went wrong, in terms a person can be told. The HTTP layer
//! (`http/error.rs`) turns it into a status and a JSON body; background work (jobs, exports) records it.

use vinano_api::{Msg, Problem, Quota};

/// What can go wrong while serving a request or running background work. What the person is told is a
/// [`Problem`] (a message key and its values, [`Error::problem`]), said in English by `Display` and in the
/// person's language by the app.
#[derive(Debug)]
pub enum Error {
    /// No valid session.
    Unauthenticated,
    /// Wrong login or password.
    InvalidCredentials,
    /// Missing, or someone else's.
    NotFound,
    /// The request is wrong.
    InvalidInput(Problem),
    /// This request field is wrong (the app shows the message next to it).
    Field(&'static str, Problem),
    /// The age gate.
    UnderAge(Problem),
    /// The request conflicts with the state of things.
    Conflict(Problem),
    /// This field's value is already taken (409, shown next to the field).
    Taken(&'static str, Problem),
    /// Upload over the configured limit.
    PayloadTooLarge(Problem),
    /// Not an accepted image format (or request body type).
    UnsupportedMediaType(Problem),
    /// Damaged or oversized image.
    InvalidImage(Problem),
    /// The moderation gate refused the prompt; the message names the category.
    Refused(Problem),
    /// Refused: a cross-site request, or an action this session may not take.
    Forbidden(Problem),
    /// The session must prove its password again first (403 `reauth_required`).
    ReauthRequired,
    /// It existed but is gone (410).
    Gone(Problem),
    /// Too many attempts; try again after this many seconds.
    RateLimited(u64),
    /// An edit would make an image larger than the pixel budget (422).
    TooManyPixels(vinano_engine::TooLarge),
    /// A per-person limit is used up: 429 with `Retry-After` when waiting helps, 413 for storage.
    Quota {
        /// Which limit.
        quota: Quota,
        /// Its value (a count, or bytes for storage).
        limit: u64,
        /// Seconds until one more is allowed, when waiting helps.
        retry_after: Option<u64>,
    },
    /// The person's credits don't cover the job, or a card was refused (402).
    PaymentRequired(Problem),
    /// A processor's event whose signature doesn't hold (401).
    BadSignature(Problem),
    /// An outside service this needs (the payment processor) isn't answering; nothing changed (503).
    Unavailable(Problem),
    /// The request body was too slow to arrive (408).
    RequestTimeout,
    /// The disk (or the database) is full: nothing was saved (507).
    StorageFull,
    /// Database failure (logged, never shown).
    Sqlx(sqlx::Error),
    /// Anything else unexpected (logged, never shown).
    Anyhow(anyhow::Error),
}

impl Error {
    /// What the person is told.
    pub fn problem(&self) -> Problem {
        match self {
            Error::Unauthenticated => Msg::Unauthenticated.into(),
            Error::InvalidCredentials => Msg::InvalidCredentials.into(),
            Error::NotFound => Msg::NotFound.into(),
            Error::ReauthRequired => Msg::ReauthRequired.into(),
            Error::RequestTimeout => Msg::RequestTimeout.into(),
            Error::StorageFull => Msg::StorageFull.into(),
            Error::Sqlx(_) | Error::Anyhow(_) => Msg::Internal.into(),
            Error::InvalidInput(p)
            | Error::Field(_, p)
            | Error::UnderAge(p)
            | Error::Conflict(p)
            | Error::Taken(_, p)
            | Error::PayloadTooLarge(p)
            | Error::UnsupportedMediaType(p)
            | Error::InvalidImage(p)
            | Error::Refused(p)
            | Error::PaymentRequired(p)
            | Error::BadSignature(p)
            | Error::Unavailable(p)
            | Error::Forbidden(p)
            | Error::Gone(p) => p.clone(),
            Error::RateLimited(secs) => Problem::new(Msg::RateLimited).num("retry_after", (*secs).max(1)),
            Error::TooManyPixels(t) => t.said(),
            Error::Quota { quota, limit, retry_after } => {
                let msg = match quota {
                    Quota::UploadsPerHour => Msg::QuotaUploads,
                    Quota::JobsInFlight => Msg::QuotaJobs,
                    Quota::StoredBytes => Msg::QuotaStorage,
                    Quota::ConversationsPerHour => Msg::QuotaConversations,
                    Quota::ConversionsPerHour => Msg::QuotaConversions,
                    Quota::OpenStreams => Msg::QuotaStreams,
                };
                let mut p = Problem::new(msg).num("limit", *limit);
                if *quota == Quota::StoredBytes {
                    p = p.num("mb", limit / 1_000_000);
                }
                match retry_after {
                    Some(secs) => p.num("retry_after", (*secs).max(1)),
                    None => p,
                }
            }
        }
    }

    /// A request that is wrong in a way the message describes.
    pub fn invalid(problem: impl Into<Problem>) -> Self {
        Error::InvalidInput(problem.into())
    }

    /// A conflict with the state of things that the message describes.
    pub fn conflict(problem: impl Into<Problem>) -> Self {
        Error::Conflict(problem.into())
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sqlx(_) => f.write_str("database error"),
            Error::Anyhow(_) => f.write_str("internal error"),
            other => f.write_str(&crate::i18n::english(&other.problem())),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlx(e) => Some(e),
            Error::Anyhow(e) => Some(e.as_ref()),
            Error::TooManyPixels(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Sqlx(e)
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Anyhow(e)
    }
}

impl From<vinano_engine::TooLarge> for Error {
    fn from(e: vinano_engine::TooLarge) -> Self {
        Error::TooManyPixels(e)
    }
}

/// Result alias for server work.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Maps a unique-constraint violation to the error `taken` makes of the database's message (which
    /// names the column), passing other errors through.
    pub fn on_unique(e: sqlx::Error, taken: impl FnOnce(&str) -> Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => taken(db.message()),
            _ => Error::Sqlx(e),
        }
    }
}

impl From<crate::quota::Exceeded> for Error {
    fn from(e: crate::quota::Exceeded) -> Self {
        Error::Quota { quota: e.quota, limit: e.limit, retry_after: e.retry_after }
    }
}

impl From<crate::quota::Refused> for Error {
    fn from(e: crate::quota::Refused) -> Self {
        match e {
            crate::quota::Refused::Exceeded(e) => e.into(),
            crate::quota::Refused::Db(e) => Error::Sqlx(e),
        }
    }
}

impl From<vinano_api::validate::FieldError> for Error {
    fn from(e: vinano_api::validate::FieldError) -> Self {
        if e.is_under_age() {
            Error::UnderAge(e.problem)
        } else {
            Error::Field(e.field, e.problem)
        }
    }
}

impl From<vinano_imaging::ImagingError> for Error {
    fn from(e: vinano_imaging::ImagingError) -> Self {
        use vinano_imaging::ImagingError as E;
        match e {
            E::UnsupportedFormat => Error::UnsupportedMediaType(Msg::UnsupportedImage.into()),
            E::Heic => Error::UnsupportedMediaType(Msg::Heic.into()),
            E::TooLarge { width, height, max_megapixels } => Error::InvalidImage(
                Problem::new(Msg::ImageTooLarge)
                    .num("width", width.into())
                    .num("height", height.into())
                    .num("limit_mp", max_megapixels.into()),
            ),
            E::Corrupt => Error::InvalidImage(Msg::ImageDamaged.into()),
            E::Encode => Error::Anyhow(anyhow::anyhow!(e)),
        }
    }
}

/// Whether an I/O error is the disk being full.
fn io_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
}

impl Error {
    /// An unexpected failure recognised as one with a meaning for the person: the disk is full (507), or
    /// the account was closed while the request ran (401, like any other request of a closed account).
    pub(crate) fn classified(self) -> Self {
        use crate::storage::db::{is_account_closed, is_storage_full};
        let found = match &self {
            Error::Sqlx(e) => Some((is_storage_full(e), is_account_closed(e))),
            Error::Anyhow(e) => Some(e.chain().fold((false, false), |(full, closed), cause| {
                let sql = cause.downcast_ref::<sqlx::Error>();
                (
                    full || sql.is_some_and(is_storage_full)
                        || cause.downcast_ref::<std::io::Error>().is_some_and(io_full),
                    closed || sql.is_some_and(is_account_closed),
                )
            })),
            _ => None,
        };
        match found {
            Some((_, true)) => Error::Unauthenticated,
            Some((true, _)) => {
                tracing::error!(error = ?self, "out of space: a write was refused");
                Error::StorageFull
            }
            _ => self,
        }
    }
}

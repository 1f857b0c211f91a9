//! ViNano's API server: accounts, conversations, image uploads and edits under `/api/v1`, and the built
//! single-page app for every other path, on one port.
//!
//! The embedded default keeps everything on one machine: SQLite (WAL) and image files under a data
//! directory, the local edit engine from `vinano-engine`, and a job queue in the database ([`jobs`]).

pub mod admin;
pub mod backup;
pub mod billing;
pub mod clock;
pub mod config;
pub mod conversations;
pub mod credentials;
pub mod email_links;
pub mod embedded;
pub mod error;
pub mod fonts;
pub mod health;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod images;
pub mod jobs;
pub mod limits;
pub mod logging;
pub mod mail;
pub mod memory;
pub mod metrics;
pub mod moderation;
pub mod notices;
pub mod partners;
pub mod periods;
pub mod policy;
pub mod pool;
pub mod posters;
pub mod presets;
pub mod preview;
pub mod privacy;
pub mod provenance;
pub mod providers;
pub mod quota;
pub mod reconcile;
pub mod retention;
pub mod rights;
pub mod segmentation;
pub mod selection;
pub mod serve;
pub mod sharing;
pub mod signed;
pub mod state;
pub mod stopping;
pub mod storage;
pub mod suggestions;
pub mod trash;
pub mod undo;
pub mod video;

pub use config::Config;
pub use state::AppState;

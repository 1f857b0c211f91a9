//! Persistence: the SQL database and the blob store for image bytes.

mod blobs;
pub mod crypto;
pub mod db;
pub mod durable;

pub use blobs::BlobStore;

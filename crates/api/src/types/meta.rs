//! What the server says about itself.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/version`: which build answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    /// The server's version, such as `0.1.0`.
    pub version: String,
    /// The database schema it expects: the number of its newest migration.
    pub schema: i64,
    /// Whether background removal, portrait mode and product shots work here (the segmentation model is
    /// installed); the app offers them only then.
    #[serde(default)]
    pub background_editing: bool,
    /// Whether ID photos work here (the face detection model is installed as well).
    #[serde(default)]
    pub id_photos: bool,
}

//! My presets (the server's `http/presets.rs`): saved steps, listed, saved from a version and deleted; a
//! message runs one with `PostMessage.preset`.

use super::{check, delete, get, json, post, url, ApiError};
use vinano_api::{NewPreset, Preset};

/// The person's presets, the most recently used or saved first.
pub async fn presets() -> Result<Vec<Preset>, ApiError> {
    json(get(&url("/presets")).send().await).await
}

/// Saves the steps that made one of the person's versions (the answer's preset isn't read: the editor,
/// which saves, never lists them, and its chunk stays without the code that reads one).
pub async fn create_preset(new: &NewPreset) -> Result<(), ApiError> {
    let request = post(&url("/presets")).json(new).map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Deletes one preset.
pub async fn delete_preset(id: &str) -> Result<(), ApiError> {
    check(delete(&url(&format!("/presets/{id}"))).send().await).await.map(|_| ())
}

/// What the composer shows of a preset to choose it: its id, name and icon (read without its steps, so
/// the editor's chunk doesn't carry the code that reads a whole [`Preset`]).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct PresetChoice {
    /// Its id, sent as `PostMessage.preset`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its icon's wire name.
    pub icon: String,
}

/// The person's presets as the composer offers them.
pub async fn preset_choices() -> Result<Vec<PresetChoice>, ApiError> {
    json(get(&url("/presets")).send().await).await
}

/// What Home shows of a preset: its id and name (its own type, so Home's chunk reads it with its own code).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct HomePreset {
    /// Its id, sent as `PostMessage.preset`.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// The person's presets as Home offers them, the most recently used or saved first.
pub async fn home_presets() -> Result<Vec<HomePreset>, ApiError> {
    json(get(&url("/presets")).send().await).await
}

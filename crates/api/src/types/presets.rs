//! My presets (`/presets`): the steps of a result a person liked, saved under a name and an icon, to run
//! again on other photos from AI Tools or the composer (`PostMessage.preset`).

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// The most presets one person keeps.
pub const MAX_PRESETS: usize = 50;
/// The longest name a preset may have, in characters.
pub const MAX_PRESET_NAME: usize = 60;

/// A preset's icon, drawn by the app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresetIcon {
    /// A star (the default).
    #[default]
    Star,
    /// A heart.
    Heart,
    /// The sun.
    Sun,
    /// The moon.
    Moon,
    /// A lightning bolt.
    Bolt,
    /// A drop.
    Drop,
    /// A camera.
    Camera,
    /// A picture.
    Picture,
}

impl PresetIcon {
    /// Every icon, in the order offered.
    pub const ALL: [PresetIcon; 8] = [
        PresetIcon::Star,
        PresetIcon::Heart,
        PresetIcon::Sun,
        PresetIcon::Moon,
        PresetIcon::Bolt,
        PresetIcon::Drop,
        PresetIcon::Camera,
        PresetIcon::Picture,
    ];

    /// Its name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PresetIcon::Star => "star",
            PresetIcon::Heart => "heart",
            PresetIcon::Sun => "sun",
            PresetIcon::Moon => "moon",
            PresetIcon::Bolt => "bolt",
            PresetIcon::Drop => "drop",
            PresetIcon::Camera => "camera",
            PresetIcon::Picture => "picture",
        }
    }

    /// The icon a wire name names (`Star` for one this build doesn't know).
    pub fn parse(name: &str) -> Self {
        Self::ALL.into_iter().find(|i| i.as_str() == name).unwrap_or_default()
    }
}

/// `POST /api/v1/presets`: save the steps that made one of the person's versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPreset {
    /// The version whose steps are saved (made by ViNano's editor on one whole photo).
    pub image_id: String,
    /// What to call it: 1 to [`MAX_PRESET_NAME`] characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    /// Its icon.
    #[serde(default)]
    pub icon: PresetIcon,
}

/// A saved preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preset {
    /// Its id (`PostMessage.preset` names it).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its icon.
    pub icon: PresetIcon,
    /// Its steps, in words (English).
    pub steps: Vec<String>,
    /// The same as message keys with their values.
    pub steps_said: Vec<crate::Said>,
    /// When it was saved.
    pub created_at: Timestamp,
    /// When it was last run, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<Timestamp>,
}

//! What AI Tools' forms choose beyond a step's words: a poster's size and look, a product photo's canvas.

use serde::{Deserialize, Serialize};

/// A designed poster's size, look and extra line (the poster maker's form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PosterDesign {
    /// Width in pixels (64..=5000).
    pub width: u32,
    /// Height in pixels (64..=5000).
    pub height: u32,
    /// A date, time or place under the subtitle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The layout (`auto`: picked from the title).
    #[serde(default)]
    pub style: vinano_api::PosterStyle,
    /// The words' colour (white when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ink: Option<[u8; 3]>,
    /// The title's colour when it differs from the other words' ("make the title red").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_ink: Option<[u8; 3]>,
    /// Drawn over the photo the steps start from instead of a gradient.
    #[serde(default)]
    pub photo: bool,
    /// Dots per inch it is made for (print sizes), written into the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi: Option<u32>,
}

/// A product photo's canvas (the product photo form): its size, the empty margin around the subject, and a
/// gradient's second colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCanvas {
    /// Width in pixels (64..=5000).
    pub width: u32,
    /// Height in pixels (64..=5000).
    pub height: u32,
    /// The margin on each side, in percent of the width and of the height (0..=30).
    pub margin: u32,
    /// The bottom colour of a top-to-bottom gradient from the step's colour (absent: plain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<[u8; 3]>,
    /// A drawn scene instead of the colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<vinano_api::ProductScene>,
}

impl ProductCanvas {
    /// The largest side a canvas may have, in pixels.
    pub const MAX_SIDE: u32 = 5000;

    /// True when its size and margin are within their ranges.
    pub fn is_valid(&self) -> bool {
        let side = 64..=Self::MAX_SIDE;
        side.contains(&self.width) && side.contains(&self.height) && self.margin <= 30
    }
}

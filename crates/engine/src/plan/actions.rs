//! What each step is in the C2PA actions vocabulary, for the signed Content Credentials that go with what
//! ViNano makes. Only the kind of step goes in, never the words or the text the person wrote.

use super::Operation;

/// A step as the C2PA specification's actions name it
/// (<https://spec.c2pa.org/specifications/specifications/2.2/specs/C2PA_Specification.html#_actions>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct C2paAction {
    /// The action, such as `c2pa.color_adjustments`.
    pub action: &'static str,
    /// What the step did, in a few English words ("brightness", "background removed").
    pub description: &'static str,
    /// True when a trained model (the segmentation) decided which pixels changed.
    pub trained: bool,
}

impl Operation {
    /// The step as a C2PA action.
    pub fn c2pa_action(&self) -> C2paAction {
        const COLOUR: &str = "c2pa.color_adjustments";
        const FILTERED: &str = "c2pa.filtered";
        const EDITED: &str = "c2pa.edited";
        let (action, description) = match self {
            Operation::Brightness { .. } => (COLOUR, "brightness"),
            Operation::Contrast { .. } => (COLOUR, "contrast"),
            Operation::Grayscale => (COLOUR, "black and white"),
            Operation::Exposure { .. } => (COLOUR, "exposure"),
            Operation::Saturation { .. } => (COLOUR, "saturation"),
            Operation::Warmth { .. } => (COLOUR, "warmth"),
            Operation::Hue { .. } => (COLOUR, "hue"),
            Operation::Gamma { .. } => (COLOUR, "gamma"),
            Operation::Sepia => (COLOUR, "sepia"),
            Operation::Invert => (COLOUR, "inverted colours"),
            Operation::Posterize { .. } => (COLOUR, "posterized"),
            Operation::AutoLevels => (COLOUR, "auto levels"),
            Operation::WhiteBalance => (COLOUR, "white balance"),
            Operation::Rotate { .. } => ("c2pa.orientation", "rotated"),
            Operation::FlipHorizontal | Operation::FlipVertical => ("c2pa.orientation", "flipped"),
            Operation::CropAspect { .. } | Operation::CropEdges { .. } => ("c2pa.cropped", "cropped"),
            Operation::ResizeLongSide { .. } | Operation::Scale { .. } => ("c2pa.resized", "resized"),
            Operation::Vignette { .. } => (FILTERED, "vignette"),
            Operation::Blur { .. } => (FILTERED, "blur"),
            Operation::Sharpen { .. } => (FILTERED, "sharpened"),
            Operation::Denoise => (FILTERED, "noise reduced"),
            Operation::Pixelate { .. } => (FILTERED, "pixelated"),
            Operation::Border { .. } => ("c2pa.drawing", "frame"),
            Operation::Caption { .. } => ("c2pa.drawing", "text"),
            Operation::FillBackground { .. } => (EDITED, "transparent areas filled"),
            Operation::Video { .. } => (EDITED, "made into a clip"),
            Operation::RemoveBackground => (EDITED, "background removed"),
            Operation::ReplaceBackground { .. } => (EDITED, "background replaced"),
            Operation::ProductShot { .. } => (EDITED, "product shot"),
            Operation::IdPhoto { .. } => (EDITED, "ID photo"),
            Operation::Erase => (EDITED, "area filled from its surroundings"),
            Operation::Overlay { .. } => (EDITED, "another image placed on it"),
            Operation::Combine { .. } => (EDITED, "images combined"),
            Operation::Poster { .. } => ("c2pa.drawing", "poster"),
        };
        C2paAction { action, description, trained: self.needs_segmentation() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_name_their_c2pa_action_and_only_segmentation_is_trained() {
        let brighter = Operation::Brightness { percent: 20 };
        assert_eq!(
            brighter.c2pa_action(),
            C2paAction { action: "c2pa.color_adjustments", description: "brightness", trained: false }
        );
        let cut = Operation::RemoveBackground.c2pa_action();
        assert_eq!((cut.action, cut.trained), ("c2pa.edited", true));
        assert_eq!(Operation::Rotate { degrees: 90 }.c2pa_action().action, "c2pa.orientation");
    }
}

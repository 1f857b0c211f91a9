//! AI Video's form (`Tool::Video`): a camera movement over one photo, how long, and the clip's shape. The
//! local engine makes it an MP4 (H.264) at up to 1080 px and 24 frames a second; a video model, when one
//! is configured, animates the photo instead.

use crate::problem::{Msg, Problem};
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};

/// The longest clip, in seconds.
pub const MAX_VIDEO_SECONDS: u32 = 10;

/// AI Video's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VideoTool {
    /// The camera movement.
    #[serde(default)]
    pub motion: VideoMotion,
    /// How long, 1 to [`MAX_VIDEO_SECONDS`] seconds.
    #[serde(default = "default_seconds")]
    pub seconds: u32,
    /// The clip's shape (the photo is cut to it around its middle first).
    #[serde(default)]
    pub aspect: VideoAspect,
}

fn default_seconds() -> u32 {
    5
}

impl Default for VideoTool {
    fn default() -> Self {
        Self { motion: VideoMotion::default(), seconds: default_seconds(), aspect: VideoAspect::default() }
    }
}

/// A clip's camera movement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VideoMotion {
    /// Slowly closer.
    #[default]
    ZoomIn,
    /// Starts close and pulls back to show the whole picture.
    ZoomOut,
    /// Slides from left to right.
    Pan,
    /// The subject, cut out by the segmentation model, moves in front of its background.
    Parallax,
}

/// A clip's shape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VideoAspect {
    /// The photo's own.
    #[default]
    Original,
    /// 16:9, for YouTube and screens.
    Landscape,
    /// 9:16, for Reels, Shorts and stories.
    Portrait,
    /// 1:1.
    Square,
}

impl VideoMotion {
    /// Every movement, in the order offered.
    pub const ALL: [VideoMotion; 4] =
        [VideoMotion::ZoomIn, VideoMotion::ZoomOut, VideoMotion::Pan, VideoMotion::Parallax];
}

impl VideoAspect {
    /// Every shape, in the order offered.
    pub const ALL: [VideoAspect; 4] =
        [VideoAspect::Original, VideoAspect::Landscape, VideoAspect::Portrait, VideoAspect::Square];

    /// Width and height of the shape, `None` for the photo's own.
    pub fn ratio(self) -> Option<(u32, u32)> {
        match self {
            VideoAspect::Original => None,
            VideoAspect::Landscape => Some((16, 9)),
            VideoAspect::Portrait => Some((9, 16)),
            VideoAspect::Square => Some((1, 1)),
        }
    }
}

impl VideoTool {
    /// Checks the form: 1 to [`MAX_VIDEO_SECONDS`] seconds.
    pub fn check(&self) -> Result<(), FieldError> {
        if !(1..=MAX_VIDEO_SECONDS).contains(&self.seconds) {
            let problem = Problem::new(Msg::ToolSeconds).num("max", MAX_VIDEO_SECONDS.into());
            return Err(FieldError::new("seconds", problem));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_reads_with_defaults_and_its_length_is_checked() {
        let form: VideoTool = serde_json::from_str(r#"{"motion":"parallax","aspect":"portrait"}"#).unwrap();
        assert_eq!(
            (form.motion, form.seconds, form.aspect.ratio()),
            (VideoMotion::Parallax, 5, Some((9, 16)))
        );
        assert!(form.check().is_ok());
        for seconds in [0, 11] {
            let e = VideoTool { seconds, ..form }.check().unwrap_err();
            assert_eq!(e.field, "seconds");
        }
    }
}

//! What an edit is: the [`Operation`]s of an [`EditPlan`], how each reads, and what a valid plan is. The
//! rules that turn an instruction into a plan are in `plan/rules.rs` (English; background requests in
//! `plan/background.rs`) with the Chinese phrase table in `zh.rs`.

mod actions;
mod background;
mod compose;
mod designs;
mod enhance;
mod revise;
mod rules;
mod selection;
pub mod settings;
pub mod tools;
mod variants;
mod video;
mod words;
mod zh;

pub use actions::C2paAction;
pub use designs::{PosterDesign, ProductCanvas};
pub use revise::{revise, Revision};
pub use rules::{plan, plan_with};

use crate::EngineError;
use serde::{Deserialize, Serialize};
use vinano_api::{Msg, Problem};

/// Largest long side a resize may produce, in pixels.
pub const MAX_RESIZE: u32 = 8192;
/// The most steps one plan may have.
pub const MAX_STEPS: usize = 20;
/// The longest text (a poster's title or subtitle, a caption) one step may draw, in characters.
pub const MAX_TEXT: usize = 200;
/// The most images one instruction may come with (the photo being edited and its references).
pub const MAX_IMAGES: u32 = vinano_api::MAX_REFERENCES as u32 + 1;

/// One edit step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Brightness change in percent of full scale (-100..=100).
    Brightness {
        /// Signed percentage.
        percent: i32,
    },
    /// Contrast change in percent (-100..=100).
    Contrast {
        /// Signed percentage.
        percent: i32,
    },
    /// Remove colour.
    Grayscale,
    /// Clockwise rotation in degrees (a multiple of 90).
    Rotate {
        /// Degrees clockwise: 90, 180 or 270.
        degrees: i32,
    },
    /// Mirror left-right.
    FlipHorizontal,
    /// Mirror top-bottom.
    FlipVertical,
    /// Centre crop to an aspect ratio.
    CropAspect {
        /// Width part of the ratio.
        w: u32,
        /// Height part of the ratio.
        h: u32,
    },
    /// Resize so the longer side has this many pixels.
    ResizeLongSide {
        /// Target long side in pixels.
        pixels: u32,
    },
    /// Resize by a factor.
    Scale {
        /// 0.5 halves, 2.0 doubles.
        factor: f32,
    },
    /// Exposure change in stops (-3..=3).
    Exposure {
        /// Signed stops.
        stops: f32,
    },
    /// Saturation change in percent (-100..=100).
    Saturation {
        /// Signed percentage.
        percent: i32,
    },
    /// Colour temperature: positive warmer, negative cooler (-100..=100).
    Warmth {
        /// Signed percentage.
        percent: i32,
    },
    /// Hue rotation in degrees.
    Hue {
        /// Degrees around the colour wheel.
        degrees: i32,
    },
    /// Gamma correction (0.2..=5; above 1 lightens mid-tones).
    Gamma {
        /// The gamma value.
        value: f32,
    },
    /// Warm brown monochrome.
    Sepia,
    /// Photographic negative.
    Invert,
    /// Fewer tones per channel (2..=32).
    Posterize {
        /// Levels per channel.
        levels: u32,
    },
    /// Darker corners (0..=100).
    Vignette {
        /// Strength in percent.
        strength: u32,
    },
    /// Blur with a radius in pixels (0.5..=50).
    Blur {
        /// Radius in pixels.
        radius: f32,
    },
    /// Unsharp-mask sharpening (1..=100).
    Sharpen {
        /// Amount in percent.
        amount: u32,
    },
    /// Median filter against speckle noise.
    Denoise,
    /// Each channel's darkest and brightest tones stretched to the full range (auto levels).
    AutoLevels,
    /// The light's colour cast taken out (grey-world white balance).
    WhiteBalance,
    /// Cut percentages off the edges (each 0..=45).
    CropEdges {
        /// Percent off the left.
        left: u32,
        /// Percent off the top.
        top: u32,
        /// Percent off the right.
        right: u32,
        /// Percent off the bottom.
        bottom: u32,
    },
    /// A solid frame around the image.
    Border {
        /// Width in pixels (1..=500).
        width: u32,
        /// RGB colour.
        color: [u8; 3],
    },
    /// Fill transparent areas with a colour.
    FillBackground {
        /// RGB colour.
        color: [u8; 3],
    },
    /// Text written over the image.
    Caption {
        /// The words, exactly as quoted in the instruction.
        text: String,
        /// Where they go.
        place: TextPlace,
        /// RGB colour of the letters.
        color: [u8; 3],
    },
    /// A short clip of the image (an MP4); always the last step.
    Video {
        /// The movement.
        motion: Motion,
        /// Length in seconds (1..=10).
        seconds: u32,
        /// The frames' shape, width to height (each 1..=100); `None` is the picture's own (a pan's is
        /// narrower). A movement over a picture of another shape keeps within it: a pan travels across.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shape: Option<[u32; 2]>,
    },
    /// The background made transparent: the subject cut out along the segmentation's matte.
    RemoveBackground,
    /// Something else behind the subject: a colour, a gradient, or the photo blurred (portrait mode).
    ReplaceBackground {
        /// What goes behind.
        backdrop: Backdrop,
    },
    /// A product photo: the subject cut out and centred on a plain square with margins.
    ProductShot {
        /// RGB colour of the square.
        color: [u8; 3],
        /// A soft shadow under the subject.
        shadow: bool,
        /// The product photo form's size, margins and gradient (absent: a square a quarter larger than the
        /// subject).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canvas: Option<Box<ProductCanvas>>,
    },
    /// An ID photo: the face found, the eyes levelled, the head sized and placed as the standard asks, the
    /// background made `backdrop`; or a 4 × 6 in print sheet of copies. Made at 300 dpi.
    IdPhoto {
        /// The standard its size and head follow.
        standard: vinano_api::IdStandard,
        /// RGB colour behind the person.
        backdrop: [u8; 3],
        /// The person's own adjustment of the framing.
        #[serde(default)]
        nudge: vinano_api::IdNudge,
        /// A print sheet of copies instead of one photo.
        #[serde(default)]
        sheet: bool,
    },
    /// The selection filled from its surroundings, as if what was there had never been (object removal).
    Erase,
    /// Large square blocks of one colour each (a mosaic), to hide a face or a number plate.
    Pixelate {
        /// Blocks across the long side (8..=256): fewer is coarser.
        blocks: u32,
    },
    /// Another image sent with the instruction placed on this one (a logo in a corner), numbered in the
    /// order attached: 1 is the photo being edited.
    Overlay {
        /// Which attached image (1..=[`MAX_IMAGES`]).
        image: u32,
        /// Where it goes.
        place: Anchor,
        /// Its width, in percent of this image's width (5..=90).
        size: u32,
        /// Cut out along its subject (or its own transparency) first, as a logo or a sticker.
        cut_out: bool,
    },
    /// The attached images arranged in one picture, each in a cell the size of the first. The number of
    /// the image the steps started from stands for the picture as edited so far; an empty list is every
    /// attached image in order (filled in by [`EditPlan::for_images`]).
    Combine {
        /// Attached images, in the order they are laid out.
        images: Vec<u32>,
        /// Side by side, stacked or a grid.
        layout: Layout,
    },
    /// A new image made from words: a poster (the input image, if any, is not used).
    Poster {
        /// The large text.
        title: String,
        /// The smaller line below it.
        subtitle: Option<String>,
        /// Gradient from top to bottom.
        colors: [[u8; 3]; 2],
        /// What a poster maker's form chose beyond the words (absent for a poster asked for in words).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        design: Option<Box<PosterDesign>>,
    },
}

impl Operation {
    /// True for the steps that can be done inside a selection: those that keep the image's size and work
    /// on its pixels where they are (not a crop, a rotation, a frame, text or a new background).
    pub fn works_in_selection(&self) -> bool {
        use Operation::*;
        matches!(
            self,
            Brightness { .. }
                | Contrast { .. }
                | Grayscale
                | Exposure { .. }
                | Saturation { .. }
                | Warmth { .. }
                | Hue { .. }
                | Gamma { .. }
                | Sepia
                | Invert
                | Posterize { .. }
                | Blur { .. }
                | Sharpen { .. }
                | Denoise
                | AutoLevels
                | WhiteBalance
                | Erase
                | Pixelate { .. }
        )
    }

    /// True for the steps that need the segmentation model (on an image without transparency): the
    /// background steps, and a placed image cut out along its subject.
    pub fn needs_segmentation(&self) -> bool {
        matches!(
            self,
            Operation::RemoveBackground
                | Operation::ReplaceBackground { .. }
                | Operation::ProductShot { .. }
                | Operation::IdPhoto { .. }
                | Operation::Overlay { cut_out: true, .. }
                | Operation::Video { motion: Motion::Parallax, .. }
        )
    }

    /// True when the step needs the face detection model.
    pub fn needs_faces(&self) -> bool {
        matches!(self, Operation::IdPhoto { .. })
    }
}

/// The camera movement of a clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motion {
    /// Slowly closer.
    ZoomIn,
    /// Pulls back to reveal the whole picture.
    ZoomOut,
    /// Slides left to right.
    Pan,
    /// Dissolves from the previous version into this one.
    Crossfade,
    /// The subject (cut out by the segmentation model) moves in front of its background.
    Parallax,
}

/// What goes behind the subject when the background is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Backdrop {
    /// A solid colour.
    Color {
        /// RGB.
        color: [u8; 3],
    },
    /// A gradient from top to bottom.
    Gradient {
        /// RGB at the top, then at the bottom.
        colors: [[u8; 3]; 2],
    },
    /// The photo itself, blurred behind the subject (portrait mode).
    Blur {
        /// 1..=100: the blur's radius in thousandths of the long side (30 is 3 %).
        strength: u32,
    },
    /// Another image sent with the instruction, scaled to cover the photo.
    Image {
        /// Which attached image (2..=[`MAX_IMAGES`]; 1 is the photo itself).
        image: u32,
    },
}

/// Where a placed image goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// Top left corner.
    TopLeft,
    /// Top right corner.
    TopRight,
    /// Bottom left corner.
    BottomLeft,
    /// Bottom right corner.
    BottomRight,
    /// The middle.
    Center,
}

/// How combined images are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Side by side.
    Row,
    /// One above the other.
    Column,
    /// Two across.
    Grid,
}

/// Where a caption goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextPlace {
    /// Near the top.
    Top,
    /// In the middle.
    Center,
    /// Near the bottom.
    Bottom,
}

/// What the engine will do, in order, plus the parts it did not understand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditPlan {
    /// Steps, applied in the order given.
    pub operations: Vec<Operation>,
    /// Phrases of the instruction that matched nothing (reported back to the person, never silently dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_understood: Vec<String>,
    /// The steps are done inside the selection sent with the instruction (a brush mask), softened at its
    /// edge; [`Operation::Erase`] fills it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_selection: bool,
    /// Which attached image the steps start from ("put image 1 in the corner of image 2" starts from 2);
    /// `None` is image 1, the photo being edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
}

impl EditPlan {
    /// Checks every value against what the executor accepts — for plans that come from elsewhere (a
    /// language-model planner, a stored request), which the rules above did not produce.
    pub fn validate(&self) -> Result<(), EngineError> {
        use Operation::*;
        let bad = |problem: Problem| Err(EngineError::OutOfRange(problem));
        if self.operations.is_empty() || self.operations.len() > MAX_STEPS {
            return bad(Problem::new(Msg::ReplyPlanSteps).num("max", MAX_STEPS as u64));
        }
        for op in &self.operations {
            let ok = match op {
                Brightness { percent }
                | Contrast { percent }
                | Saturation { percent }
                | Warmth { percent } => (-100..=100).contains(percent),
                Rotate { degrees } => [90, 180, 270].contains(degrees),
                CropAspect { w, h } => (1..=100).contains(w) && (1..=100).contains(h),
                ResizeLongSide { pixels } => (16..=MAX_RESIZE).contains(pixels),
                Scale { factor } => (0.01..=4.0).contains(factor),
                Exposure { stops } => (-3.0..=3.0).contains(stops),
                Hue { degrees } => (-360..=360).contains(degrees),
                Gamma { value } => (0.2..=5.0).contains(value),
                Posterize { levels } => (2..=32).contains(levels),
                Vignette { strength } | Sharpen { amount: strength } => *strength <= 100,
                Blur { radius } => (0.5..=50.0).contains(radius),
                CropEdges { left, top, right, bottom } => {
                    [left, top, right, bottom].iter().all(|p| **p <= 45)
                }
                Border { width, .. } => (1..=500).contains(width),
                Caption { text, .. } => !text.trim().is_empty() && text.chars().count() <= MAX_TEXT,
                Poster { title, subtitle, design, .. } => {
                    let side = 64..=vinano_imaging::poster::MAX_SIDE;
                    !title.trim().is_empty()
                        && title.chars().count() <= MAX_TEXT
                        && subtitle.as_ref().is_none_or(|s| s.chars().count() <= MAX_TEXT)
                        && design.as_ref().is_none_or(|d| {
                            side.contains(&d.width)
                                && side.contains(&d.height)
                                && d.line.as_ref().is_none_or(|s| s.chars().count() <= MAX_TEXT)
                                && d.dpi.is_none_or(|dpi| (72..=1200).contains(&dpi))
                        })
                }
                Video { seconds, shape, .. } => {
                    (1..=10).contains(seconds)
                        && shape.is_none_or(|s| s.iter().all(|v| (1..=100).contains(v)))
                }
                Pixelate { blocks } => (8..=256).contains(blocks),
                ReplaceBackground { backdrop: Backdrop::Blur { strength } } => (1..=100).contains(strength),
                ReplaceBackground { backdrop: Backdrop::Image { image } } => (2..=MAX_IMAGES).contains(image),
                Overlay { image, size, .. } => {
                    (1..=MAX_IMAGES).contains(image) && *image != self.start() && (5..=90).contains(size)
                }
                Combine { images, .. } => {
                    images.len() <= MAX_IMAGES as usize
                        && images.len() != 1
                        && images.iter().all(|n| (1..=MAX_IMAGES).contains(n))
                }
                Grayscale
                | FlipHorizontal
                | FlipVertical
                | Sepia
                | Invert
                | Denoise
                | AutoLevels
                | WhiteBalance
                | Erase
                | FillBackground { .. }
                | RemoveBackground
                | ReplaceBackground { .. } => true,
                ProductShot { canvas, .. } => canvas.as_ref().is_none_or(|c| c.is_valid()),
                IdPhoto { nudge, .. } => {
                    [nudge.right, nudge.down, nudge.larger].iter().all(|n| (-20..=20).contains(n))
                }
            };
            if !ok {
                return bad(Problem::new(Msg::ReplyPlanValue).list("step", [op.said()]));
            }
        }
        if let Some(op) = self.operations.iter().find(|op| self.in_selection && !op.works_in_selection()) {
            return bad(Problem::new(Msg::ReplySelectionWholePhoto).list("step", [op.said()]));
        }
        if !self.in_selection && self.operations.contains(&Erase) {
            return bad(Msg::ReplyNeedsSelectionErase.into());
        }
        if self.operations.iter().rev().skip(1).any(|op| matches!(op, Video { .. })) {
            return bad(Msg::ReplyPlanVideoLast.into());
        }
        if !(1..=MAX_IMAGES).contains(&self.start()) {
            return bad(Problem::new(Msg::ReplyNoSuchImage)
                .num("image", self.start().into())
                .num("count", 1));
        }
        Ok(())
    }

    /// The attached image the steps start from (1 unless the plan says otherwise).
    pub fn start(&self) -> u32 {
        self.base.unwrap_or(1)
    }

    /// The highest image number the plan refers to (1 when it uses only the photo being edited).
    pub fn images_used(&self) -> u32 {
        let used = self.operations.iter().flat_map(|op| match op {
            Operation::Overlay { image, .. }
            | Operation::ReplaceBackground { backdrop: Backdrop::Image { image } } => {
                vec![*image]
            }
            Operation::Combine { images, .. } => images.clone(),
            _ => vec![],
        });
        used.chain([self.start()]).max().unwrap_or(1)
    }

    /// The plan for an instruction sent with `count` images (the photo being edited first): a combination
    /// without a list takes them all, and an image number past `count` is refused with how many came.
    pub fn for_images(mut self, count: u32) -> Result<Self, EngineError> {
        for op in &mut self.operations {
            if let Operation::Combine { images, .. } = op {
                if images.is_empty() {
                    *images = (1..=count).collect();
                }
                if images.len() < 2 {
                    return Err(EngineError::OutOfRange(Msg::ReplyCombineNeedsTwo.into()));
                }
            }
        }
        let used = self.images_used();
        if used > count {
            let said = if count <= 1 { Msg::ReplyAttachReferences } else { Msg::ReplyNoSuchImage };
            return Err(EngineError::OutOfRange(
                Problem::new(said).num("image", used.into()).num("count", count.into()),
            ));
        }
        self.validate()?;
        Ok(self)
    }

    /// The clip the plan ends with, if it makes one.
    pub fn video(&self) -> Option<(Motion, u32)> {
        match self.operations.last() {
            Some(Operation::Video { motion, seconds, .. }) => Some((*motion, *seconds)),
            _ => None,
        }
    }

    /// The shape (width, height) of the clip the plan ends with, when it asks for one.
    pub fn video_shape(&self) -> Option<(u32, u32)> {
        match self.operations.last() {
            Some(Operation::Video { shape: Some([w, h]), .. }) => Some((*w, *h)),
            _ => None,
        }
    }

    /// True when the plan makes a new image (a poster) rather than editing one, so it needs no photo.
    pub fn creates_image(&self) -> bool {
        matches!(self.operations.first(), Some(Operation::Poster { design, .. }) if design.as_ref().is_none_or(|d| !d.photo))
    }

    /// The print resolution the result is made for (a print-size poster), in dots per inch.
    pub fn dpi(&self) -> Option<u32> {
        self.operations.iter().rev().find_map(|op| match op {
            Operation::Poster { design: Some(design), .. } => design.dpi,
            Operation::IdPhoto { .. } => Some(crate::plan::tools::PRINT_DPI),
            _ => None,
        })
    }

    /// True when a step needs the segmentation model (to tell the subject from the background).
    pub fn needs_segmentation(&self) -> bool {
        self.operations.iter().any(Operation::needs_segmentation)
    }

    /// What the plan's result is made of, for its provenance mark: `model` when a model provider made or
    /// edited the pixels first, `from_nothing` when there was no photo to start from.
    pub fn provenance(&self, model: bool, from_nothing: bool) -> vinano_imaging::provenance::Source {
        use vinano_imaging::provenance::Source;
        match () {
            _ if model && from_nothing => Source::Generated,
            _ if model || self.needs_segmentation() => Source::ModelEdited,
            _ if self.creates_image() => Source::Algorithmic,
            _ if self.operations.contains(&Operation::Erase) => Source::Filled,
            _ if self.images_used() > 1 => Source::Composite,
            _ => Source::Enhanced,
        }
    }

    /// Every piece of text the plan will draw (to check that a font can draw it).
    pub fn texts(&self) -> Vec<&str> {
        self.operations
            .iter()
            .flat_map(|op| match op {
                Operation::Caption { text, .. } => vec![text.as_str()],
                Operation::Poster { title, subtitle, design, .. } => std::iter::once(title.as_str())
                    .chain(subtitle.as_deref())
                    .chain(design.as_ref().and_then(|d| d.line.as_deref()))
                    .collect(),
                _ => vec![],
            })
            .collect()
    }
}

/// Named colours for borders and backgrounds.
pub(crate) const COLORS: [(&str, [u8; 3]); 10] = [
    ("white", [255, 255, 255]),
    ("black", [0, 0, 0]),
    ("red", [200, 30, 30]),
    ("blue", [30, 60, 200]),
    ("green", [30, 150, 60]),
    ("yellow", [245, 205, 40]),
    ("gold", [212, 175, 55]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("pink", [240, 150, 180]),
];

fn color_name(color: [u8; 3]) -> &'static str {
    COLORS.iter().find(|(_, c)| *c == color).map_or("coloured", |(n, _)| n)
}

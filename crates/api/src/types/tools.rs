//! AI Tools: task-shaped forms (a poster, an enhance preset) whose request goes with a message in place of
//! words to be read. The form says exactly what to make, so the steps are fixed by it; the result is a normal
//! version in a normal conversation (compare, download, share, edit on by chat).

use crate::problem::{Msg, Problem};
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};

/// The longest title, subtitle or date/place line of a poster, in characters.
pub const POSTER_TEXT_MAX: usize = 200;

/// What a tool makes, sent as `PostMessage.tool`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "tool", rename_all = "snake_case")]
pub enum Tool {
    /// A poster from words, on a gradient or over the photo the message is about.
    Poster(PosterTool),
    /// A named set of corrections for one kind of photo.
    Enhance {
        /// Which set.
        preset: EnhancePreset,
    },
    /// A product photo: the subject cut out and centred with margins on a plain or graded backdrop, at a
    /// marketplace's size.
    Product(ProductTool),
    /// An ID or passport photo: the face found, the eyes levelled, the head sized and placed as a standard
    /// asks, on plain white or light blue, at 300 dpi; or a 4 × 6 in print sheet of copies.
    IdPhoto(IdPhotoTool),
    /// A clip: a camera movement over the photo, for some seconds, in a shape (AI Video).
    Video(crate::VideoTool),
}

/// The ID photo's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdPhotoTool {
    /// The standard its size and head follow.
    #[serde(default)]
    pub standard: IdStandard,
    /// The plain colour behind the person.
    #[serde(default)]
    pub background: IdBackground,
    /// A 4 × 6 in (10 × 15 cm) print sheet of copies with lines to cut along, instead of one photo.
    #[serde(default)]
    pub sheet: bool,
    /// The person's own adjustment of where the head sits and how large it is.
    #[serde(default)]
    pub nudge: IdNudge,
}

/// Moves from the automatic framing, each in percent (−20..=20).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdNudge {
    /// The head moves right (positive) or left, in percent of the width.
    #[serde(default)]
    pub right: i32,
    /// The head moves down (positive) or up, in percent of the height.
    #[serde(default)]
    pub down: i32,
    /// The head grows (positive) or shrinks, in percent.
    #[serde(default)]
    pub larger: i32,
}

/// An ID photo standard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdStandard {
    /// 35 × 45 mm, head 32–36 mm (EU and Schengen, UK, Australia, Taiwan, Hong Kong and many others).
    #[default]
    Mm35x45,
    /// 2 × 2 in (51 × 51 mm), head 25–35 mm (US passports and visas, India).
    In2x2,
    /// 50 × 70 mm, head 31–36 mm (Canada).
    Mm50x70,
    /// 33 × 48 mm, head 28–33 mm (China).
    Mm33x48,
}

/// How a standard frames the head.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdSpec {
    /// Width and height of the photo in millimetres.
    pub mm: (f32, f32),
    /// The head, crown to chin, that the standard allows, in millimetres (least, most).
    pub head_mm: (f32, f32),
    /// The space above the crown, in millimetres.
    pub top_mm: f32,
}

impl IdStandard {
    /// Every standard, in the order a form lists them.
    pub const ALL: [IdStandard; 4] =
        [IdStandard::Mm35x45, IdStandard::In2x2, IdStandard::Mm50x70, IdStandard::Mm33x48];

    /// Its sizes.
    pub fn spec(self) -> IdSpec {
        let (mm, head_mm, top_mm) = match self {
            IdStandard::Mm35x45 => ((35.0, 45.0), (32.0, 36.0), 4.0),
            IdStandard::In2x2 => ((50.8, 50.8), (25.4, 34.9), 4.4),
            IdStandard::Mm50x70 => ((50.0, 70.0), (31.0, 36.0), 8.0),
            IdStandard::Mm33x48 => ((33.0, 48.0), (28.0, 33.0), 4.0),
        };
        IdSpec { mm, head_mm, top_mm }
    }

    /// Width and height in pixels at 300 dpi.
    pub fn pixels(self) -> (u32, u32) {
        let px = |mm: f32| (mm / 25.4 * 300.0).round() as u32;
        let (w, h) = self.spec().mm;
        (px(w), px(h))
    }

    /// The stored form (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            IdStandard::Mm35x45 => "mm35x45",
            IdStandard::In2x2 => "in2x2",
            IdStandard::Mm50x70 => "mm50x70",
            IdStandard::Mm33x48 => "mm33x48",
        }
    }
}

/// An ID photo's background.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdBackground {
    /// Plain white.
    #[default]
    White,
    /// Plain light blue.
    LightBlue,
}

impl IdBackground {
    /// Its colour.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            IdBackground::White => [255, 255, 255],
            IdBackground::LightBlue => [200, 222, 242],
        }
    }
}

impl IdPhotoTool {
    /// Checks the form: each nudge within −20..=20 percent.
    pub fn check(&self) -> Result<(), FieldError> {
        let IdNudge { right, down, larger } = self.nudge;
        for (field, value) in [("nudge.right", right), ("nudge.down", down), ("nudge.larger", larger)] {
            if !(-20..=20).contains(&value) {
                let problem = Problem::new(Msg::ToolNudge).num("max", 20);
                return Err(FieldError::new(field, problem));
            }
        }
        Ok(())
    }
}

/// The product photo's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTool {
    /// The size and margins.
    #[serde(default)]
    pub preset: ProductPreset,
    /// The backdrop as `#rrggbb`: none for white, one for a plain colour, two for a gradient (top first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub colors: Vec<String>,
    /// A soft shadow under the subject.
    #[serde(default)]
    pub shadow: bool,
    /// A drawn scene behind the product instead of the colours (the product stands on its floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<ProductScene>,
}

/// A scene drawn behind a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductScene {
    /// Light grey paper sweeping from the wall into the floor.
    Studio,
    /// A warm wall above a wooden table.
    Table,
    /// Window light on a pale wall above a stone shelf.
    Sunlit,
}

impl ProductScene {
    /// Every scene, in the order a form lists them.
    pub const ALL: [ProductScene; 3] = [ProductScene::Studio, ProductScene::Table, ProductScene::Sunlit];
}

/// A product photo's size: a marketplace's recommended image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductPreset {
    /// 2000 × 2000, the subject filling 85 % (Amazon's main image, and most shops).
    #[default]
    Square2000,
    /// 1600 × 1600 (eBay).
    Ebay,
    /// 1024 × 1024 (Shopee).
    Shopee,
    /// 3000 × 2250, 4:3 (Etsy).
    Etsy,
    /// 1080 × 1350, 4:5 (an Instagram or Facebook shop post).
    Social,
}

impl ProductPreset {
    /// Every preset, in the order a form lists them.
    pub const ALL: [ProductPreset; 5] = [
        ProductPreset::Square2000,
        ProductPreset::Ebay,
        ProductPreset::Shopee,
        ProductPreset::Etsy,
        ProductPreset::Social,
    ];

    /// Width and height in pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            ProductPreset::Square2000 => (2000, 2000),
            ProductPreset::Ebay => (1600, 1600),
            ProductPreset::Shopee => (1024, 1024),
            ProductPreset::Etsy => (3000, 2250),
            ProductPreset::Social => (1080, 1350),
        }
    }

    /// The empty margin on each side, in percent of the width and of the height.
    pub fn margin(self) -> u32 {
        match self {
            ProductPreset::Square2000 => 7,
            _ => 10,
        }
    }

    /// The stored form (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            ProductPreset::Square2000 => "square2000",
            ProductPreset::Ebay => "ebay",
            ProductPreset::Shopee => "shopee",
            ProductPreset::Etsy => "etsy",
            ProductPreset::Social => "social",
        }
    }
}

impl ProductTool {
    /// Checks the form: at most two backdrop colours, each `#rrggbb`.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.colors.len() > 2 {
            return Err(FieldError::new("colors", Msg::ToolColors));
        }
        match self.colors.iter().find(|c| parse_color(c).is_none()) {
            Some(bad) => Err(FieldError::new(
                "colors",
                Problem::new(Msg::ToolColor).text("value", bad.chars().take(20).collect::<String>()),
            )),
            None => Ok(()),
        }
    }
}

/// The poster maker's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PosterTool {
    /// Its size.
    #[serde(default)]
    pub size: PosterSize,
    /// The large words (1–200 characters).
    pub title: String,
    /// A smaller line under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// A date, time or place, smaller still.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// Its look.
    #[serde(default)]
    pub style: PosterStyle,
    /// The background's two colours, top (or left) first, as `#rrggbb`; none: the style picks from the words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub colors: Vec<String>,
    /// The colour of the words, as `#rrggbb` (white when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_color: Option<String>,
    /// Use the message's photo as the poster's backdrop (the words over it) instead of a gradient.
    #[serde(default)]
    pub photo: bool,
}

/// A poster's size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PosterSize {
    /// 1080 × 1350, a social feed's portrait post.
    #[default]
    Portrait,
    /// 1080 × 1080.
    Square,
    /// 1080 × 1920, a story (9:16).
    Story,
    /// 1920 × 1080, a screen or a slide (16:9).
    Wide,
    /// A4 for print at 300 dpi: 2480 × 3508.
    A4,
    /// A3 for print at 300 dpi: 3508 × 4961.
    A3,
}

impl PosterSize {
    /// Every size, in the order a form lists them.
    pub const ALL: [PosterSize; 6] = [
        PosterSize::Portrait,
        PosterSize::Square,
        PosterSize::Story,
        PosterSize::Wide,
        PosterSize::A4,
        PosterSize::A3,
    ];

    /// Width and height in pixels.
    pub fn pixels(self) -> (u32, u32) {
        match self {
            PosterSize::Portrait => (1080, 1350),
            PosterSize::Square => (1080, 1080),
            PosterSize::Story => (1080, 1920),
            PosterSize::Wide => (1920, 1080),
            PosterSize::A4 => (2480, 3508),
            PosterSize::A3 => (3508, 4961),
        }
    }

    /// True for the sizes made for print (300 dots per inch).
    pub fn is_print(self) -> bool {
        matches!(self, PosterSize::A4 | PosterSize::A3)
    }

    /// The stored form (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            PosterSize::Portrait => "portrait",
            PosterSize::Square => "square",
            PosterSize::Story => "story",
            PosterSize::Wide => "wide",
            PosterSize::A4 => "a4",
            PosterSize::A3 => "a3",
        }
    }
}

/// A poster's look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PosterStyle {
    /// Picked from the title (the same words give the same look).
    #[default]
    Auto,
    /// A vertical gradient with soft circles; the title large in the upper middle.
    Circles,
    /// Diagonal stripes; the words in a dark band across the lower part.
    Stripes,
    /// A grid of dots; the title at the top over a bold rule.
    Dots,
}

impl PosterStyle {
    /// Every style, in the order a form lists them.
    pub const ALL: [PosterStyle; 4] =
        [PosterStyle::Auto, PosterStyle::Circles, PosterStyle::Stripes, PosterStyle::Dots];

    /// The stored form (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            PosterStyle::Auto => "auto",
            PosterStyle::Circles => "circles",
            PosterStyle::Stripes => "stripes",
            PosterStyle::Dots => "dots",
        }
    }
}

/// The enhance presets: each a named plan of corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnhancePreset {
    /// Rooms and houses: brighter, levels spread, a little warmth, crisper lines.
    RealEstate,
    /// Food: neutral white, richer and warmer colour, crisper texture.
    Food,
    /// People: noise smoothed, a touch brighter and warmer, gently sharpened.
    Portrait,
    /// An old or faded photo: noise removed, levels restored, the colour cast taken out, more contrast.
    OldPhoto,
}

impl EnhancePreset {
    /// Every preset, in the order a form lists them.
    pub const ALL: [EnhancePreset; 4] =
        [EnhancePreset::RealEstate, EnhancePreset::Food, EnhancePreset::Portrait, EnhancePreset::OldPhoto];

    /// The stored form (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            EnhancePreset::RealEstate => "real_estate",
            EnhancePreset::Food => "food",
            EnhancePreset::Portrait => "portrait",
            EnhancePreset::OldPhoto => "old_photo",
        }
    }
}

/// Reads `#rrggbb` (or `rrggbb`) as a colour.
pub fn parse_color(value: &str) -> Option<[u8; 3]> {
    let hex = value.trim().trim_start_matches('#');
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Writes a colour as `#rrggbb`.
pub fn color_hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

impl PosterTool {
    /// Checks the form: a title, texts within [`POSTER_TEXT_MAX`], colours that read as `#rrggbb` (none or
    /// two for the background). The field named is the form's.
    pub fn check(&self) -> Result<(), FieldError> {
        let text = |field: &'static str, value: &str, required: bool| {
            let n = value.trim().chars().count();
            if required && n == 0 {
                return Err(FieldError::new(field, Msg::FieldEmpty));
            }
            if n > POSTER_TEXT_MAX {
                let problem = Problem::new(Msg::FieldTooLong).num("max", POSTER_TEXT_MAX as u64);
                return Err(FieldError::new(field, problem));
            }
            Ok(())
        };
        text("title", &self.title, true)?;
        text("subtitle", self.subtitle.as_deref().unwrap_or_default(), false)?;
        text("line", self.line.as_deref().unwrap_or_default(), false)?;
        let bad_color = |field: &'static str, value: &str| {
            FieldError::new(
                field,
                Problem::new(Msg::ToolColor).text("value", value.chars().take(20).collect::<String>()),
            )
        };
        if self.colors.len() == 1 || self.colors.len() > 2 {
            return Err(FieldError::new("colors", Msg::ToolTwoColors));
        }
        if let Some(bad) = self.colors.iter().find(|c| parse_color(c).is_none()) {
            return Err(bad_color("colors", bad));
        }
        if let Some(c) = self.text_color.as_deref().filter(|c| parse_color(c).is_none()) {
            return Err(bad_color("text_color", c));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_as_hex() {
        assert_eq!(parse_color("#ff8800"), Some([255, 136, 0]));
        assert_eq!(parse_color("0A0b0C"), Some([10, 11, 12]));
        for bad in ["", "#fff", "#gg0000", "#ff88001", "red", "#ÿÿÿ"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
        assert_eq!(color_hex([255, 136, 0]), "#ff8800");
    }

    #[test]
    fn a_poster_form_is_checked_field_by_field() {
        let ok = PosterTool { title: "Summer sale".into(), ..PosterTool::default() };
        assert_eq!(ok.check(), Ok(()));
        let field = |p: PosterTool| p.check().unwrap_err().field;
        assert_eq!(field(PosterTool { title: "  ".into(), ..ok.clone() }), "title");
        assert_eq!(field(PosterTool { line: Some("x".repeat(201)), ..ok.clone() }), "line");
        assert_eq!(field(PosterTool { colors: vec!["#ffffff".into()], ..ok.clone() }), "colors");
        assert_eq!(
            field(PosterTool { colors: vec!["#ffffff".into(), "blue".into()], ..ok.clone() }),
            "colors"
        );
        assert_eq!(field(PosterTool { text_color: Some("#12".into()), ..ok.clone() }), "text_color");
        let two = PosterTool { colors: vec!["#ffffff".into(), "#000000".into()], ..ok };
        assert_eq!(two.check(), Ok(()));
    }

    #[test]
    fn a_product_form_takes_none_one_or_two_colours() {
        let ok = ProductTool::default();
        assert_eq!(ok.check(), Ok(()));
        let one = ProductTool { colors: vec!["#eeeeee".into()], ..ok.clone() };
        assert_eq!(one.check(), Ok(()));
        let three = ProductTool { colors: vec!["#eeeeee".into(); 3], ..ok.clone() };
        assert_eq!(three.check().unwrap_err().problem.msg, Msg::ToolColors);
        let bad = ProductTool { colors: vec!["white".into()], ..ok };
        assert_eq!(bad.check().unwrap_err().problem.msg, Msg::ToolColor);
        let json = serde_json::to_string(&Tool::Product(ProductTool::default())).unwrap();
        assert_eq!(json, r#"{"tool":"product","preset":"square2000","shadow":false}"#);
        assert_eq!(
            serde_json::from_str::<Tool>(r#"{"tool":"product"}"#).unwrap(),
            Tool::Product(ProductTool::default())
        );
    }

    #[test]
    fn id_photo_sizes_are_300_dpi_and_nudges_are_bounded() {
        assert_eq!(IdStandard::Mm35x45.pixels(), (413, 531));
        assert_eq!(IdStandard::In2x2.pixels(), (600, 600));
        let ok = IdPhotoTool::default();
        assert_eq!(ok.check(), Ok(()));
        let far = IdPhotoTool { nudge: IdNudge { down: 21, ..IdNudge::default() }, ..ok };
        assert_eq!(far.check().unwrap_err().field, "nudge.down");
        let json = r#"{"tool":"id_photo","standard":"in2x2","background":"light_blue","sheet":true}"#;
        let Tool::IdPhoto(form) = serde_json::from_str(json).unwrap() else { panic!() };
        assert_eq!(
            (form.standard, form.background.rgb(), form.sheet),
            (IdStandard::In2x2, [200, 222, 242], true)
        );
    }

    #[test]
    fn print_sizes_are_300_dpi() {
        // A4 is 210 × 297 mm, A3 297 × 420 mm: at 300 dpi, mm / 25.4 × 300 rounded.
        let px = |mm: f64| (mm / 25.4 * 300.0).round() as u32;
        assert_eq!(PosterSize::A4.pixels(), (px(210.0), px(297.0)));
        assert_eq!(PosterSize::A3.pixels(), (px(297.0), px(420.0)));
        let json = serde_json::to_string(&Tool::Enhance { preset: EnhancePreset::OldPhoto }).unwrap();
        assert_eq!(json, r#"{"tool":"enhance","preset":"old_photo"}"#);
    }
}

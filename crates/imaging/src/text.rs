//! Text on images: captions over photos and posters made from nothing but words. Glyphs come from a chain
//! of fonts — the caller's (for example CJK fonts found on the server) before the bundled Latin fallback,
//! DejaVu Sans Bold (`fonts/`, Bitstream Vera licence). No I/O here: callers pass font bytes in.

use crate::{ImagingError, Result};
use ab_glyph::{point, Font, FontArc, FontVec, PxScale, ScaleFont};
use image::{DynamicImage, Rgba, RgbaImage};
use std::sync::OnceLock;

static BUNDLED: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Fonts to draw with, in order of preference.
#[derive(Clone)]
pub struct Fonts {
    chain: Vec<FontArc>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({} fonts)", self.chain.len())
    }
}

impl Fonts {
    /// Only the bundled Latin font.
    pub fn bundled() -> Self {
        static FONT: OnceLock<FontArc> = OnceLock::new();
        let font = FONT.get_or_init(|| FontArc::try_from_slice(BUNDLED).expect("the bundled font parses"));
        Self { chain: vec![font.clone()] }
    }

    /// Adds a font (TTF, OTF, or the first face of a TTC) ahead of the bundled one.
    pub fn with(mut self, bytes: Vec<u8>) -> Result<Self> {
        let font = FontVec::try_from_vec_and_index(bytes, 0).map_err(|_| ImagingError::Corrupt)?;
        let at = self.chain.len() - 1;
        self.chain.insert(at, FontArc::new(font));
        Ok(self)
    }

    fn font_for(&self, c: char) -> Option<&FontArc> {
        self.chain.iter().find(|f| f.glyph_id(c).0 != 0)
    }

    /// The characters of `text` that no font can draw (spaces and line breaks aside).
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut missing: Vec<char> =
            text.chars().filter(|c| !c.is_whitespace() && self.font_for(*c).is_none()).collect();
        missing.dedup();
        missing
    }
}

pub use crate::poster::{poster, poster_with, PosterLayout};

/// Where a caption goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Near the top edge.
    Top,
    /// In the middle.
    Center,
    /// Near the bottom edge.
    Bottom,
}

/// Line width of `text` at `scale`.
fn width(fonts: &Fonts, text: &str, scale: PxScale) -> f32 {
    text.chars().filter_map(|c| fonts.font_for(c).map(|f| f.as_scaled(scale).h_advance(f.glyph_id(c)))).sum()
}

/// Breaks `text` into lines no wider than `max`: at spaces, and between any two CJK characters.
fn wrap(fonts: &Fonts, text: &str, scale: PxScale, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        // Units that may not be split: words, or single CJK characters.
        let mut units: Vec<String> = Vec::new();
        for word in paragraph.split(' ') {
            let mut current = String::new();
            for c in word.chars() {
                if c > '\u{2E80}' {
                    if !current.is_empty() {
                        units.push(std::mem::take(&mut current));
                    }
                    units.push(c.to_string());
                } else {
                    current.push(c);
                }
            }
            if !current.is_empty() {
                units.push(current);
            }
            units.push(" ".into());
        }
        for unit in units {
            let candidate = format!("{line}{unit}");
            if !line.trim().is_empty() && width(fonts, candidate.trim_end(), scale) > max {
                lines.push(line.trim().to_string());
                line = unit.trim_start().to_string();
            } else {
                line = candidate;
            }
        }
        if !line.trim().is_empty() {
            lines.push(line.trim().to_string());
        }
    }
    lines
}

/// Draws one line with its left edge at `x` and its baseline at `baseline`, blending `color` by coverage.
fn draw_line(
    canvas: &mut RgbaImage,
    fonts: &Fonts,
    text: &str,
    scale: PxScale,
    x: f32,
    baseline: f32,
    color: Rgba<u8>,
) {
    let mut caret = x;
    for c in text.chars() {
        let Some(font) = fonts.font_for(c) else { continue };
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, point(caret, baseline));
        caret += font.as_scaled(scale).h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else { continue };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let (px, py) = (bounds.min.x as i64 + i64::from(gx), bounds.min.y as i64 + i64::from(gy));
            if px < 0 || py < 0 || px >= i64::from(canvas.width()) || py >= i64::from(canvas.height()) {
                return;
            }
            let p = canvas.get_pixel_mut(px as u32, py as u32);
            let a = coverage.clamp(0.0, 1.0) * f32::from(color[3]) / 255.0;
            for i in 0..3 {
                p[i] = (f32::from(p[i]) * (1.0 - a) + f32::from(color[i]) * a).round() as u8;
            }
            p[3] = p[3].max((a * 255.0) as u8);
        });
    }
}

/// Draws centred, wrapped text in the band `top..top + height` of `canvas`; returns the bottom of the
/// text. A soft shadow keeps light text legible on light photos.
pub(crate) fn draw_block(
    canvas: &mut RgbaImage,
    fonts: &Fonts,
    text: &str,
    px: f32,
    top: f32,
    color: [u8; 3],
) -> f32 {
    let scale = PxScale::from(px);
    let max = canvas.width() as f32 * 0.9;
    let lines = wrap(fonts, text, scale, max);
    let line_height = px * 1.2;
    let shadow =
        if color.iter().map(|&c| u32::from(c)).sum::<u32>() > 384 { [0, 0, 0] } else { [255, 255, 255] };
    let mut baseline = top + px;
    for line in &lines {
        let x = (canvas.width() as f32 - width(fonts, line, scale)) / 2.0;
        let offset = (px / 24.0).max(1.0);
        draw_line(
            canvas,
            fonts,
            line,
            scale,
            x + offset,
            baseline + offset,
            Rgba([shadow[0], shadow[1], shadow[2], 140]),
        );
        draw_line(canvas, fonts, line, scale, x, baseline, Rgba([color[0], color[1], color[2], 255]));
        baseline += line_height;
    }
    top + lines.len() as f32 * line_height
}

pub(crate) fn finish(canvas: RgbaImage, had_alpha: bool) -> DynamicImage {
    if had_alpha {
        DynamicImage::ImageRgba8(canvas)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
    }
}

/// Writes a caption over an image: a twelfth of the shorter side high, wrapped to 90 % of the width.
pub fn caption(img: &DynamicImage, text: &str, place: Place, color: [u8; 3], fonts: &Fonts) -> DynamicImage {
    let mut canvas = img.to_rgba8();
    let (w, h) = canvas.dimensions();
    let px = (w.min(h) as f32 / 12.0).max(10.0);
    let lines = wrap(fonts, text, PxScale::from(px), w as f32 * 0.9).len().max(1) as f32;
    let block = lines * px * 1.2;
    let top = match place {
        Place::Top => h as f32 * 0.05,
        Place::Center => (h as f32 - block) / 2.0,
        Place::Bottom => h as f32 * 0.95 - block,
    };
    draw_block(&mut canvas, fonts, text, px, top.max(0.0), color);
    finish(canvas, img.color().has_alpha())
}

/// Pixels in `rows` of `img` that `is_ink` says are lettering (for tests).
#[cfg(test)]
pub(crate) fn ink(img: &DynamicImage, rows: std::ops::Range<u32>, is_ink: impl Fn([u8; 3]) -> bool) -> usize {
    let rgb = img.to_rgb8();
    rows.flat_map(|y| (0..rgb.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| is_ink(rgb.get_pixel(x, y).0))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caption_is_drawn_where_asked() {
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(400, 300, image::Rgb([30, 30, 90])));
        let white = |p: [u8; 3]| p.iter().all(|&c| c > 200);
        let bottom = caption(&photo, "Happy Birthday", Place::Bottom, [255, 255, 255], &Fonts::bundled());
        assert_eq!((bottom.width(), bottom.height()), (400, 300));
        assert!(ink(&bottom, 200..300, white) > 500, "white letters near the bottom");
        assert_eq!(ink(&bottom, 0..150, white), 0, "nothing at the top");
        let top = caption(&photo, "Happy Birthday", Place::Top, [255, 255, 255], &Fonts::bundled());
        assert!(ink(&top, 0..100, white) > 500);
        assert_eq!(ink(&top, 150..300, white), 0);
    }

    #[test]
    fn long_text_wraps_inside_the_image() {
        let fonts = Fonts::bundled();
        let lines = wrap(
            &fonts,
            "the quick brown fox jumps over the lazy dog again and again",
            PxScale::from(40.0),
            300.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| width(&fonts, l, PxScale::from(40.0)) <= 300.0), "{lines:?}");
    }

    #[test]
    fn missing_glyphs_are_reported() {
        let fonts = Fonts::bundled();
        assert!(fonts.missing("50% OFF — Café").is_empty());
        assert_eq!(fonts.missing("生日 快樂"), ['生', '日', '快', '樂']);
    }
}

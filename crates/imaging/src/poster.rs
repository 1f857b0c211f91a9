//! Posters made from words: on a gradient in one of three layouts, or over a photo. The words are a title,
//! an optional subtitle and an optional date/place line, centred and wrapped, in one colour with a soft
//! shadow.

use crate::compose;
use crate::text::{draw_block, finish, Fonts};
use image::{DynamicImage, Rgba, RgbaImage};

/// The largest side a poster may have, in pixels (A3 at 300 dpi is 3508 × 4961).
pub const MAX_SIDE: u32 = 5000;

/// How a poster is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PosterLayout {
    /// A vertical gradient with soft circles; the title large in the upper middle, the subtitle below.
    Circles,
    /// Diagonal stripes in the two colours; title and subtitle in a dark band across the lower part.
    Stripes,
    /// A horizontal gradient under a grid of dots; the title at the top over a bold rule.
    Dots,
}

impl PosterLayout {
    /// Every layout.
    pub const ALL: [PosterLayout; 3] = [PosterLayout::Circles, PosterLayout::Stripes, PosterLayout::Dots];

    /// The layout picked from a title (the same words give the same look).
    pub fn for_title(title: &str) -> Self {
        Self::ALL[fnv(title) as usize % Self::ALL.len()]
    }
}

/// The words on a poster.
#[derive(Debug, Clone, Copy, Default)]
pub struct PosterWords<'a> {
    /// The large text.
    pub title: &'a str,
    /// A smaller line under it.
    pub subtitle: Option<&'a str>,
    /// A date, time or place, smaller still.
    pub line: Option<&'a str>,
}

/// The colours of a poster's words: the title's, and the smaller lines' (a rule under the title takes the
/// title's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PosterInk {
    /// The title's colour.
    pub title: [u8; 3],
    /// The subtitle's and the date/place line's colour.
    pub rest: [u8; 3],
}

impl From<[u8; 3]> for PosterInk {
    fn from(ink: [u8; 3]) -> Self {
        PosterInk { title: ink, rest: ink }
    }
}

fn fnv(text: &str) -> u32 {
    text.bytes().fold(2166136261u32, |h, c| (h ^ u32::from(c)).wrapping_mul(16777619))
}

/// A poster made from words, in a layout picked from the title (so the same words give the same poster
/// and different posters look different).
pub fn poster(
    width: u32,
    height: u32,
    colors: [[u8; 3]; 2],
    title: &str,
    subtitle: Option<&str>,
    fonts: &Fonts,
) -> DynamicImage {
    poster_with(PosterLayout::for_title(title), width, height, colors, title, subtitle, fonts)
}

/// A poster in the given layout, with white words.
pub fn poster_with(
    layout: PosterLayout,
    width: u32,
    height: u32,
    colors: [[u8; 3]; 2],
    title: &str,
    subtitle: Option<&str>,
    fonts: &Fonts,
) -> DynamicImage {
    let words = PosterWords { title, subtitle, line: None };
    designed(layout, (width, height), colors, words, [255, 255, 255], fonts)
}

/// The title's size in pixels for a poster of `w` × `h`.
fn title_px(w: u32, h: u32) -> f32 {
    (w as f32 / 7.0).min(h as f32 / 5.0)
}

/// Draws the words from `top` down: the title, then the subtitle (0.45 of its size) and the line (0.32);
/// returns the bottom of the last.
fn draw_words(
    canvas: &mut RgbaImage,
    fonts: &Fonts,
    words: PosterWords<'_>,
    px: f32,
    top: f32,
    ink: PosterInk,
) -> f32 {
    let mut bottom = draw_block(canvas, fonts, words.title, px, top, ink.title);
    if let Some(sub) = words.subtitle.filter(|s| !s.trim().is_empty()) {
        bottom = draw_block(canvas, fonts, sub, px * 0.45, bottom + px * 0.3, ink.rest);
    }
    if let Some(line) = words.line.filter(|s| !s.trim().is_empty()) {
        bottom = draw_block(canvas, fonts, line, px * 0.32, bottom + px * 0.3, ink.rest);
    }
    bottom
}

/// A poster of `size` in `layout` on the two `colors`, its words in `ink`.
pub fn designed(
    layout: PosterLayout,
    size: (u32, u32),
    colors: [[u8; 3]; 2],
    words: PosterWords<'_>,
    ink: impl Into<PosterInk>,
    fonts: &Fonts,
) -> DynamicImage {
    let ink = ink.into();
    let (w, h) = (size.0.clamp(64, MAX_SIDE), size.1.clamp(64, MAX_SIDE));
    let [a, b] = colors;
    let mix = |t: f32, i: usize| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t).round() as u8;
    let lighten = |p: &mut Rgba<u8>, amount: f32| {
        for i in 0..3 {
            p[i] = (f32::from(p[i]) * (1.0 - amount) + 255.0 * amount) as u8;
        }
    };
    let px = title_px(w, h);
    let mut canvas = match layout {
        PosterLayout::Circles | PosterLayout::Stripes => RgbaImage::from_fn(w, h, |_, y| {
            let t = y as f32 / (h - 1) as f32;
            Rgba([mix(t, 0), mix(t, 1), mix(t, 2), 255])
        }),
        PosterLayout::Dots => RgbaImage::from_fn(w, h, |x, _| {
            let t = x as f32 / (w - 1) as f32;
            Rgba([mix(t, 0), mix(t, 1), mix(t, 2), 255])
        }),
    };
    match layout {
        PosterLayout::Circles => {
            // Translucent circles placed from the title.
            let mut seed = fnv(words.title);
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed
            };
            for _ in 0..6 {
                let (cx, cy) = ((next() % w) as i64, (next() % h) as i64);
                let r = i64::from(w.min(h) / 10 + next() % (w.min(h) / 5).max(1));
                for y in (cy - r).max(0)..(cy + r).min(i64::from(h)) {
                    for x in (cx - r).max(0)..(cx + r).min(i64::from(w)) {
                        if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                            lighten(canvas.get_pixel_mut(x as u32, y as u32), 0.18);
                        }
                    }
                }
            }
            draw_words(&mut canvas, fonts, words, px, h as f32 * 0.3, ink);
        }
        PosterLayout::Stripes => {
            let stripe = (w.max(h) / 12).max(4);
            for (x, y, p) in canvas.enumerate_pixels_mut() {
                if ((x + y) / stripe) % 2 == 0 {
                    lighten(p, 0.22);
                }
            }
            // A dark band for the words, across the lower part.
            let band_top = (h as f32 * 0.56) as u32;
            let band_bottom = (h as f32 * 0.9) as u32;
            for y in band_top..band_bottom {
                for x in 0..w {
                    let p = canvas.get_pixel_mut(x, y);
                    for i in 0..3 {
                        p[i] = (f32::from(p[i]) * 0.3) as u8;
                    }
                }
            }
            draw_words(&mut canvas, fonts, words, px, h as f32 * 0.6, ink);
        }
        PosterLayout::Dots => {
            let step = (w / 16).max(6);
            let r = (step / 5).max(1) as i64;
            for (x, y, p) in canvas.enumerate_pixels_mut() {
                let (dx, dy) = ((x % step) as i64 - (step / 2) as i64, (y % step) as i64 - (step / 2) as i64);
                if dx * dx + dy * dy <= r * r {
                    lighten(p, 0.35);
                }
            }
            let title = PosterWords { subtitle: None, line: None, ..words };
            let bottom = draw_words(&mut canvas, fonts, title, px, h as f32 * 0.1, ink);
            // A bold rule under the title.
            let rule_top = (bottom + px * 0.3) as u32;
            let rule_h = (px / 8.0).max(2.0) as u32;
            for y in rule_top..(rule_top + rule_h).min(h) {
                for x in w / 5..w - w / 5 {
                    let [r, g, b] = ink.title;
                    canvas.put_pixel(x, y, Rgba([r, g, b, 255]));
                }
            }
            let rest =
                PosterWords { title: words.subtitle.unwrap_or_default(), subtitle: words.line, line: None };
            let top = (rule_top + rule_h) as f32 + px * 0.4;
            draw_words(&mut canvas, fonts, rest, px * 0.45, top, PosterInk::from(ink.rest));
        }
    }
    finish(canvas, false)
}

/// A poster of `size` over `photo` (scaled to fill it and cut around its centre), darkened towards the
/// bottom, where the words go.
pub fn over_photo(
    photo: &DynamicImage,
    size: (u32, u32),
    words: PosterWords<'_>,
    ink: impl Into<PosterInk>,
    fonts: &Fonts,
) -> DynamicImage {
    let ink = ink.into();
    let (w, h) = (size.0.clamp(64, MAX_SIDE), size.1.clamp(64, MAX_SIDE));
    let mut canvas = compose::cover(photo, w, h);
    let fade_top = h as f32 * 0.45;
    for (_, y, p) in canvas.enumerate_pixels_mut() {
        let t = ((y as f32 - fade_top) / (h as f32 - fade_top)).clamp(0.0, 1.0);
        let keep = 1.0 - 0.7 * t.sqrt();
        for i in 0..3 {
            p[i] = (f32::from(p[i]) * keep) as u8;
        }
        p[3] = 255;
    }
    draw_words(&mut canvas, fonts, words, title_px(w, h) * 0.85, h as f32 * 0.58, ink);
    finish(canvas, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::ink;

    #[test]
    fn each_poster_layout_puts_the_title_where_it_belongs() {
        let fonts = Fonts::bundled();
        let colors = [[40, 90, 200], [20, 160, 120]];
        let white = |px: [u8; 3]| px.iter().all(|&c| c > 240);
        let mut looks = Vec::new();
        for (layout, title_rows, empty_rows) in [
            (PosterLayout::Circles, 220..330, 620..750),
            (PosterLayout::Stripes, 450..560, 0..300),
            (PosterLayout::Dots, 75..185, 500..750),
        ] {
            let p = poster_with(layout, 600, 750, colors, "SALE", None, &fonts);
            assert!(ink(&p, title_rows.clone(), white) > 2000, "{layout:?}: no title in {title_rows:?}");
            assert!(ink(&p, empty_rows.clone(), white) < 200, "{layout:?}: lettering in {empty_rows:?}");
            looks.push(p);
        }
        assert_ne!(looks[0], looks[1]);
        assert_ne!(looks[1], looks[2]);
        // Different titles pick different layouts.
        let picked: std::collections::HashSet<_> =
            ["SALE", "50% OFF", "Grand opening", "New menu", "Concert", "Book fair"]
                .iter()
                .map(|t| PosterLayout::ALL[fnv(t) as usize % 3])
                .collect();
        assert_eq!(picked.len(), 3);
    }

    #[test]
    fn a_poster_has_a_gradient_and_its_title() {
        let fonts = Fonts::bundled();
        let p = poster_with(
            PosterLayout::Circles,
            600,
            750,
            [[250, 120, 30], [250, 210, 60]],
            "50% OFF",
            Some("Summer sale"),
            &fonts,
        );
        assert_eq!((p.width(), p.height()), (600, 750));
        let rgb = p.to_rgb8();
        // White title lettering in the upper-middle band; the background stays orange-yellow.
        assert!(ink(&p, 200..340, |px| px.iter().all(|&c| c > 240)) > 2000);
        let corner = rgb.get_pixel(2, 2).0;
        assert!(corner[0] > 200 && corner[2] < 150, "{corner:?}");
        // Same words, same poster.
        let again =
            poster(600, 750, [[250, 120, 30], [250, 210, 60]], "50% OFF", Some("Summer sale"), &fonts);
        assert_eq!(
            again,
            poster(600, 750, [[250, 120, 30], [250, 210, 60]], "50% OFF", Some("Summer sale"), &fonts)
        );
    }

    #[test]
    fn a_print_poster_has_its_size_its_words_in_their_colour_and_the_line_below() {
        let fonts = Fonts::bundled();
        let words =
            PosterWords { title: "SALE", subtitle: Some("Everything half price"), line: Some("Sat 12 July") };
        let red = |px: [u8; 3]| px[0] > 200 && px[1] < 60 && px[2] < 60;
        let p = designed(
            PosterLayout::Circles,
            (2480, 3508),
            [[20, 20, 20], [40, 40, 40]],
            words,
            [230, 20, 20],
            &fonts,
        );
        assert_eq!((p.width(), p.height()), (2480, 3508));
        // The title's red ink starts at 30 % of the height; nothing red above it, the line's ink further down.
        let title = (3508.0 * 0.3) as u32;
        assert_eq!(ink(&p, 0..title, red), 0);
        assert!(ink(&p, title..title + 420, red) > 50_000);
        let without_line = designed(
            PosterLayout::Circles,
            (2480, 3508),
            [[20, 20, 20], [40, 40, 40]],
            PosterWords { line: None, ..words },
            [230, 20, 20],
            &fonts,
        );
        assert!(ink(&p, 0..3508, red) > ink(&without_line, 0..3508, red) + 5_000, "the line adds ink");
    }

    #[test]
    fn the_title_can_have_its_own_colour() {
        let fonts = Fonts::bundled();
        let words = PosterWords { title: "SALE", subtitle: Some("Everything half price"), line: None };
        let colours = PosterInk { title: [230, 20, 20], rest: [255, 255, 255] };
        let p =
            designed(PosterLayout::Circles, (600, 750), [[20, 20, 20], [40, 40, 40]], words, colours, &fonts);
        let red = |px: [u8; 3]| px[0] > 200 && px[1] < 60 && px[2] < 60;
        let white = |px: [u8; 3]| px.iter().all(|&c| c > 240);
        // The title's band (from 30 % down) is red; the subtitle under it is white, with no red.
        assert!(ink(&p, 225..330, red) > 2000);
        assert_eq!(ink(&p, 225..330, white), 0);
        assert!(ink(&p, 370..460, white) > 500);
        assert_eq!(ink(&p, 370..460, red), 0);
    }

    #[test]
    fn a_poster_over_a_photo_keeps_the_photo_on_top_and_writes_below() {
        let fonts = Fonts::bundled();
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(400, 300, image::Rgb([40, 160, 60])));
        let p = over_photo(
            &photo,
            (600, 750),
            PosterWords { title: "PARK DAY", ..Default::default() },
            [255, 255, 255],
            &fonts,
        );
        assert_eq!((p.width(), p.height()), (600, 750));
        let top = p.to_rgb8().get_pixel(300, 20).0;
        assert_eq!(top, [40, 160, 60], "the photo fills the poster, untouched at the top");
        let white = |px: [u8; 3]| px.iter().all(|&c| c > 240);
        assert_eq!(ink(&p, 0..400, white), 0);
        assert!(ink(&p, 430..560, white) > 2000, "the title in the darkened lower part");
    }
}

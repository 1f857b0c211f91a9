//! Faces and ID photos: where a face detector found a face (its box and eyes), and an ID photo built around
//! it — the eyes levelled, the head (crown to chin) sized and placed as a standard asks, on a plain backdrop
//! — and a print sheet of copies.

use image::{imageops::FilterType, DynamicImage, GrayImage, Luma, Rgb, RgbImage};

/// A face found in a photo, in the photo's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    /// Centre of the face's box (cheek to cheek; from the forehead to a little below the chin, as face
    /// detectors draw it).
    pub center: (f32, f32),
    /// Width and height of the box.
    pub size: (f32, f32),
    /// The eye on the left of the picture, then the one on the right.
    pub eyes: [(f32, f32); 2],
    /// How sure the detector is (0..=1).
    pub score: f32,
}

impl Face {
    /// The chin: the box reaches about an eighth of its height below it (measured on BlazeFace's boxes).
    pub fn chin(&self) -> f32 {
        self.center.1 + self.size.1 * 0.38
    }

    /// Between the eyes.
    pub fn eye_mid(&self) -> (f32, f32) {
        let [a, b] = self.eyes;
        ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
    }

    /// How far the eye line tilts from level, in radians (positive: the right eye is lower).
    pub fn tilt(&self) -> f32 {
        let [a, b] = self.eyes;
        (b.1 - a.1).atan2(b.0 - a.0)
    }
}

/// Finds faces in a photo (a model, or a stand-in in tests), the surest first.
pub trait FaceFinder {
    /// The faces in `image`.
    fn faces(&self, image: &RgbImage) -> Result<Vec<Face>, String>;
}

/// How an ID photo standard frames a head.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdFrame {
    /// Width and height of the photo in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The head, crown to chin, as a share of the height.
    pub head: f32,
    /// The space above the crown, as a share of the height.
    pub top: f32,
}

/// An ID photo's frame, backdrop and the person's own adjustments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdLayout {
    /// The standard's frame.
    pub frame: IdFrame,
    /// The plain colour behind the person.
    pub backdrop: [u8; 3],
    /// Moves the head right (positive) or left, as a share of the width.
    pub shift_x: f32,
    /// Moves the head down (positive) or up, as a share of the height.
    pub shift_y: f32,
    /// Makes the head larger (above 1) or smaller.
    pub zoom: f32,
}

/// `img` turned by `angle` radians (clockwise on screen for a positive angle) about `centre`, at the same
/// size; what comes in from outside is `fill`.
pub fn rotate_about(img: &RgbImage, angle: f32, centre: (f32, f32), fill: [u8; 3]) -> RgbImage {
    let (w, h) = img.dimensions();
    let (sin, cos) = angle.sin_cos();
    RgbImage::from_fn(w, h, |x, y| {
        // Where this output pixel comes from: the inverse turn.
        let (dx, dy) = (x as f32 + 0.5 - centre.0, y as f32 + 0.5 - centre.1);
        let (sx, sy) = (centre.0 + dx * cos + dy * sin - 0.5, centre.1 - dx * sin + dy * cos - 0.5);
        Rgb(bilinear(img, sx, sy).unwrap_or(fill))
    })
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> Option<[u8; 3]> {
    let (w, h) = img.dimensions();
    if x < -0.5 || y < -0.5 || x > w as f32 - 0.5 || y > h as f32 - 0.5 {
        return None;
    }
    let (x, y) = (x.clamp(0.0, (w - 1) as f32), y.clamp(0.0, (h - 1) as f32));
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p = |x, y| img.get_pixel(x, y).0.map(f32::from);
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    Some([0, 1, 2].map(|i| {
        let top = a[i] + (b[i] - a[i]) * fx;
        let bottom = c[i] + (d[i] - c[i]) * fx;
        (top + (bottom - top) * fy).round().clamp(0.0, 255.0) as u8
    }))
}

/// The crown: the top of the person's outline (the matte, alpha ≥ 128) above the face, in the band of
/// columns the face spans; `None` when the matte shows nothing there.
fn crown(matte: &GrayImage, face: &Face) -> Option<f32> {
    let (w, _) = matte.dimensions();
    let half = face.size.0 / 2.0;
    let from = (face.center.0 - half).max(0.0) as u32;
    let to = ((face.center.0 + half) as u32).min(w.saturating_sub(1));
    let band = (to.saturating_sub(from) + 1) as usize;
    let top_of_face = (face.center.1 - face.size.1 / 2.0).max(0.0) as u32;
    // The first row, from the top, where a twentieth of the band is the person (a stray hair is not).
    let enough = (band / 20).max(2);
    (0..=top_of_face)
        .find(|&y| (from..=to).filter(|&x| matte.get_pixel(x, y)[0] >= 128).count() >= enough)
        .map(|y| y as f32)
}

/// The ID photo of the person whose `face` is in `img`: the eyes levelled, everything but the person
/// (`matte`, the photo's size; `None` keeps the photo's own background) made the backdrop, the head scaled
/// to the frame's share of the height with the frame's space above it, centred on the eyes.
pub fn id_photo(img: &DynamicImage, face: &Face, matte: Option<&GrayImage>, layout: &IdLayout) -> RgbImage {
    let backdrop = layout.backdrop;
    let mut rgb = match matte {
        Some(m) => crate::background::replace(img, m, crate::background::Backdrop::Color(backdrop)).to_rgb8(),
        None => img.to_rgb8(),
    };
    let mut face = *face;
    let mut matte = matte.cloned();
    // Level the eyes: turn the photo about the point between them.
    let tilt = face.tilt();
    if tilt.abs() > 0.3f32.to_radians() {
        let centre = face.eye_mid();
        rgb = rotate_about(&rgb, -tilt, centre, backdrop);
        matte = matte.map(|m| {
            let grey = RgbImage::from_fn(m.width(), m.height(), |x, y| Rgb([m.get_pixel(x, y)[0]; 3]));
            let turned = rotate_about(&grey, -tilt, centre, [0; 3]);
            GrayImage::from_fn(m.width(), m.height(), |x, y| Luma([turned.get_pixel(x, y)[0]]))
        });
        let turn = |(x, y): (f32, f32)| {
            let (dx, dy) = (x - centre.0, y - centre.1);
            let (sin, cos) = (-tilt).sin_cos();
            (centre.0 + dx * cos - dy * sin, centre.1 + dx * sin + dy * cos)
        };
        let [center, left, right] = [face.center, face.eyes[0], face.eyes[1]].map(turn);
        (face.center, face.eyes) = (center, [left, right]);
    }
    let eyes = face.eye_mid();
    let chin = face.chin();
    // The crown from the outline; without one (or an unlikely one), the eyes are halfway down the head.
    let guess = eyes.1 - (chin - eyes.1);
    let crown = matte
        .as_ref()
        .and_then(|m| crown(m, &face))
        .filter(|&c| c < face.center.1 - face.size.1 / 2.0 && chin - c < 2.2 * face.size.1)
        .unwrap_or(guess);
    let frame = layout.frame;
    let (out_w, out_h) = (frame.width as f32, frame.height as f32);
    let scale = frame.head * out_h * layout.zoom.clamp(0.5, 2.0) / (chin - crown).max(1.0);
    // The part of the photo the frame shows, in the photo's pixels.
    let (crop_w, crop_h) = (out_w / scale, out_h / scale);
    let left = eyes.0 - crop_w / 2.0 - layout.shift_x * crop_w;
    let top = crown - frame.top * crop_h - layout.shift_y * crop_h;
    let (cw, ch) = (crop_w.ceil().max(1.0) as u32, crop_h.ceil().max(1.0) as u32);
    let (ox, oy) = (left.floor() as i64, top.floor() as i64);
    let crop = RgbImage::from_fn(cw, ch, |x, y| {
        let (sx, sy) = (ox + i64::from(x), oy + i64::from(y));
        if sx < 0 || sy < 0 || sx >= i64::from(rgb.width()) || sy >= i64::from(rgb.height()) {
            Rgb(backdrop)
        } else {
            *rgb.get_pixel(sx as u32, sy as u32)
        }
    });
    image::imageops::resize(&crop, frame.width, frame.height, FilterType::CatmullRom)
}

/// A print sheet (`width` × `height` pixels, white) with as many copies of `photo` as fit, `gap` pixels
/// apart and from the edges, turned to whichever way holds more, with thin grey lines to cut along.
pub fn print_sheet(photo: &RgbImage, width: u32, height: u32, gap: u32) -> RgbImage {
    let (pw, ph) = photo.dimensions();
    let fit = |w: u32, h: u32| {
        let n = |side: u32, p: u32| side.saturating_sub(gap) / (p + gap);
        (n(w, pw), n(h, ph))
    };
    let ((cols, rows), (w, h)) = {
        let (a, b) = (fit(width, height), fit(height, width));
        if b.0 * b.1 > a.0 * a.1 {
            (b, (height, width))
        } else {
            (a, (width, height))
        }
    };
    let mut sheet = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let (used_w, used_h) = (cols * (pw + gap) - gap, rows * (ph + gap) - gap);
    let (x0, y0) = ((w.saturating_sub(used_w)) / 2, (h.saturating_sub(used_h)) / 2);
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = (x0 + c * (pw + gap), y0 + r * (ph + gap));
            image::imageops::replace(&mut sheet, photo, i64::from(x), i64::from(y));
        }
    }
    // Cut lines halfway between the copies, across the whole sheet.
    let line = Rgb([190, 190, 190]);
    for c in 0..=cols {
        let x = (x0 + c * (pw + gap)).saturating_sub(gap / 2 + 1);
        if x < w {
            (0..h).for_each(|y| sheet.put_pixel(x, y, line));
        }
    }
    for r in 0..=rows {
        let y = (y0 + r * (ph + gap)).saturating_sub(gap / 2 + 1);
        if y < h {
            (0..w).for_each(|x| sheet.put_pixel(x, y, line));
        }
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey "head" (an ellipse, crown at y = 100, chin at 300) on a blue wall, its matte, and the face
    /// a detector would report in it, its eyes turned by `tilt` degrees.
    fn person(tilt: f32) -> (DynamicImage, GrayImage, Face) {
        let (w, h) = (400u32, 500u32);
        let inside = |x: u32, y: u32| {
            let (dx, dy) = ((x as f32 + 0.5 - 200.0) / 80.0, (y as f32 + 0.5 - 200.0) / 100.0);
            dx * dx + dy * dy < 1.0 || (y > 290 && (110..290).contains(&x))
        };
        let img =
            RgbImage::from_fn(w, h, |x, y| Rgb(if inside(x, y) { [120, 100, 90] } else { [40, 80, 200] }));
        let matte = GrayImage::from_fn(w, h, |x, y| Luma([if inside(x, y) { 255 } else { 0 }]));
        let t = tilt.to_radians();
        let eyes =
            [(170.0 - 30.0 * (1.0 - t.cos()), 200.0 - 30.0 * t.sin()), (230.0, 200.0 + 30.0 * t.sin())];
        // The box's chin (38 % of its height below its centre) where the head ends, y = 300.
        let face = Face { center: (200.0, 243.0), size: (150.0, 150.0), eyes, score: 0.9 };
        (DynamicImage::ImageRgb8(img), matte, face)
    }

    const EU: IdFrame = IdFrame { width: 413, height: 531, head: 0.756, top: 0.08 };

    fn layout() -> IdLayout {
        IdLayout { frame: EU, backdrop: [255, 255, 255], shift_x: 0.0, shift_y: 0.0, zoom: 1.0 }
    }

    /// Rows where the head (not backdrop) is in the middle column: (first, last).
    fn head_rows(photo: &RgbImage) -> (u32, u32) {
        let x = photo.width() / 2;
        let rows: Vec<u32> = (0..photo.height()).filter(|&y| photo.get_pixel(x, y)[2] < 200).collect();
        (rows[0], *rows.last().unwrap())
    }

    #[test]
    fn the_head_is_sized_and_placed_as_the_standard_asks_on_a_white_backdrop() {
        let (img, matte, face) = person(0.0);
        let photo = id_photo(&img, &face, Some(&matte), &layout());
        assert_eq!(photo.dimensions(), (413, 531));
        // The crown 8 % from the top (42 px); the chin (the face's box bottom, y = 300) 75.6 % further.
        let (crown, _) = head_rows(&photo);
        assert!(crown.abs_diff(42) <= 2, "crown at {crown}");
        assert_eq!(photo.get_pixel(3, 3).0, [255, 255, 255]);
        assert_eq!(photo.get_pixel(409, 3).0, [255, 255, 255]);
        // Centred on the eyes.
        let row: Vec<u32> = (0..413).filter(|&x| photo.get_pixel(x, 200)[2] < 200).collect();
        let centre = (row[0] + row.last().unwrap()) / 2;
        assert!(centre.abs_diff(206) <= 2, "centre {centre}");
    }

    #[test]
    fn a_tilted_head_is_levelled_and_adjustments_move_it() {
        let (img, matte, face) = person(8.0);
        let tilted = Face { eyes: [(170.0, 196.0), (230.0, 204.0)], ..face };
        assert!((tilted.tilt().to_degrees() - 7.6).abs() < 0.2);
        let photo = id_photo(&img, &tilted, Some(&matte), &layout());
        assert_eq!(photo.dimensions(), (413, 531));
        let moved = id_photo(&img, &face, Some(&matte), &IdLayout { shift_y: 0.05, ..layout() });
        let (crown, _) = head_rows(&moved);
        assert!(crown.abs_diff(42 + 27) <= 3, "moved down 5 %: crown at {crown}");
        let bigger = id_photo(&img, &face, Some(&matte), &IdLayout { zoom: 1.1, ..layout() });
        let row = |p: &RgbImage| (0..413).filter(|&x| p.get_pixel(x, 200)[2] < 200).count();
        assert!(row(&bigger) > row(&moved) + 5);
    }

    #[test]
    fn rotating_a_quarter_turn_moves_a_dot_where_expected() {
        let mut img = RgbImage::from_pixel(21, 21, Rgb([0, 0, 0]));
        img.put_pixel(15, 10, Rgb([255, 255, 255]));
        let turned = rotate_about(&img, std::f32::consts::FRAC_PI_2, (10.5, 10.5), [0; 3]);
        // Clockwise on screen: right of centre goes below it.
        assert_eq!(turned.get_pixel(10, 15).0, [255, 255, 255]);
    }

    #[test]
    fn a_4x6_sheet_holds_eight_35x45_photos() {
        let photo = RgbImage::from_pixel(413, 531, Rgb([10, 20, 30]));
        let sheet = print_sheet(&photo, 1800, 1200, 24);
        assert_eq!(sheet.dimensions(), (1800, 1200));
        let copies = (0..1800).filter(|&x| sheet.get_pixel(x, 300).0 == [10, 20, 30]).count();
        assert_eq!(copies, 4 * 413, "four across");
        let down = (0..1200).filter(|&y| sheet.get_pixel(300, y).0 == [10, 20, 30]).count();
        assert_eq!(down, 2 * 531, "two down");
    }
}

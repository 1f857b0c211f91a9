//! `cargo xtask icons`: the installable app's PNG icons, drawn from the same shapes as `public/icon.svg`
//! (a violet rounded square with a white diamond). The PNGs are committed; a test checks that they are
//! still what this code draws, so the artwork has one source.

use image::{Rgba, RgbaImage};
use std::path::Path;

/// The brand violet (`#6d28d9`, the manifest's theme colour).
const VIOLET: Rgba<u8> = Rgba([0x6d, 0x28, 0xd9, 0xff]);
/// Samples per pixel along each axis (16 per pixel): smooth edges without a rasteriser.
const SAMPLES: u32 = 4;

/// One icon file: its name under `public/`, its size, and whether it is "maskable" (full-bleed, with the
/// diamond inside the safe circle that launchers crop to).
pub struct Icon {
    /// File name under `public/`.
    pub name: &'static str,
    /// Width and height in pixels.
    pub size: u32,
    /// Drawn for launchers that apply their own mask.
    pub maskable: bool,
}

/// The icons the manifest lists.
pub const ICONS: [Icon; 4] = [
    Icon { name: "icon-192.png", size: 192, maskable: false },
    Icon { name: "icon-512.png", size: 512, maskable: false },
    Icon { name: "icon-maskable-192.png", size: 192, maskable: true },
    Icon { name: "icon-maskable-512.png", size: 512, maskable: true },
];

/// Draws one icon. Coordinates follow the SVG's 64 × 64 box: the square's corners have radius 14, the
/// diamond spans 12..52 across and 10..54 down; a maskable icon fills the square and shrinks the diamond
/// to 60 % so that it stays inside the central 80 % circle.
pub fn draw(size: u32, maskable: bool) -> RgbaImage {
    let unit = 64.0 / f64::from(size);
    let diamond_scale = if maskable { 0.8 } else { 1.0 };
    let inside = |x: f64, y: f64| -> (bool, bool) {
        let square = maskable || in_rounded_square(x, y);
        let (dx, dy) = ((x - 32.0).abs() / diamond_scale, (y - 32.0).abs() / diamond_scale);
        (square, dx / 20.0 + dy / 22.0 <= 1.0)
    };
    RgbaImage::from_fn(size, size, |px, py| {
        let (mut square, mut diamond) = (0u32, 0u32);
        for sy in 0..SAMPLES {
            for sx in 0..SAMPLES {
                let x = (f64::from(px) + (f64::from(sx) + 0.5) / f64::from(SAMPLES)) * unit;
                let y = (f64::from(py) + (f64::from(sy) + 0.5) / f64::from(SAMPLES)) * unit;
                let (s, d) = inside(x, y);
                square += u32::from(s);
                diamond += u32::from(s && d);
            }
        }
        let total = SAMPLES * SAMPLES;
        // Premultiplied mix of violet and white, then the square's coverage as alpha.
        let mix = |c: u8| ((u32::from(c) * (square - diamond) + 255 * diamond) / square.max(1)) as u8;
        Rgba([mix(VIOLET[0]), mix(VIOLET[1]), mix(VIOLET[2]), (255 * square / total) as u8])
    })
}

/// Whether (x, y) lies in the 64 × 64 square with corners of radius 14.
fn in_rounded_square(x: f64, y: f64) -> bool {
    const R: f64 = 14.0;
    let cx = x.clamp(R, 64.0 - R);
    let cy = y.clamp(R, 64.0 - R);
    (0.0..=64.0).contains(&x) && (0.0..=64.0).contains(&y) && (x - cx).powi(2) + (y - cy).powi(2) <= R * R
}

/// Writes every icon into `public`.
pub fn write_all(public: &Path) -> Result<(), String> {
    for icon in &ICONS {
        let path = public.join(icon.name);
        draw(icon.size, icon.maskable).save(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_icons_are_what_this_code_draws() {
        let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public");
        for icon in &ICONS {
            let committed = image::open(public.join(icon.name))
                .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask icons`)", icon.name))
                .to_rgba8();
            assert!(
                committed == draw(icon.size, icon.maskable),
                "{} is stale: run `cargo xtask icons`",
                icon.name
            );
        }
    }

    #[test]
    fn the_icon_has_the_brand_colour_a_white_diamond_and_the_right_corners() {
        let plain = draw(192, false);
        assert_eq!(plain.get_pixel(96, 96), &Rgba([255, 255, 255, 255]), "the centre is the diamond");
        assert_eq!(plain.get_pixel(20, 96), &VIOLET, "beside the diamond is violet");
        assert_eq!(plain.get_pixel(0, 0)[3], 0, "the corners are rounded off");
        let maskable = draw(192, true);
        assert_eq!(maskable.get_pixel(0, 0), &VIOLET, "a maskable icon is full-bleed");
        // The diamond's tips stay inside the safe circle (radius 40 % of the size).
        assert_eq!(maskable.get_pixel(96, 96 - 60), &VIOLET);
        assert_eq!(maskable.get_pixel(96, 96 - 40), &Rgba([255, 255, 255, 255]));
    }
}

//! Fonts for text on images, found at start-up: CJK fonts installed on this machine (Noto/Source Han,
//! WenQuanYi, Droid Sans Fallback, ...) come first, the bundled Latin font last.

use std::path::{Path, PathBuf};
use vinano_imaging::text::Fonts;

/// Where fonts are looked for unless `VINANO_FONT_DIRS` says otherwise.
pub const DIRS: [&str; 3] = ["/usr/share/fonts", "/usr/local/share/fonts", "/System/Library/Fonts"];
/// File-name fragments of fonts with Chinese glyphs.
const CJK: [&str; 7] =
    ["cjk", "wqy", "droidsansfallback", "sourcehan", "notosanssc", "notosanstc", "pingfang"];

/// The fonts to draw with: up to two CJK fonts found under `dirs`, then the bundled one.
pub fn discover(dirs: &[PathBuf]) -> Fonts {
    let mut found = Vec::new();
    for dir in dirs {
        collect(dir, &mut found, 0);
    }
    found.sort();
    let mut fonts = Fonts::bundled();
    for path in found.into_iter().take(2) {
        match std::fs::read(&path).map(|bytes| fonts.clone().with(bytes)) {
            Ok(Ok(more)) => {
                tracing::info!(font = %path.display(), "using a CJK font for text on images");
                fonts = more;
            }
            _ => tracing::warn!(font = %path.display(), "could not read a font"),
        }
    }
    fonts
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>, depth: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth < 4 {
            collect(&path, found, depth + 1);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_lowercase();
        let font_file = [".ttf", ".otf", ".ttc"].iter().any(|e| name.ends_with(e));
        if font_file && CJK.iter().any(|k| name.replace(['-', '_', ' '], "").contains(k)) {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_imaging::text::{caption, Place};
    use vinano_imaging::DynamicImage;

    /// `cargo xtask bootstrap` installs Debian's `fonts-wqy-microhei`: on a fresh machine, after the README's
    /// commands, Chinese titles and captions draw.
    #[test]
    fn chinese_text_draws_with_the_fonts_found_here() {
        let dirs: Vec<PathBuf> = DIRS.iter().map(PathBuf::from).collect();
        let fonts = discover(&dirs);
        assert_eq!(fonts.missing("夏日特賣 夏日特卖"), Vec::<char>::new(), "no CJK font under {DIRS:?}");
        let plain = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(400, 300, image::Rgb([20, 20, 60])));
        let drawn = caption(&plain, "夏日特賣", Place::Center, [255, 255, 255], &fonts).to_rgb8();
        let ink = drawn.pixels().filter(|p| p[0] > 200 && p[1] > 200).count();
        // Four characters 25 px high (a twelfth of the short side): a few hundred fully inked pixels.
        assert!(ink > 250, "{ink} inked pixels");
    }
}

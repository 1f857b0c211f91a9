//! The real U²-Net-p model (from `target/models/`, put there by `cargo xtask bootstrap`) on a synthetic
//! photo with a known subject.

use vinano_imaging::background::{self, Backdrop};
use vinano_imaging::matte::{self, iou};
use vinano_imaging::DynamicImage;
use vinano_vision::{sample, U2Net};

fn model() -> U2Net {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/models/u2netp.onnx");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; `cargo xtask bootstrap` fetches it", path.display()));
    U2Net::load(&bytes).unwrap()
}

#[test]
fn the_figure_is_cut_out_along_its_true_outline() {
    let model = model();
    let (photo, truth) = sample::figure(1200, 900);
    let img = DynamicImage::ImageRgb8(photo);
    let found = matte::matte(&img, &model).unwrap();
    assert_eq!(found.dimensions(), (1200, 900));
    let score = iou(&found, &truth);
    println!("U²-Net-p matte IoU against the true outline: {score:.3}");
    assert!(score > 0.85, "IoU {score}");
    // Cut out: the figure opaque, the wall transparent.
    let cut = background::cut_out(&img, &found);
    assert!(cut.get_pixel(600, 600)[3] > 240 && cut.get_pixel(60, 60)[3] < 15);
    // Portrait mode keeps the figure's own pixels.
    let portrait = background::replace(&img, &found, Backdrop::Blur(0.03)).to_rgb8();
    let (kept, was) = (portrait.get_pixel(600, 600), img.to_rgb8().get_pixel(600, 600).0);
    assert!(kept.0.iter().zip(was).all(|(a, b)| a.abs_diff(b) <= 2), "{kept:?} vs {was:?}");
}

/// The figure on walls from plain to cluttered: the matte's IoU against the true outline, each above its
/// floor, a little under what it scores today (BENCHMARKS.md). U²-Net-p finds a clear subject; a bold
/// pattern in the subject's own colour defeats it (the stripes), and bright lights behind it confuse it
/// (bokeh): that is what brushing, and "Select subject" by tap, are for.
#[test]
fn the_figure_is_found_on_textured_and_cluttered_walls() {
    use vinano_vision::sample::{figure_on, Wall};
    let model = model();
    let mut scores = Vec::new();
    for wall in Wall::ALL {
        let (photo, truth) = figure_on(640, 480, wall);
        let found = matte::matte(&DynamicImage::ImageRgb8(photo), &model).unwrap();
        let score = iou(&found, &truth);
        println!("U²-Net-p matte IoU on {wall:?}: {score:.3}");
        scores.push((wall, score));
    }
    for (wall, score) in &scores {
        let floor = match wall {
            Wall::Plaster | Wall::Grain => 0.95,
            Wall::Foliage => 0.9,
            Wall::Bokeh => 0.55,
            Wall::Stripes => 0.15,
        };
        assert!(*score > floor, "{wall:?}: IoU {score}");
    }
}

#[test]
fn a_file_with_another_hash_is_refused() {
    let err = U2Net::load(b"not a model").unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
}

/// The model's answer for the sample figure as the server computes it, recorded in
/// `tests/u2netp-figure.png` (`VINANO_RECORD=1` writes it again): the browser's on-device worker must give
/// the same answer, within rounding (the workspace's `tests/device.rs` checks it in Chromium).
#[test]
fn the_native_answer_for_the_figure_is_the_recorded_one() {
    use vinano_imaging::matte::Saliency;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/u2netp-figure.png");
    let (photo, _) = sample::figure(480, 360);
    let answer = model().saliency(&photo).unwrap();
    if std::env::var_os("VINANO_RECORD").is_some() {
        answer.save(&fixture).unwrap();
    }
    let recorded = image::open(&fixture).unwrap().to_luma8();
    assert_eq!(recorded.dimensions(), answer.dimensions());
    let worst = recorded.pixels().zip(answer.pixels()).map(|(a, b)| a[0].abs_diff(b[0])).max().unwrap();
    assert!(worst <= 2, "the native answer moved by {worst} from the recorded one");
}

//! The clip benchmark (BENCHMARKS.md): renders and encodes local clips of a 12 MP photo-like picture at
//! 1080 px and 24 fps (a slow zoom and a parallax, 5 and 10 seconds) and prints the time, the size and the
//! bit rate of each.
//!
//! `cargo run --release -p vinano-server --example clip_bench`

use std::time::Instant;
use vinano_engine::Motion;

fn main() -> anyhow::Result<()> {
    // A 4000 × 3000 picture with detail everywhere (a clip of a flat picture would flatter the encoder): a
    // figure in front of a textured wall, from the segmentation tests, scaled up.
    let (figure, matte) = vinano_vision::sample::figure(1000, 750);
    let photo = image::DynamicImage::ImageRgb8(figure).resize_exact(
        4000,
        3000,
        image::imageops::FilterType::CatmullRom,
    );
    let matte = image::DynamicImage::ImageLuma8(matte)
        .resize_exact(4000, 3000, image::imageops::FilterType::Triangle)
        .to_luma8();
    println!("| clip | frames | time | size | bit rate |");
    println!("|---|---|---|---|---|");
    for (name, motion, seconds) in [
        ("slow zoom, 5 s", Motion::ZoomIn, 5),
        ("slow zoom, 10 s", Motion::ZoomIn, 10),
        ("parallax, 5 s", Motion::Parallax, 5),
    ] {
        let matte = (motion == Motion::Parallax).then_some(&matte);
        let started = Instant::now();
        let clip = vinano_server::video::render(
            &photo,
            None,
            matte,
            motion,
            (seconds, vinano_server::video::SIZE, None),
        )?;
        let took = started.elapsed().as_secs_f64();
        let bytes = clip.bytes.len() as f64;
        println!(
            "| {name} ({} × {}) | {} | {took:.1} s | {:.2} MB | {:.1} Mbit/s |",
            clip.width,
            clip.height,
            seconds * vinano_server::video::FPS,
            bytes / 1e6,
            bytes * 8.0 / 1e6 / f64::from(seconds)
        );
    }
    Ok(())
}

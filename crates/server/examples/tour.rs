//! The visitor tour's pictures (Home, `src/pages/tour.rs`): each example of [`vinano_api::tour::TOUR`]
//! done by the local engine at build time, its photo and its result written as JPEGs of at most 560 px (never enlarged).
//! `cargo xtask build` runs it after Trunk, into `dist/tour/`:
//!
//! `cargo run -p vinano-server --example tour -- target/models dist/tour`
//!
//! The photos and the segmentation model are in `target/models/` (`cargo xtask bootstrap`).

use anyhow::Context;
use image::DynamicImage;
use std::path::{Path, PathBuf};
use vinano_api::tour::TOUR;

/// The long side of the pictures: sharp at a phone's 3 device pixels for the ~180 CSS px each fills.
const SIDE: u32 = 560;

fn save(image: &DynamicImage, path: &Path) -> anyhow::Result<()> {
    let small = match image.width().max(image.height()) > SIDE {
        true => image.resize(SIDE, SIDE, image::imageops::FilterType::Lanczos3).to_rgb8(),
        false => image.to_rgb8(),
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 78).encode_image(&small)?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [models, out] = args.as_slice() else { anyhow::bail!("usage: tour <models dir> <out dir>") };
    std::fs::create_dir_all(out)?;
    let model_file = models.join(vinano_vision::U2NETP_FILE);
    let model = vinano_vision::U2Net::load(&std::fs::read(&model_file).context("the segmentation model")?)?;
    let fonts = vinano_imaging::text::Fonts::bundled();
    for example in TOUR {
        let photo = match example.photo {
            Some(name) => Some(
                image::open(models.join(name))
                    .with_context(|| format!("{name}: run `cargo xtask bootstrap`"))?,
            ),
            None => None,
        };
        let plan = vinano_engine::plan(example.instruction)?;
        anyhow::ensure!(plan.not_understood.is_empty(), "{}: {:?}", example.instruction, plan.not_understood);
        let tools = vinano_engine::Tools {
            fonts: &fonts,
            saliency: Some(&model),
            faces: None,
            selection: None,
            attached: vinano_engine::Attached::NONE,
        };
        let start = photo.clone().unwrap_or_else(|| DynamicImage::new_rgb8(1, 1));
        let after = vinano_engine::run(&plan, &start, tools)?;
        if let Some(photo) = &photo {
            save(photo, &out.join(format!("{}-before.jpg", example.name)))?;
        }
        save(&after, &out.join(format!("{}-after.jpg", example.name)))?;
        println!(
            "    tour/{}: {} ({} × {})",
            example.name,
            example.instruction,
            after.width(),
            after.height()
        );
    }
    Ok(())
}

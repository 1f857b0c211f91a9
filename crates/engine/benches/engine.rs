//! The local engine on a typical three-step plan ("a bit warmer, more contrast, crop it square") at 1 MP
//! and 12 MP, object removal on a 2048-px photo, and a
//! Display P3 photo converted to sRGB. Run with `cargo bench -p vinano-engine`; figures go in BENCHMARKS.md.
// criterion's macros generate undocumented entry points.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use vinano_imaging::DynamicImage;

/// A photo-like RGB image: gradients and fine detail.
fn photo(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        let t = ((x as f32 * 0.05).sin() * 40.0) as i32;
        image::Rgb([
            (60 + (x * 150 / width) as i32 + t).clamp(0, 255) as u8,
            (90 + (y * 120 / height) as i32).clamp(0, 255) as u8,
            (200 - (x * 100 / width) as i32 - t).clamp(0, 255) as u8,
        ])
    }))
}

fn typical_plan(c: &mut Criterion) {
    let plan = vinano_engine::plan("make it a bit warmer, more contrast and crop it square").unwrap();
    assert_eq!(plan.operations.len(), 3);
    let fonts = vinano_imaging::text::Fonts::bundled();
    let tools = vinano_engine::Tools {
        fonts: &fonts,
        saliency: None,
        faces: None,
        selection: None,
        attached: vinano_engine::Attached::NONE,
    };
    let mut group = c.benchmark_group("typical 3-step plan");
    group.sample_size(20);
    for (name, (w, h)) in [("1 MP", (1155, 866)), ("12 MP", (4000, 3000))] {
        let img = photo(w, h);
        group.bench_function(name, |b| b.iter(|| vinano_engine::run(&plan, &img, tools).unwrap()));
    }
    group.finish();
}

/// Object removal on a 2048 × 1536 photo: a 10 % area (a 560 × 560 square) and a small one (a 60 × 60 spot).
fn erase(c: &mut Criterion) {
    let img = photo(2048, 1536);
    let mut group = c.benchmark_group("erase on 2048 × 1536");
    group.sample_size(10);
    for (name, side) in [("10 % (560 × 560, PatchMatch)", 560u32), ("a 30 × 30 spot (fast marching)", 30)] {
        let (x0, y0) = (1024 - side / 2, 768 - side / 2);
        let mask = image::GrayImage::from_fn(2048, 1536, |x, y| {
            image::Luma([if (x0..x0 + side).contains(&x) && (y0..y0 + side).contains(&y) { 255 } else { 0 }])
        });
        group.bench_function(name, |b| b.iter(|| vinano_imaging::inpaint::erase(&img, &mask)));
    }
    group.finish();
}

/// A 2048 × 1536 photo tagged Display P3 (as phones save them) converted to sRGB, as upload decoding does.
fn colour(c: &mut Criterion) {
    let img = photo(2048, 1536);
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let mut group = c.benchmark_group("colour profile");
    group.sample_size(10);
    group.bench_function("Display P3 to sRGB, 2048 × 1536", |b| {
        b.iter_batched(
            || img.clone(),
            |mut img| assert!(vinano_imaging::colour::to_srgb(&mut img, &p3)),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, typical_plan, erase, colour);
criterion_main!(benches);

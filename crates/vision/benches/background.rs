//! Background removal of a 2048 × 1536 photo: the model on its 320 × 320 copy, the matte refined at full
//! size, the cut-out, and its PNG. Run with `cargo bench -p vinano-vision` (after `cargo xtask bootstrap`);
//! figures go in BENCHMARKS.md.
// criterion's macros generate undocumented entry points.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use vinano_imaging::{background, matte, DynamicImage};
use vinano_vision::{sample, U2Net};

fn remove_background(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/models/u2netp.onnx");
    let model = U2Net::load(&std::fs::read(&path).expect("run `cargo xtask bootstrap` first")).unwrap();
    let (photo, _) = sample::figure(2048, 1536);
    let img = DynamicImage::ImageRgb8(photo);
    let mut group = c.benchmark_group("background removal, 2048 × 1536");
    group.sample_size(10);
    group.bench_function("model only (320 × 320)", |b| {
        let small = image::imageops::resize(&img.to_rgb8(), 320, 320, image::imageops::FilterType::Triangle);
        b.iter(|| model.probabilities(&small).unwrap())
    });
    group.bench_function("matte + cut-out", |b| {
        b.iter(|| background::removed(&img, &matte::matte(&img, &model).unwrap()))
    });
    let cut = DynamicImage::ImageRgba8(background::removed(&img, &matte::matte(&img, &model).unwrap()));
    group.bench_function("the cut-out encoded as PNG", |b| {
        b.iter(|| vinano_imaging::encode(&cut, vinano_imaging::OutputFormat::Png).unwrap())
    });
    group.finish();
}

criterion_group!(benches, remove_background);
criterion_main!(benches);

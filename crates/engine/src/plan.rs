//! Instruction → [`EditPlan`] with simple, explainable rules.

use crate::EngineError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest long side a resize may produce, in pixels.
pub const MAX_RESIZE: u32 = 8192;

/// One edit step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Brightness change in percent of full scale (-100..=100).
    Brightness {
        /// Signed percentage.
        percent: i32,
    },
    /// Contrast change in percent (-100..=100).
    Contrast {
        /// Signed percentage.
        percent: i32,
    },
    /// Remove colour.
    Grayscale,
    /// Clockwise rotation in degrees (a multiple of 90).
    Rotate {
        /// Degrees clockwise: 90, 180 or 270.
        degrees: i32,
    },
    /// Mirror left-right.
    FlipHorizontal,
    /// Mirror top-bottom.
    FlipVertical,
    /// Centre crop to an aspect ratio.
    CropAspect {
        /// Width part of the ratio.
        w: u32,
        /// Height part of the ratio.
        h: u32,
    },
    /// Resize so the longer side has this many pixels.
    ResizeLongSide {
        /// Target long side in pixels.
        pixels: u32,
    },
    /// Resize by a factor.
    Scale {
        /// 0.5 halves, 2.0 doubles.
        factor: f32,
    },
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Operation::Brightness { percent } if percent >= 0 => write!(f, "brightness +{percent}%"),
            Operation::Brightness { percent } => write!(f, "brightness {percent}%"),
            Operation::Contrast { percent } if percent >= 0 => write!(f, "contrast +{percent}%"),
            Operation::Contrast { percent } => write!(f, "contrast {percent}%"),
            Operation::Grayscale => write!(f, "black and white"),
            Operation::Rotate { degrees } => write!(f, "rotate {degrees}° clockwise"),
            Operation::FlipHorizontal => write!(f, "flip horizontally"),
            Operation::FlipVertical => write!(f, "flip vertically"),
            Operation::CropAspect { w, h } if w == h => write!(f, "crop square"),
            Operation::CropAspect { w, h } => write!(f, "crop to {w}:{h}"),
            Operation::ResizeLongSide { pixels } => write!(f, "resize to {pixels} px on the long side"),
            Operation::Scale { factor } => write!(f, "resize ×{factor}"),
        }
    }
}

/// What the engine will do, in order, plus the parts it did not understand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditPlan {
    /// Steps, applied in the order given.
    pub operations: Vec<Operation>,
    /// Phrases of the instruction that matched nothing (reported back to the person, never silently dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_understood: Vec<String>,
}

impl EditPlan {
    /// A one-line, human-readable summary ("black and white, then rotate 90° clockwise").
    pub fn summary(&self) -> String {
        let steps: Vec<String> = self.operations.iter().map(ToString::to_string).collect();
        let mut s = format!("Done: {}.", steps.join(", then "));
        if !self.not_understood.is_empty() {
            let parts: Vec<String> = self.not_understood.iter().map(|p| format!("\"{p}\"")).collect();
            s.push_str(&format!(" I didn't understand {} and left that out.", parts.join(", ")));
        }
        s
    }
}

/// Turns an instruction into a plan. Clauses are split on "and", "then", commas and full stops and applied
/// in the order written.
pub fn plan(instruction: &str) -> Result<EditPlan, EngineError> {
    let mut text = format!(" {} ", instruction.to_lowercase());
    // Phrases that contain a clause separator are rewritten before splitting.
    for (from, to) in [
        ("black and white", "grayscale"),
        ("black & white", "grayscale"),
        ("b&w", "grayscale"),
        ("b/w", "grayscale"),
        ("upside down", "upsidedown"),
    ] {
        text = text.replace(from, to);
    }
    for sep in [" and then ", " then ", " and ", " & ", ",", ";", ". ", "!", "\n"] {
        text = text.replace(sep, "|");
    }

    let mut operations = Vec::new();
    let mut not_understood = Vec::new();
    for clause in text.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let clause = clause.trim_end_matches('.');
        match parse_clause(clause)? {
            Some(op) => operations.push(op),
            None if is_filler(clause) => {}
            None => not_understood.push(clause.to_string()),
        }
    }
    if operations.is_empty() {
        return Err(EngineError::NotUnderstood);
    }
    Ok(EditPlan { operations, not_understood })
}

fn is_filler(clause: &str) -> bool {
    words(clause).all(|w| {
        matches!(w, "please" | "thanks" | "thank" | "you" | "it" | "the" | "photo" | "image" | "picture")
    })
}

fn words(clause: &str) -> impl Iterator<Item = &str> {
    clause
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '%' || c == '.' || c == '-' || c == '+'))
        .filter(|w| !w.is_empty())
}

fn has(clause: &str, keys: &[&str]) -> bool {
    words(clause).any(|w| keys.iter().any(|k| w.starts_with(k)))
}

/// The first number in the clause (digits with an optional sign and decimal point).
fn number(clause: &str) -> Option<f32> {
    let bytes = clause.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let mut end = start;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    let mut value: f32 = clause[start..end].trim_end_matches('.').parse().ok()?;
    if start > 0 && bytes[start - 1] == b'-' {
        value = -value;
    }
    Some(value)
}

/// An amount in percent: an explicit number, or a word like "a bit" / "a lot".
fn amount(clause: &str) -> i32 {
    if let Some(n) = number(clause) {
        return n.abs().round().clamp(1.0, 100.0) as i32;
    }
    if ["a bit", "slightly", "a little", "a touch", "subtle", "bit"].iter().any(|k| clause.contains(k)) {
        10
    } else if ["a lot", "much", "very", "really", "way", "strong"].iter().any(|k| clause.contains(k)) {
        40
    } else {
        20
    }
}

fn ratio(clause: &str) -> Option<(u32, u32)> {
    words(clause).find_map(|w| {
        let (a, b) = w.split_once(':').or_else(|| w.split_once('x').filter(|(a, _)| !a.is_empty()))?;
        let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
        (a > 0 && b > 0 && a <= 100 && b <= 100).then_some((a, b))
    })
}

fn parse_clause(c: &str) -> Result<Option<Operation>, EngineError> {
    use Operation::*;
    if has(
        c,
        &["grayscale", "greyscale", "monochrome", "desaturate", "gray", "grey", "colorless", "colourless"],
    ) {
        return Ok(Some(Grayscale));
    }
    if has(c, &["rotat", "turn"]) && !has(c, &["brightness", "contrast"]) {
        let mut degrees = number(c).map(|n| n.round() as i32).unwrap_or(90);
        if c.contains("upsidedown") {
            degrees = 180;
        }
        if has(
            c,
            &["left", "counterclockwise", "counter-clockwise", "anticlockwise", "anti-clockwise", "ccw"],
        ) {
            degrees = -degrees;
        }
        if degrees % 90 != 0 {
            return Err(EngineError::OutOfRange(
                "I can rotate by quarter turns only: 90, 180 or 270 degrees.".into(),
            ));
        }
        let degrees = degrees.rem_euclid(360);
        return Ok((degrees != 0).then_some(Rotate { degrees }));
    }
    if has(c, &["flip", "mirror"]) || c.contains("upsidedown") {
        let vertical = has(c, &["vertical", "upsidedown", "top", "bottom"]);
        return Ok(Some(if vertical { FlipVertical } else { FlipHorizontal }));
    }
    if has(c, &["square"]) {
        return Ok(Some(CropAspect { w: 1, h: 1 }));
    }
    if has(c, &["widescreen"]) {
        return Ok(Some(CropAspect { w: 16, h: 9 }));
    }
    if has(c, &["crop", "aspect", "ratio"]) || (has(c, &["make", "format"]) && ratio(c).is_some()) {
        return Ok(ratio(c).map(|(w, h)| CropAspect { w, h }));
    }
    if has(
        c,
        &[
            "resiz",
            "scale",
            "shrink",
            "smaller",
            "bigger",
            "larger",
            "enlarge",
            "upscale",
            "downscale",
            "half",
            "double",
            "px",
            "pixel",
        ],
    ) {
        if has(c, &["half"]) {
            return Ok(Some(Scale { factor: 0.5 }));
        }
        if has(c, &["double", "twice", "2x"]) {
            return Ok(Some(Scale { factor: 2.0 }));
        }
        if let Some(n) = number(c) {
            if c.contains('%') {
                let factor = n / 100.0;
                if !(0.01..=4.0).contains(&factor) {
                    return Err(EngineError::OutOfRange("I can resize between 1% and 400%.".into()));
                }
                return Ok(Some(Scale { factor }));
            }
            let pixels = n.round() as i64;
            if !(16..=i64::from(MAX_RESIZE)).contains(&pixels) {
                return Err(EngineError::OutOfRange(format!(
                    "I can resize to between 16 and {MAX_RESIZE} pixels on the long side."
                )));
            }
            return Ok(Some(ResizeLongSide { pixels: pixels as u32 }));
        }
        if has(c, &["smaller", "shrink", "downscale"]) {
            return Ok(Some(Scale { factor: 0.5 }));
        }
        if has(c, &["bigger", "larger", "enlarge", "upscale"]) {
            return Ok(Some(Scale { factor: 2.0 }));
        }
        return Ok(None);
    }
    if has(c, &["contrast"]) {
        let down = has(c, &["less", "lower", "reduce", "decrease", "soft", "flat", "-"]) || c.contains("-");
        let p = amount(c);
        return Ok(Some(Contrast { percent: if down { -p } else { p } }));
    }
    if has(c, &["punch", "pop"]) {
        return Ok(Some(Contrast { percent: amount(c) }));
    }
    let darker = has(c, &["dark", "dim", "dimmer", "darken"])
        || (has(c, &["bright", "exposure"]) && has(c, &["less", "lower", "reduce", "decrease", "down"]));
    let brighter = !darker && has(c, &["bright", "light", "lighten", "exposure"]);
    if darker || brighter {
        let mut p = amount(c);
        if darker || c.contains("-") {
            p = -p;
        }
        return Ok(Some(Brightness { percent: p }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::*;

    #[test]
    fn instruction_table() {
        let cases: &[(&str, &[Operation])] = &[
            ("make it brighter", &[Brightness { percent: 20 }]),
            ("a bit brighter please", &[Brightness { percent: 10 }]),
            ("much brighter", &[Brightness { percent: 40 }]),
            ("brightness +30%", &[Brightness { percent: 30 }]),
            ("make it 15% darker", &[Brightness { percent: -15 }]),
            ("darken it", &[Brightness { percent: -20 }]),
            ("lighten the photo slightly", &[Brightness { percent: 10 }]),
            ("more contrast", &[Contrast { percent: 20 }]),
            ("reduce the contrast a lot", &[Contrast { percent: -40 }]),
            ("contrast +25%", &[Contrast { percent: 25 }]),
            ("make it black and white", &[Grayscale]),
            ("B&W", &[Grayscale]),
            ("convert to greyscale", &[Grayscale]),
            ("monochrome", &[Grayscale]),
            ("rotate it 90 degrees", &[Rotate { degrees: 90 }]),
            ("rotate left", &[Rotate { degrees: 270 }]),
            ("turn it 180°", &[Rotate { degrees: 180 }]),
            ("rotate 90 degrees counterclockwise", &[Rotate { degrees: 270 }]),
            ("rotate upside down", &[Rotate { degrees: 180 }]),
            ("flip it", &[FlipHorizontal]),
            ("mirror the image", &[FlipHorizontal]),
            ("flip vertically", &[FlipVertical]),
            ("flip it upside down", &[FlipVertical]),
            ("crop it square", &[CropAspect { w: 1, h: 1 }]),
            ("make it square", &[CropAspect { w: 1, h: 1 }]),
            ("crop to 16:9", &[CropAspect { w: 16, h: 9 }]),
            ("widescreen", &[CropAspect { w: 16, h: 9 }]),
            ("crop 4:3", &[CropAspect { w: 4, h: 3 }]),
            ("resize to 800px", &[ResizeLongSide { pixels: 800 }]),
            ("resize it to 1024 pixels", &[ResizeLongSide { pixels: 1024 }]),
            ("make it half the size", &[Scale { factor: 0.5 }]),
            ("scale to 25%", &[Scale { factor: 0.25 }]),
            ("make it bigger", &[Scale { factor: 2.0 }]),
            ("make it black and white and rotate it 90 degrees", &[Grayscale, Rotate { degrees: 90 }]),
            ("make it brighter and crop it square", &[Brightness { percent: 20 }, CropAspect { w: 1, h: 1 }]),
            (
                "Crop to 16:9, then more contrast, then flip.",
                &[CropAspect { w: 16, h: 9 }, Contrast { percent: 20 }, FlipHorizontal],
            ),
        ];
        for (instruction, expected) in cases {
            let got = plan(instruction).unwrap_or_else(|e| panic!("{instruction:?}: {e}"));
            assert_eq!(got.operations, *expected, "{instruction:?}");
            assert!(got.not_understood.is_empty(), "{instruction:?}: {:?}", got.not_understood);
        }
    }

    #[test]
    fn unknown_parts_are_reported_not_dropped() {
        let p = plan("make it warmer and crop it square").unwrap();
        assert_eq!(p.operations, [CropAspect { w: 1, h: 1 }]);
        assert_eq!(p.not_understood, ["make it warmer"]);
        assert!(p.summary().contains("\"make it warmer\""));
    }

    #[test]
    fn nonsense_is_not_understood() {
        assert_eq!(plan("sing me a song"), Err(EngineError::NotUnderstood));
        assert_eq!(plan("   "), Err(EngineError::NotUnderstood));
    }

    #[test]
    fn absurd_values_are_refused() {
        assert!(matches!(plan("resize to 100000px"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("rotate 45 degrees"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("scale to 9000%"), Err(EngineError::OutOfRange(_))));
    }

    #[test]
    fn plan_round_trips_as_json() {
        let p = plan("grayscale and rotate 90").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"operations":[{"op":"grayscale"},{"op":"rotate","degrees":90}]}"#);
        assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), p);
    }
}

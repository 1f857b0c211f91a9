//! The planner's evaluation set (`evaluation.txt`): for each instruction, is the plan exactly what a person
//! expects, partly (some steps done, the rest reported as not understood), said (nothing done, and the reply
//! says why), or a silent wrong edit (a step nobody asked for, or a part dropped without a word)? Prints the
//! shares for BENCHMARKS.md; fails on any silent wrong edit, or when fewer than 85 % are exactly right.

use vinano_engine::{plan, Backdrop, EngineError, Operation};

/// An operation as the set names it: its kind, with the direction or ratio where it has one.
fn name(op: &Operation) -> String {
    use Operation::*;
    let sign = |v: f32| if v >= 0.0 { "+" } else { "-" };
    match op {
        Brightness { percent } => format!("brightness{}", sign(*percent as f32)),
        Contrast { percent } => format!("contrast{}", sign(*percent as f32)),
        Saturation { percent } => format!("saturation{}", sign(*percent as f32)),
        Warmth { percent } => format!("warmth{}", sign(*percent as f32)),
        Exposure { stops } => format!("exposure{}", sign(*stops)),
        Hue { .. } => "hue".into(),
        Gamma { .. } => "gamma".into(),
        Grayscale => "grayscale".into(),
        Sepia => "sepia".into(),
        Invert => "invert".into(),
        Posterize { .. } => "posterize".into(),
        Vignette { .. } => "vignette".into(),
        Blur { .. } => "blur".into(),
        Sharpen { .. } => "sharpen".into(),
        Denoise => "denoise".into(),
        AutoLevels => "autolevels".into(),
        WhiteBalance => "whitebalance".into(),
        CropAspect { w, h } => format!("crop {w}:{h}"),
        CropEdges { .. } => "trim".into(),
        Rotate { degrees } => format!("rotate {degrees}"),
        FlipHorizontal => "flip-h".into(),
        FlipVertical => "flip-v".into(),
        ResizeLongSide { .. } => "resize".into(),
        Scale { .. } => "scale".into(),
        Border { .. } => "border".into(),
        FillBackground { .. } => "fill".into(),
        Caption { .. } => "caption".into(),
        Poster { .. } => "poster".into(),
        Video { .. } => "video".into(),
        RemoveBackground => "remove-bg".into(),
        ReplaceBackground { backdrop: Backdrop::Blur { .. } } => "blur-bg".into(),
        ReplaceBackground { backdrop: Backdrop::Image { image } } => format!("bg-image {image}"),
        Overlay { image, .. } => format!("place {image}"),
        Combine { layout, .. } => format!("combine {layout:?}").to_lowercase(),
        ReplaceBackground { .. } => "replace-bg".into(),
        ProductShot { .. } => "product".into(),
        IdPhoto { .. } => "id photo".into(),
        Erase => "erase".into(),
        Pixelate { .. } => "pixelate".into(),
    }
}

#[derive(Debug, PartialEq)]
enum Verdict {
    Exact,
    Partly,
    Said,
    SilentWrong(String),
}

fn judge(expected: &[&str], text: &str) -> Verdict {
    let asked = |what: &str| expected == [what];
    match plan(text) {
        Err(EngineError::NeedsSelection(p)) => {
            let kind = if p.msg.key().ends_with("erase") { "ask-erase" } else { "ask-edit" };
            // Asking to brush over something changes nothing: when it wasn't what was expected, it is said.
            if asked(kind) {
                Verdict::Exact
            } else {
                Verdict::Said
            }
        }
        Err(_) if asked("none") => Verdict::Exact,
        Err(_) => Verdict::Said,
        Ok(p) => {
            let got: Vec<String> = p.operations.iter().map(name).collect();
            if expected.iter().any(|e| e.starts_with("ask") || *e == "none") {
                return Verdict::SilentWrong(format!("did {got:?}"));
            }
            if got == expected && p.not_understood.is_empty() {
                return Verdict::Exact;
            }
            if let Some(extra) = got.iter().find(|g| !expected.contains(&g.as_str())) {
                return Verdict::SilentWrong(format!("did {extra} ({got:?})"));
            }
            let missing = expected.iter().any(|e| !got.iter().any(|g| g == e));
            match (missing, p.not_understood.is_empty()) {
                // Everything asked for, in another order, or with a phrase reported as not understood.
                (false, _) => Verdict::Partly,
                (true, false) => Verdict::Partly,
                (true, true) => Verdict::SilentWrong(format!("dropped a step without a word ({got:?})")),
            }
        }
    }
}

#[test]
fn the_planner_on_its_evaluation_set() {
    let set = include_str!("evaluation.txt");
    let cases: Vec<(Vec<&str>, &str)> = set
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (expected, text) = l.split_once(" :: ").unwrap_or_else(|| panic!("no ' :: ' in {l:?}"));
            (expected.split(';').map(str::trim).collect(), text.trim())
        })
        .collect();
    assert!(cases.len() >= 300, "{} instructions", cases.len());
    let (mut exact, mut partly, mut said, mut wrong) = (0, 0, 0, Vec::new());
    let mut not_exact = Vec::new();
    for (expected, text) in &cases {
        match judge(expected, text) {
            Verdict::Exact => exact += 1,
            Verdict::Partly => {
                partly += 1;
                not_exact.push(format!("partly: {text}"));
            }
            Verdict::Said => {
                said += 1;
                not_exact.push(format!("said: {text} (expected {expected:?})"));
            }
            Verdict::SilentWrong(why) => wrong.push(format!("{text}: {why} (expected {expected:?})")),
        }
    }
    let n = cases.len() as f64;
    let share = |k: usize| 100.0 * k as f64 / n;
    println!(
        "planner evaluation, {} instructions: exactly right {exact} ({:.1} %), partly {partly} ({:.1} %), \
         not done but said why {said} ({:.1} %), silent wrong edits {}",
        cases.len(),
        share(exact),
        share(partly),
        share(said),
        wrong.len()
    );
    for line in &not_exact {
        println!("  {line}");
    }
    assert!(wrong.is_empty(), "silent wrong edits:\n{}", wrong.join("\n"));
    assert!(share(exact) >= 85.0, "only {:.1} % exactly right", share(exact));
}

//! Variants: several candidates for one instruction, to pick from. The first is the plan as understood; the
//! others make its adjustable steps subtler or stronger, or, when it has none, give it another look
//! (warmer, cooler, more vivid; a poster's colours turned round the colour wheel).

use super::{EditPlan, Operation, MAX_STEPS};

/// How much of each adjustable step the variants after the first apply.
const STRENGTHS: [f32; 4] = [1.0, 0.6, 1.5, 1.0];

impl EditPlan {
    /// Candidate `k` (0 = the plan itself) of up to [`vinano_api::MAX_VARIANTS`]. Every candidate keeps the
    /// plan's steps in order and stays within their ranges, so each one is as valid as the plan.
    pub fn variant(&self, k: u8) -> EditPlan {
        let k = usize::from(k) % STRENGTHS.len();
        let mut plan = self.clone();
        if k == 0 {
            return plan;
        }
        let mut scaled = false;
        for op in &mut plan.operations {
            scaled |= scale(op, STRENGTHS[k]);
        }
        // The last look: what the plan asked for, more vivid. Without an adjustable step: warmer, cooler.
        let look: Vec<Operation> = if plan.creates_image() {
            vec![Operation::Hue { degrees: 90 * k as i32 }]
        } else {
            match (k, scaled) {
                (3, _) => vec![Operation::Contrast { percent: 12 }, Operation::Saturation { percent: 20 }],
                (1, false) => vec![Operation::Warmth { percent: 15 }],
                (2, false) => vec![Operation::Warmth { percent: -15 }],
                _ => vec![],
            }
        };
        // A clip ends the plan: the look goes before it. Never past the step limit.
        if plan.operations.len() + look.len() <= MAX_STEPS {
            let at = if plan.video().is_some() { plan.operations.len() - 1 } else { plan.operations.len() };
            plan.operations.splice(at..at, look);
        }
        plan
    }
}

/// Scales an adjustable step by `by` within its range; false for steps that have no strength.
fn scale(op: &mut Operation, by: f32) -> bool {
    use Operation::*;
    let percent = |p: &mut i32| *p = ((*p as f32) * by).round().clamp(-100.0, 100.0) as i32;
    match op {
        Brightness { percent: p }
        | Contrast { percent: p }
        | Saturation { percent: p }
        | Warmth { percent: p } => percent(p),
        Exposure { stops } => *stops = (*stops * by).clamp(-3.0, 3.0),
        Vignette { strength } | Sharpen { amount: strength } => {
            *strength = ((*strength as f32) * by).round().clamp(1.0, 100.0) as u32
        }
        Blur { radius } => *radius = (*radius * by).clamp(0.5, 50.0),
        Pixelate { blocks } => *blocks = ((*blocks as f32) / by).round().clamp(8.0, 256.0) as u32,
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::*;

    fn ops(text: &str, k: u8) -> Vec<Operation> {
        crate::plan(text).unwrap().variant(k).operations
    }

    #[test]
    fn variants_are_subtler_stronger_and_another_look_and_stay_valid() {
        let text = "make it warmer and add a vignette";
        let first = ops(text, 0);
        assert_eq!(first, crate::plan(text).unwrap().operations);
        let [Warmth { percent: w }, Vignette { strength: v }] = first[..] else { panic!("{first:?}") };
        assert_eq!(
            ops(text, 1),
            [
                Warmth { percent: (w as f32 * 0.6).round() as i32 },
                Vignette { strength: (v as f32 * 0.6).round() as u32 }
            ]
        );
        assert_eq!(ops(text, 2)[0], Warmth { percent: (w as f32 * 1.5).round() as i32 });
        assert_eq!(&ops(text, 3)[2..], [Contrast { percent: 12 }, Saturation { percent: 20 }]);
        // No adjustable step: warmer, cooler, vivid.
        assert_eq!(ops("make it black and white", 1), [Grayscale, Warmth { percent: 15 }]);
        assert_eq!(ops("make it black and white", 2), [Grayscale, Warmth { percent: -15 }]);
        // A poster turns its colours round the wheel; a clip keeps its place at the end.
        assert_eq!(ops("create a poster that says 'SALE'", 2).last(), Some(&Hue { degrees: 180 }));
        let clip = ops("make it black and white and make a video with a slow zoom", 2);
        assert!(matches!(clip.last(), Some(Video { .. })), "{clip:?}");
        // Strong steps stay in range, so every variant is as valid as the plan.
        for text in ["make it much much brighter", "blur it a lot", "pixelate it", "sharpen it strongly"] {
            for k in 0..4 {
                let plan = crate::plan(text).unwrap().variant(k);
                assert!(plan.validate().is_ok(), "{text} #{k}: {plan:?}");
            }
        }
    }
}

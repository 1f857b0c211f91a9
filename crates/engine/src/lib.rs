//! ViNano's local edit engine: a plain-language instruction becomes a typed, serialisable [`EditPlan`],
//! and [`run`] executes the plan with `vinano-imaging`.
//!
//! This is the offline default behind the planner/executor split; model-provider planners and executors
//! produce and consume the same `EditPlan`.

mod budget;
mod plan;
mod run;

pub use budget::{check_image, group, megapixels, Size, TooLarge, CLIP_FPS, CLIP_SIZE, MAX_CLIP_FRAMES};
pub use plan::{plan, EditPlan, Motion, Operation, TextPlace, MAX_STEPS};
pub use run::{apply, run, POSTER};

/// Why an instruction could not be turned into a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// Nothing in the instruction matched an operation the engine knows.
    #[error(
        "Sorry, I didn't understand that. I can change brightness, contrast, exposure, saturation, warmth, hue \
         and gamma; make a photo black and white, sepia or a negative; blur, sharpen or reduce noise; add a \
         vignette or a border; crop it (square, 16:9, or \"remove 10% from the left\"), rotate, flip or resize \
         it; and apply looks like vintage, cinematic or black-and-white film. Try \"make it a bit warmer and \
         crop it square\" or \"調亮一點，裁成正方形\"."
    )]
    NotUnderstood,
    /// A value was outside what the engine accepts.
    #[error("{0}")]
    OutOfRange(String),
}

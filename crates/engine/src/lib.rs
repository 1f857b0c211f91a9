//! ViNano's local edit engine: a plain-language instruction becomes a typed, serialisable [`EditPlan`],
//! and [`run`] executes the plan with `vinano-imaging`.
//!
//! This is the offline default behind the planner/executor split; model-provider planners and executors
//! produce and consume the same `EditPlan`.

mod budget;
pub mod mask;
mod plan;
mod run;

pub use budget::{check_image, group, megapixels, Size, TooLarge, CLIP_FPS, CLIP_SIZE, MAX_CLIP_FRAMES};
pub use plan::settings;
pub use plan::tools;
pub use plan::{
    plan, plan_with, revise, Anchor, Backdrop, C2paAction, EditPlan, Layout, Motion, Operation, PosterDesign,
    ProductCanvas, Revision, TextPlace, MAX_IMAGES, MAX_STEPS,
};
pub use run::{apply, run, starting, Attached, Tools, POSTER};

/// Why an instruction could not be turned into a plan: what the person is told (in English here; the
/// message keys of [`EngineError::said`] say it in their language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// Nothing in the instruction matched an operation the engine knows.
    #[error("{}", english(vinano_api::Msg::ReplyNotUnderstood.key(), &Default::default()))]
    NotUnderstood,
    /// A value was outside what the engine accepts.
    #[error("{}", english(.0.msg.key(), &.0.args))]
    OutOfRange(vinano_api::Problem),
    /// The instruction names one part of the photo ("remove the person on the left") and came without a
    /// selection: the person is asked to brush over it.
    #[error("{}", english(.0.msg.key(), &.0.args))]
    NeedsSelection(vinano_api::Problem),
    /// A step could not be done on this image (no subject found, no segmentation model).
    #[error("{}", english(.0.msg.key(), &.0.args))]
    Failed(vinano_api::Problem),
}

impl EngineError {
    /// What the person is told.
    pub fn said(&self) -> vinano_api::Problem {
        match self {
            EngineError::NotUnderstood => vinano_api::Msg::ReplyNotUnderstood.into(),
            EngineError::OutOfRange(problem)
            | EngineError::Failed(problem)
            | EngineError::NeedsSelection(problem) => problem.clone(),
        }
    }
}

use vinano_api::problem::words::english;

/// Tools for the tests: the bundled font, no segmentation model.
#[cfg(test)]
pub(crate) fn tests_tools() -> Tools<'static> {
    static FONTS: std::sync::OnceLock<vinano_imaging::text::Fonts> = std::sync::OnceLock::new();
    Tools {
        fonts: FONTS.get_or_init(vinano_imaging::text::Fonts::bundled),
        saliency: None,
        faces: None,
        selection: None,
        attached: Attached::NONE,
    }
}

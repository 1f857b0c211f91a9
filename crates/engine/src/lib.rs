//! ViNano's local edit engine: a plain-language instruction becomes a typed, serialisable [`EditPlan`],
//! and [`run`] executes the plan with `vinano-imaging`.
//!
//! This is the offline default behind the planner/executor split; model-provider planners and executors
//! produce and consume the same `EditPlan`.

mod plan;
mod run;

pub use plan::{plan, EditPlan, Operation};
pub use run::{apply, run};

/// Why an instruction could not be turned into a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// Nothing in the instruction matched an operation the engine knows.
    #[error(
        "Sorry, I didn't understand that. I can change brightness and contrast, make a photo black and white, \
         rotate or flip it, crop it square or to 16:9, and resize it. Try \"make it brighter and crop it square\"."
    )]
    NotUnderstood,
    /// A value was outside what the engine accepts.
    #[error("{0}")]
    OutOfRange(String),
}

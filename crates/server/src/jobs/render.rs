//! One result of a job: the model provider's answer when one is used, then the plan's steps, each on the
//! image pool with the lease renewed while it runs. A job with variants renders once per variant.

use super::models::from_provider;
use super::queue::{checkpoint, guarded, Claimed};
use super::Stop;
use crate::AppState;
use std::sync::Arc;
use vinano_api::Msg;
use vinano_engine::EditPlan;
use vinano_imaging::selection::Selection;
use vinano_imaging::DynamicImage;

/// What every render of a job shares.
pub(super) struct Job<'a> {
    /// The server.
    pub state: &'a AppState,
    /// This worker's name (the lease holder).
    pub worker: &'a str,
    /// The job.
    pub job: &'a Claimed,
    /// The selection the steps work in.
    pub selection: Option<Arc<Selection>>,
    /// For a model provider: the instruction and the size to ask for.
    pub prompt: Option<(&'a str, Option<&'a str>)>,
    /// Progress units in the whole job (each provider call, step and encoding is one).
    pub units: i64,
    /// The images the instruction came with, when it came with several (image 1 first).
    pub attached: Arc<Vec<DynamicImage>>,
}

impl Job<'_> {
    /// Renders `plan` on `target` (a copy), its progress starting at unit `from`.
    pub async fn render(
        &self,
        plan: &EditPlan,
        target: Option<DynamicImage>,
        from: i64,
    ) -> Result<DynamicImage, Stop> {
        let (state, worker, job) = (self.state, self.worker, self.job);
        let at = |unit: i64| unit * 100 / self.units.max(1);
        let mut unit = from;
        let mut image = match self.prompt {
            Some(words) => {
                let Some(provider) = state.provider.clone() else {
                    return Err(Stop::Failed(Msg::ReasonProviderGone.into()));
                };
                let (selection, attached) = (self.selection.clone(), self.attached.clone());
                let asked = from_provider(state, &job.user_id, &provider, target, words, selection, attached);
                let answer = guarded(state, worker, &job.id, at(unit), asked).await?;
                unit += 1;
                checkpoint(state, worker, &job.id, at(unit)).await?;
                answer
            }
            None => target.unwrap_or_else(|| DynamicImage::new_rgb8(1, 1)),
        };
        // Plans from a planner or a provider were never checked against the real size: check the whole plan
        // before the first step, then every result after its step.
        let budget = state.config.max_pixels;
        plan.check_budget(Some((image.width(), image.height())), budget).map_err(super::too_large)?;
        for op in &plan.operations {
            let (op, fonts, segmentation) = (op.clone(), state.fonts.clone(), state.segmentation.clone());
            let face_detection = state.faces.clone();
            let selection = self.selection.clone();
            let (attached, start) = (self.attached.clone(), plan.start());
            let step = async {
                state
                    .blocking(move || {
                        // The model is prepared on first use (from the pool: it takes a moment).
                        let model = op.needs_segmentation().then(|| segmentation.model()).transpose();
                        let model = model.map_err(|why| {
                            tracing::error!(%why, "the segmentation model could not be prepared");
                            vinano_engine::EngineError::Failed(Msg::ReasonSegmentationOff.into())
                        })?;
                        let saliency = model.as_deref().map(|m| m as &dyn vinano_imaging::matte::Saliency);
                        let faces = op.needs_faces().then(|| face_detection.model()).transpose();
                        let faces = faces.map_err(|why| {
                            tracing::error!(%why, "the face detection model could not be prepared");
                            vinano_engine::EngineError::Failed(Msg::ReasonFacesOff.into())
                        })?;
                        let faces = faces.as_deref().map(|m| m as &dyn vinano_imaging::face::FaceFinder);
                        let selection = selection.as_deref();
                        let attached = vinano_engine::Attached { images: &attached, start };
                        vinano_engine::apply(
                            &op,
                            &image,
                            vinano_engine::Tools { fonts: &fonts, saliency, faces, selection, attached },
                        )
                    })
                    .await
            };
            let applied =
                guarded(state, worker, &job.id, at(unit), async { step.await.map_err(super::step_failed) })
                    .await?;
            image = applied.map_err(|e| Stop::Failed(e.said()))?;
            vinano_engine::check_image(image.width(), image.height(), budget).map_err(super::too_large)?;
            unit += 1;
            checkpoint(state, worker, &job.id, at(unit)).await?;
        }
        Ok(image)
    }
}

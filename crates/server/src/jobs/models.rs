//! The parts of a job that call a model service: an image provider's edit or generation, a video model's
//! clip. A model's own safety refusal is written to the moderation log.

use super::Stop;
use crate::AppState;
use std::sync::Arc;
use vinano_api::Msg;
use vinano_imaging::selection::{Region, Selection};
use vinano_imaging::OutputFormat;

/// Sends the target and the prompt to the model provider and decodes its answer (under the same limits as
/// uploads). A provider's safety block is written to the moderation log.
///
/// With a `selection`, a provider that takes a mask gets the whole photo and the mask; any other gets the
/// part of the photo around the selection. Either way only what the selection covers changes: the answer is
/// put back through it. `attached` holds every image the instruction came with when it came with several
/// (the one edited first): the others are sent after it, in order.
pub(super) async fn from_provider(
    state: &AppState,
    user_id: &str,
    provider: &crate::providers::Provider,
    image: Option<vinano_imaging::DynamicImage>,
    (prompt, size): (&str, Option<&str>),
    selection: Option<Arc<Selection>>,
    attached: Arc<Vec<vinano_imaging::DynamicImage>>,
) -> Result<vinano_imaging::DynamicImage, Stop> {
    use crate::providers::{ImageProvider, ImageRequest, ProviderError, Service};
    let original = image.map(Arc::new);
    let region = match (&original, &selection) {
        (Some(image), Some(selection)) if !provider.takes_mask() => {
            Some(selection.region().unwrap_or_else(|| Region::whole(image)))
        }
        (Some(image), Some(_)) => Some(Region::whole(image)),
        _ => None,
    };
    // An edit sends the target (or its region) as PNG, and the mask when the provider takes one; without a
    // target, the provider generates.
    let sent = match original.clone() {
        Some(image) => {
            let (selection, takes_mask) = (selection.clone(), provider.takes_mask());
            let encoded = state
                .blocking(move || -> vinano_imaging::Result<_> {
                    let part = match region {
                        Some(r) if r != Region::whole(&image) => image.crop_imm(r.x, r.y, r.width, r.height),
                        _ => (*image).clone(),
                    };
                    let png = vinano_imaging::encode(&part, OutputFormat::Png)?.bytes;
                    let mask = match selection.filter(|_| takes_mask) {
                        Some(s) => Some(
                            vinano_imaging::encode(
                                &vinano_imaging::DynamicImage::ImageRgba8(s.as_edit_mask()),
                                OutputFormat::Png,
                            )?
                            .bytes,
                        ),
                        None => None,
                    };
                    Ok((png, mask))
                })
                .await
                .map_err(Stop::Transient)?
                .map_err(encode_failed)?;
            Some(encoded)
        }
        None => None,
    };
    let (png, mask) = sent.map_or((None, None), |(png, mask)| (Some(png), mask));
    let references = state
        .blocking(move || -> vinano_imaging::Result<Vec<Vec<u8>>> {
            attached
                .iter()
                .skip(1)
                .map(|image| Ok(vinano_imaging::encode(image, OutputFormat::Png)?.bytes))
                .collect()
        })
        .await
        .map_err(Stop::Transient)?
        .map_err(encode_failed)?;
    let size = size.unwrap_or("auto").into();
    let request = ImageRequest { prompt: prompt.to_string(), image: png, size, mask, references };
    let bytes = match provider.run(&request).await {
        Ok(bytes) => bytes,
        Err(e @ ProviderError::SafetyBlock(_)) => {
            log_safety_block(state, user_id, prompt).await;
            return Err(Stop::Failed(e.said(Service::Image)));
        }
        Err(e) => return Err(Stop::Failed(e.said(Service::Image))),
    };
    let limits = vinano_imaging::DecodeLimits { max_pixels: state.config.max_pixels, ..Default::default() };
    let decoded =
        state.blocking(move || vinano_imaging::decode(&bytes, limits)).await.map_err(Stop::Transient)?;
    let answer =
        decoded.map(|d| d.image).map_err(|_| Stop::Failed(Msg::ReasonImageServiceBadAnswer.into()))?;
    match (original, selection, region) {
        (Some(original), Some(selection), Some(region)) => state
            .blocking(move || selection.put_back(&original, &answer, region))
            .await
            .map_err(Stop::Transient),
        _ => Ok(answer),
    }
}

/// The image could not be encoded for the model service (logged; the person is told it could not be saved).
fn encode_failed(e: impl std::fmt::Display) -> Stop {
    tracing::error!(error = %e, "could not encode an image for a model service");
    Stop::Failed(Msg::ReasonEncode.into())
}

/// Writes a model's own safety block to the moderation log (a failure to log is logged, not fatal).
async fn log_safety_block(state: &AppState, user_id: &str, prompt: &str) {
    let hash = crate::moderation::prompt_hash(prompt);
    if let Err(e) = crate::moderation::append(state, user_id, &hash, "provider_safety", "refuse").await {
        tracing::error!(error = ?e, "could not log a model's safety block");
    }
}

/// Sends the edited image and the instruction to the video model. Its safety filter's refusals go to the
/// moderation log, like an image provider's.
pub(super) async fn from_video_model(
    state: &AppState,
    user_id: &str,
    model: &crate::providers::veo::Veo,
    image: vinano_imaging::DynamicImage,
    prompt: &str,
    seconds: u32,
) -> Result<Vec<u8>, Stop> {
    use crate::providers::{ProviderError, Service, VideoProvider, VideoRequest};
    let aspect_ratio = if image.height() > image.width() { "9:16" } else { "16:9" };
    let png = state
        .blocking(move || vinano_imaging::encode(&image, OutputFormat::Png))
        .await
        .map_err(Stop::Transient)?
        .map_err(encode_failed)?
        .bytes;
    let request = VideoRequest { prompt: prompt.to_string(), image: png, seconds, aspect_ratio };
    match model.run(&request).await {
        Ok(mp4) => Ok(mp4),
        Err(e @ ProviderError::SafetyBlock(_)) => {
            log_safety_block(state, user_id, prompt).await;
            Err(Stop::Failed(e.said(Service::Video)))
        }
        Err(e) => Err(Stop::Failed(e.said(Service::Video))),
    }
}

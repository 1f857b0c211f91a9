//! The rules of a send, without a browser: whether it may go, and what it posts.

use vinano_api::validate::{self, FieldError};
use vinano_api::{Costs, EditParams, Engines, JobKind, PostMessage};

/// Why a send can't go yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A photo is still being prepared or uploaded.
    Uploading,
    /// A photo could not be added; it must be removed first.
    FailedPhoto,
    /// The words break the instruction rules (empty without a photo, or too long).
    Words(FieldError),
    /// Nothing to edit: no photo attached, none in the thread, and the words don't make an image.
    NeedsPhoto,
}

impl Refusal {
    /// The app's i18n key for the refusals it words itself (`Words` carries the shared rule's message).
    pub fn i18n_key(&self) -> Option<&'static str> {
        match self {
            Refusal::Uploading => Some("attach-wait"),
            Refusal::FailedPhoto => Some("attach-remove-failed"),
            Refusal::NeedsPhoto => Some("image-need-photo"),
            Refusal::Words(_) => None,
        }
    }
}

/// What the composer holds when the person sends.
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    /// A photo is still being prepared or uploaded.
    pub uploading: bool,
    /// A photo could not be added.
    pub failed: bool,
    /// The uploaded photos, in the order attached.
    pub photos: &'a [String],
    /// The words, trimmed.
    pub instruction: &'a str,
    /// The thread already has an image to work on.
    pub thread_has_image: bool,
}

/// Whether the send may go. Words are optional only when photos are being added; a poster is made from
/// words alone, every other instruction needs a photo to work on.
pub fn check(draft: Draft<'_>) -> Result<(), Refusal> {
    if draft.uploading {
        return Err(Refusal::Uploading);
    }
    if draft.failed {
        return Err(Refusal::FailedPhoto);
    }
    if !draft.instruction.is_empty() || draft.photos.is_empty() {
        validate::prompt(draft.instruction).map_err(Refusal::Words)?;
    }
    let makes_image = vinano_engine::plan(draft.instruction).is_ok_and(|p| p.creates_image());
    if draft.photos.is_empty() && !draft.thread_has_image && !makes_image {
        return Err(Refusal::NeedsPhoto);
    }
    Ok(())
}

/// What a send posts, in order, each with its idempotency key: every photo joins the thread and the words
/// (with the chosen aspect, style and format) go with the last one; with no photo, the words go with the
/// chosen target (`None`: the latest image in the thread), or with a brushed selection to the version it
/// was brushed on. A retry of the same send reuses `key`, so the server runs each post once.
pub fn posts(
    photos: &[String],
    instruction: &str,
    target: Option<String>,
    params: EditParams,
    selection: Option<(String, String)>,
    key: &str,
) -> Vec<(PostMessage, String)> {
    let with_words = |text: &str| {
        let params = (!text.is_empty()).then_some(params);
        (text.to_string(), params)
    };
    if photos.is_empty() {
        let (text, params) = with_words(instruction);
        let (target, selection) = match selection {
            Some((image, png)) => (Some(image), Some(png)),
            None => (target, None),
        };
        let references = vec![];
        return vec![(
            PostMessage { text, image_id: target, params, selection, references, ..PostMessage::default() },
            key.to_string(),
        )];
    }
    // Words that place, combine or put one photo behind another go with the first photo ("image 1"), the
    // others sent beside it as "image 2" onwards, once every photo is in the thread.
    if photos.len() > 1 && !instruction.is_empty() && about_other_images(instruction) {
        let posts = photos.iter().enumerate().map(|(i, photo)| {
            let post = PostMessage { image_id: Some(photo.clone()), ..PostMessage::default() };
            (post, format!("{key}-{i}"))
        });
        let words = PostMessage {
            text: instruction.to_string(),
            image_id: Some(photos[0].clone()),
            params: Some(params),
            selection: None,
            references: photos[1..].to_vec(),
            ..PostMessage::default()
        };
        return posts.chain([(words, format!("{key}-{}", photos.len()))]).collect();
    }
    photos
        .iter()
        .enumerate()
        .map(|(i, photo)| {
            let last = i + 1 == photos.len();
            let (text, params) = with_words(if last { instruction } else { "" });
            (
                PostMessage {
                    text,
                    image_id: Some(photo.clone()),
                    params,
                    selection: None,
                    ..PostMessage::default()
                },
                format!("{key}-{i}"),
            )
        })
        .collect()
}

/// True when the words place, combine or put behind another of the photos sent with them.
fn about_other_images(instruction: &str) -> bool {
    vinano_engine::plan(instruction).is_ok_and(|plan| {
        plan.images_used() > 1
            || plan.operations.iter().any(|op| matches!(op, vinano_engine::Operation::Combine { .. }))
    })
}

/// What sending `instruction` would cost, priced as the server prices it (`size`: the image it works on);
/// `None` when it costs nothing (photos alone, or words the server answers with a reply). About: the
/// settings' crop and style, which the server adds to the plan, are left out. Each of the `variants` is
/// priced (a clip is made once).
pub fn estimate(
    instruction: &str,
    size: Option<(u32, u32)>,
    costs: &Costs,
    engines: Engines,
    variants: u8,
) -> Option<u64> {
    let one = estimate_one(instruction, size, costs, engines)?;
    let clip = !engines.provider && vinano_engine::plan(instruction).is_ok_and(|p| p.video().is_some());
    Some(if clip { one } else { one.saturating_mul(u64::from(variants.max(1))) })
}

fn estimate_one(instruction: &str, size: Option<(u32, u32)>, costs: &Costs, engines: Engines) -> Option<u64> {
    if instruction.is_empty() {
        return None;
    }
    let pixels = |size: Option<(u32, u32)>| size.map_or(0, |(w, h)| 2 * u64::from(w) * u64::from(h));
    if engines.provider {
        return Some(costs.of(JobKind::ProviderImage, pixels(size)));
    }
    match vinano_engine::plan(instruction) {
        Ok(plan) => {
            let kind = match plan.video() {
                Some(_) if engines.video => JobKind::Video,
                Some(_) => JobKind::Clip,
                None => JobKind::Edit,
            };
            // A poster starts from nothing.
            let size = if plan.creates_image() { None } else { size };
            Some(costs.of(kind, plan.peak_pixels(size)))
        }
        Err(vinano_engine::EngineError::NotUnderstood) if engines.planner => {
            Some(costs.of(JobKind::Planned, pixels(size)))
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft<'a>(photos: &'a [String], instruction: &'a str, thread_has_image: bool) -> Draft<'a> {
        Draft { uploading: false, failed: false, photos, instruction, thread_has_image }
    }

    #[test]
    fn a_send_needs_something_to_edit_or_words_that_make_an_image() {
        let photo = ["p1".to_string()];
        assert_eq!(check(draft(&[], "make it warmer", false)), Err(Refusal::NeedsPhoto));
        assert_eq!(check(draft(&[], "make it warmer", true)), Ok(()));
        assert_eq!(check(draft(&photo, "", false)), Ok(()), "photos alone are fine");
        assert_eq!(check(draft(&[], "a poster for a summer sale", false)), Ok(()), "a poster needs no photo");
        assert!(matches!(check(draft(&[], "", true)), Err(Refusal::Words(_))), "nothing at all");
        let long = "x".repeat(validate::PROMPT_MAX + 1);
        assert!(matches!(check(draft(&photo, &long, false)), Err(Refusal::Words(_))));
        let busy = Draft { uploading: true, ..draft(&photo, "rotate it", false) };
        assert_eq!(check(busy), Err(Refusal::Uploading));
        let failed = Draft { failed: true, ..draft(&photo, "rotate it", false) };
        assert_eq!(check(failed), Err(Refusal::FailedPhoto));
    }

    #[test]
    fn the_estimate_prices_the_send_as_the_server_will() {
        let costs = Costs::default();
        let local = Engines::default();
        let photo = Some((4000, 3000));
        assert_eq!(estimate("", photo, &costs, local, 1), None, "photos alone cost nothing");
        assert_eq!(estimate("flip it", Some((800, 600)), &costs, local, 1), Some(1));
        assert_eq!(estimate("flip it", photo, &costs, local, 1), Some(6), "12 MP held twice: 24 MP");
        assert_eq!(estimate("a poster for a summer sale", photo, &costs, local, 1), Some(1), "from nothing");
        assert_eq!(estimate("make a video", photo, &costs, local, 1), Some(5));
        let video = Engines { video: true, ..local };
        assert_eq!(estimate("make a video", photo, &costs, video, 1), Some(40));
        assert_eq!(estimate("sing me a song", photo, &costs, local, 1), None, "answered with words");
        let planner = Engines { planner: true, ..local };
        assert_eq!(estimate("sing me a song", Some((800, 600)), &costs, planner, 1), Some(2));
        let provider = Engines { provider: true, ..local };
        assert_eq!(estimate("flip it", photo, &costs, provider, 1), Some(10));
        // Four variants cost four results; a clip is made once.
        assert_eq!(estimate("flip it", Some((800, 600)), &costs, local, 4), Some(4));
        assert_eq!(estimate("flip it", photo, &costs, provider, 3), Some(30));
        assert_eq!(estimate("make a video", photo, &costs, local, 4), Some(5));
    }

    #[test]
    fn the_words_go_with_the_last_photo_and_every_post_has_its_own_key() {
        let params = EditParams::default();
        let photos = ["a".to_string(), "b".to_string()];
        let sent = posts(&photos, "crop it square", Some("ignored".into()), params, None, "k");
        assert_eq!(sent.len(), 2);
        assert_eq!(
            (sent[0].0.text.as_str(), sent[0].0.image_id.as_deref(), sent[0].1.as_str()),
            ("", Some("a"), "k-0")
        );
        assert_eq!(sent[0].0.params, None, "a photo without words carries no edit settings");
        assert_eq!(
            (sent[1].0.text.as_str(), sent[1].0.image_id.as_deref(), sent[1].1.as_str()),
            ("crop it square", Some("b"), "k-1")
        );
        assert_eq!(sent[1].0.params, Some(params));

        let on_target = posts(&[], "rotate it", Some("t".into()), params, None, "k");
        assert_eq!(on_target.len(), 1);
        assert_eq!((on_target[0].0.image_id.as_deref(), on_target[0].1.as_str()), (Some("t"), "k"));
        // The same send retried posts the same keys.
        assert_eq!(posts(&photos, "crop it square", None, params, None, "k"), sent);
        // A brushed selection goes to the version it was brushed on, whatever the target.
        let brushed = Some(("v2".to_string(), "data:image/png;base64,AAAA".to_string()));
        let erase = posts(&[], "erase this", Some("t".into()), params, brushed, "k");
        assert_eq!(erase[0].0.image_id.as_deref(), Some("v2"));
        assert_eq!(erase[0].0.selection.as_deref(), Some("data:image/png;base64,AAAA"));
        assert_eq!(on_target[0].0.selection, None);
    }

    #[test]
    fn words_about_several_photos_go_with_the_first_and_name_the_others() {
        let params = EditParams::default();
        let photos = ["a".to_string(), "b".to_string(), "c".to_string()];
        let sent = posts(&photos, "put image 2 in the bottom right corner", None, params, None, "k");
        // Every photo joins the thread, then the words go with image 1 and the others as 2 and 3.
        assert_eq!(sent.len(), 4);
        assert!(sent[..3].iter().all(|(post, _)| post.text.is_empty() && post.references.is_empty()));
        let (words, key) = &sent[3];
        assert_eq!((words.image_id.as_deref(), key.as_str()), (Some("a"), "k-3"));
        assert_eq!(words.references, ["b", "c"]);
        assert_eq!(words.params, Some(params));
        let side = posts(&photos[..2], "put them side by side", None, params, None, "k");
        assert_eq!(side[2].0.references, ["b"]);
        // Words about one photo keep going with the last one.
        assert!(posts(&photos, "make it warmer", None, params, None, "k")
            .iter()
            .all(|(p, _)| p.references.is_empty()));
    }
}

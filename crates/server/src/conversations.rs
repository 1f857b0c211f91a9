//! The rules of a message in a conversation, without I/O: which image an instruction works on, and what
//! answers it — a queued job (for the local engine, a model provider, the language-model planner or the
//! video model) or a written reply. The HTTP handler (`http/conversations.rs`) gathers the facts, calls
//! these, and stores the result in one transaction.

use crate::error::Error;
use crate::jobs::JobRequest;
use vinano_api::{Aspect, EditParams, Format, Msg, Problem};
use vinano_engine::{EditPlan, EngineError, Operation};
use vinano_imaging::OutputFormat;

/// What this server can answer with besides the local engine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// A model provider edits and generates images from the words as written.
    pub provider: bool,
    /// A language-model planner gets instructions the rules don't understand.
    pub planner: bool,
    /// A video model makes clips.
    pub video: bool,
}

/// The image an instruction works on: the one asked for, else the latest in the thread. A plan that makes
/// a new image (a poster, locally) needs none; with a provider, words alone ask it to generate one.
pub fn target(
    asked: Option<String>,
    latest: Option<String>,
    creates_image: bool,
    can: Capabilities,
    attach_only: bool,
) -> Result<Option<String>, Error> {
    match asked.or(latest) {
        _ if creates_image && !can.provider => Ok(None),
        Some(image_id) => Ok(Some(image_id)),
        None if can.provider && !attach_only => Ok(None),
        None => Err(Error::invalid(Msg::NeedsPhoto)),
    }
}

/// How a message is answered.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A photo added to the thread, with no words: nothing to do.
    Nothing,
    /// A job whose result is the reply.
    Job(Box<JobRequest>),
    /// A written reply (the rules didn't understand, and there is no planner to ask).
    Reply(Problem),
}

/// The answer to `text` (with its `params`), given what the rules made of it (`local`, planned knowing
/// whether it was `selected`). An instruction sent with a selection goes to the model provider with it
/// when there is one (which edits only inside it), else to the local engine, which works inside it too;
/// never to the planner or the video model, whose steps would change the whole photo.
pub fn answer(
    text: &str,
    params: &EditParams,
    local: Result<EditPlan, EngineError>,
    can: Capabilities,
    attach_only: bool,
    selected: bool,
) -> Answer {
    let can = if selected { Capabilities { provider: can.provider, ..Capabilities::default() } } else { can };
    let job = |plan: EditPlan| JobRequest {
        // A clip is one clip; a still can come as several candidates.
        variants: if plan.video().is_some() { 1 } else { params.variants.clamp(1, vinano_api::MAX_VARIANTS) },
        plan,
        format: output_format(params.format).map(|f| f.extension().to_string()),
        prompt: None,
        size: None,
        planner_prompt: None,
        video_prompt: None,
        hold: false,
        selection: None,
        attached: vec![],
        print_dpi: None,
    };
    let settings_only = || EditPlan {
        operations: param_operations(params),
        not_understood: vec![],
        in_selection: false,
        base: None,
    };
    let request = match local {
        _ if attach_only => return Answer::Nothing,
        // Inside a selection, the provider gets the words and the selection, and no settings' steps.
        _ if can.provider && selected => JobRequest {
            prompt: Some(text.to_string()),
            size: Some("auto".into()),
            ..job(EditPlan { operations: vec![], not_understood: vec![], in_selection: true, base: None })
        },
        // With a model provider, the words go to it as written; the settings' steps run on its result.
        _ if can.provider => JobRequest {
            prompt: Some(text.to_string()),
            size: Some(provider_size(params.aspect).into()),
            ..job(settings_only())
        },
        Ok(mut plan) => {
            // The settings' steps (a crop to the aspect, a style) change the whole photo: not in a selection.
            if !plan.in_selection {
                plan.operations.extend(param_operations(params));
            }
            // A clip goes to the video model when one is configured.
            let video_prompt = (plan.video().is_some() && can.video).then(|| text.to_string());
            JobRequest { video_prompt, ..job(plan) }
        }
        // Not understood by the rules: a language-model planner gets a go, in the job.
        Err(EngineError::NotUnderstood) if can.planner => {
            JobRequest { planner_prompt: Some(text.to_string()), ..job(settings_only()) }
        }
        Err(e) => return Answer::Reply(e.said()),
    };
    Answer::Job(Box::new(request))
}

/// The size a provider is asked for, from the aspect.
fn provider_size(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Square => "1024x1024",
        Aspect::Landscape | Aspect::Wide => "1536x1024",
        Aspect::Portrait | Aspect::Tall => "1024x1536",
        Aspect::Original => "auto",
    }
}

/// The steps the request's parameters add after the instruction's own: the aspect crop, then the style.
pub fn param_operations(params: &EditParams) -> Vec<Operation> {
    vinano_engine::settings::operations(params)
}

/// The file format a result is stored in; `None` picks the best for the image.
pub fn output_format(format: Format) -> Option<OutputFormat> {
    vinano_engine::settings::output_format(format)
}

/// A conversation title from its first instruction: the first 60 characters, on a word boundary.
pub fn title_from(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 60 {
        return one_line;
    }
    let cut: String = one_line.chars().take(60).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_string();
    format!("{cut}…")
}

/// True when a plan works with other images than the photo it edits (it places, combines or puts one
/// behind), or the rules refused it for naming images that didn't come: the local engine answers those,
/// since a model provider given the words alone would not see the images they name.
pub fn about_other_images(local: &Result<EditPlan, EngineError>) -> bool {
    match local {
        Ok(plan) => {
            plan.images_used() > 1 || plan.operations.iter().any(|op| matches!(op, Operation::Combine { .. }))
        }
        Err(e) => matches!(
            e.said().msg,
            Msg::ReplyAttachReferences
                | Msg::ReplyNoSuchImage
                | Msg::ReplyCombineNeedsTwo
                | Msg::ReplyEditOtherImage
        ),
    }
}

/// What may answer an instruction about several images: the local engine for what its rules place,
/// combine or refuse; a model provider (given every image, in order) for words the rules can't do with
/// them ("dress her in the jacket from image 2"). Planners and video models see no images: never them.
pub fn with_other_images(
    can: Capabilities,
    local: &Result<EditPlan, EngineError>,
    references: bool,
) -> Capabilities {
    if !references && !about_other_images(local) {
        return can;
    }
    let for_a_model = match local {
        Err(EngineError::NotUnderstood) => true,
        Err(e) => e.said().msg == Msg::ReplyEditOtherImage,
        Ok(_) => false,
    };
    Capabilities { provider: can.provider && references && for_a_model, ..Capabilities::default() }
}

/// The images an instruction came with, in order (`target` is image 1), when it came with others; empty
/// otherwise. Other images need a photo to edit.
pub fn attached(target: Option<&str>, references: &[String]) -> Result<Vec<String>, Error> {
    if references.is_empty() {
        return Ok(vec![]);
    }
    let target = target.ok_or_else(|| Error::invalid(Msg::ReferencesNoPhoto))?;
    Ok(std::iter::once(target.to_string()).chain(references.iter().cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_api::Style;

    const LOCAL: Capabilities = Capabilities { provider: false, planner: false, video: false };
    const PROVIDER: Capabilities = Capabilities { provider: true, planner: false, video: false };
    const PLANNER: Capabilities = Capabilities { provider: false, planner: true, video: false };

    fn job(a: Answer) -> JobRequest {
        match a {
            Answer::Job(request) => *request,
            other => panic!("expected a job, got {other:?}"),
        }
    }

    #[test]
    fn each_kind_of_message_gets_its_answer() {
        let square = EditParams { aspect: Aspect::Square, format: Format::Png, ..EditParams::default() };
        let plain = EditParams::default();
        // A photo with no words: nothing to run.
        assert!(matches!(answer("", &plain, vinano_engine::plan(""), LOCAL, true, false), Answer::Nothing));

        // The local rules: their plan, then the settings' steps, in the chosen format.
        let local = job(answer("rotate it", &square, vinano_engine::plan("rotate it"), LOCAL, false, false));
        assert_eq!(local.plan.operations.last(), Some(&Operation::CropAspect { w: 1, h: 1 }));
        assert!(local.plan.operations.len() == 2 && local.prompt.is_none() && local.planner_prompt.is_none());
        assert_eq!(local.format.as_deref(), Some("png"));

        // A provider gets the words as written and a size from the aspect; the settings still run after.
        let text = "a cat in a spacesuit";
        let provided = job(answer(text, &square, vinano_engine::plan(text), PROVIDER, false, false));
        assert_eq!((provided.prompt.as_deref(), provided.size.as_deref()), (Some(text), Some("1024x1024")));
        assert_eq!(provided.plan.operations, [Operation::CropAspect { w: 1, h: 1 }]);

        // Not understood: the planner gets it if there is one, else a written reply says what works.
        let odd = "sing me a song";
        let planned = job(answer(odd, &plain, vinano_engine::plan(odd), PLANNER, false, false));
        assert_eq!(planned.planner_prompt.as_deref(), Some(odd));
        assert!(planned.plan.operations.is_empty());
        match answer(odd, &plain, vinano_engine::plan(odd), LOCAL, false, false) {
            Answer::Reply(said) => assert_eq!(said, Msg::ReplyNotUnderstood.into()),
            other => panic!("expected a reply, got {other:?}"),
        }

        // A clip goes to the video model only when there is one.
        let clip = "make a 3 second video that zooms in";
        let with_video = Capabilities { video: true, ..LOCAL };
        assert!(job(answer(clip, &plain, vinano_engine::plan(clip), with_video, false, false))
            .video_prompt
            .is_some());
        assert!(job(answer(clip, &plain, vinano_engine::plan(clip), LOCAL, false, false))
            .video_prompt
            .is_none());
    }

    #[test]
    fn an_instruction_with_a_selection_stays_inside_it() {
        let plain = EditParams { aspect: Aspect::Square, style: Style::Mono, ..EditParams::default() };
        let text = "make this brighter";
        let everything = Capabilities { provider: false, planner: true, video: true };
        // The local engine: its plan inside the selection, without the settings' whole-photo steps.
        let local = job(answer(text, &plain, vinano_engine::plan_with(text, true), everything, false, true));
        assert!(local.plan.in_selection && local.prompt.is_none());
        assert_eq!(local.plan.operations, [Operation::Brightness { percent: 20 }]);
        // Not understood: never the planner (its steps would change the whole photo).
        let odd = "turn this into a red balloon";
        let planner = answer(odd, &plain, vinano_engine::plan_with(odd, true), everything, false, true);
        assert!(matches!(planner, Answer::Reply(_)), "{planner:?}");
        // A provider gets the words, at its own size, with no settings' steps; the version is marked.
        let provided = job(answer(odd, &plain, vinano_engine::plan_with(odd, true), PROVIDER, false, true));
        assert_eq!((provided.prompt.as_deref(), provided.size.as_deref()), (Some(odd), Some("auto")));
        assert!(provided.plan.operations.is_empty() && provided.plan.in_selection);
    }

    #[test]
    fn the_target_is_the_chosen_image_or_the_latest_or_none_for_a_new_image() {
        let (a, b) = (Some("a".to_string()), Some("b".to_string()));
        assert_eq!(target(a.clone(), b.clone(), false, LOCAL, false).unwrap(), a);
        assert_eq!(target(None, b.clone(), false, LOCAL, false).unwrap(), b);
        assert_eq!(target(None, b.clone(), true, LOCAL, false).unwrap(), None, "a poster starts afresh");
        assert_eq!(target(None, None, false, PROVIDER, false).unwrap(), None, "the provider generates");
        assert!(
            matches!(target(None, None, false, LOCAL, false), Err(Error::InvalidInput(p)) if p.msg == Msg::NeedsPhoto)
        );
    }

    #[test]
    fn titles_come_from_the_first_instruction() {
        assert_eq!(title_from("  make it\n warmer "), "make it warmer");
        let long = "word ".repeat(30);
        let title = title_from(&long);
        assert!(title.ends_with('…') && title.chars().count() <= 61, "{title}");
    }
}

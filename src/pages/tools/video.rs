//! AI Video (`/video`): a picture from the library or a new photo, a camera movement (slow zoom, zoom-out
//! reveal, pan, or a parallax that moves the subject in front of its background), a length and a shape. It
//! ends in the editor, where the clip is made (an MP4 the page plays and downloads) as a normal version.

use super::{choices, start_in_editor, PhotoPicker, ToolPage};
use crate::api;
use crate::components::form::{FieldMessage, FormErrors};
use crate::i18n::use_i18n;
use crate::state::start::Start;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{ImageInfo, Tool, VideoAspect, VideoMotion, VideoTool, MAX_VIDEO_SECONDS};

/// Pictures of the library offered to start from.
const RECENT: u32 = 12;

fn motion_keys(motion: VideoMotion) -> (&'static str, &'static str) {
    match motion {
        VideoMotion::ZoomIn => ("video-zoom-in", "video-zoom-in-about"),
        VideoMotion::ZoomOut => ("video-zoom-out", "video-zoom-out-about"),
        VideoMotion::Pan => ("video-pan", "video-pan-about"),
        VideoMotion::Parallax => ("video-parallax", "video-parallax-about"),
    }
}

fn aspect_keys(aspect: VideoAspect) -> (&'static str, &'static str) {
    match aspect {
        VideoAspect::Original => ("video-aspect-original", "video-aspect-original-about"),
        VideoAspect::Landscape => ("video-aspect-landscape", "video-aspect-landscape-about"),
        VideoAspect::Portrait => ("video-aspect-portrait", "video-aspect-portrait-about"),
        VideoAspect::Square => ("video-aspect-square", "video-aspect-square-about"),
    }
}

/// The AI Video page.
#[component]
pub fn VideoMaker() -> impl IntoView {
    view! { <ToolPage title="video-title" about="video-about"><VideoForm/></ToolPage> }
}

#[component]
fn VideoForm() -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new();
    let credits = LocalResource::new(api::credits);
    // A parallax needs the segmentation model; until the server has said, it is offered.
    let parallax = move || credits.get().and_then(Result::ok).is_none_or(|c| c.engines.background);
    let recent = LocalResource::new(|| api::list_images(RECENT * 2));
    let chosen = RwSignal::new(None::<ImageInfo>);
    let photo = RwSignal::new(None::<web_sys::File>);
    let motion = RwSignal::new(VideoMotion::ZoomIn);
    let seconds = RwSignal::new(5u32);
    let aspect = RwSignal::new(VideoAspect::Original);
    let problem = RwSignal::new(None::<String>);
    // Words instead of the choices: the movement, length and shape as the person says them.
    let describe = RwSignal::new(String::new());
    let described = move || describe.with(|d| !d.trim().is_empty());
    // A new photo and a library picture exclude each other.
    Effect::new(move |_| {
        if photo.with(Option::is_some) {
            chosen.set(None);
        }
    });
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let form = VideoTool {
            motion: motion.get_untracked(),
            seconds: seconds.get_untracked(),
            aspect: aspect.get_untracked(),
        };
        if let Err(e) = form.check() {
            errors.invalid(i18n, e);
            return;
        }
        let (files, image) = match (photo.get_untracked(), chosen.get_untracked()) {
            (Some(file), _) => (vec![file], None),
            (None, Some(image)) => (vec![], Some(image)),
            (None, None) => {
                problem.set(Some(i18n.t("video-need-picture")));
                return;
            }
        };
        let words = describe.get_untracked();
        if !words.trim().is_empty() {
            let text = i18n.t_args("video-described", [("words", words.trim().into())]);
            start_in_editor(&navigate, Start { text, files, image, tool: None, preset: None });
            return;
        }
        let key = if form.aspect == VideoAspect::Original { "video-summary-own" } else { "video-summary" };
        let words = i18n.t_args(
            key,
            [
                ("seconds", form.seconds.into()),
                ("motion", i18n.t(motion_keys(form.motion).0).into()),
                ("aspect", i18n.t(aspect_keys(form.aspect).0).into()),
            ],
        );
        start_in_editor(
            &navigate,
            Start { text: words, files, image, tool: Some(Tool::Video(form)), preset: None },
        );
    };
    let library = move || {
        let items: Vec<ImageInfo> = recent
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|item| item.image)
            .filter(|image| !image.content_type.starts_with("video/") && image.content_type != "image/gif")
            .take(RECENT as usize)
            .collect();
        (!items.is_empty()).then(|| {
            let pictures = items
                .into_iter()
                .map(|image| {
                    let id = image.id.clone();
                    let alt = crate::components::describe(i18n, &image);
                    let src = image.preview_url(256);
                    let picked = image.clone();
                    view! {
                        <label class="video-pick">
                            <input type="radio" name="picture" class="visually-hidden"
                                prop:checked=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id))
                                on:change=move |_| {
                                    chosen.set(Some(picked.clone()));
                                    photo.set(None);
                                    problem.set(None);
                                }/>
                            <img src=src alt=alt loading="lazy" width="96" height="96"/>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="video-library">
                    <legend>{i18n.tr("video-field-library")}</legend>
                    <div class="video-picks">{pictures}</div>
                </fieldset>
            }
        })
    };
    let motions = move || {
        let offered = VideoMotion::ALL.into_iter().filter(|m| *m != VideoMotion::Parallax || parallax());
        choices(
            "motion",
            offered.map(|m| (m, motion_keys(m).0, Some(motion_keys(m).1))).collect::<Vec<_>>(),
            motion,
        )
    };
    let aspects = choices(
        "aspect",
        VideoAspect::ALL
            .into_iter()
            .map(|a| (a, aspect_keys(a).0, Some(aspect_keys(a).1)))
            .collect::<Vec<_>>(),
        aspect,
    );
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            {library}
            <p class="field-label">{i18n.tr("video-field-photo")}</p>
            <PhotoPicker photo=photo problem=problem/>
            <fieldset class="presets" prop:disabled=described>
                <legend>{i18n.tr("video-field-motion")}</legend>
                {motions}
            </fieldset>
            <label for="video-seconds">{i18n.tr("video-field-seconds")}</label>
            <div class="nudge">
                <input id="video-seconds" type="range" min="1" max=MAX_VIDEO_SECONDS.to_string() step="1"
                    prop:disabled=described
                    aria-valuetext=move || i18n.t_args("video-seconds", [("n", seconds.get().into())])
                    prop:value=move || seconds.get().to_string()
                    on:input=move |ev| seconds.set(event_target_value(&ev).parse().unwrap_or(5))/>
                <output for="video-seconds">{move || i18n.t_args("video-seconds", [("n", seconds.get().into())])}</output>
            </div>
            <FieldMessage field="seconds" errors=errors/>
            <fieldset class="presets backdrops" prop:disabled=described>
                <legend>{i18n.tr("video-field-aspect")}</legend>
                {aspects}
            </fieldset>
            <label for="video-describe">{i18n.tr("video-field-describe")}</label>
            <textarea id="video-describe" name="describe" rows="2" maxlength="500"
                placeholder=i18n.tr("video-describe-placeholder")
                aria-describedby="video-describe-hint"
                prop:value=move || describe.get()
                on:input=move |ev| describe.set(event_target_value(&ev))></textarea>
            <p id="video-describe-hint" class="hint">{i18n.tr("video-describe-hint")}</p>
            <p class="hint">{i18n.tr("video-hint")}</p>
            <button type="submit" class="btn btn-primary">{i18n.tr("video-submit")}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{translate, Locale};

    /// The example under "Or describe it", sent as the page sends it, makes the clip it describes in every
    /// language: a pan, 6 seconds, upright.
    #[test]
    fn the_example_description_makes_the_clip_it_describes() {
        for locale in Locale::ALL {
            let example = translate(locale, "video-describe-placeholder", &[]);
            let sent = translate(locale, "video-described", &[("words", example.as_str().into())]);
            let plan = vinano_engine::plan(&sent).unwrap_or_else(|e| panic!("{sent}: {e}"));
            let clip = vinano_engine::Operation::Video {
                motion: vinano_engine::Motion::Pan,
                seconds: 6,
                shape: Some([9, 16]),
            };
            assert_eq!(plan.operations, vec![clip], "{sent}");
        }
    }
}

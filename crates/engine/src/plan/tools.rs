//! The steps of AI Tools' forms: a tool says exactly what to make, so its plan is built from the form, not
//! read from words.

use super::{EditPlan, Operation, PosterDesign, ProductCanvas};
use crate::EngineError;
use vinano_api::{parse_color, EnhancePreset, PosterTool, ProductTool, Tool};

/// Dots per inch of the print sizes.
pub const PRINT_DPI: u32 = 300;

/// The plan a tool's form asks for, checked as any plan from elsewhere is. A form that fails its own rules
/// is refused with the field's message.
pub fn plan(tool: &Tool) -> Result<EditPlan, EngineError> {
    let operations = match tool {
        Tool::Poster(form) => vec![poster(form)?],
        Tool::Enhance { preset } => enhance(*preset),
        Tool::Product(form) => vec![product(form)?],
        Tool::IdPhoto(form) => {
            form.check().map_err(|e| EngineError::OutOfRange(e.problem))?;
            let backdrop = form.background.rgb();
            vec![Operation::IdPhoto {
                standard: form.standard,
                backdrop,
                nudge: form.nudge,
                sheet: form.sheet,
            }]
        }
        Tool::Video(form) => video(form)?,
    };
    let plan = EditPlan { operations, not_understood: vec![], in_selection: false, base: None };
    plan.validate()?;
    Ok(plan)
}

/// AI Video's step: the clip, in the form's shape (a movement keeps within the picture: a pan of a wide
/// shape travels across it).
fn video(form: &vinano_api::VideoTool) -> Result<Vec<Operation>, EngineError> {
    use vinano_api::VideoMotion;
    form.check().map_err(|e| EngineError::OutOfRange(e.problem))?;
    let motion = match form.motion {
        VideoMotion::ZoomIn => super::Motion::ZoomIn,
        VideoMotion::ZoomOut => super::Motion::ZoomOut,
        VideoMotion::Pan => super::Motion::Pan,
        VideoMotion::Parallax => super::Motion::Parallax,
    };
    let shape = form.aspect.ratio().map(|(w, h)| [w, h]);
    Ok(vec![Operation::Video { motion, seconds: form.seconds, shape }])
}

fn poster(form: &PosterTool) -> Result<Operation, EngineError> {
    form.check().map_err(|e| EngineError::OutOfRange(e.problem))?;
    let some = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let title = form.title.trim().to_string();
    let colors = match form.colors.as_slice() {
        [a, b] => [parse_color(a).unwrap_or_default(), parse_color(b).unwrap_or_default()],
        _ => super::rules::theme(&title.to_lowercase()),
    };
    let (width, height) = form.size.pixels();
    let design = PosterDesign {
        width,
        height,
        line: some(&form.line),
        style: form.style,
        ink: form.text_color.as_deref().and_then(parse_color),
        title_ink: None,
        photo: form.photo,
        dpi: form.size.is_print().then_some(PRINT_DPI),
    };
    Ok(Operation::Poster { title, subtitle: some(&form.subtitle), colors, design: Some(Box::new(design)) })
}

fn product(form: &ProductTool) -> Result<Operation, EngineError> {
    form.check().map_err(|e| EngineError::OutOfRange(e.problem))?;
    let colors: Vec<[u8; 3]> = form.colors.iter().filter_map(|c| parse_color(c)).collect();
    let color = colors.first().copied().unwrap_or([255, 255, 255]);
    let (width, height) = form.preset.pixels();
    let canvas = ProductCanvas {
        width,
        height,
        margin: form.preset.margin(),
        to: colors.get(1).copied(),
        scene: form.scene,
    };
    Ok(Operation::ProductShot { color, shadow: form.shadow, canvas: Some(Box::new(canvas)) })
}

/// The corrections of each preset.
pub fn enhance(preset: EnhancePreset) -> Vec<Operation> {
    use Operation::*;
    match preset {
        EnhancePreset::RealEstate => {
            vec![AutoLevels, Brightness { percent: 8 }, Warmth { percent: 10 }, Sharpen { amount: 15 }]
        }
        EnhancePreset::Food => vec![
            WhiteBalance,
            Saturation { percent: 20 },
            Warmth { percent: 10 },
            Contrast { percent: 10 },
            Sharpen { amount: 25 },
        ],
        EnhancePreset::Portrait => {
            vec![Denoise, Brightness { percent: 5 }, Warmth { percent: 8 }, Sharpen { amount: 10 }]
        }
        EnhancePreset::OldPhoto => {
            vec![Denoise, AutoLevels, WhiteBalance, Contrast { percent: 10 }, Sharpen { amount: 20 }]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_api::{Msg, PosterSize, PosterStyle};

    fn form() -> PosterTool {
        PosterTool { title: " Summer sale ".into(), subtitle: Some("  ".into()), ..PosterTool::default() }
    }

    #[test]
    fn a_poster_form_becomes_one_designed_poster() {
        let a4 = PosterTool {
            size: PosterSize::A4,
            line: Some("Sat 12 July · Main St".into()),
            style: PosterStyle::Dots,
            colors: vec!["#102030".into(), "#FFFFFF".into()],
            text_color: Some("#ff0000".into()),
            ..form()
        };
        let plan = plan(&Tool::Poster(a4)).unwrap();
        assert!(plan.creates_image());
        let [Operation::Poster { title, subtitle, colors, design: Some(design) }] =
            plan.operations.as_slice()
        else {
            panic!("{plan:?}")
        };
        assert_eq!((title.as_str(), subtitle.as_deref()), ("Summer sale", None));
        assert_eq!(*colors, [[16, 32, 48], [255, 255, 255]]);
        assert_eq!((design.width, design.height, design.dpi), (2480, 3508, Some(300)));
        assert_eq!(design.ink, Some([255, 0, 0]));
        assert_eq!(design.line.as_deref(), Some("Sat 12 July · Main St"));
        assert_eq!(plan.texts(), ["Summer sale", "Sat 12 July · Main St"]);
        // No colours: the theme the words suggest; a screen size has no print resolution.
        let plain = super::plan(&Tool::Poster(form())).unwrap();
        let Operation::Poster { colors, design: Some(design), .. } = &plain.operations[0] else { panic!() };
        assert_eq!(*colors, [[250, 120, 30], [250, 200, 60]]);
        assert_eq!((design.width, design.height, design.dpi), (1080, 1350, None));
        // Over a photo, the plan edits the photo rather than making an image from nothing.
        let over = super::plan(&Tool::Poster(PosterTool { photo: true, ..form() })).unwrap();
        assert!(!over.creates_image());
    }

    #[test]
    fn a_bad_form_is_refused_with_the_fields_message() {
        let bad = PosterTool { colors: vec!["#12".into(), "#000000".into()], ..form() };
        let Err(EngineError::OutOfRange(said)) = plan(&Tool::Poster(bad)) else { panic!() };
        assert_eq!(said.msg, Msg::ToolColor);
        let empty = PosterTool { title: " ".into(), ..form() };
        let Err(EngineError::OutOfRange(said)) = plan(&Tool::Poster(empty)) else { panic!() };
        assert_eq!(said.msg, Msg::FieldEmpty);
    }

    #[test]
    fn a_product_form_becomes_one_product_shot_on_its_canvas() {
        use vinano_api::ProductPreset;
        let form = ProductTool { preset: ProductPreset::Etsy, colors: vec![], shadow: true, scene: None };
        let plan = plan(&Tool::Product(form)).unwrap();
        assert!(!plan.creates_image());
        let [Operation::ProductShot { color, shadow: true, canvas: Some(canvas) }] =
            plan.operations.as_slice()
        else {
            panic!("{plan:?}")
        };
        assert_eq!(
            (*color, canvas.width, canvas.height, canvas.margin, canvas.to),
            ([255; 3], 3000, 2250, 10, None)
        );
        let graded =
            ProductTool { colors: vec!["#ffffff".into(), "#dde6f0".into()], ..ProductTool::default() };
        let plan = super::plan(&Tool::Product(graded)).unwrap();
        let Operation::ProductShot { canvas: Some(canvas), .. } = &plan.operations[0] else { panic!() };
        assert_eq!((canvas.width, canvas.height, canvas.to), (2000, 2000, Some([221, 230, 240])));
        // The canvas is what the pixel budget counts.
        assert!(plan.peak_pixels(Some((100, 100))) >= 4_000_000);
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), plan);
        let three = ProductTool { colors: vec!["#ffffff".into(); 3], ..ProductTool::default() };
        let Err(EngineError::OutOfRange(said)) = super::plan(&Tool::Product(three)) else { panic!() };
        assert_eq!(said.msg, Msg::ToolColors);
    }

    #[test]
    fn an_id_photo_form_is_one_step_at_300_dpi() {
        use vinano_api::{IdBackground, IdNudge, IdPhotoTool, IdStandard};
        let form = IdPhotoTool {
            standard: IdStandard::In2x2,
            background: IdBackground::LightBlue,
            ..IdPhotoTool::default()
        };
        let plan = plan(&Tool::IdPhoto(form.clone())).unwrap();
        assert_eq!(plan.dpi(), Some(300));
        assert!(plan.needs_segmentation() && plan.operations[0].needs_faces() && !plan.creates_image());
        assert_eq!(plan.operations[0].said().args.get("width").and_then(|a| a.number()), Some(51));
        let far = IdPhotoTool { nudge: IdNudge { larger: -30, ..IdNudge::default() }, ..form };
        let Err(EngineError::OutOfRange(said)) = super::plan(&Tool::IdPhoto(far)) else { panic!() };
        assert_eq!(said.msg, Msg::ToolNudge);
    }

    #[test]
    fn every_preset_is_a_valid_plan_and_a_stored_plan_reads_back() {
        for preset in EnhancePreset::ALL {
            let plan = plan(&Tool::Enhance { preset }).unwrap();
            assert!(plan.operations.len() >= 3, "{preset:?}");
            let json = serde_json::to_string(&plan).unwrap();
            assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), plan);
        }
        let poster = plan(&Tool::Poster(PosterTool { size: PosterSize::A3, ..form() })).unwrap();
        let json = serde_json::to_string(&poster).unwrap();
        assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), poster);
        // A poster stored before the form existed still reads.
        let old =
            r#"{"operations":[{"op":"poster","title":"SALE","subtitle":null,"colors":[[1,2,3],[4,5,6]]}]}"#;
        let old: EditPlan = serde_json::from_str(old).unwrap();
        assert!(matches!(&old.operations[0], Operation::Poster { design: None, .. }));
    }

    #[test]
    fn a_video_form_is_one_clip_in_its_shape() {
        use vinano_api::{VideoAspect, VideoMotion, VideoTool};
        let form = VideoTool { motion: VideoMotion::Parallax, seconds: 4, aspect: VideoAspect::Portrait };
        let plan = plan(&Tool::Video(form)).unwrap();
        assert_eq!(
            plan.operations,
            [Operation::Video { motion: crate::Motion::Parallax, seconds: 4, shape: Some([9, 16]) }]
        );
        assert!(plan.needs_segmentation(), "a parallax needs the subject");
        let own = plan_video(VideoTool { aspect: VideoAspect::Original, ..form });
        assert!(matches!(own[..], [Operation::Video { shape: None, .. }]));
        assert!(super::plan(&Tool::Video(VideoTool { seconds: 12, ..form })).is_err());
    }

    fn plan_video(form: vinano_api::VideoTool) -> Vec<Operation> {
        plan(&Tool::Video(form)).unwrap().operations
    }
}

//! Executes an [`EditPlan`] on pixels.

use crate::{Anchor, Backdrop, EditPlan, EngineError, Layout, Operation, TextPlace};
use vinano_api::Msg;
use vinano_imaging::background;
use vinano_imaging::compose;
use vinano_imaging::inpaint;
use vinano_imaging::matte::{self, Saliency};
use vinano_imaging::selection::{self, Selection};
use vinano_imaging::text::{self, Fonts, Place};
use vinano_imaging::{ops, DynamicImage};

/// Size of a generated poster (4:5, as social feeds show it).
pub const POSTER: (u32, u32) = (1080, 1350);

/// What the steps draw with: fonts for text, and the segmentation model for the background steps (`None`
/// where it isn't installed: those steps then fail with why).
#[derive(Clone, Copy)]
pub struct Tools<'a> {
    /// Fonts for captions and posters.
    pub fonts: &'a Fonts,
    /// Tells the subject from the background.
    pub saliency: Option<&'a dyn Saliency>,
    /// Finds faces and their eyes (ID photos).
    pub faces: Option<&'a dyn vinano_imaging::face::FaceFinder>,
    /// Where the steps are done when the instruction came with a brush mask (`None`: everywhere). It must
    /// be the size of the image the steps start from; steps inside a selection keep that size.
    pub selection: Option<&'a Selection>,
    /// The images the instruction came with, when it came with more than one.
    pub attached: Attached<'a>,
}

/// The images an instruction came with, numbered from 1 in the order attached (1 is the photo being
/// edited), and the one the steps started from (its number stands for the picture as edited so far).
#[derive(Clone, Copy)]
pub struct Attached<'a> {
    /// Every attached image as it came; empty for an instruction with one photo or none.
    pub images: &'a [DynamicImage],
    /// The number of the image the steps started from.
    pub start: u32,
}

impl<'a> Attached<'a> {
    /// One photo (or none): nothing else to place or combine.
    pub const NONE: Attached<'static> = Attached { images: &[], start: 1 };

    /// Attached image `n` as it came.
    fn get(self, n: u32) -> Result<&'a DynamicImage, EngineError> {
        let count = self.images.len() as u64;
        self.images.get((n as usize).wrapping_sub(1)).ok_or_else(|| {
            EngineError::OutOfRange(
                vinano_api::Problem::new(Msg::ReplyNoSuchImage)
                    .num("image", n.into())
                    .num("count", count.max(1)),
            )
        })
    }
}

/// The picture `plan`'s steps start from: `first` (the photo being edited), or the attached image the plan
/// names as its start.
pub fn starting<'a>(
    plan: &EditPlan,
    first: &'a DynamicImage,
    attached: &'a [DynamicImage],
) -> Result<&'a DynamicImage, EngineError> {
    match plan.start() {
        1 => Ok(first),
        n => Attached { images: attached, start: 1 }.get(n),
    }
}

/// Applies every operation of the plan in order, with `tools`.
pub fn run(plan: &EditPlan, image: &DynamicImage, tools: Tools<'_>) -> Result<DynamicImage, EngineError> {
    let tools = Tools { attached: Attached { start: plan.start(), ..tools.attached }, ..tools };
    let start = starting(plan, image, tools.attached.images)?;
    plan.operations.iter().try_fold(start.clone(), |img, op| apply(op, &img, tools))
}

/// The subject's matte: the image's own transparency, or the model's answer refined at full size. Fails
/// when there is no model, or when nothing stands out (less than 0.5 % of the photo is subject).
fn subject(img: &DynamicImage, tools: Tools<'_>) -> Result<image::GrayImage, EngineError> {
    let matte = match (matte::alpha_of(img), tools.saliency) {
        (Some(alpha), _) => alpha,
        (None, None) => return Err(EngineError::Failed(Msg::ReasonSegmentationOff.into())),
        (None, Some(model)) => {
            matte::matte(img, model).map_err(|_| EngineError::Failed(Msg::ReasonSegmentationFailed.into()))?
        }
    };
    if matte::coverage(&matte) < 0.005 {
        return Err(EngineError::Failed(Msg::ReasonNoSubject.into()));
    }
    Ok(matte)
}

/// Applies one operation (a job runs a plan step by step, reporting progress and honouring cancellation
/// between steps).
pub fn apply(op: &Operation, img: &DynamicImage, tools: Tools<'_>) -> Result<DynamicImage, EngineError> {
    let Some(area) = tools.selection.filter(|_| op.works_in_selection()) else {
        return whole(op, img, tools);
    };
    if area.mask.dimensions() != (img.width(), img.height()) {
        return Err(EngineError::Failed(Msg::ReasonNoSelection.into()));
    }
    if *op == Operation::Erase {
        return Ok(inpaint::erase(img, &area.mask));
    }
    let edited = whole(op, img, Tools { selection: None, ..tools })?;
    Ok(selection::blend(img, &edited, &area.soft))
}

/// Applies one operation to the whole image.
fn whole(op: &Operation, img: &DynamicImage, tools: Tools<'_>) -> Result<DynamicImage, EngineError> {
    let fonts = tools.fonts;
    Ok(match op.clone() {
        Operation::Brightness { percent } => ops::brightness(img, percent),
        Operation::Contrast { percent } => ops::contrast(img, percent),
        Operation::Grayscale => ops::grayscale(img),
        Operation::Rotate { degrees } => ops::rotate(img, degrees),
        Operation::FlipHorizontal => ops::flip_horizontal(img),
        Operation::FlipVertical => ops::flip_vertical(img),
        Operation::CropAspect { w, h } => ops::crop_to_aspect(img, w, h),
        Operation::ResizeLongSide { pixels } => ops::resize_long_side(img, pixels),
        Operation::Scale { factor } => ops::scale(img, factor),
        Operation::Exposure { stops } => ops::exposure(img, stops),
        Operation::Saturation { percent } => ops::saturation(img, percent),
        Operation::Warmth { percent } => ops::warmth(img, percent),
        Operation::Hue { degrees } => ops::hue(img, degrees),
        Operation::Gamma { value } => ops::gamma(img, value),
        Operation::Sepia => ops::sepia(img),
        Operation::Invert => ops::invert(img),
        Operation::Posterize { levels } => ops::posterize(img, levels),
        Operation::Vignette { strength } => ops::vignette(img, strength),
        Operation::Blur { radius } => ops::blur(img, radius),
        Operation::Sharpen { amount } => ops::sharpen(img, amount),
        Operation::Denoise => ops::denoise(img),
        Operation::AutoLevels => vinano_imaging::auto::auto_levels(img),
        Operation::WhiteBalance => vinano_imaging::auto::white_balance(img),
        Operation::CropEdges { left, top, right, bottom } => ops::crop_edges(img, left, top, right, bottom),
        Operation::Border { width, color } => ops::border(img, width, color),
        Operation::FillBackground { color } => ops::fill_background(img, color),
        Operation::Caption { text, place, color } => {
            let place = match place {
                TextPlace::Top => Place::Top,
                TextPlace::Center => Place::Center,
                TextPlace::Bottom => Place::Bottom,
            };
            text::caption(img, &text, place, color, fonts)
        }
        // The clip is made by whoever stores the result (it isn't a single image); the still passes through.
        Operation::Video { .. } => img.clone(),
        Operation::Poster { title, subtitle, colors, design: None } => {
            text::poster(POSTER.0, POSTER.1, colors, &title, subtitle.as_deref(), fonts)
        }
        Operation::Poster { title, subtitle, colors, design: Some(design) } => {
            use vinano_imaging::poster::{self, PosterLayout, PosterWords};
            let words =
                PosterWords { title: &title, subtitle: subtitle.as_deref(), line: design.line.as_deref() };
            let size = (design.width, design.height);
            let rest = design.ink.unwrap_or([255, 255, 255]);
            let ink = poster::PosterInk { title: design.title_ink.unwrap_or(rest), rest };
            let layout = match design.style {
                vinano_api::PosterStyle::Auto => PosterLayout::for_title(&title),
                vinano_api::PosterStyle::Circles => PosterLayout::Circles,
                vinano_api::PosterStyle::Stripes => PosterLayout::Stripes,
                vinano_api::PosterStyle::Dots => PosterLayout::Dots,
            };
            if design.photo {
                poster::over_photo(img, size, words, ink, fonts)
            } else {
                poster::designed(layout, size, colors, words, ink, fonts)
            }
        }
        // Erasing needs a selection (the plan's validation makes sure there is one).
        Operation::Erase => return Err(EngineError::Failed(Msg::ReasonNoSelection.into())),
        Operation::Pixelate { blocks } => ops::pixelate(img, blocks),
        Operation::RemoveBackground => {
            DynamicImage::ImageRgba8(background::removed(img, &subject(img, tools)?))
        }
        Operation::ReplaceBackground { backdrop } => {
            let backdrop = match backdrop {
                Backdrop::Color { color } => background::Backdrop::Color(color),
                Backdrop::Gradient { colors } => background::Backdrop::Gradient(colors),
                Backdrop::Blur { strength } => {
                    background::Backdrop::Blur(strength.clamp(1, 100) as f32 / 1000.0)
                }
                Backdrop::Image { image } => {
                    background::Backdrop::Picture(tools.attached.get(image)?.clone())
                }
            };
            background::replace(img, &subject(img, tools)?, backdrop)
        }
        Operation::Overlay { image, place, size, cut_out } => {
            let top = tools.attached.get(image)?;
            let matte =
                if cut_out && !matte::is_transparent(top) { Some(subject(top, tools)?) } else { None };
            let place = match place {
                Anchor::TopLeft => compose::Anchor::TopLeft,
                Anchor::TopRight => compose::Anchor::TopRight,
                Anchor::BottomLeft => compose::Anchor::BottomLeft,
                Anchor::BottomRight => compose::Anchor::BottomRight,
                Anchor::Center => compose::Anchor::Center,
            };
            compose::overlay(img, top, matte.as_ref(), place, size as f32 / 100.0)
        }
        Operation::Combine { images, layout } => {
            let pictures = images
                .iter()
                .map(|&n| if n == tools.attached.start { Ok(img) } else { tools.attached.get(n) })
                .collect::<Result<Vec<_>, _>>()?;
            let layout = match layout {
                Layout::Row => compose::Layout::Row,
                Layout::Column => compose::Layout::Column,
                Layout::Grid => compose::Layout::Grid,
            };
            compose::arrange(&pictures, (img.width(), img.height()), layout)
        }
        Operation::IdPhoto { standard, backdrop, nudge, sheet } => {
            id_photo(img, tools, standard, backdrop, nudge, sheet)?
        }
        Operation::ProductShot { color, shadow, canvas } => {
            let layout = match canvas {
                Some(c) => background::ProductLayout {
                    size: Some((c.width, c.height)),
                    margin: c.margin as f32 / 100.0,
                    colors: [color, c.to.unwrap_or(color)],
                    shadow,
                    scene: c.scene.map(|scene| match scene {
                        vinano_api::ProductScene::Studio => vinano_imaging::scene::Scene::Studio,
                        vinano_api::ProductScene::Table => vinano_imaging::scene::Scene::Table,
                        vinano_api::ProductScene::Sunlit => vinano_imaging::scene::Scene::Sunlit,
                    }),
                },
                None => background::ProductLayout::plain(color, shadow),
            };
            background::product_shot(img, &subject(img, tools)?, &layout)
                .ok_or(EngineError::Failed(Msg::ReasonNoSubject.into()))?
        }
    })
}

/// The ID photo of the largest face in `img` (see [`vinano_imaging::face::id_photo`]), or its print sheet.
fn id_photo(
    img: &DynamicImage,
    tools: Tools<'_>,
    standard: vinano_api::IdStandard,
    backdrop: [u8; 3],
    nudge: vinano_api::IdNudge,
    sheet: bool,
) -> Result<DynamicImage, EngineError> {
    use vinano_imaging::face;
    let finder = tools.faces.ok_or(EngineError::Failed(Msg::ReasonFacesOff.into()))?;
    let faces = finder.faces(&img.to_rgb8()).map_err(|_| EngineError::Failed(Msg::ReasonFacesOff.into()))?;
    let found = faces.into_iter().max_by(|a, b| (a.size.0 * a.size.1).total_cmp(&(b.size.0 * b.size.1)));
    let found = found.ok_or(EngineError::Failed(Msg::ReasonNoFace.into()))?;
    let matte = subject(img, tools)?;
    let spec = standard.spec();
    let (width, height) = standard.pixels();
    let head = (spec.head_mm.0 + spec.head_mm.1) / 2.0 / spec.mm.1;
    let layout = face::IdLayout {
        frame: face::IdFrame { width, height, head, top: spec.top_mm / spec.mm.1 },
        backdrop,
        shift_x: nudge.right as f32 / 100.0,
        shift_y: nudge.down as f32 / 100.0,
        zoom: 1.0 + nudge.larger as f32 / 100.0,
    };
    let photo = face::id_photo(img, &found, Some(&matte), &layout);
    // 4 × 6 in at 300 dpi, copies 2 mm apart.
    Ok(DynamicImage::ImageRgb8(if sheet { face::print_sheet(&photo, 1800, 1200, 24) } else { photo }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, Rgb, RgbImage};

    #[test]
    fn black_and_white_then_rotate() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(40, 20, Rgb([200, 30, 30])));
        let plan = crate::plan("make it black and white and rotate it 90 degrees").unwrap();
        let out = run(&plan, &img, crate::tests_tools()).unwrap();
        assert_eq!(out.dimensions(), (20, 40));
        assert!(out.to_rgb8().pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
    }
}

#[cfg(test)]
mod every_operation {
    use crate::{plan, run};
    use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};

    #[test]
    fn every_operation_runs_on_opaque_and_transparent_images() {
        let instructions = [
            "exposure +1, more saturation, warmer, hue 90, gamma 1.5, sepia, invert, posterize, vignette",
            "blur it a bit, sharpen it, denoise, remove 10% from the left, add a 5 px red border",
            "vintage, cinematic, black and white film, turn it into a poster",
        ];
        let opaque = DynamicImage::ImageRgb8(image::RgbImage::from_fn(60, 40, |x, y| {
            image::Rgb([x as u8 * 4, y as u8 * 6, 90])
        }));
        let clear = DynamicImage::ImageRgba8(RgbaImage::from_fn(60, 40, |x, _| {
            Rgba([200, 40, 40, if x < 30 { 255 } else { 0 }])
        }));
        for text in instructions {
            let p = plan(text).unwrap();
            assert!(p.not_understood.is_empty(), "{text}: {:?}", p.not_understood);
            for img in [&opaque, &clear] {
                let out = run(&p, img, crate::tests_tools()).unwrap();
                let (w, h) = out.dimensions();
                assert!(w >= 40 && h >= 30, "{text}: {w}×{h}");
            }
        }
        let framed = run(
            &plan("remove 10% from the left, add a 5 px red border").unwrap(),
            &opaque,
            crate::tests_tools(),
        )
        .unwrap();
        assert_eq!(framed.dimensions(), (54 + 10, 40 + 10));
    }
}

#[cfg(test)]
mod in_a_selection {
    use crate::{plan_with, run, Tools};
    use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};
    use vinano_imaging::selection::Selection;

    /// A 120 × 80 grey photo with the left half brushed over.
    fn setup() -> (DynamicImage, Selection) {
        let img =
            DynamicImage::ImageRgb8(RgbImage::from_fn(120, 80, |x, _| Rgb([100, 100, (x % 7) as u8 * 20])));
        let mask = GrayImage::from_fn(120, 80, |x, _| Luma([if x < 60 { 255 } else { 0 }]));
        (img, Selection::new(mask))
    }

    #[test]
    fn brush_edits_change_only_the_brushed_pixels() {
        let (img, area) = setup();
        let tools = Tools { selection: Some(&area), ..crate::tests_tools() };
        let out = run(&plan_with("make this brighter", true).unwrap(), &img, tools).unwrap().to_rgb8();
        let before = img.to_rgb8();
        for (x, y, p) in out.enumerate_pixels() {
            if x < 50 {
                assert!(p[0] > before.get_pixel(x, y)[0] + 30, "({x}, {y}) not brighter");
            } else if x >= 70 {
                assert_eq!(p, before.get_pixel(x, y), "({x}, {y}) changed");
            }
        }
        let gray = run(&plan_with("black and white", true).unwrap(), &img, tools).unwrap().to_rgb8();
        assert!(gray.get_pixel(10, 10).0.iter().all(|&c| c == gray.get_pixel(10, 10)[0]));
        assert_eq!(gray.get_pixel(110, 10), before.get_pixel(110, 10));
    }

    #[test]
    fn erase_fills_the_selection_and_needs_one() {
        let (img, _) = setup();
        // A red block on the grey photo, brushed over, is gone.
        let mut with_block = img.to_rgb8();
        let mut mask = GrayImage::new(120, 80);
        for y in 30..50 {
            for x in 40..70 {
                with_block.put_pixel(x, y, Rgb([230, 20, 20]));
                mask.put_pixel(x, y, Luma([255]));
            }
        }
        let area = Selection::new(mask);
        let tools = Tools { selection: Some(&area), ..crate::tests_tools() };
        let photo = DynamicImage::ImageRgb8(with_block);
        let out = run(&plan_with("erase this", true).unwrap(), &photo, tools).unwrap().to_rgb8();
        assert!(out.pixels().all(|p| p[0] < 150), "red left");
        // A plan that says erase, without a selection (a stored or provider's plan), is refused in words.
        let mut p = plan_with("erase this", true).unwrap();
        p.in_selection = false;
        assert!(p.validate().is_err());
        assert!(run(&plan_with("erase this", true).unwrap(), &photo, crate::tests_tools()).is_err());
    }
}

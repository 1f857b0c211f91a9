//! How a plan reads: each step, and the reply that says what was done, as messages of the shared locale
//! files (`crates/api/locales/*-edits.ftl`), so that the app says them in the person's language. The
//! English (`Display`, `summary`) is formatted from the same files.

use super::{color_name, Anchor, Backdrop, EditPlan, Layout, Motion, Operation, TextPlace};
use vinano_api::problem::words::english;
use vinano_api::{Msg, Problem};

/// A signed number as the steps write it: `+20`, `-15`, `0.5` → `+0.5`.
fn signed(value: impl std::fmt::Display + PartialOrd + Default) -> String {
    if value >= Default::default() {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

impl Operation {
    /// The step as a message ("brightness +20%", "crop square").
    pub fn said(&self) -> Problem {
        use Operation::*;
        let p = Problem::new;
        match self.clone() {
            Brightness { percent } => p(Msg::OpBrightness).text("percent", signed(percent)),
            Contrast { percent } => p(Msg::OpContrast).text("percent", signed(percent)),
            Grayscale => p(Msg::OpGrayscale),
            Rotate { degrees } => p(Msg::OpRotate).text("degrees", degrees.to_string()),
            FlipHorizontal => p(Msg::OpFlipHorizontal),
            FlipVertical => p(Msg::OpFlipVertical),
            CropAspect { w, h } if w == h => p(Msg::OpCropSquare),
            CropAspect { w, h } => p(Msg::OpCropAspect).num("w", w.into()).num("h", h.into()),
            ResizeLongSide { pixels } => p(Msg::OpResize).num("pixels", pixels.into()),
            Scale { factor } => p(Msg::OpScale).text("factor", factor.to_string()),
            Exposure { stops } => p(Msg::OpExposure).text("stops", signed(stops)),
            Saturation { percent } => p(Msg::OpSaturation).text("percent", signed(percent)),
            Warmth { percent } if percent >= 0 => p(Msg::OpWarmer).text("percent", percent.to_string()),
            Warmth { percent } => p(Msg::OpCooler).text("percent", (-percent).to_string()),
            Hue { degrees } => p(Msg::OpHue).text("degrees", signed(degrees)),
            Gamma { value } => p(Msg::OpGamma).text("value", value.to_string()),
            Sepia => p(Msg::OpSepia),
            Invert => p(Msg::OpInvert),
            Posterize { levels } => p(Msg::OpPosterize).num("levels", levels.into()),
            Vignette { strength } => p(Msg::OpVignette).num("strength", strength.into()),
            Blur { radius } => p(Msg::OpBlur).text("radius", radius.to_string()),
            Sharpen { amount } => p(Msg::OpSharpen).num("amount", amount.into()),
            Denoise => p(Msg::OpDenoise),
            AutoLevels => p(Msg::OpAutoLevels),
            WhiteBalance => p(Msg::OpWhiteBalance),
            CropEdges { left, top, right, bottom } => {
                let sides = [(Msg::OpTrimLeft, left), (Msg::OpTrimTop, top), (Msg::OpTrimRight, right)]
                    .into_iter()
                    .chain([(Msg::OpTrimBottom, bottom)])
                    .filter(|(_, percent)| *percent > 0)
                    .map(|(side, percent)| p(side).num("percent", percent.into()));
                p(Msg::OpTrim).list("sides", sides)
            }
            Border { width, color } => {
                p(Msg::OpBorder).text("color", color_name(color)).num("width", width.into())
            }
            FillBackground { color } => p(Msg::OpFill).text("color", color_name(color)),
            RemoveBackground => p(Msg::OpRemoveBackground),
            ReplaceBackground { backdrop: Backdrop::Color { color } } => {
                p(Msg::OpBackgroundColor).text("color", color_name(color))
            }
            ReplaceBackground { backdrop: Backdrop::Gradient { .. } } => p(Msg::OpBackgroundGradient),
            ReplaceBackground { backdrop: Backdrop::Blur { strength } } => {
                p(Msg::OpBackgroundBlur).num("strength", strength.into())
            }
            IdPhoto { standard, sheet, .. } => {
                let (w, h) = standard.spec().mm;
                p(if sheet { Msg::OpIdSheet } else { Msg::OpIdPhoto })
                    .num("width", w.round() as u64)
                    .num("height", h.round() as u64)
            }
            ProductShot { canvas: Some(canvas), .. } if canvas.scene.is_some() => {
                let scene = match canvas.scene {
                    Some(vinano_api::ProductScene::Studio) => "studio",
                    Some(vinano_api::ProductScene::Table) => "table",
                    _ => "sunlit",
                };
                p(Msg::OpProductScene).text("scene", scene)
            }
            ProductShot { color, shadow, .. } => {
                p(if shadow { Msg::OpProductShotShadow } else { Msg::OpProductShot })
                    .text("color", color_name(color))
            }
            Caption { text, place, .. } => {
                let place = match place {
                    TextPlace::Top => "top",
                    TextPlace::Center => "center",
                    TextPlace::Bottom => "bottom",
                };
                p(Msg::OpCaption).text("text", text).text("place", place)
            }
            Poster { title, .. } => p(Msg::OpPoster).text("title", title),
            Erase => p(Msg::OpErase),
            ReplaceBackground { backdrop: Backdrop::Image { image } } => {
                p(Msg::OpBackgroundImage).num("image", image.into())
            }
            Overlay { image, place, size, cut_out } => {
                let place = match place {
                    Anchor::TopLeft => "top-left",
                    Anchor::TopRight => "top-right",
                    Anchor::BottomLeft => "bottom-left",
                    Anchor::BottomRight => "bottom-right",
                    Anchor::Center => "center",
                };
                p(if cut_out { Msg::OpOverlayCutOut } else { Msg::OpOverlay })
                    .num("image", image.into())
                    .text("place", place)
                    .num("size", size.into())
            }
            Combine { images, layout } => {
                let layout = match layout {
                    Layout::Row => "row",
                    Layout::Column => "column",
                    Layout::Grid => "grid",
                };
                let images = images.iter().map(|n| p(Msg::OpImageNumber).num("image", (*n).into()));
                p(Msg::OpCombine).list("images", images).text("layout", layout)
            }
            Pixelate { blocks } => p(Msg::OpPixelate).num("blocks", blocks.into()),
            Video { motion, seconds, shape } => {
                let motion = match motion {
                    Motion::ZoomIn => "zoom-in",
                    Motion::ZoomOut => "zoom-out",
                    Motion::Pan => "pan",
                    Motion::Crossfade => "crossfade",
                    Motion::Parallax => "parallax",
                };
                match shape {
                    Some([w, h]) => p(Msg::OpVideoShaped).text("shape", format!("{w}:{h}")),
                    None => p(Msg::OpVideo),
                }
                .num("seconds", seconds.into())
                .text("motion", motion)
            }
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said = self.said();
        f.write_str(&english(said.msg.key(), &said.args))
    }
}

impl EditPlan {
    /// Each step as a message; a step done inside a selection says so ("brightness +20%, inside the
    /// selection").
    pub fn steps_said(&self) -> Vec<Problem> {
        let inside = |op: &Operation| {
            let said = op.said();
            if self.in_selection && *op != Operation::Erase {
                Problem::new(Msg::OpInSelection).list("step", [said])
            } else {
                said
            }
        };
        self.operations.iter().map(inside).collect()
    }

    /// The reply that says what was done ("Done: black and white, then rotate 90° clockwise."), and what
    /// was left out as not understood.
    pub fn summary_said(&self) -> Problem {
        let steps = self.steps_said();
        if self.not_understood.is_empty() {
            return Problem::new(Msg::ReplyDone).list("steps", steps);
        }
        // The phrases as the person wrote them, quoted.
        let phrases = self.not_understood.iter().map(|phrase| Problem::new(Msg::Quoted).text("text", phrase));
        Problem::new(Msg::ReplyDoneLeftOut).list("steps", steps).list("phrases", phrases)
    }

    /// [`EditPlan::summary_said`] in English.
    pub fn summary(&self) -> String {
        let said = self.summary_said();
        english(said.msg.key(), &said.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::*;

    #[test]
    fn steps_read_as_they_always_have_in_english() {
        let cases = [
            (Brightness { percent: 20 }, "brightness +20%"),
            (Contrast { percent: -15 }, "contrast -15%"),
            (Rotate { degrees: 90 }, "rotate 90° clockwise"),
            (CropAspect { w: 1, h: 1 }, "crop square"),
            (CropAspect { w: 16, h: 9 }, "crop to 16:9"),
            (ResizeLongSide { pixels: 8192 }, "resize to 8192 px on the long side"),
            (Scale { factor: 0.5 }, "resize ×0.5"),
            (Exposure { stops: 0.5 }, "exposure +0.5 EV"),
            (Exposure { stops: -1.0 }, "exposure -1 EV"),
            (Warmth { percent: 30 }, "warmer +30%"),
            (Warmth { percent: -30 }, "cooler 30%"),
            (Hue { degrees: -20 }, "hue -20°"),
            (Posterize { levels: 4 }, "posterize (4 levels)"),
            (CropEdges { left: 10, top: 0, right: 5, bottom: 0 }, "trim 10% left, 5% right"),
            (Border { width: 20, color: [212, 175, 55] }, "gold border 20 px"),
            (FillBackground { color: [1, 2, 3] }, "fill background coloured"),
            (Caption { text: "Hi".into(), place: TextPlace::Top, color: [0; 3] }, "text \"Hi\" at the top"),
            (
                Video { motion: Motion::Crossfade, seconds: 3, shape: None },
                "3 s video: crossfade from the previous version",
            ),
            (Video { motion: Motion::Pan, seconds: 2, shape: Some([9, 16]) }, "2 s video: pan, 9:16"),
            (
                ProductShot {
                    color: [255; 3],
                    shadow: false,
                    canvas: Some(Box::new(crate::ProductCanvas {
                        width: 1600,
                        height: 1600,
                        margin: 10,
                        to: None,
                        scene: Some(vinano_api::ProductScene::Table),
                    })),
                },
                "product shot on a wooden table",
            ),
        ];
        for (op, english) in cases {
            assert_eq!(op.to_string(), english);
        }
        let logo = Overlay { image: 2, place: Anchor::BottomRight, size: 25, cut_out: true };
        assert_eq!(logo.to_string(), "image 2 cut out and placed at the bottom right (25% wide)");
        let pair = Combine { images: vec![1, 2], layout: Layout::Row };
        assert_eq!(pair.to_string(), "image 1, image 2 side by side");
        let behind = ReplaceBackground { backdrop: Backdrop::Image { image: 3 } };
        assert_eq!(behind.to_string(), "image 3 as the background");
        let plan = EditPlan {
            operations: vec![Grayscale, Rotate { degrees: 90 }],
            not_understood: vec!["add a rainbow".into(), "and a unicorn".into()],
            in_selection: false,
            base: None,
        };
        assert_eq!(
            plan.summary(),
            "Done: black and white, then rotate 90° clockwise. I didn't understand \"add a rainbow\", \
             \"and a unicorn\" and left that out."
        );
        let brushed = EditPlan {
            operations: vec![Brightness { percent: 20 }, Erase],
            not_understood: vec![],
            in_selection: true,
            base: None,
        };
        assert_eq!(
            brushed.summary(),
            "Done: brightness +20%, inside the selection, then erase the selected area (filled from its surroundings)."
        );
    }
}

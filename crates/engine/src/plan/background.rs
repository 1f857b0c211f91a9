//! Requests about the background: remove it, replace it (a colour, a gradient, a blur = portrait mode), or
//! make a product shot. They run before the other rules so that "blur the background" never blurs the
//! whole photo and "remove the background" never trims an edge.

use super::rules::{amount, has, named_color};
use super::{Backdrop, Operation, COLORS};

/// Words that name the background.
const BACKGROUND: [&str; 4] = ["background", "backdrop", "bg", "behind"];

/// The background step the clause asks for, if it is about the background.
pub(super) fn background(c: &str) -> Option<Operation> {
    let about_background = has(c, &BACKGROUND);
    if has(c, &["product", "packshot", "ecommerce", "e-commerce", "marketplace"])
        && (about_background || has(c, &["photo", "shot", "picture", "image", "listing", "white"]))
    {
        let shadow = has(c, &["shadow"]) && !has(c, &["no", "without"]);
        let color = named_color(c).unwrap_or([255, 255, 255]);
        return Some(Operation::ProductShot { color, shadow, canvas: scene(c) });
    }
    let blur = has(c, &["blur", "blurr", "defocus", "bokeh"]) || c.contains("out of focus");
    if c.contains("portrait mode") || has(c, &["bokeh"]) || (blur && about_background) {
        let strength = (amount(c) * 3 / 2).clamp(1, 100) as u32;
        return Some(Operation::ReplaceBackground { backdrop: Backdrop::Blur { strength } });
    }
    let cut_out = ["cut out", "cutout", "cut-out", "isolate the subject", "no background"];
    let removal = has(c, &["remove", "delete", "erase", "drop", "clear", "transparent", "strip", "lose"])
        || c.contains("get rid of")
        || c.contains("take out")
        || c.contains("take away");
    if cut_out.iter().any(|k| c.contains(k)) || (about_background && removal && named_color(c).is_none()) {
        return Some(Operation::RemoveBackground);
    }
    if !about_background || (has(c, &["behind"]) && !has(c, &["background", "backdrop", "bg"])) {
        return None;
    }
    if has(c, &["gradient"]) {
        let named: Vec<[u8; 3]> = super::rules::words(c)
            .filter_map(|w| COLORS.iter().find(|(name, _)| w.starts_with(name)).map(|(_, rgb)| *rgb))
            .collect();
        let colors = match named[..] {
            [a, b, ..] => [a, b],
            [a] => [a, [255, 255, 255]],
            [] => [[109, 40, 217], [37, 99, 235]],
        };
        return Some(Operation::ReplaceBackground { backdrop: Backdrop::Gradient { colors } });
    }
    let color = named_color(c).or_else(|| has(c, &["fill"]).then_some([255, 255, 255]))?;
    Some(Operation::ReplaceBackground { backdrop: Backdrop::Color { color } })
}

/// A product photo in a drawn scene ("on a wooden table", "in a studio", "in window light"): a 1600 px
/// square with the product standing on the scene's floor.
fn scene(c: &str) -> Option<Box<super::ProductCanvas>> {
    use vinano_api::ProductScene;
    let scene = if has(c, &["table", "wood", "desk"]) {
        ProductScene::Table
    } else if has(c, &["studio"]) {
        ProductScene::Studio
    } else if has(c, &["window", "sunlit", "sunlight", "sunny", "shelf"]) {
        ProductScene::Sunlit
    } else {
        return None;
    };
    Some(Box::new(super::ProductCanvas {
        width: 1600,
        height: 1600,
        margin: 10,
        to: None,
        scene: Some(scene),
    }))
}

#[cfg(test)]
mod tests {
    use crate::{plan, Backdrop, Operation};
    use Operation::*;

    fn steps(text: &str) -> Vec<Operation> {
        let p = plan(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(p.not_understood.is_empty(), "{text}: {:?}", p.not_understood);
        p.operations
    }

    #[test]
    fn background_requests_in_english_and_chinese() {
        let blue = ReplaceBackground { backdrop: Backdrop::Color { color: [30, 60, 200] } };
        let white = ReplaceBackground { backdrop: Backdrop::Color { color: [255, 255, 255] } };
        let blur = ReplaceBackground { backdrop: Backdrop::Blur { strength: 30 } };
        let cases: Vec<(&str, Operation)> = vec![
            ("remove the background", RemoveBackground),
            ("Remove BG please", RemoveBackground),
            ("get rid of the background", RemoveBackground),
            ("make the background transparent", RemoveBackground),
            ("cut out the subject", RemoveBackground),
            ("去背", RemoveBackground),
            ("幫我去背景", RemoveBackground),
            ("把背景去掉", RemoveBackground),
            ("抠图", RemoveBackground),
            ("blur the background", blur.clone()),
            ("blur everything behind her", blur.clone()),
            ("portrait mode", blur.clone()),
            ("把背景模糊", blur.clone()),
            ("背景虚化", blur.clone()),
            ("blur the background a lot", ReplaceBackground { backdrop: Backdrop::Blur { strength: 60 } }),
            ("make the background blue", blue.clone()),
            ("change the background to blue", blue.clone()),
            ("put it on a blue backdrop", blue.clone()),
            ("換成藍色背景", blue.clone()),
            ("背景换成蓝色", blue.clone()),
            ("fill the background with white", white.clone()),
            ("背景填充白色", white.clone()),
            (
                "blue to pink gradient background",
                ReplaceBackground {
                    backdrop: Backdrop::Gradient { colors: [[30, 60, 200], [240, 150, 180]] },
                },
            ),
            (
                "white background for a product",
                ProductShot { color: [255, 255, 255], shadow: false, canvas: None },
            ),
            (
                "product photo with a soft shadow",
                ProductShot { color: [255, 255, 255], shadow: true, canvas: None },
            ),
            ("白底產品圖", ProductShot { color: [255, 255, 255], shadow: false, canvas: None }),
        ];
        let in_scene = |scene| {
            let canvas =
                crate::ProductCanvas { width: 1600, height: 1600, margin: 10, to: None, scene: Some(scene) };
            ProductShot { color: [255, 255, 255], shadow: false, canvas: Some(Box::new(canvas)) }
        };
        let mut cases = cases;
        cases.extend([
            ("product photo on a wooden table", in_scene(vinano_api::ProductScene::Table)),
            ("木桌上的產品圖", in_scene(vinano_api::ProductScene::Table)),
            ("product shot in a studio", in_scene(vinano_api::ProductScene::Studio)),
            ("product photo in window light", in_scene(vinano_api::ProductScene::Sunlit)),
        ]);
        for (text, expected) in cases {
            assert_eq!(steps(text), [expected], "{text}");
        }
        assert_eq!(
            steps("remove the background and make it warmer"),
            [RemoveBackground, Warmth { percent: 20 }]
        );
    }

    #[test]
    fn the_old_meanings_stay() {
        // A plain blur is still the whole photo, and trimming an edge is still a trim.
        assert_eq!(steps("blur it a bit"), [Blur { radius: 2.0 }]);
        assert_eq!(steps("remove 10% from the left"), [CropEdges { left: 10, top: 0, right: 0, bottom: 0 }]);
        assert_eq!(steps("make it warmer"), [Warmth { percent: 20 }]);
    }
}

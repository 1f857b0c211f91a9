//! Instructions about several images: "put image 2 in the bottom right corner of image 1", "my logo in
//! the corner", "side by side", "use image 3 as the background", 「把圖2放在圖1的右下角」. Images are
//! numbered in the order they were attached, 1 being the photo being edited. [`numbered`] first rewrites
//! every way of naming one ("picture 2", "the second photo", 「圖二」, 「第2張」) as the word `img2`, and a
//! list of them ("image 1 and image 2") as one phrase that clause splitting leaves whole.

use super::rules::{has, words};
use super::{Anchor, Backdrop, Layout, Operation, MAX_IMAGES};
use crate::EngineError;
use vinano_api::{Msg, Problem};

/// Nouns that name an attached image when a number follows.
const NOUNS: [&str; 8] = ["image", "picture", "photo", "pic", "img", "pict", "圖片", "图片"];
/// Chinese nouns, written right before their number.
const ZH_NOUNS: [&str; 3] = ["圖", "图", "照片"];
/// Ordinal words, and the image each names.
const ORDINALS: [(&str, u32); 5] = [("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("other", 2)];

fn digit(c: char) -> Option<u32> {
    match c {
        '1'..='4' => c.to_digit(10),
        '一' => Some(1),
        '二' | '兩' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        _ => None,
    }
}

/// `text` (lower case) with each attached image named as `imgN`, and lists of them joined.
pub(super) fn numbered(text: &str) -> String {
    // 「並」 alone separates clauses: 「並排」 is said in English before it is split on.
    let text = text.replace("並排", " side by side ").replace("并排", " side by side ");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    'scan: while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 12)].iter().collect();
        let at_word_start = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        // "image 2", "picture #3", "photo2", 「圖片2」
        for noun in NOUNS.iter().chain(&ZH_NOUNS) {
            if !(rest.starts_with(noun) && (at_word_start || !noun.is_ascii())) {
                continue;
            }
            let mut j = i + noun.chars().count();
            while j < chars.len() && matches!(chars[j], ' ' | '#') {
                j += 1;
            }
            let ends = |k: usize| {
                k >= chars.len() || !(chars[k].is_ascii_alphanumeric() || ":./%x".contains(chars[k]))
            };
            if let Some(n) = chars.get(j).and_then(|c| digit(*c)).filter(|_| ends(j + 1)) {
                // A Chinese numeral needs a Chinese noun (「圖二」, not "image 二").
                if chars[j].is_ascii_digit() || !noun.is_ascii() {
                    out.push_str(&format!(" img{n} "));
                    i = j + 1;
                    continue 'scan;
                }
            }
        }
        // 「第2張」「第二張圖」
        if chars[i] == '第' {
            if let (Some(n), Some('張' | '张' | '個' | '个')) =
                (chars.get(i + 1).and_then(|c| digit(*c)), chars.get(i + 2))
            {
                let mut j = i + 3;
                for noun in ["圖片", "图片", "圖", "图", "照片"] {
                    let tail: String = chars[j..chars.len().min(j + 2)].iter().collect();
                    if tail.starts_with(noun) {
                        j += noun.chars().count();
                        break;
                    }
                }
                out.push_str(&format!(" img{n} "));
                i = j;
                continue;
            }
        }
        // "the second photo", "the other one"
        if at_word_start {
            for (word, n) in ORDINALS {
                let Some(after) = rest.strip_prefix(word).and_then(|r| r.strip_prefix(' ')) else { continue };
                let noun =
                    ["image", "picture", "photo", "pic", "one"].into_iter().find(|w| after.starts_with(w));
                let end = i + word.len() + 1 + noun.map_or(0, str::len);
                // A plural ("the other images") is not one image.
                if let Some(noun) = noun.filter(|_| chars.get(end) != Some(&'s')) {
                    if out.ends_with("the ") {
                        out.truncate(out.len() - 4);
                    }
                    out.push_str(&format!(" img{n} "));
                    i += word.len() + 1 + noun.len();
                    continue 'scan;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    joined(&out)
}

/// "img1 and img2", "img1、img2", 「img1和img2」 as "img1 img2" (one phrase), spaces collapsed.
fn joined(text: &str) -> String {
    let mut text = text.to_string();
    loop {
        let before = text.clone();
        for joiner in ["and", "&", ",", "、", "和", "跟", "與", "与", "及"] {
            for a in 1..=MAX_IMAGES {
                for b in 1..=MAX_IMAGES {
                    for (l, r) in [(" ", " "), ("", " "), (" ", ""), ("", "")] {
                        let from = format!("img{a} {l}{joiner}{r} img{b}");
                        text = text.replace(&from, &format!("img{a} img{b}"));
                    }
                }
            }
        }
        if text == before {
            break;
        }
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// The images a clause names, in order.
fn named(c: &str) -> Vec<u32> {
    let mut found = Vec::new();
    let mut rest = c;
    while let Some(at) = rest.find("img") {
        rest = &rest[at + 3..];
        if let Some(n) = rest.chars().next().and_then(|d| d.to_digit(10)) {
            found.push(n);
        }
    }
    found
}

fn any(c: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| c.contains(k))
}

/// The image a placed image goes onto, when the clause names it ("… of image 2", 「在圖2的…」), if it is
/// not the photo being edited.
pub(super) fn onto(c: &str) -> Option<u32> {
    let names = named(c);
    let target = ["of img", "on img", "onto img", "over img", "to img", "in img", "into img"]
        .iter()
        .find_map(|k| c.find(k).map(|at| &c[at + k.len() - 3..]))
        .and_then(|r| named(r).first().copied())
        .or_else(|| {
            // 「把圖2放在圖1的右下角」: the image after 在/到 is the one placed on.
            ["在 img", "到 img", "在img", "到img"]
                .iter()
                .find_map(|k| c.find(k).map(|at| &c[at + k.len() - 3..]))
                .and_then(|r| named(r).first().copied())
        })?;
    (names.len() >= 2 && target != 1).then_some(target)
}

/// Where the clause asks for a placed image to go (the bottom right for a logo or a watermark when it
/// doesn't say, the middle otherwise).
fn anchor(c: &str, mark: bool) -> Anchor {
    let top = any(c, &["top", "upper", "上"]);
    let bottom = any(c, &["bottom", "lower", "下"]);
    let left = any(c, &["left", "左"]);
    let right = any(c, &["right", "右"]);
    match (top, bottom, left, right) {
        (true, false, true, false) => Anchor::TopLeft,
        (true, false, _, _) => Anchor::TopRight,
        (false, true, true, false) => Anchor::BottomLeft,
        (false, true, _, _) => Anchor::BottomRight,
        _ if any(c, &["middle", "center", "centre", "中間", "中间", "中央", "正中"]) => {
            Anchor::Center
        }
        _ if mark || any(c, &["corner", "角"]) => Anchor::BottomRight,
        _ => Anchor::Center,
    }
}

/// The arrangement a clause asks for, if it asks for one.
fn arrangement(c: &str) -> Option<Layout> {
    if has(c, &["collage", "grid"]) || any(c, &["拼貼", "拼贴", "網格", "网格", "宮格", "宫格"]) {
        Some(Layout::Grid)
    } else if any(
        c,
        &[
            "on top of each other",
            "one above the other",
            "above each other",
            "stack",
            "上下拼",
            "上下排",
            "直排",
        ],
    ) {
        Some(Layout::Column)
    } else if any(
        c,
        &[
            "side by side",
            "side-by-side",
            "next to each other",
            "beside each other",
            "並排",
            "并排",
            "拼接",
            "左右拼",
        ],
    ) {
        Some(Layout::Row)
    } else {
        None
    }
}

/// The step of a clause about several images, if it is one. A clause that names another image without
/// placing it, combining it or putting it behind ("make image 2 brighter") is refused with how to edit that
/// image instead: the steps would otherwise change the wrong photo.
pub(super) fn compose(c: &str) -> Result<Option<Operation>, EngineError> {
    let names = named(c);
    // Words to write ("add a watermark 'ViNano'") are a caption, not an image.
    let quoted = words(c).any(|w| w.starts_with("qt"));
    let mark = !quoted
        && any(
            c,
            &["logo", "watermark", "sticker", "badge", "標誌", "标志", "商標", "商标", "浮水印", "水印"],
        );
    if names.is_empty() && !mark && arrangement(c).is_none() {
        return Ok(None);
    }
    let op = step(c, names.clone(), mark);
    match (op, names.iter().find(|n| **n != 1)) {
        (Some(op), _) => Ok(Some(op)),
        (None, Some(other)) => {
            Err(EngineError::OutOfRange(Problem::new(Msg::ReplyEditOtherImage).num("image", (*other).into())))
        }
        (None, None) => Ok(None),
    }
}

fn step(c: &str, names: Vec<u32>, mark: bool) -> Option<Operation> {
    let background = has(c, &["background", "backdrop", "bg"]) || c.contains("背景");
    if background && !mark {
        let image = names.iter().copied().find(|n| *n >= 2)?;
        return Some(Operation::ReplaceBackground { backdrop: Backdrop::Image { image } });
    }
    let grid = has(c, &["collage", "grid"]) || any(c, &["拼貼", "拼贴", "網格", "网格", "宮格", "宫格"]);
    let column = any(
        c,
        &[
            "on top of each other",
            "one above the other",
            "above each other",
            "stack",
            "vertical",
            "上下",
            "直排",
        ],
    );
    let row = any(
        c,
        &[
            "side by side",
            "next to each other",
            "side-by-side",
            "beside each other",
            "並排",
            "并排",
            "左右",
            "拼",
        ],
    ) || has(c, &["combine", "merge", "join"]);
    if grid || column || row {
        let layout = if grid {
            Layout::Grid
        } else if column {
            Layout::Column
        } else {
            Layout::Row
        };
        let images = match names[..] {
            [_, _, ..] => names,
            // "put image 3 next to it": beside the photo being edited.
            [one] if one != 1 => vec![1, one],
            _ => vec![],
        };
        return Some(Operation::Combine { images, layout });
    }
    let placing =
        has(c, &["put", "place", "add", "insert", "paste", "stick", "overlay", "drop", "watermark", "brand"])
            || any(c, &["放", "貼", "贴", "加", "疊", "叠"]);
    let removing = has(c, &["remove", "delete", "erase", "clear", "hide"])
        || c.contains("get rid")
        || any(c, &["去掉", "去除", "刪", "删", "移除"]);
    if !placing || removing {
        return None;
    }
    let base = onto(c).unwrap_or(1);
    let image = names.iter().copied().find(|n| *n != base).or(mark.then_some(2))?;
    let size = if has(c, &["tiny"]) {
        10
    } else if has(c, &["small", "little"]) || c.contains('小') {
        15
    } else if has(c, &["large", "big", "huge"]) || c.contains('大') {
        40
    } else {
        words(c).find_map(|w| w.strip_suffix('%')?.parse::<u32>().ok()).map_or(25, |p| p.clamp(5, 90))
    };
    let cut_out =
        mark || any(c, &["cut out", "cutout", "cut-out", "without its background", "去背", "抠", "摳"]);
    Some(Operation::Overlay { image, place: anchor(c, mark), size, cut_out })
}

#[cfg(test)]
mod tests {
    use crate::{plan, Anchor, Backdrop, Layout, Operation};
    use Operation::*;

    fn planned(text: &str) -> (Vec<Operation>, Option<u32>) {
        let p = plan(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(p.not_understood.is_empty(), "{text}: {:?}", p.not_understood);
        (p.operations, p.base)
    }

    #[test]
    fn images_are_named_by_number_ordinal_and_in_chinese() {
        for (text, expected) in [
            ("put image 2 in the corner of image 1", "put img2 in the corner of img1"),
            ("put picture #2 on the first photo", "put img2 on img1"),
            ("image 1 and image 2 side by side", "img1 img2 side by side"),
            ("crop the picture 4:5", "crop the picture 4:5"),
            ("resize the image 2000 px", "resize the image 2000 px"),
            ("把圖2放在圖1的右下角", "把 img2 放在 img1 的右下角"),
            ("圖一和圖二並排", "img1 img2 side by side"),
            ("把第二張圖當背景", "把 img2 當背景"),
            ("blend the other images", "blend the other images"),
        ] {
            assert_eq!(super::numbered(text).trim(), expected, "{text}");
        }
    }

    #[test]
    fn placing_combining_and_backgrounds() {
        let corner = |image, place, size, cut_out| Overlay { image, place, size, cut_out };
        let cases: Vec<(&str, Vec<Operation>, Option<u32>)> = vec![
            (
                "put image 2 in the bottom right corner of image 1",
                vec![corner(2, Anchor::BottomRight, 25, false)],
                None,
            ),
            (
                "put image 1 in the top left corner of image 2",
                vec![corner(1, Anchor::TopLeft, 25, false)],
                Some(2),
            ),
            ("add my logo in the top right corner", vec![corner(2, Anchor::TopRight, 25, true)], None),
            ("add my logo small in the corner", vec![corner(2, Anchor::BottomRight, 15, true)], None),
            ("place image 3 in the middle at 40%", vec![corner(3, Anchor::Center, 40, false)], None),
            ("把圖2放在圖1的右下角", vec![corner(2, Anchor::BottomRight, 25, false)], None),
            ("把商標放在左上角", vec![corner(2, Anchor::TopLeft, 25, true)], None),
            ("put them side by side", vec![Combine { images: vec![], layout: Layout::Row }], None),
            (
                "image 2 and image 1 side by side",
                vec![Combine { images: vec![2, 1], layout: Layout::Row }],
                None,
            ),
            (
                "stack them on top of each other",
                vec![Combine { images: vec![], layout: Layout::Column }],
                None,
            ),
            ("make a collage", vec![Combine { images: vec![], layout: Layout::Grid }], None),
            ("圖一和圖二並排", vec![Combine { images: vec![1, 2], layout: Layout::Row }], None),
            ("上下拼接", vec![Combine { images: vec![], layout: Layout::Column }], None),
            (
                "use image 2 as the background",
                vec![ReplaceBackground { backdrop: Backdrop::Image { image: 2 } }],
                None,
            ),
            (
                "replace the background with the second photo",
                vec![ReplaceBackground { backdrop: Backdrop::Image { image: 2 } }],
                None,
            ),
            ("把背景換成圖3", vec![ReplaceBackground { backdrop: Backdrop::Image { image: 3 } }], None),
        ];
        for (text, ops, base) in cases {
            assert_eq!(planned(text), (ops, base), "{text}");
        }
        // With other steps, in the order written.
        let (ops, _) = planned("make it black and white and put image 2 next to it side by side");
        assert_eq!(ops, [Grayscale, Combine { images: vec![1, 2], layout: Layout::Row }]);
        // Another image's own edit is refused with how to do it, never done to image 1.
        let other = plan("make image 2 brighter").unwrap_err().said();
        assert_eq!(other.msg, vinano_api::Msg::ReplyEditOtherImage);
        assert_eq!(planned("make image 1 brighter").0, [Brightness { percent: 20 }]);
        // A watermark in words is a caption.
        assert!(matches!(planned("add a watermark 'ViNano' at the bottom").0[..], [Caption { .. }]));
    }

    #[test]
    fn numbers_are_checked_against_what_came() {
        let p = plan("put image 3 in the corner").unwrap();
        assert!(p.clone().for_images(3).is_ok());
        let refused = p.clone().for_images(2).unwrap_err().said();
        assert_eq!(refused.msg, vinano_api::Msg::ReplyNoSuchImage);
        assert_eq!(p.for_images(1).unwrap_err().said().msg, vinano_api::Msg::ReplyAttachReferences);
        let all = plan("side by side").unwrap().for_images(3).unwrap();
        assert_eq!(all.operations, [Combine { images: vec![1, 2, 3], layout: Layout::Row }]);
        assert_eq!(
            plan("side by side").unwrap().for_images(1).unwrap_err().said().msg,
            vinano_api::Msg::ReplyCombineNeedsTwo
        );
        // The old meanings stay: no image is named here.
        assert_eq!(planned("make the background blue").0.len(), 1);
        assert_eq!(planned("crop the picture 4:5").0, [CropAspect { w: 4, h: 5 }]);
        assert_eq!(planned("add a 5 px red border").0, [Border { width: 5, color: [200, 30, 30] }]);
    }
}

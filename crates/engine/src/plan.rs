//! Instruction → [`EditPlan`] with simple, explainable rules.

use crate::EngineError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest long side a resize may produce, in pixels.
pub const MAX_RESIZE: u32 = 8192;

/// One edit step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Brightness change in percent of full scale (-100..=100).
    Brightness {
        /// Signed percentage.
        percent: i32,
    },
    /// Contrast change in percent (-100..=100).
    Contrast {
        /// Signed percentage.
        percent: i32,
    },
    /// Remove colour.
    Grayscale,
    /// Clockwise rotation in degrees (a multiple of 90).
    Rotate {
        /// Degrees clockwise: 90, 180 or 270.
        degrees: i32,
    },
    /// Mirror left-right.
    FlipHorizontal,
    /// Mirror top-bottom.
    FlipVertical,
    /// Centre crop to an aspect ratio.
    CropAspect {
        /// Width part of the ratio.
        w: u32,
        /// Height part of the ratio.
        h: u32,
    },
    /// Resize so the longer side has this many pixels.
    ResizeLongSide {
        /// Target long side in pixels.
        pixels: u32,
    },
    /// Resize by a factor.
    Scale {
        /// 0.5 halves, 2.0 doubles.
        factor: f32,
    },
    /// Exposure change in stops (-3..=3).
    Exposure {
        /// Signed stops.
        stops: f32,
    },
    /// Saturation change in percent (-100..=100).
    Saturation {
        /// Signed percentage.
        percent: i32,
    },
    /// Colour temperature: positive warmer, negative cooler (-100..=100).
    Warmth {
        /// Signed percentage.
        percent: i32,
    },
    /// Hue rotation in degrees.
    Hue {
        /// Degrees around the colour wheel.
        degrees: i32,
    },
    /// Gamma correction (0.2..=5; above 1 lightens mid-tones).
    Gamma {
        /// The gamma value.
        value: f32,
    },
    /// Warm brown monochrome.
    Sepia,
    /// Photographic negative.
    Invert,
    /// Fewer tones per channel (2..=32).
    Posterize {
        /// Levels per channel.
        levels: u32,
    },
    /// Darker corners (0..=100).
    Vignette {
        /// Strength in percent.
        strength: u32,
    },
    /// Blur with a radius in pixels (0.5..=50).
    Blur {
        /// Radius in pixels.
        radius: f32,
    },
    /// Unsharp-mask sharpening (1..=100).
    Sharpen {
        /// Amount in percent.
        amount: u32,
    },
    /// Median filter against speckle noise.
    Denoise,
    /// Cut percentages off the edges (each 0..=45).
    CropEdges {
        /// Percent off the left.
        left: u32,
        /// Percent off the top.
        top: u32,
        /// Percent off the right.
        right: u32,
        /// Percent off the bottom.
        bottom: u32,
    },
    /// A solid frame around the image.
    Border {
        /// Width in pixels (1..=500).
        width: u32,
        /// RGB colour.
        color: [u8; 3],
    },
    /// Fill transparent areas with a colour.
    FillBackground {
        /// RGB colour.
        color: [u8; 3],
    },
    /// Text written over the image.
    Caption {
        /// The words, exactly as quoted in the instruction.
        text: String,
        /// Where they go.
        place: TextPlace,
        /// RGB colour of the letters.
        color: [u8; 3],
    },
    /// A short looping clip of the image (an animated GIF); always the last step.
    Video {
        /// The movement.
        motion: Motion,
        /// Length in seconds (1..=10).
        seconds: u32,
    },
    /// A new image made from words: a poster (the input image, if any, is not used).
    Poster {
        /// The large text.
        title: String,
        /// The smaller line below it.
        subtitle: Option<String>,
        /// Gradient from top to bottom.
        colors: [[u8; 3]; 2],
    },
}

/// The camera movement of a clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motion {
    /// Slowly closer.
    ZoomIn,
    /// Pulls back to reveal the whole picture.
    ZoomOut,
    /// Slides left to right.
    Pan,
    /// Dissolves from the previous version into this one.
    Crossfade,
}

/// Where a caption goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextPlace {
    /// Near the top.
    Top,
    /// In the middle.
    Center,
    /// Near the bottom.
    Bottom,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.clone() {
            Operation::Brightness { percent } if percent >= 0 => write!(f, "brightness +{percent}%"),
            Operation::Brightness { percent } => write!(f, "brightness {percent}%"),
            Operation::Contrast { percent } if percent >= 0 => write!(f, "contrast +{percent}%"),
            Operation::Contrast { percent } => write!(f, "contrast {percent}%"),
            Operation::Grayscale => write!(f, "black and white"),
            Operation::Rotate { degrees } => write!(f, "rotate {degrees}° clockwise"),
            Operation::FlipHorizontal => write!(f, "flip horizontally"),
            Operation::FlipVertical => write!(f, "flip vertically"),
            Operation::CropAspect { w, h } if w == h => write!(f, "crop square"),
            Operation::CropAspect { w, h } => write!(f, "crop to {w}:{h}"),
            Operation::ResizeLongSide { pixels } => write!(f, "resize to {pixels} px on the long side"),
            Operation::Scale { factor } => write!(f, "resize ×{factor}"),
            Operation::Exposure { stops } if stops >= 0.0 => write!(f, "exposure +{stops} EV"),
            Operation::Exposure { stops } => write!(f, "exposure {stops} EV"),
            Operation::Saturation { percent } if percent >= 0 => write!(f, "saturation +{percent}%"),
            Operation::Saturation { percent } => write!(f, "saturation {percent}%"),
            Operation::Warmth { percent } if percent >= 0 => write!(f, "warmer +{percent}%"),
            Operation::Warmth { percent } => write!(f, "cooler {}%", -percent),
            Operation::Hue { degrees } => write!(f, "hue {degrees:+}°"),
            Operation::Gamma { value } => write!(f, "gamma {value}"),
            Operation::Sepia => write!(f, "sepia"),
            Operation::Invert => write!(f, "invert colours"),
            Operation::Posterize { levels } => write!(f, "posterize ({levels} levels)"),
            Operation::Vignette { strength } => write!(f, "vignette {strength}%"),
            Operation::Blur { radius } => write!(f, "blur {radius} px"),
            Operation::Sharpen { amount } => write!(f, "sharpen {amount}%"),
            Operation::Denoise => write!(f, "reduce noise"),
            Operation::CropEdges { left, top, right, bottom } => {
                let parts: Vec<String> = [("left", left), ("top", top), ("right", right), ("bottom", bottom)]
                    .iter()
                    .filter(|(_, p)| *p > 0)
                    .map(|(side, p)| format!("{p}% {side}"))
                    .collect();
                write!(f, "trim {}", parts.join(", "))
            }
            Operation::Border { width, color } => write!(f, "{} border {width} px", color_name(color)),
            Operation::FillBackground { color } => write!(f, "fill background {}", color_name(color)),
            Operation::Caption { text, place, .. } => {
                let at = match place {
                    TextPlace::Top => "at the top",
                    TextPlace::Center => "in the middle",
                    TextPlace::Bottom => "at the bottom",
                };
                write!(f, "text \"{text}\" {at}")
            }
            Operation::Poster { title, .. } => write!(f, "poster \"{title}\""),
            Operation::Video { motion, seconds } => {
                let what = match motion {
                    Motion::ZoomIn => "slow zoom",
                    Motion::ZoomOut => "zoom-out reveal",
                    Motion::Pan => "pan",
                    Motion::Crossfade => "crossfade from the previous version",
                };
                write!(f, "{seconds} s video: {what}")
            }
        }
    }
}

/// What the engine will do, in order, plus the parts it did not understand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditPlan {
    /// Steps, applied in the order given.
    pub operations: Vec<Operation>,
    /// Phrases of the instruction that matched nothing (reported back to the person, never silently dropped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_understood: Vec<String>,
}

impl EditPlan {
    /// Checks every value against what the executor accepts — for plans that come from elsewhere (a
    /// language-model planner, a stored request), which the rules above did not produce.
    pub fn validate(&self) -> Result<(), EngineError> {
        use Operation::*;
        let bad = |what: &str| Err(EngineError::OutOfRange(format!("The plan asks for {what}.")));
        if self.operations.is_empty() || self.operations.len() > MAX_STEPS {
            return bad("no steps, or more than 20");
        }
        for op in &self.operations {
            let ok = match op {
                Brightness { percent }
                | Contrast { percent }
                | Saturation { percent }
                | Warmth { percent } => (-100..=100).contains(percent),
                Rotate { degrees } => [90, 180, 270].contains(degrees),
                CropAspect { w, h } => (1..=100).contains(w) && (1..=100).contains(h),
                ResizeLongSide { pixels } => (16..=MAX_RESIZE).contains(pixels),
                Scale { factor } => (0.01..=4.0).contains(factor),
                Exposure { stops } => (-3.0..=3.0).contains(stops),
                Hue { degrees } => (-360..=360).contains(degrees),
                Gamma { value } => (0.2..=5.0).contains(value),
                Posterize { levels } => (2..=32).contains(levels),
                Vignette { strength } | Sharpen { amount: strength } => *strength <= 100,
                Blur { radius } => (0.5..=50.0).contains(radius),
                CropEdges { left, top, right, bottom } => {
                    [left, top, right, bottom].iter().all(|p| **p <= 45)
                }
                Border { width, .. } => (1..=500).contains(width),
                Caption { text, .. } => !text.trim().is_empty() && text.chars().count() <= MAX_TEXT,
                Poster { title, subtitle, .. } => {
                    !title.trim().is_empty()
                        && title.chars().count() <= MAX_TEXT
                        && subtitle.as_ref().is_none_or(|s| s.chars().count() <= MAX_TEXT)
                }
                Video { seconds, .. } => (1..=10).contains(seconds),
                Grayscale
                | FlipHorizontal
                | FlipVertical
                | Sepia
                | Invert
                | Denoise
                | FillBackground { .. } => true,
            };
            if !ok {
                return bad(&format!("a value out of range: {op}"));
            }
        }
        if self.operations.iter().rev().skip(1).any(|op| matches!(op, Video { .. })) {
            return bad("a video before other steps (it has to be the last one)");
        }
        Ok(())
    }

    /// The clip the plan ends with, if it makes one.
    pub fn video(&self) -> Option<(Motion, u32)> {
        match self.operations.last() {
            Some(Operation::Video { motion, seconds }) => Some((*motion, *seconds)),
            _ => None,
        }
    }

    /// True when the plan makes a new image (a poster) rather than editing one, so it needs no photo.
    pub fn creates_image(&self) -> bool {
        matches!(self.operations.first(), Some(Operation::Poster { .. }))
    }

    /// Every piece of text the plan will draw (to check that a font can draw it).
    pub fn texts(&self) -> Vec<&str> {
        self.operations
            .iter()
            .flat_map(|op| match op {
                Operation::Caption { text, .. } => vec![text.as_str()],
                Operation::Poster { title, subtitle, .. } => {
                    std::iter::once(title.as_str()).chain(subtitle.as_deref()).collect()
                }
                _ => vec![],
            })
            .collect()
    }

    /// A one-line, human-readable summary ("black and white, then rotate 90° clockwise").
    pub fn summary(&self) -> String {
        let steps: Vec<String> = self.operations.iter().map(ToString::to_string).collect();
        let mut s = format!("Done: {}.", steps.join(", then "));
        if !self.not_understood.is_empty() {
            let parts: Vec<String> = self.not_understood.iter().map(|p| format!("\"{p}\"")).collect();
            s.push_str(&format!(" I didn't understand {} and left that out.", parts.join(", ")));
        }
        s
    }
}

/// Named colours for borders and backgrounds.
const COLORS: [(&str, [u8; 3]); 10] = [
    ("white", [255, 255, 255]),
    ("black", [0, 0, 0]),
    ("red", [200, 30, 30]),
    ("blue", [30, 60, 200]),
    ("green", [30, 150, 60]),
    ("yellow", [245, 205, 40]),
    ("gold", [212, 175, 55]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("pink", [240, 150, 180]),
];

fn color_name(color: [u8; 3]) -> &'static str {
    COLORS.iter().find(|(_, c)| *c == color).map_or("coloured", |(n, _)| n)
}

/// Chinese (Traditional and Simplified) phrases rewritten into the English words the rules understand,
/// longest first so that a phrase wins over its parts. Clause separators become `|`.
const ZH: &[(&str, &str)] = &[
    ("黑白膠片", "grayscale film"),
    ("黑白胶片", "grayscale film"),
    ("黑白", "grayscale"),
    ("灰階", "grayscale"),
    ("灰阶", "grayscale"),
    ("亮一點", "brighter a bit"),
    ("亮一点", "brighter a bit"),
    ("暗一點", "darker a bit"),
    ("暗一点", "darker a bit"),
    ("暖一點", "warmer a bit"),
    ("暖一点", "warmer a bit"),
    ("冷一點", "cooler a bit"),
    ("冷一点", "cooler a bit"),
    ("調亮", "brighter"),
    ("调亮", "brighter"),
    ("變亮", "brighter"),
    ("变亮", "brighter"),
    ("更亮", "brighter"),
    ("提亮", "brighter"),
    ("調暗", "darker"),
    ("调暗", "darker"),
    ("變暗", "darker"),
    ("变暗", "darker"),
    ("更暗", "darker"),
    ("亮度", "brightness"),
    ("對比度", "contrast"),
    ("对比度", "contrast"),
    ("對比", "contrast"),
    ("对比", "contrast"),
    ("飽和度", "saturation"),
    ("饱和度", "saturation"),
    ("飽和", "saturation"),
    ("饱和", "saturation"),
    ("鮮豔", "vivid"),
    ("鲜艳", "vivid"),
    ("暖色調", "warmer"),
    ("暖色调", "warmer"),
    ("冷色調", "cooler"),
    ("冷色调", "cooler"),
    ("暖色", "warmer"),
    ("冷色", "cooler"),
    ("更暖", "warmer"),
    ("更冷", "cooler"),
    ("暖", "warmer"),
    ("冷", "cooler"),
    ("曝光", "exposure"),
    ("色相", "hue"),
    ("伽瑪", "gamma"),
    ("伽马", "gamma"),
    ("懷舊", "sepia"),
    ("怀旧", "sepia"),
    ("棕褐色", "sepia"),
    ("復古", "vintage"),
    ("复古", "vintage"),
    ("負片", "invert"),
    ("负片", "invert"),
    ("反色", "invert"),
    ("色調分離", "posterize"),
    ("色调分离", "posterize"),
    ("影片", "video"),
    ("視頻", "video"),
    ("视频", "video"),
    ("動畫", "animation"),
    ("动画", "animation"),
    ("淡入淡出", "crossfade"),
    ("漸變", "crossfade"),
    ("渐变", "crossfade"),
    ("拉遠", "zoom out"),
    ("拉远", "zoom out"),
    ("推近", "zoom in"),
    ("平移", "pan"),
    ("秒", " s"),
    ("海報", "poster"),
    ("海报", "poster"),
    ("做一張", "create a"),
    ("做一张", "create a"),
    ("一張", " "),
    ("一张", " "),
    ("製作", "create"),
    ("制作", "create"),
    ("設計", "create"),
    ("设计", "create"),
    ("生成", "create"),
    ("寫上", "text"),
    ("写上", "text"),
    ("文字", "text"),
    ("標題", "title"),
    ("标题", "title"),
    ("風格", "look"),
    ("风格", "look"),
    ("暗角", "vignette"),
    ("模糊", "blur"),
    ("銳化", "sharpen"),
    ("锐化", "sharpen"),
    ("更清晰", "sharpen"),
    ("降噪", "denoise"),
    ("去噪", "denoise"),
    ("去雜訊", "denoise"),
    ("去杂讯", "denoise"),
    ("電影感", "cinematic"),
    ("电影感", "cinematic"),
    ("正方形", "square"),
    ("方形", "square"),
    ("寬屏", "widescreen"),
    ("宽屏", "widescreen"),
    ("裁掉", "remove"),
    ("剪掉", "remove"),
    ("去掉", "remove"),
    ("裁剪", "crop"),
    ("裁切", "crop"),
    ("裁成", "crop"),
    ("裁", "crop"),
    ("左邊", "left"),
    ("左边", "left"),
    ("右邊", "right"),
    ("右边", "right"),
    ("上面", "top"),
    ("上方", "top"),
    ("頂部", "top"),
    ("顶部", "top"),
    ("下面", "bottom"),
    ("下方", "bottom"),
    ("底部", "bottom"),
    ("四周", "each side"),
    ("逆時針", "counterclockwise"),
    ("逆时针", "counterclockwise"),
    ("順時針", "clockwise"),
    ("顺时针", "clockwise"),
    ("水平翻轉", "flip horizontal"),
    ("水平翻转", "flip horizontal"),
    ("左右翻轉", "flip horizontal"),
    ("左右翻转", "flip horizontal"),
    ("垂直翻轉", "flip vertical"),
    ("垂直翻转", "flip vertical"),
    ("上下翻轉", "flip vertical"),
    ("上下翻转", "flip vertical"),
    ("翻轉", "flip"),
    ("翻转", "flip"),
    ("鏡像", "mirror"),
    ("镜像", "mirror"),
    ("向左", "left"),
    ("向右", "right"),
    ("旋轉", "rotate"),
    ("旋转", "rotate"),
    ("倒過來", "upsidedown"),
    ("倒过来", "upsidedown"),
    ("縮小一半", "half"),
    ("缩小一半", "half"),
    ("一半", "half"),
    ("縮小", "smaller"),
    ("缩小", "smaller"),
    ("兩倍", "double"),
    ("两倍", "double"),
    ("放大", "bigger"),
    ("像素", "px"),
    ("調整大小", "resize"),
    ("调整大小", "resize"),
    ("邊框", "border"),
    ("边框", "border"),
    ("相框", "frame"),
    ("白色", "white"),
    ("黑色", "black"),
    ("紅色", "red"),
    ("红色", "red"),
    ("金色", "gold"),
    ("藍色", "blue"),
    ("蓝色", "blue"),
    ("背景", "background"),
    ("填充", "fill"),
    ("度", " degrees"),
    ("一點", "a bit"),
    ("一点", "a bit"),
    ("稍微", "a bit"),
    ("有點", "a bit"),
    ("有点", "a bit"),
    ("一些", "a bit"),
    ("很多", "a lot"),
    ("大幅", "a lot"),
    ("非常", "a lot"),
    ("增加", "more"),
    ("提高", "more"),
    ("加強", "more"),
    ("加强", "more"),
    ("降低", "less"),
    ("減少", "less"),
    ("减少", "less"),
    ("減弱", "less"),
    ("成", " "),
    ("為", " "),
    ("为", " "),
    ("到", " "),
    ("减弱", "less"),
    ("：", ":"),
    ("％", "%"),
    ("＋", "+"),
    ("，", "|"),
    ("、", "|"),
    ("。", "|"),
    ("；", "|"),
    ("然後", "|"),
    ("然后", "|"),
    ("並且", "|"),
    ("并且", "|"),
    ("還有", "|"),
    ("还有", "|"),
    ("再", "|"),
    ("和", "|"),
    ("並", "|"),
    ("并", "|"),
];

/// Turns an instruction into a plan. Clauses are split on "and", "then", commas and full stops (and their
/// Chinese equivalents) and applied in the order written.
pub fn plan(instruction: &str) -> Result<EditPlan, EngineError> {
    // Quoted words are kept exactly as typed (and safe from clause splitting): `qt0`, `qt1`... stand in.
    let (unquoted, quotes) = extract_quotes(instruction);
    let mut text = unquoted.to_lowercase();
    for (zh, en) in ZH {
        if text.contains(zh) {
            text = text.replace(zh, &format!(" {en} "));
        }
    }
    // Quotes listed together ("A" and "B", "A", "B") belong to one clause.
    if quotes.len() > 1 {
        text = text
            .split('\n')
            .map(|line| {
                let tokens: Vec<&str> = line.split_whitespace().collect();
                let keep = |i: usize| {
                    let joiner = matches!(tokens[i], "and" | "&" | "," | "、" | "和");
                    let quote = |t: Option<&&str>| t.is_some_and(|t| t.starts_with("qt"));
                    !(joiner && i > 0 && quote(tokens.get(i - 1)) && quote(tokens.get(i + 1)))
                };
                (0..tokens.len()).filter(|&i| keep(i)).map(|i| tokens[i]).collect::<Vec<_>>().join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut text = format!(" {text} ");
    // Phrases that contain a clause separator are rewritten before splitting.
    for (from, to) in [
        ("black and white", "grayscale"),
        ("black & white", "grayscale"),
        ("b&w", "grayscale"),
        ("b/w", "grayscale"),
        ("upside down", "upsidedown"),
        ("left and right", "sides"),
        ("top and bottom", "topbottom"),
    ] {
        text = text.replace(from, to);
    }
    for sep in [" and then ", " then ", " and ", " & ", ",", ";", ". ", "!", "\n"] {
        text = text.replace(sep, "|");
    }

    let mut operations = Vec::new();
    let mut not_understood = Vec::new();
    for clause in text.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let clause = clause.trim_end_matches('.');
        let ops = parse_clause(clause, &quotes)?;
        if !ops.is_empty() {
            operations.extend(ops);
        } else if !is_filler(clause) {
            not_understood.push(clause.to_string());
        }
    }
    if operations.is_empty() {
        return Err(EngineError::NotUnderstood);
    }
    // Found by fuzzing: a long list of looks ("cinematic" is four steps) made a plan its own validation
    // refuses; it is refused here, with what to do.
    if operations.len() > MAX_STEPS {
        return Err(EngineError::OutOfRange(format!(
            "That is {} edits in one message; I can do up to {MAX_STEPS} at a time. Please send them in smaller \
             groups.",
            operations.len()
        )));
    }
    let plan = EditPlan { operations, not_understood };
    // Found by fuzzing too: a poster title past the limit. What the planner makes, its own checks accept.
    if plan.texts().iter().any(|t| t.chars().count() > MAX_TEXT) {
        return Err(EngineError::OutOfRange(format!(
            "Text on an image can be up to {MAX_TEXT} characters. Please shorten it."
        )));
    }
    plan.validate()?;
    Ok(plan)
}

/// The most steps one plan may have.
pub const MAX_STEPS: usize = 20;
/// The longest text (a poster's title or subtitle, a caption) one step may draw, in characters.
pub const MAX_TEXT: usize = 200;

/// Replaces quoted text ("…", “…”, 「…」, 『…』, '…') with ` qtN ` and returns the quotes. An apostrophe
/// inside a word ("it's") is not a quote.
fn extract_quotes(s: &str) -> (String, Vec<String>) {
    const PAIRS: [(char, char); 6] =
        [('"', '"'), ('“', '”'), ('「', '」'), ('『', '』'), ('‘', '’'), ('\'', '\'')];
    let chars: Vec<char> = s.chars().collect();
    let (mut out, mut quotes, mut i) = (String::new(), Vec::new(), 0);
    while i < chars.len() {
        let c = chars[i];
        let opens = PAIRS.iter().find(|(o, _)| *o == c).map(|(_, close)| *close);
        let inside_word = c == '\'' && i > 0 && chars[i - 1].is_alphanumeric();
        if let Some(close) = opens.filter(|_| !inside_word) {
            let end = (i + 1..chars.len()).find(|&j| {
                chars[j] == close && !(close == '\'' && chars.get(j + 1).is_some_and(|n| n.is_alphanumeric()))
            });
            if let Some(j) = end {
                let inner: String = chars[i + 1..j].iter().collect();
                if !inner.trim().is_empty() {
                    out.push_str(&format!(" qt{} ", quotes.len()));
                    quotes.push(inner.trim().to_string());
                    i = j + 1;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    (out, quotes)
}

/// The quotes a clause refers to, in order.
fn quoted<'q>(clause: &str, quotes: &'q [String]) -> Vec<&'q str> {
    words(clause)
        .filter_map(|w| w.strip_prefix("qt")?.parse::<usize>().ok())
        .filter_map(|i| quotes.get(i).map(String::as_str))
        .collect()
}

/// Colours for a poster, from the occasion it is for.
fn theme(c: &str) -> [[u8; 3]; 2] {
    let any = |keys: &[&str]| has(c, keys) || keys.iter().any(|k| !k.is_ascii() && c.contains(k));
    if any(&["christmas", "xmas", "聖誕", "圣诞"]) {
        [[180, 30, 40], [30, 110, 60]]
    } else if any(&["halloween", "萬聖", "万圣"]) {
        [[240, 120, 20], [30, 20, 40]]
    } else if any(&["summer", "beach", "夏"]) {
        [[250, 120, 30], [250, 200, 60]]
    } else if any(&["winter", "snow", "冬", "雪"]) {
        [[40, 90, 180], [170, 210, 240]]
    } else if any(&["spring", "flower", "春", "花"]) {
        [[90, 170, 90], [240, 170, 200]]
    } else if any(&["sale", "discount", "off", "特賣", "特卖", "促銷", "促销", "折"]) {
        [[220, 40, 60], [250, 140, 40]]
    } else {
        [[109, 40, 217], [37, 99, 235]]
    }
}

/// A poster request: "create a poster for a summer sale with the text '50% OFF'".
fn poster(c: &str, quotes: &[&str]) -> Option<Operation> {
    let generation = has(c, &["poster", "flyer", "banner"])
        && (has(c, &["create", "design", "generate", "new"])
            || c.contains("make a ")
            || c.contains("poster for")
            || !quotes.is_empty());
    if !generation {
        return None;
    }
    const SKIP: [&str; 22] = [
        "create", "make", "design", "generate", "new", "a", "an", "the", "poster", "flyer", "banner", "for",
        "with", "text", "words", "title", "saying", "says", "that", "me", "please", "of",
    ];
    let topic: Vec<&str> = words(c).filter(|w| !SKIP.contains(w) && !w.starts_with("qt")).collect();
    let topic = topic.join(" ");
    let title_case = |t: &str| {
        let mut chars = t.chars();
        chars.next().map(|f| f.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    let (title, subtitle) = match quotes {
        [first, second, ..] => (first.to_string(), Some(second.to_string())),
        [only] => (only.to_string(), (!topic.is_empty()).then(|| title_case(&topic))),
        [] if !topic.is_empty() => (topic.to_uppercase(), None),
        [] => return None,
    };
    Some(Operation::Poster { title, subtitle, colors: theme(c) })
}

fn is_filler(clause: &str) -> bool {
    words(clause).all(|w| {
        matches!(w, "please" | "thanks" | "thank" | "you" | "it" | "the" | "photo" | "image" | "picture")
            || w.chars().all(|c| "把它請请讓让照片圖图變变得弄給给我的一下吧".contains(c))
    })
}

fn words(clause: &str) -> impl Iterator<Item = &str> {
    clause
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '%' || c == '.' || c == '-' || c == '+'))
        .filter(|w| !w.is_empty())
}

fn has(clause: &str, keys: &[&str]) -> bool {
    words(clause).any(|w| keys.iter().any(|k| w.starts_with(k)))
}

/// The first number in the clause (digits with an optional sign and decimal point).
fn number(clause: &str) -> Option<f32> {
    let bytes = clause.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let mut end = start;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    let mut value: f32 = clause[start..end].trim_end_matches('.').parse().ok()?;
    if start > 0 && bytes[start - 1] == b'-' {
        value = -value;
    }
    Some(value)
}

/// An amount in percent: an explicit number, or a word like "a bit" / "a lot".
fn amount(clause: &str) -> i32 {
    if let Some(n) = number(clause) {
        return n.abs().round().clamp(1.0, 100.0) as i32;
    }
    if ["a bit", "slightly", "a little", "a touch", "subtle", "bit"].iter().any(|k| clause.contains(k)) {
        10
    } else if ["a lot", "much", "very", "really", "way", "strong"].iter().any(|k| clause.contains(k)) {
        40
    } else {
        20
    }
}

/// Negative when the clause asks for less.
fn signed(clause: &str, amount: i32) -> i32 {
    let less = has(clause, &["less", "lower", "reduce", "decrease", "down", "fewer"]) || clause.contains('-');
    if less {
        -amount
    } else {
        amount
    }
}

fn ratio(clause: &str) -> Option<(u32, u32)> {
    words(clause).find_map(|w| {
        let (a, b) = w.split_once(':').or_else(|| w.split_once('x').filter(|(a, _)| !a.is_empty()))?;
        let (a, b) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
        (a > 0 && b > 0 && a <= 100 && b <= 100).then_some((a, b))
    })
}

fn named_color(clause: &str) -> Option<[u8; 3]> {
    COLORS.iter().find(|(name, _)| has(clause, &[name])).map(|(_, c)| *c)
}

/// Named looks: several steps under one word.
fn look(c: &str) -> Option<Vec<Operation>> {
    use Operation::*;
    if has(c, &["vintage", "retro", "nostalgic"]) {
        return Some(vec![
            Warmth { percent: 20 },
            Saturation { percent: -30 },
            Contrast { percent: -10 },
            Vignette { strength: 40 },
        ]);
    }
    if has(c, &["cinematic", "movie", "filmic"]) {
        return Some(vec![
            Contrast { percent: 15 },
            Saturation { percent: -15 },
            Warmth { percent: -10 },
            Vignette { strength: 30 },
        ]);
    }
    if has(c, &["noir"]) || (has(c, &["grayscale"]) && has(c, &["film"])) {
        return Some(vec![Grayscale, Contrast { percent: 25 }, Vignette { strength: 20 }]);
    }
    if has(c, &["poster"]) && !has(c, &["posteriz"]) {
        return Some(vec![Posterize { levels: 5 }, Saturation { percent: 30 }]);
    }
    None
}

fn parse_clause(c: &str, quotes: &[String]) -> Result<Vec<Operation>, EngineError> {
    use Operation::*;
    let one = |op| Ok(vec![op]);
    let said = quoted(c, quotes);
    if let Some(op) = poster(c, &said) {
        return one(op);
    }
    if let Some(text) = said
        .first()
        .filter(|_| has(c, &["text", "caption", "title", "words", "write", "label", "sign", "add"]))
    {
        let place = if has(c, &["top", "above", "header"]) {
            TextPlace::Top
        } else if has(c, &["center", "centre", "middle"]) {
            TextPlace::Center
        } else {
            TextPlace::Bottom
        };
        return one(Caption {
            text: text.to_string(),
            place,
            color: named_color(c).unwrap_or([255, 255, 255]),
        });
    }
    if has(c, &["video", "animate", "animation", "animated", "clip", "gif", "slideshow"]) {
        let motion = if has(c, &["crossfade", "fade", "dissolve", "transition"]) {
            Motion::Crossfade
        } else if has(c, &["reveal", "out", "pull"]) || c.contains("zoom out") {
            Motion::ZoomOut
        } else if has(c, &["pan", "slide", "sweep"]) {
            Motion::Pan
        } else {
            Motion::ZoomIn
        };
        let seconds = number(c).map_or(3, |n| n.round() as i64);
        if !(1..=10).contains(&seconds) {
            return Err(EngineError::OutOfRange("A video can be 1 to 10 seconds long.".into()));
        }
        return one(Video { motion, seconds: seconds as u32 });
    }
    if let Some(ops) = look(c) {
        return Ok(ops);
    }
    if has(c, &["sepia"]) {
        return one(Sepia);
    }
    if has(c, &["invert", "negative"]) {
        return one(Invert);
    }
    if has(c, &["posteriz"]) {
        let levels = number(c).map_or(4, |n| n.round() as i64);
        if !(2..=32).contains(&levels) {
            return Err(EngineError::OutOfRange("Posterize takes 2 to 32 levels.".into()));
        }
        return one(Posterize { levels: levels as u32 });
    }
    if has(c, &["vignet"]) {
        return one(Vignette { strength: amount(c).unsigned_abs().max(20) });
    }
    if has(c, &["denois", "noise", "grain", "speck"]) {
        return one(Denoise);
    }
    if has(c, &["sharpen", "sharper", "crisp"]) {
        return one(Sharpen { amount: amount(c).unsigned_abs() });
    }
    if has(c, &["blur", "blurr"]) {
        let radius = match number(c) {
            Some(n) if !(0.5..=50.0).contains(&n) => {
                return Err(EngineError::OutOfRange("I can blur by 0.5 to 50 pixels.".into()))
            }
            Some(n) => n,
            None => amount(c) as f32 / 5.0,
        };
        return one(Blur { radius });
    }
    if has(c, &["gamma"]) {
        let value = number(c).unwrap_or(1.2);
        if !(0.2..=5.0).contains(&value) {
            return Err(EngineError::OutOfRange("Gamma goes from 0.2 to 5.".into()));
        }
        return one(Gamma { value });
    }
    if has(c, &["hue"]) {
        let degrees = number(c).map_or(30, |n| n.round() as i32);
        return one(Hue { degrees: degrees.rem_euclid(360) });
    }
    if has(c, &["border", "frame"]) {
        let width = number(c).map_or(20, |n| n.round() as i64);
        if !(1..=500).contains(&width) {
            return Err(EngineError::OutOfRange("A border can be 1 to 500 pixels wide.".into()));
        }
        return one(Border { width: width as u32, color: named_color(c).unwrap_or([255, 255, 255]) });
    }
    if has(c, &["background"]) && (has(c, &["fill"]) || named_color(c).is_some()) {
        return one(FillBackground { color: named_color(c).unwrap_or([255, 255, 255]) });
    }
    if has(c, &["warm", "warmer", "golden"]) {
        return one(Warmth { percent: amount(c) });
    }
    if has(c, &["cool", "cooler", "colder"]) || (has(c, &["blue"]) && has(c, &["tint", "tone"])) {
        return one(Warmth { percent: -amount(c) });
    }
    if has(c, &["temperature"]) {
        return one(Warmth { percent: signed(c, amount(c)) });
    }
    if has(c, &["saturat", "vivid", "vibran", "colorful", "colourful", "muted"]) && !has(c, &["desaturate"]) {
        let down =
            has(c, &["muted"]) || has(c, &["less", "lower", "reduce", "decrease", "down"]) || c.contains('-');
        let p = amount(c);
        return one(Saturation { percent: if down { -p } else { p } });
    }
    if has(
        c,
        &["grayscale", "greyscale", "monochrome", "desaturate", "gray", "grey", "colorless", "colourless"],
    ) {
        return one(Grayscale);
    }
    if has(c, &["exposure", "expose", "stop", "ev"])
        && (has(c, &["exposure", "expose"]) || number(c).is_some())
    {
        let stops = match number(c) {
            Some(n) if c.contains('%') => n / 100.0,
            Some(n) => n,
            None => amount(c) as f32 / 40.0,
        };
        let stops = if stops.abs() > 3.0 {
            return Err(EngineError::OutOfRange("Exposure goes from -3 to +3 stops.".into()));
        } else if has(c, &["less", "lower", "reduce", "decrease", "down", "under"]) && stops > 0.0 {
            -stops
        } else {
            stops
        };
        return one(Exposure { stops });
    }
    if has(c, &["rotat", "turn"]) && !has(c, &["brightness", "contrast"]) {
        let mut degrees = number(c).map(|n| n.round() as i32).unwrap_or(90);
        if c.contains("upsidedown") {
            degrees = 180;
        }
        if has(
            c,
            &["left", "counterclockwise", "counter-clockwise", "anticlockwise", "anti-clockwise", "ccw"],
        ) {
            degrees = -degrees;
        }
        if degrees % 90 != 0 {
            return Err(EngineError::OutOfRange(
                "I can rotate by quarter turns only: 90, 180 or 270 degrees.".into(),
            ));
        }
        let degrees = degrees.rem_euclid(360);
        return Ok(if degrees != 0 { vec![Rotate { degrees }] } else { vec![] });
    }
    if has(c, &["flip", "mirror"]) || c.contains("upsidedown") {
        let vertical = has(c, &["vertical", "upsidedown", "top", "bottom"]);
        return one(if vertical { FlipVertical } else { FlipHorizontal });
    }
    // "remove 10% from the left", "crop 5% off each side", "trim the top and bottom by 10%".
    let sides = [
        ("left", has(c, &["left", "sides", "each", "all"])),
        ("top", has(c, &["top", "topbottom", "each", "all"])),
        ("right", has(c, &["right", "sides", "each", "all"])),
        ("bottom", has(c, &["bottom", "topbottom", "each", "all"])),
    ];
    if has(c, &["remove", "cut", "trim", "crop", "shave"]) && sides.iter().any(|(_, on)| *on) {
        let p = number(c).map_or(10, |n| n.round() as i64);
        if !(1..=45).contains(&p) {
            return Err(EngineError::OutOfRange("I can trim 1% to 45% from an edge.".into()));
        }
        let pick = |i: usize| if sides[i].1 { p as u32 } else { 0 };
        return one(CropEdges { left: pick(0), top: pick(1), right: pick(2), bottom: pick(3) });
    }
    if has(c, &["crop"])
        && has(c, &["center", "centre", "middle"])
        && ratio(c).is_none()
        && !has(c, &["square"])
    {
        return one(CropEdges { left: 15, top: 15, right: 15, bottom: 15 });
    }
    if has(c, &["square"]) {
        return one(CropAspect { w: 1, h: 1 });
    }
    if has(c, &["widescreen"]) {
        return one(CropAspect { w: 16, h: 9 });
    }
    if has(c, &["portrait"]) && has(c, &["crop", "make", "format"]) && ratio(c).is_none() {
        return one(CropAspect { w: 3, h: 4 });
    }
    if has(c, &["crop", "aspect", "ratio"]) || (has(c, &["make", "format"]) && ratio(c).is_some()) {
        return Ok(ratio(c).map(|(w, h)| CropAspect { w, h }).into_iter().collect());
    }
    if has(
        c,
        &[
            "resiz",
            "scale",
            "shrink",
            "smaller",
            "bigger",
            "larger",
            "enlarge",
            "upscale",
            "downscale",
            "half",
            "double",
            "px",
            "pixel",
        ],
    ) {
        if has(c, &["half"]) {
            return one(Scale { factor: 0.5 });
        }
        if has(c, &["double", "twice", "2x"]) {
            return one(Scale { factor: 2.0 });
        }
        if let Some(n) = number(c) {
            if c.contains('%') {
                let factor = n / 100.0;
                if !(0.01..=4.0).contains(&factor) {
                    return Err(EngineError::OutOfRange("I can resize between 1% and 400%.".into()));
                }
                return one(Scale { factor });
            }
            let pixels = n.round() as i64;
            if !(16..=i64::from(MAX_RESIZE)).contains(&pixels) {
                return Err(EngineError::OutOfRange(format!(
                    "I can resize to between 16 and {MAX_RESIZE} pixels on the long side."
                )));
            }
            return one(ResizeLongSide { pixels: pixels as u32 });
        }
        if has(c, &["smaller", "shrink", "downscale"]) {
            return one(Scale { factor: 0.5 });
        }
        if has(c, &["bigger", "larger", "enlarge", "upscale"]) {
            return one(Scale { factor: 2.0 });
        }
        return Ok(vec![]);
    }
    if has(c, &["contrast"]) {
        let down = has(c, &["less", "lower", "reduce", "decrease", "soft", "flat"]) || c.contains('-');
        let p = amount(c);
        return one(Contrast { percent: if down { -p } else { p } });
    }
    if has(c, &["punch", "pop"]) {
        return one(Contrast { percent: amount(c) });
    }
    let darker = has(c, &["dark", "dim", "dimmer", "darken"])
        || (has(c, &["bright"]) && has(c, &["less", "lower", "reduce", "decrease", "down"]));
    let brighter = !darker && has(c, &["bright", "light", "lighten"]);
    if darker || brighter {
        let mut p = amount(c);
        if darker || c.contains('-') {
            p = -p;
        }
        return one(Brightness { percent: p });
    }
    Ok(vec![])
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation::*;

    /// Found by `cargo xtask fuzz` (plan_text): six "cinematic" looks (four steps each) made a 24-step plan that its own
    /// validation refused.
    #[test]
    fn more_steps_than_a_plan_may_have_are_refused_with_a_message() {
        let many = ["cinematic"; 6].join(", ");
        let Err(EngineError::OutOfRange(message)) = plan(&many) else { panic!("{:?}", plan(&many)) };
        assert!(message.contains("up to 20"), "{message}");
        // And a poster title past the limit (the second finding), while one at the limit is fine.
        let long = format!("a poster for {}", "b".repeat(MAX_TEXT + 50));
        let Err(EngineError::OutOfRange(message)) = plan(&long) else { panic!("{:?}", plan(&long)) };
        assert!(message.contains("up to 200 characters"), "{message}");
        let fine = ["cinematic"; 5].join(", ");
        let ok = plan(&fine).unwrap();
        assert!(ok.operations.len() <= MAX_STEPS);
        ok.validate().unwrap();
    }

    #[test]
    fn instruction_table() {
        let cases: &[(&str, &[Operation])] = &[
            ("make it brighter", &[Brightness { percent: 20 }]),
            ("a bit brighter please", &[Brightness { percent: 10 }]),
            ("much brighter", &[Brightness { percent: 40 }]),
            ("brightness +30%", &[Brightness { percent: 30 }]),
            ("make it 15% darker", &[Brightness { percent: -15 }]),
            ("darken it", &[Brightness { percent: -20 }]),
            ("lighten the photo slightly", &[Brightness { percent: 10 }]),
            ("more contrast", &[Contrast { percent: 20 }]),
            ("reduce the contrast a lot", &[Contrast { percent: -40 }]),
            ("contrast +25%", &[Contrast { percent: 25 }]),
            ("make it black and white", &[Grayscale]),
            ("B&W", &[Grayscale]),
            ("convert to greyscale", &[Grayscale]),
            ("monochrome", &[Grayscale]),
            ("rotate it 90 degrees", &[Rotate { degrees: 90 }]),
            ("rotate left", &[Rotate { degrees: 270 }]),
            ("turn it 180°", &[Rotate { degrees: 180 }]),
            ("rotate 90 degrees counterclockwise", &[Rotate { degrees: 270 }]),
            ("rotate upside down", &[Rotate { degrees: 180 }]),
            ("flip it", &[FlipHorizontal]),
            ("mirror the image", &[FlipHorizontal]),
            ("flip vertically", &[FlipVertical]),
            ("flip it upside down", &[FlipVertical]),
            ("crop it square", &[CropAspect { w: 1, h: 1 }]),
            ("make it square", &[CropAspect { w: 1, h: 1 }]),
            ("crop to 16:9", &[CropAspect { w: 16, h: 9 }]),
            ("widescreen", &[CropAspect { w: 16, h: 9 }]),
            ("crop 4:3", &[CropAspect { w: 4, h: 3 }]),
            ("resize to 800px", &[ResizeLongSide { pixels: 800 }]),
            ("resize it to 1024 pixels", &[ResizeLongSide { pixels: 1024 }]),
            ("make it half the size", &[Scale { factor: 0.5 }]),
            ("scale to 25%", &[Scale { factor: 0.25 }]),
            ("make it bigger", &[Scale { factor: 2.0 }]),
            ("make it black and white and rotate it 90 degrees", &[Grayscale, Rotate { degrees: 90 }]),
            ("make it brighter and crop it square", &[Brightness { percent: 20 }, CropAspect { w: 1, h: 1 }]),
            (
                "Crop to 16:9, then more contrast, then flip.",
                &[CropAspect { w: 16, h: 9 }, Contrast { percent: 20 }, FlipHorizontal],
            ),
        ];
        check(cases);
    }

    /// Checks every row and reports all the rows that fail at once.
    fn check(cases: &[(&str, &[Operation])]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(instruction, expected)| match plan(instruction) {
                Ok(got) if got.operations == *expected && got.not_understood.is_empty() => None,
                Ok(got) => Some(format!(
                    "{instruction:?}: got {:?}, left out {:?}",
                    got.operations, got.not_understood
                )),
                Err(e) => Some(format!("{instruction:?}: {e:.40}")),
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} of {} rows failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    const WHITE: [u8; 3] = [255, 255, 255];

    #[test]
    fn english_phrasings_of_every_operation() {
        let cases: &[(&str, &[Operation])] = &[
            ("increase the exposure by 1 stop", &[Exposure { stops: 1.0 }]),
            ("exposure +0.5", &[Exposure { stops: 0.5 }]),
            ("lower the exposure a bit", &[Exposure { stops: -0.25 }]),
            ("exposure -1 EV", &[Exposure { stops: -1.0 }]),
            ("more saturation", &[Saturation { percent: 20 }]),
            ("make the colours more vivid", &[Saturation { percent: 20 }]),
            ("boost saturation by 35%", &[Saturation { percent: 35 }]),
            ("less saturated", &[Saturation { percent: -20 }]),
            ("muted colors", &[Saturation { percent: -20 }]),
            ("make it more vibrant", &[Saturation { percent: 20 }]),
            ("make it warmer", &[Warmth { percent: 20 }]),
            ("a bit warmer please", &[Warmth { percent: 10 }]),
            ("much warmer", &[Warmth { percent: 40 }]),
            ("golden tones", &[Warmth { percent: 20 }]),
            ("make it cooler", &[Warmth { percent: -20 }]),
            ("cool it down slightly", &[Warmth { percent: -10 }]),
            ("give it a blue tint", &[Warmth { percent: -20 }]),
            ("lower the temperature by 30%", &[Warmth { percent: -30 }]),
            ("shift the hue by 90 degrees", &[Hue { degrees: 90 }]),
            ("hue -30", &[Hue { degrees: 330 }]),
            ("gamma 1.5", &[Gamma { value: 1.5 }]),
            ("apply gamma correction", &[Gamma { value: 1.2 }]),
            ("sepia", &[Sepia]),
            ("make it sepia toned", &[Sepia]),
            ("invert the colors", &[Invert]),
            ("make a negative", &[Invert]),
            ("posterize it", &[Posterize { levels: 4 }]),
            ("posterize to 6 levels", &[Posterize { levels: 6 }]),
            ("add a vignette", &[Vignette { strength: 20 }]),
            ("strong vignette", &[Vignette { strength: 40 }]),
            ("vignette 60%", &[Vignette { strength: 60 }]),
            ("blur it", &[Blur { radius: 4.0 }]),
            ("blur it a bit", &[Blur { radius: 2.0 }]),
            ("blur by 8 px", &[Blur { radius: 8.0 }]),
            ("make it very blurry", &[Blur { radius: 8.0 }]),
            ("sharpen it", &[Sharpen { amount: 20 }]),
            ("sharpen a lot", &[Sharpen { amount: 40 }]),
            ("make it crisper", &[Sharpen { amount: 20 }]),
            ("denoise", &[Denoise]),
            ("reduce the noise", &[Denoise]),
            ("remove the grain", &[Denoise]),
            ("remove 10% from the left", &[CropEdges { left: 10, top: 0, right: 0, bottom: 0 }]),
            ("cut 20% off the top", &[CropEdges { left: 0, top: 20, right: 0, bottom: 0 }]),
            ("trim the bottom by 5%", &[CropEdges { left: 0, top: 0, right: 0, bottom: 5 }]),
            ("crop 5% off each side", &[CropEdges { left: 5, top: 5, right: 5, bottom: 5 }]),
            ("trim the left and right by 8%", &[CropEdges { left: 8, top: 0, right: 8, bottom: 0 }]),
            ("crop the top and bottom 12%", &[CropEdges { left: 0, top: 12, right: 0, bottom: 12 }]),
            ("crop to the center", &[CropEdges { left: 15, top: 15, right: 15, bottom: 15 }]),
            ("crop it to a portrait", &[CropAspect { w: 3, h: 4 }]),
            ("crop to 9:16", &[CropAspect { w: 9, h: 16 }]),
            ("make it 3:2", &[CropAspect { w: 3, h: 2 }]),
            ("add a border", &[Border { width: 20, color: WHITE }]),
            ("add a 40 px black border", &[Border { width: 40, color: [0, 0, 0] }]),
            ("put a gold frame around it", &[Border { width: 20, color: [212, 175, 55] }]),
            ("fill the background with white", &[FillBackground { color: WHITE }]),
            ("black background", &[FillBackground { color: [0, 0, 0] }]),
            (
                "vintage",
                &[
                    Warmth { percent: 20 },
                    Saturation { percent: -30 },
                    Contrast { percent: -10 },
                    Vignette { strength: 40 },
                ],
            ),
            (
                "give it a retro look",
                &[
                    Warmth { percent: 20 },
                    Saturation { percent: -30 },
                    Contrast { percent: -10 },
                    Vignette { strength: 40 },
                ],
            ),
            (
                "make it cinematic",
                &[
                    Contrast { percent: 15 },
                    Saturation { percent: -15 },
                    Warmth { percent: -10 },
                    Vignette { strength: 30 },
                ],
            ),
            ("black and white film look", &[Grayscale, Contrast { percent: 25 }, Vignette { strength: 20 }]),
            ("film noir", &[Grayscale, Contrast { percent: 25 }, Vignette { strength: 20 }]),
            ("turn it into a poster", &[Posterize { levels: 5 }, Saturation { percent: 30 }]),
            ("make it pop", &[Contrast { percent: 20 }]),
            ("dim it a little", &[Brightness { percent: -10 }]),
            ("less bright", &[Brightness { percent: -20 }]),
            ("enlarge it", &[Scale { factor: 2.0 }]),
            ("shrink it", &[Scale { factor: 0.5 }]),
            ("scale to 150%", &[Scale { factor: 1.5 }]),
            ("upscale to 2048 px", &[ResizeLongSide { pixels: 2048 }]),
            ("rotate 270 degrees", &[Rotate { degrees: 270 }]),
            ("turn it right", &[Rotate { degrees: 90 }]),
            ("rotate it anticlockwise", &[Rotate { degrees: 270 }]),
            ("mirror it horizontally", &[FlipHorizontal]),
            ("flip top to bottom", &[FlipVertical]),
            (
                "make it warmer, add a vignette and sharpen it",
                &[Warmth { percent: 20 }, Vignette { strength: 20 }, Sharpen { amount: 20 }],
            ),
            (
                "crop it square then blur it a bit then add a white border",
                &[CropAspect { w: 1, h: 1 }, Blur { radius: 2.0 }, Border { width: 20, color: WHITE }],
            ),
            (
                "sepia and remove 10% from the left",
                &[Sepia, CropEdges { left: 10, top: 0, right: 0, bottom: 0 }],
            ),
            ("Please denoise, then a bit brighter.", &[Denoise, Brightness { percent: 10 }]),
        ];
        check(cases);
    }

    #[test]
    fn traditional_chinese() {
        let cases: &[(&str, &[Operation])] = &[
            ("調亮一點", &[Brightness { percent: 10 }]),
            ("調亮", &[Brightness { percent: 20 }]),
            ("調暗一點", &[Brightness { percent: -10 }]),
            ("亮度+30%", &[Brightness { percent: 30 }]),
            ("把照片變暗", &[Brightness { percent: -20 }]),
            ("增加對比度", &[Contrast { percent: 20 }]),
            ("降低對比", &[Contrast { percent: -20 }]),
            ("對比度+25%", &[Contrast { percent: 25 }]),
            ("變成黑白", &[Grayscale]),
            ("灰階", &[Grayscale]),
            ("裁成正方形", &[CropAspect { w: 1, h: 1 }]),
            ("裁切成16:9", &[CropAspect { w: 16, h: 9 }]),
            ("裁成寬屏", &[CropAspect { w: 16, h: 9 }]),
            ("旋轉90度", &[Rotate { degrees: 90 }]),
            ("向左旋轉", &[Rotate { degrees: 270 }]),
            ("逆時針旋轉90度", &[Rotate { degrees: 270 }]),
            ("水平翻轉", &[FlipHorizontal]),
            ("上下翻轉", &[FlipVertical]),
            ("鏡像", &[FlipHorizontal]),
            ("縮小一半", &[Scale { factor: 0.5 }]),
            ("放大兩倍", &[Scale { factor: 2.0 }]),
            ("調整大小為800像素", &[ResizeLongSide { pixels: 800 }]),
            ("暖一點", &[Warmth { percent: 10 }]),
            ("暖色調", &[Warmth { percent: 20 }]),
            ("冷一點", &[Warmth { percent: -10 }]),
            ("增加飽和度", &[Saturation { percent: 20 }]),
            ("降低飽和度", &[Saturation { percent: -20 }]),
            ("更鮮豔", &[Saturation { percent: 20 }]),
            ("曝光+1", &[Exposure { stops: 1.0 }]),
            ("懷舊", &[Sepia]),
            ("負片", &[Invert]),
            ("加暗角", &[Vignette { strength: 20 }]),
            ("模糊一點", &[Blur { radius: 2.0 }]),
            ("銳化", &[Sharpen { amount: 20 }]),
            ("降噪", &[Denoise]),
            ("裁掉左邊10%", &[CropEdges { left: 10, top: 0, right: 0, bottom: 0 }]),
            ("加白色邊框", &[Border { width: 20, color: WHITE }]),
            ("色相旋轉90度", &[Hue { degrees: 90 }]),
            (
                "復古",
                &[
                    Warmth { percent: 20 },
                    Saturation { percent: -30 },
                    Contrast { percent: -10 },
                    Vignette { strength: 40 },
                ],
            ),
            (
                "電影感",
                &[
                    Contrast { percent: 15 },
                    Saturation { percent: -15 },
                    Warmth { percent: -10 },
                    Vignette { strength: 30 },
                ],
            ),
            ("黑白膠片", &[Grayscale, Contrast { percent: 25 }, Vignette { strength: 20 }]),
            ("調亮一點，裁成正方形", &[Brightness { percent: 10 }, CropAspect { w: 1, h: 1 }]),
            ("變成黑白然後旋轉90度", &[Grayscale, Rotate { degrees: 90 }]),
            (
                "暖一點、銳化、加暗角",
                &[Warmth { percent: 10 }, Sharpen { amount: 20 }, Vignette { strength: 20 }],
            ),
        ];
        check(cases);
    }

    #[test]
    fn simplified_chinese() {
        let cases: &[(&str, &[Operation])] = &[
            ("调亮一点", &[Brightness { percent: 10 }]),
            ("调暗", &[Brightness { percent: -20 }]),
            ("亮度+15%", &[Brightness { percent: 15 }]),
            ("把图片变亮", &[Brightness { percent: 20 }]),
            ("增加对比度", &[Contrast { percent: 20 }]),
            ("降低对比度", &[Contrast { percent: -20 }]),
            ("变成黑白", &[Grayscale]),
            ("灰阶", &[Grayscale]),
            ("裁成正方形", &[CropAspect { w: 1, h: 1 }]),
            ("裁剪成4:3", &[CropAspect { w: 4, h: 3 }]),
            ("裁成宽屏", &[CropAspect { w: 16, h: 9 }]),
            ("旋转180度", &[Rotate { degrees: 180 }]),
            ("向右旋转", &[Rotate { degrees: 90 }]),
            ("顺时针旋转90度", &[Rotate { degrees: 90 }]),
            ("逆时针旋转", &[Rotate { degrees: 270 }]),
            ("水平翻转", &[FlipHorizontal]),
            ("垂直翻转", &[FlipVertical]),
            ("镜像", &[FlipHorizontal]),
            ("倒过来", &[FlipVertical]),
            ("缩小一半", &[Scale { factor: 0.5 }]),
            ("放大两倍", &[Scale { factor: 2.0 }]),
            ("调整大小为1024像素", &[ResizeLongSide { pixels: 1024 }]),
            ("暖一点", &[Warmth { percent: 10 }]),
            ("冷色调", &[Warmth { percent: -20 }]),
            ("增加饱和度", &[Saturation { percent: 20 }]),
            ("饱和度-30%", &[Saturation { percent: -30 }]),
            ("更鲜艳", &[Saturation { percent: 20 }]),
            ("曝光-0.5", &[Exposure { stops: -0.5 }]),
            ("怀旧", &[Sepia]),
            ("反色", &[Invert]),
            ("色调分离", &[Posterize { levels: 4 }]),
            ("加暗角", &[Vignette { strength: 20 }]),
            ("模糊", &[Blur { radius: 4.0 }]),
            ("锐化一点", &[Sharpen { amount: 10 }]),
            ("去噪", &[Denoise]),
            ("裁掉右边15%", &[CropEdges { left: 0, top: 0, right: 15, bottom: 0 }]),
            ("剪掉底部5%", &[CropEdges { left: 0, top: 0, right: 0, bottom: 5 }]),
            ("加黑色边框", &[Border { width: 20, color: [0, 0, 0] }]),
            ("背景填充白色", &[FillBackground { color: WHITE }]),
            ("伽马1.5", &[Gamma { value: 1.5 }]),
            (
                "复古",
                &[
                    Warmth { percent: 20 },
                    Saturation { percent: -30 },
                    Contrast { percent: -10 },
                    Vignette { strength: 40 },
                ],
            ),
            (
                "电影感",
                &[
                    Contrast { percent: 15 },
                    Saturation { percent: -15 },
                    Warmth { percent: -10 },
                    Vignette { strength: 30 },
                ],
            ),
            ("海报", &[Posterize { levels: 5 }, Saturation { percent: 30 }]),
            ("调亮一点，裁成正方形", &[Brightness { percent: 10 }, CropAspect { w: 1, h: 1 }]),
            ("变成黑白然后旋转90度", &[Grayscale, Rotate { degrees: 90 }]),
            ("锐化并降噪", &[Sharpen { amount: 20 }, Denoise]),
        ];
        check(cases);
    }

    #[test]
    fn captions_and_posters_keep_the_quoted_words() {
        const SUMMER: [[u8; 3]; 2] = [[250, 120, 30], [250, 200, 60]];
        let caption = |text: &str, place| Caption { text: text.into(), place, color: WHITE };
        let cases: &[(&str, &[Operation])] = &[
            ("add the text 'Happy Birthday' at the top", &[caption("Happy Birthday", TextPlace::Top)]),
            (
                "write \"SALE\" in red in the middle",
                &[Caption { text: "SALE".into(), place: TextPlace::Center, color: [200, 30, 30] }],
            ),
            (
                "add a caption “Tokyo, 2024” and make it warmer",
                &[caption("Tokyo, 2024", TextPlace::Bottom), Warmth { percent: 20 }],
            ),
            ("add the words 'Don't stop' at the bottom", &[caption("Don't stop", TextPlace::Bottom)]),
            ("加上文字「生日快樂」在上面", &[caption("生日快樂", TextPlace::Top)]),
            ("写上“新年快乐”", &[caption("新年快乐", TextPlace::Bottom)]),
            (
                "create a poster for a summer sale with the text '50% OFF'",
                &[Poster { title: "50% OFF".into(), subtitle: Some("Summer sale".into()), colors: SUMMER }],
            ),
            (
                "design a christmas flyer",
                &[Poster {
                    title: "CHRISTMAS".into(),
                    subtitle: None,
                    colors: [[180, 30, 40], [30, 110, 60]],
                }],
            ),
            (
                "make a poster saying \"Grand Opening\" and \"Saturday 10am\"",
                &[Poster {
                    title: "Grand Opening".into(),
                    subtitle: Some("Saturday 10am".into()),
                    colors: [[109, 40, 217], [37, 99, 235]],
                }],
            ),
            (
                "做一張夏日特賣海報，寫上「五折」",
                &[
                    Poster { title: "夏日特賣".into(), subtitle: None, colors: SUMMER },
                    caption("五折", TextPlace::Bottom),
                ],
            ),
            (
                "设计一张圣诞海报",
                &[Poster { title: "圣诞".into(), subtitle: None, colors: [[180, 30, 40], [30, 110, 60]] }],
            ),
        ];
        check(cases);
        let p = plan("create a poster for a summer sale with the text '50% OFF'").unwrap();
        assert!(p.creates_image());
        assert_eq!(p.texts(), ["50% OFF", "Summer sale"]);
        assert!(!plan("add the text 'hi'").unwrap().creates_image());
        // The poster look is still a look, not a new image.
        assert!(!plan("turn it into a poster").unwrap().creates_image());
    }

    #[test]
    fn videos_are_the_last_step() {
        let cases: &[(&str, &[Operation])] = &[
            ("make a video with a slow zoom", &[Video { motion: Motion::ZoomIn, seconds: 3 }]),
            ("animate it with a 5 second pan", &[Video { motion: Motion::Pan, seconds: 5 }]),
            ("make a zoom out reveal clip", &[Video { motion: Motion::ZoomOut, seconds: 3 }]),
            ("crossfade video from the previous version", &[Video { motion: Motion::Crossfade, seconds: 3 }]),
            (
                "make it warmer then turn it into a gif",
                &[Warmth { percent: 20 }, Video { motion: Motion::ZoomIn, seconds: 3 }],
            ),
            ("做成平移影片", &[Video { motion: Motion::Pan, seconds: 3 }]),
            ("生成4秒的拉远视频", &[Video { motion: Motion::ZoomOut, seconds: 4 }]),
        ];
        check(cases);
        assert!(matches!(plan("make a 30 second video"), Err(EngineError::OutOfRange(_))));
        assert_eq!(plan("make a video").unwrap().video(), Some((Motion::ZoomIn, 3)));
        let wrong: EditPlan = serde_json::from_str(
            r#"{"operations":[{"op":"video","motion":"pan","seconds":3},{"op":"sepia"}]}"#,
        )
        .unwrap();
        assert!(wrong.validate().is_err());
    }

    #[test]
    fn the_table_covers_at_least_150_instructions() {
        // Keep the promise in issue #4: count the table rows in this file.
        let source = include_str!("plan.rs");
        let rows = source.matches("(\"").count();
        assert!(rows >= 150, "only {rows} instructions in the tables");
    }

    #[test]
    fn unknown_parts_are_reported_not_dropped() {
        let p = plan("add a rainbow and crop it square").unwrap();
        assert_eq!(p.operations, [CropAspect { w: 1, h: 1 }]);
        assert_eq!(p.not_understood, ["add a rainbow"]);
        assert!(p.summary().contains("\"add a rainbow\""));
    }

    #[test]
    fn nonsense_is_not_understood() {
        assert_eq!(plan("sing me a song"), Err(EngineError::NotUnderstood));
        assert_eq!(plan("   "), Err(EngineError::NotUnderstood));
    }

    #[test]
    fn absurd_values_are_refused() {
        assert!(matches!(plan("resize to 100000px"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("rotate 45 degrees"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("scale to 9000%"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("blur by 500 px"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("posterize to 100 levels"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("remove 80% from the left"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("exposure +9 stops"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("add a 2000 px border"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("gamma 12"), Err(EngineError::OutOfRange(_))));
        assert!(matches!(plan("旋轉45度"), Err(EngineError::OutOfRange(_))));
    }

    #[test]
    fn plans_from_elsewhere_are_checked() {
        let ok: EditPlan = serde_json::from_str(
            r#"{"operations":[{"op":"warmth","percent":30},{"op":"blur","radius":2.5}]}"#,
        )
        .unwrap();
        assert_eq!(ok.validate(), Ok(()));
        for bad in [
            r#"{"operations":[]}"#,
            r#"{"operations":[{"op":"rotate","degrees":45}]}"#,
            r#"{"operations":[{"op":"brightness","percent":500}]}"#,
            r#"{"operations":[{"op":"resize_long_side","pixels":100000}]}"#,
            r#"{"operations":[{"op":"caption","text":" ","place":"top","color":[0,0,0]}]}"#,
        ] {
            let plan: EditPlan = serde_json::from_str(bad).unwrap();
            assert!(matches!(plan.validate(), Err(EngineError::OutOfRange(_))), "{bad}");
        }
        // Every plan the rules make is valid.
        for text in ["make it warmer, blur it a bit and add a border", "create a poster for a spring fair"] {
            assert_eq!(plan(text).unwrap().validate(), Ok(()), "{text}");
        }
    }

    #[test]
    fn plan_round_trips_as_json() {
        let p = plan("grayscale and rotate 90").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"operations":[{"op":"grayscale"},{"op":"rotate","degrees":90}]}"#);
        assert_eq!(serde_json::from_str::<EditPlan>(&json).unwrap(), p);
    }
}

//! Instruction → [`EditPlan`] with simple, explainable rules: clauses split on "and", "then", commas and
//! full stops, each matched against phrase rules in the order written.

use super::zh::ZH;
use super::{EditPlan, Operation, TextPlace, COLORS, MAX_RESIZE, MAX_STEPS, MAX_TEXT};
use crate::EngineError;
use vinano_api::{Msg, Problem};

/// Turns an instruction into a plan. Clauses are split on "and", "then", commas and full stops (and their
/// Chinese equivalents) and applied in the order written.
pub fn plan(instruction: &str) -> Result<EditPlan, EngineError> {
    plan_with(instruction, false)
}

/// [`plan`] for an instruction sent with a selection (`selected`: a brush mask): "erase this" fills it,
/// other steps are done inside it, and steps that change the whole photo (a crop, a rotation) are refused
/// with why. Without a selection, a clause that names one part of the photo ("remove the person on the
/// left", "make the sky bluer") is answered with a request to brush over it.
pub fn plan_with(instruction: &str, selected: bool) -> Result<EditPlan, EngineError> {
    let (clauses, quotes) = clauses(instruction);
    let mut operations = Vec::new();
    let mut not_understood = Vec::new();
    let mut base = None;
    // With a clip asked for, "vertical for stories" is the clip's shape, not a crop before it.
    let clip = clauses.iter().any(|c| super::video::is_clip(c));
    for clause in &clauses {
        let clause = clause.as_str();
        if clip && super::video::only_shape(clause) {
            not_understood.push(clause.to_string());
            continue;
        }
        let ops = with_modifier(clause, &quotes, selected)?;
        if ops.iter().any(|op| matches!(op, Operation::Overlay { .. })) {
            base = base.or(super::compose::onto(clause));
        }
        if !ops.is_empty() {
            operations.extend(ops);
        } else if !is_filler(clause) {
            not_understood.push(clause.to_string());
        }
    }
    super::video::absorb(&mut operations, &mut not_understood, &clauses)?;
    if operations.is_empty() {
        return Err(EngineError::NotUnderstood);
    }
    // Found by fuzzing: a long list of looks ("cinematic" is four steps) made a plan its own validation
    // refuses; it is refused here, with what to do.
    if operations.len() > MAX_STEPS {
        return Err(EngineError::OutOfRange(
            Problem::new(Msg::ReplyTooManySteps)
                .num("count", operations.len() as u64)
                .num("max", MAX_STEPS as u64),
        ));
    }
    if let Some(op) = operations.iter().find(|op| selected && !op.works_in_selection()) {
        return Err(EngineError::OutOfRange(
            Problem::new(Msg::ReplySelectionWholePhoto).list("step", [op.said()]),
        ));
    }
    let plan = EditPlan { operations, not_understood, in_selection: selected, base };
    // Found by fuzzing too: a poster title past the limit. What the planner makes, its own checks accept.
    if plan.texts().iter().any(|t| t.chars().count() > MAX_TEXT) {
        return Err(EngineError::OutOfRange(Problem::new(Msg::ReplyTextTooLong).num("max", MAX_TEXT as u64)));
    }
    plan.validate()?;
    Ok(plan)
}

/// An instruction's clauses, lower-case, Chinese read as English, quoted words standing in as `qt0`,
/// `qt1`… (the quotes returned with them).
pub(super) fn clauses(instruction: &str) -> (Vec<String>, Vec<String>) {
    // Quoted words are kept exactly as typed (and safe from clause splitting): `qt0`, `qt1`... stand in.
    // Words to write given without quotes ("put the words Grand Opening on it") are quoted first.
    let (unquoted, quotes) = extract_quotes(&super::enhance::quote_bare_text(instruction));
    let mut text = super::compose::numbered(&unquoted.to_lowercase());
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
        ("power line", "powerline"),
        // Said as a complaint: "it's too dark" asks for brighter.
        ("too dark", "brighter"),
        ("too bright", "darker"),
        ("too light", "darker"),
        ("darker corners", "vignette"),
        ("dark corners", "vignette"),
        ("number plate", "plate"),
    ] {
        text = text.replace(from, to);
    }
    for sep in [" and then ", " then ", " and ", " & ", ",", ";", ". ", "!", "\n"] {
        text = text.replace(sep, "|");
    }
    let clauses = text.split('|').map(str::trim).filter(|c| !c.is_empty());
    (clauses.map(|c| c.trim_end_matches('.').to_string()).collect(), quotes)
}

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
pub(crate) fn theme(c: &str) -> [[u8; 3]; 2] {
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
    Some(Operation::Poster { title, subtitle, colors: theme(c), design: None })
}

fn is_filler(clause: &str) -> bool {
    words(clause).all(|w| {
        matches!(w, "please" | "thanks" | "thank" | "you" | "it" | "the" | "photo" | "image" | "picture")
            || w.chars().all(|c| "把它請请讓让照片圖图變变得弄給给我的一下吧".contains(c))
    })
}

pub(super) fn words(clause: &str) -> impl Iterator<Item = &str> {
    clause
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '%' || c == '.' || c == '-' || c == '+'))
        .filter(|w| !w.is_empty())
}

pub(super) fn has(clause: &str, keys: &[&str]) -> bool {
    words(clause).any(|w| keys.iter().any(|k| w.starts_with(k)))
}

/// The first number in the clause (digits with an optional sign and decimal point).
pub(super) fn number(clause: &str) -> Option<f32> {
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
pub(super) fn amount(clause: &str) -> i32 {
    if let Some(n) = number(clause) {
        return n.abs().round().clamp(1.0, 100.0) as i32;
    }
    // Whole words ("everything" is not "very").
    if ["a bit", "a little", "a touch"].iter().any(|k| clause.contains(k))
        || has(clause, &["slight", "subtle", "bit"])
    {
        10
    } else if clause.contains("a lot") || has(clause, &["much", "very", "really", "way", "strong"]) {
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

pub(super) fn named_color(clause: &str) -> Option<[u8; 3]> {
    COLORS.iter().find(|(name, _)| has(clause, &[name])).map(|(_, c)| *c)
}

/// Named looks: several steps under one word.
fn look(c: &str) -> Option<Vec<Operation>> {
    use Operation::*;
    if has(c, &["vintage", "retro", "nostalgic", "aged", "old-fashioned", "oldschool"])
        || c.contains("old photo")
        || c.contains("look old")
    {
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

/// A clause with a modifier after "with" ("sepia with a strong vignette", "warmer with more contrast"): two
/// steps when the words after "with" are a step of their own that the clause as a whole would have dropped.
fn with_modifier(c: &str, quotes: &[String], selected: bool) -> Result<Vec<Operation>, EngineError> {
    let whole = parse_clause(c, quotes, selected)?;
    let Some((head, tail)) = c.split_once(" with ") else { return Ok(whole) };
    let (head, tail) = (parse_clause(head, quotes, selected), parse_clause(tail, quotes, selected));
    match (head, tail) {
        (Ok(head), Ok(tail)) if !head.is_empty() && !tail.is_empty() && (head == whole || tail == whole) => {
            Ok(head.into_iter().chain(tail).collect())
        }
        _ => Ok(whole),
    }
}

fn parse_clause(c: &str, quotes: &[String], selected: bool) -> Result<Vec<Operation>, EngineError> {
    let ops = clause_steps(c, quotes, selected)?;
    // Understood, but about one part of the photo: without a selection it would change all of it.
    let local = ops.iter().all(|op| op.works_in_selection() && *op != Operation::Erase);
    if !selected && !ops.is_empty() && local && super::selection::names_a_part(c) {
        return Err(EngineError::NeedsSelection(Msg::ReplyNeedsSelectionEdit.into()));
    }
    Ok(ops)
}

/// The steps of one clause.
fn clause_steps(c: &str, quotes: &[String], selected: bool) -> Result<Vec<Operation>, EngineError> {
    use Operation::*;
    let one = |op| Ok(vec![op]);
    if let Some(op) = super::compose::compose(c)? {
        return one(op);
    }
    // Image 1 is the photo being edited: "make image 1 brighter" is "make it brighter".
    let c = &c.replace("img1", "it");
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
    if super::video::is_clip(c) {
        return one(super::video::clip(c)?);
    }
    if super::selection::erase(c) {
        if !selected {
            return Err(EngineError::NeedsSelection(Msg::ReplyNeedsSelectionErase.into()));
        }
        return one(Erase);
    }
    if let Some(op) = super::background::background(c) {
        return one(op);
    }
    if has(c, &["pixelat", "mosaic", "censor"]) {
        let strong = amount(c) >= 40;
        return one(Pixelate { blocks: if strong { 24 } else { 48 } });
    }
    if let Some(ops) = look(c).or_else(|| super::enhance::enhance(c)) {
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
            return Err(EngineError::OutOfRange(Msg::ReplyPosterizeLevels.into()));
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
                return Err(EngineError::OutOfRange(Msg::ReplyBlurRange.into()))
            }
            Some(n) => n,
            None => amount(c) as f32 / 5.0,
        };
        return one(Blur { radius });
    }
    if has(c, &["gamma"]) {
        let value = number(c).unwrap_or(1.2);
        if !(0.2..=5.0).contains(&value) {
            return Err(EngineError::OutOfRange(Msg::ReplyGammaRange.into()));
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
            return Err(EngineError::OutOfRange(Msg::ReplyBorderRange.into()));
        }
        return one(Border { width: width as u32, color: named_color(c).unwrap_or([255, 255, 255]) });
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
            return Err(EngineError::OutOfRange(Msg::ReplyExposureRange.into()));
        } else if has(c, &["less", "lower", "reduce", "decrease", "down", "under"]) && stops > 0.0 {
            -stops
        } else {
            stops
        };
        return one(Exposure { stops });
    }
    // "turn the cat into a dog" is not a rotation.
    if has(c, &["rotat", "turn"]) && !has(c, &["brightness", "contrast"]) && !c.contains(" into ") {
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
            return Err(EngineError::OutOfRange(Msg::ReplyRotateQuarter.into()));
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
            return Err(EngineError::OutOfRange(Msg::ReplyTrimRange.into()));
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
                    return Err(EngineError::OutOfRange(Msg::ReplyScaleRange.into()));
                }
                return one(Scale { factor });
            }
            let pixels = n.round() as i64;
            if !(16..=i64::from(MAX_RESIZE)).contains(&pixels) {
                return Err(EngineError::OutOfRange(
                    Problem::new(Msg::ReplyResizeRange).num("max", MAX_RESIZE.into()),
                ));
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
mod tests;

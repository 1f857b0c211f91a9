//! Corrections asked for in everyday words: "auto enhance", "fix the colour cast", "give it more punch",
//! "mute the colours"; and words to write given without quotes ("put the words Grand Opening on it").

use super::rules::has;
use super::Operation;

/// The steps of a one-word correction, if the clause asks for one.
pub(super) fn enhance(c: &str) -> Option<Vec<Operation>> {
    use Operation::*;
    // A cast or tint to take out ("give it a blue tint" adds one: that is a cooler step, elsewhere).
    let cast = ["colour cast", "color cast", "white balance"].iter().any(|k| c.contains(k));
    let tint_out = has(c, &["tint", "cast"]) && has(c, &["remove", "fix", "correct", "rid", "neutral"]);
    if cast || tint_out || has(c, &["neutralize", "neutralise"]) {
        return Some(vec![WhiteBalance]);
    }
    if ["auto level", "auto-level", "autolevel", "auto contrast", "auto-contrast"]
        .iter()
        .any(|k| c.contains(k))
    {
        return Some(vec![AutoLevels]);
    }
    let one_click =
        ["auto enhance", "auto-enhance", "autoenhance", "one-click", "one click", "auto fix", "auto-fix"];
    let better =
        ["look better", "look nicer", "look good", "fix it", "fix this photo", "fix the photo", "improve"];
    if one_click.iter().any(|k| c.contains(k))
        || better.iter().any(|k| c.contains(k))
        || has(c, &["enhance", "touch-up", "touchup"])
    {
        return Some(vec![AutoLevels, Saturation { percent: 10 }, Sharpen { amount: 20 }]);
    }
    if has(c, &["punch", "punchy", "pop", "pops", "popping"]) {
        return Some(vec![Contrast { percent: 20 }, Saturation { percent: 20 }]);
    }
    if has(c, &["mute"])
        || (has(c, &["tone"]) && has(c, &["colour", "color", "colours", "colors"]))
        || has(c, &["washed"])
    {
        return Some(vec![Saturation { percent: -20 }]);
    }
    None
}

/// Markers after which people write the words to put on the image, in any case.
const MARKERS: [&str; 9] = [
    "the words ",
    "the word ",
    "the text ",
    "the caption ",
    "that says ",
    "which says ",
    "that reads ",
    "saying ",
    "reading ",
];
/// Where such words end.
const ENDS: [&str; 14] = [
    " on it", " on the ", " on top", " at the ", " in the ", " across ", " over ", " and ", " then ", ",",
    ".", "!", ";", "\n",
];

/// `instruction` with words to write given without quotes put in quotes, so that they are kept exactly
/// as typed: "put the words Grand Opening on it" → `put the words "Grand Opening" on it`.
pub(super) fn quote_bare_text(instruction: &str) -> String {
    let lower = instruction.to_ascii_lowercase();
    let Some((at, marker)) = MARKERS.iter().filter_map(|m| lower.find(m).map(|i| (i, *m))).min() else {
        return instruction.to_string();
    };
    let start = at + marker.len();
    let rest = &instruction[start..];
    if rest.starts_with(['"', '\'', '“', '‘', '「', '『']) {
        return instruction.to_string();
    }
    let rest_lower = &lower[start..];
    let end = ENDS.iter().filter_map(|e| rest_lower.find(e)).min().unwrap_or(rest.len());
    let words = rest[..end].trim();
    if words.is_empty() || words.chars().count() > 60 {
        return instruction.to_string();
    }
    format!("{}\"{words}\"{}", &instruction[..start], &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::quote_bare_text;
    use crate::{plan, Operation::*, TextPlace};

    #[test]
    fn everyday_corrections() {
        let steps = |t: &str| plan(t).unwrap_or_else(|e| panic!("{t}: {e}")).operations;
        let enhance = [AutoLevels, Saturation { percent: 10 }, Sharpen { amount: 20 }];
        for text in
            ["auto enhance", "one-click enhance", "enhance it", "make it look better", "一鍵增強", "自动增强"]
        {
            assert_eq!(steps(text), enhance, "{text}");
        }
        for text in ["correct the colour cast", "fix the white balance", "remove the yellow tint", "去除偏色"]
        {
            assert_eq!(steps(text), [WhiteBalance], "{text}");
        }
        assert_eq!(steps("auto levels"), [AutoLevels]);
        assert_eq!(steps("give it more punch"), [Contrast { percent: 20 }, Saturation { percent: 20 }]);
        assert_eq!(steps("mute the colours"), [Saturation { percent: -20 }]);
        // A modifier after "with" is a step of its own.
        assert_eq!(steps("sepia with a strong vignette"), [Sepia, Vignette { strength: 40 }]);
        assert_eq!(
            steps("make it warmer with more contrast"),
            [Warmth { percent: 20 }, Contrast { percent: 20 }]
        );
        // ... but not where "with" belongs to the step.
        assert_eq!(steps("fill the background with white").len(), 1);
        assert_eq!(steps("product photo with a soft shadow").len(), 1);
    }

    #[test]
    fn words_to_write_without_quotes_are_kept_as_typed() {
        assert_eq!(
            quote_bare_text("put the words Grand Opening on it"),
            "put the words \"Grand Opening\" on it"
        );
        assert_eq!(quote_bare_text("add the text 'Hi' at the top"), "add the text 'Hi' at the top");
        assert_eq!(quote_bare_text("make it warmer"), "make it warmer");
        let p = plan("put the words Grand Opening on it").unwrap();
        assert_eq!(
            p.operations,
            [Caption { text: "Grand Opening".into(), place: TextPlace::Bottom, color: [255, 255, 255] }]
        );
        let p = plan("add a caption that says Happy Birthday Mia at the top and make it warmer").unwrap();
        assert_eq!(p.operations.len(), 2);
        assert!(
            matches!(&p.operations[0], Caption { text, place: TextPlace::Top, .. } if text == "Happy Birthday Mia")
        );
    }
}

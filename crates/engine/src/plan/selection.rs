//! Requests about one part of the photo: "erase the person on the left", "make the sky brighter", "pixelate
//! this". The engine cannot find a named thing by itself, so without a selection (a brush mask sent with the
//! instruction) such a clause is answered with a request to brush over it — never with a guess, a trim or
//! a change to the whole photo. With a selection, erasing fills it from its surroundings and every other
//! step is done inside it.

use super::rules::{has, words};

/// Things people name when they want one part changed or gone.
const THINGS: &[&str] = &[
    "person",
    "people",
    "man",
    "men",
    "woman",
    "women",
    "guy",
    "girl",
    "boy",
    "kid",
    "child",
    "children",
    "baby",
    "someone",
    "somebody",
    "stranger",
    "tourist",
    "photobomber",
    "passerby",
    "passer-by",
    "pedestrian",
    "crowd",
    "face",
    "car",
    "truck",
    "bus",
    "van",
    "bike",
    "bicycle",
    "motorbike",
    "motorcycle",
    "scooter",
    "tree",
    "pole",
    "wire",
    "cable",
    "powerline",
    "sign",
    "watermark",
    "logo",
    "stamp",
    "timestamp",
    "date",
    "object",
    "thing",
    "stuff",
    "trash",
    "rubbish",
    "litter",
    "bin",
    "bird",
    "dog",
    "cat",
    "animal",
    "spot",
    "blemish",
    "pimple",
    "acne",
    "scar",
    "mark",
    "stain",
    "dust",
    "scratch",
    "building",
    "boat",
    "lamp",
    "chair",
    "table",
    "cup",
    "bottle",
    "fence",
    "sky",
    "skin",
    "eye",
    "teeth",
    "hair",
    "shirt",
    "dress",
    "hat",
    "glasses",
    "plate",
    "license",
    "licence",
    "window",
    "door",
    "wall",
    "floor",
    "grass",
    "water",
    "sea",
    "cloud",
    "flower",
    "leaf",
    "leaves",
    "food",
    "hand",
    "arm",
    "leg",
    "head",
    "nose",
    "mouth",
    "lip",
    "cheek",
    "forehead",
    "wrinkle",
    "shadow",
    "reflection",
    "glare",
];

/// Words that point at the brushed area.
const HERE: &[&str] = &["this", "that", "these", "those", "here", "selection", "selected", "area", "it"];

/// Words of whole-photo adjustments: "remove the noise from this" is a denoise, not an erase.
const ADJUSTMENTS: &[&str] = &[
    "noise",
    "grain",
    "color",
    "colour",
    "colors",
    "colours",
    "cast",
    "tint",
    "saturation",
    "blur",
    "filter",
    "effect",
    "border",
    "frame",
    "vignette",
    "haze",
    "contrast",
    "brightness",
    "exposure",
    "warmth",
    "sepia",
];

/// Whether `c` names one of [`THINGS`] (a whole word, or its plural).
fn names_a_thing(c: &str) -> bool {
    words(c).any(|w| {
        let singular = w.strip_suffix("es").filter(|s| THINGS.contains(s)).or_else(|| w.strip_suffix('s'));
        THINGS.contains(&w) || singular.is_some_and(|s| THINGS.contains(&s))
    })
}

/// True when the clause asks for something to be taken out of the photo ("erase this", "remove the person
/// on the left", "get rid of the wires").
pub(super) fn erase(c: &str) -> bool {
    let removal = has(c, &["remove", "erase", "delete", "eliminate", "vanish", "clean", "hide", "retouch"])
        || ["get rid of", "take out", "take away", "rid of", "clear out", "clear away"]
            .iter()
            .any(|k| c.contains(k));
    if !removal {
        return false;
    }
    // "remove 10% from the left" trims an edge; "remove the noise" is an adjustment.
    let trim = c.contains('%') || words(c).any(|w| w.chars().all(|ch| ch.is_ascii_digit()));
    let adjustment = words(c).any(|w| ADJUSTMENTS.contains(&w));
    if trim || adjustment {
        return false;
    }
    // "remove the left side" trims an edge; "remove the red block on the right" names something on that
    // side, whatever it is.
    let something = words(c).any(|w| !EDGE_WORDS.contains(&w));
    let on_a_side = has(c, &["left", "right", "top", "bottom", "corner", "middle", "centre", "center"]);
    names_a_thing(c) || words(c).any(|w| HERE.contains(&w)) || (on_a_side && something)
}

/// The words of a request to trim an edge ("remove the left side of the photo", "get rid of the top
/// part"): a removal clause with any other word names something to erase.
const EDGE_WORDS: &[&str] = &[
    "remove",
    "erase",
    "delete",
    "eliminate",
    "get",
    "rid",
    "of",
    "take",
    "out",
    "away",
    "clear",
    "clean",
    "hide",
    "the",
    "a",
    "an",
    "left",
    "right",
    "top",
    "bottom",
    "topbottom",
    "sides",
    "side",
    "edge",
    "edges",
    "border",
    "margin",
    "margins",
    "strip",
    "part",
    "bit",
    "little",
    "some",
    "from",
    "off",
    "on",
    "at",
    "in",
    "photo",
    "image",
    "picture",
    "pic",
    "please",
    "just",
    "both",
    "each",
    "all",
    "and",
    "its",
    "my",
    "this",
];

/// True when a clause the rules understood ("make the sky brighter", "blur the faces") names one part of
/// the photo, so that doing it to the whole photo would be wrong: it needs a selection.
pub(super) fn names_a_part(c: &str) -> bool {
    // Words that make the clause about something else: a poster "for a car sale", a caption, a clip, or the
    // whole photo "of my dog".
    let elsewhere =
        has(c, &["poster", "flyer", "banner", "caption", "title", "write", "video", "clip", "anim"])
            || ["photo of", "picture of", "image of", "shot of", "pic of", "portrait of"]
                .iter()
                .any(|k| c.contains(k));
    !elsewhere && names_a_thing(c)
}

#[cfg(test)]
mod tests {
    use crate::{plan, plan_with, EngineError, Operation};
    use vinano_api::Msg;
    use Operation::*;

    fn asks_for_selection(text: &str) -> Msg {
        match plan(text) {
            Err(EngineError::NeedsSelection(problem)) => problem.msg,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn naming_something_to_remove_without_a_selection_asks_for_one_and_never_trims() {
        for text in [
            "remove the person on the left",
            "erase the car on the right",
            "get rid of the tourists in the background",
            "delete the watermark",
            "remove the power line",
            "remove the wires",
            "remove the red block on the right",
            "erase this",
            "remove the people and make it warmer",
            "把左邊的路人去掉",
            "消除这个",
            "去掉水印",
        ] {
            assert_eq!(asks_for_selection(text), Msg::ReplyNeedsSelectionErase, "{text}");
        }
        for text in
            ["make the sky brighter", "brighten her face", "blur the faces", "pixelate the licence plate"]
        {
            assert_eq!(asks_for_selection(text), Msg::ReplyNeedsSelectionEdit, "{text}");
        }
    }

    #[test]
    fn the_whole_photo_meanings_stay() {
        let steps = |t: &str| plan(t).unwrap_or_else(|e| panic!("{t}: {e:?}")).operations;
        assert_eq!(steps("remove 10% from the left"), [CropEdges { left: 10, top: 0, right: 0, bottom: 0 }]);
        assert_eq!(steps("remove the noise"), [Denoise]);
        assert_eq!(steps("remove the left side"), [CropEdges { left: 10, top: 0, right: 0, bottom: 0 }]);
        assert_eq!(steps("remove the top part"), [CropEdges { left: 0, top: 10, right: 0, bottom: 0 }]);
        assert_eq!(steps("remove the background"), [RemoveBackground]);
        assert_eq!(steps("make this brighter"), [Brightness { percent: 20 }]);
        assert_eq!(plan("a poster for a car sale").unwrap().operations.len(), 1);
        assert_eq!(steps("pixelate it"), [Pixelate { blocks: 48 }]);
        // Naming the subject of the whole photo is not naming a part of it.
        assert_eq!(steps("brighten the photo of my dog"), [Brightness { percent: 20 }]);
        let p = plan("my kid in a swimsuit, brighter please").unwrap();
        assert_eq!(p.operations, [Brightness { percent: 20 }]);
    }

    #[test]
    fn with_a_selection_erasing_and_edits_happen_inside_it() {
        let p = plan_with("erase this", true).unwrap();
        assert_eq!(p.operations, [Erase]);
        assert!(p.in_selection);
        assert_eq!(plan_with("remove the person on the left", true).unwrap().operations, [Erase]);
        assert_eq!(plan_with("去掉這個", true).unwrap().operations, [Erase]);
        let p = plan_with("make this brighter and black and white", true).unwrap();
        assert_eq!(p.operations, [Brightness { percent: 20 }, Grayscale]);
        assert!(p.in_selection);
        assert_eq!(
            plan_with("pixelate the faces a lot", true).unwrap().operations,
            [Pixelate { blocks: 24 }]
        );
        // Steps that change the whole photo say so instead of ignoring the selection.
        for text in ["rotate it 90 degrees", "crop it square", "remove the background", "add a red border"] {
            match plan_with(text, true) {
                Err(EngineError::OutOfRange(p)) => assert_eq!(p.msg, Msg::ReplySelectionWholePhoto, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        // Without a selection, nothing is in one.
        assert!(!plan("make it brighter").unwrap().in_selection);
    }
}

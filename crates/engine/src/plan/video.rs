//! A clip asked for in words: "make a 6 second parallax video", or the AI Video page's "Video: a slow pan,
//! 6 seconds, vertical for stories". The clause that names a video makes the clip; the instruction's other
//! clauses that only say how it moves, how long it lasts or its shape are read into it rather than
//! reported as not understood.

use super::rules::{has, number, words};
use super::{Motion, Operation};
use crate::EngineError;
use vinano_api::Msg;

/// Words that ask for a clip.
const CLIP: [&str; 7] = ["video", "animate", "animation", "animated", "clip", "gif", "slideshow"];

/// True when the clause asks for a clip.
pub(super) fn is_clip(c: &str) -> bool {
    has(c, &CLIP)
}

/// The clip a clause asks for (a movement, a length, a shape), with its defaults: a 3 s slow zoom in the
/// picture's own shape.
pub(super) fn clip(c: &str) -> Result<Operation, EngineError> {
    let seconds = seconds(c).unwrap_or(3);
    if !(1..=10).contains(&seconds) {
        return Err(EngineError::OutOfRange(Msg::ReplyVideoSeconds.into()));
    }
    Ok(Operation::Video {
        motion: motion(c).unwrap_or(Motion::ZoomIn),
        seconds: seconds as u32,
        shape: shape(c),
    })
}

/// Reads the clauses of `not_understood` that only describe the clip ("6 seconds", "vertical for
/// stories", "slow pan") into the plan's clip, which `clauses` asked for; they are no longer reported.
pub(super) fn absorb(
    operations: &mut [Operation],
    not_understood: &mut Vec<String>,
    clauses: &[String],
) -> Result<(), EngineError> {
    let Some(Operation::Video { .. }) = operations.last() else { return Ok(()) };
    let (about, other): (Vec<String>, Vec<String>) = not_understood
        .drain(..)
        .partition(|c| motion(c).is_some() || seconds(c).is_some() || shape(c).is_some());
    *not_understood = other;
    if about.is_empty() {
        return Ok(());
    }
    // The clip's own clause first: what it says wins over the clauses around it.
    let own = clauses.iter().filter(|c| is_clip(c));
    let all: Vec<&String> = own.clone().chain(&about).collect();
    let asked = |read: &dyn Fn(&str) -> bool| all.iter().any(|c| read(c));
    let seconds = match own.clone().find_map(|c| seconds(c)).or_else(|| about.iter().find_map(|c| seconds(c)))
    {
        Some(s) if !(1..=10).contains(&s) => {
            return Err(EngineError::OutOfRange(Msg::ReplyVideoSeconds.into()))
        }
        other => other,
    };
    if let Some(Operation::Video { motion: m, seconds: s, shape: sh }) = operations.last_mut() {
        if let Some(found) = all.iter().find_map(|c| motion(c)) {
            *m = found;
        }
        if let Some(found) = seconds {
            *s = found as u32;
        }
        if asked(&|c| shape(c).is_some()) {
            *sh = all.iter().find_map(|c| shape(c));
        }
    }
    Ok(())
}

/// True when the clause says nothing but a shape ("square", "vertical for stories", "in 16:9").
pub(super) fn only_shape(c: &str) -> bool {
    const FILLER: [&str; 12] =
        ["in", "for", "a", "an", "the", "format", "aspect", "shape", "ratio", "make", "it", "as"];
    shape(c).is_some() && words(c).all(|w| FILLER.contains(&w) || shape(w).is_some() || w.contains(':'))
}

/// The movement a clause names, if any.
fn motion(c: &str) -> Option<Motion> {
    if has(c, &["parallax", "3d", "depth"]) {
        Some(Motion::Parallax)
    } else if has(c, &["crossfade", "fade", "dissolve", "transition"]) {
        Some(Motion::Crossfade)
    } else if has(c, &["reveal", "out", "pull", "away", "wider"]) || c.contains("zoom out") {
        Some(Motion::ZoomOut)
    } else if has(c, &["pan", "slide", "sweep", "across", "glide"]) || c.contains("left to right") {
        Some(Motion::Pan)
    } else if has(c, &["zoom", "push", "closer", "burns", "dolly"]) {
        Some(Motion::ZoomIn)
    } else {
        None
    }
}

/// A length in seconds: a number with "s", "sec" or "second(s)" after it; in a clip's own clause, any
/// number ("make a 6 second video").
fn seconds(c: &str) -> Option<i64> {
    let tokens: Vec<&str> = words(c).collect();
    let unit = |w: &str| matches!(w, "s" | "sec" | "secs" | "second" | "seconds" | "seconde" | "sek");
    for (i, w) in tokens.iter().enumerate() {
        let glued =
            w.strip_suffix("seconds").or_else(|| w.strip_suffix("sec")).or_else(|| w.strip_suffix('s'));
        let n = match (w.parse::<f32>(), glued.and_then(|g| g.parse::<f32>().ok())) {
            (Ok(n), _) if tokens.get(i + 1).is_some_and(|u| unit(u)) => n,
            (_, Some(n)) => n,
            _ => continue,
        };
        return Some(n.round() as i64);
    }
    is_clip(c).then(|| number(c)).flatten().map(|n| n.round() as i64)
}

/// The shape a clause names: upright for stories (9:16), square (1:1) or wide (16:9).
fn shape(c: &str) -> Option<[u32; 2]> {
    if has(c, &["vertical", "portrait", "upright", "story", "stories", "reel", "tiktok", "shorts"])
        || c.contains("9:16")
    {
        Some([9, 16])
    } else if has(c, &["square"]) || c.contains("1:1") {
        Some([1, 1])
    } else if has(c, &["widescreen", "landscape", "horizontal", "youtube", "wide"]) || c.contains("16:9") {
        Some([16, 9])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::{plan, Motion, Operation};

    fn clip(text: &str) -> (Operation, Vec<String>) {
        let p = plan(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        (p.operations.last().unwrap().clone(), p.not_understood)
    }

    #[test]
    fn a_clip_asked_for_in_one_clause_as_before() {
        let video = |motion, seconds| Operation::Video { motion, seconds, shape: None };
        assert_eq!(clip("make a 6 second parallax video"), (video(Motion::Parallax, 6), vec![]));
        assert_eq!(clip("make a video"), (video(Motion::ZoomIn, 3), vec![]));
        assert_eq!(clip("animate it with a slow pan").0, video(Motion::Pan, 3));
        assert_eq!(clip("做成視差影片").0, video(Motion::Parallax, 3));
        assert!(plan("make a 30 second video").is_err());
    }

    #[test]
    fn the_clauses_around_it_say_how_it_moves_how_long_and_its_shape() {
        let (op, left) = clip("Video: a slow pan from left to right, 6 seconds, vertical for stories");
        assert_eq!(op, Operation::Video { motion: Motion::Pan, seconds: 6, shape: Some([9, 16]) });
        assert!(left.is_empty(), "{left:?}");
        let (op, left) = clip("make a video, 8s, slow push in on her face, widescreen");
        assert_eq!(op, Operation::Video { motion: Motion::ZoomIn, seconds: 8, shape: Some([16, 9]) });
        assert!(left.is_empty(), "{left:?}");
        let (op, _) = clip("影片：慢慢拉遠，6秒，直式");
        assert_eq!(op, Operation::Video { motion: Motion::ZoomOut, seconds: 6, shape: Some([9, 16]) });
        let (op, _) = clip("視頻：平移，4秒，橫屏");
        assert_eq!(op, Operation::Video { motion: Motion::Pan, seconds: 4, shape: Some([16, 9]) });
        // The clip's own words win; what isn't about the clip is still reported.
        let (op, left) = clip("make a 5 second parallax video, 7 seconds, with fireworks");
        assert_eq!(op, Operation::Video { motion: Motion::Parallax, seconds: 5, shape: None });
        assert_eq!(left, vec!["with fireworks".to_string()]);
        assert!(plan("make a video, 40 seconds").is_err(), "too long, said");
    }
}

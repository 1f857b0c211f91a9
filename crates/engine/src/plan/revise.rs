//! A poster changed by chat: "make the title red", "change the title to 'Winter sale'", "remove the
//! subtitle", "make the background blue". The poster is drawn again from its words and design with the
//! change, instead of painting over its pixels (which would tint the whole poster or scale it).

use super::rules::{clauses, has, named_color, words};
use super::{Operation, PosterDesign};
use vinano_api::PosterStyle;

/// What an instruction about a poster changes: the poster step drawn again, and the clauses that were not
/// about its words, colours or background (planned as usual, after it).
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The poster step with the changes.
    pub poster: Operation,
    /// The other clauses, quotes restored, to be planned as any instruction.
    pub rest: Vec<String>,
    /// Clauses that named a part of the poster but asked for a change it can't make ("make the title
    /// spin"), reported back rather than done to the whole picture.
    pub unclear: Vec<String>,
}

/// Colours a title is often given that the photo rules don't name.
const MORE_COLORS: [(&str, [u8; 3]); 4] =
    [("orange", [240, 130, 30]), ("purple", [130, 60, 190]), ("navy", [20, 30, 90]), ("teal", [0, 128, 128])];

/// The part of a poster a clause is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Title,
    Subtitle,
    Line,
    Words,
    Background,
}

/// The change `instruction` asks of `poster` (a [`Operation::Poster`]), if at least one of its clauses is
/// about the poster's words, their colour or its background; `None` when none is (or `poster` isn't one).
pub fn revise(poster: &Operation, instruction: &str) -> Option<Revision> {
    let Operation::Poster { title, subtitle, colors, design } = poster else { return None };
    let (mut title, mut subtitle, mut colors) = (title.clone(), subtitle.clone(), *colors);
    // A poster asked for in words gets the design it was drawn with, so that it can hold a title's colour;
    // its layout stays the one its first title picked.
    let mut design = design.as_deref().cloned().unwrap_or(PosterDesign {
        width: crate::POSTER.0,
        height: crate::POSTER.1,
        line: None,
        style: PosterStyle::Auto,
        ink: None,
        title_ink: None,
        photo: false,
        dpi: None,
    });
    if design.style == PosterStyle::Auto {
        design.style = match vinano_imaging::poster::PosterLayout::for_title(&title) {
            vinano_imaging::poster::PosterLayout::Circles => PosterStyle::Circles,
            vinano_imaging::poster::PosterLayout::Stripes => PosterStyle::Stripes,
            vinano_imaging::poster::PosterLayout::Dots => PosterStyle::Dots,
        };
    }
    let (clauses, quotes) = clauses(instruction);
    let (mut changed, mut rest, mut unclear) = (false, Vec::new(), Vec::new());
    for clause in &clauses {
        let Some(part) = part(clause, design.photo) else {
            rest.push(restore(clause, &quotes));
            continue;
        };
        let quote = words(clause)
            .find_map(|w| w.strip_prefix("qt")?.parse::<usize>().ok())
            .and_then(|i| quotes.get(i));
        // Words after "to" are new words unless they only name a colour; a quote may be just a colour too
        // ("make the text 'black'").
        let unquoted = unquoted_text(clause, instruction);
        let quoted_color = quote.and_then(|q| color(&q.to_lowercase()).filter(|_| is_colour(q)));
        let new_text = quote.cloned().filter(|_| quoted_color.is_none()).or(unquoted.clone());
        let color = match unquoted {
            Some(_) => None,
            None => color(clause).or(quoted_color),
        };
        let removes = has(clause, &["remove", "delete", "drop", "hide", "without", "erase"])
            || words(clause).any(|w| w == "no")
            || ["刪除", "删除", "不要"].iter().any(|k| clause.contains(k));
        let before = (title.clone(), subtitle.clone(), colors, design.clone());
        match (part, color, new_text) {
            (Part::Title, Some(c), _) => design.title_ink = Some(c),
            (Part::Subtitle | Part::Line, Some(c), _) => {
                design.title_ink = Some(design.title_ink.or(design.ink).unwrap_or([255, 255, 255]));
                design.ink = Some(c);
            }
            (Part::Words, Some(c), _) => (design.ink, design.title_ink) = (Some(c), None),
            (Part::Background, Some(c), _) => colors = background(clause, c),
            (Part::Title, None, Some(text)) if !text.trim().is_empty() => title = text.trim().to_string(),
            (Part::Subtitle, None, _) if removes => subtitle = None,
            (Part::Line, None, _) if removes => design.line = None,
            (Part::Subtitle, None, Some(text)) => subtitle = Some(text.trim().to_string()),
            (Part::Line, None, Some(text)) => design.line = Some(text.trim().to_string()),
            _ => {}
        }
        if before == (title.clone(), subtitle.clone(), colors, design.clone()) {
            unclear.push(restore(clause, &quotes));
        } else {
            changed = true;
        }
    }
    let design = Some(Box::new(design));
    changed.then_some(Revision {
        poster: Operation::Poster { title, subtitle, colors, design },
        rest,
        unclear,
    })
}

/// Which part of the poster a clause names (its background only when it isn't a photo).
fn part(c: &str, photo: bool) -> Option<Part> {
    if has(c, &["subtitle", "sub-title", "tagline", "subheading", "strapline"]) {
        Some(Part::Subtitle)
    } else if has(c, &["title", "heading", "headline"]) {
        Some(Part::Title)
    } else if c.contains("date line") || c.contains("place line") || has(c, &["date", "venue"]) {
        Some(Part::Line)
    } else if has(c, &["text", "words", "letters", "lettering", "writing", "font"]) {
        Some(Part::Words)
    } else if has(c, &["background", "backdrop", "bg"]) && !photo {
        Some(Part::Background)
    } else {
        None
    }
}

/// The colour a clause names: `#rrggbb` or a colour's name.
fn color(c: &str) -> Option<[u8; 3]> {
    let hex =
        c.find('#').and_then(|i| c.get(i + 1..i + 7)).and_then(|h| vinano_api::parse_color(&format!("#{h}")));
    hex.or_else(|| named_color(c))
        .or_else(|| MORE_COLORS.iter().find(|(name, _)| has(c, &[name])).map(|(_, rgb)| *rgb))
}

/// True when `words` only name a colour ("red", "bright red", "#ff0000").
fn is_colour(words: &str) -> bool {
    let words = words.to_lowercase();
    color(&words).is_some() && super::rules::words(&words).count() <= 2
}

/// A background of one colour is a gradient from it to a deeper shade of it; "from blue to pink" names
/// both ends.
fn background(c: &str, first: [u8; 3]) -> [[u8; 3]; 2] {
    let named: Vec<[u8; 3]> = words(c)
        .filter_map(|w| {
            super::COLORS
                .iter()
                .chain(MORE_COLORS.iter())
                .find(|(name, _)| w.starts_with(name))
                .map(|(_, rgb)| *rgb)
        })
        .collect();
    match named[..] {
        [a, b, ..] if a != b => [a, b],
        _ => [first, first.map(|v| (f32::from(v) * 0.55) as u8)],
    }
}

/// New words given without quotes after "to" ("change the title to Winter sale"), in the case typed.
fn unquoted_text(clause: &str, instruction: &str) -> Option<String> {
    let (_, tail) = clause.split_once(" to ")?;
    let tail = tail.trim();
    if tail.is_empty() || is_colour(tail) || tail.starts_with("qt") {
        return None;
    }
    let lower = instruction.to_lowercase();
    match (lower.len() == instruction.len(), lower.rfind(tail)) {
        (true, Some(at)) => instruction.get(at..at + tail.len()).map(str::to_string),
        _ => Some(tail.to_string()),
    }
}

/// A clause with its quotes put back, for planning it again.
fn restore(clause: &str, quotes: &[String]) -> String {
    let mut out = clause.to_string();
    for (i, q) in quotes.iter().enumerate().rev() {
        out = out.replace(&format!("qt{i}"), &format!("\"{q}\""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poster(design: Option<PosterDesign>) -> Operation {
        Operation::Poster {
            title: "Summer sale".into(),
            subtitle: Some("Everything half price".into()),
            colors: [[250, 120, 30], [250, 210, 60]],
            design: design.map(Box::new),
        }
    }

    fn revised(instruction: &str) -> (String, Option<String>, [[u8; 3]; 2], PosterDesign, Revision) {
        let r = revise(&poster(None), instruction).unwrap_or_else(|| panic!("{instruction}: not a revision"));
        let Operation::Poster { title, subtitle, colors, design } = r.poster.clone() else { panic!() };
        (title, subtitle, colors, *design.unwrap(), r)
    }

    #[test]
    fn the_title_changes_colour_in_english_and_chinese() {
        for words in
            ["make the title red", "Title in red please", "red title", "標題改成紅色", "标题改为红色"]
        {
            let (title, subtitle, colors, design, r) = revised(words);
            assert_eq!(design.title_ink, Some([200, 30, 30]), "{words}");
            assert_eq!(design.ink, None, "{words}: the other words keep their colour");
            assert_eq!((title.as_str(), subtitle.as_deref()), ("Summer sale", Some("Everything half price")));
            assert_eq!(colors, [[250, 120, 30], [250, 210, 60]]);
            assert!(r.rest.is_empty() && r.unclear.is_empty(), "{words}: {r:?}");
        }
        let (_, _, _, design, _) = revised("make the title #00ff00");
        assert_eq!(design.title_ink, Some([0, 255, 0]));
        // A poster made in words keeps the layout its first title picked, now written into its design.
        let style = design.style;
        let (title, _, _, design, _) = revised("change the title to \"New menu\"");
        assert_eq!((title.as_str(), design.style), ("New menu", style));
        assert_ne!(style, PosterStyle::Auto);
        assert_eq!((design.width, design.height), crate::POSTER);
    }

    #[test]
    fn words_background_and_subtitle_change_as_asked() {
        let (title, ..) = revised("change the title to Winter Sale");
        assert_eq!(title, "Winter Sale", "unquoted words keep the case typed");
        let (title, ..) = revised("把標題改成「冬季特賣」");
        assert_eq!(title, "冬季特賣");
        let (_, subtitle, ..) = revised("remove the subtitle");
        assert_eq!(subtitle, None);
        let (_, subtitle, ..) = revised("刪除副標題");
        assert_eq!(subtitle, None);
        let (_, subtitle, ..) = revised("change the subtitle to 'Today only'");
        assert_eq!(subtitle.as_deref(), Some("Today only"));
        let (_, _, colors, ..) = revised("make the background blue");
        assert_eq!(colors, [[30, 60, 200], [16, 33, 110]]);
        let (_, _, colors, ..) = revised("背景改成藍色");
        assert_eq!(colors[0], [30, 60, 200]);
        let (_, _, colors, ..) = revised("background from purple to pink");
        assert_eq!(colors, [[130, 60, 190], [240, 150, 180]]);
        let (_, _, _, design, _) = revised("make the text black");
        assert_eq!((design.ink, design.title_ink), (Some([0, 0, 0]), None));
        // The subtitle's colour leaves the title's as it was.
        let (_, _, _, design, _) = revised("make the subtitle yellow");
        assert_eq!((design.ink, design.title_ink), (Some([245, 205, 40]), Some([255, 255, 255])));
    }

    #[test]
    fn other_clauses_are_passed_on_and_unclear_ones_reported() {
        let (.., r) = revised("make the title red and add a vignette");
        assert_eq!(r.rest, vec!["add a vignette".to_string()]);
        let (.., r) = revised("make the title red, make the title spin");
        assert_eq!(r.unclear, vec!["make the title spin".to_string()]);
        assert_eq!(revise(&poster(None), "make it brighter"), None, "nothing about the poster");
        assert_eq!(revise(&poster(None), "make the title bigger"), None, "no change it can make");
        assert_eq!(revise(&Operation::Grayscale, "make the title red"), None, "not a poster");
        // A poster over a photo has no background of its own to recolour.
        let photo = PosterDesign { photo: true, ..revised("red title").3 };
        assert_eq!(revise(&poster(Some(photo.clone())), "make the background blue"), None);
        let r = revise(&poster(Some(photo)), "make the title gold and make the background blue").unwrap();
        assert_eq!(r.rest, vec!["make the background blue".to_string()]);
    }
}

//! Look-alike letters: a prompt that writes "nаked" with a Cyrillic а, "сocaine" with a Cyrillic с, Greek
//! omicrons, mathematical bold 𝐧𝐮𝐝𝐞 or accents (nakéd) is folded to the Latin letters it imitates before
//! the term lists look at it, using the confusables of Unicode's security mechanisms (UTS #39, through the
//! `unicode-security` crate). Only letters outside the CJK scripts are folded, and only into plain ASCII,
//! so Chinese terms and ordinary text are untouched.

use unicode_script::{Script, UnicodeScript};

/// The ASCII letters `c` imitates, when it is a non-ASCII look-alike of them.
pub(super) fn fold(c: char) -> Option<String> {
    if c.is_ascii()
        || matches!(
            c.script(),
            Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo
        )
    {
        return None;
    }
    let mut buf = [0u8; 4];
    let folded: String = unicode_security::skeleton(c.encode_utf8(&mut buf))
        // Accents left over from the decomposition (é → e + ´) hide nothing either.
        .filter(|m| !('\u{0300}'..='\u{036F}').contains(m))
        .collect();
    (!folded.is_empty() && folded.chars().all(|f| f.is_ascii_alphanumeric())).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::fold;

    fn folded(text: &str) -> String {
        text.chars().map(|c| fold(c).unwrap_or_else(|| c.to_string())).collect::<String>().to_lowercase()
    }

    #[test]
    fn look_alikes_become_what_they_imitate() {
        assert_eq!(folded("n\u{0430}ked"), "naked", "Cyrillic а");
        assert_eq!(folded("\u{0441}\u{043E}\u{0441}aine"), "cocaine", "Cyrillic с and о");
        assert_eq!(folded("c\u{03BF}caine"), "cocaine", "Greek omicron");
        assert_eq!(folded("𝐧𝐮𝐝𝐞"), "nude", "mathematical bold");
        assert_eq!(folded("nakéd"), "naked", "an accent");
    }

    #[test]
    fn plain_text_and_chinese_are_untouched() {
        assert_eq!(folded("make it brighter"), "make it brighter");
        assert_eq!(folded("調亮一點，裁成正方形"), "調亮一點，裁成正方形");
        assert_eq!(fold('丨'), None);
        assert_eq!(fold('一'), None);
    }
}

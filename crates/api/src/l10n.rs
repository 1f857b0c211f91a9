//! The locale files' language: the part of [Project Fluent](https://projectfluent.org/fluent/guide/) that
//! ViNano's `.ftl` files use — messages (`key = text`, continued on indented lines), `{ $variable }`,
//! `{ "literal" }`, and selectors on a variable (`{ $count -> [one] … *[other] … }`, keys that are words,
//! plural categories or numbers), comments. Terms, attributes, message references and functions are refused
//! when a file is read, so a file never says something this code would get wrong.
//!
//! Why not the `fluent-bundle` crate: it is about 35 KB of the browser's first download (a general parser,
//! the CLDR plural rules of every language, locale identifiers), where this is a few KB. The whitespace
//! rules are the same as Fluent's (its reference parser's dedent and trim); a test formats every message of
//! every locale file with both and compares.

use std::collections::HashMap;
use std::fmt;

/// One language's messages, read from locale files.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The language's plural rule: `one` for exactly 1 in English; Chinese has only `other`.
    singular: bool,
    messages: HashMap<String, Pattern>,
}

/// A value put into a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Words or a name, put in as they are.
    Text(std::borrow::Cow<'a, str>),
    /// A number: written in digits, and it picks a plural form.
    Number(i64),
}

/// Why a locale file can't be read: where, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line (from 1).
    pub line: usize,
    /// What is wrong.
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

type Pattern = Vec<Element>;

#[derive(Debug, Clone)]
enum Element {
    Text(String),
    Variable(String),
    Select { variable: String, variants: Vec<(Key, Pattern)>, default: usize },
}

#[derive(Debug, Clone)]
enum Key {
    Word(String),
    Number(i64),
}

impl Catalog {
    /// An empty catalog for the language `tag` (a BCP 47 tag such as `en` or `zh-Hant`).
    pub fn new(tag: &str) -> Catalog {
        let language = tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        // CLDR: Chinese, Japanese and Korean have one form; English-like languages `one` and `other`.
        let singular = !matches!(language.as_str(), "zh" | "ja" | "ko");
        Catalog { singular, messages: HashMap::new() }
    }

    /// Adds the messages of one locale file; a key already present is an error, as is anything outside the
    /// subset described above.
    pub fn add(&mut self, source: &str) -> Result<(), ParseError> {
        let source = source.replace("\r\n", "\n");
        let mut parser = Parser { src: source.as_bytes(), pos: 0 };
        while let Some((at, key, pattern)) = parser.entry()? {
            if self.messages.insert(key, pattern).is_some() {
                return Err(parser.error_at(at, "this key is already defined"));
            }
        }
        Ok(())
    }

    /// Whether the catalog has the message `key`.
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }

    /// The message `key` with `values` filled in, or `None` when there is no such message. A value the
    /// message uses but wasn't given shows as `{$name}`.
    pub fn format(&self, key: &str, values: &[(&str, Value<'_>)]) -> Option<String> {
        let pattern = self.messages.get(key)?;
        let mut out = String::new();
        self.write(&mut out, pattern, values);
        Some(out)
    }

    fn write(&self, out: &mut String, pattern: &[Element], values: &[(&str, Value<'_>)]) {
        let value = |name: &str| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        for element in pattern {
            match element {
                Element::Text(text) => out.push_str(text),
                Element::Variable(name) => match value(name) {
                    Some(Value::Text(text)) => out.push_str(text),
                    Some(Value::Number(n)) => out.push_str(&n.to_string()),
                    None => {
                        out.push_str("{$");
                        out.push_str(name);
                        out.push('}');
                    }
                },
                Element::Select { variable, variants, default } => {
                    let chosen = value(variable)
                        .and_then(|v| variants.iter().find(|(key, _)| self.matches(key, v)))
                        .unwrap_or(&variants[*default]);
                    self.write(out, &chosen.1, values);
                }
            }
        }
    }

    fn matches(&self, key: &Key, value: &Value<'_>) -> bool {
        match (key, value) {
            (Key::Word(word), Value::Text(text)) => word == text,
            (Key::Number(k), Value::Number(n)) => k == n,
            (Key::Word(word), Value::Number(n)) => {
                word == if self.singular && *n == 1 { "one" } else { "other" }
            }
            (Key::Number(_), Value::Text(_)) => false,
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Value::Text(text.into())
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(text: &'a String) -> Self {
        Value::Text(text.as_str().into())
    }
}

impl From<String> for Value<'_> {
    fn from(text: String) -> Self {
        Value::Text(text.into())
    }
}

macro_rules! number_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(n: $t) -> Self {
                Value::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_values!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

/// Where a text element sits in its pattern (Fluent's dedent rules depend on it).
#[derive(Clone, Copy, PartialEq)]
enum Position {
    /// On the line of the `=` or `]`.
    FirstLine,
    /// At the start of a continuation line (its indent is still ahead).
    LineStart,
    /// After a placeable, on the same line.
    Continuation,
}

/// A piece of a pattern before the common indent is known.
enum Piece {
    Placeable(Element),
    /// `start..end` of the source, the line's indent and its position.
    Text {
        start: usize,
        end: usize,
        indent: usize,
        position: Position,
    },
}

struct Parser<'s> {
    src: &'s [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> ParseError {
        self.error_at(self.pos, reason)
    }

    fn error_at(&self, at: usize, reason: &'static str) -> ParseError {
        let line = 1 + self.src[..at.min(self.src.len())].iter().filter(|&&b| b == b'\n').count();
        ParseError { line, reason }
    }

    fn current(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn take(&mut self, byte: u8) -> bool {
        let found = self.current() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), ParseError> {
        if self.take(byte) {
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    /// Spaces on this line; how many.
    fn skip_blank_inline(&mut self) -> usize {
        let start = self.pos;
        while self.current() == Some(b' ') {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Spaces and line ends.
    fn skip_blank(&mut self) {
        while matches!(self.current(), Some(b' ' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Whole blank lines.
    fn skip_blank_block(&mut self) {
        loop {
            let start = self.pos;
            self.skip_blank_inline();
            if !self.take(b'\n') {
                self.pos = start;
                return;
            }
        }
    }

    /// The next message of the file (where it starts, its key, its text), skipping comments and blank
    /// lines; `None` at the end.
    fn entry(&mut self) -> Result<Option<(usize, String, Pattern)>, ParseError> {
        loop {
            self.skip_blank_block();
            match self.current() {
                None => return Ok(None),
                Some(b'#') => {
                    while !matches!(self.current(), None | Some(b'\n')) {
                        self.pos += 1;
                    }
                }
                Some(b'-') => return Err(self.error("terms are not supported")),
                Some(_) => break,
            }
        }
        let at = self.pos;
        let key = self.identifier()?;
        self.skip_blank_inline();
        self.expect(b'=', "expected `=` after the key")?;
        let pattern = self.pattern()?.ok_or_else(|| self.error("the message has no text"))?;
        self.skip_blank_block();
        match self.current() {
            Some(b'.') | Some(b' ') => Err(self.error("attributes are not supported")),
            Some(b'\n') | None => Ok(Some((at, key, pattern))),
            Some(_) if self.pos == 0 || self.src[self.pos - 1] == b'\n' => Ok(Some((at, key, pattern))),
            Some(_) => Err(self.error("unexpected text after the message")),
        }
    }

    fn identifier(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        if !self.current().is_some_and(|b| b.is_ascii_alphabetic()) {
            return Err(self.error("expected a key (a letter first)"));
        }
        while self.current().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            self.pos += 1;
        }
        Ok(String::from_utf8_lossy(&self.src[start..self.pos]).into_owned())
    }

    /// A pattern: text and placeables up to the first line that doesn't continue it. Fluent's rules: the
    /// indent common to the continuation lines is removed, trailing blank lines and spaces are dropped.
    fn pattern(&mut self) -> Result<Option<Pattern>, ParseError> {
        let mut pieces = vec![];
        let mut last_non_blank = None;
        let mut common_indent: Option<usize> = None;
        self.skip_blank_inline();
        let mut position = if self.take(b'\n') {
            self.skip_blank_block();
            Position::LineStart
        } else {
            Position::FirstLine
        };
        while self.pos < self.src.len() {
            if self.take(b'{') {
                if position == Position::LineStart {
                    common_indent = Some(0);
                }
                let element = self.placeable()?;
                last_non_blank = Some(pieces.len());
                pieces.push(Piece::Placeable(element));
                position = Position::Continuation;
                continue;
            }
            let line_start = self.pos;
            let mut indent = 0;
            if position == Position::LineStart {
                indent = self.skip_blank_inline();
                match self.current() {
                    None => break,
                    Some(b) if indent == 0 && b != b'\n' => break,
                    Some(b'.' | b'}' | b'[' | b'*') if indent > 0 => {
                        self.pos = line_start;
                        break;
                    }
                    Some(_) => {}
                }
            }
            // Text up to the line's end or the next placeable.
            let start = self.pos;
            while !matches!(self.current(), None | Some(b'\n' | b'{' | b'}')) {
                self.pos += 1;
            }
            let blank = self.src[start..self.pos].iter().all(|&b| b == b' ');
            let ended_line = match self.current() {
                Some(b'}') => return Err(self.error("a `}` that closes nothing")),
                Some(b'\n') => {
                    self.pos += 1;
                    true
                }
                _ => false,
            };
            if line_start != self.pos {
                if position == Position::LineStart && !blank {
                    common_indent = Some(common_indent.map_or(indent, |c| c.min(indent)));
                }
                if position != Position::LineStart || !blank || ended_line {
                    if !blank {
                        last_non_blank = Some(pieces.len());
                    }
                    pieces.push(Piece::Text { start: line_start, end: self.pos, indent, position });
                }
            }
            position = if ended_line { Position::LineStart } else { Position::Continuation };
        }
        let Some(last) = last_non_blank else { return Ok(None) };
        let mut pattern = Vec::with_capacity(last + 1);
        for (i, piece) in pieces.into_iter().take(last + 1).enumerate() {
            match piece {
                Piece::Placeable(element) => pattern.push(element),
                Piece::Text { start, end, indent, position } => {
                    let start = if position == Position::LineStart {
                        start + common_indent.map_or(indent, |c| c.min(indent))
                    } else {
                        start
                    };
                    let mut text = String::from_utf8_lossy(&self.src[start..end]).into_owned();
                    if i == last {
                        text.truncate(text.trim_end_matches([' ', '\n']).len());
                    }
                    match pattern.last_mut() {
                        Some(Element::Text(previous)) => previous.push_str(&text),
                        _ => pattern.push(Element::Text(text)),
                    }
                }
            }
        }
        Ok(Some(pattern))
    }

    /// After `{`: a variable, a string literal or a selector, then `}`.
    fn placeable(&mut self) -> Result<Element, ParseError> {
        self.skip_blank();
        let inline = match self.current() {
            Some(b'"') => Element::Text(self.string_literal()?),
            Some(b'$') => {
                self.pos += 1;
                Element::Variable(self.identifier()?)
            }
            _ => return Err(self.error("only `{ $variable }` and `{ \"text\" }` are supported")),
        };
        self.skip_blank();
        let element = if self.src[self.pos..].starts_with(b"->") {
            let Element::Variable(variable) = inline else {
                return Err(self.error("only a variable can choose a variant"));
            };
            self.pos += 2;
            self.skip_blank_inline();
            self.expect(b'\n', "the variants start on the next line")?;
            self.skip_blank();
            let mut variants = vec![];
            let mut default = None;
            loop {
                if self.take(b'*') {
                    if default.is_some() {
                        return Err(self.error("two default variants"));
                    }
                    default = Some(variants.len());
                }
                if !self.take(b'[') {
                    break;
                }
                self.skip_blank();
                let key = if self.current().is_some_and(|b| b.is_ascii_digit()) {
                    let start = self.pos;
                    while self.current().is_some_and(|b| b.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    let digits = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or_default();
                    Key::Number(digits.parse().map_err(|_| self.error("a number too large"))?)
                } else {
                    Key::Word(self.identifier()?)
                };
                self.skip_blank();
                self.expect(b']', "expected `]` after the variant's key")?;
                let value = self.pattern()?.ok_or_else(|| self.error("the variant has no text"))?;
                variants.push((key, value));
                self.skip_blank();
            }
            let default = default
                .filter(|&d| d < variants.len())
                .ok_or_else(|| self.error("a selector needs one default variant (`*[…]`)"))?;
            Element::Select { variable, variants, default }
        } else {
            inline
        };
        self.skip_blank_inline();
        self.expect(b'}', "expected `}`")?;
        Ok(element)
    }

    /// After `"`: the text up to the closing quote, with `\"`, `\\`, `\{` and `\uXXXX` unescaped.
    fn string_literal(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.current() {
                None | Some(b'\n') => return Err(self.error("the text in quotes never ends")),
                Some(b'"') => {
                    self.pos += 1;
                    return String::from_utf8(out).map_err(|_| self.error("not UTF-8"));
                }
                Some(b'\\') => {
                    let escaped = self.src.get(self.pos + 1).copied();
                    match escaped {
                        Some(b'"' | b'\\' | b'{') => {
                            out.push(escaped.unwrap_or_default());
                            self.pos += 2;
                        }
                        Some(u @ (b'u' | b'U')) => {
                            let len = if u == b'u' { 4 } else { 6 };
                            let hex = self.src.get(self.pos + 2..self.pos + 2 + len).unwrap_or_default();
                            let c = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                                .ok_or_else(|| self.error("a bad \\u escape"))?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            self.pos += 2 + len;
                        }
                        _ => return Err(self.error("an unknown escape")),
                    }
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

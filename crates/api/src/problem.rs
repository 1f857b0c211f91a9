//! Everything the server, and the input rules the app shares with it, can tell a person: a stable key
//! ([`Msg`]) and the values that go into the sentence ([`Args`]), together a [`Problem`].
//!
//! The words live in the Fluent files under `crates/api/locales/` (English, Traditional and Simplified
//! Chinese), which both sides embed: the server writes its English `message` from them for programs and
//! logs, and the app shows the same key in the person's language.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A value that goes into a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Arg {
    /// A count, a size or a number of seconds.
    Number(u64),
    /// A word or a name: a category, a format, the characters a font lacks.
    Text(String),
    /// Messages said one after the other (the steps of a plan, the fields corrected), joined the way the
    /// language joins a list.
    List(Vec<Said>),
}

impl Arg {
    /// The number, when this is one.
    pub fn number(&self) -> Option<u64> {
        match self {
            Arg::Number(n) => Some(*n),
            Arg::Text(_) | Arg::List(_) => None,
        }
    }
}

/// The named values of a message.
pub type Args = BTreeMap<String, Arg>;

/// A message as the server stores and sends it: its key in the locale files and its values. The app says
/// it in the person's language; the English text stored and sent beside it is for programs and for
/// records made before a message had a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Said {
    /// The message's key in the locale files.
    pub key: String,
    /// The values in it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub args: Args,
}

impl From<Problem> for Said {
    fn from(problem: Problem) -> Self {
        Said { key: problem.msg.key().to_string(), args: problem.args }
    }
}

impl From<Msg> for Said {
    fn from(msg: Msg) -> Self {
        Problem::new(msg).into()
    }
}

macro_rules! messages {
    ($($name:ident = $key:literal,)*) => {
        /// Every message the server or the shared input rules can give, by its key in the locale files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $(
                #[doc = concat!("`", $key, "`")]
                $name,
            )*
        }

        impl Msg {
            /// Every message.
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            /// The message's key in the locale files.
            pub fn key(self) -> &'static str {
                match self {
                    $(Msg::$name => $key,)*
                }
            }
        }
    };
}

mod messages;
pub use messages::Msg;

/// English: the errors (`en.ftl`), what the editor says about an edit (`en-edits.ftl`) and the widget's and
/// partners' errors (`en-widget.ftl`).
pub const EN: &str = concat!(
    include_str!("../locales/en.ftl"),
    "\n",
    include_str!("../locales/en-edits.ftl"),
    "\n",
    include_str!("../locales/en-widget.ftl")
);
/// English without what the editor says about an edit: the app's frame keeps these words only, since every
/// reply, step and reason comes with its English from the server (`text` beside `text_said`), which the app
/// shows when a key is not in its catalogue. Saves the frame ≈ 3 KB of the first load's budget.
pub const EN_GENERAL: &str = include_str!("../locales/en.ftl");
/// The widget's and partners' errors in English, which only the widget's page and Me → Admin say: the app
/// brings them with those pages' chunks, out of the frame's first load.
pub const EN_WIDGET: &str = include_str!("../locales/en-widget.ftl");
/// Traditional Chinese, as [`EN`].
pub const ZH_HANT: &str =
    concat!(include_str!("../locales/zh-Hant.ftl"), "\n", include_str!("../locales/zh-Hant-edits.ftl"));
/// Simplified Chinese, as [`EN`].
pub const ZH_HANS: &str =
    concat!(include_str!("../locales/zh-Hans.ftl"), "\n", include_str!("../locales/zh-Hans-edits.ftl"));

/// The locale files, `(language tag, Fluent source)`, English first. (Each language is also its own
/// constant, so that a browser bundle can carry one language and load the others when they are chosen.)
pub const LOCALES: [(&str, &str); 3] = [("en", EN), ("zh-Hant", ZH_HANT), ("zh-Hans", ZH_HANS)];

/// The message keys of a Fluent file and the `$variables` each uses (for tests that keep the languages of
/// a set of locale files in step).
pub fn keys_and_variables(source: &str) -> BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let mut current = None;
    for line in source.lines() {
        if let Some((key, _)) = line.split_once(" =").filter(|_| !line.starts_with([' ', '#'])) {
            current = Some(key.to_string());
            out.insert(key.to_string(), Default::default());
        }
        if let Some(key) = &current {
            let vars: &mut std::collections::BTreeSet<String> = out.get_mut(key).expect("inserted above");
            for part in line.split('$').skip(1) {
                vars.insert(part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
            }
        }
    }
    out
}

/// A message with its values: what went wrong, ready to be said in any language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which message.
    pub msg: Msg,
    /// The values in it.
    pub args: Args,
}

impl Problem {
    /// The message with no values.
    pub fn new(msg: Msg) -> Self {
        Self { msg, args: Args::new() }
    }

    /// Adds a number.
    pub fn num(mut self, name: &str, value: u64) -> Self {
        self.args.insert(name.to_string(), Arg::Number(value));
        self
    }

    /// Adds a word or a name.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.insert(name.to_string(), Arg::Text(value.into()));
        self
    }

    /// Adds a list of messages.
    pub fn list(mut self, name: &str, items: impl IntoIterator<Item = impl Into<Said>>) -> Self {
        self.args.insert(name.to_string(), Arg::List(items.into_iter().map(Into::into).collect()));
        self
    }
}

impl From<Msg> for Problem {
    fn from(msg: Msg) -> Self {
        Problem::new(msg)
    }
}

/// `1234567` → `"1 234 567"`: digits grouped by three with a space, as sizes in messages are written.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Says messages in a language: the [`LOCALES`] files read into a [`Catalog`](crate::l10n::Catalog) (the app's catalog has its
/// own words too).
pub mod words {
    use super::{group, Arg, Args};
    use crate::l10n::{Catalog, Value};

    /// A catalog of the shared messages in the language `tag` (one of the tags in [`super::LOCALES`];
    /// English for any other).
    pub fn catalog(tag: &str) -> Catalog {
        let (tag, source) = super::LOCALES.iter().find(|(t, _)| *t == tag).unwrap_or(&super::LOCALES[0]);
        let mut catalog = Catalog::new(tag);
        catalog.add(source).expect("the shared locale files parse");
        catalog
    }

    /// `items` said one after the other, joined with `join-steps` for the steps of a plan and `join-list`
    /// for any other list.
    fn list(catalog: &Catalog, name: &str, items: &[super::Said]) -> String {
        let join = if name == "steps" { "join-steps" } else { "join-list" };
        let separator = catalog.format(join, &[]).unwrap_or_else(|| ", ".to_string());
        let said: Vec<String> = items
            .iter()
            .map(|item| format(catalog, &item.key, &item.args).unwrap_or_else(|| item.key.clone()))
            .collect();
        said.join(&separator)
    }

    /// `key` with `args` in English, from the shared files alone (for the English text stored and logged
    /// beside a message's key, by code that has no catalog of its own).
    pub fn english(key: &str, args: &Args) -> String {
        static ENGLISH: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        let catalog = ENGLISH.get_or_init(|| catalog("en"));
        format(catalog, key, args).unwrap_or_else(|| key.to_string())
    }

    /// The message `key` with `args` filled in, or `None` when the catalog doesn't have it. Sizes are grouped
    /// by three (`12 000`), and `retry_after` seconds become `wait`: minutes from a minute and a half on.
    pub fn format(catalog: &Catalog, key: &str, args: &Args) -> Option<String> {
        if !catalog.has(key) {
            return None;
        }
        let mut values: Vec<(&str, Value<'_>)> = Vec::with_capacity(args.len() + 1);
        for (name, value) in args {
            let value = match value {
                Arg::Number(n) if name == "width" || name == "height" => Value::from(group(*n)),
                Arg::Number(n) => Value::from(*n),
                Arg::Text(t) => Value::from(t),
                Arg::List(items) => Value::from(list(catalog, name, items)),
            };
            values.push((name.as_str(), value));
        }
        if let Some(secs) = args.get("retry_after").and_then(Arg::number) {
            let (wait_key, n) =
                if secs >= 90 { ("wait-minutes", secs.div_ceil(60)) } else { ("wait-seconds", secs.max(1)) };
            let wait = catalog.format(wait_key, &[("n", Value::from(n))]);
            values.push(("wait", Value::from(wait.unwrap_or_else(|| n.to_string()))));
        }
        catalog.format(key, &values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::Catalog;
    use std::collections::BTreeSet;

    fn bundle(tag: &str) -> Catalog {
        words::catalog(tag)
    }

    #[test]
    fn every_message_is_said_in_every_language_with_the_same_values() {
        let english = keys_and_variables(LOCALES[0].1);
        let messages: BTreeSet<&str> = Msg::ALL.iter().map(|m| m.key()).collect();
        assert_eq!(messages.len(), Msg::ALL.len(), "two messages share a key");
        // No words without a message, no message without words (waits and list joins go inside others).
        let worded: BTreeSet<&str> = english
            .keys()
            .map(String::as_str)
            .filter(|k| !k.starts_with("wait-") && !k.starts_with("join-"))
            .collect();
        assert_eq!(worded, messages);
        for (tag, source) in LOCALES {
            let keys = keys_and_variables(source);
            assert_eq!(keys.keys().collect::<Vec<_>>(), english.keys().collect::<Vec<_>>(), "{tag}");
            let bundle = bundle(tag);
            for msg in Msg::ALL {
                let vars = &keys[msg.key()];
                assert_eq!(vars, &english[msg.key()], "{tag} {} uses other values", msg.key());
                let mut args = Args::new();
                for var in vars {
                    let value = match var.as_str() {
                        "category" => Arg::Text("hate".into()),
                        "color" | "place" | "motion" | "detail" | "text" | "title" => Arg::Text("red".into()),
                        "steps" | "phrases" | "fields" | "sides" | "step" => {
                            Arg::List(vec![Msg::OpSepia.into(), Msg::OpDenoise.into()])
                        }
                        _ => Arg::Number(2),
                    };
                    args.insert(var.clone(), value);
                }
                let text = words::format(&bundle, msg.key(), &args).unwrap();
                assert!(!text.is_empty() && !text.contains('{') && !text.contains("error-"), "{tag}: {text}");
            }
        }
    }

    #[test]
    fn lists_are_joined_the_way_each_language_joins_them() {
        let steps = || {
            Problem::new(Msg::ReplyDone).list(
                "steps",
                [
                    Problem::new(Msg::OpGrayscale),
                    Problem::new(Msg::OpBorder).text("color", "gold").num("width", 20),
                    Problem::new(Msg::OpCropSquare),
                ],
            )
        };
        let say = |tag: &str, p: Problem| words::format(&bundle(tag), p.msg.key(), &p.args).unwrap();
        assert_eq!(say("en", steps()), "Done: black and white, then gold border 20 px, then crop square.");
        assert_eq!(say("zh-Hant", steps()), "完成：黑白，然後金色邊框 20 像素，然後裁成正方形。");
        assert_eq!(say("zh-Hans", steps()), "完成：黑白，然后金色边框 20 像素，然后裁成正方形。");
        let fields = Problem::new(Msg::RequestCorrected).list("fields", [Msg::FieldName, Msg::FieldEmail]);
        assert_eq!(say("en", fields.clone()), "corrected name, email");
        assert_eq!(say("zh-Hant", fields), "更正了姓名、電子郵件");
        // The English of code without a bundle, and a list as it travels (JSON).
        let said = Said::from(steps());
        assert_eq!(words::english(&said.key, &said.args), say("en", steps()));
        let json = serde_json::to_string(&said).unwrap();
        assert_eq!(serde_json::from_str::<Said>(&json).unwrap(), said);
        assert!(json.starts_with(r#"{"key":"reply-done","args":{"steps":[{"key":"op-grayscale"}"#), "{json}");
    }

    #[test]
    fn numbers_waits_and_categories_fill_in() {
        let say = |tag: &str, p: Problem| words::format(&bundle(tag), p.msg.key(), &p.args).unwrap();
        let wait = Problem::new(Msg::RateLimited).num("retry_after", 150);
        assert_eq!(say("en", wait.clone()), "Too many attempts. Please wait 3 minutes and try again.");
        assert_eq!(say("zh-Hant", wait), "嘗試次數過多。請等 3 分鐘後再試一次。");
        let one = Problem::new(Msg::RateLimited).num("retry_after", 1);
        assert_eq!(say("en", one), "Too many attempts. Please wait 1 second and try again.");
        let big =
            Problem::new(Msg::TooManyPixels).num("width", 12000).num("height", 9000).num("limit_mp", 40);
        assert!(say("zh-Hans", big).starts_with("这样会生成 12 000 × 9 000 的图片"));
        let refused = Problem::new(Msg::Refused).text("category", "self_harm");
        assert!(
            say("en", refused.clone()).ends_with("a local crisis line."),
            "{}",
            say("en", refused.clone())
        );
        assert!(say("zh-Hant", refused).contains("自殺或自我傷害"));
        let hate = say("en", Problem::new(Msg::Refused).text("category", "hate"));
        assert!(hate.ends_with("hate against a group of people. Please ask for something else."), "{hate}");
        assert_eq!(group(1_234_567), "1 234 567");
        assert_eq!(group(800), "800");
    }
}

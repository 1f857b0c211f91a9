use super::*;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::path::{Path, PathBuf};

fn catalog(tag: &str, source: &str) -> Catalog {
    let mut catalog = Catalog::new(tag);
    catalog.add(source).unwrap();
    catalog
}

/// Every `.ftl` file of the repository: the app's, the shared messages and the server's.
fn locale_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![];
    for dir in ["src/i18n", "crates/api/locales", "crates/server/locales"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "ftl") {
                files.push(entry.path());
            }
        }
    }
    assert!(files.len() >= 12, "{files:?}");
    files
}

/// The words a selector on `$name` may choose between, in `source`.
fn variant_words(source: &str) -> Vec<String> {
    let mut words: Vec<String> = source
        .lines()
        .filter_map(|l| l.trim_start().trim_start_matches('*').strip_prefix('['))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

#[test]
fn every_message_of_every_file_says_what_fluent_says() {
    let mut compared = 0;
    for path in locale_files() {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let tag = if name.starts_with("zh-Hant") {
            "zh-Hant"
        } else if name.starts_with("zh-Hans") {
            "zh-Hans"
        } else {
            "en"
        };
        let ours = catalog(tag, &source);
        let mut fluent = FluentBundle::new(vec![tag.parse().unwrap()]);
        fluent.set_use_isolating(false);
        fluent.add_resource(FluentResource::try_new(source.clone()).unwrap()).unwrap();
        let words = variant_words(&source);
        for (key, variables) in crate::problem::keys_and_variables(&source) {
            let message = fluent.get_message(&key).and_then(|m| m.value()).unwrap();
            // Every variable at a time takes every value a selector knows, several numbers and a word,
            // the others staying at 2; and once with nothing given.
            let mut cases: Vec<Vec<(String, Value<'static>)>> = vec![vec![]];
            for varied in &variables {
                let mut values: Vec<Value<'static>> =
                    [0, 1, 2, 5, 21, 1000].into_iter().map(Value::Number).collect();
                values.extend(words.iter().map(|w| Value::Text(w.clone().into())));
                values.push(Value::Text("ÿ words".into()));
                for value in values {
                    cases.push(
                        variables
                            .iter()
                            .map(|v| (v.clone(), if v == varied { value.clone() } else { Value::Number(2) }))
                            .collect(),
                    );
                }
            }
            for case in cases {
                let mut args = FluentArgs::new();
                for (name, value) in &case {
                    match value {
                        Value::Text(t) => args.set(name.as_str(), FluentValue::from(t.to_string())),
                        Value::Number(n) => args.set(name.as_str(), FluentValue::from(*n)),
                    }
                }
                let expected = fluent.format_pattern(message, Some(&args), &mut vec![]).into_owned();
                let values: Vec<(&str, Value<'_>)> =
                    case.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
                assert_eq!(ours.format(&key, &values).unwrap(), expected, "{name} {key} {case:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 3000, "only {compared} formats compared");
}

#[test]
fn indents_blank_lines_and_literals_follow_fluent() {
    let c = catalog(
        "en",
        "# a comment\n\nbody =\n    Hello { $name },\n\n      indented\n    {\"  \"}spaced\n\n\nnext = one\n  two   \n",
    );
    assert_eq!(c.format("body", &[("name", "Ann".into())]).unwrap(), "Hello Ann,\n\n  indented\n  spaced");
    assert_eq!(c.format("next", &[]).unwrap(), "one\ntwo");
    assert_eq!(c.format("body", &[]).unwrap(), "Hello {$name},\n\n  indented\n  spaced");
    assert_eq!(c.format("missing", &[]), None);
    assert!(c.has("next") && !c.has("missing"));
}

#[test]
fn selectors_pick_numbers_plurals_and_words() {
    let source = "n = { $n ->\n    [0] none\n    [one] one file\n   *[other] { $n } files\n}\nc = { $c ->\n    [red] rot\n   *[other] bunt\n} ende\n";
    let en = catalog("en", source);
    let say = |c: &Catalog, n: i64| c.format("n", &[("n", n.into())]).unwrap();
    assert_eq!([say(&en, 0), say(&en, 1), say(&en, 2)], ["none", "one file", "2 files"]);
    let zh = catalog("zh-Hant", source);
    assert_eq!(say(&zh, 1), "1 files", "Chinese has no singular");
    assert_eq!(en.format("c", &[("c", "red".into())]).unwrap(), "rot ende");
    assert_eq!(en.format("c", &[("c", "blue".into())]).unwrap(), "bunt ende");
    assert_eq!(en.format("c", &[]).unwrap(), "bunt ende");
}

#[test]
fn what_the_files_may_not_say_is_refused_with_its_line() {
    for (source, line, reason) in [
        ("a = x\n-term = y\n", 2, "terms are not supported"),
        ("a = x\n    .attr = y\n", 2, "attributes are not supported"),
        ("a = x\nb = { a }\n", 2, "only `{ $variable }` and `{ \"text\" }` are supported"),
        ("a = x }\n", 1, "a `}` that closes nothing"),
        ("a = x\na = y\n", 2, "this key is already defined"),
        ("a = { $n ->\n  [one] x\n}\n", 3, "a selector needs one default variant (`*[…]`)"),
        ("a =\n", 2, "the message has no text"),
        ("a = { \"open\n", 1, "the text in quotes never ends"),
        ("= x\n", 1, "expected a key (a letter first)"),
    ] {
        let err = Catalog::new("en").add(source).unwrap_err();
        assert_eq!((err.line, err.reason), (line, reason), "{source:?}");
    }
}

//! The export's `index.html`: the page a person opens offline, in the account's language (the words are in
//! `crates/server/locales/`; the data is shown as it is held). Plain HTML and inline CSS, no scripts.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use vinano_api::{Arg, Args};

/// Text made safe for HTML (element content and quoted attributes).
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A stored value as a person reads it: times (`*_at` columns) as UTC dates, nothing as a dash.
pub(super) fn shown(column: &str, value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::Number(n) if column.ends_with("_at") => match n.as_i64() {
            Some(ms) if ms > 0 => crate::clock::timestamp(ms).minute(),
            _ => "—".into(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What each table is, in words in `lang` (a table added later shows under its own name).
fn title_of(lang: &str, table: &str) -> String {
    let key = format!("export-table-{}", table.replace('_', "-"));
    let title = crate::i18n::text(lang, &key, &Args::new());
    if title != key {
        return title;
    }
    let words = table.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn rows<'a>(data: &'a Map<String, Value>, table: &str) -> &'a [Value] {
    data.get(table).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

fn field<'a>(row: &'a Value, column: &str) -> &'a str {
    row.get(column).and_then(Value::as_str).unwrap_or_default()
}

/// A message's text in the page's language: its stored key when it has one (what the editor said), else
/// the text as written.
fn message_text(lang: &str, message: &Value) -> String {
    match crate::i18n::said(message.get("text_said").and_then(Value::as_str).map(str::to_string)) {
        Some(said) => crate::i18n::text(lang, &said.key, &said.args),
        None => field(message, "text").to_string(),
    }
}

/// An image or clip of the archive, as the page shows it (`gone` when it is no longer held).
fn media(files: &HashMap<String, String>, image: &str, alt: &str, gone: &str) -> String {
    match files.get(image) {
        Some(file) if file.ends_with(".mp4") => {
            format!(
                "<video src=\"{0}\" controls muted playsinline></video><a href=\"{0}\">{0}</a>",
                esc(file)
            )
        }
        Some(file) => format!(
            "<a href=\"{0}\"><img src=\"{0}\" alt=\"{1}\" loading=\"lazy\"></a><a href=\"{0}\">{0}</a>",
            esc(file),
            esc(alt)
        ),
        None => format!("<p class=\"gone\">{}</p>", esc(gone)),
    }
}

/// The page a person opens offline: the account, each conversation with its images, every image, and every
/// other table as it is held. Plain HTML and inline CSS, no scripts.
pub(super) fn index_html(data: &Map<String, Value>, files: &HashMap<String, String>, now: i64) -> String {
    let user = rows(data, "users").first().cloned().unwrap_or(Value::Null);
    let lang = match field(&user, "language") {
        "" => "en",
        tag => tag,
    };
    let t = |key: &str, args: &[(&str, String)]| {
        let args: Args = args.iter().map(|(k, v)| (k.to_string(), Arg::Text(v.clone()))).collect();
        crate::i18n::text(lang, key, &args)
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>\
         body{{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1f;background:#fff}}\
         main{{max-width:72rem;margin:auto;padding:1.5rem}}h1{{margin-top:0}}\
         table{{border-collapse:collapse;width:100%;font-size:.9rem;margin-bottom:1.5rem}}\
         th,td{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}}\
         th{{background:#f0f0f4}}dl{{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}}\
         dt{{font-weight:600}}dd{{margin:0}}ol.thread{{list-style:none;padding:0}}\
         ol.thread li{{border-left:3px solid #ccc;padding:.25rem .75rem;margin:.5rem 0}}\
         ol.thread li.assistant{{border-color:#6b4eff}}img,video{{max-width:min(100%,24rem);display:block}}\
         .grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}}\
         figure{{margin:0}}figcaption{{font-size:.85rem;color:#555}}.gone{{color:#555;font-style:italic}}\
         @media (prefers-color-scheme:dark){{body{{background:#121216;color:#eee}}th{{background:#2a2a33}}\
         figcaption,.gone{{color:#bbb}}}}</style></head><body><main>\n\
         <h1>{}</h1>\n<p>{}</p>\n",
        esc(lang),
        esc(&t("export-title", &[])),
        esc(&t("export-title", &[])),
        t(
            "export-intro",
            &[
                ("name", esc(field(&user, "name"))),
                ("email", esc(field(&user, "email"))),
                ("when", esc(&shown("exported_at", &Value::from(now)))),
            ]
        ),
    );
    let others: Vec<&String> = data
        .keys()
        .filter(|t| !["users", "conversations", "messages", "images"].contains(&t.as_str()))
        .collect();
    let (account, conversations_title, images_title) =
        (title_of(lang, "users"), title_of(lang, "conversations"), title_of(lang, "images"));
    let _ = write!(
        page,
        "<nav aria-label=\"{}\"><ul><li><a href=\"#account\">{}</a></li>\
         <li><a href=\"#conversations\">{}</a></li><li><a href=\"#images\">{}</a></li>",
        esc(&t("export-contents", &[])),
        esc(&account),
        esc(&conversations_title),
        esc(&images_title)
    );
    for table in &others {
        let _ = write!(page, "<li><a href=\"#t-{}\">{}</a></li>", esc(table), esc(&title_of(lang, table)));
    }
    page.push_str("</ul></nav>\n");

    let _ = write!(page, "<section id=\"account\"><h2>{}</h2><dl>", esc(&account));
    if let Some(columns) = user.as_object() {
        for (column, value) in columns {
            let _ = write!(
                page,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&column.replace('_', " ")),
                esc(&shown(column, value))
            );
        }
    }
    page.push_str("</dl></section>\n");

    let conversations = rows(data, "conversations");
    let messages = rows(data, "messages");
    let none = format!("<p>{}</p>", esc(&t("export-none", &[])));
    let _ = write!(
        page,
        "<section id=\"conversations\"><h2>{} ({})</h2>",
        esc(&conversations_title),
        conversations.len()
    );
    if conversations.is_empty() {
        page.push_str(&none);
    }
    for conversation in conversations {
        let id = field(conversation, "id");
        let _ = write!(
            page,
            "<article><h3>{}</h3><p>{}</p><ol class=\"thread\">",
            esc(field(conversation, "title")),
            esc(&t(
                "export-thread-dates",
                &[
                    ("started", shown("created_at", &conversation["created_at"])),
                    ("updated", shown("updated_at", &conversation["updated_at"])),
                ]
            )),
        );
        let mut thread: Vec<&Value> = messages.iter().filter(|m| field(m, "conversation_id") == id).collect();
        thread.sort_by_key(|m| m["position"].as_i64().unwrap_or_default());
        for message in thread {
            let role = field(message, "role");
            let text = message_text(lang, message);
            let _ = write!(
                page,
                "<li class=\"{}\"><strong>{}</strong> · {}<p>{}</p>",
                esc(role),
                if role == "user" { esc(&t("export-you", &[])) } else { "ViNano".into() },
                esc(&shown("created_at", &message["created_at"])),
                esc(&text),
            );
            if let Some(image) = message["image_id"].as_str() {
                page.push_str(&media(files, image, &text, &t("export-image-gone", &[])));
            }
            page.push_str("</li>");
        }
        page.push_str("</ol></article>");
    }
    page.push_str("</section>\n");

    let images = rows(data, "images");
    let _ = write!(
        page,
        "<section id=\"images\"><h2>{} ({})</h2><div class=\"grid\">",
        esc(&images_title),
        images.len()
    );
    for image in images {
        let id = field(image, "id");
        let origin = match image["parent_id"].as_str() {
            Some(parent) => t("export-edited-from", &[("parent", parent.to_string())]),
            None => t("export-original", &[]),
        };
        let _ = write!(
            page,
            "<figure>{}<figcaption>{} · {}×{} · {} · {}</figcaption></figure>",
            media(files, id, &t("export-image-alt", &[("id", id.to_string())]), &t("export-image-gone", &[])),
            esc(&shown("created_at", &image["created_at"])),
            image["width"],
            image["height"],
            esc(field(image, "content_type")),
            esc(&origin),
        );
    }
    page.push_str("</div></section>\n");

    for table in others {
        let list = rows(data, table);
        let _ = write!(
            page,
            "<section id=\"t-{}\"><h2>{} ({})</h2>",
            esc(table),
            esc(&title_of(lang, table)),
            list.len()
        );
        let mut columns: Vec<&String> = Vec::new();
        for row in list {
            for column in row.as_object().into_iter().flat_map(|o| o.keys()) {
                if !columns.contains(&column) {
                    columns.push(column);
                }
            }
        }
        if list.is_empty() {
            page.push_str(&none);
            page.push_str("</section>\n");
            continue;
        }
        page.push_str("<table><thead><tr>");
        for column in &columns {
            let _ = write!(page, "<th scope=\"col\">{}</th>", esc(&column.replace('_', " ")));
        }
        page.push_str("</tr></thead><tbody>");
        for row in list {
            page.push_str("<tr>");
            for column in &columns {
                let _ = write!(page, "<td>{}</td>", esc(&shown(column, &row[column.as_str()])));
            }
            page.push_str("</tr>");
        }
        page.push_str("</tbody></table></section>\n");
    }
    page.push_str("</main></body></html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(language: &str) -> Map<String, Value> {
        let held = json!({
            "users": [{"name": "林<b>小美</b>", "email": "mei@example.com", "language": language}],
            "conversations": [{"id": "c1", "title": "海報", "created_at": 1_764_622_620_000_i64, "updated_at": 1_764_622_680_000_i64}],
            "messages": [
                {"conversation_id": "c1", "position": 1, "role": "user", "text": "調亮一點", "image_id": "i1", "created_at": 1_764_622_620_000_i64},
                {"conversation_id": "c1", "position": 2, "role": "assistant", "text": "Done: crop square.", "text_said": r#"{"key":"reply-done","args":{"steps":[{"key":"op-crop-square"}]}}"#, "image_id": "i2", "created_at": 1_764_622_640_000_i64}
            ],
            "images": [
                {"id": "i1", "parent_id": null, "width": 4, "height": 3, "content_type": "image/jpeg", "created_at": 1_764_622_620_000_i64},
                {"id": "i2", "parent_id": "i1", "width": 4, "height": 3, "content_type": "image/jpeg", "created_at": 1_764_622_640_000_i64}
            ],
            "consents": []
        });
        held.as_object().unwrap().clone()
    }

    #[test]
    fn the_page_is_written_in_the_accounts_language() {
        let files: HashMap<String, String> = [("i1".to_string(), "images/i1.jpg".to_string())].into();
        let page = index_html(&data("zh-Hant"), &files, 1_764_622_700_000);
        assert!(page.contains("<html lang=\"zh-Hant\">"), "{page}");
        assert!(page.contains("<h1>你的 ViNano 資料</h1>"), "{page}");
        assert!(
            page.contains("關於 <strong>林&lt;b&gt;小美&lt;/b&gt;</strong>（mei@example.com）"),
            "{page}"
        );
        assert!(
            page.contains("<h2>對話 (1)</h2>") && page.contains("<h2>同意紀錄 (0)</h2><p>無。</p>"),
            "{page}"
        );
        assert!(page.contains("開始於 2025-12-01 20:57 UTC，最後活動於 2025-12-01 20:58 UTC。"), "{page}");
        assert!(page.contains("<strong>你</strong>") && page.contains("由 i1 編輯而來"), "{page}");
        assert!(page.contains("這張圖片已不再保存。"), "i2's file is not in the archive: {page}");
        // What the editor said is written in the account's language from its stored key.
        assert!(page.contains("<p>完成：裁成正方形。</p>"), "{page}");
        assert!(!page.contains("<b>小美"), "{page}");

        let english = index_html(&data("en"), &files, 1_764_622_700_000);
        assert!(english.contains("<html lang=\"en\">") && english.contains("<h2>Conversations (1)</h2>"));
        assert!(english.contains("Started 2025-12-01 20:57 UTC, last activity 2025-12-01 20:58 UTC."));
        assert!(english.contains("<p>Done: crop square.</p>"), "{english}");
        // A table the page has no words for shows under its own name.
        assert_eq!(title_of("zh-Hans", "new_things"), "New things");
        assert_eq!(title_of("zh-Hans", "email_tokens"), "电子邮件链接");
    }
}

//! `/privacy`: the privacy policy in force, in English or Traditional Chinese (with its content-compliance
//! section), and — when it changed since the person last accepted it — a button to accept it.

use crate::api;
use crate::components::form::Submit;
use crate::components::requests::Requests;
use crate::components::ErrorAlert;
use crate::i18n::{use_i18n, Locale};
use crate::state::session::use_session;
use leptos::prelude::*;
use vinano_api::policy::privacy_text;

/// How a line of the policy text is shown.
enum Block {
    Title(String),
    Heading(String),
    Bullet(String),
    Text(String),
}

/// Reads the plain-text policy: the first line is the title, short lines standing alone are headings,
/// "•" lines are list items, the rest paragraphs.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if i == 0 {
            out.push(Block::Title(line.to_string()));
        } else if let Some(item) = line.strip_prefix('•') {
            out.push(Block::Bullet(item.trim().to_string()));
        } else {
            let alone = lines.get(i + 1).is_none_or(|next| next.trim().is_empty());
            let short = line.chars().count() <= 40 && !line.ends_with(['.', '。', ':', '：']);
            if alone && short {
                out.push(Block::Heading(line.to_string()));
            } else {
                out.push(Block::Text(line.to_string()));
            }
        }
    }
    out
}

fn render(text: &'static str) -> impl IntoView {
    let mut views = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush = |items: &mut Vec<String>, views: &mut Vec<AnyView>| {
        if !items.is_empty() {
            let list = std::mem::take(items);
            views.push(
                view! { <ul>{list.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
                    .into_any(),
            );
        }
    };
    for block in blocks(text) {
        match block {
            Block::Bullet(item) => items.push(item),
            other => {
                flush(&mut items, &mut views);
                views.push(match other {
                    Block::Title(t) => view! { <h1>{t}</h1> }.into_any(),
                    Block::Heading(t) => view! { <h2>{t}</h2> }.into_any(),
                    Block::Text(t) | Block::Bullet(t) => view! { <p>{t}</p> }.into_any(),
                });
            }
        }
    }
    flush(&mut items, &mut views);
    views
}

/// The policy page.
#[component]
pub fn PrivacyPolicy() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let language = RwSignal::new(if i18n.locale().tag().starts_with("zh") { "zh-Hant" } else { "en" });
    let version = RwSignal::new(None::<String>);
    let requests = Requests::new();
    requests.refresh(api::policy(), move |info| version.set(Some(info.version)));
    let accepting = Submit::new();
    let error = accepting.errors.general;
    let pending = move || session.me.with(|m| m.as_ref().and_then(|m| m.policy_update.clone()));
    let accept = move |_| accepting.run(api::accept_policy(), move |me| session.me.set(Some(me)));
    let tab = move |locale: Locale| {
        let code = locale.tag();
        view! {
            <button
                type="button"
                class="btn btn-ghost btn-small"
                aria-pressed=move || (language.get() == code).to_string()
                on:click=move |_| language.set(code)
                lang=code
            >
                {locale.name()}
            </button>
        }
    };
    view! {
        <section class="page policy">
            <div class="policy-tools">
                <div role="group" aria-label=i18n.t("policy-language")>
                    // The policy is written in these two.
                    {tab(Locale::En)}
                    {tab(Locale::ZhHant)}
                </div>
                {move || version.get().map(|v| view! { <p class="muted">{i18n.t_args("policy-version", [("version", v.into())])}</p> })}
            </div>
            {move || pending().map(|v| view! {
                <div class="notice policy-accept">
                    <p>{i18n.t_args("policy-accept-lead", [("version", v.into())])}</p>
                    <button type="button" class="btn btn-primary" on:click=accept disabled=move || accepting.pending.get()>{i18n.tr("policy-accept")}</button>
                    <ErrorAlert message=error/>
                </div>
            })}
            <article lang=move || language.get()>{move || render(privacy_text(language.get()))}</article>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_becomes_headings_lists_and_paragraphs() {
        let b = blocks(privacy_text("en"));
        assert!(matches!(&b[0], Block::Title(t) if t == "Privacy Policy"));
        assert!(b.iter().any(|x| matches!(x, Block::Heading(t) if t == "Data Retention")));
        assert!(b.iter().any(|x| matches!(x, Block::Heading(t) if t == "內容合規與用戶責任")));
        assert!(b.iter().any(|x| matches!(x, Block::Bullet(t) if t.starts_with("Images - Original"))));
        assert!(!b.iter().any(|x| matches!(x, Block::Heading(t) if t.starts_with("Welcome"))));
    }
}

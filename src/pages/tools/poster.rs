//! The poster maker (`/tools/poster`): size, words, look and colours, and an optional photo behind the
//! words; it ends in the editor with the poster made by the local engine.

use super::{start_in_editor, PhotoPicker, ToolPage};
use crate::components::form::{FieldMessage, FormErrors};
use crate::i18n::use_i18n;
use crate::state::start::Start;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{color_hex, PosterSize, PosterStyle, PosterTool, Tool};

/// Colour themes: (i18n key, top, bottom); `None` lets the style pick from the words.
const THEMES: [(&str, Option<[[u8; 3]; 2]>); 6] = [
    ("tools-poster-theme-auto", None),
    ("tools-poster-theme-sunset", Some([[250, 120, 30], [250, 200, 60]])),
    ("tools-poster-theme-ocean", Some([[30, 90, 180], [120, 200, 230]])),
    ("tools-poster-theme-forest", Some([[30, 110, 60], [150, 200, 110]])),
    ("tools-poster-theme-night", Some([[20, 20, 40], [80, 60, 140]])),
    ("tools-poster-theme-berry", Some([[150, 20, 70], [240, 110, 140]])),
];

fn size_key(size: PosterSize) -> &'static str {
    match size {
        PosterSize::Portrait => "tools-poster-size-portrait",
        PosterSize::Square => "tools-poster-size-square",
        PosterSize::Story => "tools-poster-size-story",
        PosterSize::Wide => "tools-poster-size-wide",
        PosterSize::A4 => "tools-poster-size-a4",
        PosterSize::A3 => "tools-poster-size-a3",
    }
}

fn style_key(style: PosterStyle) -> &'static str {
    match style {
        PosterStyle::Auto => "tools-poster-style-auto",
        PosterStyle::Circles => "tools-poster-style-circles",
        PosterStyle::Stripes => "tools-poster-style-stripes",
        PosterStyle::Dots => "tools-poster-style-dots",
    }
}

/// The poster maker's page.
#[component]
pub fn PosterMaker() -> impl IntoView {
    view! { <ToolPage title="tools-poster-title" about="tools-poster-about"><PosterForm/></ToolPage> }
}

#[component]
fn PosterForm() -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new();
    let (title, subtitle, line) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let size = RwSignal::new(PosterSize::Portrait);
    let style = RwSignal::new(PosterStyle::Auto);
    let theme = RwSignal::new(0usize);
    let ink = RwSignal::new("#ffffff".to_string());
    let photo = RwSignal::new(None::<web_sys::File>);
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty());
        let form = PosterTool {
            size: size.get_untracked(),
            title: title.get_untracked().trim().to_string(),
            subtitle: text(subtitle),
            line: text(line),
            style: style.get_untracked(),
            colors: THEMES[theme.get_untracked()].1.map(|c| c.map(color_hex).to_vec()).unwrap_or_default(),
            text_color: Some(ink.get_untracked()).filter(|c| c != "#ffffff"),
            photo: photo.with_untracked(Option::is_some),
        };
        if let Err(e) = form.check() {
            errors.invalid(i18n, e);
            return;
        }
        let size_words = i18n.t(size_key(form.size));
        let words = i18n.t_args(
            "tools-poster-summary",
            [("title", form.title.clone().into()), ("size", size_words.into())],
        );
        let files = photo.get_untracked().into_iter().collect();
        start_in_editor(
            &navigate,
            Start { text: words, files, tool: Some(Tool::Poster(form)), preset: None, image: None },
        );
    };
    let text_field = move |id: &'static str, label: &'static str, value: RwSignal<String>, required: bool| {
        view! {
            <label for=format!("poster-{id}")>{i18n.tr(label)}</label>
            <input
                id=format!("poster-{id}")
                name=id
                type="text"
                required=required
                maxlength=vinano_api::POSTER_TEXT_MAX.to_string()
                aria-invalid=errors.aria_invalid(id)
                aria-describedby=errors.described_by(id, None)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldMessage field=id errors=errors/>
        }
    };
    let sizes = PosterSize::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || size.get() == s>{i18n.tr(size_key(s))}</option> })
        .collect_view();
    let styles = PosterStyle::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || style.get() == s>{i18n.tr(style_key(s))}</option> })
        .collect_view();
    let themes = THEMES
        .into_iter()
        .enumerate()
        .map(|(i, (key, _))| {
            // Each theme's swatch is drawn by tools.css (inline styles are refused by the page's policy).
            let swatch = format!("swatch swatch-{}", key.trim_start_matches("tools-poster-theme-"));
            view! {
                <label class="swatch-choice">
                    <input type="radio" name="theme" checked=move || theme.get() == i on:change=move |_| theme.set(i)/>
                    <span class=swatch></span>
                    <span>{i18n.tr(key)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="form tool-form" on:submit=submit novalidate>
            {text_field("title", "tools-poster-field-title", title, true)}
            {text_field("subtitle", "tools-poster-field-subtitle", subtitle, false)}
            {text_field("line", "tools-poster-field-line", line, false)}
            <label for="poster-size">{i18n.tr("tools-poster-field-size")}</label>
            <select id="poster-size" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(s) = PosterSize::ALL.into_iter().find(|s| s.as_str() == v) {
                    size.set(s);
                }
            }>{sizes}</select>
            <label for="poster-style">{i18n.tr("tools-poster-field-style")}</label>
            <select id="poster-style" on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(s) = PosterStyle::ALL.into_iter().find(|s| s.as_str() == v) {
                    style.set(s);
                }
            }>{styles}</select>
            <fieldset class="swatches" aria-invalid=errors.aria_invalid("colors")>
                <legend>{i18n.tr("tools-poster-field-colors")}</legend>
                {themes}
            </fieldset>
            <FieldMessage field="colors" errors=errors/>
            <label for="poster-ink">{i18n.tr("tools-poster-field-ink")}</label>
            <input id="poster-ink" class="color-input" type="color" prop:value=move || ink.get() on:input=move |ev| ink.set(event_target_value(&ev))/>
            <FieldMessage field="text_color" errors=errors/>
            <span class="field-label">{i18n.tr("tools-poster-field-photo")}</span>
            <small class="hint">{i18n.tr("tools-poster-photo-hint")}</small>
            <PhotoPicker photo=photo/>
            <button type="submit" class="btn btn-primary">{i18n.tr("tools-poster-submit")}</button>
        </form>
    }
}

//! The composer's per-request parameters: aspect ratio, style preset, output format and how many variants. They start from
//! the person's stored defaults, and the server remembers each send's choices as the new defaults.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::{Aspect, EditParams, Format, Style};

/// Four labelled menus bound to `params`.
#[component]
pub fn ParamsBar(
    /// The parameters the next instruction is sent with.
    params: RwSignal<EditParams>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="params">
            <legend class="visually-hidden">{i18n.tr("param-legend")}</legend>
            {menu("param-aspect", &Aspect::ALL, Aspect::as_str, aspect_key, move || params.get().aspect, move |a| {
                params.update(|p| p.aspect = a)
            })}
            {menu("param-style", &Style::ALL, Style::as_str, style_key, move || params.get().style, move |s| {
                params.update(|p| p.style = s)
            })}
            {menu("param-format", &Format::ALL, Format::as_str, format_key, move || params.get().format, move |f| {
                params.update(|p| p.format = f)
            })}
            {menu("param-variants", &VARIANTS, variants_wire, variants_key, move || params.get().variants, move |n| {
                params.update(|p| p.variants = n)
            })}
        </fieldset>
    }
}

/// One labelled `<select>` over `choices`, shown with their i18n labels and sent as their wire names.
fn menu<T: Copy + Send + Sync + 'static>(
    label: &'static str,
    choices: &'static [T],
    wire: fn(T) -> &'static str,
    text: fn(T) -> &'static str,
    current: impl Fn() -> T + Send + Sync + 'static,
    choose: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let options =
        choices.iter().map(|&c| view! { <option value=wire(c)>{i18n.t(text(c))}</option> }).collect_view();
    view! {
        <label>
            <span>{i18n.t(label)}</span>
            <select
                prop:value=move || wire(current())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(&c) = choices.iter().find(|&&c| wire(c) == value) {
                        choose(c);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
}

/// How many candidates can be asked for.
const VARIANTS: [u8; 4] = [1, 2, 3, 4];

fn variants_wire(n: u8) -> &'static str {
    ["1", "2", "3", "4"][usize::from(n.clamp(1, 4) - 1)]
}

fn variants_key(n: u8) -> &'static str {
    ["param-variants-1", "param-variants-2", "param-variants-3", "param-variants-4"]
        [usize::from(n.clamp(1, 4) - 1)]
}

fn aspect_key(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Original => "param-aspect-original",
        Aspect::Square => "param-aspect-square",
        Aspect::Landscape => "param-aspect-landscape",
        Aspect::Portrait => "param-aspect-portrait",
        Aspect::Wide => "param-aspect-wide",
        Aspect::Tall => "param-aspect-tall",
    }
}

fn style_key(style: Style) -> &'static str {
    match style {
        Style::None => "param-style-none",
        Style::Vivid => "param-style-vivid",
        Style::Mono => "param-style-mono",
        Style::Bright => "param-style-bright",
        Style::Soft => "param-style-soft",
    }
}

fn format_key(format: Format) -> &'static str {
    match format {
        Format::Auto => "param-format-auto",
        Format::Jpeg => "param-format-jpeg",
        Format::Png => "param-format-png",
        Format::Webp => "param-format-webp",
    }
}

/// The composer's settings button: what the next instruction is sent with, as small chips for the
/// values that differ from the usual (the settings themselves open below).
#[component]
pub fn SettingsButton(
    /// Whether the settings are shown.
    open: RwSignal<bool>,
    /// The parameters the next instruction is sent with.
    params: RwSignal<EditParams>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chips = move || {
        let p = params.get();
        let mut chips = Vec::new();
        if p.aspect != Aspect::Original {
            chips.push(i18n.t(aspect_key(p.aspect)));
        }
        if p.style != Style::None {
            chips.push(i18n.t(style_key(p.style)));
        }
        if p.format != Format::Auto {
            chips.push(i18n.t(format_key(p.format)));
        }
        // Short, for a phone's composer row: "×4".
        if p.variants > 1 {
            chips.push(format!("×{}", p.variants));
        }
        chips
    };
    view! {
        <button
            type="button"
            class="btn btn-ghost icon-button settings-button"
            aria-expanded=move || open.get().to_string()
            aria-controls="composer-settings"
            title=i18n.tr("image-settings")
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <span aria-hidden="true">"⚙"</span>
            <span class="visually-hidden">{i18n.tr("image-settings")}</span>
            {move || chips().into_iter().map(|c| view! { <span class="chip">{c}</span> }).collect_view()}
        </button>
    }
}

/// The settings of the next instruction: aspect, style, format and the upload size — a sheet on phones,
/// a panel above the composer on larger screens. Escape or "Done" closes it.
#[component]
pub fn Settings(
    /// Whether the settings are shown.
    open: RwSignal<bool>,
    /// The parameters the next instruction is sent with.
    params: RwSignal<EditParams>,
    /// The draft's attachments (their upload size).
    attachments: crate::components::attachments::Attachments,
    /// More settings (where the edit runs).
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    crate::components::overlay::close_on_escape(open);
    view! {
        <div
            id="composer-settings"
            class="composer-settings"
            role="group"
            aria-label=i18n.tr("image-settings")
            hidden=move || !open.get()
        >
            <ParamsBar params=params/>
            <crate::components::attachments::UploadSize attachments=attachments/>
            {children()}
            <button type="button" class="btn btn-primary btn-small settings-done" on:click=move |_| open.set(false)>
                {i18n.tr("image-settings-done")}
            </button>
        </div>
    }
}

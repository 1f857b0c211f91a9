//! A preset's icon (`vinano_api::PresetIcon`), drawn as a line icon (Feather, MIT) so it shows where no
//! emoji font is installed.

use leptos::prelude::*;
use vinano_api::PresetIcon;

/// The icon's outline, as an SVG path.
fn path(icon: PresetIcon) -> &'static str {
    match icon {
        PresetIcon::Star => "M12 2l3.09 6.26L22 9.27l-5 4.87 1.18 6.88L12 17.77l-6.18 3.25L7 14.14 2 9.27l6.91-1.01L12 2z",
        PresetIcon::Heart => "M20.84 4.61a5.5 5.5 0 0 0-7.78 0L12 5.67l-1.06-1.06a5.5 5.5 0 0 0-7.78 7.78l1.06 1.06L12 21.23l7.78-7.78 1.06-1.06a5.5 5.5 0 0 0 0-7.78z",
        PresetIcon::Sun => "M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 1v2M12 21v2M4.22 4.22l1.42 1.42M18.36 18.36l1.42 1.42M1 12h2M21 12h2M4.22 19.78l1.42-1.42M18.36 5.64l1.42-1.42",
        PresetIcon::Moon => "M21 12.79A9 9 0 1 1 11.21 3 7 7 0 0 0 21 12.79z",
        PresetIcon::Bolt => "M13 2L3 14h9l-1 8 10-12h-9l1-8z",
        PresetIcon::Drop => "M12 2.69l5.66 5.66a8 8 0 1 1-11.31 0z",
        PresetIcon::Camera => "M23 19a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h4l2-3h6l2 3h4a2 2 0 0 1 2 2zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z",
        PresetIcon::Picture => "M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zM8.5 10a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM21 15l-5-5L5 21",
    }
}

/// The icon, decorative (its name is said by what it stands beside).
#[component]
pub fn PresetGlyph(
    /// Which icon.
    icon: PresetIcon,
) -> impl IntoView {
    view! {
        <svg class="preset-glyph" aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none"
            stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d=path(icon)/>
        </svg>
    }
}

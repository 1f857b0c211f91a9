//! A preset's icon (`vinano_api::PresetIcon`): a line icon (Feather, MIT) drawn by the stylesheet of the
//! page that shows it (`editor.css`, `tools.css`), so it shows where no emoji font is installed and its
//! outline isn't in the app's code.

use leptos::prelude::*;
use vinano_api::PresetIcon;

/// The icon, decorative (its name is said by what it stands beside).
#[component]
pub fn PresetGlyph(
    /// Which icon.
    icon: PresetIcon,
) -> impl IntoView {
    view! { <span class=format!("preset-glyph preset-glyph-{}", icon.as_str()) aria-hidden="true"></span> }
}

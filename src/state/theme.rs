//! Light, dark, or what the system says: the person's choice, remembered in this browser. It is applied as
//! `data-theme` on `<html>`, which the style sheet's `color-scheme` follows; without a choice, the system's
//! setting decides.

const KEY: &str = "vinano.theme";

/// An appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Whatever the system asks for.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Every appearance, in the order they are offered.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The appearance a stored name means (the system's for anything else).
    pub fn parse(name: &str) -> Theme {
        Theme::ALL.into_iter().find(|t| t.as_str() == name).unwrap_or(Theme::System)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered appearance.
pub fn load() -> Theme {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).map_or(Theme::System, |name| Theme::parse(&name))
}

/// Shows the page in `theme`.
pub fn apply(theme: Theme) {
    let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
        return;
    };
    let _ = match theme {
        Theme::System => html.remove_attribute("data-theme"),
        other => html.set_attribute("data-theme", other.as_str()),
    };
}

/// Shows the page in `theme` and remembers it (a storage failure only means it isn't remembered).
pub fn choose(theme: Theme) {
    apply(theme);
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, theme.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_anything_else_is_the_system() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), t);
        }
        assert_eq!(Theme::parse("purple"), Theme::System);
    }
}

//! Per-request edit parameters (aspect ratio, style preset, output format) and the stored defaults.

use serde::{Deserialize, Serialize};

/// The result's aspect ratio: a centre crop applied after the instruction's own steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Aspect {
    /// Keep whatever the instruction produced.
    #[default]
    #[serde(rename = "original")]
    Original,
    /// 1:1.
    #[serde(rename = "1:1")]
    Square,
    /// 4:3 landscape.
    #[serde(rename = "4:3")]
    Landscape,
    /// 3:4 portrait.
    #[serde(rename = "3:4")]
    Portrait,
    /// 16:9 widescreen.
    #[serde(rename = "16:9")]
    Wide,
    /// 9:16, phone stories.
    #[serde(rename = "9:16")]
    Tall,
}

impl Aspect {
    /// Every choice, in menu order.
    pub const ALL: [Aspect; 6] =
        [Aspect::Original, Aspect::Square, Aspect::Landscape, Aspect::Portrait, Aspect::Wide, Aspect::Tall];

    /// Width and height parts of the ratio; `None` for the original.
    pub fn ratio(self) -> Option<(u32, u32)> {
        match self {
            Aspect::Original => None,
            Aspect::Square => Some((1, 1)),
            Aspect::Landscape => Some((4, 3)),
            Aspect::Portrait => Some((3, 4)),
            Aspect::Wide => Some((16, 9)),
            Aspect::Tall => Some((9, 16)),
        }
    }

    /// The wire name ("original", "16:9", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Original => "original",
            Aspect::Square => "1:1",
            Aspect::Landscape => "4:3",
            Aspect::Portrait => "3:4",
            Aspect::Wide => "16:9",
            Aspect::Tall => "9:16",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// A style preset applied after the instruction (and the aspect crop).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// No preset.
    #[default]
    None,
    /// More contrast.
    Vivid,
    /// Black and white.
    Mono,
    /// Lighter.
    Bright,
    /// Less contrast.
    Soft,
}

impl Style {
    /// Every choice, in menu order.
    pub const ALL: [Style; 5] = [Style::None, Style::Vivid, Style::Mono, Style::Bright, Style::Soft];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::None => "none",
            Style::Vivid => "vivid",
            Style::Mono => "mono",
            Style::Bright => "bright",
            Style::Soft => "soft",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The file format of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// JPEG for photos, PNG when the image has transparency.
    #[default]
    Auto,
    /// JPEG.
    Jpeg,
    /// PNG (lossless).
    Png,
    /// WebP (lossless).
    Webp,
}

impl Format {
    /// Every choice, in menu order.
    pub const ALL: [Format; 4] = [Format::Auto, Format::Jpeg, Format::Png, Format::Webp];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// The most variants one instruction may ask for.
pub const MAX_VARIANTS: u8 = 4;

/// The most other images one instruction may come with besides the photo it edits ("image 2" to "image 4").
pub const MAX_REFERENCES: usize = 3;

/// The parameters sent with an instruction. Missing fields mean the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read by the schema: every field may be left out (the reading below fills in the defaults).
#[serde(default)]
pub struct EditParams {
    /// Aspect ratio of the result.
    pub aspect: Aspect,
    /// Style preset.
    pub style: Style,
    /// File format of the result.
    pub format: Format,
    /// How many candidates to make, 1 to [`MAX_VARIANTS`]: each is its own version (siblings in the version
    /// tree), shown side by side to pick from, and each is priced.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4))]
    pub variants: u8,
}

impl Default for EditParams {
    fn default() -> Self {
        Self { aspect: Aspect::default(), style: Style::default(), format: Format::default(), variants: 1 }
    }
}

/// [`EditParams`] as read: from an object only (serde would also read a struct from an array of its fields
/// in order, and from an empty array as the defaults).
impl<'de> Deserialize<'de> for EditParams {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(default)]
        struct Fields {
            aspect: Aspect,
            style: Style,
            format: Format,
            variants: u8,
        }
        impl Default for Fields {
            fn default() -> Self {
                let EditParams { aspect, style, format, variants } = EditParams::default();
                Fields { aspect, style, format, variants }
            }
        }
        struct ObjectOnly;
        impl<'de> serde::de::Visitor<'de> for ObjectOnly {
            type Value = EditParams;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object with aspect, style and format")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<EditParams, A::Error> {
                let Fields { aspect, style, format, variants } =
                    Fields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(EditParams { aspect, style, format, variants })
            }
        }
        deserializer.deserialize_map(ObjectOnly)
    }
}

/// `GET/PUT /api/v1/me/preferences`: the person's defaults, updated to their last choices on every send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Preferences {
    /// Parameters pre-selected in the composer.
    pub edit: EditParams,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        let p = EditParams { aspect: Aspect::Wide, style: Style::Mono, format: Format::Webp, variants: 3 };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"aspect":"16:9","style":"mono","format":"webp","variants":3}"#);
        assert_eq!(serde_json::from_str::<EditParams>(r#"{"aspect":"16:9"}"#).unwrap().variants, 1);
        assert_eq!(serde_json::from_str::<EditParams>(&json).unwrap(), p);
        assert_eq!(serde_json::from_str::<EditParams>("{}").unwrap(), EditParams::default());
        assert!(serde_json::from_str::<EditParams>(r#"{"aspect":"5:4"}"#).is_err());
        // Found by schemathesis: an array was read as the fields in order (an empty one as the defaults).
        assert!(serde_json::from_str::<EditParams>("[]").is_err());
        assert!(serde_json::from_str::<EditParams>(r#"["16:9","mono","webp"]"#).is_err());
        let wrapped = serde_json::from_str::<Preferences>(r#"{"edit":[]}"#);
        assert!(wrapped.is_err_and(|e| e.to_string().contains("an object with aspect, style and format")));
        for a in Aspect::ALL {
            assert_eq!(Aspect::parse(a.as_str()), Some(a));
        }
        for s in Style::ALL {
            assert_eq!(Style::parse(s.as_str()), Some(s));
        }
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
    }
}

//! Moments as the API sends them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment as the API sends it: RFC 3339 in UTC (`2026-12-01T20:57:03.123Z`), with the two ways people
/// read it ([`Timestamp::date`], [`Timestamp::minute`]) so no page slices strings itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = DateTime))]
#[serde(transparent)]
pub struct Timestamp(pub String);

impl Timestamp {
    /// The RFC 3339 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The day: `2026-12-01`.
    pub fn date(&self) -> &str {
        self.0.get(..10).unwrap_or(&self.0)
    }

    /// To the minute, as people read it in a list or an email: `2026-12-01 20:57 UTC`.
    pub fn minute(&self) -> String {
        match (self.0.get(..10), self.0.get(11..16)) {
            (Some(day), Some(time)) => format!("{day} {time} UTC"),
            _ => self.0.clone(),
        }
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_as_a_day_or_to_the_minute_and_travels_as_text() {
        let t = Timestamp::from("2026-12-01T20:57:03.123Z".to_string());
        assert_eq!(t.date(), "2026-12-01");
        assert_eq!(t.minute(), "2026-12-01 20:57 UTC");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-12-01T20:57:03.123Z\"");
        assert_eq!(Timestamp::from("soon".to_string()).minute(), "soon");
    }
}

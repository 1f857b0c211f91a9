//! Versions of the statements people accept. A material change bumps the version; the acceptance is recorded
//! with the version and the time.

/// The terms of service.
pub const TERMS_VERSION: &str = "2025-01";
/// The privacy policy (`../shared/seed/privacy-policy.txt`, effective January 2025).
pub const PRIVACY_VERSION: &str = "2025-01";
/// The user-responsibility statement: people are responsible for the content they upload and request.
pub const RESPONSIBILITY_VERSION: &str = "2025-01";

/// The privacy policy's text in a language (`en` or `zh-Hant`; Simplified Chinese readers get the
/// Traditional text, which carries the content-compliance section in its original wording).
pub fn privacy_text(language: &str) -> &'static str {
    match language {
        "zh-Hant" | "zh-Hans" => include_str!("../policy/2025-01.zh-Hant.txt"),
        _ => include_str!("../policy/2025-01.en.txt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_texts_carry_the_content_compliance_section() {
        for language in ["en", "zh-Hant"] {
            let text = privacy_text(language);
            assert!(text.contains("內容合規與用戶責任"), "{language}");
            assert!(text.contains("用戶責任聲明"), "{language}");
        }
        assert!(privacy_text("en").starts_with("Privacy Policy"));
        assert!(privacy_text("zh-Hant").starts_with("隱私權政策"));
        assert!(
            privacy_text("en").contains("Images - Original and processed images are retained for 90 days")
        );
        assert!(privacy_text("zh-Hant").contains("保存 90 天"));
    }
}

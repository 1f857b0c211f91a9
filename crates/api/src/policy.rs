//! Versions of the statements people accept. A material change bumps the version; the acceptance is recorded
//! with the version and the time.

/// The terms of service.
pub const TERMS_VERSION: &str = "2025-01";
/// The privacy policy (`../shared/seed/privacy-policy.txt`, effective January 2025).
pub const PRIVACY_VERSION: &str = "2025-01";
/// The user-responsibility statement: people are responsible for the content they upload and request.
pub const RESPONSIBILITY_VERSION: &str = "2025-01";

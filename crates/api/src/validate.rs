//! Input rules shared by the SPA (instant feedback) and the server (authoritative).
//!
//! Each function returns the field at fault and a [`Problem`] to show next to it, in the person's language.

use crate::problem::{Msg, Problem};
use crate::{Date, ProfileUpdate, SignupRequest};

/// Interface languages.
pub const LANGUAGES: [&str; 3] = ["en", "zh-Hant", "zh-Hans"];

/// People younger than this may not sign up (privacy policy, "Children's Privacy").
pub const MINIMUM_AGE: i32 = 13;
/// Shortest accepted password (NIST SP 800-63B).
pub const PASSWORD_MIN: usize = 8;
/// Longest accepted password; beyond this hashing cost becomes a denial-of-service lever.
pub const PASSWORD_MAX: usize = 128;
/// Longest accepted instruction text.
pub const PROMPT_MAX: usize = 2000;

/// Longest display name.
pub const NAME_MAX: u64 = 100;
/// Shortest and longest username.
pub const USERNAME_LEN: (u64, u64) = (3, 30);

/// A field that failed validation and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field name as in the request body.
    pub field: &'static str,
    /// What to tell the person.
    pub problem: Problem,
}

impl FieldError {
    /// `problem` about `field`.
    pub fn new(field: &'static str, problem: impl Into<Problem>) -> Self {
        Self { field, problem: problem.into() }
    }

    /// True when the failure is the age gate, which the API reports with its own code.
    pub fn is_under_age(&self) -> bool {
        self.problem.msg == Msg::UnderAge
    }
}

/// Checks a display name.
pub fn name(value: &str) -> Result<(), FieldError> {
    let n = value.trim().chars().count();
    if n == 0 {
        return Err(FieldError::new("name", Msg::NameEmpty));
    }
    if n as u64 > NAME_MAX {
        return Err(FieldError::new("name", Problem::new(Msg::NameTooLong).num("max", NAME_MAX)));
    }
    Ok(())
}

/// Checks an email address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn email(value: &str) -> Result<(), FieldError> {
    let v = value.trim();
    let bad = || FieldError::new("email", Msg::EmailInvalid);
    if v.len() > 254 || v.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(())
}

/// Checks a username: 3-30 characters of ASCII letters, digits, `_`, `.` or `-`, starting with a letter or digit.
pub fn username(value: &str) -> Result<(), FieldError> {
    let v = value.trim();
    let len = v.chars().count();
    let (min, max) = USERNAME_LEN;
    if !(min..=max).contains(&(len as u64)) {
        let problem = Problem::new(Msg::UsernameLength).num("min", min).num("max", max);
        return Err(FieldError::new("username", problem));
    }
    let ok_chars = v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    let ok_start = v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !ok_chars || !ok_start {
        return Err(FieldError::new("username", Msg::UsernameCharacters));
    }
    Ok(())
}

/// Checks a password's length (no composition rules, per NIST SP 800-63B).
pub fn password(value: &str) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < PASSWORD_MIN {
        let problem = Problem::new(Msg::PasswordTooShort).num("min", PASSWORD_MIN as u64);
        return Err(FieldError::new("password", problem));
    }
    if n > PASSWORD_MAX {
        let problem = Problem::new(Msg::PasswordTooLong).num("max", PASSWORD_MAX as u64);
        return Err(FieldError::new("password", problem));
    }
    #[cfg(feature = "common-passwords")]
    if is_common_password(value) {
        return Err(FieldError::new("password", Msg::PasswordCommon));
    }
    Ok(())
}

/// True when the password (ignoring case) is in the bundled list of 11,611 common and breached passwords
/// (see `data/common-passwords.LICENSE.txt`). Only the server carries the list; the SPA checks length and
/// shows the server's answer.
#[cfg(feature = "common-passwords")]
pub fn is_common_password(value: &str) -> bool {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| include_str!("../data/common-passwords.txt").lines().collect());
    list.contains(value.to_lowercase().as_str())
}

/// Parses a birth date and applies the age gate against `today`.
pub fn date_of_birth(value: &str, today: Date) -> Result<Date, FieldError> {
    let dob: Date = value.parse().map_err(|_| FieldError::new("date_of_birth", Msg::DateOfBirthFormat))?;
    let age = dob.age_on(today);
    if !(0..=130).contains(&age) {
        return Err(FieldError::new("date_of_birth", Msg::DateOfBirthUnreal));
    }
    if age < MINIMUM_AGE {
        let problem = Problem::new(Msg::UnderAge).num("age", MINIMUM_AGE as u64);
        return Err(FieldError::new("date_of_birth", problem));
    }
    Ok(dob)
}

/// Checks an instruction text.
pub fn prompt(value: &str) -> Result<(), FieldError> {
    let n = value.trim().chars().count();
    if n == 0 {
        return Err(FieldError::new("text", Msg::PromptEmpty));
    }
    if n > PROMPT_MAX {
        let problem = Problem::new(Msg::PromptTooLong).num("max", PROMPT_MAX as u64);
        return Err(FieldError::new("text", problem));
    }
    Ok(())
}

/// Checks how many variants an instruction asks for: 1 to [`crate::MAX_VARIANTS`].
pub fn variants(value: u8) -> Result<(), FieldError> {
    if (1..=crate::params::MAX_VARIANTS).contains(&value) {
        return Ok(());
    }
    let problem = Problem::new(Msg::VariantsRange).num("max", u64::from(crate::params::MAX_VARIANTS));
    Err(FieldError::new("params.variants", problem))
}

/// Checks the other images sent with an instruction: at most [`crate::MAX_REFERENCES`].
pub fn references(ids: &[String]) -> Result<(), FieldError> {
    if ids.len() <= crate::params::MAX_REFERENCES {
        return Ok(());
    }
    let problem = Problem::new(Msg::ReferencesTooMany).num("max", crate::params::MAX_REFERENCES as u64 + 1);
    Err(FieldError::new("references", problem))
}

/// Checks a whole signup form; returns the first problem, or the parsed birth date.
pub fn signup(req: &SignupRequest, today: Date) -> Result<Date, FieldError> {
    name(&req.name)?;
    email(&req.email)?;
    username(&req.username)?;
    password(&req.password)?;
    let dob = date_of_birth(&req.date_of_birth, today)?;
    if req.language.as_deref().is_some_and(|v| !LANGUAGES.contains(&v)) {
        return Err(FieldError::new("language", Msg::Language));
    }
    if let Some(zone) = &req.time_zone {
        time_zone(zone)?;
    }
    if !req.accept_terms {
        return Err(FieldError::new("accept_terms", Msg::AcceptTerms));
    }
    if !req.accept_privacy {
        return Err(FieldError::new("accept_privacy", Msg::AcceptPrivacy));
    }
    if !req.accept_responsibility {
        return Err(FieldError::new("accept_responsibility", Msg::AcceptResponsibility));
    }
    Ok(dob)
}

/// Checks an IANA time zone name such as `UTC` or `America/Argentina/Buenos_Aires`.
pub fn time_zone(value: &str) -> Result<(), FieldError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.split('/').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
        && value.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new("time_zone", Msg::TimeZone))
    }
}

/// Checks the fields of a profile correction that are present.
pub fn profile(req: &ProfileUpdate) -> Result<(), FieldError> {
    if let Some(v) = &req.name {
        name(v)?;
    }
    if let Some(v) = &req.username {
        username(v)?;
    }
    if let Some(v) = &req.email {
        email(v)?;
    }
    if let Some(v) = &req.language {
        if !LANGUAGES.contains(&v.as_str()) {
            return Err(FieldError::new("language", Msg::Language));
        }
    }
    if let Some(v) = &req.time_zone {
        time_zone(v)?;
    }
    if let Some(v) = &req.date_of_birth {
        v.parse::<Date>().map_err(|_| FieldError::new("date_of_birth", Msg::DateOfBirthFormat))?;
    }
    if let Some(v) = &req.avatar_image_id {
        if v.len() > 64 || !v.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(FieldError::new("avatar_image_id", Msg::Avatar));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_and_profiles() {
        for ok in ["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Taipei"] {
            assert!(time_zone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "utc", "Europe//Paris", "../etc/passwd", "Europe/Paris; DROP", &"A".repeat(65)] {
            assert!(time_zone(bad).is_err(), "{bad}");
        }
        assert!(profile(&ProfileUpdate { language: Some("zh-Hant".into()), ..Default::default() }).is_ok());
        assert_eq!(
            profile(&ProfileUpdate { language: Some("fr".into()), ..Default::default() }).unwrap_err().field,
            "language"
        );
        assert_eq!(
            profile(&ProfileUpdate { email: Some("nope".into()), ..Default::default() }).unwrap_err().field,
            "email"
        );
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@b.", "a@.b", "a b@c.de", "a@b@c.de", "a@b..c"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        assert!(username("ada_99").is_ok());
        assert!(username("ab").is_err());
        assert!(username("_ada").is_err());
        assert!(username("ada lovelace").is_err());
        assert!(username(&"a".repeat(31)).is_err());
    }

    #[test]
    #[cfg(feature = "common-passwords")]
    fn common_passwords_are_refused() {
        for common in ["password", "Password1", "12345678", "iloveyou", "QWERTYUIOP", "trustno1"] {
            let e = password(common).unwrap_err();
            assert_eq!(e.problem.msg, Msg::PasswordCommon, "{common}");
        }
        assert!(password("correct horse battery staple").is_ok());
        let count = include_str!("../data/common-passwords.txt").lines().count();
        assert!(count >= 10_000, "{count}");
    }

    #[test]
    fn passwords_by_length_only() {
        assert!(password("1234567").is_err());
        assert!(password("abcdefgh").is_ok());
        assert!(password(&"x".repeat(128)).is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn age_gate() {
        let today: Date = "2026-11-29".parse().unwrap();
        assert!(date_of_birth("2013-11-29", today).is_ok());
        let e = date_of_birth("2013-11-30", today).unwrap_err();
        assert!(e.is_under_age());
        assert_eq!(e.problem, Problem::new(Msg::UnderAge).num("age", 13));
        assert!(!date_of_birth("2030-01-01", today).unwrap_err().is_under_age());
        assert!(!date_of_birth("yesterday", today).unwrap_err().is_under_age());
    }
}

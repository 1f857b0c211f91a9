//! Credentials: password hashing and server-side sessions (the account itself is the `users` row; its
//! profile is `http/account.rs`, its data and deletion `rights`).

use crate::ids;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// Absolute lifetime of a session: after it, log in again however active the session was.
pub const SESSION_LIFETIME_SECS: i64 = 30 * 24 * 3600;

/// Idle timeout: a session unused for this long ends.
pub const SESSION_IDLE_SECS: i64 = 7 * 24 * 3600;

/// A short description of a browser from its `User-Agent`, such as "Firefox on Windows".
pub fn describe_user_agent(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| *name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_string(),
        (None, Some(o)) => o.to_string(),
        (None, None) if agent.is_empty() => "Unknown device".to_string(),
        (None, None) => agent.chars().take(60).collect(),
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).expect("valid params"))
}

/// Hashes a password with argon2id and a random salt (PHC string format).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing cannot fail with valid params")
        .to_string()
}

/// Checks a password against a stored PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a password nobody has, checked when the account does not exist so that a wrong username
/// takes as long as a wrong password (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&ids::random_hex(16)))
}

/// A new session token (256 bits) and the hash under which it is stored: the database never holds a
/// usable token.
pub fn new_session_token() -> (String, String) {
    let token = ids::random_hex(32);
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a session token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("correct horse");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsf", &a));
        assert_ne!(a, hash_password("correct horse"));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn user_agents_are_described_briefly() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
                "Safari on macOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
            ("curl/8.5.0", "curl/8.5.0"),
            ("", "Unknown device"),
        ];
        for (agent, expected) in cases {
            assert_eq!(describe_user_agent(agent), expected, "{agent}");
        }
    }

    #[test]
    fn tokens_are_stored_hashed() {
        let (token, hash) = new_session_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, hash);
        assert_eq!(hash_token(&token), hash);
    }
}

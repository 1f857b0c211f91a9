//! The token a partner's server makes for one of its users: a JWT (RFC 7519) signed with HS256 and the
//! partner's secret, so any JWT library can make it.
//!
//! Claims: `iss` the partner's id, `sub` the partner's own id for the user (1–128 characters), `aud` this
//! ViNano's address (its public URL), `iat` and `exp` in seconds with `exp` at most [`MAX_LIFETIME_SECS`]
//! after `iat`, and `jti` a nonce of 16–128 characters: the token is exchanged for a widget session once.
//! Anything else about the header than `alg: HS256` is refused (no `none`, no key ids, no other algorithms).

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The longest a token may live.
pub const MAX_LIFETIME_SECS: i64 = 600;
/// How far the partner's clock may be ahead of ours.
pub const CLOCK_SKEW_SECS: i64 = 60;
/// The longest token read.
pub const MAX_TOKEN_BYTES: usize = 4096;

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// The partner's id (`iss`).
    pub partner: String,
    /// The partner's id for the user (`sub`).
    pub user: String,
    /// When the token expires (ms).
    pub expires_at_ms: i64,
    /// Its nonce (`jti`).
    pub nonce: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a JWT, another algorithm, a claim missing or malformed, another partner, another audience, or a
    /// signature that none of the partner's secrets made.
    Invalid,
    /// Signed correctly, but past its `exp`, or made to live longer than allowed.
    Expired,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Payload {
    iss: String,
    sub: String,
    aud: Audience,
    iat: i64,
    exp: i64,
    jti: String,
}

fn b64(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).ok()
}

/// Checks `token` for `partner` against its `secrets` (the current one, and the previous during a
/// rotation's overlap), with `audience` this server's address and `now_ms` the time.
pub fn verify(
    token: &str,
    partner: &str,
    secrets: &[String],
    audience: &str,
    now_ms: i64,
) -> Result<Claims, Refusal> {
    use Refusal::Invalid;
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Invalid);
    }
    let mut parts = token.split('.');
    let (Some(head), Some(body), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid);
    };
    let header: Header = serde_json::from_slice(&b64(head).ok_or(Invalid)?).map_err(|_| Invalid)?;
    if header.alg != "HS256"
        || header.crit.is_some()
        || header.typ.is_some_and(|t| !t.eq_ignore_ascii_case("JWT"))
    {
        return Err(Invalid);
    }
    let signature = b64(sig).ok_or(Invalid)?;
    let signed = &token.as_bytes()[..head.len() + 1 + body.len()];
    let genuine = secrets.iter().any(|secret| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
        mac.update(signed);
        mac.verify_slice(&signature).is_ok()
    });
    if !genuine {
        return Err(Invalid);
    }
    let claims: Payload = serde_json::from_slice(&b64(body).ok_or(Invalid)?).map_err(|_| Invalid)?;
    let audience = audience.trim_end_matches('/');
    let for_us = |a: &String| a.trim_end_matches('/') == audience;
    let aimed = match &claims.aud {
        Audience::One(a) => for_us(a),
        Audience::Many(list) => list.iter().any(for_us),
    };
    let user_ok =
        (1..=128).contains(&claims.sub.chars().count()) && !claims.sub.chars().any(char::is_control);
    let nonce_ok = (16..=128).contains(&claims.jti.len()) && claims.jti.bytes().all(|b| b.is_ascii_graphic());
    if claims.iss != partner || !aimed || !user_ok || !nonce_ok {
        return Err(Invalid);
    }
    let now = now_ms.div_euclid(1000);
    let too_long =
        claims.exp - claims.iat > MAX_LIFETIME_SECS || claims.exp > now + MAX_LIFETIME_SECS + CLOCK_SKEW_SECS;
    if claims.exp <= now || claims.iat > now + CLOCK_SKEW_SECS || too_long {
        return Err(Refusal::Expired);
    }
    Ok(Claims {
        partner: claims.iss,
        user: claims.sub,
        expires_at_ms: claims.exp.saturating_mul(1000),
        nonce: claims.jti,
    })
}

/// Makes a token as a partner's server would (tests, the docs' examples, and `vinano-server admin partner
/// token` for trying the widget by hand).
pub fn sign(claims: &serde_json::Value, secret: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let head = engine.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = engine.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{head}.{body}").as_bytes());
    format!("{head}.{body}.{}", engine.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000_000;
    const AUD: &str = "https://vinano.example";

    fn claims() -> serde_json::Value {
        json!({"iss": "pt_1", "sub": "user-42", "aud": AUD, "iat": NOW / 1000, "exp": NOW / 1000 + 300,
               "jti": "0123456789abcdef"})
    }

    fn check(token: &str) -> Result<Claims, Refusal> {
        verify(token, "pt_1", &["secret-now".into(), "secret-before".into()], AUD, NOW)
    }

    #[test]
    fn a_token_signed_with_either_secret_is_accepted_with_its_claims() {
        let got = check(&sign(&claims(), "secret-now")).unwrap();
        assert_eq!(got.user, "user-42");
        assert_eq!(got.nonce, "0123456789abcdef");
        assert_eq!(got.expires_at_ms, NOW + 300_000);
        assert!(check(&sign(&claims(), "secret-before")).is_ok());
        let mut many = claims();
        many["aud"] = json!(["https://other.example", "https://vinano.example/"]);
        assert!(check(&sign(&many, "secret-now")).is_ok());
    }

    #[test]
    fn forged_altered_or_misaddressed_tokens_are_refused() {
        assert_eq!(check(&sign(&claims(), "someone-else")), Err(Refusal::Invalid));
        // A payload swapped under a genuine signature.
        let genuine = sign(&claims(), "secret-now");
        let mut other = claims();
        other["sub"] = json!("admin");
        let forged = sign(&other, "x");
        let (g, f): (Vec<&str>, Vec<&str>) = (genuine.split('.').collect(), forged.split('.').collect());
        assert_eq!(check(&format!("{}.{}.{}", g[0], f[1], g[2])), Err(Refusal::Invalid));
        for (field, value) in [
            ("iss", json!("pt_2")),
            ("aud", json!("https://elsewhere.example")),
            ("sub", json!("")),
            ("jti", json!("short")),
            ("exp", json!("soon")),
        ] {
            let mut c = claims();
            c[field] = value;
            assert_eq!(check(&sign(&c, "secret-now")), Err(Refusal::Invalid), "{field}");
        }
        let mut c = claims();
        c.as_object_mut().unwrap().remove("jti");
        assert_eq!(check(&sign(&c, "secret-now")), Err(Refusal::Invalid));
        for junk in ["", "a.b", "a.b.c.d", "not a token at all", &"x".repeat(5000)] {
            assert_eq!(check(junk), Err(Refusal::Invalid));
        }
    }

    #[test]
    fn only_hs256_is_accepted() {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let body = engine.encode(claims().to_string());
        let none = format!("{}.{body}.", engine.encode(br#"{"alg":"none"}"#));
        assert_eq!(check(&none), Err(Refusal::Invalid));
        let genuine = sign(&claims(), "secret-now");
        let sig = genuine.rsplit('.').next().unwrap();
        let hs512 = format!("{}.{body}.{sig}", engine.encode(br#"{"alg":"HS512"}"#));
        assert_eq!(check(&hs512), Err(Refusal::Invalid));
    }

    #[test]
    fn expired_or_too_long_lived_tokens_are_refused() {
        let mut old = claims();
        old["iat"] = json!(NOW / 1000 - 400);
        old["exp"] = json!(NOW / 1000 - 1);
        assert_eq!(check(&sign(&old, "secret-now")), Err(Refusal::Expired));
        let mut long = claims();
        long["exp"] = json!(NOW / 1000 + 3600);
        assert_eq!(check(&sign(&long, "secret-now")), Err(Refusal::Expired));
        let mut future = claims();
        future["iat"] = json!(NOW / 1000 + 300);
        future["exp"] = json!(NOW / 1000 + 600);
        assert_eq!(check(&sign(&future, "secret-now")), Err(Refusal::Expired));
    }
}

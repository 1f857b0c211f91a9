//! Known browsers: a browser that has signed in to an account gets a signed cookie naming nothing but a
//! random value and its tag. When an account has had too many wrong passwords, only its known browsers may
//! keep trying, so an attacker's guesses from elsewhere never lock the owner out (OWASP's device cookies).
//!
//! The tag is an HMAC of the account id and the value, under a key derived from the master key, so the
//! cookie works only for the account it was given for and can't be made up; it holds no personal data.

use super::security::Client;
use crate::{ids, AppState};
use axum::http::{header, HeaderMap};

/// The cookie's name over plain HTTP.
pub const DEVICE_COOKIE: &str = "vinano_device";
/// The cookie's name over TLS (host-only, `Secure`, never set by a sibling domain).
pub const SECURE_DEVICE_COOKIE: &str = "__Host-vinano_device";
/// A year: the browser stays known that long after its last sign-in.
const MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// The value of the cookie named `name` in the request, if it is there and not empty.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, v)| *n == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

fn tag(state: &AppState, user_id: &str, nonce: &str) -> String {
    hex::encode(state.master_key.mac("device", format!("{user_id}.{nonce}").as_bytes()))
}

/// The `Set-Cookie` value that makes this browser known for `user_id`.
pub(crate) fn cookie(state: &AppState, client: &Client, user_id: &str) -> String {
    let nonce = ids::random_hex(16);
    let value = format!("{nonce}.{}", tag(state, user_id, &nonce));
    if client.tls {
        format!("{SECURE_DEVICE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age={MAX_AGE_SECS}")
    } else {
        format!("{DEVICE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={MAX_AGE_SECS}")
    }
}

/// Whether the request comes from a browser that has signed in to `user_id` before.
pub(crate) fn known(state: &AppState, headers: &HeaderMap, client: &Client, user_id: &str) -> bool {
    let name = if client.tls { SECURE_DEVICE_COOKIE } else { DEVICE_COOKIE };
    let Some(value) = cookie_value(headers, name) else { return false };
    let Some((nonce, given)) = value.split_once('.') else { return false };
    let expected = tag(state, user_id, nonce);
    // Constant time: compare every byte whatever the first difference.
    given.len() == expected.len()
        && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

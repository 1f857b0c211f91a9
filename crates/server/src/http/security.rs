//! Security on every response and request: the headers (Content-Security-Policy with the hash of Trunk's
//! inline bootstrap, HSTS over TLS, no framing, no sniffing), refusal of cross-site state changes on the
//! API, and who the client is (its address and whether it came over TLS, trusting `X-Forwarded-*` only
//! from the configured proxies).
//!
//! CORS stays closed: no response ever carries `Access-Control-Allow-*`, so other sites cannot read the
//! API with the person's cookies, and preflights for non-simple requests fail.

use super::Error;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use vinano_api::Msg;

/// The `'sha256-…'` sources of every inline `<script>` in the built `index.html` (Trunk's bootstrap).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let tag = &rest[start..open_end];
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&rest.as_bytes()[open_end..close]);
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &rest[close + "</script>".len()..];
    }
    hashes
}

/// The policy: everything from this origin only, WebAssembly allowed to compile, no inline code except
/// the hashed bootstrap, no plugins, no `<base>`, no framing.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    policy_framed_by(script_hashes, "'none'")
}

/// The same policy with `frame-ancestors` set to `ancestors` (the embed page's partner origins).
fn policy_framed_by(script_hashes: &[String], ancestors: &str) -> String {
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script.extend(script_hashes.iter().cloned());
    [
        "default-src 'self'".to_string(),
        format!("script-src {}", script.join(" ")),
        "style-src 'self'".into(),
        // Thumbnails of photos being prepared are blob: URLs.
        "img-src 'self' blob: data:".into(),
        "media-src 'self' blob:".into(),
        // Photos being prepared are read back from their blob: URLs.
        "connect-src 'self' blob:".into(),
        "worker-src 'self'".into(),
        "font-src 'self'".into(),
        "manifest-src 'self'".into(),
        "object-src 'none'".into(),
        "base-uri 'none'".into(),
        "form-action 'self'".into(),
        format!("frame-ancestors {ancestors}"),
    ]
    .join("; ")
}

/// The headers every response carries, built once.
#[derive(Debug, Clone)]
pub struct Headers {
    csp: HeaderValue,
    script_hashes: std::sync::Arc<Vec<String>>,
}

impl Headers {
    /// Reads the built SPA's `index.html` (when there is one) for its inline scripts.
    pub fn new(dist_dir: &std::path::Path) -> Self {
        let html = std::fs::read_to_string(dist_dir.join("index.html")).unwrap_or_default();
        let script_hashes = inline_script_hashes(&html);
        let policy = content_security_policy(&script_hashes);
        Self {
            csp: HeaderValue::from_str(&policy).expect("the policy is ASCII"),
            script_hashes: std::sync::Arc::new(script_hashes),
        }
    }
}

/// The embed page (`/embed`, the widget inside a partner's iframe).
fn is_embed(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// A shared page (`/s/{token}`): never indexed (its API answers say the same).
fn is_shared_page(path: &str) -> bool {
    path.starts_with("/s/")
}

/// What a shared page and its answers tell search engines: not to index, follow or keep them.
pub const UNLISTED: &str = "noindex, nofollow, noarchive";

const STATIC: [(&str, &str); 6] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"),
];

/// Adds the security headers to every response: API, static files and errors alike.
pub async fn headers(
    State((state, set)): State<(AppState, Headers)>,
    request: Request,
    next: Next,
) -> Response {
    let tls = is_tls(&state, request.headers(), peer(request.extensions()));
    // Every page says who may frame it: nobody, except the embed page, which names its partner's origins
    // exactly (and no `X-Frame-Options`, which can't list them).
    let framed_by = match is_embed(request.uri().path()) {
        true => Some(super::widget::embed_ancestors(&state, request.uri().query()).await),
        false => None,
    };
    let unlisted = is_shared_page(request.uri().path());
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let csp = match &framed_by {
        Some(ancestors) => HeaderValue::from_str(&policy_framed_by(&set.script_hashes, ancestors))
            .unwrap_or_else(|_| set.csp.clone()),
        None => set.csp.clone(),
    };
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    for (name, value) in STATIC {
        if framed_by.as_deref().is_some_and(|a| a != "'none'") && name == "x-frame-options" {
            continue;
        }
        // A response that says who may read it across sites (an image link for a partner's page) keeps that.
        if name == "cross-origin-resource-policy" && h.contains_key(name) {
            continue;
        }
        h.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    if unlisted {
        h.insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static(UNLISTED));
    }
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses state-changing API requests from other sites (`Sec-Fetch-Site`, else `Origin`, must say this
/// site) and bodies that a cross-site form could send (anything but JSON, an image for uploads, or the
/// multipart body of a saved on-device edit, which a browser only sends with one of those headers).
/// Clients that send neither header are not browsers, so they cannot carry a victim's cookies.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let same_site = match (site, origin) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => origin_matches(&state, headers, origin),
        (None, None) => true,
    };
    if !same_site {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            origin = origin.unwrap_or(""),
            site = site.unwrap_or(""),
            "cross-site request refused"
        );
        return Error::Forbidden(Msg::CrossSite.into()).into_response();
    }
    // Any body that isn't known to be empty (a declared length, chunked, or one already in memory).
    let has_body = axum::body::HttpBody::size_hint(request.body()).exact() != Some(0);
    if has_body {
        let kind = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        // A version made on the device arrives as its file and its steps together (`device_edits.rs`).
        let device_edit = kind == "multipart/form-data" && request.uri().path().ends_with("/device-edits");
        if kind != "application/json" && !kind.starts_with("image/") && !device_edit {
            return Error::UnsupportedMediaType(Msg::JsonContentType.into()).into_response();
        }
    }
    next.run(request).await
}

/// True when `origin` names this server: its public URL, or the host the request was sent to.
fn origin_matches(state: &AppState, headers: &HeaderMap, origin: &str) -> bool {
    if state
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

fn trusted(state: &AppState, peer: Option<IpAddr>) -> bool {
    peer.is_some_and(|p| state.config.trusted_proxies.contains(&p))
}

/// Whether the client reached us over TLS: our own TLS, the configuration says so, or a trusted proxy's
/// `X-Forwarded-Proto: https`.
pub fn is_tls(state: &AppState, headers: &HeaderMap, peer: Option<IpAddr>) -> bool {
    state.config.secure_cookies
        || (trusted(state, peer)
            && headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
}

/// The client's address: the connection's peer, or, behind a trusted proxy, the last address in
/// `X-Forwarded-For` that isn't one of our proxies.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    if !trusted(state, peer) {
        if peer.is_some() && headers.contains_key("x-forwarded-for") {
            warn_untrusted_proxy(peer);
        }
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded.into_iter().rev().find(|a| !state.config.trusted_proxies.contains(a)).or(peer)
}

/// Says once per process that `X-Forwarded-For` came from a peer that isn't a trusted proxy: behind an
/// unlisted proxy every client shares the proxy's rate-limit bucket, and cookies may lack `Secure`.
fn warn_untrusted_proxy(peer: Option<IpAddr>) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            peer = ?peer,
            "X-Forwarded-For arrived from an address that is not in VINANO_TRUSTED_PROXIES: it is ignored, so \
             every client behind that proxy shares one rate-limit bucket. List the proxy's address there."
        );
    }
}

/// Who is asking: address (for rate limits and the sessions list), browser, and whether over TLS.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's address, when known.
    pub ip: Option<IpAddr>,
    /// The `User-Agent`, bounded.
    pub user_agent: String,
    /// Reached over TLS (directly or through a trusted proxy).
    pub tls: bool,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let peer = peer(&parts.extensions);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(300)
            .collect();
        Ok(Client {
            ip: client_ip(state, &parts.headers, peer),
            user_agent,
            tls: is_tls(state, &parts.headers, peer),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = "<head><script type=\"module\">init();</script><script src=\"/a.js\"></script>\
                    <script>x()</script></head>";
        let hashes = inline_script_hashes(html);
        let expect = |body: &str| {
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body)))
        };
        assert_eq!(hashes, [expect("init();"), expect("x()")]);
        let policy = content_security_policy(&hashes);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{policy}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"));
        assert!(policy.contains("base-uri 'none'"));
    }
}

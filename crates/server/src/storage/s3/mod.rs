//! A small client for S3-compatible object stores (AWS S3, MinIO, Ceph, Garage, R2…): put, get, delete and
//! list, each request signed with AWS Signature Version 4. Only sealed bytes ever reach it (see
//! [`super::BlobStore`]); the store never sees an image in the clear.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

mod large;
pub use large::{ObjectReader, Upload, PART_BYTES};
use std::time::{Duration, SystemTime};

/// Where the bucket is and how to reach it (`VINANO_S3_*`).
#[derive(Clone)]
pub struct S3Config {
    /// `https://s3.eu-central-1.amazonaws.com`, `http://127.0.0.1:9000`… (`VINANO_S3_ENDPOINT`).
    pub endpoint: url::Url,
    /// The bucket (`VINANO_S3_BUCKET`).
    pub bucket: String,
    /// The region the signature names (`VINANO_S3_REGION`, default `us-east-1`).
    pub region: String,
    /// The access key id (`VINANO_S3_ACCESS_KEY_ID`).
    pub access_key: String,
    /// The secret access key (`VINANO_S3_SECRET_ACCESS_KEY`, or its `_FILE`).
    pub secret_key: String,
    /// `bucket` in the path (`endpoint/bucket/key`, default: what MinIO and most self-hosted stores want)
    /// rather than in the host name (`bucket.endpoint/key`) (`VINANO_S3_PATH_STYLE`).
    pub path_style: bool,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint.as_str())
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key", &self.access_key)
            .field("secret_key", &"[hidden]")
            .field("path_style", &self.path_style)
            .finish()
    }
}

impl S3Config {
    /// The bucket named by `VINANO_S3_*`, if any: an endpoint, a bucket and both keys are needed together.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<Self>> {
        let (endpoint, bucket) = (var("VINANO_S3_ENDPOINT"), var("VINANO_S3_BUCKET"));
        if endpoint.is_none() && bucket.is_none() {
            return Ok(None);
        }
        let need = |name: &str| {
            var(name).ok_or_else(|| {
                anyhow::anyhow!("{name} is needed with VINANO_S3_ENDPOINT and VINANO_S3_BUCKET")
            })
        };
        let endpoint: url::Url = need("VINANO_S3_ENDPOINT")?.parse().map_err(|e| {
            anyhow::anyhow!("VINANO_S3_ENDPOINT is not a URL like https://s3.example.com: {e}")
        })?;
        anyhow::ensure!(
            matches!(endpoint.scheme(), "http" | "https") && endpoint.host_str().is_some(),
            "VINANO_S3_ENDPOINT must be an http:// or https:// address"
        );
        let bucket = need("VINANO_S3_BUCKET")?;
        anyhow::ensure!(
            (3..=63).contains(&bucket.len())
                && bucket
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'),
            "VINANO_S3_BUCKET={bucket}: a bucket name is 3–63 lowercase letters, digits, dots and hyphens"
        );
        let path_style = match var("VINANO_S3_PATH_STYLE").as_deref() {
            None | Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => anyhow::bail!("VINANO_S3_PATH_STYLE={other}: use true or false"),
        };
        anyhow::ensure!(
            path_style || matches!(endpoint.host(), Some(url::Host::Domain(_))),
            "VINANO_S3_PATH_STYLE=false puts the bucket in the host name, which an address like {} can't \
             hold: use path style with it",
            endpoint.host_str().unwrap_or_default()
        );
        Ok(Some(Self {
            endpoint,
            bucket,
            region: var("VINANO_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            access_key: need("VINANO_S3_ACCESS_KEY_ID")?,
            secret_key: need("VINANO_S3_SECRET_ACCESS_KEY")?,
            path_style,
        }))
    }
}

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its key.
    pub key: String,
    /// When it was written.
    pub modified: SystemTime,
}

/// A client for one bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    config: S3Config,
    http: reqwest::Client,
}

/// The largest object read back (the largest upload, encoded at most a few times larger, is far below it).
const MAX_OBJECT_BYTES: u64 = 512 * 1024 * 1024;

/// Pages of a listing read at most (1 000 keys each).
const MAX_PAGES: usize = 10_000;

/// Refuses a body that has grown past [`MAX_OBJECT_BYTES`] (a store that sent no length, or the wrong one).
fn within_limit(len: usize) -> std::io::Result<()> {
    if len as u64 > MAX_OBJECT_BYTES {
        return Err(std::io::Error::other("the object store sent an object larger than any ViNano stores"));
    }
    Ok(())
}

/// Characters kept as they are in a signed path or query (RFC 3986's unreserved ones).
const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, UNRESERVED).to_string()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The error a failed request becomes: not found stays `NotFound`, the rest say what the store answered.
fn failure(status: reqwest::StatusCode, body: &str, what: &str) -> std::io::Error {
    let code = between(body, "<Code>", "</Code>").unwrap_or_default();
    let kind = match status.as_u16() {
        404 => std::io::ErrorKind::NotFound,
        403 => std::io::ErrorKind::PermissionDenied,
        _ => std::io::ErrorKind::Other,
    };
    std::io::Error::new(kind, format!("the object store refused to {what}: {status} {code}"))
}

/// The text between the first `open` and the `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// XML's five escapes undone (keys are the server's own hex names, but a listing may hold anything).
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

impl Bucket {
    /// A client for `config`'s bucket.
    pub fn new(config: S3Config) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Self { config, http }
    }

    /// The URL of `key` (`None`: the bucket itself) and the path that is signed.
    fn url(&self, key: Option<&str>) -> (url::Url, String) {
        let object = key.map(|k| k.split('/').map(encode).collect::<Vec<_>>().join("/"));
        let mut url = self.config.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_string();
        let path = if self.config.path_style {
            match &object {
                Some(o) => format!("{base}/{}/{o}", encode(&self.config.bucket)),
                None => format!("{base}/{}", encode(&self.config.bucket)),
            }
        } else {
            let host = format!("{}.{}", self.config.bucket, url.host_str().unwrap_or_default());
            let _ = url.set_host(Some(&host));
            format!("{base}/{}", object.unwrap_or_default())
        };
        url.set_path(&path);
        (url, path)
    }

    /// Sends one signed request, again after a pause when the store is busy or can't be reached (twice at
    /// most): the same bytes, so a repeated put or delete is harmless.
    async fn send(
        &self,
        method: reqwest::Method,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: Vec<u8>,
    ) -> std::io::Result<reqwest::Response> {
        self.send_with(method, key, query, body, None).await
    }

    /// [`Bucket::send`] with a `Range` header (not signed: Signature Version 4 lets other headers through).
    async fn send_with(
        &self,
        method: reqwest::Method,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: Vec<u8>,
        range: Option<&str>,
    ) -> std::io::Result<reqwest::Response> {
        let mut attempt = 0;
        loop {
            let mut request = self.signed(method.clone(), key, query, body.clone());
            // A part of an upload or a range of a large object (8 MiB) gets five minutes, not 30 s: a slow
            // link must not fail every large export.
            if range.is_some() || body.len() > 1024 * 1024 {
                *request.timeout_mut() = Some(Duration::from_secs(300));
            }
            if let Some(range) = range.and_then(|r| reqwest::header::HeaderValue::from_str(r).ok()) {
                request.headers_mut().insert(reqwest::header::RANGE, range);
            }
            match self.http.execute(request).await {
                Ok(r) if r.status().is_server_error() && attempt < 2 => {}
                Ok(r) => return Ok(r),
                Err(e) if attempt >= 2 => {
                    return Err(std::io::Error::other(format!("the object store: {e}")))
                }
                Err(_) => {}
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(200 * (1 << attempt))).await;
        }
    }

    /// A request signed with Signature Version 4 (`UNSIGNED-PAYLOAD` is never used: the body's hash is
    /// signed, so a store checks what it received).
    fn signed(
        &self,
        method: reqwest::Method,
        key: Option<&str>,
        query: &[(&str, &str)],
        body: Vec<u8>,
    ) -> reqwest::Request {
        let (mut url, path) = self.url(key);
        let mut pairs: Vec<(String, String)> = query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
        pairs.sort();
        let canonical_query = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        url.set_query((!canonical_query.is_empty()).then_some(canonical_query.as_str()));
        let now = time::OffsetDateTime::now_utc();
        let date = format!("{:04}{:02}{:02}", now.year(), u8::from(now.month()), now.day());
        let stamp = format!("{date}T{:02}{:02}{:02}Z", now.hour(), now.minute(), now.second());
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let payload = sha256_hex(&body);
        let canonical = format!(
            "{method}\n{path}\n{canonical_query}\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{stamp}\n\n\
             host;x-amz-content-sha256;x-amz-date\n{payload}"
        );
        let scope = format!("{date}/{}/s3/aws4_request", self.config.region);
        let to_sign = format!("AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
        let mut signing = hmac(format!("AWS4{}", self.config.secret_key).as_bytes(), &date);
        for part in [self.config.region.as_str(), "s3", "aws4_request"] {
            signing = hmac(&signing, part);
        }
        let signature = hex::encode(hmac(&signing, &to_sign));
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, \
             Signature={signature}",
            self.config.access_key
        );
        self.http
            .request(method, url)
            .header("x-amz-date", stamp)
            .header("x-amz-content-sha256", payload)
            .header("authorization", authorization)
            .body(body)
            .build()
            .expect("a well-formed request")
    }

    /// Stores `bytes` as `key`.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let r = self.send(reqwest::Method::PUT, Some(key), &[], bytes).await?;
        let status = r.status();
        if status.is_success() {
            return Ok(());
        }
        Err(failure(status, &r.text().await.unwrap_or_default(), "store an object"))
    }

    /// The bytes of `key` (`NotFound` when there is no such object).
    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let r = self.send(reqwest::Method::GET, Some(key), &[], Vec::new()).await?;
        let status = r.status();
        if !status.is_success() {
            return Err(failure(status, &r.text().await.unwrap_or_default(), "read an object"));
        }
        if r.content_length().is_some_and(|n| n > MAX_OBJECT_BYTES) {
            return Err(std::io::Error::other(
                "the object store sent an object larger than any ViNano stores",
            ));
        }
        let mut bytes = Vec::new();
        let mut r = r;
        while let Some(chunk) =
            r.chunk().await.map_err(|e| std::io::Error::other(format!("the object store: {e}")))?
        {
            within_limit(bytes.len() + chunk.len())?;
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// Removes `key` (a missing object is not an error).
    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        let r = self.send(reqwest::Method::DELETE, Some(key), &[], Vec::new()).await?;
        let status = r.status();
        if status.is_success() || status == reqwest::StatusCode::NOT_FOUND {
            return Ok(());
        }
        Err(failure(status, &r.text().await.unwrap_or_default(), "remove an object"))
    }

    /// Every object whose key starts with `prefix`, page after page.
    pub async fn list(&self, prefix: &str) -> std::io::Result<Vec<Listed>> {
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("list-type", "2"), ("prefix", prefix)];
            if let Some(t) = &token {
                query.push(("continuation-token", t));
            }
            let r = self.send(reqwest::Method::GET, None, &query, Vec::new()).await?;
            let status = r.status();
            let text = r.text().await.map_err(|e| std::io::Error::other(format!("the object store: {e}")))?;
            if !status.is_success() {
                return Err(failure(status, &text, "list objects"));
            }
            for item in text.split("<Contents>").skip(1) {
                let key = between(item, "<Key>", "</Key>").map(unescape);
                let modified = between(item, "<LastModified>", "</LastModified>").and_then(|t| {
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
                });
                if let (Some(key), Some(modified)) = (key, modified) {
                    found.push(Listed { key, modified: modified.into() });
                }
            }
            let next = between(&text, "<NextContinuationToken>", "</NextContinuationToken>").map(unescape);
            if between(&text, "<IsTruncated>", "</IsTruncated>") != Some("true")
                || next.is_none()
                || next == token
            {
                return Ok(found);
            }
            token = next;
        }
        Err(std::io::Error::other(format!("the bucket lists more than {MAX_PAGES} pages of objects")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(path_style: bool) -> Bucket {
        Bucket::new(S3Config {
            endpoint: "http://127.0.0.1:9000".parse().unwrap(),
            bucket: "vinano".into(),
            region: "us-east-1".into(),
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            path_style,
        })
    }

    #[test]
    fn keys_are_placed_by_path_or_host_and_signed_with_their_encoding() {
        let (url, path) = bucket(true).url(Some("blobs/ab/ab cd"));
        assert_eq!(url.as_str(), "http://127.0.0.1:9000/vinano/blobs/ab/ab%20cd");
        assert_eq!(path, "/vinano/blobs/ab/ab%20cd");
        let b = Bucket::new(S3Config {
            endpoint: "https://s3.eu-central-1.amazonaws.com".parse().unwrap(),
            ..bucket(false).config
        });
        let (url, path) = b.url(Some("blobs/x"));
        assert_eq!(url.as_str(), "https://vinano.s3.eu-central-1.amazonaws.com/blobs/x");
        assert_eq!(path, "/blobs/x");
        let request =
            b.signed(reqwest::Method::GET, None, &[("prefix", "a/b"), ("list-type", "2")], Vec::new());
        assert_eq!(request.url().query(), Some("list-type=2&prefix=a%2Fb"));
        let auth = request.headers()["authorization"].to_str().unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{auth}");
        assert!(
            auth.contains("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date")
        );
        assert!(!format!("{:?}", b.config).contains("wJalr"), "the secret never shows");
    }
}

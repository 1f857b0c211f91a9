//! Objects too large to hold in memory (data exports): written as a multipart upload a part at a time, read
//! back by byte ranges as they are needed.

use super::{between, failure, Bucket};
use reqwest::Method;

/// Bytes per uploaded part and per ranged read (S3 wants parts of at least 5 MiB, the last excepted).
pub const PART_BYTES: usize = 8 * 1024 * 1024;

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("the object store: {e}"))
}

/// A multipart upload in progress: [`Upload::part`] each piece in order, then [`Upload::complete`] (or
/// [`Upload::abort`], so the store drops the parts it holds).
#[derive(Debug)]
pub struct Upload<'a> {
    bucket: &'a Bucket,
    key: String,
    id: String,
    etags: Vec<String>,
}

impl Bucket {
    /// Starts a multipart upload of `key`.
    pub async fn start_upload(&self, key: &str) -> std::io::Result<Upload<'_>> {
        let r = self.send(Method::POST, Some(key), &[("uploads", "")], Vec::new()).await?;
        let status = r.status();
        let text = r.text().await.map_err(other)?;
        if !status.is_success() {
            return Err(failure(status, &text, "start an upload"));
        }
        let id = between(&text, "<UploadId>", "</UploadId>")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| other("its answer to starting an upload named no upload"))?;
        Ok(Upload { bucket: self, key: key.to_string(), id: super::unescape(id), etags: Vec::new() })
    }

    /// The size of `key` in bytes (`NotFound` when there is no such object).
    pub async fn size(&self, key: &str) -> std::io::Result<u64> {
        let r = self.send(Method::HEAD, Some(key), &[], Vec::new()).await?;
        let status = r.status();
        if !status.is_success() {
            return Err(failure(status, "", "describe an object"));
        }
        r.headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse().ok())
            .ok_or_else(|| other("it gave no size for an object"))
    }

    /// `len` bytes of `key` from `start` (fewer only at the object's end).
    pub async fn get_range(&self, key: &str, start: u64, len: u64) -> std::io::Result<Vec<u8>> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let range = format!("bytes={start}-{}", start + len - 1);
        let r = self.send_with(Method::GET, Some(key), &[], Vec::new(), Some(&range)).await?;
        let status = r.status();
        if status != reqwest::StatusCode::PARTIAL_CONTENT && !(status.is_success() && start == 0) {
            return Err(failure(status, &r.text().await.unwrap_or_default(), "read part of an object"));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len.min(PART_BYTES as u64)).unwrap_or(0));
        let mut r = r;
        while let Some(chunk) = r.chunk().await.map_err(other)? {
            if (bytes.len() + chunk.len()) as u64 > len {
                return Err(other("it sent more than the range asked for"));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// A blocking reader of `key` (of `size` bytes) for a thread of the blocking pool: it reads a part at a
    /// time through `runtime`, so memory holds one part however large the object is.
    pub fn reader(&self, key: &str, size: u64, runtime: tokio::runtime::Handle) -> ObjectReader {
        ObjectReader {
            bucket: self.clone(),
            key: key.to_string(),
            size,
            next: 0,
            buffer: Vec::new(),
            at: 0,
            runtime,
        }
    }
}

impl Upload<'_> {
    /// Sends the next part (at least [`PART_BYTES`], except the last).
    pub async fn part(&mut self, bytes: Vec<u8>) -> std::io::Result<()> {
        let number = (self.etags.len() + 1).to_string();
        let query = [("partNumber", number.as_str()), ("uploadId", self.id.as_str())];
        let r = self.bucket.send(Method::PUT, Some(&self.key), &query, bytes).await?;
        let status = r.status();
        if !status.is_success() {
            return Err(failure(status, &r.text().await.unwrap_or_default(), "store part of an object"));
        }
        let etag = r.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
        self.etags.push(etag.ok_or_else(|| other("it gave no ETag for a part"))?);
        Ok(())
    }

    /// Joins the parts into the object.
    pub async fn complete(self) -> std::io::Result<()> {
        let mut xml = String::from("<CompleteMultipartUpload>");
        for (n, etag) in self.etags.iter().enumerate() {
            let etag = etag.replace('&', "&amp;").replace('<', "&lt;");
            xml.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>", n + 1));
        }
        xml.push_str("</CompleteMultipartUpload>");
        let query = [("uploadId", self.id.as_str())];
        let r = self.bucket.send(Method::POST, Some(&self.key), &query, xml.into_bytes()).await?;
        let status = r.status();
        let text = r.text().await.map_err(other)?;
        // S3 may answer 200 and still report a failure in the body.
        if !status.is_success() || text.contains("<Error>") {
            return Err(failure(status, &text, "finish an upload"));
        }
        Ok(())
    }

    /// Gives the upload up: the store discards its parts.
    pub async fn abort(self) {
        let query = [("uploadId", self.id.as_str())];
        if let Err(e) = self.bucket.send(Method::DELETE, Some(&self.key), &query, Vec::new()).await {
            tracing::warn!(error = %e, key = %self.key, "could not abort an upload; the store's lifecycle rules remove it");
        }
    }
}

/// Reads an object in order, one ranged request per [`PART_BYTES`] (see [`Bucket::reader`]).
#[derive(Debug)]
pub struct ObjectReader {
    bucket: Bucket,
    key: String,
    size: u64,
    next: u64,
    buffer: Vec<u8>,
    at: usize,
    runtime: tokio::runtime::Handle,
}

impl std::io::Read for ObjectReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buffer.len() {
            if self.next >= self.size {
                return Ok(0);
            }
            let len = (self.size - self.next).min(PART_BYTES as u64);
            let (bucket, key, start) = (&self.bucket, &self.key, self.next);
            self.buffer = self.runtime.block_on(bucket.get_range(key, start, len))?;
            if self.buffer.is_empty() {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the object ended early"));
            }
            self.next += self.buffer.len() as u64;
            self.at = 0;
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..n + self.at]);
        self.at += n;
        Ok(n)
    }
}

//! Veo through the Gemini API: image-to-video as a long-running operation.
//!
//! 1. `POST /v1beta/models/{model}:predictLongRunning` with the key in `x-goog-api-key` and
//!    `{"instances": [{"prompt", "image": {"bytesBase64Encoded", "mimeType"}}], "parameters": {"aspectRatio",
//!    "durationSeconds"}}` answers with an operation `{"name": "models/…/operations/…"}`.
//! 2. `GET /v1beta/{name}` until `"done": true`; then `response.generateVideoResponse.generatedSamples[0]
//!    .video.uri` names the MP4, or `raiMediaFilteredReasons` says why the model's safety filter kept it back.
//! 3. The MP4 is fetched from that URI with the same key (only when it is on the API's own host, so a
//!    strange answer cannot make us send the key elsewhere).

use super::{send_with_retries, ProviderError, RetryPolicy, VideoProvider, VideoRequest};
use base64::Engine;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Settings for Veo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VeoConfig {
    /// Base URL (`https://generativelanguage.googleapis.com` by default).
    pub base_url: String,
    /// API key.
    pub api_key: String,
    /// Model name (`veo-3.0-generate-001` by default).
    pub model: String,
    /// Timeouts and retries of each request.
    pub policy: RetryPolicy,
    /// How often to ask whether the clip is ready.
    pub poll_every: Duration,
    /// When to stop waiting for it.
    pub give_up_after: Duration,
}

/// The adapter.
#[derive(Debug, Clone)]
pub struct Veo {
    config: VeoConfig,
    http: reqwest::Client,
}

impl Veo {
    /// An adapter with its own connection pool.
    pub fn new(config: VeoConfig) -> Self {
        Self { config, http: super::client() }
    }

    fn base(&self) -> &str {
        self.config.base_url.trim_end_matches('/')
    }

    /// Reads an answer, mapping an HTTP error to a readable one.
    async fn json(response: reqwest::Response) -> Result<Value, ProviderError> {
        let status = response.status();
        let answer: Value = super::read_json(response, super::MAX_JSON_ANSWER).await?;
        if status.is_success() {
            return Ok(answer);
        }
        let message = answer["error"]["message"].as_str().unwrap_or("unknown error").to_string();
        Err(match status.as_u16() {
            401 | 403 => ProviderError::Rejected("the service's API key was not accepted.".into()),
            _ => ProviderError::Rejected(message),
        })
    }
}

/// Veo makes clips of 4, 6 or 8 seconds.
pub fn duration_seconds(asked: u32) -> u32 {
    match asked {
        0..=4 => 4,
        5..=6 => 6,
        _ => 8,
    }
}

impl VideoProvider for Veo {
    async fn run(&self, request: &VideoRequest) -> Result<Vec<u8>, ProviderError> {
        let c = &self.config;
        let body = json!({
            "instances": [{
                "prompt": request.prompt,
                "image": {
                    "bytesBase64Encoded": base64::engine::general_purpose::STANDARD.encode(&request.image),
                    "mimeType": "image/png",
                },
            }],
            "parameters": {
                "aspectRatio": request.aspect_ratio,
                "durationSeconds": duration_seconds(request.seconds),
            },
        });
        let url = format!("{}/v1beta/models/{}:predictLongRunning", self.base(), c.model);
        let started = send_with_retries("veo", c.policy, || {
            self.http.post(&url).header("x-goog-api-key", &c.api_key).json(&body)
        })
        .await?;
        let operation = Self::json(started).await?;
        let name = operation["name"]
            .as_str()
            .filter(|n| !n.is_empty() && !n.contains(".."))
            .ok_or_else(|| ProviderError::Rejected("the service did not start the video.".into()))?
            .to_string();
        let deadline = Instant::now() + c.give_up_after;
        let mut state = operation;
        while !state["done"].as_bool().unwrap_or(false) {
            if Instant::now() >= deadline {
                return Err(ProviderError::Unavailable);
            }
            tokio::time::sleep(c.poll_every).await;
            let poll = format!("{}/v1beta/{name}", self.base());
            let answer = send_with_retries("veo", c.policy, || {
                self.http.get(&poll).header("x-goog-api-key", &c.api_key)
            })
            .await?;
            state = Self::json(answer).await?;
        }
        if let Some(message) = state["error"]["message"].as_str() {
            return Err(ProviderError::Rejected(message.to_string()));
        }
        let result = &state["response"]["generateVideoResponse"];
        let uri = result["generatedSamples"][0]["video"]["uri"].as_str();
        let filtered = result["raiMediaFilteredCount"].as_u64().unwrap_or(0);
        let Some(uri) = uri else {
            if filtered > 0 || result["raiMediaFilteredReasons"].is_array() {
                let reasons: Vec<&str> = result["raiMediaFilteredReasons"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                return Err(ProviderError::SafetyBlock(reasons.join("; ")));
            }
            return Err(ProviderError::Rejected("the service finished without a video.".into()));
        };
        let same_host = |a: &str, b: &str| {
            let host = |u: &str| {
                reqwest::Url::parse(u).ok().map(|u| (u.scheme().to_string(), u.authority().to_string()))
            };
            host(a).is_some() && host(a) == host(b)
        };
        if !same_host(uri, &c.base_url) {
            return Err(ProviderError::Rejected("the video is stored somewhere unexpected.".into()));
        }
        let download =
            send_with_retries("veo", c.policy, || self.http.get(uri).header("x-goog-api-key", &c.api_key))
                .await?;
        if !download.status().is_success() {
            return Err(ProviderError::Rejected(format!(
                "the video could not be fetched ({}).",
                download.status()
            )));
        }
        let bytes = super::read_capped(download, super::MAX_VIDEO_ANSWER).await?;
        if !is_mp4(&bytes) {
            return Err(ProviderError::Rejected(
                "the service sent something that isn't an MP4 video.".into(),
            ));
        }
        Ok(bytes)
    }

    fn name(&self) -> String {
        format!("veo:{}", self.config.model)
    }
}

/// An ISO base media file starts with an `ftyp` box.
pub fn is_mp4(bytes: &[u8]) -> bool {
    bytes.len() > 12 && &bytes[4..8] == b"ftyp"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_the_ones_veo_makes() {
        assert_eq!([1, 4, 5, 6, 7, 8, 30].map(duration_seconds), [4, 4, 6, 6, 8, 8, 8]);
    }

    #[test]
    fn mp4_is_recognised_by_its_first_box() {
        assert!(is_mp4(b"\0\0\0\x18ftypisom\0\0\0\0"));
        assert!(!is_mp4(b"GIF89a............"));
        assert!(!is_mp4(b""));
    }
}

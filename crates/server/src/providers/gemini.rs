//! Gemini `generateContent` with image output: `POST /v1beta/models/{model}:generateContent` with the key
//! in `x-goog-api-key`, the prompt as a text part and the image (if any) as `inlineData`; the answer's
//! image comes back as an `inlineData` part. Safety blocks arrive as `promptFeedback.blockReason` or a
//! candidate's `finishReason`.

use super::{send_with_retries, ImageProvider, ImageRequest, ProviderError, RetryPolicy};
use base64::Engine;
use serde_json::{json, Value};

/// Settings for the Gemini API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeminiConfig {
    /// Base URL (`https://generativelanguage.googleapis.com` by default).
    pub base_url: String,
    /// API key.
    pub api_key: String,
    /// Model name (`gemini-2.5-flash-image` by default).
    pub model: String,
    /// Timeouts and retries.
    pub policy: RetryPolicy,
}

/// The adapter.
#[derive(Debug, Clone)]
pub struct GeminiImages {
    config: GeminiConfig,
    http: reqwest::Client,
}

impl GeminiImages {
    /// An adapter with its own connection pool.
    pub fn new(config: GeminiConfig) -> Self {
        Self { config, http: super::client() }
    }
}

const SAFETY_REASONS: [&str; 6] =
    ["SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"];

impl ImageProvider for GeminiImages {
    async fn run(&self, request: &ImageRequest) -> Result<Vec<u8>, ProviderError> {
        let c = &self.config;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut parts = vec![json!({"text": request.prompt})];
        // The image to edit, then the others it names, in order.
        for png in request.image.iter().chain(&request.references) {
            parts.push(json!({"inlineData": {"mimeType": "image/png", "data": b64.encode(png)}}));
        }
        let mut generation = json!({"responseModalities": ["TEXT", "IMAGE"]});
        if let Some(ratio) = aspect_ratio(&request.size) {
            generation["imageConfig"] = json!({"aspectRatio": ratio});
        }
        let body = json!({"contents": [{"role": "user", "parts": parts}], "generationConfig": generation});
        let url = format!("{}/v1beta/models/{}:generateContent", c.base_url.trim_end_matches('/'), c.model);
        let response = send_with_retries("gemini", c.policy, || {
            self.http.post(&url).header("x-goog-api-key", &c.api_key).json(&body)
        })
        .await?;
        let status = response.status();
        let answer: Value = super::read_json(response, super::MAX_IMAGE_ANSWER).await?;
        if !status.is_success() {
            let message = answer["error"]["message"].as_str().unwrap_or("unknown error").to_string();
            return Err(match status.as_u16() {
                401 | 403 => ProviderError::Rejected("the service's API key was not accepted.".into()),
                _ => ProviderError::Rejected(message),
            });
        }
        if let Some(reason) = answer["promptFeedback"]["blockReason"].as_str() {
            return Err(ProviderError::SafetyBlock(format!("blocked: {reason}")));
        }
        let candidate = &answer["candidates"][0];
        if let Some(reason) = candidate["finishReason"].as_str().filter(|r| SAFETY_REASONS.contains(r)) {
            return Err(ProviderError::SafetyBlock(format!("blocked: {reason}")));
        }
        let data = candidate["content"]["parts"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|p| p["inlineData"]["data"].as_str().or(p["inline_data"]["data"].as_str()))
            .ok_or_else(|| ProviderError::Rejected("the service answered without an image.".into()))?;
        b64.decode(data.trim())
            .map_err(|_| ProviderError::Rejected("the service sent a damaged image.".into()))
    }

    fn name(&self) -> String {
        format!("gemini:{}", self.config.model)
    }
}

/// Gemini asks for an aspect ratio rather than pixels.
fn aspect_ratio(size: &str) -> Option<&'static str> {
    match size {
        "1024x1024" => Some("1:1"),
        "1536x1024" => Some("3:2"),
        "1024x1536" => Some("2:3"),
        _ => None,
    }
}

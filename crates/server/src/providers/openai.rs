//! The OpenAI-compatible Images API: `POST /v1/images/edits` (multipart: `model`, `prompt`, `n`, `size`,
//! the image as a PNG file part, and for an edit inside a selection the `mask` PNG: transparent where the
//! model may paint) and `POST /v1/images/generations` (JSON), both answered with
//! `{"data": [{"b64_json": "..."}]}`; errors as `{"error": {"message", "type", "code"}}`.

use super::{send_with_retries, ImageProvider, ImageRequest, ProviderError, RetryPolicy};
use base64::Engine;
use serde::Deserialize;

/// Settings for an OpenAI-compatible Images API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAiConfig {
    /// Base URL without the `/v1/...` path (`https://api.openai.com` by default).
    pub base_url: String,
    /// API key, sent as a bearer token.
    pub api_key: String,
    /// Model name (`gpt-image-1` by default).
    pub model: String,
    /// Timeouts and retries.
    pub policy: RetryPolicy,
}

/// The adapter.
#[derive(Debug, Clone)]
pub struct OpenAiImages {
    config: OpenAiConfig,
    http: reqwest::Client,
}

impl OpenAiImages {
    /// An adapter with its own connection pool.
    pub fn new(config: OpenAiConfig) -> Self {
        Self { config, http: super::client() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }
}

#[derive(Deserialize)]
struct ImagesResponse {
    data: Vec<ImageData>,
}

#[derive(Deserialize)]
struct ImageData {
    b64_json: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: Option<String>,
    code: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl ImageProvider for OpenAiImages {
    async fn run(&self, request: &ImageRequest) -> Result<Vec<u8>, ProviderError> {
        let c = &self.config;
        let response = match &request.image {
            Some(png) => {
                send_with_retries("openai", c.policy, || {
                    let part = |png: &Vec<u8>, name: String| {
                        reqwest::multipart::Part::bytes(png.clone())
                            .file_name(name)
                            .mime_str("image/png")
                            .expect("a valid MIME type")
                    };
                    let mut form = reqwest::multipart::Form::new()
                        .text("model", c.model.clone())
                        .text("prompt", request.prompt.clone())
                        .text("n", "1")
                        .text("size", request.size.clone());
                    // Several images go as an `image[]` list, the one to edit first (the mask is its).
                    if request.references.is_empty() {
                        form = form.part("image", part(png, "image.png".into()));
                    } else {
                        let all = std::iter::once(png).chain(&request.references);
                        for (n, png) in all.enumerate() {
                            form = form.part("image[]", part(png, format!("image-{}.png", n + 1)));
                        }
                    }
                    if let Some(mask) = &request.mask {
                        let mask = reqwest::multipart::Part::bytes(mask.clone())
                            .file_name("mask.png")
                            .mime_str("image/png")
                            .expect("a valid MIME type");
                        form = form.part("mask", mask);
                    }
                    self.http.post(self.url("/v1/images/edits")).bearer_auth(&c.api_key).multipart(form)
                })
                .await?
            }
            None => {
                let body = serde_json::json!({
                    "model": c.model, "prompt": request.prompt, "n": 1, "size": request.size,
                });
                send_with_retries("openai", c.policy, || {
                    self.http.post(self.url("/v1/images/generations")).bearer_auth(&c.api_key).json(&body)
                })
                .await?
            }
        };
        let status = response.status();
        let bytes = super::read_capped(response, super::MAX_IMAGE_ANSWER).await?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<ErrorResponse>(&bytes).ok().map(|e| e.error);
            let code = detail.as_ref().and_then(|d| d.code.clone().or(d.kind.clone())).unwrap_or_default();
            let message =
                detail.and_then(|d| d.message).unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
            // The provider's own safety system said no: the moderation hook.
            if code.contains("moderation") || code.contains("content_policy") || code.contains("safety") {
                return Err(ProviderError::SafetyBlock(message));
            }
            return Err(match status.as_u16() {
                401 | 403 => ProviderError::Rejected("the service's API key was not accepted.".into()),
                _ => ProviderError::Rejected(message),
            });
        }
        let parsed: ImagesResponse = serde_json::from_slice(&bytes).map_err(|_| {
            ProviderError::Rejected("the service answered with something that isn't an image.".into())
        })?;
        let b64 = parsed
            .data
            .into_iter()
            .find_map(|d| d.b64_json)
            .ok_or_else(|| ProviderError::Rejected("the service answered without an image.".into()))?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| ProviderError::Rejected("the service sent a damaged image.".into()))
    }

    fn name(&self) -> String {
        format!("openai:{}", self.config.model)
    }
}

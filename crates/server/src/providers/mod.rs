//! Model providers: external image services behind one interface, chosen by configuration. The embedded
//! default is the local engine (no provider); `VINANO_PROVIDER=openai` sends edits to an
//! OpenAI-compatible Images API (OpenAI itself, or any server that speaks the same protocol), and
//! `VINANO_PROVIDER=gemini` to Gemini's `generateContent` with image output.
//!
//! Every adapter has a request timeout, retries 429 and 5xx answers with jittered exponential backoff
//! (honouring `Retry-After`), and maps failures to messages a person understands. A provider's own
//! safety block is reported as such, so the moderation log can record it.

pub mod gemini;
pub mod openai;
pub mod planner;
pub mod veo;

use std::future::Future;
use std::time::Duration;

/// Why a provider call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Down, overloaded or too slow, even after retries.
    #[error("The image service is not responding right now. Please try again in a few minutes.")]
    Unavailable,
    /// The provider refused the request for safety reasons.
    #[error("The image service refused this request for safety reasons.")]
    SafetyBlock(String),
    /// The provider rejected the request (bad key, bad input); the text says why.
    #[error("The image service rejected the request: {0}")]
    Rejected(String),
}

/// Which kind of model service a failure came from (they are named to the person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// An image provider, or the planner.
    Image,
    /// The video model.
    Video,
}

impl ProviderError {
    /// What the person is told about this failure of `service`.
    pub fn said(&self, service: Service) -> vinano_api::Problem {
        use vinano_api::{Msg, Problem};
        let image = service == Service::Image;
        match self {
            ProviderError::Unavailable if image => Msg::ReasonImageServiceDown.into(),
            ProviderError::Unavailable => Msg::ReasonVideoServiceDown.into(),
            ProviderError::SafetyBlock(_) if image => Msg::ReasonImageServiceSafety.into(),
            ProviderError::SafetyBlock(_) => Msg::ReasonVideoServiceSafety.into(),
            ProviderError::Rejected(why) if image => {
                Problem::new(Msg::ReasonImageServiceRejected).text("detail", why.clone())
            }
            ProviderError::Rejected(why) => {
                Problem::new(Msg::ReasonVideoServiceRejected).text("detail", why.clone())
            }
        }
    }
}

/// The largest answer read from an image service (an image, or JSON carrying one in base64).
pub const MAX_IMAGE_ANSWER: usize = 64 * 1024 * 1024;
/// The largest answer read from the planner, or from the video service's JSON.
pub const MAX_JSON_ANSWER: usize = 1024 * 1024;
/// The largest video downloaded from the video service.
pub const MAX_VIDEO_ANSWER: usize = 256 * 1024 * 1024;

/// The HTTP client of every adapter. It never follows a redirect: the API key it sends must not travel to
/// whatever address an answer names (a redirect is an error instead).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Reads an answer's body, refusing one over `max` bytes (by its declared length, or as it streams in) so a
/// broken or hostile service can't exhaust memory.
pub async fn read_capped(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, ProviderError> {
    let too_big =
        || ProviderError::Rejected(format!("the answer was larger than {} MB.", max / (1024 * 1024)));
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| ProviderError::Unavailable)? {
        if body.len() + chunk.len() > max {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a JSON answer of at most `max` bytes.
pub async fn read_json(response: reqwest::Response, max: usize) -> Result<serde_json::Value, ProviderError> {
    let body = read_capped(response, max).await?;
    serde_json::from_slice(&body).map_err(|_| ProviderError::Unavailable)
}

/// An image request to a provider.
#[derive(Debug, Clone)]
pub struct ImageRequest {
    /// What to make or change.
    pub prompt: String,
    /// The image to edit (PNG), or `None` to generate one.
    pub image: Option<Vec<u8>>,
    /// Requested size such as `1024x1024`, or `auto`.
    pub size: String,
    /// Where the model may paint, for a provider that [takes a mask](Provider::takes_mask): a PNG the
    /// image's size, transparent there and opaque elsewhere.
    pub mask: Option<Vec<u8>>,
    /// Other images sent with the instruction (PNG), "image 2" onwards, after the one to edit.
    pub references: Vec<Vec<u8>>,
}

/// What every image provider can do.
pub trait ImageProvider {
    /// Generates (no image) or edits (with an image); returns the encoded result.
    fn run(&self, request: &ImageRequest) -> impl Future<Output = Result<Vec<u8>, ProviderError>> + Send;

    /// The name stored with results, such as `openai:gpt-image-1`.
    fn name(&self) -> String;
}

/// A request to a video model: animate this image.
#[derive(Debug, Clone)]
pub struct VideoRequest {
    /// What should happen in the clip (the instruction as written).
    pub prompt: String,
    /// The first frame (PNG).
    pub image: Vec<u8>,
    /// Length asked for; adapters round it to what their model makes.
    pub seconds: u32,
    /// `16:9` or `9:16`, from the image's orientation.
    pub aspect_ratio: &'static str,
}

/// What every video model can do: turn an image and a prompt into an MP4 clip.
pub trait VideoProvider {
    /// Makes the clip; returns the MP4 bytes.
    fn run(&self, request: &VideoRequest) -> impl Future<Output = Result<Vec<u8>, ProviderError>> + Send;

    /// The name stored with results, such as `veo:veo-3.0-generate-001`.
    fn name(&self) -> String;
}

/// Which provider to use, with its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderConfig {
    /// An OpenAI-compatible Images API.
    OpenAi(openai::OpenAiConfig),
    /// Gemini `generateContent`.
    Gemini(gemini::GeminiConfig),
}

/// The configured provider.
#[derive(Debug, Clone)]
pub enum Provider {
    /// An OpenAI-compatible Images API.
    OpenAi(openai::OpenAiImages),
    /// Gemini.
    Gemini(gemini::GeminiImages),
}

impl Provider {
    /// The adapter for a configuration.
    pub fn new(config: ProviderConfig) -> Self {
        match config {
            ProviderConfig::OpenAi(c) => Provider::OpenAi(openai::OpenAiImages::new(c)),
            ProviderConfig::Gemini(c) => Provider::Gemini(gemini::GeminiImages::new(c)),
        }
    }

    /// Whether the provider edits inside a mask (OpenAI's edits do). Without one, an edit inside a selection
    /// sends only the part of the image around it, and the answer is put back through the selection.
    pub fn takes_mask(&self) -> bool {
        matches!(self, Provider::OpenAi(_))
    }
}

impl ImageProvider for Provider {
    async fn run(&self, request: &ImageRequest) -> Result<Vec<u8>, ProviderError> {
        match self {
            Provider::OpenAi(p) => p.run(request).await,
            Provider::Gemini(p) => p.run(request).await,
        }
    }

    fn name(&self) -> String {
        match self {
            Provider::OpenAi(p) => p.name(),
            Provider::Gemini(p) => p.name(),
        }
    }
}

/// Timeouts and retries shared by the adapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt (for 429, 5xx and network failures).
    pub retries: u32,
    /// First backoff; doubled per retry, with jitter.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(120), retries: 3, backoff: Duration::from_millis(500) }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (1-based): exponential with ±50 % jitter, or what the
    /// server asked for in `Retry-After` (capped at a minute).
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(Duration::from_secs(60));
        }
        let base = self.backoff.saturating_mul(1 << attempt.saturating_sub(1).min(10));
        let jitter = 0.5 + rand::random::<f64>();
        base.mul_f64(jitter)
    }
}

/// Sends a request built by `build` (rebuilt for every attempt), retrying what is worth retrying.
/// Every attempt is counted for `/metrics` under `provider` (`openai`, `gemini`, `planner`, `veo`).
pub(crate) async fn send_with_retries(
    provider: &'static str,
    policy: RetryPolicy,
    build: impl Fn() -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, ProviderError> {
    use crate::metrics::{observe_provider, ProviderOutcome};
    let mut attempt = 0;
    loop {
        let sent = build().timeout(policy.timeout).send().await;
        let outcome = match &sent {
            Ok(r) if r.status().is_success() => ProviderOutcome::Ok,
            Ok(r) if r.status().as_u16() == 429 => ProviderOutcome::RateLimited,
            Ok(r) if r.status().is_server_error() => ProviderOutcome::ServerError,
            Ok(_) => ProviderOutcome::Refused,
            Err(_) => ProviderOutcome::Unreachable,
        };
        observe_provider(provider, outcome);
        let retry_after = match sent {
            Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                tracing::info!(status = r.status().as_u16(), attempt, "provider busy or failing; will retry");
                r.headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs)
            }
            Ok(r) => return Ok(r),
            Err(e) => {
                tracing::info!(error = %e, attempt, "provider unreachable or too slow; will retry");
                None
            }
        };
        attempt += 1;
        if attempt > policy.retries {
            return Err(ProviderError::Unavailable);
        }
        tokio::time::sleep(policy.delay(attempt, retry_after)).await;
    }
}

//! Server configuration, read from environment variables with embedded-default values.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`VINANO_BIND`, default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// Directory for the SQLite database and image files (`VINANO_DATA_DIR`, default `data`).
    pub data_dir: PathBuf,
    /// Directory of the built SPA (`VINANO_DIST_DIR`, default `dist`).
    pub dist_dir: PathBuf,
    /// Largest accepted upload in bytes (`VINANO_MAX_UPLOAD_MB`, default 20 MB).
    pub max_upload_bytes: usize,
    /// Largest accepted image in pixels (`VINANO_MAX_MEGAPIXELS`, default 40).
    pub max_pixels: u64,
    /// Mark cookies `Secure` (`VINANO_SECURE_COOKIES`, default: when `VINANO_PUBLIC_URL` is https).
    pub secure_cookies: bool,
    /// Concurrent CPU-heavy tasks (hashing, image work); default: number of cores.
    pub cpu_permits: usize,
    /// Edit-job workers in this process (`VINANO_JOB_WORKERS`, default: number of cores; 0 = none, for a
    /// process that only serves requests while others run the jobs).
    pub job_workers: usize,
    /// Where to look for CJK fonts for text on images (`VINANO_FONT_DIRS`, colon-separated).
    pub font_dirs: Vec<std::path::PathBuf>,
    /// The image model provider; `None` runs every edit on the local engine (`VINANO_PROVIDER`).
    pub provider: Option<crate::providers::ProviderConfig>,
    /// A language-model planner for instructions the local rules don't understand (`VINANO_PLANNER`).
    pub planner: Option<crate::providers::planner::PlannerConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            dist_dir: PathBuf::from("dist"),
            max_upload_bytes: 20 * 1024 * 1024,
            max_pixels: 40_000_000,
            secure_cookies: false,
            cpu_permits: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            job_workers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            font_dirs: crate::fonts::DIRS.iter().map(Into::into).collect(),
            provider: None,
            planner: None,
        }
    }
}

impl Config {
    /// Reads the configuration from `VINANO_*` environment variables.
    pub fn from_env() -> anyhow::Result<Self> {
        use anyhow::Context;
        let mut c = Self::default();
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = var("VINANO_BIND") {
            c.bind = v
                .parse()
                .with_context(|| format!("VINANO_BIND={v} is not an address like 127.0.0.1:8080"))?;
        }
        if let Some(v) = var("VINANO_DATA_DIR") {
            c.data_dir = v.into();
        }
        if let Some(v) = var("VINANO_DIST_DIR") {
            c.dist_dir = v.into();
        }
        if let Some(v) = var("VINANO_MAX_UPLOAD_MB") {
            let mb: usize = v
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .context("VINANO_MAX_UPLOAD_MB must be a positive number")?;
            c.max_upload_bytes = mb * 1024 * 1024;
        }
        if let Some(v) = var("VINANO_MAX_MEGAPIXELS") {
            let mp: u64 = v
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .context("VINANO_MAX_MEGAPIXELS must be a positive number")?;
            c.max_pixels = mp * 1_000_000;
        }
        if let Some(v) = var("VINANO_JOB_WORKERS") {
            c.job_workers =
                v.parse().ok().filter(|&n| n <= 64).context("VINANO_JOB_WORKERS must be 0 to 64")?;
        }
        if let Some(v) = var("VINANO_FONT_DIRS") {
            c.font_dirs = std::env::split_paths(&v).collect();
        }
        let mut policy = crate::providers::RetryPolicy::default();
        if let Some(v) = var("VINANO_PROVIDER_TIMEOUT_SECS") {
            let secs: u64 = v
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .context("VINANO_PROVIDER_TIMEOUT_SECS must be a positive number")?;
            policy.timeout = std::time::Duration::from_secs(secs);
        }
        if let Some(v) = var("VINANO_PROVIDER_RETRIES") {
            policy.retries =
                v.parse().ok().filter(|&n| n <= 10).context("VINANO_PROVIDER_RETRIES must be 0 to 10")?;
        }
        c.provider = match var("VINANO_PROVIDER").as_deref() {
            None | Some("local") => None,
            Some("openai") => {
                Some(crate::providers::ProviderConfig::OpenAi(crate::providers::openai::OpenAiConfig {
                    base_url: var("VINANO_OPENAI_BASE_URL")
                        .unwrap_or_else(|| "https://api.openai.com".into()),
                    api_key: var("VINANO_OPENAI_API_KEY")
                        .context("VINANO_PROVIDER=openai needs VINANO_OPENAI_API_KEY")?,
                    model: var("VINANO_OPENAI_MODEL").unwrap_or_else(|| "gpt-image-1".into()),
                    policy,
                }))
            }
            Some("gemini") => {
                Some(crate::providers::ProviderConfig::Gemini(crate::providers::gemini::GeminiConfig {
                    base_url: var("VINANO_GEMINI_BASE_URL")
                        .unwrap_or_else(|| "https://generativelanguage.googleapis.com".into()),
                    api_key: var("VINANO_GEMINI_API_KEY")
                        .context("VINANO_PROVIDER=gemini needs VINANO_GEMINI_API_KEY")?,
                    model: var("VINANO_GEMINI_MODEL").unwrap_or_else(|| "gemini-2.5-flash-image".into()),
                    policy,
                }))
            }
            Some(other) => anyhow::bail!("VINANO_PROVIDER={other}: use local, openai or gemini"),
        };
        c.planner = match var("VINANO_PLANNER").as_deref() {
            None | Some("none") => None,
            Some("openai-chat") => Some(crate::providers::planner::PlannerConfig {
                base_url: var("VINANO_PLANNER_BASE_URL").unwrap_or_else(|| "https://api.openai.com".into()),
                api_key: var("VINANO_PLANNER_API_KEY").unwrap_or_default(),
                model: var("VINANO_PLANNER_MODEL").unwrap_or_else(|| "gpt-4o-mini".into()),
                policy,
            }),
            Some(other) => anyhow::bail!("VINANO_PLANNER={other}: use none or openai-chat"),
        };
        c.secure_cookies = match var("VINANO_SECURE_COOKIES").as_deref() {
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => anyhow::bail!("VINANO_SECURE_COOKIES={other}: use true or false"),
            None => var("VINANO_PUBLIC_URL").is_some_and(|u| u.starts_with("https://")),
        };
        Ok(c)
    }
}

//! Server configuration: embedded defaults, then a TOML file, then `VINANO_*` environment variables (each
//! later source overrides the earlier one).
//!
//! The file is `VINANO_CONFIG` (or `vinano.toml` in the working directory when that exists). Its keys are the
//! variable names without `VINANO_`, in lower case, and tables join their names with `_`, so
//!
//! ```toml
//! bind = "0.0.0.0:8080"
//! provider = "openai"
//! provider_timeout_secs = 60
//!
//! [openai]
//! api_key = "sk-..."
//! model = "gpt-image-1"
//! ```
//!
//! sets `VINANO_BIND`, `VINANO_PROVIDER`, `VINANO_PROVIDER_TIMEOUT_SECS`, `VINANO_OPENAI_API_KEY` and
//! `VINANO_OPENAI_MODEL`. Unknown keys are an error, so a typo doesn't silently fall back to a default.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

pub mod secrets;

/// Every setting, by its environment name; the file may only set these.
pub const SETTINGS: &[&str] = &[
    "VINANO_BIND",
    "VINANO_DATA_DIR",
    "VINANO_DIST_DIR",
    "VINANO_MAX_UPLOAD_MB",
    "VINANO_MAX_MEGAPIXELS",
    "VINANO_JOB_WORKERS",
    "VINANO_FONT_DIRS",
    "VINANO_PROVIDER",
    "VINANO_PROVIDER_TIMEOUT_SECS",
    "VINANO_PROVIDER_RETRIES",
    "VINANO_OPENAI_BASE_URL",
    "VINANO_OPENAI_API_KEY",
    "VINANO_OPENAI_MODEL",
    "VINANO_GEMINI_BASE_URL",
    "VINANO_GEMINI_API_KEY",
    "VINANO_GEMINI_MODEL",
    "VINANO_PLANNER",
    "VINANO_PLANNER_BASE_URL",
    "VINANO_PLANNER_API_KEY",
    "VINANO_PLANNER_MODEL",
    "VINANO_VIDEO_PROVIDER",
    "VINANO_VEO_BASE_URL",
    "VINANO_VEO_API_KEY",
    "VINANO_VEO_MODEL",
    "VINANO_PUBLIC_URL",
    "VINANO_SECURE_COOKIES",
    "VINANO_TRUSTED_PROXIES",
    "VINANO_RATE_LIMIT_SCALE",
    "VINANO_SMTP_URL",
    "VINANO_MASTER_KEY",
    "VINANO_POLICY_VERSION",
    "VINANO_TLS_CERT",
    "VINANO_TLS_KEY",
    "VINANO_C2PA",
    "VINANO_C2PA_CERT",
    "VINANO_C2PA_KEY",
    "VINANO_C2PA_ALG",
    "VINANO_MAIL_FROM",
    "VINANO_MAX_CONNECTIONS",
    "VINANO_MEMORY_BUDGET_MB",
    "VINANO_ALLOW_UNSEALED_BLOBS",
    "VINANO_HEADER_TIMEOUT_SECS",
    "VINANO_IDLE_TIMEOUT_SECS",
    "VINANO_BODY_TIMEOUT_SECS",
    "VINANO_QUOTA_UPLOADS_PER_HOUR",
    "VINANO_QUOTA_JOBS_IN_FLIGHT",
    "VINANO_QUOTA_STORED_MB",
    "VINANO_QUOTA_CONVERSATIONS_PER_HOUR",
    "VINANO_QUOTA_CONVERSIONS_PER_HOUR",
    "VINANO_QUOTA_OPEN_STREAMS",
    "VINANO_SIGNUPS",
    "VINANO_LOG_FORMAT",
    "VINANO_MIN_FREE_DISK_MB",
    "VINANO_METRICS_TOKEN",
    "VINANO_DATABASE_URL",
    "VINANO_S3_ENDPOINT",
    "VINANO_S3_BUCKET",
    "VINANO_S3_REGION",
    "VINANO_S3_ACCESS_KEY_ID",
    "VINANO_S3_SECRET_ACCESS_KEY",
    "VINANO_S3_PATH_STYLE",
];

/// The largest upload limit accepted, in megabytes (10 GB: far past any photo, far from an overflow).
pub const MAX_UPLOAD_MB: usize = 10_240;
/// The largest image budget accepted, in megapixels.
pub const MAX_MEGAPIXELS: u64 = 1_000;
/// The longest timeout accepted, in seconds (a day; a longer one overflows a clock's deadline).
pub const MAX_SECS: u64 = 86_400;

/// Flattens a TOML configuration file into `VINANO_*` names.
pub fn parse_file(text: &str) -> anyhow::Result<HashMap<String, String>> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) -> anyhow::Result<()> {
        for (key, value) in table {
            let name = format!("{prefix}_{}", key.to_ascii_uppercase());
            let text = match value {
                toml::Value::Table(inner) => {
                    walk(&name, inner, out)?;
                    continue;
                }
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Array(items) => {
                    let parts: Option<Vec<&str>> = items.iter().map(toml::Value::as_str).collect();
                    let parts = parts.ok_or_else(|| anyhow::anyhow!("{key}: a list must hold strings"))?;
                    std::env::join_paths(parts)?.to_string_lossy().into_owned()
                }
                other => anyhow::bail!(
                    "{key}: use a string, number, true/false or a list of strings, not {}",
                    other.type_str()
                ),
            };
            if !SETTINGS.contains(&name.as_str())
                && !crate::billing::SETTINGS.contains(&name.as_str())
                && !secrets::is_file_setting(&name)
            {
                let shown = name.trim_start_matches("VINANO_").to_ascii_lowercase();
                anyhow::bail!("unknown setting \"{shown}\" (settings are listed in the README)");
            }
            out.insert(name, text);
        }
        Ok(())
    }
    let table: toml::Table = text.parse()?;
    let mut out = HashMap::new();
    walk("VINANO", &table, &mut out)?;
    Ok(out)
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event (the default).
    Text,
    /// One JSON object per line (tracing-subscriber's `json` format), with the request's span and its id.
    Json,
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`VINANO_BIND`, default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// Directory for the SQLite database and image files (`VINANO_DATA_DIR`, default `data`).
    pub data_dir: PathBuf,
    /// Directory of the built SPA (`VINANO_DIST_DIR`, default `dist`).
    pub dist_dir: PathBuf,
    /// PostgreSQL instead of SQLite (`VINANO_DATABASE_URL=postgres://user:password@host/db`, or its
    /// `_FILE`); without it the database is `<data dir>/vinano.db`.
    pub database_url: Option<crate::storage::db::DatabaseUrl>,
    /// Image files in an S3-compatible bucket instead of `<data dir>/blobs` (`VINANO_S3_*`).
    pub s3: Option<crate::storage::s3::S3Config>,
    /// Largest accepted upload in bytes (`VINANO_MAX_UPLOAD_MB`, default 20 MB).
    pub max_upload_bytes: usize,
    /// Largest accepted image in pixels (`VINANO_MAX_MEGAPIXELS`, default 40).
    pub max_pixels: u64,
    /// Mark cookies `Secure` (`VINANO_SECURE_COOKIES`, default: when `VINANO_PUBLIC_URL` is https).
    pub secure_cookies: bool,
    /// The public address, such as `https://vinano.example` (`VINANO_PUBLIC_URL`); an `Origin` equal to it is
    /// this site even when a proxy rewrites `Host`.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
    /// (`VINANO_TRUSTED_PROXIES`, comma-separated addresses; default none).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The key that encrypts image files and exports at rest, 64 hex digits (`VINANO_MASTER_KEY`); without
    /// it one is generated into `<data dir>/master.key`.
    pub master_key: Option<crate::storage::crypto::MasterKey>,
    /// The privacy-policy version in force (`vinano_api::policy::PRIVACY_VERSION`; `VINANO_POLICY_VERSION`
    /// overrides it, to try a change before publishing it).
    pub policy_version: String,
    /// Serve HTTPS with this certificate and key (`VINANO_TLS_CERT`, `VINANO_TLS_KEY`); implies `Secure`
    /// cookies and HSTS.
    pub tls: Option<crate::serve::TlsConfig>,
    /// Content Credentials: how the C2PA manifest in each result is signed, or that it is off
    /// (`VINANO_C2PA*`, see [`crate::provenance`]).
    pub c2pa: crate::provenance::Settings,
    /// How email leaves: `.eml` files under `<data dir>/outbox` by default, or SMTP (`VINANO_SMTP_URL`).
    pub mail: crate::mail::MailConfig,
    /// The sender of every email (`VINANO_MAIL_FROM`, default `ViNano <no-reply@vinano.localhost>`).
    pub mail_from: String,
    /// Brute-force limits (`VINANO_RATE_LIMIT_SCALE` multiplies them; 0 turns them off).
    pub rate_limits: crate::limits::RateLimits,
    /// Memory for upload bodies, decoded pixels, edits and conversions (`VINANO_MEMORY_BUDGET_MB`, default
    /// 1 024 MiB).
    pub memory_budget_mib: u32,
    /// Read image files without the sealed header as they are (`VINANO_ALLOW_UNSEALED_BLOBS`, default
    /// false): only for a store written before encryption existed. Otherwise such a file is refused.
    pub allow_unsealed_blobs: bool,
    /// How log lines are written (`VINANO_LOG_FORMAT`: `text`, the default, or `json`).
    pub log_format: LogFormat,
    /// Free space the data directory's disk must keep for `/readyz` to answer ready
    /// (`VINANO_MIN_FREE_DISK_MB`, default 512).
    pub min_free_disk_bytes: u64,
    /// The bearer token `/metrics` asks for (`VINANO_METRICS_TOKEN`); without one `/metrics` answers 404.
    pub metrics_token: Option<String>,
    /// Limits on every connection: how many, and how long each part of a request may take.
    pub connections: crate::serve::ConnLimits,
    /// Per-person quotas (`[quota]`: `VINANO_QUOTA_*`).
    pub quotas: crate::quota::Quotas,
    /// Who may sign up (`VINANO_SIGNUPS`: `open`, `invite` or `closed`; default `open`).
    pub signups: crate::admin::Signups,
    /// Plans, prices and what jobs cost (`[plan.free]`, `[plan.pro]`, `[plan.studio]`, `[cost]`, `currency`).
    pub billing: crate::billing::Settings,
    /// Concurrent CPU-heavy image tasks (decoding, edits, encoding); default: number of cores.
    pub cpu_permits: usize,
    /// Concurrent password hashes, apart from the image work; default: half the cores, at least one.
    pub hash_permits: usize,
    /// Edit-job workers in this process (`VINANO_JOB_WORKERS`, default: number of cores; 0 = none, for a
    /// process that only serves requests while others run the jobs).
    pub job_workers: usize,
    /// Where to look for CJK fonts for text on images (`VINANO_FONT_DIRS`, colon-separated).
    pub font_dirs: Vec<std::path::PathBuf>,
    /// Where the model files are (`VINANO_MODELS_DIR`); `None` looks in `models/` beside the binary, then
    /// in the build tree's `target/models/` (where `cargo xtask bootstrap` puts them).
    pub models_dir: Option<PathBuf>,
    /// The image model provider; `None` runs every edit on the local engine (`VINANO_PROVIDER`).
    pub provider: Option<crate::providers::ProviderConfig>,
    /// A video model for clips; `None` renders them locally (`VINANO_VIDEO_PROVIDER`).
    pub video: Option<crate::providers::veo::VeoConfig>,
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
            public_url: None,
            trusted_proxies: Vec::new(),
            rate_limits: crate::limits::RateLimits::default(),
            quotas: crate::quota::Quotas::default(),
            billing: crate::billing::Settings::default(),
            signups: crate::admin::Signups::default(),
            connections: crate::serve::ConnLimits::default(),
            memory_budget_mib: 1024,
            allow_unsealed_blobs: false,
            log_format: LogFormat::Text,
            min_free_disk_bytes: 512 * 1024 * 1024,
            metrics_token: None,
            database_url: None,
            s3: None,
            tls: None,
            c2pa: crate::provenance::Settings::default(),
            master_key: None,
            policy_version: vinano_api::policy::PRIVACY_VERSION.to_string(),
            mail: crate::mail::MailConfig::Files,
            mail_from: "ViNano <no-reply@vinano.localhost>".into(),
            cpu_permits: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            hash_permits: std::thread::available_parallelism().map(|n| n.get() / 2).unwrap_or(1).max(1),
            job_workers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            font_dirs: crate::fonts::DIRS.iter().map(Into::into).collect(),
            models_dir: None,
            provider: None,
            video: None,
            planner: None,
        }
    }
}

impl Config {
    /// Where links in emails point: the public URL, or this server's own address.
    pub fn site_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// Reads the configuration file (when there is one) and the `VINANO_*` environment variables.
    pub fn load() -> anyhow::Result<Self> {
        use anyhow::Context;
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let path = match env("VINANO_CONFIG") {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from("vinano.toml")).filter(|p| p.exists()),
        };
        let file = match &path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("could not read the configuration file {}", path.display()))?;
                parse_file(&text).with_context(|| format!("in the configuration file {}", path.display()))?
            }
            None => HashMap::new(),
        };
        Self::from_lookup(|k| env(k).or_else(|| file.get(k).cloned()))
    }

    /// Builds the configuration from a lookup of `VINANO_*` names (environment over file).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        use anyhow::Context;
        let given = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        // A secret may come from a file (`<name>_FILE`, see `secrets.rs`); then it is read like the others.
        let from_files = secrets::from_files(&given)?;
        let var = |k: &str| from_files.get(k).cloned().or_else(|| given(k));
        let mut c = Self::default();
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
            let mb: usize =
                v.parse().ok().filter(|n| (1..=MAX_UPLOAD_MB).contains(n)).with_context(|| {
                    format!("VINANO_MAX_UPLOAD_MB must be 1 to {MAX_UPLOAD_MB} (megabytes)")
                })?;
            c.max_upload_bytes = mb * 1024 * 1024;
        }
        if let Some(v) = var("VINANO_MAX_MEGAPIXELS") {
            let mp: u64 = v
                .parse()
                .ok()
                .filter(|n| (1..=MAX_MEGAPIXELS).contains(n))
                .with_context(|| format!("VINANO_MAX_MEGAPIXELS must be 1 to {MAX_MEGAPIXELS}"))?;
            c.max_pixels = mp * 1_000_000;
        }
        for (name, field, unit) in [
            ("VINANO_QUOTA_UPLOADS_PER_HOUR", &mut c.quotas.uploads_per_hour, 1),
            ("VINANO_QUOTA_JOBS_IN_FLIGHT", &mut c.quotas.jobs_in_flight, 1),
            ("VINANO_QUOTA_STORED_MB", &mut c.quotas.stored_bytes, 1_000_000),
            ("VINANO_QUOTA_CONVERSATIONS_PER_HOUR", &mut c.quotas.conversations_per_hour, 1),
            ("VINANO_QUOTA_CONVERSIONS_PER_HOUR", &mut c.quotas.conversions_per_hour, 1),
            ("VINANO_QUOTA_OPEN_STREAMS", &mut c.quotas.open_streams, 1),
        ] {
            if let Some(v) = var(name) {
                let n: u64 =
                    v.parse().ok().with_context(|| format!("{name} must be a number (0: no limit)"))?;
                *field = n.saturating_mul(unit);
            }
        }
        c.billing = crate::billing::Settings::from_lookup(&var)?;
        if let Some(v) = var("VINANO_SIGNUPS") {
            c.signups = crate::admin::Signups::parse(&v)
                .with_context(|| format!("VINANO_SIGNUPS={v}: use open, invite or closed"))?;
        }
        if let Some(v) = var("VINANO_MEMORY_BUDGET_MB") {
            c.memory_budget_mib = v
                .parse()
                .ok()
                .filter(|&n| n >= 64)
                .context("VINANO_MEMORY_BUDGET_MB must be a number of megabytes, at least 64")?;
        }
        if let Some(v) = var("VINANO_MAX_CONNECTIONS") {
            c.connections.max_connections = v
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .context("VINANO_MAX_CONNECTIONS must be a positive number")?;
        }
        for (name, field) in [
            ("VINANO_HEADER_TIMEOUT_SECS", &mut c.connections.header_timeout),
            ("VINANO_IDLE_TIMEOUT_SECS", &mut c.connections.idle_timeout),
            ("VINANO_BODY_TIMEOUT_SECS", &mut c.connections.body_timeout),
        ] {
            if let Some(v) = var(name) {
                let secs: u64 = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_SECS).contains(n))
                    .with_context(|| format!("{name} must be 1 to {MAX_SECS} seconds"))?;
                *field = std::time::Duration::from_secs(secs);
            }
        }
        if let Some(v) = var("VINANO_JOB_WORKERS") {
            c.job_workers =
                v.parse().ok().filter(|&n| n <= 64).context("VINANO_JOB_WORKERS must be 0 to 64")?;
        }
        if let Some(v) = var("VINANO_FONT_DIRS") {
            c.font_dirs = std::env::split_paths(&v).collect();
        }
        if let Some(v) = var("VINANO_MODELS_DIR") {
            c.models_dir = Some(PathBuf::from(v));
        }
        let mut policy = crate::providers::RetryPolicy::default();
        if let Some(v) = var("VINANO_PROVIDER_TIMEOUT_SECS") {
            let secs: u64 =
                v.parse().ok().filter(|n| (1..=MAX_SECS).contains(n)).with_context(|| {
                    format!("VINANO_PROVIDER_TIMEOUT_SECS must be 1 to {MAX_SECS} seconds")
                })?;
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
        c.video = match var("VINANO_VIDEO_PROVIDER").as_deref() {
            None | Some("local") => None,
            Some("veo") => Some(crate::providers::veo::VeoConfig {
                base_url: var("VINANO_VEO_BASE_URL")
                    .unwrap_or_else(|| "https://generativelanguage.googleapis.com".into()),
                api_key: var("VINANO_VEO_API_KEY")
                    .context("VINANO_VIDEO_PROVIDER=veo needs VINANO_VEO_API_KEY")?,
                model: var("VINANO_VEO_MODEL").unwrap_or_else(|| "veo-3.0-generate-001".into()),
                policy,
                poll_every: std::time::Duration::from_secs(10),
                give_up_after: std::time::Duration::from_secs(15 * 60),
            }),
            Some(other) => anyhow::bail!("VINANO_VIDEO_PROVIDER={other}: use local or veo"),
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
        c.public_url = var("VINANO_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string());
        if let Some(v) = var("VINANO_TRUSTED_PROXIES") {
            c.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.parse().with_context(|| format!("VINANO_TRUSTED_PROXIES: {a} is not an IP address"))
                })
                .collect::<anyhow::Result<_>>()?;
        }
        if let Some(v) = var("VINANO_MASTER_KEY") {
            c.master_key =
                Some(crate::storage::crypto::MasterKey::from_hex(&v).context("VINANO_MASTER_KEY")?);
        }
        if let Some(v) = var("VINANO_POLICY_VERSION") {
            c.policy_version = v;
        }
        c.tls = match (var("VINANO_TLS_CERT"), var("VINANO_TLS_KEY")) {
            (Some(cert), Some(key)) => Some(crate::serve::TlsConfig { cert: cert.into(), key: key.into() }),
            (None, None) => None,
            _ => anyhow::bail!("VINANO_TLS_CERT and VINANO_TLS_KEY go together: set both, or neither"),
        };
        c.mail = match var("VINANO_SMTP_URL") {
            Some(url) => crate::mail::MailConfig::Smtp(url),
            None => crate::mail::MailConfig::Files,
        };
        if let Some(v) = var("VINANO_MAIL_FROM") {
            crate::mail::message(&v, "check@example.com", "check", "check", "check").with_context(|| {
                format!("VINANO_MAIL_FROM={v} is not an address like \"ViNano <no-reply@example.com>\"")
            })?;
            c.mail_from = v;
        }
        if let Some(v) = var("VINANO_RATE_LIMIT_SCALE") {
            c.rate_limits.scale = v
                .parse()
                .ok()
                .filter(|&n| n <= 1000)
                .context("VINANO_RATE_LIMIT_SCALE must be 0 (off) to 1000")?;
        }
        c.log_format = match var("VINANO_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => anyhow::bail!("VINANO_LOG_FORMAT={other}: use text or json"),
        };
        if let Some(v) = var("VINANO_MIN_FREE_DISK_MB") {
            c.min_free_disk_bytes = v
                .parse::<u64>()
                .ok()
                .and_then(|mb| mb.checked_mul(1024 * 1024))
                .context("VINANO_MIN_FREE_DISK_MB must be a number of megabytes (0: no floor)")?;
        }
        if let Some(url) = var("VINANO_DATABASE_URL") {
            c.database_url = Some(crate::storage::db::DatabaseUrl::parse(&url)?);
        }
        c.s3 = crate::storage::s3::S3Config::from_lookup(&var)?;
        c.c2pa = crate::provenance::Settings::from_lookup(var)?;
        c.metrics_token = var("VINANO_METRICS_TOKEN");
        if let Some(token) = &c.metrics_token {
            anyhow::ensure!(token.len() >= 16, "VINANO_METRICS_TOKEN must be at least 16 characters");
        }
        c.allow_unsealed_blobs = match var("VINANO_ALLOW_UNSEALED_BLOBS").as_deref() {
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") | None => false,
            Some(other) => anyhow::bail!("VINANO_ALLOW_UNSEALED_BLOBS={other}: use true or false"),
        };
        c.secure_cookies = match var("VINANO_SECURE_COOKIES").as_deref() {
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => anyhow::bail!("VINANO_SECURE_COOKIES={other}: use true or false"),
            None => c.tls.is_some() || var("VINANO_PUBLIC_URL").is_some_and(|u| u.starts_with("https://")),
        };
        Ok(c)
    }
}

#[cfg(test)]
mod tests;

//! Shared application state handed to every handler.

use crate::clock::Clock;
use crate::storage::{self, BlobStore};
use crate::Config;
use sqlx::AnyPool;
use std::sync::Arc;
use tokio::sync::{Notify, Semaphore};

/// Cheap-to-clone handle on everything a request may need.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: AnyPool,
    /// Image files.
    pub blobs: BlobStore,
    /// Small previews of the image files (see [`crate::preview`]).
    pub previews: BlobStore,
    /// The key that seals what is stored on disk (image files through [`BlobStore`], data exports).
    pub master_key: crate::storage::crypto::MasterKey,
    /// Wakes the export worker when an export is requested.
    pub exports_wakeup: Arc<Notify>,
    /// Configuration.
    pub config: Arc<Config>,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// The threads for CPU-heavy image work (decoding, edits, encoding), one per permitted core, at a lower
    /// priority than the request threads.
    pub images: Arc<crate::pool::ImagePool>,
    /// Memory for image work, reserved before it starts.
    pub memory: Arc<crate::memory::MemoryBudget>,
    /// Bounds password hashing (argon2) on its own, so a flood of log-ins can't stall edits and edits
    /// can't stall log-ins.
    pub hashing: Arc<Semaphore>,
    /// Password hashes and checks computed by this app (a cost to watch; the abuse tests count them).
    pub hash_runs: Arc<std::sync::atomic::AtomicU64>,
    /// Wakes the progress streams of a job when this process changes it.
    pub job_signals: Arc<crate::jobs::signals::Signals>,
    /// Wakes idle job workers when a job is queued.
    pub jobs_wakeup: Arc<Notify>,
    /// Fonts for text on images: CJK fonts found on this machine, then the bundled Latin font.
    pub fonts: vinano_imaging::text::Fonts,
    /// The segmentation model for background editing, or why it is off.
    pub segmentation: crate::segmentation::Segmentation,
    /// The face detection model for ID photos, or why it is off.
    pub faces: crate::segmentation::FaceDetection,
    /// Signs Content Credentials into every result; `None` when they are off (`VINANO_C2PA=off`).
    pub content_credentials: Option<Arc<crate::provenance::ContentCredentials>>,
    /// The configured image model provider, if any.
    pub provider: Option<Arc<crate::providers::Provider>>,
    /// Wakes the email sender when a message is queued.
    pub mail_wakeup: Arc<Notify>,
    /// Brute-force limits on logging in, signing up and password resets.
    pub limits: Arc<crate::limits::Limiters>,
    /// The configured video model, if any (otherwise clips are rendered locally).
    pub video: Option<Arc<crate::providers::veo::Veo>>,
    /// Progress streams open per person in this process (capped by the `open_streams` quota).
    pub streams: Arc<crate::quota::Streams>,
    /// The configured language-model planner, if any.
    pub planner: Option<Arc<crate::providers::planner::ChatPlanner>>,
    /// This process's id: the prefix of every lease it takes, so stopping can hand back exactly its own.
    pub process_id: Arc<str>,
    /// Set when the process is stopping: workers take no new work.
    pub stopping: Arc<crate::stopping::Stopping>,
    /// Held by the mail sender while it delivers a message and records it sent (stopping waits for it).
    pub mail_sending: Arc<tokio::sync::Mutex<()>>,
    /// The billing processor (the local test mode, or Stripe).
    pub billing: Arc<crate::billing::processor::Processor>,
    /// The job workers this process started and how many still run (`/readyz` checks them).
    pub workers: Arc<crate::health::Workers>,
    /// Requests and job runs counted for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// Opens (and migrates) the database and blob store under `config.data_dir`.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db = storage::db::open(config.database_url.as_ref(), &config.data_dir).await?;
        let master = match &config.master_key {
            Some(key) => key.clone(),
            None => crate::storage::crypto::MasterKey::load_or_create(&config.data_dir.join("master.key"))?,
        };
        let (blobs, previews) = match &config.s3 {
            Some(s3) => {
                let bucket = Arc::new(crate::storage::s3::Bucket::new(s3.clone()));
                (
                    BlobStore::in_bucket(bucket.clone(), "blobs", master.clone()),
                    BlobStore::in_bucket(bucket, "previews", master.clone()),
                )
            }
            None => (
                BlobStore::open(config.data_dir.join("blobs"), master.clone())?,
                BlobStore::open(config.data_dir.join("previews"), master.clone())?,
            ),
        };
        let blobs = blobs.allowing_unsealed(config.allow_unsealed_blobs);
        if config.database_url.is_some() {
            storage::check_master_key(&db, &master, &blobs).await?;
        }
        let images = Arc::new(crate::pool::ImagePool::new(config.cpu_permits));
        let hashing = Arc::new(Semaphore::new(config.hash_permits.max(1)));
        let provider = config.provider.clone().map(|c| Arc::new(crate::providers::Provider::new(c)));
        let limits = Arc::new(match config.database_url {
            // Replicas share one database: their limits live there, so each counts against the same buckets.
            Some(_) => crate::limits::Limiters::shared(config.rate_limits, db.clone(), master.clone()),
            None => crate::limits::Limiters::new(config.rate_limits),
        });
        let video = config.video.clone().map(|c| Arc::new(crate::providers::veo::Veo::new(c)));
        let fonts = crate::fonts::discover(&config.font_dirs);
        let segmentation = crate::segmentation::Segmentation::find(config.models_dir.as_deref());
        if let Some(why) = segmentation.off_because() {
            tracing::warn!(%why, "background editing is off");
        }
        let faces = crate::segmentation::FaceDetection::find(config.models_dir.as_deref());
        if let Some(why) = faces.off_because() {
            tracing::warn!(%why, "ID photos are off");
        }
        let content_credentials =
            crate::provenance::ContentCredentials::open(&config.c2pa, &config.data_dir)?.map(Arc::new);
        if content_credentials.is_none() {
            tracing::info!("Content Credentials are off (VINANO_C2PA=off): results carry the XMP mark only");
        }
        let planner =
            config.planner.clone().map(|c| Arc::new(crate::providers::planner::ChatPlanner::new(c)));
        let memory = Arc::new(crate::memory::MemoryBudget::new(config.memory_budget_mib));
        let billing = Arc::new(crate::billing::processor::Processor::new(&config.billing));
        crate::i18n::warm();
        let job_signals: Arc<crate::jobs::signals::Signals> = Arc::default();
        if let Some(url) = &config.database_url {
            crate::jobs::signals::listen(job_signals.clone(), url.clone());
        }
        Ok(Self {
            memory,
            db,
            blobs,
            previews,
            master_key: master,
            exports_wakeup: Arc::new(Notify::new()),
            config: Arc::new(config),
            clock,
            images,
            hashing,
            hash_runs: Arc::default(),
            jobs_wakeup: Arc::new(Notify::new()),
            job_signals,
            limits,
            mail_wakeup: Arc::new(Notify::new()),
            provider,
            video,
            planner,
            streams: Arc::default(),
            fonts,
            segmentation,
            faces,
            content_credentials,
            process_id: crate::ids::random_hex(6).into(),
            stopping: Arc::default(),
            mail_sending: Arc::default(),
            billing,
            workers: Arc::default(),
            metrics: Arc::default(),
        })
    }

    /// Runs CPU-heavy image work on the image threads (at most `cpu_permits` at a time, at a lower
    /// priority than answering requests); a panic is a [`crate::pool::Panicked`] error.
    pub async fn blocking<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.images.run(f).await
    }

    /// Runs password hashing (argon2: 19 MiB and tens of milliseconds each) on the blocking pool, at most
    /// `hash_permits` at a time, apart from the image work.
    pub async fn hashing<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self.hashing.acquire().await?;
        self.hash_runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(tokio::task::spawn_blocking(f).await?)
    }
}

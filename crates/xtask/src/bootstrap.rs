//! `cargo xtask bootstrap`: installs what building and testing need, each only when missing — the wasm32
//! target, Trunk and wasm-bindgen-cli (crates.io), npm packages, the segmentation model (PyPI), a font that
//! draws Chinese (Debian), and for the tests Chromium, cargo-deny and schemathesis.

use crate::{apt, cmd, models, output, root, schemathesis_python, step, Result};
use std::path::Path;

/// cargo-deny (crates.io), for the supply-chain checks (`deny.toml`).
const CARGO_DENY_VERSION: &str = "0.20.2";
/// The API checker (PyPI), installed into `target/schemathesis`.
const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Trunk 0.22 needs a newer rustc than this machine's.
const TRUNK_VERSION: &str = "0.21.14";

/// The wasm-bindgen version pinned in Cargo.lock: the CLI must match it exactly.
pub(crate) fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// Installs what building the SPA needs; with `for_tests`, also Chromium, ChromeDriver and npm packages.
pub(crate) fn bootstrap(for_tests: bool) -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        step(
            "rustup target add wasm32-unknown-unknown",
            cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        )?;
    }
    if !output("trunk", &["--version"]).is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        // Without its defaults: no update check and no TLS, as it builds offline (Trunk.toml).
        step(
            "install trunk",
            &mut cargo_install(&["trunk", "--version", TRUNK_VERSION, "--locked", "--no-default-features"]),
        )?;
    }
    let wb = wasm_bindgen_version()?;
    if !output("wasm-bindgen", &["--version"]).is_some_and(|v| v.ends_with(&wb)) {
        // Not --locked: one of the CLI's locked dependencies is missing from the registry.
        step("install wasm-bindgen-cli", &mut cargo_install(&["wasm-bindgen-cli", "--version", &wb]))?;
    }
    npm_ci(&root().join("tools/web"), "npm ci (tools/web: wasm-opt, esbuild)")?;
    models::fetch()?;
    // A font that draws Chinese (posters, captions): Debian's WenQuanYi Micro Hei (1.6 MB, Apache-2.0 or
    // GPL-3+ with the font exception), found by the server under /usr/share/fonts.
    let cjk = Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    if !cjk.exists() {
        let installed = step("apt-get update", &mut apt(&["update"])).and_then(|()| {
            step(
                "install fonts-wqy-microhei (Chinese text on images)",
                &mut apt(&["install", "-y", "--no-install-recommends", "fonts-wqy-microhei"]),
            )
        });
        match installed {
            Err(e) if !for_tests => {
                println!(
                    "    (no CJK font: Chinese text on images will be refused until one is installed: {e})"
                )
            }
            other => other?,
        }
    }
    if !for_tests {
        return Ok(());
    }
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists() {
        step("apt-get update", &mut apt(&["update"]))?;
        step(
            "install chromium",
            &mut apt(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]),
        )?;
    }
    if !output("cargo", &["deny", "--version"]).is_some_and(|v| v.ends_with(CARGO_DENY_VERSION)) {
        step(
            "install cargo-deny",
            &mut cargo_install(&["cargo-deny", "--version", CARGO_DENY_VERSION, "--locked"]),
        )?;
    }
    let python = schemathesis_python();
    let st = python.with_file_name("st");
    if !output(&st.to_string_lossy(), &["--version"]).is_some_and(|v| v.ends_with(SCHEMATHESIS_VERSION)) {
        let venv = root().join("target/schemathesis");
        step("python3 -m venv target/schemathesis", cmd("python3").args(["-m", "venv"]).arg(&venv))?;
        step(
            "install schemathesis (PyPI)",
            cmd(&python.to_string_lossy()).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
            ]),
        )?;
    }
    npm_ci(&root().join("tests/e2e"), "npm ci (tests/e2e)")
}

/// `cargo install` with the tools' release profiles relaxed: Trunk and cargo-deny ask for fat LTO and one
/// codegen unit, which made each take 5-10 minutes of a fresh CI run on two cores for programs that
/// mostly start other programs. No LTO and 16 units build them in a fraction of that.
fn cargo_install(args: &[&str]) -> std::process::Command {
    let mut c = cmd("cargo");
    c.arg("install")
        .args(args)
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    c
}

/// Installs the npm packages of `dir` as its lock file pins them, unless they are installed already.
pub(crate) fn npm_ci(dir: &Path, name: &str) -> Result {
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&installed), std::fs::metadata(dir.join("package-lock.json"))) {
        (Ok(i), Ok(l)) => i.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step(
        name,
        cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

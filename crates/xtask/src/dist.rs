//! `cargo xtask dist`: the release archive — one self-contained server binary (the SPA embedded, feature
//! `embed-spa`), the systemd unit (checked with `systemd-analyze verify`), an example `vinano.toml`, the
//! deployment guide, ATTRIBUTIONS.md and the licences of every crate compiled in (THIRD-PARTY.md). Before it
//! is packed, the binary is started from the staging directory with the example settings, no SPA directory
//! and an empty data directory, and must serve the app (brotli twins, immutable caching) and its probes.
//! `cargo xtask test` runs the same with a debug build.

use crate::{cmd, root, step, Result};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Builds, stages, checks and packs; returns the archive's path. `debug`: a debug build, for the tests.
pub fn dist(debug: bool) -> Result<PathBuf> {
    let (args, built): (&[&str], &str) = if debug {
        // As `cargo test --workspace` built everything, with the feature added: a plain `cargo build` of
        // the server leaves the tests' dev-dependencies out, which changes the features of 200-odd crates
        // and rebuilt them all (8.5 minutes of a fresh CI run, against 2.3 this way).
        (
            &["test", "--workspace", "--no-run", "--features", "vinano-server/embed-spa"],
            "target/debug/vinano-server",
        )
    } else {
        (
            &["build", "--profile", "server", "-p", "vinano-server", "--features", "embed-spa"],
            "target/server/vinano-server",
        )
    };
    if !root().join("dist/index.html").exists() {
        return Err("dist/ has no built app: run `cargo xtask build` first".into());
    }
    step("build the server with the app inside", cmd("cargo").args(args))?;
    let binary = root().join(built);
    let version = crate::output(&binary.to_string_lossy(), &["--version"])
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_string))
        .ok_or("the built server didn't say its version")?;
    let name = format!("vinano-{version}-{}-linux", std::env::consts::ARCH);
    let out = root().join("target/dist");
    let stage = out.join(&name);
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage).map_err(|e| format!("{}: {e}", stage.display()))?;
    let copies = [
        (binary.clone(), "vinano-server"),
        (root().join("packaging/vinano.service"), "vinano.service"),
        (root().join("packaging/vinano.example.toml"), "vinano.toml.example"),
        (root().join("docs/deploy.md"), "DEPLOY.md"),
        (root().join("README.md"), "README.md"),
        (root().join("ATTRIBUTIONS.md"), "ATTRIBUTIONS.md"),
    ];
    for (from, to) in &copies {
        std::fs::copy(from, stage.join(to)).map_err(|e| format!("copying {}: {e}", from.display()))?;
    }
    // The models go in `models/` beside the binary, where the server looks.
    std::fs::create_dir_all(stage.join("models")).map_err(|e| e.to_string())?;
    for (from, name) in crate::models::files() {
        let to = stage.join("models").join(name);
        std::fs::copy(&from, &to)
            .map_err(|e| format!("copying {}: {e} (run `cargo xtask bootstrap`)", from.display()))?;
    }
    std::fs::write(stage.join("THIRD-PARTY.md"), third_party()?).map_err(|e| e.to_string())?;
    verify_unit(&stage)?;
    smoke_test(&stage)?;
    let archive = out.join(format!("{name}.tar.gz"));
    step("pack the release archive", cmd("tar").arg("-C").arg(&out).arg("-czf").arg(&archive).arg(&name))?;
    let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
    println!("    {} ({:.1} MB)", archive.display(), size as f64 / 1e6);
    Ok(archive)
}

/// `systemd-analyze verify` on the unit, its `ExecStart` pointed at the staged binary (the check wants the
/// program to exist).
fn verify_unit(stage: &Path) -> Result {
    let unit = std::fs::read_to_string(stage.join("vinano.service")).map_err(|e| e.to_string())?;
    let here = unit.replace("/usr/local/bin/vinano-server", &stage.join("vinano-server").to_string_lossy());
    let dir = std::env::temp_dir().join(format!("vinano-unit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("vinano.service");
    std::fs::write(&file, here).map_err(|e| e.to_string())?;
    let out = cmd("systemd-analyze").arg("verify").arg(&file).output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.map_err(|e| format!("systemd-analyze: {e} (Debian's systemd provides it)"))?;
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // Only what concerns this unit (the host's own units may have complaints of their own).
    let ours: Vec<&str> = said.lines().filter(|l| l.contains("vinano")).collect();
    if !out.status.success() || !ours.is_empty() {
        return Err(format!("systemd-analyze verify vinano.service:\n{said}"));
    }
    println!("    systemd-analyze verify vinano.service: no complaints");
    Ok(())
}

/// An answer: the status, the headers (lower-case names) and the body.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// One HTTP/1.1 request on a fresh connection.
fn get(port: u16, path: &str, accept_br: bool) -> std::io::Result<Answer> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let encoding = if accept_br { "Accept-Encoding: br, gzip\r\n" } else { "" };
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{encoding}Connection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok((status, headers, raw.get(split + 4..).unwrap_or_default().to_vec()))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Starts the staged binary as a deployment would and checks what it serves.
fn smoke_test(stage: &Path) -> Result {
    let run = std::env::temp_dir().join(format!("vinano-dist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&run);
    std::fs::create_dir_all(&run).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut child = cmd(&stage.join("vinano-server").to_string_lossy())
        .current_dir(&run)
        .env("VINANO_CONFIG", stage.join("vinano.toml.example"))
        .env("VINANO_BIND", format!("127.0.0.1:{port}"))
        .env("VINANO_DATA_DIR", run.join("data"))
        .env_remove("VINANO_DIST_DIR")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the staged server: {e}"))?;
    let checked = (|| -> Result {
        let started = Instant::now();
        while get(port, "/healthz", false).map(|r| r.0).ok() != Some(200) {
            if started.elapsed() > Duration::from_secs(60) || child.try_wait().ok().flatten().is_some() {
                return Err("the staged server didn't start with the example settings".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let (status, _, body) = get(port, "/", false).map_err(|e| e.to_string())?;
        let page = String::from_utf8_lossy(&body).to_string();
        if status != 200 || !page.contains("<title>") {
            return Err(format!("GET / answered {status} without the app's page"));
        }
        let wasm = page
            .split('"')
            .find(|part| part.ends_with(".wasm") && part.contains('-'))
            .ok_or("the page names no .wasm file")?
            .trim_start_matches('/')
            .to_string();
        let (status, headers, body) = get(port, &format!("/{wasm}"), true).map_err(|e| e.to_string())?;
        let (encoding, cache) = (header(&headers, "content-encoding"), header(&headers, "cache-control"));
        if status != 200 || encoding != Some("br") || !cache.is_some_and(|c| c.contains("immutable")) {
            return Err(format!(
                "GET /{wasm}: {status}, content-encoding {encoding:?}, cache-control {cache:?}"
            ));
        }
        let (status, ..) = get(port, "/sw.js", false).map_err(|e| e.to_string())?;
        let (missing, ..) = get(port, "/missing-0123456789abcdef.js", false).map_err(|e| e.to_string())?;
        if status != 200 || missing != 404 {
            return Err(format!("GET /sw.js answered {status}, a missing script {missing}"));
        }
        println!(
            "    the staged binary serves the app from itself: /, /{wasm} ({} bytes, brotli, immutable), /sw.js, /healthz",
            body.len()
        );
        Ok(())
    })();
    let _ = cmd("kill").args(["-TERM", &child.id().to_string()]).status();
    let stopped = child.wait().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&run);
    checked?;
    if !stopped.success() {
        return Err(format!("the staged server stopped with {stopped}"));
    }
    Ok(())
}

/// Every crate compiled into the server (Linux) and the app (wasm32), with its licence, from `cargo metadata`.
fn third_party() -> Result<String> {
    let mut rows = std::collections::BTreeSet::new();
    let host = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    for (platform, start) in [(host.as_str(), "vinano-server"), ("wasm32-unknown-unknown", "vinano-web")] {
        let out = cmd("cargo")
            .args(["metadata", "--format-version", "1", "--locked", "--filter-platform", platform])
            // As the archive's binary is built: with the app embedded.
            .args(["--features", "vinano-server/embed-spa"])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("cargo metadata: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let packages: std::collections::HashMap<&str, &serde_json::Value> = meta["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p["id"].as_str()?, p)))
            .collect();
        let nodes: std::collections::HashMap<&str, &serde_json::Value> = meta["resolve"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| Some((n["id"].as_str()?, n)))
            .collect();
        let first =
            packages.iter().find(|(_, p)| p["name"] == start).map(|(id, _)| *id).ok_or("no start crate")?;
        let (mut seen, mut todo) = (std::collections::HashSet::new(), vec![first]);
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in nodes.get(id).and_then(|n| n["deps"].as_array()).into_iter().flatten() {
                // Normal dependencies only: build scripts and tests don't ship.
                let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
                if normal {
                    todo.extend(dep["pkg"].as_str());
                }
            }
        }
        for id in seen {
            let p = packages[id];
            if p["source"].is_null() {
                continue; // ViNano's own crates
            }
            let license = p["license"].as_str().unwrap_or("see the crate").to_string();
            rows.insert((
                p["name"].as_str().unwrap_or("").to_string(),
                p["version"].as_str().unwrap_or("").to_string(),
                license,
            ));
        }
    }
    let mut text = String::from(
        "# Third-party crates\n\nEvery crate compiled into the server and the app, from crates.io, with its licence (from\n`cargo metadata`).\n\n| crate | version | licence |\n|---|---|---|\n",
    );
    for (name, version, license) in rows {
        text.push_str(&format!("| {name} | {version} | {license} |\n"));
    }
    Ok(text)
}

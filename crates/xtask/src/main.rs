//! Developer commands for ViNano, run as `cargo xtask <command>`:
//!
//! - `run`: installs missing tools, builds the SPA (release) and the server, and serves both on
//!   <http://127.0.0.1:8080> with the embedded defaults (SQLite + images under `data/`, local engine).
//! - `test`: installs missing tools, then runs every check and test suite the project has (the server's API
//!   suite on SQLite and again on a throw-away PostgreSQL cluster, where the crash loop also runs on two
//!   replicas behind HAProxy).
//! - `bench-prep [runs]`: the photo-prep benchmark (BENCHMARKS.md): a 12 MP JPEG prepared to 2048 px by
//!   ViNano's worker, pica and `createImageBitmap` in headless Chromium; median times and PSNR against a
//!   native Lanczos3 reference.
//!
//! - `bench-device [runs]`: the on-device editor (BENCHMARKS.md): background removal and a 10 % erase of a
//!   2048-px photo in the release device worker in headless Chromium.
//!
//! - `load [seconds] [people] [--compare]`: the load benchmark (BENCHMARKS.md) against the release server;
//!   `--compare` runs it on SQLite, on PostgreSQL and on two replicas behind HAProxy, side by side.
//!
//! - `crash-test [kills]`: the crash loop (RELIABILITY.md) against the release server: `kill -9` at random
//!   moments (100 by default), every acknowledged write checked after each restart.
//!
//! - `api-check [seconds]`: schemathesis (every check, two people) against the release server, driven by
//!   its OpenAPI document (`tests/api/`), 10 minutes by default.
//!
//! - `fuzz [seconds] [target]`: coverage-guided fuzzing (cargo-fuzz, libFuzzer) of every target in
//!   `crates/fuzz` for `seconds` each (600 by default), from its seeds; needs a nightly toolchain.
//!
//! - `build`: builds the SPA as `run` and `test` do (release, split into a frame and a chunk per page, wasm-opt,
//!   brotli and gzip twins) and prints each file's size and the first load's (BENCHMARKS.md).
//!
//! - `dist`: the release archive under `target/dist/`: the server binary with the app inside, the systemd unit
//!   (checked with `systemd-analyze verify`), an example `vinano.toml`, DEPLOY.md, ATTRIBUTIONS.md and
//!   THIRD-PARTY.md; the binary is started from it and must serve the app before it is packed.
//!
//! - `icons`: draws the app's PNG icons into `public/` (see `icons.rs`).
//!
//! Tools come only from package registries: crates.io (`trunk`, `wasm-bindgen-cli`), Debian
//! (`chromium`, `chromium-driver`, `postgresql`, `haproxy`) and npm (`npm ci` in `tests/e2e`). Nothing downloads browsers or
//! binaries from anywhere else, and each step is skipped when its tool is already present.

mod bootstrap;
mod chunks;
mod dist;
mod icons;
mod models;
mod postgres;
mod precompress;
mod split;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use bootstrap::bootstrap;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        Some("bootstrap") => bootstrap(true),
        Some("bench-prep") => bench_prep(args.get(1).map(String::as_str).unwrap_or("7")),
        Some("bench-device") => bench_device(args.get(1).map(String::as_str).unwrap_or("5")),
        Some("load") => load(&args[1..]),
        Some("api-check") => api_check(args.get(1).map(String::as_str).unwrap_or("600")),
        Some("fuzz") => {
            fuzz(args.get(1).map(String::as_str).unwrap_or("600"), args.get(2).map(String::as_str))
        }
        Some("build") => build_spa(),
        // `--debug`: a debug build around the app already in dist/ (quick; what `test` checks).
        Some("dist") if args.get(1).is_some_and(|a| a == "--debug") => dist::dist(true).map(drop),
        Some("dist") => {
            bootstrap(false).and_then(|()| build_spa()).and_then(|()| dist::dist(false).map(drop))
        }
        Some("icons") => icons::write_all(&root().join("public")),
        Some("crash-test") => crash_test(args.get(1).map(String::as_str).unwrap_or("100")),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bootstrap|build|dist [--debug]|bench-prep [runs]|load [seconds] [people] [--compare]|crash-test [kills]|api-check [seconds]|fuzz [seconds] [target]|icons>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("workspace root").to_path_buf()
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// A command with `~/.cargo/bin` first on PATH (where `cargo install` puts tools), run from the root.
fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![cargo_bin_dir()];
    paths.extend(std::env::split_paths(&path));
    c.env("PATH", std::env::join_paths(paths).expect("valid PATH"));
    c.current_dir(root());
    c
}

fn step(name: &str, c: &mut Command) -> Result {
    println!("\n==> {name}");
    let started = Instant::now();
    let status = c.status().map_err(|e| format!("{name}: could not start {:?}: {e}", c.get_program()))?;
    println!("    ({name}: {:.0?})", started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}

/// `apt-get <args>`, through `sudo` unless this is root.
fn apt(args: &[&str]) -> Command {
    let sudo = output("id", &["-u"]).is_some_and(|u| u != "0");
    let mut c = if sudo { cmd("sudo") } else { cmd("apt-get") };
    if sudo {
        c.arg("apt-get");
    }
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn build_spa() -> Result {
    // Trunk runs offline (Trunk.toml): every crate is fetched first, and wasm-opt is binaryen's from npm.
    // (Debian's binaryen 108 is three times as fast, but its output hung the image-prep worker and broke
    // the split chunks' function tables.)
    step("cargo fetch", cmd("cargo").arg("fetch"))?;
    let path = std::env::var("PATH").unwrap_or_default();
    let tools = root().join("tools/web/node_modules/.bin");
    step(
        "trunk build --release --features split",
        cmd("trunk")
            .args(["build", "--release", "--features", "split"])
            .env("PATH", format!("{}:{path}", tools.display())),
    )?;
    let dist = root().join("dist");
    split::split(&dist)?;
    // The visitor tour's pictures: the local engine's results on three photos, made now, not at run time.
    // The dev profile, which `cargo xtask test` has built by then (its unit tests build the examples): a few
    // seconds to run, where the server's profile cost `test` 7.6 minutes of compiling (BENCHMARKS.md).
    models::fetch()?;
    step(
        "the visitor tour's pictures (the local engine, on the photos in target/models/)",
        cmd("cargo")
            .args(["run", "--quiet", "-p", "vinano-server", "--example", "tour", "--"])
            .arg(models::dir())
            .arg(dist.join("tour")),
    )?;
    println!("\n==> brotli and gzip twins of the bundle");
    let sizes = precompress::precompress(&dist).map_err(|e| format!("precompressing dist/: {e}"))?;
    let index =
        std::fs::read_to_string(dist.join("index.html")).map_err(|e| format!("dist/index.html: {e}"))?;
    let first = precompress::first_load(&index, &sizes);
    for (name, raw, br) in &sizes {
        println!("    {name:<44} {raw:>9} bytes, {br:>8} brotli");
    }
    let total: u64 = first.iter().map(|(_, _, br)| br).sum();
    println!("    first load (index.html and what it names): {:.1} KB brotli", total as f64 / 1000.0);
    Ok(())
}

fn run() -> Result {
    bootstrap(false)?;
    build_spa()?;
    let binary = release_server()?;
    println!("\n==> starting ViNano on http://127.0.0.1:8080 (Ctrl+C stops it)");
    let mut server = cmd(&binary.to_string_lossy());
    for (key, default) in
        [("VINANO_BIND", "127.0.0.1:8080"), ("VINANO_DATA_DIR", "data"), ("VINANO_DIST_DIR", "dist")]
    {
        if std::env::var_os(key).is_none() {
            server.env(key, default);
        }
    }
    step("vinano-server", &mut server)
}

fn test() -> Result {
    let started = Instant::now();
    // A test run builds once: incremental caches would only fill the disk (tens of GB on a fresh clone).
    std::env::set_var("CARGO_INCREMENTAL", "0");
    bootstrap(true)?;
    step("cargo fmt --check", cmd("cargo").args(["fmt", "--all", "--check"]))?;
    step(
        "clippy (native)",
        cmd("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    )?;
    step(
        "clippy (the app for the browser, split into chunks)",
        cmd("cargo").args([
            "clippy",
            "-p",
            "vinano-web",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "split",
            "--lib",
            "--bins",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "clippy (the on-device editor's worker)",
        cmd("cargo").args([
            "clippy",
            "-p",
            "vinano-device",
            "--features",
            "worker",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--bins",
            "--tests",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Licences, banned crates and sources (`deny.toml`). Advisories need the RustSec database from GitHub,
    // which this machine can't reach: `cargo deny check advisories` runs where it can.
    step(
        "supply chain: cargo deny check bans licenses sources",
        cmd("cargo").args(["deny", "--locked", "check", "bans", "licenses", "sources"]),
    )?;
    step("unit and integration tests", cmd("cargo").args(["test", "--workspace"]))?;
    let cluster = postgres::Cluster::start(apt)?;
    let on_postgres = step(
        "the server's API and logging tests again, on PostgreSQL",
        cmd("cargo")
            // `--workspace`, as above: `-p vinano-server` resolves other features and rebuilt the server.
            .args(["test", "--workspace", "--test", "api", "--test", "json_log", "--test", "logging"])
            .env("VINANO_TEST_POSTGRES", &cluster.url),
    )
    .and_then(|()| replicas_crash_loop(&cluster.url));
    if on_postgres.is_err() {
        let log = std::fs::read_to_string(cluster.log()).unwrap_or_default();
        let errors: Vec<&str> = log
            .lines()
            .filter(|l| ["ERROR", "PANIC", "too many", "No space"].iter().any(|e| l.contains(e)))
            .collect();
        println!("PostgreSQL's last errors:\n{}", errors[errors.len().saturating_sub(30)..].join("\n"));
        let _ = step("free disk space", cmd("df").args(["-h", "/tmp", "."]));
    }
    drop(cluster);
    on_postgres?;
    step(
        "rustdoc",
        cmd("cargo").args(["doc", "--no-deps", "--workspace"]).env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    step(
        "browser component and image-prep worker tests (wasm-bindgen-test, headless Chromium)",
        cmd("cargo")
            .args([
                "test",
                "-p",
                "vinano-web",
                "-p",
                "vinano-prep",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "browser",
                "--test",
                "worker",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            // The wasm32-only test code is not seen by the native clippy run; deny its warnings here. (This
            // replaces `.cargo/config.toml`'s flags, so SIMD is named again: the bundles are built with it.)
            .env("RUSTFLAGS", WASM_TEST_FLAGS)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    step(
        "on-device editor tests (wasm-bindgen-test in a dedicated worker, headless Chromium)",
        cmd("cargo")
            .args([
                "test",
                "-p",
                "vinano-device",
                "--features",
                "worker",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "device",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("RUSTFLAGS", WASM_TEST_FLAGS)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300"),
    )?;
    build_spa()?;
    // `cargo test` already built the server binary (its integration tests need it); building it again
    // without the dev-dependency features would recompile much of the dependency graph.
    let server = root().join("target/debug/vinano-server");
    if !server.exists() {
        step("build server", cmd("cargo").args(["build", "-p", "vinano-server"]))?;
    }
    // The crash loop, short: 10 kills of the server `cargo test` built (`cargo xtask crash-test` runs 100
    // against the release build).
    let crash = debug_crash_loop()?;
    step(
        "crash loop (10 kills)",
        cmd(&crash.to_string_lossy()).args([server.to_string_lossy().as_ref(), "10"]),
    )?;
    api_check_with(&server, "150")?;
    step(
        "end-to-end (Playwright, release SPA + real server)",
        cmd("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("tests/e2e"))
            .env("VINANO_SERVER_BIN", &server),
    )?;
    // Last: it rebuilds the debug server with the app inside, which the steps above don't want.
    dist::dist(true)?;
    println!("\nAll checks passed in {:.0?}.", started.elapsed());
    Ok(())
}

/// The load benchmark (BENCHMARKS.md): the release server, simulated people, then one abusive person.
/// The crash loop built for the debug server (which `cargo test` built: its integration tests need it).
fn debug_crash_loop() -> Result<PathBuf> {
    let crash = root().join("target/debug/examples/crash");
    if !crash.exists() {
        step(
            "build the crash loop",
            cmd("cargo").args(["build", "-p", "vinano-server", "--example", "crash"]),
        )?;
    }
    Ok(crash)
}

/// The crash loop on two replicas behind HAProxy (Debian's, installed when missing) on the throw-away
/// PostgreSQL server at `url`: each kill takes one replica down while the other serves.
fn replicas_crash_loop(url: &str) -> Result {
    let haproxy = haproxy()?;
    let crash = debug_crash_loop()?;
    let server = root().join("target/debug/vinano-server");
    step(
        "crash loop, two replicas on PostgreSQL behind HAProxy (6 kills)",
        cmd(&crash.to_string_lossy()).args([
            server.to_string_lossy().as_ref(),
            "6",
            "--postgres",
            url,
            "--haproxy",
            haproxy,
        ]),
    )
}

fn load(args: &[String]) -> Result {
    let compare = args.iter().any(|a| a == "--compare");
    let numbers: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let seconds = numbers.first().map(|s| s.as_str()).unwrap_or("60");
    let people = numbers.get(1).map(|s| s.as_str()).unwrap_or("200");
    let server = release_server()?;
    let mut run = cmd("cargo");
    run.args(["run", "--profile", "server", "-p", "vinano-server", "--example", "load", "--"]).args([
        server.to_string_lossy().as_ref(),
        seconds,
        people,
    ]);
    if !compare {
        return step("load benchmark", &mut run);
    }
    // SQLite, PostgreSQL and two replicas behind HAProxy, side by side (BENCHMARKS.md).
    let cluster = postgres::Cluster::start(apt)?;
    let haproxy = haproxy()?;
    step(
        "load benchmark: SQLite, PostgreSQL, two replicas",
        run.args(["--postgres", &cluster.url, "--haproxy", haproxy]),
    )
}

/// Debian's HAProxy, installed when missing.
fn haproxy() -> Result<&'static str> {
    let haproxy = "/usr/sbin/haproxy";
    if !Path::new(haproxy).exists() {
        step("apt-get update", &mut apt(&["update"]))?;
        step("install haproxy", &mut apt(&["install", "-y", "--no-install-recommends", "haproxy"]))?;
    }
    Ok(haproxy)
}

/// The Python of the virtual environment schemathesis is installed in.
fn schemathesis_python() -> PathBuf {
    root().join("target/schemathesis/bin/python")
}

/// Schemathesis against the release server (`tests/api/`).
fn api_check(seconds: &str) -> Result {
    bootstrap(true)?;
    api_check_with(&release_server()?, seconds)
}

/// Runs `tests/api/run.py` (schemathesis) against `server` for `seconds`.
fn api_check_with(server: &Path, seconds: &str) -> Result {
    step(
        &format!("API check (schemathesis, {seconds} s)"),
        cmd(&schemathesis_python().to_string_lossy()).args([
            "tests/api/run.py",
            server.to_string_lossy().as_ref(),
            seconds,
        ]),
    )
}

/// Builds the server with the `server` profile (what `cargo xtask run` serves) and returns its path.
fn release_server() -> Result<PathBuf> {
    step(
        "build server (release)",
        cmd("cargo").args(["build", "--profile", "server", "-p", "vinano-server"]),
    )?;
    Ok(root().join("target/server/vinano-server"))
}

/// Coverage-guided fuzzing of the targets in `crates/fuzz` (see `fuzz/`), `seconds` each: optimised code
/// with debug assertions and overflow checks (a panic is the crash being looked for; the workspace has no
/// `unsafe`, so no sanitizer).
fn fuzz(seconds: &str, only: Option<&str>) -> Result {
    if output("cargo", &["+nightly", "--version"]).is_none() {
        return Err("cargo xtask fuzz needs a nightly toolchain (rustup toolchain install nightly)".into());
    }
    if output("cargo", &["fuzz", "--version"]).is_none() {
        step("install cargo-fuzz", cmd("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let corpus = root().join("fuzz/corpus");
    step(
        "write the seeds",
        cmd("cargo").args(["run", "-q", "-p", "vinano-fuzz", "--bin", "fuzz-seeds", "--"]).arg(&corpus),
    )?;
    let targets = ["decode", "plan_text", "plan_json", "sealed", "config", "cookies"];
    for target in targets.iter().filter(|t| only.is_none_or(|o| o == **t)) {
        step(
            &format!("fuzz {target} for {seconds} s"),
            cmd("cargo")
                .args([
                    "+nightly",
                    "fuzz",
                    "run",
                    "--sanitizer",
                    "none",
                    "--debug-assertions",
                    "--fuzz-dir",
                    "fuzz",
                    target,
                ])
                .arg(corpus.join(target))
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-rss_limit_mb=2048",
                    "-timeout=10",
                    "-print_final_stats=1",
                ]),
        )?;
    }
    Ok(())
}

/// The crash loop (RELIABILITY.md) against the release server.
fn crash_test(kills: &str) -> Result {
    step(
        "build server and crash loop (release)",
        cmd("cargo").args([
            "build",
            "--profile",
            "server",
            "-p",
            "vinano-server",
            "--bins",
            "--example",
            "crash",
        ]),
    )?;
    let server = root().join("target/server/vinano-server");
    let crash = root().join("target/server/examples/crash");
    step(
        &format!("crash loop ({kills} kills)"),
        cmd(&crash.to_string_lossy()).args([server.to_string_lossy().as_ref(), kills]),
    )
}

/// The photo-prep benchmark: runs `tests/bench/run-prep.mjs` against the release SPA, then scores each
/// output against a reference made natively by `vinano-imaging` (decode) and `image` (exact float
/// Lanczos3), and prints a Markdown table for BENCHMARKS.md.
/// The on-device editor's benchmark (BENCHMARKS.md): background removal and a 10 % erase of a 2048-px photo
/// in the release device worker, in headless Chromium.
/// `RUSTFLAGS` for the wasm-bindgen tests: warnings denied, and SIMD as the shipped bundles have it.
const WASM_TEST_FLAGS: &str = "-D warnings -C target-feature=+simd128";

fn bench_device(runs: &str) -> Result {
    bootstrap(true)?;
    build_spa()?;
    let model = root().join("target/models/u2netp.onnx");
    step(
        "on-device editor benchmark in headless Chromium",
        cmd("node").args(["tests/bench/run-device.mjs", "dist", &model.to_string_lossy(), runs]),
    )
}

fn bench_prep(runs: &str) -> Result {
    bootstrap(true)?;
    build_spa()?;
    let out = root().join("target/bench/prep");
    step(
        "photo-prep benchmark in headless Chromium",
        cmd("node").args(["tests/bench/run-prep.mjs", "dist", &out.to_string_lossy(), runs]),
    )?;
    let read = |name: &str| std::fs::read(out.join(name)).map_err(|e| format!("{name}: {e}"));
    let decode = |bytes: &[u8]| {
        vinano_imaging::decode(bytes, vinano_imaging::DecodeLimits::default())
            .map(|d| d.image.to_rgb8())
            .map_err(|e| e.to_string())
    };
    let timings: serde_json::Value =
        serde_json::from_slice(&read("timings.json")?).map_err(|e| format!("timings.json: {e}"))?;
    let methods = timings["methods"].as_object().ok_or("timings.json has no methods")?;
    let source = image::DynamicImage::ImageRgb8(decode(&read("source.jpg")?)?);
    let pica_ms = methods["pica"]["medianMs"].as_f64().ok_or("no pica timing")?;

    println!("\n{}\n", timings["userAgent"].as_str().unwrap_or_default());
    println!(
        "| method | median ms | pica ÷ this | PSNR RGB / luma (dB) | bytes | decode / resize / encode ms |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    for (name, m) in methods {
        let file = read(&format!("{name}.jpg"))?;
        let output = decode(&file)?;
        let reference = source
            .resize_exact(output.width(), output.height(), image::imageops::FilterType::Lanczos3)
            .to_rgb8();
        let ms = m["medianMs"].as_f64().unwrap_or(f64::NAN);
        let steps = m["steps"].as_array().map_or("—".to_string(), |s| {
            s.iter()
                .map(|v| v.as_f64().map_or("—".to_string(), |ms| format!("{ms:.0}")))
                .collect::<Vec<_>>()
                .join(" / ")
        });
        println!(
            "| {name} ({}×{}) | {ms:.0} | {:.2}× | {:.2} / {:.2} | {} | {steps} |",
            output.width(),
            output.height(),
            pica_ms / ms,
            psnr(output.as_raw(), reference.as_raw()),
            psnr(&luma(&output), &luma(&reference)),
            file.len()
        );
    }
    Ok(())
}

/// BT.601 luma of each pixel: the comparison least affected by each encoder's chroma subsampling.
fn luma(img: &image::RgbImage) -> Vec<u8> {
    img.pixels()
        .map(|p| (0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])).round() as u8)
        .collect()
}

/// Peak signal-to-noise ratio of two same-sized 8-bit sample buffers, in dB.
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let sum: f64 = a.iter().zip(b).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum();
    let mse = sum / a.len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

//! `vinano-server`: starts the API and SPA server with configuration from `vinano.toml` and `VINANO_*` variables.
//!
//! `vinano-server admin delete-under-13 <email or username>` deletes, at once and without a grace period, an
//! account an administrator found to belong to someone under 13 (as the privacy policy promises).
//!
//! `vinano-server admin verify-audit-log` checks the hash chain of the moderation log (exit status 1 and
//! the first altered entry when it doesn't hold). The server checks it at start-up too.
//!
//! `vinano-server admin reconcile`, with the server stopped, empties the deletion queue, removes every file
//! no row names and every temporary file (whatever their age: nothing is in flight) and reports rows whose
//! file is missing (exit status 1 when there are any). With PostgreSQL or a bucket, replicas on other machines
//! may be writing, so files younger than an hour are left alone unless `--all-stopped` says none runs.
//!
//! `vinano-server admin backup <dir> [--with-master-key]` copies the database and the (sealed) images
//! while servers run; `admin restore <dir> [--force]`, with them stopped, puts a backup back
//! ([`vinano_server::backup`]).
//!
//! `vinano-server --version` prints the version (also at `GET /api/v1/version`); `/healthz` and `/readyz`
//! answer probes (see [`vinano_server::health`]).
//!
//! Servers hold `<data dir>/server.lock` shared while they run (several may serve one directory);
//! `admin reconcile` needs it alone and is refused while a server runs.

use std::sync::Arc;
use vinano_server::storage::DataDirUse;
use vinano_server::{clock::SystemClock, http, jobs, AppState, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("--version" | "-V")) {
        println!("vinano-server {}", vinano_server::health::VERSION);
        return Ok(());
    }
    let mut config = Config::load()?;
    vinano_server::logging::init(config.log_format);
    if args.first().map(String::as_str) == Some("admin") {
        return admin(config, &args[1..]).await;
    }
    // A binary that carries the app serves it, unless a directory to serve is named (`VINANO_DIST_DIR`, or
    // `dist_dir` in vinano.toml).
    let dist_named =
        std::env::var_os("VINANO_DIST_DIR").is_some() || config.dist_dir != std::path::Path::new("dist");
    if !dist_named {
        std::fs::create_dir_all(&config.data_dir)?;
        if let Some(dir) = vinano_server::embedded::unpack(&config.data_dir)? {
            config.dist_dir = dir;
        }
    }
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no built SPA found; run `cargo xtask run` to build it");
    }
    let bind = config.bind;
    let _lock = vinano_server::storage::lock_data_dir(&config.data_dir, DataDirUse::Serve)?;
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    jobs::spawn_workers(&state, state.config.job_workers);
    vinano_server::policy::publish(&state).await?;
    vinano_server::mail::spawn_sender(&state)?;
    vinano_server::rights::export::spawn_worker(&state);
    vinano_server::retention::spawn(&state, std::time::Duration::from_secs(3600));
    vinano_server::limits::spawn_pruner(state.limits.clone(), std::time::Duration::from_secs(60));
    vinano_server::moderation::spawn_verify(&state);
    let tls = state.config.tls.as_ref().map(vinano_server::serve::rustls_config).transpose()?;
    // Listening for SIGTERM starts before the port opens: a stop sent as soon as the server answers must
    // not meet the default action (killed, not stopped).
    let stop = stop_signal();
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{}", listener.local_addr()?);
    tracing::info!(%url, "ViNano is running");
    // (In JSON mode the log line above says it; standard output then holds nothing but JSON.)
    if state.config.log_format == vinano_server::config::LogFormat::Text {
        println!("ViNano is running at {url}");
    }
    let limits = state.config.connections;
    vinano_server::serve::serve(listener, http::app(state.clone()), tls, limits, stop).await;
    if let Err(e) = vinano_server::stopping::stop(&state).await {
        tracing::error!(error = ?e, "handing back work in progress failed; its leases will run out instead");
    }
    tracing::info!("ViNano stopped");
    Ok(())
}

/// Completes on SIGINT (Ctrl+C) or SIGTERM (what systemd, Docker and deploy tools send): the server then
/// stops accepting, lets requests in flight finish (up to 10 seconds), hands back the jobs and exports it
/// holds and lets the mail sender finish the message it is on ([`vinano_server::stopping`]), and exits
/// with status 0.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        match term {
            Some(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            None => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("stopping: no new connections; finishing the requests in flight");
    }
}

/// Administrator commands, run against the configured data directory.
async fn admin(config: Config, args: &[String]) -> anyhow::Result<()> {
    match args {
        [command, login] if command == "delete-under-13" => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            match vinano_server::rights::delete_under_13(&state, login).await? {
                Some((id, retained)) => {
                    println!("Deleted account {id} (under 13), with everything in it.");
                    if retained > 0 {
                        println!("{retained} image(s) kept for legal reasons (evidence hold).");
                    }
                    Ok(())
                }
                None => anyhow::bail!("no open account has the email or username {login:?}"),
            }
        }
        [command, login] if command == "grant-admin" => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            match vinano_server::admin::grant_admin(&state, login, "cli").await? {
                Some(id) => {
                    println!("Account {id} is an administrator now.");
                    Ok(())
                }
                None => anyhow::bail!("no open account has the email or username {login:?}"),
            }
        }
        [command] if command == "invite" => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let code = vinano_server::admin::create_invite(&state, "cli").await?;
            let days = vinano_server::admin::INVITE_DAYS;
            println!("{}/signup?invite={code}   (one account, within {days} days)", state.config.site_url());
            Ok(())
        }
        [command, rest @ ..] if command == "partner" => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            println!("{}", vinano_server::partners::cli::run(&state, rest).await?);
            Ok(())
        }
        [command] if command == "verify-audit-log" => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            match vinano_server::moderation::verify_chain(&state.db).await? {
                Ok(entries) => {
                    println!("The moderation log is intact: {entries} entries, each chained to the one before.");
                    Ok(())
                }
                Err(seq) => anyhow::bail!(
                    "the moderation log was altered: entry {seq} doesn't match the chain (edited, inserted or removed)"
                ),
            }
        }
        [command, rest @ ..] if command == "reconcile" && rest.iter().all(|a| a == "--all-stopped") => {
            let _lock = vinano_server::storage::lock_data_dir(&config.data_dir, DataDirUse::Alone)?;
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let emptied = vinano_server::trash::empty(&state).await?;
            // The data directory's lock shows only this machine's servers: with a shared database or bucket,
            // replicas elsewhere may be mid-upload, so their young files are left alone — unless the operator
            // says every replica is stopped.
            let shared = (state.config.database_url.is_some() || state.config.s3.is_some()) && rest.is_empty();
            let window =
                if shared { vinano_server::reconcile::SAFETY_WINDOW } else { std::time::Duration::ZERO };
            let found = vinano_server::reconcile::run(&state, window).await?;
            println!(
                "Deleted files removed: {emptied}; files no row names removed: {}; temporary files removed: {}; \
                 rows whose file is missing: {}.",
                found.orphans, found.temporary, found.missing
            );
            anyhow::ensure!(
                found.missing == 0,
                "{} row(s) name a file that is missing (see the log)",
                found.missing
            );
            Ok(())
        }
        [command, dir, rest @ ..] if command == "backup" && rest.iter().all(|a| a == "--with-master-key") => {
            let with_key = !rest.is_empty();
            let key_from_config = config.master_key.is_some();
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let now = vinano_server::clock::Clock::now_ms(&SystemClock);
            let dest = std::path::Path::new(dir);
            let data = state.config.data_dir.clone();
            let images = match state.blobs.bucket() {
                Some(_) => vinano_server::backup::Images::Bucket(&state.blobs),
                None => vinano_server::backup::Images::Disk,
            };
            let how = (with_key, key_from_config);
            let m = vinano_server::backup::create_with(&state.db, &data, images, dest, how, now).await?;
            if m.images_in_bucket {
                println!(
                    "Backed up to {dir}: the database (schema {}) and the list of the {} image object(s) it names, \
                     all present in the bucket ({}). Keep the bucket's objects with the store's own means \
                     (versioning, replication or a copy): they are not in this directory.",
                    m.schema, m.images, vinano_server::backup::BUCKET_OBJECTS
                );
            } else {
                println!(
                    "Backed up to {dir}: the database (schema {}), {} image file(s), {} preview(s), {} bytes.",
                    m.schema, m.images, m.previews, m.bytes
                );
            }
            if with_key {
                println!("!! The master key is IN this backup ({dir}/master.key): anyone with the backup can read the images.");
            } else {
                println!(
                    "!! The master key is NOT in this backup. The images in it are sealed: without the key they \
                     can't be read. Keep a copy of {} (or of VINANO_MASTER_KEY) somewhere safe, apart from the backup.",
                    data.join("master.key").display()
                );
            }
            Ok(())
        }
        [command, dir, rest @ ..] if command == "restore" && rest.iter().all(|a| a == "--force") => {
            anyhow::ensure!(config.database_url.is_none(), "{}", vinano_server::backup::POSTGRES);
            let _lock = vinano_server::storage::lock_data_dir(&config.data_dir, DataDirUse::Alone)?;
            let now = vinano_server::clock::Clock::now_ms(&SystemClock);
            let how = (!rest.is_empty(), config.master_key.is_some());
            let in_bucket = config.s3.is_some();
            let restored =
                vinano_server::backup::restore_with(std::path::Path::new(dir), &config.data_dir, how, now, in_bucket)?;
            if let Some(aside) = &restored.moved_aside {
                println!("What the data directory held before is in {}.", aside.display());
            }
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let (opened, failed) = vinano_server::backup::verify(&state).await?;
            let m = &restored.manifest;
            println!("Restored the backup of {} (ViNano {}): {opened} image(s) open with this server's key.", m.created_at, m.version);
            anyhow::ensure!(
                failed.is_empty(),
                "{} image(s) don't open with this server's master key (first: {}): restore the key that was in use \
                 when the backup was made (VINANO_MASTER_KEY or <data dir>/master.key)",
                failed.len(),
                failed[0]
            );
            Ok(())
        }
        _ => anyhow::bail!(
            "usage: vinano-server admin delete-under-13 <email or username>\n       vinano-server admin \
             grant-admin <email or username>\n       vinano-server admin invite\n       vinano-server admin \
             verify-audit-log\n       vinano-server admin reconcile [--all-stopped]   (with the server stopped)\n       \
             vinano-server admin backup <new dir> [--with-master-key]\n       vinano-server admin restore <dir> \
             [--force]   (with the server stopped)\n       {}",
            vinano_server::partners::cli::USAGE
        ),
    }
}

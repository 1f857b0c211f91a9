//! `vinano-server`: starts the API and SPA server with configuration from `vinano.toml` and `VINANO_*` variables.
//!
//! `vinano-server admin delete-under-13 <email or username>` deletes, at once and without a grace period, an
//! account an administrator found to belong to someone under 13 (as the privacy policy promises).

use std::sync::Arc;
use vinano_server::{clock::SystemClock, http, jobs, AppState, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "vinano_server=info,tower_http=warn".into()),
        )
        .init();
    let config = Config::load()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("admin") {
        return admin(config, &args[1..]).await;
    }
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no built SPA found; run `cargo xtask run` to build it");
    }
    let bind = config.bind;
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    jobs::spawn_workers(&state, state.config.job_workers);
    vinano_server::policy::publish(&state).await?;
    vinano_server::mail::spawn_sender(&state)?;
    vinano_server::rights::export::spawn_worker(&state);
    vinano_server::retention::spawn(&state, std::time::Duration::from_secs(3600));
    vinano_server::limits::spawn_pruner(state.limits.clone(), std::time::Duration::from_secs(60));
    if let Some(tls) = state.config.tls.clone() {
        let rustls = vinano_server::serve::rustls_config(&tls)?;
        let listener = std::net::TcpListener::bind(bind)?;
        let url = format!("https://{}", listener.local_addr()?);
        tracing::info!(%url, "ViNano is running (TLS)");
        println!("ViNano is running at {url}");
        let handle = axum_server::Handle::new();
        let stop = handle.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            stop.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
        });
        vinano_server::serve::serve_tls(listener, http::app(state), rustls, handle).await?;
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!(%url, "ViNano is running");
    println!("ViNano is running at {url}");
    axum::serve(listener, http::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
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
        _ => anyhow::bail!("usage: vinano-server admin delete-under-13 <email or username>"),
    }
}

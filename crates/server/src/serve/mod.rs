//! Serving the app: plain HTTP (on localhost, or behind a reverse proxy that terminates TLS and is listed
//! in `VINANO_TRUSTED_PROXIES`), or HTTPS itself with rustls when `VINANO_TLS_CERT` and `VINANO_TLS_KEY`
//! name a PEM certificate chain and private key.
//!
//! The accept loop is ours (HTTP/1.1 through hyper) so that every connection is held to limits: at most
//! `max_connections` at once (past that, new ones wait in the kernel's backlog), request headers (and the
//! TLS handshake) within `header_timeout` — which also closes a keep-alive connection idle that long —, a
//! response the client stops reading fails after `idle_timeout` ([`io::StallGuard`]), and request bodies
//! arrive within [`body::BodyTimeouts`] (a layer of the app).

pub mod body;
pub mod io;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Where the certificate and key are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    /// PEM certificate chain, leaf first (`VINANO_TLS_CERT`).
    pub cert: PathBuf,
    /// PEM private key (`VINANO_TLS_KEY`).
    pub key: PathBuf,
}

/// Loads the certificate and key into a rustls server configuration (TLS 1.2 and 1.3, ring's ciphers).
pub fn rustls_config(tls: &TlsConfig) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    use anyhow::Context;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(&tls.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("VINANO_TLS_CERT: no PEM certificates in {}", tls.cert.display()))?;
    anyhow::ensure!(!certs.is_empty(), "VINANO_TLS_CERT: {} holds no certificate", tls.cert.display());
    let key = PrivateKeyDer::from_pem_file(&tls.key)
        .with_context(|| format!("VINANO_TLS_KEY: no PEM private key in {}", tls.key.display()))?;
    let mut config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .context("the TLS certificate and key don't belong together")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Limits on every connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnLimits {
    /// Connections served at once (`VINANO_MAX_CONNECTIONS`, default 1 000).
    pub max_connections: usize,
    /// Time for a client to send a request's headers, and to finish the TLS handshake; also how long an idle
    /// keep-alive connection stays open (`VINANO_HEADER_TIMEOUT_SECS`, default 10).
    pub header_timeout: Duration,
    /// Time without progress while the client sends a body or reads a response (`VINANO_IDLE_TIMEOUT_SECS`,
    /// default 30).
    pub idle_timeout: Duration,
    /// Time for a whole request body (`VINANO_BODY_TIMEOUT_SECS`, default 300: 20 MB at about 0.5 Mbit/s).
    pub body_timeout: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            max_connections: 1_000,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(300),
        }
    }
}

impl ConnLimits {
    /// The timeouts for request bodies.
    pub fn body(&self) -> body::BodyTimeouts {
        body::BodyTimeouts { idle: self.idle_timeout, total: self.body_timeout }
    }
}

/// Serves `app` on `listener` (over TLS with `tls`) until `shutdown` completes; then stops accepting and
/// gives open connections up to 10 seconds to finish. Stopping loses no request a client already sent: the
/// connections the kernel had completed (waiting in the listen backlog) are taken and served, and every
/// connection gets [`READ_GRACE`] to read a request already on its way before idle ones are closed.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let connections = Connections { app, acceptor, limits, graceful: &graceful };
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        connections.spawn(tcp, peer, permit);
    }
    // The backlog: connected clients whose requests may be on the wire already.
    while let Ok(permit) = permits.clone().try_acquire_owned() {
        match tokio::time::timeout(Duration::ZERO, listener.accept()).await {
            Ok(Ok((tcp, peer))) => connections.spawn(tcp, peer, permit),
            _ => break,
        }
    }
    drop(listener);
    tokio::time::sleep(READ_GRACE).await;
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
}

/// How long connections may still read a request already sent when the server starts stopping.
pub const READ_GRACE: Duration = Duration::from_millis(250);

/// What serving one connection needs.
struct Connections<'a> {
    app: Router,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    limits: ConnLimits,
    graceful: &'a hyper_util::server::graceful::GracefulShutdown,
}

impl Connections<'_> {
    /// Serves one accepted connection (HTTP/1.1, over TLS when configured) on its own task.
    fn spawn(&self, tcp: tokio::net::TcpStream, peer: SocketAddr, permit: tokio::sync::OwnedSemaphorePermit) {
        let _ = tcp.set_nodelay(true);
        let (app, acceptor, watcher, limits) =
            (self.app.clone(), self.acceptor.clone(), self.graceful.watcher(), self.limits);
        tokio::spawn(async move {
            let _permit = permit;
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    tower::ServiceExt::oneshot(app.clone(), request.map(axum::body::Body::new))
                });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let served = match acceptor {
                None => {
                    let io = TokioIo::new(io::StallGuard::new(tcp, limits.idle_timeout));
                    watcher.watch(http.serve_connection(io, service)).await
                }
                Some(acceptor) => {
                    let Ok(Ok(stream)) =
                        tokio::time::timeout(limits.header_timeout, acceptor.accept(tcp)).await
                    else {
                        return;
                    };
                    let io = TokioIo::new(io::StallGuard::new(stream, limits.idle_timeout));
                    watcher.watch(http.serve_connection(io, service)).await
                }
            };
            if let Err(e) = served {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
        });
    }
}

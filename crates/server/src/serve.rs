//! Serving the app: plain HTTP (on localhost, or behind a reverse proxy that terminates TLS and is listed
//! in `VINANO_TRUSTED_PROXIES`), or HTTPS itself with rustls when `VINANO_TLS_CERT` and `VINANO_TLS_KEY`
//! name a PEM certificate chain and private key.

use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

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

/// Serves `app` over HTTPS on `listener` until `handle` shuts it down.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    app: Router,
    tls: Arc<rustls::ServerConfig>,
    handle: axum_server::Handle,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    axum_server::from_tcp_rustls(listener, axum_server::tls_rustls::RustlsConfig::from_config(tls))
        .handle(handle)
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await
}

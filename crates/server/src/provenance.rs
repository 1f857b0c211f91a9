//! Provenance of what ViNano makes (the EU AI Act, Art. 50): every image it makes or edits says so in a
//! machine-readable way, with nothing personal in it. Two marks go in after encoding:
//! - the IPTC digital source type in XMP ([`vinano_imaging::provenance`]);
//! - Content Credentials: a C2PA manifest naming ViNano, the steps as C2PA actions and the model provider
//!   when one made the pixels, signed with the operator's certificate (`VINANO_C2PA_CERT` and
//!   `VINANO_C2PA_KEY`; without them one is issued for this installation into `<data dir>/c2pa/`).
//!
//! `VINANO_C2PA=off` leaves the C2PA manifest out (for operators outside the EU); the XMP mark stays.
//! Uploads carry neither: they are stored without any metadata.

use anyhow::Context as _;
use c2pa::{Builder, BuilderIntent, DigitalSourceType, SigningAlg};
use serde_json::json;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use vinano_engine::{C2paAction, EditPlan};
use vinano_imaging::provenance::Source;
use vinano_imaging::OutputFormat;

/// How Content Credentials are signed (`VINANO_C2PA`, `VINANO_C2PA_CERT`, `VINANO_C2PA_KEY`,
/// `VINANO_C2PA_ALG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Sign a C2PA manifest into each result (`VINANO_C2PA`: `on`, the default, or `off`).
    pub enabled: bool,
    /// The signing certificate, then the certificates that issued it, in PEM (`VINANO_C2PA_CERT`).
    pub cert: Option<PathBuf>,
    /// Its private key, PKCS #8 in PEM (`VINANO_C2PA_KEY`).
    pub key: Option<PathBuf>,
    /// The key's algorithm (`VINANO_C2PA_ALG`: `es256`, the default, `es384`, `es512`, `ps256`, `ps384`,
    /// `ps512` or `ed25519`).
    pub alg: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { enabled: true, cert: None, key: None, alg: "es256".into() }
    }
}

impl Settings {
    /// Reads the `VINANO_C2PA*` names.
    pub(crate) fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut s = Self::default();
        if let Some(v) = var("VINANO_C2PA") {
            s.enabled = match v.trim().to_ascii_lowercase().as_str() {
                "on" | "true" | "1" => true,
                "off" | "false" | "0" => false,
                _ => anyhow::bail!("VINANO_C2PA={v} should be on or off"),
            };
        }
        (s.cert, s.key) = match (var("VINANO_C2PA_CERT"), var("VINANO_C2PA_KEY")) {
            (Some(cert), Some(key)) => (Some(cert.into()), Some(key.into())),
            (None, None) => (None, None),
            _ => anyhow::bail!("VINANO_C2PA_CERT and VINANO_C2PA_KEY go together: set both, or neither"),
        };
        if let Some(v) = var("VINANO_C2PA_ALG") {
            v.to_ascii_lowercase().parse::<SigningAlg>().map_err(|_| {
                anyhow::anyhow!(
                    "VINANO_C2PA_ALG={v} should be es256, es384, es512, ps256, ps384, ps512 or ed25519"
                )
            })?;
            s.alg = v.to_ascii_lowercase();
        }
        Ok(s)
    }
}

/// What made an image, for its manifest: the steps, who did them, and what it started from.
#[derive(Debug, Clone)]
pub(crate) struct Made {
    /// The IPTC digital source type of the result (also in its XMP).
    pub source: Source,
    /// The steps, as C2PA actions.
    pub actions: Vec<C2paAction>,
    /// The model provider that made or edited the pixels (`openai:gpt-image-1`), if one did.
    pub model: Option<String>,
    /// True when the image is an edit of an earlier version (which the manifest names as its parent).
    pub edit: bool,
    /// The print resolution the file says it has (a print-size poster), in dots per inch.
    pub dpi: Option<u32>,
}

impl Made {
    /// The result of `plan`'s steps (after a model provider's edit, when `model` names one).
    pub(crate) fn by_plan(plan: &EditPlan, source: Source, model: Option<String>, edit: bool) -> Self {
        let actions = plan.operations.iter().map(|op| op.c2pa_action()).collect();
        Self { source, actions, model, edit, dpi: plan.dpi() }
    }
}

/// The operator's signing certificate and key: a C2PA signer is made from them for each image.
pub struct ContentCredentials {
    chain: Vec<u8>,
    key: Vec<u8>,
    alg: SigningAlg,
}

impl std::fmt::Debug for ContentCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentCredentials").field("alg", &self.alg).finish_non_exhaustive()
    }
}

impl ContentCredentials {
    /// The configured certificate, or the one issued for this installation under `data_dir` (made on first
    /// start); `None` when Content Credentials are off. A certificate that can't sign stops the start.
    pub fn open(settings: &Settings, data_dir: &Path) -> anyhow::Result<Option<Self>> {
        if !settings.enabled {
            return Ok(None);
        }
        let alg: SigningAlg = settings.alg.parse().map_err(|_| anyhow::anyhow!("VINANO_C2PA_ALG"))?;
        let (chain, key) = match (&settings.cert, &settings.key) {
            (Some(cert), Some(key)) => (
                std::fs::read(cert)
                    .with_context(|| format!("VINANO_C2PA_CERT: could not read {}", cert.display()))?,
                std::fs::read(key)
                    .with_context(|| format!("VINANO_C2PA_KEY: could not read {}", key.display()))?,
            ),
            _ => issued(&data_dir.join("c2pa"))?,
        };
        let credentials = Self { chain, key, alg };
        // A certificate that can't sign, or signs what no reader accepts (a key that isn't the
        // certificate's, a certificate not meant for signing), is found now, not on someone's first edit.
        let probe = vinano_imaging::encode(&vinano_imaging::DynamicImage::new_rgb8(1, 1), OutputFormat::Png)?;
        let made =
            Made { source: Source::Enhanced, actions: Vec::new(), model: None, edit: false, dpi: None };
        const HELP: &str =
            "Content Credentials: the certificate and key in VINANO_C2PA_CERT and VINANO_C2PA_KEY \
                            can't sign a C2PA manifest (VINANO_C2PA=off turns them off)";
        let signed = credentials.sign(&probe.bytes, "image/png", &made).context(HELP)?;
        let reader = c2pa::Reader::from_context(c2pa::Context::new())
            .with_stream("image/png", Cursor::new(signed))
            .context(HELP)?;
        if reader.validation_state() == c2pa::ValidationState::Invalid {
            let codes: Vec<_> = reader
                .validation_status()
                .unwrap_or_default()
                .iter()
                .filter(|s| s.code() != "signingCredential.untrusted")
                .map(|s| s.code().to_string())
                .collect();
            anyhow::bail!("{HELP}: a reader finds {}", codes.join(", "));
        }
        Ok(Some(credentials))
    }

    /// `bytes` (encoded in `format`, with the XMP mark) with a signed manifest of how the image was made.
    /// Signing that fails leaves the file as it was (with its XMP mark), and says so in the log.
    pub(crate) fn seal(&self, bytes: Vec<u8>, mime: &str, made: &Made) -> Vec<u8> {
        match self.sign(&bytes, mime, made) {
            Ok(signed) => signed,
            Err(e) => {
                tracing::error!(error = %e, mime, "could not sign Content Credentials into a result");
                bytes
            }
        }
    }

    /// `bytes`, converted from `original` (another format of the same version): its manifest names the
    /// original, with the original's own manifest, as its parent.
    pub(crate) fn seal_converted(
        &self,
        bytes: Vec<u8>,
        mime: &str,
        original: &[u8],
        original_mime: &str,
    ) -> Vec<u8> {
        let signed = (|| -> c2pa::Result<Vec<u8>> {
            let mut builder = self.builder();
            builder.set_intent(BuilderIntent::Edit);
            let parent = json!({ "title": "The same version", "relationship": "parentOf" }).to_string();
            builder.add_ingredient_from_stream(parent, original_mime, &mut Cursor::new(original))?;
            builder.add_action(json!({ "action": "c2pa.converted", "parameters": { "description": format!("converted to {mime}") } }))?;
            self.write(builder, mime, &bytes)
        })();
        match signed {
            Ok(signed) => signed,
            Err(e) => {
                tracing::error!(error = %e, mime, "could not sign Content Credentials into a converted download");
                bytes
            }
        }
    }

    fn builder(&self) -> Builder {
        let mut builder = Builder::default();
        let mut generator = c2pa::ClaimGeneratorInfo::new("ViNano");
        generator.set_version(env!("CARGO_PKG_VERSION"));
        builder.set_claim_generator_info(generator);
        builder
    }

    fn sign(&self, bytes: &[u8], mime: &str, made: &Made) -> c2pa::Result<Vec<u8>> {
        let mut builder = self.builder();
        let source = digital_source_type(made.source);
        if made.edit {
            // The earlier version is named, not embedded: its own manifest stays in its own file, so a long
            // chain of edits doesn't make each file bigger.
            builder.set_intent(BuilderIntent::Edit);
            let parent: c2pa::Ingredient = serde_json::from_value(
                json!({ "title": "The earlier version", "format": mime, "relationship": "parentOf" }),
            )?;
            builder.add_ingredient(parent);
        } else {
            builder.set_intent(BuilderIntent::Create(source.clone()));
        }
        let local = json!({ "name": "ViNano" });
        if let Some(model) = &made.model {
            let model_source = if made.edit { Source::ModelEdited } else { Source::Generated };
            builder.add_action(json!({
                "action": if made.edit { "c2pa.edited" } else { "c2pa.drawing" },
                "softwareAgent": { "name": model },
                "digitalSourceType": digital_source_type(model_source),
                "parameters": { "description": "made by an image model provider" },
            }))?;
        }
        for action in &made.actions {
            let mut entry = json!({
                "action": action.action,
                "softwareAgent": local,
                "parameters": { "description": action.description },
            });
            if action.trained {
                entry["digitalSourceType"] = json!(digital_source_type(Source::ModelEdited));
            }
            builder.add_action(entry)?;
        }
        self.write(builder, mime, bytes)
    }

    fn write(&self, mut builder: Builder, mime: &str, bytes: &[u8]) -> c2pa::Result<Vec<u8>> {
        let signer = c2pa::create_signer::from_keys(&self.chain, &self.key, self.alg, None)?;
        let mut out = Cursor::new(Vec::with_capacity(bytes.len() + 32 * 1024));
        builder.sign(signer.as_ref(), mime, &mut Cursor::new(bytes), &mut out)?;
        Ok(out.into_inner())
    }
}

/// The XMP mark, then the signed manifest when Content Credentials are on: what every stored result gets.
pub(crate) fn mark(
    credentials: Option<&ContentCredentials>,
    bytes: Vec<u8>,
    format: OutputFormat,
    made: &Made,
) -> Vec<u8> {
    let bytes = match made.dpi {
        Some(dpi) => vinano_imaging::density::set(bytes, format, dpi),
        None => bytes,
    };
    let bytes = vinano_imaging::provenance::mark(bytes, format, made.source);
    match credentials {
        Some(credentials) => credentials.seal(bytes, format.mime(), made),
        None => bytes,
    }
}

/// The C2PA name of an IPTC digital source type (the same URI).
fn digital_source_type(source: Source) -> DigitalSourceType {
    serde_json::from_value(json!(source.uri())).unwrap_or(DigitalSourceType::Other(source.uri()))
}

/// The certificate issued for this installation: a signing certificate and the authority that issued it,
/// made here on first start and kept in `dir/signer.pem` (readable by its owner only) with the key. Returns
/// the chain and the key in PEM.
fn issued(dir: &Path) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    const KEY: &str = "-----BEGIN PRIVATE KEY-----";
    let path = dir.join("signer.pem");
    if !path.exists() {
        std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
        let (chain, key) = issue().context("could not issue a Content Credentials certificate")?;
        let tmp = path.with_extension(format!("tmp-{}", crate::ids::random_hex(4)));
        match crate::storage::durable::create_new(&tmp, &path, format!("{chain}{key}").as_bytes()) {
            // Another process starting at the same time made it first: that one is used.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            written => written.with_context(|| format!("could not write {}", path.display()))?,
        }
        tracing::warn!(
            file = %path.display(),
            "Content Credentials are signed with a certificate issued for this installation; validators show \
             them as from an unknown signer until VINANO_C2PA_CERT and VINANO_C2PA_KEY name one a trusted \
             authority issued"
        );
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    let at = text.find(KEY).with_context(|| format!("{} holds no private key", path.display()))?;
    let (chain, key) = text.as_bytes().split_at(at);
    Ok((chain.to_vec(), key.to_vec()))
}

/// A signing authority and a certificate it issues for C2PA claim signing (P-256, ten years).
pub fn issue() -> anyhow::Result<(String, String)> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    };
    let now = time::OffsetDateTime::now_utc();
    let params = |name: &str| -> anyhow::Result<CertificateParams> {
        let mut p = CertificateParams::new(Vec::<String>::new())?;
        p.distinguished_name.push(DnType::CommonName, name);
        p.distinguished_name.push(DnType::OrganizationName, "ViNano");
        p.not_before = now - time::Duration::days(1);
        p.not_after = now + time::Duration::days(3650);
        Ok(p)
    };
    let authority_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut authority = params("ViNano Content Credentials authority")?;
    authority.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    authority.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let authority = authority.self_signed(&authority_key)?;
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut signer = params("ViNano Content Credentials")?;
    signer.is_ca = IsCa::ExplicitNoCa;
    signer.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    signer.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
    signer.use_authority_key_identifier_extension = true;
    let signer = signer.signed_by(&key, &authority, &authority_key)?;
    Ok((format!("{}{}", signer.pem(), authority.pem()), key.serialize_pem()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        Settings::from_lookup(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn the_switch_and_the_certificate_are_read_and_mistakes_named() {
        assert_eq!(settings(&[]).unwrap(), Settings::default());
        assert!(!settings(&[("VINANO_C2PA", "off")]).unwrap().enabled);
        let e = settings(&[("VINANO_C2PA", "maybe")]).unwrap_err().to_string();
        assert!(e.contains("on or off"), "{e}");
        let e = settings(&[("VINANO_C2PA_CERT", "/c.pem")]).unwrap_err().to_string();
        assert!(e.contains("set both"), "{e}");
        let e = settings(&[("VINANO_C2PA_ALG", "md5")]).unwrap_err().to_string();
        assert!(e.contains("es256"), "{e}");
        assert_eq!(settings(&[("VINANO_C2PA_ALG", "ES384")]).unwrap().alg, "es384");
    }

    #[test]
    fn a_certificate_that_cant_sign_stops_the_start_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
        // A key that isn't the certificate's.
        let (chain, _) = issue().unwrap();
        let (_, other_key) = issue().unwrap();
        std::fs::write(&cert, chain).unwrap();
        std::fs::write(&key, other_key).unwrap();
        let s = Settings { cert: Some(cert.clone()), key: Some(key.clone()), ..Settings::default() };
        let e = format!("{:#}", ContentCredentials::open(&s, dir.path()).unwrap_err());
        assert!(e.contains("VINANO_C2PA_CERT"), "{e}");
        // A file that is no certificate at all.
        std::fs::write(&cert, "not a certificate").unwrap();
        assert!(ContentCredentials::open(&s, dir.path()).is_err());
        // A missing file is named.
        let s = Settings { cert: Some(dir.path().join("nowhere.pem")), ..s };
        let e = format!("{:#}", ContentCredentials::open(&s, dir.path()).unwrap_err());
        assert!(e.contains("nowhere.pem"), "{e}");
    }

    #[test]
    fn the_issued_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = issued(dir.path()).unwrap();
        assert_eq!(issued(dir.path()).unwrap(), first);
        assert!(String::from_utf8_lossy(&first.0).matches("BEGIN CERTIFICATE").count() == 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("signer.pem")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only");
        }
        let off = Settings { enabled: false, ..Settings::default() };
        assert!(ContentCredentials::open(&off, dir.path()).unwrap().is_none());
    }
}

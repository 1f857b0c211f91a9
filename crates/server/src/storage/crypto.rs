//! Encryption at rest: envelope encryption with XChaCha20-Poly1305.
//!
//! Each stored object gets its own random 256-bit data key. The content is sealed with that key (a random
//! 192-bit nonce; the object's name as associated data, so a file moved under another name fails to open),
//! and the data key is sealed with the server's master key. On disk:
//!
//! ```text
//! "VNB1" | key nonce (24) | sealed data key (32 + 16 tag) | content nonce (24) | sealed content (n + 16 tag)
//! ```
//!
//! The master key comes from `VINANO_MASTER_KEY` (64 hex digits); without it, one is generated on first
//! start into `<data dir>/master.key` (mode 0600). Keep that file out of backups of the data it protects.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::path::Path;

const MAGIC: &[u8; 4] = b"VNB1";
const NONCE: usize = 24;
const TAG: usize = 16;
const HEADER: usize = MAGIC.len() + NONCE + 32 + TAG + NONCE;

/// The server's key-encryption key.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

fn broken(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string())
}

impl MasterKey {
    /// A key from 64 hex digits.
    pub fn from_hex(text: &str) -> anyhow::Result<Self> {
        let bytes =
            hex::decode(text.trim()).map_err(|_| anyhow::anyhow!("the master key must be 64 hex digits"))?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| anyhow::anyhow!("the master key must be 64 hex digits"))?;
        Ok(Self(key))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self(key)
    }

    /// Reads the key file, creating it (readable by its owner only) when there is none.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context;
        if path.exists() {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            return Self::from_hex(&text).with_context(|| format!("in {}", path.display()));
        }
        let key = Self::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
        std::io::Write::write_all(&mut file, hex::encode(key.0).as_bytes())?;
        Ok(key)
    }

    fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(key.into())
    }

    /// Seals `plaintext` stored under `name`.
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut data_key = [0u8; 32];
        let mut key_nonce = [0u8; NONCE];
        let mut content_nonce = [0u8; NONCE];
        let mut rng = rand::rngs::OsRng;
        rng.fill_bytes(&mut data_key);
        rng.fill_bytes(&mut key_nonce);
        rng.fill_bytes(&mut content_nonce);
        let wrapped = Self::cipher(&self.0)
            .encrypt(XNonce::from_slice(&key_nonce), Payload { msg: &data_key, aad: name.as_bytes() })
            .expect("sealing 32 bytes cannot fail");
        let sealed = Self::cipher(&data_key)
            .encrypt(XNonce::from_slice(&content_nonce), Payload { msg: plaintext, aad: name.as_bytes() })
            .expect("XChaCha20-Poly1305 accepts any length we store");
        let mut out = Vec::with_capacity(HEADER + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&key_nonce);
        out.extend_from_slice(&wrapped);
        out.extend_from_slice(&content_nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`MasterKey::seal`] made for `name`; any change to the bytes, the name or the key fails.
    pub fn open(&self, name: &str, sealed: &[u8]) -> std::io::Result<Vec<u8>> {
        if sealed.len() < HEADER + TAG || &sealed[..4] != MAGIC {
            return Err(broken("not an encrypted ViNano object"));
        }
        let (key_nonce, rest) = sealed[4..].split_at(NONCE);
        let (wrapped, rest) = rest.split_at(32 + TAG);
        let (content_nonce, content) = rest.split_at(NONCE);
        let data_key = Self::cipher(&self.0)
            .decrypt(XNonce::from_slice(key_nonce), Payload { msg: wrapped, aad: name.as_bytes() })
            .map_err(|_| broken("the object's key does not open with this master key"))?;
        let data_key: [u8; 32] = data_key.try_into().map_err(|_| broken("damaged object key"))?;
        Self::cipher(&data_key)
            .decrypt(XNonce::from_slice(content_nonce), Payload { msg: content, aad: name.as_bytes() })
            .map_err(|_| broken("the object is damaged or was tampered with"))
    }
}

/// True when `bytes` are in the sealed format.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_objects_open_only_unchanged_under_their_name_and_key() {
        let key = MasterKey::generate();
        let secret = b"\xFF\xD8\xFF\xE0 a JPEG, say".to_vec();
        let sealed = key.seal("abc123", &secret);
        assert!(is_sealed(&sealed));
        assert_eq!(sealed.len(), HEADER + secret.len() + TAG);
        assert!(!sealed.windows(4).any(|w| w == &secret[..4]), "no plaintext signature on disk");
        assert_eq!(key.open("abc123", &sealed).unwrap(), secret);
        // Another name, another key, or one flipped bit: refused.
        assert!(key.open("abc124", &sealed).is_err());
        assert!(MasterKey::generate().open("abc123", &sealed).is_err());
        for at in [5, HEADER - 1, sealed.len() - 1] {
            let mut tampered = sealed.clone();
            tampered[at] ^= 1;
            assert!(key.open("abc123", &tampered).is_err(), "flip at {at}");
        }
        // Same content twice: different bytes (fresh keys and nonces).
        assert_ne!(key.seal("abc123", &secret), sealed);
    }

    #[test]
    fn keys_come_from_hex_or_a_private_file() {
        assert!(MasterKey::from_hex(&"ab".repeat(32)).is_ok());
        assert!(MasterKey::from_hex("abcd").is_err());
        assert!(MasterKey::from_hex(&"zz".repeat(32)).is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let first = MasterKey::load_or_create(&path).unwrap();
        let again = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}

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
//! Large objects (data exports) are sealed as a stream instead, so neither writing nor reading holds them in
//! memory: the same wrapped data key, then the content in 64 KiB segments with the STREAM construction
//! (XChaCha20-Poly1305, a 19-byte random nonce prefix, a 32-bit segment counter and a last-segment flag), so
//! reordered, dropped or truncated segments fail to open:
//!
//! ```text
//! "VNS1" | key nonce (24) | sealed data key (32 + 16 tag) | nonce prefix (19) | segments (≤ 64 KiB + 16 tag each)
//! ```
//!
//! The master key comes from `VINANO_MASTER_KEY` (64 hex digits); without it, one is generated on first
//! start into `<data dir>/master.key` (mode 0600). Keep that file out of backups of the data it protects.

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8; 4] = b"VNB1";
const NONCE: usize = 24;
const TAG: usize = 16;
const HEADER: usize = MAGIC.len() + NONCE + 32 + TAG + NONCE;
const STREAM_MAGIC: &[u8; 4] = b"VNS1";
/// Plaintext bytes per segment of a sealed stream.
const SEGMENT: usize = 64 * 1024;
/// Nonce prefix of the STREAM construction: 24 bytes less the 4-byte counter and the 1-byte last flag.
const STREAM_NONCE: usize = NONCE - 5;
const STREAM_HEADER: usize = STREAM_MAGIC.len() + NONCE + 32 + TAG + STREAM_NONCE;

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
    /// An HMAC-SHA256 tag of `message` under a key derived from this one for `purpose` alone (the master
    /// key itself never signs anything), for values the server hands out and must recognise later.
    pub fn mac(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let derive = |key: &[u8], data: &[u8]| -> [u8; 32] {
            let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
            m.update(data);
            m.finalize().into_bytes().into()
        };
        let subkey = derive(&self.0, format!("vinano/{purpose}").as_bytes());
        derive(&subkey, message)
    }

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
        // Written whole and flushed before it gets its name: a power cut right after the first start can't
        // leave an empty key file behind sealed images. If another process made one meanwhile, that is it.
        let key = Self::generate();
        let tmp = path.with_extension(format!("tmp-{}", crate::ids::random_hex(4)));
        match super::durable::create_new(&tmp, path, hex::encode(key.0).as_bytes()) {
            Ok(()) => Ok(key),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load_or_create(path),
            Err(e) => Err(anyhow::Error::from(e).context(format!("creating {}", path.display()))),
        }
    }

    fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(key.into())
    }

    /// A fresh data key, and that key sealed with the master key for `name`: `(key, key nonce | sealed key)`.
    fn new_data_key(&self, name: &str) -> ([u8; 32], Vec<u8>) {
        let mut data_key = [0u8; 32];
        let mut key_nonce = [0u8; NONCE];
        rand::rngs::OsRng.fill_bytes(&mut data_key);
        rand::rngs::OsRng.fill_bytes(&mut key_nonce);
        let wrapped = Self::cipher(&self.0)
            .encrypt(XNonce::from_slice(&key_nonce), Payload { msg: &data_key, aad: name.as_bytes() })
            .expect("sealing 32 bytes cannot fail");
        let mut out = key_nonce.to_vec();
        out.extend_from_slice(&wrapped);
        (data_key, out)
    }

    /// Opens a data key sealed by [`MasterKey::new_data_key`] (`key nonce | sealed key`) for `name`.
    fn open_data_key(&self, name: &str, sealed: &[u8]) -> std::io::Result<[u8; 32]> {
        let (key_nonce, wrapped) = sealed.split_at(NONCE);
        let data_key = Self::cipher(&self.0)
            .decrypt(XNonce::from_slice(key_nonce), Payload { msg: wrapped, aad: name.as_bytes() })
            .map_err(|_| broken("the object's key does not open with this master key"))?;
        data_key.try_into().map_err(|_| broken("damaged object key"))
    }

    /// Starts sealing a stream stored under `name` into `inner`; call [`SealedWriter::finish`] at the end
    /// (a stream that was never finished does not open).
    pub fn seal_stream<W: Write>(&self, name: &str, mut inner: W) -> std::io::Result<SealedWriter<W>> {
        let (data_key, sealed_key) = self.new_data_key(name);
        let mut prefix = [0u8; STREAM_NONCE];
        rand::rngs::OsRng.fill_bytes(&mut prefix);
        inner.write_all(STREAM_MAGIC)?;
        inner.write_all(&sealed_key)?;
        inner.write_all(&prefix)?;
        let encryptor = EncryptorBE32::from_aead(Self::cipher(&data_key), prefix.as_slice().into());
        Ok(SealedWriter {
            inner,
            encryptor: Some(encryptor),
            buffer: Vec::with_capacity(SEGMENT),
            aad: name.as_bytes().to_vec(),
        })
    }

    /// Opens a stream sealed by [`MasterKey::seal_stream`] for `name`: reads and checks its header now, and
    /// each segment as it is read (a damaged, reordered or cut-short stream is a read error, never other bytes).
    pub fn open_stream<R: Read>(&self, name: &str, mut inner: R) -> std::io::Result<SealedReader<R>> {
        let mut header = [0u8; STREAM_HEADER];
        inner.read_exact(&mut header).map_err(|_| broken("not an encrypted ViNano stream"))?;
        if &header[..4] != STREAM_MAGIC {
            return Err(broken("not an encrypted ViNano stream"));
        }
        let data_key = self.open_data_key(name, &header[4..4 + NONCE + 32 + TAG])?;
        let prefix = &header[4 + NONCE + 32 + TAG..];
        Ok(SealedReader {
            inner,
            decryptor: Some(DecryptorBE32::from_aead(Self::cipher(&data_key), prefix.into())),
            pending: Vec::with_capacity(SEGMENT + TAG + 1),
            plain: Vec::new(),
            at: 0,
            aad: name.as_bytes().to_vec(),
            failed: false,
        })
    }

    /// Seals `plaintext` stored under `name`.
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> Vec<u8> {
        let (data_key, sealed_key) = self.new_data_key(name);
        let mut content_nonce = [0u8; NONCE];
        rand::rngs::OsRng.fill_bytes(&mut content_nonce);
        let sealed = Self::cipher(&data_key)
            .encrypt(XNonce::from_slice(&content_nonce), Payload { msg: plaintext, aad: name.as_bytes() })
            .expect("XChaCha20-Poly1305 accepts any length we store");
        let mut out = Vec::with_capacity(HEADER + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&sealed_key);
        out.extend_from_slice(&content_nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`MasterKey::seal`] made for `name`; any change to the bytes, the name or the key fails.
    pub fn open(&self, name: &str, sealed: &[u8]) -> std::io::Result<Vec<u8>> {
        if sealed.len() < HEADER + TAG || &sealed[..4] != MAGIC {
            return Err(broken("not an encrypted ViNano object"));
        }
        let (sealed_key, rest) = sealed[4..].split_at(NONCE + 32 + TAG);
        let (content_nonce, content) = rest.split_at(NONCE);
        let data_key = self.open_data_key(name, sealed_key)?;
        Self::cipher(&data_key)
            .decrypt(XNonce::from_slice(content_nonce), Payload { msg: content, aad: name.as_bytes() })
            .map_err(|_| broken("the object is damaged or was tampered with"))
    }
}

/// Writes a sealed stream (see [`MasterKey::seal_stream`]), one 64 KiB segment at a time.
pub struct SealedWriter<W: Write> {
    inner: W,
    encryptor: Option<EncryptorBE32<XChaCha20Poly1305>>,
    buffer: Vec<u8>,
    aad: Vec<u8>,
}

impl<W: Write> SealedWriter<W> {
    /// Seals what is left as the last segment and returns the inner writer (flushed).
    pub fn finish(mut self) -> std::io::Result<W> {
        let encryptor = self.encryptor.take().ok_or_else(|| broken("stream already finished"))?;
        let sealed = encryptor
            .encrypt_last(Payload { msg: &self.buffer, aad: &self.aad })
            .map_err(|_| broken("could not seal the last segment"))?;
        self.inner.write_all(&sealed)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for SealedWriter<W> {
    fn write(&mut self, mut data: &[u8]) -> std::io::Result<usize> {
        let written = data.len();
        while !data.is_empty() {
            if self.buffer.len() == SEGMENT {
                // More is coming, so the full buffer is not the last segment.
                let encryptor = self.encryptor.as_mut().ok_or_else(|| broken("stream already finished"))?;
                let sealed = encryptor
                    .encrypt_next(Payload { msg: &self.buffer, aad: &self.aad })
                    .map_err(|_| broken("too many segments in one stream"))?;
                self.inner.write_all(&sealed)?;
                self.buffer.clear();
            }
            let take = (SEGMENT - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Segments are sealed whole; only the inner writer can be flushed.
        self.inner.flush()
    }
}

/// Reads a sealed stream (see [`MasterKey::open_stream`]), checking each segment before handing out its bytes.
pub struct SealedReader<R: Read> {
    inner: R,
    decryptor: Option<DecryptorBE32<XChaCha20Poly1305>>,
    /// Sealed bytes read ahead (up to one segment and one byte, to know whether a segment is the last).
    pending: Vec<u8>,
    plain: Vec<u8>,
    at: usize,
    aad: Vec<u8>,
    /// A segment failed to open: every later read fails too (never a quiet, early end).
    failed: bool,
}

impl<R: Read> SealedReader<R> {
    /// Opens the next segment into `plain`; false at the end of the stream.
    fn next_segment(&mut self) -> std::io::Result<bool> {
        if self.decryptor.is_none() {
            return Ok(false);
        }
        let want = SEGMENT + TAG + 1;
        while self.pending.len() < want {
            let start = self.pending.len();
            self.pending.resize(want, 0);
            let n = self.inner.read(&mut self.pending[start..])?;
            self.pending.truncate(start + n);
            if n == 0 {
                break;
            }
        }
        let last = self.pending.len() < want;
        let segment_len = if last { self.pending.len() } else { SEGMENT + TAG };
        if segment_len < TAG {
            return Err(broken("the stream is cut short"));
        }
        let payload = Payload { msg: &self.pending[..segment_len], aad: &self.aad };
        self.plain = if last {
            let decryptor = self.decryptor.take().expect("checked above");
            decryptor.decrypt_last(payload)
        } else {
            self.decryptor.as_mut().expect("checked above").decrypt_next(payload)
        }
        .map_err(|_| broken("the stream is damaged, cut short or was tampered with"))?;
        self.pending.drain(..segment_len);
        self.at = 0;
        Ok(true)
    }
}

impl<R: Read> Read for SealedReader<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.plain.len() {
            if self.failed {
                return Err(broken("the stream is damaged, cut short or was tampered with"));
            }
            match self.next_segment() {
                Ok(true) => {}
                Ok(false) => return Ok(0),
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
        let n = out.len().min(self.plain.len() - self.at);
        out[..n].copy_from_slice(&self.plain[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The plaintext length of a sealed stream whose file is `sealed_len` bytes long (for `Content-Length`).
pub fn stream_plaintext_len(sealed_len: u64) -> Option<u64> {
    let body = sealed_len.checked_sub(STREAM_HEADER as u64)?;
    let segments = body.div_ceil((SEGMENT + TAG) as u64).max(1);
    body.checked_sub(segments * TAG as u64)
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

    fn seal_stream_of(key: &MasterKey, name: &str, data: &[u8], chunk: usize) -> Vec<u8> {
        let mut writer = key.seal_stream(name, Vec::new()).unwrap();
        for part in data.chunks(chunk.max(1)) {
            writer.write_all(part).unwrap();
        }
        writer.finish().unwrap()
    }

    #[test]
    fn a_damaged_last_segment_keeps_failing_instead_of_ending_quietly() {
        let key = MasterKey::generate();
        let mut sealed = seal_stream_of(&key, "export1", &[7u8; SEGMENT + 100], 4096);
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        let mut reader = key.open_stream("export1", sealed.as_slice()).unwrap();
        let mut buffer = vec![0u8; 2 * SEGMENT];
        assert_eq!(reader.read(&mut buffer).unwrap(), SEGMENT);
        assert!(reader.read(&mut buffer).is_err());
        assert!(
            reader.read(&mut buffer).is_err(),
            "a second read after the failure must not look like the end"
        );
    }

    fn open_stream_of(key: &MasterKey, name: &str, sealed: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        key.open_stream(name, sealed)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn sealed_streams_round_trip_at_every_segment_boundary() {
        let key = MasterKey::generate();
        for len in [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 17] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            for chunk in [1000, SEGMENT, 7 * SEGMENT] {
                let sealed = seal_stream_of(&key, "export1", &data, chunk);
                assert_eq!(stream_plaintext_len(sealed.len() as u64), Some(len as u64), "len {len}");
                assert_eq!(
                    open_stream_of(&key, "export1", &sealed).unwrap(),
                    data,
                    "len {len} chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn sealed_streams_refuse_damage_truncation_reordering_and_other_names() {
        let key = MasterKey::generate();
        let data: Vec<u8> = b"PK\x03\x04 zip bytes ".iter().copied().cycle().take(3 * SEGMENT + 5).collect();
        let sealed = seal_stream_of(&key, "export1", &data, 4096);
        assert!(!sealed.windows(4).any(|w| w == b"PK\x03\x04"), "no plaintext signature on disk");
        assert!(open_stream_of(&key, "export2", &sealed).is_err());
        assert!(open_stream_of(&MasterKey::generate(), "export1", &sealed).is_err());
        for at in [3, STREAM_HEADER - 1, STREAM_HEADER + 10, sealed.len() - 1] {
            let mut tampered = sealed.clone();
            tampered[at] ^= 1;
            assert!(open_stream_of(&key, "export1", &tampered).is_err(), "flip at {at}");
        }
        // Cut after whole segments (the reader must not take a middle segment for the last).
        let whole = STREAM_HEADER + 2 * (SEGMENT + TAG);
        assert!(open_stream_of(&key, "export1", &sealed[..whole]).is_err());
        assert!(open_stream_of(&key, "export1", &sealed[..sealed.len() - 3]).is_err());
        // Two segments swapped.
        let mut swapped = sealed[..STREAM_HEADER].to_vec();
        let seg = |i: usize| {
            &sealed[STREAM_HEADER + i * (SEGMENT + TAG)..STREAM_HEADER + (i + 1) * (SEGMENT + TAG)]
        };
        swapped.extend_from_slice(seg(1));
        swapped.extend_from_slice(seg(0));
        swapped.extend_from_slice(&sealed[STREAM_HEADER + 2 * (SEGMENT + TAG)..]);
        assert!(open_stream_of(&key, "export1", &swapped).is_err());
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

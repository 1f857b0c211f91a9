//! Random identifiers and tokens.

use rand::RngCore;

/// A new random id: 128 bits as 32 lowercase hex characters.
pub fn new_id() -> String {
    random_hex(16)
}

/// `n` random bytes from the operating system's generator, as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

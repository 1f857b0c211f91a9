//! Short-lived signed addresses: a file's link that works without a session until its deadline, because it
//! carries a signature of what it opens and when it stops, under a key derived from the master key for one
//! purpose. The widget's image links and the pictures of a shared page are made and checked here.

use crate::storage::crypto::MasterKey;

/// The signature (hex) of `subject` until `expires` (unix ms), for `purpose`.
pub fn signature(key: &MasterKey, purpose: &str, subject: &str, expires: i64) -> String {
    hex::encode(key.mac(purpose, format!("{subject}.{expires}").as_bytes()))
}

/// Whether `sig` is [`signature`]'s for `subject` and `expires`, and the deadline is still ahead of `now` but
/// no further than `longest` ms (no link outlives the lifetime the server gives its links). The comparison
/// takes the same time whatever the signature.
pub fn holds(
    key: &MasterKey,
    purpose: &str,
    (subject, expires): (&str, i64),
    sig: &str,
    now: i64,
    longest: i64,
) -> bool {
    use hmac::Mac;
    let Ok(given) = hex::decode(sig) else { return false };
    let expected = key.mac(purpose, format!("{subject}.{expires}").as_bytes());
    // Constant time: compare the MACs of both under a fresh key.
    let tag = |bytes: &[u8]| {
        let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(bytes).expect("HMAC takes any key length");
        m.update(b"signed-link");
        m.finalize().into_bytes()
    };
    tag(&expected) == tag(&given) && expires > now && expires <= now + longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_holds_for_its_subject_until_its_deadline_and_for_nothing_else() {
        let key = MasterKey::from_hex(&"07".repeat(32)).unwrap();
        let sig = signature(&key, "files", "abc", 5_000);
        assert!(holds(&key, "files", ("abc", 5_000), &sig, 1_000, 10_000));
        assert!(!holds(&key, "files", ("abc", 5_000), &sig, 5_000, 10_000), "expired");
        assert!(!holds(&key, "files", ("abd", 5_000), &sig, 1_000, 10_000), "another subject");
        assert!(!holds(&key, "files", ("abc", 5_001), &sig, 1_000, 10_000), "another deadline");
        assert!(!holds(&key, "other", ("abc", 5_000), &sig, 1_000, 10_000), "another purpose");
        assert!(!holds(&key, "files", ("abc", 5_000), &sig, 1_000, 3_000), "further than links go");
        assert!(!holds(&key, "files", ("abc", 5_000), "zz", 1_000, 10_000), "not hex");
    }
}

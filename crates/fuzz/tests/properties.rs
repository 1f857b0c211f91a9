//! The fuzz targets as property tests: every seed, then seeds with random edits (bytes changed, inserted,
//! cut off) and plain random bytes. The coverage-guided runs (`cargo xtask fuzz`) go much further; this keeps
//! every target, and every crash they found, checked on every `cargo test`.

use proptest::prelude::*;
use vinano_fuzz::{seeds, TARGETS};

#[test]
fn every_seed_holds() {
    for (name, target) in TARGETS {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name} has seeds");
        for seed in seeds {
            target(&seed);
        }
    }
}

/// A seed of `target` with up to 16 edits: a byte replaced or inserted, or the end cut off.
fn mutated(target: &str) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..4u8), 0..16);
    (prop::sample::select(seeds(target)), edits).prop_map(|(mut bytes, edits)| {
        for (at, byte, kind) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let i = at.index(bytes.len());
            match kind {
                0 | 1 => bytes[i] = byte,
                2 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        bytes
    })
}

fn input(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![3 => mutated(target), 1 => prop::collection::vec(any::<u8>(), 0..512)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decode(data in input("decode")) { vinano_fuzz::decode(&data) }

    #[test]
    fn plan_text(data in input("plan_text")) { vinano_fuzz::plan_text(&data) }

    #[test]
    fn plan_json(data in input("plan_json")) { vinano_fuzz::plan_json(&data) }

    #[test]
    fn sealed(data in input("sealed")) { vinano_fuzz::sealed(&data) }

    #[test]
    fn config(data in input("config")) { vinano_fuzz::config(&data) }

    #[test]
    fn cookies(data in input("cookies")) { vinano_fuzz::cookies(&data) }
}

//! Which shared chunks of the split bundle to merge (`split.rs`).
//!
//! The splitter makes one chunk for every set of pages that share some code: with 11 splits that was 109
//! chunks, most of them a few hundred bytes, and the editor's first load asked for 78 files. Over HTTP/1.1's
//! six connections (and a phone's round trips) the requests, not the bytes, were what it waited for.
//!
//! A small chunk's code moves into the chunk of a *larger set* of pages — one that every page needing the
//! code already loads, so none of them asks for anything new. The pages of the larger set that didn't need
//! the code download its bytes for nothing; the merge that wastes the fewest bytes is taken, the smallest
//! chunk first, until no chunk under the threshold can move.

use std::collections::{BTreeSet, HashMap};

/// A set of splits (pages) that load a chunk.
pub type Splits = BTreeSet<String>;

/// Where each chunk's code goes: the set of splits of the chunk it ends up in, for every chunk in `chunks`
/// (the set of splits that need it, and its size in bytes) whose code moves. Chunks of `small` bytes or
/// more stay as they are; so does a small one that no chunk of a larger set can take.
pub fn grouping(chunks: &[(Splits, u64)], small: u64) -> HashMap<Splits, Splits> {
    // The chunks as they grow: a set, its size, and the original sets whose code it holds.
    let mut groups: Vec<(Splits, u64, Vec<Splits>)> =
        chunks.iter().map(|(splits, size)| (splits.clone(), *size, vec![splits.clone()])).collect();
    loop {
        let mut order: Vec<usize> = (0..groups.len()).filter(|&i| groups[i].1 < small).collect();
        order.sort_by_key(|&i| (groups[i].1, groups[i].0.clone()));
        let merge = order.into_iter().find_map(|from| {
            let (splits, size, _) = &groups[from];
            (0..groups.len())
                .filter(|&to| to != from && groups[to].0.is_superset(splits) && groups[to].0 != *splits)
                // Bytes downloaded for nothing; then the bigger chunk (fewer left under the threshold).
                .min_by_key(|&to| {
                    let extra = (groups[to].0.len() - splits.len()) as u64;
                    (size * extra, std::cmp::Reverse(groups[to].1), groups[to].0.clone())
                })
                .map(|to| (from, to))
        });
        let Some((from, to)) = merge else { break };
        let (_, size, held) = groups.remove(from);
        let to = if to > from { to - 1 } else { to };
        groups[to].1 += size;
        groups[to].2.extend(held);
    }
    let mut moves = HashMap::new();
    for (into, _, held) in groups {
        for splits in held.into_iter().filter(|s| *s != into) {
            moves.insert(splits, into.clone());
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &str) -> Splits {
        names.split(' ').map(String::from).collect()
    }

    #[test]
    fn a_small_chunk_joins_the_superset_that_wastes_least() {
        let chunks = [
            (set("editor me"), 300),
            (set("editor me tools"), 20_000),
            (set("editor me tools library account"), 30_000),
            (set("editor tools"), 50_000),
        ];
        let moves = grouping(&chunks, 1_000);
        // Into "editor me tools" (300 bytes more for tools) rather than the five-page chunk (900 more).
        assert_eq!(moves.get(&set("editor me")), Some(&set("editor me tools")));
        // Big chunks stay.
        assert_eq!(moves.len(), 1);
    }

    #[test]
    fn merged_code_follows_its_chunk_and_an_orphan_stays() {
        let chunks = [
            (set("a b"), 100),
            (set("a b c"), 200),
            (set("a b c d"), 5_000),
            // No chunk of a larger set holds every page of this one.
            (set("c e"), 50),
        ];
        let moves = grouping(&chunks, 1_000);
        // "a b" first joins "a b c" (the least waste); that group, still small, then joins "a b c d".
        assert_eq!(moves.get(&set("a b")), Some(&set("a b c d")));
        assert_eq!(moves.get(&set("a b c")), Some(&set("a b c d")));
        assert_eq!(moves.get(&set("c e")), None);
        assert_eq!(moves.len(), 2);
        // Every page that needed the code still loads the chunk it is in.
        for (from, to) in &moves {
            assert!(to.is_superset(from), "{from:?} moved into {to:?}");
        }
    }
}

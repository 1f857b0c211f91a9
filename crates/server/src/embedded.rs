//! The built SPA inside the binary, for a server that is one file (`cargo xtask dist` builds it with the
//! `embed-spa` feature, which embeds the repository's `dist/` with `rust-embed`, the `.br`/`.gz` twins
//! included). At start the files are written once per build under `<data dir>/spa/<digest>/` and served
//! from there exactly as a dist directory is (precompressed variants, caching, the service worker), so
//! there is one way of serving them. `VINANO_DIST_DIR` still names a directory to serve instead.

use std::path::{Path, PathBuf};

#[cfg(feature = "embed-spa")]
#[derive(rust_embed::RustEmbed)]
#[folder = "../../dist/"]
struct Spa;

/// Whether this binary carries the SPA.
pub const EMBEDDED: bool = cfg!(feature = "embed-spa");

/// The files carried (relative names and bytes); empty without the `embed-spa` feature.
fn files() -> Vec<(String, std::borrow::Cow<'static, [u8]>)> {
    #[cfg(feature = "embed-spa")]
    {
        let mut names: Vec<String> = Spa::iter().map(|n| n.into_owned()).collect();
        names.sort();
        names.into_iter().filter_map(|n| Some((n.clone(), Spa::get(&n)?.data))).collect()
    }
    #[cfg(not(feature = "embed-spa"))]
    Vec::new()
}

/// Writes the embedded SPA under `<data_dir>/spa/` (unless this build's copy is already there) and returns
/// its directory; `None` for a binary without one.
pub fn unpack(data_dir: &Path) -> anyhow::Result<Option<PathBuf>> {
    unpack_files(data_dir, &files())
}

/// [`unpack`] for these files.
fn unpack_files(
    data_dir: &Path,
    files: &[(String, std::borrow::Cow<'_, [u8]>)],
) -> anyhow::Result<Option<PathBuf>> {
    use anyhow::Context;
    use sha2::{Digest, Sha256};
    if files.is_empty() {
        return Ok(None);
    }
    let mut digest = Sha256::new();
    for (name, bytes) in files {
        anyhow::ensure!(
            !name.split('/').any(|part| part.is_empty() || part == ".." || part == "."),
            "an embedded file has an unsafe name: {name}"
        );
        digest.update((name.len() as u64).to_le_bytes());
        digest.update(name.as_bytes());
        digest.update(Sha256::digest(bytes));
    }
    let root = data_dir.join("spa");
    let dir = root.join(&hex::encode(digest.finalize())[..16]);
    if dir.join("index.html").exists() {
        return Ok(Some(dir));
    }
    // Written whole beside it, then renamed into place: a replica starting at the same moment on the same
    // data directory finds either nothing or every file.
    let tmp = root.join(format!("tmp-{}", crate::ids::random_hex(4)));
    for (name, bytes) in files {
        let path = tmp.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let mut file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        std::io::Write::write_all(&mut file, bytes).with_context(|| format!("writing {}", path.display()))?;
        // Flushed before the directory gets its name: a power cut can't leave a named build with short files.
        file.sync_all()?;
    }
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => crate::storage::durable::sync_dir(&root)?,
        // Another process put the same build in place first.
        Err(_) if dir.join("index.html").exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(anyhow::Error::from(e).context(format!("putting the app in {}", dir.display())));
        }
    }
    Ok(Some(dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn files_are_written_once_per_build_and_unsafe_names_refused() {
        let data = tempfile::tempdir().unwrap();
        let build = vec![
            ("index.html".to_string(), Cow::Borrowed(&b"<title>ViNano</title>"[..])),
            ("app-0123456789abcd.js.br".to_string(), Cow::Borrowed(&[1u8, 2, 3][..])),
            ("icons/icon-192.png".to_string(), Cow::Borrowed(&[9u8][..])),
        ];
        let dir = unpack_files(data.path(), &build).unwrap().unwrap();
        assert_eq!(std::fs::read(dir.join("index.html")).unwrap(), b"<title>ViNano</title>");
        assert_eq!(std::fs::read(dir.join("icons/icon-192.png")).unwrap(), [9]);
        // The same build again: the same directory, nothing rewritten; another build: another directory.
        assert_eq!(unpack_files(data.path(), &build).unwrap().unwrap(), dir);
        let mut next = build.clone();
        next[0].1 = Cow::Borrowed(&b"<title>ViNano 2</title>"[..]);
        let other = unpack_files(data.path(), &next).unwrap().unwrap();
        assert_ne!(other, dir);
        let left: Vec<_> = std::fs::read_dir(data.path().join("spa")).unwrap().flatten().collect();
        assert_eq!(left.len(), 2, "no temporary directory left behind");
        let evil = vec![("../escape.html".to_string(), Cow::Borrowed(&b"x"[..]))];
        assert!(unpack_files(data.path(), &evil).is_err());
        assert!(!data.path().join("escape.html").exists());
        assert!(unpack_files(data.path(), &[]).unwrap().is_none());
    }
}

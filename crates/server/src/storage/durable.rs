//! Writes that survive a power cut, not only a crash: the bytes go to a temporary file in the same file
//! system, which is flushed to the disk (`fsync`) before it is renamed over the final name, and the
//! directory is flushed after the rename so the new name is on the disk too. A reader sees the old file,
//! or the whole new one; after a power cut a name that was reported written holds its bytes.

use std::io::Write;
use std::path::Path;

/// Flushes a directory's entries (new, renamed or removed names) to the disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes `bytes` to `tmp` and flushes them, with the file readable by its owner only when `private`.
/// The temporary file is removed again when anything fails.
fn write_synced(tmp: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let written = options.open(tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if written.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    written
}

/// Replaces `dest` with `bytes` durably (through `tmp`, which must be on the same file system and must not
/// exist). Blocking: call it from a blocking thread.
pub fn write_atomic(tmp: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_synced(tmp, bytes, false)?;
    if let Err(e) = std::fs::rename(tmp, dest) {
        let _ = std::fs::remove_file(tmp);
        return Err(e);
    }
    sync_dir(dest.parent().unwrap_or(Path::new(".")))
}

/// Copies the file `from` over `dest` durably (through `tmp`, as [`write_atomic`]), streamed (a database of
/// any size is never read into memory whole) and with `from`'s permissions (a private key stays private).
/// Returns the bytes copied. Blocking.
pub fn copy_atomic(from: &Path, tmp: &Path, dest: &Path) -> std::io::Result<u64> {
    let copied = std::fs::copy(from, tmp).and_then(|n| std::fs::File::open(tmp)?.sync_all().map(|()| n));
    let renamed = copied.and_then(|n| std::fs::rename(tmp, dest).map(|()| n));
    if renamed.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    let n = renamed?;
    sync_dir(dest.parent().unwrap_or(Path::new(".")))?;
    Ok(n)
}

/// Creates `dest` with `bytes` durably, readable by its owner only, unless it already exists (then
/// `AlreadyExists`, and `dest` is left as it was: two processes starting at once can't overwrite each
/// other's file). Blocking.
pub fn create_new(tmp: &Path, dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_synced(tmp, bytes, true)?;
    // A hard link fails when the name exists, where a rename would replace it.
    let linked = std::fs::hard_link(tmp, dest);
    let _ = std::fs::remove_file(tmp);
    linked?;
    sync_dir(dest.parent().unwrap_or(Path::new(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a");
        std::fs::write(&dest, b"old").unwrap();
        write_atomic(&dir.path().join("a.tmp"), &dest, b"new bytes").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new bytes");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A temporary name that is taken fails without touching the file.
        std::fs::write(dir.path().join("b.tmp"), b"x").unwrap();
        assert!(write_atomic(&dir.path().join("b.tmp"), &dest, b"other").is_err());
        assert_eq!(std::fs::read(&dest).unwrap(), b"new bytes");
    }

    #[test]
    fn creating_never_overwrites_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("key");
        create_new(&dir.path().join("key.1"), &dest, b"first").unwrap();
        let second = create_new(&dir.path().join("key.2"), &dest, b"second");
        assert_eq!(second.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&dest).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary files removed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}

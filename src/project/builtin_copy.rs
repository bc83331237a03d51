//! The built-in KB as read-only files in the user cache folder, so that "go to definition"
//! on a built-in entity opens something real: every file of [`BUILTIN_KB_FILES`] is written
//! to one folder under its own name (`<builtin>/entities.toml` → `<folder>/entities.toml`).
//!
//! The cache folder is shared with whatever else runs as the user, so nothing there is
//! trusted: a link planted at a copy's path (or at its folder) is never written through.
//! Each copy is written to a new file (`O_EXCL`, which never follows a link), renamed into
//! place (a rename replaces a link, it does not follow it), and read back — without
//! following links — before it is used.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::kb::{BUILTIN_KB_FILES, BUILTIN_KB_PREFIX};

/// Write the built-in KB files to `<cache>/seed-lsp/<version>-<hash>/`, read-only, unless
/// identical copies are already there, and return that folder. `None` when there is no
/// cache directory, it cannot be written, or a link stands in the way.
pub fn materialise_builtin(cache_dir: Option<PathBuf>) -> Option<PathBuf> {
    let hash = BUILTIN_KB_FILES
        .iter()
        .flat_map(|(name, text)| name.bytes().chain([0]).chain(text.bytes()))
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    let cache_dir = cache_dir?;
    let dir = cache_dir
        .join("seed-lsp")
        .join(format!("{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    for (name, text) in BUILTIN_KB_FILES {
        let path = dir.join(name.strip_prefix(BUILTIN_KB_PREFIX).unwrap_or(name));
        if is_copy_of(&path, text) {
            continue;
        }
        if let Err(e) = write_read_only(&cache_dir, &dir, &path, text) {
            tracing::warn!("cannot materialise the built-in KB ({name}) at {}: {e}", path.display());
            return None;
        }
    }
    Some(dir)
}

/// Write `text` to `path` in `dir` (under `cache_dir`), read-only, through a new file renamed
/// into place; then check what is there.
fn write_read_only(cache_dir: &Path, dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // The two folders made here are real folders, not links to somewhere else.
    for folder in [cache_dir.join("seed-lsp"), dir.to_path_buf()] {
        if !std::fs::symlink_metadata(&folder)?.is_dir() {
            return Err(std::io::Error::other(format!("{} is not a folder", folder.display())));
        }
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o444);
    }
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    let placed = written.and_then(|()| {
        #[cfg(not(unix))]
        {
            let mut permissions = std::fs::metadata(&temp)?.permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(&temp, permissions)?;
        }
        std::fs::rename(&temp, path)
    });
    if placed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    placed?;
    if is_copy_of(path, text) {
        Ok(())
    } else {
        Err(std::io::Error::other("the copy written is not the built-in KB"))
    }
}

/// True when `path` is a regular file (not a link) holding exactly `text`.
fn is_copy_of(path: &Path, text: &str) -> bool {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !metadata.is_file() || metadata.len() != text.len() as u64 {
        return false;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut existing = String::new();
    options
        .open(path)
        .and_then(|file| file.take(text.len() as u64 + 1).read_to_string(&mut existing))
        .is_ok_and(|_| existing == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_is_copied_read_only_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = materialise_builtin(Some(dir.path().to_path_buf())).unwrap();
        for (name, text) in BUILTIN_KB_FILES {
            let path = folder.join(name.strip_prefix(BUILTIN_KB_PREFIX).unwrap());
            assert_eq!(std::fs::read_to_string(&path).unwrap(), *text, "{name}");
            assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        }
        assert_eq!(materialise_builtin(Some(dir.path().to_path_buf())), Some(folder));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_in_the_cache_is_never_written_through() {
        let cache = tempfile::tempdir().unwrap();
        let victim_dir = tempfile::tempdir().unwrap();
        let victim = victim_dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        // Find where the copy goes, then put a link there instead.
        let folder = materialise_builtin(Some(cache.path().to_path_buf())).unwrap();
        let (name, text) = BUILTIN_KB_FILES[0];
        let path = folder.join(name.strip_prefix(BUILTIN_KB_PREFIX).unwrap());
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert_eq!(
            materialise_builtin(Some(cache.path().to_path_buf())),
            Some(folder.clone())
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        // A link in place of the version folder: refused, nothing written there.
        std::fs::remove_dir_all(&folder).unwrap();
        std::os::unix::fs::symlink(victim_dir.path(), &folder).unwrap();
        assert_eq!(materialise_builtin(Some(cache.path().to_path_buf())), None);
        assert_eq!(
            std::fs::read_dir(victim_dir.path()).unwrap().count(),
            1,
            "only the victim"
        );
    }
}

//! The built-in KB as a read-only file in the user cache folder, so that "go to definition"
//! on a built-in entity opens something real.
//!
//! The cache folder is shared with whatever else runs as the user, so nothing there is
//! trusted: a link planted at the copy's path (or at its folder) is never written through.
//! The copy is written to a new file (`O_EXCL`, which never follows a link), renamed into
//! place (a rename replaces a link, it does not follow it), and read back — without
//! following links — before it is used.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::kb::{BUILTIN_KB, BUILTIN_KB_NAME};

/// Write the built-in KB to `<cache>/seed-lsp/<version>-<hash>/entities.toml`, read-only,
/// unless an identical copy is already there. `None` when there is no cache directory, it
/// cannot be written, or a link stands in the way.
pub fn materialise_builtin(cache_dir: Option<PathBuf>) -> Option<PathBuf> {
    let hash = BUILTIN_KB.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let cache_dir = cache_dir?;
    let dir = cache_dir
        .join("seed-lsp")
        .join(format!("{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    let path = dir.join(crate::kb::KB_FILE_NAME);
    if is_the_builtin_copy(&path) {
        return Some(path);
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        // The two folders made here are real folders, not links to somewhere else.
        for folder in [cache_dir.join("seed-lsp"), dir.clone()] {
            if !std::fs::symlink_metadata(&folder)?.is_dir() {
                return Err(std::io::Error::other(format!("{} is not a folder", folder.display())));
            }
        }
        let temp = dir.join(format!(".{}.{}.tmp", crate::kb::KB_FILE_NAME, std::process::id()));
        let _ = std::fs::remove_file(&temp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o444);
        }
        let written = options.open(&temp).and_then(|mut file| {
            file.write_all(BUILTIN_KB.as_bytes())?;
            file.sync_all()
        });
        let placed = written.and_then(|()| {
            #[cfg(not(unix))]
            {
                let mut permissions = std::fs::metadata(&temp)?.permissions();
                permissions.set_readonly(true);
                std::fs::set_permissions(&temp, permissions)?;
            }
            std::fs::rename(&temp, &path)
        });
        if placed.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        placed?;
        if is_the_builtin_copy(&path) {
            Ok(())
        } else {
            Err(std::io::Error::other("the copy written is not the built-in KB"))
        }
    };
    match write() {
        Ok(()) => Some(path),
        Err(e) => {
            tracing::warn!(
                "cannot materialise the built-in KB ({BUILTIN_KB_NAME}) at {}: {e}",
                path.display()
            );
            None
        }
    }
}

/// True when `path` is a regular file (not a link) holding the built-in KB.
fn is_the_builtin_copy(path: &Path) -> bool {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !metadata.is_file() || metadata.len() != BUILTIN_KB.len() as u64 {
        return false;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut text = String::new();
    options
        .open(path)
        .and_then(|file| file.take(BUILTIN_KB.len() as u64 + 1).read_to_string(&mut text))
        .is_ok_and(|_| text == BUILTIN_KB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_copy_is_read_only_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = materialise_builtin(Some(dir.path().to_path_buf())).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), BUILTIN_KB);
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        assert_eq!(materialise_builtin(Some(dir.path().to_path_buf())), Some(path));
    }

    #[test]
    fn a_link_planted_in_the_cache_is_never_written_through() {
        let cache = tempfile::tempdir().unwrap();
        let victim_dir = tempfile::tempdir().unwrap();
        let victim = victim_dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        // Find where the copy goes, then put a link there instead.
        let path = materialise_builtin(Some(cache.path().to_path_buf())).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert_eq!(
            materialise_builtin(Some(cache.path().to_path_buf())),
            Some(path.clone())
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), BUILTIN_KB);
        // A link in place of the version folder: refused, nothing written there.
        let version_dir = path.parent().unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::remove_dir(version_dir).unwrap();
        std::os::unix::fs::symlink(victim_dir.path(), version_dir).unwrap();
        assert_eq!(materialise_builtin(Some(cache.path().to_path_buf())), None);
        assert_eq!(
            std::fs::read_dir(victim_dir.path()).unwrap().count(),
            1,
            "only the victim"
        );
    }
}

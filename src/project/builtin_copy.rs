//! The built-in KB as a read-only file in the user cache folder, so that "go to definition"
//! on a built-in entity opens something real.

use std::path::PathBuf;

use crate::kb::{BUILTIN_KB, BUILTIN_KB_NAME};

/// Write the built-in KB to `<cache>/seed-lsp/<version>-<hash>/entities.toml`, read-only,
/// unless an identical copy is already there. `None` when there is no cache directory or it
/// cannot be written.
pub fn materialise_builtin(cache_dir: Option<PathBuf>) -> Option<PathBuf> {
    let hash = BUILTIN_KB.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let dir = cache_dir?
        .join("seed-lsp")
        .join(format!("{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    let path = dir.join(crate::kb::KB_FILE_NAME);
    if std::fs::read_to_string(&path).is_ok_and(|existing| existing == BUILTIN_KB) {
        return Some(path);
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        if path.exists() {
            let mut permissions = std::fs::metadata(&path)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&path, permissions)?;
        }
        std::fs::write(&path, BUILTIN_KB)?;
        let mut permissions = std::fs::metadata(&path)?.permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions)
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
}

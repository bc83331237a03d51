//! The built-in KB as read-only files in the user cache folder, so that "go to definition"
//! on a built-in entity opens something real: every file of [`BUILTIN_KB_FILES`] is written
//! to one folder under its own name (`<builtin>/entities.toml` → `<folder>/entities.toml`).

use std::path::{Path, PathBuf};

use crate::kb::{BUILTIN_KB_FILES, BUILTIN_KB_PREFIX};

/// Write the built-in KB files to `<cache>/seed-lsp/<version>-<hash>/`, read-only, unless
/// identical copies are already there, and return that folder. `None` when there is no
/// cache directory or it cannot be written.
pub fn materialise_builtin(cache_dir: Option<PathBuf>) -> Option<PathBuf> {
    let hash = BUILTIN_KB_FILES
        .iter()
        .flat_map(|(name, text)| name.bytes().chain([0]).chain(text.bytes()))
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    let dir = cache_dir?
        .join("seed-lsp")
        .join(format!("{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    for (name, text) in BUILTIN_KB_FILES {
        let path = dir.join(name.strip_prefix(BUILTIN_KB_PREFIX).unwrap_or(name));
        if let Err(e) = write_read_only(&dir, &path, text) {
            tracing::warn!("cannot materialise the built-in KB ({name}) at {}: {e}", path.display());
            return None;
        }
    }
    Some(dir)
}

/// Write `text` to `path` (in `dir`) and make it read-only, unless it already holds `text`.
fn write_read_only(dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    if path.exists() {
        let mut permissions = std::fs::metadata(path)?.permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(path, permissions)?;
    }
    std::fs::write(path, text)?;
    let mut permissions = std::fs::metadata(path)?.permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions)
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
}

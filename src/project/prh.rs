//! prh dictionaries read from disk (with the one reading policy) for
//! [`crate::analysis::prh`], which parses, compiles and merges them.

use std::path::{Path, PathBuf};

use super::read::{read_small_file, ReadProblem};
use crate::analysis::prh::{load_with, DictionaryFiles, LoadedPrh};

/// A prh dictionary is a few hundred rules; anything much larger is not one.
pub const MAX_DICTIONARY_BYTES: u64 = 4 << 20;

/// Dictionary files on disk.
pub struct Disk;

impl DictionaryFiles for Disk {
    fn key(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.into()))
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        read_small_file(path, MAX_DICTIONARY_BYTES).map_err(|problem| match problem {
            ReadProblem::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        })
    }
}

/// Read the dictionaries at `paths` and everything they import.
pub fn load(paths: &[PathBuf]) -> LoadedPrh {
    load_with(paths, &Disk)
}

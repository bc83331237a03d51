//! prh dictionaries read from disk (with the one reading policy, inside the [`ReadScope`]) for
//! [`crate::analysis::prh`], which parses, compiles and merges them: the configured
//! dictionaries and every import go through [`Disk::read`].

use std::path::{Path, PathBuf};

use super::read::{read_small_file, ReadProblem};
use super::scope::ReadScope;
use crate::analysis::prh::{load_with, DictionaryFiles, LoadedPrh};

/// A prh dictionary is a few hundred rules; anything much larger is not one.
pub const MAX_DICTIONARY_BYTES: u64 = 4 << 20;

/// Dictionary files on disk, read only inside a scope.
pub struct Disk<'s>(pub &'s ReadScope);

impl DictionaryFiles for Disk<'_> {
    fn key(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.into()))
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        let read = self
            .0
            .check(path)
            .and_then(|()| read_small_file(path, MAX_DICTIONARY_BYTES));
        read.map_err(|problem| match problem {
            ReadProblem::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        })
    }
}

/// Read the dictionaries at `paths` and everything they import, inside `scope`.
pub fn load(paths: &[PathBuf], scope: &ReadScope) -> LoadedPrh {
    load_with(paths, &Disk(scope))
}

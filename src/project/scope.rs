//! What the program may read besides the notes: the workspace folders, and the files and
//! folders the user allowed beyond them (the editor setting `files.allow`, the CLI's
//! `--allow-read`). A prh import, a `kb.paths` entry or a `prh.paths` entry that leads outside
//! — `/etc/shadow`, `~/.ssh/id_rsa`, or a link inside the workspace that points there — is
//! refused with a message that names the setting, and its content is never read, so it can
//! never come back in a diagnostic, a SARIF file or a pull-request annotation.
//!
//! A workspace's own `seed-lsp.toml` cannot widen the scope: a cloned repository would
//! otherwise allow itself whatever it likes.

use std::path::{Path, PathBuf};

use super::read::ReadProblem;

/// The folders (and files) under which files named by settings and dictionaries may be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadScope {
    /// Canonical workspace folders.
    roots: Vec<PathBuf>,
    /// Canonical paths allowed by the user.
    allowed: Vec<PathBuf>,
}

impl ReadScope {
    /// The scope of the workspace folders `roots`, widened by `allowed` (both resolved through
    /// links, as the files checked against them are).
    pub fn new(roots: &[PathBuf], allowed: &[PathBuf]) -> Self {
        ReadScope {
            roots: roots.iter().map(|p| canonical(p)).collect(),
            allowed: allowed.iter().map(|p| canonical(p)).collect(),
        }
    }

    /// Whether `path` may be read: the file it leads to, links resolved, is inside a workspace
    /// folder or an allowed path. A file that does not exist is left to the read to report.
    pub fn check(&self, path: &Path) -> Result<(), ReadProblem> {
        let real = match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => return Ok(()),
        };
        let inside = self.roots.iter().chain(&self.allowed).any(|r| real.starts_with(r));
        if inside {
            Ok(())
        } else {
            Err(ReadProblem::OutsideWorkspace)
        }
    }

    /// Whether `path` lies in a workspace folder (not counting what the user allowed): where
    /// edits may be proposed.
    pub fn in_workspace(&self, path: &Path) -> bool {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| canonical(path));
        self.roots.iter().any(|r| real.starts_with(r))
    }
}

/// `path` resolved through links when it exists, else made absolute and tidied (`..` and `.`
/// removed).
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    crate::base::lexically_normal(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_workspace_and_what_the_user_allowed_may_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("vault");
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(workspace.join("dict")).unwrap();
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::write(workspace.join("dict/prh.yml"), "").unwrap();
        std::fs::write(shared.join("prh.yml"), "").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", workspace.join("dict/link.yml")).unwrap();
        let scope = ReadScope::new(std::slice::from_ref(&workspace), &[]);
        let refused = |scope: &ReadScope, p: &Path| matches!(scope.check(p), Err(ReadProblem::OutsideWorkspace));
        assert!(scope.check(&workspace.join("dict/prh.yml")).is_ok());
        assert!(scope.check(&workspace.join("dict/../dict/prh.yml")).is_ok());
        assert!(refused(&scope, Path::new("/etc/passwd")));
        assert!(
            refused(&scope, &workspace.join("dict/link.yml")),
            "a link inside the workspace that leads out"
        );
        assert!(refused(&scope, &workspace.join("../shared/prh.yml")));
        let widened = ReadScope::new(std::slice::from_ref(&workspace), std::slice::from_ref(&shared));
        assert!(widened.check(&shared.join("prh.yml")).is_ok());
        assert!(
            !widened.in_workspace(&shared.join("prh.yml")),
            "allowed to read, not to edit"
        );
        assert!(widened.in_workspace(&workspace.join("dict/new.toml")));
        assert_eq!(canonical(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}

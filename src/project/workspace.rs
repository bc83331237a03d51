//! A workspace opened for a command-line run (`check`, `entities`, `kb check`): the folder
//! the command runs in is the workspace root, as an editor opened there. Its `seed-lsp.toml`
//! is read, the notes under the given paths are found, and the KB (built-in, the workspace's
//! `entities.toml` files, `kb.paths`) and the prh dictionaries are loaded — all with the one
//! reading policy, all reported rather than fatal.

use std::path::{Path, PathBuf};

use super::discover::discover;
use super::kb::{self, KbSources};
use super::read::ReadProblem;
use super::scope::ReadScope;
use crate::analysis::prh::LoadedPrh;
use crate::analysis::settings::{Config, ConfigError, CONFIG_FILE};
use crate::kb::{Kb, KB_FILE_NAME};

pub struct Workspace {
    pub config: Config,
    pub config_errors: Vec<ConfigError>,
    /// Paths asked for that cannot be checked: missing, or neither a file nor a folder
    /// (`check /dev/zero`, a FIFO).
    pub unreadable: Vec<(PathBuf, ReadProblem)>,
    /// The notes found, sorted.
    pub notes: Vec<PathBuf>,
    /// The KB files, with their problems.
    pub kb_sources: KbSources,
    pub kb: Kb,
    /// Where KB files and prh dictionaries may be read from: the current folder and what
    /// `--allow-read` names.
    pub scope: ReadScope,
}

impl Workspace {
    /// Open the workspace rooted at `cwd` for notes under `paths` (default: `seeds/` when
    /// the folder has one, else the folder itself). KB files and dictionaries are read inside
    /// `cwd` and `allowed` only.
    pub fn open(cwd: &Path, paths: &[PathBuf], allowed: &[PathBuf]) -> Workspace {
        let (config, config_errors) = super::config::load_from_dir(cwd);
        let scope = ReadScope::new(&[cwd.to_path_buf()], allowed);
        let roots = if paths.is_empty() {
            default_roots(cwd)
        } else {
            paths.to_vec()
        };
        let mut existing = Vec::new();
        let mut unreadable = Vec::new();
        for root in roots {
            match std::fs::metadata(&root) {
                Ok(m) if m.is_file() || m.is_dir() => existing.push(root),
                Ok(_) => unreadable.push((root, ReadProblem::NotRegular)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder");
                    unreadable.push((root, ReadProblem::Io(e)));
                }
                Err(e) => unreadable.push((root, ReadProblem::Io(e))),
            }
        }
        let found = discover(&existing, &config.include, &config.exclude);
        let kb_paths: Vec<PathBuf> = workspace_kb_files(cwd, found.kb_files)
            .into_iter()
            .chain(config.kb_paths.iter().cloned())
            .collect();
        let mut kb_sources = kb::load(&kb_paths, &scope);
        let (kb, _) = kb_sources.build();
        Workspace {
            config,
            config_errors,
            unreadable,
            notes: found.seeds,
            kb_sources,
            kb,
            scope,
        }
    }

    /// The configured prh dictionaries, when the `prh` rule is on and any are configured.
    pub fn load_prh(&self) -> Option<LoadedPrh> {
        let on = self.config.rules.get(crate::analysis::rules::prh::RULE.id).is_some();
        (on && !self.config.prh_paths.is_empty()).then(|| super::prh::load(&self.config.prh_paths, &self.scope))
    }
}

/// `seeds/` when the current folder has one, else the current folder.
fn default_roots(cwd: &Path) -> Vec<PathBuf> {
    if cwd.join("seeds").is_dir() {
        vec![PathBuf::from("seeds")]
    } else {
        vec![PathBuf::from(".")]
    }
}

/// When the current folder is a workspace (it has a `seed-lsp.toml`, an `entities.toml` or is
/// a git checkout), it is treated as an editor opened there: its `entities.toml` files apply
/// whichever notes are checked, and so do those under checked folders outside it. Elsewhere
/// (checking `/tmp/note.txt` from a home folder) only the KB files under the checked paths
/// apply, and the current folder is not walked. `under_roots` are the KB files found under
/// the checked paths.
fn workspace_kb_files(cwd: &Path, under_roots: Vec<PathBuf>) -> Vec<PathBuf> {
    let is_workspace = [CONFIG_FILE, KB_FILE_NAME, ".git"]
        .iter()
        .any(|marker| cwd.join(marker).exists());
    let tidy = |p: PathBuf| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p);
    if !is_workspace {
        return under_roots.into_iter().map(tidy).collect();
    }
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let cwd = absolute(cwd);
    let mut files: Vec<PathBuf> = discover(&[PathBuf::from(".")], &[], &[])
        .kb_files
        .into_iter()
        .map(tidy)
        .collect();
    files.extend(under_roots.into_iter().filter(|p| !absolute(p).starts_with(&cwd)));
    files
}

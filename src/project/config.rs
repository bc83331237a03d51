//! `seed-lsp.toml`: read from a workspace root with the one reading policy
//! ([`super::read`]) and parsed by [`crate::analysis::settings`].

use std::path::Path;

use super::read::{read_small_file, ReadProblem, MAX_SETTINGS_BYTES};
use super::scope::ReadScope;
use crate::analysis::settings::{Config, ConfigError, CONFIG_FILE};

/// Load `seed-lsp.toml` from `dir` if present; defaults (relative paths resolved against
/// `dir`) otherwise. A file that cannot be read is reported, never fatal.
pub fn load_from_dir(dir: &Path) -> (Config, Vec<ConfigError>) {
    let path = dir.join(CONFIG_FILE);
    let defaults = || Config {
        root: Some(dir.to_path_buf()),
        ..Config::default()
    };
    // A `seed-lsp.toml` that is a link out of the workspace is not read either.
    let read = ReadScope::new(&[dir.to_path_buf()], &[])
        .check(&path)
        .and_then(|()| read_small_file(&path, MAX_SETTINGS_BYTES));
    match read {
        Ok(text) => Config::from_toml(&text, Some(dir)),
        Err(ReadProblem::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => (defaults(), Vec::new()),
        Err(problem) => (
            defaults(),
            vec![ConfigError {
                message: format!("{}: {problem}", path.display()),
            }],
        ),
    }
}

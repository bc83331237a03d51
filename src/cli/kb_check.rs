//! `seed-lsp kb check [FILES…]`: parse and merge KB files on top of the built-in KB and
//! report every problem as `file:line:col: error: message` (1-based, columns in characters).
//!
//! The built-in KB (`src/kb/data/`, compiled in) is always merged first and its problems
//! reported. Without FILES it checks every `entities.toml` under the current folder and the
//! `kb.paths` of `seed-lsp.toml`.

use std::path::{Path, PathBuf};

use crate::project::discover::discover;
use crate::project::kb;
use crate::project::scope::ReadScope;

/// Run `kb check`; returns the process exit code.
pub fn run(files: &[PathBuf]) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    // Files named on the command line are the user's choice; the configured `kb.paths` are
    // read inside the current folder only.
    let scope = ReadScope::new(&[cwd], files);
    let files = if files.is_empty() {
        default_files()
    } else {
        files.to_vec()
    };
    let mut sources = kb::load(&files, &scope);
    let (kb, _) = sources.build();
    let problems = sources.all_problems();
    let mut out = String::new();
    if files.is_empty() {
        out.push_str("no KB files found; checked the built-in KB\n");
    }
    for problem in &problems {
        out.push_str(&problem.render(""));
        out.push('\n');
    }
    for good in sources.good_files() {
        out.push_str(&format!(
            "{}: {} entities, {} titles\n",
            good.file, good.entities, good.titles
        ));
    }
    let failed = !problems.is_empty();
    if failed {
        let n = problems.len();
        out.push_str(&format!("{n} {}\n", if n == 1 { "error" } else { "errors" }));
    } else {
        out.push_str(&format!(
            "{} entities, {} titles: ok\n",
            kb.entities.len(),
            kb.titles.len()
        ));
    }
    super::write_stdout(&out);
    u8::from(failed)
}

/// Every `entities.toml` under the current folder and the configured `kb.paths`.
fn default_files() -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (config, errors) = crate::project::config::load_from_dir(&cwd);
    for e in &errors {
        eprintln!("warning[config]: {}", e.message);
    }
    let mut files = Vec::new();
    let found = discover(&[PathBuf::from(".")], &[], &[]);
    files.extend(
        found
            .kb_files
            .into_iter()
            .map(|p| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)),
    );
    files.extend(config.kb_paths);
    files
}

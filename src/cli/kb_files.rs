//! Building the knowledge base for a command-line run: the built-in KB, then the given KB
//! files in order (later files override earlier ones by `id`). A file that cannot be read or
//! parsed is reported and left out, so the last good files are still used; cross-file
//! problems (unknown `roles.of`, a spelling claimed twice) are reported and the KB is built
//! from everything usable.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::kb::{builtin_source, parse_kb_file, Kb, KbError, KbFile, BUILTIN_KB, BUILTIN_KB_NAME};
use crate::text::{LineIndex, PositionEncoding};

/// A problem in one KB file, with a 1-based line and column (in characters) when known.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KbProblem {
    pub path: String,
    /// 1-based line and column in characters.
    pub position: Option<(u32, u32)>,
    pub message: String,
}

impl KbProblem {
    /// `path:line:col: error{tag}: message`, where `tag` is e.g. `[kb]`.
    pub fn render(&self, tag: &str) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}: error{tag}: {}", self.path, self.message),
            None => format!("{}: error{tag}: {}", self.path, self.message),
        }
    }
}

impl fmt::Display for KbProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(""))
    }
}

/// The merged KB and every problem met while building it.
pub struct LoadedKb {
    pub kb: Kb,
    pub problems: Vec<KbProblem>,
    /// The KB files (besides the built-in one) that were read and parsed without error.
    pub good_files: Vec<GoodFile>,
}

/// A KB file that parsed, with what it declares.
pub struct GoodFile {
    pub path: PathBuf,
    pub entities: usize,
    pub titles: usize,
}

/// Build the KB from the built-in one plus `paths` (duplicates, by canonical path, are
/// read once).
pub fn load(paths: &[PathBuf]) -> LoadedKb {
    let mut texts: HashMap<Arc<str>, Arc<str>> = HashMap::new();
    let mut problems = Vec::new();
    let mut files: Vec<KbFile> = Vec::new();
    let mut good_files = Vec::new();
    match builtin_source() {
        Ok(file) => files.push(file),
        Err(errors) => problems.extend(errors.iter().map(|e| locate(e, BUILTIN_KB))),
    }
    texts.insert(BUILTIN_KB_NAME.into(), BUILTIN_KB.into());
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen.insert(key) {
            continue;
        }
        let name = path.display().to_string();
        let text = match super::input::read_note(path, None) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(KbProblem {
                    path: name,
                    position: None,
                    message: problem.to_string(),
                });
                continue;
            }
        };
        match parse_kb_file(&name, &text) {
            Ok(file) => {
                texts.insert(file.file.clone(), file.text.clone());
                good_files.push(GoodFile {
                    path: path.clone(),
                    entities: file.entities.len(),
                    titles: file.titles.len(),
                });
                files.push(file);
            }
            Err(errors) => problems.extend(errors.iter().map(|e| locate(e, &text))),
        }
    }
    let (kb, errors) = Kb::build(files);
    for e in &errors {
        let text = texts.get(&e.file).map(|t| &**t).unwrap_or("");
        problems.push(locate(e, text));
    }
    problems.sort();
    problems.dedup();
    LoadedKb {
        kb,
        problems,
        good_files,
    }
}

fn locate(error: &KbError, text: &str) -> KbProblem {
    let lc = LineIndex::new(text).line_col(text, error.range.start, PositionEncoding::Utf32);
    KbProblem {
        path: error.file.to_string(),
        position: Some((lc.line + 1, lc.col + 1)),
        message: error.message.clone(),
    }
}

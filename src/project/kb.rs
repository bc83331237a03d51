//! The one KB loader: the knowledge base is built from the built-in KB, then the workspace's
//! `entities.toml` files and the configured `kb.paths`, in the order given (later files
//! override earlier ones by `id`). Each file keeps its current text — the disk's, or the
//! editor's while it is open — its problems, and the last version of it that parsed, so a
//! file with a TOML error shows the error and keeps its last good version in force.
//! Cross-file problems (unknown `roles.of`, a spelling claimed twice) are reported and the
//! KB is built from everything usable.
//!
//! [`KbSources`] is pure bookkeeping over texts; [`read_kb_file`] reads a file from disk with
//! the one reading policy and [`load`] does both for a command-line run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::read::{read_small_file, ReadProblem};
use super::scope::ReadScope;
use crate::base::{FileId, LineIndex, PositionEncoding, TextRange};
use crate::kb::{builtin_sources, parse_kb_file, Kb, KbError, KbFile, BUILTIN_KB_FILES};

/// A KB file is a few megabytes at most (200,000 entities are about 40 MB).
pub const MAX_KB_BYTES: u64 = 64 << 20;

/// A problem in one KB file: where (a byte range of the file's current text, and the same as
/// a 1-based line and column in characters; `None` when the file could not be read) and what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KbProblem {
    /// The file as it was named (a path, or the built-in KB's name).
    pub file: String,
    pub position: Option<(u32, u32)>,
    pub range: Option<TextRange>,
    pub message: String,
}

impl KbProblem {
    /// The problem `error` in `text`, whose line index is `lines`.
    fn at(error: &KbError, text: &str, lines: &LineIndex) -> Self {
        let lc = lines.line_col(text, error.range.start, PositionEncoding::Utf32);
        KbProblem {
            file: error.file.to_string(),
            position: Some((lc.line + 1, lc.col + 1)),
            range: Some(error.range),
            message: error.message.clone(),
        }
    }

    /// `path:line:col: error{tag}: message`, where `tag` is e.g. `[kb]`.
    pub fn render(&self, tag: &str) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}: error{tag}: {}", self.file, self.message),
            None => format!("{}: error{tag}: {}", self.file, self.message),
        }
    }
}

/// The text each KB file of a build was parsed from, by origin name.
pub type KbTexts = Vec<(Arc<str>, Arc<str>)>;

/// A KB file's text and what parsing it gave.
#[derive(Debug)]
pub struct ParsedText {
    text: Arc<str>,
    parsed: Result<KbFile, Vec<KbError>>,
}

impl ParsedText {
    pub fn parse(file: &FileId, text: Arc<str>) -> ParsedText {
        let parsed = parse_kb_file(file.as_str(), &text);
        ParsedText { text, parsed }
    }
}

#[derive(Debug, Default)]
struct KbSource {
    /// Current text, `None` when the file cannot be read.
    text: Option<Arc<str>>,
    /// Why the file cannot be read.
    read_error: Option<String>,
    /// Problems of the current text.
    parse_errors: Vec<KbError>,
    /// The last version that parsed.
    last_good: Option<KbFile>,
}

/// The KB files a knowledge base is built from, in build order, each with its text, its
/// problems and its last good parse.
#[derive(Debug, Default)]
pub struct KbSources {
    files: Vec<(FileId, KbSource)>,
    /// Build problems (unknown references, spellings claimed twice) from the last build.
    build_errors: Vec<KbError>,
}

/// A KB file that parsed, with what it declares.
pub struct GoodFile {
    pub file: FileId,
    pub entities: usize,
    pub titles: usize,
}

impl KbSources {
    /// The workspace KB files known, in build order.
    pub fn files(&self) -> impl Iterator<Item = &FileId> {
        self.files.iter().map(|(f, _)| f)
    }

    pub fn contains(&self, file: &FileId) -> bool {
        self.files.iter().any(|(f, _)| f == file)
    }

    fn entry(&mut self, file: &FileId) -> &mut KbSource {
        let i = match self.files.iter().position(|(f, _)| f == file) {
            Some(i) => i,
            None => {
                self.files.push((file.clone(), KbSource::default()));
                self.files.len() - 1
            }
        };
        &mut self.files[i].1
    }

    /// Set a file's current text; returns true when that changes anything.
    pub fn set_text(&mut self, file: &FileId, text: Arc<str>) -> bool {
        if self.has_text(file, &text) {
            return false;
        }
        self.set_parsed(file, ParsedText::parse(file, text))
    }

    /// True when `text` is already the file's current text (nothing to parse).
    pub fn has_text(&self, file: &FileId, text: &str) -> bool {
        self.files
            .iter()
            .any(|(f, s)| f == file && s.text.as_deref() == Some(text) && s.read_error.is_none())
    }

    /// Set a file's current text with its parse, made beforehand (outside any lock: a large
    /// KB file takes a while to parse); returns true when that changes anything.
    pub fn set_parsed(&mut self, file: &FileId, parsed: ParsedText) -> bool {
        if self.has_text(file, &parsed.text) {
            return false;
        }
        let source = self.entry(file);
        match parsed.parsed {
            Ok(good) => {
                source.parse_errors.clear();
                source.last_good = Some(good);
            }
            Err(errors) => source.parse_errors = errors,
        }
        source.text = Some(parsed.text);
        source.read_error = None;
        true
    }

    /// Take what reading a KB file from disk gave ([`read_kb_file`]; a missing file is
    /// forgotten). The caller reads, outside any lock.
    pub fn apply_read(&mut self, file: &FileId, read: Result<String, ReadProblem>) -> bool {
        self.apply_parsed_read(file, read.map(|text| ParsedText::parse(file, text.into())))
    }

    /// [`KbSources::apply_read`], the text parsed by the reader.
    pub fn apply_parsed_read(&mut self, file: &FileId, read: Result<ParsedText, ReadProblem>) -> bool {
        match read {
            Ok(parsed) => self.set_parsed(file, parsed),
            Err(ReadProblem::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => self.forget(file),
            Err(problem) => self.set_read_error(file, &problem),
        }
    }

    fn set_read_error(&mut self, file: &FileId, problem: &ReadProblem) -> bool {
        let source = self.entry(file);
        let message = problem.to_string();
        let changed = source.read_error.as_deref() != Some(message.as_str());
        source.read_error = Some(message);
        source.text = None;
        changed
    }

    fn forget(&mut self, file: &FileId) -> bool {
        self.retain(|f| f != file)
    }

    /// Forget files that are no longer KB files of the workspace.
    pub fn retain(&mut self, keep: impl Fn(&FileId) -> bool) -> bool {
        let before = self.files.len();
        self.files.retain(|(f, _)| keep(f));
        before != self.files.len()
    }

    /// Build the KB: the built-in files first, then every file's last good version, in order.
    /// Also returns the text each KB file was parsed from, by origin name (entities point
    /// into those texts).
    pub fn build(&mut self) -> (Kb, KbTexts) {
        let files = self.parsed_files();
        let texts = files.iter().map(|f| (f.file.clone(), f.text.clone())).collect();
        let (kb, errors) = Kb::build(files);
        self.set_build_errors(errors);
        (kb, texts)
    }

    /// What a build merges, in order: the built-in KB files, then every file's last good
    /// version (to build elsewhere, outside a lock; hand the build's problems back with
    /// [`KbSources::set_build_errors`]).
    pub fn parsed_files(&self) -> Vec<KbFile> {
        let mut files: Vec<KbFile> = Vec::with_capacity(self.files.len() + BUILTIN_KB_FILES.len());
        match builtin_sources() {
            Ok(builtin) => files.extend(builtin),
            Err(errors) => tracing::error!("the built-in KB does not parse: {errors:?}"),
        }
        files.extend(self.files.iter().filter_map(|(_, s)| s.last_good.clone()));
        files
    }

    /// The cross-file problems of the last build.
    pub fn set_build_errors(&mut self, errors: Vec<KbError>) {
        self.build_errors = errors;
    }

    /// Every KB file's current text (for edits computed against it).
    pub fn current_texts(&self) -> Vec<(FileId, Arc<str>)> {
        self.files
            .iter()
            .filter_map(|(f, s)| s.text.clone().map(|t| (f.clone(), t)))
            .collect()
    }

    /// The files whose current text parsed, with what they declare.
    pub fn good_files(&self) -> impl Iterator<Item = GoodFile> + '_ {
        self.files
            .iter()
            .filter(|(_, s)| s.parse_errors.is_empty())
            .filter_map(|(f, s)| {
                let good = s.last_good.as_ref().filter(|_| s.text.is_some())?;
                Some(GoodFile {
                    file: f.clone(),
                    entities: good.entities.len(),
                    titles: good.titles.len(),
                })
            })
    }

    /// The problems of each KB file, with the text their ranges point into (every known file
    /// is listed, with no problems when it is clean).
    pub fn problems(&self) -> Vec<(FileId, Arc<str>, Vec<KbProblem>)> {
        self.files
            .iter()
            .map(|(file, source)| {
                let text = source.text.clone().unwrap_or_else(|| "".into());
                let mut problems: Vec<KbProblem> = Vec::new();
                if let Some(e) = &source.read_error {
                    problems.push(KbProblem {
                        file: file.to_string(),
                        position: None,
                        range: None,
                        message: e.clone(),
                    });
                }
                let build = self.build_errors.iter().filter(|e| *e.file == *file.as_str());
                // Build errors point into the last good text; only show them when it is the current one.
                let current_is_good = source.parse_errors.is_empty();
                let lines = LineIndex::new(&text);
                for e in source.parse_errors.iter().chain(build.filter(|_| current_is_good)) {
                    problems.push(KbProblem::at(e, &text, &lines));
                }
                (file.clone(), text, problems)
            })
            .collect()
    }

    /// Every problem, sorted, the built-in KB's build problems included.
    pub fn all_problems(&self) -> Vec<KbProblem> {
        let mut all: Vec<KbProblem> = self.problems().into_iter().flat_map(|(_, _, p)| p).collect();
        for (name, text) in BUILTIN_KB_FILES {
            let lines = LineIndex::new(text);
            all.extend(
                self.build_errors
                    .iter()
                    .filter(|e| &*e.file == *name)
                    .map(|e| KbProblem::at(e, text, &lines)),
            );
        }
        all.sort();
        all.dedup();
        all
    }
}

/// Read a KB file with the one reading policy, inside `scope`.
pub fn read_kb_file(path: &Path, scope: &ReadScope) -> Result<String, ReadProblem> {
    scope.check(path)?;
    read_small_file(path, MAX_KB_BYTES)
}

/// The KB of a command-line run: the built-in KB plus `paths`, read from disk inside `scope`
/// (a file named twice, by canonical path, is read once).
pub fn load(paths: &[PathBuf], scope: &ReadScope) -> KbSources {
    let mut sources = KbSources::default();
    let mut seen = HashSet::new();
    for path in paths {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            let file = FileId::new(path.display().to_string());
            match read_kb_file(path, scope) {
                // Named but missing: a problem to report, not a deleted file to forget.
                Err(problem) => sources.set_read_error(&file, &problem),
                Ok(text) => sources.set_text(&file, text.into()),
            };
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "[[entity]]\nid = \"x\"\nname = \"エックス\"\nkind = \"person\"\n";

    #[test]
    fn a_broken_file_keeps_its_last_good_version() {
        let mut sources = KbSources::default();
        let file = FileId::new("/ws/entities.toml");
        assert!(sources.set_text(&file, GOOD.into()));
        let (kb, _) = sources.build();
        assert!(kb.lookup("エックス").is_some());
        assert!(sources.set_text(&file, "[[entity]]\nid = \"x\nname = 1\n".into()));
        let (kb, _) = sources.build();
        assert!(kb.lookup("エックス").is_some(), "last good version still in force");
        let problems = sources.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].2.len(), 1, "{:?}", problems[0].2);
        assert!(
            !sources.set_text(&file, "[[entity]]\nid = \"x\nname = 1\n".into()),
            "same text, no change"
        );
    }
}

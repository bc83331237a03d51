//! The KB files the server builds its knowledge base from: the built-in KB, every
//! `entities.toml` of the workspace and the `kb.paths` of the configuration — each with its
//! current text (the editor's when open, else the disk's), its problems, and its last text
//! that parsed. A file with a TOML error shows the error and keeps its last good version in
//! force.
//!
//! Also materialises the built-in KB as a read-only file in the user cache directory, so
//! "go to definition" on a built-in entity opens something real.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ide::{FileId, KbSet, Keys};
use crate::kb::{builtin_source, parse_kb_file, Kb, KbError, KbFile, BUILTIN_KB, BUILTIN_KB_NAME};

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

/// A KB problem to show on a file: byte range into `text` (`None`: the file is unreadable).
#[derive(Clone, Debug)]
pub struct KbProblem {
    pub range: crate::text::TextRange,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct KbSources {
    files: BTreeMap<FileId, KbSource>,
    /// Build problems (unknown references, spellings claimed twice) from the last build.
    build_errors: Vec<KbError>,
}

impl KbSources {
    /// The workspace KB files known, in build order.
    pub fn files(&self) -> impl Iterator<Item = &FileId> {
        self.files.keys()
    }

    pub fn contains(&self, file: &FileId) -> bool {
        self.files.contains_key(file)
    }

    /// Set a file's current text; returns true when that changes anything.
    pub fn set_text(&mut self, file: &FileId, text: Arc<str>) -> bool {
        let source = self.files.entry(file.clone()).or_default();
        if source.text.as_deref() == Some(&*text) && source.read_error.is_none() {
            return false;
        }
        match parse_kb_file(file.as_str(), &text) {
            Ok(parsed) => {
                source.parse_errors.clear();
                source.last_good = Some(parsed);
            }
            Err(errors) => source.parse_errors = errors,
        }
        source.text = Some(text);
        source.read_error = None;
        true
    }

    /// Take what reading a KB file from disk gave (a missing file is forgotten). The caller
    /// reads, outside any lock.
    pub fn apply_read(&mut self, path: &Path, read: std::io::Result<String>) -> bool {
        let file = FileId::from_path(path);
        match read {
            Ok(text) => self.set_text(&file, text.into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.files.remove(&file).is_some(),
            Err(e) => {
                let source = self.files.entry(file).or_default();
                let message = format!("cannot read KB file: {e}");
                let changed = source.read_error.as_deref() != Some(message.as_str());
                source.read_error = Some(message);
                source.text = None;
                changed
            }
        }
    }

    /// Forget files that are no longer KB files of the workspace.
    pub fn retain(&mut self, keep: impl Fn(&FileId) -> bool) -> bool {
        let before = self.files.len();
        self.files.retain(|f, _| keep(f));
        before != self.files.len()
    }

    /// Build the KB: built-in first, then every workspace file's last good version.
    pub fn build(&mut self, keys: &mut Keys, generation: u64, builtin_file: Option<FileId>) -> KbSet {
        let mut files: Vec<KbFile> = Vec::with_capacity(self.files.len() + 1);
        match builtin_source() {
            Ok(builtin) => files.push(builtin),
            Err(errors) => tracing::error!("the built-in KB does not parse: {errors:?}"),
        }
        files.extend(self.files.values().filter_map(|s| s.last_good.clone()));
        let texts: Vec<(Arc<str>, Arc<str>)> = files.iter().map(|f| (f.file.clone(), f.text.clone())).collect();
        let (kb, errors) = Kb::build(files);
        self.build_errors = errors;
        KbSet::new(Arc::new(kb), texts, builtin_file, keys, generation)
    }

    /// Every workspace KB file's current text (for edits computed against it).
    pub fn current_texts(&self) -> BTreeMap<FileId, Arc<str>> {
        self.files
            .iter()
            .filter_map(|(f, s)| s.text.clone().map(|t| (f.clone(), t)))
            .collect()
    }

    /// The problems of each workspace KB file, with the text their ranges point into (every
    /// known file is listed, with no problems when it is clean).
    pub fn problems(&self) -> Vec<(FileId, Arc<str>, Vec<KbProblem>)> {
        self.files
            .iter()
            .map(|(file, source)| {
                let text = source.text.clone().unwrap_or_else(|| "".into());
                let mut problems: Vec<KbProblem> = Vec::new();
                if let Some(e) = &source.read_error {
                    problems.push(KbProblem {
                        range: Default::default(),
                        message: e.clone(),
                    });
                }
                let build = self.build_errors.iter().filter(|e| *e.file == *file.as_str());
                // Build errors point into the last good text; only show them when it is the current one.
                let current_is_good = source.parse_errors.is_empty();
                for e in source.parse_errors.iter().chain(build.filter(|_| current_is_good)) {
                    problems.push(KbProblem {
                        range: e.range,
                        message: e.message.clone(),
                    });
                }
                (file.clone(), text, problems)
            })
            .collect()
    }
}

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
    let path = dir.join(crate::workspace::KB_FILE_NAME);
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

    const GOOD: &str = "[[entity]]\nid = \"x\"\nname = \"エックス\"\nkind = \"person\"\n";

    #[test]
    fn a_broken_file_keeps_its_last_good_version() {
        let mut sources = KbSources::default();
        let file = FileId::new("/ws/entities.toml");
        assert!(sources.set_text(&file, GOOD.into()));
        let kb = sources.build(&mut Keys::default(), 1, None);
        assert!(kb.kb.lookup("エックス").is_some());
        assert!(sources.set_text(&file, "[[entity]]\nid = \"x\nname = 1\n".into()));
        let kb = sources.build(&mut Keys::default(), 2, None);
        assert!(kb.kb.lookup("エックス").is_some(), "last good version still in force");
        let problems = sources.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].2.len(), 1, "{:?}", problems[0].2);
        assert!(
            !sources.set_text(&file, "[[entity]]\nid = \"x\nname = 1\n".into()),
            "same text, no change"
        );
    }

    #[test]
    fn the_builtin_copy_is_read_only_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = materialise_builtin(Some(dir.path().to_path_buf())).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), BUILTIN_KB);
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        assert_eq!(materialise_builtin(Some(dir.path().to_path_buf())), Some(path));
    }
}

//! Reading the configured dictionaries and everything they import, through [`DictionaryFiles`]:
//! each file read, parsed and merged once (a file imported from many places — import
//! "diamonds" — is walked once, not once per path to it), import cycles stopped, `ignoreRules`
//! applied, and the rules merged as prh merges them: a file's own rules all kept, in order (two
//! rules of one file may share an `expected`), then each import's and each further configured
//! dictionary's rules whose `expected` is not there yet (prh's `fromYAMLFilePaths` and
//! `Engine.merge`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dictionary::{parse_dictionary, Parsed};
use super::{problem, DictionaryFiles, LoadedPrh, PrhFile, PrhRules, Rule};
use crate::base::Severity;

/// Read the dictionaries at `paths` (in order; earlier ones win, as prh's merge does) and
/// everything they import, through `files`.
pub fn load_with(paths: &[PathBuf], files: &dyn DictionaryFiles) -> LoadedPrh {
    let mut loader = Loader {
        files_io: files,
        files: Vec::new(),
        parsed: HashMap::new(),
        merged: HashMap::new(),
        stack: Vec::new(),
    };
    // prh's fromYAMLFilePaths: the first dictionary's engine as it is, the others merged in.
    let mut rules: Option<Vec<Rule>> = None;
    for path in paths {
        if let Ok(loaded) = loader.load(path, false, false) {
            match &mut rules {
                None => rules = Some(loaded),
                Some(rules) => merge(rules, &loaded),
            }
        }
    }
    let rules = rules.unwrap_or_default();
    let sources = loader
        .files
        .iter()
        .map(|f| (f.path.clone(), f.text.as_ref().ok().cloned()))
        .collect();
    LoadedPrh {
        rules: PrhRules {
            rules: Arc::new(rules),
            sources: Arc::new(sources),
        },
        files: loader.files,
    }
}

/// prh's `Engine.merge`: add the rules whose `expected` is not among the rules already there
/// (two rules of `rules` with one `expected` both come in: they are compared with `into` only).
fn merge(into: &mut Vec<Rule>, rules: &[Rule]) {
    let present: HashSet<&str> = into.iter().map(|r| r.expected.as_str()).collect();
    let new: Vec<Rule> = rules
        .iter()
        .filter(|r| !present.contains(r.expected.as_str()))
        .cloned()
        .collect();
    into.extend(new);
}

struct Loader<'r> {
    files_io: &'r dyn DictionaryFiles,
    files: Vec<PrhFile>,
    /// Canonical path → index into `files` and the parsed dictionary, or why it is unreadable.
    parsed: HashMap<PathBuf, Result<(usize, Parsed), String>>,
    /// Canonical path → the file's rules with its imports merged in, once computed.
    merged: HashMap<PathBuf, Vec<Rule>>,
    /// Files being loaded (to stop import cycles).
    stack: Vec<PathBuf>,
}

enum LoadError {
    Unreadable(String),
    Cycle,
}

impl Loader<'_> {
    /// The rules of `path` with its imports merged in. An unreadable configured file (not
    /// `imported`) is listed in `files`; an unreadable import is reported where it is imported.
    fn load(&mut self, path: &Path, disable_imports: bool, imported: bool) -> Result<Vec<Rule>, LoadError> {
        let key = self.files_io.key(path);
        if self.stack.contains(&key) {
            return Err(LoadError::Cycle);
        }
        if !self.parsed.contains_key(&key) {
            let name = path.display().to_string();
            let entry = match self.files_io.read(path) {
                Ok(text) => {
                    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
                    let parsed = parse_dictionary(&name, &text);
                    self.files.push(PrhFile {
                        path: path.to_path_buf(),
                        text: Ok(text),
                        diagnostics: parsed.problems.clone(),
                    });
                    Ok((self.files.len() - 1, parsed))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("not found".to_string()),
                Err(e) => Err(e.to_string()),
            };
            self.parsed.insert(key.clone(), entry);
        }
        let (index, parsed) = match &self.parsed[&key] {
            Ok((index, parsed)) => (*index, parsed),
            Err(reason) => {
                if !imported && !self.files.iter().any(|f| f.path == path) {
                    self.files.push(PrhFile {
                        path: path.to_path_buf(),
                        text: Err(reason.clone()),
                        diagnostics: Vec::new(),
                    });
                }
                return Err(LoadError::Unreadable(reason.clone()));
            }
        };
        let mut rules = parsed.rules.clone();
        if disable_imports {
            return Ok(rules);
        }
        if let Some(merged) = self.merged.get(&key) {
            return Ok(merged.clone());
        }
        let imports = parsed.imports.clone();
        self.stack.push(key);
        let base = path.parent().unwrap_or(Path::new(""));
        for import in imports {
            let target = base.join(&import.path);
            match self.load(&target, import.disable_imports, true) {
                Ok(mut imported) => {
                    for ignore in &import.ignore {
                        let before = imported.len();
                        imported.retain(|r| !ignore.matches(r));
                        if imported.len() == before {
                            let problem = problem(
                                ignore.range,
                                Severity::Warning,
                                format!(
                                    "ignoreRules: this entry names no rule of the import ({})",
                                    ignore.describe()
                                ),
                                format!(
                                    "ignoreRules: この指定に当たるルールはimportにありません（{}）",
                                    ignore.describe()
                                ),
                            );
                            self.files[index].diagnostics.push(problem);
                        }
                    }
                    merge(&mut rules, &imported);
                }
                Err(LoadError::Unreadable(reason)) => {
                    let problem = problem(
                        import.range,
                        Severity::Error,
                        format!("cannot import this file: {reason}"),
                        format!("このimportを読み込めません: {reason}"),
                    );
                    self.files[index].diagnostics.push(problem);
                }
                Err(LoadError::Cycle) => {
                    let problem = problem(
                        import.range,
                        Severity::Warning,
                        "this file is already being imported (an import cycle); skipped",
                        "循環importのため読み込みません",
                    );
                    self.files[index].diagnostics.push(problem);
                }
            }
        }
        let key = self.stack.pop().expect("pushed above");
        self.files[index]
            .diagnostics
            .sort_by_key(|d| (d.range.start, d.range.end));
        self.merged.insert(key, rules.clone());
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::load_with;
    use crate::analysis::prh::DictionaryFiles;

    struct Two;
    impl DictionaryFiles for Two {
        fn key(&self, path: &Path) -> PathBuf {
            path.to_path_buf()
        }
        fn read(&self, path: &Path) -> std::io::Result<String> {
            Ok(match path.to_str() {
                // WEB+DB_PRESS.yml's way: two rules with one expected, the second for the
                // katakana spelling.
                Some("/d/a.yml") => "rules:\n  - expected: Twitter\n    pattern: /\\bTwitter\\b/i\n  - expected: Twitter\n    pattern: ツイッター\n",
                Some("/d/b.yml") => "rules:\n  - expected: Twitter\n    pattern: ついったー\n  - expected: GitHub\n",
                // Merged after them: both its rules for 𠮷 are new, and both come in.
                _ => "rules:\n  - expected: 𠮷\n    pattern: 吉\n  - expected: 𠮷\n    pattern: 土口\n  - expected: GitHub\n    pattern: ギットハブ\n",
            }
            .to_string())
        }
    }

    #[test]
    fn rules_are_merged_as_prh_merges_engines() {
        let paths = ["/d/a.yml", "/d/b.yml", "/d/c.yml"].map(PathBuf::from);
        let loaded = load_with(&paths, &Two);
        let rules: Vec<(&str, &str)> = loaded
            .rules
            .rules()
            .iter()
            .map(|r| (r.expected.as_str(), r.display.as_str()))
            .collect();
        assert_eq!(
            rules,
            [
                ("Twitter", "/\\bTwitter\\b/gimu"),
                ("Twitter", "/ツイッター/gmu"),
                ("GitHub", "/[GgＧｇ][IiＩｉ][TtＴｔ][HhＨｈ][UuＵｕ][BbＢｂ]/gmu"),
                ("𠮷", "/吉/gmu"),
                ("𠮷", "/土口/gmu"),
            ]
        );
    }
}

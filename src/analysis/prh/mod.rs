//! prh proofreading dictionaries (`prh.yml`): the rules Japanese writers already keep, read as
//! extra rules for notes (diagnostic `prh`, see `diagnostics/prh.rs`).
//!
//! # What is read
//! - `version` (1), `imports` (a path, or a list of paths or `{path, disableImports, ignoreRules}`;
//!   paths relative to the importing file), `rules` (a string `expected`, or a mapping), `meta`
//!   (metadata, as in prh: no effect).
//! - Per rule: `expected`, `pattern` / `patterns` (a string or a list; `/regex/flags` or plain
//!   text; prh uses `pattern` when both are given), `regexpMustEmpty: $N`,
//!   `options.wordBoundary`, `specs` (`from` / `to`) and `prh` (a note shown with the
//!   diagnostic). Compiled and applied as prh does ([`rule`]); JavaScript regexes are translated
//!   ([`js_regex`]).
//! - Merging follows prh: a file's own rules first, then each import's (minus its
//!   `ignoreRules`, named by `expected` or by the pattern as prh prints it, `/…/gmu`, or as
//!   written), and a rule whose `expected` is already present is not added again.
//!
//! # What is reported (diagnostics on the YAML file, at the line concerned)
//! - Errors: YAML syntax, a file that cannot be read or imported, a rule without `expected`, an
//!   empty or untranslatable pattern, a bad `regexpMustEmpty`, and every **failing spec** (run at
//!   load time, like prh; the rule is still applied, so the note and the spec can be compared).
//! - Warnings: what is not supported and therefore has no effect — `targets` (rules apply to the
//!   whole note), regex flags prh drops or does not accept, unknown keys, an `ignoreRules` entry
//!   that names no rule, an import cycle.
//!
//! Loading reads files through [`DictionaryFiles`] (`project::prh` reads the disk, and may
//! prefer unsaved editor buffers); everything else here is pure. Load once per run, not per
//! note, and pass the rules to the analysis ([`crate::analysis::Context::prh`]); report
//! [`LoadedPrh::files`]' diagnostics on the dictionaries and watch [`PrhRules::files`]
//! (imports included) to reload.

mod js_regex;
mod rule;
#[cfg(test)]
pub(crate) mod tests;
mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use rule::{Hit, Rule, RuleOrigin};

use crate::base::TextRange;
use crate::base::{Diagnostic, Message, Severity};
use rule::{looks_like_regex_with_foreign_flags, CompileError, JsPattern};
use yaml::{Node, Value};

/// The merged rules of the configured dictionaries; cheap to clone. Two sets are equal when
/// they were loaded from the same files with the same contents.
#[derive(Clone, Default)]
pub struct PrhRules {
    rules: Arc<Vec<Rule>>,
    /// Every file read, with its text (`None`: unreadable), in reading order.
    sources: Arc<Vec<(PathBuf, Option<String>)>>,
}

impl PrhRules {
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The files the rules were read from (dictionaries and their imports): what to watch.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.sources.iter().map(|(p, _)| p.as_path())
    }
}

impl PartialEq for PrhRules {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.sources, &other.sources) || self.sources == other.sources
    }
}

impl Eq for PrhRules {}

impl fmt::Debug for PrhRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrhRules")
            .field("rules", &self.rules.len())
            .field("files", &self.sources.iter().map(|(p, _)| p).collect::<Vec<_>>())
            .finish()
    }
}

/// A dictionary file as read: its text (or why it could not be read) and its problems.
#[derive(Clone, Debug)]
pub struct PrhFile {
    pub path: PathBuf,
    pub text: Result<String, String>,
    /// Problems found in it (rule `prh`, ranges in `text`).
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of [`load`].
#[derive(Clone, Debug, Default)]
pub struct LoadedPrh {
    pub rules: PrhRules,
    /// Every file read (configured or imported), in reading order.
    pub files: Vec<PrhFile>,
}

/// How the loader reaches dictionary files; the file system is `project`'s business
/// (`project::prh`), tests give texts of their own.
pub trait DictionaryFiles {
    /// The key that identifies the file `path` names (its canonical path), so that a file
    /// imported twice, or through another path, is read once.
    fn key(&self, path: &Path) -> PathBuf;
    /// The file's text.
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// Read the dictionaries at `paths` (in order; earlier ones win, as prh's merge does) and
/// everything they import, through `files`.
pub fn load_with(paths: &[PathBuf], files: &dyn DictionaryFiles) -> LoadedPrh {
    let mut loader = Loader {
        files_io: files,
        files: Vec::new(),
        parsed: HashMap::new(),
        stack: Vec::new(),
    };
    let mut rules = Vec::new();
    for path in paths {
        if let Ok(loaded) = loader.load(path, false, false) {
            merge(&mut rules, loaded);
        }
    }
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

/// prh's merge: add the rules whose `expected` is not there yet.
fn merge(into: &mut Vec<Rule>, rules: Vec<Rule>) {
    for rule in rules {
        if !into.iter().any(|r| r.expected == rule.expected) {
            into.push(rule);
        }
    }
}

struct Loader<'r> {
    files_io: &'r dyn DictionaryFiles,
    files: Vec<PrhFile>,
    /// Canonical path → index into `files` and the parsed dictionary, or why it is unreadable.
    parsed: HashMap<PathBuf, Result<(usize, Parsed), String>>,
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
                                format!("ignoreRules: no rule of {} is {}", import.path, ignore.describe()),
                                format!(
                                    "ignoreRules: {}に{}のルールはありません",
                                    import.path,
                                    ignore.describe()
                                ),
                            );
                            self.files[index].diagnostics.push(problem);
                        }
                    }
                    merge(&mut rules, imported);
                }
                Err(LoadError::Unreadable(reason)) => {
                    let problem = problem(
                        import.range,
                        Severity::Error,
                        format!("cannot import {}: {reason}", import.path),
                        format!("{}を読み込めません: {reason}", import.path),
                    );
                    self.files[index].diagnostics.push(problem);
                }
                Err(LoadError::Cycle) => {
                    let problem = problem(
                        import.range,
                        Severity::Warning,
                        format!("{} is already being imported (an import cycle); skipped", import.path),
                        format!("{}は循環importのため読み込みません", import.path),
                    );
                    self.files[index].diagnostics.push(problem);
                }
            }
        }
        self.stack.pop();
        self.files[index]
            .diagnostics
            .sort_by_key(|d| (d.range.start, d.range.end));
        Ok(rules)
    }
}

/// One file's content: its own rules, its imports and its problems.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed {
    pub rules: Vec<Rule>,
    pub imports: Vec<Import>,
    pub problems: Vec<Diagnostic>,
}

#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub path: String,
    pub range: TextRange,
    pub disable_imports: bool,
    pub ignore: Vec<IgnoreRule>,
}

/// An `ignoreRules` entry: rules to leave out of an import.
#[derive(Clone, Debug)]
pub(crate) struct IgnoreRule {
    pub pattern: Option<String>,
    pub expected: Option<String>,
    pub range: TextRange,
}

impl IgnoreRule {
    fn matches(&self, rule: &Rule) -> bool {
        let by_pattern = self
            .pattern
            .as_ref()
            .is_some_and(|p| *p == rule.display || rule.written.iter().any(|w| w == p));
        let by_expected = self.expected.as_ref().is_some_and(|e| *e == rule.expected);
        by_pattern || by_expected
    }

    fn describe(&self) -> String {
        match (&self.pattern, &self.expected) {
            (Some(p), _) => format!("pattern {p}"),
            (None, Some(e)) => format!("expected {e}"),
            (None, None) => "named".to_string(),
        }
    }
}

fn problem(range: TextRange, severity: Severity, en: impl Into<String>, ja: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        crate::analysis::rules::prh::RULE.id,
        severity,
        range,
        Message::new(en, ja),
    )
}

/// Parse one dictionary's text (`file` names it in rule origins). Pure: imports are listed, not read.
pub(crate) fn parse_dictionary(file: &str, text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return parsed,
        Err(e) => {
            let at = e.offset.min(text.len());
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            parsed.problems.push(problem(
                TextRange::new(at, end),
                Severity::Error,
                format!("YAML syntax error: {}", e.message),
                format!("YAMLの構文エラー: {}", e.message),
            ));
            return parsed;
        }
    };
    let Some(entries) = root.as_map() else {
        parsed.problems.push(problem(
            root.range,
            Severity::Error,
            format!(
                "a prh dictionary is a mapping (version, imports, rules), not {}",
                root.kind()
            ),
            "prhの辞書はマッピング（version, imports, rules）です",
        ));
        return parsed;
    };
    let origin_file: Arc<str> = file.into();
    let line_of = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
    for (key, value) in entries {
        match key.as_str().unwrap_or_default() {
            "version" => {
                if value.as_str() != Some("1") {
                    parsed.problems.push(problem(
                        value.range,
                        Severity::Warning,
                        "prh dictionaries have version 1; read as version 1",
                        "prhの辞書のversionは1です。1として読みます",
                    ));
                }
            }
            "imports" => parse_imports(value, &mut parsed),
            "rules" => {
                let Some(items) = value.as_seq() else {
                    if !value.is_null() {
                        parsed.problems.push(expected_kind(value, "rules", "a list"));
                    }
                    continue;
                };
                for item in items {
                    let origin = RuleOrigin {
                        file: origin_file.clone(),
                        line: line_of(item.range.start),
                    };
                    if let Some(rule) = parse_rule(item, origin, &mut parsed.problems) {
                        parsed.rules.push(rule);
                    }
                }
            }
            "targets" => parsed.problems.push(problem(
                key.range,
                Severity::Warning,
                "targets is not supported: rules apply to the whole note",
                "targetsには対応していません。ルールはメモ全体に適用されます",
            )),
            "meta" => {}
            other => parsed
                .problems
                .push(unknown_key(key, other, "version, imports, rules, targets, meta")),
        }
    }
    parsed
}

fn expected_kind(node: &Node, what: &str, kind: &str) -> Diagnostic {
    problem(
        node.range,
        Severity::Error,
        format!("{what} must be {kind}, not {}", node.kind()),
        format!("{what}の形式が違います（{kind}を指定してください）"),
    )
}

fn unknown_key(key: &Node, name: &str, known: &str) -> Diagnostic {
    problem(
        key.range,
        Severity::Warning,
        format!("unknown key {name:?} has no effect (known: {known})"),
        format!("未知のキー「{name}」は無視されます（使えるキー: {known}）"),
    )
}

fn parse_imports(value: &Node, parsed: &mut Parsed) {
    let items: Vec<&Node> = match &value.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Scalar { .. } if !value.is_null() => vec![value],
        _ if value.is_null() => Vec::new(),
        _ => {
            parsed
                .problems
                .push(expected_kind(value, "imports", "a path or a list"));
            return;
        }
    };
    for item in items {
        if let Some(path) = item.as_str() {
            parsed.imports.push(Import {
                path: path.to_string(),
                range: item.range,
                disable_imports: false,
                ignore: Vec::new(),
            });
            continue;
        }
        let Some(entries) = item.as_map() else {
            parsed
                .problems
                .push(expected_kind(item, "an import", "a path or {path, …}"));
            continue;
        };
        let mut import = Import {
            path: String::new(),
            range: item.range,
            disable_imports: false,
            ignore: Vec::new(),
        };
        for (key, v) in entries {
            match key.as_str().unwrap_or_default() {
                "path" => {
                    import.path = v.as_str().unwrap_or_default().to_string();
                    import.range = v.range;
                }
                "disableImports" => import.disable_imports = v.as_bool().unwrap_or(false),
                "ignoreRules" => {
                    for entry in v.as_seq().unwrap_or_default() {
                        if let Some(pattern) = entry.as_str() {
                            import.ignore.push(IgnoreRule {
                                pattern: Some(pattern.to_string()),
                                expected: None,
                                range: entry.range,
                            });
                        } else if let Some(fields) = entry.as_map() {
                            let field = |name: &str| {
                                fields
                                    .iter()
                                    .find(|(k, _)| k.as_str() == Some(name))
                                    .and_then(|(_, v)| v.as_str())
                                    .map(str::to_string)
                            };
                            import.ignore.push(IgnoreRule {
                                pattern: field("pattern"),
                                expected: field("expected"),
                                range: entry.range,
                            });
                        } else {
                            parsed.problems.push(expected_kind(
                                entry,
                                "an ignoreRules entry",
                                "a pattern or {pattern, expected}",
                            ));
                        }
                    }
                }
                other => parsed
                    .problems
                    .push(unknown_key(key, other, "path, disableImports, ignoreRules")),
            }
        }
        if import.path.is_empty() {
            parsed.problems.push(problem(
                item.range,
                Severity::Error,
                "an import needs a path",
                "importにはpathが必要です",
            ));
        } else {
            parsed.imports.push(import);
        }
    }
}

/// One entry of `rules`.
fn parse_rule(item: &Node, origin: RuleOrigin, problems: &mut Vec<Diagnostic>) -> Option<Rule> {
    if let Some(expected) = item.as_str() {
        return compile(
            expected.to_string(),
            None,
            item,
            &RuleFields::default(),
            origin,
            problems,
        );
    }
    let Some(entries) = item.as_map() else {
        problems.push(expected_kind(item, "a rule", "a string or a mapping"));
        return None;
    };
    let mut fields = RuleFields::default();
    let mut expected = None;
    for (key, value) in entries {
        let name = key.as_str().unwrap_or_default();
        match name {
            "expected" => expected = Some(value),
            "pattern" => fields.pattern = Some((key, value)),
            "patterns" => fields.patterns = Some((key, value)),
            "regexpMustEmpty" => fields.must_empty = Some(value),
            "options" => fields.options = Some(value),
            "specs" => fields.specs = Some(value),
            "prh" => fields.note = value.as_str().map(str::to_string),
            other => problems.push(unknown_key(
                key,
                other,
                "expected, pattern, patterns, regexpMustEmpty, options, specs, prh",
            )),
        }
    }
    let Some(expected_node) = expected else {
        problems.push(problem(
            item.range,
            Severity::Error,
            "this rule has no expected: it is not loaded",
            "このルールにはexpectedがないため読み込みません",
        ));
        return None;
    };
    let Some(expected) = expected_node.as_str() else {
        problems.push(expected_kind(expected_node, "expected", "a string"));
        return None;
    };
    compile(
        expected.to_string(),
        Some(expected_node),
        item,
        &fields,
        origin,
        problems,
    )
}

#[derive(Default)]
struct RuleFields<'a> {
    pattern: Option<(&'a Node, &'a Node)>,
    patterns: Option<(&'a Node, &'a Node)>,
    must_empty: Option<&'a Node>,
    options: Option<&'a Node>,
    specs: Option<&'a Node>,
    note: Option<String>,
}

fn compile(
    expected: String,
    expected_node: Option<&Node>,
    item: &Node,
    fields: &RuleFields,
    origin: RuleOrigin,
    problems: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let word_boundary = fields.options.is_some_and(|o| word_boundary(o, problems));
    let chosen = match (present(fields.pattern), present(fields.patterns)) {
        (Some(p), Some((key, _))) => {
            problems.push(problem(
                key.range,
                Severity::Warning,
                "both pattern and patterns are given: prh uses pattern, so patterns has no effect",
                "patternとpatternsの両方があります。prhはpatternを使うため、patternsは無視されます",
            ));
            Some(p.1)
        }
        (p, q) => p.or(q).map(|(_, v)| v),
    };
    // The written patterns and their nodes.
    let mut written: Vec<(String, &Node)> = Vec::new();
    let is_list = match chosen.map(|n| &n.value) {
        None => false,
        Some(Value::Seq(items)) => {
            for n in items {
                match n.as_str() {
                    Some(s) => written.push((s.to_string(), n)),
                    None => {
                        problems.push(expected_kind(n, "a pattern", "a string"));
                        return None;
                    }
                }
            }
            true
        }
        Some(_) => {
            let node = chosen.expect("matched Some");
            let Some(s) = node.as_str() else {
                problems.push(expected_kind(node, "pattern", "a string or a list of strings"));
                return None;
            };
            written.push((s.to_string(), node));
            false
        }
    };
    if let Some((_, node)) = written.iter().find(|(s, _)| s.is_empty()) {
        problems.push(problem(
            node.range,
            Severity::Error,
            "a pattern cannot be empty: the rule is not loaded",
            "patternは空にできません。このルールは読み込みません",
        ));
        return None;
    }
    if is_list && written.is_empty() {
        problems.push(problem(
            chosen.map_or(item.range, |n| n.range),
            Severity::Error,
            "an empty pattern list matches nothing: the rule is not loaded",
            "patternsが空です。このルールは読み込みません",
        ));
        return None;
    }
    let mut patterns = Vec::new();
    for (s, node) in &written {
        if let Some(flags) = looks_like_regex_with_foreign_flags(s) {
            problems.push(problem(
                node.range,
                Severity::Warning,
                format!("flags \"{flags}\" are not prh's (g, i, m, y): prh reads {s} as plain text, not a regex"),
                format!("フラグ「{flags}」はprhでは使えません（g, i, m, y のみ）。{s}は正規表現ではなく文字列として扱われます"),
            ));
        }
        let (pattern, dropped) = JsPattern::from_written(s, word_boundary);
        if !dropped.is_empty() {
            problems.push(problem(
                node.range,
                Severity::Warning,
                "flag y has no effect: prh always searches the whole text (flags g, m, u)",
                "フラグyは無視されます（prhは常にg, m, uで全体を検索します）",
            ));
        }
        patterns.push(pattern);
    }
    if patterns.is_empty() {
        patterns.push(JsPattern::from_expected(&expected, word_boundary));
    }
    let must_empty = match fields.must_empty {
        None => None,
        Some(node) if node.is_null() => None,
        Some(node) => match node
            .as_str()
            .and_then(|s| s.strip_prefix('$'))
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) => Some((n, node)),
            None => {
                problems.push(problem(
                    node.range,
                    Severity::Error,
                    "regexpMustEmpty must name a group as $1, $2…: the rule is not loaded",
                    "regexpMustEmptyは$1の形式で指定します。このルールは読み込みません",
                ));
                return None;
            }
        },
    };
    let rule = Rule::compile(
        expected,
        &patterns,
        is_list,
        written.iter().map(|(s, _)| s.clone()).collect(),
        must_empty.map(|(n, _)| n),
        fields.note.clone(),
        origin,
    );
    let rule = match rule {
        Ok(rule) => rule,
        Err(e) => {
            let (node, reason) = match &e {
                CompileError::Untranslatable { pattern, message } => (written.get(*pattern).map(|(_, n)| *n), message),
                CompileError::Regex(message) => (written.first().map(|(_, n)| *n), message),
            };
            let node = node.or(expected_node).unwrap_or(item);
            problems.push(problem(
                node.range,
                Severity::Error,
                format!("the pattern cannot be used: {reason}; the rule is not loaded"),
                format!("このパターンは使えません: {reason}。このルールは読み込みません"),
            ));
            return None;
        }
    };
    if let Some((n, node)) = must_empty {
        let groups = rule.group_count();
        if n == 0 || n > groups {
            problems.push(problem(
                node.range,
                Severity::Warning,
                format!("regexpMustEmpty ${n}: the pattern has {groups} group(s), so it never skips a match"),
                format!("regexpMustEmpty ${n}: パターンのグループは{groups}個なので、何も除外されません"),
            ));
        }
    }
    if let Some(specs) = fields.specs {
        check_specs(&rule, specs, problems);
    }
    Some(rule)
}

/// A `pattern`/`patterns` entry that is there and not null.
fn present<'n>(field: Option<(&'n Node, &'n Node)>) -> Option<(&'n Node, &'n Node)> {
    field.filter(|(_, v)| !v.is_null())
}

fn word_boundary(options: &Node, problems: &mut Vec<Diagnostic>) -> bool {
    let mut on = false;
    if options.is_null() {
        return false;
    }
    let Some(entries) = options.as_map() else {
        problems.push(expected_kind(options, "options", "a mapping"));
        return false;
    };
    for (key, value) in entries {
        match key.as_str().unwrap_or_default() {
            "wordBoundary" => match value.as_bool() {
                Some(b) => on = b,
                None => problems.push(expected_kind(value, "wordBoundary", "true or false")),
            },
            other => problems.push(unknown_key(key, other, "wordBoundary")),
        }
    }
    on
}

/// Run a rule's `specs`: each `from` must become `to`.
fn check_specs(rule: &Rule, specs: &Node, problems: &mut Vec<Diagnostic>) {
    if specs.is_null() {
        return;
    }
    let Some(items) = specs.as_seq() else {
        problems.push(expected_kind(specs, "specs", "a list of {from, to}"));
        return;
    };
    for spec in items {
        let field = |name: &str| {
            spec.as_map()
                .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some(name)))
                .and_then(|(_, v)| v.as_str())
        };
        let (Some(from), Some(to)) = (field("from"), field("to")) else {
            problems.push(problem(
                spec.range,
                Severity::Error,
                "a spec needs from and to",
                "specにはfromとtoが必要です",
            ));
            continue;
        };
        match rule.apply(from) {
            Ok(got) if got == to => {}
            Ok(got) => problems.push(problem(
                spec.range,
                Severity::Error,
                format!(
                    "spec failed: \"{from}\" becomes \"{got}\", not \"{to}\" (expected {}, pattern {})",
                    rule.expected, rule.display
                ),
                format!(
                    "specが失敗しました: 「{from}」は「{to}」ではなく「{got}」になります（expected {}、pattern {}）",
                    rule.expected, rule.display
                ),
            )),
            Err(e) => problems.push(problem(
                spec.range,
                Severity::Error,
                format!("spec could not run: {e}"),
                format!("specを実行できません: {e}"),
            )),
        }
    }
}

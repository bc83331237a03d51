//! The tidy test (as rust-analyzer's): reads every file under `src/` and fails, listing
//! every violation at once with its file and line, on
//! - an upward import between layers (`crate::` paths, and `super::` paths that climb out
//!   of a layer): base < kb < analysis < ide < project, proto < server < cli, where `project`
//!   and `proto` share a floor and do not import each other; a layer imports itself and
//!   anything lower; `lib.rs` and `main.rs` stand outside the order;
//! - an LSP type (`tower_lsp_server`, `ls_types`, `lsp_types`) named outside `proto` and
//!   `server`;
//! - file-system access (`std::fs`, `File::`, `read_dir`, `canonicalize`, `metadata(`,
//!   `ignore::`, `walkdir`, `.exists()` …) in `base`, `kb`, `analysis` or `ide`;
//! - a file over [`MAX_CODE_LINES`] lines of code (blank and comment-only lines, inline
//!   `#[cfg(test)]` items and test-only files aside);
//! - a file that does not open with a `//!` header.
//!
//! Inline test modules and test-only files are exempt from the layer, LSP and file-system
//! rules (a test may use any layer).
//! What today's tree still breaks is listed in [`OVERSIZE`] and [`KNOWN`], lists that may
//! only shrink: an entry that no longer matches a violation fails the test until it is
//! removed. The rules are proven on planted violations in `planted`.

mod planted;
mod source;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use source::{Source, Token};

/// The layers bottom up, with their floor: a layer imports its own modules and those of
/// layers on a lower floor.
const LAYERS: &[(&str, u8)] = &[
    ("base", 0),
    ("kb", 1),
    ("analysis", 2),
    ("ide", 3),
    ("project", 4),
    ("proto", 4),
    ("server", 5),
    ("cli", 6),
];

/// The only layers that name LSP types.
const LSP_LAYERS: &[&str] = &["proto", "server"];
const LSP_NAMES: &[&str] = &["tower_lsp_server", "ls_types", "lsp_types"];

/// The layers that never touch the file system.
const PURE_LAYERS: &[&str] = &["base", "kb", "analysis", "ide"];

pub const MAX_CODE_LINES: usize = 400;

/// Files over [`MAX_CODE_LINES`] on today's tree, waiting to be split by responsibility
/// (issue 11, item 6). This list must only shrink: never add a file to it — split the file.
/// An entry whose file is gone or back under the limit fails the test until it is removed.
const OVERSIZE: &[&str] = &[];

/// Other violations on today's tree, by rule and file, each to be fixed where it is (the
/// server rewrite and the file splits of issue 11). Like [`OVERSIZE`], this list must only
/// shrink, and an entry that no longer matches a violation fails the test.
const KNOWN: &[(Rule, &str)] = &[];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    UpwardImport,
    LspType,
    FileSystem,
    TooLong,
    NoHeader,
}

#[derive(Debug, PartialEq)]
pub struct Violation {
    pub rule: Rule,
    /// Relative to `src/`, with `/` separators.
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "src/{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The module path of a file (`analysis/rules/mod.rs` → `analysis::rules`; `lib.rs` → the
/// crate root).
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

fn floor(layer: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == layer).map(|(_, floor)| *floor)
}

/// The layer a file belongs to (`None` for `lib.rs` and `main.rs`).
fn layer_of(file: &str) -> Option<String> {
    module_path(file).into_iter().next().filter(|l| floor(l).is_some())
}

fn violation(rule: Rule, file: &str, line: usize, message: String) -> Violation {
    Violation {
        rule,
        file: file.into(),
        line,
        message,
    }
}

fn ident(source: &Source, k: usize) -> Option<&str> {
    match source.tokens.get(k).map(|t| &t.token) {
        Some(Token::Ident(name)) => Some(name),
        _ => None,
    }
}

fn is(source: &Source, k: usize, token: &Token) -> bool {
    source.tokens.get(k).is_some_and(|t| t.token == *token)
}

/// The layers a path starting at token `k` (`crate::…`, `super::…`) reaches, if it starts
/// there.
fn path_targets(file: &str, source: &Source, k: usize) -> Vec<String> {
    let starts_path = k == 0 || !is(source, k - 1, &Token::PathSep);
    if !starts_path || !is(source, k + 1, &Token::PathSep) {
        return Vec::new();
    }
    match ident(source, k) {
        Some("crate") => crate_root_items(source, k + 2),
        Some("super") => {
            let mut scope = module_path(file);
            scope.extend(source.tokens[k].inline_modules.iter().cloned());
            let mut climbs = 0;
            while ident(source, k + 2 * climbs) == Some("super") && is(source, k + 2 * climbs + 1, &Token::PathSep) {
                climbs += 1;
            }
            if climbs > scope.len() {
                return Vec::new();
            }
            scope.truncate(scope.len() - climbs);
            match scope.first() {
                Some(layer) => vec![layer.clone()],
                None => crate_root_items(source, k + 2 * climbs),
            }
        }
        _ => Vec::new(),
    }
}

/// The first names of what a path at the crate root names from token `k`: `kb` in
/// `kb::Kb`, `base` and `ide` in `{base::X, ide::Y}`.
fn crate_root_items(source: &Source, k: usize) -> Vec<String> {
    if let Some(name) = ident(source, k) {
        return vec![name.to_string()];
    }
    if !is(source, k, &Token::Punct('{')) {
        return Vec::new();
    }
    let mut names = Vec::new();
    let mut depth = 0;
    for j in k..source.tokens.len() {
        match &source.tokens[j].token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Token::Ident(name) if depth == 1 => {
                let first = is(source, j - 1, &Token::Punct('{')) || is(source, j - 1, &Token::Punct(','));
                if first {
                    names.push(name.clone());
                }
            }
            _ => {}
        }
    }
    names
}

/// Rule (a): imports of a layer above the file's own, or of its peer (test code aside: a
/// test may use any layer — the IDE fixtures go through the workspace pass of `project`).
fn upward_imports(file: &str, source: &Source) -> Vec<Violation> {
    let Some(own) = layer_of(file) else { return Vec::new() };
    let own_floor = floor(&own).unwrap();
    let mut out = Vec::new();
    for k in 0..source.tokens.len() {
        if source.is_test_line(source.tokens[k].line) {
            continue;
        }
        for target in path_targets(file, source, k) {
            let Some(target_floor) = floor(&target) else { continue };
            if target != own && target_floor >= own_floor {
                let line = source.tokens[k].line;
                let relation = if target_floor == own_floor {
                    "its peer"
                } else {
                    "a higher layer"
                };
                out.push(violation(
                    Rule::UpwardImport,
                    file,
                    line,
                    format!("{own} imports {target}, {relation} (layers: base < kb < analysis < ide < project, proto < server < cli)"),
                ));
            }
        }
    }
    out
}

/// Rule (b): LSP types outside `proto` and `server` (test code aside).
fn lsp_types(file: &str, source: &Source) -> Vec<Violation> {
    if layer_of(file).is_some_and(|l| LSP_LAYERS.contains(&l.as_str())) {
        return Vec::new();
    }
    let mut out: Vec<Violation> = Vec::new();
    for t in &source.tokens {
        let Token::Ident(name) = &t.token else { continue };
        if LSP_NAMES.contains(&name.as_str())
            && !source.is_test_line(t.line)
            && out.last().is_none_or(|v| v.line != t.line)
        {
            out.push(violation(
                Rule::LspType,
                file,
                t.line,
                format!("`{name}` outside proto and server: convert in proto"),
            ));
        }
    }
    out
}

/// Is token `k` an item of a `std::{…}` group (`use std::{fs, io};`)?
fn in_std_group(source: &Source, k: usize) -> bool {
    let mut depth = 0;
    for j in (0..k).rev() {
        match source.tokens[j].token {
            Token::Punct('}') => depth += 1,
            Token::Punct('{') if depth == 0 => {
                return j >= 2 && is(source, j - 1, &Token::PathSep) && ident(source, j - 2) == Some("std");
            }
            Token::Punct('{') => depth -= 1,
            Token::Punct(';') if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

/// What token `k` does to the file system, if anything.
fn file_system_use(source: &Source, k: usize) -> Option<String> {
    let name = ident(source, k)?;
    let next_is = |t: Token| is(source, k + 1, &t);
    let after_dot = k > 0 && is(source, k - 1, &Token::Punct('.'));
    let found = match name {
        "fs" => next_is(Token::PathSep) || (k >= 2 && ident(source, k - 2) == Some("std")) || in_std_group(source, k),
        "File" | "ignore" | "dirs" => next_is(Token::PathSep),
        "metadata" => next_is(Token::Punct('(')),
        "OpenOptions" | "read_dir" | "read_link" | "canonicalize" | "symlink_metadata" | "walkdir" | "tempfile"
        | "current_dir" => true,
        "exists" | "try_exists" | "is_file" | "is_dir" | "is_symlink" => after_dot && next_is(Token::Punct('(')),
        _ => false,
    };
    found.then(|| name.to_string())
}

/// Rule (c): file-system access in the layers below `project` (test code aside).
fn file_system_access(file: &str, source: &Source) -> Vec<Violation> {
    if !layer_of(file).is_some_and(|l| PURE_LAYERS.contains(&l.as_str())) {
        return Vec::new();
    }
    let mut out: Vec<Violation> = Vec::new();
    for k in 0..source.tokens.len() {
        let line = source.tokens[k].line;
        if source.is_test_line(line) || out.last().is_some_and(|v| v.line == line) {
            continue;
        }
        if let Some(what) = file_system_use(source, k) {
            out.push(violation(
                Rule::FileSystem,
                file,
                line,
                format!("file-system access (`{what}`) below project: read in project and pass the text down"),
            ));
        }
    }
    out
}

/// Rule (d): too many lines of code.
fn too_long(file: &str, source: &Source) -> Option<Violation> {
    let lines = source.code_lines();
    (lines > MAX_CODE_LINES).then(|| {
        violation(
            Rule::TooLong,
            file,
            1,
            format!("{lines} lines of code, over {MAX_CODE_LINES} (tests aside): split it by responsibility"),
        )
    })
}

/// Rule (e): the file opens with a `//!` header saying what it owns.
fn missing_header(file: &str, text: &str) -> Option<Violation> {
    let (index, first) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .unwrap_or((0, ""));
    (!first.trim_start().starts_with("//!")).then(|| {
        violation(
            Rule::NoHeader,
            file,
            index + 1,
            "no `//!` header: say what the file owns".into(),
        )
    })
}

/// Every violation in one file. `test_only`: the file is a test module (`#[cfg(test)] mod
/// name;`), exempt from the LSP, file-system and size rules.
pub fn check_file(file: &str, text: &str, test_only: bool) -> Vec<Violation> {
    let source = Source::new(text);
    let mut out = Vec::new();
    if !test_only {
        out.extend(upward_imports(file, &source));
        out.extend(lsp_types(file, &source));
        out.extend(file_system_access(file, &source));
        out.extend(too_long(file, &source));
    }
    out.extend(missing_header(file, text));
    out
}

/// Every violation in a tree of (path relative to `src/`, text).
pub fn check_tree(files: &[(String, String)]) -> Vec<Violation> {
    let mut test_modules: HashSet<Vec<String>> = HashSet::new();
    for (file, text) in files {
        for name in Source::new(text).test_submodules {
            let mut path = module_path(file);
            path.push(name);
            test_modules.insert(path);
        }
    }
    let is_test_only = |file: &str| {
        let path = module_path(file);
        (1..=path.len()).any(|n| test_modules.contains(&path[..n]))
    };
    files
        .iter()
        .flat_map(|(file, text)| check_file(file, text, is_test_only(file)))
        .collect()
}

/// The violations no allowlist entry covers, and one for each entry that covers nothing
/// (fixed: the entry must go).
pub fn allowlisted(violations: Vec<Violation>, oversize: &[&str], known: &[(Rule, &str)]) -> Vec<Violation> {
    let entries: Vec<(Rule, &str)> = oversize
        .iter()
        .map(|f| (Rule::TooLong, *f))
        .chain(known.iter().copied())
        .collect();
    let mut out: Vec<Violation> = Vec::new();
    for (rule, file) in &entries {
        if !violations.iter().any(|v| v.rule == *rule && v.file == *file) {
            out.push(violation(
                *rule,
                file,
                1,
                format!("allowlisted for {rule:?} but no longer breaks it (or is gone): remove the entry"),
            ));
        }
    }
    out.extend(
        violations
            .into_iter()
            .filter(|v| !entries.iter().any(|(rule, file)| v.rule == *rule && v.file == *file)),
    );
    out
}

/// Every `.rs` file under `dir`, as (path relative to `root`, text), sorted.
fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
}

#[test]
fn the_source_tree_is_tidy() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, &src, &mut files);
    assert!(files.len() > 50, "src/ read: {} files", files.len());
    let violations = allowlisted(check_tree(&files), OVERSIZE, KNOWN);
    let listed: Vec<String> = violations.iter().map(Violation::to_string).collect();
    assert!(
        violations.is_empty(),
        "{} tidy violation(s):\n{}",
        violations.len(),
        listed.join("\n")
    );
}

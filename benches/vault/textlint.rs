//! The side-by-side: textlint 15 with textlint-rule-prh and `@textlint-rule/no-unmatched-pair`,
//! installed from npm into a folder under `target/` (never committed), with a `prh.yml`
//! generated from the same KB: every outdated spelling, listed misspelling and alias of an
//! entity is a pattern whose `expected` is the preferred name — the dictionary a writer
//! keeping names consistent with prh would maintain.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use seed_lsp::kb::{Kb, SpellingKind};

const PACKAGES: &[&str] = &[
    "textlint@15",
    "textlint-rule-prh@6",
    "@textlint-rule/textlint-rule-no-unmatched-pair@2",
];

pub struct Textlint {
    pub folder: PathBuf,
    pub version: String,
    pub prh_rules: usize,
    pub prh_patterns: usize,
}

/// A diagnostic as (path, line, UTF-16 column range, family): `name` or `bracket`.
pub type Finding = (PathBuf, u32, u32, u32, &'static str);

/// Install (once) and configure textlint in `folder`; `None` when npm is not available.
pub fn install(folder: &Path, kb: &Kb) -> Option<Textlint> {
    std::fs::create_dir_all(folder).ok()?;
    let bin = folder.join("node_modules/.bin/textlint");
    if !bin.exists() {
        std::fs::write(folder.join("package.json"), "{ \"private\": true }\n").ok()?;
        eprintln!("installing {} with npm into {}", PACKAGES.join(" "), folder.display());
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .args(PACKAGES)
            .current_dir(folder)
            .status();
        if !status.is_ok_and(|s| s.success()) || !bin.exists() {
            eprintln!("npm install failed: textlint is left out");
            return None;
        }
    }
    let (prh, prh_rules, prh_patterns) = prh_yml(kb);
    std::fs::write(folder.join("prh.yml"), prh).ok()?;
    std::fs::write(
        folder.join(".textlintrc.json"),
        r#"{ "rules": { "prh": { "rulePaths": ["./prh.yml"] }, "@textlint-rule/no-unmatched-pair": true } }"#,
    )
    .ok()?;
    let version = Command::new(&bin)
        .arg("--version")
        .current_dir(folder)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    Some(Textlint {
        folder: folder.to_path_buf(),
        version,
        prh_rules,
        prh_patterns,
    })
}

/// `prh.yml` from the KB: (text, rules, patterns).
fn prh_yml(kb: &Kb) -> (String, usize, usize) {
    let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &kb.spellings {
        let entity = kb.entity(s.entity);
        let expected = match &s.kind {
            SpellingKind::Name => continue,
            SpellingKind::Alias | SpellingKind::Misspelling => entity.name.clone(),
            SpellingKind::Deprecated(i) => entity.deprecated[*i]
                .preferred
                .clone()
                .unwrap_or_else(|| entity.name.clone()),
        };
        if s.text != expected {
            rules.entry(expected).or_default().push(s.text.clone());
        }
    }
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::from("# Generated from the seed-lsp KB by benches/vault (aliases, deprecated names, misspellings).\nversion: 1\nrules:\n");
    let mut patterns = 0;
    for (expected, list) in &rules {
        out.push_str(&format!("  - expected: {}\n    patterns:\n", quote(expected)));
        for p in list {
            out.push_str(&format!("      - {}\n", quote(&prh_pattern(p))));
            patterns += 1;
        }
    }
    (out, rules.len(), patterns)
}

/// A literal spelling as a prh pattern. prh escapes plain patterns for a `u`-flag RegExp but
/// also escapes `-`, which such a RegExp rejects (`Timor-Leste`): a spelling with ASCII
/// punctuation is written as a `/regex/` escaped here instead.
fn prh_pattern(spelling: &str) -> String {
    if !spelling.chars().any(|c| c.is_ascii_punctuation()) {
        return spelling.to_string();
    }
    let mut out = String::from("/");
    for c in spelling.chars() {
        if "^$\\.*+?()[]{}|/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('/');
    out
}

impl Textlint {
    /// Lint every `.txt` under `dir`: (wall time, findings). textlint exits 1 when it finds
    /// something; only a failure to produce JSON is an error.
    pub fn run(&self, dir: &Path) -> (Duration, Vec<Finding>) {
        let started = Instant::now();
        let output = Command::new(self.folder.join("node_modules/.bin/textlint"))
            .args(["--config", ".textlintrc.json", "--format", "json"])
            .arg(format!("{}/**/*.txt", dir.display()))
            .current_dir(&self.folder)
            .env("NODE_OPTIONS", "--max-old-space-size=8192")
            .output()
            .expect("run textlint");
        let elapsed = started.elapsed();
        let results: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "textlint did not print JSON ({e}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let mut findings = Vec::new();
        for file in results.as_array().into_iter().flatten() {
            let path = PathBuf::from(file["filePath"].as_str().unwrap_or_default());
            for m in file["messages"].as_array().into_iter().flatten() {
                let family = if m["ruleId"].as_str().is_some_and(|r| r.contains("unmatched-pair")) {
                    "bracket"
                } else {
                    "name"
                };
                let start = &m["loc"]["start"];
                let end = &m["loc"]["end"];
                let line = start["line"].as_u64().or(m["line"].as_u64()).unwrap_or(1) as u32 - 1;
                let col = start["column"]
                    .as_u64()
                    .or(m["column"].as_u64().map(|c| c - 1))
                    .unwrap_or(0) as u32;
                let end_col = if end["line"].as_u64() == start["line"].as_u64() {
                    end["column"].as_u64().unwrap_or(col as u64 + 1) as u32
                } else {
                    u32::MAX
                };
                findings.push((path.clone(), line, col, end_col.max(col + 1), family));
            }
        }
        (elapsed, findings)
    }
}

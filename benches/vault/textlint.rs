//! The side-by-side: textlint 15 with textlint-rule-prh and `@textlint-rule/no-unmatched-pair`,
//! installed from npm into a folder under `target/` (never committed), with a `prh.yml`
//! generated from the same KB: every outdated spelling, listed misspelling and alias of an
//! entity is a pattern whose `expected` is the preferred name — the dictionary a writer
//! keeping names consistent with prh would maintain. Both tools run on the same vault; the
//! table gives their throughput and the planted defects each found.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use seed_lsp::kb::{Kb, SpellingKind};

use crate::check::{run_check, timed_check};
use crate::corpus::{Corpus, Defect};
use crate::measure::{load_average, mb};
use crate::options::Options;

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

/// Findings by (note, line): (start column, end column, family).
type FindingsByLine = HashMap<(u32, u32), Vec<(u32, u32, &'static str)>>;

/// seed-lsp vs textlint on the same vault: throughput, planted defects found, findings.
pub fn side_by_side(o: &Options, corpus: &Corpus, kb: &Kb) -> Option<String> {
    let tool = install(&o.out.join("textlint"), kb)?;
    let load_t = load_average();
    eprintln!("textlint on {} notes…", corpus.notes);
    let (t_time, t_findings) = tool.run(&corpus.dir);
    let load_s = load_average();
    // Timed as people run it (human output); the JSON run only collects the findings.
    let s_run = timed_check(&o.out, &corpus.dir, corpus.bytes, 2);
    let s1_run = timed_check(&o.out, &corpus.dir, corpus.bytes, 1);
    let (s_time, s1_time) = (s_run.wall, s1_run.wall);
    let s_json = run_check(&o.out, &corpus.dir, 2, true).1.expect("seed-lsp check JSON");
    let mut s_findings: Vec<Finding> = Vec::new();
    for file in s_json["files"].as_array().into_iter().flatten() {
        let path = PathBuf::from(file["path"].as_str().unwrap_or_default());
        for d in file["diagnostics"].as_array().into_iter().flatten() {
            let family = match d["code"].as_str().unwrap_or("") {
                "unmatched-bracket" => "bracket",
                "misspelled-entity" | "deprecated-name" | "glued-entities" => "name",
                _ => "other",
            };
            let (s, e) = (&d["range"]["start"], &d["range"]["end"]);
            let line = s["line"].as_u64().unwrap_or(0) as u32;
            let col = s["character"].as_u64().unwrap_or(0) as u32;
            let end = if e["line"] == s["line"] {
                e["character"].as_u64().unwrap_or(0) as u32
            } else {
                u32::MAX
            };
            s_findings.push((path.clone(), line, col, end.max(col + 1), family));
        }
    }
    // Findings by (note, line).
    let note_of: HashMap<PathBuf, u32> = (0..corpus.notes).map(|i| (corpus.path(i), i as u32)).collect();
    let index = |findings: &[Finding]| {
        let mut by_line: FindingsByLine = HashMap::new();
        for (path, line, s, e, family) in findings {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            if let Some(&note) = note_of.get(&path) {
                by_line.entry((note, *line)).or_default().push((*s, *e, family));
            }
        }
        by_line
    };
    let (s_index, t_index) = (index(&s_findings), index(&t_findings));
    let found = |by_line: &FindingsByLine, kind: Defect| {
        corpus
            .planted
            .iter()
            .filter(|p| p.kind == kind)
            .filter(|p| {
                by_line.get(&(p.note, p.line)).is_some_and(|hits| {
                    hits.iter().any(|&(s, e, family)| {
                        if kind.by_line() {
                            family == "bracket"
                        } else {
                            family == "name" && s < p.col_end && p.col_start < e
                        }
                    })
                })
            })
            .count()
    };
    let s_rate = mb(corpus.bytes) / s_time.as_secs_f64();
    let s1_rate = mb(corpus.bytes) / s1_time.as_secs_f64();
    let t_rate = mb(corpus.bytes) / t_time.as_secs_f64();
    let mut out = format!(
        "### Side by side with textlint ({} notes, {:.1} MB)\n\n\
         textlint {} + textlint-rule-prh ({} rules, {} patterns generated from the KB: aliases, outdated names, misspellings) \
         + @textlint-rule/no-unmatched-pair; seed-lsp check with its default rules. \
         Planted defects are found when a diagnostic of the right kind overlaps them (brackets: on their line).\n\n\
         | | time | MB/s | findings | load |\n|---|---:|---:|---:|---|\n",
        corpus.notes,
        mb(corpus.bytes),
        tool.version,
        tool.prh_rules,
        tool.prh_patterns
    );
    let _ = writeln!(
        out,
        "| textlint + prh + no-unmatched-pair (1 process) | {:.1} s | {t_rate:.2} | {} | {load_t} |",
        t_time.as_secs_f64(),
        t_findings.len()
    );
    let _ = writeln!(
        out,
        "| seed-lsp check, 1 thread (median of 3) | {:.2} s | {s1_rate:.1} | | {load_s} |",
        s1_time.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| seed-lsp check, 2 threads (median of 3) | {:.2} s | {s_rate:.1} | {} | {load_s} |",
        s_time.as_secs_f64(),
        s_findings.len()
    );
    let _ = writeln!(
        out,
        "\n**Throughput ratio: {:.0}× (2 threads), {:.0}× (1 thread).**\n\n| planted defect | planted | seed-lsp found | textlint found |\n|---|---:|---:|---:|",
        s_rate / t_rate,
        s1_rate / t_rate
    );
    let (mut total, mut s_total, mut t_total) = (0, 0, 0);
    for kind in Defect::ALL {
        let planted = corpus.planted.iter().filter(|p| p.kind == kind).count();
        let (s, t) = (found(&s_index, kind), found(&t_index, kind));
        total += planted;
        s_total += s;
        t_total += t;
        let _ = writeln!(out, "| {} | {planted} | {s} | {t} |", kind.label());
    }
    let _ = writeln!(out, "| **all** | {total} | **{s_total}** | **{t_total}** |\n");
    Some(out)
}

//! `seed-lsp check --format sarif`: SARIF 2.1.0, the format code-scanning UIs (GitHub code
//! scanning, VS Code's SARIF viewer, Azure DevOps) read.
//!
//! One run whose `tool.driver.rules` lists every rule (id, summary, default level) and whose
//! `results` are the diagnostics: `ruleId`/`ruleIndex`, `level` (`error`, `warning`, `note` for
//! info and hint), the message in the chosen locale, a location with a 1-based region whose
//! columns count Unicode code points (`columnKind: "unicodeCodePoints"`, end column exclusive),
//! related locations, and quick fixes as `fixes` (deleted region + inserted text).
//!
//! Paths under the current folder are relative URIs against `%SRCROOT%` (declared in
//! `originalUriBaseIds`), others absolute `file://` URIs; both percent-encoded. Notes that could
//! not be read and KB problems are `toolExecutionNotifications` of the run's invocation.

use std::path::Path;

use serde_json::{json, Value};

use super::{display_path, FileReport};
use crate::analysis::rules::RULES;
use crate::base::{Diagnostic, Locale, Severity};
use crate::base::{LineIndex, PositionEncoding, TextRange};
use crate::project::kb::KbProblem;
use crate::proto::lsp_json::file_uri;

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id relative artifact URIs are resolved against.
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log of a run from `cwd`.
#[cfg(test)] // `check` streams (`stream`); this renders all at once, its reference
pub(super) fn log(reports: &[FileReport], kb_problems: &[KbProblem], locale: Locale, cwd: &Path) -> Value {
    let notifications = reports.iter().filter_map(|r| notification(r, cwd)).collect();
    let results = reports.iter().flat_map(|r| results(r, locale, cwd)).collect();
    document(notifications, kb_problems, results, cwd)
}

/// A note that could not be read, as a tool execution notification.
pub fn notification(report: &FileReport, cwd: &Path) -> Option<Value> {
    let problem = report.outcome.as_ref().err()?;
    Some(json!({
        "level": if problem.is_error() { "error" } else { "warning" },
        "message": { "text": format!("{}: {problem}", display_path(&report.path)) },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(&report.path, cwd) } }],
    }))
}

/// A checked note's results.
pub fn results(report: &FileReport, locale: Locale, cwd: &Path) -> Vec<Value> {
    let Ok(checked) = &report.outcome else {
        return Vec::new();
    };
    let artifact = artifact_location(&report.path, cwd);
    let doc = Doc {
        text: &checked.text,
        index: LineIndex::new(&checked.text),
        cwd,
    };
    checked
        .diagnostics
        .iter()
        .map(|d| result(d, &doc, &artifact, locale))
        .collect()
}

/// The log around the notifications of unreadable notes and the results.
pub fn document(mut notifications: Vec<Value>, kb_problems: &[KbProblem], results: Vec<Value>, cwd: &Path) -> Value {
    for problem in kb_problems {
        let mut location = json!({ "artifactLocation": artifact_location(Path::new(&problem.file), cwd) });
        if let Some((line, column)) = problem.position {
            location["region"] = json!({ "startLine": line, "startColumn": column });
        }
        notifications.push(json!({
            "level": "error",
            "message": { "text": problem.message },
            "descriptor": { "id": "kb" },
            "locations": [{ "physicalLocation": location }],
        }));
    }
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id.as_str(),
                "name": camel_case(rule.id.as_str()),
                "shortDescription": { "text": rule.summary.en },
                "defaultConfiguration": { "level": level(rule.default_severity) },
            })
        })
        .collect();
    let mut root = file_uri(cwd);
    if !root.ends_with('/') {
        root.push('/');
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "seed-lsp",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { SRCROOT: { "uri": root } },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    })
}

/// A checked document: its text and line index.
struct Doc<'a> {
    text: &'a str,
    index: LineIndex,
    /// What relative artifact URIs are relative to.
    cwd: &'a Path,
}

impl Doc<'_> {
    /// A SARIF region: 1-based lines and code-point columns, end column exclusive.
    fn region(&self, range: TextRange) -> Value {
        let start = self.index.line_col(self.text, range.start, PositionEncoding::Utf32);
        let end = self.index.line_col(self.text, range.end, PositionEncoding::Utf32);
        json!({
            "startLine": start.line + 1,
            "startColumn": start.col + 1,
            "endLine": end.line + 1,
            "endColumn": end.col + 1,
        })
    }
}

fn result(d: &Diagnostic, doc: &Doc, artifact: &Value, locale: Locale) -> Value {
    let rule_index = RULES
        .iter()
        .position(|r| r.id == d.rule)
        .expect("every rule is registered");
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let location = match &r.elsewhere {
                None => json!({ "artifactLocation": artifact, "region": doc.region(r.range) }),
                Some(other) => json!({
                    "artifactLocation": artifact_location(Path::new(other.file.as_str()), doc.cwd),
                    "region": { "startLine": other.first_line + 1, "endLine": other.last_line + 1 },
                }),
            };
            json!({
                "id": i + 1,
                "message": { "text": r.message.get(locale) },
                "physicalLocation": location,
            })
        })
        .collect();
    let fixes: Vec<Value> = d
        .fixes
        .iter()
        .map(|fix| {
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| json!({ "deletedRegion": doc.region(e.range), "insertedContent": { "text": e.new_text } }))
                .collect();
            json!({
                "description": { "text": fix.title.get(locale) },
                "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": d.rule.as_str(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": d.message.get(locale) },
        "locations": [{
            "physicalLocation": { "artifactLocation": artifact, "region": doc.region(d.range) },
        }],
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if !fixes.is_empty() {
        result["fixes"] = Value::Array(fixes);
    }
    result
}

/// SARIF levels: `error`, `warning`, and `note` for information and hints.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// `misspelled-entity` → `MisspelledEntity` (SARIF's `reportingDescriptor.name`).
fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `{"uri", "uriBaseId"}` for a path under `cwd` (relative, percent-encoded), else an absolute
/// `file://` URI.
fn artifact_location(path: &Path, cwd: &Path) -> Value {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match absolute.strip_prefix(cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            let parts: Vec<String> = relative
                .components()
                .map(|c| percent_encode(&c.as_os_str().to_string_lossy()))
                .collect();
            json!({ "uri": parts.join("/"), "uriBaseId": SRCROOT })
        }
        _ => json!({ "uri": file_uri(path) }),
    }
}

/// Percent-encode one path segment (every byte outside RFC 3986's unreserved set).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::base::{Edit, Message};
    use crate::cli::output::Checked;
    use crate::project::read::ReadProblem;

    pub(in crate::cli::output) fn sample() -> (Vec<FileReport>, Vec<KbProblem>) {
        let text = "𠮷野家\n首都キエフで".to_string();
        let start = text.find("キエフ").unwrap();
        let range = TextRange::new(start, start + "キエフ".len());
        let d = Diagnostic::new(
            crate::analysis::rules::deprecated_name::RULE.id,
            Severity::Warning,
            range,
            Message::new("old name", "旧表記"),
        )
        .with_related(TextRange::new(0, 4), Message::new("here", "ここ"))
        .with_fix(
            Message::new("Replace with キーウ", "キーウに置換"),
            vec![Edit {
                range,
                new_text: "キーウ".into(),
            }],
        );
        let reports = vec![
            FileReport {
                path: PathBuf::from("/w/notes/メモ 1.txt"),
                outcome: Ok(Checked {
                    text,
                    diagnostics: vec![d],
                }),
            },
            FileReport {
                path: PathBuf::from("/w/gone.txt"),
                outcome: Err(ReadProblem::Io(std::io::Error::new(std::io::ErrorKind::NotFound, "x"))),
            },
        ];
        let kb = vec![KbProblem {
            file: "/elsewhere/entities.toml".into(),
            range: None,
            position: Some((3, 7)),
            message: "unknown kind".into(),
        }];
        (reports, kb)
    }

    #[cfg(unix)]
    #[test]
    fn one_result_with_region_in_code_points_related_location_and_fix() {
        let (reports, kb) = sample();
        let log = log(&reports, &kb, Locale::Ja, Path::new("/w"));
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///w/");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        assert_eq!(rules[1]["id"], "deprecated-name");
        assert_eq!(rules[1]["name"], "DeprecatedName");
        expect_test::expect![[r#"
            {
              "fixes": [
                {
                  "artifactChanges": [
                    {
                      "artifactLocation": {
                        "uri": "notes/%E3%83%A1%E3%83%A2%201.txt",
                        "uriBaseId": "%SRCROOT%"
                      },
                      "replacements": [
                        {
                          "deletedRegion": {
                            "endColumn": 6,
                            "endLine": 2,
                            "startColumn": 3,
                            "startLine": 2
                          },
                          "insertedContent": {
                            "text": "キーウ"
                          }
                        }
                      ]
                    }
                  ],
                  "description": {
                    "text": "キーウに置換"
                  }
                }
              ],
              "level": "warning",
              "locations": [
                {
                  "physicalLocation": {
                    "artifactLocation": {
                      "uri": "notes/%E3%83%A1%E3%83%A2%201.txt",
                      "uriBaseId": "%SRCROOT%"
                    },
                    "region": {
                      "endColumn": 6,
                      "endLine": 2,
                      "startColumn": 3,
                      "startLine": 2
                    }
                  }
                }
              ],
              "message": {
                "text": "旧表記"
              },
              "relatedLocations": [
                {
                  "id": 1,
                  "message": {
                    "text": "ここ"
                  },
                  "physicalLocation": {
                    "artifactLocation": {
                      "uri": "notes/%E3%83%A1%E3%83%A2%201.txt",
                      "uriBaseId": "%SRCROOT%"
                    },
                    "region": {
                      "endColumn": 2,
                      "endLine": 1,
                      "startColumn": 1,
                      "startLine": 1
                    }
                  }
                }
              ],
              "ruleId": "deprecated-name",
              "ruleIndex": 1
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&run["results"][0]).unwrap());
        expect_test::expect![[r#"
            [
              {
                "level": "error",
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "gone.txt",
                        "uriBaseId": "%SRCROOT%"
                      }
                    }
                  }
                ],
                "message": {
                  "text": "/w/gone.txt: cannot read file: not found (deleted or renamed?)"
                }
              },
              {
                "descriptor": {
                  "id": "kb"
                },
                "level": "error",
                "locations": [
                  {
                    "physicalLocation": {
                      "artifactLocation": {
                        "uri": "file:///elsewhere/entities.toml"
                      },
                      "region": {
                        "startColumn": 7,
                        "startLine": 3
                      }
                    }
                  }
                ],
                "message": {
                  "text": "unknown kind"
                }
              }
            ]"#]]
        .assert_eq(&serde_json::to_string_pretty(&run["invocations"][0]["toolExecutionNotifications"]).unwrap());
    }
}

//! One dictionary file's YAML read into its own rules, its imports and its problems: the top-level
//! keys (`version`, `imports`, `rules`, `targets`, `meta`) and the forms of an import. Pure:
//! imports are listed here, read by [`super::loader`].

use std::sync::Arc;

use super::rule_entry::parse_rule;
use super::yaml::{self, Node, Value};
use super::{problem, Rule, RuleOrigin};
use crate::base::{Diagnostic, Severity, TextRange};

/// One file's content: its own rules, its imports and its problems.
#[derive(Clone, Debug, Default)]
pub(super) struct Parsed {
    pub rules: Vec<Rule>,
    pub imports: Vec<Import>,
    pub problems: Vec<Diagnostic>,
}

#[derive(Clone, Debug)]
pub(super) struct Import {
    pub path: String,
    pub range: TextRange,
    pub disable_imports: bool,
    pub ignore: Vec<IgnoreRule>,
}

/// An `ignoreRules` entry: rules to leave out of an import.
#[derive(Clone, Debug)]
pub(super) struct IgnoreRule {
    pub pattern: Option<String>,
    pub expected: Option<String>,
    pub range: TextRange,
}

impl IgnoreRule {
    pub(super) fn matches(&self, rule: &Rule) -> bool {
        let by_pattern = self
            .pattern
            .as_ref()
            .is_some_and(|p| *p == rule.display || rule.written.iter().any(|w| w == p));
        let by_expected = self.expected.as_ref().is_some_and(|e| *e == rule.expected);
        by_pattern || by_expected
    }

    pub(super) fn describe(&self) -> String {
        match (&self.pattern, &self.expected) {
            (Some(_), _) => "by pattern".to_string(),
            (None, Some(_)) => "by expected".to_string(),
            (None, None) => "named".to_string(),
        }
    }
}

/// Parse one dictionary's text (`file` names it in rule origins). Pure: imports are listed, not read.
pub(super) fn parse_dictionary(file: &str, text: &str) -> Parsed {
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
    let lines = crate::base::LineIndex::new(text);
    let line_of = |offset: usize| lines.line_of(offset) + 1;
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

pub(super) fn expected_kind(node: &Node, what: &str, kind: &str) -> Diagnostic {
    problem(
        node.range,
        Severity::Error,
        format!("{what} must be {kind}, not {}", node.kind()),
        format!("{what}の形式が違います（{kind}を指定してください）"),
    )
}

/// A key no prh dictionary has (`_name`: not quoted — a file's content never comes back in a
/// message about it; the diagnostic points at the key).
pub(super) fn unknown_key(key: &Node, _name: &str, known: &str) -> Diagnostic {
    problem(
        key.range,
        Severity::Warning,
        format!("unknown key: it has no effect (known: {known})"),
        format!("未知のキーは無視されます（使えるキー: {known}）"),
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

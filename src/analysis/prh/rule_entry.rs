//! One entry of a dictionary's `rules` (a string `expected`, or a mapping): its fields read, its
//! `pattern`/`patterns` compiled as prh compiles them, its `regexpMustEmpty` checked and its
//! `specs` run — each problem reported at the YAML node it concerns.

use super::dictionary::{expected_kind, unknown_key};
use super::rule::{looks_like_regex_with_foreign_flags, CompileError, JsPattern};
use super::yaml::{Node, Value};
use super::{problem, Rule, RuleOrigin};
use crate::base::{Diagnostic, Severity};

/// One entry of `rules`.
pub(super) fn parse_rule(item: &Node, origin: RuleOrigin, problems: &mut Vec<Diagnostic>) -> Option<Rule> {
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
        if looks_like_regex_with_foreign_flags(s).is_some() {
            problems.push(problem(
                node.range,
                Severity::Warning,
                "these flags are not prh's (g, i, m, y): prh reads the pattern as plain text, not a regex",
                "このフラグはprhでは使えません（g, i, m, y のみ）。パターンは正規表現ではなく文字列として扱われます",
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
            Ok(_) => problems.push(problem(
                spec.range,
                Severity::Error,
                "spec failed: the rule does not turn this spec's from into its to",
                "specが失敗しました: このルールではfromがtoになりません",
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

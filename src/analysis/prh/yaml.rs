//! A YAML document as a tree whose every node knows where it is written, so that a problem in a
//! prh dictionary (a failing spec, an unknown key, a pattern that cannot be translated) is
//! reported on its own line of the YAML file.
//!
//! Built from `yaml-rust2`'s event parser (its markers count characters; they are turned into
//! byte offsets here). Anchors and aliases are resolved by copying the anchored node, within a
//! budget: aliases may copy at most [`MAX_ALIAS_NODES`] nodes in all, so that a kilobyte of nested
//! aliases ("billion laughs") is a syntax error at the alias that crosses it, not 10⁹ nodes.
//! Scalars keep their style, so that `null`, `~`, `true` and numbers are read as YAML 1.2 plain
//! scalars only.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::base::TextRange;

/// The most nodes aliases may copy in one file, all aliases together. A prh dictionary uses a
/// few aliases, if any, for small shared lists; what is written out is bounded by the file's size.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// One YAML node and the byte range of its text (for a collection: its first line's content).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar as written (after unquoting) and whether it was plain (unquoted).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar's text, whatever its YAML type; `None` for collections and null.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } if !self.is_null() => Some(text),
            _ => None,
        }
    }

    /// `null`, `~` or an empty plain scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A YAML 1.2 boolean (plain `true`/`false` in any of their three spellings).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// What kind of node this is, for messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            _ if self.is_null() => "null",
            Value::Scalar { .. } => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Parse the first document of `text`; `Ok(None)` for an empty document.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let chars = CharOffsets::new(text);
    let mut builder = Builder {
        text,
        chars: &chars,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        copied: 0,
        over_budget: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| SyntaxError {
        offset: chars.byte(e.marker().index()),
        message: e.info().to_string(),
    })?;
    match builder.over_budget {
        Some(offset) => Err(SyntaxError {
            offset,
            message: format!(
                "aliases expand to more than {MAX_ALIAS_NODES} nodes (nested aliases, as in a \"billion laughs\" file); the file is not read"
            ),
        }),
        None => Ok(builder.root),
    }
}

/// Character index → byte offset.
struct CharOffsets {
    starts: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        CharOffsets {
            starts: text.char_indices().map(|(i, _)| i).collect(),
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.starts.get(char_index).copied().unwrap_or(self.len)
    }
}

/// A collection being built: its start, anchor and children so far.
struct Open {
    start: usize,
    anchor: usize,
    items: Vec<Node>,
    is_map: bool,
    /// Nodes in the collection, itself included (what an alias to it copies).
    size: usize,
}

struct Builder<'a> {
    text: &'a str,
    chars: &'a CharOffsets,
    stack: Vec<Open>,
    /// Anchored nodes and their sizes in nodes.
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    /// Nodes copied by aliases so far.
    copied: usize,
    /// Where an alias crossed [`MAX_ALIAS_NODES`]; nothing after it is built.
    over_budget: Option<usize>,
}

impl Builder<'_> {
    /// Add a node of `size` nodes to the collection being built (or make it the root).
    fn push(&mut self, node: Node, anchor: usize, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            Some(open) => {
                open.items.push(node);
                open.size += size;
            }
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    /// The range of a scalar starting at `start`: its token on the line (quotes included).
    fn scalar_range(&self, start: usize, value: &str, style: TScalarStyle) -> TextRange {
        let line_end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        let rest = &self.text[start..line_end];
        let end = match style {
            TScalarStyle::Plain if !value.contains('\n') && rest.starts_with(value) => start + value.len(),
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                closing_quote(rest).map_or(line_end, |i| start + i + 1)
            }
            _ => start + rest.trim_end().len(),
        };
        TextRange::new(start, end.max(start))
    }

    /// The range of a collection: from its start to the end of that line's content.
    fn line_range(&self, start: usize) -> TextRange {
        let line_end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        TextRange::new(start, start + self.text[start..line_end].trim_end().len())
    }
}

/// The index of the quote closing the quoted scalar at the start of `s`.
fn closing_quote(s: &str) -> Option<usize> {
    let quote = s.chars().next()?;
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.over_budget.is_some() {
            return;
        }
        let at = self.chars.byte(mark.index());
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let range = self.scalar_range(at, &text, style);
                let plain = style == TScalarStyle::Plain;
                self.push(
                    Node {
                        value: Value::Scalar { text, plain },
                        range,
                    },
                    anchor,
                    1,
                );
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                self.stack.push(Open {
                    start: at,
                    anchor,
                    items: Vec::new(),
                    is_map,
                    size: 1,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else { return };
                // A block collection's event comes at its first key or item; its range is the
                // first child's line.
                let start = open.items.first().map_or(open.start, |n| n.range.start.min(open.start));
                let range = self.line_range(start);
                let value = if open.is_map {
                    let mut entries = Vec::with_capacity(open.items.len() / 2);
                    let mut items = open.items.into_iter();
                    while let (Some(k), Some(v)) = (items.next(), items.next()) {
                        entries.push((k, v));
                    }
                    Value::Map(entries)
                } else {
                    Value::Seq(open.items)
                };
                self.push(Node { value, range }, open.anchor, open.size);
            }
            Event::Alias(id) => {
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                if self.copied + size > MAX_ALIAS_NODES {
                    self.over_budget = Some(at);
                    return;
                }
                self.copied += size;
                let node = self.anchors.get(&id).map_or_else(
                    || Node {
                        value: Value::Scalar {
                            text: String::new(),
                            plain: true,
                        },
                        range: TextRange::empty(at),
                    },
                    |(node, _)| node.clone(),
                );
                self.push(node, 0, size);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn show(text: &str, node: &Node) -> String {
        match &node.value {
            Value::Scalar { text: t, .. } => format!("{t:?}@{:?}", node.range.slice(text)),
            Value::Seq(items) => format!(
                "[{}]",
                items.iter().map(|n| show(text, n)).collect::<Vec<_>>().join(", ")
            ),
            Value::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", show(text, k), show(text, v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    #[test]
    fn nodes_know_their_byte_ranges() {
        let text = "# 辞書\nrules:\n  - expected: キーウ\n    pattern: '/キエフ/'\n    x: &a \"a\\\"b\"\n    y: *a\n";
        let root = parse(text).unwrap().unwrap();
        expect_test::expect![[r#"{"rules"@"rules": [{"expected"@"expected": "キーウ"@"キーウ", "pattern"@"pattern": "/キエフ/"@"'/キエフ/'", "x"@"x": "a\"b"@"\"a\\\"b\"", "y"@"y": "a\"b"@"\"a\\\"b\""}]}"#]]
            .assert_eq(&show(text, &root));
        let rules = &root.as_map().unwrap()[0].1;
        assert_eq!(rules.range.slice(text), "- expected: キーウ");
    }

    #[test]
    fn syntax_errors_are_located_in_bytes() {
        let text = "rules:\n  - expected: キーウ\n  pattern: [a\n";
        let error = parse(text).unwrap_err();
        assert!(error.offset >= text.find("pattern").unwrap(), "{error:?}");
        assert!(parse("").unwrap().is_none());
    }

    /// "Billion laughs": nine levels of nine aliases each would copy 9⁹ nodes.
    pub(crate) fn billion_laughs() -> String {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn nested_aliases_stop_at_the_budget_at_the_alias_that_crosses_it() {
        let text = billion_laughs();
        let error = parse(&text).unwrap_err();
        // The first alias on line 6 would copy a4's 66,430 nodes, past 100,000 in all.
        let line = text[..error.offset].matches('\n').count() + 1;
        assert_eq!(line, 6, "{error:?}");
        assert!(error.message.contains("100000 nodes"), "{}", error.message);
        // A few aliases of a small list are fine, and copy the list.
        let small = "a: &x [1, 2]\nb: *x\nc: *x\n";
        let root = parse(small).unwrap().unwrap();
        assert_eq!(root.as_map().unwrap()[2].1.as_seq().unwrap().len(), 2);
    }
}

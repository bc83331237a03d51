//! Symbols. The outline of a note ([`document_symbols`]): `【…】` heading lines as sections,
//! `****title****` clipping blocks inside them, and source lines inside those. Workspace
//! symbols ([`workspace_symbols`]) are the KB's entities, matched on any of their names.

use super::{Cancel, Cancelled, Location, OpenFile, Span, World};
use crate::base::TextRange;
use crate::kb::EntityKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A `【…】` heading line: a section of the note.
    Heading,
    /// A `****title****` clipping block.
    Block,
    /// A source attribution.
    Source,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<DocumentSymbol>,
}

/// Longest symbol name shown, in chars.
const MAX_NAME_CHARS: usize = 60;

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_NAME_CHARS {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX_NAME_CHARS).collect();
        s.push('…');
        s
    }
}

struct Flat {
    range: TextRange,
    symbol: DocumentSymbol,
}

pub fn document_symbols(world: &World, file: &OpenFile) -> Vec<DocumentSymbol> {
    let enc = world.encoding;
    let analysis = &file.analysis;
    let kb = &world.kb.kb;
    let text = &*file.text;
    let symbol = |name: String, detail: Option<String>, kind, range: TextRange, selection: TextRange| Flat {
        range,
        symbol: DocumentSymbol {
            name,
            detail,
            kind,
            span: file.span(range, enc),
            selection: file.span(selection, enc),
            children: Vec::new(),
        },
    };
    let sources: Vec<Flat> = analysis
        .sources
        .sources
        .iter()
        .map(|s| {
            let outlet = s.outlet.map(|o| kb.entity(o).name.clone());
            let detail = match (outlet, s.date) {
                (Some(o), Some(d)) => Some(format!("{o} {d}")),
                (Some(o), None) => Some(o),
                (None, Some(d)) => Some(d.to_string()),
                (None, None) => None,
            };
            symbol(
                shorten(s.range.slice(text)),
                detail,
                SymbolKind::Source,
                s.range,
                s.range,
            )
        })
        .collect();
    let blocks: Vec<Flat> = analysis
        .layout
        .blocks
        .iter()
        .map(|b| {
            let end = b.range.start.max(text[..b.range.end].trim_end().len());
            symbol(
                shorten(b.title.slice(text)),
                None,
                SymbolKind::Block,
                TextRange::new(b.range.start, end),
                b.title,
            )
        })
        .collect();
    let heading_lines = heading_lines(file);
    let headings: Vec<Flat> = heading_lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let end = heading_lines
                .get(i + 1)
                .map_or(text.trim_end().len(), |next| next.start);
            let end = l.end.max(text[..end.max(l.end)].trim_end().len());
            let name = l.slice(text).trim().trim_start_matches('【').trim_end_matches('】');
            symbol(
                shorten(name),
                None,
                SymbolKind::Heading,
                TextRange::new(l.start, end),
                *l,
            )
        })
        .collect();
    nest(headings, nest(blocks, sources))
        .into_iter()
        .map(|f| f.symbol)
        .collect()
}

/// Lines that are a `【…】` heading (and not a source attribution such as `【4月8日 ロイター】`).
pub(crate) fn heading_lines(file: &OpenFile) -> Vec<TextRange> {
    let analysis = &file.analysis;
    analysis
        .layout
        .lines
        .iter()
        .copied()
        .filter(|l| {
            let t = l.slice(&file.text).trim();
            t.starts_with('【') && t.ends_with('】') && t.chars().count() > 2 && analysis.sources.at(l.start).is_none()
        })
        .collect()
}

/// Put each of `inner` into the `outer` symbol containing it (outer ones stay top level).
fn nest(outer: Vec<Flat>, inner: Vec<Flat>) -> Vec<Flat> {
    let mut outer = outer;
    let mut top = Vec::new();
    for item in inner {
        match outer.iter_mut().find(|o| o.range.contains_range(item.range)) {
            Some(parent) => parent.symbol.children.push(item.symbol),
            None => top.push(item),
        }
    }
    top.extend(outer);
    top.sort_by_key(|f| f.range.start);
    top
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitySymbol {
    pub name: String,
    pub kind: EntityKind,
    /// The English name, shown beside the Japanese one.
    pub container: Option<String>,
    pub location: Location,
}

/// Most workspace symbols returned.
const MAX_WORKSPACE_SYMBOLS: usize = 500;

/// Entities whose name, aliases, English name, reading or id contain `query` (any case).
pub fn workspace_symbols(world: &World, query: &str, cancel: &Cancel) -> Result<Vec<EntitySymbol>, Cancelled> {
    let query = query.trim().to_lowercase();
    let mut out = Vec::new();
    for (id, e) in world.kb.kb.entities.iter().enumerate() {
        if id % 256 == 0 {
            cancel.check()?;
        }
        let names = std::iter::once(e.name.as_str())
            .chain(e.aliases.iter().map(String::as_str))
            .chain(e.en.as_deref())
            .chain(e.reading.as_deref())
            .chain(std::iter::once(e.id.as_str()));
        let matches = query.is_empty() || names.into_iter().any(|n| n.to_lowercase().contains(&query));
        if !matches {
            continue;
        }
        if let Some(location) = world.kb.entity_location(id, world.encoding) {
            out.push(EntitySymbol {
                name: e.name.clone(),
                kind: e.kind,
                container: e.en.clone(),
                location,
            });
        }
        if out.len() >= MAX_WORKSPACE_SYMBOLS {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::{show_span, Fixture};

    fn show(symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
        for s in symbols {
            out.push_str(&format!(
                "{}{:?} {:?} {} sel {}\n",
                "  ".repeat(depth),
                s.kind,
                s.name,
                show_span(s.span),
                show_span(s.selection)
            ));
            show(&s.children, depth + 1, out);
        }
    }

    /// The outline of the note, nested.
    fn check(note: &str, expect: Expect) {
        let fixture = Fixture::parse(note);
        let world = fixture.world();
        let mut out = String::new();
        show(&document_symbols(&world, fixture.note(&world)), 0, &mut out);
        expect.assert_eq(&out);
    }

    #[test]
    fn headings_contain_blocks() {
        check(
            "前書き\n【第一部】\n****カザフ、禁輸を否定****\n本文。\n******************\n後文。\n【第二部】\n****閉じない****\n本文2。\n",
            expect![[r#"
                Heading "第一部" 1:0-5:3 sel 1:0-1:5
                  Block "カザフ、禁輸を否定" 2:0-4:18 sel 2:4-2:13
                Heading "第二部" 6:0-8:4 sel 6:0-6:5
                  Block "閉じない" 7:0-8:4 sel 7:4-7:8
            "#]],
        );
    }

    #[test]
    fn entities_by_any_name() {
        let world = Fixture::parse("").world();
        let found = workspace_symbols(&world, "tokay", &Cancel::new()).unwrap();
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["トカエフ"]);
        assert_eq!(
            workspace_symbols(&world, "カザフ", &Cancel::new()).unwrap()[0].name,
            "カザフスタン"
        );
        assert!(workspace_symbols(&world, "", &Cancel::new()).unwrap().len() > 10);
    }
}

//! Go to source, two ways:
//! - [`definition`]: on an entity mention → its `[[entity]]` entry in the KB file that
//!   defines it (for the built-in KB, the read-only copy the server materialised); on a
//!   source line → the entry of the outlet it names; anywhere else in a pasted paragraph →
//!   the source line that covers the paragraph; in a KB file, on an entity id
//!   (`of = "kazakhstan"`) → that entity's entry;
//! - [`declaration`]: anywhere in a paragraph, names included → the source line that covers
//!   the paragraph (on a clipping block's fence, the block's source), so the source of what
//!   is being read is one key away wherever the cursor is.

use super::{FileId, LineCol, Location, OpenFile, World};
use crate::analysis::sources::Source;
use crate::base::TextRange;

pub fn definition(world: &World, file: &OpenFile, position: LineCol) -> Vec<Location> {
    let offset = file.offset(position, world.encoding);
    let kb = &world.kb;
    if let Some(mention) = file.mention_at(offset) {
        return kb.entity_location(mention.entity, world.encoding).into_iter().collect();
    }
    let sources = &file.analysis.sources;
    if let Some(source) = sources.at(offset) {
        return source
            .outlet
            .and_then(|outlet| kb.entity_location(outlet, world.encoding))
            .into_iter()
            .collect();
    }
    declaration(world, file, position)
}

/// The source line of the paragraph at `position`, wherever in the paragraph it is.
pub fn declaration(world: &World, file: &OpenFile, position: LineCol) -> Vec<Location> {
    let offset = file.offset(position, world.encoding);
    paragraph_source(file, offset)
        .map(|(source, _)| Location {
            file: file.id.clone(),
            span: file.span(source.range, world.encoding),
        })
        .into_iter()
        .collect()
}

/// The source the text at byte `offset` comes from, with the range it covers there: the
/// paragraph's source, or on a clipping block's fence line the block's source (the block).
pub fn paragraph_source(file: &OpenFile, offset: usize) -> Option<(&Source, TextRange)> {
    let analysis = &file.analysis;
    let layout = &analysis.layout;
    if let Some(source) = analysis.sources.covering(layout, offset) {
        let paragraph = layout.paragraph_at(offset).map_or(source.range, |p| p.range);
        return Some((source, paragraph));
    }
    let on_fence = layout.fences.iter().any(|f| f.range.touches(offset));
    let block = layout
        .blocks
        .iter()
        .position(|b| b.range.touches(offset))
        .filter(|_| on_fence)?;
    analysis
        .sources
        .of_block(block)
        .map(|s| (s, layout.blocks[block].range))
}

/// Definition inside a KB file: a quoted entity id (in `of = "…"`) → that entity's entry.
pub fn definition_kb(world: &World, file: &FileId, position: LineCol) -> Vec<Location> {
    let Some(text) = world.kb.kb_text(file) else {
        return Vec::new();
    };
    let Some(line) = text.line_index.line_range(&text.text, position.line) else {
        return Vec::new();
    };
    let offset = text.line_index.offset(&text.text, position, world.encoding);
    let line_text = &text.text[line.clone()];
    let at = offset - line.start;
    // The quoted string around the cursor.
    let Some(open) = line_text[..at].rfind('"') else {
        return Vec::new();
    };
    let Some(close) = line_text[at..].find('"').map(|i| at + i) else {
        return Vec::new();
    };
    let quoted = &line_text[open + 1..close];
    if line_text[..open].matches('"').count() % 2 == 1 {
        return Vec::new();
    }
    world
        .kb
        .kb
        .by_id(quoted)
        .and_then(|entity| world.kb.entity_location(entity, world.encoding))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::{show_span, slice, Fixture, KB_FILE};

    /// KB locations as `file span first line of the entry`.
    fn show_kb(world: &World, locations: &[Location]) -> String {
        locations
            .iter()
            .map(|l| {
                let text = world
                    .kb
                    .kb_text(&l.file)
                    .map(|t| t.text.to_string())
                    .unwrap_or_default();
                let target = slice(&text, l.span, world.encoding);
                format!(
                    "{} {} {:?}\n",
                    l.file,
                    show_span(l.span),
                    target.lines().next().unwrap_or("")
                )
            })
            .collect()
    }

    /// Where definition goes from `$0`.
    fn check(fixture: &str, expect: Expect) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let (_, position) = fixture.cursor();
        let found = definition(&world, fixture.note(&world), position);
        expect.assert_eq(&show_kb(&world, &found));
    }

    /// Declaration from `$0` lands on the fixture's `⟦…⟧` (nowhere when it has none).
    fn check_declaration(fixture: &str) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let (_, position) = fixture.cursor();
        assert_eq!(declaration(&world, fixture.note(&world), position), fixture.marked);
    }

    #[test]
    fn a_mention_goes_to_its_kb_entry() {
        check(
            "カザフスタンのト$0カエフ大統領",
            expect![[r#"
                /ws/entities.toml 64:0-70:67 "[[entity]]"
            "#]],
        );
    }

    #[test]
    fn plain_text_without_a_covering_source_has_no_definition() {
        check("ただの$0文章", expect![""]);
    }

    #[test]
    fn declaration_on_a_name_goes_to_the_paragraph_source() {
        let note = "カザフスタンのト$0カエフ大統領は距離を置き始めています。⟦【2023年11月2日 AFP】⟧";
        check_declaration(note);
        // Definition on the same name still goes to the KB entry.
        let fixture = Fixture::parse(note);
        let world = fixture.world();
        let found = definition(&world, fixture.note(&world), fixture.cursor().1);
        assert_eq!(found[0].file, FileId::new(KB_FILE), "{found:?}");
    }

    #[test]
    fn declaration_in_a_clipping_block_goes_to_its_source_line() {
        let note = "****カザフ、$0制裁を否定****\nトカエフ大統領は否定した。\n\nロシアへの輸出は続く。\n⟦【2023年11月2日 AFP】⟧\n******\n";
        check_declaration(note);
        check_declaration(&note.replace("$0", "").replace("トカエフ", "トカ$0エフ"));
    }

    #[test]
    fn declaration_without_a_covering_source_finds_nothing() {
        check_declaration("トカ$0エフ大統領は否定した。");
    }

    #[test]
    fn an_entity_id_in_a_kb_file_goes_to_that_entity() {
        let world = Fixture::parse("").world();
        let kb_file = FileId::new(KB_FILE);
        let text = world.kb.kb_text(&kb_file).unwrap();
        let line = text
            .text
            .lines()
            .position(|l| l.contains("of = \"kazakhstan\""))
            .unwrap();
        let col = text.text.lines().nth(line).unwrap().find("kazakhstan").unwrap() as u32 + 2;
        let found = definition_kb(&world, &kb_file, LineCol { line: line as u32, col });
        expect![[r#"
            /ws/entities.toml 14:0-18:14 "[[entity]]"
        "#]]
        .assert_eq(&show_kb(&world, &found));
    }
}

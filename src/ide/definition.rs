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
    use super::*;
    use crate::ide::fixture::{self, world};

    fn show(world: &World, locations: &[Location]) -> Vec<String> {
        locations
            .iter()
            .map(|l| {
                let text = world
                    .kb
                    .kb_text(&l.file)
                    .map(|t| t.text.to_string())
                    .unwrap_or_default();
                let target = fixture::slice(&text, l.span, world.encoding);
                format!(
                    "{} {} {:?}",
                    l.file,
                    fixture::show_span(l.span),
                    target.lines().next().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn a_mention_goes_to_its_kb_entry() {
        let (world, cursor) = world(&[("/ws/a.txt", "カザフスタンのト$0カエフ大統領")], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        let found = definition(&world, file, cursor.unwrap().position);
        expect_test::expect![[r#"
            [
                "/ws/entities.toml 64:0-70:67 \"[[entity]]\"",
            ]
        "#]]
        .assert_debug_eq(&show(&world, &found));
    }

    #[test]
    fn plain_text_without_a_covering_source_has_no_definition() {
        let (world, cursor) = world(&[("/ws/a.txt", "ただの$0文章")], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        assert!(definition(&world, file, cursor.unwrap().position).is_empty());
    }

    /// Where declaration goes from `$0` in `note`: the text it lands on, in its line.
    fn declaration_in(note: &str) -> Vec<String> {
        let (world, cursor) = world(&[("/ws/a.txt", note)], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        declaration(&world, file, cursor.unwrap().position)
            .iter()
            .map(|l| {
                let target = fixture::slice(&file.text, l.span, world.encoding);
                format!("{} {} {target}", l.file, fixture::show_span(l.span))
            })
            .collect()
    }

    #[test]
    fn declaration_on_a_name_goes_to_the_paragraph_source() {
        let note = "カザフスタンのト$0カエフ大統領は距離を置き始めています。【2023年11月2日 AFP】";
        expect_test::expect![[r#"
            [
                "/ws/a.txt 0:27-0:43 【2023年11月2日 AFP】",
            ]
        "#]]
        .assert_debug_eq(&declaration_in(note));
        // Definition on the same name still goes to the KB entry.
        let (world, cursor) = world(&[("/ws/a.txt", note)], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        let found = definition(&world, file, cursor.unwrap().position);
        assert_eq!(found[0].file, FileId::new(fixture::KB_FILE), "{found:?}");
    }

    #[test]
    fn declaration_in_a_clipping_block_goes_to_its_source_line() {
        let note = "****カザフ、$0制裁を否定****\nトカエフ大統領は否定した。\n\nロシアへの輸出は続く。\n【2023年11月2日 AFP】\n******\n";
        expect_test::expect![[r#"
            [
                "/ws/a.txt 4:0-4:16 【2023年11月2日 AFP】",
            ]
        "#]]
        .assert_debug_eq(&declaration_in(note));
        let from_a_name = note.replace("$0", "").replace("トカエフ", "トカ$0エフ");
        assert_eq!(declaration_in(&from_a_name), declaration_in(note));
    }

    #[test]
    fn declaration_without_a_covering_source_finds_nothing() {
        assert!(declaration_in("トカ$0エフ大統領は否定した。").is_empty());
    }

    #[test]
    fn an_entity_id_in_a_kb_file_goes_to_that_entity() {
        let (world, _) = world(&[], &[]);
        let kb_file = FileId::new(fixture::KB_FILE);
        let text = world.kb.kb_text(&kb_file).unwrap();
        let line = text
            .text
            .lines()
            .position(|l| l.contains("of = \"kazakhstan\""))
            .unwrap();
        let col = text.text.lines().nth(line).unwrap().find("kazakhstan").unwrap() as u32 + 2;
        let found = definition_kb(&world, &kb_file, LineCol { line: line as u32, col });
        expect_test::expect![[r#"
            [
                "/ws/entities.toml 14:0-18:14 \"[[entity]]\"",
            ]
        "#]]
        .assert_debug_eq(&show(&world, &found));
    }
}

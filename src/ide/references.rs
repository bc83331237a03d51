//! Find references and document highlights: every mention of an entity, in every spelling
//! (name, aliases, deprecated and misspelled forms, near misses), in open notes and in the
//! notes on disk. Works from a mention in a note or from an entry of a KB file.

use super::{Cancel, Cancelled, FileId, LineCol, Location, OpenFile, Span, World};
use crate::kb::EntityId;

/// The entity mentioned at `position` of an open note.
pub fn entity_at(world: &World, file: &OpenFile, position: LineCol) -> Option<EntityId> {
    file.mention_at(file.offset(position, world.encoding)).map(|m| m.entity)
}

/// The entity whose entry is at `position` of a KB file.
pub fn entity_at_kb(world: &World, file: &FileId, position: LineCol) -> Option<EntityId> {
    let text = world.kb.kb_text(file)?;
    let offset = text.line_index.offset(&text.text, position, world.encoding);
    world.kb.entity_at(file, offset)
}

/// Every mention of `entity` in the workspace, sorted by file and position; with its KB entry
/// first when `include_declaration`.
pub fn references(
    world: &World,
    entity: EntityId,
    include_declaration: bool,
    cancel: &Cancel,
) -> Result<Vec<Location>, Cancelled> {
    let key = world.kb.entity_key(entity);
    let mut found = Vec::new();
    for view in world.seed_files() {
        cancel.check()?;
        let summary = view.summary();
        if !summary.mentions_entity(key) {
            continue;
        }
        for (i, m) in summary.mentions.iter().enumerate() {
            if m.entity == key {
                if let Some(span) = view.mention_span(i, world.encoding) {
                    found.push(Location {
                        file: view.id().clone(),
                        span,
                    });
                }
            }
        }
    }
    found.sort();
    if include_declaration {
        if let Some(declaration) = world.kb.entity_location(entity, world.encoding) {
            found.insert(0, declaration);
        }
    }
    Ok(found)
}

/// The mentions, in this note, of the entity under the cursor.
pub fn highlights(world: &World, file: &OpenFile, position: LineCol) -> Vec<Span> {
    let Some(entity) = entity_at(world, file, position) else {
        return Vec::new();
    };
    file.analysis
        .recognition
        .mentions
        .iter()
        .filter(|m| m.entity == entity)
        .map(|m| file.span(m.range, world.encoding))
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    /// The references of the entity at `$0`, declaration included.
    fn check(fixture: &str, expect: Expect) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let entity = entity_at(&world, &world.open[&file], position).expect("a mention at $0");
        let found = references(&world, entity, true, &Cancel::new()).unwrap();
        expect.assert_eq(&fixture.render(&found));
    }

    /// The highlights at `$0` are the `⟦…⟧` of the fixture.
    fn check_highlights(fixture: &str) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let found: Vec<Location> = highlights(&world, &world.open[&file], position)
            .into_iter()
            .map(|span| Location {
                file: file.clone(),
                span,
            })
            .collect();
        assert_eq!(found, fixture.marked);
    }

    #[test]
    fn every_spelling_in_open_and_closed_notes() {
        check(
            r#"
//- /ws/a.txt
首都キーウ$0と𠮷キエフ
//- /ws/b.txt closed
前置き
キエフ、キーウ、ロシア
"#,
            expect![[r#"
                //- /ws/a.txt
                首都⟦キーウ⟧と𠮷⟦キエフ⟧
                //- /ws/b.txt
                前置き
                ⟦キエフ⟧、⟦キーウ⟧、ロシア
                /ws/entities.toml 49:0-53:86
            "#]],
        );
    }

    #[test]
    fn a_cancelled_search_stops() {
        let world = Fixture::parse("キーウ").world();
        let cancel = Cancel::new();
        cancel.cancel();
        let entity = world.kb.kb.by_id("kyiv").unwrap();
        assert_eq!(references(&world, entity, false, &cancel), Err(Cancelled));
    }

    #[test]
    fn highlights_stay_in_the_note() {
        check_highlights(
            r#"
//- /ws/a.txt
⟦ロシア⟧と$0⟦ロシア⟧軍、カザフ
//- /ws/b.txt closed
ロシア
"#,
        );
    }

    #[test]
    fn from_a_kb_entry() {
        let world = Fixture::parse("トカエフ氏").world();
        let kb_file = FileId::new(crate::ide::fixture::KB_FILE);
        let text = world.kb.kb_text(&kb_file).unwrap();
        let line = text.text.lines().position(|l| l == "id = \"tokayev\"").unwrap() as u32;
        let entity = entity_at_kb(&world, &kb_file, LineCol { line, col: 0 }).unwrap();
        assert_eq!(world.kb.kb.entity(entity).id, "tokayev");
        assert_eq!(references(&world, entity, false, &Cancel::new()).unwrap().len(), 1);
    }
}

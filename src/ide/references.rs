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

/// How many mentions [`references_within`] answers at most when the server asks: a name
/// mentioned a million times would otherwise cost seconds and hundreds of megabytes to
/// answer and more for the editor to show; past it, the first mentions in file order and
/// how many there are in all.
pub const REFERENCES_LIMIT: usize = 100_000;

/// The references found: at most the limit, and how many mentions there are in all.
#[derive(Debug, PartialEq, Eq)]
pub struct References {
    pub locations: Vec<Location>,
    /// Every mention of the entity, those left out included (the declaration not counted).
    pub mentions: usize,
}

/// Every mention of `entity` in the workspace, sorted by file and position; with its KB entry
/// first when `include_declaration`.
pub fn references(
    world: &World,
    entity: EntityId,
    include_declaration: bool,
    cancel: &Cancel,
) -> Result<Vec<Location>, Cancelled> {
    references_within(world, entity, include_declaration, usize::MAX, cancel).map(|r| r.locations)
}

/// [`references`], but only the first `limit` mentions in file and position order (the
/// declaration besides), in time and memory bounded by `limit` and the number of notes: the
/// notes after the limit are only counted, from their summaries.
pub fn references_within(
    world: &World,
    entity: EntityId,
    include_declaration: bool,
    limit: usize,
    cancel: &Cancel,
) -> Result<References, Cancelled> {
    let key = world.kb.entity_key(entity);
    let mut files: Vec<_> = world
        .seed_files()
        .filter(|view| view.summary().mentions_entity(key))
        .collect();
    files.sort_by(|a, b| a.id().cmp(b.id()));
    let mut found = Vec::new();
    let mut mentions = 0;
    for view in files {
        cancel.check()?;
        let summary = view.summary();
        mentions += summary.count(key) as usize;
        if found.len() >= limit {
            continue;
        }
        let start = found.len();
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
        found[start..].sort();
        found.truncate(limit);
    }
    if include_declaration {
        if let Some(declaration) = world.kb.entity_location(entity, world.encoding) {
            found.insert(0, declaration);
        }
    }
    Ok(References {
        locations: found,
        mentions,
    })
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
    fn past_the_limit_the_first_mentions_in_file_order_and_the_count_of_all() {
        let fixture = Fixture::parse(
            r#"
//- /ws/b.txt closed
キーウ、キエフ
//- /ws/a.txt
首都キーウ$0と𠮷キエフ、キーウ
"#,
        );
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let entity = entity_at(&world, &world.open[&file], position).unwrap();
        let all = references(&world, entity, false, &Cancel::new()).unwrap();
        assert_eq!(all.len(), 5);
        for limit in [0, 1, 3, 4, 5, 6] {
            let capped = references_within(&world, entity, false, limit, &Cancel::new()).unwrap();
            assert_eq!(capped.mentions, 5, "limit {limit}");
            assert_eq!(capped.locations, all[..limit.min(5)], "limit {limit}");
        }
        let with_declaration = references_within(&world, entity, true, 2, &Cancel::new()).unwrap();
        assert_eq!(with_declaration.locations.len(), 3);
        assert_eq!(with_declaration.locations[1..], all[..2]);
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

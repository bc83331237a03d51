//! Merging parsed KB files into a [`Kb`]: later files override earlier ones by entity `id`
//! (keeping the first position) and titles by name; references are checked against the merged
//! KB and reported in the file that makes them; then the indexes ([`super::index`]) and the
//! matchers are built.

use std::collections::{HashMap, HashSet};

use super::index::{spellings, TitleIndex};
use super::model::{Entity, Title};
use super::schema::{KbError, KbFile, ReferenceTarget};
use super::{Kb, Matcher, NearMissIndex};
use crate::base::normalize::normalize;

/// [`Kb::build`]: merge `files` (later ones win) and compile; cross-file problems are returned
/// beside the KB, which is built from everything usable.
pub(super) fn build(files: Vec<KbFile>) -> (Kb, Vec<KbError>) {
    let mut errors: Vec<KbError> = files.iter().flat_map(|f| f.problems.iter().cloned()).collect();
    // Merge: later files override earlier ones by id, keeping the first position.
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut titles: Vec<Title> = Vec::new();
    let mut not_entities = HashSet::new();
    for file in &files {
        for entity in &file.entities {
            match by_id.get(&entity.id) {
                Some(&i) => entities[i] = entity.clone(),
                None => {
                    by_id.insert(entity.id.clone(), entities.len());
                    entities.push(entity.clone());
                }
            }
        }
        for title in &file.titles {
            match titles.iter_mut().find(|t| t.name == title.name) {
                Some(existing) => *existing = title.clone(),
                None => titles.push(title.clone()),
            }
        }
        not_entities.extend(file.not_entities.iter().map(|s| normalize(s)));
    }
    // References are checked against the merged KB, and reported in the file that makes them.
    for file in &files {
        for reference in &file.references {
            let ok = match &reference.target {
                ReferenceTarget::Entity(id) => by_id.contains_key(id),
                ReferenceTarget::Title(t) => titles.iter().any(|title| &title.name == t),
            };
            if !ok {
                let what = match &reference.target {
                    ReferenceTarget::Entity(_) => "entity id",
                    ReferenceTarget::Title(_) => "title (declare it in a [[title]] table)",
                };
                errors.push(KbError {
                    file: file.file.clone(),
                    range: reference.range,
                    message: format!("unknown {what}"),
                });
            }
        }
    }
    let (spellings, by_spelling) = spellings(&entities, &mut errors);
    let matcher = Matcher::new(&spellings);
    let near_miss = NearMissIndex::new(&spellings);
    let titles_index = TitleIndex::new(&titles);
    let kb = Kb {
        entities,
        titles,
        spellings,
        by_id,
        by_spelling,
        not_entities,
        title_spellings: titles_index.spellings,
        titles_by_first: titles_index.by_first,
        damaged_titles_by_first: titles_index.damaged_by_first,
        matcher,
        near_miss,
        link_sites: Default::default(),
    };
    (kb, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::parse_kb_file;
    use crate::kb::schema::tests::errors_of;

    #[test]
    fn references_and_shared_spellings_are_checked_after_merging() {
        let text = r#"
[[entity]]
id = "a"
name = "アルファ"
kind = "person"
roles = [{ title = "王様", of = "nowhere" }]

[[entity]]
id = "b"
name = "ベータ"
aliases = ["アルファ"]
kind = "person"
"#;
        expect_test::expect![[r#"
            [
                "6:20: unknown title (declare it in a [[title]] table)",
                "6:31: unknown entity id",
                "8:1: alias 1 of this entity is already a spelling of the entity at t.toml:2",
            ]
        "#]]
        .assert_debug_eq(&errors_of(text));
    }

    #[test]
    fn workspace_files_override_builtin_entities_by_id() {
        let a = parse_kb_file(
            "a.toml",
            "[[entity]]\nid = \"x\"\nname = \"エックス\"\nkind = \"person\"\n",
        )
        .unwrap();
        let b = parse_kb_file(
            "b.toml",
            "[[entity]]\nid = \"x\"\nname = \"エクス\"\nkind = \"place\"\n",
        )
        .unwrap();
        let (kb, errors) = Kb::build(vec![a, b]);
        assert!(errors.is_empty());
        assert_eq!(kb.entities.len(), 1);
        assert_eq!(kb.entities[0].name, "エクス");
        assert_eq!(&*kb.entities[0].origin.file, "b.toml");
        assert!(kb.lookup("エックス").is_none());
    }
}

//! The indexes a [`Kb`](super::Kb) is built with: every spelling of every entity, normalised,
//! each owned by one entity; and every spelling of every title, by its first character.

use std::collections::HashMap;

use super::model::{Entity, Title};
use super::schema::{KbError, MAX_SPELLING_CHARS};
use super::{Spelling, SpellingKind, TitleSpelling};
use crate::base::normalize::normalize;

/// The spellings of `entities` and the index from a normalised spelling to its position. Each
/// normalised spelling belongs to one entity: a second entity claiming it is an error, in the
/// file of the entity that claims it.
pub(super) fn spellings(entities: &[Entity], errors: &mut Vec<KbError>) -> (Vec<Spelling>, HashMap<String, usize>) {
    let mut spellings: Vec<Spelling> = Vec::new();
    let mut by_spelling: HashMap<String, usize> = HashMap::new();
    for (index, entity) in entities.iter().enumerate() {
        // Each spelling with its place among its entity's fields, to name it in a message.
        let forms = std::iter::once((&entity.name, SpellingKind::Name, 0))
            .chain(
                entity
                    .aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a, SpellingKind::Alias, i)),
            )
            .chain(
                entity
                    .deprecated
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (&d.name, SpellingKind::Deprecated(i), i)),
            )
            .chain(
                entity
                    .misspellings
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (m, SpellingKind::Misspelling, i)),
            );
        for (text, kind, nth) in forms {
            let normalized = normalize(text.trim());
            // Too long a spelling was reported when its file was parsed.
            if !(2..=MAX_SPELLING_CHARS).contains(&normalized.chars().count()) {
                continue;
            }
            match by_spelling.get(&normalized) {
                Some(&other) if spellings[other].entity == index => {}
                Some(&other) => {
                    let owner = &entities[spellings[other].entity];
                    errors.push(KbError {
                        file: entity.origin.file.clone(),
                        range: entity.origin.range,
                        // The spelling is named by its field, not quoted: a file's content
                        // never comes back in a message.
                        message: format!(
                            "{} of this entity is already a spelling of the entity at {}:{}",
                            match kind {
                                SpellingKind::Name => "the name".to_string(),
                                SpellingKind::Alias => format!("alias {}", nth + 1),
                                SpellingKind::Deprecated(_) => format!("deprecated name {}", nth + 1),
                                SpellingKind::Misspelling => format!("misspelling {}", nth + 1),
                            },
                            owner.origin.file,
                            owner.origin.line + 1
                        ),
                    });
                }
                None => {
                    by_spelling.insert(normalized.clone(), spellings.len());
                    spellings.push(Spelling {
                        text: text.trim().to_string(),
                        normalized,
                        entity: index,
                        kind,
                    });
                }
            }
        }
    }
    (spellings, by_spelling)
}

/// Every spelling of every title (longest first) and where to start looking for one.
pub(super) struct TitleIndex {
    pub(super) spellings: Vec<TitleSpelling>,
    /// First character → the title spellings starting with it.
    pub(super) by_first: HashMap<char, Vec<usize>>,
    /// Character → the full title spellings of three or more characters that a damaged title
    /// starting with it may stand for (see [`super::Kb::damaged_titles_starting_with`]).
    pub(super) damaged_by_first: HashMap<char, Vec<usize>>,
}

impl TitleIndex {
    pub(super) fn new(titles: &[Title]) -> Self {
        let mut title_spellings: Vec<TitleSpelling> = titles
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let full = std::iter::once(&t.name).chain(&t.forms).map(move |s| (s, i, false));
                let short = t.short.iter().map(move |s| (s, i, true));
                full.chain(short)
            })
            .map(|(text, title, short)| TitleSpelling {
                text: text.clone(),
                title,
                short,
            })
            .collect();
        title_spellings.sort_by_key(|t| std::cmp::Reverse(t.text.len()));
        let mut titles_by_first: HashMap<char, Vec<usize>> = HashMap::new();
        let mut damaged_titles_by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, t) in title_spellings.iter().enumerate() {
            let chars: Vec<char> = t.text.chars().take(3).collect();
            if let Some(&first) = chars.first() {
                titles_by_first.entry(first).or_default().push(i);
            }
            if !t.short && chars.len() == 3 {
                damaged_titles_by_first.entry(chars[0]).or_default().push(i);
                if chars[1] != chars[0] {
                    damaged_titles_by_first.entry(chars[1]).or_default().push(i);
                }
            }
        }
        TitleIndex {
            spellings: title_spellings,
            by_first: titles_by_first,
            damaged_by_first: damaged_titles_by_first,
        }
    }
}

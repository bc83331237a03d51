//! The entity knowledge base: what names exist, how they may be spelt, and what is known
//! about each entity (kind, English name, roles with dates, description).
//!
//! A [`Kb`] is built from one or more parsed KB files ([`schema`], merged by [`merge`]): the
//! built-in ones (`src/kb/data/`, compiled in: [`BUILTIN_KB_FILES`]) first, then workspace
//! files, which add entities or replace built-in ones by `id`. Building also compiles the name
//! [`Matcher`] used by recognition, so a `Kb` is immutable and cheap to share (`Arc<Kb>`).

pub mod abbreviations;
mod index;
pub mod kanji;
pub(crate) mod matcher;
mod merge;
mod model;
pub(crate) mod near_miss_index;
mod schema;

use std::collections::HashMap;
use std::sync::Arc;

pub use model::{Deprecated, Entity, EntityKind, Origin, Role, Title};
pub use schema::{
    builtin_sources, parse_kb_file, KbError, KbFile, BUILTIN_KB_FILES, BUILTIN_KB_PREFIX, MAX_SPELLING_CHARS,
};

pub(crate) use matcher::{Matcher, RawMatch};
pub(crate) use near_miss_index::NearMissIndex;

use crate::base::normalize::normalize;

/// The file name of workspace KB files.
pub const KB_FILE_NAME: &str = "entities.toml";

/// True when `path` is a KB file by name.
pub fn is_kb_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|n| n == KB_FILE_NAME)
}

/// Index of an entity in [`Kb::entities`].
pub type EntityId = usize;

/// How a spelling relates to its entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpellingKind {
    /// The canonical `name`.
    Name,
    /// An accepted other spelling (`aliases`).
    Alias,
    /// An outdated spelling; the index is into the entity's `deprecated` list.
    Deprecated(usize),
    /// A known wrong form (`misspellings`).
    Misspelling,
}

/// One spelling of one entity, as written in the KB and as normalised for matching.
#[derive(Clone, Debug)]
pub struct Spelling {
    pub text: String,
    pub normalized: String,
    pub entity: EntityId,
    pub kind: SpellingKind,
}

/// The merged, compiled knowledge base.
#[derive(Debug)]
pub struct Kb {
    pub entities: Vec<Entity>,
    pub titles: Vec<Title>,
    pub spellings: Vec<Spelling>,
    by_id: HashMap<String, EntityId>,
    by_spelling: HashMap<String, usize>,
    not_entities: std::collections::HashSet<String>,
    /// Every spelling of every title, longest first.
    title_spellings: Vec<TitleSpelling>,
    /// First character → the title spellings starting with it (indices into
    /// `title_spellings`, in order).
    titles_by_first: HashMap<char, Vec<usize>>,
    /// Character → the full title spellings of three or more characters that a damaged title
    /// starting with it may stand for: the title's first character (one character replaced
    /// later), or its second (the first dropped). Indices into `title_spellings`, in order.
    damaged_titles_by_first: HashMap<char, Vec<usize>>,
    pub(crate) matcher: Matcher,
    pub(crate) near_miss: NearMissIndex,
    /// (host, path, entity) of every entity link, parsed on first use by the URL sources
    /// ([`crate::analysis::sources`]) instead of once per note.
    pub(crate) link_sites: std::sync::OnceLock<Vec<(String, String, EntityId)>>,
}

/// One spelling of a title, for matching what follows a name.
#[derive(Clone, Debug)]
pub(crate) struct TitleSpelling {
    pub text: String,
    /// Index into [`Kb::titles`].
    pub title: usize,
    /// A `short` form (accepted only for holders of the full title).
    pub short: bool,
}

impl Kb {
    /// The built-in KB alone.
    pub fn builtin() -> Arc<Kb> {
        static BUILTIN: std::sync::OnceLock<Arc<Kb>> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let files = builtin_sources().expect("the built-in KB parses (checked by tests)");
                let (kb, errors) = Kb::build(files);
                debug_assert!(errors.is_empty(), "built-in KB errors: {errors:?}");
                Arc::new(kb)
            })
            .clone()
    }

    /// Merge parsed files, later files overriding earlier ones by entity `id`, and compile.
    /// Cross-file problems (unknown `roles.of`, a spelling claimed by two entities) are
    /// returned as errors; the KB is still built from everything usable.
    pub fn build(files: Vec<KbFile>) -> (Kb, Vec<KbError>) {
        merge::build(files)
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id]
    }

    pub fn by_id(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }

    /// The title named `name`.
    pub fn title(&self, name: &str) -> Option<&Title> {
        self.titles.iter().find(|t| t.name == name)
    }

    /// The spelling whose normalised form equals `text` normalised, if any.
    pub fn lookup(&self, text: &str) -> Option<&Spelling> {
        self.by_spelling.get(&normalize(text)).map(|&i| &self.spellings[i])
    }

    /// Words declared as "not an entity" (never reported as unknown names).
    pub fn is_not_entity(&self, text: &str) -> bool {
        self.not_entities.contains(&normalize(text))
    }

    /// Every spelling of every title, longest first.
    pub(crate) fn title_spellings(&self) -> &[TitleSpelling] {
        &self.title_spellings
    }

    /// The title spellings starting with `c` (indices into [`Kb::title_spellings`], longest
    /// first).
    pub(crate) fn titles_starting_with(&self, c: char) -> &[usize] {
        self.titles_by_first.get(&c).map_or(&[], Vec::as_slice)
    }

    /// The full title spellings of three or more characters that a damaged title starting
    /// with `c` may stand for: those starting with `c`, or with `c` second (indices into
    /// [`Kb::title_spellings`], in order).
    pub(crate) fn damaged_titles_starting_with(&self, c: char) -> &[usize] {
        self.damaged_titles_by_first.get(&c).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod builtin_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_kb_is_valid() {
        let files = builtin_sources().expect("built-in KB parses");
        let (kb, errors) = Kb::build(files);
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(kb.entities.len() > 10);
    }
}

//! [`KbSet`]: the compiled knowledge base as the IDE features see it — the [`Kb`] itself,
//! the text every KB file had when it was parsed (entity origins are byte ranges into those
//! texts, so definitions and code lenses can be placed), where each built-in KB file is
//! materialised for editors to open, and stable keys for entities and spellings.
//!
//! Keys ([`EntityKey`], [`SpellingKey`]) are interned by entity `id` and by normalised
//! spelling in a [`Keys`] table that lives as long as the server, so the summaries of files
//! that are not open stay meaningful when the KB is rebuilt (entity indices change, keys do
//! not).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use super::{FileId, Location, Span};
use crate::base::{LineIndex, PositionEncoding};
use crate::kb::{EntityId, Kb, KbError, KbFile, BUILTIN_KB_FILES, BUILTIN_KB_PREFIX};

/// A stable key for an entity `id`, valid across KB rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityKey(pub u32);

/// A stable key for a normalised spelling, valid across KB rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpellingKey(pub u32);

/// The interning table behind [`EntityKey`] and [`SpellingKey`]. Keys are never reused.
#[derive(Debug, Default)]
pub struct Keys {
    entities: HashMap<String, EntityKey>,
    spellings: HashMap<String, SpellingKey>,
}

impl Keys {
    fn entity(&mut self, id: &str) -> EntityKey {
        let next = EntityKey(self.entities.len() as u32);
        *self.entities.entry(id.to_string()).or_insert(next)
    }

    fn spelling(&mut self, normalized: &str) -> SpellingKey {
        let next = SpellingKey(self.spellings.len() as u32);
        *self.spellings.entry(normalized.to_string()).or_insert(next)
    }
}

/// A KB file's text with its line index.
#[derive(Debug)]
pub struct KbText {
    pub text: Arc<str>,
    pub line_index: LineIndex,
}

impl KbText {
    pub fn new(text: Arc<str>) -> Self {
        let line_index = LineIndex::new(&text);
        KbText { text, line_index }
    }

    pub fn span(&self, start: usize, end: usize, encoding: PositionEncoding) -> Span {
        Span {
            start: self.line_index.line_col(&self.text, start, encoding),
            end: self.line_index.line_col(&self.text, end, encoding),
        }
    }
}

#[derive(Debug)]
pub struct KbSet {
    pub kb: Arc<Kb>,
    /// Bumped by the server on every rebuild; an analysis remembers the generation it used.
    pub generation: u64,
    /// Built-in KB file name (`<builtin>/entities.toml`) → its read-only copy that editors
    /// can open, when the built-in KB is materialised.
    builtin_copies: HashMap<Arc<str>, FileId>,
    /// Origin file name → the text it was parsed from.
    texts: HashMap<Arc<str>, KbText>,
    entity_keys: Vec<EntityKey>,
    entity_of_key: HashMap<EntityKey, EntityId>,
    spelling_keys: Vec<SpellingKey>,
}

impl KbSet {
    /// `texts` maps each KB file name (as given to `parse_kb_file`) to its parsed text; the
    /// built-in texts are added here. `builtin_dir` is the folder the built-in files are
    /// materialised in (`crate::project::builtin_copy`), if they are.
    pub fn new(
        kb: Arc<Kb>,
        texts: impl IntoIterator<Item = (Arc<str>, Arc<str>)>,
        builtin_dir: Option<&Path>,
        keys: &mut Keys,
        generation: u64,
    ) -> Self {
        let mut texts: HashMap<Arc<str>, KbText> = texts.into_iter().map(|(f, t)| (f, KbText::new(t))).collect();
        let mut builtin_copies = HashMap::new();
        for (name, text) in BUILTIN_KB_FILES {
            texts
                .entry((*name).into())
                .or_insert_with(|| KbText::new((*text).into()));
            if let Some(dir) = builtin_dir {
                let copy = dir.join(name.strip_prefix(BUILTIN_KB_PREFIX).unwrap_or(name));
                builtin_copies.insert((*name).into(), FileId::from_path(&copy));
            }
        }
        let entity_keys: Vec<EntityKey> = kb.entities.iter().map(|e| keys.entity(&e.id)).collect();
        let entity_of_key = entity_keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        let spelling_keys: Vec<SpellingKey> = kb.spellings.iter().map(|s| keys.spelling(&s.normalized)).collect();
        KbSet {
            kb,
            generation,
            builtin_copies,
            texts,
            entity_keys,
            entity_of_key,
            spelling_keys,
        }
    }

    /// Merge parsed KB files into a KB ([`Kb::build`]) and wrap it, keys interned in `keys`.
    /// Also returns the build's cross-file problems.
    pub fn build(
        files: Vec<KbFile>,
        builtin_dir: Option<&Path>,
        keys: &Mutex<Keys>,
        generation: u64,
    ) -> (KbSet, Vec<KbError>) {
        let texts: Vec<(Arc<str>, Arc<str>)> = files.iter().map(|f| (f.file.clone(), f.text.clone())).collect();
        let (kb, errors) = Kb::build(files);
        let mut keys = keys.lock().unwrap_or_else(PoisonError::into_inner);
        (
            KbSet::new(Arc::new(kb), texts, builtin_dir, &mut keys, generation),
            errors,
        )
    }

    /// Every KB file the KB was built from, with its text, sorted by name (what a KB is made
    /// of, for the index cache's key).
    pub fn texts(&self) -> Vec<(&str, &str)> {
        let mut texts: Vec<(&str, &str)> = self.texts.iter().map(|(f, t)| (&**f, &*t.text)).collect();
        texts.sort_unstable();
        texts
    }

    pub fn entity_key(&self, entity: EntityId) -> EntityKey {
        self.entity_keys[entity]
    }

    /// The entity a key names in this KB (`None` if it was removed).
    pub fn entity_of(&self, key: EntityKey) -> Option<EntityId> {
        self.entity_of_key.get(&key).copied()
    }

    pub fn spelling_key(&self, spelling: usize) -> SpellingKey {
        self.spelling_keys[spelling]
    }

    /// The origin name of the KB file `file` is (a built-in file's for its materialised copy).
    fn origin_name<'a>(&'a self, file: &'a FileId) -> &'a str {
        self.builtin_copies
            .iter()
            .find(|(_, copy)| *copy == file)
            .map_or(file.as_str(), |(name, _)| name)
    }

    /// True when `file` is the materialised copy of a built-in KB file.
    pub fn is_builtin_copy(&self, file: &FileId) -> bool {
        self.builtin_copies.values().any(|copy| copy == file)
    }

    /// The text a KB file was parsed from, if `file` is one of the KB's files.
    pub fn kb_text(&self, file: &FileId) -> Option<&KbText> {
        self.texts.get(self.origin_name(file))
    }

    /// True when `file` is one of the files the KB was built from.
    pub fn is_kb_file(&self, file: &FileId) -> bool {
        self.kb_text(file).is_some()
    }

    /// The file that defines `entity`, as editors open it.
    pub fn entity_file(&self, entity: EntityId) -> Option<FileId> {
        let origin = &self.kb.entity(entity).origin;
        if origin.is_builtin() {
            self.builtin_copies.get(&origin.file).cloned()
        } else {
            Some(FileId::new(origin.file.clone()))
        }
    }

    /// The `[[entity]]` table that defines `entity` (trailing blank lines left out).
    pub fn entity_location(&self, entity: EntityId, encoding: PositionEncoding) -> Option<Location> {
        let origin = &self.kb.entity(entity).origin;
        let file = self.entity_file(entity)?;
        let text = self.texts.get(&origin.file)?;
        let end = origin.range.end.min(text.text.len());
        let start = origin.range.start.min(end);
        let trimmed_end = start + text.text[start..end].trim_end().len();
        Some(Location {
            file,
            span: text.span(start, trimmed_end, encoding),
        })
    }

    /// Entities defined in `file`, in file order.
    pub fn entities_in<'a>(&'a self, file: &'a FileId) -> impl Iterator<Item = EntityId> + 'a {
        let name = self.origin_name(file);
        let mut ids: Vec<EntityId> = (0..self.kb.entities.len())
            .filter(|&e| &*self.kb.entities[e].origin.file == name)
            .collect();
        ids.sort_by_key(|&e| self.kb.entities[e].origin.range.start);
        ids.into_iter()
    }

    /// The entity whose `[[entity]]` table contains byte `offset` of KB file `file`.
    pub fn entity_at(&self, file: &FileId, offset: usize) -> Option<EntityId> {
        self.entities_in(file)
            .find(|&e| self.kb.entities[e].origin.range.touches(offset))
    }
}

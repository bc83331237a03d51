//! The knowledge-base data model, as used by the rest of the core (already validated).
//! The on-disk TOML shape lives in `load.rs`.

use std::fmt;
use std::sync::Arc;

use crate::base::date::PartialDate;
use crate::base::{Severity, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Media,
    Event,
    Other,
}

impl EntityKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "person" => EntityKind::Person,
            "organization" | "organisation" => EntityKind::Organization,
            "place" => EntityKind::Place,
            "media" => EntityKind::Media,
            "event" => EntityKind::Event,
            "other" => EntityKind::Other,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Media => "media",
            EntityKind::Event => "event",
            EntityKind::Other => "other",
        }
    }

    /// Japanese label for hover cards and messages.
    pub fn label_ja(self) -> &'static str {
        match self {
            EntityKind::Person => "人物",
            EntityKind::Organization => "組織",
            EntityKind::Place => "地名",
            EntityKind::Media => "報道機関",
            EntityKind::Event => "出来事",
            EntityKind::Other => "その他",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an entity is defined: a KB file (or the built-in KB) and its byte range there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// A path, or the name of a built-in KB file (`<builtin>/entities.toml`, see
    /// [`super::BUILTIN_KB_FILES`]).
    pub file: Arc<str>,
    /// Byte range of the `[[entity]]` table in that file.
    pub range: TextRange,
    /// Zero-based line of the `[[entity]]` header.
    pub line: u32,
}

impl Origin {
    pub fn is_builtin(&self) -> bool {
        self.file.starts_with(super::BUILTIN_KB_PREFIX)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deprecated {
    pub name: String,
    pub preferred: Option<String>,
    pub reason: Option<String>,
    pub since: Option<PartialDate>,
    /// How strongly the `deprecated-name` rule reports it, when not at the rule's severity
    /// (`info` for a spelling news moved away from, which no authority changed).
    pub severity: Option<Severity>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub title: String,
    /// Entity id (not index) of what the role is "of", e.g. `kazakhstan`.
    pub of: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl Role {
    /// True when the role may have been held on `date` (a date without a year matches any
    /// role; partial dates are read generously).
    pub fn held_on(&self, date: &PartialDate) -> bool {
        let (Some(earliest), Some(latest)) = (date.earliest(), date.latest()) else {
            return true;
        };
        let started = self.from.and_then(|f| f.earliest()).is_none_or(|from| from <= latest);
        let not_ended = self.to.and_then(|t| t.latest()).is_none_or(|to| earliest <= to);
        started && not_ended
    }

    /// True when the role ended on or after `died`: held until death.
    pub fn ended_by_death(&self, died: Option<PartialDate>) -> bool {
        match (self.to.and_then(|t| t.latest()), died.and_then(|d| d.earliest())) {
            (Some(to), Some(died)) => to >= died,
            _ => false,
        }
    }

    /// True when the role had begun by `date` (used for 元/前 "former" titles).
    pub fn begun_by(&self, date: &PartialDate) -> bool {
        let Some(latest) = date.latest() else {
            return true;
        };
        self.from.and_then(|f| f.earliest()).is_none_or(|from| from <= latest)
    }
}

#[derive(Clone, Debug)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub en: Option<String>,
    pub reading: Option<String>,
    /// The day a person died: a role that ended then was held until death, and its title is
    /// still the person's in reports of the death (ライシ大統領が死亡).
    pub died: Option<PartialDate>,
    pub aliases: Vec<String>,
    pub misspellings: Vec<String>,
    pub deprecated: Vec<Deprecated>,
    pub roles: Vec<Role>,
    pub description: Option<String>,
    pub links: Vec<String>,
    pub origin: Origin,
}

/// A title (大統領, 外相 …) with its equivalent spellings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    pub name: String,
    /// Other full spellings of the same title (外務大臣 for 外相).
    pub forms: Vec<String>,
    /// Short forms accepted after a name when the person holds this title (長官 for 国務長官).
    pub short: Vec<String>,
}

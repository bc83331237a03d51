//! Reading KB files: TOML → validated [`KbFile`], and merging files into a [`Kb`].
//!
//! Errors carry the file and a byte range, so `seed-lsp kb check` and the language server can
//! both show them at the right line and column.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::model::{Deprecated, Entity, EntityKind, Origin, Role, Title};
use super::{Kb, Spelling, SpellingKind, TitleSpelling};
use super::{Matcher, NearMissIndex};
use crate::base::date::PartialDate;
use crate::base::normalize::normalize;
use crate::base::TextRange;

/// The built-in KB: its files (name, text) under `src/kb/data/`, compiled into the binary and
/// merged in this order like workspace files: the hand-written `entities.toml`, then the
/// places generated from CLDR (`scripts/gen_places.py`, which leaves out the ids the
/// hand-written file defines). Names start with [`BUILTIN_KB_PREFIX`].
pub const BUILTIN_KB_FILES: &[(&str, &str)] = &[
    (
        "<builtin>/entities.toml",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/kb/data/entities.toml")),
    ),
    (
        "<builtin>/places.generated.toml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/kb/data/places.generated.toml"
        )),
    ),
];
/// What the name of every built-in KB file starts with (its origin file, e.g.
/// `<builtin>/entities.toml`).
pub const BUILTIN_KB_PREFIX: &str = "<builtin>/";

/// A problem in a KB file, at a byte range of that file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbError {
    pub file: Arc<str>,
    pub range: TextRange,
    pub message: String,
}

/// One parsed and locally validated KB file.
#[derive(Clone, Debug)]
pub struct KbFile {
    pub file: Arc<str>,
    pub text: Arc<str>,
    pub entities: Vec<Entity>,
    pub titles: Vec<Title>,
    pub not_entities: Vec<String>,
    /// Where each `roles.of` / `roles.title` reference sits, to report unknown targets later.
    references: Vec<Reference>,
}

#[derive(Clone, Debug)]
struct Reference {
    entity: usize,
    range: TextRange,
    target: ReferenceTarget,
}

#[derive(Clone, Debug)]
enum ReferenceTarget {
    Entity(String),
    Title(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    not_entities: Vec<String>,
    #[serde(default)]
    title: Vec<RawTitle>,
    #[serde(default)]
    entity: Vec<Spanned<RawEntity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    name: String,
    #[serde(default)]
    forms: Vec<String>,
    #[serde(default)]
    short: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Spanned<String>,
    name: Spanned<String>,
    kind: Spanned<String>,
    en: Option<String>,
    reading: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    misspellings: Vec<Spanned<String>>,
    #[serde(default)]
    deprecated: Vec<RawDeprecated>,
    #[serde(default)]
    roles: Vec<RawRole>,
    description: Option<String>,
    #[serde(default)]
    links: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeprecated {
    name: Spanned<String>,
    preferred: Option<String>,
    reason: Option<String>,
    since: Option<Spanned<String>>,
    severity: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    title: Spanned<String>,
    of: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
}

/// The built-in KB's files, parsed, in merge order.
pub fn builtin_sources() -> Result<Vec<KbFile>, Vec<KbError>> {
    BUILTIN_KB_FILES
        .iter()
        .map(|(name, text)| parse_kb_file(name, text))
        .collect()
}

/// The message of a TOML error. The parser gives none for some errors (a control character
/// in a comment): then it names the character where it stopped.
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim();
    if !message.is_empty() {
        return message.to_string();
    }
    match e
        .span()
        .and_then(|s| text.get(s.start..))
        .and_then(|s| s.chars().next())
    {
        Some(c) => format!("invalid TOML: unexpected character {c:?} (U+{:04X})", c as u32),
        None => "invalid TOML".to_string(),
    }
}

/// Parse and validate one KB file on its own (references to other files are checked when
/// files are merged by [`Kb::build`]).
pub fn parse_kb_file(file: &str, text: &str) -> Result<KbFile, Vec<KbError>> {
    let file: Arc<str> = file.into();
    let error = |range: std::ops::Range<usize>, message: String| KbError {
        file: file.clone(),
        range: range.into(),
        message,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        vec![error(span, toml_message(&e, text))]
    })?;
    let mut errors = Vec::new();
    if let Some(v) = raw.version {
        if v != 1 {
            errors.push(error(0..0, format!("unsupported KB version {v} (expected 1)")));
        }
    }
    let line_index = crate::base::LineIndex::new(text);
    let mut entities = Vec::with_capacity(raw.entity.len());
    let mut references = Vec::new();
    let mut ids: HashMap<String, TextRange> = HashMap::new();
    for spanned in raw.entity {
        let span = spanned.span();
        let raw = spanned.into_inner();
        let id = raw.id.get_ref().clone();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        {
            errors.push(error(
                raw.id.span(),
                format!("invalid id {id:?}: use lowercase ASCII letters, digits, '-', '_' or '.'"),
            ));
        }
        if ids.insert(id.clone(), raw.id.span().into()).is_some() {
            errors.push(error(raw.id.span(), format!("duplicate id {id:?}")));
        }
        let kind = EntityKind::parse(raw.kind.get_ref()).unwrap_or_else(|| {
            errors.push(error(
                raw.kind.span(),
                format!(
                    "unknown kind {:?}: expected person, organization, place, media, event or other",
                    raw.kind.get_ref()
                ),
            ));
            EntityKind::Other
        });
        let parse_date = |d: &Option<Spanned<String>>, errors: &mut Vec<KbError>| -> Option<PartialDate> {
            let d = d.as_ref()?;
            let parsed = PartialDate::parse_iso(d.get_ref());
            if parsed.is_none() {
                errors.push(error(
                    d.span(),
                    format!("invalid date {:?}: expected YYYY, YYYY-MM or YYYY-MM-DD", d.get_ref()),
                ));
            }
            parsed
        };
        let deprecated: Vec<Deprecated> = raw
            .deprecated
            .iter()
            .map(|d| Deprecated {
                name: d.name.get_ref().clone(),
                preferred: d.preferred.clone(),
                reason: d.reason.clone(),
                since: parse_date(&d.since, &mut errors),
                severity: d.severity.as_ref().and_then(|s| {
                    let parsed = crate::base::Severity::parse(s.get_ref());
                    if parsed.is_none() {
                        errors.push(error(
                            s.span(),
                            format!(
                                "invalid severity {:?}: expected hint, info, warning or error",
                                s.get_ref()
                            ),
                        ));
                    }
                    parsed
                }),
            })
            .collect();
        let mut roles = Vec::with_capacity(raw.roles.len());
        for r in &raw.roles {
            let from = parse_date(&r.from, &mut errors);
            let to = parse_date(&r.to, &mut errors);
            if let (Some(f), Some(t)) = (from.and_then(|f| f.earliest()), to.and_then(|t| t.latest())) {
                if f > t {
                    errors.push(error(
                        r.title.span(),
                        "role ends before it begins (`to` < `from`)".into(),
                    ));
                }
            }
            let index = entities.len();
            references.push(Reference {
                entity: index,
                range: r.title.span().into(),
                target: ReferenceTarget::Title(r.title.get_ref().clone()),
            });
            if let Some(of) = &r.of {
                references.push(Reference {
                    entity: index,
                    range: of.span().into(),
                    target: ReferenceTarget::Entity(of.get_ref().clone()),
                });
            }
            roles.push(Role {
                title: r.title.get_ref().clone(),
                of: r.of.as_ref().map(|o| o.get_ref().clone()),
                from,
                to,
            });
        }
        let spelled: Vec<&Spanned<String>> = std::iter::once(&raw.name)
            .chain(&raw.aliases)
            .chain(&raw.misspellings)
            .chain(raw.deprecated.iter().map(|d| &d.name))
            .collect();
        for s in spelled {
            if s.get_ref().trim().chars().count() < 2 {
                errors.push(error(
                    s.span(),
                    format!(
                        "spelling {:?} is too short: one-character names match inside ordinary words",
                        s.get_ref()
                    ),
                ));
            }
        }
        let header_line = line_index.line_of(span.start);
        entities.push(Entity {
            id,
            name: raw.name.into_inner(),
            kind,
            en: raw.en,
            reading: raw.reading,
            aliases: raw.aliases.into_iter().map(Spanned::into_inner).collect(),
            misspellings: raw.misspellings.into_iter().map(Spanned::into_inner).collect(),
            deprecated,
            roles,
            description: raw.description,
            links: raw.links,
            origin: Origin {
                file: file.clone(),
                range: span.into(),
                line: header_line,
            },
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.range.start);
        return Err(errors);
    }
    Ok(KbFile {
        file,
        text: text.into(),
        entities,
        titles: raw
            .title
            .into_iter()
            .map(|t| Title {
                name: t.name,
                forms: t.forms,
                short: t.short,
            })
            .collect(),
        not_entities: raw.not_entities,
        references,
    })
}

pub(super) fn build(files: Vec<KbFile>) -> (Kb, Vec<KbError>) {
    let mut errors = Vec::new();
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
                let (what, name) = match &reference.target {
                    ReferenceTarget::Entity(id) => ("entity id", id),
                    ReferenceTarget::Title(t) => ("title (declare it in a [[title]] table)", t),
                };
                let _ = reference.entity;
                errors.push(KbError {
                    file: file.file.clone(),
                    range: reference.range,
                    message: format!("unknown {what}: {name:?}"),
                });
            }
        }
    }
    // Spellings: each normalised spelling belongs to one entity.
    let mut spellings: Vec<Spelling> = Vec::new();
    let mut by_spelling: HashMap<String, usize> = HashMap::new();
    for (index, entity) in entities.iter().enumerate() {
        let forms = std::iter::once((&entity.name, SpellingKind::Name))
            .chain(entity.aliases.iter().map(|a| (a, SpellingKind::Alias)))
            .chain(
                entity
                    .deprecated
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (&d.name, SpellingKind::Deprecated(i))),
            )
            .chain(entity.misspellings.iter().map(|m| (m, SpellingKind::Misspelling)));
        for (text, kind) in forms {
            let normalized = normalize(text.trim());
            if normalized.chars().count() < 2 {
                continue;
            }
            match by_spelling.get(&normalized) {
                Some(&other) if spellings[other].entity == index => {}
                Some(&other) => {
                    let owner = &entities[spellings[other].entity];
                    errors.push(KbError {
                        file: entity.origin.file.clone(),
                        range: entity.origin.range,
                        message: format!(
                            "spelling {text:?} of {:?} is already a spelling of {:?} ({}:{})",
                            entity.id,
                            owner.id,
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
    let matcher = Matcher::new(&spellings);
    let near_miss = NearMissIndex::new(&spellings);
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
    let kb = Kb {
        entities,
        titles,
        spellings,
        by_id,
        by_spelling,
        not_entities,
        title_spellings,
        titles_by_first,
        damaged_titles_by_first,
        matcher,
        near_miss,
        link_sites: Default::default(),
    };
    (kb, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<String> {
        let index = crate::base::LineIndex::new(text);
        match parse_kb_file("t.toml", text) {
            Ok(file) => Kb::build(vec![file]).1,
            Err(errors) => errors,
        }
        .into_iter()
        .map(|e| {
            let lc = index.line_col(text, e.range.start, crate::base::PositionEncoding::Utf32);
            format!("{}:{}: {}", lc.line + 1, lc.col + 1, e.message)
        })
        .collect()
    }

    #[test]
    fn a_valid_file_has_no_errors() {
        let text = r#"
[[title]]
name = "大統領"

[[entity]]
id = "kazakhstan"
name = "カザフスタン"
kind = "place"

[[entity]]
id = "tokayev"
name = "トカエフ"
kind = "person"
roles = [{ title = "大統領", of = "kazakhstan", from = "2019-03-20" }]
"#;
        assert_eq!(errors_of(text), Vec::<String>::new());
    }

    #[test]
    fn errors_point_at_the_faulty_value() {
        let text = r#"
[[entity]]
id = "tokayev"
name = "トカエフ"
kind = "persn"
roles = [{ title = "大統領", of = "kazakstan", from = "2019-3-20" }]

[[entity]]
id = "tokayev"
name = "ト"
kind = "person"
"#;
        expect_test::expect![[r#"
            [
                "5:8: unknown kind \"persn\": expected person, organization, place, media, event or other",
                "6:52: invalid date \"2019-3-20\": expected YYYY, YYYY-MM or YYYY-MM-DD",
                "9:6: duplicate id \"tokayev\"",
                "10:8: spelling \"ト\" is too short: one-character names match inside ordinary words",
            ]
        "#]]
        .assert_debug_eq(&errors_of(text));
    }

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
                "6:20: unknown title (declare it in a [[title]] table): \"王様\"",
                "6:31: unknown entity id: \"nowhere\"",
                "8:1: spelling \"アルファ\" of \"b\" is already a spelling of \"a\" (t.toml:2)",
            ]
        "#]]
        .assert_debug_eq(&errors_of(text));
    }

    #[test]
    fn toml_syntax_errors_have_a_position() {
        let errors = errors_of("[[entity]]\nid = \"x\nname = 1\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("2:"), "{errors:?}");
    }

    #[test]
    fn a_toml_error_without_a_message_names_the_character() {
        // Found by the kb_file fuzz target: the parser's message for a control character in a
        // comment is empty, which showed as a blank diagnostic.
        assert_eq!(
            errors_of("# KB\n#\u{3}\n"),
            vec!["2:2: invalid TOML: unexpected character '\\u{3}' (U+0003)"]
        );
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

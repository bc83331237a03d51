//! One KB file: TOML → validated [`KbFile`]. Everything a file says on its own is checked here
//! (ids, kinds, dates, spellings too short); what needs the other files — references to
//! entities and titles, spellings claimed twice — is checked when files are merged
//! ([`super::merge`]).
//!
//! Errors carry the file and a byte range, so `seed-lsp kb check` and the language server can
//! both show them at the right line and column.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::model::{Deprecated, Entity, EntityKind, Origin, Role, Title};
use crate::base::date::PartialDate;
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

/// The longest spelling matched, in characters once normalised. Real names are a few dozen
/// characters at most; the near-miss index of a katakana spelling grows with the square of
/// its length, so an 800-character "name" would cost gigabytes.
pub const MAX_SPELLING_CHARS: usize = 64;

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
    pub(super) references: Vec<Reference>,
    /// Problems that leave the file usable (a spelling too long to match, left out of the
    /// index): reported with the build's.
    pub(super) problems: Vec<KbError>,
}

/// A name one file refers to that another file may define.
#[derive(Clone, Debug)]
pub(super) struct Reference {
    pub(super) range: TextRange,
    pub(super) target: ReferenceTarget,
}

#[derive(Clone, Debug)]
pub(super) enum ReferenceTarget {
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
    died: Option<Spanned<String>>,
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
        Some(c) => format!("invalid TOML: unexpected character U+{:04X}", c as u32),
        None => "invalid TOML".to_string(),
    }
}

/// Parse and validate one KB file on its own (references to other files are checked when
/// files are merged by [`super::Kb::build`]).
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
    let mut problems = Vec::new();
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
                "invalid id: use lowercase ASCII letters, digits, '-', '_' or '.'".to_string(),
            ));
        }
        if let Some(first) = ids.insert(id.clone(), raw.id.span().into()) {
            let line = line_index.line_of(first.start) + 1;
            errors.push(error(
                raw.id.span(),
                format!("duplicate id: line {line} has it already"),
            ));
        }
        let kind = EntityKind::parse(raw.kind.get_ref()).unwrap_or_else(|| {
            errors.push(error(
                raw.kind.span(),
                "unknown kind: expected person, organization, place, media, event or other".to_string(),
            ));
            EntityKind::Other
        });
        let parse_date = |d: &Option<Spanned<String>>, errors: &mut Vec<KbError>| -> Option<PartialDate> {
            let d = d.as_ref()?;
            let parsed = PartialDate::parse_iso(d.get_ref());
            if parsed.is_none() {
                errors.push(error(
                    d.span(),
                    "invalid date: expected YYYY, YYYY-MM or YYYY-MM-DD".to_string(),
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
        let died = parse_date(&raw.died, &mut errors);
        let mut roles = Vec::with_capacity(raw.roles.len());
        for r in &raw.roles {
            let from = parse_date(&r.from, &mut errors);
            let to = parse_date(&r.to, &mut errors);
            if let (Some(f), Some(d)) = (from.and_then(|f| f.earliest()), died.and_then(|d| d.latest())) {
                if f > d {
                    errors.push(error(r.title.span(), "role begins after `died`".into()));
                }
            }
            if let (Some(f), Some(t)) = (from.and_then(|f| f.earliest()), to.and_then(|t| t.latest())) {
                if f > t {
                    errors.push(error(
                        r.title.span(),
                        "role ends before it begins (`to` < `from`)".into(),
                    ));
                }
            }
            references.push(Reference {
                range: r.title.span().into(),
                target: ReferenceTarget::Title(r.title.get_ref().clone()),
            });
            if let Some(of) = &r.of {
                references.push(Reference {
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
            let chars = crate::base::normalize::normalize(s.get_ref().trim()).chars().count();
            if chars > MAX_SPELLING_CHARS {
                problems.push(error(
                    s.span(),
                    format!(
                        "spelling of {chars} characters is too long to match (at most {MAX_SPELLING_CHARS}); the entity is kept without it"
                    ),
                ));
            }
            if s.get_ref().trim().chars().count() < 2 {
                errors.push(error(
                    s.span(),
                    "spelling too short: one-character names match inside ordinary words".to_string(),
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
            died,
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
        problems,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The problems of a file and of the KB built from it alone, as `line:col: message`.
    pub(in crate::kb) fn errors_of(text: &str) -> Vec<String> {
        let index = crate::base::LineIndex::new(text);
        match parse_kb_file("t.toml", text) {
            Ok(file) => crate::kb::Kb::build(vec![file]).1,
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
                "5:8: unknown kind: expected person, organization, place, media, event or other",
                "6:52: invalid date: expected YYYY, YYYY-MM or YYYY-MM-DD",
                "9:6: duplicate id: line 3 has it already",
                "10:8: spelling too short: one-character names match inside ordinary words",
            ]
        "#]]
        .assert_debug_eq(&errors_of(text));
    }

    #[test]
    fn no_message_about_a_kb_file_quotes_its_content() {
        // Every value a message could quote carries the marker ZQX; none may come back.
        let text = r#"
[[entity]]
id = "ZQX Bad"
name = "ZQX"
kind = "ZQXkind"
aliases = ["Z"]
roles = [{ title = "ZQXtitle", of = "ZQXnowhere", from = "ZQX-1" }]

[[entity]]
id = "zqx"
name = "ZQXname"
kind = "person"

[[entity]]
id = "zqx"
name = "ZQXother"
aliases = ["ZQXname"]
kind = "person"
"#;
        let mut messages = errors_of(text);
        // Cross-file problems, from a file that parses.
        let good = "[[entity]]\nid = \"a\"\nname = \"ZQXname\"\nkind = \"person\"\nroles = [{ title = \"ZQXt\", of = \"ZQXo\" }]\n\n[[entity]]\nid = \"b\"\nname = \"ZQXname\"\nkind = \"person\"\n";
        messages.extend(errors_of(good));
        assert!(messages.len() >= 8, "{messages:#?}");
        for m in &messages {
            assert!(!m.contains("ZQX") && !m.contains("zqx"), "quotes the file: {m}");
        }
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
            vec!["2:2: invalid TOML: unexpected character U+0003"]
        );
    }
}

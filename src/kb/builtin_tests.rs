//! Tests of the built-in KB's data (`src/kb/data/`): what `seed-lsp kb check` checks on any
//! file, plus the invariants that only hold for facts — one holder of a one-holder title at a
//! time, readings for kanji names, generated files sorted and lined up with the hand-written
//! file.

use std::collections::HashMap;

use super::{builtin_sources, EntityKind, Kb, KbFile, Role, BUILTIN_KB_FILES};

/// Titles that one person holds at a time for the same `of` (one 大統領 of a country, one
/// 事務総長 of the UN). Titles several people hold at once are left out: 副首相, 第1副首相,
/// 大使, 特使, 報道官, 大統領補佐官, 副議長, 司令官, 外務次官, 国務副長官, 会長 (of a
/// federation's member bodies), 副会長, 社長, 副社長. Documented in docs/kb-format.md.
const ONE_HOLDER_TITLES: &[&str] = &[
    "大統領",
    "副大統領",
    "首相",
    "国家主席",
    "国家副主席",
    "総統",
    "国王",
    "女王",
    "皇太子",
    "教皇",
    "最高指導者",
    "総書記",
    "国務委員長",
    "外相",
    "国防相",
    "防衛相",
    "国務長官",
    "国防長官",
    "財務長官",
    "財務相",
    "官房長官",
    "大統領府長官",
    "国連大使",
    "下院議長",
    "上院議長",
    "議長",
    "委員長",
    "事務総長",
    "事務局長",
    "上級代表",
    "総裁",
    "参謀総長",
    "統合参謀本部議長",
    "総司令官",
    "市長",
    "首長",
];

fn files() -> Vec<KbFile> {
    builtin_sources().expect("every built-in KB file parses")
}

fn file(name: &str) -> KbFile {
    files()
        .into_iter()
        .find(|f| &*f.file == name)
        .unwrap_or_else(|| panic!("{name} is a built-in file"))
}

/// A day, as [`crate::base::date::PartialDate::earliest`] gives it.
type Day = (i32, u8, u8);

/// Who held a title, and the days they certainly held it.
type Tenure<'a> = (&'a str, Day, Day);

/// The days a role was certainly held: from the latest its start can be to the earliest its
/// end can be (a year alone is read narrowly, so `to = "2004"` and `from = "2004"` do not
/// clash). `None` for a role with no known start.
fn certain_span(role: &Role) -> Option<(Day, Day)> {
    let from = role.from?.latest()?;
    let to = role.to.and_then(|t| t.earliest()).unwrap_or((9999, 12, 31));
    Some((from, to))
}

#[test]
fn the_builtin_files_build_without_errors() {
    // Every `roles.of` names an entity, every `roles.title` a title, every spelling belongs
    // to one entity, `from` ≤ `to`: the loader's checks, over the merged files.
    let (kb, errors) = Kb::build(files());
    assert!(errors.is_empty(), "{errors:#?}");
    for entity in &kb.entities {
        for role in &entity.roles {
            if let Some(of) = &role.of {
                assert!(kb.by_id(of).is_some(), "{}: unknown of {of:?}", entity.id);
            }
            assert!(
                kb.title(&role.title).is_some(),
                "{}: unknown title {:?}",
                entity.id,
                role.title
            );
            if let (Some(from), Some(to)) = (role.from.and_then(|f| f.earliest()), role.to.and_then(|t| t.latest())) {
                assert!(from <= to, "{}: {} ends before it begins", entity.id, role.title);
            }
        }
    }
}

#[test]
fn one_holder_titles_have_one_holder_at_a_time() {
    let kb = Kb::builtin();
    for title in ONE_HOLDER_TITLES {
        assert!(kb.title(title).is_some(), "{title} is a declared title");
    }
    let mut holders: HashMap<(&str, &str), Vec<Tenure>> = HashMap::new();
    for entity in &kb.entities {
        for role in &entity.roles {
            let (Some(of), true) = (&role.of, ONE_HOLDER_TITLES.contains(&role.title.as_str())) else {
                continue;
            };
            if let Some((from, to)) = certain_span(role) {
                holders
                    .entry((role.title.as_str(), of.as_str()))
                    .or_default()
                    .push((entity.id.as_str(), from, to));
            }
        }
    }
    let mut clashes = Vec::new();
    for ((title, of), spans) in &holders {
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                // A hand-over day belongs to both.
                if a.0 != b.0 && a.1.max(b.1) < a.2.min(b.2) {
                    clashes.push(format!("{title} of {of}: {} and {} at once", a.0, b.0));
                }
            }
        }
    }
    clashes.sort();
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn every_person_with_a_kanji_name_has_a_reading() {
    let kb = Kb::builtin();
    let missing: Vec<&str> = kb
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person && e.name.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
        .filter(|e| e.reading.as_deref().is_none_or(|r| r.is_empty()))
        .map(|e| e.id.as_str())
        .collect();
    assert!(missing.is_empty(), "kanji names without a reading: {missing:?}");
    for e in kb.entities.iter().filter_map(|e| e.reading.as_ref().map(|r| (e, r))) {
        let (entity, reading) = e;
        assert!(
            reading.chars().all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー'),
            "{}: the reading {reading:?} is not hiragana",
            entity.id
        );
    }
}

#[test]
fn generated_places_are_sorted_and_line_up_with_the_hand_written_file() {
    let (name, text) = BUILTIN_KB_FILES
        .iter()
        .find(|(name, _)| name.ends_with(".generated.toml"))
        .expect("a generated file");
    assert!(text.starts_with("# GENERATED by scripts/gen_places.py"), "{name}");
    assert!(!text.contains('\r') && text.ends_with("\n") && !text.ends_with("\n\n"));
    let generated = file(name);
    let ids: Vec<&str> = generated.entities.iter().map(|e| e.id.as_str()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "{name}: sorted by id, each id once"
    );
    assert!(generated
        .entities
        .iter()
        .all(|e| e.kind == EntityKind::Place && e.en.is_some()));
    assert!(
        generated.entities.len() > 400,
        "countries, territories and cities: {}",
        generated.entities.len()
    );
    // The hand-written file wins by id: the generator leaves out the places it defines (run
    // scripts/gen_places.py after adding one), and no generated spelling names another
    // entity.
    let hand = file("<builtin>/entities.toml");
    let collisions: Vec<&str> = generated
        .entities
        .iter()
        .filter(|g| hand.entities.iter().any(|h| h.id == g.id))
        .map(|g| g.id.as_str())
        .collect();
    assert!(collisions.is_empty(), "ids in both files: {collisions:?}");
    let kb = Kb::builtin();
    for place in &generated.entities {
        for spelling in std::iter::once(&place.name).chain(&place.aliases) {
            let found = kb.lookup(spelling).map(|s| kb.entity(s.entity).id.as_str());
            assert_eq!(found, Some(place.id.as_str()), "{spelling:?} names {}", place.id);
        }
    }
}

#[test]
fn the_hand_written_file_says_how_far_its_facts_reach() {
    let hand = BUILTIN_KB_FILES
        .iter()
        .find(|(name, _)| *name == "<builtin>/entities.toml")
        .unwrap()
        .1;
    let header: String = hand.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(header.contains("checked up to"), "{header}");
}

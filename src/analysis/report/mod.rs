//! The entity report behind `seed-lsp entities`: which entities a set of notes mentions, how
//! often and in how many notes, the first and last dated source that mentions each, and who
//! appears with whom (paragraph co-occurrence, drawn by [`graph`]).
//!
//! Pure: it reads analyses the caller already made ([`crate::analysis::analyze`]); printing is
//! the CLI's. A mention is any recognised mention, near misses included (トカレフ written for
//! トカエフ still names him). Its date is that of the source covering its paragraph
//! ([`crate::analysis::sources::Sources::paragraph_source`]). Dates with a year are ordered by the days they
//! can mean (earliest for "first", latest for "last"); a year-less date (`4月9日`) is used only
//! when an entity has no dated source with a year, since nothing says which year it is.

pub mod graph;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::analysis::Analysis;
use crate::base::date::PartialDate;
use crate::base::{LineIndex, PositionEncoding};
use crate::kb::{EntityId, EntityKind, Kb};

/// One analysed note.
pub struct NoteInput<'a> {
    /// How the note is named in the report (a display path).
    pub name: &'a str,
    pub text: &'a str,
    pub analysis: &'a Analysis,
}

/// What the notes say about entities.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityReport {
    /// Most mentioned first (then by name).
    pub rows: Vec<EntityRow>,
    /// Pairs of entities mentioned in the same paragraph, most frequent first.
    pub pairs: Vec<Cooccurrence>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntityRow {
    pub entity: EntityId,
    /// The KB id (stable across runs).
    pub id: String,
    pub name: String,
    pub en: Option<String>,
    pub kind: EntityKind,
    pub mentions: usize,
    /// Notes mentioning the entity.
    pub files: usize,
    pub first: Option<DatedSource>,
    pub last: Option<DatedSource>,
}

/// A dated source that covers a mention.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedSource {
    pub date: PartialDate,
    /// The outlet's name, when the source names one.
    pub outlet: Option<String>,
    /// The note (its display name) and the 1-based line of the source.
    pub file: String,
    pub line: u32,
}

/// Two entities (`a < b`) mentioned together in `paragraphs` paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cooccurrence {
    pub a: EntityId,
    pub b: EntityId,
    pub paragraphs: usize,
}

#[derive(Default)]
struct Tally {
    mentions: usize,
    files: usize,
    first: Option<DatedSource>,
    last: Option<DatedSource>,
}

/// Build the report of `notes` (in the order given: ties between equal dates keep the earlier note).
pub fn entity_report(notes: &[NoteInput], kb: &Kb) -> EntityReport {
    let mut tallies: HashMap<EntityId, Tally> = HashMap::new();
    let mut pairs: BTreeMap<(EntityId, EntityId), usize> = BTreeMap::new();
    for note in notes {
        let analysis = note.analysis;
        let paragraphs = &analysis.layout.paragraphs;
        let index = LineIndex::new(note.text);
        let mut in_file: HashSet<EntityId> = HashSet::new();
        let mut by_paragraph: BTreeMap<usize, HashSet<EntityId>> = BTreeMap::new();
        for mention in &analysis.recognition.mentions {
            let tally = tallies.entry(mention.entity).or_default();
            tally.mentions += 1;
            if in_file.insert(mention.entity) {
                tally.files += 1;
            }
            let offset = mention.range.start;
            let p = paragraphs.partition_point(|para| para.range.end < offset);
            if !paragraphs.get(p).is_some_and(|para| para.range.touches(offset)) {
                continue;
            }
            // An outlet named in an attribution is where the text comes from, not who is in it.
            if analysis.sources.at(offset).is_none() {
                by_paragraph.entry(p).or_default().insert(mention.entity);
            }
            let Some(source) = analysis.sources.paragraph_source.get(p).copied().flatten() else {
                continue;
            };
            let source = &analysis.sources.sources[source];
            let Some(date) = source.date else { continue };
            let dated = DatedSource {
                date,
                outlet: source.outlet_name(note.text, kb).map(str::to_string),
                file: note.name.to_string(),
                line: index
                    .line_col(note.text, source.range.start, PositionEncoding::Utf8)
                    .line
                    + 1,
            };
            if tally.first.as_ref().is_none_or(|f| before(&dated.date, &f.date)) {
                tally.first = Some(dated.clone());
            }
            if tally.last.as_ref().is_none_or(|l| after(&dated.date, &l.date)) {
                tally.last = Some(dated);
            }
        }
        for entities in by_paragraph.values() {
            let mut sorted: Vec<EntityId> = entities.iter().copied().collect();
            sorted.sort_unstable();
            for (i, &a) in sorted.iter().enumerate() {
                for &b in &sorted[i + 1..] {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    let mut rows: Vec<EntityRow> = tallies
        .into_iter()
        .map(|(id, t)| {
            let entity = kb.entity(id);
            EntityRow {
                entity: id,
                id: entity.id.clone(),
                name: entity.name.clone(),
                en: entity.en.clone(),
                kind: entity.kind,
                mentions: t.mentions,
                files: t.files,
                first: t.first,
                last: t.last,
            }
        })
        .collect();
    rows.sort_by(|x, y| y.mentions.cmp(&x.mentions).then_with(|| x.name.cmp(&y.name)));
    let mut pairs: Vec<Cooccurrence> = pairs
        .into_iter()
        .map(|((a, b), paragraphs)| Cooccurrence { a, b, paragraphs })
        .collect();
    pairs.sort_by(|x, y| y.paragraphs.cmp(&x.paragraphs).then((x.a, x.b).cmp(&(y.a, y.b))));
    EntityReport { rows, pairs }
}

/// `a` is a better "first" date than `b`: a date with a year beats a year-less one; with years,
/// the earlier by the earliest day each can mean; year-less dates by month and day.
fn before(a: &PartialDate, b: &PartialDate) -> bool {
    match (a.year.is_some(), b.year.is_some()) {
        (true, false) => true,
        (false, true) => false,
        (true, true) => (a.earliest(), a.latest()) < (b.earliest(), b.latest()),
        (false, false) => (a.month, a.day) < (b.month, b.day),
    }
}

/// `a` is a better "last" date than `b`: a date with a year beats a year-less one; with years,
/// the later by the latest day each can mean; year-less dates by month and day.
fn after(a: &PartialDate, b: &PartialDate) -> bool {
    match (a.year.is_some(), b.year.is_some()) {
        (true, false) => true,
        (false, true) => false,
        (true, true) => (a.latest(), a.earliest()) > (b.latest(), b.earliest()),
        (false, false) => (a.month, a.day) > (b.month, b.day),
    }
}

/// `2023-11-09`, `2023-11`, `2023`; a year-less date as ISO 8601's `--11-09` / `--11`.
pub fn iso_date(d: &PartialDate) -> String {
    match (d.year, d.month, d.day) {
        (Some(y), Some(m), Some(day)) => format!("{y:04}-{m:02}-{day:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (Some(y), None, _) => format!("{y:04}"),
        (None, Some(m), Some(day)) => format!("--{m:02}-{day:02}"),
        (None, Some(m), None) => format!("--{m:02}"),
        (None, None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(notes: &[(&str, &str)]) -> (EntityReport, std::sync::Arc<Kb>) {
        let kb = Kb::builtin();
        let analyses: Vec<Analysis> = notes
            .iter()
            .map(|(_, text)| crate::analysis::test_support::analyze_alone(text, &kb))
            .collect();
        let inputs: Vec<NoteInput> = notes
            .iter()
            .zip(&analyses)
            .map(|((name, text), analysis)| NoteInput { name, text, analysis })
            .collect();
        (entity_report(&inputs, &kb), kb)
    }

    #[test]
    fn counts_dates_and_pairs() {
        let (report, kb) = report(&[
            (
                "a.txt",
                "カザフスタンのトカエフ大統領はプーチン大統領と会談した。【2023年11月9日 日経】\n\nプーチン大統領は帰国した。\n",
            ),
            (
                "b.txt",
                "トカエフ大統領は演説した。【2022年1月11日 AFP】\n\nトカエフ大統領とプーチン大統領が電話した。【4月2日 ロイター】\n",
            ),
        ]);
        let lines: Vec<String> = report
            .rows
            .iter()
            .map(|r| {
                let date = |d: &Option<DatedSource>| {
                    d.as_ref().map_or("-".to_string(), |d| {
                        format!(
                            "{} {} {}:{}",
                            iso_date(&d.date),
                            d.outlet.as_deref().unwrap_or("?"),
                            d.file,
                            d.line
                        )
                    })
                };
                format!(
                    "{} {} {}×/{} first {} last {}",
                    r.name,
                    r.kind,
                    r.mentions,
                    r.files,
                    date(&r.first),
                    date(&r.last)
                )
            })
            .collect();
        expect_test::expect![[r#"
            トカエフ person 3×/2 first 2022-01-11 AFP b.txt:1 last 2023-11-09 日本経済新聞 a.txt:1
            プーチン person 3×/2 first 2023-11-09 日本経済新聞 a.txt:1 last 2023-11-09 日本経済新聞 a.txt:1
            AFP media 1×/1 first 2022-01-11 AFP b.txt:1 last 2022-01-11 AFP b.txt:1
            カザフスタン place 1×/1 first 2023-11-09 日本経済新聞 a.txt:1 last 2023-11-09 日本経済新聞 a.txt:1
            ロイター media 1×/1 first --04-02 ロイター b.txt:3 last --04-02 ロイター b.txt:3
            日本経済新聞 media 1×/1 first 2023-11-09 日本経済新聞 a.txt:1 last 2023-11-09 日本経済新聞 a.txt:1"#]]
        .assert_eq(&lines.join("\n"));
        let pairs: Vec<String> = report
            .pairs
            .iter()
            .map(|p| format!("{}–{} {}", kb.entity(p.a).name, kb.entity(p.b).name, p.paragraphs))
            .collect();
        expect_test::expect![[r#"
            プーチン–トカエフ 2
            プーチン–カザフスタン 1
            トカエフ–カザフスタン 1"#]]
        .assert_eq(&pairs.join("\n"));
    }

    #[test]
    fn dates_with_a_year_win_over_year_less_ones() {
        let d = |y: Option<i32>, m: u8, day: u8| PartialDate {
            year: y,
            month: Some(m),
            day: Some(day),
        };
        assert!(before(&d(Some(2022), 1, 11), &d(Some(2023), 1, 1)));
        assert!(after(&d(Some(2023), 1, 1), &d(Some(2022), 1, 11)));
        assert!(before(&d(Some(2030), 1, 11), &d(None, 1, 1)));
        assert!(after(&d(Some(2010), 1, 11), &d(None, 12, 31)));
        assert!(before(&d(None, 3, 1), &d(None, 4, 2)));
        assert_eq!(iso_date(&d(None, 4, 2)), "--04-02");
        assert_eq!(iso_date(&d(Some(2023), 11, 9)), "2023-11-09");
    }
}

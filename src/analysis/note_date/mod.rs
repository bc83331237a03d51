//! The date of a note, inferred from what the note itself says, for the paragraphs that no
//! dated source line covers.
//!
//! Clues, in order of trust (one file each):
//! 1. a dated source line anywhere in the note (`【2023年10月21日 AFP】`, [`crate::analysis::sources`]);
//! 2. a full date in the prose (`2023年10月21日`, `2023/10/21`: [`text_dates`]);
//! 3. dated URLs (`/2023/10/21/`, `20231021` in a path: [`urls`]);
//! 4. hatena-style photo ids (`f:id:USER:YYYYMMDDhhmmss`: [`photo_ids`]);
//! 5. the file name (`2023-10-21….txt`: [`file_name`]; given by the analysis context — the
//!    analysis never touches the disk, and a modification time is never a clue);
//! 6. the period in which every title the note gives people was held ([`titles`]).
//!
//! The most trusted kind of clue the note has decides, and only when it is unambiguous:
//! its clues must all name the same day, or at least the same month (then the note is from
//! that month). Clues of that kind that disagree leave the note undated — a less trusted
//! clue is not asked to break the tie. So does a date outside the period on which the titles
//! of two people or more agree (`1999年10月1日` in a note about ブリンケン国務長官 and ショイグ国防相
//! is an event the note recalls, not its date). A note without any clue has no date.

mod digits;
mod file_name;
mod photo_ids;
mod text_dates;
mod titles;
mod urls;

use std::fmt;

pub use titles::{Outlier, TitleClues};

use crate::analysis::recognize::Mention;
use crate::analysis::sources::Sources;
use crate::base::date::PartialDate;
use crate::base::Message;
use crate::kb::{Kb, Role};

/// From one date to another, either end possibly open. A single date is a period from and
/// to itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl Period {
    pub fn on(date: PartialDate) -> Period {
        Period {
            from: Some(date),
            to: Some(date),
        }
    }

    fn earliest(&self) -> Option<(i32, u8, u8)> {
        self.from.and_then(|d| d.earliest())
    }

    fn latest(&self) -> Option<(i32, u8, u8)> {
        self.to.and_then(|d| d.latest())
    }

    /// The part of both periods, if they meet.
    pub fn intersect(&self, other: &Period) -> Option<Period> {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(if a.earliest() >= b.earliest() { a } else { b }),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(if a.latest() <= b.latest() { a } else { b }),
            (a, b) => a.or(b),
        };
        let period = Period { from, to };
        match (period.earliest(), period.latest()) {
            (Some(from), Some(to)) if from > to => None,
            _ => Some(period),
        }
    }

    /// The role was held at some time in the period.
    pub fn overlaps(&self, role: &Role) -> bool {
        self.intersect(&Period {
            from: role.from,
            to: role.to,
        })
        .is_some()
    }

    /// The role had begun by the end of the period (for 元/前 titles).
    pub fn begun_by(&self, role: &Role) -> bool {
        let begun = role.from.and_then(|f| f.earliest());
        begun.is_none_or(|from| self.latest().is_none_or(|end| from <= end))
    }

    /// The period in Japanese: `2023年10月21日`, `2021年1月26日～2024年5月12日`.
    pub fn ja(&self) -> String {
        self.render(|d| d.to_string(), "～")
    }

    fn render(&self, date: impl Fn(&PartialDate) -> String, between: &str) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => date(&a),
            (a, b) => format!(
                "{}{between}{}",
                a.as_ref().map(&date).unwrap_or_default(),
                b.as_ref().map(&date).unwrap_or_default()
            ),
        }
    }
}

impl fmt::Display for Period {
    /// ISO form: `2023-10-21`, `2022-01`, `2021-01-26…2024-05-12`, `2019-03-20…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(iso, "…"))
    }
}

fn iso(d: &PartialDate) -> String {
    match (d.year, d.month, d.day) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        _ => d.year.map(|y| format!("{y:04}")).unwrap_or_else(|| d.to_string()),
    }
}

/// Where a note's date came from, most trusted first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    SourceLine,
    TextDate,
    Url,
    PhotoId,
    FileName,
    Titles,
}

impl Origin {
    /// "by its photo ids" / 写真IDから, for messages.
    pub fn phrase(self) -> Message {
        let (en, ja) = match self {
            Origin::SourceLine => ("by a dated source line", "日付のある出典行から"),
            Origin::TextDate => ("by a date in its text", "本文中の日付から"),
            Origin::Url => ("by a dated URL", "日付入りのURLから"),
            Origin::PhotoId => ("by its photo ids", "写真IDから"),
            Origin::FileName => ("by its file name", "ファイル名から"),
            Origin::Titles => ("by the titles it gives people", "人物の肩書きから"),
        };
        Message::new(en, ja)
    }
}

/// A note's inferred date and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteDate {
    pub period: Period,
    pub origin: Origin,
}

impl NoteDate {
    /// "the note is from 2022-01-10, by its photo ids" / ja.
    pub fn describe(&self) -> Message {
        let by = self.origin.phrase();
        Message::new(
            format!("the note is from {}, {}", self.period, by.en),
            format!("{}このノートは{}のもの", by.ja, self.period.ja()),
        )
    }
}

/// What the note says about its date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dating {
    pub date: Option<NoteDate>,
    /// With no clue of any kind but titles, and titles that disagree: the one that
    /// contradicts all the others ([`TitleClues::outlier`]).
    pub outlier: Option<Outlier>,
}

/// Infer the date of a note. `file_name` is the last component of its name, when it has one.
pub fn date_note(text: &str, file_name: Option<&str>, sources: &Sources, kb: &Kb, mentions: &[Mention]) -> Dating {
    let urls = urls::url_ranges(text);
    let mut excluded: Vec<_> = sources
        .sources
        .iter()
        .map(|s| s.range)
        .chain(urls.iter().copied())
        .collect();
    excluded.sort_by_key(|r| r.start);
    let tiers: [(Origin, &dyn Fn() -> Vec<PartialDate>); 5] = [
        (Origin::SourceLine, &|| {
            sources
                .sources
                .iter()
                .filter_map(|s| s.date)
                .filter(|d| d.year.is_some())
                .collect()
        }),
        (Origin::TextDate, &|| text_dates::dates(text, &excluded)),
        (Origin::Url, &|| urls::dates(text, &urls)),
        (Origin::PhotoId, &|| photo_ids::dates(text)),
        (Origin::FileName, &|| {
            file_name.and_then(file_name::date).into_iter().collect()
        }),
    ];
    let titles = TitleClues::of(text, kb, mentions);
    for (origin, clues) in tiers {
        let clues = clues();
        if !clues.is_empty() {
            let date = agree(&clues).map(|period| NoteDate { period, origin });
            // Titles of two people or more that agree on a period the date falls outside of:
            // the date is a past event the note mentions, or the titles are wrong — either way
            // the note's date is not known.
            let vetoed = date.is_some_and(|d| {
                titles.people() >= 2 && titles.period().is_some_and(|p| p.intersect(&d.period).is_none())
            });
            let date = date.filter(|_| !vetoed);
            return Dating { date, outlier: None };
        }
    }
    match titles.period() {
        Some(period) => Dating {
            date: Some(NoteDate {
                period,
                origin: Origin::Titles,
            }),
            outlier: None,
        },
        None => Dating {
            date: None,
            outlier: titles.outlier(),
        },
    }
}

/// The day all `dates` name, or the month they all fall in.
fn agree(dates: &[PartialDate]) -> Option<Period> {
    let first = dates.first()?;
    let month_of = |d: &PartialDate| (d.year, d.month);
    if month_of(first).1.is_none() || dates.iter().any(|d| month_of(d) != month_of(first)) {
        return None;
    }
    if dates.iter().all(|d| d.day.is_some() && d.day == first.day) {
        return Some(Period::on(*first));
    }
    Some(Period::on(PartialDate { day: None, ..*first }))
}

#[cfg(test)]
mod tests;

//! Clue of last resort: the period in which every title the note gives people was held
//! (`ブリンケン国務長官` and `ショイグ国防相`: 2021-01-26…2024-05-12), from the KB's dated roles.
//!
//! One item per person and title (`元`/`前` titles and titles the person never held are no
//! clue); the period is the intersection of the items' role periods, used only when it is
//! one period. This period cannot judge the titles it comes from — they fit it by
//! construction — so when the titles disagree the rule asks a different question
//! ([`TitleClues::outlier`]): is there exactly one title that contradicts all the others?

use super::Period;
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::{Mention, MentionForm};
use crate::kb::{EntityId, EntityKind, Kb};

/// Above this many titled people the outlier search (quadratic) is not tried.
const MAX_OUTLIER_ITEMS: usize = 64;

/// The titles a note gives people, with the periods the KB says they were held.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TitleClues {
    items: Vec<Item>,
}

#[derive(Clone, PartialEq)]
struct Item {
    entity: EntityId,
    title: String,
    /// When the person held the title (once per role).
    held: Vec<Period>,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {:?}",
            self.entity,
            self.title,
            self.held.iter().map(|p| p.to_string()).collect::<Vec<_>>()
        )
    }
}

/// A title that contradicts all the others: the person, the title, and the period the
/// note's other titles agree on.
#[derive(Clone, Debug, PartialEq)]
pub struct Outlier {
    pub entity: EntityId,
    pub title: String,
    pub period: Period,
}

impl TitleClues {
    pub fn of(text: &str, kb: &Kb, mentions: &[Mention]) -> TitleClues {
        let mut items: Vec<Item> = Vec::new();
        for m in mentions {
            let entity = kb.entity(m.entity);
            if entity.kind != EntityKind::Person || !matches!(m.form, MentionForm::Spelling(_)) {
                continue;
            }
            let AfterName::Title {
                titles, former: false, ..
            } = after_name(text, m.range.end, kb, mentions)
            else {
                continue;
            };
            let names: Vec<&str> = titles.iter().map(|&t| kb.titles[t].name.as_str()).collect();
            let held: Vec<Period> = entity
                .roles
                .iter()
                .filter(|r| names.contains(&r.title.as_str()))
                .map(|r| Period { from: r.from, to: r.to })
                .collect();
            let title = names.first().copied().unwrap_or_default();
            let informative = !held.is_empty() && held.iter().all(|p| p.from.is_some() || p.to.is_some());
            if informative && !items.iter().any(|i| i.entity == m.entity && i.title == title) {
                items.push(Item {
                    entity: m.entity,
                    title: title.to_string(),
                    held,
                });
            }
        }
        TitleClues { items }
    }

    /// How many different people the note gives a title to.
    pub fn people(&self) -> usize {
        let mut people: Vec<EntityId> = self.items.iter().map(|i| i.entity).collect();
        people.sort_unstable();
        people.dedup();
        people.len()
    }

    /// The one period in which every title was held.
    pub fn period(&self) -> Option<Period> {
        hull(intersect(self.items.iter()))
    }

    /// The one title that contradicts all the others, when the others (two at least) agree
    /// on a period and no other title could be the odd one out.
    pub fn outlier(&self) -> Option<Outlier> {
        let n = self.items.len();
        if !(3..=MAX_OUTLIER_ITEMS).contains(&n) || self.period().is_some() {
            return None;
        }
        let mut found = None;
        for (i, item) in self.items.iter().enumerate() {
            let others = self.items.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, o)| o);
            if let Some(period) = hull(intersect(others)) {
                if found.is_some() {
                    return None;
                }
                found = Some(Outlier {
                    entity: item.entity,
                    title: item.title.clone(),
                    period,
                });
            }
        }
        found
    }
}

/// The periods in which every item's title was held.
fn intersect<'a>(items: impl Iterator<Item = &'a Item>) -> Vec<Period> {
    let mut acc: Option<Vec<Period>> = None;
    for item in items {
        acc = Some(match acc {
            None => item.held.clone(),
            Some(acc) => acc
                .iter()
                .flat_map(|a| item.held.iter().filter_map(|b| a.intersect(b)))
                .collect(),
        });
    }
    acc.unwrap_or_default()
}

/// From the earliest start to the latest end of `periods` (the note is from one of them,
/// so from within this span), when there are any.
fn hull(periods: Vec<Period>) -> Option<Period> {
    let from = periods.iter().map(|p| p.from).min_by_key(|d| d.map(|d| d.earliest()))?;
    let to = periods
        .iter()
        .map(|p| p.to)
        .max_by_key(|d| d.map_or((i32::MAX, 12, 31), |d| d.latest().unwrap_or_default()))?;
    Some(Period { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::recognize::recognize;
    use crate::kb::Kb;

    fn clues(text: &str) -> TitleClues {
        let kb = &*Kb::builtin();
        TitleClues::of(text, kb, &recognize(text, kb).mentions)
    }

    #[test]
    fn the_period_every_title_was_held() {
        let c = clues("ブリンケン国務長官とショイグ国防相が電話で協議した。");
        assert_eq!(c.period().unwrap().to_string(), "2021-01-26…2024-05-12");
        assert_eq!(c.outlier(), None);
    }

    #[test]
    fn former_titles_honorifics_and_titles_never_held_are_no_clue() {
        assert_eq!(clues("ブリンケン元国務長官とショイグ氏が会った。").period(), None);
        assert_eq!(clues("ショイグ大統領が述べた。").period(), None);
        assert_eq!(clues("きょうは晴れ。").period(), None);
    }

    #[test]
    fn two_titles_that_disagree_have_no_period_and_no_culprit() {
        let c = clues("ブリンケン国務長官とトカエフ首相が会談した。");
        assert_eq!(c.period(), None);
        assert_eq!(c.outlier(), None, "either one could be wrong");
    }

    #[test]
    fn one_title_against_all_the_others_is_the_outlier() {
        let c = clues("ブリンケン国務長官とショイグ国防相、トカエフ首相が集まった。");
        assert_eq!(c.period(), None);
        let outlier = c.outlier().unwrap();
        assert_eq!(outlier.title, "首相");
        assert_eq!(outlier.period.to_string(), "2021-01-26…2024-05-12");
    }
}

//! The entity card, laid out for a hover box of a dozen lines (VS Code at 1400×1000) and an
//! 80-column terminal (Neovim):
//! 1. on a misspelled, deprecated or near-miss spelling, the warning, then a rule;
//! 2. the name (with its reading when it has kanji), the English name and the kind;
//! 3. the role held at the note's date (the date of the source covering the paragraph, else the
//!    note's own date when it is one day or month, with where it came from), or
//!    the latest role when the note gives no dated source;
//! 4. the mention counts and where the entry is defined, on one line;
//! 5. at most [`NEAREST_ROLES`] other roles, the nearest to that date, the rest counted
//!    ("+2 earlier roles");
//! 6. the description, trimmed to [`DESCRIPTION_CHARS`] at a sentence end when it can be.

use std::cmp::Reverse;

use super::card::Card;
use crate::analysis::note_date::Origin;
use crate::analysis::recognize::{Mention, MentionForm};
use crate::base::date::PartialDate;
use crate::base::normalize::is_kanji;
use crate::ide::{OpenFile, World};
use crate::kb::{Entity, EntityId, Kb, Role, SpellingKind};

/// How many roles besides the one held the card lists.
pub(super) const NEAREST_ROLES: usize = 3;
/// The longest description shown whole (in characters).
pub(super) const DESCRIPTION_CHARS: usize = 100;

/// Write the card of `id`; `written` is the mention hovered in an open note (none on a KB
/// entry).
pub(super) fn entity_card(card: &mut Card, world: &World, id: EntityId, written: Option<(&OpenFile, &Mention)>) {
    let kb = &world.kb.kb;
    let entity = kb.entity(id);
    if let Some((file, mention)) = written {
        if let Some(warning) = spelling_status(card, kb, mention.range.slice(&file.text), mention) {
            card.line(&format!("⚠ {}", card.escape(&warning)));
            card.rule();
        }
    }
    card.line(&name_line(card, entity));
    let date = written.and_then(|(file, mention)| note_date(file, mention.range.start));
    let roles = RolesView::new(&entity.roles, date.as_ref().map(|(d, _)| d));
    if let Some(line) = held_line(card, kb, &roles, date.as_ref()) {
        card.line(&line);
    }
    card.line(&counts_line(card, world, id, written.map(|(file, _)| file)));
    if !roles.nearest.is_empty() || roles.earlier + roles.later > 0 {
        card.block();
        for role in &roles.nearest {
            card.bullet(&role_text(kb, role));
        }
        if let Some(rest) = rest_line(card, roles.earlier, roles.later) {
            card.bullet(&rest);
        }
    }
    if let Some(description) = &entity.description {
        card.block();
        card.line(&card.escape(&trim_description(description, DESCRIPTION_CHARS)));
    }
}

/// `**トカエフ** · Kassym-Jomart Tokayev · *person (人物)*`, with the reading after a name
/// written with kanji (a kana name is its own reading).
fn name_line(card: &Card, entity: &Entity) -> String {
    let mut name = card.strong(&entity.name);
    if let Some(reading) = entity.reading.as_ref().filter(|_| entity.name.chars().any(is_kanji)) {
        name.push_str(&format!("（{}）", card.escape(reading)));
    }
    let mut parts = vec![name];
    if let Some(en) = &entity.en {
        parts.push(card.escape(en));
    }
    parts.push(card.emphasis(&format!("{} ({})", entity.kind.as_str(), entity.kind.label_ja())));
    parts.join(" · ")
}

/// The date of the note where `offset` is: the date of the source covering its paragraph,
/// when that date has a year; for a paragraph no dated source covers, the note's own date
/// when it is one day or month ([`crate::analysis::note_date`]), with where it came from.
fn note_date(file: &OpenFile, offset: usize) -> Option<(PartialDate, Option<Origin>)> {
    let analysis = &file.analysis;
    if let Some(d) = analysis.sources.covering(&analysis.layout, offset).and_then(|s| s.date) {
        return d.year.is_some().then_some((d, None));
    }
    let note = analysis.dating.date?;
    let single = note.period.from.filter(|_| note.period.from == note.period.to);
    single.map(|d| (d, Some(note.origin)))
}

/// `On 2023年11月2日: 大統領（カザフスタン） 2019年3月20日〜`, or the latest role without a date;
/// the note's own date says where it came from (`On 2022年1月10日, by its photo ids: …`).
fn held_line(card: &Card, kb: &Kb, roles: &RolesView, date: Option<&(PartialDate, Option<Origin>)>) -> Option<String> {
    if roles.held.is_empty() {
        return None;
    }
    let held: Vec<String> = roles.held.iter().map(|r| card.escape(&role_text(kb, r))).collect();
    let held = held.join("、");
    let by = date.and_then(|(_, origin)| origin.map(Origin::phrase));
    Some(match (date, card.ja()) {
        (Some((d, _)), true) => match by {
            Some(by) => format!("{d}時点（{}）: {held}", by.ja),
            None => format!("{d}時点: {held}"),
        },
        (Some((d, _)), false) => match by {
            Some(by) => format!("On {d}, {}: {held}", by.en),
            None => format!("On {d}: {held}"),
        },
        (None, true) => format!("最新の役職: {held}"),
        (None, false) => format!("Latest role: {held}"),
    })
}

/// One line: the mention counts (in the note hovered, if any, and in the workspace) and where
/// the entry is defined.
fn counts_line(card: &Card, world: &World, id: EntityId, file: Option<&OpenFile>) -> String {
    let ja = card.ja();
    let (mentions, files) = world.entity_counts(id);
    let mut counts = Vec::new();
    if let Some(file) = file {
        let here = file.summary.count(world.kb.entity_key(id));
        counts.push(if ja {
            format!("このノートで{here}回")
        } else {
            format!("{here} in this note")
        });
    }
    counts.push(if ja {
        format!("{files}ファイルで{mentions}回")
    } else {
        format!("{mentions} in {files} file{}", if files == 1 { "" } else { "s" })
    });
    let origin = &world.kb.kb.entity(id).origin;
    let defined = if origin.is_builtin() {
        (if ja { "組み込み KB" } else { "built-in KB" }).to_string()
    } else {
        format!("{}:{}", super::display_path(world, &origin.file), origin.line + 1)
    };
    format!(
        "{} · {}",
        card.field(if ja { "言及" } else { "Mentions" }, &counts.join(" · ")),
        card.field(if ja { "定義" } else { "Defined in" }, &card.code(&defined))
    )
}

/// `+2 earlier roles`, `+1 later role`, both, or nothing.
fn rest_line(card: &Card, earlier: usize, later: usize) -> Option<String> {
    let plural = |n: usize| if n == 1 { "role" } else { "roles" };
    let text = match (earlier, later, card.ja()) {
        (0, 0, _) => return None,
        (e, 0, true) => format!("ほかに以前の役職{e}件"),
        (0, l, true) => format!("ほかに以後の役職{l}件"),
        (e, l, true) => format!("ほかに以前の役職{e}件、以後の役職{l}件"),
        (e, 0, false) => format!("+{e} earlier {}", plural(e)),
        (0, l, false) => format!("+{l} later {}", plural(l)),
        (e, l, false) => format!("+{e} earlier, +{l} later {}", plural(l)),
    };
    Some(text)
}

/// `大統領（カザフスタン） 2019年3月20日〜`.
fn role_text(kb: &Kb, role: &Role) -> String {
    let mut line = role.title.clone();
    if let Some(of) = &role.of {
        let name = kb.by_id(of).map_or(of.as_str(), |e| kb.entity(e).name.as_str());
        line.push_str(&format!("（{name}）"));
    }
    match (role.from, role.to) {
        (Some(from), Some(to)) => line.push_str(&format!(" {from}〜{to}")),
        (Some(from), None) => line.push_str(&format!(" {from}〜")),
        (None, Some(to)) => line.push_str(&format!(" 〜{to}")),
        (None, None) => {}
    }
    line
}

/// The roles a card shows: those held at the note's date (or the latest one, without a
/// date), the [`NEAREST_ROLES`] nearest others, latest first, and how many are left out
/// before and after the date.
#[derive(Debug, PartialEq)]
struct RolesView<'a> {
    held: Vec<&'a Role>,
    nearest: Vec<&'a Role>,
    earlier: usize,
    later: usize,
}

impl<'a> RolesView<'a> {
    fn new(roles: &'a [Role], date: Option<&PartialDate>) -> Self {
        let mut others: Vec<&Role> = roles.iter().collect();
        // Latest first: by start, an open end before a closed one.
        others.sort_by_key(|r| Reverse((start_day(r), end_day(r).unwrap_or(i64::MAX))));
        let held: Vec<&Role> = match date {
            Some(d) => others.iter().copied().filter(|r| r.held_on(d)).collect(),
            None => others.first().copied().into_iter().collect(),
        };
        others.retain(|r| !held.iter().any(|h| std::ptr::eq(*h, *r)));
        let (mut nearest, rest): (Vec<&Role>, Vec<&Role>) = match date.and_then(day_span) {
            Some(span) => {
                let mut by_distance = others.clone();
                by_distance.sort_by_key(|r| distance(r, span));
                let keep: Vec<&Role> = by_distance.iter().copied().take(NEAREST_ROLES).collect();
                others
                    .into_iter()
                    .partition(|r| keep.iter().any(|k| std::ptr::eq(*k, *r)))
            }
            None => {
                let rest = others.split_off(others.len().min(NEAREST_ROLES));
                (others, rest)
            }
        };
        nearest.sort_by_key(|r| Reverse((start_day(r), end_day(r).unwrap_or(i64::MAX))));
        let span = date.and_then(day_span);
        let later = rest
            .iter()
            .filter(|r| span.is_some_and(|(_, last)| start_day(r).is_some_and(|s| s > last)))
            .count();
        RolesView {
            held,
            nearest,
            earlier: rest.len() - later,
            later,
        }
    }
}

/// Days from a fixed epoch of a role's first day (`None`: no start date).
fn start_day(role: &Role) -> Option<i64> {
    role.from.and_then(|d| d.earliest()).map(day_number)
}

/// Days from a fixed epoch of a role's last day (`None`: not ended).
fn end_day(role: &Role) -> Option<i64> {
    role.to.and_then(|d| d.latest()).map(day_number)
}

/// The first and last day a partial date can mean.
fn day_span(date: &PartialDate) -> Option<(i64, i64)> {
    Some((day_number(date.earliest()?), day_number(date.latest()?)))
}

/// How many days lie between a role and a date (0 when they overlap).
fn distance(role: &Role, (first, last): (i64, i64)) -> i64 {
    match (start_day(role), end_day(role)) {
        (Some(start), _) if start > last => start - last,
        (_, Some(end)) if end < first => first - end,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`);
/// a day past the month's end (the 31st of a partial date's month) counts on.
fn day_number((year, month, day): (i32, u8, u8)) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A description on one line, at most `max` characters: whole sentences when the first
/// fits, else cut with `…`.
fn trim_description(description: &str, max: usize) -> String {
    let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    match cut.rfind(['。', '．']) {
        Some(end) => cut[..end + '。'.len_utf8()].to_string(),
        None => format!("{}…", cut.chars().take(max - 1).collect::<String>()),
    }
}

/// What is special about the spelling written, if anything.
fn spelling_status(card: &Card, kb: &Kb, written: &str, mention: &Mention) -> Option<String> {
    let entity = kb.entity(mention.entity);
    let ja = card.ja();
    match &mention.form {
        MentionForm::Spelling(s) => match &kb.spellings[*s].kind {
            SpellingKind::Name | SpellingKind::Alias => None,
            SpellingKind::Deprecated(i) => {
                let d = &entity.deprecated[*i];
                let preferred = d.preferred.as_deref().unwrap_or(&entity.name);
                let since = d.since.map(|s| s.to_string());
                Some(if ja {
                    format!(
                        "「{written}」は旧表記です{}。「{preferred}」を使ってください{}",
                        since.map(|s| format!("（{s}〜）")).unwrap_or_default(),
                        d.reason.as_ref().map(|r| format!("（{r}）")).unwrap_or_default()
                    )
                } else {
                    format!(
                        "「{written}」 is a deprecated spelling{}: use 「{preferred}」{}",
                        since.map(|s| format!(" since {s}")).unwrap_or_default(),
                        d.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
                    )
                })
            }
            SpellingKind::Misspelling => Some(if ja {
                format!("「{written}」は「{}」の誤表記です", entity.name)
            } else {
                format!("「{written}」 is a known misspelling of 「{}」", entity.name)
            }),
        },
        MentionForm::NearMiss { spelling, .. } => {
            let target = &kb.spellings[*spelling].text;
            Some(if ja {
                format!("「{written}」は KB にない表記です。「{target}」の誤記と思われます")
            } else {
                format!("「{written}」 is not a KB spelling: probably a misspelling of 「{target}」")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(title: &str, from: Option<&str>, to: Option<&str>) -> Role {
        Role {
            title: title.to_string(),
            of: None,
            from: from.and_then(PartialDate::parse_iso),
            to: to.and_then(PartialDate::parse_iso),
        }
    }

    /// Tokayev's career, in KB order.
    fn career() -> Vec<Role> {
        vec![
            role("外相", Some("1994"), Some("1999")),
            role("首相", Some("1999-10-01"), Some("2002-01-28")),
            role("外相", Some("2002"), Some("2007")),
            role("上院議長", Some("2007"), Some("2011")),
            role("上院議長", Some("2013"), Some("2019-03-19")),
            role("大統領", Some("2019-03-20"), None),
        ]
    }

    fn show(view: &RolesView) -> String {
        let list = |roles: &[&Role]| {
            roles
                .iter()
                .map(|r| format!("{}{}", r.title, r.from.map(|d| d.to_string()).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "held: {} | nearest: {} | earlier {} later {}",
            list(&view.held),
            list(&view.nearest),
            view.earlier,
            view.later
        )
    }

    #[test]
    fn a_recent_note_lists_the_roles_just_before() {
        let roles = career();
        let date = PartialDate::ymd(2023, 11, 2);
        expect_test::expect![
            "held: 大統領2019年3月20日 | nearest: 上院議長2013年, 上院議長2007年, 外相2002年 | earlier 2 later 0"
        ]
        .assert_eq(&show(&RolesView::new(&roles, Some(&date))));
    }

    #[test]
    fn an_old_note_lists_the_roles_around_its_date() {
        let roles = career();
        let date = PartialDate {
            year: Some(2005),
            month: None,
            day: None,
        };
        expect_test::expect![
            "held: 外相2002年 | nearest: 上院議長2007年, 首相1999年10月1日, 外相1994年 | earlier 0 later 2"
        ]
        .assert_eq(&show(&RolesView::new(&roles, Some(&date))));
    }

    #[test]
    fn without_a_date_the_latest_role_comes_first() {
        let roles = career();
        expect_test::expect![
            "held: 大統領2019年3月20日 | nearest: 上院議長2013年, 上院議長2007年, 外相2002年 | earlier 2 later 0"
        ]
        .assert_eq(&show(&RolesView::new(&roles, None)));
    }

    #[test]
    fn a_date_between_roles_holds_none() {
        let roles = career();
        let date = PartialDate::ymd(2012, 6, 1);
        expect_test::expect!["held:  | nearest: 上院議長2013年, 上院議長2007年, 外相2002年 | earlier 2 later 1"]
            .assert_eq(&show(&RolesView::new(&roles, Some(&date))));
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number((1970, 1, 1)), 0);
        assert_eq!(day_number((2000, 3, 1)) - day_number((2000, 2, 28)), 2);
        assert_eq!(day_number((2019, 3, 20)) - day_number((2019, 3, 19)), 1);
    }

    #[test]
    fn descriptions_are_cut_at_a_sentence_end() {
        let long = format!("{}。{}。", "あ".repeat(60), "い".repeat(60));
        assert_eq!(trim_description(&long, 100), format!("{}。", "あ".repeat(60)));
        let no_stop = "う".repeat(120);
        assert_eq!(trim_description(&no_stop, 100), format!("{}…", "う".repeat(99)));
        assert_eq!(trim_description("短い説明。\n  二行目。", 100), "短い説明。 二行目。");
    }
}

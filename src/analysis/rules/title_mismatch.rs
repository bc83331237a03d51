//! Rule `title-mismatch`: a title after a person's name that contradicts the KB's dated roles
//! for that person at the note's date (ラブロフ大統領 when he is 外相), and broken titles
//! (トカエフ統領). The date is, in order:
//! - the date of the source covering the paragraph, when it has a year (a covering source
//!   dated without a year is from a moment the note does not pin: any role is accepted);
//! - else the note's own date ([`crate::analysis::note_date`]), and the message says where it
//!   came from — unless it came from the note's titles: those titles fit that period by
//!   construction, so judging them by it would be circular;
//! - else, when the note's titles disagree, the one title that contradicts all the others
//!   ([`crate::analysis::note_date::Outlier`]) is judged by the period the others agree on.
//!
//! A note with no clue gets no date-based warning: any role the person ever held is accepted.
//! A title held until the person's death (the KB's `died`) and a title after 故 are accepted
//! after the role ended.
//! Quick fix: the title the person held at that date (or the broken title's full form).

use super::{Rule, RuleContext, Summary};
use crate::analysis::note_date::{NoteDate, Origin, Period};
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::MentionForm;
use crate::base::date::PartialDate;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};
use crate::kb::{Entity, EntityId, EntityKind, Role};

pub const RULE: Rule = Rule {
    id: RuleId::new("title-mismatch"),
    default_severity: Severity::Warning,
    summary: Summary {
        en: "a title the person did not hold at the note's date, or a broken title",
        ja: "記事の日付にその人が就いていない肩書き、または崩れた肩書き",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let mentions = &cx.recognition.mentions;
    for m in mentions {
        let entity = cx.kb.entity(m.entity);
        if entity.kind != EntityKind::Person || !matches!(m.form, MentionForm::Spelling(_)) {
            continue;
        }
        let name = m.range.slice(cx.text);
        match after_name(cx.text, m.range.end, cx.kb, mentions) {
            AfterName::Title {
                range, titles, former, ..
            } => {
                if entity.roles.is_empty() {
                    continue;
                }
                let names: Vec<&str> = titles.iter().map(|&t| cx.kb.titles[t].name.as_str()).collect();
                let title_name = names.first().copied().unwrap_or_default();
                let when = when(cx, m.range.start, m.entity, title_name);
                let with_title: Vec<&Role> = entity
                    .roles
                    .iter()
                    .filter(|r| names.contains(&r.title.as_str()))
                    .collect();
                // 故ライシ大統領: the late holder of the title, as a former one is.
                let late = cx.text[..m.range.start].ends_with('故');
                let ok = match &when {
                    None => !with_title.is_empty(),
                    Some(w) if former || late => with_title.iter().any(|r| w.begun(r)),
                    // Held until death, the title stays in reports of the death.
                    Some(w) => with_title
                        .iter()
                        .any(|r| w.held(r) || (r.ended_by_death(entity.died) && w.begun(r))),
                };
                if ok {
                    continue;
                }
                let written = range.slice(cx.text);
                let held = roles_summary(cx, entity);
                let message = match &when {
                    None => Message::new(
                        format!("{name} was not \"{written}\": {held}"),
                        format!("{name}は「{written}」ではありません: {held}"),
                    ),
                    Some(When::Source(d)) => Message::new(
                        format!("{name} was not \"{written}\" on {d}: {held}"),
                        format!("{name}は{d}時点で「{written}」ではありません: {held}"),
                    ),
                    Some(When::Note(note)) => {
                        let from = note.describe();
                        Message::new(
                            format!("{name} was not \"{written}\" at the note's date ({}): {held}", from.en),
                            format!(
                                "{name}はノートの日付に「{written}」ではありません（{}）: {held}",
                                from.ja
                            ),
                        )
                    }
                    Some(When::Others(period)) => Message::new(
                        format!(
                            "{name} was not \"{written}\" when the note's other titles were held \
                             (the note is from {period}, by the titles it gives other people): {held}"
                        ),
                        format!(
                            "{name}は、ほかの人物の肩書きが示す時期（{}）に「{written}」ではありません: {held}",
                            period.ja()
                        ),
                    ),
                };
                let mut diagnostic = RULE.diagnostic(range, message);
                let fix = suggested_title(entity, when.as_ref(), title_name, &with_title).filter(|fix| fix != written);
                if let Some(fix) = fix {
                    diagnostic = diagnostic.with_fix(
                        Message::new(format!("Replace with \"{fix}\""), format!("「{fix}」に置換")),
                        vec![Edit { range, new_text: fix }],
                    );
                }
                out.push(diagnostic);
            }
            AfterName::BrokenTitle { range, expected, .. } => {
                let written = range.slice(cx.text);
                out.push(
                    RULE.diagnostic(
                        range,
                        Message::new(
                            format!("\"{written}\" after {name} looks like a broken title: \"{expected}\""),
                            format!("{name}の後の「{written}」は「{expected}」の誤りではありませんか"),
                        ),
                    )
                    .with_fix(
                        Message::new(format!("Replace with \"{expected}\""), format!("「{expected}」に置換")),
                        vec![Edit {
                            range,
                            new_text: expected.clone(),
                        }],
                    ),
                );
            }
            AfterName::Honorific(_) | AfterName::Nothing => {}
        }
    }
}

/// What a title is judged against.
enum When<'a> {
    /// The date, with a year, of the source covering the paragraph.
    Source(PartialDate),
    /// The note's own date, inferred from anything but its titles.
    Note(&'a NoteDate),
    /// The period the note's other titles agree on (for the one title that contradicts them).
    Others(Period),
}

impl When<'_> {
    fn held(&self, role: &Role) -> bool {
        match self {
            When::Source(d) => role.held_on(d),
            When::Note(note) => note.period.overlaps(role),
            When::Others(period) => period.overlaps(role),
        }
    }

    fn begun(&self, role: &Role) -> bool {
        match self {
            When::Source(d) => role.begun_by(d),
            When::Note(note) => note.period.begun_by(role),
            When::Others(period) => period.begun_by(role),
        }
    }
}

/// What the title of `entity` at `offset`, written `title`, is judged against (see the
/// module comment); `None`: any role the person ever held is accepted.
fn when<'a>(cx: &RuleContext<'a>, offset: usize, entity: EntityId, title: &str) -> Option<When<'a>> {
    match cx.sources.covering(cx.layout, offset).and_then(|s| s.date) {
        Some(d) if d.year.is_some() => return Some(When::Source(d)),
        Some(_) => return None,
        None => {}
    }
    if let Some(note) = &cx.dating.date {
        return (note.origin != Origin::Titles).then_some(When::Note(note));
    }
    let outlier = cx.dating.outlier.as_ref()?;
    (outlier.entity == entity && outlier.title == title).then_some(When::Others(outlier.period))
}

/// `外相 of ロシア (2004-03-09–)`, for every role.
fn roles_summary(cx: &RuleContext, entity: &Entity) -> String {
    entity
        .roles
        .iter()
        .map(|r| {
            let of =
                r.of.as_deref()
                    .and_then(|id| cx.kb.by_id(id))
                    .map(|i| format!(" of {}", cx.kb.entity(i).name))
                    .unwrap_or_default();
            let span = |d: Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
            format!("{}{of} ({}–{})", r.title, span(r.from), span(r.to))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the title should be: the role held at the date; "前" + the title when the person had
/// held it (`with_title`: their roles of that title) before; otherwise the most recent role.
fn suggested_title(entity: &Entity, when: Option<&When>, written: &str, with_title: &[&Role]) -> Option<String> {
    if let Some(w) = when {
        if let Some(r) = entity.roles.iter().find(|r| w.held(r)) {
            return Some(r.title.clone());
        }
        if with_title.iter().any(|r| w.begun(r)) {
            return Some(format!("前{written}"));
        }
    }
    entity
        .roles
        .iter()
        .max_by_key(|r| r.from.and_then(|f| f.earliest()))
        .map(|r| r.title.clone())
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::test_fixture::{check_rule, check_rule_with};

    #[test]
    fn a_title_the_person_never_held() {
        expect_test::expect![[r#"
            ロシアのラブロフ⟦大統領⟧¹は述べた。
            ---
            ¹ warning[title-mismatch] "大統領": ラブロフ was not "大統領": 外相 of ロシア (2004年3月9日–)
               ja: ラブロフは「大統領」ではありません: 外相 of ロシア (2004年3月9日–)
               fix: Replace with "外相" ("大統領" → "外相")
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "ロシアのラブロフ大統領は述べた。"));
    }

    #[test]
    fn a_broken_title() {
        expect_test::expect![[r#"
            マクロン大統領はトカエフ⟦統領⟧¹と会談しました。
            ---
            ¹ warning[title-mismatch] "統領": "統領" after トカエフ looks like a broken title: "大統領"
               ja: トカエフの後の「統領」は「大統領」の誤りではありませんか
               fix: Replace with "大統領" ("統領" → "大統領")
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "マクロン大統領はトカエフ統領と会談しました。",
        ));
    }

    const DIED_IN_OFFICE_KB: &str = r#"
[[title]]
name = "首相"
[[title]]
name = "外相"
[[entity]]
id = "land"
name = "ノルドランド"
kind = "place"
[[entity]]
id = "hallgrim"
name = "ハルグリム"
kind = "person"
died = "2023-04-02"
[[entity.roles]]
title = "首相"
of = "land"
from = "2019-06-01"
to = "2023-04-02"
[[entity]]
id = "sorvik"
name = "ソルビク"
kind = "person"
[[entity.roles]]
title = "外相"
of = "land"
from = "2018"
to = "2022-11-30"
"#;

    #[test]
    fn a_title_held_until_death_stays_in_reports_of_the_death() {
        let file = crate::kb::parse_kb_file("t.toml", DIED_IN_OFFICE_KB).unwrap();
        let (kb, errors) = crate::kb::Kb::build(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
        let text = "【2023年4月5日 共同】\n\
                    ノルドランドのハルグリム首相が2日に死亡したことを受け、故ソルビク外相の後任が弔意を示した。\
                    ソルビク⟦外相⟧は退任している。\n";
        expect_test::expect![[r#"
            【2023年4月5日 共同】
            ノルドランドのハルグリム首相が2日に死亡したことを受け、故ソルビク外相の後任が弔意を示した。ソルビク⟦外相⟧¹は退任している。
            ---
            ¹ warning[title-mismatch] "外相": ソルビク was not "外相" on 2023年4月5日: 外相 of ノルドランド (2018年–2022年11月30日)
               ja: ソルビクは2023年4月5日時点で「外相」ではありません: 外相 of ノルドランド (2018年–2022年11月30日)
               fix: Replace with "前外相" ("外相" → "前外相")
        "#]]
        .assert_eq(&crate::analysis::rules::test_fixture::check_rule_with(
            &kb,
            super::RULE.id,
            &text.replace(['⟦', '⟧'], ""),
        ));
    }

    #[test]
    fn a_role_cannot_begin_after_death() {
        let text = DIED_IN_OFFICE_KB.replace("from = \"2019-06-01\"", "from = \"2023-05\"");
        let errors = crate::kb::parse_kb_file("t.toml", &text).unwrap_err();
        assert_eq!(errors[0].message, "role begins after `died`");
    }

    #[test]
    fn titles_that_fit_are_fine() {
        expect_test::expect![[r#"
            トカエフ・カザフスタン大統領、ブリンケン米国務長官、ブリンケン長官、ラブロフ元外務大臣、トカエフ氏
            ---
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "トカエフ・カザフスタン大統領、ブリンケン米国務長官、ブリンケン長官、ラブロフ元外務大臣、トカエフ氏",
        ));
    }

    #[test]
    fn an_undated_paragraph_is_judged_by_the_notes_date_and_says_where_it_came_from() {
        expect_test::expect![[r#"
            ブリンケン⟦国務長官⟧¹が来日した。
            [f:id:someone:20190410081522p:plain]
            ---
            ¹ warning[title-mismatch] "国務長官": ブリンケン was not "国務長官" at the note's date (the note is from 2019-04-10, by its photo ids): 国務長官 (2021年1月26日–2025年1月20日)
               ja: ブリンケンはノートの日付に「国務長官」ではありません（写真IDからこのノートは2019年4月10日のもの）: 国務長官 (2021年1月26日–2025年1月20日)
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "ブリンケン国務長官が来日した。\n[f:id:someone:20190410081522p:plain]\n",
        ));
    }

    #[test]
    fn a_note_with_no_clue_gets_no_date_based_warning() {
        let kb = crate::kb::Kb::builtin();
        let text = "トカエフ首相が来日した。\n";
        assert_eq!(check_rule_with(&kb, super::RULE.id, text), format!("{text}---\n"));
    }

    #[test]
    fn the_titles_period_does_not_judge_the_titles_it_comes_from() {
        // Consistent titles date the note and are all fine; two that disagree date nothing
        // and, since either could be the wrong one, neither is reported.
        let kb = crate::kb::Kb::builtin();
        for text in [
            "ブリンケン国務長官とショイグ国防相が協議した。\n",
            "ブリンケン国務長官とトカエフ首相が会談した。\n",
        ] {
            assert_eq!(check_rule_with(&kb, super::RULE.id, text), format!("{text}---\n"));
        }
    }

    #[test]
    fn the_one_title_that_contradicts_all_the_others_is_reported() {
        expect_test::expect![[r#"
            ブリンケン国務長官とショイグ国防相、トカエフ⟦首相⟧¹が集まった。
            ---
            ¹ warning[title-mismatch] "首相": トカエフ was not "首相" when the note's other titles were held (the note is from 2021-01-26…2024-05-12, by the titles it gives other people): 外相 of カザフスタン (1994年–1999年), 首相 of カザフスタン (1999年10月1日–2002年1月28日), 外相 of カザフスタン (2002年–2007年), 上院議長 of カザフスタン (2007年–2011年), 上院議長 of カザフスタン (2013年–2019年3月19日), 大統領 of カザフスタン (2019年3月20日–)
               ja: トカエフは、ほかの人物の肩書きが示す時期（2021年1月26日～2024年5月12日）に「首相」ではありません: 外相 of カザフスタン (1994年–1999年), 首相 of カザフスタン (1999年10月1日–2002年1月28日), 外相 of カザフスタン (2002年–2007年), 上院議長 of カザフスタン (2007年–2011年), 上院議長 of カザフスタン (2013年–2019年3月19日), 大統領 of カザフスタン (2019年3月20日–)
               fix: Replace with "大統領" ("首相" → "大統領")
        "#]]
        .assert_eq(&check_rule_with(
            &crate::kb::Kb::builtin(),
            super::RULE.id,
            "ブリンケン国務長官とショイグ国防相、トカエフ首相が集まった。",
        ));
    }
}

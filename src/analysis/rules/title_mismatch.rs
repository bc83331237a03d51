//! Rule `title-mismatch`: a title after a person's name that contradicts the KB's dated roles
//! for that person at the note's date (ラブロフ大統領 when he is 外相), and broken titles
//! (トカエフ統領). The note's date is the date of the source covering the paragraph, when it
//! has a year; without one, any role the person ever held is accepted. A title held until the
//! person's death (the KB's `died`) and a title after 故 are accepted after the role ended.
//! Quick fix: the title the person held at that date (or the broken title's full form).

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::MentionForm;
use crate::base::date::PartialDate;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};
use crate::kb::{Entity, EntityKind, Role};

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
                let date = note_date(cx, m.range.start);
                let names: Vec<&str> = titles.iter().map(|&t| cx.kb.titles[t].name.as_str()).collect();
                let with_title: Vec<&Role> = entity
                    .roles
                    .iter()
                    .filter(|r| names.contains(&r.title.as_str()))
                    .collect();
                let title_name = names.first().copied().unwrap_or_default();
                // 故ライシ大統領: the late holder of the title, as a former one is.
                let late = cx.text[..m.range.start].ends_with('故');
                let ok = match &date {
                    Some(d) if former || late => with_title.iter().any(|r| r.begun_by(d)),
                    // Held until death, the title stays in reports of the death.
                    Some(d) => with_title
                        .iter()
                        .any(|r| r.held_on(d) || (r.ended_by_death(entity.died) && r.begun_by(d))),
                    None => !with_title.is_empty(),
                };
                if ok {
                    continue;
                }
                let written = range.slice(cx.text);
                let held = roles_summary(cx, entity);
                let at = date.as_ref().map(|d| format!(" on {d}")).unwrap_or_default();
                let at_ja = date.as_ref().map(|d| format!("{d}時点で")).unwrap_or_default();
                let mut diagnostic = RULE.diagnostic(
                    range,
                    Message::new(
                        format!("{name} was not \"{written}\"{at}: {held}"),
                        format!("{name}は{at_ja}「{written}」ではありません: {held}"),
                    ),
                );
                if let Some(fix) = suggested_title(entity, date.as_ref(), title_name, !with_title.is_empty()) {
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

/// The date of the note at `offset`, when the covering source gives one with a year.
fn note_date(cx: &RuleContext, offset: usize) -> Option<PartialDate> {
    cx.sources
        .covering(cx.layout, offset)
        .and_then(|s| s.date)
        .filter(|d| d.year.is_some())
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
/// held it before; otherwise the most recent role.
fn suggested_title(entity: &Entity, date: Option<&PartialDate>, written: &str, held_before: bool) -> Option<String> {
    if let Some(d) = date {
        if let Some(r) = entity.roles.iter().find(|r| r.held_on(d)) {
            return Some(r.title.clone());
        }
        if held_before {
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
    use crate::analysis::rules::test_fixture::check_rule;

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
}

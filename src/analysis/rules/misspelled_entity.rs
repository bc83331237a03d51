//! Rule `misspelled-entity`: a near miss of a known name (トカレフ for トカエフ), found by
//! [`crate::analysis::recognize::near_miss`], or a form the KB lists under `misspellings`.
//! Quick fix: replace with the spelling it nearly matches.
//!
//! A near miss of a person written before a title the person never held is another person
//! (地元企業の岩谷毅社長 is not the minister 岩屋毅): left alone unless the person is named, as
//! the KB spells them, in the same note.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::{Mention, MentionForm};
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};
use crate::kb::{EntityKind, SpellingKind};

pub const RULE: Rule = Rule {
    id: RuleId::new("misspelled-entity"),
    default_severity: Severity::Warning,
    summary: Summary {
        en: "a near miss of a known name (トカレフ for トカエフ)",
        ja: "既知の名前の誤記（トカエフをトカレフと書くなど）",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for m in &cx.recognition.mentions {
        let entity = cx.kb.entity(m.entity);
        let suggestion = match &m.form {
            MentionForm::NearMiss { .. } if another_person(cx, m) => continue,
            MentionForm::NearMiss { spelling, .. } => cx.kb.spellings[*spelling].text.as_str(),
            MentionForm::Spelling(s) if cx.kb.spellings[*s].kind == SpellingKind::Misspelling => entity.name.as_str(),
            MentionForm::Spelling(_) => continue,
        };
        let written = m.range.slice(cx.text);
        let what = entity.en.as_deref().map(|en| format!(" ({en})")).unwrap_or_default();
        out.push(
            RULE.diagnostic(
                m.range,
                Message::new(
                    format!("\"{written}\" looks like a misspelling of \"{suggestion}\"{what}"),
                    format!("「{written}」は「{suggestion}」の誤記ではありませんか"),
                ),
            )
            .with_fix(
                Message::new(
                    format!("Replace with \"{suggestion}\""),
                    format!("「{suggestion}」に置換"),
                ),
                vec![Edit {
                    range: m.range,
                    new_text: suggestion.to_string(),
                }],
            ),
        );
    }
}

/// True when the near miss `m` of a person is followed by a title the person never held, and
/// the person is not named exactly in the note: the title says it is someone else.
fn another_person(cx: &RuleContext, m: &Mention) -> bool {
    let entity = cx.kb.entity(m.entity);
    if entity.kind != EntityKind::Person {
        return false;
    }
    let AfterName::Title { titles, .. } = after_name(cx.text, m.range.end, cx.kb, &cx.recognition.mentions) else {
        return false;
    };
    let held = |t: &usize| entity.roles.iter().any(|r| r.title == cx.kb.titles[*t].name);
    !titles.iter().any(held)
        && !cx
            .recognition
            .mentions
            .iter()
            .any(|o| o.entity == m.entity && o.is_exact(cx.kb))
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::test_fixture::check_rule;

    #[test]
    fn a_misspelt_name_followed_by_a_title() {
        expect_test::expect![[r#"
            ロシアは⟦トカレフ⟧¹政権を支えた。
            ---
            ¹ warning[misspelled-entity] "トカレフ": "トカレフ" looks like a misspelling of "トカエフ" (Kassym-Jomart Tokayev)
               ja: 「トカレフ」は「トカエフ」の誤記ではありませんか
               fix: Replace with "トカエフ" ("トカレフ" → "トカエフ")
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "ロシアは トカレフ政権を支えた。".replace(' ', "").as_str()));
    }

    #[test]
    fn the_pistol_alone_is_not_a_misspelling() {
        expect_test::expect![[r#"
            旧ソ連製のトカレフ拳銃が押収された。
            ---
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "旧ソ連製のトカレフ拳銃が押収された。"));
    }

    #[test]
    fn a_longer_name_is_confirmed_by_the_entity_elsewhere_in_the_note() {
        expect_test::expect![[r#"
            ⟦ゼレンスキ⟧¹が演説した。ゼレンスキー大統領は続けて述べた。
            ---
            ¹ warning[misspelled-entity] "ゼレンスキ": "ゼレンスキ" looks like a misspelling of "ゼレンスキー"
               ja: 「ゼレンスキ」は「ゼレンスキー」の誤記ではありませんか
               fix: Replace with "ゼレンスキー" ("ゼレンスキ" → "ゼレンスキー")
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "ゼレンスキが演説した。ゼレンスキー大統領は続けて述べた。",
        ));
    }

    #[test]
    fn a_kanji_name_with_a_dropped_word() {
        expect_test::expect![[r#"
            ⟦集団安全保障機構⟧¹(CSTO)加盟国
            ---
            ¹ warning[misspelled-entity] "集団安全保障機構": "集団安全保障機構" looks like a misspelling of "集団安全保障条約機構"
               ja: 「集団安全保障機構」は「集団安全保障条約機構」の誤記ではありませんか
               fix: Replace with "集団安全保障条約機構" ("集団安全保障機構" → "集団安全保障条約機構")
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "集団安全保障機構(CSTO)加盟国"));
    }

    #[test]
    fn a_title_the_person_never_held_is_another_persons() {
        // 岩屋毅 was defence and foreign minister, never a company president; 上川陽子 was
        // foreign minister. Named in the note as the KB spells her, the slip is hers again.
        let kb = crate::kb::Kb::builtin();
        expect_test::expect![[r#"
            地元企業の岩谷毅社長が説明した。⟦上川洋子⟧¹外相が訪れた。上川陽子氏の後援会の⟦上川洋子⟧²会長も出席した。
            ---
            ¹ warning[misspelled-entity] "上川洋子": "上川洋子" looks like a misspelling of "上川陽子" (Yoko Kamikawa)
               ja: 「上川洋子」は「上川陽子」の誤記ではありませんか
               fix: Replace with "上川陽子" ("上川洋子" → "上川陽子")
            ² warning[misspelled-entity] "上川洋子": "上川洋子" looks like a misspelling of "上川陽子" (Yoko Kamikawa)
               ja: 「上川洋子」は「上川陽子」の誤記ではありませんか
               fix: Replace with "上川陽子" ("上川洋子" → "上川陽子")
        "#]]
        .assert_eq(&crate::analysis::rules::test_fixture::check_rule_with(
            &kb,
            super::RULE.id,
            "地元企業の岩谷毅社長が説明した。上川洋子外相が訪れた。上川陽子氏の後援会の上川洋子会長も出席した。",
        ));
    }

    #[test]
    fn an_unconfirmed_near_miss_is_left_alone() {
        // ラブロワ is one edit from ラブロフ but nothing in the note says it is the minister.
        expect_test::expect![[r#"
            歌手のラブロワが来日した。
            ---
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "歌手のラブロワが来日した。"));
    }

    fn check_builtin(text: &str) -> String {
        crate::analysis::rules::test_fixture::check_rule_with(&crate::kb::Kb::builtin(), super::RULE.id, text)
    }

    #[test]
    fn a_word_whose_differing_part_is_another_name_is_not_a_misspelling() {
        // 南アメリカ is 南 + アメリカ, one letter from 南アフリカ, which the note names too.
        expect_test::expect![[r#"
            南アフリカのラマポーザ大統領は、南アメリカと東アジアの首脳に協力を求めた。
            ---
        "#]]
        .assert_eq(&check_builtin(
            "南アフリカのラマポーザ大統領は、南アメリカと東アジアの首脳に協力を求めた。",
        ));
    }

    #[test]
    fn another_compound_sharing_both_ends_is_not_a_misspelling() {
        // 集団安全保障条約機構 and a body of the same ends with two kanji of its own (会議 for
        // 条約): another name, while dropping 条約 is the slip it always was.
        expect_test::expect![[r#"
            集団安全保障条約機構の会合のあと、集団安全保障会議機構なる組織も声明を出した。⟦集団安全保障機構⟧¹の加盟国も。
            ---
            ¹ warning[misspelled-entity] "集団安全保障機構": "集団安全保障機構" looks like a misspelling of "集団安全保障条約機構" (Collective Security Treaty Organization)
               ja: 「集団安全保障機構」は「集団安全保障条約機構」の誤記ではありませんか
               fix: Replace with "集団安全保障条約機構" ("集団安全保障機構" → "集団安全保障条約機構")
        "#]]
        .assert_eq(&check_builtin(
            "集団安全保障条約機構の会合のあと、集団安全保障会議機構なる組織も声明を出した。集団安全保障機構の加盟国も。",
        ));
    }

    #[test]
    fn a_language_is_not_a_misspelt_place() {
        // アルーマニア語 (Aromanian) is one letter from ルーマニア, named in the same note.
        expect_test::expect![[r#"
            ルーマニアの北部ではアルーマニア語も話される。
            ---
        "#]]
        .assert_eq(&check_builtin("ルーマニアの北部ではアルーマニア語も話される。"));
    }

    #[test]
    fn a_kanji_name_with_a_homophone_before_a_title() {
        // The input method picked 洋 (ヨウ) for 陽 and 谷 (ヤ, as in 渋谷) for 屋.
        expect_test::expect![[r#"
            会見には⟦上川洋子⟧¹外相と⟦岩谷毅⟧²防衛相が臨んだ。
            ---
            ¹ warning[misspelled-entity] "上川洋子": "上川洋子" looks like a misspelling of "上川陽子" (Yoko Kamikawa)
               ja: 「上川洋子」は「上川陽子」の誤記ではありませんか
               fix: Replace with "上川陽子" ("上川洋子" → "上川陽子")
            ² warning[misspelled-entity] "岩谷毅": "岩谷毅" looks like a misspelling of "岩屋毅" (Takeshi Iwaya)
               ja: 「岩谷毅」は「岩屋毅」の誤記ではありませんか
               fix: Replace with "岩屋毅" ("岩谷毅" → "岩屋毅")
        "#]]
        .assert_eq(&check_builtin("会見には上川洋子外相と岩谷毅防衛相が臨んだ。"));
    }

    #[test]
    fn a_homophone_name_without_a_title_may_be_another_person() {
        expect_test::expect![[r#"
            歌手の上川洋子さんが新曲を出した。石破氏は石破茂首相の愛称ではない。
            ---
        "#]]
        .assert_eq(&check_builtin(
            "歌手の上川洋子さんが新曲を出した。石破氏は石破茂首相の愛称ではない。",
        ));
    }

    #[test]
    fn a_long_body_name_with_a_homophone_or_a_look_alike_needs_no_confirmation() {
        // 証 for 障 (ショウ), 体 for 隊 (タイ), 彊 for 疆 (one component apart).
        expect_test::expect![[r#"
            ⟦国連安全保証理事会⟧¹が開かれ、⟦イスラム革命防衛体⟧²と⟦新彊ウイグル自治区⟧³が議題になった。自衛隊の自衛体制とは別だ。
            ---
            ¹ warning[misspelled-entity] "国連安全保証理事会": "国連安全保証理事会" looks like a misspelling of "国連安全保障理事会" (United Nations Security Council)
               ja: 「国連安全保証理事会」は「国連安全保障理事会」の誤記ではありませんか
               fix: Replace with "国連安全保障理事会" ("国連安全保証理事会" → "国連安全保障理事会")
            ² warning[misspelled-entity] "イスラム革命防衛体": "イスラム革命防衛体" looks like a misspelling of "イスラム革命防衛隊" (Islamic Revolutionary Guard Corps)
               ja: 「イスラム革命防衛体」は「イスラム革命防衛隊」の誤記ではありませんか
               fix: Replace with "イスラム革命防衛隊" ("イスラム革命防衛体" → "イスラム革命防衛隊")
            ³ warning[misspelled-entity] "新彊ウイグル自治区": "新彊ウイグル自治区" looks like a misspelling of "新疆ウイグル自治区" (Xinjiang Uyghur Autonomous Region)
               ja: 「新彊ウイグル自治区」は「新疆ウイグル自治区」の誤記ではありませんか
               fix: Replace with "新疆ウイグル自治区" ("新彊ウイグル自治区" → "新疆ウイグル自治区")
        "#]]
        .assert_eq(&check_builtin(
            "国連安全保証理事会が開かれ、イスラム革命防衛体と新彊ウイグル自治区が議題になった。自衛隊の自衛体制とは別だ。",
        ));
    }

    #[test]
    fn a_title_is_not_a_misspelt_ministry() {
        // 相 and 省 are both ショウ: the minister is not the ministry misspelt.
        expect_test::expect![[r#"
            防衛省の発表によると、日本の防衛相とロシア国防相が会談し、ロシア国防省も認めた。
            ---
        "#]]
        .assert_eq(&check_builtin(
            "防衛省の発表によると、日本の防衛相とロシア国防相が会談し、ロシア国防省も認めた。",
        ));
    }

    #[test]
    fn a_correct_name_is_not_reported() {
        expect_test::expect![[r#"
            トカエフ大統領と集団安全保障条約機構
            ---
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "トカエフ大統領と集団安全保障条約機構"));
    }
}

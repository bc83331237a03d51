//! Rule `glued-entities`: known names run together with no separator
//! (アルメニアベラルーシカザフスタン, ルーマニアブルガリア, 中央アジアカザフスタン, 日本中国) — the trace of links
//! stripped when a web page was pasted. Recognition already split such runs into glued
//! mentions; this rule reports each run once. Quick fix: insert `・` between the names.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::glue::{run_end, touching};
use crate::analysis::recognize::Mention;
use crate::base::TextRange;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};

pub const RULE: Rule = Rule {
    id: RuleId::new("glued-entities"),
    default_severity: Severity::Warning,
    summary: Summary {
        en: "two known names run together with no separator",
        ja: "区切りなしでつながった複数の既知の名前",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let glued: Vec<&Mention> = cx.recognition.mentions.iter().filter(|m| m.glued).collect();
    let mut i = 0;
    while i < glued.len() {
        let mut j = i + 1;
        while j < glued.len() && touching(cx.text, glued[j - 1].range, glued[j].range) {
            j += 1;
        }
        let run = &glued[i..j];
        if run.len() >= 2 {
            let last = run[run.len() - 1].range;
            let range = TextRange::new(run[0].range.start, run_end(cx.text, run[0].range, run[1].range, last));
            let names: Vec<&str> = run.iter().map(|m| m.range.slice(cx.text)).collect();
            let written = range.slice(cx.text);
            let edits = run[1..]
                .iter()
                .map(|m| Edit {
                    range: TextRange::empty(m.range.start),
                    new_text: "・".into(),
                })
                .collect();
            out.push(
                RULE.diagnostic(
                    range,
                    Message::new(
                        format!("\"{written}\" runs names together: {}", names.join(" | ")),
                        format!("「{written}」は名前が区切りなしで連結しています: {}", names.join("／")),
                    ),
                )
                .with_fix(
                    Message::new("Separate the names with ・", "名前を「・」で区切る"),
                    edits,
                ),
            );
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::test_fixture::check_rule;

    #[test]
    fn a_run_of_country_names() {
        expect_test::expect![[r#"
            加盟国(ロシア、⟦アルメニアベラルーシカザフスタンキルギスタジキスタン⟧¹の6カ国)
            ---
            ¹ warning[glued-entities] "アルメニアベラルーシカザフスタンキルギスタジキスタン": "アルメニアベラルーシカザフスタンキルギスタジキスタン" runs names together: アルメニア | ベラルーシ | カザフスタン | キルギス | タジキスタン
               ja: 「アルメニアベラルーシカザフスタンキルギスタジキスタン」は名前が区切りなしで連結しています: アルメニア／ベラルーシ／カザフスタン／キルギス／タジキスタン
               fix: Separate the names with ・ ("" → "・", "" → "・", "" → "・", "" → "・")
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "加盟国(ロシア、アルメニアベラルーシカザフスタンキルギスタジキスタンの6カ国)",
        ));
    }

    #[test]
    fn a_kanji_name_glued_to_a_katakana_name() {
        expect_test::expect![[r#"
            ⟦中央アジアカザフスタン⟧¹のサーブル大使
            ---
            ¹ warning[glued-entities] "中央アジアカザフスタン": "中央アジアカザフスタン" runs names together: 中央アジア | カザフスタン
               ja: 「中央アジアカザフスタン」は名前が区切りなしで連結しています: 中央アジア／カザフスタン
               fix: Separate the names with ・ ("" → "・")
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "中央アジアカザフスタンのサーブル大使"));
    }

    #[test]
    fn names_before_go_make_a_language() {
        // Swiss German and Brazilian Portuguese: one language each, written without a separator.
        let kb = crate::kb::Kb::builtin();
        expect_test::expect![[r#"
            彼はスイスドイツ語とブラジルポルトガル語を学び、⟦スイスドイツ⟧¹の国境を越えた。
            ---
            ¹ warning[glued-entities] "スイスドイツ": "スイスドイツ" runs names together: スイス | ドイツ
               ja: 「スイスドイツ」は名前が区切りなしで連結しています: スイス／ドイツ
               fix: Separate the names with ・ ("" → "・")
        "#]]
        .assert_eq(&crate::analysis::rules::test_fixture::check_rule_with(
            &kb,
            super::RULE.id,
            "彼はスイスドイツ語とブラジルポルトガル語を学び、スイスドイツの国境を越えた。",
        ));
    }

    #[test]
    fn places_glued_where_scripts_meet_and_peers_with_one_suffix() {
        let kb = crate::kb::Kb::builtin();
        expect_test::expect![[r#"
            会談には⟦日本ウクライナ中国⟧¹の外相が出席した。ロシアは⟦ドネツク州ルハンスク州⟧²の併合を、大雨は⟦広島県長崎県⟧³を襲った。英国ロンドン、ドネツク州マリウポリ。
            ---
            ¹ warning[glued-entities] "日本ウクライナ中国": "日本ウクライナ中国" runs names together: 日本 | ウクライナ | 中国
               ja: 「日本ウクライナ中国」は名前が区切りなしで連結しています: 日本／ウクライナ／中国
               fix: Separate the names with ・ ("" → "・", "" → "・")
            ² warning[glued-entities] "ドネツク州ルハンスク州": "ドネツク州ルハンスク州" runs names together: ドネツク州 | ルハンスク州
               ja: 「ドネツク州ルハンスク州」は名前が区切りなしで連結しています: ドネツク州／ルハンスク州
               fix: Separate the names with ・ ("" → "・")
            ³ warning[glued-entities] "広島県長崎県": "広島県長崎県" runs names together: 広島 | 長崎
               ja: 「広島県長崎県」は名前が区切りなしで連結しています: 広島／長崎
               fix: Separate the names with ・ ("" → "・")
        "#]]
        .assert_eq(&crate::analysis::rules::test_fixture::check_rule_with(
            &kb,
            super::RULE.id,
            "会談には日本ウクライナ中国の外相が出席した。ロシアはドネツク州ルハンスク州の併合を、大雨は広島県長崎県を襲った。英国ロンドン、ドネツク州マリウポリ。",
        ));
    }

    #[test]
    fn a_real_term_of_two_names_is_not_glued() {
        // European and Asian Russia are terms of their own (KB entities); Central Asia and
        // Kazakhstan written together are not one.
        let kb = crate::kb::Kb::builtin();
        expect_test::expect![[r#"
            ヨーロッパロシアとアジアロシア、⟦中央アジアカザフスタン⟧¹
            ---
            ¹ warning[glued-entities] "中央アジアカザフスタン": "中央アジアカザフスタン" runs names together: 中央アジア | カザフスタン
               ja: 「中央アジアカザフスタン」は名前が区切りなしで連結しています: 中央アジア／カザフスタン
               fix: Separate the names with ・ ("" → "・")
        "#]]
        .assert_eq(&crate::analysis::rules::test_fixture::check_rule_with(
            &kb,
            super::RULE.id,
            "ヨーロッパロシアとアジアロシア、中央アジアカザフスタン",
        ));
    }

    #[test]
    fn separated_names_and_compounds_are_fine() {
        expect_test::expect![[r#"
            アルメニア・ベラルーシ、ロシア軍、ロシアメディア、イランイラン
            ---
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "アルメニア・ベラルーシ、ロシア軍、ロシアメディア、イランイラン",
        ));
    }
}

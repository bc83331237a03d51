//! Rule `deprecated-name`: an outdated spelling the KB lists under `deprecated`
//! (キエフ → キーウ, changed by the Japanese government on 2022-03-31), with the reason and date.
//! Quick fix: replace with the preferred spelling.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::MentionForm;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};
use crate::kb::SpellingKind;

pub const RULE: Rule = Rule {
    id: RuleId::new("deprecated-name"),
    default_severity: Severity::Warning,
    summary: Summary {
        en: "an outdated spelling (キエフ → キーウ)",
        ja: "古い表記（キエフ → キーウ）",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for m in &cx.recognition.mentions {
        let MentionForm::Spelling(s) = m.form else { continue };
        let SpellingKind::Deprecated(i) = cx.kb.spellings[s].kind else {
            continue;
        };
        let entity = cx.kb.entity(m.entity);
        let deprecated = &entity.deprecated[i];
        let preferred = deprecated.preferred.as_deref().unwrap_or(&entity.name);
        let written = m.range.slice(cx.text);
        let since_en = deprecated
            .since
            .map(|d| format!(" since {}", iso(&d)))
            .unwrap_or_default();
        let since_ja = deprecated.since.map(|d| format!("{d}から")).unwrap_or_default();
        let reason = deprecated
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        out.push(
            RULE.diagnostic(
                m.range,
                Message::new(
                    format!("\"{written}\" is an outdated spelling: \"{preferred}\"{since_en}{reason}"),
                    format!("「{written}」は旧表記です。{since_ja}「{preferred}」{reason}"),
                ),
            )
            .with_fix(
                Message::new(
                    format!("Replace with \"{preferred}\""),
                    format!("「{preferred}」に置換"),
                ),
                vec![Edit {
                    range: m.range,
                    new_text: preferred.to_string(),
                }],
            ),
        );
    }
}

fn iso(d: &crate::base::date::PartialDate) -> String {
    match (d.year, d.month, d.day) {
        (Some(y), Some(m), Some(day)) => format!("{y}-{m:02}-{day:02}"),
        (Some(y), Some(m), None) => format!("{y}-{m:02}"),
        (Some(y), _, _) => y.to_string(),
        _ => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::test_fixture::check_rule;

    #[test]
    fn an_old_spelling_with_reason_and_date() {
        expect_test::expect![[r#"
            首都⟦キエフ⟧¹で起きる可能性がある。キーウは平穏だ。
            ---
            ¹ warning[deprecated-name] "キエフ": "キエフ" is an outdated spelling: "キーウ" since 2022-03-31 (日本政府がウクライナ語に基づく呼称に変更)
               ja: 「キエフ」は旧表記です。2022年3月31日から「キーウ」 (日本政府がウクライナ語に基づく呼称に変更)
               fix: Replace with "キーウ" ("キエフ" → "キーウ")
        "#]]
        .assert_eq(&check_rule(super::RULE.id, "首都キエフで起きる可能性がある。キーウは平穏だ。"));
    }
}

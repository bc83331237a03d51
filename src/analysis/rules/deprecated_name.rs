//! Rule `deprecated-name`: an outdated spelling the KB lists under `deprecated`
//! (キエフ → キーウ, changed by the Japanese government on 2022-03-31), with the reason and date,
//! at the entry's own `severity` when it has one (ザポロジエ → ザポリージャ, a change of news
//! usage, is an info). Quick fix: replace with the preferred spelling.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::MentionForm;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};
use crate::kb::{EntityKind, SpellingKind};

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
        // A language keeps its name when its country is renamed (グルジア語, the Georgian language).
        if entity.kind == EntityKind::Place && cx.text[m.range.end..].starts_with('語') {
            continue;
        }
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
        let mut diagnostic = RULE.diagnostic(
            m.range,
            Message::new(
                format!("\"{written}\" is an outdated spelling: \"{preferred}\"{since_en}{reason}"),
                format!("「{written}」は旧表記です。{since_ja}「{preferred}」{reason}"),
            ),
        );
        if let Some(severity) = deprecated.severity {
            diagnostic.severity = severity;
        }
        out.push(diagnostic.with_fix(
            Message::new(
                format!("Replace with \"{preferred}\""),
                format!("「{preferred}」に置換"),
            ),
            vec![Edit {
                range: m.range,
                new_text: preferred.to_string(),
            }],
        ));
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
    use crate::analysis::rules::test_fixture::{check_rule, check_rule_with};
    use crate::base::Severity;

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

    #[test]
    fn a_language_named_after_a_renamed_country_keeps_its_name() {
        let kb = crate::kb::Kb::builtin();
        expect_test::expect![[r#"
            通訳はグルジア語とロシア語を話す。⟦グルジア⟧¹の首都トビリシで会った。
            ---
            ¹ warning[deprecated-name] "グルジア": "グルジア" is an outdated spelling: "ジョージア" since 2015-04-22 (ジョージア政府の要請を受け、日本政府が国名の呼称をロシア語由来のグルジアから変更)
               ja: 「グルジア」は旧表記です。2015年4月22日から「ジョージア」 (ジョージア政府の要請を受け、日本政府が国名の呼称をロシア語由来のグルジアから変更)
               fix: Replace with "ジョージア" ("グルジア" → "ジョージア")
        "#]]
        .assert_eq(&check_rule_with(
            &kb,
            super::RULE.id,
            "通訳はグルジア語とロシア語を話す。グルジアの首都トビリシで会った。",
        ));
    }

    const NEWS_USAGE_KB: &str = r#"
[[entity]]
id = "zaporizhzhia"
name = "ザポリージャ"
kind = "place"
[[entity.deprecated]]
name = "ザポロジエ"
reason = "報道機関がウクライナ語に基づく表記に移行"
since = "2022"
severity = "info"
"#;

    fn severities(text: &str, configured: Option<Severity>) -> Vec<Severity> {
        let file = crate::kb::parse_kb_file("t.toml", NEWS_USAGE_KB).unwrap();
        let (kb, errors) = crate::kb::Kb::build(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
        let mut config = crate::analysis::settings::Config::default();
        config.rules.set(super::RULE.id, configured);
        let analysis = crate::analysis::analyze(
            text,
            crate::analysis::Context {
                kb: &kb,
                config: &config,
                prh: &crate::analysis::prh::PrhRules::default(),
                facts: &crate::analysis::facts::WorkspaceFacts::default(),
                file: None,
            },
        );
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == super::RULE.id)
            .map(|d| d.severity)
            .collect()
    }

    #[test]
    fn a_deprecation_of_news_usage_is_reported_at_its_own_severity() {
        let file = crate::kb::parse_kb_file("t.toml", NEWS_USAGE_KB).unwrap();
        let (kb, _) = crate::kb::Kb::build(vec![file]);
        expect_test::expect![[r#"
            南部⟦ザポロジエ⟧¹州で
            ---
            ¹ info[deprecated-name] "ザポロジエ": "ザポロジエ" is an outdated spelling: "ザポリージャ" since 2022 (報道機関がウクライナ語に基づく表記に移行)
               ja: 「ザポロジエ」は旧表記です。2022年から「ザポリージャ」 (報道機関がウクライナ語に基づく表記に移行)
               fix: Replace with "ザポリージャ" ("ザポロジエ" → "ザポリージャ")
        "#]]
        .assert_eq(&check_rule_with(&kb, super::RULE.id, "南部ザポロジエ州で"));
    }

    #[test]
    fn the_configured_severity_only_lowers_a_deprecation_s_own() {
        let text = "南部ザポロジエで";
        assert_eq!(severities(text, Some(Severity::Error)), vec![Severity::Information]);
        assert_eq!(severities(text, Some(Severity::Warning)), vec![Severity::Information]);
        assert_eq!(severities(text, Some(Severity::Hint)), vec![Severity::Hint]);
        assert_eq!(severities(text, None), vec![]);
    }

    #[test]
    fn an_unknown_severity_is_a_kb_error() {
        let text = NEWS_USAGE_KB.replace("severity = \"info\"", "severity = \"notice\"");
        let errors = crate::kb::parse_kb_file("t.toml", &text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.starts_with("invalid severity \"notice\""),
            "{errors:?}"
        );
    }
}

//! Rule `unknown-entity`: names the KB does not know — katakana names (with ・ or ＝ between
//! their parts) followed by a title or an honorific (スレイメノフ報道官, オアナ・ルンゲスク報道官), and
//! Latin acronyms (EURACTIV) outside URLs. Words declared in the KB's `not_entities` are never
//! reported. The language server offers "add to entities.toml" for these.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::{Leftover, Script};
use crate::base::TextRange;
use crate::base::{Diagnostic, Message, RuleId, Severity};

pub const RULE: Rule = Rule {
    id: RuleId::new("unknown-entity"),
    default_severity: Severity::Information,
    summary: Summary {
        en: "a name-like word (katakana name with a title, Latin acronym) the KB does not know",
        ja: "知識ベースにない名前らしい語（肩書き付きのカタカナ名、ラテン文字の略語）",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let norm = cx.recognition.normalized.text.as_str();
    let leftovers = &cx.recognition.leftovers;
    let urls = url_ranges(cx.text);
    let mut i = 0;
    while i < leftovers.len() {
        let first = &leftovers[i];
        match first.script {
            Script::Latin => {
                let written = first.range.slice(cx.text);
                if !cx.kb.is_not_entity(written) && !urls.iter().any(|u| u.contains_range(first.range)) {
                    out.push(unknown(first.range, written, None));
                }
                i += 1;
            }
            Script::Katakana => {
                // Join parts separated by ・ (ウォロディミル・ゼレンスキー style).
                let mut j = i + 1;
                while j < leftovers.len() && joined_by_separator(norm, &leftovers[j - 1], &leftovers[j]) {
                    j += 1;
                }
                let range = TextRange::new(first.range.start, leftovers[j - 1].range.end);
                let written = range.slice(cx.text);
                let after = after_name(cx.text, range.end, cx.kb, &cx.recognition.mentions);
                let title = match &after {
                    AfterName::Title { range, .. } | AfterName::Honorific(range) => Some(range.slice(cx.text)),
                    _ => None,
                };
                if let Some(title) = title.filter(|_| written.chars().count() >= 2 && !cx.kb.is_not_entity(written)) {
                    out.push(unknown(range, written, Some(title)));
                }
                i = j;
            }
        }
    }
}

fn unknown(range: TextRange, written: &str, title: Option<&str>) -> Diagnostic {
    let (en, ja) = match title {
        Some(t) => (
            format!("Unknown name \"{written}\" (before \"{t}\"): not in the knowledge base"),
            format!("「{written}」（{t}）は知識ベースにない名前です"),
        ),
        None => (
            format!("Unknown name \"{written}\": not in the knowledge base"),
            format!("「{written}」は知識ベースにない名前です"),
        ),
    };
    RULE.diagnostic(range, Message::new(en, ja))
}

fn joined_by_separator(norm: &str, a: &Leftover, b: &Leftover) -> bool {
    a.script == Script::Katakana
        && b.script == Script::Katakana
        && norm[a.normalized.end..b.normalized.start] == *crate::base::normalize::SEPARATOR.to_string()
}

/// Byte ranges of `http://…` / `https://…` URLs (up to the next whitespace).
pub(crate) fn url_ranges(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("http").map(|i| from + i) {
        let rest = &text[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest
                .find(|c: char| c.is_whitespace() || !c.is_ascii() || c == '"' || c == '>' || c == ')')
                .unwrap_or(rest.len());
            out.push(TextRange::new(i, i + len));
            from = i + len;
        } else {
            from = i + 4;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analysis::rules::test_fixture::check_rule;

    #[test]
    fn katakana_names_before_a_title() {
        expect_test::expect![[r#"
            大統領府の⟦スレイメノフ⟧¹報道官と⟦オアナ・ルンゲスク⟧²報道官、⟦パイファー⟧³氏
            ---
            ¹ info[unknown-entity] "スレイメノフ": Unknown name "スレイメノフ" (before "報道官"): not in the knowledge base
               ja: 「スレイメノフ」（報道官）は知識ベースにない名前です
            ² info[unknown-entity] "オアナ・ルンゲスク": Unknown name "オアナ・ルンゲスク" (before "報道官"): not in the knowledge base
               ja: 「オアナ・ルンゲスク」（報道官）は知識ベースにない名前です
            ³ info[unknown-entity] "パイファー": Unknown name "パイファー" (before "氏"): not in the knowledge base
               ja: 「パイファー」（氏）は知識ベースにない名前です
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "大統領府のスレイメノフ報道官とオアナ・ルンゲスク報道官、パイファー氏",
        ));
    }

    #[test]
    fn latin_acronyms_outside_urls() {
        expect_test::expect![[r#"
            ⟦EURACTIV⟧¹の取材、CSTOの声明、https://EXAMPLE.com/NEWS、Article [AMP]
            ---
            ¹ info[unknown-entity] "EURACTIV": Unknown name "EURACTIV": not in the knowledge base
               ja: 「EURACTIV」は知識ベースにない名前です
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "EURACTIVの取材、CSTOの声明、https://EXAMPLE.com/NEWS、Article [AMP]",
        ));
    }

    #[test]
    fn katakana_words_without_a_title_are_ordinary_words() {
        expect_test::expect![[r#"
            ミサイル防衛とテロリストの攻撃、ウラジーミル・プーチン
            ---
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "ミサイル防衛とテロリストの攻撃、ウラジーミル・プーチン",
        ));
    }
}

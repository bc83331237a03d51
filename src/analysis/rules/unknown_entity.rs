//! Rule `unknown-entity`: names the KB does not know — katakana names (with ・ or ＝ between
//! their parts) followed by a title or an honorific (スレイメノフ報道官, オアナ・ルンゲスク報道官), and
//! Latin acronyms in Japanese text (EURACTIVの取材) outside URLs. Words declared in the KB's
//! `not_entities` and ordinary abbreviations (PDF, GDP, CC0: `kb::abbreviations`) are never
//! reported, nor words of English text (a Latin word beside them, or a line without Japanese). The language server offers "add to entities.toml" for these.

use super::{Rule, RuleContext, Summary};
use crate::analysis::recognize::titles::{after_name, AfterName};
use crate::analysis::recognize::{Leftover, Script};
use crate::base::TextRange;
use crate::base::{Diagnostic, Message, RuleId, Severity};
use crate::kb::abbreviations::is_ordinary_abbreviation;

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
                if !cx.kb.is_not_entity(written)
                    && !is_ordinary_abbreviation(written)
                    && !in_latin_text(cx.text, first.range)
                    && !urls.iter().any(|u| u.contains_range(first.range))
                {
                    out.push(unknown(first.range, written, None));
                }
                i += 1;
            }
            Script::Katakana => {
                // Join parts separated by ・ (ウォロディミル・ゼレンスキー style).
                let mut j = i + 1;
                // A part that begins a title is the title, not a part of the name
                // (ハルシチェンコ・エネルギー相).
                while j < leftovers.len()
                    && joined_by_separator(norm, &leftovers[j - 1], &leftovers[j])
                    && !starts_title(cx, leftovers[j].range.start)
                {
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

/// True when the Latin token at `range` is a word of English text rather than a name in a
/// Japanese sentence: another Latin word stands next to it across spaces or punctuation
/// (`THE SOFTWARE IS`, `CC BY-NC`), or its line has no kana or kanji at all.
fn in_latin_text(text: &str, range: TextRange) -> bool {
    let gap = |c: &char| c.is_ascii_punctuation() || *c == ' ' || *c == '\t';
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i);
    let before = text[line_start..range.start].chars().rev();
    let after = text[range.end..line_end].chars();
    let word_beside = |mut chars: std::iter::Peekable<&mut dyn Iterator<Item = char>>| {
        let mut skipped = false;
        while chars.next_if(gap).is_some() {
            skipped = true;
        }
        skipped && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
    };
    let (mut before, mut after) = (before, after);
    let japanese = |c: char| {
        crate::base::normalize::is_kanji(c)
            || crate::base::normalize::is_katakana_word_char(c)
            || ('\u{3041}'..='\u{309F}').contains(&c)
    };
    word_beside((&mut before as &mut dyn Iterator<Item = char>).peekable())
        || word_beside((&mut after as &mut dyn Iterator<Item = char>).peekable())
        || !text[line_start..line_end].chars().any(japanese)
}

fn starts_title(cx: &RuleContext, at: usize) -> bool {
    crate::analysis::recognize::titles::title_starts(cx.kb, &cx.text[at..])
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
    use crate::analysis::rules::test_fixture::{check_rule, check_rule_with};

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
    fn a_title_after_the_separator_is_not_part_of_the_name() {
        expect_test::expect![[r#"
            ⟦ミコラ・ハルチェンコ⟧¹・エネルギー相は、⟦オレスト・ボイコ⟧²・報道官と会見した。
            ---
            ¹ info[unknown-entity] "ミコラ・ハルチェンコ": Unknown name "ミコラ・ハルチェンコ" (before "エネルギー相"): not in the knowledge base
               ja: 「ミコラ・ハルチェンコ」（エネルギー相）は知識ベースにない名前です
            ² info[unknown-entity] "オレスト・ボイコ": Unknown name "オレスト・ボイコ" (before "報道官"): not in the knowledge base
               ja: 「オレスト・ボイコ」（報道官）は知識ベースにない名前です
        "#]]
        .assert_eq(&check_rule_with(
            &crate::kb::Kb::builtin(),
            super::RULE.id,
            "ミコラ・ハルチェンコ・エネルギー相は、オレスト・ボイコ・報道官と会見した。",
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
    fn ordinary_abbreviations_are_words() {
        expect_test::expect![[r#"
            PDFの資料とSNSの投稿、GDP成長率、CEOの発言、AI技術、CC0の画像とOERの教材、URLはCC BY-NC 4.0で。⟦XKCD⟧¹の漫画も。
            ---
            ¹ info[unknown-entity] "XKCD": Unknown name "XKCD": not in the knowledge base
               ja: 「XKCD」は知識ベースにない名前です
        "#]]
        .assert_eq(&check_rule(
            super::RULE.id,
            "PDFの資料とSNSの投稿、GDP成長率、CEOの発言、AI技術、CC0の画像とOERの教材、URLはCC BY-NC 4.0で。XKCDの漫画も。",
        ));
    }

    #[test]
    fn words_of_english_text_are_not_names() {
        // A licence pasted into a vault, and an English title quoted in a Japanese sentence.
        let text = "THE WORK IS GIVEN \"AS IS\", WITH NO PROMISE OF ANY SORT.\n\
                    IN NO EVENT SHALL THE AUTHORS BE LIABLE.\n\
                    記事「WAR AND PEACE IN THE STEPPE」をKZNEWSが配信した。\n";
        expect_test::expect![[r#"
            THE WORK IS GIVEN "AS IS", WITH NO PROMISE OF ANY SORT.
            IN NO EVENT SHALL THE AUTHORS BE LIABLE.
            記事「WAR AND PEACE IN THE STEPPE」を⟦KZNEWS⟧¹が配信した。
            ---
            ¹ info[unknown-entity] "KZNEWS": Unknown name "KZNEWS": not in the knowledge base
               ja: 「KZNEWS」は知識ベースにない名前です
        "#]]
        .assert_eq(&check_rule(super::RULE.id, text));
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

//! Rule `duplicate-passage`: a paragraph pasted twice into the same note, or already in
//! another note of the workspace ([`across`], unless `duplicatePassage.acrossNotes` is off).
//!
//! Paragraphs are compared normalised: NFKC (via [`crate::base::normalize::normalize`]) with
//! whitespace trimmed and every run of whitespace folded to one space, so a re-paste that
//! differs only in width or spacing still matches. Each paragraph is hashed once, so the rule
//! is linear in the size of the note.
//!
//! Only substantial passages count: at least [`MIN_PASSAGE_CHARS`] characters *and* at least
//! one sentence end (。！？, or `.!?` before a space or the end). Notes legitimately repeat
//! short non-sentences — image captions that restate the headline (seed 001's
//! `中国はカザフスタンへのロシア干渉を拒否、…` under every picture), photo credits
//! (`出典:Kremlin.ru/CC BY 4.0`), blog URLs and hashtags in footers (`d1021.hatenadiary.jp`),
//! `(中略)` — while a sentence of that length repeated word for word is a double paste.
//!
//! Consecutive repeated paragraphs (seed 002 pastes a four-paragraph テレ朝 passage twice)
//! form one diagnostic spanning the repeated run, related to the first copy, with a quick fix
//! that deletes the run and the line breaks after it. A run is extended both ways over
//! neighbouring paragraphs that repeat in step with it even when they are short (a title or a
//! source URL pasted along with its body), but it always contains a substantial paragraph.

mod across;
mod keys;

use std::borrow::Cow;
use std::collections::HashMap;

pub use across::{note_passages, passages_of};
pub use keys::{PassageKeys, PassageMemo};

use super::{Rule, RuleContext, Summary};
use crate::analysis::layout::is_blank;
use crate::base::normalize::normalize;
use crate::base::TextRange;
use crate::base::{Diagnostic, Edit, Message, RuleId, Severity};

/// Minimum length, in characters of the normalised paragraph, of a passage worth reporting.
const MIN_PASSAGE_CHARS: usize = 30;

/// How many characters of the passage a message quotes.
const QUOTE_CHARS: usize = 16;

pub const RULE: Rule = Rule {
    id: RuleId::new("duplicate-passage"),
    default_severity: Severity::Information,
    summary: Summary {
        en: "a paragraph repeated in the same note, or already in another note",
        ja: "同じノートの中で繰り返された段落、または別のノートにもある段落",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let paragraphs = &cx.layout.paragraphs;
    let keys = cx.passage_keys;
    // For each paragraph, the index of the first paragraph with the same text.
    let mut first_seen: HashMap<keys::Lookup, usize> = HashMap::with_capacity(keys.len());
    let first: Vec<usize> = (0..keys.len())
        .map(|i| *first_seen.entry(keys.lookup(i)).or_insert(i))
        .collect();

    // A first copy is made of first occurrences only, so that a paragraph pasted many times
    // over (A A A A) is reported copy by copy against the original instead of as ever longer
    // runs repeating earlier repeats.
    let original = |k: usize| first[k] == k;
    let mut runs: Vec<Run> = Vec::new();
    let mut reported_until = 0;
    let mut i = 0;
    while i < paragraphs.len() {
        let j = first[i];
        if j == i || !keys.get(i).substantial {
            i += 1;
            continue;
        }
        // The run start..end repeats first_start..first_start + (end - start), which must end
        // before the run begins.
        let (mut start, mut end, mut first_start) = (i, i + 1, j);
        while end < paragraphs.len()
            && first_start + (end - start) < start
            && original(first_start + end - start)
            && keys.same(end, first_start + end - start)
        {
            end += 1;
        }
        while start > reported_until
            && first_start > 0
            && original(first_start - 1)
            && keys.same(start - 1, first_start - 1)
        {
            start -= 1;
            first_start -= 1;
        }
        // Copies of the same passage back to back form one diagnostic.
        match runs.last_mut() {
            Some(last) if last.end == start && last.first_start == first_start && last.len == end - start => {
                last.end = end;
                last.copies += 1;
            }
            _ => runs.push(Run {
                start,
                end,
                first_start,
                len: end - start,
                copies: 1,
            }),
        }
        reported_until = end;
        i = end;
    }
    let mut repeated = vec![false; paragraphs.len()];
    for run in &runs {
        repeated[run.start..run.end].iter_mut().for_each(|r| *r = true);
        repeated[run.first_start..run.first_start + run.len]
            .iter_mut()
            .for_each(|r| *r = true);
    }
    across::check(cx, keys, &repeated, out);
    for run in runs {
        let range = TextRange::new(paragraphs[run.start].range.start, paragraphs[run.end - 1].range.end);
        let first_copy = TextRange::new(
            paragraphs[run.first_start].range.start,
            paragraphs[run.first_start + run.len - 1].range.end,
        );
        out.push(report(cx, range, first_copy, run.len, run.copies));
    }
}

/// Paragraphs `start..end` repeat `first_start..first_start + len`, `copies` times in a row.
struct Run {
    start: usize,
    end: usize,
    first_start: usize,
    len: usize,
    copies: usize,
}

fn report(cx: &RuleContext, run: TextRange, first_copy: TextRange, paragraphs: usize, copies: usize) -> Diagnostic {
    let quoted = quote(run.slice(cx.text));
    let (en, ja) = if copies > 1 {
        let what = if paragraphs == 1 {
            String::new()
        } else {
            format!(" of {paragraphs} paragraphs")
        };
        let what_ja = if paragraphs == 1 {
            String::new()
        } else {
            format!("{paragraphs}段落の")
        };
        (
            format!("Passage{what} repeated {copies} more times: {quoted}"),
            format!("同じ{what_ja}文章がさらに{copies}回繰り返されています: {quoted}"),
        )
    } else if paragraphs == 1 {
        (
            format!("Passage repeated: {quoted}"),
            format!("同じ段落が繰り返されています: {quoted}"),
        )
    } else {
        (
            format!("Passage of {paragraphs} paragraphs repeated: {quoted}"),
            format!("同じ{paragraphs}段落が繰り返されています: {quoted}"),
        )
    };
    RULE.diagnostic(run, Message::new(en, ja))
        .with_related(first_copy, Message::new("First copy", "最初の箇所"))
        .with_fix(
            Message::new("Delete the repeated passage", "繰り返しを削除する"),
            vec![Edit {
                range: deletion(cx, run),
                new_text: String::new(),
            }],
        )
}

/// What to delete for `run`: the run and the line breaks and blank lines after it, or, at the
/// end of the text, the line breaks and blank lines before it.
fn deletion(cx: &RuleContext, run: TextRange) -> TextRange {
    let lines = &cx.layout.lines;
    let last = cx.layout.line_at(run.end);
    if let Some(next) = lines[last + 1..].iter().find(|l| !is_blank(l.slice(cx.text))) {
        return TextRange::new(run.start, next.start);
    }
    let first = cx.layout.line_at(run.start);
    match lines[..first].iter().rposition(|l| !is_blank(l.slice(cx.text))) {
        Some(previous) => TextRange::new(lines[previous + 1].start, cx.text.len()),
        None => TextRange::new(run.start, cx.text.len()),
    }
}

/// The comparison key of a paragraph: NFKC, trimmed, whitespace runs folded to one space.
/// `normalized` is the paragraph's slice of the note's normalised text, when it has one.
fn passage_key<'a>(normalized: Option<&'a str>, paragraph: &str) -> Cow<'a, str> {
    let normalized = match normalized {
        Some(n) => n,
        None => return Cow::Owned(fold_whitespace(&normalize(paragraph))),
    };
    // Most paragraphs are one line with single spaces at most: their key is their text.
    let folded_already = !normalized.starts_with(char::is_whitespace)
        && !normalized.ends_with(char::is_whitespace)
        && !normalized
            .char_indices()
            .any(|(i, c)| c.is_whitespace() && (c != ' ' || normalized[i + 1..].starts_with(char::is_whitespace)));
    if folded_already {
        Cow::Borrowed(normalized)
    } else {
        Cow::Owned(fold_whitespace(normalized))
    }
}

/// Whitespace trimmed, and every run of it one space.
fn fold_whitespace(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// Long enough and containing a sentence end (see the module comment).
fn is_substantial(key: &str) -> bool {
    let mut chars = key.chars().peekable();
    let mut count = 0;
    let mut sentence_end = false;
    while let Some(c) = chars.next() {
        count += 1;
        sentence_end |= match c {
            '。' | '｡' => true,
            '.' | '!' | '?' => chars.peek().is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
    }
    count >= MIN_PASSAGE_CHARS && sentence_end
}

fn quote(passage: &str) -> String {
    super::shortened(passage.chars().filter(|c| !matches!(c, '\n' | '\r')), QUOTE_CHARS)
}

#[cfg(test)]
mod tests {

    use crate::analysis::facts::WorkspaceFacts;
    use crate::analysis::layout::Layout;
    use crate::analysis::recognize::Recognition;
    use crate::analysis::rules::test_fixture::check_rule;
    use crate::analysis::rules::RuleContext;
    use crate::analysis::sources::Sources;
    use crate::base::normalize::NormalizedText;
    use crate::base::Locale;
    use crate::base::{LineIndex, PositionEncoding};
    use expect_test::expect;

    fn check(text: &str) -> String {
        check_rule(super::RULE.id, text)
    }

    /// Apply every fix of the rule's diagnostics (they never overlap) and return the text.
    fn fixed(text: &str) -> String {
        let analysis = crate::analysis::test_support::analyze_alone(text, &crate::analysis::test_support::test_kb());
        let mut edits: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == super::RULE.id)
            .flat_map(|d| d.fixes[0].edits.clone())
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut text = text.to_string();
        for e in edits {
            text.replace_range(e.range.start..e.range.end, &e.new_text);
        }
        text
    }

    /// One line per diagnostic: `line:col-line:col first copy line:col-line:col message`.
    fn list(text: &str) -> String {
        let analysis = crate::analysis::test_support::analyze_alone(text, &crate::analysis::test_support::test_kb());
        let index = LineIndex::new(text);
        let at = |offset| {
            let p = index.line_col(text, offset, PositionEncoding::Utf32);
            format!("{}:{}", p.line + 1, p.col + 1)
        };
        let mut out = String::new();
        for d in analysis.diagnostics.iter().filter(|d| d.rule == super::RULE.id) {
            let related = &d.related[0].range;
            out.push_str(&format!(
                "{}-{} (first copy {}-{}) {}\n",
                at(d.range.start),
                at(d.range.end),
                at(related.start),
                at(related.end),
                d.message.get(Locale::En)
            ));
        }
        out
    }

    #[test]
    fn a_repeated_paragraph_points_at_its_first_copy() {
        const TEXT: &str = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n\n\
                            一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。\n\n\
                            ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n";
        expect![[r#"
            ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。

            一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。

            ⟦ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。⟧¹
            ---
            ¹ info[duplicate-passage] "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。": Passage repeated: ロシアはカザフスタンに10万トン…
               ja: 同じ段落が繰り返されています: ロシアはカザフスタンに10万トン…
               related "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。": First copy
               fix: Delete the repeated passage ("\nロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n" → "")
        "#]]
        .assert_eq(&check(TEXT));
        expect![[r#"
            ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。

            一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。
        "#]]
        .assert_eq(&fixed(TEXT));
    }

    #[test]
    fn consecutive_repeats_form_one_run_and_the_fix_removes_it() {
        let text = "****仏マクロン大統領が中央アジア歴訪****\n\
                    マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。\n\
                    ロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。\n\
                    マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。\n\
                    ロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。\n\
                    ******\n";
        expect![[r#"
            ****仏マクロン大統領が中央アジア歴訪****
            マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。
            ロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。
            ⟦マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。
            ロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。⟧¹
            ******
            ---
            ¹ info[duplicate-passage] "マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。\nロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。": Passage of 2 paragraphs repeated: マクロン大統領は1日、中央アジア…
               ja: 同じ2段落が繰り返されています: マクロン大統領は1日、中央アジア…
               related "マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。\nロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。": First copy
               fix: Delete the repeated passage ("マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。\nロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。\n" → "")
        "#]]
        .assert_eq(&check(text));
        expect![[r#"
            ****仏マクロン大統領が中央アジア歴訪****
            マクロン大統領は1日、中央アジアのカザフスタンを訪問し、トカエフ大統領と会談しました。
            ロシアメディアは、中央アジアの国々のロシア離れを加速させたい考えだと報じています。
            ******
        "#]]
        .assert_eq(&fixed(text));
    }

    #[test]
    fn width_and_spacing_differences_still_match() {
        expect![[r#"
            ＣＳＴＯの部隊は１３日以降、段階的にカザフスタンを離れ、１０日以内に撤退する見通しだ。
            CSTOの部隊は13日以降、 段階的にカザフスタンを離れ、10日以内に撤退する見通しだ。  
            ---
        "#]]
        .assert_eq(&check(
            "ＣＳＴＯの部隊は１３日以降、段階的にカザフスタンを離れ、１０日以内に撤退する見通しだ。\n\
             CSTOの部隊は13日以降、 段階的にカザフスタンを離れ、10日以内に撤退する見通しだ。  \n",
        ));
    }

    #[test]
    fn captions_credits_and_footers_may_repeat() {
        expect![[r#"
            中国はカザフスタンへのロシア干渉を拒否、中央アジアの力関係に変化の兆し

            出典:Kremlin.ru/CC BY 4.0

            中国はカザフスタンへのロシア干渉を拒否、中央アジアの力関係に変化の兆し

            出典:Kremlin.ru/CC BY 4.0

            (中略)
            (中略)
            d1021.hatenadiary.jp
            #反ロシア#対中露戦
            d1021.hatenadiary.jp
            ---
        "#]]
        .assert_eq(&check(
            "中国はカザフスタンへのロシア干渉を拒否、中央アジアの力関係に変化の兆し\n\n出典:Kremlin.ru/CC BY 4.0\n\n\
             中国はカザフスタンへのロシア干渉を拒否、中央アジアの力関係に変化の兆し\n\n出典:Kremlin.ru/CC BY 4.0\n\n\
             (中略)\n(中略)\nd1021.hatenadiary.jp\n#反ロシア#対中露戦\nd1021.hatenadiary.jp\n",
        ));
    }

    #[test]
    fn a_short_sentence_is_not_a_passage() {
        expect![[r#"
            時事もデモ鎮圧を報道。
            時事もデモ鎮圧を報道。
            ---
        "#]]
        .assert_eq(&check("時事もデモ鎮圧を報道。\n時事もデモ鎮圧を報道。\n"));
    }

    #[test]
    fn a_title_pasted_with_its_body_joins_the_run() {
        expect![[r#"
            カザフ大統領、中ロに謝意 デモ鎮圧
            トカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。
            ⟦カザフ大統領、中ロに謝意 デモ鎮圧
            トカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。⟧¹
            ---
            ¹ info[duplicate-passage] "カザフ大統領、中ロに謝意 デモ鎮圧\nトカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。": Passage repeated: カザフ大統領、中ロに謝意 デモ鎮…
               ja: 同じ段落が繰り返されています: カザフ大統領、中ロに謝意 デモ鎮…
               related "カザフ大統領、中ロに謝意 デモ鎮圧\nトカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。": First copy
               fix: Delete the repeated passage ("カザフ大統領、中ロに謝意 デモ鎮圧\nトカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。\n" → "")
        "#]]
        .assert_eq(&check(
            "カザフ大統領、中ロに謝意 デモ鎮圧\nトカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。\n\
             カザフ大統領、中ロに謝意 デモ鎮圧\nトカエフ氏は現状を詳細に伝え、事態は安定に向かっていると説明した。\n",
        ));
    }

    #[test]
    fn english_sentences_count_and_their_source_url_goes_with_them() {
        const TEXT: &str = "Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.\n\n\
                            https://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/\n\n\
                            カザフスタンの貿易省は19日夜、副大臣の発言を否定した。\n\n\
                            Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.\n\n\
                            https://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/\n";
        expect![[r#"
            Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.

            https://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/

            カザフスタンの貿易省は19日夜、副大臣の発言を否定した。

            ⟦Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.

            https://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/⟧¹
            ---
            ¹ info[duplicate-passage] "Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.\n\nhttps://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/": Passage of 2 paragraphs repeated: Kazakhstan denie…
               ja: 同じ2段落が繰り返されています: Kazakhstan denie…
               related "Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.\n\nhttps://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/": First copy
               fix: Delete the repeated passage ("\nKazakhstan denies it will ban exports to Russia. The ministry said so on Friday.\n\nhttps://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/\n" → "")
        "#]]
        .assert_eq(&check(TEXT));
        expect![[r#"
            Kazakhstan denies it will ban exports to Russia. The ministry said so on Friday.

            https://www.reuters.com/world/asia-pacific/kazakhstan-export-ban-2023-10-20/

            カザフスタンの貿易省は19日夜、副大臣の発言を否定した。
        "#]]
        .assert_eq(&fixed(TEXT));
    }

    #[test]
    fn a_megabyte_note_pasted_twice_is_one_run() {
        // 6,000 distinct sentences pasted twice (about 1.2 MB): one run, found in one pass
        // (how long it takes is the vault benchmark's business, not a test's).
        let once: String = (0..6000)
            .map(|n| format!("第{n}項:ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n\n"))
            .collect();
        let text = format!("{once}{once}");
        let kb = crate::analysis::test_support::test_kb();
        let layout = Layout::parse(&text);
        let recognition = Recognition {
            normalized: NormalizedText::new(&text),
            mentions: Vec::new(),
            leftovers: Vec::new(),
        };
        let cx = RuleContext {
            text: &text,
            kb: &kb,
            layout: &layout,
            recognition: &recognition,
            sources: &Sources::default(),
            dating: &Default::default(),
            workspace: &WorkspaceFacts::default(),
            prh: &crate::analysis::prh::PrhRules::default(),
            file: None,
            passages: None,
            passage_keys: &crate::analysis::rules::duplicate_passage::PassageKeys::of(
                &text,
                &layout,
                &recognition.normalized,
            ),
        };
        let mut out = Vec::new();
        super::check(&cx, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].range.start, once.len());
    }

    #[test]
    fn a_key_is_the_paragraph_with_its_whitespace_folded() {
        for text in [
            "ロシア軍が撤退した。",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\nb",
            "a\n\nb",
            "a\tb",
            "a \u{3000}b",
            "",
        ] {
            assert_eq!(
                super::passage_key(Some(text), text),
                super::fold_whitespace(text),
                "{text:?}"
            );
            let normalized = crate::base::normalize::normalize(text);
            assert_eq!(
                super::passage_key(None, text),
                super::fold_whitespace(&normalized),
                "{text:?}"
            );
        }
        assert!(matches!(
            super::passage_key(Some("a b。"), ""),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn seeds() {
        let seeds = crate::analysis::test_support::SEEDS;
        let report: String = seeds
            .iter()
            .map(|(name, text)| format!("== {name}\n{}", list(text)))
            .collect();
        expect![[r#"
            == 000
            == 001
            == 002
            24:1-27:133 (first copy 20:1-23:133) Passage of 4 paragraphs repeated: マクロン大統領は1日、中央アジア…
            == 003
            == 004
        "#]]
        .assert_eq(&report);
    }

    #[test]
    fn a_paragraph_pasted_many_times_is_one_diagnostic_against_the_original() {
        let text = "The quick brown fox jumps over the lazy dog again today.\n".repeat(5);
        expect![[r#"
            2:1-5:57 (first copy 1:1-1:57) Passage repeated 4 more times: The quick brown …
        "#]]
        .assert_eq(&list(&text));
        let pair = "Alpha is the first sentence of the pasted article here.\nBeta is the second sentence of the pasted article here.\n";
        expect![[r#"
            3:1-6:56 (first copy 1:1-2:56) Passage of 2 paragraphs repeated 2 more times: Alpha is the fir…
        "#]]
        .assert_eq(&list(&pair.repeat(3)));
    }
}

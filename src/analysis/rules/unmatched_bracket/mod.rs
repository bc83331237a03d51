//! Rule `unmatched-bracket`: brackets and quotes that do not pair up, and clipping fences that
//! do not pair up.
//!
//! Brackets (「」『』（）()【】［］[]｢｣“”‘’〈〉《》〔〕) are balanced per paragraph with a stack,
//! so a pair broken across a hard-wrapped line (`「警告な` / `しに射殺せよ」`) is one pair.
//! English text (a licence pasted into a vault) keeps each line a paragraph in the layout;
//! consecutive English lines are balanced together, so `(but` / `excluding …)` is one pair.
//! Reported:
//! - an opening bracket never closed in its paragraph, and a closing one never opened;
//! - a pair of mixed widths, `(注）` (quick fix: the closer takes the opener's width);
//! - crossed pairs, `「…（…」…）`: when `」` closes `「` while `（` is still open, `（` is set
//!   aside; a later `）` closes it and is reported as crossing (related: its `（`), otherwise
//!   the `（` is reported as never closed.
//!
//! Quotes need care: `’` is also the English apostrophe (`terrorists’ attacks`,
//! `Lavrov Dismisses Ukraine ‘Hysteria’`), so a `’` between Latin letters, or next to one
//! while no `‘` is open, is not a quote. `”…”` and `’…’` (both closing marks, as some input
//! methods type them) are taken as a pair rather than as two errors. A `)` after a list enumerator at
//! the start of a line (`1)`, `a)`) is not a bracket.
//!
//! Fences: an opening fence `****title***` whose leading and trailing asterisk counts differ
//! (quick fix: trailing = leading), an opening fence with no closing fence before the next
//! opening fence or the end of the text, and a closing fence that closes nothing.
//!
//! Brackets and quotes are checked in [`brackets`], fences in [`fences`]; both quote the text
//! at fault the same way (the helpers below).

mod brackets;
mod fences;

use super::{Rule, RuleContext, Summary};
use crate::base::{Diagnostic, RuleId, Severity, TextRange};

/// How many characters of the text at fault a message quotes.
const QUOTE_CHARS: usize = 12;

pub const RULE: Rule = Rule {
    id: RuleId::new("unmatched-bracket"),
    default_severity: Severity::Warning,
    summary: Summary {
        en: "an opening bracket or quote never closed, a closing one never opened",
        ja: "閉じていない括弧・引用符、または対応する開き括弧のない閉じ括弧",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    brackets::check_brackets(cx, out);
    fences::check_fences(cx, out);
}

/// The rule's diagnostics on `text`, shown inline (the fixture of every test of this rule).
#[cfg(test)]
fn check_fixture(text: &str) -> String {
    super::test_fixture::check_rule(RULE.id, text)
}

/// Text from `start` on, at most [`QUOTE_CHARS`] characters and not past `limit`, on one line.
fn quote_from(text: &str, start: usize, limit: usize) -> String {
    let mut chars = text[start..limit].chars().filter(|c| !matches!(c, '\n' | '\r'));
    let mut quoted: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        quoted.push('…');
    }
    quoted
}

/// Text ending at `end`, at most [`QUOTE_CHARS`] characters and not before `floor`, on one line.
fn quote_until(text: &str, floor: usize, end: usize) -> String {
    let mut chars = text[floor..end].chars().rev().filter(|c| !matches!(c, '\n' | '\r'));
    let mut reversed: Vec<char> = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        reversed.push('…');
    }
    reversed.into_iter().rev().collect()
}

/// The whole of `range` if short, else its start and end around an ellipsis, on one line.
fn quote_between(text: &str, range: TextRange) -> String {
    let slice = range.slice(text);
    let on_one_line = |c: &char| !matches!(c, '\n' | '\r');
    if slice.chars().filter(on_one_line).nth(2 * QUOTE_CHARS).is_none() {
        return slice.chars().filter(on_one_line).collect();
    }
    let head: String = slice.chars().filter(on_one_line).take(QUOTE_CHARS).collect();
    let mut tail: Vec<char> = slice.chars().rev().filter(on_one_line).take(QUOTE_CHARS / 2).collect();
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use crate::analysis::facts::WorkspaceFacts;
    use crate::analysis::layout::Layout;
    use crate::analysis::recognize::recognize;
    use crate::analysis::rules::RuleContext;
    use crate::analysis::sources::Sources;
    use crate::base::Locale;
    use crate::base::{LineIndex, PositionEncoding};
    use expect_test::expect;

    /// One line per diagnostic: `line:col "text at fault" message` (1-based, columns in chars).
    fn list(text: &str) -> String {
        let analysis = crate::analysis::test_support::analyze_alone(text, &crate::analysis::test_support::test_kb());
        let index = LineIndex::new(text);
        let mut out = String::new();
        for d in analysis.diagnostics.iter().filter(|d| d.rule == super::RULE.id) {
            let pos = index.line_col(text, d.range.start, PositionEncoding::Utf32);
            out.push_str(&format!(
                "{}:{} {:?} {}\n",
                pos.line + 1,
                pos.col + 1,
                d.range.slice(text),
                d.message.get(Locale::En)
            ));
        }
        out
    }

    #[test]
    fn pathological_paragraphs_report_every_bracket() {
        // 100k unclosed 「 and 100k stray ) in one paragraph: per-family counts and bounded
        // quoting keep this linear (quadratic would take minutes; the time is the vault
        // benchmark's business, not a test's).
        let text = format!("{}{}\n", "「".repeat(100_000), ")".repeat(100_000));
        let kb = crate::analysis::test_support::test_kb();
        let layout = Layout::parse(&text);
        let recognition = recognize(&text, &kb);
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
        let mut reported = Vec::new();
        super::check(&cx, &mut reported);
        assert_eq!(reported.len(), 200_000);
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
            16:74 "」" 」 closes nothing: …、略奪者などを阻止した」
            20:54 "」" 」 closes nothing: …がある者も含まれていた」
            54:34 "」" 」 closes nothing: …考えている印象を受けた」
            54:77 "」" 」 closes nothing: …い。これは大きな問題だ」
            == 001
            == 002
            32:41 "“" “ is never closed: “恩をあだで返ような腹立…
            46:1 "*****ロシアの隣りの強権国家までがロシア離れ、「ウクライナの次」に侵略すると脅される****" 5 asterisks open the title but 4 close it: *****ロシアの隣りの…れる****
            85:1 "****5月に一斉攻撃か。攻撃準備を終えたロシアに滅ぼされるウクライナとプーチンに破壊される世界の安定***" 4 asterisks open the title but 3 close it: ****5月に一斉攻撃か…の安定***
            == 003
            == 004
            10:86 ")" ) closes nothing: …大西洋条約機構NATO)
            14:36 "」" 」 closes nothing: …ているドネツク民共和国」
            18:55 ")" ) closes nothing: …ATO北大西洋条約機構)
            66:80 "」" 」 closes nothing: …対する回答を書面で出す」
            89:13 ")" ) closes nothing: …大西洋条約機構NATO)
        "#]]
        .assert_eq(&report);
    }
}

//! Brackets and quotes, balanced per paragraph with a stack (consecutive English lines taken as
//! one paragraph): never closed, never opened, mixed widths, crossed pairs; English apostrophes
//! and list enumerators told apart from brackets.

use super::{quote_between, quote_from, quote_until, RULE};
use crate::analysis::layout::Paragraph;
use crate::analysis::rules::RuleContext;
use crate::base::{Diagnostic, Edit, Message, TextRange};

/// Report the brackets and quotes of every paragraph that do not pair up.
///
/// English text (a licence or a README pasted into a vault) is hard-wrapped line by line, and
/// the layout keeps every Latin line a paragraph of its own (only Japanese prose is joined):
/// consecutive English lines are scanned as one paragraph, so a `(` wrapped onto the next line
/// finds its `)`. Japanese paragraphs are scanned as the layout made them.
pub(super) fn check_brackets(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let paragraphs = &cx.layout.paragraphs;
    let mut i = 0;
    while i < paragraphs.len() {
        let mut last = i;
        while last + 1 < paragraphs.len()
            && paragraphs[last + 1].lines.start == paragraphs[last].lines.end
            && is_english(cx, &paragraphs[last])
            && is_english(cx, &paragraphs[last + 1])
        {
            last += 1;
        }
        let range = TextRange::new(paragraphs[i].range.start, paragraphs[last].range.end);
        ParagraphScan::new(cx, range).run(out);
        i = last + 1;
    }
}

/// A paragraph of English text: Latin letters, no kana or kanji, not a clipping fence.
fn is_english(cx: &RuleContext, paragraph: &Paragraph) -> bool {
    let text = paragraph.range.slice(cx.text);
    let japanese = |c: char| crate::base::normalize::is_kanji(c) || matches!(c, '\u{3040}'..='\u{30FF}');
    let fence = |line: usize| cx.layout.fences.binary_search_by_key(&line, |f| f.line).is_ok();
    text.chars().any(|c| c.is_ascii_alphabetic()) && !text.chars().any(japanese) && !paragraph.lines.clone().any(fence)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
enum Family {
    Corner,
    WhiteCorner,
    Round,
    Lenticular,
    Square,
    DoubleQuote,
    SingleQuote,
    Angle,
    DoubleAngle,
    Tortoise,
}

const FAMILIES: usize = Family::Tortoise as usize + 1;

/// Openings awaiting their closer, with a count per family so that a closer whose family is
/// absent is rejected without a scan (a 1 MB paragraph stays linear).
#[derive(Default)]
struct Openings {
    items: Vec<Opening>,
    per_family: [usize; FAMILIES],
}

impl Openings {
    fn push(&mut self, opening: Opening) {
        self.per_family[opening.family as usize] += 1;
        self.items.push(opening);
    }

    /// Index of the innermost opening of `family`.
    fn innermost(&self, family: Family) -> Option<usize> {
        if self.per_family[family as usize] == 0 {
            return None;
        }
        self.items.iter().rposition(|o| o.family == family)
    }

    fn has(&self, family: Family) -> bool {
        self.per_family[family as usize] > 0
    }

    fn remove(&mut self, index: usize) -> Opening {
        let opening = self.items.remove(index);
        self.per_family[opening.family as usize] -= 1;
        opening
    }

    /// Remove and return every opening from `index` on.
    fn split_off(&mut self, index: usize) -> Vec<Opening> {
        let tail = self.items.split_off(index);
        for o in &tail {
            self.per_family[o.family as usize] -= 1;
        }
        tail
    }
}

#[derive(Clone, Copy, Debug)]
struct Bracket {
    family: Family,
    opens: bool,
    /// Full width (the only width for families that have one).
    wide: bool,
}

fn classify(c: char) -> Option<Bracket> {
    use Family::*;
    let (family, opens, wide) = match c {
        '「' => (Corner, true, true),
        '」' => (Corner, false, true),
        '｢' => (Corner, true, false),
        '｣' => (Corner, false, false),
        '『' => (WhiteCorner, true, true),
        '』' => (WhiteCorner, false, true),
        '（' => (Round, true, true),
        '）' => (Round, false, true),
        '(' => (Round, true, false),
        ')' => (Round, false, false),
        '【' => (Lenticular, true, true),
        '】' => (Lenticular, false, true),
        '［' => (Square, true, true),
        '］' => (Square, false, true),
        '[' => (Square, true, false),
        ']' => (Square, false, false),
        '“' => (DoubleQuote, true, true),
        '”' => (DoubleQuote, false, true),
        '‘' => (SingleQuote, true, true),
        '’' => (SingleQuote, false, true),
        '〈' => (Angle, true, true),
        '〉' => (Angle, false, true),
        '《' => (DoubleAngle, true, true),
        '》' => (DoubleAngle, false, true),
        '〔' => (Tortoise, true, true),
        '〕' => (Tortoise, false, true),
        _ => return None,
    };
    Some(Bracket { family, opens, wide })
}

/// The closing bracket of `family` in the given width.
fn closer_of(family: Family, wide: bool) -> char {
    match (family, wide) {
        (Family::Corner, true) => '」',
        (Family::Corner, false) => '｣',
        (Family::WhiteCorner, _) => '』',
        (Family::Round, true) => '）',
        (Family::Round, false) => ')',
        (Family::Lenticular, _) => '】',
        (Family::Square, true) => '］',
        (Family::Square, false) => ']',
        (Family::DoubleQuote, _) => '”',
        (Family::SingleQuote, _) => '’',
        (Family::Angle, _) => '〉',
        (Family::DoubleAngle, _) => '》',
        (Family::Tortoise, _) => '〕',
    }
}

fn is_latin(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}'))
}

fn is_latin_or_digit(c: Option<char>) -> bool {
    is_latin(c) || c.is_some_and(|c| c.is_ascii_digit())
}

/// A bracket still open on the stack.
#[derive(Clone, Copy, Debug)]
struct Opening {
    at: usize,
    ch: char,
    family: Family,
    wide: bool,
    /// A `”` or `’` with nothing to close, kept open in case a second one pairs with it.
    stray_closer: bool,
}

impl Opening {
    fn range(&self) -> TextRange {
        TextRange::new(self.at, self.at + self.ch.len_utf8())
    }
}

struct ParagraphScan<'a> {
    cx: &'a RuleContext<'a>,
    range: TextRange,
    stack: Openings,
    /// Openings left open when an outer pair closed over them (candidates for crossing).
    interrupted: Openings,
    found: Vec<Diagnostic>,
}

impl<'a> ParagraphScan<'a> {
    fn new(cx: &'a RuleContext<'a>, range: TextRange) -> Self {
        ParagraphScan {
            cx,
            range,
            stack: Openings::default(),
            interrupted: Openings::default(),
            found: Vec::new(),
        }
    }

    fn run(mut self, out: &mut Vec<Diagnostic>) {
        let text = self.cx.text;
        let body = self.range.slice(text);
        let mut prev = text[..self.range.start].chars().next_back();
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let at = self.range.start + i;
            if let Some(bracket) = classify(c) {
                if !self.is_apostrophe(c, prev, next) {
                    if bracket.opens {
                        self.stack.push(Opening {
                            at,
                            ch: c,
                            family: bracket.family,
                            wide: bracket.wide,
                            stray_closer: false,
                        });
                    } else {
                        self.close(bracket, at, c);
                    }
                }
            }
            prev = Some(c);
        }
        let mut left = self.stack.split_off(0);
        left.append(&mut self.interrupted.split_off(0));
        left.sort_by_key(|o| o.at);
        for opening in left {
            let diagnostic = if opening.stray_closer {
                self.never_opened(opening.at, opening.ch)
            } else {
                self.never_closed(&opening)
            };
            self.found.push(diagnostic);
        }
        self.found.sort_by_key(|d| d.range.start);
        out.append(&mut self.found);
    }

    fn is_apostrophe(&self, c: char, prev: Option<char>, next: Option<char>) -> bool {
        match c {
            '‘' => is_latin(prev) && is_latin(next),
            '’' => {
                if is_latin(prev) && is_latin(next) {
                    return true;
                }
                !self.stack.has(Family::SingleQuote) && (is_latin(prev) || is_latin_or_digit(next))
            }
            _ => false,
        }
    }

    fn close(&mut self, bracket: Bracket, at: usize, c: char) {
        if let Some(k) = self.stack.innermost(bracket.family) {
            for inner in self.stack.split_off(k + 1) {
                self.interrupted.push(inner);
            }
            let opening = self.stack.remove(k);
            if !opening.stray_closer && opening.wide != bracket.wide {
                let diagnostic = self.mixed_widths(&opening, at, c);
                self.found.push(diagnostic);
            }
            return;
        }
        if let Some(k) = self.interrupted.innermost(bracket.family) {
            let opening = self.interrupted.remove(k);
            let diagnostic = self.crossed(&opening, at, c);
            self.found.push(diagnostic);
            return;
        }
        if matches!(c, '”' | '’') {
            self.stack.push(Opening {
                at,
                ch: c,
                family: bracket.family,
                wide: bracket.wide,
                stray_closer: true,
            });
            return;
        }
        if bracket.family == Family::Round && self.after_list_enumerator(at) {
            return;
        }
        let diagnostic = self.never_opened(at, c);
        self.found.push(diagnostic);
    }

    /// `1)`, `２）`, `a)` at the start of a line: an enumerator, not a bracket.
    fn after_list_enumerator(&self, at: usize) -> bool {
        let line = self.cx.layout.lines[self.cx.layout.line_at(at)];
        if at - line.start > 16 {
            return false;
        }
        let before = self.cx.text[line.start..at].trim();
        let n = before.chars().count();
        (1..=3).contains(&n) && before.chars().all(|c| c.is_ascii_digit() || matches!(c, '０'..='９'))
            || n == 1 && before.chars().all(|c| c.is_ascii_alphabetic())
    }

    fn never_closed(&self, opening: &Opening) -> Diagnostic {
        let quoted = quote_from(self.cx.text, opening.at, self.range.end);
        let c = opening.ch;
        RULE.diagnostic(
            opening.range(),
            Message::new(
                format!("{c} is never closed: {quoted}"),
                format!("{c} が閉じられていません: {quoted}"),
            ),
        )
    }

    fn never_opened(&self, at: usize, c: char) -> Diagnostic {
        let end = at + c.len_utf8();
        let quoted = quote_until(self.cx.text, self.range.start, end);
        RULE.diagnostic(
            TextRange::new(at, end),
            Message::new(
                format!("{c} closes nothing: {quoted}"),
                format!("{c} に対応する開き括弧がありません: {quoted}"),
            ),
        )
    }

    fn mixed_widths(&self, opening: &Opening, at: usize, c: char) -> Diagnostic {
        let range = TextRange::new(at, at + c.len_utf8());
        let quoted = quote_between(self.cx.text, TextRange::new(opening.at, range.end));
        let fixed = closer_of(opening.family, opening.wide);
        let o = opening.ch;
        let (width_en, width_ja) = if opening.wide {
            ("full-width", "全角")
        } else {
            ("half-width", "半角")
        };
        RULE.diagnostic(
            range,
            Message::new(
                format!("{c} closes the {width_en} {o}: {quoted}"),
                format!("{c} が{width_ja}の {o} を閉じています: {quoted}"),
            ),
        )
        .with_related(
            opening.range(),
            Message::new(format!("{o} opens here"), format!("{o} はここで開いています")),
        )
        .with_fix(
            Message::new(format!("Replace {c} with {fixed}"), format!("{c} を {fixed} にする")),
            vec![Edit {
                range,
                new_text: fixed.to_string(),
            }],
        )
    }

    fn crossed(&self, opening: &Opening, at: usize, c: char) -> Diagnostic {
        let range = TextRange::new(at, at + c.len_utf8());
        let quoted = quote_between(self.cx.text, TextRange::new(opening.at, range.end));
        let o = opening.ch;
        RULE.diagnostic(
            range,
            Message::new(
                format!("{c} closes {o} across another pair: {quoted}"),
                format!("{c} が別の括弧をまたいで {o} を閉じています: {quoted}"),
            ),
        )
        .with_related(
            opening.range(),
            Message::new(format!("{o} opens here"), format!("{o} はここで開いています")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::check_fixture as check;
    use expect_test::expect;

    #[test]
    fn balanced_quotes_and_brackets_are_fine() {
        expect![[r#"
            トカエフ大統領は「秩序は回復した」と強調し、集団安全保障条約機構(CSTO)の部隊が『撤退』する【速報】。
            ---
        "#]]
        .assert_eq(&check(
            "トカエフ大統領は「秩序は回復した」と強調し、集団安全保障条約機構(CSTO)の部隊が『撤退』する【速報】。\n",
        ));
    }

    #[test]
    fn english_lines_hard_wrapped_are_one_paragraph() {
        // A licence pasted into a vault: the parenthesis wraps onto the next line and closes
        // there. A Japanese line stays a paragraph of its own and its 「 is still unclosed.
        expect![[r#"
            the Licensor for the purpose of discussing and improving the Work (but
            excluding communication that is conspicuously marked) is included.

            Stray ⟦(⟧¹opening in its own paragraph.
            ⟦「⟧²閉じ忘れの引用
            ⟦(⟧³English after Japanese
            ---
            ¹ warning[unmatched-bracket] "(": ( is never closed: (opening in …
               ja: ( が閉じられていません: (opening in …
            ² warning[unmatched-bracket] "「": 「 is never closed: 「閉じ忘れの引用
               ja: 「 が閉じられていません: 「閉じ忘れの引用
            ³ warning[unmatched-bracket] "(": ( is never closed: (English aft…
               ja: ( が閉じられていません: (English aft…
        "#]]
        .assert_eq(&check(
            "the Licensor for the purpose of discussing and improving the Work (but\nexcluding communication that is conspicuously marked) is included.\n\nStray (opening in its own paragraph.\n「閉じ忘れの引用\n(English after Japanese\n",
        ));
    }

    #[test]
    fn a_closing_quote_never_opened() {
        expect![[r#"
            焦点となっているのはドネツク民共和国⟦」⟧¹ルガンスク人民共和国で、プーチン氏が承認に踏み切る可能性がある。
            ---
            ¹ warning[unmatched-bracket] "」": 」 closes nothing: …るのはドネツク民共和国」
               ja: 」 に対応する開き括弧がありません: …るのはドネツク民共和国」
        "#]]
        .assert_eq(&check(
            "焦点となっているのはドネツク民共和国」ルガンスク人民共和国で、プーチン氏が承認に踏み切る可能性がある。\n",
        ));
    }

    #[test]
    fn an_opening_quote_never_closed() {
        expect![[r#"
            ロシアにとっては⟦“⟧¹恩をあだで返ような腹立たしいものにも受け取られ、厳しい“脅迫”じみた言動にもなっています。
            ---
            ¹ warning[unmatched-bracket] "“": “ is never closed: “恩をあだで返ような腹立…
               ja: “ が閉じられていません: “恩をあだで返ような腹立…
        "#]]
        .assert_eq(&check(
            "ロシアにとっては“恩をあだで返ような腹立たしいものにも受け取られ、厳しい“脅迫”じみた言動にもなっています。\n",
        ));
    }

    #[test]
    fn pairs_are_balanced_per_paragraph_not_per_line() {
        expect![[r#"
            2500人の部隊のほとんどはロシア人で占められており、トカエフ氏は「警告な
            しに射殺せよ」との命令を下している。
            ロシア政府や親ロシアのオリガルヒ(
            新興財閥)が画策したクーデターが起きる可能性があると警告した。

            ⟦「⟧¹秩序は回復した。
            ⟦」⟧²と強調しました。
            ---
            ¹ warning[unmatched-bracket] "「": 「 is never closed: 「秩序は回復した。
               ja: 「 が閉じられていません: 「秩序は回復した。
            ² warning[unmatched-bracket] "」": 」 closes nothing: 」
               ja: 」 に対応する開き括弧がありません: 」
        "#]]
        .assert_eq(&check(
            "2500人の部隊のほとんどはロシア人で占められており、トカエフ氏は「警告な\nしに射殺せよ」との命令を下している。\n\
             ロシア政府や親ロシアのオリガルヒ(\n新興財閥)が画策したクーデターが起きる可能性があると警告した。\n\n\
             「秩序は回復した。\n」と強調しました。\n",
        ));
    }

    #[test]
    fn mixed_width_pair_is_one_pair_with_a_fix() {
        expect![[r#"
            ロシア大統領府(注⟦）⟧¹は声明を出した。別の声明（注⟦)⟧²もある。
            ---
            ¹ warning[unmatched-bracket] "）": ） closes the half-width (: (注）
               ja: ） が半角の ( を閉じています: (注）
               related "(": ( opens here
               fix: Replace ） with ) ("）" → ")")
            ² warning[unmatched-bracket] ")": ) closes the full-width （: （注)
               ja: ) が全角の （ を閉じています: （注)
               related "（": （ opens here
               fix: Replace ) with ） (")" → "）")
        "#]]
        .assert_eq(&check("ロシア大統領府(注）は声明を出した。別の声明（注)もある。\n"));
    }

    #[test]
    fn crossed_pairs_report_the_late_closer_with_its_opener() {
        expect![[r#"
            外務省は「国境（西部の州」を越えた⟦）⟧¹と述べた。
            ---
            ¹ warning[unmatched-bracket] "）": ） closes （ across another pair: （西部の州」を越えた）
               ja: ） が別の括弧をまたいで （ を閉じています: （西部の州」を越えた）
               related "（": （ opens here
        "#]]
        .assert_eq(&check("外務省は「国境（西部の州」を越えた）と述べた。\n"));
    }

    #[test]
    fn an_unclosed_bracket_inside_a_closed_quote() {
        expect![[r#"
            大使は「ウクライナ⟦（⟧¹キーウは安全だ」と述べた。
            ---
            ¹ warning[unmatched-bracket] "（": （ is never closed: （キーウは安全だ」と述べ…
               ja: （ が閉じられていません: （キーウは安全だ」と述べ…
        "#]]
        .assert_eq(&check("大使は「ウクライナ（キーウは安全だ」と述べた。\n"));
    }

    #[test]
    fn english_apostrophes_are_not_quotes() {
        expect![[r#"
            At least six waves of terrorists’ attacks reported in Almaty - TASS
            原題:Blinken Vows More Talks; Lavrov Dismisses Ukraine ‘Hysteria’ (1)(抜粋)
            It’s the ’90s again, ‘Don’t panic’ they said.
            ---
        "#]]
        .assert_eq(&check(
            "At least six waves of terrorists’ attacks reported in Almaty - TASS\n\
             原題:Blinken Vows More Talks; Lavrov Dismisses Ukraine ‘Hysteria’ (1)(抜粋)\n\
             It’s the ’90s again, ‘Don’t panic’ they said.\n",
        ));
    }

    #[test]
    fn a_lone_japanese_closing_single_quote_is_reported() {
        expect![[r#"
            大統領は歴史的な⟦’⟧¹会談だと述べた。
            ---
            ¹ warning[unmatched-bracket] "’": ’ closes nothing: 大統領は歴史的な’
               ja: ’ に対応する開き括弧がありません: 大統領は歴史的な’
        "#]]
        .assert_eq(&check("大統領は歴史的な’会談だと述べた。\n"));
    }

    #[test]
    fn right_quotes_used_on_both_sides_pair_up() {
        expect![[r#"
            中央アジアに”手を突っ込もう”とする動きも。“綱渡り”は続く⟦”⟧¹。
            大統領は’歴史的な’会談だと述べた。
            ---
            ¹ warning[unmatched-bracket] "”": ” closes nothing: …きも。“綱渡り”は続く”
               ja: ” に対応する開き括弧がありません: …きも。“綱渡り”は続く”
        "#]]
        .assert_eq(&check(
            "中央アジアに”手を突っ込もう”とする動きも。“綱渡り”は続く”。\n大統領は’歴史的な’会談だと述べた。\n",
        ));
    }

    #[test]
    fn list_enumerators_are_not_brackets() {
        expect![[r#"
            1) 燃料価格の引き上げ。
            ２）抗議デモの拡大。
            a) 国内情勢。
            議題は進展はない⟦)⟧¹。
            ---
            ¹ warning[unmatched-bracket] ")": ) closes nothing: 議題は進展はない)
               ja: ) に対応する開き括弧がありません: 議題は進展はない)
        "#]]
        .assert_eq(&check(
            "1) 燃料価格の引き上げ。\n２）抗議デモの拡大。\na) 国内情勢。\n議題は進展はない)。\n",
        ));
    }
}

//! Rule `unattributed-clipping`: a `****title****` … `******` clipping block with no source.
//!
//! A clipping is pasted from somewhere; the note's convention is to close it with where it came
//! from (`【2023年10月21日 AFP】`, `(4月2日 田中佑真氏 新潮社フォーサイト“…”)`, `出典:…`, a headline
//! or URL line). A block whose body holds none of the sources found by [`crate::analysis::sources`] is
//! reported on its opening fence line. The note's header source does not count: it says where
//! the note came from, not the clipping. An unclosed block's body runs to the next fence or the
//! end of the text (see [`crate::analysis::layout::ClippingBlock`]), so it is judged the same way.

use super::{Rule, RuleContext, Summary};
use crate::base::TextRange;
use crate::base::{Diagnostic, Message, RuleId, Severity};

/// How many characters of the title a message quotes.
const QUOTE_CHARS: usize = 24;

pub const RULE: Rule = Rule {
    id: RuleId::new("unattributed-clipping"),
    default_severity: Severity::Information,
    summary: Summary {
        en: "a ****title**** clipping block with no source line",
        ja: "出典行のない ****見出し**** のクリッピング",
    },
    check,
};

fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let sources = &cx.sources.sources;
    for block in &cx.layout.blocks {
        // Sources are sorted by position: look only at those starting inside the body.
        let first = sources.partition_point(|s| s.range.start < block.body.start);
        let attributed = sources[first..]
            .iter()
            .take_while(|s| s.range.start < block.body.end)
            .any(|s| block.body.contains_range(s.range));
        if attributed {
            continue;
        }
        let title = quote(cx.text, block.title);
        let fence = cx.layout.fences[block.open].range;
        out.push(RULE.diagnostic(
            fence,
            Message::new(
                format!("Clipping with no source: {title}"),
                format!("切り抜きに出典がありません: {title}"),
            ),
        ));
    }
}

fn quote(text: &str, title: TextRange) -> String {
    super::shortened(title.slice(text).trim().chars(), QUOTE_CHARS)
}

#[cfg(test)]
mod tests {

    use crate::analysis::rules::test_fixture::check_rule;
    use crate::base::Locale;
    use crate::base::{LineIndex, PositionEncoding};
    use crate::kb::Kb;

    use expect_test::expect;

    fn check(text: &str) -> String {
        check_rule(super::RULE.id, text)
    }

    #[test]
    fn a_clipping_closed_by_its_source_is_attributed() {
        expect![[r#"
            ****カザフ、対ロシア制裁による禁輸を否定****
            カザフスタンの貿易省は19日夜、ロシアへの輸出を禁止するとの貿易副大臣の発言を否定した。 【2023年10月21日 AFP】
            ******************
            ---
        "#]]
        .assert_eq(&check(
            "****カザフ、対ロシア制裁による禁輸を否定****\n\
             カザフスタンの貿易省は19日夜、ロシアへの輸出を禁止するとの貿易副大臣の発言を否定した。 【2023年10月21日 AFP】\n\
             ******************\n",
        ));
    }

    #[test]
    fn a_clipping_without_a_source_is_reported_on_its_fence() {
        expect![[r#"
            ⟦****中央アジアではロシアは「腐っても鯛」****⟧¹
            中央アジアも、西側メディアではロシア離れや対中傾斜が喧伝される地域だ。しかし実際の事態はそれほど大きくは動かない。
            ******************
            ---
            ¹ info[unattributed-clipping] "****中央アジアではロシアは「腐っても鯛」****": Clipping with no source: 中央アジアではロシアは「腐っても鯛」
               ja: 切り抜きに出典がありません: 中央アジアではロシアは「腐っても鯛」
        "#]]
        .assert_eq(&check(
            "****中央アジアではロシアは「腐っても鯛」****\n\
             中央アジアも、西側メディアではロシア離れや対中傾斜が喧伝される地域だ。しかし実際の事態はそれほど大きくは動かない。\n\
             ******************\n",
        ));
    }

    #[test]
    fn the_header_source_of_the_note_does_not_attribute_a_clipping() {
        expect![[r#"
            https://d1021.hatenadiary.com

            ⟦****ロシア、カザフからのガソリン供給を模索****⟧¹
            ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。
            ******
            地の文。(4月2日 田中佑真氏 新潮社フォーサイト“中央アジアのロシア離れは本当か?”)
            ---
            ¹ info[unattributed-clipping] "****ロシア、カザフからのガソリン供給を模索****": Clipping with no source: ロシア、カザフからのガソリン供給を模索
               ja: 切り抜きに出典がありません: ロシア、カザフからのガソリン供給を模索
        "#]]
        .assert_eq(&check(
            "https://d1021.hatenadiary.com\n\n\
             ****ロシア、カザフからのガソリン供給を模索****\n\
             ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n\
             ******\n\
             地の文。(4月2日 田中佑真氏 新潮社フォーサイト“中央アジアのロシア離れは本当か?”)\n",
        ));
    }

    #[test]
    fn each_clipping_is_judged_on_its_own_body() {
        expect![[r#"
            ****プーチン氏、カザフと結束確認****
            ロシアのプーチン大統領は9日、カザフスタンを訪れ、トカエフ大統領と会談した。【2023年11月10日 産経】
            ***********************
            ⟦****ロシアの隣りの強権国家までがロシア離れ****⟧¹
            ロシアとウクライナの戦争が続くなか、カザフスタンとの結びつきにもほころびが生じつつあるようだ。
            ****5月に一斉攻撃か****
            複数の分析を見てみると、5月ごろを目途にロシア軍は再度一斉攻勢をかける計画のようです。
            出典:MAG2NEWS
            ******************
            ---
            ¹ info[unattributed-clipping] "****ロシアの隣りの強権国家までがロシア離れ****": Clipping with no source: ロシアの隣りの強権国家までがロシア離れ
               ja: 切り抜きに出典がありません: ロシアの隣りの強権国家までがロシア離れ
        "#]]
        .assert_eq(&check(
            "****プーチン氏、カザフと結束確認****\n\
             ロシアのプーチン大統領は9日、カザフスタンを訪れ、トカエフ大統領と会談した。【2023年11月10日 産経】\n\
             ***********************\n\
             ****ロシアの隣りの強権国家までがロシア離れ****\n\
             ロシアとウクライナの戦争が続くなか、カザフスタンとの結びつきにもほころびが生じつつあるようだ。\n\
             ****5月に一斉攻撃か****\n\
             複数の分析を見てみると、5月ごろを目途にロシア軍は再度一斉攻勢をかける計画のようです。\n\
             出典:MAG2NEWS\n\
             ******************\n",
        ));
    }

    #[test]
    fn seeds() {
        let seeds = crate::analysis::test_support::SEEDS;
        let mut report = String::new();
        for (name, text) in seeds {
            report.push_str(&format!("== {name}\n"));
            // The built-in KB: the outlets of the seeds are what makes their source lines sources.
            let analysis = crate::analysis::test_support::analyze_alone(text, &Kb::builtin());
            let index = LineIndex::new(text);
            for d in analysis.diagnostics.iter().filter(|d| d.rule == super::RULE.id) {
                let at = index.line_col(text, d.range.start, PositionEncoding::Utf32);
                report.push_str(&format!(
                    "{}:{} {}\n",
                    at.line + 1,
                    at.col + 1,
                    d.message.get(Locale::En)
                ));
            }
        }
        expect![[r#"
            == 000
            == 001
            == 002
            == 003
            == 004
        "#]]
        .assert_eq(&report);
    }
}

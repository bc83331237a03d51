//! Source parsing and coverage, shown inline: each source is marked `[…](s0)` in the note,
//! listed with what was read from it, then every paragraph is listed with the source covering it.

use std::sync::{Arc, OnceLock};

use expect_test::{expect, Expect};

use super::*;
use crate::analysis::recognize::recognize;
use crate::analysis::test_support::render_ranges;
use crate::kb::{parse_kb_file, Kb};

/// Outlets written the way the seeds write them, plus a few places and an organisation whose
/// site is linked (a URL to it names no outlet).
const SOURCES_KB: &str = r#"
[[entity]]
id = "afp"
name = "AFP"
aliases = ["AFP通信"]
kind = "media"
links = ["https://www.afp.com", "https://en.wikipedia.org/wiki/Agence_France-Presse"]
[[entity]]
id = "tv-asahi"
name = "テレ朝news"
kind = "media"
[[entity]]
id = "sankei"
name = "産経"
aliases = ["産経新聞"]
kind = "media"
[[entity]]
id = "newsweek"
name = "Newsweek"
aliases = ["ニューズウィーク"]
kind = "media"
[[entity]]
id = "reuters"
name = "ロイター"
aliases = ["Reuters", "ロイター通信"]
kind = "media"
links = ["https://www.reuters.com", "https://en.wikipedia.org/wiki/Reuters"]
[[entity]]
id = "gendai"
name = "現代ビジネス"
kind = "media"
[[entity]]
id = "nikkei"
name = "日経"
aliases = ["日本経済新聞"]
kind = "media"
links = ["https://www.nikkei.com"]
[[entity]]
id = "jiji"
name = "時事"
aliases = ["時事通信", "時事ドットコム"]
kind = "media"
[[entity]]
id = "nhk"
name = "NHK"
kind = "media"
links = ["https://www3.nhk.or.jp/news/"]
[[entity]]
id = "tass"
name = "タス通信"
aliases = ["TASS"]
kind = "media"
[[entity]]
id = "kyodo"
name = "共同"
aliases = ["共同通信"]
kind = "media"
[[entity]]
id = "kremlin"
name = "ロシア大統領府"
kind = "organization"
links = ["http://kremlin.ru"]
[[entity]]
id = "kazakhstan"
name = "カザフスタン"
aliases = ["カザフ"]
kind = "place"
links = ["https://en.wikipedia.org/wiki/Kazakhstan"]
[[entity]]
id = "moscow"
name = "モスクワ"
kind = "place"
[[entity]]
id = "tokayev"
name = "トカエフ"
kind = "person"
"#;

fn kb() -> Arc<Kb> {
    static KB: OnceLock<Arc<Kb>> = OnceLock::new();
    KB.get_or_init(|| {
        let file = parse_kb_file("test/sources.toml", SOURCES_KB).expect("test KB parses");
        let (kb, errors) = Kb::build(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
        Arc::new(kb)
    })
    .clone()
}

fn analyse(text: &str, kb: &Kb) -> (Layout, Sources) {
    let layout = Layout::parse(text);
    let recognition = recognize(text, kb);
    let sources = find_sources(text, &layout, &recognition.mentions, kb);
    assert_eq!(sources.paragraph_source.len(), layout.paragraphs.len());
    assert_eq!(sources.block_source.len(), layout.blocks.len());
    assert!(
        sources.sources.windows(2).all(|w| w[0].range.end <= w[1].range.start),
        "sorted, disjoint"
    );
    (layout, sources)
}

/// The note with its sources marked, each source's fields, then each paragraph's covering source.
fn render(text: &str, kb: &Kb) -> String {
    let (layout, sources) = analyse(text, kb);
    let labels: Vec<String> = (0..sources.sources.len()).map(|i| format!("s{i}")).collect();
    let marked = render_ranges(
        text,
        sources
            .sources
            .iter()
            .map(|s| s.range)
            .zip(labels.iter().map(String::as_str)),
    );
    // Invisible characters made visible: CR and the NBSP of blog editors' empty paragraphs.
    let mut out = marked.replace('\r', "␍").replace('\u{a0}', "␣");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("---\n");
    for (i, s) in sources.sources.iter().enumerate() {
        let mut fields = vec![format!("s{i} {:?}", s.kind)];
        if sources.header == Some(i) {
            fields.push("(header)".into());
        }
        if sources.trailer == Some(i) {
            fields.push("(trailer)".into());
        }
        if let Some(d) = s.date {
            fields.push(format!("date={d}"));
        }
        match (s.outlet, s.outlet_range) {
            (Some(id), Some(r)) => fields.push(format!("outlet={}@{:?}", kb.entity(id).id, r.slice(text))),
            (Some(id), None) => fields.push(format!("outlet={}", kb.entity(id).id)),
            (None, Some(r)) => fields.push(format!("outlet=?@{:?}", r.slice(text))),
            (None, None) => {}
        }
        if let Some(a) = &s.author {
            fields.push(format!("author={a:?}"));
        }
        if let Some(t) = &s.title {
            fields.push(format!("title={t:?}"));
        }
        if let Some(u) = &s.url {
            fields.push(format!("url={u}"));
        }
        out.push_str(&fields.join(" "));
        out.push('\n');
    }
    out.push_str("---\n");
    for (p, paragraph) in layout.paragraphs.iter().enumerate() {
        let excerpt: String = paragraph.range.slice(text).chars().take(14).collect();
        let label = sources.paragraph_source[p].map_or("-".to_string(), |i| format!("s{i}"));
        out.push_str(&format!("{label:>3} {excerpt}\n"));
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &kb()));
}

#[test]
fn dated_bracket_at_the_end_of_a_pasted_paragraph() {
    check(
        "カザフは中央アジアに位置する。\n疑念を持たれている。 【2023年10月21日 AFP】\n",
        expect![[r#"
            カザフは中央アジアに位置する。
            疑念を持たれている。 [【2023年10月21日 AFP】](s0)
            ---
            s0 Bracket date=2023年10月21日 outlet=afp@"AFP"
            ---
             s0 カザフは中央アジアに位置する
             s0 疑念を持たれている。 【20
        "#]],
    );
}

#[test]
fn bracket_without_year_with_writer_and_with_title() {
    check(
        "連携継続を約束している。【4月9日 Newsweek】\n\n恐怖感を強めている。【4月6日 島田久仁彦氏 MAG2NEWS】\n\n一方。\n\n意味もない。【3月20日 現代ビジネス“実は「ウクライナの次」は起きそうもない”】\n",
        expect![[r#"
            連携継続を約束している。[【4月9日 Newsweek】](s0)

            恐怖感を強めている。[【4月6日 島田久仁彦氏 MAG2NEWS】](s1)

            一方。

            意味もない。[【3月20日 現代ビジネス“実は「ウクライナの次」は起きそうもない”】](s2)
            ---
            s0 Bracket date=4月9日 outlet=newsweek@"Newsweek"
            s1 Bracket date=4月6日 outlet=?@"MAG2NEWS" author="島田久仁彦氏"
            s2 Bracket date=3月20日 outlet=gendai@"現代ビジネス" title="実は「ウクライナの次」は起きそうもない"
            ---
             s0 連携継続を約束している。【4
             s1 恐怖感を強めている。【4月6
             s2 一方。
             s2 意味もない。【3月20日 現
        "#]],
    );
}

#[test]
fn a_date_after_the_outlet() {
    check(
        "本文。【AFP 2023年10月21日】\n本文。【MAG2NEWS 4月6日】\n",
        expect![[r#"
            本文。[【AFP 2023年10月21日】](s0)
            本文。[【MAG2NEWS 4月6日】](s1)
            ---
            s0 Bracket date=2023年10月21日 outlet=afp@"AFP"
            s1 Bracket date=4月6日 outlet=?@"MAG2NEWS"
            ---
             s0 本文。【AFP 2023年1
             s1 本文。【MAG2NEWS 4
        "#]],
    );
}

#[test]
fn a_bracket_with_neither_date_nor_outlet_is_a_heading() {
    check(
        "【ロシアと欧米のはざまでバランスをとる中央アジア】\nかつて「ロシアの裏庭」と呼ばれた。\n【“西側諸国ににじり寄るトカエフ政権”との指摘もあるが】\n【AFP通信によると】\n【速報】\n",
        expect![[r#"
            【ロシアと欧米のはざまでバランスをとる中央アジア】
            かつて「ロシアの裏庭」と呼ばれた。
            【“西側諸国ににじり寄るトカエフ政権”との指摘もあるが】
            【AFP通信によると】
            【速報】
            ---
            ---
              - 【ロシアと欧米のはざまでバラ
              - かつて「ロシアの裏庭」と呼ば
              - 【“西側諸国ににじり寄るトカ
              - 【AFP通信によると】
              - 【速報】
        "#]],
    );
}

#[test]
fn dateline_brackets_name_their_outlet() {
    check(
        "【モスクワ共同】ロシアのプーチン大統領は9日、カザフを訪れた。\n【AFP=時事】声明を発表した。\n",
        expect![[r#"
            [【モスクワ共同】](s0)ロシアのプーチン大統領は9日、カザフを訪れた。
            [【AFP=時事】](s1)声明を発表した。
            ---
            s0 Bracket outlet=kyodo@"共同"
            s1 Bracket outlet=afp@"AFP"
            ---
             s0 【モスクワ共同】ロシアのプー
             s1 【AFP=時事】声明を発表し
        "#]],
    );
}

#[test]
fn captioned_photo_source_at_the_top_is_the_header() {
    check(
        "（【2023年11月9日 日経】 カザフスタンを訪問したプーチン大統領）\n【ロシアと欧米のはざまでバランスをとる中央アジア】\nかつて「ロシアの裏庭」と呼ばれた。\n欧米の制裁にどこまで付き合うのか“揺らぎ”もありました。\n",
        expect![[r#"
            （[【2023年11月9日 日経】](s0) カザフスタンを訪問したプーチン大統領）
            【ロシアと欧米のはざまでバランスをとる中央アジア】
            かつて「ロシアの裏庭」と呼ばれた。
            欧米の制裁にどこまで付き合うのか“揺らぎ”もありました。
            ---
            s0 Bracket (header) date=2023年11月9日 outlet=nikkei@"日経"
            ---
             s0 （【2023年11月9日 日
             s0 【ロシアと欧米のはざまでバラ
             s0 かつて「ロシアの裏庭」と呼ば
             s0 欧米の制裁にどこまで付き合う
        "#]],
    );
}

#[test]
fn a_caption_in_the_middle_covers_only_itself() {
    check(
        "ブロガーの前置き。\n(【2023年11月9日 日経】 会談したトカエフ大統領)\nブロガーの感想。\n",
        expect![[r#"
            ブロガーの前置き。
            ([【2023年11月9日 日経】](s0) 会談したトカエフ大統領)
            ブロガーの感想。
            ---
            s0 Bracket date=2023年11月9日 outlet=nikkei@"日経"
            ---
              - ブロガーの前置き。
             s0 (【2023年11月9日 日
              - ブロガーの感想。
        "#]],
    );
}

#[test]
fn parenthesised_dated_credit_closes_the_quote_above_it() {
    check(
        "******************\n“カザフスタンのトカエフ大統領は支持を表明していません。\n棄権を選択しています。\nとの指摘もあります。(4月2日 田中佑真氏 新潮社フォーサイト“「中央アジアのロシア離れ」は本当か?――地域秩序の複雑性”)\n一方、ロシアも食い止めようとしています。\n",
        expect![[r#"
            ******************
            “カザフスタンのトカエフ大統領は支持を表明していません。
            棄権を選択しています。
            との指摘もあります。[(4月2日 田中佑真氏 新潮社フォーサイト“「中央アジアのロシア離れ」は本当か?――地域秩序の複雑性”)](s0)
            一方、ロシアも食い止めようとしています。
            ---
            s0 Parenthesized date=4月2日 outlet=?@"新潮社フォーサイト" author="田中佑真氏" title="「中央アジアのロシア離れ」は本当か?――地域秩序の複雑性"
            ---
              - **************
             s0 “カザフスタンのトカエフ大統
             s0 棄権を選択しています。
             s0 との指摘もあります。(4月2
              - 一方、ロシアも食い止めようと
        "#]],
    );
}

#[test]
fn parentheses_that_are_not_credits() {
    check(
        "トカエフ大統領は1月7日(金)、語った。\n昨年(2022年2月24日)に始まった。\n集団安全保障条約機構(CSTO)の会議。\n(3月5日 モスクワで会談した)\n日本放送協会(NHK)によると、会談した。\n",
        expect![[r#"
            トカエフ大統領は1月7日(金)、語った。
            昨年(2022年2月24日)に始まった。
            集団安全保障条約機構(CSTO)の会議。
            (3月5日 モスクワで会談した)
            日本放送協会(NHK)によると、会談した。
            ---
            ---
              - トカエフ大統領は1月7日(金
              - 昨年(2022年2月24日)
              - 集団安全保障条約機構(CST
              - (3月5日 モスクワで会談し
              - 日本放送協会(NHK)による
        "#]],
    );
}

#[test]
fn undated_outlet_in_parentheses_at_the_end_of_a_line() {
    check(
        "カザフは備蓄を振り向けることで合意した。（ロイター）\n",
        expect![[r#"
            カザフは備蓄を振り向けることで合意した。[（ロイター）](s0)
            ---
            s0 Parenthesized outlet=reuters@"ロイター"
            ---
             s0 カザフは備蓄を振り向けること
        "#]],
    );
}

#[test]
fn credits_cover_their_own_picture_only() {
    check(
        "中国はロシア干渉を拒否\n\n出典:Kremlin.ru/CC BY 4.0\n\n大統領府は3月に回答。\n\n※アイキャッチ画像の出典:Президента Республики Казахстан\n\n会談の写真（出典：NHK）\n\n出典： https://www.reuters.com/world/asia/\n\n本文にある出典:という言葉の説明文。\n",
        expect![[r#"
            中国はロシア干渉を拒否

            [出典:Kremlin.ru/CC BY 4.0](s0)

            大統領府は3月に回答。

            [※アイキャッチ画像の出典:Президента Республики Казахстан](s1)

            会談の写真[（出典：NHK）](s2)

            [出典： https://www.reuters.com/world/asia/](s3)

            本文にある出典:という言葉の説明文。
            ---
            s0 Credit
            s1 Credit
            s2 Credit outlet=nhk@"NHK"
            s3 Credit outlet=reuters url=https://www.reuters.com/world/asia/
            ---
              - 中国はロシア干渉を拒否
             s0 出典:Kremlin.ru/
              - 大統領府は3月に回答。
             s1 ※アイキャッチ画像の出典:П
             s2 会談の写真（出典：NHK）
             s3 出典： https://ww
              - 本文にある出典:という言葉の
        "#]],
    );
}

#[test]
fn header_urls_cover_the_note_and_map_hosts_to_outlets() {
    check(
        "https://d1021.hatenadiary.com\nhttp://d1021.hatenablog.com\n\nブリンケン米国務長官が会談した。\n\nhttps://jp.reuters.com/article/ukraine-idJPKBN2JW0AA\n\nhttps://en.wikipedia.org/wiki/Kazakhstan\n\nhttp://kremlin.ru/events/president/news/67543\n\nd1021.hatenadiary.jp\n",
        expect![[r#"
            [https://d1021.hatenadiary.com](s0)
            [http://d1021.hatenablog.com](s1)

            ブリンケン米国務長官が会談した。

            [https://jp.reuters.com/article/ukraine-idJPKBN2JW0AA](s2)

            [https://en.wikipedia.org/wiki/Kazakhstan](s3)

            [http://kremlin.ru/events/president/news/67543](s4)

            [d1021.hatenadiary.jp](s5)
            ---
            s0 Url (header) url=https://d1021.hatenadiary.com
            s1 Url url=http://d1021.hatenablog.com
            s2 Url outlet=reuters url=https://jp.reuters.com/article/ukraine-idJPKBN2JW0AA
            s3 Url url=https://en.wikipedia.org/wiki/Kazakhstan
            s4 Url url=http://kremlin.ru/events/president/news/67543
            s5 Url url=d1021.hatenadiary.jp
            ---
             s0 https://d1021.
             s1 http://d1021.h
             s0 ブリンケン米国務長官が会談し
             s2 https://jp.reu
             s3 https://en.wik
             s4 http://kremlin
             s5 d1021.hatenadi
        "#]],
    );
}

#[test]
fn a_header_naming_a_known_outlet_is_preferred() {
    check(
        "カザフ情勢\nhttps://d1021.hatenadiary.com\nhttps://www3.nhk.or.jp/news/html/20220111/k10013425.html\n\nトカエフ大統領は演説した。\n",
        expect![[r#"
            カザフ情勢
            [https://d1021.hatenadiary.com](s0)
            [https://www3.nhk.or.jp/news/html/20220111/k10013425.html](s1)

            トカエフ大統領は演説した。
            ---
            s0 Url url=https://d1021.hatenadiary.com
            s1 Url (header) outlet=nhk url=https://www3.nhk.or.jp/news/html/20220111/k10013425.html
            ---
             s1 カザフ情勢
             s0 https://d1021.
             s1 https://www3.n
             s1 トカエフ大統領は演説した。
        "#]],
    );
}

#[test]
fn headline_lines_end_with_their_outlet() {
    check(
        "At least six waves of terrorists’ attacks reported in Almaty - President Tokayev - World - TASS\n\nカザフ大統領、治安機関高官をさらに解任 当局「状況安定化」 | Article [AMP] | Reuters\n\n核保有5か国「核戦争に勝者なし」声明 核戦争回避と軍縮を強調 | 核兵器禁止条約 | NHKニュース\n\nカザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ:時事ドットコム\n\nUkraine Tells Russia to Withdraw - The Reuters\n",
        expect![[r#"
            [At least six waves of terrorists’ attacks reported in Almaty - President Tokayev - World - TASS](s0)

            [カザフ大統領、治安機関高官をさらに解任 当局「状況安定化」 | Article [AMP] | Reuters](s1)

            [核保有5か国「核戦争に勝者なし」声明 核戦争回避と軍縮を強調 | 核兵器禁止条約 | NHKニュース](s2)

            [カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ:時事ドットコム](s3)

            [Ukraine Tells Russia to Withdraw - The Reuters](s4)
            ---
            s0 Headline (header) outlet=tass@"TASS" title="At least six waves of terrorists’ attacks reported in Almaty - President Tokayev"
            s1 Headline outlet=reuters@"Reuters" title="カザフ大統領、治安機関高官をさらに解任 当局「状況安定化」"
            s2 Headline outlet=nhk@"NHK" title="核保有5か国「核戦争に勝者なし」声明 核戦争回避と軍縮を強調"
            s3 Headline outlet=jiji@"時事ドットコム" title="カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ"
            s4 Headline outlet=reuters@"Reuters" title="Ukraine Tells Russia to Withdraw"
            ---
             s0 At least six w
             s1 カザフ大統領、治安機関高官を
             s2 核保有5か国「核戦争に勝者な
             s3 カザフ大統領、中ロに謝意 デ
             s4 Ukraine Tells 
        "#]],
    );
}

#[test]
fn sentences_mentioning_outlets_are_not_headlines() {
    check(
        "下記のタス通信の報道によると、攻撃の波があった。\n\n1月8日には時事通信もデモの鎮圧を報道した。\n\nこの件を最初に報じたのはNHK\n\n米ロ首脳:共同声明\n\nAFP\n",
        expect![[r#"
            下記のタス通信の報道によると、攻撃の波があった。

            1月8日には時事通信もデモの鎮圧を報道した。

            この件を最初に報じたのはNHK

            米ロ首脳:共同声明

            AFP
            ---
            ---
              - 下記のタス通信の報道によると
              - 1月8日には時事通信もデモの
              - この件を最初に報じたのはNH
              - 米ロ首脳:共同声明
              - AFP
        "#]],
    );
}

#[test]
fn blog_link_cards_cover_the_quote_above_them_back_to_a_section_break() {
    check(
        "時事もデモ鎮圧を報道。\n\n\u{a0}\n\n1月8日には時事通信もデモの鎮圧を報道した。\n\nロシア大統領府は8日、電話会談したと発表した。\n\nカザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ:時事ドットコム\n\nボルトンの指摘にあるように、関係している。\n",
        expect![[r#"
            時事もデモ鎮圧を報道。

            ␣

            1月8日には時事通信もデモの鎮圧を報道した。

            ロシア大統領府は8日、電話会談したと発表した。

            [カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ:時事ドットコム](s0)

            ボルトンの指摘にあるように、関係している。
            ---
            s0 Headline outlet=jiji@"時事ドットコム" title="カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ"
            ---
              - 時事もデモ鎮圧を報道。
             s0 1月8日には時事通信もデモの
             s0 ロシア大統領府は8日、電話会
             s0 カザフ大統領、中ロに謝意 デ
              - ボルトンの指摘にあるように、
        "#]],
    );
}

#[test]
fn source_link_trailer_covers_an_auto_posted_article() {
    check(
        "中国はロシア干渉を拒否\n\n[ad_1]\n\nトカエフ大統領と会談した。\n\n出典:Kremlin.ru/CC BY 4.0\n\n[ad_2]\n\nSource link",
        expect![[r#"
            中国はロシア干渉を拒否

            [ad_1]

            トカエフ大統領と会談した。

            [出典:Kremlin.ru/CC BY 4.0](s0)

            [ad_2]

            [Source link](s1)
            ---
            s0 Credit
            s1 SourceLink (trailer)
            ---
             s1 中国はロシア干渉を拒否
             s1 [ad_1]
             s1 トカエフ大統領と会談した。
             s0 出典:Kremlin.ru/
             s1 [ad_2]
             s1 Source link
        "#]],
    );
}

#[test]
fn clipping_blocks_are_covered_by_their_own_source_line() {
    check(
        "ブロガーの前置き。\n****カザフ、禁輸を否定****\n貿易省は発言を否定した。\n疑念を持たれている。 【2023年10月21日 AFP】\n******************\nブロガーの感想。\n****見出し****\n【2023年11月2日 テレ朝news】\nマクロン大統領が訪問した。\n距離を置き始めています。\n******\n****出典のない記事****\n本文だけ。\n******\n",
        expect![[r#"
            ブロガーの前置き。
            ****カザフ、禁輸を否定****
            貿易省は発言を否定した。
            疑念を持たれている。 [【2023年10月21日 AFP】](s0)
            ******************
            ブロガーの感想。
            ****見出し****
            [【2023年11月2日 テレ朝news】](s1)
            マクロン大統領が訪問した。
            距離を置き始めています。
            ******
            ****出典のない記事****
            本文だけ。
            ******
            ---
            s0 Bracket date=2023年10月21日 outlet=afp@"AFP"
            s1 Bracket date=2023年11月2日 outlet=tv-asahi@"テレ朝news"
            ---
              - ブロガーの前置き。
             s0 ****カザフ、禁輸を否定*
             s0 貿易省は発言を否定した。
             s0 疑念を持たれている。 【20
             s0 **************
              - ブロガーの感想。
             s1 ****見出し****
             s1 【2023年11月2日 テレ
             s1 マクロン大統領が訪問した。
             s1 距離を置き始めています。
             s1 ******
              - ****出典のない記事***
              - 本文だけ。
              - ******
        "#]],
    );
    let text = "****A****\n本文。【2023年10月21日 AFP】\n******\n****B****\n本文。\n******\n";
    let (_, sources) = analyse(text, &kb());
    assert_eq!(
        sources.of_block(0).map(|s| s.range.slice(text)),
        Some("【2023年10月21日 AFP】")
    );
    assert_eq!(sources.of_block(1), None);
}

#[test]
fn a_block_with_two_pasted_passages_is_split_at_each_attribution() {
    check(
        "****見出し****\nマクロン大統領が訪問した。\n距離を置き始めています。【2023年11月2日 テレ朝news】\nマクロン大統領が訪問した。\n結束を誇示した。【2023年11月10日 産経】\n(中略)\n********\n",
        expect![[r#"
            ****見出し****
            マクロン大統領が訪問した。
            距離を置き始めています。[【2023年11月2日 テレ朝news】](s0)
            マクロン大統領が訪問した。
            結束を誇示した。[【2023年11月10日 産経】](s1)
            (中略)
            ********
            ---
            s0 Bracket date=2023年11月2日 outlet=tv-asahi@"テレ朝news"
            s1 Bracket date=2023年11月10日 outlet=sankei@"産経"
            ---
             s0 ****見出し****
             s0 マクロン大統領が訪問した。
             s0 距離を置き始めています。【2
             s1 マクロン大統領が訪問した。
             s1 結束を誇示した。【2023年
             s1 (中略)
             s1 ********
        "#]],
    );
}

#[test]
fn a_note_without_sources() {
    check(
        "カザフスタン、内乱を鎮圧 。\n\nトカエフ大統領は語った。\n",
        expect![[r#"
            カザフスタン、内乱を鎮圧 。

            トカエフ大統領は語った。
            ---
            ---
              - カザフスタン、内乱を鎮圧 。
              - トカエフ大統領は語った。
        "#]],
    );
    let (_, sources) = analyse("", &kb());
    assert_eq!(
        sources,
        Sources {
            paragraph_source: vec![],
            ..Sources::default()
        }
    );
}

#[test]
fn crlf_and_full_width_digits() {
    check(
        "https://www.nikkei.com/article/DGXZQOGR09\r\n\r\n本文。\r\n疑念を持たれている。【２０２３年１０月２１日 AFP】\r\n",
        expect![[r#"
            [https://www.nikkei.com/article/DGXZQOGR09](s0)␍
            ␍
            本文。␍
            疑念を持たれている。[【２０２３年１０月２１日 AFP】](s1)␍
            ---
            s0 Url (header) outlet=nikkei url=https://www.nikkei.com/article/DGXZQOGR09
            s1 Bracket date=2023年10月21日 outlet=afp@"AFP"
            ---
             s0 https://www.ni
             s1 本文。
             s1 疑念を持たれている。【２０２
        "#]],
    );
}

#[test]
fn offsets_find_their_source() {
    let text = "前置き。\n****A****\n本文。\n結び。【2023年10月21日 AFP】\n******\n";
    let (layout, sources) = analyse(text, &kb());
    let body = text.find("本文").unwrap();
    assert_eq!(
        sources.covering(&layout, body).and_then(|s| s.date),
        Some(PartialDate::ymd(2023, 10, 21))
    );
    assert_eq!(sources.covering(&layout, 0), None);
    let afp = text.find("AFP").unwrap();
    assert_eq!(sources.at(afp).map(|s| s.kind), Some(SourceKind::Bracket));
    assert_eq!(sources.at(body), None);
    assert_eq!(sources.within(layout.blocks[0].range).count(), 1);
    let s = sources.at(afp).unwrap();
    assert_eq!(s.summary(text, &kb()), "2023年10月21日 AFP");
    assert_eq!(s.outlet_name(text, &kb()), Some("AFP"));
}

/// The five seeds against the built-in KB: every source, in a line each.
#[test]
fn sources_of_the_seeds_with_the_builtin_kb() {
    let kb = Kb::builtin();
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
        .expect("seeds folder")
        .map(|e| e.expect("seed entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = String::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("seed is UTF-8");
        let (layout, sources) = analyse(&text, &kb);
        out.push_str(&format!("{}\n", path.file_name().unwrap().to_string_lossy()));
        for (i, s) in sources.sources.iter().enumerate() {
            let role = match (sources.header == Some(i), sources.trailer == Some(i)) {
                (true, _) => " (header)",
                (_, true) => " (trailer)",
                _ => "",
            };
            let outlet = s.outlet.map_or("-", |o| kb.entity(o).id.as_str());
            let summary: String = s.summary(&text, &kb).chars().take(40).collect();
            out.push_str(&format!("  {:?}{role} [{outlet}] {summary}\n", s.kind));
        }
        let covered = sources.paragraph_source.iter().filter(|s| s.is_some()).count();
        out.push_str(&format!("  covered {covered}/{} paragraphs\n", layout.paragraphs.len()));
    }
    expect![[r#"
        000_957a7e0d4be8d52d.txt
          Url (header) [-] https://d1021.hatenadiary.com
          Url [-] http://d1021.hatenablog.com
          Url [-] d1021.hatenadiary.jp
          covered 54/54 paragraphs
        001_3be886bf1c1252f4.txt
          Credit [kremlin-ru] 出典:Kremlin.ru/CC BY 4.0
          Credit [-] 出典:Официальный информационный ресурс Пре
          Credit [-] 出典:Президента Республики Казахстан
          Credit [kremlin-ru] 出典:Kremlin.ru/CC BY 4.0
          Credit [-] ※アイキャッチ画像の出典:Президента Республики Казах
          SourceLink (trailer) [-] Source link
          covered 24/24 paragraphs
        002_b7666d67213713ef.txt
          Bracket (header) [nikkei] 2023年11月9日 日本経済新聞
          Bracket [afp] 2023年10月21日 AFP
          Bracket [tv-asahi] 2023年11月2日 テレビ朝日
          Bracket [tv-asahi] 2023年11月2日 テレビ朝日
          Parenthesized [foresight] 4月2日 田中佑真氏 新潮社フォーサイト “「中央アジアのロシア離れ」は本当か?
          Bracket [sankei] 2023年11月10日 産経新聞
          Bracket [newsweek] 4月9日 ニューズウィーク
          Bracket [reuters] 4月8日 ロイター
          Bracket [mag2news] 4月6日 島田久仁彦氏 MAG2NEWS
          Bracket [gendai-business] 3月20日 現代ビジネス “実は「ウクライナの次」は起きそうもない、あまりに分が
          covered 102/102 paragraphs
        003_4a0328322339f521.txt
          Headline [tass] タス通信 “At least six waves of terrorists’ 
          Headline [jiji] 時事通信 “カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ”
          Headline [reuters] ロイター “カザフ大統領、治安機関高官をさらに解任 当局「状況安定化」”
          Headline [nhk] NHK “核保有5か国「核戦争に勝者なし」声明 核戦争回避と軍縮を強調”
          covered 11/42 paragraphs
        004_9146039485083f33.txt
          Url (header) [-] https://d1021.hatenadiary.com
          Url [-] http://d1021.hatenablog.com
          Url [-] d1021.hatenadiary.jp
          Url [-] d1021.hatenadiary.jp
          covered 56/56 paragraphs
    "#]]
    .assert_eq(&out);
}

/// Seed 002's clipping blocks, each closed by its outlet's bracket.
#[test]
fn seed_002_blocks_map_to_their_outlets() {
    let kb = Kb::builtin();
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_b7666d67213713ef.txt"));
    let (layout, sources) = analyse(text, &kb);
    let outlets: Vec<&str> = (0..layout.blocks.len())
        .map(|b| {
            sources
                .of_block(b)
                .and_then(|s| s.outlet)
                .map_or("-", |o| kb.entity(o).id.as_str())
        })
        .collect();
    assert_eq!(
        outlets,
        [
            "afp",
            "tv-asahi",
            "sankei",
            "newsweek",
            "reuters",
            "mag2news",
            "gendai-business"
        ]
    );
    // Every paragraph of a block is covered by a source of that block (the block pasting the
    // same テレ朝news article twice has two, one per copy).
    for (p, paragraph) in layout.paragraphs.iter().enumerate() {
        if let Some(block) = layout.blocks.iter().find(|b| b.range.contains_range(paragraph.range)) {
            let source = sources.paragraph_source[p].map(|s| sources.sources[s].range);
            assert!(source.is_some_and(|r| block.body.contains_range(r)), "paragraph {p}");
        }
    }
    let header = sources.header.map(|h| &sources.sources[h]);
    assert_eq!(
        header.and_then(|h| h.outlet).map(|o| kb.entity(o).id.as_str()),
        Some("nikkei")
    );
}

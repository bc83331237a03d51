//! The forms of attribution: which text is a source, and what is read from it (date, outlet,
//! writer, title, URL).

use expect_test::expect;

use super::*;

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

//! Coverage: the source each paragraph came from — inside clipping blocks, back to a boundary
//! above a closing attribution, the note's header or trailer — and the lookups by offset.

use expect_test::expect;

use super::*;

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

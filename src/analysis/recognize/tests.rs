//! Exact recognition, shown inline: each mention marked with its entity (and whether it is
//! glued to its neighbours), and the katakana words and Latin tokens left over.

use crate::analysis::test_support::{render_ranges, test_kb};

use super::{recognize, Script};

fn mentions(text: &str) -> String {
    let kb = test_kb();
    let r = recognize(text, &kb);
    let labels: Vec<String> = r
        .mentions
        .iter()
        .map(|m| {
            let id = &kb.entity(m.entity).id;
            if m.glued {
                format!("{id}, glued")
            } else {
                id.clone()
            }
        })
        .collect();
    render_ranges(
        text,
        r.mentions
            .iter()
            .map(|m| m.range)
            .zip(labels.iter().map(String::as_str)),
    )
}

fn leftovers(text: &str) -> Vec<(String, Script)> {
    let r = recognize(text, &test_kb());
    r.leftovers
        .iter()
        .map(|l| (l.range.slice(text).to_string(), l.script))
        .collect()
}

#[test]
fn names_are_found_with_their_entity() {
    expect_test::expect!["[カザフスタン](kazakhstan)の[トカエフ](tokayev)大統領は[CSTO](csto)に支援を要請"]
        .assert_eq(&mentions("カザフスタンのトカエフ大統領はCSTOに支援を要請"));
}

#[test]
fn a_name_counts_inside_a_kanji_compound() {
    expect_test::expect!["[ロシア](russia)軍と[ロシア](russia)人"].assert_eq(&mentions("ロシア軍とロシア人"));
}

#[test]
fn a_katakana_name_does_not_match_inside_a_longer_katakana_word() {
    expect_test::expect!["イランイランの香り、ミライランド、[イラン](iran)"]
        .assert_eq(&mentions("イランイランの香り、ミライランド、イラン"));
}

#[test]
fn a_latin_acronym_does_not_match_inside_a_longer_latin_word() {
    expect_test::expect!["#NATOexpansion と [NATO](nato)、AFPX"].assert_eq(&mentions("#NATOexpansion と NATO、AFPX"));
}

#[test]
fn width_separator_and_vu_variants_match() {
    expect_test::expect![
        "[ＣＳＴＯ](csto)と[ｶｻﾞﾌｽﾀﾝ](kazakhstan)、[ウォロディミル＝ゼレンスキー](zelensky)、[ソロヴィヨフ](solovyov)"
    ]
    .assert_eq(&mentions(
        "ＣＳＴＯとｶｻﾞﾌｽﾀﾝ、ウォロディミル＝ゼレンスキー、ソロヴィヨフ",
    ));
}

#[test]
fn a_long_vowel_dash_after_kanji_is_not_part_of_the_name() {
    expect_test::expect!["人間ー[ラブロフ](lavrov)"].assert_eq(&mentions("人間ーラブロフ"));
}

#[test]
fn glued_names_are_each_found_and_marked() {
    expect_test::expect![
        "[ロシア](russia)、[アルメニア](armenia, glued)[ベラルーシ](belarus, glued)[カザフスタン](kazakhstan, glued)[キルギス](kyrgyzstan, glued)[タジキスタン](tajikistan, glued)の6カ国"
    ]
    .assert_eq(&mentions("ロシア、アルメニアベラルーシカザフスタンキルギスタジキスタンの6カ国"));
}

#[test]
fn a_glued_run_may_start_with_a_kanji_name() {
    expect_test::expect!["[中央アジア](central-asia, glued)[カザフスタン](kazakhstan, glued)のサーブル"]
        .assert_eq(&mentions("中央アジアカザフスタンのサーブル"));
}

#[test]
fn a_name_followed_by_a_common_katakana_word_is_not_glued() {
    expect_test::expect!["ロシアメディアは"].assert_eq(&mentions("ロシアメディアは"));
    assert_eq!(leftovers("ロシアメディアは"), vec![]);
}

#[test]
fn unknown_katakana_words_and_acronyms_are_left_over() {
    expect_test::expect![[r#"
        [
            (
                "スレイメノフ",
                Katakana,
            ),
            (
                "EURACTIV",
                Latin,
            ),
        ]
    "#]]
    .assert_debug_eq(&leftovers("スレイメノフ報道官はEURACTIVとCSTOの取材に"));
}

#[test]
fn a_glued_run_may_end_in_a_full_name_across_a_separator() {
    expect_test::expect!["[中央アジア](central-asia, glued)[カザフスタン](kazakhstan, glued)[ウォロディミル・ゼレンスキー](zelensky, glued)大統領"]
        .assert_eq(&mentions("中央アジアカザフスタンウォロディミル・ゼレンスキー大統領"));
}

#[test]
fn a_katakana_name_touching_a_latin_acronym_is_glued() {
    expect_test::expect!["ベルギーの[キーウ](kyiv, glued)[NATO](nato, glued)本部、[NATO](nato)・[ロシア](russia)"]
        .assert_eq(&mentions("ベルギーのキーウNATO本部、NATO・ロシア"));
}

//! The clues combined: the most trusted kind decides, disagreement leaves the note undated,
//! and the bundled notes get their dates.

use super::*;
use crate::analysis::settings::Config;
use crate::analysis::test_support::SEEDS;
use crate::analysis::{analyze, Context};
use crate::analysis::{facts::WorkspaceFacts, prh::PrhRules};
use crate::base::FileId;

/// The note's date as `2023-10-21 (by its file name)`, or `none`.
fn dated(name: &str, text: &str) -> String {
    let kb = Kb::builtin();
    let file = FileId::new(format!("/notes/{name}"));
    let cx = Context {
        kb: &kb,
        config: &Config::default(),
        prh: &PrhRules::default(),
        facts: &WorkspaceFacts::default(),
        file: Some(&file),
    };
    match analyze(text, cx).dating.date {
        Some(d) => format!("{} ({})", d.period, d.origin.phrase().en),
        None => "none".to_string(),
    }
}

#[test]
fn each_clue_alone() {
    let prose = "政府は声明を発表した。\n";
    assert_eq!(
        dated("a.txt", &format!("{prose}\n【2021年12月3日 AFP】\n")),
        "2021-12-03 (by a dated source line)"
    );
    assert_eq!(
        dated("a.txt", &format!("2021年12月3日、{prose}")),
        "2021-12-03 (by a date in its text)"
    );
    assert_eq!(
        dated(
            "a.txt",
            &format!("{prose}https://news.example.com/2021/12/03/kz.html\n")
        ),
        "2021-12-03 (by a dated URL)"
    );
    assert_eq!(
        dated("a.txt", &format!("{prose}[f:id:someone:20211203081522p:plain]\n")),
        "2021-12-03 (by its photo ids)"
    );
    assert_eq!(dated("2021-12-03 メモ.txt", prose), "2021-12-03 (by its file name)");
    assert_eq!(
        dated("a.txt", "ブリンケン国務長官とショイグ国防相が電話で協議した。\n"),
        "2021-01-26…2024-05-12 (by the titles it gives people)"
    );
    assert_eq!(dated("a.txt", prose), "none", "no clue, no date");
}

#[test]
fn the_most_trusted_kind_decides() {
    let text = "2021年12月3日、政府は声明を発表した。\n[f:id:someone:20220110081522p:plain]\n";
    assert_eq!(dated("2020-05-05.txt", text), "2021-12-03 (by a date in its text)");
    let text = "政府は声明を発表した。\n[f:id:someone:20220110081522p:plain]\n";
    assert_eq!(dated("2020-05-05.txt", text), "2022-01-10 (by its photo ids)");
}

#[test]
fn clues_of_one_kind_agree_on_a_day_or_a_month_or_date_nothing() {
    let ids = |a: &str, b: &str| format!("写真\n[f:id:u:{a}p:plain]\n[f:id:u:{b}p:plain]\n");
    assert_eq!(
        dated("a.txt", &ids("20220110081522", "20220110230323")),
        "2022-01-10 (by its photo ids)"
    );
    assert_eq!(
        dated("a.txt", &ids("20220110081522", "20220122230323")),
        "2022-01 (by its photo ids)"
    );
    assert_eq!(dated("a.txt", &ids("20220110081522", "20220301230323")), "none");
    // A less trusted clue does not break the tie.
    let text = "2021年12月3日と2022年3月1日に声明を発表した。\n[f:id:u:20220301081522p:plain]\n";
    assert_eq!(dated("a.txt", text), "none");
}

#[test]
fn a_date_the_titles_of_two_people_contradict_dates_nothing() {
    let recalled = "1999年10月1日、トカエフ氏は首相に就任した。";
    let today = "ブリンケン国務長官とショイグ国防相が協議した。";
    assert_eq!(dated("a.txt", &format!("{recalled}\n{today}\n")), "none");
    // One person's title is what title-mismatch judges by the date, not a veto.
    assert_eq!(
        dated("a.txt", &format!("{recalled}\nブリンケン国務長官が述べた。\n")),
        "1999-10-01 (by a date in its text)"
    );
}

#[test]
fn the_bundled_notes_get_their_dates() {
    let got: Vec<String> = SEEDS
        .iter()
        .map(|(n, text)| format!("{n}: {}", dated(&format!("{n}.txt"), text)))
        .collect();
    expect_test::expect![[r#"
        000: 2021-04-14…2023-07-28 (by the titles it gives people)
        001: 2019-03-20… (by the titles it gives people)
        002: none
        003: 2022-01-04 (by a date in its text)
        004: 2021-08-25…2022-05 (by the titles it gives people)"#]]
    .assert_eq(&got.join("\n"));
}

#[test]
fn periods_meet_and_render() {
    let p = |from: &str, to: &str| Period {
        from: PartialDate::parse_iso(from),
        to: PartialDate::parse_iso(to),
    };
    assert_eq!(
        p("2021-01-26", "2025-01-20").intersect(&p("2012-11-06", "2024-05-12")),
        Some(p("2021-01-26", "2024-05-12"))
    );
    assert_eq!(
        p("1999-10-01", "2002-01-28").intersect(&p("2021-01-26", "2025-01-20")),
        None
    );
    assert_eq!(p("2019", "").intersect(&p("", "2019-03")), Some(p("2019", "2019-03")));
    assert_eq!(p("2019-03-20", "").to_string(), "2019-03-20…");
    assert_eq!(p("2021-01-26", "2024-05-12").ja(), "2021年1月26日～2024年5月12日");
    assert_eq!(Period::on(PartialDate::ymd(2022, 1, 4)).to_string(), "2022-01-04");
}

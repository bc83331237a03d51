//! What an open note learns from the other notes of the workspace, through the host as the
//! server runs it: passages pasted into two notes (`duplicate-passage` across notes), the
//! other copy open or on disk.

use super::fixture::Fixture;
use crate::analysis::settings::Config;
use crate::base::Locale;

const A: &str = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。";
const B: &str = "一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。";

/// Each open note's cross-note duplicates: `file line:col message → other file lines`.
fn duplicates(fixture: &str, config: Config) -> String {
    let fixture = Fixture::parse(fixture);
    let world = fixture.world_with(config);
    let mut names: Vec<_> = world.open.keys().cloned().collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let file = &world.open[&name];
        for d in file
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.as_str() == "duplicate-passage")
        {
            let lc = file.line_col(d.range.start, world.encoding);
            let other = d.related[0].elsewhere.as_ref().map_or("here".to_string(), |o| {
                format!("{} lines {}-{}", o.file, o.first_line + 1, o.last_line + 1)
            });
            out.push_str(&format!(
                "{name} {}:{} {} → {other}\n",
                lc.line + 1,
                lc.col + 1,
                d.message.get(Locale::En)
            ));
        }
    }
    out
}

#[test]
fn a_passage_in_a_closed_note_is_found_from_the_open_one() {
    let fixture = format!("//- /ws/a.txt\n前書き\n\n{A}\n\n{B}\n//- /ws/b.txt closed\n見出し\n\n{A}\n\n{B}\n");
    expect_test::expect![[r#"
        /ws/a.txt 3:1 Passage of 2 paragraphs also in another note (b.txt): ロシアはカザフスタンに10万トン… → /ws/b.txt lines 3-5
    "#]]
    .assert_eq(&duplicates(&fixture, Config::default()));
}

#[test]
fn two_open_notes_point_at_each_other_unless_the_setting_is_off() {
    let fixture = format!("//- /ws/a.txt\n{A}\n//- /ws/b.txt\n見出し\n\n{A}\n");
    expect_test::expect![[r#"
        /ws/a.txt 1:1 Passage also in another note (b.txt): ロシアはカザフスタンに10万トン… → /ws/b.txt lines 3-3
        /ws/b.txt 3:1 Passage also in another note (a.txt): ロシアはカザフスタンに10万トン… → /ws/a.txt lines 1-1
    "#]]
    .assert_eq(&duplicates(&fixture, Config::default()));
    let off = Config {
        passages_across_notes: false,
        ..Config::default()
    };
    assert_eq!(duplicates(&fixture, off), "");
}

//! `check` over what a note learns from itself and from the other notes: the note's own date
//! (from its file name here) in `title-mismatch`, and passages pasted into two notes.
//!
//! The people are fictional (a KB written into the temporary workspace), so the tests do not
//! depend on the built-in KB.

use expect_test::expect;

use crate::support::seed_lsp;

/// A fictional person: prime minister, then president.
const MIHAILOV_KB: &str = r#"
[[entity]]
id = "mihailov"
name = "ミハイロフ"
kind = "person"
roles = [
  { title = "首相", from = "2010-01-01", to = "2015-12-31" },
  { title = "大統領", from = "2016-01-01" },
]
"#;

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

#[test]
fn a_notes_file_name_dates_its_titles() {
    let note = "ミハイロフ大統領は記者会見で、改革を続けると述べた。\n";
    let dir = workspace(&[
        ("entities.toml", MIHAILOV_KB),
        ("2012-05-01 会見.txt", note),
        ("会見.txt", note),
    ]);
    let run = seed_lsp(dir.path(), &["check"]);
    expect![[r#"
        2012-05-01 会見.txt:1:6: warning[title-mismatch]: ミハイロフ was not "大統領" at the note's date (the note is from 2012-05-01, by its file name): 首相 (2010年1月1日–2015年12月31日), 大統領 (2016年1月1日–)
        2 files checked: 0 errors, 1 warning, 0 infos
    "#]]
    .assert_eq(&run.stdout);
    let ja = seed_lsp(dir.path(), &["check", "--locale", "ja"]);
    assert!(
        ja.stdout.contains("ファイル名からこのノートは2012年5月1日のもの"),
        "{}",
        ja.stdout
    );
}

#[test]
fn a_passage_pasted_into_two_notes_and_the_setting_that_turns_it_off() {
    let passage = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n";
    let footer = "出典:Kremlin.ru/CC BY 4.0\n";
    let dir = workspace(&[
        ("a.txt", &format!("{passage}\n{footer}")),
        ("b.txt", &format!("見出し\n\n{passage}\n{footer}")),
    ]);
    let run = seed_lsp(dir.path(), &["check"]);
    expect![[r#"
        a.txt:1:1: info[duplicate-passage]: Passage also in another note (b.txt): ロシアはカザフスタンに10万トン…
          b.txt:3: note: The copy in the other note
        b.txt:3:1: info[duplicate-passage]: Passage also in another note (a.txt): ロシアはカザフスタンに10万トン…
          a.txt:1: note: The copy in the other note
        2 files checked: 0 errors, 0 warnings, 2 infos
    "#]]
    .assert_eq(&run.stdout);
    std::fs::write(
        dir.path().join("seed-lsp.toml"),
        "[duplicatePassage]\nacrossNotes = false\n",
    )
    .unwrap();
    let off = seed_lsp(dir.path(), &["check"]);
    assert_eq!(off.stdout, "2 files checked: 0 errors, 0 warnings, 0 infos\n");
}

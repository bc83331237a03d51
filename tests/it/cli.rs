//! The `seed-lsp` command line, run as a real process: `check` (human and JSON output, exit
//! codes, configuration, workspace KB files, hostile input) and `kb check`.
//!
//! Notes here use a small fictional KB written into the temporary workspace (ゾルタニア, once
//! spelt ゾルタニヤ), so the tests do not depend on the contents of the built-in KB.

use std::path::Path;

use expect_test::{expect, expect_file};
use serde_json::{json, Value};

use crate::support::{seed_lsp, Client, TIMEOUT};

/// A workspace KB with one fictional place and its outdated spelling.
const ZOLTANIA_KB: &str = r#"
[[entity]]
id = "zoltania"
name = "ゾルタニア"
kind = "place"
en = "Zoltania"

[[entity.deprecated]]
name = "ゾルタニヤ"
reason = "政府が呼称を変更"
since = "2020-01-01"
"#;

fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn check_over_the_five_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = seed_lsp(root, &["check", "seeds"]);
    expect_file!["../snapshots/check_seeds.txt"].assert_eq(&run.stdout);
    assert_eq!(run.stderr, "");
    let has_errors = run.stdout.lines().any(|l| l.contains(": error"));
    assert_eq!(run.code, i32::from(has_errors), "{}", run.stdout);
    assert_eq!(
        seed_lsp(root, &["check"]).stdout,
        run.stdout,
        "seeds/ is the default path"
    );
}

#[test]
fn human_output_locale_and_fixes() {
    let dir = workspace(&[
        ("entities.toml", ZOLTANIA_KB.as_bytes()),
        ("note.txt", "首都はゾルタニヤ市。\n".as_bytes()),
    ]);
    let en = seed_lsp(dir.path(), &["check", "--show-fixes"]);
    let ja = seed_lsp(dir.path(), &["check", "--locale", "ja"]);
    let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert!(
        first(&en.stdout).starts_with("note.txt:1:4: warning[deprecated-name]: "),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("ゾルタニア"),
        "the message names the preferred spelling:\n{}",
        en.stdout
    );
    let fix = en.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        fix.starts_with("  fix: ") && fix.contains("ゾルタニア"),
        "{}",
        en.stdout
    );
    assert!(
        first(&ja.stdout).starts_with("note.txt:1:4: warning[deprecated-name]: "),
        "{}",
        ja.stdout
    );
    assert_ne!(first(&en.stdout), first(&ja.stdout), "messages follow the locale");
    assert!(
        !ja.stdout.contains("  fix: "),
        "fixes only with --show-fixes:\n{}",
        ja.stdout
    );
    assert!(
        en.stdout.ends_with("1 file checked: 0 errors, 1 warning, 0 infos\n"),
        "{}",
        en.stdout
    );
    assert_eq!(en.code, 0);
}

#[test]
fn json_output_is_lsp_shaped_with_utf16_columns() {
    let note = "𠮷野家でゾルタニヤの話を聞いた。\n\n同じ段落がここにもう一度繰り返されている、十分に長い文章の一例です。\n\n同じ段落がここにもう一度繰り返されている、十分に長い文章の一例です。\n";
    let dir = workspace(&[
        ("entities.toml", ZOLTANIA_KB.as_bytes()),
        ("notes/a.txt", note.as_bytes()),
    ]);
    let run = seed_lsp(dir.path(), &["check", "notes", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "notes/a.txt");
    let uri = files[0]["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///") && uri.ends_with("/notes/a.txt"), "{uri}");
    let diagnostics = files[0]["diagnostics"].as_array().unwrap();
    let by_code = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {run:?}", run = run.stdout))
    };

    let deprecated = by_code("deprecated-name");
    // 𠮷 is two UTF-16 units: 𠮷野家で = 5 units (4 characters).
    assert_eq!(
        deprecated["range"],
        json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 10}})
    );
    assert_eq!(deprecated["severity"], 2);
    assert_eq!(deprecated["source"], "seed-lsp");
    assert!(deprecated["message"].as_str().unwrap().contains("ゾルタニア"));
    let fixes = deprecated["data"]["fixes"].as_array().unwrap();
    assert!(!fixes.is_empty(), "a deprecated name has a fix");
    assert!(fixes[0]["title"].is_string());
    assert_eq!(fixes[0]["edits"][0]["newText"], "ゾルタニア");
    assert_eq!(fixes[0]["edits"][0]["range"], deprecated["range"]);

    let duplicate = by_code("duplicate-passage");
    assert_eq!(duplicate["severity"], 3);
    assert_eq!(duplicate["range"]["start"], json!({"line": 4, "character": 0}));
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert!(related["message"].is_string());

    assert_eq!(json["kbErrors"], json!([]));
    assert_eq!(json["summary"]["checked"], 1);
}

#[test]
fn exit_codes_follow_severities() {
    let kb = ("entities.toml", ZOLTANIA_KB.as_bytes());
    let warning = workspace(&[kb, ("a.txt", "ゾルタニヤの首都。\n".as_bytes())]);
    assert_eq!(seed_lsp(warning.path(), &["check"]).code, 0);
    let denied = seed_lsp(warning.path(), &["check", "--deny", "warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stdout);

    let clean = workspace(&[kb, ("a.txt", "ゾルタニアの首都。\n".as_bytes())]);
    let run = seed_lsp(clean.path(), &["check", "--deny", "warnings"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "1 file checked: 0 errors, 0 warnings, 0 infos\n")
    );

    let error = workspace(&[
        kb,
        ("a.txt", "ゾルタニヤの首都。\n".as_bytes()),
        ("seed-lsp.toml", b"[rules]\ndeprecated-name = \"error\"\n"),
    ]);
    let run = seed_lsp(error.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("a.txt:1:1: error[deprecated-name]: "),
        "{}",
        run.stdout
    );

    assert_eq!(seed_lsp(clean.path(), &["check", "--format", "yaml"]).code, 2);
    assert_eq!(seed_lsp(clean.path(), &["check", "--locale", "fr"]).code, 2);
    assert_eq!(seed_lsp(clean.path(), &["frobnicate"]).code, 2);
}

#[test]
fn configuration_turns_a_rule_off() {
    let files: &[(&str, &[u8])] = &[
        ("entities.toml", ZOLTANIA_KB.as_bytes()),
        ("a.txt", "ゾルタニヤの首都。\n".as_bytes()),
    ];
    let on = workspace(files);
    assert!(seed_lsp(on.path(), &["check"]).stdout.contains("[deprecated-name]"));
    let off = workspace(files);
    std::fs::write(off.path().join("seed-lsp.toml"), "[rules]\ndeprecated-name = \"off\"\n").unwrap();
    let run = seed_lsp(off.path(), &["check"]);
    assert!(!run.stdout.contains("[deprecated-name]"), "{}", run.stdout);

    std::fs::write(off.path().join("seed-lsp.toml"), "[rules]\nno-such-rule = \"off\"\n").unwrap();
    let run = seed_lsp(off.path(), &["check"]);
    assert!(run.stderr.contains("unknown rule \"no-such-rule\""), "{}", run.stderr);
}

#[test]
fn a_workspace_kb_file_changes_the_result() {
    let note = ("a.txt", "ゾルタニヤの首都。\n".as_bytes());
    let without = seed_lsp(workspace(&[note]).path(), &["check"]);
    assert!(!without.stdout.contains("deprecated-name"), "{}", without.stdout);
    let with = seed_lsp(
        workspace(&[note, ("kb/entities.toml", ZOLTANIA_KB.as_bytes())]).path(),
        &["check"],
    );
    assert!(
        with.stdout.contains("a.txt:1:1: warning[deprecated-name]"),
        "{}",
        with.stdout
    );

    // The same file named in seed-lsp.toml instead of found by name.
    let configured = workspace(&[
        note,
        ("kb/places.toml", ZOLTANIA_KB.as_bytes()),
        ("seed-lsp.toml", b"[kb]\npaths = [\"kb/places.toml\"]\n"),
    ]);
    let run = seed_lsp(configured.path(), &["check"]);
    assert!(
        run.stdout.contains("a.txt:1:1: warning[deprecated-name]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_folder_that_is_not_a_workspace_is_not_walked_for_kb_files() {
    // Checking a note from a home-like folder: KB files somewhere below it are unrelated.
    let home = workspace(&[("junk/deep/entities.toml", b"not toml at all [[[")]);
    let notes = workspace(&[("a.txt", "ゾルタニヤの首都。\n".as_bytes())]);
    let note = notes.path().join("a.txt");
    let run = seed_lsp(home.path(), &["check", note.to_str().unwrap()]);
    assert!(!run.stdout.contains("error[kb]"), "{}", run.stdout);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The same folder becomes a workspace with a seed-lsp.toml, and its KB files apply.
    std::fs::write(home.path().join("seed-lsp.toml"), "").unwrap();
    let run = seed_lsp(home.path(), &["check", note.to_str().unwrap()]);
    assert!(run.stdout.contains("error[kb]"), "{}", run.stdout);
}

#[test]
fn a_broken_workspace_kb_is_reported_and_the_rest_still_checked() {
    let dir = workspace(&[
        ("good/entities.toml", ZOLTANIA_KB.as_bytes()),
        (
            "bad/entities.toml",
            "[[entity]]\nid = \"x\"\nname = \"エックス\"\nkind = \"persn\"\n".as_bytes(),
        ),
        ("a.txt", "ゾルタニヤの首都。\n".as_bytes()),
    ]);
    let run = seed_lsp(dir.path(), &["check"]);
    expect![[r#"
        bad/entities.toml:4:8: error[kb]: unknown kind: expected person, organization, place, media, event or other
    "#]]
    .assert_eq(
        run.stdout
            .lines()
            .next()
            .map(|l| format!("{l}\n"))
            .as_deref()
            .unwrap_or_default(),
    );
    assert!(
        run.stdout.contains("a.txt:1:1: warning[deprecated-name]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("(1 KB error)\n"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn hostile_input_is_reported_and_never_stops_the_run() {
    let note = "前書き。\n𠮷とゾルタニヤ。\n";
    let dir = workspace(&[
        ("entities.toml", ZOLTANIA_KB.as_bytes()),
        ("lf.txt", note.as_bytes()),
        ("crlf.txt", note.replace('\n', "\r\n").as_bytes()),
        ("bom.txt", "\u{feff}ゾルタニヤ。\n".as_bytes()),
        ("nobom.txt", "ゾルタニヤ。\n".as_bytes()),
        ("empty.txt", b""),
        // テスト in Shift_JIS, after three ASCII bytes.
        ("shift_jis.txt", b"ok \x83\x65\x83\x58\x83\x67\n"),
        ("utf16.txt", b"\xFF\xFE\x42\x30"),
    ]);
    let run = seed_lsp(dir.path(), &["check", ".", "missing.txt"]);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_once(": warning[deprecated-name]").map_or(l, |(at, _)| at))
        .collect();
    expect![[r#"
        [
            "bom.txt:1:1",
            "crlf.txt:2:3",
            "lf.txt:2:3",
            "missing.txt: error: cannot read file: not found (deleted or renamed?)",
            "nobom.txt:1:1",
            "shift_jis.txt: error: not UTF-8 text (invalid byte 0x83 at offset 3); save the file as UTF-8",
            "utf16.txt: error: not UTF-8 text (UTF-16 byte-order mark); save the file as UTF-8",
            "5 files checked: 0 errors, 4 warnings, 0 infos (3 files not checked)",
        ]
    "#]]
    .assert_debug_eq(&lines);
    assert_eq!(run.code, 1, "a note that could not be read fails the run");
    assert_eq!(run.stderr, "");

    // The same in JSON: the file carries an "error" and no diagnostics.
    let run = seed_lsp(dir.path(), &["check", "--format", "json", "shift_jis.txt", "crlf.txt"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["files"][0]["path"], "crlf.txt");
    // Line 2 is `𠮷とゾルタニヤ。`: column 3 in characters from 1 (above), 3 in UTF-16 units from 0.
    assert_eq!(
        json["files"][0]["diagnostics"][0]["range"]["start"],
        json!({"line": 1, "character": 3})
    );
    assert_eq!(json["files"][1]["path"], "shift_jis.txt");
    assert!(json["files"][1]["error"].as_str().unwrap().contains("offset 3"));
    assert_eq!(run.code, 1);
}

#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_is_reported() {
    // /proc/self/mem is a file no process can read from offset 0, even as root.
    let dir = workspace(&[("a.txt", "ゾルタニア。\n".as_bytes())]);
    let run = seed_lsp(dir.path(), &["check", "a.txt", "/proc/self/mem"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("/proc/self/mem: error: cannot read file: "),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[1],
        "1 file checked: 0 errors, 0 warnings, 0 infos (1 file not checked)"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn a_note_over_the_size_limit_is_skipped_with_a_warning() {
    let big = "ゾルタニアの首都で会議が開かれた。\n\n".repeat((50 << 20) / 50);
    assert!(big.len() > 50 << 20);
    let dir = workspace(&[
        ("entities.toml", ZOLTANIA_KB.as_bytes()),
        ("big.txt", big.as_bytes()),
        ("small.txt", "ゾルタニヤ。\n".as_bytes()),
    ]);
    let run = seed_lsp(dir.path(), &["check"]);
    expect![[r#"
        big.txt: warning: not checked: 53 MiB is over the 16 MiB size limit for a note (raise it with --max-file-size)
        small.txt:1:1: warning[deprecated-name]
        1 file checked: 0 errors, 1 warning, 0 infos (1 file not checked)
    "#]]
    .assert_eq(
        &run.stdout
            .lines()
            .map(|l| format!("{}\n", l.split_once("]: ").map_or(l, |(at, _)| &l[..at.len() + 1])))
            .collect::<String>(),
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        seed_lsp(dir.path(), &["check", "--deny", "warnings", "big.txt"]).code,
        1
    );

    // The limit is the user's: a 2 KiB note is skipped under 1K and checked with no limit.
    let note = format!("{}ゾルタニヤ。\n", "ゾルタニアの首都。\n".repeat(80));
    let dir = workspace(&[("entities.toml", ZOLTANIA_KB.as_bytes()), ("a.txt", note.as_bytes())]);
    let limited = seed_lsp(dir.path(), &["check", "--max-file-size", "1K"]);
    assert!(
        limited
            .stdout
            .starts_with("a.txt: warning: not checked: 2.2 KiB is over the 1 KiB size limit"),
        "{}",
        limited.stdout
    );
    let unlimited = seed_lsp(dir.path(), &["check", "--max-file-size", "0"]);
    assert!(
        unlimited.stdout.starts_with("a.txt:81:1: warning[deprecated-name]"),
        "{}",
        unlimited.stdout
    );
    assert_eq!(seed_lsp(dir.path(), &["check", "--max-file-size", "lots"]).code, 2);
}

#[test]
fn kb_check_reports_errors_with_line_and_column() {
    let broken = "[[entity]]\nid = \"a\"\nname = \"アルファ\"\nkind = \"person\"\nroles = [{ title = \"大統領\", of = \"nowhere\", from = \"2019-3-20\" }]\n";
    let dir = workspace(&[
        ("entities.toml", broken.as_bytes()),
        ("syntax.toml", b"[[entity]]\nid = \"x\nname = 1\n"),
    ]);
    let run = seed_lsp(dir.path(), &["kb", "check", "entities.toml"]);
    expect![[r#"
        entities.toml:5:50: error: invalid date: expected YYYY, YYYY-MM or YYYY-MM-DD
        1 error
    "#]]
    .assert_eq(&run.stdout);
    assert_eq!(run.code, 1);

    let run = seed_lsp(dir.path(), &["kb", "check", "syntax.toml", "missing.toml"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("missing.toml: error: cannot read file"),
        "{}",
        run.stdout
    );
    assert!(lines[1].starts_with("syntax.toml:2:"), "{}", run.stdout);
    assert_eq!(run.code, 1);

    // Cross-file references are checked after merging (the date fixed, `of` still unknown).
    std::fs::write(
        dir.path().join("entities.toml"),
        broken.replace("2019-3-20", "2019-03-20"),
    )
    .unwrap();
    let run = seed_lsp(dir.path(), &["kb", "check"]);
    assert!(
        run.stdout.starts_with("entities.toml:5:32: error: unknown entity id\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn kb_check_of_a_good_file() {
    let dir = workspace(&[("kb/entities.toml", ZOLTANIA_KB.as_bytes())]);
    let run = seed_lsp(dir.path(), &["kb", "check"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "kb/entities.toml: 1 entities, 0 titles");
    let total = lines[1].strip_suffix(" titles: ok").expect(&run.stdout);
    let (entities, _titles) = total.split_once(" entities, ").unwrap();
    assert!(
        entities.parse::<usize>().unwrap() > 1,
        "the built-in KB is included: {total}"
    );
    assert_eq!(run.code, 0);
}

#[test]
fn the_builtin_kb_source_passes_kb_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = seed_lsp(
        root,
        &[
            "kb",
            "check",
            "src/kb/data/places.generated.toml",
            "src/kb/data/entities.toml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let default = seed_lsp(root, &["kb", "check"]);
    assert!(
        default.stdout.starts_with("src/kb/data/entities.toml: "),
        "{}",
        default.stdout
    );
    assert_eq!(default.code, 0, "{}", default.stdout);
}

#[test]
fn help_lists_the_rules_and_version_prints() {
    let dir = tempfile::tempdir().unwrap();
    let help = seed_lsp(dir.path(), &["--help"]);
    assert_eq!(help.code, 0);
    for rule in [
        "misspelled-entity",
        "deprecated-name",
        "title-mismatch",
        "glued-entities",
        "unknown-entity",
        "unmatched-bracket",
        "duplicate-passage",
        "unattributed-clipping",
    ] {
        assert!(
            help.stdout.contains(rule),
            "{rule} missing from --help:\n{}",
            help.stdout
        );
    }
    assert!(seed_lsp(dir.path(), &["check", "--help"])
        .stdout
        .contains("unattributed-clipping"));
    let version = seed_lsp(dir.path(), &["--version"]);
    assert_eq!(version.stdout, format!("seed-lsp {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn every_server_spelling_starts_the_language_server() {
    for args in [
        &[][..],
        &["--stdio"],
        &["--stdio", "--stdio"],
        &["serve"],
        &["serve", "--stdio"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Client::builder()
            .current_dir(dir.path())
            .args(args)
            .discard_stderr()
            .spawn();
        let initialize = json!({"processId": null, "rootUri": null, "capabilities": {}});
        let answer = server.request_raw("initialize", initialize);
        assert!(answer["result"]["capabilities"].is_object(), "{args:?}: {answer}");
        server.notify("initialized", json!({}));
        // Notifications and server requests are skipped until the answer to `shutdown`.
        server.request_raw("shutdown", Value::Null);
        server.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        server.close_stdin();
        assert_eq!(server.wait_exit(TIMEOUT).code(), Some(0), "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        seed_lsp(dir.path(), &["--stdio", "check"]).code,
        2,
        "--stdio is not an option of check"
    );
}

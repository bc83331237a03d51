//! Hostile workspaces for `seed-lsp check`, run as a real process (issue 15): files that
//! never end or block, files outside the workspace, dictionaries built to explode, notes
//! built to drown the output. Each ends with a clear message or a correct result; nothing
//! from outside the workspace is read or quoted. Figures (time, memory) are in
//! docs/reliability.md; no timing is asserted here.

use std::path::Path;
use std::process::Command;

use crate::support::seed_lsp;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn checking_a_device_says_why_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let run = seed_lsp(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("/dev/zero: error: not a regular file (a FIFO or a device is never read)"),
        "{}",
        run.stdout
    );
    mkfifo(&dir.path().join("note.txt"));
    let run = seed_lsp(dir.path(), &["check", "note.txt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("note.txt: error: not a regular file"),
        "{}",
        run.stdout
    );
}

#[test]
fn devices_fifos_and_files_outside_the_workspace_are_refused_and_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    // A secret outside the workspace, in the shape of a YAML key and of a TOML key.
    write(outside.path(), "secret.yml", "root:x:0:0:secret-hash\n");
    write(outside.path(), "secret.toml", "secret-hash = 1\n");
    let secret = outside.path().join("secret.yml");
    mkfifo(&root.join("fifo.yml"));
    std::os::unix::fs::symlink(outside.path().join("secret.toml"), root.join("link.toml")).unwrap();
    write(
        root,
        "seed-lsp.toml",
        &format!(
            "[kb]\npaths = [\"/dev/zero\", \"/dev/stdin\", \"link.toml\", {:?}]\n[prh]\npaths = [\"prh.yml\", \"fifo.yml\", {secret:?}]\n",
            outside.path().join("secret.toml")
        ),
    );
    write(
        root,
        "prh.yml",
        &format!(
            "imports:\n  - /dev/zero\n  - /dev/stdin\n  - {}\nrules:\n  - expected: キーウ\n    pattern: キエフ\n",
            secret.display()
        ),
    );
    write(root, "seeds/a.txt", "キエフの街。\n");
    let run = seed_lsp(root, &["check"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains("secret-hash") && !all.contains("root:x"), "{all}");
    assert_eq!(run.code, 1, "{all}");
    for expected in [
        // A device is outside the workspace, or not a regular file, whichever is found first.
        "/dev/zero: error[kb]: not read: outside the workspace folders",
        // `/dev/stdin` is whatever the check's input is (a pipe, /dev/null): refused either way.
        "/dev/stdin: error[kb]: not ",
        // The link and the file it leads to are one file, named once.
        "link.toml: error[kb]: not read: outside the workspace folders",
        "fifo.yml: error: cannot read file: not a regular file",
        "secret.yml: error: cannot read file: not read: outside the workspace folders",
        "prh.yml:2:5: error[prh]: cannot import this file: not read: outside the workspace folders",
        "prh.yml:3:5: error[prh]: cannot import this file: not ",
        "cannot import this file: not read: outside the workspace folders (allow it with the editor setting files.allow, or --allow-read on the command line)",
        // The dictionary's own rule still applies: nothing else is lost.
        "\"キエフ\" should be \"キーウ\"",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
}

#[test]
fn allow_read_lets_a_shared_dictionary_outside_the_workspace_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let shared = tempfile::tempdir().unwrap();
    write(
        shared.path(),
        "prh.yml",
        "rules:\n  - expected: キーウ\n    pattern: キエフ\n",
    );
    let dictionary = shared.path().join("prh.yml");
    write(
        dir.path(),
        "seed-lsp.toml",
        &format!("[prh]\npaths = [{dictionary:?}]\n"),
    );
    write(dir.path(), "seeds/a.txt", "キエフの街。\n");
    let refused = seed_lsp(dir.path(), &["check"]);
    assert!(
        refused.stdout.contains("not read: outside the workspace folders"),
        "{}",
        refused.stdout
    );
    let allowed = seed_lsp(dir.path(), &["check", "--allow-read", shared.path().to_str().unwrap()]);
    assert!(
        allowed.stdout.contains("\"キエフ\" should be \"キーウ\""),
        "{}",
        allowed.stdout
    );
    assert!(!allowed.stdout.contains("outside the workspace"), "{}", allowed.stdout);
}

#[test]
fn a_billion_laughs_dictionary_is_one_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        laughs.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    write(dir.path(), "laughs.yml", &laughs);
    write(
        dir.path(),
        "prh.yml",
        "rules:\n  - expected: キーウ\n    pattern: キエフ\n",
    );
    write(
        dir.path(),
        "seed-lsp.toml",
        "[prh]\npaths = [\"laughs.yml\", \"prh.yml\"]\n",
    );
    write(dir.path(), "seeds/a.txt", "キエフの街。\n");
    let run = seed_lsp(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("laughs.yml:6:") && run.stdout.contains("aliases expand to more than 100000 nodes"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\"キエフ\" should be \"キーウ\""), "{}", run.stdout);
}

#[test]
fn a_note_of_200_000_unmatched_brackets_gets_a_thousand_diagnostics_and_a_count() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "seeds/a.txt", &"「\n".repeat(200_000));
    let run = seed_lsp(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1001);
    assert_eq!(
        diagnostics[1000]["message"],
        "199000 more diagnostics in this note are not shown (at most 1000 are reported per note)"
    );
    assert_eq!(diagnostics[1000]["range"]["start"]["line"], 1000);
    assert!(run.stdout.len() < 2 << 20, "{} bytes of JSON", run.stdout.len());
}

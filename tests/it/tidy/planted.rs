//! The tidy rules on planted violations: each rule reports what it must, where it must, and
//! stays silent on the look-alikes (comments, strings, test code, lower layers).

use super::{allowlisted, check_file, check_tree, Rule, MAX_CODE_LINES};

const HEADER: &str = "//! A planted file.\n";

/// (rule, line) of every violation in one planted file (not test-only).
fn found(file: &str, body: &str) -> Vec<(Rule, usize)> {
    let text = format!("{HEADER}{body}");
    check_file(file, &text, false)
        .iter()
        .map(|v| (v.rule, v.line))
        .collect()
}

#[test]
fn an_upward_import_is_reported_at_its_line() {
    let body = "use crate::base::TextRange;\nuse crate::analysis::layout::Layout;\n";
    assert_eq!(found("kb/model.rs", body), [(Rule::UpwardImport, 3)]);
    // The same import from higher up is fine, and so is a layer's own.
    assert_eq!(found("ide/hover.rs", body), []);
    assert_eq!(found("analysis/rules/mod.rs", body), []);
}

#[test]
fn every_layer_is_held_to_the_order() {
    let order = ["base", "kb", "analysis", "ide", "project", "server", "cli"];
    for (i, low) in order.iter().enumerate() {
        for high in &order[i + 1..] {
            let body = format!("fn f() {{ crate::{high}::run(); }}\n");
            assert_eq!(
                found(&format!("{low}/x.rs"), &body),
                [(Rule::UpwardImport, 2)],
                "{low} → {high}"
            );
            assert_eq!(
                found(&format!("{high}/x.rs"), &body.replace(high, low)),
                [],
                "{high} → {low}"
            );
        }
    }
}

#[test]
fn project_and_proto_are_peers() {
    let message = |file: &str, body: &str| check_file(file, &format!("{HEADER}{body}"), false)[0].message.clone();
    assert_eq!(
        found(
            "proto/convert.rs",
            "const M: u64 = crate::project::read::MAX_NOTE_BYTES;\n"
        ),
        [(Rule::UpwardImport, 2)]
    );
    assert_eq!(
        found("project/batch.rs", "use crate::proto::lsp_json;\n"),
        [(Rule::UpwardImport, 2)]
    );
    assert!(message("project/batch.rs", "use crate::proto::lsp_json;\n").contains("project imports proto, its peer"));
    // Both import the ide layer below them.
    assert_eq!(found("proto/x.rs", "use crate::ide::hover;\n"), []);
    assert_eq!(found("project/x.rs", "use crate::ide::hover;\n"), []);
}

#[test]
fn grouped_imports_are_read_item_by_item() {
    let body = "use crate::{\n    base::TextRange,\n    server::{Backend, State},\n};\n";
    assert_eq!(found("analysis/x.rs", body), [(Rule::UpwardImport, 2)]);
    assert_eq!(found("cli/x.rs", body), []);
}

#[test]
fn super_paths_that_climb_out_of_a_layer_count() {
    // analysis/rules/x.rs is analysis::rules::x: three supers reach the crate root.
    let file = "analysis/rules/x.rs";
    assert_eq!(found(file, "use super::super::layout::Layout;\n"), []);
    assert_eq!(found(file, "use super::super::super::kb::Kb;\n"), []);
    assert_eq!(
        found(file, "use super::super::super::ide::hover;\n"),
        [(Rule::UpwardImport, 2)]
    );
    // From a layer's mod.rs one super is the crate root.
    assert_eq!(
        found("kb/mod.rs", "use super::server::Backend;\n"),
        [(Rule::UpwardImport, 2)]
    );
    assert_eq!(
        found("kb/mod.rs", "use super::{base::TextRange, cli::main};\n"),
        [(Rule::UpwardImport, 2)]
    );
    // Inside an inline module, super is that module's parent.
    let inline = "mod inner {\n    use super::super::server::Backend;\n}\nmod tests {\n    use super::*;\n}\n";
    assert_eq!(found("kb/mod.rs", inline), [(Rule::UpwardImport, 3)]);
}

#[test]
fn comments_strings_and_chars_are_not_imports() {
    let body = r####"/// See [`crate::server::Backend`].
// use crate::server::Backend;
/* use crate::server::Backend; /* nested */ use crate::cli; */
const A: &str = "use crate::server::Backend;";
const B: &str = r#"crate::server::x "quoted" "#;
const C: &[u8] = br"crate::cli";
const Q: char = '"';
const E: char = '\'';
fn f<'a>(s: &'a str) -> &'a str { s }
"####;
    assert_eq!(found("kb/x.rs", body), []);
    // A quote in a char literal does not open a string that would hide what follows.
    assert_eq!(
        found("kb/x.rs", "const Q: u8 = b'\"';\nuse crate::cli::main;\n"),
        [(Rule::UpwardImport, 3)]
    );
}

#[test]
fn lsp_types_outside_proto_and_server_are_reported() {
    let body = "use tower_lsp_server::ls_types::Position;\nfn f(p: lsp_types::Range) {}\n";
    assert_eq!(found("ide/hover.rs", body), [(Rule::LspType, 2), (Rule::LspType, 3)]);
    assert_eq!(found("main.rs", body), [(Rule::LspType, 2), (Rule::LspType, 3)]);
    assert_eq!(found("proto/convert.rs", body), []);
    assert_eq!(found("server/backend.rs", body), []);
}

#[test]
fn test_code_is_exempt_from_the_layer_lsp_and_file_system_rules() {
    let body = "fn f() {}\n\n#[cfg(test)]\n#[allow(unused)]\nmod tests {\n    use tower_lsp_server::ls_types::Position;\n    fn read() { std::fs::read(\"x\").unwrap(); }\n}\n";
    assert_eq!(found("analysis/x.rs", body), []);
    // A test may use any layer; the same import outside the test module may not.
    let upward =
        "#[cfg(test)]\nmod tests {\n    use crate::project::batch::Pass;\n}\nuse crate::project::batch::Pass;\n";
    assert_eq!(found("analysis/x.rs", upward), [(Rule::UpwardImport, 6)]);
    // A test-only file (`#[cfg(test)] mod tests;` in its parent) is exempt as a whole.
    let parent = format!("{HEADER}#[cfg(test)]\nmod tests;\n");
    let tests = format!("{HEADER}use tower_lsp_server::ls_types::Position;\nfn f() {{ std::fs::read(\"x\"); }}\n");
    let tree = vec![
        ("analysis/sources/mod.rs".to_string(), parent),
        ("analysis/sources/tests.rs".to_string(), tests.clone()),
        ("analysis/layout.rs".to_string(), tests),
    ];
    let violations = check_tree(&tree);
    let files: Vec<&str> = violations.iter().map(|v| v.file.as_str()).collect();
    assert_eq!(files, ["analysis/layout.rs", "analysis/layout.rs"]);
}

#[test]
fn file_system_access_below_project_is_reported() {
    let uses = [
        "use std::fs;",
        "use std::{fmt, fs::File};",
        "use std::{io::{self, Read}, fs};",
        "fn f() { let _ = std::fs::read_to_string(\"a\"); }",
        "fn f() { let _ = fs::read(\"a\"); }",
        "fn f() { let _ = File::open(\"a\"); }",
        "fn f(p: &Path) -> bool { p.exists() }",
        "fn f(p: &Path) -> bool { p.is_dir() }",
        "fn f(p: &Path) { let _ = p.metadata(); }",
        "fn f(p: &Path) { let _ = p.canonicalize(); }",
        "fn f(p: &Path) { let _ = std::fs::read_dir(p); }",
        "use ignore::WalkBuilder;",
        "use walkdir::WalkDir;",
    ];
    for layer in ["base", "kb", "analysis", "ide"] {
        for body in uses {
            assert_eq!(
                found(&format!("{layer}/x.rs"), body),
                [(Rule::FileSystem, 2)],
                "{layer}: {body}"
            );
        }
    }
    for layer in ["project", "server", "cli"] {
        for body in uses {
            assert_eq!(found(&format!("{layer}/x.rs"), body), [], "{layer}: {body}");
        }
    }
    // Look-alikes are not file-system access.
    let alike = "use std::{fmt, io};\nuse crate::base::{fs_safe, Fs};\n\
                 fn f(o: OpenFile, m: Meta) { OpenFile::new(); let _ = m.metadata; let _ = \"std::fs\"; set.exists; }\n";
    assert_eq!(found("ide/x.rs", alike), []);
}

#[test]
fn a_file_over_the_limit_is_reported_and_tests_comments_and_blanks_do_not_count() {
    let code = |n: usize| "let x = 1;\n".repeat(n);
    let at_limit = format!("fn f() {{\n{}}}\n", code(MAX_CODE_LINES - 2));
    assert_eq!(found("kb/x.rs", &at_limit), []);
    let over = format!("fn f() {{\n{}}}\n", code(MAX_CODE_LINES - 1));
    assert_eq!(found("kb/x.rs", &over), [(Rule::TooLong, 1)]);
    let padded = format!(
        "{at_limit}\n\n// a comment\n/// a doc comment\n/* a block\n comment */\n#[cfg(test)]\nmod tests {{\n{}}}\n",
        code(500)
    );
    assert_eq!(found("kb/x.rs", &padded), []);
    // The lines of a string are code: 398 + 4 lines, of which two inside the string.
    let string = format!(
        "fn f() {{\n{}}}\nconst S: &str = \"\na\nb\n\";\n",
        code(MAX_CODE_LINES - 4)
    );
    assert_eq!(found("kb/x.rs", &string), [(Rule::TooLong, 1)]);
    // A test-only file is not measured.
    let long = format!("{HEADER}{}", code(2 * MAX_CODE_LINES));
    assert_eq!(check_file("kb/tests.rs", &long, true), []);
    let message = &check_file("kb/x.rs", &long, false)[0].message;
    assert!(message.starts_with("800 lines of code, over 400"), "{message}");
}

#[test]
fn a_file_without_a_header_is_reported() {
    assert_eq!(check_file("kb/x.rs", "//! Owns x.\nfn f() {}\n", false), []);
    assert_eq!(check_file("kb/x.rs", "\n\n//! Owns x.\n", false), []);
    let missing = [
        "fn f() {}\n",
        "// A plain comment.\n",
        "#![allow(dead_code)]\n//! Late.\n",
        "",
    ];
    for text in missing {
        let rules: Vec<Rule> = check_file("kb/x.rs", text, false).iter().map(|v| v.rule).collect();
        assert_eq!(rules, [Rule::NoHeader], "{text:?}");
    }
}

#[test]
fn every_violation_is_reported_at_once_with_its_file_and_line() {
    let text = "use crate::cli::main;\nuse tower_lsp_server::ls_types::Uri;\nfn f() { std::fs::read(\"x\"); }\n";
    let tree = vec![("kb/x.rs".to_string(), text.to_string())];
    let shown: Vec<String> = check_tree(&tree).iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(shown[0].starts_with("src/kb/x.rs:1: kb imports cli"), "{shown:#?}");
    assert!(shown[1].starts_with("src/kb/x.rs:2: `tower_lsp_server`"), "{shown:#?}");
    assert!(
        shown[2].starts_with("src/kb/x.rs:3: file-system access (`fs`)"),
        "{shown:#?}"
    );
    assert!(shown[3].starts_with("src/kb/x.rs:1: no `//!` header"), "{shown:#?}");
}

#[test]
fn allowlists_cover_their_entries_and_fail_once_an_entry_is_stale() {
    let long = format!("{HEADER}{}", "let x = 1;\n".repeat(MAX_CODE_LINES + 1));
    let tree = vec![
        ("kb/long.rs".to_string(), long),
        ("kb/peer.rs".to_string(), format!("{HEADER}use crate::ide::X;\n")),
        ("kb/short.rs".to_string(), HEADER.to_string()),
    ];
    let rules = |v: Vec<super::Violation>| v.into_iter().map(|v| (v.rule, v.file)).collect::<Vec<_>>();
    // Allowlisted: nothing left.
    let known = [(Rule::UpwardImport, "kb/peer.rs")];
    assert_eq!(rules(allowlisted(check_tree(&tree), &["kb/long.rs"], &known)), []);
    // Not allowlisted: both reported.
    assert_eq!(
        rules(allowlisted(check_tree(&tree), &[], &[])),
        [
            (Rule::TooLong, "kb/long.rs".to_string()),
            (Rule::UpwardImport, "kb/peer.rs".to_string())
        ]
    );
    // An entry for a file now short enough, or gone, must be removed.
    let stale = allowlisted(check_tree(&tree), &["kb/long.rs", "kb/short.rs", "kb/gone.rs"], &known);
    assert_eq!(
        rules(stale),
        [
            (Rule::TooLong, "kb/short.rs".to_string()),
            (Rule::TooLong, "kb/gone.rs".to_string())
        ]
    );
}

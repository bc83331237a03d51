//! The writer's-toolbox side of the command line, run as a real process: prh dictionaries
//! configured in `seed-lsp.toml`, `check --format sarif|github`, and `seed-lsp entities`.
//!
//! The prh workspace copies `tests/fixtures/prh/*.yml` (a dictionary with imports and one
//! failing spec) next to a note written with the seeds' name variants.

use std::path::Path;

use expect_test::expect;
use serde_json::Value;

use crate::support::{percent_decode, seed_lsp};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A workspace with the fixture dictionaries, `seed-lsp.toml` naming `prh.yml`, and one note.
fn prh_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/prh")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != "problems.yml") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("seed-lsp.toml"), "[prh]\npaths = [\"prh.yml\"]\n").unwrap();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    std::fs::write(
        dir.path().join("notes/メモ.txt"),
        "首都キエフ近郊で戦闘。\nカザフスタンのトカエフ統領はロイタ通信に答えた。\n",
    )
    .unwrap();
    dir
}

#[test]
fn prh_dictionaries_from_the_config_check_notes_and_report_their_own_problems() {
    let dir = prh_workspace();
    let run = seed_lsp(dir.path(), &["check", "notes", "--show-fixes"]);
    expect![[r#"
        notes/メモ.txt:1:3: warning[prh]: "キエフ" should be "キーウ": 2022年3月31日から日本政府はウクライナ語に基づく呼称を使用 [prh.yml:17]
          fix: Replace with "キーウ"
        notes/メモ.txt:2:12: warning[prh]: "統領" should be "大統領" [prh.yml:34]
          fix: Replace with "大統領"
        notes/メモ.txt:2:15: warning[prh]: "ロイタ" should be "ロイター" [media.yml:4]
          fix: Replace with "ロイター"
        prh.yml:13:9: warning[prh]: ignoreRules: this entry names no rule of the import (by expected)
        prh.yml:69:9: error[prh]: spec failed: the rule does not turn this spec's from into its to
    "#]]
    .assert_eq(&without_kb_rules(&run.stdout));
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1, "a failing spec is an error");

    // The rule can be turned off; the dictionaries are then not even read.
    std::fs::write(
        dir.path().join("seed-lsp.toml"),
        "[prh]\npaths = [\"prh.yml\"]\n[rules]\nprh = \"off\"\n",
    )
    .unwrap();
    let off = seed_lsp(dir.path(), &["check", "notes"]);
    assert!(!off.stdout.contains("[prh]"), "{}", off.stdout);
}

/// Only the `[prh]` lines (the note also trips the built-in KB rules).
fn without_kb_rules(out: &str) -> String {
    let mut kept = String::new();
    let mut keep = false;
    for line in out.lines() {
        if !line.starts_with(' ') {
            keep = line.contains("[prh]");
        }
        if keep {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

#[test]
fn a_missing_dictionary_is_reported_and_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("seed-lsp.toml"), "[prh]\npaths = [\"dict/prh.yml\"]\n").unwrap();
    std::fs::write(dir.path().join("note.txt"), "本文。\n").unwrap();
    let run = seed_lsp(dir.path(), &["check"]);
    assert!(
        run.stdout
            .contains("dict/prh.yml: error: cannot read file: not found (deleted or renamed?)"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

/// The text a SARIF region covers (1-based lines, columns in code points, end exclusive).
fn region_text(text: &str, region: &Value) -> String {
    let line = |key: &str| region[key].as_u64().unwrap() as usize;
    let lines: Vec<&str> = text.split('\n').collect();
    let (start_line, end_line) = (line("startLine"), line("endLine"));
    let (start_col, end_col) = (line("startColumn"), line("endColumn"));
    assert!(start_line >= 1 && start_col >= 1 && end_line >= start_line, "{region}");
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate().take(end_line).skip(start_line - 1) {
        let chars: Vec<char> = l.chars().collect();
        let from = if i + 1 == start_line { start_col - 1 } else { 0 };
        let to = if i + 1 == end_line { end_col - 1 } else { chars.len() };
        assert!(from <= to && to <= chars.len(), "{region} outside line {}", i + 1);
        out.extend(&chars[from..to]);
        if i + 1 < end_line {
            out.push('\n');
        }
    }
    out
}

/// Every property the SARIF 2.1.0 schema requires of what we emit, and regions that point at
/// the right text.
fn assert_valid_sarif(log: &Value, dir: &Path) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "seed-lsp");
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        assert!(
            rule["id"].is_string() && rule["shortDescription"]["text"].is_string(),
            "{rule}"
        );
        assert!(["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.is_ascii() && !uri.contains(' '), "a URI reference: {uri}");
        let path = dir.join(percent_decode(uri));
        let text = std::fs::read_to_string(&path).unwrap();
        let covered = region_text(&text, &location["region"]);
        for fix in result["fixes"].as_array().into_iter().flatten() {
            assert!(fix["description"]["text"].is_string());
            for change in fix["artifactChanges"].as_array().unwrap() {
                assert_eq!(change["artifactLocation"]["uri"], uri);
                for replacement in change["replacements"].as_array().unwrap() {
                    let deleted = region_text(&text, &replacement["deletedRegion"]);
                    assert!(replacement["insertedContent"]["text"].is_string());
                    if result["ruleId"] == "prh" || result["ruleId"] == "deprecated-name" {
                        assert_eq!(deleted, covered, "{result}");
                        assert!(
                            result["message"]["text"].as_str().unwrap().contains(&covered),
                            "{result}"
                        );
                    }
                }
            }
        }
    }
    assert!(run["invocations"][0]["executionSuccessful"].is_boolean());
}

#[test]
fn sarif_for_the_seeds_and_a_prh_workspace() {
    let seeds = seed_lsp(root(), &["check", "seeds", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&seeds.stdout).unwrap();
    assert_valid_sarif(&log, root());
    let human = seed_lsp(root(), &["check", "seeds"]);
    let diagnostics = human.stdout.lines().filter(|l| l.starts_with("seeds/")).count();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), diagnostics);
    assert_eq!(seeds.code, human.code);

    let dir = prh_workspace();
    let run = seed_lsp(dir.path(), &["check", "notes", "--format", "sarif", "--locale", "ja"]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_valid_sarif(&log, dir.path());
    let results = log["runs"][0]["results"].as_array().unwrap();
    let spec = results
        .iter()
        .find(|r| r["level"] == "error")
        .expect("the failing spec");
    assert_eq!(
        spec["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "prh.yml"
    );
    assert_eq!(spec["locations"][0]["physicalLocation"]["region"]["startLine"], 69);
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes/%E3%83%A1%E3%83%A2.txt"));
}

#[test]
fn github_annotations_for_the_seeds() {
    let run = seed_lsp(root(), &["check", "seeds", "--format", "github"]);
    let human = seed_lsp(root(), &["check", "seeds"]);
    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    let diagnostics: Vec<&str> = human.stdout.lines().filter(|l| l.starts_with("seeds/")).collect();
    assert_eq!(annotations.len(), diagnostics.len());
    // Same positions as the human output (line:col in characters).
    for (annotation, line) in annotations.iter().zip(&diagnostics) {
        let mut parts = line.splitn(4, ':');
        let (file, l, c) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let expected = format!("file={file},line={l},");
        assert!(annotation.contains(&expected), "{annotation} vs {line}");
        if annotation.contains(",col=") {
            assert!(annotation.contains(&format!(",col={c},")), "{annotation} vs {line}");
        }
    }
    assert_eq!(
        run.stdout.lines().last(),
        human.stdout.lines().last(),
        "the summary ends both"
    );
}

#[test]
fn entities_table_json_and_csv_on_the_seeds() {
    let table = seed_lsp(root(), &["entities", "seeds"]);
    assert_eq!((table.code, table.stderr.as_str()), (0, ""));
    expect_test::expect_file!["../snapshots/entities_seeds.txt"].assert_eq(&table.stdout);

    let json = seed_lsp(root(), &["entities", "seeds", "--format", "json"]);
    let report: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["notes"], 5);
    let entities = report["entities"].as_array().unwrap();
    assert_eq!(
        entities.len() + 2,
        table.stdout.lines().count(),
        "header and count line"
    );
    let mentions: Vec<u64> = entities.iter().map(|e| e["mentions"].as_u64().unwrap()).collect();
    assert!(mentions.windows(2).all(|w| w[0] >= w[1]), "most mentioned first");
    for e in entities {
        assert!(e["files"].as_u64().unwrap() >= 1 && e["files"].as_u64().unwrap() <= 5);
        for key in ["first", "last"] {
            if let Some(date) = e[key]["date"].as_str() {
                assert!(date.len() == 10 || date.starts_with("--"), "{e}");
                let file = e[key]["file"].as_str().unwrap();
                let line = e[key]["line"].as_u64().unwrap() as usize;
                let text = std::fs::read_to_string(root().join(file)).unwrap();
                assert!(line >= 1 && line <= text.lines().count(), "{e}");
            }
        }
    }
    let tokayev = entities
        .iter()
        .find(|e| e["name"] == "トカエフ")
        .expect("トカエフ is in the seeds");
    assert_eq!(tokayev["kind"], "person");
    let ids: Vec<&str> = entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for pair in report["pairs"].as_array().unwrap() {
        assert!(ids.contains(&pair["a"].as_str().unwrap()) && ids.contains(&pair["b"].as_str().unwrap()));
        assert!(pair["paragraphs"].as_u64().unwrap() >= 1);
    }

    let csv = seed_lsp(root(), &["entities", "seeds", "--format", "csv"]);
    let lines: Vec<&str> = csv.stdout.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("id,name,en,kind,mentions,files,first_date"));
    assert_eq!(lines.len(), entities.len() + 1);
    for (line, e) in lines[1..].iter().zip(entities) {
        assert!(
            line.starts_with(&format!(
                "{},{},",
                e["id"].as_str().unwrap(),
                e["name"].as_str().unwrap()
            )),
            "{line}"
        );
    }
}

#[test]
fn the_co_occurrence_graph_is_a_well_formed_svg_of_the_top_entities() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.svg");
    let run = seed_lsp(
        root(),
        &[
            "entities",
            "seeds",
            "--format",
            "json",
            "--graph",
            out.to_str().unwrap(),
            "--top",
            "12",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let top: Vec<&str> = report["entities"].as_array().unwrap()[..12]
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let svg = std::fs::read_to_string(&out).unwrap();
    let document = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root_element = document.root_element();
    assert_eq!(root_element.tag_name().name(), "svg");
    assert_eq!(root_element.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let nodes: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("node ")))
        .collect();
    let labels: Vec<&str> = nodes
        .iter()
        .map(|n| {
            n.children()
                .find(|c| c.has_tag_name("text"))
                .and_then(|t| t.text())
                .unwrap()
        })
        .collect();
    assert_eq!(labels, top, "the twelve most mentioned, labelled in Japanese");
    for node in &nodes {
        let circle = node.children().find(|c| c.has_tag_name("circle")).unwrap();
        assert!(circle.attribute("r").unwrap().parse::<f64>().unwrap() > 0.0);
        assert!(circle.attribute("fill").unwrap().starts_with('#'));
    }
    let edges = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
        .count();
    assert!(edges > 0 && edges <= 3 * 12 + 12, "{edges} edges");

    let bad = seed_lsp(root(), &["entities", "seeds", "--graph", "graph.png"]);
    assert_eq!(bad.code, 2, "a graph file not named .svg is a usage error");
}

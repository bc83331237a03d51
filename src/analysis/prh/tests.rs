//! Loading the dictionaries of `tests/fixtures/prh/`: a writer's `prh.yml` with imports, and a
//! file full of what seed-lsp does not support or prh itself rejects.

use std::path::{Path, PathBuf};

use super::dictionary::parse_dictionary;
use super::{load_with, DictionaryFiles, LoadedPrh};
use crate::base::Locale;
use crate::base::{LineIndex, PositionEncoding};

/// The fixtures as they are on disk (the program's own reader is `project::prh`).
struct Fixtures;

impl DictionaryFiles for Fixtures {
    fn key(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

pub(crate) fn load(paths: &[PathBuf]) -> LoadedPrh {
    load_with(paths, &Fixtures)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prh")
        .join(name)
}

/// The merged rules, then every file's problems as `file:line:col: severity: message` under the
/// YAML line they point at.
fn render(loaded: &LoadedPrh) -> String {
    let root = fixture("");
    let short = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let mut out = String::from("rules:\n");
    for rule in loaded.rules.rules() {
        let file = Path::new(&*rule.origin.file);
        out.push_str(&format!(
            "  {} ← {} [{}:{}]\n",
            rule.expected,
            rule.display,
            short(file),
            rule.origin.line
        ));
    }
    for file in &loaded.files {
        let name = short(&file.path);
        let text = match &file.text {
            Ok(text) => text,
            Err(e) => {
                out.push_str(&format!("{name}: unreadable: {e}\n"));
                continue;
            }
        };
        let index = LineIndex::new(text);
        for d in &file.diagnostics {
            let lc = index.line_col(text, d.range.start, PositionEncoding::Utf32);
            let line = index.line_range(text, lc.line).map(|r| &text[r]).unwrap_or_default();
            out.push_str(&format!(
                "{name}:{}:{}: {}: {}\n    | {}\n    | ja: {}\n",
                lc.line + 1,
                lc.col + 1,
                d.severity.as_str(),
                d.message.get(Locale::En),
                line.trim_end(),
                d.message.get(Locale::Ja)
            ));
        }
    }
    out
}

#[test]
fn a_writers_dictionary_with_imports_and_a_failing_spec() {
    let loaded = load(&[fixture("prh.yml")]);
    expect_test::expect![[r#"
        rules:
          キーウ ← /キエフ/gmu [prh.yml:17]
          ハルキウ ← /(?:ハリコフ|ハルコフ)/gmu [prh.yml:24]
          トカエフ ← /トカレフ/gmu [prh.yml:30]
          $1大統領 ← /(トカエフ|プーチン|マクロン|バイデン)統領/gmu [prh.yml:34]
          人民共和国 ← /(人)?民共和国/gmu [prh.yml:41]
          NATO ← /\b[NnＮｎ][AaＡａ][TtＴｔ][OoＯｏ]\b/gmu [prh.yml:51]
          ゼレンスキー ← /ゼレンスキ/gmu [prh.yml:64]
          メドベージェフ ← /メドベージェ(?!フ)|メドヴェージェフ/gmu [prh.yml:73]
          ウェブサイト ← /(?:ウエブサイト|Webサイト)/gmu [common.yml:4]
          （$1） ← /\(([^)]+)\)/gmu [common.yml:11]
          ロイター ← /ロイタ(?!ー)/gmu [media.yml:4]
        prh.yml:13:9: warning: ignoreRules: this entry names no rule of the import (by expected)
            |       - expected: 共同通信
            | ja: ignoreRules: この指定に当たるルールはimportにありません（by expected）
        prh.yml:69:9: error: spec failed: the rule does not turn this spec's from into its to
            |       - from: ゼレンスキー大統領
            | ja: specが失敗しました: このルールではfromがtoになりません
    "#]]
    .assert_eq(&render(&loaded));
}

#[test]
fn unsupported_features_and_mistakes_are_reported_at_their_line() {
    let loaded = load(&[fixture("problems.yml")]);
    expect_test::expect![[r#"
        rules:
          ウクライナ ← /\/ウクライナ\/su/gmu [problems.yml:8]
          ロシア ← /ロシヤ/gmu [problems.yml:10]
          キルギス ← /キルギス/gmu [problems.yml:20]
          タジキスタン ← /(タジク)スタン/gmu [problems.yml:24]
          アゼルバイジャン ← /アゼルバイジャン/gmu [problems.yml:27]
        problems.yml:2:10: warning: prh dictionaries have version 1; read as version 1
            | version: 2
            | ja: prhの辞書のversionは1です。1として読みます
        problems.yml:3:1: warning: targets is not supported: rules apply to the whole note
            | targets:
            | ja: targetsには対応していません。ルールはメモ全体に適用されます
        problems.yml:9:14: warning: these flags are not prh's (g, i, m, y): prh reads the pattern as plain text, not a regex
            |     pattern: /ウクライナ/su
            | ja: このフラグはprhでは使えません（g, i, m, y のみ）。パターンは正規表現ではなく文字列として扱われます
        problems.yml:11:14: warning: flag y has no effect: prh always searches the whole text (flags g, m, u)
            |     pattern: /ロシヤ/y
            | ja: フラグyは無視されます（prhは常にg, m, uで全体を検索します）
        problems.yml:12:5: error: this rule has no expected: it is not loaded
            |   - pattern: ベラルーシ
            | ja: このルールにはexpectedがないため読み込みません
        problems.yml:14:14: error: a pattern cannot be empty: the rule is not loaded
            |     pattern: ""
            | ja: patternは空にできません。このルールは読み込みません
        problems.yml:16:14: error: the pattern cannot be used: an escape that is not a JavaScript regex escape; the rule is not loaded
            |     pattern: /グルジア\q/
            | ja: このパターンは使えません: an escape that is not a JavaScript regex escape。このルールは読み込みません
        problems.yml:19:22: error: regexpMustEmpty must name a group as $1, $2…: the rule is not loaded
            |     regexpMustEmpty: 1
            | ja: regexpMustEmptyは$1の形式で指定します。このルールは読み込みません
        problems.yml:21:5: warning: unknown key: it has no effect (known: expected, pattern, patterns, regexpMustEmpty, options, specs, prh)
            |     patern: キルギスタン
            | ja: 未知のキーは無視されます（使えるキー: expected, pattern, patterns, regexpMustEmpty, options, specs, prh）
        problems.yml:23:7: warning: unknown key: it has no effect (known: wordBoundary)
            |       wordBoundry: true
            | ja: 未知のキーは無視されます（使えるキー: wordBoundary）
        problems.yml:26:22: warning: regexpMustEmpty $2: the pattern has 1 group(s), so it never skips a match
            |     regexpMustEmpty: $2
            | ja: regexpMustEmpty $2: パターンのグループは1個なので、何も除外されません
        problems.yml:29:5: warning: both pattern and patterns are given: prh uses pattern, so patterns has no effect
            |     patterns:
            | ja: patternとpatternsの両方があります。prhはpatternを使うため、patternsは無視されます
        problems.yml:32:5: error: cannot import this file: not found
            |   - ./missing.yml
            | ja: このimportを読み込めません: not found
        problems.yml:33:5: warning: this file is already being imported (an import cycle); skipped
            |   - ./problems.yml
            | ja: 循環importのため読み込みません
    "#]].assert_eq(&render(&loaded));
}

#[test]
fn a_yaml_syntax_error_is_one_located_error() {
    let parsed = parse_dictionary("x.yml", "rules:\n  - expected: キーウ\n    pattern: [キエフ\n");
    assert!(parsed.rules.is_empty());
    let messages: Vec<&str> = parsed.problems.iter().map(|d| d.message.en.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("YAML syntax error"), "{messages:?}");
}

#[test]
fn rules_can_be_plain_strings_and_loads_compare_by_content() {
    let parsed = parse_dictionary("x.yml", "rules:\n  - Cookie\n  - expected: jQuery\n");
    let rules: Vec<(&str, &str)> = parsed
        .rules
        .iter()
        .map(|r| (r.expected.as_str(), r.display.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            ("Cookie", "/[CcＣｃ][OoＯｏ][OoＯｏ][KkＫｋ][IiＩｉ][EeＥｅ]/gmu"),
            ("jQuery", "/[JjＪｊ][QqＱｑ][UuＵｕ][EeＥｅ][RrＲｒ][YyＹｙ]/gmu")
        ]
    );
    assert!(parsed.problems.is_empty());
    assert_eq!(load(&[fixture("prh.yml")]).rules, load(&[fixture("prh.yml")]).rules);
    assert_ne!(load(&[fixture("prh.yml")]).rules, load(&[fixture("media.yml")]).rules);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Hostile dictionaries never panic the loader: every problem becomes a diagnostic whose
    /// range lies inside the file, on a character boundary.
    #[test]
    fn any_text_loads_without_panicking(text in "(rules:\n  - expected: |    pattern: |/|\\(|\\[|\\\\|\\$1|キエフ|ー|[a-z]|\n|  |: |- |'|\"|\\{|\\}|&a |\\*a){0,40}") {
        let parsed = parse_dictionary("x.yml", &text);
        for d in &parsed.problems {
            proptest::prop_assert!(d.range.end <= text.len() && d.range.start <= d.range.end);
            proptest::prop_assert!(text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
        }
        for rule in &parsed.rules {
            let _ = rule.hits("首都キエフ(キーウ)のサーバー $1 [x]\n");
        }
    }
}

#[test]
fn unsaved_text_can_stand_in_for_a_file() {
    let edited = fixture("media.yml");
    struct Edited(PathBuf);
    impl DictionaryFiles for Edited {
        fn key(&self, path: &Path) -> PathBuf {
            Fixtures.key(path)
        }
        fn read(&self, path: &Path) -> std::io::Result<String> {
            if path == self.0 {
                Ok("rules:\n  - expected: ロイター\n    pattern: ロイタ通信\n".to_string())
            } else {
                Fixtures.read(path)
            }
        }
    }
    let loaded = load_with(std::slice::from_ref(&edited), &Edited(edited.clone()));
    let rules: Vec<&str> = loaded.rules.rules().iter().map(|r| r.display.as_str()).collect();
    assert_eq!(rules, ["/ロイタ通信/gmu"]);
    assert_ne!(loaded.rules, load(&[edited]).rules, "the texts differ");
}

/// Dictionaries held in memory (`/d/<name>`).
struct Texts(std::collections::HashMap<PathBuf, String>);

impl Texts {
    fn new(files: impl IntoIterator<Item = (String, String)>) -> Self {
        Texts(
            files
                .into_iter()
                .map(|(name, text)| (Path::new("/d").join(name), text))
                .collect(),
        )
    }
}

impl DictionaryFiles for Texts {
    fn key(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.0.get(path).cloned().ok_or(std::io::ErrorKind::NotFound.into())
    }
}

#[test]
fn import_diamonds_are_walked_once_per_file() {
    // d0 imports l0 and r0, both import d1, … : 2³⁰ paths from d0 to d30, 91 files.
    const DEPTH: usize = 30;
    let mut files = Vec::new();
    for i in 0..DEPTH {
        let imports = format!("imports:\n  - l{i}.yml\n  - r{i}.yml\n");
        files.push((format!("d{i}.yml"), format!("{imports}rules:\n  - expected: d{i}\n")));
        for side in ["l", "r"] {
            let text = format!("imports: d{}.yml\nrules:\n  - expected: {side}{i}\n", i + 1);
            files.push((format!("{side}{i}.yml"), text));
        }
    }
    files.push((format!("d{DEPTH}.yml"), "rules:\n  - expected: last\n".to_string()));
    let loaded = load_with(&[PathBuf::from("/d/d0.yml")], &Texts::new(files));
    assert_eq!(loaded.files.len(), 3 * DEPTH + 1);
    assert_eq!(loaded.rules.rules().len(), 3 * DEPTH + 1);
    let expected: Vec<&str> = loaded
        .rules
        .rules()
        .iter()
        .take(4)
        .map(|r| r.expected.as_str())
        .collect();
    assert_eq!(
        expected,
        ["d0", "l0", "d1", "l1"],
        "prh's merge order: own rules, then each import's"
    );
    assert!(loaded.files.iter().all(|f| f.diagnostics.is_empty()));
}

#[test]
fn a_billion_laughs_dictionary_is_one_error_and_the_other_dictionaries_load() {
    let laughs = super::yaml::tests::billion_laughs();
    let files = Texts::new([
        ("laughs.yml".to_string(), laughs.clone()),
        (
            "good.yml".to_string(),
            "rules:\n  - expected: キーウ\n    pattern: キエフ\n".to_string(),
        ),
    ]);
    let loaded = load_with(&[PathBuf::from("/d/laughs.yml"), PathBuf::from("/d/good.yml")], &files);
    let rules: Vec<&str> = loaded.rules.rules().iter().map(|r| r.expected.as_str()).collect();
    assert_eq!(rules, ["キーウ"]);
    let problems = &loaded.files[0].diagnostics;
    assert_eq!(problems.len(), 1, "{problems:?}");
    let line = LineIndex::new(&laughs).line_col(&laughs, problems[0].range.start, PositionEncoding::Utf32);
    assert_eq!(line.line + 1, 6);
    assert!(
        problems[0].message.en.contains("aliases expand to more than"),
        "{problems:?}"
    );
}

#[test]
fn no_message_about_a_dictionary_quotes_its_content() {
    // Every value a message could quote carries the marker ZQX; none may come back.
    let text = "\
version: 2
ZQXkey: 1
imports:
  - ZQXmissing.yml
  - path: ZQXother.yml
    ZQXimportkey: 1
    ignoreRules: [ZQXrule, {expected: ZQXexpected}]
  - self.yml
rules:
  - expected: ZQXa
    pattern: /ZQX\\q/
  - expected: ZQXb
    pattern: /ZQX/su
    ZQXrulekey: 1
    options: {ZQXoption: true}
  - expected: ZQXc
    pattern: ZQXd
    specs:
      - from: ZQXd
        to: ZQXwrong
";
    let files = Texts::new([
        ("self.yml".to_string(), text.to_string()),
        ("ZQXother.yml".to_string(), "rules: [ZQXz]\n".to_string()),
    ]);
    let loaded = load_with(&[PathBuf::from("/d/self.yml")], &files);
    let messages: Vec<&str> = loaded.files[0]
        .diagnostics
        .iter()
        .flat_map(|d| [d.message.en.as_str(), d.message.ja.as_str()])
        .collect();
    assert!(messages.len() >= 18, "{messages:#?}");
    for m in messages {
        assert!(!m.contains("ZQX"), "quotes the file: {m}");
    }
}

/// [`Texts`], counting the reads of each file.
struct Counting<'t>(&'t Texts, std::cell::RefCell<std::collections::HashMap<PathBuf, usize>>);

impl DictionaryFiles for Counting<'_> {
    fn key(&self, path: &Path) -> PathBuf {
        self.0.key(path)
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        *self.1.borrow_mut().entry(path.to_path_buf()).or_default() += 1;
        self.0.read(path)
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any graph of imports among four dictionaries (cycles, diamonds, `disableImports`, files
    /// that are missing), each with nested aliases up to twelve levels deep, loads: each file
    /// is read once, aliases past the budget are one located error, every range lies in its
    /// file.
    #[test]
    fn dictionaries_with_aliases_and_imports_load_within_bounds(
        imports in proptest::collection::vec(proptest::collection::vec((0usize..5, proptest::bool::ANY), 0..4), 4),
        levels in proptest::collection::vec(0usize..12, 4),
    ) {
        let mut files = Vec::new();
        for (i, (imports, levels)) in imports.iter().zip(&levels).enumerate() {
            let mut text = String::from("imports:\n");
            for (target, disable) in imports {
                text.push_str(&format!("  - path: f{target}.yml\n    disableImports: {disable}\n"));
            }
            text.push_str("meta:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
            for level in 1..=*levels {
                let refs = vec![format!("*a{}", level - 1); 9].join(", ");
                text.push_str(&format!("  a{level}: &a{level} [{refs}]\n"));
            }
            text.push_str(&format!("rules:\n  - expected: r{i}\n"));
            files.push((format!("f{i}.yml"), text));
        }
        let texts = Texts::new(files.clone());
        let counting = Counting(&texts, Default::default());
        let loaded = load_with(&[PathBuf::from("/d/f0.yml")], &counting);
        proptest::prop_assert!(counting.1.borrow().values().all(|&n| n == 1), "{:?}", counting.1.borrow());
        for file in &loaded.files {
            let Ok(text) = &file.text else { continue };
            for d in &file.diagnostics {
                proptest::prop_assert!(d.range.start <= d.range.end && d.range.end <= text.len());
            }
            let index: usize = file.path.to_string_lossy()[4..5].parse().unwrap();
            let over_budget = file.diagnostics.iter().any(|d| d.message.en.contains("aliases expand"));
            // Up to level 4 aliases copy 74,718 nodes in all; level 5 would copy 597,870 more.
            proptest::prop_assert_eq!(over_budget, levels[index] >= 5, "{}", file.path.display());
        }
    }
}

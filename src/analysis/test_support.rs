//! Test helpers shared by the unit tests of every module: a small knowledge base written
//! like a user's `entities.toml`, and a renderer that shows ranges inline in the text, so
//! expectations read like the note itself.

use std::sync::Arc;

use crate::base::TextRange;
use crate::kb::{parse_kb_file, Kb};

/// A small KB with the shapes the rules care about (people with dated roles, places with
/// katakana and kanji names, Latin acronyms, a deprecated spelling).
pub const TEST_KB: &str = r#"
not_entities = ["AMP"]

[[title]]
name = "大統領"
[[title]]
name = "外相"
forms = ["外務大臣"]
[[title]]
name = "国務長官"
short = ["長官"]
[[title]]
name = "報道官"

[[entity]]
id = "kazakhstan"
name = "カザフスタン"
aliases = ["カザフ"]
kind = "place"
[[entity]]
id = "russia"
name = "ロシア"
kind = "place"
[[entity]]
id = "armenia"
name = "アルメニア"
kind = "place"
[[entity]]
id = "belarus"
name = "ベラルーシ"
kind = "place"
[[entity]]
id = "kyrgyzstan"
name = "キルギス"
aliases = ["キルギスタン"]
kind = "place"
[[entity]]
id = "tajikistan"
name = "タジキスタン"
kind = "place"
[[entity]]
id = "iran"
name = "イラン"
kind = "place"
[[entity]]
id = "central-asia"
name = "中央アジア"
kind = "place"
reading = "ちゅうおうあじあ"
[[entity]]
id = "kyiv"
name = "キーウ"
kind = "place"
deprecated = [{ name = "キエフ", reason = "日本政府がウクライナ語に基づく呼称に変更", since = "2022-03-31" }]
[[entity]]
id = "csto"
name = "集団安全保障条約機構"
aliases = ["CSTO"]
kind = "organization"
[[entity]]
id = "nato"
name = "北大西洋条約機構"
aliases = ["NATO"]
kind = "organization"
[[entity]]
id = "tokayev"
name = "トカエフ"
aliases = ["カシムジョマルト・トカエフ"]
kind = "person"
en = "Kassym-Jomart Tokayev"
roles = [{ title = "大統領", of = "kazakhstan", from = "2019-03-20" }]
[[entity]]
id = "lavrov"
name = "ラブロフ"
kind = "person"
roles = [{ title = "外相", of = "russia", from = "2004-03-09" }]
[[entity]]
id = "blinken"
name = "ブリンケン"
kind = "person"
roles = [{ title = "国務長官", from = "2021-01-26", to = "2025-01-20" }]
[[entity]]
id = "zelensky"
name = "ゼレンスキー"
aliases = ["ウォロディミル・ゼレンスキー"]
kind = "person"
roles = [{ title = "大統領", from = "2019-05-20" }]
[[entity]]
id = "solovyov"
name = "ソロビヨフ"
kind = "person"
[[entity]]
id = "afp"
name = "AFP"
aliases = ["AFP通信"]
kind = "media"
"#;

pub fn test_kb() -> Arc<Kb> {
    static KB: std::sync::OnceLock<Arc<Kb>> = std::sync::OnceLock::new();
    KB.get_or_init(|| {
        let file = parse_kb_file("test/entities.toml", TEST_KB).expect("test KB parses");
        let (kb, errors) = Kb::build(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
        Arc::new(kb)
    })
    .clone()
}

/// Show labelled ranges inline: `…の[トカエフ](tokayev)大統領…`. Ranges must not overlap.
pub fn render_ranges<'a>(text: &str, ranges: impl IntoIterator<Item = (TextRange, &'a str)>) -> String {
    let mut ranges: Vec<_> = ranges.into_iter().collect();
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::new();
    let mut at = 0;
    for (range, label) in ranges {
        assert!(range.start >= at, "overlapping ranges in render_ranges");
        out.push_str(&text[at..range.start]);
        out.push('[');
        out.push_str(range.slice(text));
        out.push_str("](");
        out.push_str(label);
        out.push(')');
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Analyse `text` against `kb` with the default settings, no prh dictionaries and a
/// workspace that mentions nothing else.
pub fn analyze_alone(text: &str, kb: &Kb) -> crate::analysis::Analysis {
    crate::analysis::analyze(
        text,
        crate::analysis::Context {
            kb,
            config: &crate::analysis::settings::Config::default(),
            prh: &crate::analysis::prh::PrhRules::default(),
            facts: &crate::analysis::facts::WorkspaceFacts::default(),
            file: None,
        },
    )
}

/// The bundled notes (`seeds/*.txt`), compiled into the tests, each with its number.
pub const SEEDS: [(&str, &str); 5] = [
    (
        "000",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_957a7e0d4be8d52d.txt")),
    ),
    (
        "001",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/001_3be886bf1c1252f4.txt")),
    ),
    (
        "002",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_b7666d67213713ef.txt")),
    ),
    (
        "003",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/003_4a0328322339f521.txt")),
    ),
    (
        "004",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/004_9146039485083f33.txt")),
    ),
];

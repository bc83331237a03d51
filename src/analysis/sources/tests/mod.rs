//! Source parsing and coverage, shown inline: each source is marked `[…](s0)` in the note,
//! listed with what was read from it, then every paragraph is listed with the source covering it.
//!
//! This file holds the fixture (a KB of outlets, the rendering); the tests are in [`forms`] (what
//! is a source and what is read from it), [`coverage`] (which paragraphs each source covers)
//! and [`seeds`] (the bundled notes).

mod coverage;
mod forms;
mod seeds;

use std::sync::{Arc, OnceLock};

use expect_test::Expect;

use super::*;
use crate::analysis::recognize::recognize;
use crate::analysis::test_support::render_ranges;
use crate::kb::{parse_kb_file, Kb};

/// Outlets written the way the seeds write them, plus a few places and an organisation whose
/// site is linked (a URL to it names no outlet).
const SOURCES_KB: &str = r#"
[[entity]]
id = "afp"
name = "AFP"
aliases = ["AFP通信"]
kind = "media"
links = ["https://www.afp.com", "https://en.wikipedia.org/wiki/Agence_France-Presse"]
[[entity]]
id = "tv-asahi"
name = "テレ朝news"
kind = "media"
[[entity]]
id = "sankei"
name = "産経"
aliases = ["産経新聞"]
kind = "media"
[[entity]]
id = "newsweek"
name = "Newsweek"
aliases = ["ニューズウィーク"]
kind = "media"
[[entity]]
id = "reuters"
name = "ロイター"
aliases = ["Reuters", "ロイター通信"]
kind = "media"
links = ["https://www.reuters.com", "https://en.wikipedia.org/wiki/Reuters"]
[[entity]]
id = "gendai"
name = "現代ビジネス"
kind = "media"
[[entity]]
id = "nikkei"
name = "日経"
aliases = ["日本経済新聞"]
kind = "media"
links = ["https://www.nikkei.com"]
[[entity]]
id = "jiji"
name = "時事"
aliases = ["時事通信", "時事ドットコム"]
kind = "media"
[[entity]]
id = "nhk"
name = "NHK"
kind = "media"
links = ["https://www3.nhk.or.jp/news/"]
[[entity]]
id = "tass"
name = "タス通信"
aliases = ["TASS"]
kind = "media"
[[entity]]
id = "kyodo"
name = "共同"
aliases = ["共同通信"]
kind = "media"
[[entity]]
id = "kremlin"
name = "ロシア大統領府"
kind = "organization"
links = ["http://kremlin.ru"]
[[entity]]
id = "kazakhstan"
name = "カザフスタン"
aliases = ["カザフ"]
kind = "place"
links = ["https://en.wikipedia.org/wiki/Kazakhstan"]
[[entity]]
id = "moscow"
name = "モスクワ"
kind = "place"
[[entity]]
id = "tokayev"
name = "トカエフ"
kind = "person"
"#;

fn kb() -> Arc<Kb> {
    static KB: OnceLock<Arc<Kb>> = OnceLock::new();
    KB.get_or_init(|| {
        let file = parse_kb_file("test/sources.toml", SOURCES_KB).expect("test KB parses");
        let (kb, errors) = Kb::build(vec![file]);
        assert!(errors.is_empty(), "{errors:?}");
        Arc::new(kb)
    })
    .clone()
}

fn analyse(text: &str, kb: &Kb) -> (Layout, Sources) {
    let layout = Layout::parse(text);
    let recognition = recognize(text, kb);
    let sources = find_sources(text, &layout, &recognition.mentions, kb);
    assert_eq!(sources.paragraph_source.len(), layout.paragraphs.len());
    assert_eq!(sources.block_source.len(), layout.blocks.len());
    assert!(
        sources.sources.windows(2).all(|w| w[0].range.end <= w[1].range.start),
        "sorted, disjoint"
    );
    // The memo finds the same whatever it remembers: here every line of the text, read
    // for a version with one more line above it.
    let mut memo = SourceMemo::default();
    let primed = format!("前置き。\n{text}");
    let primed_mentions = recognize(&primed, kb).mentions;
    find_sources_with_memo(&primed, &Layout::parse(&primed), &primed_mentions, kb, &mut memo);
    let remembered = find_sources_with_memo(text, &layout, &recognition.mentions, kb, &mut memo);
    assert_eq!(remembered, sources, "with the memo");
    (layout, sources)
}

/// The note with its sources marked, each source's fields, then each paragraph's covering source.
fn render(text: &str, kb: &Kb) -> String {
    let (layout, sources) = analyse(text, kb);
    let labels: Vec<String> = (0..sources.sources.len()).map(|i| format!("s{i}")).collect();
    let marked = render_ranges(
        text,
        sources
            .sources
            .iter()
            .map(|s| s.range)
            .zip(labels.iter().map(String::as_str)),
    );
    // Invisible characters made visible: CR and the NBSP of blog editors' empty paragraphs.
    let mut out = marked.replace('\r', "␍").replace('\u{a0}', "␣");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("---\n");
    for (i, s) in sources.sources.iter().enumerate() {
        let mut fields = vec![format!("s{i} {:?}", s.kind)];
        if sources.header == Some(i) {
            fields.push("(header)".into());
        }
        if sources.trailer == Some(i) {
            fields.push("(trailer)".into());
        }
        if let Some(d) = s.date {
            fields.push(format!("date={d}"));
        }
        match (s.outlet, s.outlet_range) {
            (Some(id), Some(r)) => fields.push(format!("outlet={}@{:?}", kb.entity(id).id, r.slice(text))),
            (Some(id), None) => fields.push(format!("outlet={}", kb.entity(id).id)),
            (None, Some(r)) => fields.push(format!("outlet=?@{:?}", r.slice(text))),
            (None, None) => {}
        }
        if let Some(a) = &s.author {
            fields.push(format!("author={a:?}"));
        }
        if let Some(t) = &s.title {
            fields.push(format!("title={t:?}"));
        }
        if let Some(u) = &s.url {
            fields.push(format!("url={u}"));
        }
        out.push_str(&fields.join(" "));
        out.push('\n');
    }
    out.push_str("---\n");
    for (p, paragraph) in layout.paragraphs.iter().enumerate() {
        let excerpt: String = paragraph.range.slice(text).chars().take(14).collect();
        let label = sources.paragraph_source[p].map_or("-".to_string(), |i| format!("s{i}"));
        out.push_str(&format!("{label:>3} {excerpt}\n"));
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &kb()));
}

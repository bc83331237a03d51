//! The bundled seeds: every source found with the built-in KB, and seed 002's clipping blocks.

use expect_test::expect;

use super::*;

/// The five seeds against the built-in KB: every source, in a line each.
#[test]
fn sources_of_the_seeds_with_the_builtin_kb() {
    let kb = Kb::builtin();
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
        .expect("seeds folder")
        .map(|e| e.expect("seed entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = String::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("seed is UTF-8");
        let (layout, sources) = analyse(&text, &kb);
        out.push_str(&format!("{}\n", path.file_name().unwrap().to_string_lossy()));
        for (i, s) in sources.sources.iter().enumerate() {
            let role = match (sources.header == Some(i), sources.trailer == Some(i)) {
                (true, _) => " (header)",
                (_, true) => " (trailer)",
                _ => "",
            };
            let outlet = s.outlet.map_or("-", |o| kb.entity(o).id.as_str());
            let summary: String = s.summary(&text, &kb).chars().take(40).collect();
            out.push_str(&format!("  {:?}{role} [{outlet}] {summary}\n", s.kind));
        }
        let covered = sources.paragraph_source.iter().filter(|s| s.is_some()).count();
        out.push_str(&format!("  covered {covered}/{} paragraphs\n", layout.paragraphs.len()));
    }
    expect![[r#"
        000_957a7e0d4be8d52d.txt
          Url (header) [-] https://d1021.hatenadiary.com
          Url [-] http://d1021.hatenablog.com
          Url [-] d1021.hatenadiary.jp
          covered 54/54 paragraphs
        001_3be886bf1c1252f4.txt
          Credit [kremlin-ru] 出典:Kremlin.ru/CC BY 4.0
          Credit [-] 出典:Официальный информационный ресурс Пре
          Credit [-] 出典:Президента Республики Казахстан
          Credit [kremlin-ru] 出典:Kremlin.ru/CC BY 4.0
          Credit [-] ※アイキャッチ画像の出典:Президента Республики Казах
          SourceLink (trailer) [-] Source link
          covered 24/24 paragraphs
        002_b7666d67213713ef.txt
          Bracket (header) [nikkei] 2023年11月9日 日本経済新聞
          Bracket [afp] 2023年10月21日 AFP
          Bracket [tv-asahi] 2023年11月2日 テレビ朝日
          Bracket [tv-asahi] 2023年11月2日 テレビ朝日
          Parenthesized [foresight] 4月2日 田中佑真氏 新潮社フォーサイト “「中央アジアのロシア離れ」は本当か?
          Bracket [sankei] 2023年11月10日 産経新聞
          Bracket [newsweek] 4月9日 ニューズウィーク
          Bracket [reuters] 4月8日 ロイター
          Bracket [mag2news] 4月6日 島田久仁彦氏 MAG2NEWS
          Bracket [gendai-business] 3月20日 現代ビジネス “実は「ウクライナの次」は起きそうもない、あまりに分が
          covered 102/102 paragraphs
        003_4a0328322339f521.txt
          Headline [tass] タス通信 “At least six waves of terrorists’ 
          Headline [jiji] 時事通信 “カザフ大統領、中ロに謝意 デモ鎮圧、権威主義陣営へ”
          Headline [reuters] ロイター “カザフ大統領、治安機関高官をさらに解任 当局「状況安定化」”
          Headline [nhk] NHK “核保有5か国「核戦争に勝者なし」声明 核戦争回避と軍縮を強調”
          covered 11/42 paragraphs
        004_9146039485083f33.txt
          Url (header) [-] https://d1021.hatenadiary.com
          Url [-] http://d1021.hatenablog.com
          Url [-] d1021.hatenadiary.jp
          Url [-] d1021.hatenadiary.jp
          covered 56/56 paragraphs
    "#]]
    .assert_eq(&out);
}

/// Seed 002's clipping blocks, each closed by its outlet's bracket.
#[test]
fn seed_002_blocks_map_to_their_outlets() {
    let kb = Kb::builtin();
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_b7666d67213713ef.txt"));
    let (layout, sources) = analyse(text, &kb);
    let outlets: Vec<&str> = (0..layout.blocks.len())
        .map(|b| {
            sources
                .of_block(b)
                .and_then(|s| s.outlet)
                .map_or("-", |o| kb.entity(o).id.as_str())
        })
        .collect();
    assert_eq!(
        outlets,
        [
            "afp",
            "tv-asahi",
            "sankei",
            "newsweek",
            "reuters",
            "mag2news",
            "gendai-business"
        ]
    );
    // Every paragraph of a block is covered by a source of that block (the block pasting the
    // same テレ朝news article twice has two, one per copy).
    for (p, paragraph) in layout.paragraphs.iter().enumerate() {
        if let Some(block) = layout.blocks.iter().find(|b| b.range.contains_range(paragraph.range)) {
            let source = sources.paragraph_source[p].map(|s| sources.sources[s].range);
            assert!(source.is_some_and(|r| block.body.contains_range(r)), "paragraph {p}");
        }
    }
    let header = sources.header.map(|h| &sources.sources[h]);
    assert_eq!(
        header.and_then(|h| h.outlet).map(|o| kb.entity(o).id.as_str()),
        Some("nikkei")
    );
}

//! Hover:
//! - on an entity mention, the entity card ([`entity`]: warning, name, role at the note's
//!   date, counts, nearby roles, description);
//! - on a source line, its attribution (outlet, date, kind, title, URL);
//! - anywhere else in a paragraph, the source that paragraph comes from and its date, and
//!   when no source gives that paragraph a date, the note's own date and where it came from
//!   ([`crate::analysis::note_date`]);
//! - on an `[[entity]]` entry of a KB file, the same entity card.
//!
//! Cards are markdown that reads cleanly in VS Code and in Neovim's hover window, or plain
//! text for clients that do not ask for markdown ([`card`]).

mod card;
mod entity;

use card::Card;

use super::definition::paragraph_source;
use super::{FileId, LineCol, Markup, OpenFile, Span, World};
use crate::analysis::sources::{Source, SourceKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverCard {
    pub span: Span,
    pub text: String,
}

/// Hover at `position` of an open seed note.
pub fn hover(world: &World, file: &OpenFile, position: LineCol, markup: Markup) -> Option<HoverCard> {
    let offset = file.offset(position, world.encoding);
    let mut card = Card::new(markup, world.config.locale);
    let range = if let Some(mention) = file.mention_at(offset) {
        entity::entity_card(&mut card, world, mention.entity, Some((file, mention)));
        mention.range
    } else if let Some(source) = file.analysis.sources.at(offset) {
        source_card(&mut card, world, file, source);
        source.range
    } else if let Some((source, covered)) = paragraph_source(file, offset) {
        paragraph_card(&mut card, world, file, source);
        if source.date.is_none() {
            note_date_line(&mut card, file);
        }
        covered
    } else {
        let paragraph = file.analysis.layout.paragraph_at(offset)?;
        file.analysis.dating.date?;
        note_date_line(&mut card, file);
        paragraph.range
    };
    Some(HoverCard {
        span: file.span(range, world.encoding),
        text: card.finish(),
    })
}

/// Hover on an `[[entity]]` entry of a KB file.
pub fn hover_kb(world: &World, file: &FileId, position: LineCol, markup: Markup) -> Option<HoverCard> {
    let text = world.kb.kb_text(file)?;
    let offset = text.line_index.offset(&text.text, position, world.encoding);
    let entity = world.kb.entity_at(file, offset)?;
    let mut card = Card::new(markup, world.config.locale);
    entity::entity_card(&mut card, world, entity, None);
    let line = world.kb.kb.entity(entity).origin.line;
    let end = text.line_index.line_range(&text.text, line).map_or(offset, |r| r.end);
    let start = text.line_index.line_start(line).unwrap_or(offset);
    Some(HoverCard {
        span: text.span(start, end, world.encoding),
        text: card.finish(),
    })
}

/// `Source: テレ朝news · 2023年11月2日`, then the kind of attribution, the writer, the
/// title and the URL it gives.
fn source_card(card: &mut Card, world: &World, file: &OpenFile, source: &Source) {
    let ja = card.ja();
    card.line(&card.field(
        if ja { "出典" } else { "Source" },
        &outlet_and_date(card, world, file, source),
    ));
    let kind = match source.kind {
        SourceKind::Bracket => ("bracketed attribution 【date outlet】", "【日付 媒体】の出典"),
        SourceKind::Parenthesized => ("dated credit in parentheses", "括弧書きの出典"),
        SourceKind::Credit => ("credit line (出典:)", "出典行"),
        SourceKind::Headline => ("headline with its outlet", "媒体名つきの見出し"),
        SourceKind::Url => ("URL", "URL"),
        SourceKind::SourceLink => ("Source link", "Source link"),
    };
    card.line(&card.emphasis(if ja { kind.1 } else { kind.0 }));
    if let Some(author) = &source.author {
        card.line(&card.field(if ja { "筆者" } else { "By" }, &card.escape(author)));
    }
    if let Some(title) = &source.title {
        card.line(&card.field(if ja { "見出し" } else { "Title" }, &card.escape(title)));
    }
    if let Some(url) = &source.url {
        card.line(&card.field("URL", &card.escape(url)));
    }
}

/// `Source of this paragraph: テレ朝news · 2023年11月2日`, then the source line as written
/// and where it is.
fn paragraph_card(card: &mut Card, world: &World, file: &OpenFile, source: &Source) {
    let ja = card.ja();
    let name = if ja {
        "この段落の出典"
    } else {
        "Source of this paragraph"
    };
    card.line(&card.field(name, &outlet_and_date(card, world, file, source)));
    let line = file.line_col(source.range.start, world.encoding).line + 1;
    let written: String = source
        .range
        .slice(&file.text)
        .trim()
        .chars()
        .take(SOURCE_LINE_CHARS)
        .collect();
    let at = if ja {
        format!("{line}行目")
    } else {
        format!("line {line}")
    };
    card.line(&format!("{at}: {}", card.escape(&written)));
}

/// `Date of this note: 2022-01-04 · by its photo ids`, when the note has one.
fn note_date_line(card: &mut Card, file: &OpenFile) {
    let Some(date) = file.analysis.dating.date else {
        return;
    };
    let by = date.origin.phrase();
    let line = if card.ja() {
        card.field("このノートの日付", &format!("{} · {}", date.period.ja(), by.ja))
    } else {
        card.field("Date of this note", &format!("{} · {}", date.period, by.en))
    };
    card.line(&line);
}

/// How much of a source line a paragraph's card quotes (in characters).
const SOURCE_LINE_CHARS: usize = 60;

/// `テレ朝news · 2023年11月2日`, with "unknown" for what the source does not say.
fn outlet_and_date(card: &Card, world: &World, file: &OpenFile, source: &Source) -> String {
    let ja = card.ja();
    let outlet = match (source.outlet, source.outlet_name(&file.text, &world.kb.kb)) {
        (Some(_), Some(name)) => card.escape(name),
        (None, Some(name)) => {
            let name = card.escape(name);
            if ja {
                format!("{name}（KB にない媒体）")
            } else {
                format!("{name} (not in the KB)")
            }
        }
        (_, None) => (if ja { "媒体不明" } else { "unknown outlet" }).to_string(),
    };
    let date = source.date.map_or_else(
        || (if ja { "日付なし" } else { "no date" }).to_string(),
        |d| d.to_string(),
    );
    format!("{outlet} · {date}")
}

/// A KB file path relative to the first workspace folder that contains it.
fn display_path(world: &World, file: &str) -> String {
    let path = std::path::Path::new(file);
    world
        .roots
        .iter()
        .find_map(|root| path.strip_prefix(root).ok())
        .map_or_else(|| file.to_string(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::settings::Config;
    use crate::base::Locale;
    use crate::ide::fixture::{self, Fixture};
    use crate::ide::PositionEncoding;

    /// The card's KB: a person with a long career, the places and outlets the notes name.
    const KB: &str = r#"
[[title]]
name = "大統領"
[[title]]
name = "外相"
[[title]]
name = "首相"
[[title]]
name = "上院議長"

[[entity]]
id = "kazakhstan"
name = "カザフスタン"
kind = "place"
en = "Kazakhstan"
reading = "かざふすたん"
[[entity]]
id = "central-asia"
name = "中央アジア"
kind = "place"
reading = "ちゅうおうあじあ"
[[entity]]
id = "kyiv"
name = "キーウ"
kind = "place"
deprecated = [{ name = "キエフ", reason = "日本政府がウクライナ語の発音に基づく表記に変更", since = "2022-03-31" }]
[[entity]]
id = "tokayev"
name = "トカエフ"
kind = "person"
en = "Kassym-Jomart Tokayev"
reading = "とかえふ"
aliases = ["カシムジョマルト・トカエフ"]
description = "カザフスタンの第2代大統領（2019年〜）。外相、首相、上院議長、国連ジュネーブ事務局長を歴任した。"
[[entity.roles]]
title = "外相"
of = "kazakhstan"
from = "1994"
to = "1999"
[[entity.roles]]
title = "首相"
of = "kazakhstan"
from = "1999-10-01"
to = "2002-01-28"
[[entity.roles]]
title = "外相"
of = "kazakhstan"
from = "2002"
to = "2007"
[[entity.roles]]
title = "上院議長"
of = "kazakhstan"
from = "2007"
to = "2011"
[[entity.roles]]
title = "上院議長"
of = "kazakhstan"
from = "2013"
to = "2019-03-19"
[[entity.roles]]
title = "大統領"
of = "kazakhstan"
from = "2019-03-20"
[[entity]]
id = "tv-asahi"
name = "テレビ朝日"
kind = "media"
aliases = ["テレ朝news"]
"#;

    /// The hover at `$0` in `note` (open as /ws/a.txt; /ws/b.txt on disk mentions トカエフ
    /// once more): the range it covers in brackets, then the card.
    fn hover_in(note: &str, markup: Markup, locale: Locale) -> String {
        let config = Config {
            locale,
            ..Config::default()
        };
        let fixture = Fixture::parse(&format!(
            "//- /ws/a.txt\n{note}\n//- /ws/b.txt closed\nトカエフ氏とカザフスタン\n"
        ));
        let world = fixture.world_with_kb(KB, config);
        let file = fixture.note(&world);
        match hover(&world, file, fixture.cursor().1, markup) {
            Some(card) => format!(
                "[{}]\n{}",
                fixture::slice(&file.text, card.span, PositionEncoding::Utf16),
                card.text
            ),
            None => "no hover".to_string(),
        }
    }

    fn hover_at(note: &str, markup: Markup) -> String {
        hover_in(note, markup, Locale::En)
    }

    const DATED: &str =
        "カザフスタンのトカ$0エフ大統領は、ロシアと距離を置き始めています。【2023年11月2日 テレ朝news】";

    #[test]
    fn entity_card_in_markdown() {
        expect_test::expect![[r#"
            [トカエフ]
            **トカエフ** · Kassym-Jomart Tokayev · *person (人物)*  
            On 2023年11月2日: 大統領（カザフスタン） 2019年3月20日〜  
            **Mentions:** 1 in this note · 2 in 2 files · **Defined in:** `entities.toml:27`

            - 上院議長（カザフスタン） 2013年〜2019年3月19日
            - 上院議長（カザフスタン） 2007年〜2011年
            - 外相（カザフスタン） 2002年〜2007年
            - +2 earlier roles

            カザフスタンの第2代大統領（2019年〜）。外相、首相、上院議長、国連ジュネーブ事務局長を歴任した。"#]]
        .assert_eq(&hover_at(DATED, Markup::Markdown));
    }

    #[test]
    fn entity_card_in_plain_text_and_japanese() {
        expect_test::expect![[r#"
            [トカエフ]
            トカエフ · Kassym-Jomart Tokayev · person (人物)
            2023年11月2日時点: 大統領（カザフスタン） 2019年3月20日〜
            言及: このノートで1回 · 2ファイルで2回 · 定義: entities.toml:27

            - 上院議長（カザフスタン） 2013年〜2019年3月19日
            - 上院議長（カザフスタン） 2007年〜2011年
            - 外相（カザフスタン） 2002年〜2007年
            - ほかに以前の役職2件

            カザフスタンの第2代大統領（2019年〜）。外相、首相、上院議長、国連ジュネーブ事務局長を歴任した。"#]]
        .assert_eq(&hover_in(DATED, Markup::PlainText, Locale::Ja));
    }

    #[test]
    fn an_older_note_shows_the_role_held_then_and_the_roles_around_it() {
        let note = "トカ$0エフ外相が訪日した。【2005年5月1日 テレ朝news】";
        let card = hover_at(note, Markup::PlainText);
        expect_test::expect![[r#"
            On 2005年5月1日: 外相（カザフスタン） 2002年〜2007年
            - 上院議長（カザフスタン） 2007年〜2011年
            - 首相（カザフスタン） 1999年10月1日〜2002年1月28日
            - 外相（カザフスタン） 1994年〜1999年
            - +2 later roles"#]]
        .assert_eq(
            &card
                .lines()
                .filter(|l| l.starts_with("On ") || l.starts_with("- "))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }

    #[test]
    fn without_a_dated_source_the_latest_role_comes_first() {
        let card = hover_at("トカ$0エフ大統領", Markup::PlainText);
        assert!(
            card.contains("\nLatest role: 大統領（カザフスタン） 2019年3月20日〜\n"),
            "{card}"
        );
    }

    #[test]
    fn a_deprecated_spelling_warns_first() {
        expect_test::expect![[r#"
            [キエフ]
            ⚠ 「キエフ」 is a deprecated spelling since 2022年3月31日: use 「キーウ」 (日本政府がウクライナ語の発音に基づく表記に変更)

            ---

            **キーウ** · *place (地名)*  
            **Mentions:** 1 in this note · 1 in 1 file · **Defined in:** `entities.toml:22`"#]]
        .assert_eq(&hover_at("首都キエフ$0で", Markup::Markdown));
    }

    #[test]
    fn a_kanji_name_shows_its_reading() {
        let card = hover_at("中央$0アジア", Markup::Markdown);
        assert!(
            card.contains("**中央アジア**（ちゅうおうあじあ） · *place (地名)*"),
            "{card}"
        );
        let card = hover_at("カザ$0フスタン", Markup::Markdown);
        assert!(card.contains("**カザフスタン** · Kazakhstan"), "{card}");
    }

    #[test]
    fn a_source_line_shows_its_attribution() {
        expect_test::expect![[r#"
            [【2023年11月2日 テレ朝news】]
            **Source:** テレビ朝日 · 2023年11月2日  
            *bracketed attribution 【date outlet】*"#]]
        .assert_eq(&hover_at(
            "ロシアと距離を置き始めています。【2023年$011月2日 テレ朝news】",
            Markup::Markdown,
        ));
    }

    #[test]
    fn plain_text_in_a_paragraph_shows_the_paragraph_source() {
        let note = "ロシアと距離を$0置き始めています。\nもう一行。【2023年11月2日 テレ朝news】\n\nただの文章";
        expect_test::expect![[r#"
            [ロシアと距離を置き始めています。]
            **Source of this paragraph:** テレビ朝日 · 2023年11月2日  
            line 2: 【2023年11月2日 テレ朝news】"#]]
        .assert_eq(&hover_at(note, Markup::Markdown));
    }

    #[test]
    fn an_undated_paragraph_shows_the_notes_date_and_where_it_came_from() {
        let note = "ロシアと距離を$0置き始めています。\n\n[f:id:someone:20220110081522p:plain]";
        expect_test::expect![[r#"
            [ロシアと距離を置き始めています。]
            **Date of this note:** 2022-01-10 · by its photo ids"#]]
        .assert_eq(&hover_at(note, Markup::Markdown));
        let note = "ロシアと距離を$0置き始めています。\nhttps://example.com/\n\n[f:id:someone:20220110081522p:plain]";
        expect_test::expect![[r#"
            [ロシアと距離を置き始めています。]
            このノートの日付: 2022年1月10日 · 写真IDから"#]]
        .assert_eq(&hover_in(note, Markup::PlainText, Locale::Ja));
    }

    #[test]
    fn the_entity_card_of_an_undated_paragraph_shows_the_role_at_the_notes_date() {
        let note = "トカ$0エフ外相が訪日した。\n\n[f:id:someone:20050501081522p:plain]";
        let card = hover_at(note, Markup::PlainText);
        let line = card.lines().find(|l| l.starts_with("On ")).unwrap_or_default();
        expect_test::expect!["On 2005年5月1日, by its photo ids: 外相（カザフスタン） 2002年〜2007年"].assert_eq(line);
    }

    #[test]
    fn nothing_to_show_outside_names_and_attributed_paragraphs() {
        assert_eq!(hover_at("ただの$0文章", Markup::Markdown), "no hover");
    }

    #[test]
    fn kb_entries_hover_with_their_counts() {
        let world = Fixture::parse("トカエフ大統領とトカエフ氏").world_with_kb(KB, Config::default());
        let kb_text = world.kb.kb_text(&FileId::new(fixture::KB_FILE)).unwrap();
        let line = kb_text.text.lines().position(|l| l == "id = \"tokayev\"").unwrap() as u32;
        let card = hover_kb(
            &world,
            &FileId::new(fixture::KB_FILE),
            LineCol { line, col: 3 },
            Markup::PlainText,
        );
        let text = card.unwrap().text;
        expect_test::expect![[r#"
            トカエフ · Kassym-Jomart Tokayev · person (人物)
            Latest role: 大統領（カザフスタン） 2019年3月20日〜
            Mentions: 2 in 1 file · Defined in: entities.toml:27"#]]
        .assert_eq(&text.lines().take(3).collect::<Vec<_>>().join("\n"));
    }
}

//! Hover: the entity card of the mention under the cursor (canonical name, English name,
//! reading, kind, roles with dates, description, other spellings, the status of the spelling
//! written, mention counts in the file and the workspace, the KB file that defines it), the
//! attribution of a source line (date, outlet), and the same entity card on an entry of a
//! KB file.

use super::{FileId, LineCol, Markup, OpenFile, Span, World};
use crate::analysis::recognize::{Mention, MentionForm};
use crate::analysis::sources::{Source, SourceKind};
use crate::base::Locale;
use crate::kb::{EntityId, SpellingKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverCard {
    pub span: Span,
    pub text: String,
}

/// Hover at `position` of an open seed note.
pub fn hover(world: &World, file: &OpenFile, position: LineCol, markup: Markup) -> Option<HoverCard> {
    let offset = file.offset(position, world.encoding);
    let mention = file.mention_at(offset);
    let source = file.analysis.sources.at(offset);
    let mut card = Card::new(markup, world.config.locale);
    let range = match (mention, source) {
        (Some(m), _) => {
            entity_card(&mut card, world, m.entity, Some((file, m)));
            if let Some(s) = source {
                source_section(&mut card, world, s);
            }
            m.range
        }
        (None, Some(s)) => {
            source_section(&mut card, world, s);
            s.range
        }
        (None, None) => return None,
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
    entity_card(&mut card, world, entity, None);
    let line = world.kb.kb.entity(entity).origin.line;
    let end = text.line_index.line_range(&text.text, line).map_or(offset, |r| r.end);
    let start = text.line_index.line_start(line).unwrap_or(offset);
    Some(HoverCard {
        span: text.span(start, end, world.encoding),
        text: card.finish(),
    })
}

fn entity_card(card: &mut Card, world: &World, id: EntityId, written: Option<(&OpenFile, &Mention)>) {
    let kb = &world.kb.kb;
    let entity = kb.entity(id);
    let ja = card.locale == Locale::Ja;
    card.heading(&entity.name);
    let mut facts = Vec::new();
    if let Some(en) = &entity.en {
        facts.push(en.clone());
    }
    facts.push(card.emphasis(&format!("{} ({})", entity.kind.as_str(), entity.kind.label_ja())));
    if let Some(reading) = &entity.reading {
        facts.push(format!("{} {reading}", if ja { "読み" } else { "reading" }));
    }
    card.line(&facts.join(" · "));
    card.blank();
    for role in &entity.roles {
        let mut line = role.title.clone();
        if let Some(of) = &role.of {
            let name = kb.by_id(of).map_or(of.as_str(), |e| kb.entity(e).name.as_str());
            line.push_str(&format!("（{name}）"));
        }
        match (role.from, role.to) {
            (Some(from), Some(to)) => line.push_str(&format!(" {from}〜{to}")),
            (Some(from), None) => line.push_str(&format!(" {from}〜")),
            (None, Some(to)) => line.push_str(&format!(" 〜{to}")),
            (None, None) => {}
        }
        card.bullet(&line);
    }
    if let Some(description) = &entity.description {
        card.blank();
        card.line(&card.escape(description));
    }
    let aliases: Vec<&str> = entity.aliases.iter().map(String::as_str).collect();
    if !aliases.is_empty() {
        card.blank();
        card.field(if ja { "別表記" } else { "Also written" }, &aliases.join("、"));
    }
    if let Some((file, mention)) = written {
        if let Some(status) = spelling_status(world, card.locale, mention.range.slice(&file.text), mention) {
            card.blank();
            card.line(&format!("⚠ {status}"));
        }
    }
    card.blank();
    let (mentions, files) = world.entity_counts(id);
    let mut counts = Vec::new();
    if let Some((file, _)) = written {
        let here = file.summary.count(world.kb.entity_key(id));
        counts.push(if ja {
            format!("このノートで{here}回")
        } else {
            format!("{here} in this note")
        });
    }
    counts.push(if ja {
        format!("ワークスペースの{files}ファイルで{mentions}回")
    } else {
        format!(
            "{mentions} in {files} file{} of the workspace",
            if files == 1 { "" } else { "s" }
        )
    });
    card.field(if ja { "言及" } else { "Mentions" }, &counts.join(" · "));
    let origin = &entity.origin;
    let defined = if origin.is_builtin() {
        if ja {
            "組み込み KB".to_string()
        } else {
            "built-in KB".to_string()
        }
    } else {
        format!("{}:{}", display_path(world, &origin.file), origin.line + 1)
    };
    card.field(if ja { "定義" } else { "Defined in" }, &card.code(&defined));
}

/// What is special about the spelling written, if anything.
fn spelling_status(world: &World, locale: Locale, written: &str, mention: &Mention) -> Option<String> {
    let kb = &world.kb.kb;
    let entity = kb.entity(mention.entity);
    let ja = locale == Locale::Ja;
    match &mention.form {
        MentionForm::Spelling(s) => match &kb.spellings[*s].kind {
            SpellingKind::Name | SpellingKind::Alias => None,
            SpellingKind::Deprecated(i) => {
                let d = &entity.deprecated[*i];
                let preferred = d.preferred.as_deref().unwrap_or(&entity.name);
                let since = d.since.map(|s| s.to_string());
                Some(match (ja, since, &d.reason) {
                    (true, since, reason) => format!(
                        "「{written}」は旧表記です{}。「{preferred}」を使ってください{}",
                        since.map(|s| format!("（{s}〜）")).unwrap_or_default(),
                        reason.as_ref().map(|r| format!("（{r}）")).unwrap_or_default()
                    ),
                    (false, since, reason) => format!(
                        "「{written}」 is a deprecated spelling{}: use 「{preferred}」{}",
                        since.map(|s| format!(" since {s}")).unwrap_or_default(),
                        reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
                    ),
                })
            }
            SpellingKind::Misspelling => Some(if ja {
                format!("「{written}」は「{}」の誤表記です", entity.name)
            } else {
                format!("「{written}」 is a known misspelling of 「{}」", entity.name)
            }),
        },
        MentionForm::NearMiss { spelling, .. } => {
            let target = &kb.spellings[*spelling].text;
            Some(if ja {
                format!("「{written}」は KB にない表記です。「{target}」の誤記と思われます")
            } else {
                format!("「{written}」 is not a KB spelling: probably a misspelling of 「{target}」")
            })
        }
    }
}

fn source_section(card: &mut Card, world: &World, source: &Source) {
    let ja = card.locale == Locale::Ja;
    let kb = &world.kb.kb;
    let outlet = source.outlet.map(|o| kb.entity(o).name.clone());
    card.heading(&match (&outlet, ja) {
        (Some(o), true) => format!("出典: {o}"),
        (Some(o), false) => format!("Source: {o}"),
        (None, true) => "出典".to_string(),
        (None, false) => "Source".to_string(),
    });
    let kind = match source.kind {
        SourceKind::Bracket => ("bracketed attribution 【date outlet】", "【日付 媒体】の出典"),
        SourceKind::Parenthesized => ("dated credit in parentheses", "括弧書きの出典"),
        SourceKind::Credit => ("credit line (出典:)", "出典行"),
        SourceKind::Headline => ("headline with its outlet", "媒体名つきの見出し"),
        SourceKind::Url => ("URL", "URL"),
        SourceKind::SourceLink => ("Source link", "Source link"),
    };
    card.line(&card.emphasis(if ja { kind.1 } else { kind.0 }));
    let unknown = if ja { "不明" } else { "unknown" };
    let date = source.date.map_or_else(|| unknown.to_string(), |d| d.to_string());
    card.field(if ja { "日付" } else { "Date" }, &date);
    card.field(if ja { "媒体" } else { "Outlet" }, outlet.as_deref().unwrap_or(unknown));
    if let Some(title) = &source.title {
        card.field(if ja { "見出し" } else { "Title" }, &card.escape(title));
    }
    if let Some(url) = &source.url {
        card.field("URL", url);
    }
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

/// A hover text being written in markdown or plain text.
struct Card {
    markup: Markup,
    locale: Locale,
    out: String,
}

impl Card {
    fn new(markup: Markup, locale: Locale) -> Self {
        Card {
            markup,
            locale,
            out: String::new(),
        }
    }

    fn escape(&self, text: &str) -> String {
        match self.markup {
            Markup::PlainText => text.to_string(),
            Markup::Markdown => {
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    if "\\`*_[]<>#|".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
        }
    }

    fn heading(&mut self, text: &str) {
        if !self.out.is_empty() {
            self.blank();
            if self.markup == Markup::Markdown {
                self.out.push_str("---\n\n");
            }
        }
        let line = match self.markup {
            Markup::Markdown => format!("### {}", self.escape(text)),
            Markup::PlainText => text.to_string(),
        };
        self.line(&line);
    }

    fn emphasis(&self, text: &str) -> String {
        match self.markup {
            Markup::Markdown => format!("*{}*", self.escape(text)),
            Markup::PlainText => text.to_string(),
        }
    }

    fn code(&self, text: &str) -> String {
        match self.markup {
            Markup::Markdown => format!("`{text}`"),
            Markup::PlainText => text.to_string(),
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn bullet(&mut self, text: &str) {
        let line = format!("- {}", self.escape(text));
        self.line(&line);
    }

    fn field(&mut self, name: &str, value: &str) {
        let line = match self.markup {
            Markup::Markdown => format!("**{name}:** {value}  "),
            Markup::PlainText => format!("{name}: {value}"),
        };
        self.line(&line);
    }

    fn finish(self) -> String {
        self.out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::{self, world};
    use crate::ide::PositionEncoding;

    fn hover_at(note: &str, markup: Markup) -> String {
        let (world, cursor) = world(&[("/ws/a.txt", note)], &[("/ws/b.txt", "トカエフ氏とカザフスタン")]);
        let cursor = cursor.unwrap();
        let file = fixture::open_file(&world, "/ws/a.txt");
        match hover(&world, file, cursor.position, markup) {
            Some(card) => format!(
                "[{}]\n{}",
                fixture::slice(&file.text, card.span, PositionEncoding::Utf16),
                card.text
            ),
            None => "no hover".to_string(),
        }
    }

    #[test]
    fn entity_card_in_markdown() {
        expect_test::expect![[r#"
            [トカエフ]
            ### トカエフ
            Kassym-Jomart Tokayev · *person (人物)*

            - 大統領（カザフスタン） 2019年3月20日〜

            **Also written:** カシムジョマルト・トカエフ  

            **Mentions:** 1 in this note · 2 in 2 files of the workspace  
            **Defined in:** `entities.toml:65`"#]]
        .assert_eq(&hover_at("𠮷カザフスタンのトカ$0エフ大統領", Markup::Markdown));
    }

    #[test]
    fn deprecated_spelling_in_plain_text() {
        expect_test::expect![[r#"
            [キエフ]
            キーウ
            place (地名)

            ⚠ 「キエフ」 is a deprecated spelling since 2022年3月31日: use 「キーウ」 (日本政府がウクライナ語に基づく呼称に変更)

            Mentions: 1 in this note · 1 in 1 file of the workspace
            Defined in: entities.toml:50"#]]
        .assert_eq(&hover_at("首都キエフ$0で", Markup::PlainText));
    }

    #[test]
    fn nothing_to_show_outside_names_and_sources() {
        assert_eq!(hover_at("ただの$0文章", Markup::Markdown), "no hover");
    }

    #[test]
    fn kb_entries_hover_with_their_counts() {
        let (world, _) = world(&[("/ws/a.txt", "トカエフ大統領とトカエフ氏")], &[]);
        let kb_text = world.kb.kb_text(&FileId::new(fixture::KB_FILE)).unwrap();
        let line = kb_text.text.lines().position(|l| l == "id = \"tokayev\"").unwrap() as u32;
        let card = hover_kb(
            &world,
            &FileId::new(fixture::KB_FILE),
            LineCol { line, col: 3 },
            Markup::PlainText,
        );
        let text = card.unwrap().text;
        assert!(text.starts_with("トカエフ\n"), "{text}");
        assert!(text.contains("Mentions: 2 in 1 file of the workspace"), "{text}");
    }
}

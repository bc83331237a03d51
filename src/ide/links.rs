//! Document links: `http(s)://` URLs in notes and KB files, and in KB files the entity ids
//! that `roles.of` refers to, linked to the entry that defines them.

use super::{FileId, Location, OpenFile, Span, World};
use crate::base::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    Url(String),
    Entity(Location),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    pub target: LinkTarget,
}

/// Byte ranges of the `http://…` and `https://…` URLs in `text`: up to whitespace, a
/// non-ASCII character or a quote/bracket, without trailing punctuation.
pub fn url_ranges(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("http").map(|i| from + i) {
        let rest = &text[i..];
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            from = i + 4;
            continue;
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || !c.is_ascii() || "\"'<>()[]{}`".contains(c))
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if url.len() > "https://".len() {
            out.push(TextRange::new(i, i + url.len()));
        }
        from = i + len.max(4);
    }
    out
}

pub fn links(world: &World, file: &OpenFile) -> Vec<Link> {
    url_ranges(&file.text)
        .into_iter()
        .map(|r| Link {
            span: file.span(r, world.encoding),
            target: LinkTarget::Url(r.slice(&file.text).to_string()),
        })
        .collect()
}

/// Links of a KB file: URLs, and `of = "<id>"` references to their entity's entry.
pub fn links_kb(world: &World, file: &FileId) -> Vec<Link> {
    let Some(kb_text) = world.kb.kb_text(file) else {
        return Vec::new();
    };
    let text = &*kb_text.text;
    let span = |r: TextRange| kb_text.span(r.start, r.end, world.encoding);
    let mut out: Vec<Link> = url_ranges(text)
        .into_iter()
        .map(|r| Link {
            span: span(r),
            target: LinkTarget::Url(r.slice(text).to_string()),
        })
        .collect();
    let mut from = 0;
    while let Some(i) = text[from..].find("of = \"").map(|i| from + i + "of = \"".len()) {
        let Some(len) = text[i..].find('"') else { break };
        let id = &text[i..i + len];
        let before = text[..i - "of = \"".len()].chars().next_back();
        if before.is_some_and(|c| c == ' ' || c == '{' || c == ',' || c == '\n') {
            if let Some(location) = world
                .kb
                .kb
                .by_id(id)
                .and_then(|e| world.kb.entity_location(e, world.encoding))
            {
                out.push(Link {
                    span: span(TextRange::new(i, i + len)),
                    target: LinkTarget::Entity(location),
                });
            }
        }
        from = i + len;
    }
    out.sort_by_key(|l| l.span);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::{Fixture, KB_FILE};

    #[test]
    fn urls_end_before_japanese_text_and_punctuation() {
        let text = "https://d1021.hatenadiary.com\n見出し(https://example.com/a?b=1)。http://x.jp/記事, https://t.co.";
        let urls: Vec<&str> = url_ranges(text).into_iter().map(|r| r.slice(text)).collect();
        assert_eq!(
            urls,
            vec![
                "https://d1021.hatenadiary.com",
                "https://example.com/a?b=1",
                "http://x.jp/",
                "https://t.co"
            ]
        );
    }

    #[test]
    fn kb_ids_link_to_their_entry() {
        let world = Fixture::parse("").world();
        let links = links_kb(&world, &FileId::new(KB_FILE));
        let targets: Vec<String> = links
            .iter()
            .map(|l| match &l.target {
                LinkTarget::Url(u) => u.clone(),
                LinkTarget::Entity(loc) => format!("{} line {}", loc.file, loc.span.start.line),
            })
            .collect();
        expect_test::expect![[r#"
            [
                "/ws/entities.toml line 14",
                "/ws/entities.toml line 19",
            ]
        "#]]
        .assert_debug_eq(&targets);
    }
}

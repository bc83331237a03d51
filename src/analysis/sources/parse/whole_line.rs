//! Forms that are a whole line: a URL (or a bare host), `Source link`, and a headline line ending
//! with its outlet (`… - World - TASS`, `… | Reuters`, `…:時事ドットコム`).

use super::url::is_url;
use super::{Found, Scanner};
use crate::analysis::sources::{Source, SourceKind};
use crate::base::TextRange;

/// Product words that may follow an outlet's name at the end of a headline line
/// (`NHKニュース`, `時事ドットコム`, `日経電子版`).
const OUTLET_SUFFIXES: &[&str] = &[
    "ニュース",
    "NEWS",
    "News",
    "news",
    "ドットコム",
    ".com",
    "電子版",
    "デジタル",
    "オンライン",
    "Online",
    "ONLINE",
    "Web",
    "WEB",
    "web",
    "新聞",
    "通信",
    "日本語版",
    "日本版",
    "速報",
];

impl Scanner<'_> {
    pub(super) fn url_line(&self, line: TextRange) -> Option<Found> {
        let s = line.slice(self.text);
        if !is_url(s) {
            return None;
        }
        Some(Found {
            source: Source {
                range: line,
                kind: SourceKind::Url,
                date: None,
                outlet: self.outlet_for_url(s),
                outlet_range: None,
                url: Some(s.to_string()),
                title: None,
                author: None,
            },
            caption: false,
        })
    }

    pub(super) fn source_link(&self, line: TextRange) -> Option<Found> {
        line.slice(self.text)
            .eq_ignore_ascii_case("source link")
            .then_some(Found {
                source: Source {
                    range: line,
                    kind: SourceKind::SourceLink,
                    date: None,
                    outlet: None,
                    outlet_range: None,
                    url: None,
                    title: None,
                    author: None,
                },
                caption: false,
            })
    }

    /// `… - World - TASS`, `… | Article [AMP] | Reuters`, `…:時事ドットコム`: the line's last
    /// segment, after a separator, is a media mention (optionally followed by a product word).
    pub(super) fn headline(&self, line: TextRange) -> Option<Found> {
        let &(mention, outlet) = self.media_in(line).last()?;
        let tail = &self.text[mention.end..line.end];
        if !(tail.is_empty() || OUTLET_SUFFIXES.contains(&tail.trim())) {
            return None;
        }
        let mut before = &self.text[line.start..mention.start];
        // `… - The New York Times` where the KB knows `New York Times`.
        if let Some(article) = before.strip_suffix("The ").or_else(|| before.strip_suffix("the ")) {
            if article.ends_with(char::is_whitespace) {
                before = article;
            }
        }
        let trimmed = before.trim_end();
        let spaced_after = trimmed.len() < before.len();
        let sep = trimmed.chars().next_back()?;
        let title_part = match sep {
            '|' | '｜' | ':' | '：' => &trimmed[..trimmed.len() - sep.len_utf8()],
            '-' | '–' | '—' | '―' if spaced_after => {
                let t = &trimmed[..trimmed.len() - sep.len_utf8()];
                if !t.ends_with(char::is_whitespace) {
                    return None;
                }
                t
            }
            _ => return None,
        }
        .trim();
        if title_part.chars().count() < 4 || title_part.ends_with(['。', '、', '(', '（', '「']) {
            return None;
        }
        Some(Found {
            source: Source {
                range: line,
                kind: SourceKind::Headline,
                date: None,
                outlet: Some(outlet),
                outlet_range: Some(mention),
                url: None,
                title: Some(headline_title(title_part, sep).to_string()),
                author: None,
            },
            caption: false,
        })
    }
}

/// The article title of a headline line, without the site's section names:
/// `Title | Section | Outlet` → `Title`; `Title - Section - Outlet` → `Title` when the section is
/// one word (`World`); `Title:Outlet` → `Title`.
fn headline_title(title_part: &str, sep: char) -> &str {
    match sep {
        '|' | '｜' => title_part.split(['|', '｜']).next().unwrap_or(title_part).trim(),
        '-' | '–' | '—' | '―' => {
            let pattern = format!(" {sep} ");
            match title_part.rsplit_once(pattern.as_str()) {
                Some((head, section)) if !section.trim().contains(char::is_whitespace) => head.trim(),
                _ => title_part,
            }
        }
        _ => title_part,
    }
}

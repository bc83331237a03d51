//! Attributions in brackets: `【2023年10月21日 AFP】` (and the photo caption `（【…】 caption）`),
//! dated parenthesised credits `(4月2日 田中佑真氏 新潮社フォーサイト“…”)`, an undated `（ロイター）`
//! ending a line — and what is read inside them: a date, writers, an outlet, a quoted title.

use super::credit::skip_credit_label;
use super::date::parse_date_at;
use super::lexer::{is_hiragana, matching_close, matching_open, quoted, skip_separators, skip_ws, tokens, trim};
use super::{push_unless_overlapping, Found, LineSources, Scanner};
use crate::analysis::sources::{Source, SourceKind};
use crate::base::date::PartialDate;
use crate::base::TextRange;
use crate::kb::EntityId;

/// Suffixes that turn a writer's name into a byline (`島田久仁彦氏`, `山田太郎記者`).
const AUTHOR_SUFFIXES: &[&str] = &["氏", "記者", "特派員", "委員", "支局長", "教授", "研究員", "さん"];

impl Scanner<'_> {
    // ---- 【…】 ---------------------------------------------------------------------------

    pub(super) fn brackets(&self, line: TextRange, out: &mut LineSources) {
        let s = line.slice(self.text);
        let mut search = 0;
        while let Some(i) = s[search..].find('【') {
            let open = search + i;
            let inner = open + '【'.len_utf8();
            let Some(j) = s[inner..].find(['【', '】']) else {
                break;
            };
            let close = inner + j;
            if s[close..].starts_with('【') {
                search = close;
                continue;
            }
            let range = TextRange::new(line.start + open, line.start + close + '】'.len_utf8());
            if let Some(found) = self.bracket(range, line) {
                push_unless_overlapping(out, found);
            }
            search = close + '】'.len_utf8();
        }
    }

    fn bracket(&self, range: TextRange, line: TextRange) -> Option<Found> {
        let content = TextRange::new(range.start + '【'.len_utf8(), range.end - '】'.len_utf8());
        let mut pos = skip_ws(self.text, content.start, content.end);
        pos = skip_credit_label(self.text, pos, content.end);
        let date = parse_date_at(self.text, pos).filter(|&(_, end)| end <= content.end);
        if let Some((_, end)) = date {
            pos = end;
        }
        let rest = trim(
            self.text,
            TextRange::new(skip_separators(self.text, pos, content.end), content.end),
        );
        let attribution = self.attribution(rest);
        let date = date.map(|(d, _)| d).or(attribution.date);
        let is_source = !attribution.prose && (date.is_some() || attribution.has_media);
        if !is_source {
            return None;
        }
        Some(Found {
            caption: self.is_caption(range, line),
            source: attribution.into_source(range, SourceKind::Bracket, date),
        })
    }

    /// `（【2023年11月9日 日経】 カザフスタンを訪問した…）`: the bracket opens a parenthesised
    /// caption and text follows it inside the parentheses.
    fn is_caption(&self, bracket: TextRange, line: TextRange) -> bool {
        let before = self.text[line.start..bracket.start].trim_end();
        if !before.ends_with(['(', '（']) {
            return false;
        }
        let after_end = matching_close(self.text, bracket.end, line.end).map_or(line.end, |(close, _)| close);
        !self.text[bracket.end..after_end].trim().is_empty()
    }

    // ---- (4月2日 田中佑真氏 新潮社フォーサイト“…”) ---------------------------------------------

    pub(super) fn parenthesized(&self, line: TextRange, out: &mut LineSources) {
        let s = line.slice(self.text);
        // Both forms need a parenthesis (most lines have none: one scan instead of several).
        if !s.contains(['(', '（', ')', '）']) {
            return;
        }
        // Dated credits, anywhere on the line.
        for (i, c) in s.char_indices().filter(|&(_, c)| c == '(' || c == '（') {
            let open = line.start + i;
            let content_start = open + c.len_utf8();
            let pos = skip_ws(self.text, content_start, line.end);
            let Some((date, date_end)) = parse_date_at(self.text, pos) else {
                continue;
            };
            if !self.text[date_end..line.end].starts_with(char::is_whitespace) {
                continue;
            }
            let Some((close, close_end)) = matching_close(self.text, content_start, line.end) else {
                continue;
            };
            if date_end > close {
                continue;
            }
            let rest = trim(
                self.text,
                TextRange::new(skip_separators(self.text, date_end, close), close),
            );
            if rest.is_empty() {
                continue;
            }
            let attribution = self.attribution(rest);
            if !attribution.prose
                && (attribution.has_media || attribution.author.is_some() || attribution.title.is_some())
            {
                let range = TextRange::new(open, close_end);
                let source = attribution.into_source(range, SourceKind::Parenthesized, Some(date));
                push_unless_overlapping(out, Found { source, caption: false });
            }
        }
        // `…と述べた。（ロイター）`: an undated credit ends its line and names nothing but a known outlet.
        let trimmed = trim(self.text, line);
        let Some(last) = trimmed
            .slice(self.text)
            .chars()
            .next_back()
            .filter(|c| matches!(c, ')' | '）'))
        else {
            return;
        };
        let close = trimmed.end - last.len_utf8();
        let Some(open) = matching_open(self.text, line.start, close) else {
            return;
        };
        let content_start = open + self.text[open..].chars().next().map_or(1, char::len_utf8);
        if parse_date_at(self.text, skip_ws(self.text, content_start, close)).is_some() {
            return;
        }
        let rest = trim(self.text, TextRange::new(content_start, close));
        let attribution = self.attribution(rest);
        if attribution.has_media && !attribution.prose && attribution.author.is_none() && attribution.title.is_none() {
            let range = TextRange::new(open, trimmed.end);
            let source = attribution.into_source(range, SourceKind::Parenthesized, None);
            push_unless_overlapping(out, Found { source, caption: false });
        }
    }

    // ---- the inside of a bracket or parenthesis ---------------------------------------------

    /// Read `[writer氏] outlet [“title”]` (in any order) from the text after the date.
    fn attribution(&self, rest: TextRange) -> Attribution {
        let quote = quoted(self.text, rest);
        let title = quote
            .map(|(_, inner)| inner.slice(self.text).trim().to_string())
            .filter(|t| !t.is_empty());
        let names: Vec<TextRange> = match quote {
            Some((whole, _)) => vec![
                TextRange::new(rest.start, whole.start),
                TextRange::new(whole.end, rest.end),
            ],
            None => vec![rest],
        };
        let all_tokens: Vec<TextRange> = names.iter().flat_map(|&n| tokens(self.text, n)).collect();
        // A date written after the outlet (`【AFP 2023年10月21日】`) is a token of its own.
        let is_date = |t: &TextRange| parse_date_at(self.text, t.start).is_some_and(|(_, end)| end == t.end);
        let date = all_tokens
            .iter()
            .find(|t| is_date(t))
            .and_then(|t| parse_date_at(self.text, t.start));
        let tokens: Vec<TextRange> = all_tokens.into_iter().filter(|t| !is_date(t)).collect();
        let is_author = |t: &TextRange| {
            let s = t.slice(self.text);
            AUTHOR_SUFFIXES
                .iter()
                .any(|suffix| s.ends_with(suffix) && s.len() > suffix.len())
        };
        let authors: Vec<&str> = tokens
            .iter()
            .filter(|t| is_author(t))
            .map(|t| t.slice(self.text))
            .collect();
        let mention = names.iter().find_map(|&n| self.media_in(n).next().copied());
        let outlet_range = match mention {
            Some((range, _)) => Some(range),
            None => tokens
                .iter()
                .rev()
                .find(|t| !is_author(t))
                .copied()
                .filter(|t| !t.slice(self.text).chars().any(is_hiragana)),
        };
        let in_mention = |at: usize| mention.is_some_and(|(r, _)| r.start <= at && at < r.end);
        let prose = tokens.iter().filter(|t| !is_author(t)).any(|t| {
            t.slice(self.text)
                .char_indices()
                .any(|(i, c)| (is_hiragana(c) || c == '。') && !in_mention(t.start + i))
        });
        Attribution {
            outlet: mention.map(|(_, e)| e),
            outlet_range,
            author: (!authors.is_empty()).then(|| authors.join(" ")),
            title,
            has_media: mention.is_some(),
            prose,
            date: date.map(|(d, _)| d),
        }
    }
}

struct Attribution {
    outlet: Option<EntityId>,
    outlet_range: Option<TextRange>,
    author: Option<String>,
    title: Option<String>,
    has_media: bool,
    /// Hiragana (or a full stop) outside names: a sentence or a heading, not a credit.
    prose: bool,
    /// A date standing as a token of its own among the names.
    date: Option<PartialDate>,
}

impl Attribution {
    fn into_source(self, range: TextRange, kind: SourceKind, date: Option<PartialDate>) -> Source {
        Source {
            range,
            kind,
            date,
            outlet: self.outlet,
            outlet_range: self.outlet_range,
            url: None,
            title: self.title,
            author: self.author,
        }
    }
}

//! Recognising attributions on one line: `【…】` brackets, dated `(…)` credits, `出典:` credits,
//! `Source link`, URL lines and headline lines ending with their outlet.
//!
//! Outlets are media *mentions* (recognition already ran); nothing here knows an outlet by
//! name. Where a form needs to tell an attribution from prose, it relies on what attributions
//! are made of: names (outlets, writers), dates and quoted titles — never hiragana prose.

use std::collections::BTreeMap;

use super::{Source, SourceKind};
use crate::analysis::recognize::Mention;
use crate::base::date::PartialDate;
use crate::base::TextRange;
use crate::kb::{EntityId, EntityKind, Kb};

/// A source as found on its line, with what coverage needs to know about its shape.
#[derive(Debug)]
pub(super) struct Found {
    pub source: Source,
    /// `（【…】 caption）`: the bracket credits a picture, not the text around it.
    pub caption: bool,
}

/// Suffixes that turn a writer's name into a byline (`島田久仁彦氏`, `山田太郎記者`).
const AUTHOR_SUFFIXES: &[&str] = &["氏", "記者", "特派員", "委員", "支局長", "教授", "研究員", "さん"];

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

/// Labels that introduce a credit: `出典:…`, `引用元：…`, `Source: …`.
const CREDIT_LABELS: &[&str] = &["出典", "引用元", "ソース", "Source", "source", "SOURCE"];

pub(super) struct Scanner<'a> {
    text: &'a str,
    kb: &'a Kb,
    /// Mentions of media entities, sorted by start.
    media: Vec<(TextRange, EntityId)>,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, mentions: &[Mention], kb: &'a Kb) -> Self {
        let mut media: Vec<(TextRange, EntityId)> = mentions
            .iter()
            .filter(|m| kb.entities.get(m.entity).is_some_and(|e| e.kind == EntityKind::Media))
            .map(|m| (m.range, m.entity))
            .collect();
        media.sort_by_key(|(r, _)| (r.start, r.end));
        Scanner { text, kb, media }
    }

    /// Every source on one physical line. URL lines, `Source link` and headline lines are
    /// whole lines, whatever paragraph the layout put them in (a long URL line looks
    /// hard-wrapped to [`crate::analysis::layout`] and may be joined with the next line).
    pub fn scan_line(&self, line: TextRange, out: &mut Vec<Found>) {
        let trimmed = trim(self.text, line);
        if trimmed.is_empty() {
            return;
        }
        if let Some(found) = self.url_line(trimmed).or_else(|| self.source_link(trimmed)) {
            out.push(found);
            return;
        }
        let mut on_line = LineSources::new();
        self.brackets(line, &mut on_line);
        self.credits(line, &mut on_line);
        self.parenthesized(line, &mut on_line);
        if on_line.is_empty() {
            out.extend(self.headline(trimmed));
        }
        out.extend(on_line.into_values());
    }

    fn media_in(&self, range: TextRange) -> impl Iterator<Item = &(TextRange, EntityId)> {
        let lo = self.media.partition_point(|(r, _)| r.start < range.start);
        let hi = self.media.partition_point(|(r, _)| r.start < range.end);
        self.media[lo..hi.max(lo)]
            .iter()
            .filter(move |(r, _)| r.end <= range.end)
    }

    // ---- 【…】 ---------------------------------------------------------------------------

    fn brackets(&self, line: TextRange, out: &mut LineSources) {
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

    fn parenthesized(&self, line: TextRange, out: &mut LineSources) {
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

    // ---- 出典:… -------------------------------------------------------------------------

    fn credits(&self, line: TextRange, out: &mut LineSources) {
        let s = line.slice(self.text);
        // Every label is followed by a colon: a line without one has no credit.
        if !s.contains([':', '：']) {
            return;
        }
        let content_start = line.start + (s.len() - s.trim_start().len());
        let line_end = trim(self.text, line).end;
        for label in CREDIT_LABELS {
            for (i, _) in s.match_indices(label) {
                let label_start = line.start + i;
                if inside_found(out, label_start) {
                    continue;
                }
                let mut colon = skip_ws(self.text, label_start + label.len(), line_end);
                let Some(c) = self.text[colon..line_end]
                    .chars()
                    .next()
                    .filter(|c| matches!(c, ':' | '：'))
                else {
                    continue;
                };
                colon += c.len_utf8();
                let before = self.text[content_start..label_start].trim_end();
                let latin_label = label.is_ascii();
                if latin_label && self.text[..label_start].ends_with(|c: char| c.is_ascii_alphanumeric()) {
                    continue;
                }
                let (start, end, content_end) = if before.ends_with(['(', '（']) {
                    let paren = content_start + before.len() - before.chars().next_back().map_or(0, char::len_utf8);
                    match matching_close(self.text, label_start, line_end) {
                        Some((close, close_end)) => (paren, close_end, close),
                        None => (paren, line_end, line_end),
                    }
                } else if before.is_empty() || is_short_credit_prefix(before) {
                    (content_start, line_end, line_end)
                } else if latin_label || *label == "ソース" {
                    // `Source:` / `ソース:` only as a line's or a parenthesis' label, never mid-sentence.
                    continue;
                } else {
                    (label_start, line_end, line_end)
                };
                let content = trim(self.text, TextRange::new(colon, content_end));
                // A credit names something; `出典:という…` is a sentence about the word.
                if content.is_empty() || content.slice(self.text).starts_with(is_hiragana) {
                    continue;
                }
                let mention = self.media_in(content).next().copied();
                let url = find_url(content.slice(self.text));
                let outlet = mention
                    .map(|(_, e)| e)
                    .or_else(|| url.and_then(|u| self.outlet_for_url(u)));
                let source = Source {
                    range: TextRange::new(start, end),
                    kind: SourceKind::Credit,
                    date: None,
                    outlet,
                    outlet_range: mention.map(|(r, _)| r),
                    url: url.map(str::to_string),
                    title: None,
                    author: None,
                };
                push_unless_overlapping(out, Found { source, caption: false });
            }
        }
    }

    // ---- whole-line forms ----------------------------------------------------------------

    fn url_line(&self, line: TextRange) -> Option<Found> {
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

    fn source_link(&self, line: TextRange) -> Option<Found> {
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
    fn headline(&self, line: TextRange) -> Option<Found> {
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

    // ---- outlets from URLs ------------------------------------------------------------------

    /// The media entity whose KB `links` name the site of `url`: same host (or a subdomain of
    /// it) and a path under the link's path. A site claimed by the links of several entities
    /// (an encyclopedia, a social network) identifies none of them.
    fn outlet_for_url(&self, url: &str) -> Option<EntityId> {
        let (host, path) = split_url(url)?;
        let sites = self.kb.link_sites.get_or_init(|| link_sites(self.kb));
        let mut found: Option<EntityId> = None;
        for (site_host, site_path, entity) in sites {
            let host_matches = host == *site_host
                || (host.len() > site_host.len()
                    && host.ends_with(site_host.as_str())
                    && host.as_bytes()[host.len() - site_host.len() - 1] == b'.');
            let path_matches = site_path.is_empty()
                || path == *site_path
                || (path.starts_with(site_path.as_str()) && path.as_bytes().get(site_path.len()) == Some(&b'/'));
            if host_matches && path_matches {
                match found {
                    Some(e) if e != *entity => return None,
                    _ => found = Some(*entity),
                }
            }
        }
        found.filter(|&e| self.kb.entity(e).kind == EntityKind::Media)
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

/// The sites named by the `links` of every KB entity: (host, path prefix, entity).
/// (host, path, entity) of every entity link (kept in [`Kb::link_sites`]).
fn link_sites(kb: &Kb) -> Vec<(String, String, EntityId)> {
    kb.entities
        .iter()
        .enumerate()
        .flat_map(|(id, e)| {
            e.links.iter().filter_map(move |link| {
                let (host, path) = split_url(link)?;
                Some((host, path, id))
            })
        })
        .collect()
}

/// The sources found on one line, by start; disjoint.
type LineSources = BTreeMap<usize, Found>;

/// Add `found` unless it overlaps a source already found on the line (earlier forms win).
fn push_unless_overlapping(out: &mut LineSources, found: Found) {
    let range = found.source.range;
    let clashes_before = out
        .range(..range.start)
        .next_back()
        .is_some_and(|(_, f)| f.source.range.end > range.start);
    let clashes_after = out
        .range(range.start..)
        .next()
        .is_some_and(|(_, f)| f.source.range.start < range.end);
    if !clashes_before && !clashes_after {
        out.insert(range.start, found);
    }
}

/// `offset` lies inside a source already found on the line.
fn inside_found(out: &LineSources, offset: usize) -> bool {
    out.range(..=offset)
        .next_back()
        .is_some_and(|(_, f)| offset < f.source.range.end)
}

// ---- text helpers ---------------------------------------------------------------------------

pub(super) fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

fn trim(text: &str, range: TextRange) -> TextRange {
    let s = range.slice(text);
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    TextRange::new(start, end.max(start))
}

fn skip_ws(text: &str, mut pos: usize, end: usize) -> usize {
    for c in text[pos..end].chars() {
        if !c.is_whitespace() {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

fn skip_separators(text: &str, mut pos: usize, end: usize) -> usize {
    for c in text[pos..end].chars() {
        if !(c.is_whitespace() || matches!(c, ',' | '，' | '、' | '/' | '／' | '|' | '｜')) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// Skip `出典:` / `Source:` at the start of a bracket's text (`【出典: AFP】`).
fn skip_credit_label(text: &str, pos: usize, end: usize) -> usize {
    for label in CREDIT_LABELS {
        if text[pos..end].starts_with(label) {
            let after = skip_ws(text, pos + label.len(), end);
            if let Some(c) = text[after..end].chars().next().filter(|c| matches!(c, ':' | '：')) {
                return skip_ws(text, after + c.len_utf8(), end);
            }
        }
    }
    pos
}

/// `before` a credit label is a short tag such as `※アイキャッチ画像の` or `写真の`, not a sentence.
fn is_short_credit_prefix(before: &str) -> bool {
    before.len() <= 80 && before.chars().count() <= 20 && !before.contains(['。', '！', '？', '!', '?', '」'])
}

/// Whitespace-separated tokens of `range`.
fn tokens(text: &str, range: TextRange) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in range.slice(text).char_indices() {
        let at = range.start + i;
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(TextRange::new(s, at));
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        out.push(TextRange::new(s, range.end));
    }
    out
}

/// The first quoted span in `range`: (with the quotes, inside them). An unclosed quote runs to
/// the end of `range`.
fn quoted(text: &str, range: TextRange) -> Option<(TextRange, TextRange)> {
    let s = range.slice(text);
    let (i, open) = s.char_indices().find(|&(_, c)| closer_of(c).is_some())?;
    let close = closer_of(open)?;
    let inner_start = range.start + i + open.len_utf8();
    let mut depth = 0usize;
    for (j, c) in text[inner_start..range.end].char_indices() {
        if c == close {
            if depth == 0 {
                let inner = TextRange::new(inner_start, inner_start + j);
                return Some((TextRange::new(range.start + i, inner.end + c.len_utf8()), inner));
            }
            depth -= 1;
        } else if c == open {
            depth += 1;
        }
    }
    Some((
        TextRange::new(range.start + i, range.end),
        TextRange::new(inner_start, range.end),
    ))
}

fn closer_of(open: char) -> Option<char> {
    Some(match open {
        '“' => '”',
        '「' => '」',
        '『' => '』',
        '"' => '"',
        '＂' => '＂',
        _ => return None,
    })
}

/// How far a credit's parenthesis may reach (a title included): keeps scans of very long lines linear.
const MAX_CREDIT_BYTES: usize = 2048;

/// The `)` / `）` closing a parenthesis whose content starts at `from`, within
/// [`MAX_CREDIT_BYTES`] (either width closes either width): (its start, its end).
fn matching_close(text: &str, from: usize, end: usize) -> Option<(usize, usize)> {
    let mut limit = end.min(from + MAX_CREDIT_BYTES);
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let mut depth = 0usize;
    for (i, c) in text[from..limit].char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => {
                if depth == 0 {
                    return Some((from + i, from + i + c.len_utf8()));
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// The `(` / `（` opening the parenthesis that closes at `close`, not before `start` and within
/// [`MAX_CREDIT_BYTES`].
fn matching_open(text: &str, start: usize, close: usize) -> Option<usize> {
    let mut limit = start.max(close.saturating_sub(MAX_CREDIT_BYTES));
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    let mut depth = 0usize;
    for (i, c) in text[limit..close].char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                if depth == 0 {
                    return Some(limit + i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// `https://…`, `http://…`, `www.…`, or a bare host name with an optional path
/// (`d1021.hatenadiary.jp`), with nothing else on the line.
pub(super) fn is_url(s: &str) -> bool {
    if s.is_empty() || s.contains(char::is_whitespace) || !s.is_ascii() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return s.len() > lower.find("://").unwrap_or(0) + 3;
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The first `http(s)://` URL in `s`.
fn find_url(s: &str) -> Option<&str> {
    let start = s.find("https://").or_else(|| s.find("http://"))?;
    let rest = &s[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>' | '」' | '"'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// (host without `www.`, lower-cased; path without a trailing `/`).
fn split_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let without_scheme = match lower.find("://") {
        Some(i) => &lower[i + 3..],
        None => lower.as_str(),
    };
    let (authority, path) = match without_scheme.find(['/', '?', '#']) {
        Some(i) => (&without_scheme[..i], &without_scheme[i..]),
        None => (without_scheme, ""),
    };
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = match host.split_once('.') {
        Some((first, rest))
            if first.starts_with("www") && first[3..].bytes().all(|b| b.is_ascii_digit()) && rest.contains('.') =>
        {
            rest
        }
        _ => host,
    };
    if host.is_empty() {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
    Some((host.to_string(), path.to_string()))
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

// ---- dates ----------------------------------------------------------------------------------

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A run of ASCII or full-width digits at `pos`: (value, digit count, end).
fn number_at(text: &str, pos: usize) -> Option<(u32, usize, usize)> {
    let (mut value, mut count, mut end) = (0u32, 0usize, pos);
    for c in text[pos..].chars() {
        let Some(d) = digit_value(c) else { break };
        if count == 4 {
            return None;
        }
        value = value * 10 + d;
        count += 1;
        end += c.len_utf8();
    }
    (count > 0).then_some((value, count, end))
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// `n` digits at `pos` followed by `unit`: (value, end after the unit).
fn number_with_unit(text: &str, pos: usize, max_digits: usize, unit: char) -> Option<(u32, usize)> {
    let (value, count, end) = number_at(text, pos)?;
    (count <= max_digits && char_at(text, end) == Some(unit)).then_some((value, end + unit.len_utf8()))
}

/// A date at `pos`: `2023年10月21日`, `2023年10月`, `4月9日`, `2023/10/21`, `2023-10-21`,
/// `2023.10.21` (ASCII or full-width digits), optionally followed by a weekday `(金)`.
/// Returns the date and the end of what was read.
pub(crate) fn parse_date_at(text: &str, pos: usize) -> Option<(PartialDate, usize)> {
    let (first, digits, after) = number_at(text, pos)?;
    let next = char_at(text, after)?;
    let (date, end) = match next {
        '年' if digits == 4 => {
            let (month, end) = number_with_unit(text, after + next.len_utf8(), 2, '月')?;
            let day = number_with_unit(text, end, 2, '日');
            let date = PartialDate {
                year: Some(first as i32),
                month: Some(month as u8),
                day: day.map(|(d, _)| d as u8),
            };
            (date, day.map_or(end, |(_, e)| e))
        }
        '月' if digits <= 2 => {
            let (day, end) = number_with_unit(text, after + next.len_utf8(), 2, '日')?;
            let date = PartialDate {
                year: None,
                month: Some(first as u8),
                day: Some(day as u8),
            };
            (date, end)
        }
        '/' | '-' | '.' | '／' | '－' | '．' if digits == 4 => {
            let (month, month_digits, end) = number_at(text, after + next.len_utf8())?;
            if month_digits > 2 || char_at(text, end) != Some(next) {
                return None;
            }
            let (day, day_digits, end) = number_at(text, end + next.len_utf8())?;
            if day_digits > 2 {
                return None;
            }
            (PartialDate::ymd(first as i32, month as u8, day as u8), end)
        }
        _ => return None,
    };
    if !date.is_valid() {
        return None;
    }
    Some((date, skip_weekday(text, end)))
}

/// `(金)`, `（金曜日）` after a date.
fn skip_weekday(text: &str, pos: usize) -> usize {
    let rest = &text[pos..];
    let Some(open) = rest.chars().next().filter(|c| matches!(c, '(' | '（')) else {
        return pos;
    };
    let inner = &rest[open.len_utf8()..];
    let Some(close) = inner.find([')', '）']) else {
        return pos;
    };
    let day = &inner[..close];
    let is_weekday = matches!(day.chars().next(), Some('月' | '火' | '水' | '木' | '金' | '土' | '日'))
        && matches!(&day[day.chars().next().map_or(0, char::len_utf8)..], "" | "曜" | "曜日");
    if !is_weekday {
        return pos;
    }
    let close_char = inner[close..].chars().next().map_or(1, char::len_utf8);
    pos + open.len_utf8() + close + close_char
}

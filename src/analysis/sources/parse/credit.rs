//! Credits: `出典:Kremlin.ru/CC BY 4.0`, `※アイキャッチ画像の出典：…`, `（出典：NHK）`, `Source: …` — a
//! label, a colon and what it names (a media mention, a URL).

use super::lexer::{is_hiragana, matching_close, skip_ws, trim};
use super::url::find_url;
use super::{inside_found, push_unless_overlapping, Found, LineSources, Scanner};
use crate::analysis::sources::{Source, SourceKind};
use crate::base::TextRange;

/// Labels that introduce a credit: `出典:…`, `引用元：…`, `Source: …`.
const CREDIT_LABELS: &[&str] = &["出典", "引用元", "ソース", "Source", "source", "SOURCE"];

impl Scanner<'_> {
    pub(super) fn credits(&self, line: TextRange, out: &mut LineSources) {
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
}

/// Skip `出典:` / `Source:` at the start of a bracket's text (`【出典: AFP】`).
pub(super) fn skip_credit_label(text: &str, pos: usize, end: usize) -> usize {
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

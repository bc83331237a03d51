//! The character-level reading every form shares: trimming and skipping, whitespace tokens,
//! quoted spans, and balanced parentheses (bounded, so that scans of very long lines stay linear).

use crate::base::TextRange;

pub(super) fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

pub(super) fn trim(text: &str, range: TextRange) -> TextRange {
    let s = range.slice(text);
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    TextRange::new(start, end.max(start))
}

pub(super) fn skip_ws(text: &str, mut pos: usize, end: usize) -> usize {
    for c in text[pos..end].chars() {
        if !c.is_whitespace() {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

pub(super) fn skip_separators(text: &str, mut pos: usize, end: usize) -> usize {
    for c in text[pos..end].chars() {
        if !(c.is_whitespace() || matches!(c, ',' | '，' | '、' | '/' | '／' | '|' | '｜')) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// Whitespace-separated tokens of `range`.
pub(super) fn tokens(text: &str, range: TextRange) -> Vec<TextRange> {
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
pub(super) fn quoted(text: &str, range: TextRange) -> Option<(TextRange, TextRange)> {
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
pub(super) fn matching_close(text: &str, from: usize, end: usize) -> Option<(usize, usize)> {
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
pub(super) fn matching_open(text: &str, start: usize, close: usize) -> Option<usize> {
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

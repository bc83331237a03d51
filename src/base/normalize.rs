//! The normalised view of a text, used for matching names, and the map back to the original.
//!
//! Folding, applied identically to documents and to knowledge-base spellings:
//! - NFKC per character cluster (a base char plus its combining marks), which folds width
//!   (ＣＳＴＯ → CSTO, half-width ｶﾞ → ガ);
//! - name separators ・ ･ = ＝ ゠ · all become `・`;
//! - the ヴ row becomes the バ row (ヴァ→バ, ヴィ→ビ, ヴ→ブ, ヴェ→ベ, ヴォ→ボ, ヴュ→ビュ), since outlets
//!   spell the same name both ways.
//!
//! Every normalised byte maps back to the original cluster it came from, so a match in the
//! normalised text has an exact original range.

use unicode_normalization::UnicodeNormalization;

use crate::base::TextRange;

/// The canonical name separator after folding.
pub(crate) const SEPARATOR: char = '・';

/// A normalised copy of a text plus the map back to original byte offsets.
#[derive(Debug, Clone)]
pub struct NormalizedText {
    pub text: String,
    /// The map back, in text order: runs of characters copied unchanged (each character its
    /// own cluster) and single clusters that were folded. Clusters that produced no output
    /// have no piece.
    pieces: Vec<Piece>,
    original_len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    /// First normalised byte.
    norm: u32,
    /// First original byte.
    orig: u32,
    /// Original length in bytes (for a copied run, also its normalised length).
    orig_len: u32,
    /// A run of characters copied as they are, rather than one folded cluster.
    copied: bool,
}

impl NormalizedText {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut pieces: Vec<Piece> = Vec::new();
        let mut scratch = String::new();
        // The run of unchanged characters being copied: its original start.
        let mut run: Option<usize> = None;
        let close_run = |run: &mut Option<usize>, until: usize, text: &mut String, pieces: &mut Vec<Piece>| {
            if let Some(from) = run.take() {
                pieces.push(Piece {
                    norm: text.len() as u32,
                    orig: from as u32,
                    orig_len: (until - from) as u32,
                    copied: true,
                });
                text.push_str(&original[from..until]);
            }
        };
        let mut chars = original.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            // Fast path: kana, kanji and ASCII are NFKC-stable on their own; most of a note
            // is copied in runs.
            if is_nfkc_stable(c) && !chars.peek().is_some_and(|&(_, n)| is_combining(n)) {
                let folded = fold_char(c);
                if folded == c {
                    run.get_or_insert(start);
                    continue;
                }
                close_run(&mut run, start, &mut text, &mut pieces);
                pieces.push(Piece {
                    norm: text.len() as u32,
                    orig: start as u32,
                    orig_len: (end - start) as u32,
                    copied: false,
                });
                text.push(folded);
                continue;
            }
            close_run(&mut run, start, &mut text, &mut pieces);
            scratch.clear();
            // ヴ + small vowel is one cluster with a one- or two-char folding.
            if c == 'ヴ' || c == 'ｳ' && matches!(chars.peek(), Some((_, 'ﾞ'))) {
                if c == 'ｳ' {
                    let (i, m) = chars.next().unwrap();
                    end = i + m.len_utf8();
                }
                let small = chars.peek().map(|&(_, n)| n);
                let folded = match small {
                    Some('ァ' | 'ｧ') => Some("バ"),
                    Some('ィ' | 'ｨ') => Some("ビ"),
                    Some('ゥ' | 'ｩ') => Some("ブ"),
                    Some('ェ' | 'ｪ') => Some("ベ"),
                    Some('ォ' | 'ｫ') => Some("ボ"),
                    Some('ャ' | 'ｬ') => Some("ビャ"),
                    Some('ュ' | 'ｭ') => Some("ビュ"),
                    Some('ョ' | 'ｮ') => Some("ビョ"),
                    _ => None,
                };
                match folded {
                    Some(f) => {
                        let (i, n) = chars.next().unwrap();
                        end = i + n.len_utf8();
                        scratch.push_str(f);
                    }
                    None => scratch.push('ブ'),
                }
            } else {
                // Gather combining marks (and half-width sound marks) into the cluster.
                let mut cluster_end = end;
                while let Some(&(i, n)) = chars.peek() {
                    if is_combining(n) {
                        chars.next();
                        cluster_end = i + n.len_utf8();
                    } else {
                        break;
                    }
                }
                end = cluster_end;
                let cluster = &original[start..end];
                if cluster.is_ascii() {
                    scratch.extend(cluster.chars().map(fold_char));
                } else {
                    scratch.extend(cluster.nfkc().map(fold_char));
                }
            }
            if scratch.is_empty() {
                continue;
            }
            pieces.push(Piece {
                norm: text.len() as u32,
                orig: start as u32,
                orig_len: (end - start) as u32,
                copied: false,
            });
            text.push_str(&scratch);
        }
        close_run(&mut run, original.len(), &mut text, &mut pieces);
        NormalizedText {
            text,
            pieces,
            original_len: original.len(),
        }
    }

    /// Append the normalised view of the text that follows: `a.append(&b)` maps like
    /// `NormalizedText::new(a_text + b_text)` when `b_text` does not open with a combining mark
    /// (which would join the last cluster of `a_text`).
    pub fn append(&mut self, next: &NormalizedText) {
        let (norm_shift, orig_shift) = (self.text.len() as u32, self.original_len as u32);
        let mut pieces = next.pieces.iter().map(|p| Piece {
            norm: p.norm + norm_shift,
            orig: p.orig + orig_shift,
            ..*p
        });
        // Two copied runs that meet are one run.
        if let (Some(last), Some(first)) = (self.pieces.last_mut(), next.pieces.first()) {
            let meets = first.norm == 0 && first.orig == 0;
            let ends_here = last.norm + last.orig_len == norm_shift && last.orig + last.orig_len == orig_shift;
            if last.copied && first.copied && meets && ends_here {
                last.orig_len += first.orig_len;
                pieces.next();
            }
        }
        self.pieces.extend(pieces);
        self.text.push_str(&next.text);
        self.original_len += next.original_len;
    }

    /// Original byte range of the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> TextRange {
        if start >= self.text.len() {
            return TextRange::empty(self.original_len);
        }
        let (orig_start, _) = self.cluster_at(start);
        if end <= start {
            return TextRange::empty(orig_start);
        }
        // An end past the normalised text clamps to its last character.
        let (_, orig_end) = self.cluster_at(end.min(self.text.len()) - 1);
        TextRange::new(orig_start, orig_end)
    }

    /// Normalised byte offset of the first cluster starting at or after original `offset`.
    pub fn normalized_offset(&self, offset: usize) -> usize {
        let next = |i: usize| self.pieces.get(i).map_or(self.text.len(), |p| p.norm as usize);
        // The first piece not wholly before `offset`.
        let i = self
            .pieces
            .partition_point(|p| (p.orig + p.orig_len) as usize <= offset);
        let Some(p) = self.pieces.get(i) else {
            return self.text.len();
        };
        if offset <= p.orig as usize {
            return p.norm as usize;
        }
        if !p.copied {
            return next(i + 1);
        }
        // Inside a copied run: the next character boundary.
        let bytes = self.text.as_bytes();
        let run_end = (p.norm + p.orig_len) as usize;
        let mut at = p.norm as usize + (offset - p.orig as usize);
        while at < run_end && is_utf8_continuation(bytes[at]) {
            at += 1;
        }
        if at < run_end {
            at
        } else {
            next(i + 1)
        }
    }

    /// The normalised text of `original[range]`, when it is what normalising that part alone
    /// gives: both ends of the range fall between clusters (a paragraph, unless a combining
    /// mark opens it). `None` otherwise.
    pub fn normalized_slice(&self, range: TextRange) -> Option<&str> {
        if range.start > range.end || !self.is_cluster_start(range.start) || !self.is_cluster_start(range.end) {
            return None;
        }
        Some(&self.text[self.normalized_offset(range.start)..self.normalized_offset(range.end)])
    }

    /// True when a cluster that produced output starts at original `offset` (or it is the end).
    fn is_cluster_start(&self, offset: usize) -> bool {
        if offset == self.original_len {
            return true;
        }
        let i = self
            .pieces
            .partition_point(|p| (p.orig + p.orig_len) as usize <= offset);
        match self.pieces.get(i) {
            Some(p) if p.orig as usize == offset => true,
            Some(p) if p.copied && (p.orig as usize) < offset => {
                !is_utf8_continuation(self.text.as_bytes()[p.norm as usize + offset - p.orig as usize])
            }
            _ => false,
        }
    }

    /// The original range of the cluster holding normalised byte `norm_offset` (< text length).
    fn cluster_at(&self, norm_offset: usize) -> (usize, usize) {
        let p = self.pieces[self.pieces.partition_point(|p| p.norm as usize <= norm_offset) - 1];
        let (norm, orig) = (p.norm as usize, p.orig as usize);
        if !p.copied {
            return (orig, orig + p.orig_len as usize);
        }
        // In a copied run every character is a cluster.
        let bytes = self.text.as_bytes();
        let mut char_start = norm_offset;
        while char_start > norm && is_utf8_continuation(bytes[char_start]) {
            char_start -= 1;
        }
        let char_len = self.text[char_start..].chars().next().map_or(1, char::len_utf8);
        let start = orig + (char_start - norm);
        (start, start + char_len)
    }
}

fn is_utf8_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Normalise a short string (a knowledge-base spelling, a title) the same way documents are.
pub fn normalize(s: &str) -> String {
    NormalizedText::new(s).text
}

fn fold_char(c: char) -> char {
    match c {
        '･' | '=' | '゠' | '·' | '‧' | '•' => SEPARATOR,
        c => c,
    }
}

/// Characters NFKC leaves alone when no combining mark follows (ヴ is excluded: it folds).
fn is_nfkc_stable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30F3}' | 'ー' | '・' | '\u{4E00}'..='\u{9FFF}')
        || matches!(c, '、' | '。' | '「' | '」' | '\n' | '\r' | '\t')
}

pub(crate) fn is_combining(c: char) -> bool {
    matches!(c, '\u{3099}' | '\u{309A}' | 'ﾞ' | 'ﾟ' | '\u{0300}'..='\u{036F}')
}

/// Katakana letters (not the long-vowel mark, not the middle dot).
pub(crate) fn is_katakana_letter(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{31F0}'..='\u{31FF}')
}

/// Katakana letters and the long-vowel mark ー.
pub fn is_katakana_word_char(c: char) -> bool {
    is_katakana_letter(c) || c == 'ー'
}

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FA1F}' | '々' | '〆' | 'ヶ')
}

pub(crate) fn is_latin_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(normalize(input), expected, "normalising {input:?}");
    }

    #[test]
    fn width_is_folded() {
        check("ＣＳＴＯ", "CSTO");
        check("ｶｻﾞﾌｽﾀﾝ", "カザフスタン");
        check("ﾄｶｴﾌ", "トカエフ");
    }

    #[test]
    fn separators_are_one() {
        check("ウォロディミル=ゼレンスキー", "ウォロディミル・ゼレンスキー");
        check("ウォロディミル＝ゼレンスキー", "ウォロディミル・ゼレンスキー");
        check("ウォロディミル･ゼレンスキー", "ウォロディミル・ゼレンスキー");
    }

    #[test]
    fn vu_row_is_ba_row() {
        check("ソロヴィヨフ", "ソロビヨフ");
        check("ヴォロディミル", "ボロディミル");
        check("ヴェネツィア", "ベネツィア");
        check("ヴ", "ブ");
        check("ｳﾞｫﾛﾃﾞｨﾐﾙ", "ボロディミル");
    }

    /// The map back as it was first written — one (normalised start, original range) entry
    /// per cluster, built character by character — against which the run-length map is
    /// checked.
    fn per_cluster_map(original: &str) -> Vec<(usize, usize, usize)> {
        let mut map = Vec::new();
        let mut norm = 0;
        let mut scratch = String::new();
        let mut chars = original.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            if is_nfkc_stable(c) && !chars.peek().is_some_and(|&(_, n)| is_combining(n)) {
                map.push((norm, start, end));
                norm += fold_char(c).len_utf8();
                continue;
            }
            scratch.clear();
            if c == 'ヴ' || c == 'ｳ' && matches!(chars.peek(), Some((_, 'ﾞ'))) {
                if c == 'ｳ' {
                    let (i, m) = chars.next().unwrap();
                    end = i + m.len_utf8();
                }
                let small = chars.peek().map(|&(_, n)| n);
                let folded = match small {
                    Some('ァ' | 'ｧ') => Some("バ"),
                    Some('ィ' | 'ｨ') => Some("ビ"),
                    Some('ゥ' | 'ｩ') => Some("ブ"),
                    Some('ェ' | 'ｪ') => Some("ベ"),
                    Some('ォ' | 'ｫ') => Some("ボ"),
                    Some('ャ' | 'ｬ') => Some("ビャ"),
                    Some('ュ' | 'ｭ') => Some("ビュ"),
                    Some('ョ' | 'ｮ') => Some("ビョ"),
                    _ => None,
                };
                match folded {
                    Some(f) => {
                        let (i, n) = chars.next().unwrap();
                        end = i + n.len_utf8();
                        scratch.push_str(f);
                    }
                    None => scratch.push('ブ'),
                }
            } else {
                while let Some(&(i, n)) = chars.peek() {
                    if is_combining(n) {
                        chars.next();
                        end = i + n.len_utf8();
                    } else {
                        break;
                    }
                }
                scratch.extend(original[start..end].nfkc().map(fold_char));
            }
            if !scratch.is_empty() {
                map.push((norm, start, end));
                norm += scratch.len();
            }
        }
        map
    }

    proptest::proptest! {
        #[test]
        fn the_map_back_is_the_per_cluster_map(
            picks in proptest::collection::vec(0usize..26, 0..40)
        ) {
            const ALPHABET: [&str; 26] = [
                "ア", "カ", "ヴ", "ァ", "ｳ", "ﾞ", "ｧ", "ｶ", "\u{3099}", "a", "=", "･", "Ｃ", "漢", "e",
                "\u{0301}", "\n", "。", "ー", "ﾟ", "ﾊ", "①", "㍻", "・", "ｨ", "Ｏ",
            ];
            let original: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            let n = NormalizedText::new(&original);
            let map = per_cluster_map(&original);
            let cluster_of = |x: usize| map.partition_point(|c| c.0 <= x) - 1;
            for start in 0..=n.text.len() {
                for end in 0..=n.text.len() + 1 {
                    let expected = if start >= n.text.len() {
                        TextRange::empty(original.len())
                    } else if end <= start {
                        TextRange::empty(map[cluster_of(start)].1)
                    } else {
                        TextRange::new(map[cluster_of(start)].1, map[cluster_of(end.min(n.text.len()) - 1)].2)
                    };
                    if end <= n.text.len() {
                        proptest::prop_assert_eq!(n.original_range(start, end), expected, "{:?} {}..{}", original, start, end);
                    }
                }
            }
            for offset in 0..=original.len() + 1 {
                let i = map.partition_point(|c| c.1 < offset);
                let expected = map.get(i).map_or(n.text.len(), |c| c.0);
                proptest::prop_assert_eq!(n.normalized_offset(offset), expected, "{:?} at {}", original, offset);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_slice_between_clusters_is_its_own_normalisation(
            picks in proptest::collection::vec(0usize..26, 0..30),
            a in 0usize..200,
            b in 0usize..200,
        ) {
            const ALPHABET: [&str; 26] = [
                "ア", "カ", "ヴ", "ァ", "ｳ", "ﾞ", "ｧ", "ｶ", "\u{3099}", "a", "=", "･", "Ｃ", "漢", "e",
                "\u{0301}", "\n", "。", "ー", "ﾟ", "ﾊ", "①", "㍻", "・", "ｨ", "Ｏ",
            ];
            let original: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            let n = NormalizedText::new(&original);
            let (a, b) = (a.min(original.len()), b.min(original.len()));
            if original.is_char_boundary(a) && original.is_char_boundary(b) {
                if let Some(slice) = n.normalized_slice(TextRange::new(a.min(b), a.max(b))) {
                    proptest::prop_assert_eq!(slice, normalize(&original[a.min(b)..a.max(b)]), "{:?} {}..{}", original, a, b);
                }
            }
        }
    }

    #[test]
    fn lines_slice_out_of_the_whole() {
        let original = "ｶｻﾞﾌ\nソロヴィヨフ氏\n\u{0301}は\nＣＳＴＯ";
        let n = NormalizedText::new(original);
        let line = |i: usize| {
            let start: usize = original.split('\n').take(i).map(|l| l.len() + 1).sum();
            TextRange::new(start, start + original.split('\n').nth(i).unwrap().len())
        };
        assert_eq!(n.normalized_slice(line(0)), Some("カザフ"));
        assert_eq!(n.normalized_slice(line(1)), Some("ソロビヨフ氏"));
        // The combining mark belongs to the line break before it.
        assert_eq!(n.normalized_slice(line(2)), None);
        assert_eq!(n.normalized_slice(line(3)), Some("CSTO"));
    }

    #[test]
    fn an_end_past_the_text_clamps() {
        let original = "****見出し****";
        let n = NormalizedText::new(original);
        assert_eq!(n.original_range(0, n.text.len() + 1), TextRange::new(0, original.len()));
    }

    #[test]
    fn ranges_map_back_to_the_original() {
        let original = "ｶｻﾞﾌのソロヴィヨフ氏";
        let n = NormalizedText::new(original);
        let s = n.text.find("ソロビヨフ").unwrap();
        let r = n.original_range(s, s + "ソロビヨフ".len());
        assert_eq!(r.slice(original), "ソロヴィヨフ");
        let k = n.text.find("カザフ").unwrap();
        assert_eq!(n.original_range(k, k + "カザフ".len()).slice(original), "ｶｻﾞﾌ");
    }
}

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

use crate::text::TextRange;

/// The canonical name separator after folding.
pub const SEPARATOR: char = '・';

/// A normalised copy of a text plus the map back to original byte offsets.
#[derive(Debug, Clone)]
pub struct NormalizedText {
    pub text: String,
    /// One entry per cluster that produced output: (first normalised byte, original range).
    clusters: Vec<(u32, u32, u32)>,
    original_len: usize,
}

impl NormalizedText {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut clusters = Vec::with_capacity(original.len() / 3 + 1);
        let mut scratch = String::new();
        let mut chars = original.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            // Fast path: kana, kanji and ASCII are NFKC-stable on their own.
            if is_nfkc_stable(c) && !chars.peek().is_some_and(|&(_, n)| is_combining(n)) {
                clusters.push((text.len() as u32, start as u32, end as u32));
                text.push(fold_char(c));
                continue;
            }
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
            clusters.push((text.len() as u32, start as u32, end as u32));
            text.push_str(&scratch);
        }
        NormalizedText {
            text,
            clusters,
            original_len: original.len(),
        }
    }

    /// Original byte range of the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> TextRange {
        if start >= self.text.len() {
            return TextRange::empty(self.original_len);
        }
        let first = self.cluster_of(start);
        let orig_start = self.clusters[first].1 as usize;
        if end <= start {
            return TextRange::empty(orig_start);
        }
        let last = self.cluster_of(end - 1);
        TextRange::new(orig_start, self.clusters[last].2 as usize)
    }

    /// Normalised byte offset of the first cluster starting at or after original `offset`.
    pub fn normalized_offset(&self, offset: usize) -> usize {
        let i = self.clusters.partition_point(|c| (c.1 as usize) < offset);
        self.clusters.get(i).map(|c| c.0 as usize).unwrap_or(self.text.len())
    }

    fn cluster_of(&self, norm_offset: usize) -> usize {
        self.clusters.partition_point(|c| c.0 as usize <= norm_offset) - 1
    }
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

fn is_combining(c: char) -> bool {
    matches!(c, '\u{3099}' | '\u{309A}' | 'ﾞ' | 'ﾟ' | '\u{0300}'..='\u{036F}')
}

/// Katakana letters (not the long-vowel mark, not the middle dot).
pub fn is_katakana_letter(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{31F0}'..='\u{31FF}')
}

/// Katakana letters and the long-vowel mark ー.
pub fn is_katakana_word_char(c: char) -> bool {
    is_katakana_letter(c) || c == 'ー'
}

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FA1F}' | '々' | '〆' | 'ヶ')
}

pub fn is_latin_word_char(c: char) -> bool {
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

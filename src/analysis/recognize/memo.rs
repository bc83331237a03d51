//! Recognition of an edited note without recognising all of it again.
//!
//! Recognition is line-local: no KB spelling, katakana run, Latin token or near-miss
//! candidate crosses a line break, and a match's boundaries look no further than the
//! characters beside it (a line break either way). So the recognition of a note is the
//! recognitions of its lines put end to end, shifted — which is what [`RecognitionMemo`]
//! does, keeping each line's result from one version of the note to the next. An edit costs
//! the lines it touched, plus a linear pass of cheap comparing and copying.
//!
//! The one exception to line-locality is a combining mark opening a line (it joins the line
//! break's cluster when the whole text is normalised): such a line stays with the one before.
//! `tests::memo_recognition_is_whole_note_recognition` (and the property test in
//! `tests/it/properties.rs`) hold the memo to `recognize` + [`Candidates::find`] on the whole text.

use std::collections::HashMap;
use std::sync::Arc;

use super::near_miss::Candidates;
use super::{recognize, Leftover, Mention, Recognition};
use crate::base::normalize::{is_combining, NormalizedText};
use crate::kb::Kb;

/// The per-line recognitions of one note (the server keeps one per open note).
#[derive(Debug, Default)]
pub struct RecognitionMemo {
    /// The KB the lines were recognised with (its generation).
    kb_generation: Option<u64>,
    /// The lines of the last text recognised, in order.
    lines: Vec<(Box<str>, Arc<LineRecognition>)>,
    /// How many lines the last call had to recognise.
    recognised: usize,
}

#[derive(Debug)]
struct LineRecognition {
    recognition: Recognition,
    candidates: Candidates,
}

impl LineRecognition {
    fn new(line: &str, kb: &Kb) -> Self {
        let recognition = recognize(line, kb);
        let candidates = Candidates::find(kb, &recognition);
        LineRecognition {
            recognition,
            candidates,
        }
    }
}

impl RecognitionMemo {
    /// `recognize(text, kb)` and `Candidates::find(kb, …)` of it, from the lines recognised
    /// for the previous call where they are unchanged. `kb_generation` identifies the KB: a
    /// new one forgets every line. Lines no longer in the note are forgotten.
    ///
    /// The lines before and after the edit are matched in order (an edit leaves most of a
    /// note in place): only the lines between are looked up by their text, among the old
    /// lines between, or recognised.
    pub fn recognize(&mut self, text: &str, kb: &Kb, kb_generation: u64) -> (Recognition, Candidates) {
        if self.kb_generation != Some(kb_generation) {
            self.lines.clear();
            self.kb_generation = Some(kb_generation);
        }
        let new_lines: Vec<(usize, &str)> = lines(text).collect();
        let mut old = std::mem::take(&mut self.lines);
        let same = |(_, new): &(usize, &str), (old, _): &(Box<str>, Arc<LineRecognition>)| **old == **new;
        let prefix = new_lines.iter().zip(&old).take_while(|(n, o)| same(n, o)).count();
        let suffix = new_lines[prefix..]
            .iter()
            .rev()
            .zip(old[prefix..].iter().rev())
            .take_while(|(n, o)| same(n, o))
            .count();
        let old_suffix = old.split_off(old.len() - suffix);
        let old_middle: HashMap<Box<str>, Arc<LineRecognition>> = old.drain(prefix..).collect();
        let mut kept = old;
        self.recognised = 0;
        for &(_, line) in &new_lines[prefix..new_lines.len() - suffix] {
            let piece = old_middle.get(line).cloned().unwrap_or_else(|| {
                self.recognised += 1;
                Arc::new(LineRecognition::new(line, kb))
            });
            kept.push((line.into(), piece));
        }
        kept.extend(old_suffix);

        let mut normalized = NormalizedText::new("");
        let mut mentions: Vec<Mention> = Vec::new();
        let mut leftovers: Vec<Leftover> = Vec::new();
        let mut candidates = Candidates::default();
        for (&(start, _), (_, piece)) in new_lines.iter().zip(&kept) {
            let norm_start = normalized.text.len();
            let r = &piece.recognition;
            mentions.extend(r.mentions.iter().map(|m| Mention {
                range: m.range.shifted(start),
                ..m.clone()
            }));
            leftovers.extend(r.leftovers.iter().map(|l| Leftover {
                range: l.range.shifted(start),
                normalized: l.normalized.start + norm_start..l.normalized.end + norm_start,
                script: l.script,
            }));
            candidates.append(&piece.candidates, norm_start);
            normalized.append(&r.normalized);
        }
        self.lines = kept;
        let recognition = Recognition {
            normalized,
            mentions,
            leftovers,
        };
        (recognition, candidates)
    }

    /// How many lines are remembered (those of the last text).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many lines the last call recognised (the others were remembered).
    pub fn recognised(&self) -> usize {
        self.recognised
    }
}

/// The lines of `text` with their byte offsets, each with its line break; a line opening
/// with a combining mark stays with the line before.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let mut end = start;
        loop {
            end = match text[end..].find('\n') {
                Some(i) => end + i + 1,
                None => text.len(),
            };
            if !text[end..].chars().next().is_some_and(is_combining) {
                break;
            }
        }
        let line = (start, &text[start..end]);
        start = end;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::recognize::near_miss::find_near_misses;

    fn seeds() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }

    /// Everything downstream reads of a recognition: mentions, leftovers, the normalised
    /// text, and the map back at every original offset.
    #[track_caller]
    fn assert_same(text: &str, kb: &Kb, memo: &mut RecognitionMemo) {
        let whole = recognize(text, kb);
        let (lined, candidates) = memo.recognize(text, kb, 1);
        assert_eq!(lined.mentions, whole.mentions);
        assert_eq!(lined.leftovers, whole.leftovers);
        assert_eq!(lined.normalized.text, whole.normalized.text);
        for offset in 0..=text.len() {
            assert_eq!(
                lined.normalized.normalized_offset(offset),
                whole.normalized.normalized_offset(offset),
                "normalised offset of {offset}"
            );
        }
        for start in 0..whole.normalized.text.len() {
            assert_eq!(
                lined.normalized.original_range(start, start + 1),
                whole.normalized.original_range(start, start + 1)
            );
        }
        let expected = format!("{:?}", find_near_misses(text, kb, &whole));
        assert_eq!(format!("{:?}", candidates.weigh(text, kb, &lined)), expected);
    }

    #[test]
    fn memo_recognition_is_whole_note_recognition() {
        let kb = Kb::builtin();
        let mut memo = RecognitionMemo::default();
        for text in seeds() {
            assert_same(&text, &kb, &mut memo);
        }
        // Lines that open with a combining mark, CRLF, no final line break, a name cut by a
        // line break, a name at the very start and end.
        for text in [
            "キエフ\n\u{3099}ロシア\r\nトカエフ大統領",
            "ゼレンス\nキー大統領\n\nNATO\n",
            "ｳﾞｫﾛﾃﾞｨﾐﾙ\nﾞ\n",
            "",
            "\n\n",
        ] {
            assert_same(text, &kb, &mut memo);
        }
    }

    #[test]
    fn an_edit_recognises_only_the_lines_it_touched() {
        let kb = Kb::builtin();
        let mut text = seeds().concat();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let mut memo = RecognitionMemo::default();
        memo.recognize(&text, &kb, 1);
        assert_eq!(memo.recognised(), memo.len());
        let at = text.find("トカレフ").unwrap();
        let edited = format!("{}トカエフ{}", &text[..at], &text[at + "トカレフ".len()..]);
        assert_same(&edited, &kb, &mut memo);
        assert_eq!(memo.recognised(), 1);
        // Lines moved elsewhere (a paragraph cut and pasted lower down) are still known.
        let cut = edited.find("\n\n").unwrap() + 2;
        let paragraph_end = cut + edited[cut..].find("\n\n").unwrap() + 2;
        let moved = format!(
            "{}{}{}",
            &edited[..cut],
            &edited[paragraph_end..],
            &edited[cut..paragraph_end]
        );
        assert_same(&moved, &kb, &mut memo);
        assert_eq!(memo.recognised(), 0);
        // A new KB (one that knows トカレフ as a name of its own) forgets every line.
        let extra = crate::kb::parse_kb_file(
            "entities.toml",
            "[[entity]]\nid = \"tokarev\"\nname = \"トカレフ\"\nkind = \"person\"\n",
        )
        .unwrap();
        let mut files = crate::kb::builtin_sources().unwrap();
        files.push(extra);
        let (bigger, errors) = Kb::build(files);
        assert!(errors.is_empty(), "{errors:?}");
        let (recognition, _) = memo.recognize(&text, &bigger, 2);
        assert!(recognition
            .mentions
            .iter()
            .any(|m| bigger.entity(m.entity).name == "トカレフ"));
        assert_eq!(recognition.mentions, recognize(&text, &bigger).mentions);
    }
}

//! The cross-note half of `duplicate-passage`: a paragraph, or a run of paragraphs, that is
//! already in another note.
//!
//! Every note's substantial paragraphs are fingerprinted ([`note_passages`]: the hash of the
//! same comparison key the in-note half uses) once, by the workspace pass and by the
//! analysis host as notes change, into the [`PassageIndex`]; here each paragraph costs one
//! look-up. Short lines, headlines, credits and URL lines are never substantial, and a
//! paragraph found in very many notes is boilerplate ([`crate::analysis::facts::BOILERPLATE_NOTES`]).
//! Consecutive paragraphs whose copies follow one another in the same other note form one
//! diagnostic, related to the whole copy there. Paragraphs already reported as repeats inside
//! the note are left to the in-note half. No fix: which copy should go is the user's call.

use super::{quote, PassageKeys, RULE};
use crate::analysis::facts::{NotePassages, OtherCopy, PassageIndex};
use crate::analysis::layout::Layout;
use crate::analysis::rules::RuleContext;
use crate::base::normalize::NormalizedText;
use crate::base::{Diagnostic, Elsewhere, FileId, Message, TextRange};

/// The fingerprint of a comparison key: 64-bit FNV-1a, the same in every build and run (the
/// index cache keeps fingerprints across runs; `std`'s hasher promises no stability).
pub(super) fn fingerprint(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A note's substantial paragraphs, fingerprinted, with their lines.
pub fn note_passages(text: &str, layout: &Layout, normalized: &NormalizedText) -> NotePassages {
    passages_of(layout, &PassageKeys::of(text, layout, normalized))
}

/// [`note_passages`] from the paragraphs' keys.
pub fn passages_of(layout: &Layout, keys: &PassageKeys) -> NotePassages {
    NotePassages(
        layout
            .paragraphs
            .iter()
            .enumerate()
            .filter(|&(i, _)| keys.get(i).substantial)
            .map(|(i, p)| {
                let lines = (
                    p.lines.start as u32,
                    p.lines.end.saturating_sub(1).max(p.lines.start) as u32,
                );
                (keys.get(i).fingerprint, lines.0, lines.1)
            })
            .collect(),
    )
}

/// Report the paragraphs of the note (their keys; `repeated`: already reported inside the
/// note) that another note has too.
pub(super) fn check(cx: &RuleContext, keys: &PassageKeys, repeated: &[bool], out: &mut Vec<Diagnostic>) {
    let (Some(file), Some(index)) = (cx.file, cx.passages) else {
        return;
    };
    let paragraphs = &cx.layout.paragraphs;
    let candidate = |i: usize| !repeated[i] && keys.get(i).substantial;
    let mut i = 0;
    while i < paragraphs.len() {
        let first = if candidate(i) {
            index.elsewhere(keys.get(i).fingerprint, file).first().copied()
        } else {
            None
        };
        let Some(first) = first else {
            i += 1;
            continue;
        };
        let (mut end, mut last, mut count) = (i + 1, first, 1);
        let mut j = i + 1;
        while j < paragraphs.len() && !repeated[j] {
            if !keys.get(j).substantial {
                j += 1;
                continue;
            }
            match next_copy(index, keys.get(j).fingerprint, file, &last) {
                Some(copy) => {
                    (last, count) = (copy, count + 1);
                    j += 1;
                    end = j;
                }
                None => break,
            }
        }
        let range = TextRange::new(paragraphs[i].range.start, paragraphs[end - 1].range.end);
        out.push(report(cx, range, count, first, last));
        i = end;
    }
}

/// A copy of `hash` in the note of `last`, after it.
fn next_copy<'a>(index: &'a PassageIndex, hash: u64, file: &FileId, last: &OtherCopy<'a>) -> Option<OtherCopy<'a>> {
    index
        .elsewhere(hash, file)
        .into_iter()
        .find(|c| c.file == last.file && c.first_line > last.last_line)
}

fn report(cx: &RuleContext, range: TextRange, paragraphs: usize, first: OtherCopy, last: OtherCopy) -> Diagnostic {
    let quoted = quote(range.slice(cx.text));
    let name = first.file.file_name();
    let (en, ja) = if paragraphs == 1 {
        (
            format!("Passage also in another note ({name}): {quoted}"),
            format!("同じ段落が別のノート（{name}）にもあります: {quoted}"),
        )
    } else {
        (
            format!("Passage of {paragraphs} paragraphs also in another note ({name}): {quoted}"),
            format!("同じ{paragraphs}段落が別のノート（{name}）にもあります: {quoted}"),
        )
    };
    RULE.diagnostic(range, Message::new(en, ja)).with_related_elsewhere(
        Elsewhere {
            file: first.file.clone(),
            first_line: first.first_line,
            last_line: last.last_line,
        },
        Message::new("The copy in the other note", "別のノートの箇所"),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    /// Fingerprints outlive the process (the index cache): a key's is a fixed number.
    #[test]
    fn a_fingerprint_is_the_same_in_every_build() {
        assert_eq!(super::fingerprint(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fingerprint("a"), 0xaf63_dc4c_8601_ec8c);
    }

    use crate::analysis::facts::{PassageIndex, WorkspaceFacts};
    use crate::analysis::layout::Layout;
    use crate::analysis::rules::test_fixture::render;
    use crate::analysis::settings::Config;
    use crate::analysis::test_support::test_kb;
    use crate::analysis::{analyze, prh::PrhRules, Context};
    use crate::base::normalize::NormalizedText;
    use crate::base::FileId;

    const A: &str = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。";
    const B: &str = "一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。";

    /// `text` as /ws/a.txt, checked against the other notes `(name, text)`.
    fn check_with(text: &str, others: &[(&str, &str)], config: &Config) -> String {
        let mut index = PassageIndex::default();
        for (name, other) in others.iter().chain([&("a.txt", text)]) {
            let passages = super::note_passages(other, &Layout::parse(other), &NormalizedText::new(other));
            index.add(&FileId::new(format!("/ws/{name}")), &passages, false);
        }
        let kb = test_kb();
        let mut facts = WorkspaceFacts::new(&kb);
        facts.passages = Arc::new(index);
        let file = FileId::new("/ws/a.txt");
        let cx = Context {
            kb: &kb,
            config,
            prh: &PrhRules::default(),
            facts: &facts,
            file: Some(&file),
        };
        let analysis = analyze(text, cx);
        let found: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == super::RULE.id)
            .collect();
        render(text, &found)
    }

    fn check(text: &str, others: &[(&str, &str)]) -> String {
        check_with(text, others, &Config::default())
    }

    #[test]
    fn a_run_of_paragraphs_already_in_another_note() {
        let other = format!("見出し\n\n{A}\n\n{B}\n");
        expect_test::expect![[r#"
            ⟦ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。
            (中略)
            一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。⟧¹
            ---
            ¹ info[duplicate-passage] "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。\n(中略)\n一方、カザフのエネルギー相顧問は、エネルギー省はそうした要請は受けていないと話した。": Passage of 2 paragraphs also in another note (b.txt): ロシアはカザフスタンに10万トン…
               ja: 同じ2段落が別のノート（b.txt）にもあります: ロシアはカザフスタンに10万トン…
               related /ws/b.txt lines 3-5: The copy in the other note
        "#]]
        .assert_eq(&check(&format!("{A}\n(中略)\n{B}\n"), &[("b.txt", &other)]));
    }

    #[test]
    fn short_lines_credits_and_urls_are_never_duplicates() {
        let shared =
            "出典:Kremlin.ru/CC BY 4.0\n\nhttps://www.example.com/news/2023/10/21/\n\n時事もデモ鎮圧を報道。\n";
        assert_eq!(check(shared, &[("b.txt", shared)]), format!("{shared}---\n"));
    }

    #[test]
    fn a_paragraph_in_very_many_notes_is_boilerplate() {
        let footer = "このブログの記事は個人の備忘録であり、引用した記事の著作権は各社に帰属します。\n";
        let names: Vec<String> = (0..crate::analysis::facts::BOILERPLATE_NOTES)
            .map(|n| format!("{n}.txt"))
            .collect();
        let others: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), footer)).collect();
        assert_eq!(check(footer, &others), format!("{footer}---\n"));
        assert!(
            check(footer, &others[..1]).contains("also in another note"),
            "two notes: a duplicate"
        );
    }

    #[test]
    fn its_own_note_and_a_setting_off_find_nothing_across() {
        let text = format!("{A}\n");
        assert_eq!(check(&text, &[]), format!("{text}---\n"), "only in its own note");
        let off = Config {
            passages_across_notes: false,
            ..Config::default()
        };
        assert_eq!(check_with(&text, &[("b.txt", &text)], &off), format!("{text}---\n"));
    }
}

//! Completion of entity names while typing Japanese. Notes have no spaces, so the "word" is
//! the longest tail of the text before the cursor (up to [`MAX_PREFIX_CHARS`] characters of
//! kana, kanji or Latin) that starts some name: katakana or kanji as written (トカ → トカエフ,
//! ｶｻﾞ → カザフスタン after width folding), hiragana against the KB reading or the katakana
//! name (とかえ → トカエフ), Latin against the English name (Tokay → トカエフ).

use super::{LineCol, OpenFile, Span, World};
use crate::base::normalize::{is_kanji, is_katakana_word_char, normalize};
use crate::kb::{EntityId, EntityKind, SpellingKind};

/// How far back the typed prefix may reach.
pub const MAX_PREFIX_CHARS: usize = 12;
/// Most items returned.
const MAX_ITEMS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    /// The spelling inserted.
    pub label: String,
    /// The typed text the item replaces.
    pub replace: Span,
    /// What the client should match the typed text against (spelling, reading or English).
    pub filter_text: String,
    pub kind: EntityKind,
    /// English name and kind.
    pub detail: String,
    pub documentation: Option<String>,
    /// Orders items: most mentioned in the workspace first.
    pub sort_text: String,
}

fn is_name_char(c: char) -> bool {
    is_katakana_word_char(c)
        || is_kanji(c)
        || matches!(c, '\u{3041}'..='\u{3096}' | '・' | '＝' | '=')
        || c.is_ascii_alphanumeric()
        || matches!(c, '\u{FF10}'..='\u{FF5A}' | '\u{FF66}'..='\u{FF9F}')
}

fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A candidate: entity, spelling to insert, text it matched.
type Candidate = (EntityId, String, String);

fn candidates(world: &World, typed: &str) -> Vec<Candidate> {
    let kb = &world.kb.kb;
    let norm = normalize(typed);
    let katakana = to_katakana(&norm);
    let hiragana = to_hiragana(&norm);
    let lower = typed.to_ascii_lowercase();
    let mut out: Vec<Candidate> = Vec::new();
    for s in &kb.spellings {
        if matches!(s.kind, SpellingKind::Name | SpellingKind::Alias)
            && (s.normalized.starts_with(&norm) || s.normalized.starts_with(&katakana))
        {
            out.push((s.entity, s.text.clone(), s.text.clone()));
        }
    }
    for (id, entity) in kb.entities.iter().enumerate() {
        if let Some(reading) = entity.reading.as_deref().filter(|r| r.starts_with(&hiragana)) {
            out.push((id, entity.name.clone(), reading.to_string()));
        }
        if typed.is_ascii() {
            if let Some(en) = entity.en.as_deref() {
                let en_lower = en.to_ascii_lowercase();
                if en_lower.starts_with(&lower) || en_lower.split([' ', '-']).any(|w| w.starts_with(&lower)) {
                    out.push((id, entity.name.clone(), en.to_string()));
                }
            }
        }
    }
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    out
}

pub fn complete(world: &World, file: &OpenFile, position: LineCol) -> Vec<CompletionItem> {
    let offset = file.offset(position, world.encoding);
    let line_start = file.line_index.line_start(file.line_index.line_of(offset)).unwrap_or(0);
    let before = &file.text[line_start..offset];
    let starts: Vec<usize> = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .take(MAX_PREFIX_CHARS)
        .map(|(i, _)| line_start + i)
        .collect();
    // Longest tail first; the first tail that starts some name wins.
    let (start, found) = starts
        .iter()
        .rev()
        .map(|&start| (start, candidates(world, &file.text[start..offset])))
        .find(|(_, found)| !found.is_empty())
        .unwrap_or((offset, Vec::new()));
    let replace = file.span(crate::base::TextRange::new(start, offset), world.encoding);
    let kb = &world.kb.kb;
    let mut items: Vec<(u32, CompletionItem)> = found
        .into_iter()
        .map(|(id, label, filter_text)| {
            let entity = kb.entity(id);
            let (mentions, _) = world.entity_counts(id);
            let detail = match &entity.en {
                Some(en) => format!("{en} · {} ({})", entity.kind.as_str(), entity.kind.label_ja()),
                None => format!("{} ({})", entity.kind.as_str(), entity.kind.label_ja()),
            };
            let item = CompletionItem {
                sort_text: format!("{:010}{label}", u32::MAX - mentions),
                label,
                replace,
                filter_text,
                kind: entity.kind,
                detail,
                documentation: entity.description.clone(),
            };
            (mentions, item)
        })
        .collect();
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    items.truncate(MAX_ITEMS);
    items.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::Fixture;

    /// Completions at `$0`, with another note on disk that mentions キルギス twice: each as
    /// `label [replaced span] filter text (detail)`.
    fn check(note: &str, expect: Expect) {
        let fixture = Fixture::parse(&format!(
            "//- /ws/a.txt\n{note}\n//- /ws/b.txt closed\nキルギスとキルギス\n"
        ));
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let shown: String = complete(&world, &world.open[&file], position)
            .into_iter()
            .map(|i| {
                format!(
                    "{} [{}] {} ({})\n",
                    i.label,
                    crate::ide::fixture::show_span(i.replace),
                    i.filter_text,
                    i.detail
                )
            })
            .collect();
        expect.assert_eq(&shown);
    }

    #[test]
    fn katakana_prefix_after_other_text() {
        check(
            "𠮷会談のトカ$0",
            expect![[r#"
                トカエフ [0:5-0:7] トカエフ (Kassym-Jomart Tokayev · person (人物))
            "#]],
        );
    }

    #[test]
    fn most_mentioned_first() {
        check(
            "キー$0",
            expect![[r#"
                キーウ [0:0-0:2] キーウ (place (地名))
            "#]],
        );
    }

    #[test]
    fn hiragana_reading_and_english_name() {
        check(
            "、ちゅうお$0",
            expect![[r#"
                中央アジア [0:1-0:5] ちゅうおうあじあ (place (地名))
            "#]],
        );
        check(
            "Tokay$0",
            expect![[r#"
                トカエフ [0:0-0:5] Kassym-Jomart Tokayev (Kassym-Jomart Tokayev · person (人物))
            "#]],
        );
    }
}

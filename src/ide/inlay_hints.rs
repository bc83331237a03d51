//! Inlay hints (off unless `inlay_hints.enabled`): the English name after the first mention
//! of each entity in the note — `トカエフ (Kassym-Jomart Tokayev)大統領`.

use std::collections::HashSet;

use super::{LineCol, OpenFile, Span, World};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub position: LineCol,
    pub label: String,
}

/// Hints within `span` (the first mention is looked for in the whole note).
pub fn inlay_hints(world: &World, file: &OpenFile, span: Span) -> Vec<InlayHint> {
    if !world.config.inlay_hints {
        return Vec::new();
    }
    let window = file.range(span, world.encoding);
    let kb = &world.kb.kb;
    let mut seen = HashSet::new();
    let mut hints = Vec::new();
    for m in &file.analysis.recognition.mentions {
        if !seen.insert(m.entity) {
            continue;
        }
        let Some(en) = &kb.entity(m.entity).en else { continue };
        if window.start <= m.range.end && m.range.end <= window.end {
            hints.push(InlayHint {
                position: file.line_col(m.range.end, world.encoding),
                label: format!(" ({en})"),
            });
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::settings::Config;
    use crate::ide::fixture::Fixture;

    /// The hints over the whole note, as `⟦label⟧` inserted where they show.
    fn check(note: &str, config: Config) -> String {
        let fixture = Fixture::parse(note);
        let world = fixture.world_with(config);
        let file = fixture.note(&world);
        let whole = Span {
            start: LineCol { line: 0, col: 0 },
            end: LineCol { line: u32::MAX, col: 0 },
        };
        let mut shown = file.text.clone();
        for hint in inlay_hints(&world, file, whole).into_iter().rev() {
            let at = file.offset(hint.position, world.encoding);
            shown.insert_str(at, &format!("⟦{}⟧", hint.label));
        }
        shown
    }

    #[test]
    fn english_name_after_the_first_mention_only_when_enabled() {
        let note = "𠮷トカエフ大統領とトカエフ氏";
        assert_eq!(check(note, Config::default()), note);
        let enabled = Config {
            inlay_hints: true,
            ..Config::default()
        };
        assert_eq!(
            check(note, enabled),
            "𠮷トカエフ⟦ (Kassym-Jomart Tokayev)⟧大統領とトカエフ氏"
        );
    }
}

//! Code lenses on the entries of a KB file: "N mentions in M files" above each `[[entity]]`.

use super::{FileId, Span, World};
use crate::base::Locale;
use crate::kb::EntityId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The `[[entity]]` header line.
    pub span: Span,
    pub title: String,
    pub entity: EntityId,
}

pub fn code_lenses(world: &World, file: &FileId) -> Vec<Lens> {
    let Some(text) = world.kb.kb_text(file) else {
        return Vec::new();
    };
    world
        .kb
        .entities_in(file)
        .map(|entity| {
            let origin = &world.kb.kb.entity(entity).origin;
            let start = origin.range.start.min(text.text.len());
            let end = text
                .line_index
                .line_range(&text.text, origin.line)
                .map_or(start, |r| r.end.max(start));
            let (mentions, files) = world.entity_counts(entity);
            let title = match world.config.locale {
                Locale::Ja => format!("{files}ファイルで{mentions}回言及"),
                Locale::En => format!(
                    "{mentions} mention{} in {files} file{}",
                    if mentions == 1 { "" } else { "s" },
                    if files == 1 { "" } else { "s" }
                ),
            };
            Lens {
                span: text.span(start, end, world.encoding),
                title,
                entity,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::{show_span, Fixture, KB_FILE};

    /// The code lenses of the test KB file, for the fixture's notes, leaving out entities no
    /// note mentions: `span id title`.
    fn check(fixture: &str, expect: Expect) {
        let world = Fixture::parse(fixture).world();
        let shown: String = code_lenses(&world, &FileId::new(KB_FILE))
            .iter()
            .filter(|l| l.title != "0 mentions in 0 files")
            .map(|l| {
                format!(
                    "{} {} {}\n",
                    show_span(l.span),
                    world.kb.kb.entity(l.entity).id,
                    l.title
                )
            })
            .collect();
        expect.assert_eq(&shown);
    }

    #[test]
    fn counts_above_each_entry() {
        check(
            r#"
//- /ws/a.txt
トカエフ氏とトカエフ大統領、ロシア
//- /ws/b.txt closed
ロシア
"#,
            expect![[r#"
                19:0-19:10 russia 2 mentions in 2 files
                64:0-64:10 tokayev 2 mentions in 1 file
            "#]],
        );
    }
}

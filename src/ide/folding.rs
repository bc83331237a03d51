//! Folding ranges: clipping blocks (from the `****title****` line to the closing fence) and
//! `【…】` sections (from the heading to the line before the next one).

use super::OpenFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Block,
    Section,
}

/// Lines `start_line..=end_line` fold, `start_line` staying visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub start_line: u32,
    pub end_line: u32,
    pub kind: FoldKind,
}

pub fn folding_ranges(file: &OpenFile) -> Vec<Fold> {
    let index = &file.line_index;
    let text = &*file.text;
    let mut folds: Vec<Fold> = file
        .analysis
        .layout
        .blocks
        .iter()
        .map(|b| {
            let end = text[..b.range.end].trim_end().len();
            Fold {
                start_line: index.line_of(b.range.start),
                end_line: index.line_of(end),
                kind: FoldKind::Block,
            }
        })
        .collect();
    let headings = super::symbols::heading_lines(file);
    for (i, h) in headings.iter().enumerate() {
        let section_end = headings.get(i + 1).map_or(text.len(), |next| next.start);
        let end = text[..section_end.max(h.end)].trim_end().len();
        folds.push(Fold {
            start_line: index.line_of(h.start),
            end_line: index.line_of(end),
            kind: FoldKind::Section,
        });
    }
    folds.retain(|f| f.end_line > f.start_line);
    folds.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    folds
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::ide::fixture::Fixture;

    /// Each fold as `start..=end kind`, zero-based lines.
    fn check(fixture: &str, expect: expect_test::Expect) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let shown: String = folding_ranges(fixture.note(&world))
            .iter()
            .map(|f| format!("{}..={} {:?}\n", f.start_line, f.end_line, f.kind))
            .collect();
        expect.assert_eq(&shown);
    }

    #[test]
    fn blocks_and_sections_fold() {
        check(
            "【第一部】\n****見出し****\n本文。\n\n本文。\n*******\n後文。\n\n【第二部】\n一行。\n",
            expect![[r#"
                0..=6 Section
                1..=5 Block
                8..=9 Section
            "#]],
        );
    }
}

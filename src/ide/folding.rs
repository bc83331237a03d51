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
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn blocks_and_sections_fold() {
        let note = "【第一部】\n****見出し****\n本文。\n\n本文。\n*******\n後文。\n\n【第二部】\n一行。\n";
        let (world, _) = fixture::world(&[("/ws/a.txt", note)], &[]);
        let folds = folding_ranges(fixture::open_file(&world, "/ws/a.txt"));
        expect_test::expect![[r#"
            [
                Fold {
                    start_line: 0,
                    end_line: 6,
                    kind: Section,
                },
                Fold {
                    start_line: 1,
                    end_line: 5,
                    kind: Block,
                },
                Fold {
                    start_line: 8,
                    end_line: 9,
                    kind: Section,
                },
            ]
        "#]]
        .assert_debug_eq(&folds);
    }
}

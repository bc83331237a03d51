//! The layout of a note: lines, paragraphs and `****title****` … `******` clipping blocks.
//!
//! A paragraph is a run of physical lines joined when a line was hard-wrapped: the line is
//! long enough to have been wrapped and does not end a sentence (seed 003 wraps `「警告な` /
//! `しに射殺せよ」`). Otherwise every non-blank line is a paragraph of its own, which is how
//! pasted news text (one paragraph per line) reads. Brackets are balanced per paragraph;
//! duplicated passages and source coverage are decided per paragraph too.

use crate::base::TextRange;

/// Minimum length (in chars) of a line that may have been hard-wrapped.
const MIN_WRAPPED_LINE_CHARS: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// From the start of its first line to the end of its last line.
    pub range: TextRange,
    /// Indices into [`Layout::lines`].
    pub lines: std::ops::Range<usize>,
}

/// A fence line: `****title****` opens a clipping block, a line of six or more `*` closes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    pub line: usize,
    pub range: TextRange,
    pub kind: FenceKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FenceKind {
    Open {
        title: TextRange,
        /// Asterisks before and after the title.
        leading: usize,
        trailing: usize,
    },
    Close,
}

/// A clipping block: an opening fence, the pasted text, and (if present) a closing fence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClippingBlock {
    /// Index into [`Layout::fences`] of the opening fence.
    pub open: usize,
    /// Index into [`Layout::fences`] of the closing fence, if any.
    pub close: Option<usize>,
    pub title: TextRange,
    /// From the opening fence to the end of the closing fence (or of the last line before the
    /// next block / the end of the text).
    pub range: TextRange,
    /// The body between the fences.
    pub body: TextRange,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// Content range of every physical line (terminators excluded).
    pub lines: Vec<TextRange>,
    pub paragraphs: Vec<Paragraph>,
    pub fences: Vec<Fence>,
    pub blocks: Vec<ClippingBlock>,
}

impl Layout {
    pub fn parse(text: &str) -> Layout {
        let lines = physical_lines(text);
        let fences: Vec<Fence> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, &range)| parse_fence(text, range).map(|kind| Fence { line: i, range, kind }))
            .collect();
        let is_fence = |i: usize| fences.binary_search_by_key(&i, |f| f.line).is_ok();
        let mut paragraphs = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if is_blank(lines[i].slice(text)) {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < lines.len()
                && !is_fence(i)
                && !is_fence(i + 1)
                && !is_blank(lines[i + 1].slice(text))
                && looks_hard_wrapped(lines[i].slice(text))
                && !stands_alone(lines[i + 1].slice(text))
            {
                i += 1;
            }
            paragraphs.push(Paragraph {
                range: TextRange::new(lines[start].start, lines[i].end),
                lines: start..i + 1,
            });
            i += 1;
        }
        let blocks = clipping_blocks(text, &lines, &fences);
        Layout {
            lines,
            paragraphs,
            fences,
            blocks,
        }
    }

    /// The paragraph containing byte `offset`, if any.
    pub fn paragraph_at(&self, offset: usize) -> Option<&Paragraph> {
        let i = self.paragraphs.partition_point(|p| p.range.end < offset);
        self.paragraphs.get(i).filter(|p| p.range.touches(offset))
    }

    /// The physical line containing byte `offset`.
    pub fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.end < offset)
            .min(self.lines.len().saturating_sub(1))
    }
}

pub(crate) fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn physical_lines(text: &str) -> Vec<TextRange> {
    // `\n`, `\r\n` and a lone `\r` end a line, as in LSP 3.17 and `base::LineIndex`.
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(text.len() / 60 + 1);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            let end = if b == b'\n' && i > start && bytes[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            lines.push(TextRange::new(start, end));
            start = i + 1;
        }
    }
    lines.push(TextRange::new(start, text.len()));
    lines
}

fn looks_hard_wrapped(line: &str) -> bool {
    let line = line.trim_end();
    !stands_alone(line)
        && line.chars().count() >= MIN_WRAPPED_LINE_CHARS
        && !line.ends_with(|c: char| "。．.！!？?」』）)】〕］]”’…:：".contains(c))
}

/// URLs, headlines and credits in Latin script stand on their own lines: only Japanese prose
/// is hard-wrapped in these notes, so such a line neither wraps nor continues a wrapped one.
fn stands_alone(line: &str) -> bool {
    let line = line.trim();
    let last_word = line.rsplit(char::is_whitespace).next().unwrap_or(line);
    let japanese = |c: char| crate::base::normalize::is_kanji(c) || matches!(c, '\u{3040}'..='\u{30FF}');
    !line.chars().any(japanese) || last_word.starts_with("http://") || last_word.starts_with("https://")
}

fn parse_fence(text: &str, range: TextRange) -> Option<FenceKind> {
    let line = range.slice(text);
    let trimmed = line.trim_end();
    let leading = trimmed.bytes().take_while(|&b| b == b'*').count();
    if leading == trimmed.len() {
        return (leading >= 6).then_some(FenceKind::Close);
    }
    let trailing = trimmed.bytes().rev().take_while(|&b| b == b'*').count();
    if leading < 3 || trailing < 2 {
        return None;
    }
    let title_text = &trimmed[leading..trimmed.len() - trailing];
    if title_text.trim().is_empty() {
        return None;
    }
    Some(FenceKind::Open {
        title: TextRange::new(range.start + leading, range.start + trimmed.len() - trailing),
        leading,
        trailing,
    })
}

fn clipping_blocks(text: &str, lines: &[TextRange], fences: &[Fence]) -> Vec<ClippingBlock> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < fences.len() {
        let FenceKind::Open { title, .. } = fences[i].kind else {
            i += 1;
            continue;
        };
        let open = &fences[i];
        let close = fences.get(i + 1).filter(|f| f.kind == FenceKind::Close).map(|_| i + 1);
        let body_end = match close {
            Some(c) => lines[fences[c].line].start.saturating_sub(1).max(open.range.end),
            None => fences
                .get(i + 1)
                .map(|next| lines[next.line].start.saturating_sub(1).max(open.range.end))
                .unwrap_or(text.len()),
        };
        let body_start = (open.range.end + 1).min(body_end.max(open.range.end));
        let end = close.map(|c| fences[c].range.end).unwrap_or(body_end);
        blocks.push(ClippingBlock {
            open: i,
            close,
            title,
            range: TextRange::new(open.range.start, end),
            body: TextRange::new(body_start.min(body_end), body_end),
        });
        i += if close.is_some() { 2 } else { 1 };
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::render_ranges;

    fn paragraphs(text: &str) -> String {
        let s = Layout::parse(text);
        let labels: Vec<String> = (0..s.paragraphs.len()).map(|i| format!("p{i}")).collect();
        render_ranges(
            text,
            s.paragraphs
                .iter()
                .map(|p| p.range)
                .zip(labels.iter().map(String::as_str)),
        )
    }

    #[test]
    fn one_paragraph_per_line_for_pasted_news() {
        expect_test::expect![[r#"
            [ロシアは10日に会談した。](p0)
            [カザフスタンは同日に発表した。](p1)

            [見出し](p2)
        "#]]
        .assert_eq(&paragraphs(
            "ロシアは10日に会談した。\nカザフスタンは同日に発表した。\n\n見出し\n",
        ));
    }

    #[test]
    fn hard_wrapped_lines_form_one_paragraph() {
        expect_test::expect![[r#"
            [最初に派遣された2500人の部隊のほとんどはロシア人で占められており、トカエフ氏は「警告な
            しに射殺せよ」との命令を下している。](p0)
        "#]]
        .assert_eq(&paragraphs(
            "最初に派遣された2500人の部隊のほとんどはロシア人で占められており、トカエフ氏は「警告な\nしに射殺せよ」との命令を下している。\n",
        ));
    }

    #[test]
    fn url_and_latin_lines_are_never_joined() {
        expect_test::expect![[r#"
            [https://d1021.hatenadiary.com/entry/2022](p0)
            [カザフスタン政府は、全土に広がった抗議活動に対して作戦を進めている](p1)
            [At least six waves of terrorists’ attacks reported in Almaty - TASS](p2)
            [大統領は、状況を分析の結果、カザフスタンは国外で訓練を受けた](p3)
        "#]]
        .assert_eq(&paragraphs(
            "https://d1021.hatenadiary.com/entry/2022\nカザフスタン政府は、全土に広がった抗議活動に対して作戦を進めている\nAt least six waves of terrorists’ attacks reported in Almaty - TASS\n大統領は、状況を分析の結果、カザフスタンは国外で訓練を受けた\n",
        ));
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        expect_test::expect!["[一行目。](p0)\r\r[二行目。](p1)\r"].assert_eq(&paragraphs("一行目。\r\r二行目。\r"));
    }

    #[test]
    fn crlf_lines() {
        expect_test::expect!["[一行目。](p0)\r\n[二行目。](p1)\r\n"].assert_eq(&paragraphs("一行目。\r\n二行目。\r\n"));
    }

    #[test]
    fn clipping_blocks_and_fences() {
        let text = "前文。\n****カザフ、禁輸を否定****\n本文。【2023年10月21日 AFP】\n******************\n後文。\n****閉じない見出し***\n本文2。\n";
        let s = Layout::parse(text);
        assert_eq!(s.blocks.len(), 2);
        assert_eq!(s.blocks[0].title.slice(text), "カザフ、禁輸を否定");
        assert_eq!(s.blocks[0].body.slice(text), "本文。【2023年10月21日 AFP】");
        assert!(s.blocks[0].range.slice(text).ends_with("******************"));
        assert_eq!(s.blocks[1].close, None);
        assert_eq!(s.blocks[1].body.slice(text), "本文2。\n");
        assert!(matches!(
            s.fences[2].kind,
            FenceKind::Open {
                leading: 4,
                trailing: 3,
                ..
            }
        ));
        // Fence lines are never joined with their neighbours.
        assert!(s.paragraphs.iter().all(|p| p.lines.len() == 1));
    }
}

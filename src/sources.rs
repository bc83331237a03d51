//! Source attributions: where pasted text came from.
//!
//! TO BE IMPLEMENTED (sources helper): parsing of 【date outlet】, （【…】…）, (date person outlet“title”),
//! 出典:…, `Source link`, header URLs and English headline lines ending `- TASS` / `| Reuters`,
//! and the paragraph → covering source map.

use crate::date::PartialDate;
use crate::kb::{EntityId, Kb};
use crate::recognize::Mention;
use crate::structure::Structure;
use crate::text::TextRange;

/// What shape of attribution a source line has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `【2023年10月21日 AFP】`, possibly inside `（…）` with a caption.
    Bracket,
    /// `(4月2日 田中佑真氏 新潮社フォーサイト“…”)`: a dated parenthesised credit.
    Parenthesized,
    /// `出典:Kremlin.ru/CC BY 4.0`.
    Credit,
    /// An English or Japanese headline line ending with its outlet: `… - TASS`, `… | Reuters`,
    /// `…:時事ドットコム`.
    Headline,
    /// A bare URL line (at the top of the note: the note's header source).
    Url,
    /// `Source link`.
    SourceLink,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The attribution itself (the bracket, the credit, the whole headline line).
    pub range: TextRange,
    pub kind: SourceKind,
    pub date: Option<PartialDate>,
    /// The outlet, when a media entity is named.
    pub outlet: Option<EntityId>,
    /// Where the outlet is named, inside `range`.
    pub outlet_range: Option<TextRange>,
    pub url: Option<String>,
    /// A headline or article title, when the source line carries one.
    pub title: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    /// Sorted by position.
    pub sources: Vec<Source>,
    /// Index of the note's header source, if any.
    pub header: Option<usize>,
    /// For each paragraph of the [`Structure`], the index of the source covering it.
    pub paragraph_source: Vec<Option<usize>>,
}

impl Sources {
    /// The source covering byte `offset`, if any.
    pub fn covering(&self, structure: &Structure, offset: usize) -> Option<&Source> {
        let p = structure.paragraphs.iter().position(|p| p.range.touches(offset))?;
        self.paragraph_source.get(p).copied().flatten().map(|i| &self.sources[i])
    }

    /// The source whose own range contains `offset`, if any.
    pub fn at(&self, offset: usize) -> Option<&Source> {
        self.sources.iter().find(|s| s.range.touches(offset))
    }
}

/// Find the sources of a note and the source covering each paragraph.
pub fn find_sources(text: &str, structure: &Structure, mentions: &[Mention], kb: &Kb) -> Sources {
    let _ = (text, mentions, kb);
    Sources {
        paragraph_source: vec![None; structure.paragraphs.len()],
        ..Sources::default()
    }
}

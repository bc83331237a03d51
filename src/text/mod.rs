//! Text primitives shared by every layer: byte ranges into a document and the one
//! [`LineIndex`] that converts between byte offsets and line/column positions in any of the
//! three LSP position encodings.
//!
//! Invariant: every range handed around the core is a byte range on `char` boundaries of the
//! original document text. Conversions to lines and columns happen only at the edges (CLI
//! output, LSP protocol), always through [`LineIndex`].

mod line_index;
mod range;

pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use range::TextRange;

//! The ground floor: what every layer shares and nothing here depends on — byte ranges
//! into a document ([`TextRange`]), the one [`LineIndex`] that converts between byte
//! offsets and line/column positions in any of the three LSP position encodings, the
//! normalised view used for matching names ([`normalize`]), partial dates ([`date`]), the
//! names of files ([`FileId`]) and the diagnostic data model ([`diagnostic`]).
//!
//! Invariant: every range handed around is a byte range on `char` boundaries of the
//! original document text. Conversions to lines and columns happen only at the edges (CLI
//! output, LSP protocol), always through [`LineIndex`].

pub mod date;
pub mod diagnostic;
mod file_id;
mod line_index;
pub mod normalize;
mod range;

pub use diagnostic::{Diagnostic, Edit, Elsewhere, Fix, Locale, Message, Related, RuleId, Severity};
pub use file_id::{lexically_normal, FileId};
pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use range::TextRange;

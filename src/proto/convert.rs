//! Protocol ↔ core conversions: URIs and [`FileId`]s, positions and [`LineCol`]s (one to
//! one — the column unit is the negotiated encoding on both sides), workspace edits, kinds,
//! and diagnostics (the shape `seed-lsp check --format json` prints).

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    self as lsp, CompletionItemKind, CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, PositionEncodingKind, Range, ResourceOp, SymbolKind,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::base::Locale;
use crate::base::{LineIndex, PositionEncoding, TextRange};
use crate::ide::{FileId, LineCol, OpenFile, Span, TextChange, WorkspaceChange};
use crate::kb::EntityKind;
use crate::proto::lsp_json::{self, DocumentPositions};

/// The [`FileId`] of a document: its path for `file:` URIs, the URI itself otherwise.
pub fn file_id(uri: &Uri) -> FileId {
    match uri.to_file_path() {
        Some(path) if uri.scheme().as_str() == "file" => FileId::from_path(&path),
        _ => FileId::new(uri.as_str()),
    }
}

/// The URI of a file that is not open.
pub fn uri_of(id: &FileId) -> Option<Uri> {
    match id.path() {
        Some(path) => Uri::from_file_path(path),
        None => id.as_str().parse().ok(),
    }
}

pub fn position(lc: LineCol) -> Position {
    Position {
        line: lc.line,
        character: lc.col,
    }
}

pub fn line_col(p: Position) -> LineCol {
    LineCol {
        line: p.line,
        col: p.character,
    }
}

pub fn range(span: Span) -> Range {
    Range {
        start: position(span.start),
        end: position(span.end),
    }
}

pub fn span(r: Range) -> Span {
    Span {
        start: line_col(r.start),
        end: line_col(r.end),
    }
}

/// Pick the client's most preferred encoding (utf-16 when it names none).
/// One change of a `didChange` notification.
pub fn text_change(change: lsp::TextDocumentContentChangeEvent) -> TextChange {
    TextChange {
        span: change.range.map(span),
        text: change.text,
    }
}

pub fn negotiate_encoding(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    offered
        .unwrap_or_default()
        .iter()
        .find_map(|kind| match kind.as_str() {
            "utf-8" => Some(PositionEncoding::Utf8),
            "utf-16" => Some(PositionEncoding::Utf16),
            "utf-32" => Some(PositionEncoding::Utf32),
            _ => None,
        })
        .unwrap_or(PositionEncoding::Utf16)
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn completion_kind(kind: EntityKind) -> CompletionItemKind {
    match kind {
        EntityKind::Person => CompletionItemKind::VARIABLE,
        EntityKind::Organization => CompletionItemKind::CLASS,
        EntityKind::Place => CompletionItemKind::MODULE,
        EntityKind::Media => CompletionItemKind::INTERFACE,
        EntityKind::Event => CompletionItemKind::EVENT,
        EntityKind::Other => CompletionItemKind::VALUE,
    }
}

pub fn symbol_kind(kind: EntityKind) -> SymbolKind {
    match kind {
        EntityKind::Person => SymbolKind::VARIABLE,
        EntityKind::Organization => SymbolKind::CLASS,
        EntityKind::Place => SymbolKind::MODULE,
        EntityKind::Media => SymbolKind::INTERFACE,
        EntityKind::Event => SymbolKind::EVENT,
        EntityKind::Other => SymbolKind::CONSTANT,
    }
}

/// The version of an open document that edits were computed on.
pub type VersionOf<'a> = dyn Fn(&FileId) -> Option<i32> + 'a;

/// A [`WorkspaceChange`] as a `WorkspaceEdit`. With `versions` (the client supports
/// `documentChanges`), or when files must be created, it is a list of `documentChanges` —
/// `CreateFile` operations first, then one versioned edit per file, so the client refuses
/// edits computed against a text it no longer has; otherwise plain `changes`. `uri_for`
/// names files; `versions` gives the version an open document's edits were computed on.
pub fn workspace_edit(
    change: &WorkspaceChange,
    uri_for: impl Fn(&FileId) -> Option<Uri>,
    versions: Option<&VersionOf<'_>>,
) -> WorkspaceEdit {
    let text_edits = |edits: &[crate::ide::SpanEdit]| -> Vec<TextEdit> {
        edits
            .iter()
            .map(|e| TextEdit {
                range: range(e.span),
                new_text: e.new_text.clone(),
            })
            .collect()
    };
    if change.create.is_empty() && versions.is_none() {
        let changes: HashMap<Uri, Vec<TextEdit>> = change
            .edits
            .iter()
            .filter_map(|(file, edits)| Some((uri_for(file)?, text_edits(edits))))
            .collect();
        return WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        };
    }
    let mut operations: Vec<DocumentChangeOperation> = change
        .create
        .iter()
        .filter_map(|file| {
            Some(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: uri_for(file)?,
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            })))
        })
        .collect();
    operations.extend(change.edits.iter().filter_map(|(file, edits)| {
        Some(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri_for(file)?,
                version: versions.and_then(|v| v(file)),
            },
            edits: text_edits(edits).into_iter().map(OneOf::Left).collect(),
        }))
    }));
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    }
}

/// The diagnostics of an analysed note, in the shape `check --format json` prints.
pub fn diagnostics(file: &OpenFile, uri: &Uri, locale: Locale, encoding: PositionEncoding) -> Vec<lsp::Diagnostic> {
    (0..file.analysis.diagnostics.len())
        .filter_map(|i| diagnostic(file, i, uri, locale, encoding))
        .collect()
}

/// The `i`-th diagnostic of an analysed note.
pub fn diagnostic(
    file: &OpenFile,
    i: usize,
    uri: &Uri,
    locale: Locale,
    encoding: PositionEncoding,
) -> Option<lsp::Diagnostic> {
    let doc = DocumentPositions {
        text: &file.text,
        index: &file.line_index,
        encoding,
    };
    Some(lsp_json::lsp_diagnostic(
        file.analysis.diagnostics.get(i)?,
        doc,
        uri,
        locale,
    ))
}

/// The one diagnostic of a note too large to analyse.
pub fn too_large(bytes: usize, limit: u64, locale: Locale) -> lsp::Diagnostic {
    let (size, limit) = (bytes as f64 / (1 << 20) as f64, limit >> 20);
    let message = match locale {
        Locale::En => format!("This note is too large to check ({size:.1} MB; the limit is {limit} MB)"),
        Locale::Ja => format!("このノートは大きすぎるため検査しません（{size:.1} MB、上限 {limit} MB）"),
    };
    lsp::Diagnostic {
        severity: Some(lsp::DiagnosticSeverity::INFORMATION),
        code: Some(lsp::NumberOrString::String("too-large".into())),
        source: Some(lsp_json::SOURCE.into()),
        message,
        ..lsp::Diagnostic::default()
    }
}

/// A diagnostic on a KB file (parse or build problem) at a byte range of `text`.
pub fn kb_diagnostic(
    text: &str,
    index: &LineIndex,
    range: TextRange,
    message: &str,
    encoding: PositionEncoding,
) -> lsp::Diagnostic {
    let start = index.line_col(text, range.start, encoding);
    let end = index.line_col(text, range.end.max(range.start), encoding);
    lsp::Diagnostic {
        range: Range {
            start: position(start),
            end: position(end),
        },
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: Some(lsp::NumberOrString::String("kb".into())),
        source: Some(lsp_json::SOURCE.into()),
        message: message.to_string(),
        ..lsp::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_preference_wins_and_utf16_is_the_default() {
        let offered = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF32,
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(negotiate_encoding(Some(&offered)), PositionEncoding::Utf32);
        assert_eq!(negotiate_encoding(None), PositionEncoding::Utf16);
        assert_eq!(negotiate_encoding(Some(&[])), PositionEncoding::Utf16);
    }

    #[cfg(unix)]
    #[test]
    fn file_ids_are_paths_and_back() {
        let uri: Uri = "file:///home/u/%E3%83%A1%E3%83%A2.txt".parse().unwrap();
        let id = file_id(&uri);
        assert_eq!(id.as_str(), "/home/u/メモ.txt");
        assert_eq!(file_id(&uri_of(&id).unwrap()), id);
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_id(&untitled).as_str(), "untitled:Untitled-1");
        assert_eq!(uri_of(&file_id(&untitled)).unwrap().as_str(), "untitled:Untitled-1");
    }
}

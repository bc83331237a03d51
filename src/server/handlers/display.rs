//! What the editor displays: document and workspace symbols, semantic tokens (full and
//! range), folding ranges, document links, code lenses and inlay hints.

use std::sync::Arc;

use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeLens, CodeLensParams, Command, DocumentLink, DocumentLinkParams, DocumentSymbol, DocumentSymbolParams,
    DocumentSymbolResponse, FoldingRange, FoldingRangeKind, FoldingRangeParams, InlayHint, InlayHintLabel,
    InlayHintParams, Location, OneOf, SemanticToken, SemanticTokens, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, SymbolKind, Uri, WorkspaceSymbol, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};

use super::{blocking, guard, CancelOnDrop, Uris};
use crate::ide::{self, links::LinkTarget, symbols::SymbolKind as NoteSymbol, Cancel};
use crate::proto::convert;
use crate::server::snapshot::{analysed, world};
use crate::server::state::Shared;

/// The client command a code lens runs (editor integrations register it to show references).
pub const SHOW_REFERENCES_COMMAND: &str = "seedLsp.showReferences";

#[allow(deprecated)]
fn document_symbol(s: ide::symbols::DocumentSymbol) -> DocumentSymbol {
    DocumentSymbol {
        name: s.name,
        detail: s.detail,
        kind: match s.kind {
            NoteSymbol::Heading => SymbolKind::NAMESPACE,
            NoteSymbol::Block => SymbolKind::STRUCT,
            NoteSymbol::Source => SymbolKind::PROPERTY,
        },
        tags: None,
        deprecated: None,
        range: convert::range(s.span),
        selection_range: convert::range(s.selection),
        children: Some(s.children.into_iter().map(document_symbol).collect()),
    }
}

pub async fn document_symbols(
    shared: &Arc<Shared>,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let symbols = guard(|| ide::symbols::document_symbols(&world, &file))?;
    Ok(Some(DocumentSymbolResponse::Nested(
        symbols.into_iter().map(document_symbol).collect(),
    )))
}

pub async fn workspace_symbols(
    shared: &Arc<Shared>,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let world = world(shared);
    let cancel = Cancel::new();
    let _on_drop = CancelOnDrop(cancel.clone());
    let found = blocking(move || ide::symbols::workspace_symbols(&world, &params.query, &cancel))
        .await?
        .map_err(|_| Error::request_cancelled())?;
    let uris = Uris::of(shared);
    let symbols = found
        .into_iter()
        .filter_map(|s| {
            Some(WorkspaceSymbol {
                name: s.name,
                kind: convert::symbol_kind(s.kind),
                tags: None,
                container_name: s.container,
                location: OneOf::Left(Location {
                    uri: uris.get(&s.location.file)?,
                    range: convert::range(s.location.span),
                }),
                data: None,
            })
        })
        .collect();
    Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
}

/// Delta-encode tokens as the protocol wants them.
fn encode(tokens: Vec<ide::semantic_tokens::SemanticToken>) -> SemanticTokens {
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0, 0);
    for t in tokens {
        let delta_line = t.line - line;
        let delta_start = if delta_line == 0 { t.start - start } else { t.start };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: t.length,
            token_type: t.token_type,
            token_modifiers_bitset: t.modifiers,
        });
        (line, start) = (t.line, t.start);
    }
    SemanticTokens { result_id: None, data }
}

pub async fn semantic_tokens_full(
    shared: &Arc<Shared>,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let tokens = guard(|| ide::semantic_tokens::semantic_tokens(&world, &file, None))?;
    Ok(Some(SemanticTokensResult::Tokens(encode(tokens))))
}

pub async fn semantic_tokens_range(
    shared: &Arc<Shared>,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let span = convert::span(params.range);
    let tokens = guard(|| ide::semantic_tokens::semantic_tokens(&world, &file, Some(span)))?;
    Ok(Some(SemanticTokensRangeResult::Tokens(encode(tokens))))
}

pub async fn folding_ranges(shared: &Arc<Shared>, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((_, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let folds = guard(|| ide::folding::folding_ranges(&file))?;
    Ok(Some(
        folds
            .into_iter()
            .map(|f| FoldingRange {
                start_line: f.start_line,
                end_line: f.end_line,
                kind: Some(FoldingRangeKind::Region),
                ..FoldingRange::default()
            })
            .collect(),
    ))
}

/// A URI pointing at a line of a file (`file:///…#L12`, one-based as editors show it).
fn line_uri(uri: &Uri, line: u32) -> Option<Uri> {
    format!("{}#L{}", uri.as_str(), line + 1).parse().ok()
}

pub async fn document_links(shared: &Arc<Shared>, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    let id = convert::file_id(&params.text_document.uri);
    let links = match analysed(shared, &id).await {
        Some((world, file)) => guard(|| ide::links::links(&world, &file))?,
        None => {
            let world = world(shared);
            guard(|| ide::links::links_kb(&world, &id))?
        }
    };
    let uris = Uris::of(shared);
    Ok(Some(
        links
            .into_iter()
            .filter_map(|link| {
                let (target, tooltip) = match link.target {
                    LinkTarget::Url(url) => (url.parse().ok()?, None),
                    LinkTarget::Entity(location) => (
                        line_uri(&uris.get(&location.file)?, location.span.start.line)?,
                        Some("KB entry".into()),
                    ),
                };
                Some(DocumentLink {
                    range: convert::range(link.span),
                    target: Some(target),
                    tooltip,
                    data: None,
                })
            })
            .collect(),
    ))
}

pub async fn code_lenses(shared: &Arc<Shared>, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let id = convert::file_id(&uri);
    let world = world(shared);
    let lenses = guard(|| ide::code_lens::code_lenses(&world, &id))?;
    Ok(Some(
        lenses
            .into_iter()
            .map(|lens| {
                let range = convert::range(lens.span);
                CodeLens {
                    range,
                    command: Some(Command {
                        title: lens.title,
                        command: SHOW_REFERENCES_COMMAND.into(),
                        arguments: Some(vec![json!(uri.as_str()), json!(range.start)]),
                    }),
                    data: None,
                }
            })
            .collect(),
    ))
}

pub async fn inlay_hints(shared: &Arc<Shared>, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let hints = guard(|| ide::inlay_hints::inlay_hints(&world, &file, convert::span(params.range)))?;
    Ok(Some(
        hints
            .into_iter()
            .map(|h| InlayHint {
                position: convert::position(h.position),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: None,
                padding_right: None,
                data: None,
            })
            .collect(),
    ))
}

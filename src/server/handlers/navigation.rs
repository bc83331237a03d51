//! Navigation requests: hover, definition, declaration (the paragraph's source), references,
//! document highlights, rename.
//! Each converts its params, calls the `ide` feature, converts the answer.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::request::{GotoDeclarationParams, GotoDeclarationResponse};
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, GotoDefinitionParams, GotoDefinitionResponse,
    Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind, PrepareRenameResponse, ReferenceParams,
    RenameParams, TextDocumentPositionParams, Uri, WorkspaceEdit,
};

use super::{blocking, guard, workspace_edit, CancelOnDrop, Uris};
use crate::ide::{self, rename::RenameError, Cancel, Markup};
use crate::proto::convert::{self, line_col};
use crate::server::snapshot::{analysed, world};
use crate::server::state::Shared;

/// Locations for the client. Found locations come grouped by file: each file's URI is made
/// once (percent-encoding a path and parsing the URI again cost more than the rest of a
/// location), not once per location.
pub(super) fn locations(uris: &Uris, found: Vec<ide::Location>) -> Vec<Location> {
    let mut last: Option<(ide::FileId, Option<Uri>)> = None;
    found
        .into_iter()
        .filter_map(|l| {
            if last.as_ref().is_none_or(|(file, _)| *file != l.file) {
                let uri = uris.get(&l.file);
                last = Some((l.file, uri));
            }
            Some(Location {
                uri: last.as_ref()?.1.clone()?,
                range: convert::range(l.span),
            })
        })
        .collect()
}

pub async fn hover(shared: &Arc<Shared>, params: HoverParams) -> Result<Option<Hover>> {
    let position = &params.text_document_position_params;
    let id = convert::file_id(&position.text_document.uri);
    let pos = line_col(position.position);
    let markdown = shared.lock().client.markdown_hover;
    let markup = if markdown { Markup::Markdown } else { Markup::PlainText };
    let card = match analysed(shared, &id).await {
        Some((world, file)) => guard(|| ide::hover::hover(&world, &file, pos, markup))?,
        None => {
            let world = world(shared);
            guard(|| ide::hover::hover_kb(&world, &id, pos, markup))?
        }
    };
    Ok(card.map(|card| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: card.text,
        }),
        range: Some(convert::range(card.span)),
    }))
}

pub async fn definition(shared: &Arc<Shared>, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let position = &params.text_document_position_params;
    let id = convert::file_id(&position.text_document.uri);
    let pos = line_col(position.position);
    let found = match analysed(shared, &id).await {
        Some((world, file)) => guard(|| ide::definition::definition(&world, &file, pos))?,
        None => {
            let world = world(shared);
            guard(|| ide::definition::definition_kb(&world, &id, pos))?
        }
    };
    let found = locations(&Uris::of(shared), found);
    Ok((!found.is_empty()).then_some(GotoDefinitionResponse::Array(found)))
}

/// The source line of the paragraph at the position, wherever in the paragraph it is.
pub async fn declaration(
    shared: &Arc<Shared>,
    params: GotoDeclarationParams,
) -> Result<Option<GotoDeclarationResponse>> {
    let position = &params.text_document_position_params;
    let id = convert::file_id(&position.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let found = guard(|| ide::definition::declaration(&world, &file, line_col(position.position)))?;
    let found = locations(&Uris::of(shared), found);
    Ok((!found.is_empty()).then_some(GotoDeclarationResponse::Array(found)))
}

pub async fn references(shared: &Arc<Shared>, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let id = convert::file_id(&params.text_document_position.text_document.uri);
    let pos = line_col(params.text_document_position.position);
    let (world, entity) = match analysed(shared, &id).await {
        Some((world, file)) => {
            let entity = guard(|| ide::references::entity_at(&world, &file, pos))?;
            (world, entity)
        }
        None => {
            let world = world(shared);
            let entity = guard(|| ide::references::entity_at_kb(&world, &id, pos))?;
            (world, entity)
        }
    };
    let Some(entity) = entity else { return Ok(None) };
    let include_declaration = params.context.include_declaration;
    let cancel = Cancel::new();
    let _on_drop = CancelOnDrop(cancel.clone());
    let name = world.kb.kb.entity(entity).name.clone();
    let limit = ide::references::REFERENCES_LIMIT;
    let found =
        blocking(move || ide::references::references_within(&world, entity, include_declaration, limit, &cancel))
            .await?
            .map_err(|_| Error::request_cancelled())?;
    if found.mentions > limit {
        // To the client's log (`window/logMessage`): only the event loop shows messages.
        tracing::warn!(
            "references: {name} is mentioned {} times; answered the first {limit} (in file order)",
            found.mentions
        );
    }
    Ok(Some(locations(&Uris::of(shared), found.locations)))
}

pub async fn highlights(
    shared: &Arc<Shared>,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let position = &params.text_document_position_params;
    let id = convert::file_id(&position.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let spans = guard(|| ide::references::highlights(&world, &file, line_col(position.position)))?;
    Ok(Some(
        spans
            .into_iter()
            .map(|s| DocumentHighlight {
                range: convert::range(s),
                kind: Some(DocumentHighlightKind::TEXT),
            })
            .collect(),
    ))
}

pub async fn prepare_rename(
    shared: &Arc<Shared>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let id = convert::file_id(&params.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    match guard(|| ide::rename::prepare_rename(&world, &file, line_col(params.position)))? {
        Ok(r) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: convert::range(r.span),
            placeholder: r.placeholder,
        })),
        Err(_) => Ok(None),
    }
}

pub async fn rename(shared: &Arc<Shared>, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let position = &params.text_document_position;
    let id = convert::file_id(&position.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let pos = line_col(position.position);
    let cancel = Cancel::new();
    let _on_drop = CancelOnDrop(cancel.clone());
    let new_name = params.new_name;
    let world = Arc::new(world);
    let change = blocking({
        let world = world.clone();
        move || ide::rename::rename(&world, &file, pos, &new_name, &cancel)
    })
    .await?;
    match change {
        Ok(change) => Ok(Some(workspace_edit(shared, &world, &change))),
        Err(RenameError::Cancelled) => Err(Error::request_cancelled()),
        Err(e) => Err(Error::invalid_params(e.to_string())),
    }
}

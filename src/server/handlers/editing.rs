//! Editing help: code actions (every rule's quick fixes, "add to entities.toml") and
//! completion of entity names.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, CompletionItem,
    CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit, Documentation, MarkupContent, MarkupKind,
    TextEdit,
};

use super::{guard, workspace_edit};
use crate::ide;
use crate::proto::convert::{self, line_col};
use crate::server::snapshot::analysed;
use crate::server::state::Shared;

pub async fn code_actions(shared: &Arc<Shared>, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = &params.text_document.uri;
    let id = convert::file_id(uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let can_create = shared.lock().client.create_files;
    let span = convert::span(params.range);
    let actions = guard(|| ide::code_actions::code_actions(&world, &file, span, can_create))?;
    let locale = world.config.locale;
    let response = actions
        .into_iter()
        .map(|action| {
            let diagnostics = action
                .diagnostic
                .and_then(|i| convert::diagnostic(&file, i, uri, locale, world.encoding))
                .map(|d| vec![d]);
            CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics,
                edit: Some(workspace_edit(shared, &world, &action.change)),
                is_preferred: Some(action.preferred),
                ..CodeAction::default()
            })
        })
        .collect();
    Ok(Some(response))
}

pub async fn completion(shared: &Arc<Shared>, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let position = &params.text_document_position;
    let id = convert::file_id(&position.text_document.uri);
    let Some((world, file)) = analysed(shared, &id).await else {
        return Ok(None);
    };
    let found = guard(|| ide::completion::complete(&world, &file, line_col(position.position)))?;
    let items = found
        .into_iter()
        .map(|item| CompletionItem {
            kind: Some(convert::completion_kind(item.kind)),
            detail: Some(item.detail),
            documentation: item.documentation.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::PlainText,
                    value: d,
                })
            }),
            filter_text: Some(item.filter_text),
            sort_text: Some(item.sort_text),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: convert::range(item.replace),
                new_text: item.label.clone(),
            })),
            label: item.label,
            ..CompletionItem::default()
        })
        .collect();
    // Incomplete: the typed prefix decides the candidates, so the client asks again as it grows.
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: true,
        items,
    })))
}

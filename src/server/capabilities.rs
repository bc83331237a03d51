//! What the server offers ([`server_capabilities`]) and what it needs to know about the
//! client ([`client_flags`]).

use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    CompletionOptions, DeclarationCapability, DiagnosticOptions, DiagnosticServerCapabilities, DocumentLinkOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, MarkupKind, OneOf, RenameOptions, ResourceOperationKind,
    SaveOptions, SemanticTokenModifier, SemanticTokenType, SemanticTokensFullOptions, SemanticTokensLegend,
    SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, WorkDoneProgressOptions,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use super::state::ClientFlags;
use crate::base::PositionEncoding;
use crate::ide::semantic_tokens::{TOKEN_MODIFIERS, TOKEN_TYPES};
use crate::proto::convert;

pub fn client_flags(caps: &ClientCapabilities) -> ClientFlags {
    let workspace = caps.workspace.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    let create_files = edit.is_some_and(|e| {
        e.document_changes == Some(true)
            && e.resource_operations
                .as_ref()
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
    });
    // Markdown when the client lists it before plain text; plain text otherwise.
    let markdown_hover = caps
        .text_document
        .as_ref()
        .and_then(|t| t.hover.as_ref())
        .and_then(|h| h.content_format.as_ref())
        .and_then(|formats| {
            formats
                .iter()
                .find(|f| matches!(f, MarkupKind::Markdown | MarkupKind::PlainText))
        })
        == Some(&MarkupKind::Markdown);
    ClientFlags {
        work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress) == Some(true),
        watched_files_registration: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            == Some(true),
        configuration: workspace.and_then(|w| w.configuration) == Some(true),
        create_files,
        document_changes: edit.and_then(|e| e.document_changes) == Some(true),
        markdown_hover,
        refresh_semantic_tokens: workspace
            .and_then(|w| w.semantic_tokens.as_ref())
            .and_then(|s| s.refresh_support)
            == Some(true),
        refresh_code_lenses: workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            == Some(true),
        refresh_inlay_hints: workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|i| i.refresh_support)
            == Some(true),
        pull_diagnostics: caps.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some()),
        refresh_diagnostics: workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            == Some(true),
    }
}

/// The identifier of the server's pull diagnostics.
pub const DIAGNOSTICS_IDENTIFIER: &str = "seed-lsp";

pub fn semantic_tokens_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.iter().map(|t| SemanticTokenType::new(t)).collect(),
        token_modifiers: TOKEN_MODIFIERS.iter().map(|m| SemanticTokenModifier::new(m)).collect(),
    }
}

/// What the server offers; pull diagnostics when the client `pulls` them.
pub fn server_capabilities(encoding: PositionEncoding, pulls: bool) -> ServerCapabilities {
    ServerCapabilities {
        // A note's findings depend on what other notes name; the whole vault is reported.
        diagnostic_provider: pulls.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(DIAGNOSTICS_IDENTIFIER.to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            resolve_provider: Some(false),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        // Go to the source line of the paragraph, from anywhere in it (names included).
        declaration_provider: Some(DeclarationCapability::Simple(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens_legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

//! LSP 3.17 pull diagnostics: `textDocument/diagnostic` (one note, open or closed) and
//! `workspace/diagnostic` (every note of the vault, unless `diagnostics.scope = "open"`).
//! Each report carries a result id ([`crate::ide::diagnostics::result_id`]); a note whose
//! id the client sent back is answered "unchanged" without being analysed. Closed notes are
//! diagnosed a chunk at a time ([`super::super::closed::diagnose`]); with a
//! `partialResultToken` each chunk goes to the client as it is done (`$/progress`), with a
//! `workDoneToken` the share done is reported too.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::*;

use super::super::closed::{self, note_diagnostics};
use super::super::snapshot;
use super::super::state::Shared;
use crate::analysis::settings::DiagnosticsScope;
use crate::ide::diagnostics::result_id;
use crate::ide::{DocKind, FileId};
use crate::proto::convert;

/// A partial result of `workspace/diagnostic`, sent as `$/progress` on the request's
/// `partialResultToken`.
enum PartialResult {}

#[derive(Debug, Serialize, Deserialize)]
struct PartialResultParams {
    token: ProgressToken,
    value: WorkspaceDiagnosticReportPartialResult,
}

impl Notification for PartialResult {
    type Params = PartialResultParams;
    const METHOD: &'static str = "$/progress";
}

fn full(result_id: Option<String>, items: Vec<Diagnostic>) -> FullDocumentDiagnosticReport {
    FullDocumentDiagnosticReport { result_id, items }
}

pub async fn document(
    shared: &Arc<Shared>,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let id = convert::file_id(&uri);
    let previous = params.previous_result_id;
    let report = match snapshot::analysed(shared, &id).await {
        Some((world, file)) => {
            let result_id = result_id(&file.stamp, None);
            if previous.as_ref() == Some(&result_id) {
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
                })
            } else {
                let (locale, encoding) = (world.config.locale, world.encoding);
                let items = super::blocking(move || note_diagnostics(&file, &uri, locale, encoding)).await?;
                related_full(full(Some(result_id), items))
            }
        }
        None => closed_note(shared, &id, previous).await,
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

fn related_full(report: FullDocumentDiagnosticReport) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: report,
    })
}

/// The report of a document that is not an open note: a closed note of the workspace (when
/// the scope is the workspace), else nothing to report.
async fn closed_note(shared: &Arc<Shared>, id: &FileId, previous: Option<String>) -> DocumentDiagnosticReport {
    let mut closed = {
        let state = shared.lock();
        if state.host.config().diagnostics_scope != DiagnosticsScope::Workspace {
            return related_full(full(None, Vec::new()));
        }
        state.host.closed_notes()
    };
    closed.notes.retain(|(file, _)| file == id);
    let Some(&(_, mark)) = closed.notes.first() else {
        return related_full(full(None, Vec::new()));
    };
    let result_id = closed.inputs.result_id(mark);
    if previous.as_ref() == Some(&result_id) {
        return DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        });
    }
    let mut chunks = closed::diagnose(shared.clone(), closed);
    let report = chunks.recv().await.and_then(|r| r.into_iter().next());
    match report {
        Some(r) => related_full(full(Some(r.result_id), r.diagnostics.to_vec())),
        None => related_full(full(None, Vec::new())),
    }
}

/// Where the items of a workspace report go: the answer, or partial results as they come.
struct Stream<'a> {
    shared: &'a Shared,
    partial: Option<ProgressToken>,
    progress: Option<tower_lsp_server::OngoingProgress<tower_lsp_server::Bounded, tower_lsp_server::NotCancellable>>,
    items: Vec<WorkspaceDocumentDiagnosticReport>,
    /// URIs reported so far.
    reported: HashSet<String>,
    done: usize,
    total: usize,
}

impl Stream<'_> {
    async fn push(&mut self, items: Vec<WorkspaceDocumentDiagnosticReport>, notes: usize) {
        for item in &items {
            let uri = match item {
                WorkspaceDocumentDiagnosticReport::Full(r) => &r.uri,
                WorkspaceDocumentDiagnosticReport::Unchanged(r) => &r.uri,
            };
            self.reported.insert(uri.as_str().to_string());
        }
        match &self.partial {
            Some(token) if !items.is_empty() => {
                let params = PartialResultParams {
                    token: token.clone(),
                    value: WorkspaceDiagnosticReportPartialResult { items },
                };
                self.shared.client.send_notification::<PartialResult>(params).await;
            }
            Some(_) => {}
            None => self.items.extend(items),
        }
        self.done += notes;
        if let Some(progress) = &self.progress {
            progress.report((self.done * 100 / self.total.max(1)) as u32).await;
        }
    }
}

fn unchanged(uri: Uri, version: Option<i64>, result_id: String) -> WorkspaceDocumentDiagnosticReport {
    WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
        uri,
        version,
        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
    })
}

fn workspace_full(
    uri: Uri,
    version: Option<i64>,
    result_id: Option<String>,
    items: Vec<Diagnostic>,
) -> WorkspaceDocumentDiagnosticReport {
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: full(result_id, items),
    })
}

pub async fn workspace(
    shared: &Arc<Shared>,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<String, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri.as_str().to_string(), p.value))
        .collect();
    let (open, closed, scope) = {
        let state = shared.lock();
        let open: Vec<(FileId, Uri)> = state
            .host
            .documents()
            .filter(|(_, kind)| *kind == DocKind::Note)
            .filter_map(|(id, _)| Some((id.clone(), state.uri_of(id)?)))
            .collect();
        (open, state.host.closed_notes(), state.host.config().diagnostics_scope)
    };
    let closed_count = if scope == DiagnosticsScope::Workspace {
        closed.notes.len()
    } else {
        0
    };
    let progress = match params.work_done_progress_params.work_done_token {
        Some(token) => Some(
            shared
                .client
                .progress(token, "Checking notes")
                .with_percentage(0)
                .begin()
                .await,
        ),
        None => None,
    };
    let mut stream = Stream {
        shared,
        partial: params.partial_result_params.partial_result_token,
        progress,
        items: Vec::new(),
        reported: HashSet::new(),
        done: 0,
        total: open.len() + closed_count,
    };

    // The open notes first, at the versions the client has.
    let mut items = Vec::new();
    for (id, uri) in &open {
        let Some((world, file)) = snapshot::analysed(shared, id).await else {
            continue;
        };
        let version = Some(i64::from(file.version()));
        let result_id = result_id(&file.stamp, None);
        if previous.get(uri.as_str()) == Some(&result_id) {
            items.push(unchanged(uri.clone(), version, result_id));
        } else {
            let (locale, encoding) = (world.config.locale, world.encoding);
            let uri2 = uri.clone();
            let diagnostics = super::blocking(move || note_diagnostics(&file, &uri2, locale, encoding)).await?;
            items.push(workspace_full(uri.clone(), version, Some(result_id), diagnostics));
        }
    }
    stream.push(items, open.len()).await;

    // The closed notes: unchanged ones at once, the others as they are diagnosed.
    if scope == DiagnosticsScope::Workspace {
        let inputs = closed.inputs.clone();
        let (mut same, mut todo) = (Vec::new(), Vec::new());
        for (file, mark) in closed.notes {
            let result_id = inputs.result_id(mark);
            match convert::uri_of(&file) {
                Some(uri) if previous.get(uri.as_str()) == Some(&result_id) => {
                    same.push(unchanged(uri, None, result_id))
                }
                _ => todo.push((file, mark)),
            }
        }
        let count = same.len();
        stream.push(same, count).await;
        let mut chunks = closed::diagnose(
            shared.clone(),
            crate::ide::diagnostics::ClosedNotes { notes: todo, inputs },
        );
        while let Some(reports) = chunks.recv().await {
            let count = reports.len();
            let items = reports
                .into_iter()
                .map(|r| workspace_full(r.uri, None, Some(r.result_id), r.diagnostics.to_vec()))
                .collect();
            stream.push(items, count).await;
        }
    }

    // Notes the client had reports for and that are no longer reported: cleared.
    let gone: Vec<_> = previous
        .keys()
        .filter(|uri| !stream.reported.contains(*uri))
        .filter_map(|uri| uri.parse::<Uri>().ok())
        .map(|uri| workspace_full(uri, None, None, Vec::new()))
        .collect();
    stream.push(gone, 0).await;
    if let Some(progress) = stream.progress.take() {
        progress.finish_with_message(format!("{} notes", stream.total)).await;
    }
    Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport {
        items: stream.items,
    }))
}

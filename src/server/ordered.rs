//! [`Ordered`]: the service wrapper that makes document sync strictly ordered and keeps one
//! failing request from taking the server down.
//!
//! Why: tower-lsp-server reads messages in order and calls the service's `call` for each,
//! in order, on its reading task — but the futures `call` returns are then run by
//! `buffer_unordered`, so two `didChange` handlers may run in any order (tower-lsp#284).
//! Relying on "the handler's synchronous prefix runs first" would depend on the polling
//! order of `FuturesUnordered`, an implementation detail. So `didOpen`, `didChange` and
//! `didClose` are applied right here, inside `call`, under the state lock, before the next
//! message is even read: the order of application is the order on the wire, by
//! construction. They are not forwarded to the inner service; their params are taken from
//! the message tower-lsp parsed, not parsed again.
//!
//! Every other message is forwarded; the future is wrapped in `catch_unwind`, so a panic in
//! a handler becomes a JSON-RPC internal error for that request (and is logged), while the
//! server carries on. The wrapper also makes sure that every request gets exactly one answer
//! (tower-lsp drops unknown `$/…` requests silently: they get MethodNotFound here), that
//! every request after `shutdown` is refused with InvalidRequest, and that `[]` or `{}` are
//! accepted as "no params" by the methods that take none.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::future::{self, BoxFuture, FutureExt};
use serde::de::DeserializeOwned;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams};
use tower_service::Service;

use super::main_loop::Event;
use super::panic_message;
use super::state::Shared;
use crate::ide::Change;
use crate::proto::convert;

pub struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
    /// The ids of the requests received and not yet answered: a `$/cancelRequest` names one
    /// of them or nothing (tower-lsp would otherwise let it cancel a request read after it).
    running: Arc<Mutex<HashSet<Id>>>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, shared: Arc<Shared>) -> Self {
        Ordered {
            inner,
            shared,
            running: Arc::default(),
        }
    }
}

/// A request under way: its id is in the set until the request is answered or dropped.
struct UnderWay {
    running: Arc<Mutex<HashSet<Id>>>,
    id: Id,
}

impl UnderWay {
    fn new(running: &Arc<Mutex<HashSet<Id>>>, id: Id) -> Self {
        running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone());
        UnderWay {
            running: running.clone(),
            id,
        }
    }
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

/// The id a `$/cancelRequest` names.
fn cancelled_id(request: &Request) -> Option<Id> {
    let id = request.params()?.get("id")?.clone();
    serde_json::from_value(id).ok()
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let sync = matches!(
            request.method(),
            "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
        );
        if sync && request.id().is_none() {
            let shared = self.shared.clone();
            let method = request.method().to_string();
            let applied = std::panic::catch_unwind(AssertUnwindSafe(|| apply_sync(&shared, request)));
            if let Err(panic) = applied {
                tracing::error!("panic while applying {method}: {}", panic_message(&*panic));
            }
            return future::ok(None).boxed();
        }
        if request.method() == "exit" {
            self.shared.exit.notify_one();
        }
        if request.method() == "$/cancelRequest" {
            let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            if !cancelled_id(&request).is_some_and(|id| running.contains(&id)) {
                tracing::debug!("ignoring $/cancelRequest for no request under way");
                return future::ok(None).boxed();
            }
        }
        let id = request.id().cloned();
        if let Some(id) = id.clone().filter(|_| request.method() != "exit") {
            if self.shared.shutdown_requested.load(Ordering::Acquire) {
                // After `shutdown` every request is refused, known or not.
                return future::ok(Some(Response::from_error(id, Error::invalid_request()))).boxed();
            }
        }
        let request = without_empty_params(request);
        let method = request.method().to_string();
        let under_way = id.clone().map(|id| UnderWay::new(&self.running, id));
        let response = self.inner.call(request);
        AssertUnwindSafe(response)
            .catch_unwind()
            .map(move |result| {
                drop(under_way);
                result
            })
            .map(move |result| match result {
                // Every request gets an answer: tower-lsp drops unknown `$/` requests silently.
                Ok(Ok(None)) if id.is_some() => {
                    let error = Error {
                        data: Some(method.clone().into()),
                        ..Error::method_not_found()
                    };
                    Ok(id.map(|id| Response::from_error(id, error)))
                }
                Ok(response) => response,
                Err(panic) => {
                    let message = panic_message(&*panic);
                    tracing::error!("panic in handler of {method}: {message}");
                    let error = Error {
                        code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                        message: format!("internal error in {method}: {message}").into(),
                        data: None,
                    };
                    Ok(id.map(|id| Response::from_error(id, error)))
                }
            })
            .boxed()
    }
}

/// Methods that take no params; `[]` and `{}` are accepted for them as for "no params".
const WITHOUT_PARAMS: &[&str] = &["shutdown", "exit", super::STATUS, super::DEBUG_PANIC];

fn without_empty_params(request: Request) -> Request {
    let empty = match request.params() {
        Some(serde_json::Value::Array(a)) => a.is_empty(),
        Some(serde_json::Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    if !empty || !WITHOUT_PARAMS.contains(&request.method()) {
        return request;
    }
    let (method, id, _) = request.into_parts();
    let builder = Request::build(method);
    match id {
        Some(id) => builder.id(id).finish(),
        None => builder.finish(),
    }
}

/// The params of a notification, taken (not copied) from the request tower-lsp parsed.
fn params<P: DeserializeOwned>(method: &str, params: Option<serde_json::Value>) -> Option<P> {
    serde_json::from_value(params.unwrap_or_default())
        .map_err(|e| tracing::warn!("ignoring {method} with invalid params: {e}"))
        .ok()
}

/// Apply one text-sync notification to the analysis host (before initialize: ignored, as
/// the protocol requires), under one lock, and tell the event loop.
fn apply_sync(shared: &Shared, request: Request) {
    if !shared.initialized.load(Ordering::Acquire) {
        tracing::warn!("ignoring {} before initialize", request.method());
        return;
    }
    let (method, _, raw) = request.into_parts();
    match &*method {
        "textDocument/didOpen" => {
            let Some(p) = params::<DidOpenTextDocumentParams>(&method, raw) else {
                return;
            };
            let doc = p.text_document;
            let id = convert::file_id(&doc.uri);
            let mut state = shared.lock();
            state.uris.insert(id.clone(), doc.uri);
            state.host.apply_change(Change::Open {
                file: id.clone(),
                version: doc.version,
                text: doc.text,
            });
            drop(state);
            shared.send(Event::DocumentChanged(id));
        }
        "textDocument/didChange" => {
            let Some(p) = params::<DidChangeTextDocumentParams>(&method, raw) else {
                return;
            };
            let id = convert::file_id(&p.text_document.uri);
            let version = p.text_document.version;
            let changes = p.content_changes.into_iter().map(convert::text_change).collect();
            let applied = shared.lock().host.apply_change(Change::Edit {
                file: id.clone(),
                version,
                changes,
            });
            if applied.document.is_none() {
                tracing::warn!("didChange for a document that is not open: {id}");
                return;
            }
            tracing::debug!("applied didChange {id} v{version}");
            shared.send(Event::DocumentChanged(id));
        }
        "textDocument/didClose" => {
            let Some(p) = params::<DidCloseTextDocumentParams>(&method, raw) else {
                return;
            };
            let id = convert::file_id(&p.text_document.uri);
            let mut state = shared.lock();
            let applied = state.host.apply_change(Change::Close { file: id.clone() });
            let uri = state.uris.remove(&id);
            drop(state);
            let (Some(kind), Some(uri)) = (applied.document, uri) else {
                return;
            };
            shared.send(Event::DocumentClosed { file: id, uri, kind });
            if applied.facts_changed {
                shared.send(Event::Refresh);
            }
        }
        _ => {}
    }
}

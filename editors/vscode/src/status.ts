/**
 * The status bar item: the client's state and the server's work-done progress (indexing),
 * as a small pure model ([`StatusModel`]) updated by events and rendered by [`render`].
 */

export type ClientState = 'starting' | 'running' | 'stopped' | 'failed';

export interface ProgressState {
  title: string;
  message?: string;
  percentage?: number;
}

export interface StatusModel {
  client: ClientState;
  /** Work-done progress by token, in the order it began. */
  progress: ReadonlyMap<string, ProgressState>;
  /** The last finished progress (e.g. `Indexing seeds: 5 notes`). */
  lastDone?: ProgressState;
  /** Why the server could not start. */
  failure?: string;
  serverVersion?: string;
}

export const initialStatus: StatusModel = { client: 'stopped', progress: new Map() };

/** `$/progress` values (LSP `WorkDoneProgressBegin | Report | End`). */
export type ProgressValue =
  | { kind: 'begin'; title: string; message?: string; percentage?: number }
  | { kind: 'report'; message?: string; percentage?: number }
  | { kind: 'end'; message?: string };

export function withClientState(model: StatusModel, client: ClientState, failure?: string): StatusModel {
  return {
    ...model,
    client,
    failure: client === 'failed' ? failure : undefined,
    // A server that stopped reports nothing more: its progress is over.
    progress: client === 'running' || client === 'starting' ? model.progress : new Map(),
  };
}

export function withProgress(model: StatusModel, token: string | number, value: ProgressValue): StatusModel {
  const key = String(token);
  const progress = new Map(model.progress);
  switch (value.kind) {
    case 'begin':
      progress.set(key, { title: value.title, message: value.message, percentage: value.percentage });
      return { ...model, progress };
    case 'report': {
      const current = progress.get(key);
      if (!current) {
        return model;
      }
      progress.set(key, {
        title: current.title,
        message: value.message ?? current.message,
        percentage: value.percentage ?? current.percentage,
      });
      return { ...model, progress };
    }
    case 'end': {
      const current = progress.get(key);
      progress.delete(key);
      const lastDone = current ? { title: current.title, message: value.message } : model.lastDone;
      return { ...model, progress, lastDone };
    }
  }
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Maps to the status bar's warning/error background. */
  level: 'normal' | 'warning' | 'error';
}

export function render(model: StatusModel): StatusView {
  const name = model.serverVersion ? `seed-lsp ${model.serverVersion}` : 'seed-lsp';
  switch (model.client) {
    case 'starting':
      return { text: '$(sync~spin) Seed', tooltip: `${name}: starting…`, level: 'normal' };
    case 'stopped':
      return { text: '$(circle-slash) Seed', tooltip: `${name}: stopped. Click for the output.`, level: 'warning' };
    case 'failed':
      return {
        text: '$(error) Seed',
        tooltip: `${model.failure ?? `${name} failed`}. Click for the output.`,
        level: 'error',
      };
    case 'running':
      break;
  }
  const running = [...model.progress.values()];
  if (running.length > 0) {
    const p = running[running.length - 1];
    const percent = p.percentage !== undefined ? ` ${Math.round(p.percentage)}%` : '';
    const detail = p.message ? ` (${p.message})` : '';
    return { text: `$(sync~spin) Seed: ${p.title}${percent}`, tooltip: `${name}: ${p.title}${detail}`, level: 'normal' };
  }
  const done = model.lastDone;
  const summary = done ? `${done.title}: ${done.message ?? 'done'}` : 'ready';
  const short = done?.message ? `Seed: ${done.message}` : 'Seed';
  return { text: `$(check) ${short}`, tooltip: `${name}: ${summary}. Click for the output.`, level: 'normal' };
}

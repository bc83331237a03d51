/**
 * The status bar item: the client's state, the server's work-done progress (indexing) and
 * what the server reports of itself (`seedLsp/status`: notes indexed, KB entities), as a
 * small pure model ([`StatusModel`]) updated by events and rendered by [`render`]. The
 * tooltip says only what is true now: "indexing" while the progress runs, the facts after.
 */

export type ClientState = 'starting' | 'running' | 'stopped' | 'failed';

export interface ProgressState {
  title: string;
  message?: string;
  percentage?: number;
}

/** The answer to `seedLsp/status` (the fields the status bar shows). */
export interface ServerFacts {
  indexing: boolean;
  indexedFiles: number;
  kbEntities: number;
  /** The workspace's KB files (the built-in KB is always loaded besides them). */
  kbFiles: string[];
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
  /** The server's last `seedLsp/status` answer. */
  facts?: ServerFacts;
}

export const initialStatus: StatusModel = { client: 'stopped', progress: new Map() };

/** `$/progress` values (LSP `WorkDoneProgressBegin | Report | End`). */
export type ProgressValue =
  | { kind: 'begin'; title: string; message?: string; percentage?: number }
  | { kind: 'report'; message?: string; percentage?: number }
  | { kind: 'end'; message?: string };

export function withClientState(model: StatusModel, client: ClientState, failure?: string): StatusModel {
  const alive = client === 'running' || client === 'starting';
  return {
    ...model,
    client,
    failure: client === 'failed' ? failure : undefined,
    // A server that stopped reports nothing more: its progress is over, its facts are old.
    progress: alive ? model.progress : new Map(),
    facts: alive ? model.facts : undefined,
  };
}

export function withFacts(model: StatusModel, facts: ServerFacts): StatusModel {
  return { ...model, facts };
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
  /** Lines of the tooltip. */
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
    return {
      text: `$(sync~spin) Seed: ${p.title}${percent}`,
      tooltip: `${name}: ${p.title}${percent}${detail}`,
      level: 'normal',
    };
  }
  const facts = model.facts;
  if (!facts) {
    const done = model.lastDone;
    const short = done?.message ? `Seed: ${done.message}` : 'Seed';
    return { text: `$(check) ${short}`, tooltip: `${name} is running.\nClick to show the server output.`, level: 'normal' };
  }
  const notes = `${facts.indexedFiles} note${facts.indexedFiles === 1 ? '' : 's'}`;
  const indexed = facts.indexing ? `Indexing the workspace (${notes} so far)` : `${notes} indexed`;
  return {
    // Without progress reports (or before the first), the facts still say when indexing runs.
    text: facts.indexing ? '$(sync~spin) Seed: indexing' : `$(check) Seed: ${notes}`,
    tooltip: [
      `${name} is running.`,
      `${indexed}.`,
      `Knowledge base: ${facts.kbEntities} entities (${kbSources(facts.kbFiles)}).`,
      'Click to show the server output.',
    ].join('\n'),
    level: 'normal',
  };
}

/** `built-in`, `built-in + entities.toml`, `built-in + 4 files`. */
function kbSources(files: readonly string[]): string {
  if (files.length === 0) {
    return 'built-in';
  }
  if (files.length > 2) {
    return `built-in + ${files.length} files`;
  }
  return ['built-in', ...files.map((f) => f.split(/[\\/]/).pop() ?? f)].join(' + ');
}

/**
 * Which of the `seedLsp` settings go to the server, and in what shape.
 *
 * The server reads the same keys from `seed-lsp.toml`, from `initializationOptions` and from
 * the `seedLsp` section of `workspace/configuration`, later ones winning (see
 * `src/server/settings.rs` and `src/config.rs::RawConfig`; unknown keys are rejected there).
 * So the extension sends only the keys the server knows, and only those a user actually set:
 * a default filled in by VS Code would otherwise override the project's `seed-lsp.toml`.
 */

/** The settings section, also the client id (so `seedLsp.trace.server` works). */
export const SECTION = 'seedLsp';

/** What `WorkspaceConfiguration.inspect` answers (the parts we use). */
export interface Inspection<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** A view of the `seedLsp` section: `vscode.workspace.getConfiguration('seedLsp')` fits. */
export interface SettingsReader {
  inspect<T>(key: string): Inspection<T> | undefined;
}

/** Server keys (dotted paths inside `seedLsp`) and how to combine the scopes of each. */
const SERVER_KEYS: ReadonlyArray<{ key: string; merge: 'replace' | 'object' }> = [
  { key: 'locale', merge: 'replace' },
  { key: 'rules', merge: 'object' },
  { key: 'kb.paths', merge: 'replace' },
  { key: 'prh.paths', merge: 'replace' },
  { key: 'files.include', merge: 'replace' },
  { key: 'files.exclude', merge: 'replace' },
  { key: 'inlayHints.enabled', merge: 'replace' },
  { key: 'diagnostics.scope', merge: 'replace' },
  { key: 'duplicatePassage.acrossNotes', merge: 'replace' },
  // The server's log level: applied while it runs, its lines arrive as `window/logMessage`.
  { key: 'log', merge: 'replace' },
];

/** The settings only the extension reads (never sent, so the server's strict parser is happy). */
export const EXTENSION_KEYS = [
  'server.path',
  'server.extraEnv',
  'trace.server',
  'filePatterns',
  'highlight.quotes',
] as const;

/** Settings whose change needs a new server process. */
export const RESTART_KEYS = ['server.path', 'server.extraEnv'] as const;

export type ServerSettings = Record<string, unknown>;

/**
 * The `seedLsp` object for the server (`initializationOptions`, `workspace/configuration`,
 * `didChangeConfiguration`): the explicitly set values, nested as in `seed-lsp.toml`.
 * `rules` objects of the user, workspace and folder scopes are merged, the narrower winning.
 */
export function serverSettings(reader: SettingsReader): ServerSettings {
  const out: ServerSettings = {};
  for (const { key, merge } of SERVER_KEYS) {
    const value = explicitValue(reader.inspect<unknown>(key), merge);
    if (value !== undefined) {
      setPath(out, key, value);
    }
  }
  return out;
}

/** The value set in the narrowest scope, or the merge of object values; undefined when unset. */
export function explicitValue<T>(inspection: Inspection<T> | undefined, merge: 'replace' | 'object'): T | undefined {
  if (!inspection) {
    return undefined;
  }
  const scoped = [inspection.globalValue, inspection.workspaceValue, inspection.workspaceFolderValue].filter(
    (v): v is T => v !== undefined && v !== null,
  );
  if (scoped.length === 0) {
    return undefined;
  }
  if (merge === 'object') {
    const merged = Object.assign({}, ...scoped.filter(isPlainObject)) as T;
    return Object.keys(merged as object).length > 0 ? merged : undefined;
  }
  return scoped[scoped.length - 1];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) {
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** True when a configuration change touches one of `keys` (`affects` is `event.affectsConfiguration`). */
export function affectsAny(affects: (section: string) => boolean, keys: readonly string[]): boolean {
  return keys.some((key) => affects(`${SECTION}.${key}`));
}

/** True when a change affects a setting the server reads. */
export function affectsServer(affects: (section: string) => boolean): boolean {
  return affectsAny(
    affects,
    SERVER_KEYS.map((k) => k.key),
  );
}

/**
 * The answer to `workspace/configuration` items: the server's view of `seedLsp` for that
 * section, `undefined` for sections this extension does not own (left to the default handler).
 */
export function configurationAnswer(
  items: ReadonlyArray<{ section?: string; scopeUri?: string }>,
  readerFor: (scopeUri: string | undefined) => SettingsReader,
): Array<ServerSettings | undefined> {
  return items.map((item) => (item.section === SECTION ? serverSettings(readerFor(item.scopeUri)) : undefined));
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  affectsAny,
  affectsServer,
  configurationAnswer,
  explicitValue,
  Inspection,
  RESTART_KEYS,
  serverSettings,
  SettingsReader,
} from '../../src/settings';

/** A fake `WorkspaceConfiguration` with defaults and per-scope values, like VS Code's. */
function reader(scopes: {
  defaults?: Record<string, unknown>;
  global?: Record<string, unknown>;
  workspace?: Record<string, unknown>;
  folder?: Record<string, unknown>;
}): SettingsReader {
  return {
    inspect<T>(key: string): Inspection<T> {
      return {
        defaultValue: scopes.defaults?.[key] as T,
        globalValue: scopes.global?.[key] as T,
        workspaceValue: scopes.workspace?.[key] as T,
        workspaceFolderValue: scopes.folder?.[key] as T,
      };
    },
  };
}

describe('serverSettings', () => {
  it('sends nothing when only defaults exist, so seed-lsp.toml keeps applying', () => {
    const settings = serverSettings(
      reader({ defaults: { 'files.include': ['**/*.txt'], rules: {}, 'server.path': '', filePatterns: ['x'] } }),
    );
    assert.deepEqual(settings, {});
  });

  it('nests dotted keys the way the server reads them and leaves out extension-only keys', () => {
    const settings = serverSettings(
      reader({
        global: {
          locale: 'ja',
          'kb.paths': ['kb/people.toml'],
          'files.include': ['notes/**/*.txt'],
          'files.exclude': ['drafts/**'],
          'inlayHints.enabled': true,
          'server.path': '/opt/seed-lsp',
          'trace.server': 'verbose',
          log: 'debug',
          filePatterns: ['**/*.note'],
          'highlight.quotes': true,
        },
      }),
    );
    assert.deepEqual(settings, {
      locale: 'ja',
      kb: { paths: ['kb/people.toml'] },
      files: { include: ['notes/**/*.txt'], exclude: ['drafts/**'] },
      inlayHints: { enabled: true },
      log: 'debug',
    });
  });

  it('keeps an explicit false and an explicit empty list', () => {
    const settings = serverSettings(
      reader({ workspace: { 'inlayHints.enabled': false, 'files.exclude': [], 'diagnostics.scope': 'open' } }),
    );
    assert.deepEqual(settings, { inlayHints: { enabled: false }, files: { exclude: [] }, diagnostics: { scope: 'open' } });
  });

  it('lets the narrowest scope win, and merges rule tables across scopes', () => {
    const settings = serverSettings(
      reader({
        global: { locale: 'en', rules: { 'unknown-entity': 'off', 'glued-entities': 'hint' } },
        workspace: { locale: 'ja', rules: { 'glued-entities': 'error' } },
        folder: { rules: { 'misspelled-entity': 'error' } },
      }),
    );
    assert.deepEqual(settings, {
      locale: 'ja',
      rules: { 'unknown-entity': 'off', 'glued-entities': 'error', 'misspelled-entity': 'error' },
    });
  });

  it('treats an empty rule table as unset', () => {
    assert.equal(explicitValue({ globalValue: {} }, 'object'), undefined);
    assert.equal(explicitValue(undefined, 'replace'), undefined);
    assert.equal(explicitValue({ globalValue: null }, 'replace'), undefined);
  });
});

describe('configurationAnswer', () => {
  it('answers the seedLsp section and leaves other sections to the default handler', () => {
    const scopes: Array<string | undefined> = [];
    const answers = configurationAnswer([{ section: 'seedLsp' }, { section: 'editor' }, { section: 'seedLsp', scopeUri: 'file:///w' }], (scope) => {
      scopes.push(scope);
      return reader({ global: { locale: 'ja' } });
    });
    assert.deepEqual(answers, [{ locale: 'ja' }, undefined, { locale: 'ja' }]);
    assert.deepEqual(scopes, [undefined, 'file:///w']);
  });
});

describe('configuration changes', () => {
  const changed = (...sections: string[]) => (s: string) => sections.some((c) => c === s || c.startsWith(`${s}.`));

  it('restarts for the process settings only', () => {
    assert.equal(affectsAny(changed('seedLsp.server.path'), RESTART_KEYS), true);
    // The log level is a server setting, applied while it runs.
    assert.equal(affectsAny(changed('seedLsp.log'), RESTART_KEYS), false);
    assert.equal(affectsServer(changed('seedLsp.log')), true);
    assert.equal(affectsAny(changed('seedLsp.rules'), RESTART_KEYS), false);
  });

  it('notifies the server for the keys it reads', () => {
    assert.equal(affectsServer(changed('seedLsp.rules')), true);
    assert.equal(affectsServer(changed('seedLsp.kb.paths')), true);
    assert.equal(affectsServer(changed('seedLsp.filePatterns')), false);
    assert.equal(affectsServer(changed('seedLsp.trace.server')), false);
  });
});

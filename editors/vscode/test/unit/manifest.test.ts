// The manifest (package.json) against the server's source: every rule the server knows has a
// severity setting, every setting sent to the server is a key the server accepts, and the
// static language contribution agrees with the default patterns.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { COMMANDS } from '../../src/commands';
import { DEFAULT_FILE_PATTERNS } from '../../src/patterns';
import { EXTENSION_KEYS, serverSettings } from '../../src/settings';

const extensionDir = path.resolve(__dirname, '../../..');
const repo = path.resolve(extensionDir, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const properties: Record<string, { enum?: string[]; properties?: Record<string, { enum?: string[] }> }> =
  manifest.contributes.configuration.properties;

/** Every Rust source file under the repository's src/ folder. */
function rustSources(dir = path.join(repo, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return rustSources(full);
    }
    return entry.name.endsWith('.rs') ? [full] : [];
  });
}

/** The ids of the server's rules: `id: RuleId::new("…")` in each rule's `RULE` constant. */
function serverRuleNames(): string[] {
  const ids = rustSources().flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/\bid: RuleId::new\("([a-z-]+)"\)/g)].map((m) => m[1]),
  );
  assert.ok(ids.length > 0, 'no RuleId::new("…") found under src/');
  return [...new Set(ids)].sort();
}

/** The camelCase field names of a serde struct of the server's settings, with their types. */
function rawFields(struct: string): Map<string, string> {
  const header = `pub struct ${struct} {`;
  const source = rustSources()
    .map((file) => fs.readFileSync(file, 'utf8'))
    .find((text) => text.includes(header));
  assert.ok(source, `${struct} not found under src/`);
  const start = source.indexOf(header);
  const body = source.slice(start, source.indexOf('\n}', start));
  const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return new Map([...body.matchAll(/pub (\w+): ([\w<>, :]+),/g)].map((m) => [camel(m[1]), m[2]]));
}

describe('package.json', () => {
  it('has a severity setting for every rule of the server, with the levels it accepts', () => {
    const rules = properties['seedLsp.rules'].properties ?? {};
    assert.deepEqual(Object.keys(rules).sort(), serverRuleNames());
    for (const [name, schema] of Object.entries(rules)) {
      assert.deepEqual(schema.enum, ['off', 'hint', 'info', 'warning', 'error'], name);
    }
  });

  it('only declares settings the server accepts or the extension reads', () => {
    const top = rawFields('RawConfig');
    for (const key of Object.keys(properties).map((k) => k.replace(/^seedLsp\./, ''))) {
      if ((EXTENSION_KEYS as readonly string[]).includes(key)) {
        continue;
      }
      const [head, ...rest] = key.split('.');
      assert.ok(top.has(head), `seedLsp.${key}: the server has no "${head}" key`);
      if (rest.length > 0) {
        const nested = rawFields(top.get(head)!);
        assert.ok(nested.has(rest[0]), `seedLsp.${key}: the server has no "${head}.${rest[0]}"`);
      }
    }
  });

  it('sends every declared server setting when all are set', () => {
    const keys = Object.keys(properties)
      .map((k) => k.replace(/^seedLsp\./, ''))
      .filter((k) => !(EXTENSION_KEYS as readonly string[]).includes(k));
    const sent = serverSettings({ inspect: <T>(key: string) => ({ globalValue: (key === 'rules' ? { x: 'off' } : 'v') as T }) });
    const flat = Object.entries(sent).flatMap(([k, v]) =>
      k === 'rules' ? [k] : typeof v === 'object' && v !== null ? Object.keys(v).map((n) => `${k}.${n}`) : [k],
    );
    assert.deepEqual(flat.sort(), keys.sort());
  });

  it('contributes the seed language with the default patterns', () => {
    const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'seed');
    const contributed = [
      ...language.filenamePatterns,
      ...language.extensions.map((e: string) => `**/*${e}`),
    ].sort();
    assert.deepEqual(contributed, [...DEFAULT_FILE_PATTERNS].sort());
    const setting = manifest.contributes.configuration.properties['seedLsp.filePatterns'];
    assert.deepEqual(setting.default, [...DEFAULT_FILE_PATTERNS]);
  });

  it('declares the commands the extension registers', () => {
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    // showReferences is internal (run by code lenses), so not in the command palette.
    assert.deepEqual(commands, [COMMANDS.restartServer, COMMANDS.showOutput].sort());
    const extension = fs.readFileSync(path.join(extensionDir, 'src/extension.ts'), 'utf8');
    for (const key of Object.keys(COMMANDS)) {
      assert.ok(extension.includes(`registerCommand(COMMANDS.${key}`), key);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { executable, expandPath, launchFailureMessage, LaunchInputs, resolveServer } from '../../src/server';

const base: LaunchInputs = {
  extensionPath: '/ext',
  homeDir: '/home/ann',
  workspaceFolder: '/work/notes',
  platform: 'linux',
  isExecutable: () => false,
};

describe('resolveServer', () => {
  it('prefers the setting, then the bundled binary, then PATH', () => {
    const bundled = (file: string) => file === '/ext/server/seed-lsp';
    assert.deepEqual(resolveServer({ ...base, configuredPath: '/opt/seed-lsp', isExecutable: bundled }), {
      command: '/opt/seed-lsp',
      args: ['--stdio'],
      env: {},
      source: 'setting',
    });
    assert.equal(resolveServer({ ...base, configuredPath: '  ', isExecutable: bundled }).source, 'bundled');
    assert.equal(resolveServer({ ...base, isExecutable: bundled }).command, '/ext/server/seed-lsp');
    assert.deepEqual(resolveServer(base), { command: 'seed-lsp', args: ['--stdio'], env: {}, source: 'path' });
  });

  it('uses the Windows binary name', () => {
    const launch = resolveServer({
      ...base,
      extensionPath: 'C:\\ext',
      platform: 'win32',
      isExecutable: (f) => f.endsWith('seed-lsp.exe'),
    });
    assert.equal(launch.source, 'bundled');
    assert.match(launch.command, /server[\\/]seed-lsp\.exe$/);
    assert.equal(resolveServer({ ...base, platform: 'win32' }).command, 'seed-lsp.exe');
  });

  it('passes extra variables in the environment, and no log level (a setting the server reads)', () => {
    const launch = resolveServer({ ...base, extraEnv: { RUST_BACKTRACE: 1, SKIP: null } });
    assert.deepEqual(launch.env, { RUST_BACKTRACE: '1' });
    assert.deepEqual(resolveServer(base).env, {});
  });
});

describe('expandPath', () => {
  it('expands ~ and variables, and resolves relative paths from the workspace', () => {
    assert.equal(expandPath('~/bin/seed-lsp', base), '/home/ann/bin/seed-lsp');
    assert.equal(expandPath('${userHome}/x', base), '/home/ann/x');
    assert.equal(expandPath('${workspaceFolder}/target/release/seed-lsp', base), '/work/notes/target/release/seed-lsp');
    assert.equal(expandPath('target/release/seed-lsp', base), '/work/notes/target/release/seed-lsp');
    assert.equal(expandPath('seed-lsp-nightly', base), 'seed-lsp-nightly');
    assert.equal(expandPath('/usr/bin/seed-lsp', base), '/usr/bin/seed-lsp');
  });
});

describe('launchFailureMessage', () => {
  it('says where the binary was looked for', () => {
    const error = new Error('spawn seed-lsp ENOENT');
    assert.match(launchFailureMessage(resolveServer(base), error), /looked up on PATH.*ENOENT/);
    assert.match(
      launchFailureMessage(resolveServer({ ...base, configuredPath: '/nope' }), error),
      /seedLsp\.server\.path` is "\/nope"/,
    );
  });
});

describe('executable', () => {
  it('passes --stdio once and leaves the transport unset (the client would add a second --stdio)', () => {
    const run = executable(resolveServer({ ...base, extraEnv: { RUST_BACKTRACE: '1' } }), { PATH: '/usr/bin' });
    assert.deepEqual(run, {
      command: 'seed-lsp',
      args: ['--stdio'],
      options: { env: { PATH: '/usr/bin', RUST_BACKTRACE: '1' } },
    });
    assert.equal('transport' in run, false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { initialStatus, render, StatusModel, withClientState, withFacts, withProgress } from '../../src/status';

describe('status bar', () => {
  it('follows the indexing progress of a running server', () => {
    let model: StatusModel = withClientState(initialStatus, 'starting');
    assert.equal(render(model).text, '$(sync~spin) Seed');
    model = { ...withClientState(model, 'running'), serverVersion: '0.1.0' };
    assert.equal(render(model).text, '$(check) Seed');
    const token = 'seed-lsp/indexing/1';
    model = withProgress(model, token, { kind: 'begin', title: 'Indexing seeds', percentage: 0, message: '5 notes' });
    assert.deepEqual(render(model), {
      text: '$(sync~spin) Seed: Indexing seeds 0%',
      tooltip: 'seed-lsp 0.1.0: Indexing seeds 0% (5 notes)',
      level: 'normal',
    });
    model = withProgress(model, token, { kind: 'report', percentage: 40 });
    assert.equal(render(model).text, '$(sync~spin) Seed: Indexing seeds 40%');
    assert.match(render(model).tooltip, /\(5 notes\)/);
    model = withProgress(model, token, { kind: 'end', message: '5 notes' });
    // Indexing is over: the tooltip no longer says it is going on.
    assert.deepEqual(render(model), {
      text: '$(check) Seed: 5 notes',
      tooltip: 'seed-lsp 0.1.0 is running.\nClick to show the server output.',
      level: 'normal',
    });
    // Then the facts the server reports (seedLsp/status).
    model = withFacts(model, { indexing: false, indexedFiles: 5, kbEntities: 570, kbFiles: ['/w/notes/entities.toml'] });
    assert.deepEqual(render(model), {
      text: '$(check) Seed: 5 notes',
      tooltip: [
        'seed-lsp 0.1.0 is running.',
        '5 notes indexed.',
        'Knowledge base: 570 entities (built-in + entities.toml).',
        'Click to show the server output.',
      ].join('\n'),
      level: 'normal',
    });
  });

  it('states what the server reports, and forgets it when the server stops', () => {
    let model = withClientState(initialStatus, 'running');
    model = withFacts(model, { indexing: true, indexedFiles: 1, kbEntities: 3, kbFiles: ['a.toml', 'b.toml', 'c.toml'] });
    assert.equal(render(model).text, '$(sync~spin) Seed: indexing');
    const lines = render(model).tooltip.split('\n');
    assert.deepEqual(lines.slice(1, 3), [
      'Indexing the workspace (1 note so far).',
      'Knowledge base: 3 entities (built-in + 3 files).',
    ]);
    assert.equal(withClientState(model, 'stopped').facts, undefined);
  });

  it('shows the latest of several progress reports and ignores unknown tokens', () => {
    let model = withClientState(initialStatus, 'running');
    model = withProgress(model, 1, { kind: 'begin', title: 'Indexing seeds' });
    model = withProgress(model, 2, { kind: 'begin', title: 'Reloading KB', percentage: 10.4 });
    assert.equal(render(model).text, '$(sync~spin) Seed: Reloading KB 10%');
    model = withProgress(model, 2, { kind: 'end' });
    assert.equal(render(model).text, '$(sync~spin) Seed: Indexing seeds');
    assert.equal(withProgress(model, 'nope', { kind: 'report', percentage: 3 }), model);
  });

  it('drops progress when the server stops, and shows failures as errors', () => {
    let model = withProgress(withClientState(initialStatus, 'running'), 1, { kind: 'begin', title: 'Indexing seeds' });
    model = withClientState(model, 'stopped');
    assert.equal(model.progress.size, 0);
    assert.equal(render(model).level, 'warning');
    const failed = render(withClientState(model, 'failed', 'Seed: cannot start the language server'));
    assert.equal(failed.level, 'error');
    assert.match(failed.tooltip, /cannot start/);
  });
});

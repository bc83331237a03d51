import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fromServer, isBuiltinCopy, READONLY_SCHEME, toServer, UriLike } from '../../src/builtinKb';

/** A URI like vscode.Uri for the parts the converters use. */
class FakeUri implements UriLike<FakeUri> {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  with(change: { scheme: string }): FakeUri {
    return new FakeUri(change.scheme, this.path);
  }
}

const COPY = '/home/ann/.cache/seed-lsp/0.1.0-d4fc59626d24ef3f/entities.toml';

describe('the read-only built-in KB', () => {
  it('recognises the server copy by its path, on every platform', () => {
    assert.equal(isBuiltinCopy(COPY), true);
    assert.equal(isBuiltinCopy('/c:/Users/ann/AppData/Local/seed-lsp/0.2.0-0123456789abcdef/entities.toml'), true);
    assert.equal(isBuiltinCopy('/home/ann/notes/entities.toml'), false);
    assert.equal(isBuiltinCopy('/home/ann/seed-lsp/entities.toml'), false);
    assert.equal(isBuiltinCopy('/home/ann/.cache/seed-lsp/0.1.0-d4fc59626d24ef3f/other.toml'), false);
  });

  it('shows the copy through the read-only scheme and gives the server its file URI back', () => {
    const shown = fromServer(new FakeUri('file', COPY));
    assert.equal(shown.scheme, READONLY_SCHEME);
    assert.equal(shown.path, COPY);
    assert.deepEqual(toServer(shown), new FakeUri('file', COPY));
    // Notes and workspace KB files pass through unchanged.
    const note = new FakeUri('file', '/home/ann/notes/seeds/a.txt');
    assert.equal(fromServer(note), note);
    assert.equal(toServer(note), note);
    const kb = new FakeUri('file', '/home/ann/notes/entities.toml');
    assert.equal(fromServer(kb), kb);
  });
});

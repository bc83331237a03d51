import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_FILE_PATTERNS, filePatterns, isSeedPath, shouldBecomeSeed } from '../../src/patterns';

describe('isSeedPath', () => {
  it('matches notes under a seeds folder and *.seed.txt anywhere', () => {
    const yes = ['/home/a/seeds/002_b7666d67213713ef.txt', '/w/seeds/2024/03/x.txt', '/w/drafts/kazakh.seed.txt'];
    const no = ['/w/notes/x.txt', '/w/seedsx/a.txt', '/w/seeds/entities.toml', '/w/seed.txt'];
    for (const p of yes) assert.equal(isSeedPath(p, DEFAULT_FILE_PATTERNS, 'linux'), true, p);
    for (const p of no) assert.equal(isSeedPath(p, DEFAULT_FILE_PATTERNS, 'linux'), false, p);
  });

  it('reads Windows paths with backslashes, ignoring case', () => {
    assert.equal(isSeedPath('C:\\Users\\a\\Seeds\\x.TXT', DEFAULT_FILE_PATTERNS, 'win32'), true);
    assert.equal(isSeedPath('/w/Seeds/x.txt', DEFAULT_FILE_PATTERNS, 'linux'), false);
  });

  it('matches a bare name pattern against the file name', () => {
    assert.equal(isSeedPath('/w/a/clip-01.txt', ['clip-*.txt'], 'linux'), true);
  });
});

describe('filePatterns', () => {
  it('falls back to the defaults when the setting is not a list, and drops junk', () => {
    assert.deepEqual(filePatterns(undefined), DEFAULT_FILE_PATTERNS);
    assert.deepEqual(filePatterns('**/*.txt'), DEFAULT_FILE_PATTERNS);
    assert.deepEqual(filePatterns(['**/*.note', '', 3, ' ']), ['**/*.note']);
    assert.deepEqual(filePatterns([]), []);
  });
});

describe('shouldBecomeSeed', () => {
  it('switches only plain-text files on disk', () => {
    const doc = { languageId: 'plaintext', scheme: 'file', fsPath: '/w/seeds/a.txt' };
    assert.equal(shouldBecomeSeed(doc, DEFAULT_FILE_PATTERNS, 'linux'), true);
    assert.equal(shouldBecomeSeed({ ...doc, languageId: 'markdown' }, DEFAULT_FILE_PATTERNS, 'linux'), false);
    assert.equal(shouldBecomeSeed({ ...doc, languageId: 'seed' }, DEFAULT_FILE_PATTERNS, 'linux'), false);
    assert.equal(shouldBecomeSeed({ ...doc, scheme: 'git' }, DEFAULT_FILE_PATTERNS, 'linux'), false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { withoutTokenType } from '../../src/semanticTokens';

/** Absolute tokens [line, start, length, type] → LSP delta encoding (modifiers 0). */
function encode(tokens: number[][]): number[] {
  const out: number[] = [];
  let line = 0;
  let start = 0;
  for (const [l, s, length, type] of tokens) {
    out.push(l - line, l === line ? s - start : s, length, type, 0);
    line = l;
    start = s;
  }
  return out;
}

describe('lighter colouring', () => {
  it('drops the tokens of one type and re-encodes the positions of the others', () => {
    const STRING = 7;
    const data = encode([
      [0, 0, 3, 0], // トカエフ-like mention
      [0, 4, 5, STRING], // a quote on the same line
      [0, 10, 2, 2], // a place after the quote
      [2, 1, 4, STRING], // a quote alone on line 2
      [3, 5, 3, 6], // a source on line 3
    ]);
    assert.deepEqual(
      [...withoutTokenType(data, STRING)],
      encode([
        [0, 0, 3, 0],
        [0, 10, 2, 2],
        [3, 5, 3, 6],
      ]),
    );
    assert.deepEqual([...withoutTokenType(data, 99)], data);
    assert.deepEqual([...withoutTokenType([], STRING)], []);
  });
});

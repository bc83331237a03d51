/**
 * The lighter default colouring: quotes (「…」 『…』 “…”, which the server marks as `string`
 * tokens) are left uncoloured unless `seedLsp.highlight.quotes` asks for them. Tokens are
 * filtered here, in the client, from the LSP's delta-encoded data.
 */

/** The token data without the tokens of type `tokenType` (5 numbers a token, positions relative). */
export function withoutTokenType(data: ArrayLike<number>, tokenType: number): Uint32Array {
  const out: number[] = [];
  let line = 0;
  let start = 0;
  let lastLine = 0;
  let lastStart = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    const deltaLine = data[i];
    line += deltaLine;
    start = deltaLine === 0 ? start + data[i + 1] : data[i + 1];
    if (data[i + 3] === tokenType) {
      continue;
    }
    const keptDeltaLine = line - lastLine;
    out.push(keptDeltaLine, keptDeltaLine === 0 ? start - lastStart : start, data[i + 2], data[i + 3], data[i + 4]);
    lastLine = line;
    lastStart = start;
  }
  return Uint32Array.from(out);
}

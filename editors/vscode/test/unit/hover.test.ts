import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { withoutLeadingWarning } from '../../src/hover';

describe('hover card in VS Code', () => {
  it('leaves out the warning VS Code already shows as the diagnostic', () => {
    const card = '**トカエフ** · Kassym-Jomart Tokayev · *person (人物)*  \nLatest role: 大統領';
    assert.equal(
      withoutLeadingWarning(`⚠ 「トカレフ」 is not a KB spelling: probably a misspelling of 「トカエフ」\n\n---\n\n${card}`),
      card,
    );
    assert.equal(withoutLeadingWarning(card), card);
    // A rule further down is the card's own.
    const withRule = `${card}\n\n---\n\nmore`;
    assert.equal(withoutLeadingWarning(withRule), withRule);
  });
});

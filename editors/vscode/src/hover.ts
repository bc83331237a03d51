/**
 * The hover card in VS Code. On a misspelled or outdated name the server's card starts with
 * the warning (a `⚠` paragraph and a `---` rule), which is what a terminal client needs; VS Code
 * already shows the diagnostic itself at the top of the same hover, so the extension leaves
 * the card's copy out there and the card keeps to the height of the hover box.
 */

/** `markdown` without a leading `⚠ …` warning paragraph and the rule after it. */
export function withoutLeadingWarning(markdown: string): string {
  const match = /^⚠[^\n]*(?:\n[^\n]+)*\n\n---\n\n/.exec(markdown);
  return match ? markdown.slice(match[0].length) : markdown;
}

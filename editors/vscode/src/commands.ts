/** The commands of the extension; `showReferences` is also what the server's code lenses run. */
export const COMMANDS = {
  restartServer: 'seedLsp.restartServer',
  showOutput: 'seedLsp.showOutput',
  /** Arguments: the document URI (string) and an LSP position, as the server sends them. */
  showReferences: 'seedLsp.showReferences',
} as const;

/**
 * Which files are seed notes: the `seedLsp.filePatterns` globs, matched against the whole path
 * (like VS Code's `filenamePatterns`). Plain-text documents that match are switched to the
 * `seed` language; the defaults mirror the static contribution in package.json.
 */

import { minimatch } from 'minimatch';

export const LANGUAGE_ID = 'seed';
export const DEFAULT_FILE_PATTERNS: readonly string[] = ['**/seeds/**/*.txt', '**/*.seed.txt'];

/** True when `fsPath` matches one of `patterns` (`\` is read as `/`, case ignored on Windows). */
export function isSeedPath(fsPath: string, patterns: readonly string[], platform: NodeJS.Platform): boolean {
  const windows = platform === 'win32';
  const normalized = windows ? fsPath.replace(/\\/g, '/') : fsPath;
  return patterns.some((pattern) =>
    minimatch(normalized, pattern.trim(), { dot: true, nocase: windows, matchBase: !pattern.includes('/') }),
  );
}

/** The patterns to use: the setting's strings, or the defaults when it is unset or unusable. */
export function filePatterns(setting: unknown): readonly string[] {
  if (!Array.isArray(setting)) {
    return DEFAULT_FILE_PATTERNS;
  }
  return setting.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
}

/** Whether an opened document should become a seed note: a matching file still in plain text. */
export function shouldBecomeSeed(
  doc: { languageId: string; scheme: string; fsPath: string },
  patterns: readonly string[],
  platform: NodeJS.Platform,
): boolean {
  return doc.languageId === 'plaintext' && doc.scheme === 'file' && isSeedPath(doc.fsPath, patterns, platform);
}

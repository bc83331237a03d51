/**
 * The built-in knowledge base, read-only. The server copies its built-in KB to
 * `<user cache>/seed-lsp/<version>-<hash>/entities.toml` so that "go to definition" has a file
 * to open. In VS Code that file is shown through the `seed-kb` scheme instead, served by a
 * read-only file system provider: the editor says it is read-only and no keystroke reaches it.
 * The client converts URIs both ways (`uriConverters`), so the server keeps seeing the file:
 * URI it sent.
 */

/** The scheme of the read-only view. */
export const READONLY_SCHEME = 'seed-kb';

/** The path the server gives its copy: `…/seed-lsp/<version>-<16 hex digits>/entities.toml`. */
const BUILTIN_COPY = /\/seed-lsp\/[^/]+-[0-9a-f]{16}\/entities\.toml$/;

/** True when a file URI's path (`/home/ann/.cache/seed-lsp/0.1.0-…/entities.toml`) is the server's copy. */
export function isBuiltinCopy(uriPath: string): boolean {
  return BUILTIN_COPY.test(uriPath);
}

/** The shape of a URI the converters need (`vscode.Uri` fits). */
export interface UriLike<U> {
  scheme: string;
  path: string;
  with(change: { scheme: string }): U;
}

/** The URI VS Code should open for a URI from the server: the read-only view of the copy. */
export function fromServer<U extends UriLike<U>>(uri: U): U {
  return uri.scheme === 'file' && isBuiltinCopy(uri.path) ? uri.with({ scheme: READONLY_SCHEME }) : uri;
}

/** The URI the server knows for a URI of VS Code: the copy's file URI for the read-only view. */
export function toServer<U extends UriLike<U>>(uri: U): U {
  return uri.scheme === READONLY_SCHEME ? uri.with({ scheme: 'file' }) : uri;
}

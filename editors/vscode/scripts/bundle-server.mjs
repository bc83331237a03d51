// Put the seed-lsp binary into server/ so `npm run package` ships it in the .vsix (the
// extension prefers it to one on PATH). The binary: $SEED_LSP_BINARY, else the repository's
// target/release/seed-lsp. Without one, server/ is emptied and the .vsix relies on PATH.
// Prints the VS Code platform target of the bundled binary (e.g. linux-x64), or nothing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.resolve(here, '..');
const exe = process.platform === 'win32' ? 'seed-lsp.exe' : 'seed-lsp';
const candidates = [process.env.SEED_LSP_BINARY, path.resolve(extensionDir, '../../target/release', exe)].filter(
  Boolean,
);
const source = candidates.find((p) => fs.existsSync(p));
const serverDir = path.join(extensionDir, 'server');

fs.rmSync(serverDir, { recursive: true, force: true });
if (!source) {
  console.error(`bundle-server: no binary (looked at ${candidates.join(', ')}); the package will use seed-lsp on PATH`);
  process.exit(0);
}
fs.mkdirSync(serverDir, { recursive: true });
const target = path.join(serverDir, exe);
fs.copyFileSync(source, target);
fs.chmodSync(target, 0o755);
if (process.platform === 'linux') {
  // The release profile keeps line tables for backtraces; the shipped copy does not need them.
  try {
    execFileSync('strip', ['--strip-debug', target], { stdio: 'ignore' });
  } catch {
    console.error('bundle-server: strip not available; shipping the binary as built');
  }
}
console.error(`bundle-server: ${source} -> ${path.relative(extensionDir, target)}`);

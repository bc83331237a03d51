// Package the built extension (dist/) into a .vsix with vsce, offline (`--no-dependencies`:
// esbuild already bundled them). With a bundled server binary (scripts/bundle-server.mjs) the
// package is platform-specific (`--target linux-x64`, …) since the binary is.
// Writes seed-lsp-<version>[-<target>].vsix here and prints its path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));

execFileSync(process.execPath, [path.join(extensionDir, 'scripts/bundle-server.mjs')], { stdio: 'inherit' });
const exe = process.platform === 'win32' ? 'seed-lsp.exe' : 'seed-lsp';
const bundled = fs.existsSync(path.join(extensionDir, 'server', exe));
const target = bundled ? vscodeTarget(process.platform, process.arch) : undefined;
const out = path.join(extensionDir, `${manifest.name}-${manifest.version}${target ? `-${target}` : ''}.vsix`);
const vsce = path.join(extensionDir, 'node_modules/@vscode/vsce/vsce');
const args = [vsce, 'package', '--no-dependencies', '--skip-license', '--out', out];
if (target) {
  args.push('--target', target);
}
execFileSync(process.execPath, args, { cwd: extensionDir, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(out);

function vscodeTarget(platform, arch) {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'win32' }[platform];
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[arch];
  if (!os || !cpu) {
    throw new Error(`no VS Code target for ${platform}-${arch}`);
  }
  return `${os}-${cpu}`;
}

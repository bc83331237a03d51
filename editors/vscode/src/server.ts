/**
 * How the server process is found and started: `seedLsp.server.path`, else the binary bundled
 * in the extension (`server/seed-lsp`, put there by `npm run package` when one was built), else
 * `seed-lsp` on `PATH`. Always `--stdio`. The log level is a setting the server reads
 * (`seedLsp.log`), not `SEED_LSP_LOG`: with that variable set the server also copies its log
 * to stderr, which would show every line twice in the output channel.
 */

import * as path from 'node:path';

/** Where the bundled binary lives inside the extension. */
export const BUNDLED_DIR = 'server';

export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'seed-lsp.exe' : 'seed-lsp';
}

export interface ServerLaunch {
  command: string;
  args: string[];
  /** Variables added to the extension host's environment. */
  env: Record<string, string>;
  /** Where the command came from, for the output channel and error messages. */
  source: 'setting' | 'bundled' | 'path';
}

export interface LaunchInputs {
  /** `seedLsp.server.path` (empty or undefined: not set). */
  configuredPath?: string;
  /** `seedLsp.server.extraEnv`. */
  extraEnv?: Record<string, unknown>;
  extensionPath: string;
  /** First workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
  homeDir: string;
  platform: NodeJS.Platform;
  /** True when a file exists and can be run (injected so tests need no file system). */
  isExecutable: (file: string) => boolean;
}

export function resolveServer(inputs: LaunchInputs): ServerLaunch {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs.extraEnv ?? {})) {
    if (value !== undefined && value !== null) {
      env[name] = String(value);
    }
  }
  const args = ['--stdio'];
  const configured = inputs.configuredPath?.trim();
  if (configured) {
    return { command: expandPath(configured, inputs), args, env, source: 'setting' };
  }
  const bundled = path.join(inputs.extensionPath, BUNDLED_DIR, binaryName(inputs.platform));
  if (inputs.isExecutable(bundled)) {
    return { command: bundled, args, env, source: 'bundled' };
  }
  return { command: binaryName(inputs.platform), args, env, source: 'path' };
}

/**
 * The `Executable` for vscode-languageclient. No `transport`: with `TransportKind.stdio` the
 * client appends its own `--stdio`, and the server rejects the flag given twice.
 */
export function executable(
  launch: ServerLaunch,
  baseEnv: NodeJS.ProcessEnv,
): { command: string; args: string[]; options: { env: NodeJS.ProcessEnv } } {
  return { command: launch.command, args: [...launch.args], options: { env: { ...baseEnv, ...launch.env } } };
}

/** `~`, `${workspaceFolder}`, `${userHome}` expanded; relative paths (with a separator) from the workspace. */
export function expandPath(
  configured: string,
  inputs: Pick<LaunchInputs, 'workspaceFolder' | 'homeDir' | 'platform'>,
): string {
  let p = configured
    .replace(/\$\{userHome\}/g, inputs.homeDir)
    .replace(/\$\{workspaceFolder\}/g, inputs.workspaceFolder ?? '.');
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    p = inputs.homeDir + p.slice(1);
  }
  const impl = inputs.platform === 'win32' ? path.win32 : path.posix;
  // A bare name (`seed-lsp`) is looked up on PATH by the system, like the default.
  const bare = !p.includes('/') && !p.includes('\\');
  if (!bare && !impl.isAbsolute(p) && inputs.workspaceFolder) {
    p = impl.join(inputs.workspaceFolder, p);
  }
  return p;
}

/** What to tell the user when the process cannot be started. */
export function launchFailureMessage(launch: ServerLaunch, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const where =
    launch.source === 'setting'
      ? `\`seedLsp.server.path\` is "${launch.command}"`
      : launch.source === 'bundled'
        ? `the bundled binary ${launch.command}`
        : `"${launch.command}" was looked up on PATH (no binary is bundled with this extension)`;
  return `Seed: cannot start the language server: ${where}. ${detail}`;
}

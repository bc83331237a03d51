// End to end: the real `seed-lsp` binary, started the way the extension starts it
// (`resolveServer`: `--stdio`, the log level as a setting), spoken to through vscode-jsonrpc with the
// extension's `initializationOptions` and `workspace/configuration` answers, on a workspace
// holding copies of real seeds. The binary: $SEED_LSP_BINARY, else target/release/seed-lsp.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  CodeAction,
  CodeActionRequest,
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DeclarationRequest,
  DefinitionRequest,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  Location,
  LocationLink,
  LogMessageNotification,
  LogMessageParams,
  MarkupContent,
  MessageType,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ReferencesRequest,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';

import { COMMANDS } from '../../src/commands';
import { executable, resolveServer } from '../../src/server';
import { configurationAnswer, Inspection, serverSettings, SettingsReader } from '../../src/settings';
import { initialStatus, ProgressValue, render, StatusModel, withClientState, withProgress } from '../../src/status';

const repo = path.resolve(__dirname, '../../../../..');
const SEED = '002_b7666d67213713ef.txt';
const OTHER_SEED = '000_957a7e0d4be8d52d.txt';
const TIMEOUT = 20_000;
const KB_TEXT = `[[entity]]
id = "drone"
name = "ドローン"
kind = "other"
en = "drone"
description = "無人航空機。"
`;

/** The user's settings, as VS Code's `inspect` would report them. */
let userSettings: Record<string, unknown> = { rules: { 'unknown-entity': 'off' }, log: 'debug' };
const reader: SettingsReader = {
  inspect: <T>(key: string): Inspection<T> => ({ globalValue: userSettings[key] as T }),
};

describe('seed-lsp through the extension options', () => {
  let workspace: string;
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let stderr = '';
  let status: StatusModel = withClientState(initialStatus, 'starting');
  const diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  const messages: string[] = [];
  const logs: LogMessageParams[] = [];
  let seedUri: string;
  let seedText: string;
  let init: InitializeResult;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-lsp-e2e-'));
    fs.mkdirSync(path.join(workspace, 'seeds'));
    for (const name of [SEED, OTHER_SEED]) {
      fs.copyFileSync(path.join(repo, 'seeds', name), path.join(workspace, 'seeds', name));
    }
    // A workspace KB with one entity the seed mentions, for the code lens on its entry.
    fs.writeFileSync(path.join(workspace, 'entities.toml'), KB_TEXT);
    const binary = process.env.SEED_LSP_BINARY || path.join(repo, 'target/release/seed-lsp');
    assert.ok(fs.existsSync(binary), `no server binary at ${binary}: run cargo build --release`);
    const launch = resolveServer({
      configuredPath: binary,
      extensionPath: path.join(repo, 'editors/vscode'),
      workspaceFolder: workspace,
      homeDir: os.homedir(),
      platform: process.platform,
      isExecutable: () => false,
    });
    // A cache directory of our own: the server materialises the built-in KB there.
    const cache = path.join(workspace, '.cache');
    const environment: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
    // Not set by the extension: with it the server would copy its log to stderr.
    delete environment.SEED_LSP_LOG;
    const run = executable(launch, environment);
    server = spawn(run.command, run.args, { env: run.options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    connection = createProtocolConnection(
      new StreamMessageReader(server.stdout!),
      new StreamMessageWriter(server.stdin!),
    );
    connection.onRequest(ConfigurationRequest.type, (params) => configurationAnswer(params.items, () => reader));
    connection.onRequest(RegistrationRequest.type, () => null);
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        status = withProgress(status, token, value as ProgressValue);
      });
      return null;
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      diagnostics.set(params.uri, [...(diagnostics.get(params.uri) ?? []), params]);
    });
    connection.onNotification(ShowMessageNotification.type, (p) => messages.push(p.message));
    connection.onNotification(LogMessageNotification.type, (p) => {
      messages.push(p.message);
      logs.push(p);
    });
    connection.listen();

    const root = pathToFileURL(workspace).href;
    init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: 'seeds' }],
      initializationOptions: serverSettings(reader),
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
        },
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
          },
          definition: { linkSupport: true },
        },
      },
    });
    status = { ...withClientState(status, 'running'), serverVersion: init.serverInfo?.version };
    assert.equal(init.serverInfo?.name, 'seed-lsp');
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification(InitializedNotification.type, {});

    seedUri = pathToFileURL(path.join(workspace, 'seeds', SEED)).href;
    seedText = fs.readFileSync(path.join(workspace, 'seeds', SEED), 'utf8');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: seedUri, languageId: 'seed', version: 1, text: seedText },
    });
  });

  after(async () => {
    if (connection) {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    }
    const code = await new Promise<number | null>((resolve) => {
      if (!server || server.exitCode !== null) {
        resolve(server?.exitCode ?? null);
        return;
      }
      const timer = setTimeout(() => server.kill(), 5000);
      server.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    connection?.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
    assert.equal(code, 0, `exit code after shutdown; stderr:\n${stderr}`);
  });

  /** The position (UTF-16) of the `nth` occurrence of `needle` in the seed, plus `offset`. */
  function positionOf(needle: string, nth = 0, offset = 0) {
    let index = -1;
    for (let i = 0; i <= nth; i++) {
      index = seedText.indexOf(needle, index + 1);
      assert.ok(index >= 0, `${needle} #${nth} not in the seed`);
    }
    const before = seedText.slice(0, index + offset);
    const line = before.split('\n').length - 1;
    return { line, character: before.length - before.lastIndexOf('\n') - 1 };
  }

  async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const value = probe();
      if (value !== undefined) {
        return value;
      }
      if (Date.now() > deadline) {
        assert.fail(`timed out waiting for ${what}; stderr:\n${stderr.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function latestDiagnostics(): Diagnostic[] | undefined {
    const all = diagnostics.get(seedUri);
    return all?.[all.length - 1].diagnostics;
  }

  /** The text a single-line range covers (LSP columns are UTF-16, like JavaScript strings). */
  function textAt(range: Diagnostic['range']): string {
    return seedText.split('\n')[range.start.line].slice(range.start.character, range.end.character);
  }

  function misspelling(list: Diagnostic[] | undefined): Diagnostic | undefined {
    return list?.find((d) => d.code === 'misspelled-entity' && textAt(d.range) === 'トカレフ');
  }

  it('reports indexing progress that the status bar turns into a summary', async () => {
    const view = await until('indexing to finish', () => {
      const text = render(status).text;
      return status.lastDone ? text : undefined;
    });
    assert.match(view, /^\$\(check\) Seed: 2 notes$/);
  });

  it('publishes the misspelling トカレフ with the version of the document', async () => {
    const found = await until('a misspelled-entity diagnostic', () => misspelling(latestDiagnostics()));
    const at = positionOf('トカレフ');
    const onTokarev = latestDiagnostics()!.filter(
      (d) => d.code === 'misspelled-entity' && d.range.start.line === at.line,
    );
    assert.equal(onTokarev.length, 1, JSON.stringify(latestDiagnostics(), null, 1));
    assert.deepEqual(onTokarev[0].range.start, at);
    assert.match(onTokarev[0].message, /トカエフ/);
    assert.equal(found.source, 'seed-lsp');
    const published = diagnostics.get(seedUri)!;
    assert.equal(published[published.length - 1].version, 1);
  });

  it('honours the rule severities of the settings (unknown-entity is off)', async () => {
    await until('diagnostics', () => misspelling(latestDiagnostics()));
    assert.deepEqual(
      latestDiagnostics()!.filter((d) => d.code === 'unknown-entity'),
      [],
    );
  });

  it('answers hover on トカエフ with the entity card', async () => {
    const hover = await connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: seedUri },
      position: positionOf('トカエフ', 0, 1),
    });
    assert.ok(hover, 'no hover');
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /Kassym-Jomart Tokayev/);
    assert.match(contents.value, /大統領/);
    assert.match(contents.value, /\d+ in this note · \d+ in 2 files/);
    assert.match(contents.value, /Defined in/);
  });

  it('goes from a mention to the entity in the knowledge base', async () => {
    const result = await connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: seedUri },
      position: positionOf('トカエフ', 0, 1),
    });
    const targets = (Array.isArray(result) ? result : result ? [result] : []) as Array<Location | LocationLink>;
    assert.equal(targets.length, 1, JSON.stringify(result));
    const target = 'targetUri' in targets[0] ? targets[0].targetUri : targets[0].uri;
    assert.match(target, /entities\.toml$/);
    const file = new URL(target);
    const line = 'targetUri' in targets[0] ? targets[0].targetSelectionRange.start.line : targets[0].range.start.line;
    const text = fs.readFileSync(file, 'utf8').split('\n');
    assert.match(text.slice(line, line + 3).join('\n'), /トカエフ/);
  });

  it('goes from a name to the source line of its paragraph (textDocument/declaration)', async () => {
    assert.ok(init.capabilities.declarationProvider, 'no declarationProvider');
    // トカエフ in 「…カザフスタンのトカエフ大統領は…【2023年11月2日 テレ朝news】」.
    const at = positionOf('カザフスタンのトカエフ大統領は', 0, 'カザフスタンのトカ'.length);
    const result = await connection.sendRequest(DeclarationRequest.type, {
      textDocument: { uri: seedUri },
      position: at,
    });
    const targets = (Array.isArray(result) ? result : result ? [result] : []) as Location[];
    assert.equal(targets.length, 1, JSON.stringify(result));
    assert.equal(targets[0].uri, seedUri);
    assert.equal(textAt(targets[0].range), '【2023年11月2日 テレ朝news】');
    assert.equal(targets[0].range.start.line, at.line);
  });

  it('logs through window/logMessage with message types, and nothing on stderr', async () => {
    const indexed = await until('the indexing log line', () => logs.find((l) => /^indexed \d+ notes$/.test(l.message)));
    assert.equal(indexed.type, MessageType.Info);
    // `log = "debug"` from the settings applies: debug lines arrive as Log.
    await until('a debug line', () => logs.find((l) => l.type === MessageType.Log));
    assert.equal(stderr, '');
  });

  it('offers a quick fix that replaces トカレフ with トカエフ', async () => {
    const diagnostic = (await until('diagnostics', () => latestDiagnostics()))
      .find((d) => d.code === 'misspelled-entity' && d.range.start.line === positionOf('トカレフ').line)!;
    const actions = await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: seedUri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const fixes = (actions ?? []).filter((a): a is CodeAction => 'edit' in a && a.kind === 'quickfix');
    const fix = fixes.find((a) => a.title.includes('トカエフ'));
    assert.ok(fix, `no fix among ${JSON.stringify(actions?.map((a) => a.title))}`);
    const edits: TextEdit[] = fix.edit?.changes?.[seedUri] ??
      (fix.edit?.documentChanges ?? []).flatMap((c) => ('edits' in c && c.textDocument.uri === seedUri ? c.edits : []))
        .map((e) => e as TextEdit);
    assert.equal(edits.length, 1);
    assert.equal(edits[0].newText, 'トカエフ');
    assert.deepEqual(edits[0].range, diagnostic.range);
  });

  it('puts a code lens on a KB entry that runs the command the extension registers', async () => {
    const kbUri = pathToFileURL(path.join(workspace, 'entities.toml')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: kbUri, languageId: 'toml', version: 1, text: KB_TEXT },
    });
    const lenses = (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: kbUri } })) ?? [];
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const command = lenses[0].command!;
    assert.equal(command.command, COMMANDS.showReferences);
    assert.match(command.title, /\d+ mentions? in \d+ files?/);
    // The arguments the extension's showReferences command takes: a URI string and a position.
    const [uri, position] = command.arguments as [string, { line: number; character: number }];
    assert.equal(uri, kbUri);
    const references = (await connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position,
      context: { includeDeclaration: false },
    })) ?? [];
    assert.ok(
      references.some((r) => r.uri === seedUri),
      `no reference in the seed: ${JSON.stringify(references)}`,
    );
  });

  it('follows a settings change pushed by the extension (the server pulls the section)', async () => {
    const before = diagnostics.get(seedUri)!.length;
    userSettings = { ...userSettings, locale: 'ja' };
    await connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { seedLsp: serverSettings(reader) },
    });
    const japanese = await until('republished diagnostics in Japanese', () => {
      const all = diagnostics.get(seedUri)!;
      if (all.length <= before) return undefined;
      const found = misspelling(all[all.length - 1].diagnostics);
      return found && /[ぁ-ん]/.test(found.message) ? found : undefined;
    });
    assert.match(japanese.message, /トカエフ/);
    assert.deepEqual(messages.filter((m) => /configuration/.test(m)), []);
  });
});

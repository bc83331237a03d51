/**
 * The VS Code side of seed-lsp: starts the language server for seed notes, passes it the
 * `seedLsp` settings, shows its state and indexing progress in the status bar, shows the
 * built-in KB read-only (with TOML highlighting), leaves quotes uncoloured unless asked, and
 * offers the commands *Seed: Restart Server* and *Seed: Show Server Output*. Everything that
 * can be decided without VS Code lives in the pure modules next to this file (and is unit
 * tested).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  Position as LspPosition,
  SemanticTokensRegistrationType,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { fromServer, isBuiltinCopy, READONLY_SCHEME, toServer } from './builtinKb';
import { COMMANDS } from './commands';
import { withoutLeadingWarning } from './hover';
import { filePatterns, LANGUAGE_ID, shouldBecomeSeed } from './patterns';
import { executable, launchFailureMessage, resolveServer, ServerLaunch } from './server';
import {
  affectsAny,
  affectsServer,
  configurationAnswer,
  RESTART_KEYS,
  SECTION,
  serverSettings,
  SettingsReader,
} from './settings';
import { withoutTokenType } from './semanticTokens';
import {
  initialStatus,
  ProgressValue,
  render,
  ServerFacts,
  StatusModel,
  withClientState,
  withFacts,
  withProgress,
} from './status';

/** The language of KB files (`entities.toml`) when no TOML extension gives them one. */
const KB_LANGUAGE_ID = 'seed-kb';
/** The server's own request for its state (see the README). */
const STATUS_REQUEST = 'seedLsp/status';


let extension: SeedExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SeedApi> {
  extension = new SeedExtension(context);
  context.subscriptions.push(extension);
  await extension.activate();
  return extension.api();
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}

/** What the extension returns from `activate` (used by other extensions and by tests). */
export interface SeedApi {
  /** The running client, if any. */
  client(): LanguageClient | undefined;
  /** How the server was launched last. */
  launch(): ServerLaunch | undefined;
}

class SeedExtension implements vscode.Disposable {
  private readonly output = vscode.window.createOutputChannel('Seed Language Server');
  private readonly traceOutput = vscode.window.createOutputChannel('Seed Language Server Trace');
  private readonly statusItem = vscode.window.createStatusBarItem('seedLsp.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private languageClient: LanguageClient | undefined;
  private lastLaunch: ServerLaunch | undefined;
  private status: StatusModel = initialStatus;
  private starting: Promise<void> | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.statusItem.name = 'Seed language server';
    this.statusItem.command = COMMANDS.showOutput;
  }

  api(): SeedApi {
    return { client: () => this.languageClient, launch: () => this.lastLaunch };
  }

  async activate(): Promise<void> {
    this.disposables.push(
      vscode.commands.registerCommand(COMMANDS.restartServer, () => this.restart()),
      vscode.commands.registerCommand(COMMANDS.showOutput, () => this.output.show(true)),
      // Run by the server's code lenses on KB entries ("N mentions in M files").
      vscode.commands.registerCommand(COMMANDS.showReferences, (uri: string, position: LspPosition) =>
        this.showReferences(uri, position),
      ),
      vscode.workspace.registerFileSystemProvider(READONLY_SCHEME, new ReadOnlyBuiltinKb(), {
        isCaseSensitive: process.platform !== 'win32',
        isReadonly: true,
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onDocument(doc)),
      vscode.workspace.onDidSaveTextDocument(() => void this.refreshFacts()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
    );
    vscode.workspace.textDocuments.forEach((doc) => this.onDocument(doc));
    if (await this.workspaceHasSeeds()) {
      await this.start();
    }
  }

  /** Switch matching plain-text files to `seed`; start the server at the first seed note. */
  private onDocument(doc: vscode.TextDocument): void {
    const isKb = doc.uri.scheme === READONLY_SCHEME || (doc.uri.scheme === 'file' && doc.uri.path.endsWith('/entities.toml'));
    if (isKb && doc.languageId === 'plaintext') {
      // No TOML extension claimed the file: highlight it with the grammar shipped here.
      void vscode.languages.setTextDocumentLanguage(doc, KB_LANGUAGE_ID);
      return;
    }
    const patterns = filePatterns(vscode.workspace.getConfiguration(SECTION).get('filePatterns'));
    const info = { languageId: doc.languageId, scheme: doc.uri.scheme, fsPath: doc.uri.fsPath };
    if (shouldBecomeSeed(info, patterns, process.platform)) {
      // Re-opens the document with the new language, which comes back here as `seed`.
      void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      return;
    }
    // After a failed start, wait for *Restart Server* or a settings change rather than
    // repeating the error for every note opened.
    if (doc.languageId === LANGUAGE_ID && !this.languageClient && this.status.client !== 'failed') {
      void this.start();
    }
  }

  private async workspaceHasSeeds(): Promise<boolean> {
    if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) {
      return true;
    }
    if (!vscode.workspace.workspaceFolders?.length) {
      return false;
    }
    const patterns = [
      ...filePatterns(vscode.workspace.getConfiguration(SECTION).get('filePatterns')),
      '**/seed-lsp.toml',
    ];
    const found = await vscode.workspace.findFiles(`{${patterns.join(',')}}`, '**/node_modules/**', 1);
    return found.length > 0;
  }

  private settingsReader(scope?: vscode.Uri): SettingsReader {
    return vscode.workspace.getConfiguration(SECTION, scope);
  }

  private resolveLaunch(): ServerLaunch {
    const config = vscode.workspace.getConfiguration(SECTION);
    return resolveServer({
      configuredPath: config.get<string>('server.path'),
      extraEnv: config.get<Record<string, unknown>>('server.extraEnv'),
      extensionPath: this.context.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      homeDir: os.homedir(),
      platform: process.platform,
      isExecutable: (file) => {
        try {
          fs.accessSync(file, fs.constants.X_OK);
          return true;
        } catch {
          return makeExecutable(file);
        }
      },
    });
  }

  private createClient(launch: ServerLaunch): LanguageClient {
    const run = executable(launch, process.env);
    const serverOptions: ServerOptions = { run, debug: run };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: LANGUAGE_ID, scheme: 'file' },
        { language: LANGUAGE_ID, scheme: 'untitled' },
        { scheme: 'file', pattern: '**/entities.toml' },
        { scheme: READONLY_SCHEME, pattern: '**/entities.toml' },
      ],
      // The server names its copy of the built-in KB with a file: URI; VS Code shows it
      // through the read-only scheme, and the server keeps seeing its own URI.
      uriConverters: {
        code2Protocol: (uri) => toServer(uri).toString(),
        protocol2Code: (value) => fromServer(vscode.Uri.parse(value)),
      },
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      initializationOptions: () => serverSettings(this.settingsReader()),
      markdown: { isTrusted: false, supportHtml: false },
      // The server advertises pull diagnostics with workspace diagnostics: the client pulls
      // open notes as they change and the whole vault in the background (the Problems panel
      // lists every note's findings, open or not), and again on workspace/diagnostic/refresh.
      diagnosticPullOptions: { onChange: true, onSave: true, onTabs: false },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const ours = configurationAnswer(params.items, (scope) =>
              this.settingsReader(scope ? vscode.Uri.parse(scope) : undefined),
            );
            if (ours.every((answer) => answer !== undefined)) {
              return ours;
            }
            const theirs = await next(params, token);
            if (!Array.isArray(theirs)) {
              return theirs;
            }
            return ours.map((answer, i) => answer ?? theirs[i]);
          },
        },
        handleWorkDoneProgress: (token, params, next) => {
          this.setStatus(withProgress(this.status, token, params as ProgressValue));
          next(token, params);
          if ((params as ProgressValue).kind === 'end') {
            void this.refreshFacts();
          }
        },
        provideHover: async (document, position, token, next) =>
          this.withoutShownWarning(document, position, await next(document, position, token)),
        provideDocumentSemanticTokens: async (document, token, next) =>
          this.lighterColouring(await next(document, token)),
        provideDocumentRangeSemanticTokens: async (document, range, token, next) =>
          this.lighterColouring(await next(document, range, token)),
      },
    };
    const client = new LanguageClient(SECTION, 'Seed Language Server', serverOptions, clientOptions);
    client.onDidChangeState(({ newState }) => {
      const state = newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped';
      const version = client.initializeResult?.serverInfo?.version;
      this.setStatus({ ...withClientState(this.status, state), serverVersion: version ?? this.status.serverVersion });
      if (state === 'running') {
        void this.refreshFacts();
      }
    });
    return client;
  }

  /** Ask the server what it has indexed and loaded, for the status bar. */
  private async refreshFacts(): Promise<void> {
    const client = this.languageClient;
    if (!client || client.state !== State.Running) {
      return;
    }
    try {
      const facts = await client.sendRequest<ServerFacts>(STATUS_REQUEST);
      if (client === this.languageClient) {
        this.setStatus(withFacts(this.status, facts));
      }
    } catch (error) {
      this.output.appendLine(`${STATUS_REQUEST} failed: ${String(error)}`);
    }
  }

  /** The card without its warning where VS Code shows the diagnostic in the same hover. */
  private withoutShownWarning(
    document: vscode.TextDocument,
    position: vscode.Position,
    hover: vscode.Hover | null | undefined,
  ): vscode.Hover | null | undefined {
    const shown = vscode.languages
      .getDiagnostics(document.uri)
      .some((d) => d.source === 'seed-lsp' && d.range.contains(position));
    if (!hover || !shown) {
      return hover;
    }
    const contents = hover.contents.map((part) =>
      part instanceof vscode.MarkdownString ? markdown(withoutLeadingWarning(part.value), part) : part,
    );
    return new vscode.Hover(contents, hover.range);
  }

  /** Semantic tokens without quotes, unless `seedLsp.highlight.quotes` asks for them. */
  private lighterColouring(tokens: vscode.SemanticTokens | null | undefined): vscode.SemanticTokens | null | undefined {
    if (!tokens || vscode.workspace.getConfiguration(SECTION).get<boolean>('highlight.quotes')) {
      return tokens;
    }
    const legend = this.languageClient?.initializeResult?.capabilities.semanticTokensProvider?.legend;
    const quote = legend?.tokenTypes.indexOf('string') ?? -1;
    return quote < 0 ? tokens : new vscode.SemanticTokens(withoutTokenType(tokens.data, quote), tokens.resultId);
  }

  /** Ask VS Code for the semantic tokens of the open notes again (after a colouring setting changed). */
  private recolour(): void {
    const feature = this.languageClient?.getFeature(SemanticTokensRegistrationType.method);
    for (const editor of vscode.window.visibleTextEditors) {
      feature?.getProvider(editor.document)?.onDidChangeSemanticTokensEmitter.fire();
    }
  }

  async start(): Promise<void> {
    if (this.languageClient) {
      return;
    }
    if (this.starting) {
      return this.starting;
    }
    this.starting = this.startNow().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startNow(): Promise<void> {
    const launch = this.resolveLaunch();
    this.lastLaunch = launch;
    this.output.appendLine(`Starting ${launch.command} ${launch.args.join(' ')} (${launch.source})`);
    const client = this.createClient(launch);
    this.languageClient = client;
    this.setStatus(withClientState(this.status, 'starting'));
    try {
      await client.start();
    } catch (error) {
      const message = launchFailureMessage(launch, error);
      this.output.appendLine(message);
      this.languageClient = undefined;
      this.setStatus(withClientState(this.status, 'failed', message));
      await client.dispose().catch(() => undefined);
      const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
      if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    }
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    if (client) {
      try {
        await client.stop();
      } catch (error) {
        this.output.appendLine(`Stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setStatus(withClientState(this.status, 'stopped'));
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    this.status = { ...this.status, lastDone: undefined };
    await this.start();
  }

  private async onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration(SECTION)) {
      return;
    }
    const affects = (section: string) => e.affectsConfiguration(section);
    if (affectsAny(affects, ['filePatterns'])) {
      vscode.workspace.textDocuments.forEach((doc) => this.onDocument(doc));
    }
    if (affectsAny(affects, ['highlight.quotes'])) {
      this.recolour();
    }
    if (affectsAny(affects, RESTART_KEYS)) {
      if (this.languageClient || this.status.client === 'failed') {
        this.output.appendLine('Server settings changed: restarting.');
        await this.restart();
      }
      return;
    }
    const client = this.languageClient;
    if (client && affectsServer(affects) && client.state === State.Running) {
      // The server pulls the section with `workspace/configuration` (answered by the
      // middleware above); the pushed value serves clients of servers that do not pull.
      await client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [SECTION]: serverSettings(this.settingsReader()) },
      });
    }
  }

  private async showReferences(uri: string, position: LspPosition): Promise<void> {
    const client = this.languageClient;
    if (!client) {
      return;
    }
    const target = client.protocol2CodeConverter.asUri(uri);
    const pos = client.protocol2CodeConverter.asPosition(position);
    const locations =
      (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', target, pos)) ?? [];
    await vscode.commands.executeCommand('editor.action.showReferences', target, pos, locations);
  }

  private setStatus(model: StatusModel): void {
    this.status = model;
    const view = render(model);
    this.statusItem.text = view.text;
    const tooltip = new vscode.MarkdownString();
    view.tooltip.split('\n').forEach((line, i) => {
      if (i > 0) {
        tooltip.appendMarkdown('\n\n');
      }
      tooltip.appendText(line);
    });
    this.statusItem.tooltip = tooltip;
    this.statusItem.backgroundColor =
      view.level === 'normal' ? undefined : new vscode.ThemeColor(`statusBarItem.${view.level}Background`);
    this.statusItem.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.statusItem.dispose();
    this.output.dispose();
    this.traceOutput.dispose();
  }
}

/** A markdown string with the settings of `like` (trust, HTML, theme icons). */
function markdown(value: string, like: vscode.MarkdownString): vscode.MarkdownString {
  const out = new vscode.MarkdownString(value, like.supportThemeIcons);
  out.isTrusted = like.isTrusted;
  out.supportHtml = like.supportHtml;
  out.baseUri = like.baseUri;
  return out;
}

/**
 * The server's copy of the built-in KB, served read-only under the `seed-kb` scheme (the
 * path is the copy's own path). Nothing else is served, and nothing can be written.
 */
class ReadOnlyBuiltinKb implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  private file(uri: vscode.Uri): string {
    if (!isBuiltinCopy(uri.path)) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return toServer(uri).fsPath;
  }

  watch(): vscode.Disposable {
    // The copy never changes while a server uses it (a new version gets a new folder).
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    try {
      const stat = await fs.promises.stat(this.file(uri));
      return {
        type: vscode.FileType.File,
        ctime: stat.ctimeMs,
        mtime: stat.mtimeMs,
        size: stat.size,
        permissions: vscode.FilePermission.Readonly,
      };
    } catch (error) {
      throw error instanceof vscode.FileSystemError ? error : vscode.FileSystemError.FileNotFound(uri);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.promises.readFile(this.file(uri)));
    } catch (error) {
      throw error instanceof vscode.FileSystemError ? error : vscode.FileSystemError.FileNotFound(uri);
    }
  }

  readDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

/** The bundled binary may lose its executable bit when a .vsix is unpacked: restore it. */
function makeExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || process.platform === 'win32') {
      return stat.isFile();
    }
    fs.chmodSync(file, stat.mode | 0o755);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sift in VS Code: starts the language server and wires the palette commands and the status bar. All analysis
 * happens in the server; this side only asks for it (typed requests in `server/src/lsp/protocol.ts`).
 */
import * as vscode from 'vscode';
import {CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions} from 'vscode-languageclient/node';
import {
  COMMANDS,
  COUNTS_NOTIFICATION,
  EXPORT_REQUEST,
  STRIP_EDIT_REQUEST,
  STRIP_FILE_REQUEST,
  type CountsParams,
  type ExportResult,
  type StripEditResult,
  type StripFileResult,
} from '../../server/src/lsp/protocol';
import {CLOSE_RESTART, restartPolicy} from '../../server/src/lsp/restart-policy';
import {registerSourceViews} from './views/index';

let client: LanguageClient | undefined;

/** The languages Sift reads. */
const LANGUAGES = ['plaintext', 'news-source'];

/**
 * Activate: start the server, register commands and the status bar item.
 * @param context Extension context.
 * @returns Nothing.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Sift');
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: {module, transport: TransportKind.ipc},
    debug: {module, transport: TransportKind.ipc, options: {execArgv: ['--nolazy', '--inspect=6011']}},
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      {scheme: 'file', language},
      {scheme: 'untitled', language},
    ]),
    synchronize: {configurationSection: 'sift'},
    outputChannel: output,
    errorHandler: restartHandler(output),
    // The workspace index caches its summaries here (keyed by content hash).
    initializationOptions: {storagePath: context.storageUri?.fsPath, globalStoragePath: context.globalStorageUri.fsPath},
  };
  client = new LanguageClient('sift', 'Sift', serverOptions, clientOptions);
  registerSourceViews(context, client);

  const counts = new Map<string, CountsParams>();
  const status = vscode.window.createStatusBarItem('sift.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Sift';
  status.command = COMMANDS.strip;
  const updateStatus = (): void => {
    const editor = vscode.window.activeTextEditor;
    const entry = editor ? counts.get(editor.document.uri.toString()) : undefined;
    if (!editor || !entry || !LANGUAGES.includes(editor.document.languageId)) {
      status.hide();
      return;
    }
    if (entry.skipped) {
      status.text = 'Sift: off';
      status.tooltip = `Sift did not analyse this file: ${entry.skipped}.`;
    } else {
      status.text = `Sift: ${entry.boilerplate} boilerplate · ${entry.quotes} quotes · ${entry.entities} entities`;
      status.tooltip = new vscode.MarkdownString(
        `**Sift** · ${entry.boilerplate} boilerplate line${entry.boilerplate === 1 ? '' : 's'}, ${entry.quotes} quotation${entry.quotes === 1 ? '' : 's'}, ${entry.entities} entity mention${entry.entities === 1 ? '' : 's'}\n\nClick to strip the boilerplate of this file.`,
      );
    }
    status.show();
  };

  context.subscriptions.push(
    output,
    status,
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidCloseTextDocument((document) => counts.delete(document.uri.toString())),
    vscode.commands.registerCommand(COMMANDS.strip, () => stripActive()),
    vscode.commands.registerCommand(COMMANDS.stripWorkspace, () => stripWorkspace()),
    vscode.commands.registerCommand(COMMANDS.export, () => exportAnnotations(false)),
    vscode.commands.registerCommand(COMMANDS.exportWorkspace, () => exportAnnotations(true)),
    vscode.commands.registerCommand(COMMANDS.toggle, () => toggle()),
    vscode.commands.registerCommand(COMMANDS.keepLine, (uri: string, line: string) => keepLine(uri, line)),
    vscode.commands.registerCommand(COMMANDS.manageKept, () => manageKept()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
  );

  await client.start();
  context.subscriptions.push(
    client.onNotification(COUNTS_NOTIFICATION, (params: CountsParams) => {
      counts.set(params.uri, params);
      updateStatus();
    }),
  );
  updateStatus();
}

/**
 * Deactivate: stop the server.
 * @returns Nothing.
 */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * If the server dies, restart it at most 4 times in 3 minutes; say so once, and once more if Sift gives up.
 * @param output The output channel to offer.
 * @returns Error handler.
 */
function restartHandler(output: vscode.OutputChannel): ErrorHandler {
  const closed = restartPolicy({
    restarted: () => void vscode.window.showWarningMessage('Sift: the language server stopped unexpectedly and was restarted.'),
    gaveUp: () =>
      void vscode.window.showErrorMessage('Sift: the language server stopped 5 times in 3 minutes and will not be restarted. Reload the window to try again.', 'Show Output').then((choice) => {
        if (choice) output.show();
      }),
  });
  return {
    error: () => ({action: ErrorAction.Continue, handled: true}),
    closed: () => ({action: closed() === CLOSE_RESTART ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true}),
  };
}

/**
 * The running client, or a message why there is none.
 * @returns Client or undefined.
 */
function running(): LanguageClient | undefined {
  if (!client || !client.isRunning()) {
    void vscode.window.showWarningMessage('Sift: the language server is not running (see the Sift output channel).');
    return undefined;
  }
  return client;
}

/**
 * Apply the server's versioned strip edit to a document; VS Code refuses it if the document changed meanwhile.
 * @param c Client.
 * @param document Document.
 * @returns Lines removed, or -1 when refused.
 */
async function applyStrip(c: LanguageClient, document: vscode.TextDocument): Promise<number> {
  const result = await c.sendRequest<StripEditResult>(STRIP_EDIT_REQUEST, {uri: document.uri.toString()});
  if (!result.edit) return 0;
  const edit = await c.protocol2CodeConverter.asWorkspaceEdit({documentChanges: [result.edit as never]});
  return (await vscode.workspace.applyEdit(edit)) ? result.lines : -1;
}

/**
 * Sift: Strip Boilerplate in This File.
 * @returns Nothing.
 */
async function stripActive(): Promise<void> {
  const c = running();
  const editor = vscode.window.activeTextEditor;
  if (!c || !editor) return;
  const removed = await applyStrip(c, editor.document);
  if (removed < 0) void vscode.window.showWarningMessage('Sift: the file changed while it was being analysed; nothing was removed. Try again.');
  else if (removed === 0) void vscode.window.showInformationMessage('Sift: no boilerplate to strip in this file.');
  else vscode.window.setStatusBarMessage(`Sift removed ${removed} boilerplate line${removed === 1 ? '' : 's'} (Undo with Ctrl+Z).`, 5000);
}

/**
 * The files of the workspace that Sift reads (`sift.files` per folder).
 * @param token Cancellation.
 * @returns URIs.
 */
async function workspaceFiles(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const config = vscode.workspace.getConfiguration('sift', folder.uri);
    if (!config.get<boolean>('enable', true)) continue;
    for (const glob of config.get<string[]>('files', ['**/*.txt'])) {
      for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), undefined, undefined, token)) found.set(uri.toString(), uri);
    }
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * Sift: Strip Boilerplate in Every File of the Workspace, with a preview and progress.
 * @returns Nothing.
 */
async function stripWorkspace(): Promise<void> {
  const c = running();
  if (!c) return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Sift does not edit files across an untrusted workspace. Trust the workspace first.');
    return;
  }
  const plan = await vscode.window.withProgress({location: vscode.ProgressLocation.Notification, title: 'Sift: finding boilerplate', cancellable: true}, async (progress, token) => {
    const files = await workspaceFiles(token);
    const items: Array<{uri: vscode.Uri; lines: number; hash: string | null; open: boolean}> = [];
    for (const [i, uri] of files.entries()) {
      if (token.isCancellationRequested) return undefined;
      progress.report({message: `${i + 1}/${files.length} ${vscode.workspace.asRelativePath(uri)}`, increment: 100 / Math.max(files.length, 1)});
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) {
        const result = await c.sendRequest<StripEditResult>(STRIP_EDIT_REQUEST, {uri: uri.toString()});
        if (result.lines > 0) items.push({uri, lines: result.lines, hash: null, open: true});
      } else {
        const result = await c.sendRequest<StripFileResult>(STRIP_FILE_REQUEST, {uri: uri.toString(), apply: false});
        if (result.lines > 0) items.push({uri, lines: result.lines, hash: result.hash, open: false});
      }
    }
    return items;
  });
  if (!plan) return;
  if (plan.length === 0) {
    void vscode.window.showInformationMessage('Sift: no boilerplate found in the workspace files.');
    return;
  }
  const total = plan.reduce((n, p) => n + p.lines, 0);
  const choice = await vscode.window.showWarningMessage(
    `Remove ${total} boilerplate line${total === 1 ? '' : 's'} from ${plan.length} file${plan.length === 1 ? '' : 's'}?`,
    {modal: true, detail: 'Files on disk are rewritten atomically; open files are edited in the editor (undo with Ctrl+Z, then save). A file that changes in the meantime is left alone.'},
    'Remove',
    'Choose Files…',
  );
  let chosen = plan;
  if (choice === 'Choose Files…') {
    const picked = await vscode.window.showQuickPick(
      plan.map((p) => ({label: vscode.workspace.asRelativePath(p.uri), description: `${p.lines} line${p.lines === 1 ? '' : 's'}${p.open ? ' · open' : ''}`, picked: true, item: p})),
      {canPickMany: true, title: 'Sift: strip boilerplate from these files'},
    );
    if (!picked || picked.length === 0) return;
    chosen = picked.map((p) => p.item);
  } else if (choice !== 'Remove') return;

  const outcome = await vscode.window.withProgress({location: vscode.ProgressLocation.Notification, title: 'Sift: stripping boilerplate', cancellable: true}, async (progress, token) => {
    let files = 0;
    let lines = 0;
    const refused: string[] = [];
    for (const item of chosen) {
      if (token.isCancellationRequested) break;
      progress.report({message: vscode.workspace.asRelativePath(item.uri), increment: 100 / chosen.length});
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === item.uri.toString());
      if (open) {
        const removed = await applyStrip(c, open);
        if (removed > 0) {
          files++;
          lines += removed;
        } else if (removed < 0) refused.push(`${vscode.workspace.asRelativePath(item.uri)}: changed while being edited`);
      } else {
        const result = await c.sendRequest<StripFileResult>(STRIP_FILE_REQUEST, {uri: item.uri.toString(), apply: true, expectedHash: item.hash ?? undefined});
        if (result.written) {
          files++;
          lines += result.lines;
        } else if (result.skipped) refused.push(`${vscode.workspace.asRelativePath(item.uri)}: ${result.skipped}`);
      }
    }
    return {files, lines, refused};
  });
  const message = `Sift removed ${outcome.lines} boilerplate line${outcome.lines === 1 ? '' : 's'} from ${outcome.files} file${outcome.files === 1 ? '' : 's'}.`;
  if (outcome.refused.length) void vscode.window.showWarningMessage(`${message} Left alone: ${outcome.refused.join('; ')}.`);
  else void vscode.window.showInformationMessage(message);
}

/**
 * Sift: Export Annotations (file or workspace) as JSONL.
 * @param workspace Whole workspace rather than the active file.
 * @returns Nothing.
 */
async function exportAnnotations(workspace: boolean): Promise<void> {
  const c = running();
  if (!c) return;
  const editor = vscode.window.activeTextEditor;
  const uris = workspace ? await workspaceFiles() : editor ? [editor.document.uri] : [];
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(workspace ? 'Sift: no files in the workspace match sift.files.' : 'Sift: open a file to export its annotations.');
    return;
  }
  const base = workspace ? vscode.workspace.workspaceFolders?.[0]?.uri : uris[0];
  const target = await vscode.window.showSaveDialog({
    defaultUri: base ? vscode.Uri.joinPath(base, workspace ? 'sift-annotations.jsonl' : `../${uris[0]!.path.split('/').pop()}.sift.jsonl`) : undefined,
    filters: {'JSON Lines': ['jsonl']},
    title: 'Sift: export annotations as JSONL',
  });
  if (!target) return;
  const result = await vscode.window.withProgress({location: vscode.ProgressLocation.Notification, title: 'Sift: exporting annotations'}, () =>
    c.sendRequest<ExportResult>(EXPORT_REQUEST, {uris: uris.map((u) => u.toString())}),
  );
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.jsonl));
  const note = result.skipped.length ? ` Skipped: ${result.skipped.map((s) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri))} (${s.reason})`).join('; ')}.` : '';
  void vscode.window.showInformationMessage(`Sift exported the annotations of ${uris.length - result.skipped.length} file${uris.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}.${note}`);
}

/**
 * Sift: Toggle for This Workspace.
 * @returns Nothing.
 */
async function toggle(): Promise<void> {
  const config = vscode.workspace.getConfiguration('sift');
  const enabled = config.get<boolean>('enable', true);
  await config.update('enable', !enabled, vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Sift is now ${enabled ? 'off' : 'on'} for this workspace.`);
}

/**
 * The configuration scope and target where kept lines of a document are stored (its workspace folder).
 * @param uri Document URI.
 * @returns Configuration and target.
 */
function keptScope(uri: vscode.Uri): {config: vscode.WorkspaceConfiguration; target: vscode.ConfigurationTarget} {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return {
    config: vscode.workspace.getConfiguration('sift', uri),
    target: folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global,
  };
}

/**
 * Keep this line: stop flagging it in this workspace (stored in the workspace settings; undoable).
 * @param uriText Document URI.
 * @param line The line's text.
 * @returns Nothing.
 */
async function keepLine(uriText: string, line: string): Promise<void> {
  const uri = vscode.Uri.parse(uriText);
  const {config, target} = keptScope(uri);
  const kept = config.get<string[]>('boilerplate.keepLines', []);
  if (!kept.includes(line)) await config.update('boilerplate.keepLines', [...kept, line], target);
  const short = line.length > 60 ? `${line.slice(0, 59)}…` : line;
  const answer = await vscode.window.showInformationMessage(`Sift will not flag “${short}” in this workspace again.`, 'Undo');
  if (answer === 'Undo') {
    const now = vscode.workspace.getConfiguration('sift', uri).get<string[]>('boilerplate.keepLines', []);
    await config.update('boilerplate.keepLines', now.filter((l) => l !== line), target);
  }
}

/**
 * Sift: Manage Kept Lines: choose lines to flag again.
 * @returns Nothing.
 */
async function manageKept(): Promise<void> {
  const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!uri) return;
  const {config, target} = keptScope(uri);
  const kept = config.get<string[]>('boilerplate.keepLines', []);
  if (kept.length === 0) {
    void vscode.window.showInformationMessage('Sift: no kept lines in this workspace.');
    return;
  }
  const picked = await vscode.window.showQuickPick(kept.map((label) => ({label})), {canPickMany: true, title: 'Sift: flag these lines again'});
  if (!picked || picked.length === 0) return;
  const drop = new Set(picked.map((p) => p.label));
  await config.update('boilerplate.keepLines', kept.filter((l) => !drop.has(l)), target);
}

/**
 * The cross-source parts of the client: the "Sift: Entities" and "Sift: Quotes" views, the Sources Overview page,
 * the story code lens command, opening places, and exporting for annotation tools. The language server does the
 * work (`server/src/lsp/workspace.ts`); this side shows it. `extension.ts` calls `registerSourceViews` once.
 */
import * as vscode from 'vscode';
import type {LanguageClient} from 'vscode-languageclient/node';
import {
  CORPUS_COMMANDS,
  CORPUS_EXPORT_REQUEST,
  CORPUS_STATUS_NOTIFICATION,
  CORPUS_STORY_REQUEST,
  CORPUS_VIEWS,
  type CorpusExportFormat,
  type CorpusExportResult,
  type CorpusLocation,
  type CorpusStatus,
  type CorpusStoryResult,
} from '../../../server/src/lsp/corpus-protocol';
import {EntitiesProvider} from './entities';
import {OverviewPanel} from './overview';
import {QuotesProvider} from './quotes';
import {count, indexMessage, openLocation, openOneOf, type SourcesContext} from './util';

/** Views refresh at most this often while the index changes. */
const REFRESH_MS = 1500;

/**
 * Register the views, the page and the commands.
 * @param context Extension context.
 * @param client The language client (registered before it starts: notifications are queued until then).
 * @returns Nothing.
 */
export function registerSourceViews(context: vscode.ExtensionContext, client: LanguageClient): void {
  const emitter = new vscode.EventEmitter<CorpusStatus>();
  const sources: SourcesContext = {client, status: undefined, onDidChange: emitter.event};
  const entities = new EntitiesProvider(sources);
  const quotes = new QuotesProvider(sources);
  const entitiesView = vscode.window.createTreeView(CORPUS_VIEWS.entities, {treeDataProvider: entities, showCollapseAll: true});
  const quotesView = vscode.window.createTreeView(CORPUS_VIEWS.quotes, {treeDataProvider: quotes, showCollapseAll: true});

  let shownRevision = -1;
  let shownState: CorpusStatus['state'] | undefined;
  let timer: NodeJS.Timeout | undefined;
  const refresh = (): void => {
    timer = undefined;
    const status = sources.status;
    if (!status) return;
    shownRevision = status.revision;
    shownState = status.state;
    entities.refresh();
    quotes.refresh();
    emitter.fire(status);
  };
  const showStatus = (): void => {
    const message = indexMessage(sources.status);
    entitiesView.message = message;
    quotesView.message = message;
  };

  context.subscriptions.push(
    emitter,
    entitiesView,
    quotesView,
    client.onNotification(CORPUS_STATUS_NOTIFICATION, (status: CorpusStatus) => {
      sources.status = status;
      showStatus();
      if (status.revision === shownRevision && status.state === shownState) return;
      // The first result and the end of indexing show at once; changes meanwhile at most every REFRESH_MS.
      if (shownState === undefined || (status.state === 'ready' && shownState !== 'ready')) {
        clearTimeout(timer);
        refresh();
      } else timer ??= setTimeout(refresh, REFRESH_MS);
    }),
    {dispose: () => clearTimeout(timer)},
    vscode.commands.registerCommand(CORPUS_COMMANDS.refresh, () => refresh()),
    vscode.commands.registerCommand(CORPUS_COMMANDS.overview, () => OverviewPanel.show(sources)),
    vscode.commands.registerCommand(CORPUS_COMMANDS.openLocation, (location: CorpusLocation, all?: CorpusLocation[]) =>
      all && all.length > 1 && vscode.window.activeTextEditor?.document.uri.toString() === location.uri ? openOneOf(all, 'Mentions in this file') : openLocation(location),
    ),
    vscode.commands.registerCommand(CORPUS_COMMANDS.openStory, (uri?: string, others?: string[]) => openStory(client, uri, others)),
    vscode.commands.registerCommand(CORPUS_COMMANDS.exportAs, () => exportAs(client, false)),
    vscode.commands.registerCommand(CORPUS_COMMANDS.exportWorkspaceAs, () => exportAs(client, true)),
  );
  showStatus();
}

/**
 * Open the other files of a file's story (the code lens "Same story as N other files"): a quick pick with every
 * file picked; Enter opens them all.
 * @param client Language client.
 * @param uri The file (default: the active editor's).
 * @param others The other files, when the lens already knows them.
 * @returns Nothing.
 */
async function openStory(client: LanguageClient, uri?: string, others?: string[]): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!target || !client.isRunning()) return;
  const story = await client.sendRequest<CorpusStoryResult>(CORPUS_STORY_REQUEST, {uri: target});
  const files = story.files.length ? story.files : (others ?? []).map((u) => ({uri: u, label: vscode.Uri.parse(u).path.split('/').pop() ?? u, title: '', nearDuplicate: false, shared: []}));
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Sift: no other file of the workspace reports this story.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({
      label: vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)),
      description: f.nearDuplicate ? 'near-copy' : undefined,
      detail: [f.title, f.shared.length ? `names ${f.shared.join(', ')}` : ''].filter(Boolean).join(' — '),
      picked: true,
      uri: f.uri,
    })),
    {canPickMany: true, title: `Same story as ${count(files.length, 'other file')}: open`, matchOnDetail: true},
  );
  if (!picked) return;
  for (const [i, item] of picked.entries()) await vscode.window.showTextDocument(vscode.Uri.parse(item.uri), {preview: false, preserveFocus: i > 0});
}

/**
 * Sift: Export Annotations As… (file or workspace): JSONL for doccano, brat standoff, or CoNLL.
 * @param client Language client.
 * @param workspace The whole workspace rather than the active file.
 * @returns Nothing.
 */
async function exportAs(client: LanguageClient, workspace: boolean): Promise<void> {
  if (!client.isRunning()) {
    void vscode.window.showWarningMessage('Sift: the language server is not running (see the Sift output channel).');
    return;
  }
  const uris = workspace ? await workspaceFiles() : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(workspace ? 'Sift: no files in the workspace match sift.files.' : 'Sift: open a file to export its annotations.');
    return;
  }
  const choice = await vscode.window.showQuickPick(
    [
      {label: 'JSONL', description: 'doccano', detail: 'One record per file: text, name spans (code points), quotations and boilerplate lines', format: 'jsonl' as CorpusExportFormat},
      {label: 'brat standoff', description: 'brat, INCEpTION', detail: 'A .ann beside each .txt, and an annotation.conf', format: 'brat' as CorpusExportFormat},
      {label: 'CoNLL (IOB2)', description: 'INCEpTION, doccano', detail: 'A .conll beside each .txt: one token and its name tag a line', format: 'conll' as CorpusExportFormat},
    ],
    {title: `Sift: export the annotations of ${workspace ? count(uris.length, 'file') : vscode.workspace.asRelativePath(uris[0]!)} as`},
  );
  if (!choice) return;
  let target: vscode.Uri | undefined;
  if (choice.format === 'jsonl') {
    const base = workspace ? vscode.workspace.workspaceFolders?.[0]?.uri : uris[0];
    target = await vscode.window.showSaveDialog({
      defaultUri: base ? vscode.Uri.joinPath(base, workspace ? 'sift-doccano.jsonl' : `../${uris[0]!.path.split('/').pop()}.doccano.jsonl`) : undefined,
      filters: {'JSON Lines': ['jsonl']},
      title: 'Sift: export annotations for doccano',
    });
    if (!target) return;
  }
  const result = await vscode.window.withProgress({location: vscode.ProgressLocation.Notification, title: 'Sift: exporting annotations'}, () =>
    client.sendRequest<CorpusExportResult>(CORPUS_EXPORT_REQUEST, {uris: uris.map((u) => u.toString()), format: choice.format}),
  );
  if (choice.format !== 'jsonl') {
    const existing = (await Promise.all(result.files.map(async (f) => ((await exists(vscode.Uri.parse(f.uri))) ? f : undefined)))).filter(Boolean).length;
    if (existing > 0) {
      const answer = await vscode.window.showWarningMessage(
        `Replace ${count(existing, 'existing file')}?`,
        {modal: true, detail: `Sift writes ${count(result.files.length, 'file')} beside the sources; ${existing} already exist${existing === 1 ? 's' : ''}.`},
        'Replace',
      );
      if (answer !== 'Replace') return;
    }
  }
  const encoder = new TextEncoder();
  for (const file of result.files) await vscode.workspace.fs.writeFile(file.uri ? vscode.Uri.parse(file.uri) : target!, encoder.encode(file.content));
  const notes = [
    result.skipped.length ? `Skipped: ${result.skipped.map((s) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri))} (${s.reason})`).join('; ')}.` : '',
    result.dropped ? `${count(result.dropped, 'overlapping name')} left out of CoNLL (IOB cannot nest).` : '',
  ].filter(Boolean);
  const written = choice.format === 'jsonl' ? vscode.workspace.asRelativePath(target!) : count(result.files.length, 'file');
  void vscode.window.showInformationMessage(`Sift exported ${count(uris.length - result.skipped.length, 'file')} as ${choice.label} (${written}).${notes.length ? ` ${notes.join(' ')}` : ''}`);
}

/**
 * Does a file exist?
 * @param uri URI.
 * @returns Whether.
 */
async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The workspace files Sift reads (`sift.files` per folder).
 * @returns URIs, sorted.
 */
async function workspaceFiles(): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const config = vscode.workspace.getConfiguration('sift', folder.uri);
    if (!config.get<boolean>('enable', true)) continue;
    for (const glob of config.get<string[]>('files', ['**/*.txt'])) {
      for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob))) found.set(uri.toString(), uri);
    }
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

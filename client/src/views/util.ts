/**
 * Small helpers shared by the cross-source views: the language client's state, positions and opening places.
 */
import * as vscode from 'vscode';
import type {LanguageClient} from 'vscode-languageclient/node';
import type {CorpusLocation, CorpusRange, CorpusStatus} from '../../../server/src/lsp/corpus-protocol';

/** What the views share: the client, the last index status, and a way to hear about changes. */
export interface SourcesContext {
  client: LanguageClient;
  status: CorpusStatus | undefined;
  /** Fires when the index has a new revision or state (debounced). */
  onDidChange: vscode.Event<CorpusStatus>;
}

/**
 * What the trees of the cross-source views share: reloading, and asking the server one level at a time (an empty
 * answer when the server is not running).
 */
export abstract class ServerTree<Node, Params, Result extends {revision: number}> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  /**
   * @param sources Shared state.
   * @param method The server's request for this tree.
   */
  constructor(
    protected readonly sources: SourcesContext,
    private readonly method: string,
  ) {}

  /**
   * Reload everything.
   * @returns Nothing.
   */
  refresh(): void {
    this.emitter.fire(undefined);
  }

  /**
   * Ask the server.
   * @param params Level to fetch.
   * @returns Result, or an empty one when the server is not running.
   */
  protected async ask(params: Params): Promise<Result> {
    if (!this.sources.client.isRunning()) return {revision: -1} as Result;
    return this.sources.client.sendRequest<Result>(this.method, params);
  }
}

/**
 * A VS Code range from a protocol range.
 * @param range Protocol range.
 * @returns Range.
 */
export function toRange(range: CorpusRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/**
 * Open a file at a range and select it.
 * @param location Place.
 * @param preview Open in a preview tab.
 * @returns Nothing.
 */
export async function openLocation(location: CorpusLocation, preview = true): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
  const range = toRange(location.range);
  await vscode.window.showTextDocument(document, {selection: range, preview});
}

/**
 * Open one of several places: directly when there is one, through a quick pick otherwise.
 * @param locations Places.
 * @param title Quick pick title.
 * @returns Nothing.
 */
export async function openOneOf(locations: readonly CorpusLocation[], title: string): Promise<void> {
  if (locations.length === 0) return;
  if (locations.length === 1) return openLocation(locations[0]!);
  const items = await Promise.all(
    locations.map(async (location) => {
      const uri = vscode.Uri.parse(location.uri);
      let text = '';
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        text = document.getText(toRange(location.range)).replace(/\s+/g, ' ').trim();
      } catch {
        // unreadable: the label alone
      }
      return {label: `${vscode.workspace.asRelativePath(uri)}:${location.range.start.line + 1}`, detail: text.length > 120 ? `${text.slice(0, 119)}…` : text, location};
    }),
  );
  const picked = await vscode.window.showQuickPick(items, {title, matchOnDetail: true});
  if (picked) await openLocation(picked.location);
}

/**
 * The file name of a URI.
 * @param uri URI text.
 * @returns Base name.
 */
export function baseName(uri: string): string {
  return vscode.Uri.parse(uri).path.split('/').pop() ?? uri;
}

/**
 * A one-line excerpt.
 * @param text Text.
 * @param max Longest length.
 * @returns Text.
 */
export function excerpt(text: string, max = 70): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Plural.
 * @param n Count.
 * @param word Singular.
 * @param plural Plural form.
 * @returns "1 word", "2 words".
 */
export function count(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

/**
 * The message a view shows while the index is not ready.
 * @param status Index status.
 * @returns Message or undefined.
 */
export function indexMessage(status: CorpusStatus | undefined): string | undefined {
  if (!status) return 'Sift is starting…';
  if (status.state === 'off') return `Sift's workspace index is off${status.reason ? `: ${status.reason}` : ''}.`;
  if (status.state === 'indexing') return `Indexing sources: ${status.indexed}/${status.total}${status.fromCache ? ` (${status.fromCache} from the cache)` : ''}…`;
  if (status.reason) return status.reason;
  return undefined;
}

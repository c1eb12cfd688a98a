/**
 * The "Sift: Quotes" view: speaker → quotation → the sources that carry it (the same words matched across files
 * even when one source cut a clause or added a word). Clicking a source opens the quotation there.
 */
import * as vscode from 'vscode';
import {CORPUS_COMMANDS, CORPUS_QUOTES_REQUEST, type CorpusQuotesParams, type CorpusQuotesResult, type CorpusLocation} from '../../../server/src/lsp/corpus-protocol';
import {count, excerpt, ServerTree, type SourcesContext} from './util';

/** A node of the tree. */
export type QuoteNode =
  | {kind: 'speaker'; speaker: string; quotations: number; shared: number; sources: number}
  | {kind: 'quotation'; cluster: number; revision: number; text: string; sources: number; copies: number}
  | {kind: 'source'; uri: string; label: string; location: CorpusLocation; text: string; mention: string | null; added: number; removed: number};

/**
 * Tree data for the Quotes view.
 */
export class QuotesProvider extends ServerTree<QuoteNode, CorpusQuotesParams, CorpusQuotesResult> implements vscode.TreeDataProvider<QuoteNode> {
  /**
   * @param sources Shared state.
   */
  constructor(sources: SourcesContext) {
    super(sources, CORPUS_QUOTES_REQUEST);
  }

  async getChildren(element?: QuoteNode): Promise<QuoteNode[]> {
    if (!element) return ((await this.ask({})).speakers ?? []).map((s) => ({kind: 'speaker', ...s}));
    if (element.kind === 'speaker') {
      const result = await this.ask({speaker: element.speaker});
      return (result.quotations ?? []).map((q) => ({kind: 'quotation', revision: result.revision, ...q}));
    }
    if (element.kind === 'quotation') {
      const result = await this.ask({cluster: element.cluster, revision: element.revision});
      if (result.stale) {
        this.refresh();
        return [];
      }
      return (result.sources ?? []).map((s) => ({kind: 'source', ...s}));
    }
    return [];
  }

  getTreeItem(element: QuoteNode): vscode.TreeItem {
    if (element.kind === 'speaker') {
      const item = new vscode.TreeItem(element.speaker || 'Unknown speaker', vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${count(element.quotations, 'quotation')}${element.shared ? ` · ${element.shared} in several sources` : ''}`;
      item.iconPath = new vscode.ThemeIcon(element.speaker ? 'person' : 'question');
      item.id = `speaker:${element.speaker}`;
      return item;
    }
    if (element.kind === 'quotation') {
      const item = new vscode.TreeItem(`“${excerpt(element.text)}”`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = count(element.sources, 'source');
      item.tooltip = new vscode.MarkdownString().appendText(`“${element.text}”`).appendMarkdown(`\n\n${count(element.sources, 'source')}`);
      item.iconPath = new vscode.ThemeIcon(element.sources > 1 ? 'quote' : 'comment');
      return item;
    }
    const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = vscode.Uri.parse(element.uri);
    const diff = element.added === 0 && element.removed === 0 ? 'same words' : [element.removed ? `${count(element.removed, 'word')} fewer` : '', element.added ? `${count(element.added, 'word')} more` : ''].filter(Boolean).join(', ');
    item.description = `line ${element.location.range.start.line + 1} · ${diff}${element.mention ? ` · “${element.mention}”` : ''}`;
    item.tooltip = new vscode.MarkdownString().appendText(`“${element.text}”`);
    item.command = {title: 'Open', command: CORPUS_COMMANDS.openLocation, arguments: [element.location]};
    return item;
  }
}

/**
 * The "Sift: Entities" view: names across the workspace, grouped by type → name → files, with counts. Clicking a
 * file opens the name's first mention there.
 */
import * as vscode from 'vscode';
import {CORPUS_COMMANDS, CORPUS_ENTITIES_REQUEST, type CorpusEntitiesParams, type CorpusEntitiesResult, type CorpusLocation} from '../../../server/src/lsp/corpus-protocol';
import {count, ServerTree, type SourcesContext} from './util';

/** A node of the tree. */
export type EntityNode =
  | {kind: 'type'; type: string; label: string; names: number; mentions: number}
  | {kind: 'name'; key: string; name: string; type: string; mentions: number; files: number}
  | {kind: 'file'; uri: string; label: string; mentions: number; forms: string[]; first: CorpusLocation; locations: CorpusLocation[]};

const TYPE_ICONS: Readonly<Record<string, string>> = {PER: 'person', ORG: 'organization', LOC: 'location', MISC: 'symbol-misc'};

/**
 * Tree data for the Entities view.
 */
export class EntitiesProvider extends ServerTree<EntityNode, CorpusEntitiesParams, CorpusEntitiesResult> implements vscode.TreeDataProvider<EntityNode> {
  /**
   * @param sources Shared state.
   */
  constructor(sources: SourcesContext) {
    super(sources, CORPUS_ENTITIES_REQUEST);
  }

  async getChildren(element?: EntityNode): Promise<EntityNode[]> {
    if (!element) return ((await this.ask({})).types ?? []).map((t) => ({kind: 'type', ...t}));
    if (element.kind === 'type') return ((await this.ask({type: element.type})).names ?? []).map((n) => ({kind: 'name', ...n}));
    if (element.kind === 'name') return ((await this.ask({key: element.key})).files ?? []).map((f) => ({kind: 'file', ...f}));
    return [];
  }

  getTreeItem(element: EntityNode): vscode.TreeItem {
    if (element.kind === 'type') {
      const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${count(element.names, 'name')} · ${count(element.mentions, 'mention')}`;
      item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[element.type] ?? 'symbol-misc');
      item.id = `type:${element.type}`;
      return item;
    }
    if (element.kind === 'name') {
      const item = new vscode.TreeItem(element.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${count(element.files, 'file')} · ${count(element.mentions, 'mention')}`;
      item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[element.type] ?? 'symbol-misc');
      item.tooltip = `${element.name} (${element.type}): ${count(element.mentions, 'mention')} in ${count(element.files, 'file')}`;
      item.contextValue = 'sift.entity';
      item.id = `name:${element.key}`;
      return item;
    }
    const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = vscode.Uri.parse(element.uri);
    item.description = `${count(element.mentions, 'mention')}${element.forms.length ? ` · ${element.forms.map((f) => `“${f}”`).join(', ')}` : ''}`;
    item.tooltip = `${vscode.workspace.asRelativePath(item.resourceUri)}: lines ${[...new Set(element.locations.map((l) => l.range.start.line + 1))].join(', ')}`;
    item.command = {title: 'Open', command: CORPUS_COMMANDS.openLocation, arguments: [element.first, element.locations]};
    return item;
  }
}

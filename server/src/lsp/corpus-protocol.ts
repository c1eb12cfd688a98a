/**
 * The cross-source messages between the language server's workspace index (`workspace.ts`) and the VS Code
 * client's views (`client/src/views/`). Types and method names only: the client imports this file and
 * `protocol.ts`, nothing else from the server.
 *
 * Positions are LSP positions (0-based line, UTF-16 character). Cluster ids and speaker lists are valid for one
 * index `revision`; a client that gets a newer revision in a status notification asks again.
 */

/** An LSP range, structurally (this file imports no LSP library). */
export interface CorpusRange {
  start: {line: number; character: number};
  end: {line: number; character: number};
}

/** A place in a file. */
export interface CorpusLocation {
  uri: string;
  range: CorpusRange;
}

/** Server → client: the state of the workspace index. */
export const CORPUS_STATUS_NOTIFICATION = 'sift/corpusStatus';
export interface CorpusStatus {
  state: 'indexing' | 'ready' | 'off';
  /** Files indexed so far, and files found. */
  indexed: number;
  total: number;
  /** Files whose summary came from the on-disk cache in this run. */
  fromCache: number;
  /** Increases whenever the index changes; views refresh when it does. */
  revision: number;
  /** Why the index is off, when it is. */
  reason?: string;
}

/** Client → server: the Entities view, level by level (type → name → files). */
export const CORPUS_ENTITIES_REQUEST = 'sift/corpusEntities';
export interface CorpusEntitiesParams {
  /** Absent: the types. */
  type?: string;
  /** With `type`: that type's names. With `key`: that name's files. */
  key?: string;
}
export interface CorpusEntitiesResult {
  revision: number;
  types?: Array<{type: string; label: string; names: number; mentions: number}>;
  names?: Array<{key: string; name: string; type: string; mentions: number; files: number}>;
  files?: Array<{uri: string; label: string; mentions: number; forms: string[]; first: CorpusLocation; locations: CorpusLocation[]}>;
}

/** Client → server: the Quotes view (speaker → quotation → sources). */
export const CORPUS_QUOTES_REQUEST = 'sift/corpusQuotes';
export interface CorpusQuotesParams {
  /** Absent: the speakers. Present: that speaker's quotations ("" for quotations without a speaker). */
  speaker?: string;
  /** With `revision`: the sources of one quotation. */
  cluster?: number;
  revision?: number;
}
export interface CorpusQuotesResult {
  revision: number;
  speakers?: Array<{speaker: string; quotations: number; shared: number; sources: number}>;
  quotations?: Array<{cluster: number; text: string; sources: number; copies: number}>;
  sources?: Array<{uri: string; label: string; location: CorpusLocation; text: string; mention: string | null; added: number; removed: number}>;
  /** Set when the asked revision is gone: the client should refresh. */
  stale?: boolean;
}

/** Client → server: the Sources Overview page's data. */
export const CORPUS_OVERVIEW_REQUEST = 'sift/corpusOverview';
export interface CorpusOverviewResult {
  revision: number;
  status: CorpusStatus;
  sources: Array<{uri: string; label: string; title: string}>;
  /** Speakers × sources: the quotations of each speaker in each source (index into `sources`). */
  speakers: Array<{speaker: string; quotations: number; cells: Array<{source: number; count: number; locations: CorpusLocation[]}>}>;
  /** Per source (index into `sources`), its most named entities. */
  names: Array<{source: number; top: Array<{name: string; type: string; mentions: number}>}>;
  stories: Array<{files: number[]; names: string[]}>;
  /** Sources left out because the workspace has more than the page shows. */
  omittedSources: number;
}

/** Client → server: the other files of a file's story (what its code lens opens). */
export const CORPUS_STORY_REQUEST = 'sift/corpusStory';
export interface CorpusStoryParams {
  uri: string;
}
export interface CorpusStoryResult {
  files: Array<{uri: string; label: string; title: string; nearDuplicate: boolean; shared: string[]}>;
}

/** Client → server: export annotations in an annotation tool's format. */
export const CORPUS_EXPORT_REQUEST = 'sift/corpusExport';
export type CorpusExportFormat = 'jsonl' | 'brat' | 'conll';
export interface CorpusExportParams {
  uris: string[];
  format: CorpusExportFormat;
}
export interface CorpusExportResult {
  /**
   * jsonl: one file (its `uri` is empty: the client asks where to save it). brat: a `.ann` beside each source and an
   * `annotation.conf` in each folder. conll: a `.conll` beside each source.
   */
  files: Array<{uri: string; content: string}>;
  skipped: Array<{uri: string; reason: string}>;
  /** Overlapping entities left out of CoNLL. */
  dropped: number;
}

/** Client command ids of the cross-source features (contributed in package.json). */
export const CORPUS_COMMANDS = Object.freeze({
  overview: 'sift.showSourcesOverview',
  openStory: 'sift.openStory',
  openLocation: 'sift.openLocation',
  exportAs: 'sift.exportAnnotationsAs',
  exportWorkspaceAs: 'sift.exportWorkspaceAnnotationsAs',
  refresh: 'sift.refreshSourceViews',
});

/** View ids (contributed in package.json). */
export const CORPUS_VIEWS = Object.freeze({
  entities: 'sift.entities',
  quotes: 'sift.quotes',
});

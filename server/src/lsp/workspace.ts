/**
 * The workspace index of the language server: every source of the workspace summarised once (in the background,
 * with progress), kept in sync with the disk and the editor, and cached on disk by content hash so a restart does
 * not redo a large workspace. On top of it: workspace symbols (names across files), Find All References across
 * files, a "same story" code lens, cross-source quotation hovers, repeated-line evidence for the boilerplate
 * analyser, and the custom requests of the client's views (Entities, Quotes, Sources Overview, export).
 *
 * `server.ts` creates it with `createWorkspace(host)` and calls the few hooks below; everything else lives here.
 */
import {createWriteStream, promises as fs, statSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import * as path from 'node:path';
import {createGunzip, createGzip} from 'node:zlib';
import {
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  SymbolKind,
  type CodeLens,
  type Connection,
  type InitializeParams,
  type Location,
  type Position,
  type ServerCapabilities,
  type SymbolInformation,
  type TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import type {TextDocument} from 'vscode-languageserver-textdocument';
import {annotate, type AnnotateOptions, type Annotations} from '../engine/index.js';
import {
  BRAT_ANNOTATION_CONF,
  CorpusIndex,
  contentHash,
  deserializeSummary,
  diffCounts,
  diffWords,
  NAME_TYPES,
  oneLine,
  serializeSummary,
  summarize,
  SUMMARY_VERSION,
  toBrat,
  toConll,
  toDoccano,
  withLineView,
  type FileSummary,
  type QuoteCluster,
  type QuoteLocation,
  type SerializedSummary,
} from '../engine/corpus/index.js';
import {readSource} from '../cli/files.js';
import type {Analysis} from './convert.js';
import {matchesGlobs, type SiftSettings} from './settings.js';
import {
  CORPUS_COMMANDS,
  CORPUS_ENTITIES_REQUEST,
  CORPUS_EXPORT_REQUEST,
  CORPUS_OVERVIEW_REQUEST,
  CORPUS_QUOTES_REQUEST,
  CORPUS_STATUS_NOTIFICATION,
  CORPUS_STORY_REQUEST,
  type CorpusEntitiesParams,
  type CorpusEntitiesResult,
  type CorpusExportParams,
  type CorpusExportResult,
  type CorpusLocation,
  type CorpusOverviewResult,
  type CorpusQuotesParams,
  type CorpusQuotesResult,
  type CorpusRange,
  type CorpusStatus,
  type CorpusStoryParams,
  type CorpusStoryResult,
} from './corpus-protocol.js';

declare const SIFT_VERSION: string | undefined;

/** What the workspace index needs from the server. */
export interface WorkspaceHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** The settings of a document or folder. */
  settingsFor(uri: string): Promise<SiftSettings>;
  /** The workspace folders. */
  folders(): WorkspaceFolder[];
  /** A fresh analysis of an open document (null when it is not analysed). */
  analysisOf(uri: string): Promise<Analysis | null>;
  /** Re-analyse every open document (the folders' repeated lines changed). */
  reanalyse(): void;
  /**
   * Summarise a file's text off the server's thread (in an analysis worker), if the host can. The index then works
   * on 1 + `indexThreads` files at a time: one on the server's thread, the others in workers; and a large file
   * (from `OFF_THREAD_CHARS`) always goes to a worker, so that the server's thread keeps answering.
   */
  summarizeOffThread?(job: {text: string; options: AnnotateOptions; uri: string; hash: string}): {summary: Promise<FileSummary | null>; cancel(): void};
  /** How many files the index summarises at a time off the server's thread (default 1). */
  indexThreads?: number;
  /** The index has caught up (the workers it kept busy may go). */
  indexed?(): void;
}

/** The hooks `server.ts` calls. */
export interface SiftWorkspace {
  /** From `onInitialize`: read the storage path and the client's capabilities. */
  initialize(params: InitializeParams): void;
  /** Capabilities to merge into the server's. */
  capabilities(): ServerCapabilities;
  /** From `onInitialized`: watch files and start indexing. */
  start(): void;
  /** Workspace folders or settings changed: index again (summaries come back from the cache). */
  restart(): void;
  /** Engine options for a document, with its folder's repeated lines. */
  withCorpus(options: AnnotateOptions, uri: string, text: string): AnnotateOptions;
  /** A new analysis of an open document: the index follows the editor. */
  analysed(analysis: Analysis): void;
  /** Markdown about other sources for a hover (a quotation's other sources and differences, a name's files). */
  hover(analysis: Analysis, position: Position): string | null;
  /** The index (for tests and benchmarks). */
  readonly index: CorpusIndex;
}

/** From this size (UTF-16 code units) a file is summarised in a worker, when there are workers (as open documents). */
const OFF_THREAD_CHARS = 32 * 1024;
/** Files read ahead of the engines (their summaries may be in the cache). */
const READ_AHEAD = 4;
/** Files indexed between two yields to the event loop when they come from the cache. */
const CACHE_BATCH = 64;
/** Most files indexed; beyond, the workspace is too large for the editor and `sift report` is the tool. */
const MAX_FILES = 50_000;
/** Status notifications are at most this often while indexing. */
const STATUS_INTERVAL_MS = 1000;
/** After a change, views and lenses are refreshed after this pause. */
const CHANGE_DEBOUNCE_MS = 300;
/** An open document's new analysis is summarised this long after it is made. */
const SUMMARY_DELAY_MS = 100;
/** The cache is written this long after the last change. */
const SAVE_DELAY_MS = 3000;
/** The derived tables are computed this long after the last change. */
const WARMUP_DELAY_MS = 500;
/** … and this long after the last edit of an open document. */
const EDIT_WARMUP_DELAY_MS = 5000;
/** From this many files, code lenses show the last stories while new ones are computed after a pause. */
const LARGE_WORKSPACE = 2000;
const STALE_LENS_MS = 1500;
/** Sources shown in the Sources Overview. */
const OVERVIEW_SOURCES = 40;
const OVERVIEW_SPEAKERS = 30;

/**
 * Create the workspace index and register its handlers.
 * @param host The server's side.
 * @returns Hooks for the server.
 */
export function createWorkspace(host: WorkspaceHost): SiftWorkspace {
  const {connection, documents} = host;
  const index = new CorpusIndex();
  /** Files on disk the index knows, open or not. */
  const known = new Set<string>();
  const queue = new Set<string>();
  /** Summaries being made off the server's thread (cancelled when the user cancels the indexing). */
  const inFlight = new Set<{cancel(): void}>();
  const engines = new EngineSlots(host.summarizeOffThread ? Math.max(0, host.indexThreads ?? 1) : 0);
  /** The user cancelled the indexing: files waiting for an engine are dropped. */
  let stopRequested = false;
  let running = false;
  let generation = 0;
  let started = false;
  let fromCache = 0;
  let state: CorpusStatus['state'] = 'indexing';
  let offReason: string | undefined;
  let cache: SummaryCache | undefined;
  let canWatch = false;
  let canRefreshLenses = false;
  let statusTimer: NodeJS.Timeout | undefined;
  let lastStatus = 0;
  let saveTimer: NodeJS.Timeout | undefined;
  let watcherRegistration: {dispose(): void} | undefined;
  const optionsKeys = new Map<string, string>();

  /**
   * The folder of a file URI (its directory, as a URI).
   * @param uri File URI.
   * @returns Folder URI.
   */
  const folderOf = (uri: string): string => uri.slice(0, uri.lastIndexOf('/'));

  /**
   * Send the index status now.
   * @returns Nothing.
   */
  const sendStatus = (): void => {
    lastStatus = Date.now();
    clearTimeout(statusTimer);
    statusTimer = undefined;
    void connection.sendNotification(CORPUS_STATUS_NOTIFICATION, status());
    if (canRefreshLenses && state !== 'indexing') void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (state === 'ready') scheduleWarmup();
  };

  let warmupTimer: NodeJS.Timeout | undefined;
  /** Changes since the last warm-up: from edits of open documents, and any other. */
  let editChanges = false;
  let otherChanges = false;

  /**
   * After a pause in changes, compute the derived tables (names, quotation clusters, stories) in idle time, one at
   * a time, so the next request finds them ready. After edits in the editor the pause must be longer: the tables
   * cost ~1 s on 10,000 files, which would hold up the next keystroke's diagnostics, and what the hovers show comes
   * from the other files (`readNow`).
   * @returns Nothing.
   */
  function scheduleWarmup(): void {
    clearTimeout(warmupTimer);
    const revision = index.revision;
    // Tables never built yet (a file opened right after the index was ready) are built soon all the same: a hover
    // would otherwise build them itself.
    const delay = editChanges && !otherChanges && index.hasTables ? EDIT_WARMUP_DELAY_MS : WARMUP_DELAY_MS;
    warmupTimer = setTimeout(() => {
      editChanges = otherChanges = false;
      const steps = [(): unknown => index.names(), (): unknown => index.quoteClusters(), (): unknown => index.stories()];
      const next = (): void => {
        if (index.revision !== revision || state !== 'ready') return;
        const step = steps.shift();
        if (!step) return;
        step();
        setImmediate(next);
      };
      next();
    }, delay);
  }

  /**
   * The index changed: tell the client soon (at most once a second while indexing).
   * @returns Nothing.
   */
  const changed = (fromEditor = false): void => {
    if (fromEditor) editChanges = true;
    else otherChanges = true;
    if (statusTimer) return;
    const wait = state === 'indexing' ? Math.max(0, STATUS_INTERVAL_MS - (Date.now() - lastStatus)) : CHANGE_DEBOUNCE_MS;
    statusTimer = setTimeout(sendStatus, wait);
  };

  /**
   * The current status.
   * @returns Status.
   */
  function status(): CorpusStatus {
    return {state, indexed: index.size, total: Math.max(known.size, index.size), fromCache, revision: index.revision, ...(offReason ? {reason: offReason} : {})};
  }

  /**
   * The engine options of a file's background summary, and their cache key.
   * @param settings The file's settings.
   * @returns Options and key.
   */
  function summaryOptions(settings: SiftSettings): {options: AnnotateOptions; key: string} {
    const options: AnnotateOptions = {boilerplate: {threshold: settings.boilerplate.threshold, keep: settings.boilerplate.keepLines}};
    const raw = JSON.stringify([engineStamp(), SUMMARY_VERSION, settings.boilerplate.threshold, settings.boilerplate.keepLines]);
    let key = optionsKeys.get(raw);
    if (!key) optionsKeys.set(raw, (key = contentHash(raw).slice(0, 16)));
    return {options, key};
  }

  /**
   * Find the workspace's source files (`sift.files` of each folder; hidden folders and node_modules skipped).
   * @returns File URIs.
   */
  async function scan(): Promise<string[]> {
    const found: string[] = [];
    for (const folder of host.folders()) {
      if (!folder.uri.startsWith('file:')) continue;
      const settings = await host.settingsFor(folder.uri);
      if (!settings.enable) continue;
      const root = fileURLToPath(folder.uri);
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await fs.readdir(dir, {withFileTypes: true});
        } catch {
          return;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
          if (found.length >= MAX_FILES) return;
          if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile() && matchesGlobs(path.relative(root, full).split(path.sep).join('/'), settings.files)) found.push(pathToFileURL(full).href);
        }
      };
      await walk(root);
    }
    return found;
  }

  /**
   * Summarise one file from disk (or the cache), unless it is open in the editor (then the editor's text counts).
   * @param uri File URI.
   * @param gen Generation the work belongs to.
   * @returns Whether the engine ran (false: cache hit, skipped or open).
   */
  async function indexFile(uri: string, gen: number): Promise<boolean> {
    if (documents.get(uri)) return false;
    const settings = await host.settingsFor(uri);
    let source;
    try {
      source = await readSource(fileURLToPath(uri), settings.maxFileSize);
    } catch {
      if (gen === generation && !documents.get(uri)) index.remove(uri);
      return false;
    }
    if (gen !== generation || documents.get(uri)) return false;
    const {options, key} = summaryOptions(settings);
    const hash = contentHash(source.text);
    const cacheKey = `${hash}:${key}`;
    const cached = cache?.get(cacheKey);
    if (cached) {
      fromCache++;
      index.set(uri, folderOf(uri), cached);
      return false;
    }
    // A file the cache does not have waits for an engine: the server's thread, or a worker.
    const slot = await engines.acquire(Boolean(host.summarizeOffThread) && source.text.length >= OFF_THREAD_CHARS);
    try {
      if (gen !== generation || stopRequested || documents.get(uri)) return false;
      return await summarise(uri, gen, source.text, options, hash, cacheKey, slot);
    } finally {
      engines.release(slot);
    }
  }

  /**
   * Make a file's summary with an engine, and put it in the index and the cache.
   * @param uri File URI.
   * @param gen Generation the work belongs to.
   * @param text Its text.
   * @param options Engine options.
   * @param hash Content hash.
   * @param cacheKey Cache key.
   * @param slot Where: the server's thread or a worker.
   * @returns Whether the engine ran.
   */
  async function summarise(uri: string, gen: number, text: string, options: AnnotateOptions, hash: string, cacheKey: string, slot: EngineSlot): Promise<boolean> {
    let summary: FileSummary | null;
    if (slot === 'worker' && host.summarizeOffThread) {
      const task = host.summarizeOffThread({text, options, uri, hash});
      inFlight.add(task);
      try {
        summary = await task.summary;
      } finally {
        inFlight.delete(task);
      }
      if (!summary) {
        // The worker failed (its log says why), or the task was cancelled.
        if (gen === generation && !stopRequested) connection.console.error(`Sift could not index ${uri}: its summary could not be made`);
        return true;
      }
      if (gen !== generation || documents.get(uri)) return true;
    } else {
      let annotations: Annotations;
      try {
        annotations = annotate(text, options);
      } catch (error) {
        connection.console.error(`Sift could not index ${uri}: ${error instanceof Error ? error.message : String(error)}`);
        return true;
      }
      summary = summarize(text, annotations, hash);
    }
    cache?.put(cacheKey, summary);
    index.set(uri, folderOf(uri), summary);
    return true;
  }

  /**
   * Work through the queue, yielding to the event loop so requests are answered meanwhile.
   * @returns Nothing.
   */
  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    const gen = generation;
    const total = (): number => known.size;
    const progress = state === 'indexing' && queue.size >= 10 ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('Sift: indexing sources', 0, `0/${total()}`, true);
    let done = 0;
    let lastReport = Date.now();
    stopRequested = false;
    // Lanes read files (and take summaries from the cache) while others wait for an engine: the server's thread,
    // and with workers `indexThreads` more (a lane waits for its file's summary, so the engines stay busy). The
    // server's thread yields after each file.
    const lanes = engines.size + READ_AHEAD;
    const lane = async (): Promise<void> => {
      let sinceYield = 0;
      while (queue.size > 0 && gen === generation) {
        if (progress?.token.isCancellationRequested) {
          stopRequested = true;
          queue.clear();
          for (const task of inFlight) task.cancel();
          break;
        }
        const uri = queue.values().next().value as string;
        queue.delete(uri);
        const ran = await indexFile(uri, gen);
        done++;
        changed();
        if (ran || ++sinceYield >= CACHE_BATCH) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (progress && Date.now() - lastReport > 250) {
          lastReport = Date.now();
          progress.report(Math.min(100, Math.round((index.size / Math.max(1, total())) * 100)), `${index.size}/${total()} files${fromCache ? ` (${fromCache} from the cache)` : ''}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({length: lanes}, lane));
    } finally {
      progress?.done();
      running = false;
    }
    if (gen !== generation) return;
    if (queue.size > 0) {
      void drain();
      return;
    }
    const wasIndexing = state === 'indexing';
    state = 'ready';
    sendStatus();
    if (wasIndexing) saveNow();
    else scheduleSave();
    if (wasIndexing && done > 0) host.reanalyse();
    host.indexed?.();
  }

  /**
   * Queue files for (re)indexing.
   * @param uris File URIs.
   * @returns Nothing.
   */
  function enqueue(uris: Iterable<string>): void {
    for (const uri of uris) queue.add(uri);
    if (queue.size > 0) void drain();
  }

  /**
   * Index the workspace from scratch (summaries come back from the cache).
   * @returns Nothing.
   */
  async function rebuild(): Promise<void> {
    const gen = ++generation;
    queue.clear();
    state = 'indexing';
    offReason = undefined;
    fromCache = 0;
    sendStatus();
    await cacheReady;
    const files = await scan();
    if (gen !== generation) return;
    known.clear();
    for (const uri of files) known.add(uri);
    for (const file of index.files()) if (!known.has(file.id) && !documents.get(file.id)) index.remove(file.id);
    if (files.length >= MAX_FILES) {
      offReason = `the workspace has more than ${MAX_FILES} source files; only the first ${MAX_FILES} are indexed (use \`sift report\` for the whole corpus)`;
      void connection.window.showWarningMessage(`Sift: ${offReason}.`);
    }
    if (files.length === 0) {
      state = 'ready';
      sendStatus();
      return;
    }
    // Wait for a running drain of the previous generation to notice the change.
    while (running) await new Promise((resolve) => setTimeout(resolve, 5));
    enqueue(files);
  }

  /**
   * Write the cache soon (after a pause in changes).
   * @returns Nothing.
   */
  function scheduleSave(): void {
    if (!cache) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (state === 'indexing') scheduleSave();
      else saveNow();
    }, SAVE_DELAY_MS);
  }

  /**
   * Write the cache now.
   * @returns Nothing.
   */
  function saveNow(): void {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!cache) return;
    const previous = saving ?? Promise.resolve();
    saving = previous
      .then(() => cache!.save())
      .catch((error: unknown) => connection.console.warn(`Sift could not write its index cache: ${(error as Error).message}`))
      .finally(() => {
        if (saving === current) saving = undefined;
      });
    const current = saving;
  }
  let saving: Promise<void> | undefined;

  let cacheReady: Promise<void> = Promise.resolve();

  // ---- LSP handlers -------------------------------------------------------------------------------------------

  connection.onDidChangeWatchedFiles(async (params) => {
    const update: string[] = [];
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) continue;
      if (change.type === FileChangeType.Deleted) {
        known.delete(change.uri);
        // A deleted folder: forget every file under it.
        for (const file of index.files()) if ((file.id === change.uri || file.id.startsWith(`${change.uri}/`)) && !documents.get(file.id)) index.remove(file.id);
        for (const uri of [...known]) if (uri.startsWith(`${change.uri}/`)) known.delete(uri);
        changed();
        continue;
      }
      const settings = await host.settingsFor(change.uri);
      if (!settings.enable || !(await matches(change.uri, settings))) continue;
      known.add(change.uri);
      update.push(change.uri);
    }
    if (update.length) {
      if (state === 'ready' && update.length > 20) state = 'indexing';
      enqueue(update);
    }
    scheduleSave();
  });

  /**
   * Does a file match `sift.files` of its workspace folder?
   * @param uri File URI.
   * @param settings Its settings.
   * @returns Whether.
   */
  async function matches(uri: string, settings: SiftSettings): Promise<boolean> {
    const file = fileURLToPath(uri);
    const folder = host
      .folders()
      .filter((f) => f.uri.startsWith('file:') && (file + path.sep).startsWith(fileURLToPath(f.uri) + path.sep))
      .sort((a, b) => b.uri.length - a.uri.length)[0];
    if (!folder) return false;
    const stat = await fs.lstat(file).catch(() => null);
    if (!stat?.isFile()) return false;
    return matchesGlobs(path.relative(fileURLToPath(folder.uri), file).split(path.sep).join('/'), settings.files);
  }

  documents.onDidClose((event) => {
    const uri = event.document.uri;
    if (known.has(uri)) enqueue([uri]);
    else if (index.remove(uri)) changed();
  });

  connection.onWorkspaceSymbol((params) => {
    const out: SymbolInformation[] = [];
    for (const name of index.searchNames(params.query, 200)) {
      for (const [uri, mentions] of name.files) {
        const first = mentions[0]!;
        out.push({
          name: name.name,
          kind: name.type === 'PER' ? SymbolKind.Object : name.type === 'LOC' ? SymbolKind.Namespace : SymbolKind.Struct,
          location: {uri, range: rangeOf(uri, first.start, first.end)},
          containerName: `${basename(uri)} · ${mentions.length} mention${mentions.length === 1 ? '' : 's'}${first.text !== name.name ? ` (as “${first.text}”)` : ''}`,
        });
        if (out.length >= 1000) return out;
      }
    }
    return out;
  });

  connection.onReferences(async (params) => {
    const analysis = await host.analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    flushPending();
    const offset = offsetIn(analysis, params.position);
    const entity = nameUnder(analysis, offset);
    const out: Location[] = [];
    if (entity) {
      const name = index.names().get(index.keyOf(entity.canonical));
      if (!name) return [];
      for (const [uri, mentions] of name.files) for (const m of mentions) out.push({uri, range: rangeOf(uri, m.start, m.end)});
      return out;
    }
    const located = quoteAtAnalysis(analysis, offset);
    if (located) for (const m of located.cluster.members) out.push({uri: m.file, range: rangeOf(m.file, m.quote.start, m.quote.end)});
    return out;
  });

  connection.onCodeLens((params) => {
    const uri = params.textDocument.uri;
    if (!index.get(uri) || state === 'indexing') return [];
    const stories = storiesForLens();
    if (!stories) return [];
    const story = stories.storyOf.get(uri);
    if (!story) return [];
    const others = story.files.filter((f) => f !== uri);
    const near = stories.relations(uri).filter((l) => l.nearDuplicate).length;
    const lens: CodeLens = {
      range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}},
      command: {
        title: `Same story as ${others.length} other file${others.length === 1 ? '' : 's'}${near ? ` (${near} near-cop${near === 1 ? 'y' : 'ies'})` : ''}`,
        command: CORPUS_COMMANDS.openStory,
        arguments: [uri, others],
      },
    };
    return [lens];
  });

  let lensTimer: NodeJS.Timeout | undefined;

  /**
   * Stories for code lenses: current ones, or, in a large workspace that just changed, the last ones while new ones
   * are computed after a pause (then the lenses are refreshed), so typing never waits for the whole workspace.
   * @returns Stories, if any were computed.
   */
  function storiesForLens(): ReturnType<CorpusIndex['stories']> | undefined {
    const known = index.storiesSoFar();
    if (known?.current) return known.stories;
    if (index.size < LARGE_WORKSPACE || !known) return index.stories();
    clearTimeout(lensTimer);
    lensTimer = setTimeout(() => {
      lensTimer = undefined;
      index.stories();
      if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, STALE_LENS_MS);
    return known.stories;
  }

  connection.onRequest(CORPUS_STORY_REQUEST, (params: CorpusStoryParams): CorpusStoryResult => {
    const stories = index.stories();
    return {
      files: stories.relations(params.uri).map((link) => ({
        uri: link.b,
        label: basename(link.b),
        title: index.get(link.b)?.summary.title ?? '',
        nearDuplicate: link.nearDuplicate,
        shared: link.shared.slice(0, 6).map((k) => index.names().get(k)?.name ?? k),
      })),
    };
  });

  connection.onRequest(CORPUS_ENTITIES_REQUEST, (params: CorpusEntitiesParams): CorpusEntitiesResult => {
    const revision = index.revision;
    const names = [...index.names().values()];
    if (params.key !== undefined) {
      const name = index.names().get(params.key);
      if (!name) return {revision, files: []};
      return {
        revision,
        files: [...name.files].map(([uri, mentions]) => {
          const locations = mentions.map((m) => ({uri, range: rangeOf(uri, m.start, m.end)}));
          return {uri, label: basename(uri), mentions: mentions.length, forms: [...new Set(mentions.map((m) => m.text))], first: locations[0]!, locations};
        }),
      };
    }
    if (params.type !== undefined) {
      return {
        revision,
        names: names
          .filter((n) => n.type === params.type)
          .sort((a, b) => b.files.size - a.files.size || b.count - a.count || (a.name < b.name ? -1 : 1))
          .slice(0, 2000)
          .map((n) => ({key: n.key, name: n.name, type: n.type, mentions: n.count, files: n.files.size})),
      };
    }
    const types = new Map<string, {names: number; mentions: number}>();
    for (const n of names) {
      const t = types.get(n.type) ?? {names: 0, mentions: 0};
      t.names++;
      t.mentions += n.count;
      types.set(n.type, t);
    }
    return {
      revision,
      types: ['PER', 'ORG', 'LOC', 'MISC'].filter((t) => types.has(t)).map((type) => ({type, label: TYPE_LABELS[type]!, ...types.get(type)!})),
    };
  });

  connection.onRequest(CORPUS_QUOTES_REQUEST, (params: CorpusQuotesParams): CorpusQuotesResult => {
    const revision = index.revision;
    const clusters = index.quoteClusters();
    if (params.cluster !== undefined) {
      const cluster = clusters[params.cluster];
      if (params.revision !== revision || !cluster) return {revision, stale: true, sources: []};
      return {
        revision,
        sources: cluster.members.map((m) => {
          const {added, removed} = diffCounts(cluster.longest.quote.text, m.quote.text);
          return {
            uri: m.file,
            label: basename(m.file),
            location: {uri: m.file, range: rangeOf(m.file, m.quote.start, m.quote.end)},
            text: m.quote.text,
            mention: m.quote.mention,
            added,
            removed,
          };
        }),
      };
    }
    const speakerOf = (c: QuoteCluster): string => c.speaker ?? '';
    if (params.speaker !== undefined) {
      return {
        revision,
        quotations: clusters
          .filter((c) => speakerOf(c) === params.speaker)
          .sort((a, b) => b.files.length - a.files.length || a.id - b.id)
          .map((c) => ({cluster: c.id, text: c.longest.quote.text, sources: c.files.length, copies: c.members.length})),
      };
    }
    const speakers = new Map<string, {quotations: number; shared: number; sources: Set<string>}>();
    for (const c of clusters) {
      const s = speakers.get(speakerOf(c)) ?? {quotations: 0, shared: 0, sources: new Set<string>()};
      s.quotations++;
      if (c.files.length > 1) s.shared++;
      for (const f of c.files) s.sources.add(f);
      speakers.set(speakerOf(c), s);
    }
    return {
      revision,
      speakers: [...speakers]
        .map(([speaker, s]) => ({speaker, quotations: s.quotations, shared: s.shared, sources: s.sources.size}))
        .sort((a, b) => Number(a.speaker === '') - Number(b.speaker === '') || b.shared - a.shared || b.quotations - a.quotations || (a.speaker < b.speaker ? -1 : 1)),
    };
  });

  connection.onRequest(CORPUS_OVERVIEW_REQUEST, (): CorpusOverviewResult => overview());

  // The cache is written before the server stops, so a restart finds it complete.
  connection.onShutdown(async () => {
    clearTimeout(saveTimer);
    clearTimeout(warmupTimer);
    clearTimeout(lensTimer);
    generation++;
    queue.clear();
    await (saving ?? Promise.resolve());
    if (cache) await cache.save().catch(() => undefined);
  });

  connection.onRequest(CORPUS_EXPORT_REQUEST, (params: CorpusExportParams) => exportFiles(params));

  /**
   * The Sources Overview data.
   * @returns Result.
   */
  function overview(): CorpusOverviewResult {
    const clusters = index.quoteClusters();
    const perSource = new Map<string, number>();
    for (const c of clusters) for (const m of c.members) perSource.set(m.file, (perSource.get(m.file) ?? 0) + 1);
    const all = index.files();
    const chosen = all.length <= OVERVIEW_SOURCES ? all : [...all].sort((a, b) => (perSource.get(b.id) ?? 0) - (perSource.get(a.id) ?? 0)).slice(0, OVERVIEW_SOURCES).sort((a, b) => (a.id < b.id ? -1 : 1));
    const column = new Map(chosen.map((f, i) => [f.id, i]));
    const speakers = new Map<string, {quotations: number; cells: Map<number, CorpusLocation[]>}>();
    for (const c of clusters) {
      const speaker = c.speaker ?? 'Unknown speaker';
      const entry = speakers.get(speaker) ?? {quotations: 0, cells: new Map<number, CorpusLocation[]>()};
      entry.quotations++;
      for (const m of c.members) {
        const col = column.get(m.file);
        if (col === undefined) continue;
        const list = entry.cells.get(col) ?? [];
        list.push({uri: m.file, range: rangeOf(m.file, m.quote.start, m.quote.end)});
        entry.cells.set(col, list);
      }
      speakers.set(speaker, entry);
    }
    const {stories} = index.stories();
    const topNames = new Map<string, Array<{name: string; type: string; mentions: number}>>();
    const skip = new Map(chosen.map((f) => [f.id, index.nonStoryLines(f)]));
    for (const name of index.names().values()) {
      for (const [uri, mentions] of name.files) {
        const lines = skip.get(uri);
        if (!lines) continue;
        const n = mentions.filter((m) => !lines.has(m.line)).length;
        if (!n) continue;
        const list = topNames.get(uri) ?? [];
        list.push({name: name.name, type: name.type, mentions: n});
        topNames.set(uri, list);
      }
    }
    return {
      revision: index.revision,
      status: status(),
      sources: chosen.map((f) => ({uri: f.id, label: basename(f.id), title: f.summary.title})),
      speakers: [...speakers]
        .map(([speaker, e]) => ({speaker, quotations: e.quotations, cells: [...e.cells].map(([source, locations]) => ({source, count: locations.length, locations}))}))
        .filter((s) => s.cells.length > 0)
        .sort((a, b) => Number(a.speaker === 'Unknown speaker') - Number(b.speaker === 'Unknown speaker') || b.quotations - a.quotations || (a.speaker < b.speaker ? -1 : 1))
        .slice(0, OVERVIEW_SPEAKERS),
      names: chosen.map((f, source) => ({
        source,
        top: (topNames.get(f.id) ?? []).sort((a, b) => b.mentions - a.mentions || (a.name < b.name ? -1 : 1)).slice(0, 8),
      })),
      stories: stories
        .map((s) => ({files: s.files.map((f) => column.get(f)).filter((i): i is number => i !== undefined), names: s.names.slice(0, 6).map((k) => index.names().get(k)?.name ?? k)}))
        .filter((s) => s.files.length >= 2),
      omittedSources: all.length - chosen.length,
    };
  }

  /**
   * Export files in an annotation tool's format.
   * @param params URIs and format.
   * @returns Files to write.
   */
  async function exportFiles(params: CorpusExportParams): Promise<CorpusExportResult> {
    const result: CorpusExportResult = {files: [], skipped: [], dropped: 0};
    const jsonl: string[] = [];
    const confFolders = new Set<string>();
    for (const uri of params.uris) {
      const settings = await host.settingsFor(uri);
      let text = documents.get(uri)?.getText();
      if (text === undefined) {
        try {
          text = (await readSource(fileURLToPath(uri), settings.maxFileSize)).text;
        } catch (error) {
          result.skipped.push({uri, reason: error instanceof Error ? error.message : String(error)});
          continue;
        }
      }
      const options = withCorpus({boilerplate: {threshold: settings.boilerplate.threshold, keep: settings.boilerplate.keepLines}}, uri, text);
      const annotations = annotate(text, options);
      const base = uri.replace(/\.[^./]*$/, '');
      if (params.format === 'jsonl') jsonl.push(JSON.stringify(toDoccano(uri, text, annotations)));
      else if (params.format === 'brat') {
        result.files.push({uri: `${base}.ann`, content: toBrat(text, annotations)});
        const folder = folderOf(uri);
        if (!confFolders.has(folder)) {
          confFolders.add(folder);
          const conf = `${folder}/annotation.conf`;
          if (!(await fs.stat(fileURLToPath(conf)).catch(() => null))) result.files.push({uri: conf, content: BRAT_ANNOTATION_CONF});
        }
      } else {
        const {conll, dropped} = toConll(text, annotations);
        result.dropped += dropped;
        result.files.push({uri: `${base}.conll`, content: conll});
      }
    }
    if (params.format === 'jsonl') result.files.push({uri: '', content: jsonl.length ? `${jsonl.join('\n')}\n` : ''});
    return result;
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  /**
   * LSP range of a span of an indexed file.
   * @param uri File.
   * @param start Start offset.
   * @param end End offset.
   * @returns Range.
   */
  function rangeOf(uri: string, start: number, end: number): CorpusRange {
    return {start: index.positionOf(uri, start) ?? {line: 0, character: 0}, end: index.positionOf(uri, end) ?? {line: 0, character: 0}};
  }

  /**
   * The name (person, organisation, place, other) of an analysed document at an offset: what the index links.
   * @param analysis Analysis.
   * @param offset Offset.
   * @returns The entity, if any.
   */
  function nameUnder(analysis: Analysis, offset: number): Analysis['annotations']['entities'][number] | undefined {
    return analysis.annotations.entities.find((e) => e.start <= offset && offset < e.end && NAME_TYPES.includes(e.type));
  }

  /**
   * The quotation of an analysed document at an offset (a direct one first, where an indirect one contains it).
   * @param analysis Analysis.
   * @param offset Offset.
   * @returns The quotation, if any.
   */
  function quoteUnder(analysis: Analysis, offset: number): Analysis['annotations']['quotes'][number] | undefined {
    const here = (q: {start: number; end: number}): boolean => q.start <= offset && offset < q.end;
    return analysis.annotations.quotes.find((q) => here(q) && q.direct) ?? analysis.annotations.quotes.find(here);
  }

  /**
   * The cluster of the quotation at an offset of an analysed document (the index follows the analysis).
   * @param analysis Analysis.
   * @param offset Offset.
   * @returns The quotation's place in the index, if any.
   */
  function quoteAtAnalysis(analysis: Analysis, offset: number): ReturnType<CorpusIndex['quoteAt']> {
    const quote = quoteUnder(analysis, offset);
    if (!quote) return undefined;
    const located = index.quoteAt(analysis.uri, quote.start);
    return located && located.quote.start === quote.start && located.quote.end === quote.end ? located : undefined;
  }

  /**
   * The cluster of the quotation at an offset of an analysed document, in tables that may be one edit behind it: the
   * document's quotation with the same text, nearest to the offset.
   * @param analysis Analysis.
   * @param offset Offset.
   * @param locations The document's quotations in the tables.
   * @returns Its place in the tables, if any.
   */
  function quoteInTables(analysis: Analysis, offset: number, locations: readonly QuoteLocation[]): QuoteLocation | undefined {
    const quote = quoteUnder(analysis, offset);
    if (!quote) return undefined;
    const text = quote.text;
    let best: QuoteLocation | undefined;
    for (const l of locations) {
      if (l.quote.text !== text && l.quote.start !== quote.start) continue;
      if (!best || Math.abs(l.quote.start - quote.start) < Math.abs(best.quote.start - quote.start)) best = l;
    }
    return best;
  }

  /**
   * The hover part about other sources.
   * @param analysis Analysis.
   * @param position Position.
   * @returns Markdown or null.
   */
  function hover(analysis: Analysis, position: Position): string | null {
    // The tables as they are: rebuilding them after the open document's last edit would cost ~1 s on 10,000 files,
    // and the hover tells about the other files, which that edit did not change. They are rebuilt in idle time.
    const now = index.readNow();
    const offset = offsetIn(analysis, position);
    const parts: string[] = [];
    const entity = nameUnder(analysis, offset);
    if (entity) {
      const name = now.names.get(now.keyOf(entity.canonical));
      const others = name ? [...name.files].filter(([uri]) => uri !== analysis.uri && index.get(uri)) : [];
      if (name && others.length) {
        const list = others.slice(0, 8).map(([uri, m]) => `${md(basename(uri))} (${m.length})`).join(', ');
        parts.push(`**${md(name.name)}** is named in ${others.length} other source${others.length === 1 ? '' : 's'}: ${list}${others.length > 8 ? ', …' : ''} · *Find All References* lists every mention`);
      }
    }
    const located = quoteInTables(analysis, offset, now.quotesOf(analysis.uri));
    if (located) {
      const others = located.cluster.members.filter((m) => m.file !== analysis.uri && index.get(m.file));
      if (others.length) {
        const sources = new Set(others.map((m) => m.file)).size;
        const lines = others.slice(0, 6).map((m) => {
          const pos = index.positionOf(m.file, m.quote.start)!;
          const link = `[${md(basename(m.file))}:${pos.line + 1}](${m.file}#L${pos.line + 1})`;
          const who = m.quote.mention && m.quote.mention !== m.speaker ? ` (as “${md(m.quote.mention)}”)` : '';
          return `- ${link}${m.speaker ? ` · ${md(m.speaker)}${who}` : ''} · ${renderDiff(located.quote.text, m.quote.text)}`;
        });
        parts.push(
          `**Also carried by ${sources} other source${sources === 1 ? '' : 's'}** (~~struck~~: not in that source; **bold**: only in that source)\n\n${lines.join('\n')}${others.length > 6 ? `\n- and ${others.length - 6} more (*Find All References*)` : ''}`,
        );
      }
    }
    return parts.length ? parts.join('\n\n') : null;
  }

  /** Analyses of open documents waiting to be summarised. */
  const pending = new Map<string, Analysis>();

  /**
   * Summarise the open documents analysed since the last call.
   * @returns Nothing.
   */
  function flushPending(): void {
    if (pending.size === 0) return;
    for (const [uri, analysis] of pending) {
      // A worker's analysis brings its summary (made off this thread: ~0.3 s for 1 MB).
      if (documents.get(uri)?.version === analysis.version) index.set(uri, folderOf(uri), analysis.summary ?? summarize(analysis.text, analysis.annotations));
    }
    pending.clear();
    changed(true);
  }

  /**
   * Engine options with the folder's repeated lines.
   * @param options Base options.
   * @param uri Document URI.
   * @param text Its text.
   * @returns Options.
   */
  function withCorpus(options: AnnotateOptions, uri: string, text: string): AnnotateOptions {
    if (!uri.startsWith('file:')) return options;
    return withLineView(options, index.lineView(uri, folderOf(uri), text));
  }

  return {
    index,
    initialize(params: InitializeParams): void {
      const init = (params.initializationOptions ?? {}) as {storagePath?: unknown; globalStoragePath?: unknown};
      const dir = typeof init.storagePath === 'string' ? init.storagePath : typeof init.globalStoragePath === 'string' ? init.globalStoragePath : undefined;
      if (dir) {
        cache = new SummaryCache(path.join(dir, `sift-index-v${SUMMARY_VERSION}.jsonl.gz`));
        cacheReady = cache.load().catch((error: unknown) => connection.console.warn(`Sift could not read its index cache: ${(error as Error).message}`));
      }
      canWatch = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
      canRefreshLenses = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
    },
    capabilities(): ServerCapabilities {
      return {workspaceSymbolProvider: true, referencesProvider: true, codeLensProvider: {resolveProvider: false}};
    },
    start(): void {
      started = true;
      void registerWatchers().then(() => rebuild());
    },
    restart(): void {
      if (!started) return;
      void registerWatchers().then(() => rebuild());
    },
    withCorpus,
    analysed(analysis: Analysis): void {
      if (!analysis.uri.startsWith('file:')) return;
      // Summarised a little later (publishing the document's diagnostics comes first); requests that need the
      // summary flush it themselves.
      const first = pending.size === 0;
      pending.set(analysis.uri, analysis);
      if (first) setTimeout(flushPending, SUMMARY_DELAY_MS);
    },
    hover,
  };

  /**
   * Ask the client to tell us about changes of the source files on disk.
   * @returns Nothing.
   */
  async function registerWatchers(): Promise<void> {
    if (!canWatch) return;
    const globs = new Set<string>();
    for (const folder of host.folders()) for (const glob of (await host.settingsFor(folder.uri)).files) globs.add(glob.includes('/') || glob.startsWith('**') ? glob : `**/${glob}`);
    watcherRegistration?.dispose();
    watcherRegistration = undefined;
    try {
      // Files by the globs, and every folder (a deleted folder reports only itself).
      watcherRegistration = await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [...[...globs].map((globPattern) => ({globPattern})), {globPattern: '**', kind: 4 /* Delete */}],
      });
    } catch (error) {
      connection.console.warn(`Sift could not watch the workspace files: ${(error as Error).message}`);
    }
  }
}

/** Type names for the Entities view. */
const TYPE_LABELS: Readonly<Record<string, string>> = {PER: 'People', ORG: 'Organisations', LOC: 'Places', MISC: 'Other names'};

/**
 * Offset of an LSP position in an analysed document.
 * @param analysis Analysis.
 * @param position Position.
 * @returns Offset.
 */
function offsetIn(analysis: Analysis, position: Position): number {
  const line = analysis.lines[Math.min(position.line, analysis.lines.length - 1)]!;
  return Math.min(line.start + position.character, line.end);
}

/**
 * The file name of a URI.
 * @param uri URI.
 * @returns Base name, decoded.
 */
function basename(uri: string): string {
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * Escape Markdown.
 * @param text Text.
 * @returns Escaped.
 */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

/**
 * A compact Markdown word diff of this version against another: words only here struck through, words only there
 * in bold, long unchanged stretches shortened.
 * @param here This source's words.
 * @param there The other source's words.
 * @returns Markdown.
 */
export function renderDiff(here: string, there: string): string {
  const parts = diffWords(here, there);
  if (parts.every((p) => p.op === 'same')) return 'same words';
  const {added, removed} = diffCounts(here, there);
  const summary = [removed ? `${removed} word${removed === 1 ? '' : 's'} fewer` : '', added ? `${added} word${added === 1 ? '' : 's'} more` : ''].filter(Boolean).join(', ');
  const out: string[] = [];
  parts.forEach((part, i) => {
    const words = part.words.map(md);
    if (part.op === 'del') out.push(`~~${oneLine(words.join(' '), 120)}~~`);
    else if (part.op === 'ins') out.push(`**${oneLine(words.join(' '), 120)}**`);
    else if (words.length <= 8) out.push(words.join(' '));
    else if (i === 0) out.push(`… ${words.slice(-4).join(' ')}`);
    else if (i === parts.length - 1) out.push(`${words.slice(0, 4).join(' ')} …`);
    else out.push(`${words.slice(0, 3).join(' ')} … ${words.slice(-3).join(' ')}`);
  });
  return `${summary}: ${out.join(' ')}`;
}

/**
 * A stamp of the running engine: cached summaries made by another build are recomputed.
 * @returns Version and the size and time of the module file.
 */
function engineStamp(): string {
  if (stamp === undefined) {
    let file = '';
    try {
      const me = fileURLToPath(import.meta.url);
      const s = statSync(me);
      file = `${s.size}:${Math.round(s.mtimeMs)}`;
    } catch {
      file = 'unknown';
    }
    stamp = `${typeof SIFT_VERSION === 'string' ? SIFT_VERSION : 'dev'}:${file}`;
  }
  return stamp;
}
let stamp: string | undefined;

/**
 * Summaries cached on disk by content hash and options: one gzipped file in the extension's storage, a header line
 * then one JSON line per summary, read and written as streams (a workspace of 10,000 files is ~100 MB of JSON: held
 * as one string, then parsed at once, it doubled the server's peak memory).
 */
class SummaryCache {
  private entries = new Map<string, FileSummary>();
  private used = new Set<string>();
  private dirty = false;

  /**
   * @param file The cache file.
   */
  constructor(private readonly file: string) {}

  /**
   * Read the cache file (a missing or unreadable one is an empty cache; a malformed line is skipped).
   * @returns Nothing.
   */
  async load(): Promise<void> {
    // Temporary files of writes that did not finish (a killed server) are left-overs, and so is the cache of the
    // previous format (one JSON document).
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const leftover = (name.startsWith(`${base}.`) && name.endsWith('.tmp')) || /^sift-index-v\d+\.json\.gz$/.test(name);
      if (leftover) await fs.rm(path.join(dir, name), {force: true});
    }
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch {
      return;
    }
    const lines = createInterface({input: handle.createReadStream().pipe(createGunzip()), crlfDelay: Infinity});
    let header = true;
    try {
      for await (const line of lines) {
        if (header) {
          const head = JSON.parse(line) as {format?: unknown; version?: unknown};
          if (head.format !== CACHE_FORMAT || head.version !== SUMMARY_VERSION) break;
          header = false;
          continue;
        }
        let entry: unknown;
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
        const summary = deserializeSummary(entry[1]);
        if (summary) this.entries.set(entry[0], summary);
      }
    } finally {
      lines.close();
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * A cached summary.
   * @param key Content hash and options key.
   * @returns Summary or null.
   */
  get(key: string): FileSummary | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.used.add(key);
    return entry;
  }

  /**
   * Remember a summary.
   * @param key Content hash and options key.
   * @param summary Summary.
   * @returns Nothing.
   */
  put(key: string, summary: FileSummary): void {
    this.entries.set(key, summary);
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * Write the entries used in this run (atomically, streamed: a line per summary), dropping the others.
   * @returns Nothing.
   */
  async save(): Promise<void> {
    if (!this.dirty && this.used.size === this.entries.size) return;
    for (const key of [...this.entries.keys()]) if (!this.used.has(key)) this.entries.delete(key);
    await fs.mkdir(path.dirname(this.file), {recursive: true});
    const temp = `${this.file}.${process.pid}.tmp`;
    const keys = [...this.used];
    const entries = this.entries;
    // Lines in batches of about 1 MB: one zlib call per line (10,000 of them) took seconds of round trips. Level 1:
    // 3 times faster than the default for 10% more bytes (the cache is local).
    function* lines(): Generator<string> {
      let batch = `${JSON.stringify({format: CACHE_FORMAT, version: SUMMARY_VERSION})}\n`;
      for (const key of keys) {
        const entry = entries.get(key);
        if (entry) batch += `${JSON.stringify([key, serializeSummary(entry)])}\n`;
        if (batch.length >= 1 << 20) {
          yield batch;
          batch = '';
        }
      }
      if (batch) yield batch;
    }
    this.dirty = false;
    try {
      await pipeline(Readable.from(lines()), createGzip({level: 1}), createWriteStream(temp));
      await fs.rename(temp, this.file);
    } catch (error) {
      this.dirty = true;
      await fs.rm(temp, {force: true}).catch(() => undefined);
      throw error;
    }
  }
}

/** The cache file's header. */
const CACHE_FORMAT = 'sift-index-lines';



/** Where a file is summarised. */
type EngineSlot = 'thread' | 'worker';

/**
 * The engines the workspace index may use at once: the server's thread (one file at a time) and `workers` analysis
 * workers. A file waits for a free one; a large file waits for a worker (when there are workers).
 */
class EngineSlots {
  private threadBusy = false;
  private workersBusy = 0;
  private readonly waiting: Array<{workerOnly: boolean; resolve: (slot: EngineSlot) => void}> = [];

  /**
   * @param workers Workers the index may keep busy.
   */
  constructor(private readonly workers: number) {}

  /** Engines in all. */
  get size(): number {
    return 1 + this.workers;
  }

  /**
   * Wait for an engine.
   * @param workerOnly Only a worker will do (a large file), if there are workers.
   * @returns The engine taken.
   */
  acquire(workerOnly: boolean): Promise<EngineSlot> {
    const wantWorker = workerOnly && this.workers > 0;
    const slot = this.take(wantWorker);
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push({workerOnly: wantWorker, resolve}));
  }

  /**
   * Give an engine back (to the first file waiting that can use it).
   * @param slot The engine.
   * @returns Nothing.
   */
  release(slot: EngineSlot): void {
    if (slot === 'thread') this.threadBusy = false;
    else this.workersBusy--;
    for (let i = 0; i < this.waiting.length; i++) {
      const next = this.take(this.waiting[i]!.workerOnly);
      if (!next) continue;
      this.waiting.splice(i, 1)[0]!.resolve(next);
      return;
    }
  }

  /**
   * Take a free engine, if any (a worker first: the server's thread is better kept for requests).
   * @param workerOnly Only a worker.
   * @returns The engine, or undefined.
   */
  private take(workerOnly: boolean): EngineSlot | undefined {
    if (this.workersBusy < this.workers) {
      this.workersBusy++;
      return 'worker';
    }
    if (!workerOnly && !this.threadBusy) {
      this.threadBusy = true;
      return 'thread';
    }
    return undefined;
  }
}

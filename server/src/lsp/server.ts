/**
 * Sift's language server: a thin adapter over the engine. `startServer(connection)` wires the handlers; `main.ts`
 * makes the connection (stdio for other editors, IPC from VS Code), so tests can drive it over any stream.
 *
 * Every feature that edits text (quick fixes, fix-all, strip) is computed from an analysis of exactly the document
 * version it applies to and returned as a versioned edit, so a client rejects it if the document has changed.
 *
 * Small documents are analysed on this thread (tens of milliseconds); large ones in a worker thread
 * (`analysis-pool.ts`), so hovers and other files are answered meanwhile. A request for a document whose analysis
 * is pending waits for it; a newer version supersedes a pending analysis nobody waits for.
 */
import {createHash} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import * as path from 'node:path';
import {
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  MarkupKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import {TextDocument} from 'vscode-languageserver-textdocument';
import type {Diagnostic} from 'vscode-languageserver';
import {analyse, removeLines, splitLines, type AnnotateOptions, type Annotations} from '../engine/index.js';
import {faultSync, readSource, SkipError, writeAtomic} from '../cli/files.js';
import {toJsonRecord} from '../cli/format.js';
import {
  codeActions,
  documentSymbols,
  FIX_ALL_KIND,
  foldingRanges,
  hoverAt,
  inlayHints,
  removalEdit,
  semanticTokens,
  setDiagnostics,
  strippable,
  toDiagnostics,
  toDiagnosticsInSlices,
  unpackDiagnostics,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
  type Analysis,
} from './convert.js';
import {AnalysisPool, CancelledError, type EngineTask} from './analysis-pool.js';
import {
  COUNTS_NOTIFICATION,
  EXPORT_REQUEST,
  STRIP_EDIT_REQUEST,
  STRIP_FILE_REQUEST,
  type CountsParams,
  type ExportParams,
  type ExportResult,
  type StripEditParams,
  type StripEditResult,
  type StripFileParams,
  type StripFileResult,
} from './protocol.js';
import {DEFAULT_SETTINGS, matchesGlobs, normalizeSettings, type SiftSettings} from './settings.js';
import {createWorkspace} from './workspace.js';

/**
 * Let other work in (between slices of a long conversion).
 * @returns When the event loop has turned.
 */
const pause = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));

/** How long to wait after the last edit before publishing fresh diagnostics. */
const DEBOUNCE_MS = 150;

/**
 * Documents from this many UTF-16 code units are analysed in a worker thread; smaller ones on the server's thread,
 * where they take less than the worker's overhead is worth (docs/performance.md). `SIFT_WORKER_MIN_CHARS` changes
 * it (tests, benchmarks).
 */
const WORKER_MIN_CHARS = workerThreshold(process.env['SIFT_WORKER_MIN_CHARS']);

/** An analysis of a document version made with guessed settings (`speculate` in `startServer`). */
interface Speculation {
  version: number;
  text: string;
  settings: SiftSettings;
  file: ReturnType<typeof analyse>;
}

/** An analysis running in a worker for one version of an open document. */
interface PendingAnalysis {
  uri: string;
  version: number;
  task: EngineTask;
  /** The analysis, or null when it failed or was cancelled. */
  analysis: Promise<Analysis | null>;
  /**
   * Its diagnostics and counts, made in the worker and published before the annotations are read; null when the
   * analysis failed or was cancelled first.
   */
  diagnostics: Promise<{diagnostics: Diagnostic[]; counts: {boilerplate: number; quotes: number; entities: number}} | null>;
  /** Requests waiting for it. */
  waiting: number;
  /** A newer version, a closed document or new settings: it will not be the document's analysis. */
  stale: boolean;
}

/**
 * Start the server on a connection.
 *
 * @param connection An LSP connection (not yet listening).
 * @returns Nothing; the connection listens when this returns.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const skipped = new Map<string, string>();
  const settingsCache = new Map<string, Promise<SiftSettings>>();
  /** Documents whose settings have arrived (their `settingsCache` entry is settled). */
  const settled = new Set<string>();
  /** The settings that arrived last, since the configuration last changed: the guess for a new document's. */
  let lastSettings: SiftSettings | undefined;
  /** Analyses made with guessed settings while a document's own are asked for (`speculate`). */
  const speculations = new Map<string, {version: number; result: Promise<Speculation | undefined>}>();
  const timers = new Map<string, NodeJS.Timeout>();
  const warned = new Set<string>();
  /** Analyses running in a worker, by document: only ever for the latest version asked. */
  const pending = new Map<string, PendingAnalysis>();
  /** Versions whose analysis failed (not retried until the document changes). */
  const failed = new Map<string, number>();
  const pool = new AnalysisPool({log: (message) => connection.console.warn(message), onStart: () => void analysesRun++});
  let folders: WorkspaceFolder[] = [];
  let canConfigure = false;
  let canRefreshTokens = false;
  let canRefreshHints = false;
  // Reliability counters (read by the tests through `sift/debug/stats` when SIFT_DEBUG=1).
  let analysesRun = 0;
  let cancelledRequests = 0;
  // Analyses made with guessed settings (`speculate`): used, and made in vain (the document's settings differed).
  let guessesUsed = 0;
  let guessesWasted = 0;
  // Cross-source features (workspace index, symbols, references, code lens, views): see workspace.ts.
  const indexThreads = indexThreadCount(process.env['SIFT_INDEX_THREADS'], pool.size - 1);
  const workspace = createWorkspace({
    connection,
    documents,
    settingsFor,
    folders: () => folders,
    analysisOf: fresh,
    reanalyse: reanalyseAll,
    indexThreads,
    summarizeOffThread: ({text, options, uri, hash}) => {
      const task = pool.run({text, options, uri, version: 0, summary: false, summaryOnly: true, hash});
      return {summary: task.summary, cancel: () => task.cancel()};
    },
    // Workers kept busy by the index hold ~100 MB each; one is started again (warm-up included) when a large
    // document is opened.
    indexed: () => pool.trim(),
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canConfigure = Boolean(params.capabilities.workspace?.configuration);
    canRefreshTokens = Boolean(params.capabilities.workspace?.semanticTokens?.refreshSupport);
    canRefreshHints = Boolean(params.capabilities.workspace?.inlayHint?.refreshSupport);
    folders = params.workspaceFolders ?? (params.rootUri ? [{uri: params.rootUri, name: 'root'}] : []);
    workspace.initialize(params);
    return {
      capabilities: {
        textDocumentSync: {openClose: true, change: TextDocumentSyncKind.Incremental},
        hoverProvider: true,
        codeActionProvider: {codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND]},
        semanticTokensProvider: {legend: {tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS]}, full: true},
        documentSymbolProvider: {label: 'Sift'},
        inlayHintProvider: true,
        foldingRangeProvider: true,
        workspace: {workspaceFolders: {supported: true, changeNotifications: true}},
        ...workspace.capabilities(),
      },
      serverInfo: {name: 'sift', version: typeof SIFT_VERSION === 'string' ? SIFT_VERSION : 'dev'},
    };
  });

  connection.onInitialized(() => {
    workspace.start();
    if (folders.length && canConfigure) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        folders = folders.filter((f) => !event.removed.some((r) => r.uri === f.uri)).concat(event.added);
        forgetSettings();
        reanalyseAll();
        workspace.restart();
      });
    }
  });

  /**
   * The settings of a document (cached until they change).
   * @param uri Document URI.
   * @returns Settings.
   */
  function settingsFor(uri: string): Promise<SiftSettings> {
    let cached = settingsCache.get(uri);
    if (!cached) {
      const asked: Promise<SiftSettings> = (canConfigure ? connection.workspace.getConfiguration({scopeUri: uri, section: 'sift'}) : Promise.resolve(undefined)).then(
        (raw) => {
          const {settings, problems} = normalizeSettings(raw);
          for (const problem of problems) {
            if (warned.has(problem)) continue;
            warned.add(problem);
            void connection.window.showWarningMessage(`Sift: ${problem}.`);
          }
          if (settingsCache.get(uri) === asked) {
            settled.add(uri);
            lastSettings = settings;
          }
          return settings;
        },
        () => ({...DEFAULT_SETTINGS}),
      );
      settingsCache.set(uri, (cached = asked));
    }
    return cached;
  }

  /**
   * Forget the settings of a document (closed), or of every document (the configuration changed).
   * @param uri Document URI, or none for all.
   * @returns Nothing.
   */
  function forgetSettings(uri?: string): void {
    if (uri !== undefined) {
      settingsCache.delete(uri);
      settled.delete(uri);
      return;
    }
    settingsCache.clear();
    settled.clear();
    lastSettings = undefined;
  }

  /**
   * Analyse a newly opened small document with the settings the last document got, while its own settings are asked
   * for (a round trip to the client that the engine's time then hides): used only if they turn out the same.
   * @param uri Document URI.
   * @returns The analysis made with the guess, or undefined when none was made.
   */
  function speculate(uri: string): Promise<Speculation | undefined> {
    const document = documents.get(uri);
    if (!lastSettings || !document || settled.has(uri)) return Promise.resolve(undefined);
    // A request and the publication asking at once share one.
    const running = speculations.get(uri);
    if (running && running.version === document.version) return running.result;
    const result = speculateNow(uri, document, lastSettings);
    speculations.set(uri, {version: document.version, result});
    void result.then(() => {
      if (speculations.get(uri)?.result === result) speculations.delete(uri);
    });
    return result;
  }

  /**
   * The work of `speculate`.
   * @param uri Document URI.
   * @param document The document.
   * @param guess The settings to try.
   * @returns The analysis made with the guess, or undefined when none was made.
   */
  async function speculateNow(uri: string, document: TextDocument, guess: SiftSettings): Promise<Speculation | undefined> {
    const text = document.getText();
    if (text.length >= WORKER_MIN_CHARS || skipReason(document, guess)) return undefined;
    // The configuration request goes out first (the connection writes it a turn of the event loop later).
    await pause();
    await pause();
    if (settled.has(uri) || documents.get(uri)?.version !== document.version || lastSettings !== guess) return undefined;
    try {
      return {version: document.version, text, settings: guess, file: runEngine(text, workspace.withCorpus(optionsOf(guess), uri, text), uri)};
    } catch {
      // Analysed again with the document's own settings, which reports the failure.
      return undefined;
    }
  }

  /**
   * Why a document is not analysed, or undefined when it is.
   * @param document Document.
   * @param settings Its settings.
   * @returns Reason.
   */
  function skipReason(document: TextDocument, settings: SiftSettings): string | undefined {
    if (!settings.enable) return 'Sift is turned off for this workspace (sift.enable)';
    const uri = document.uri;
    if (uri.startsWith('file:')) {
      const relative = relativePath(uri);
      if (!matchesGlobs(relative, settings.files)) return 'the file does not match sift.files';
    }
    const bytes = Buffer.byteLength(document.getText(), 'utf8');
    if (bytes > settings.maxFileSize) return `the file is ${(bytes / 1048576).toFixed(1)} MB, over the limit of ${(settings.maxFileSize / 1048576).toFixed(1)} MB (sift.maxFileSize)`;
    return undefined;
  }

  /**
   * The path of a document relative to its workspace folder (`/`-separated), or its file name when it is in no
   * folder or its URI has no local path here (`file://host/…` from a remote client, an encoded slash).
   * @param uri Document URI.
   * @returns Path for `sift.files`.
   */
  function relativePath(uri: string): string {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return decodeURIComponentSafe(uri.slice(uri.lastIndexOf('/') + 1));
    }
    const local = (f: WorkspaceFolder): string | null => {
      try {
        return f.uri.startsWith('file:') ? fileURLToPath(f.uri) : null;
      } catch {
        return null;
      }
    };
    const folder = folders.filter((f) => {
      const root = local(f);
      return root !== null && (file + path.sep).startsWith(root + path.sep);
    }).sort((a, b) => b.uri.length - a.uri.length)[0];
    return folder ? path.relative(local(folder)!, file).split(path.sep).join('/') : path.basename(file);
  }

  /**
   * Run the engine on one document, counted, with the test-only fault point `analyse`.
   * @param text Text.
   * @param options Options.
   * @param uri Document URI.
   * @returns The analysed file.
   */
  function runEngine(text: string, options: AnnotateOptions, uri: string) {
    analysesRun++;
    faultSync('analyse', uri);
    return analyse(text, options, uri);
  }

  /**
   * Throw the LSP "request cancelled" error if the client cancelled the request: the work is not started.
   * @param token Cancellation token of the request, if any.
   * @returns Nothing.
   */
  function stopIfCancelled(token: CancellationToken | undefined): void {
    if (token?.isCancellationRequested) {
      cancelledRequests++;
      throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    }
  }

  /**
   * Engine options from settings.
   * @param settings Settings.
   * @returns Options.
   */
  function optionsOf(settings: SiftSettings): AnnotateOptions {
    return {boilerplate: {threshold: settings.boilerplate.threshold, keep: settings.boilerplate.keepLines}};
  }

  /**
   * A fresh analysis of the document's current version (computed now if the cached one is stale, or awaited when a
   * worker is making it), or null when the document is not analysed.
   * @param uri Document URI.
   * @param token Cancellation of the request that needs it: a cancelled request starts no analysis.
   * @param onPending Told about the worker's analysis the result will come from, if any, as soon as it is known.
   * @returns Analysis or null.
   */
  async function fresh(uri: string, token?: CancellationToken, onPending?: (job: PendingAnalysis) => void): Promise<Analysis | null> {
    const document = documents.get(uri);
    if (!document) return null;
    const cached = analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const running = pending.get(uri);
    if (running && running.version === document.version) {
      onPending?.(running);
      return awaitPending(running, token);
    }
    if (failed.get(uri) === document.version) return null;
    stopIfCancelled(token);
    const asked = settingsFor(uri);
    const early = await speculate(uri);
    const settings = await asked;
    stopIfCancelled(token);
    const current = documents.get(uri);
    if (!current) return null;
    const reason = skipReason(current, settings);
    if (reason) {
      analyses.delete(uri);
      skipped.set(uri, reason);
      return null;
    }
    skipped.delete(uri);
    const again = analyses.get(uri);
    if (again && again.version === current.version) return again;
    const joined = pending.get(uri);
    if (joined && joined.version === current.version) {
      onPending?.(joined);
      return awaitPending(joined, token);
    }
    if (failed.get(uri) === current.version) return null;
    const text = current.getText();
    if (text.length >= WORKER_MIN_CHARS) {
      const job = analyseInWorker(uri, current.version, text, settings);
      onPending?.(job);
      return awaitPending(job, token);
    }
    // A fairly large document: a larger one may follow, so have a worker ready (warm) for it.
    if (text.length >= WORKER_MIN_CHARS / 4) pool.prewarm();
    try {
      const guessed = early && early.version === current.version && early.text === text && sameSettings(early.settings, settings);
      if (guessed) guessesUsed++;
      else if (early) guessesWasted++;
      const file = guessed ? early.file : runEngine(text, workspace.withCorpus(optionsOf(settings), uri, text), uri);
      const analysis: Analysis = {uri, version: current.version, text, lines: splitLines(text), messages: file.messages, annotations: file.data.sift!.annotations, settings};
      analyses.set(uri, analysis);
      workspace.analysed(analysis);
      return analysis;
    } catch (error) {
      // One document's failure never takes the server down.
      analysisFailed(uri, current.version, error);
      return null;
    }
  }

  /**
   * Remember that the analysis of a version failed, and say why in the log.
   * @param uri Document URI.
   * @param version Version.
   * @param error Error.
   * @returns Nothing.
   */
  function analysisFailed(uri: string, version: number, error: unknown): void {
    connection.console.error(`Sift could not analyse ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (documents.get(uri)?.version !== version) return;
    failed.set(uri, version);
    skipped.set(uri, 'the analysis failed (see the Sift output channel)');
  }

  /**
   * Start analysing a version of a document in a worker.
   * @param uri Document URI.
   * @param version Version.
   * @param text Its text.
   * @param settings Its settings.
   * @returns The pending analysis.
   */
  function analyseInWorker(uri: string, version: number, text: string, settings: SiftSettings): PendingAnalysis {
    const task = pool.run({text, options: workspace.withCorpus(optionsOf(settings), uri, text), uri, version, summary: uri.startsWith('file:'), diagnostics: settings});
    const job: PendingAnalysis = {uri, version, task, waiting: 0, stale: false, analysis: Promise.resolve(null), diagnostics: Promise.resolve(null)};
    // The worker's diagnostics come first; they are read in slices, with other requests answered in between.
    job.diagnostics = task.diagnostics.then(async (packed) => (packed ? {diagnostics: await unpackDiagnostics(packed, pause), counts: packed.counts} : null));
    job.analysis = task.result.then(
      async (result): Promise<Analysis> => {
        const early = await job.diagnostics;
        if (pending.get(uri) === job) pending.delete(uri);
        const analysis: Analysis = {uri, version, text, lines: splitLines(text), messages: result.messages, annotations: result.annotations, settings};
        if (early) setDiagnostics(analysis, early.diagnostics);
        if (!job.stale && documents.get(uri)?.version === version) {
          analyses.set(uri, analysis);
          // The workspace index follows once the worker's summary of the text is there (made after the results).
          void task.summary.then((summary) => {
            if (analyses.get(uri) !== analysis) return;
            if (summary) analysis.summary = summary;
            workspace.analysed(analysis);
          });
        }
        // A stale analysis still answers the requests that were waiting for it (they asked about that version).
        return analysis;
      },
      (error: unknown): null => {
        if (pending.get(uri) === job) pending.delete(uri);
        if (!(error instanceof CancelledError)) analysisFailed(uri, version, error);
        return null;
      },
    );
    pending.set(uri, job);
    return job;
  }

  /**
   * Wait for an analysis running in a worker. A request (with a token) that is cancelled while the analysis is still
   * queued stops waiting; once the analysis runs, the request waits for it, as it did when analyses ran on the
   * server's thread. Without a token (publishing, the workspace), nothing keeps a superseded analysis alive.
   * @param job The pending analysis.
   * @param token Cancellation of the request, if any.
   * @returns Analysis or null.
   */
  async function awaitPending(job: PendingAnalysis, token: CancellationToken | undefined): Promise<Analysis | null> {
    if (!token) return job.analysis;
    stopIfCancelled(token);
    job.waiting++;
    try {
      if (job.task.state !== 'queued') return await job.analysis;
      return await new Promise<Analysis | null>((resolve, reject) => {
        const listener = token.onCancellationRequested(() => {
          if (job.task.state !== 'queued') return;
          listener.dispose();
          cancelledRequests++;
          reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled'));
        });
        void job.analysis.then((analysis) => {
          listener.dispose();
          resolve(analysis);
        });
      });
    } finally {
      job.waiting--;
      if (job.waiting === 0 && job.stale) job.task.cancel();
    }
  }

  /**
   * The pending analysis of a document will not be its analysis any more (a newer version, closed, new settings):
   * cancelled unless requests wait for it.
   * @param uri Document URI.
   * @returns Nothing.
   */
  function supersede(uri: string): void {
    const job = pending.get(uri);
    if (!job) return;
    pending.delete(uri);
    job.stale = true;
    if (job.waiting === 0) job.task.cancel();
  }

  /**
   * Run the engine for a request that is not about an open document's version (export, the workspace strip): in a
   * worker for a large text.
   * @param text Text.
   * @param options Options.
   * @param uri Document URI.
   * @returns Annotations.
   */
  async function annotationsOf(text: string, options: AnnotateOptions, uri: string): Promise<Annotations> {
    if (text.length >= WORKER_MIN_CHARS) return (await pool.run({text, options, uri, version: 0, summary: false}).result).annotations;
    return runEngine(text, options, uri).data.sift!.annotations;
  }

  /**
   * Analyse and publish diagnostics and counts for a document.
   * @param uri Document URI.
   * @returns Nothing.
   */
  async function publish(uri: string): Promise<void> {
    try {
      await publishUnguarded(uri);
    } catch (error) {
      // One document's failure never takes the server down (an unhandled rejection would end the process).
      connection.console.error(`Sift could not publish the annotations of ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      analyses.delete(uri);
      skipped.set(uri, 'the analysis failed (see the Sift output channel)');
      const version = documents.get(uri)?.version;
      await Promise.resolve(connection.sendDiagnostics({uri, version, diagnostics: []})).catch(() => undefined);
      await Promise.resolve(connection.sendNotification(COUNTS_NOTIFICATION, {uri, version: version ?? 0, boilerplate: 0, quotes: 0, entities: 0, skipped: skipped.get(uri)} satisfies CountsParams)).catch(() => undefined);
    }
  }

  /**
   * The work of `publish`, which may throw.
   * @param uri Document URI.
   * @returns Nothing.
   */
  async function publishUnguarded(uri: string): Promise<void> {
    // The version number, not the document: TextDocuments updates the same object in place for each edit.
    const version = documents.get(uri)?.version;
    if (version === undefined) return;
    // A large document's diagnostics come from its worker before the rest of the analysis: published at once.
    let onPending!: (job: PendingAnalysis) => void;
    const worker = new Promise<PendingAnalysis>((resolve) => (onPending = resolve));
    const whole = fresh(uri, undefined, onPending);
    const job = await Promise.race([whole.then(() => undefined), worker]);
    let published = false;
    if (job) {
      const early = await job.diagnostics;
      if (early && !job.stale && documents.get(uri)?.version === version && job.version === version) {
        await connection.sendDiagnostics({uri, version, diagnostics: early.diagnostics});
        await connection.sendNotification(COUNTS_NOTIFICATION, {uri, version, ...early.counts} satisfies CountsParams);
        published = true;
      }
    }
    const analysis = await whole;
    if (documents.get(uri)?.version !== version || (analysis && analysis.version !== version)) return; // a newer version is on its way
    if (analysis && published) return;
    if (!analysis) {
      const reason = skipped.get(uri);
      await connection.sendDiagnostics({uri, version, diagnostics: []});
      await connection.sendNotification(COUNTS_NOTIFICATION, {uri, version, boilerplate: 0, quotes: 0, entities: 0, skipped: reason} satisfies CountsParams);
      if (reason && /over the limit/.test(reason) && !warned.has(`size:${uri}`)) {
        warned.add(`size:${uri}`);
        void connection.window.showInformationMessage(`Sift did not analyse ${path.basename(uri)}: ${reason}.`);
      }
      return;
    }
    faultSync('convert', uri);
    let diagnostics;
    if (analysis.text.length >= WORKER_MIN_CHARS) {
      // Converting is tens of milliseconds on a large document: in slices, with other requests answered in between.
      diagnostics = await toDiagnosticsInSlices(analysis, pause);
      await pause();
      if (documents.get(uri)?.version !== analysis.version || analyses.get(uri) !== analysis) return;
    } else diagnostics = toDiagnostics(analysis);
    await connection.sendDiagnostics({uri, version: analysis.version, diagnostics});
    const types = new Set<string>(analysis.settings.entities.types);
    await connection.sendNotification(COUNTS_NOTIFICATION, {
      uri,
      version: analysis.version,
      boilerplate: analysis.annotations.boilerplate.length,
      quotes: analysis.annotations.quotes.filter((q) => q.direct).length,
      entities: analysis.annotations.entities.filter((e) => types.has(e.type)).length,
    } satisfies CountsParams);
  }

  /**
   * Publish after a pause in typing.
   * @param uri Document URI.
   * @returns Nothing.
   */
  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void publish(uri);
      }, DEBOUNCE_MS),
    );
  }

  /**
   * Re-analyse every open document (settings changed).
   * @returns Nothing.
   */
  function reanalyseAll(): void {
    analyses.clear();
    failed.clear();
    for (const uri of [...pending.keys()]) supersede(uri);
    for (const document of documents.all()) void publish(document.uri);
    if (canRefreshTokens) void connection.languages.semanticTokens.refresh();
    if (canRefreshHints) void connection.languages.inlayHint.refresh();
  }

  // TextDocuments reports an open as a content change too: publish an opened version at once, and debounce only the
  // versions that edits make (otherwise a second, late publish of the opened version can race a settings change).
  const opened = new Map<string, number>();
  documents.onDidOpen((event) => {
    opened.set(event.document.uri, event.document.version);
    void publish(event.document.uri);
  });
  documents.onDidChangeContent((event) => {
    if (opened.get(event.document.uri) === event.document.version) return;
    const job = pending.get(event.document.uri);
    if (job && job.version !== event.document.version) supersede(event.document.uri);
    schedule(event.document.uri);
  });
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    supersede(event.document.uri);
    failed.delete(event.document.uri);
    opened.delete(event.document.uri);
    analyses.delete(event.document.uri);
    skipped.delete(event.document.uri);
    forgetSettings(event.document.uri);
    void connection.sendDiagnostics({uri: event.document.uri, diagnostics: []});
  });

  connection.onDidChangeConfiguration(() => {
    forgetSettings();
    warned.clear();
    reanalyseAll();
    workspace.restart();
  });

  connection.onHover(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    if (!analysis) return null;
    const hover = hoverAt(analysis, params.position);
    const across = workspace.hover(analysis, params.position);
    if (!across) return hover;
    const before = hover ? `${(hover.contents as {value: string}).value}\n\n---\n\n` : '';
    return {...hover, contents: {kind: MarkupKind.Markdown, value: `${before}${across}`}};
  });
  connection.onCodeAction(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    return analysis ? codeActions(analysis, params.range, params.context.only) : [];
  });
  connection.languages.semanticTokens.on(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    return {data: analysis ? semanticTokens(analysis) : []};
  });
  connection.onDocumentSymbol(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    return analysis ? documentSymbols(analysis) : [];
  });
  connection.languages.inlayHint.on(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    return analysis ? inlayHints(analysis, params.range) : [];
  });
  connection.onFoldingRanges(async (params, token) => {
    const analysis = await fresh(params.textDocument.uri, token);
    return analysis ? foldingRanges(analysis) : [];
  });

  connection.onRequest(STRIP_EDIT_REQUEST, async (params: StripEditParams, token): Promise<StripEditResult> => {
    const analysis = await fresh(params.uri, token);
    if (!analysis) return {edit: null, lines: 0, version: null};
    const lines = strippable(analysis, params.keepMetadata ?? analysis.settings.strip.keepMetadata).map((b) => b.line);
    return {edit: lines.length ? removalEdit(analysis, lines) : null, lines: lines.length, version: analysis.version};
  });

  connection.onRequest(STRIP_FILE_REQUEST, async (params: StripFileParams): Promise<StripFileResult> => {
    const result: StripFileResult = {uri: params.uri, lines: 0, hash: null};
    if (!params.uri.startsWith('file:')) return {...result, skipped: 'not a file on disk'};
    if (documents.get(params.uri)) return {...result, skipped: 'open in the editor (use Strip Boilerplate in This File there)'};
    const settings = await settingsFor(params.uri);
    const file = fileURLToPath(params.uri);
    try {
      const source = await readSource(file, settings.maxFileSize);
      const hash = createHash('sha256').update(source.bytes).digest('hex');
      let annotations;
      try {
        annotations = await annotationsOf(source.text, {...workspace.withCorpus(optionsOf(settings), params.uri, source.text), only: ['boilerplate']}, params.uri);
      } catch (error) {
        connection.console.error(`Sift could not analyse ${params.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return {...result, skipped: 'the analysis failed (see the Sift output channel); not rewritten'};
      }
      const keepMetadata = params.keepMetadata ?? settings.strip.keepMetadata;
      const lines = annotations.boilerplate.filter((b) => !(keepMetadata && b.category === 'metadata')).map((b) => b.line);
      if (!params.apply || lines.length === 0) return {...result, lines: lines.length, hash};
      if (params.expectedHash && params.expectedHash !== hash) return {...result, hash, skipped: 'changed on disk since it was previewed; not rewritten'};
      // Checked again against the bytes analysed just before the rename: a file changed meanwhile is refused.
      await writeAtomic(file, removeLines(source.text, lines), source.mode, source);
      return {...result, lines: lines.length, hash, written: true};
    } catch (error) {
      return {...result, skipped: error instanceof SkipError ? error.message : `cannot write: ${(error as Error).message}`};
    }
  });

  connection.onRequest(EXPORT_REQUEST, async (params: ExportParams): Promise<ExportResult> => {
    const out: string[] = [];
    const skippedFiles: Array<{uri: string; reason: string}> = [];
    for (const uri of params.uris) {
      const settings = await settingsFor(uri);
      let text: string | undefined = documents.get(uri)?.getText();
      if (text === undefined) {
        try {
          text = (await readSource(fileURLToPath(uri), settings.maxFileSize)).text;
        } catch (error) {
          skippedFiles.push({uri, reason: error instanceof Error ? error.message : String(error)});
          continue;
        }
      }
      try {
        const annotations = await annotationsOf(text, workspace.withCorpus(optionsOf(settings), uri, text), uri);
        out.push(JSON.stringify({uri, ...toJsonRecord(annotations)}));
      } catch (error) {
        connection.console.error(`Sift could not analyse ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        skippedFiles.push({uri, reason: 'the analysis failed (see the Sift output channel)'});
      }
    }
    return {jsonl: out.length ? `${out.join('\n')}\n` : '', skipped: skippedFiles};
  });

  if (process.env['SIFT_DEBUG'] === '1') {
    // Test-only: counters, and the heap after a full collection (`--expose-gc`), to check that memory returns.
    connection.onRequest('sift/debug/stats', () => {
      (globalThis as {gc?: () => void}).gc?.();
      return {analyses: analysesRun, guessesUsed, guessesWasted, cancelled: cancelledRequests, heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, workersStarted: pool.started, workerCrashes: pool.crashes};
    });
  }

  documents.listen(connection);
  connection.listen();
}

/**
 * Are two documents' settings the same (then an analysis made with one is the analysis with the other)?
 * @param a Settings.
 * @param b Settings.
 * @returns Whether.
 */
function sameSettings(a: SiftSettings, b: SiftSettings): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The size from which documents are analysed in a worker.
 * @param value `SIFT_WORKER_MIN_CHARS`, if set.
 * @returns UTF-16 code units.
 */
function workerThreshold(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= 0 ? n : 32 * 1024;
}

/**
 * How many files the workspace index summarises at a time in the analysis workers, besides the one on the server's
 * thread: by default one fewer than the pool's workers (two cores: the server's thread and one worker; each worker
 * holds an engine and its models, ~70 MB). `SIFT_INDEX_THREADS=0` keeps the index on the server's thread, one file
 * at a time (as before there were workers), except files from 32K characters.
 * @param value `SIFT_INDEX_THREADS`, if set.
 * @param most The default and the most.
 * @returns Lanes in workers.
 */
function indexThreadCount(value: string | undefined, most: number): number {
  const n = Number(value);
  return Math.max(0, value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? Math.min(n, most) : most);
}

/**
 * `decodeURIComponent` that returns its input when it is not valid percent-encoding.
 * @param text Text.
 * @returns Decoded text.
 */
function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

declare const SIFT_VERSION: string | undefined;

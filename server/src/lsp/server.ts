/**
 * Sift's language server: a thin adapter over the engine. `startServer(connection)` wires the handlers; `main.ts`
 * makes the connection (stdio for other editors, IPC from VS Code), so tests can drive it over any stream.
 *
 * Every feature that edits text (quick fixes, fix-all, strip) is computed from an analysis of exactly the document
 * version it applies to and returned as a versioned edit, so a client rejects it if the document has changed.
 */
import {createHash} from 'node:crypto';
import {promises as fs} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as path from 'node:path';
import {
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  MarkupKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import {TextDocument} from 'vscode-languageserver-textdocument';
import {analyse, removeLines, splitLines, type AnnotateOptions} from '../engine/index.js';
import {readSource, SkipError, writeAtomic} from '../cli/files.js';
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
  strippable,
  toDiagnostics,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
  type Analysis,
} from './convert.js';
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

/** How long to wait after the last edit before publishing fresh diagnostics. */
const DEBOUNCE_MS = 150;

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
  const timers = new Map<string, NodeJS.Timeout>();
  const warned = new Set<string>();
  let folders: WorkspaceFolder[] = [];
  let canConfigure = false;
  let canRefreshTokens = false;
  let canRefreshHints = false;
  // Cross-source features (workspace index, symbols, references, code lens, views): see workspace.ts.
  const workspace = createWorkspace({connection, documents, settingsFor, folders: () => folders, analysisOf: fresh, reanalyse: reanalyseAll});

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
        settingsCache.clear();
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
      cached = (canConfigure ? connection.workspace.getConfiguration({scopeUri: uri, section: 'sift'}) : Promise.resolve(undefined)).then(
        (raw) => {
          const {settings, problems} = normalizeSettings(raw);
          for (const problem of problems) {
            if (warned.has(problem)) continue;
            warned.add(problem);
            void connection.window.showWarningMessage(`Sift: ${problem}.`);
          }
          return settings;
        },
        () => ({...DEFAULT_SETTINGS}),
      );
      settingsCache.set(uri, cached);
    }
    return cached;
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
      const file = fileURLToPath(uri);
      const folder = folders.filter((f) => f.uri.startsWith('file:') && (file + path.sep).startsWith(fileURLToPath(f.uri) + path.sep)).sort((a, b) => b.uri.length - a.uri.length)[0];
      const relative = folder ? path.relative(fileURLToPath(folder.uri), file).split(path.sep).join('/') : path.basename(file);
      if (!matchesGlobs(relative, settings.files)) return 'the file does not match sift.files';
    }
    const bytes = Buffer.byteLength(document.getText(), 'utf8');
    if (bytes > settings.maxFileSize) return `the file is ${(bytes / 1048576).toFixed(1)} MB, over the limit of ${(settings.maxFileSize / 1048576).toFixed(1)} MB (sift.maxFileSize)`;
    return undefined;
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
   * A fresh analysis of the document's current version (computed now if the cached one is stale), or null when
   * the document is not analysed.
   * @param uri Document URI.
   * @returns Analysis or null.
   */
  async function fresh(uri: string): Promise<Analysis | null> {
    const document = documents.get(uri);
    if (!document) return null;
    const cached = analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const settings = await settingsFor(uri);
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
    const text = current.getText();
    try {
      const file = analyse(text, workspace.withCorpus(optionsOf(settings), uri, text), uri);
      const analysis: Analysis = {uri, version: current.version, text, lines: splitLines(text), file, annotations: file.data.sift!.annotations, settings};
      analyses.set(uri, analysis);
      workspace.analysed(analysis);
      return analysis;
    } catch (error) {
      // One document's failure never takes the server down.
      connection.console.error(`Sift could not analyse ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      skipped.set(uri, 'the analysis failed (see the Sift output channel)');
      return null;
    }
  }

  /**
   * Analyse and publish diagnostics and counts for a document.
   * @param uri Document URI.
   * @returns Nothing.
   */
  async function publish(uri: string): Promise<void> {
    const document = documents.get(uri);
    if (!document) return;
    const analysis = await fresh(uri);
    if (documents.get(uri)?.version !== document.version) return; // a newer version is on its way
    if (!analysis) {
      const reason = skipped.get(uri);
      await connection.sendDiagnostics({uri, version: document.version, diagnostics: []});
      await connection.sendNotification(COUNTS_NOTIFICATION, {uri, version: document.version, boilerplate: 0, quotes: 0, entities: 0, skipped: reason} satisfies CountsParams);
      if (reason && /over the limit/.test(reason) && !warned.has(`size:${uri}`)) {
        warned.add(`size:${uri}`);
        void connection.window.showInformationMessage(`Sift did not analyse ${path.basename(uri)}: ${reason}.`);
      }
      return;
    }
    await connection.sendDiagnostics({uri, version: analysis.version, diagnostics: toDiagnostics(analysis)});
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
    for (const document of documents.all()) void publish(document.uri);
    if (canRefreshTokens) void connection.languages.semanticTokens.refresh();
    if (canRefreshHints) void connection.languages.inlayHint.refresh();
  }

  documents.onDidOpen((event) => void publish(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    analyses.delete(event.document.uri);
    skipped.delete(event.document.uri);
    settingsCache.delete(event.document.uri);
    void connection.sendDiagnostics({uri: event.document.uri, diagnostics: []});
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    warned.clear();
    reanalyseAll();
    workspace.restart();
  });

  connection.onHover(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    if (!analysis) return null;
    const hover = hoverAt(analysis, params.position);
    const across = workspace.hover(analysis, params.position);
    if (!across) return hover;
    const before = hover ? `${(hover.contents as {value: string}).value}\n\n---\n\n` : '';
    return {...hover, contents: {kind: MarkupKind.Markdown, value: `${before}${across}`}};
  });
  connection.onCodeAction(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    return analysis ? codeActions(analysis, params.range, params.context.only) : [];
  });
  connection.languages.semanticTokens.on(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    return {data: analysis ? semanticTokens(analysis) : []};
  });
  connection.onDocumentSymbol(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    return analysis ? documentSymbols(analysis) : [];
  });
  connection.languages.inlayHint.on(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    return analysis ? inlayHints(analysis, params.range) : [];
  });
  connection.onFoldingRanges(async (params) => {
    const analysis = await fresh(params.textDocument.uri);
    return analysis ? foldingRanges(analysis) : [];
  });

  connection.onRequest(STRIP_EDIT_REQUEST, async (params: StripEditParams): Promise<StripEditResult> => {
    const analysis = await fresh(params.uri);
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
      const file2 = analyse(source.text, {...optionsOf(settings), only: ['boilerplate']});
      const keepMetadata = params.keepMetadata ?? settings.strip.keepMetadata;
      const lines = file2.data.sift!.annotations.boilerplate.filter((b) => !(keepMetadata && b.category === 'metadata')).map((b) => b.line);
      if (!params.apply || lines.length === 0) return {...result, lines: lines.length, hash};
      if (params.expectedHash && params.expectedHash !== hash) return {...result, hash, skipped: 'changed on disk since it was previewed; not rewritten'};
      const now = await fs.readFile(file);
      if (!now.equals(source.bytes)) return {...result, hash, skipped: 'changed on disk while it was analysed; not rewritten'};
      await writeAtomic(file, removeLines(source.text, lines), source.mode);
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
      const file = analyse(text, optionsOf(settings), uri);
      out.push(JSON.stringify({uri, ...toJsonRecord(file.data.sift!.annotations)}));
    }
    return {jsonl: out.length ? `${out.join('\n')}\n` : '', skipped: skippedFiles};
  });

  documents.listen(connection);
  connection.listen();
}

declare const SIFT_VERSION: string | undefined;

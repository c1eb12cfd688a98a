/**
 * The language server's workspace index over stdio (the built `dist/server.js`), on a workspace of the five seed
 * samples, the three own samples and a small invented site: background indexing with progress and a cache,
 * workspace symbols, references across files, the story code lens, cross-source hovers, the views' requests,
 * updates from the disk, repeated-line evidence for boilerplate, and export.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {CodeLens, Hover, Location, SymbolInformation} from 'vscode-languageserver-protocol';
import {fromBrat} from '../server/src/engine/corpus/export.js';
import type {CorpusEntitiesResult, CorpusExportResult, CorpusOverviewResult, CorpusQuotesResult, CorpusStatus, CorpusStoryResult} from '../server/src/lsp/corpus-protocol.js';
import {OWN_SAMPLES, readText, SHARED_SAMPLES, textFiles} from './helpers.js';
import {TestClient} from './lsp-client.js';

/** A server with the workspace features on, and what it told us. */
interface Session {
  client: TestClient;
  statuses: CorpusStatus[];
  progress: Array<{kind: string; message?: string}>;
  /** Called on every progress notification (a test may cancel the progress). */
  onProgress?: (token: string | number, value: {kind: string}) => void;
  registrations: Array<{method: string; registerOptions?: {watchers?: Array<{globPattern: string}>}}>;
}

/**
 * Start a server on a folder, with a storage folder for the cache, as VS Code's client starts it.
 * @param folder Workspace folder.
 * @param storage Storage folder.
 * @param env Extra environment variables of the server.
 * @returns Session.
 */
async function start(folder: string, storage: string, env: Record<string, string> = {}): Promise<Session> {
  const client = new TestClient(env);
  const session: Session = {client, statuses: [], progress: [], registrations: []};
  client.connection.onNotification('sift/corpusStatus', (s: CorpusStatus) => session.statuses.push(s));
  client.connection.onRequest('client/registerCapability', (p: {registrations: Session['registrations']}) => {
    session.registrations.push(...p.registrations);
    return null;
  });
  client.connection.onRequest('window/workDoneProgress/create', () => null);
  client.connection.onNotification('$/progress', (p: {token: string | number; value: {kind: string; message?: string}}) => {
    session.progress.push(p.value);
    session.onProgress?.(p.token, p.value);
  });
  client.connection.onRequest('workspace/codeLens/refresh', () => null);
  const uri = pathToFileURL(folder).href;
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{uri, name: 'ws'}],
    initializationOptions: {storagePath: storage},
    capabilities: {
      workspace: {configuration: true, didChangeWatchedFiles: {dynamicRegistration: true}, codeLens: {refreshSupport: true}, symbol: {}},
      window: {workDoneProgress: true},
      textDocument: {publishDiagnostics: {versionSupport: true}},
    },
  });
  await client.connection.sendNotification('initialized', {});
  return session;
}

/**
 * Wait until the index is ready (and newer than a revision).
 * @param session Session.
 * @param after Revision it must exceed.
 * @returns The status.
 */
function ready(session: Session, after = -1): Promise<CorpusStatus> {
  return session.client.waitFor(
    'the workspace index',
    () => {
      const last = session.statuses[session.statuses.length - 1];
      return last && last.state === 'ready' && last.revision > after && last.indexed >= last.total ? last : undefined;
    },
    30000,
  );
}

/**
 * Position of the first occurrence of a string.
 * @param text Text.
 * @param needle String.
 * @returns LSP position.
 */
function positionOf(text: string, needle: string): {line: number; character: number} {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `found ${needle}`);
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return {line: before.length - 1, character: before[before.length - 1]!.length};
}

/**
 * The text a location covers.
 * @param location Location.
 * @returns Text.
 */
function textAt(location: Location): string {
  const lines = readText(fileURLToPath(location.uri)).split(/\r\n|\n|\r/);
  const {start, end} = location.range;
  return start.line === end.line ? lines[start.line]!.slice(start.character, end.character) : '';
}

describe('workspace index (language server over stdio)', function () {
  this.timeout(90000);
  let tmp: string;
  let ws: string;
  let storage: string;
  let session: Session;
  const seedFile = (prefix: string): string => path.join(ws, 'seeds', path.basename(textFiles(SHARED_SAMPLES).find((f) => path.basename(f).startsWith(prefix))!));
  const uriOf = (file: string): string => pathToFileURL(file).href;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-ws-'));
    ws = path.join(tmp, 'ws');
    storage = path.join(tmp, 'storage');
    for (const [dir, files] of [
      ['seeds', textFiles(SHARED_SAMPLES)],
      ['own', textFiles(OWN_SAMPLES)],
    ] as const) {
      fs.mkdirSync(path.join(ws, dir), {recursive: true});
      for (const f of files) fs.copyFileSync(f, path.join(ws, dir, path.basename(f)));
    }
    fs.mkdirSync(path.join(ws, 'site'));
    // An invented site: four unrelated stories under the same header line.
    const stories = [
      'The council met on Monday and agreed to repair the quay before the winter storms arrive.',
      'A bakery on the market square won the regional prize for its rye bread this year.',
      'The ferry to the islands will run twice a day again from the first of May.',
      'Volunteers planted four hundred oak trees along the old railway line at the weekend.',
    ];
    stories.forEach((story, i) => fs.writeFileSync(path.join(ws, 'site', `g${i + 1}.txt`), `Harbour Notes from the Kestrel coast\n${story}\nMore from Harbour Notes\n`));
    session = await start(ws, storage, {SIFT_DEBUG: '1'});
    await ready(session);
  });
  after(async () => {
    await session.client.stop();
    fs.rmSync(tmp, {recursive: true, force: true});
  });

  it('indexes the workspace in the background, with progress, watching the files, and caches the summaries', async () => {
    const status = session.statuses[session.statuses.length - 1]!;
    assert.equal(status.indexed, 12);
    assert.equal(status.total, 12);
    assert.equal(status.fromCache, 0);
    assert.ok(session.statuses.some((s) => s.state === 'indexing'));
    assert.deepEqual([session.progress[0]?.kind, session.progress[session.progress.length - 1]?.kind], ['begin', 'end']);
    const watchers = session.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions?.watchers ?? [];
    assert.ok(watchers.some((w) => w.globPattern === '**/*.txt'), JSON.stringify(watchers));
    const cache = await session.client.waitFor('the cache file', () => fs.readdirSync(storage).find((f) => f.endsWith('.jsonl.gz')));
    // A restart takes every summary from the cache.
    const second = await start(ws, storage);
    try {
      const again = await ready(second);
      assert.equal(again.indexed, 12);
      assert.equal(again.fromCache, 12, `from ${cache}`);
    } finally {
      await second.client.stop();
    }
  });

  it('workspace symbols: "Kalin" finds every file that names him', async () => {
    const symbols = await session.client.connection.sendRequest<SymbolInformation[]>('workspace/symbol', {query: 'Kalin'});
    const kalin = symbols.filter((s) => s.name === 'Ibrahim Kalin');
    assert.deepEqual(kalin.map((s) => path.basename(new URL(s.location.uri).pathname).slice(0, 3)), ['000', '001', '003']);
    for (const s of kalin) assert.match(textAt(s.location), /Kalin$/);
    assert.match(kalin[0]!.containerName!, /^000_ed43c34550d74fb6\.txt · \d+ mentions/);
  });

  it('Find All References on a mention lists its mentions in every file', async () => {
    const file = seedFile('000');
    const text = readText(file);
    const uri = await session.client.open(file, text);
    const references = await session.client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: {uri},
      position: positionOf(text, 'Kalin said.'),
      context: {includeDeclaration: true},
    });
    const files = [...new Set(references.map((r) => path.basename(new URL(r.uri).pathname).slice(0, 3)))];
    assert.deepEqual(files, ['000', '001', '003']);
    assert.ok(references.length >= 12, `${references.length} mentions`);
    for (const r of references) assert.match(textAt(r), /^(Ibrahim )?Kalin$/);
    // On a quotation: its copies in the other sources.
    const copies = await session.client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: {uri},
      position: positionOf(text, 'When we read the strategic picture'),
      context: {includeDeclaration: true},
    });
    assert.deepEqual(copies.map((c) => path.basename(new URL(c.uri).pathname).slice(0, 3)), ['000', '001']);
  });

  it('code lens: "Same story as 4 other files" on the seed samples, none on an unrelated file', async () => {
    const lenses = await session.client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {textDocument: {uri: uriOf(seedFile('000'))}});
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.command!.title, 'Same story as 4 other files (1 near-copy)');
    assert.equal(lenses[0]!.command!.command, 'sift.openStory');
    assert.equal((lenses[0]!.command!.arguments![1] as string[]).length, 4);
    assert.deepEqual(lenses[0]!.range.start, {line: 0, character: 0});
    const none = await session.client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {textDocument: {uri: uriOf(path.join(ws, 'own', 'harbour-strike.txt'))}});
    assert.deepEqual(none, []);
    const story = await session.client.connection.sendRequest<CorpusStoryResult>('sift/corpusStory', {uri: uriOf(seedFile('000'))});
    assert.deepEqual(story.files.map((f) => [f.label.slice(0, 3), f.nearDuplicate]), [
      ['001', true],
      ['002', false],
      ['003', false],
      ['004', false],
    ]);
  });

  it('hover on a quotation lists the other source and shows the difference', async () => {
    const file = seedFile('000');
    const text = readText(file);
    const uri = await session.client.open(file, text);
    const hover = await session.client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(text, 'has so far said')});
    const value = (hover.contents as {value: string}).value;
    assert.match(value, /\*\*Quotation\*\* · speaker \*\*Ibrahim Kalin\*\*/, 'the file’s own hover is kept');
    assert.match(value, /\*\*Also carried by 1 other source\*\*/);
    assert.match(value, /\[001\\_e435fe5c5230a50a\.txt:24\]\(file:\/\/.*001_e435fe5c5230a50a\.txt#L24\) · Ibrahim Kalin \(as “Kalin”\) · 1 word fewer: … .*~~\\\(S-400s\\\)\.~~/);
    const name = await session.client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(text, 'Kalin said.')});
    assert.match((name.contents as {value: string}).value, /\*\*Ibrahim Kalin\*\* is named in 2 other sources: 001\\_e435fe5c5230a50a\.txt \(\d+\), 003\\_d1be743f8b59899e\.txt \(\d+\)/);
    // Right after an edit that moves every quotation, before the index has taken the new version in: the hover
    // finds the quotation in the tables by its text and still tells about the other sources.
    const edited = `Editor's note: two lines added above the story.\n\n${text}`;
    const version = await session.client.change(uri, edited);
    await session.client.diagnosticsFor(uri, version);
    for (const wait of [0, 800]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      const again = await session.client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(edited, 'has so far said')});
      assert.match((again.contents as {value: string}).value, /\*\*Also carried by 1 other source\*\*/, `after ${wait} ms`);
      const who = await session.client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(edited, 'Kalin said.')});
      assert.match((who.contents as {value: string}).value, /is named in 2 other sources/, `after ${wait} ms`);
    }
    // Back to the text on disk, and wait until the index has it again (the next tests count its lines).
    const before = session.statuses[session.statuses.length - 1]!.revision;
    await session.client.diagnosticsFor(uri, await session.client.change(uri, text));
    await ready(session, before);
  });

  it('answers the views: Entities (type → name → files), Quotes (speaker → quotation → sources), the Sources Overview', async () => {
    const send = <T>(method: string, params: unknown): Promise<T> => session.client.connection.sendRequest<T>(method, params);
    const types = await send<CorpusEntitiesResult>('sift/corpusEntities', {});
    assert.deepEqual(types.types!.map((t) => t.label), ['People', 'Organisations', 'Places', 'Other names']);
    const people = await send<CorpusEntitiesResult>('sift/corpusEntities', {type: 'PER'});
    const kalin = people.names!.find((n) => n.name === 'Ibrahim Kalin')!;
    assert.equal(kalin.files, 3);
    const files = await send<CorpusEntitiesResult>('sift/corpusEntities', {key: kalin.key});
    assert.deepEqual(files.files!.map((f) => f.label.slice(0, 3)), ['000', '001', '003']);
    assert.equal(files.files!.reduce((n, f) => n + f.mentions, 0), kalin.mentions);

    const speakers = await send<CorpusQuotesResult>('sift/corpusQuotes', {});
    assert.deepEqual(speakers.speakers![0], {speaker: 'Ibrahim Kalin', quotations: 9, shared: 3, sources: 3});
    const quotations = await send<CorpusQuotesResult>('sift/corpusQuotes', {speaker: 'Ibrahim Kalin'});
    assert.deepEqual(quotations.quotations!.slice(0, 3).map((q) => q.sources), [2, 2, 2]);
    const negotiations = quotations.quotations!.find((q) => q.text.startsWith('The United States has so far said'))!;
    const sources = await send<CorpusQuotesResult>('sift/corpusQuotes', {cluster: negotiations.cluster, revision: quotations.revision});
    assert.deepEqual(sources.sources!.map((s) => [s.label.slice(0, 3), s.location.range.start.line + 1, s.removed, s.added]), [
      ['000', 15, 0, 0],
      ['001', 24, 1, 0],
    ]);
    const stale = await send<CorpusQuotesResult>('sift/corpusQuotes', {cluster: negotiations.cluster, revision: quotations.revision - 1});
    assert.equal(stale.stale, true);

    const overview = await send<CorpusOverviewResult>('sift/corpusOverview', {});
    assert.equal(overview.sources.length, 12);
    const row = overview.speakers.find((s) => s.speaker === 'Ibrahim Kalin')!;
    assert.deepEqual(row.cells.map((c) => [overview.sources[c.source]!.label.slice(0, 3), c.count]).slice(0, 2), [
      ['000', 3],
      ['001', 3],
    ]);
    assert.equal(row.cells[0]!.locations.length, 3);
    assert.deepEqual(overview.stories.map((s) => s.files.length), [5]);
    const top = overview.names.find((n) => overview.sources[n.source]!.label.startsWith('004'))!.top;
    assert.equal(top[0]!.name, 'Turkey');
  });

  it('summarises files in an analysis worker and on its own thread alike: the same index either way', async () => {
    // The session above indexed with its default lanes (the server's thread and one worker, on a machine of two
    // cores or more); this one with none (SIFT_INDEX_THREADS=0), from an empty cache.
    const views = async (s: Session): Promise<unknown[]> => {
      const send = <T>(method: string, params: unknown): Promise<T> => s.client.connection.sendRequest<T>(method, params);
      const people = await send<CorpusEntitiesResult>('sift/corpusEntities', {type: 'PER'});
      const places = await send<CorpusEntitiesResult>('sift/corpusEntities', {type: 'LOC'});
      const quotes = await send<CorpusQuotesResult>('sift/corpusQuotes', {speaker: 'Ibrahim Kalin'});
      const overview = await send<CorpusOverviewResult>('sift/corpusOverview', {});
      const symbols = await send<SymbolInformation[]>('workspace/symbol', {query: 'a'});
      const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'revision' ? undefined : x)));
      return [people.names, places.names, quotes.quotations, overview, symbols.map((x) => [x.name, x.location.uri, x.location.range]).sort()].map(strip);
    };
    const used = await session.client.connection.sendRequest<{workersStarted: number}>('sift/debug/stats', {});
    if (os.availableParallelism() >= 2) assert.ok(used.workersStarted >= 1, 'the default index used a worker');
    const storage2 = path.join(tmp, 'storage-inline');
    const inline = await start(ws, storage2, {SIFT_INDEX_THREADS: '0', SIFT_DEBUG: '1'});
    try {
      await ready(inline);
      const stats = await inline.client.connection.sendRequest<{workersStarted: number}>('sift/debug/stats', {});
      assert.equal(stats.workersStarted, 0, 'no worker on the inline index of small files');
      assert.deepEqual(await views(inline), await views(session));
    } finally {
      await inline.client.stop();
    }
  });

  it('learns boilerplate across the files of a folder (a line repeated in the folder’s other files)', async () => {
    const file = path.join(ws, 'site', 'g1.txt');
    const uri = await session.client.open(file, fs.readFileSync(file, 'utf8'));
    const diagnostics = await session.client.diagnosticsFor(uri, 1);
    const first = diagnostics.find((d) => d.code === 'boilerplate' && d.range.start.line === 0);
    assert.ok(first, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.match(first.message, /appears in 3 other files of this folder/);
  });

  it('cancelling the progress stops the indexing: files waiting for an engine are dropped, the index is usable', async () => {
    const big = path.join(tmp, 'big');
    const samples = textFiles(SHARED_SAMPLES).map(readText);
    for (let i = 0; i < 120; i++) {
      fs.mkdirSync(path.join(big, `site-${i % 6}`), {recursive: true});
      fs.writeFileSync(path.join(big, `site-${i % 6}`, `f${i}.txt`), `${samples[i % samples.length]!}\nFiled as number ${i}.\n`);
    }
    const s2 = await start(big, path.join(tmp, 'storage-big'));
    const logs: string[] = [];
    s2.client.connection.onNotification('window/logMessage', (m: {message: string}) => logs.push(m.message));
    try {
      let cancelledAt = -1;
      s2.onProgress = (token, value) => {
        if (value.kind !== 'begin' || cancelledAt >= 0) return;
        cancelledAt = s2.statuses[s2.statuses.length - 1]?.indexed ?? 0;
        void s2.client.connection.sendNotification('window/workDoneProgress/cancel', {token});
      };
      await s2.client.waitFor('the progress to end', () => s2.progress.some((p) => p.kind === 'end'), 60000);
      const status = await s2.client.waitFor('the index to stop', () => {
        const last = s2.statuses[s2.statuses.length - 1];
        return last && last.state === 'ready' ? last : undefined;
      });
      assert.ok(cancelledAt >= 0, 'the progress began');
      assert.ok(status.indexed < 60, `stopped early: ${status.indexed} of ${status.total}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(s2.statuses[s2.statuses.length - 1]!.indexed, status.indexed, 'nothing indexed after the end');
      const symbols = await s2.client.connection.sendRequest<SymbolInformation[]>('workspace/symbol', {query: ''});
      assert.equal(new Set(symbols.map((x) => x.location.uri)).size, status.indexed, 'the files indexed before the cancel answer');
      assert.deepEqual(logs.filter((m) => /could not index/.test(m)), [], 'a file dropped by the cancel is not an error');
    } finally {
      await s2.client.stop();
    }
  });

  it('follows the disk: a new copy joins the story, a deleted file leaves it', async () => {
    const copy = path.join(ws, 'seeds', 'copy.txt');
    fs.writeFileSync(copy, readText(seedFile('001')).replace('Turkey', 'Türkiye'));
    const before = session.statuses[session.statuses.length - 1]!.revision;
    await session.client.connection.sendNotification('workspace/didChangeWatchedFiles', {changes: [{uri: uriOf(copy), type: 1}]});
    const status = await ready(session, before);
    assert.equal(status.indexed, 13);
    const lens = async (): Promise<string> =>
      (await session.client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {textDocument: {uri: uriOf(seedFile('000'))}}))[0]!.command!.title;
    assert.equal(await lens(), 'Same story as 5 other files (2 near-copies)');
    fs.rmSync(copy);
    await session.client.connection.sendNotification('workspace/didChangeWatchedFiles', {changes: [{uri: uriOf(copy), type: 3}]});
    await session.client.waitFor('the copy to leave', () => session.statuses[session.statuses.length - 1]!.indexed === 12);
    assert.equal(await lens(), 'Same story as 4 other files (1 near-copy)');
  });

  it('exports brat standoff beside the sources (with an annotation.conf), reading back to the same spans', async () => {
    const file = seedFile('003');
    const result = await session.client.connection.sendRequest<CorpusExportResult>('sift/corpusExport', {uris: [uriOf(file)], format: 'brat'});
    assert.deepEqual(
      result.files.map((f) => path.basename(new URL(f.uri).pathname)),
      ['003_d1be743f8b59899e.ann', 'annotation.conf'],
    );
    const back = fromBrat(readText(file), result.files[0]!.content);
    assert.ok(back.entities.some((e) => e.canonical === 'Ibrahim Kalin'));
    assert.ok(back.quotes.some((q) => q.speaker === 'Ibrahim Kalin' && q.kind === 'direct'));
    const jsonl = await session.client.connection.sendRequest<CorpusExportResult>('sift/corpusExport', {uris: [uriOf(file), uriOf(path.join(ws, 'missing.txt'))], format: 'jsonl'});
    assert.equal(jsonl.files[0]!.uri, '');
    assert.equal(jsonl.files[0]!.content.trim().split('\n').length, 1);
    assert.equal(jsonl.skipped.length, 1);
  });
});

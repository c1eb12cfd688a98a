/**
 * Fault tests of the language server over stdio: a failing document does not take the server down; a user's glob
 * cannot hang or kill it; invalid settings warn once; every edit carries the version it was computed for, even when
 * the document changes between computing and applying; cancelled requests do no work; the workspace strip refuses
 * a file that changed, vanished, or is not a regular file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {TextDocument} from 'vscode-languageserver-textdocument';
import {CancellationTokenSource} from 'vscode-languageserver-protocol';
import type {CodeAction, Hover, TextDocumentEdit} from 'vscode-languageserver-protocol';
import {annotate, removeLines} from '../../server/src/engine/index.js';
import {TestClient} from '../lsp-client.js';
import {SHARED_SAMPLES, readText, textFiles} from '../helpers.js';
import {alive, clientWith, debugClient, serverTests, stats} from './lsp-helpers.js';
import {countBytes, countCases, countFaults} from './figures.js';

/**
 * A seed sample.
 * @param prefix E.g. "002".
 * @returns Text.
 */
function seed(prefix: string): string {
  return readText(textFiles(SHARED_SAMPLES).find((f) => path.basename(f).startsWith(prefix))!);
}

/**
 * Apply a versioned edit the way VS Code does: refused unless the document is at the edit's version.
 * @param document The document as the editor has it.
 * @param edit The edit.
 * @returns The new text, or null when refused.
 */
function applyVersioned(document: TextDocument, edit: TextDocumentEdit): string | null {
  if (edit.textDocument.version !== document.version) return null;
  return TextDocument.applyEdits(document, edit.edits.filter((e): e is {range: never; newText: string} => 'range' in e));
}

/**
 * Open a document under any URI (not only a path).
 * @param client Client.
 * @param uri URI.
 * @param text Text.
 * @returns Nothing.
 */
async function openUri(client: TestClient, uri: string, text: string): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', {textDocument: {uri, languageId: 'plaintext', version: 1, text}});
}

describe('reliability: language server', function () {
  this.timeout(60000);
  const server = serverTests('sift-rel-lsp-');

  it('a document whose analysis fails (or whose URI is not a local path) does not take the server down', async () => {
    const {tmp} = server;
    const client = server.start(clientWith({SIFT_FAULT: 'analyse=throw@crash-me;convert=throw@convert-me'}));
    await client.initialize(tmp);
    const text = seed('004');
    // URIs a remote or Windows client can send, which have no local path here.
    const odd = ['file://fileserver/share/news.txt', 'file:///tmp/a%2Fb.txt'];
    for (const uri of odd) await openUri(client, uri, text);
    const crash = await client.open(path.join(tmp, 'crash-me.txt'), text);
    const convert = await client.open(path.join(tmp, 'convert-me.txt'), text);
    countFaults('lsp: failing analysis of one document', 2);
    countFaults('lsp: document URI without a local path', odd.length);
    const ok = await client.open(path.join(tmp, 'fine.txt'), text);
    const diagnostics = await client.diagnosticsFor(ok, 1);
    assert.ok(diagnostics.some((d) => d.code === 'boilerplate'), 'the healthy document is analysed');
    assert.deepEqual(await client.diagnosticsFor(crash, 1), [], 'the failing one gets no diagnostics');
    const counts = await client.waitFor('counts of the failing document', () => client.notifications.map((n) => n.params as {uri: string; skipped?: string}).find((p) => p.uri === crash && p.skipped));
    assert.match(counts.skipped!, /analysis failed/);
    await client.diagnosticsFor(convert, 1);
    for (const uri of odd) await client.diagnosticsFor(uri, 1);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri: crash}, position: {line: 0, character: 0}});
    assert.equal(hover, null);
    const exported = await client.connection.sendRequest<{jsonl: string; skipped: Array<{uri: string; reason: string}>}>('sift/export', {uris: [crash, ok]});
    assert.equal(exported.jsonl.trim().split('\n').length, 1, 'the healthy document is exported');
    assert.match(exported.skipped[0]!.reason, /analysis failed/);
    assert.ok(alive(client), 'the server is still running');
    const again = await client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri: ok}, position: {line: 0, character: 0}});
    assert.ok(again === null || typeof again === 'object');
  });

  it("a user's glob cannot hang or kill the server", async () => {
    const {tmp} = server;
    const client = server.start(clientWith({}));
    client.settings = {files: ['*a'.repeat(20) + '*b', '[z-a].txt', '{a,a}'.repeat(40) + 'b', '**/'.repeat(30) + 'x']};
    await client.initialize(tmp);
    countFaults('lsp: adversarial globs in sift.files', 4);
    const uri = await client.open(path.join(tmp, `${'a'.repeat(200)}.txt`), seed('001'));
    const counts = await client.waitFor('counts', () => client.notifications.map((n) => n.params as {uri: string; skipped?: string}).find((p) => p.uri === uri));
    assert.match(counts.skipped ?? '', /does not match sift\.files/);
    assert.ok(alive(client));
  });

  it('invalid settings fall back to defaults with one warning each, however many documents', async () => {
    const {tmp} = server;
    const client = server.start(clientWith({}));
    client.settings = {boilerplate: {threshold: 7}, files: 'notes/*.txt', severity: {quotes: 3}, maxFileSize: -1, entities: {types: ['PER', 'PEOPLE']}};
    await client.initialize(tmp);
    const uris = [];
    // One folder each: three copies in one folder would make their shared lines a site template (flagged as
    // "appears in 2 other files") depending on which copies the index holds when each is analysed.
    for (const name of ['a', 'b', 'c']) uris.push(await client.open(path.join(tmp, name, 'doc.txt'), seed('002')));
    for (const uri of uris) {
      const diagnostics = await client.diagnosticsFor(uri, 1);
      assert.equal(diagnostics.filter((d) => d.code === 'boilerplate').length, 46, 'default threshold and files used');
    }
    const expected = ['boilerplate.threshold', 'files', 'severity.quotes', 'maxFileSize', 'entities.types'];
    for (const key of expected) {
      await client.waitFor(`a warning about ${key}`, () => client.messages.some((m) => m.message.includes(`sift.${key} has an invalid value`)));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const key of expected) assert.equal(client.messages.filter((m) => m.message.includes(`sift.${key} has`)).length, 1, `one warning about ${key}`);
    assert.ok(client.messages.every((m) => m.type === 2), 'warnings');
    countFaults('lsp: invalid settings', expected.length);
  });

  it('every edit carries the version it was computed for, while the document changes between computing and applying', async () => {
    const {tmp} = server;
    const client = server.start(clientWith({}));
    await client.initialize(tmp);
    const base = seed('002');
    const texts = new Map<number, string>([[1, base]]);
    const uri = await client.open(path.join(tmp, 'race.txt'), base);
    await client.diagnosticsFor(uri, 1);
    const pending: Array<Promise<{edit: TextDocumentEdit; kind: string} | null>> = [];
    const fixAll = (): Promise<{edit: TextDocumentEdit; kind: string} | null> =>
      client.connection
        .sendRequest<CodeAction[]>('textDocument/codeAction', {textDocument: {uri}, range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}}, context: {diagnostics: [], only: ['source.fixAll']}})
        .then((actions) => (actions[0]?.edit?.documentChanges?.[0] ? {edit: actions[0].edit.documentChanges[0] as TextDocumentEdit, kind: 'fix-all'} : null));
    const strip = (): Promise<{edit: TextDocumentEdit; kind: string} | null> =>
      client.connection.sendRequest<{edit: TextDocumentEdit | null}>('sift/stripEdit', {uri}).then((r) => (r.edit ? {edit: r.edit, kind: 'strip'} : null));
    let text = base;
    for (let i = 0; i < 24; i++) {
      // Requests go out before the change that follows them, and are answered after it arrived.
      pending.push(fixAll(), strip());
      const lines = text.split('\n');
      text = i % 3 === 0 ? `Breaking: update ${i}\n${text}` : i % 3 === 1 ? lines.slice(1).join('\n') : lines.map((l, k) => (k === 5 ? `${l} (edited)` : l)).join('\n');
      texts.set(await client.change(uri, text), text);
    }
    pending.push(fixAll(), strip());
    const results = (await Promise.all(pending)).filter((r): r is {edit: TextDocumentEdit; kind: string} => r !== null);
    const finalVersion = Math.max(...texts.keys());
    let stale = 0;
    for (const {edit, kind} of results) {
      countCases('lsp: versioned edits under concurrent changes');
      const version = edit.textDocument.version!;
      const at = texts.get(version);
      assert.ok(at !== undefined, `${kind} edit for unknown version ${version}`);
      // Applied to the version it names, it removes exactly that version's flagged lines.
      const flagged = annotate(at, {only: ['boilerplate']}).boilerplate.map((b) => b.line);
      const applied = applyVersioned(TextDocument.create(uri, 'plaintext', version, at), edit);
      assert.equal(applied, removeLines(at, flagged), `${kind} edit of version ${version} removes exactly its flagged lines`);
      countBytes(Buffer.byteLength(at), 0);
      // Applied to the document as it is now, a stale edit is refused.
      if (version !== finalVersion) {
        stale++;
        assert.equal(applyVersioned(TextDocument.create(uri, 'plaintext', finalVersion, text), edit), null);
      }
    }
    countFaults('lsp: document changed between computing and applying an edit', stale);
    assert.ok(results.length >= 40, `${results.length} edits`);
  });

  it('the workspace strip refuses a file that changed while it was being rewritten, and keeps the change', async () => {
    const {tmp} = server;
    const client = server.start(clientWith({SIFT_FAULT: 'write:rename=touch@touched'}));
    await client.initialize(tmp);
    const target = path.join(tmp, 'touched.txt');
    fs.writeFileSync(target, seed('002'));
    const uri = pathToFileURL(target).href;
    const plan = await client.connection.sendRequest<{lines: number; hash: string}>('sift/stripFile', {uri, apply: false});
    const result = await client.connection.sendRequest<{written?: boolean; skipped?: string}>('sift/stripFile', {uri, apply: true, expectedHash: plan.hash});
    countFaults('lsp: file changed on disk during the workspace strip');
    assert.match(result.skipped ?? '', /changed on disk/);
    assert.equal(fs.readFileSync(target, 'utf8'), `${seed('002')}A line another program added.\n`, 'the other program’s change is kept, nothing removed');
    assert.deepEqual(fs.readdirSync(tmp), ['touched.txt'], 'no temporary file left');
  });

  it('the workspace strip skips symbolic links, binary, invalid UTF-8, empty, oversized and vanished files with a reason, writing nothing', async () => {
    const {tmp} = server;
    const client = server.start(clientWith({SIFT_FAULT: 'read=vanish@vanishing'}));
    client.settings = {maxFileSize: 100000};
    await client.initialize(tmp);
    fs.writeFileSync(path.join(tmp, 'latin1.txt'), Buffer.from('Top Stories\ncaf\xe9\n', 'latin1'));
    fs.writeFileSync(path.join(tmp, 'large.txt'), seed('002').repeat(30));
    const real = path.join(tmp, 'real.txt');
    fs.writeFileSync(real, seed('002'));
    fs.symlinkSync(real, path.join(tmp, 'link.txt'));
    fs.writeFileSync(path.join(tmp, 'binary.txt'), Buffer.from('Top Stories\n\u0000\u0001', 'utf8'));
    fs.writeFileSync(path.join(tmp, 'empty.txt'), '');
    fs.writeFileSync(path.join(tmp, 'vanishing.txt'), seed('002'));
    const expect: Record<string, RegExp> = {'link.txt': /symbolic link/, 'binary.txt': /binary/, 'latin1.txt': /not valid UTF-8/, 'empty.txt': /empty/, 'large.txt': /over the .* limit/, 'vanishing.txt': /vanished/};
    const before = new Map(Object.keys(expect).map((name) => [name, fs.lstatSync(path.join(tmp, name)).isSymbolicLink() ? 'link' : fs.existsSync(path.join(tmp, name)) ? fs.readFileSync(path.join(tmp, name)).toString('hex') : null]));
    for (const [name, reason] of Object.entries(expect)) {
      const result = await client.connection.sendRequest<{written?: boolean; skipped?: string}>('sift/stripFile', {uri: pathToFileURL(path.join(tmp, name)).href, apply: true});
      countFaults(`lsp: workspace strip skips ${name}`);
      assert.match(result.skipped ?? '', reason, name);
      assert.ok(!result.written);
    }
    assert.equal(fs.readFileSync(real, 'utf8'), seed('002'), 'the link target is untouched');
    for (const [name, was] of before) {
      if (name === 'vanishing.txt' || name === 'link.txt') continue;
      assert.equal(fs.readFileSync(path.join(tmp, name)).toString('hex'), was, `${name} untouched`);
    }
  });

  it('cancelled requests do no work', async () => {
    const {tmp} = server;
    const client = server.start(debugClient());
    await client.initialize(tmp);
    const base = seed('002').repeat(4);
    const uri = await client.open(path.join(tmp, 'cancel.txt'), base);
    await client.diagnosticsFor(uri, 1);
    const before = await stats(client);
    const hovers: Array<Promise<unknown>> = [];
    let version = 1;
    for (let i = 0; i < 20; i++) {
      version = await client.change(uri, `Edit ${i}\n${base}`);
      const source = new CancellationTokenSource();
      hovers.push(client.connection.sendRequest('textDocument/hover', {textDocument: {uri}, position: {line: 3, character: 2}}, source.token).catch((e: Error) => e));
      source.cancel();
    }
    const last = await client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri}, position: {line: 0, character: 1}});
    const settled = await Promise.all(hovers);
    countFaults('lsp: cancelled requests', hovers.length);
    const after = await stats(client);
    assert.ok(last === null || typeof last === 'object');
    assert.ok(settled.every((r) => r === null || r instanceof Error || typeof r === 'object'));
    // Without cancellation each hover would analyse its own version (20 analyses); with it, only the last one does.
    assert.ok(after.analyses - before.analyses <= 2, `${after.analyses - before.analyses} analyses for 21 hovers, 20 of them cancelled`);
    assert.ok(after.cancelled - before.cancelled >= 18, `${after.cancelled - before.cancelled} requests stopped`);
    await client.diagnosticsFor(uri, version);
  });
});

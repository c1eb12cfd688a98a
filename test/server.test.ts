/**
 * The language server, started from its bundle over stdio and spoken to in LSP, on the seed samples.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {TextDocument} from 'vscode-languageserver-textdocument';
import type {CodeAction, Diagnostic, DocumentSymbol, Hover, InlayHint, TextDocumentEdit} from 'vscode-languageserver-protocol';
import {SHARED_SAMPLES, readText, textFiles} from './helpers.js';
import {TestClient} from './lsp-client.js';

/**
 * The seed sample whose name starts with a prefix.
 * @param prefix E.g. "000".
 * @returns Path and text.
 */
function seed(prefix: string): {file: string; text: string} {
  const file = textFiles(SHARED_SAMPLES).find((f) => path.basename(f).startsWith(prefix))!;
  return {file, text: readText(file)};
}

/**
 * Apply an LSP edit to a text with an independent implementation (vscode-languageserver-textdocument).
 * @param text Text.
 * @param edit Versioned edit.
 * @returns New text.
 */
function apply(text: string, edit: TextDocumentEdit): string {
  const document = TextDocument.create('file:///x.txt', 'plaintext', edit.textDocument.version ?? 0, text);
  return TextDocument.applyEdits(document, edit.edits.filter((e): e is {range: never; newText: string} => 'range' in e));
}

/**
 * The text without some lines, each removed with its own terminator (the engine's rule: every other byte stays).
 * @param text Text.
 * @param remove Line indices.
 * @returns Text.
 */
function withoutLines(text: string, remove: ReadonlySet<number>): string {
  return text.split(/(?<=\r\n|\n|\r(?!\n))/).filter((_, i) => !remove.has(i)).join('');
}

/**
 * Position of the first occurrence of a string.
 * @param text Text.
 * @param needle String.
 * @returns Line and character.
 */
function positionOf(text: string, needle: string): {line: number; character: number} {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `found ${needle}`);
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return {line: before.length - 1, character: before[before.length - 1]!.length};
}

describe('language server (stdio)', function () {
  this.timeout(30000);
  let client: TestClient;
  let tmp: string;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-lsp-'));
    client = new TestClient();
    await client.initialize(tmp);
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(tmp, {recursive: true, force: true});
  });

  it('announces its capabilities', async () => {
    const other = new TestClient();
    const result = await other.initialize(tmp);
    await other.stop();
    const caps = result.capabilities;
    assert.ok(caps.hoverProvider);
    assert.deepEqual((caps.codeActionProvider as {codeActionKinds: string[]}).codeActionKinds, ['quickfix', 'source.fixAll.sift']);
    assert.deepEqual(caps.semanticTokensProvider?.legend.tokenTypes, ['quotation', 'person', 'organisation', 'place', 'otherName', 'measure']);
    assert.ok(caps.documentSymbolProvider && caps.inlayHintProvider && caps.foldingRangeProvider);
    assert.equal(result.serverInfo?.name, 'sift');
  });

  it('publishes boilerplate faded as Information, quotes and entities as Hints, each with code and source', async () => {
    const {file, text} = seed('002');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const boilerplate = diagnostics.filter((d) => d.code === 'boilerplate');
    assert.equal(boilerplate.length, 46);
    assert.ok(boilerplate.every((d) => d.severity === 3 && d.tags?.includes(1) && d.source === 'sift'));
    const newsletter = boilerplate.find((d) => d.range.start.line === 9)!;
    assert.equal(newsletter.message, 'Boilerplate (promotion): repeated 16 times in this file');
    assert.deepEqual(newsletter.range, {start: {line: 9, character: 0}, end: {line: 9, character: 58}});
    const quotes = diagnostics.filter((d) => d.code === 'quotation');
    const entities = diagnostics.filter((d) => d.code === 'named-entity');
    assert.ok(quotes.length >= 2 && quotes.every((d) => d.severity === 4));
    assert.ok(entities.length >= 10 && entities.every((d) => d.severity === 4));
    const counts = await client.waitFor('counts', () => client.notifications.find((n) => n.method === 'sift/counts')?.params as {boilerplate: number} | undefined);
    assert.equal(counts.boilerplate, 46);
  });

  it('hovers a quotation with its speaker, and an entity with its type', async () => {
    const {file, text} = seed('000');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(text, 'strategic picture')});
    const value = (hover.contents as {value: string}).value;
    assert.match(value, /\*\*Quotation\*\* · speaker \*\*Ibrahim Kalin\*\* \(as “he”\) · cue \*said\*/);
    assert.match(value, /Other quotations by Ibrahim Kalin in this file:/);
    const entity = await client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(text, 'Jake Sullivan')});
    assert.match((entity.contents as {value: string}).value, /^\*\*Person\*\* · Jake Sullivan\n\n2 mentions in this file \(“Jake Sullivan”, “Sullivan”\)/);
    const chrome = await client.connection.sendRequest<Hover>('textDocument/hover', {textDocument: {uri}, position: positionOf(text, 'Top Stories')});
    assert.match((chrome.contents as {value: string}).value, /\*\*Boilerplate\*\* · navigation\n\nnavigation\n\nHow sure: 100%/);
  });

  it('quick fix removes exactly the flagged line; fix-all removes every flagged line and keeps every other byte', async () => {
    const {file, text} = seed('003');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const copyright = diagnostics.find((d) => d.code === 'boilerplate' && d.message.includes('copyright'))!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {textDocument: {uri}, range: copyright.range, context: {diagnostics: [copyright], only: ['quickfix']}});
    assert.deepEqual(actions.map((a) => a.title), ['Remove this boilerplate line', 'Remove all boilerplate in this file (5 lines)', 'Keep this line (stop flagging it)']);
    assert.equal(actions[0]!.isPreferred, true);
    const edit = actions[0]!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(edit.textDocument.version, 1);
    const lines = text.split('\n');
    const removed = lines.findIndex((l) => l.startsWith('©'));
    assert.equal(apply(text, edit), withoutLines(text, new Set([removed])));

    const fixAll = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {textDocument: {uri}, range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}}, context: {diagnostics: [], only: ['source.fixAll']}});
    assert.equal(fixAll.length, 1);
    assert.equal(fixAll[0]!.kind, 'source.fixAll.sift');
    const flagged = new Set(diagnostics.filter((d) => d.code === 'boilerplate').map((d) => d.range.start.line));
    assert.equal(apply(text, fixAll[0]!.edit!.documentChanges![0] as TextDocumentEdit), withoutLines(text, flagged));
  });

  it('an edit is computed for the version it applies to, never an older one', async () => {
    const {file, text} = seed('004');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    await client.diagnosticsFor(uri, 1);
    const at = {start: positionOf(text, 'Most Read'), end: positionOf(text, 'Most Read')};
    const before = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {textDocument: {uri}, range: at, context: {diagnostics: [], only: ['quickfix']}});
    assert.equal((before[0]!.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 1);
    const edited = `Breaking: a new first line\n${text}`;
    const version = await client.change(uri, edited);
    const moved = {start: positionOf(edited, 'Most Read'), end: positionOf(edited, 'Most Read')};
    const after = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {textDocument: {uri}, range: moved, context: {diagnostics: [], only: ['quickfix']}});
    const edit = after[0]!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(edit.textDocument.version, version);
    assert.equal(apply(edited, edit), withoutLines(edited, new Set([moved.start.line])));
    const strip = await client.connection.sendRequest<{lines: number; version: number}>('sift/stripEdit', {uri});
    assert.equal(strip.version, version);
  });

  it('follows settings: severities, entity types, and invalid values fall back with one warning', async () => {
    const {file, text} = seed('001');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const first = await client.diagnosticsFor(uri, 1);
    assert.ok(first.some((d) => d.code === 'named-entity'));
    client.diagnostics.delete(uri);
    client.settings = {severity: {boilerplate: 'warning', entities: 'off', quotes: 'bogus'}, entities: {types: ['PER']}};
    await client.connection.sendNotification('workspace/didChangeConfiguration', {settings: null});
    // Wait for the diagnostics of the new settings (boilerplate as warnings), then check all of them.
    const second = await client.waitFor('diagnostics under the new settings', () => {
      const diagnostics = client.diagnostics.get(uri)?.diagnostics;
      return diagnostics?.some((d) => d.code === 'boilerplate' && d.severity === 2) ? diagnostics : undefined;
    });
    assert.ok(second.filter((d) => d.code === 'boilerplate').every((d) => d.severity === 2));
    assert.equal(second.filter((d) => d.code === 'named-entity').length, 0);
    assert.ok(second.filter((d) => d.code === 'quotation').every((d) => d.severity === 4), 'invalid value → default');
    await client.waitFor('a warning', () => client.messages.find((m) => m.type === 2 && /sift\.severity\.quotes has an invalid value/.test(m.message)));
    assert.equal(client.messages.filter((m) => /severity\.quotes/.test(m.message)).length, 1);
    client.diagnostics.delete(uri);
    client.settings = {enable: false};
    await client.connection.sendNotification('workspace/didChangeConfiguration', {settings: null});
    const off = await client.waitFor('cleared diagnostics', () => (client.diagnostics.get(uri)?.diagnostics.length === 0 ? client.diagnostics.get(uri) : undefined));
    assert.deepEqual(off.diagnostics, []);
    // Nothing stale arrives later.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
  });

  it('kept lines are not flagged', async () => {
    const {file, text} = seed('004');
    client.settings = {boilerplate: {keepLines: ['Most Read']}};
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const line = text.split('\n').indexOf('Most Read');
    assert.ok(!diagnostics.some((d: Diagnostic) => d.code === 'boilerplate' && d.range.start.line === line));
    assert.ok(diagnostics.some((d: Diagnostic) => d.code === 'boilerplate'));
  });

  it('semantic tokens, outline, inlay hints and folding ranges', async () => {
    const {file, text} = seed('000');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    const tokens = await client.connection.sendRequest<{data: number[]}>('textDocument/semanticTokens/full', {textDocument: {uri}});
    assert.equal(tokens.data.length % 5, 0);
    const decoded: Array<{line: number; char: number; length: number; type: number}> = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, length, type] = tokens.data.slice(i, i + 4) as [number, number, number, number];
      line += dl;
      char = dl ? dc : char + dc;
      decoded.push({line, char, length, type});
    }
    const lines = text.split('\n');
    const kalin = positionOf(text, 'Ibrahim Kalin');
    assert.ok(decoded.some((t) => t.line === kalin.line && t.char === kalin.character && t.type === 1 && t.length === 13), 'Ibrahim Kalin is a person token');
    const quote = positionOf(text, 'The United States has so far');
    assert.ok(decoded.some((t) => t.line === quote.line && t.char === quote.character && t.type === 0), 'quotation token');
    assert.ok(decoded.every((t) => t.char + t.length <= lines[t.line]!.length), 'no token runs past its line');

    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {textDocument: {uri}});
    const kalinSymbol = symbols.find((s) => s.name === 'Ibrahim Kalin')!;
    assert.equal(kalinSymbol.detail, '3 quotations');
    assert.equal(kalinSymbol.children!.length, 3);
    assert.ok(symbols.find((s) => s.name === 'People')!.children!.some((c) => c.name === 'Jake Sullivan'));

    const hints = await client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {textDocument: {uri}, range: {start: {line: 0, character: 0}, end: {line: lines.length, character: 0}}});
    assert.deepEqual(hints.map((h) => h.label), ['— Ibrahim Kalin', '— Ibrahim Kalin', '— Ibrahim Kalin']);
    const closing = positionOf(text, ',” Kalin said');
    assert.deepEqual(hints[0]!.position, {line: closing.line, character: closing.character + 2});

    const folds = await client.connection.sendRequest<Array<{startLine: number; endLine: number}>>('textDocument/foldingRange', {textDocument: {uri}});
    const top = lines.indexOf('Top Stories');
    assert.ok(folds.some((f) => f.startLine === top - 2 && f.endLine === lines.length - 1), JSON.stringify(folds));
  });

  it('strips a file on disk atomically, and refuses one that changed since the preview', async () => {
    const {file, text} = seed('002');
    const target = path.join(tmp, 'copy.txt');
    fs.writeFileSync(target, text);
    const uri = pathToFileURL(target).href;
    const plan = await client.connection.sendRequest<{lines: number; hash: string}>('sift/stripFile', {uri, apply: false});
    assert.equal(plan.lines, 46);
    assert.equal(fs.readFileSync(target, 'utf8'), text, 'planning writes nothing');
    const refused = await client.connection.sendRequest<{skipped?: string; written?: boolean}>('sift/stripFile', {uri, apply: true, expectedHash: 'not-the-hash'});
    assert.match(refused.skipped!, /changed on disk since it was previewed/);
    assert.equal(fs.readFileSync(target, 'utf8'), text);
    const done = await client.connection.sendRequest<{written?: boolean; lines: number}>('sift/stripFile', {uri, apply: true, expectedHash: plan.hash});
    assert.equal(done.written, true);
    const cleaned = fs.readFileSync(target, 'utf8');
    assert.ok(!cleaned.includes('newsletter'));
    const diagnosticsLines = text.split(/(?<=\n)/);
    assert.equal(cleaned.split(/(?<=\n)/).length, diagnosticsLines.length - 46);
    assert.ok(cleaned.includes('Akar also reiterated that Turkey was in talks with Russia'));
    void file;
  });

  it('exports annotations as JSONL', async () => {
    const {file, text} = seed('001');
    const target = path.join(tmp, 'a.txt');
    fs.writeFileSync(target, text);
    const result = await client.connection.sendRequest<{jsonl: string}>('sift/export', {uris: [pathToFileURL(target).href]});
    const record = JSON.parse(result.jsonl.trim());
    assert.ok(record.boilerplate.length > 0 && record.quotes.length > 0 && record.entities.length > 0);
    void file;
  });

  it('does not analyse a file over the size limit, and says why', async () => {
    client.settings = {maxFileSize: 1000};
    const {file, text} = seed('000');
    const uri = await client.open(path.join(tmp, path.basename(file)), text);
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
    const counts = await client.waitFor('counts', () => client.notifications.find((n) => n.method === 'sift/counts')?.params as {skipped?: string});
    assert.match(counts.skipped!, /over the limit of 0\.0 MB \(sift\.maxFileSize\)/);
    await client.waitFor('an information message', () => client.messages.find((m) => /did not analyse/.test(m.message)));
  });
});

/**
 * The language server's analysis workers, over stdio: a large document is analysed off the server's thread, so a
 * hover or a small document elsewhere is answered while it runs; its diagnostics are exactly the engine's; an edit
 * during a pending analysis gives diagnostics for the final text only; a worker that dies leaves the server
 * answering, the document reported as failed and analysed again after its next edit.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {TextDocument} from 'vscode-languageserver-textdocument';
import type {Diagnostic, Hover, Position} from 'vscode-languageserver-protocol';
import {analyse} from '../server/src/engine/index.js';
import {OWN_SAMPLES, SHARED_SAMPLES, readText, textFiles} from './helpers.js';
import type {TestClient} from './lsp-client.js';
import {alive, debugClient, serverTests, stats} from './reliability/lsp-helpers.js';
import {countFaults} from './reliability/figures.js';

/** Debug counters of a server with workers. */
interface WorkerStats {
  analyses: number;
  workersStarted: number;
  workerCrashes: number;
}

/**
 * A news-like text of about `size` characters: the samples one after another, cut at a line end.
 * @param size Characters.
 * @param skip Samples to skip first (different texts for different documents).
 * @returns Text.
 */
function textOf(size: number, skip = 0): string {
  const parts = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText).map((t) => t.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  let text = '';
  for (let i = skip; text.length < size; i++) text += `${parts[i % parts.length]!}\n`;
  return text.slice(0, text.lastIndexOf('\n', size) + 1);
}

/** A diagnostic reduced to what the engine decides, with offsets. */
interface Finding {
  code: string | number | undefined;
  message: string;
  start: number;
  end: number;
}

/**
 * What the engine finds in a text, as the server's default settings show it (one diagnostic per message).
 * @param text Text.
 * @returns Findings in the engine's order.
 */
function engineFindings(text: string): Finding[] {
  return analyse(text).messages.map((m) => {
    const place = m.place as {start: {offset: number}; end: {offset: number}};
    return {code: m.ruleId, message: m.reason, start: place.start.offset, end: place.end.offset};
  });
}

/**
 * Published diagnostics as findings.
 * @param text The text they are about.
 * @param diagnostics Diagnostics.
 * @returns Findings.
 */
function findingsOf(text: string, diagnostics: readonly Diagnostic[]): Finding[] {
  const document = TextDocument.create('file:///x.txt', 'plaintext', 1, text);
  return diagnostics.map((d) => ({code: d.code, message: d.message, start: document.offsetAt(d.range.start), end: document.offsetAt(d.range.end)}));
}

/**
 * The position of an offset.
 * @param text Text.
 * @param offset Offset.
 * @returns Position.
 */
function positionAt(text: string, offset: number): Position {
  return TextDocument.create('file:///x.txt', 'plaintext', 1, text).positionAt(offset);
}

/**
 * Hover.
 * @param client Client.
 * @param uri Document.
 * @param position Position.
 * @returns The answer.
 */
function hover(client: TestClient, uri: string, position: Position): Promise<Hover | null> {
  return client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri}, position});
}

describe('language server: analyses in worker threads', function () {
  this.timeout(240000);
  const server = serverTests('sift-lsp-worker-');

  it("a 1 MB document: hovers and a small file elsewhere are answered while it is analysed; its diagnostics are the engine's", async () => {
    const {tmp} = server;
    const client = server.start(debugClient());
    await client.initialize(tmp);
    const smallText = readText(path.join(OWN_SAMPLES, 'harbour-strike.txt'));
    const small = await client.open(path.join(tmp, 'small.txt'), smallText);
    const smallDiagnostics = await client.diagnosticsFor(small, 1);
    const bigText = textOf(1024 * 1024);
    const expected = engineFindings(bigText);
    const before = await stats(client);

    const events: string[] = [];
    // In a folder of its own: the workspace's repeated lines of other files do not change its boilerplate.
    const big = await client.open(path.join(tmp, 'big', 'big.txt'), bigText);
    const bigDiagnostics = client.diagnosticsFor(big, 1, 200000).then((d) => {
      events.push('big: diagnostics');
      return d;
    });
    // A request on the big document waits for its analysis and is answered from it.
    const bigHover = hover(client, big, positionAt(bigText, expected[0]!.start)).then((h) => {
      events.push('big: hover');
      return h;
    });
    const smallHover = await hover(client, small, smallDiagnostics.find((d) => d.code === 'named-entity')!.range.start);
    events.push('small: hover');
    const other = await client.open(path.join(tmp, 'other.txt'), readText(path.join(OWN_SAMPLES, 'library-reopens.txt')));
    const otherDiagnostics = await client.diagnosticsFor(other, 1);
    events.push('other: diagnostics');
    const diagnostics = await bigDiagnostics;
    const answer = await bigHover;
    const after = (await stats(client)) as unknown as WorkerStats;

    assert.deepEqual(events.slice(0, 2), ['small: hover', 'other: diagnostics'], `order: ${events.join(', ')}`);
    assert.ok(smallHover, 'the hover in the small document has content');
    assert.ok(otherDiagnostics.length > 0, 'the other document is analysed');
    assert.ok(answer, 'the hover on the big document is answered from its analysis');
    assert.ok(after.workersStarted >= 1, 'a worker analysed it');
    assert.equal(after.analyses - before.analyses, 2, 'one analysis of the big document, one of the other');
    assert.equal(diagnostics.length, expected.length);
    assert.deepEqual(findingsOf(bigText, diagnostics), expected);
  });

  it('an edit during a pending analysis gives diagnostics for the final text only', async () => {
    const {tmp} = server;
    const client = server.start(debugClient());
    await client.initialize(tmp);
    const v1 = textOf(400 * 1024);
    const before = await stats(client);
    const uri = await client.open(path.join(tmp, 'edited.txt'), v1);
    for (const until = Date.now() + 30000; (await stats(client)).analyses === before.analyses; ) {
      assert.ok(Date.now() < until, 'the analysis of version 1 starts');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(client.published.filter((p) => p.uri === uri).length, 0, 'version 1 is still being analysed');
    // While version 1 is analysed: version 2 (its first lines removed), a hover on version 2, then version 3.
    const v2 = v1.slice(v1.indexOf('\n', 2000) + 1);
    await client.change(uri, v2);
    const staleHover = hover(client, uri, {line: 0, character: 0});
    const v3 = `${v2}\n“We will not stop now,” said Maria Okafor, the union's spokeswoman.\n`;
    const version = await client.change(uri, v3);
    assert.equal(version, 3);
    const diagnostics = await client.diagnosticsFor(uri, 3, 200000);
    const answered = await staleHover;
    // Give a late publication of an older version the time to show up (there must be none).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version);
    countFaults('lsp: pending analysis superseded by an edit', 2);
    assert.deepEqual(versions, [3], `only the final version is published: ${JSON.stringify(client.published.filter((p) => p.uri === uri).map((p) => [p.version, p.diagnostics.length]))}`);
    assert.ok(answered === null || typeof answered === 'object', 'the hover on version 2 is answered');
    assert.deepEqual(findingsOf(v3, diagnostics), engineFindings(v3));
    assert.ok(diagnostics.some((d) => d.code === 'quotation' && d.range.start.line === v3.split('\n').length - 2), 'the quotation added last is there');
  });

  it('a worker that dies leaves the server answering; the document is reported failed, and analysed after its next edit', async () => {
    const {tmp} = server;
    const client = server.start(debugClient({SIFT_FAULT: 'worker=exit@exits.txt v1;worker=throw@throws.txt v1'}));
    await client.initialize(tmp);
    const smallText = readText(path.join(OWN_SAMPLES, 'harbour-strike.txt'));
    const small = await client.open(path.join(tmp, 'small.txt'), smallText);
    const smallDiagnostics = await client.diagnosticsFor(small, 1);
    const text = textOf(100 * 1024, 2);
    const exits = await client.open(path.join(tmp, 'crash', 'exits.txt'), text);
    const throws = await client.open(path.join(tmp, 'crash', 'throws.txt'), text);
    for (const uri of [exits, throws]) {
      assert.deepEqual(await client.diagnosticsFor(uri, 1, 60000), [], `${path.basename(uri)}: no diagnostics`);
      const counts = await client.waitFor(`counts of ${path.basename(uri)}`, () => client.notifications.map((n) => n.params as {uri: string; skipped?: string}).find((p) => p.uri === uri && p.skipped));
      assert.match(counts.skipped!, /analysis failed/);
      assert.equal(await hover(client, uri, {line: 0, character: 0}), null, 'a failed version is not analysed again for a request');
    }
    assert.ok(alive(client), 'the server is running');
    assert.ok(await hover(client, small, smallDiagnostics.find((d) => d.code === 'named-entity')!.range.start), 'and answering');
    const failedStats = (await stats(client)) as unknown as WorkerStats;
    assert.equal(failedStats.workerCrashes, 2);
    countFaults('lsp: analysis worker crashed (exit, uncaught error)', 2);
    // The next version gets a new worker.
    await client.change(exits, `${text}\nOne more line.\n`);
    const diagnostics = await client.diagnosticsFor(exits, 2, 60000);
    assert.deepEqual(findingsOf(`${text}\nOne more line.\n`, diagnostics), engineFindings(`${text}\nOne more line.\n`));
    const after = (await stats(client)) as unknown as WorkerStats;
    assert.ok(after.workersStarted >= 2, `${after.workersStarted} workers started`);
    assert.ok(alive(client));
  });
});

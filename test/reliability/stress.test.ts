/**
 * The language server under load: 100 edits a second for 10 seconds on a 200 KB document, with hovers all along
 * (each one cancelled when the next is sent, as an editor does when the mouse moves on). The server keeps answering,
 * its memory returns to where it started, and the last diagnostics are those of the final text.
 *
 * `SIFT_STRESS_SECONDS` changes the duration (the soak script runs it longer).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {TextDocument} from 'vscode-languageserver-textdocument';
import {CancellationTokenSource, type Hover, type TextDocumentContentChangeEvent} from 'vscode-languageserver-protocol';
import {analyse} from '../../server/src/engine/index.js';
import {OWN_SAMPLES, SHARED_SAMPLES, readText, textFiles} from '../helpers.js';
import type {TestClient} from '../lsp-client.js';
import {alive, debugClient, stats} from './lsp-helpers.js';
import {countFaults, measure} from './figures.js';

/**
 * A pseudo-random generator with a fixed seed (the run is reproducible).
 * @param seed Seed.
 * @returns Next number in [0, 1).
 */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('reliability: the language server under 100 edits a second', function () {
  const seconds = Number(process.env['SIFT_STRESS_SECONDS'] ?? '10');
  this.timeout((seconds + 120) * 1000);
  let tmp: string;
  let client: TestClient;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-rel-stress-'));
    client = debugClient();
    await client.initialize(tmp);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(tmp, {recursive: true, force: true});
  });

  it(`${seconds} s of typing on a 200 KB document: hovers answered, memory back to baseline, final diagnostics match the final text`, async () => {
    const parts = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText).map((t) => t.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
    let text = '';
    for (let i = 0; text.length < 200 * 1024; i++) text += `${parts[i % parts.length]!}\n`;
    text = text.slice(0, text.lastIndexOf('\n', 200 * 1024) + 1);
    const uri = await client.open(path.join(tmp, 'long.txt'), text);
    let document = TextDocument.create(uri, 'plaintext', 1, text);
    await client.diagnosticsFor(uri, 1);
    const baseline = await stats(client);

    const next = random(20251121);
    let version = 1;
    let edits = 0;
    let answered = 0;
    let cancelled = 0;
    const failures: string[] = [];
    let pending: {source: CancellationTokenSource; done: Promise<void>} | undefined;
    const started = Date.now();
    const total = seconds * 100;
    const sent: Array<Promise<void>> = [];
    const typed = 'The quick brown fox said “hello,” and left. ';
    while (edits < total) {
      // One edit: type a character, break a line, or delete a few characters, somewhere in the document.
      const length = document.getText().length;
      const at = Math.floor(next() * length);
      const roll = next();
      let change: TextDocumentContentChangeEvent;
      const pos = document.positionAt(at);
      if (roll < 0.7) change = {range: {start: pos, end: pos}, text: typed[edits % typed.length]!};
      else if (roll < 0.85) change = {range: {start: pos, end: pos}, text: '\n'};
      else change = {range: {start: pos, end: document.positionAt(Math.min(length, at + 1 + Math.floor(next() * 5)))}, text: ''};
      version++;
      document = TextDocument.update(document, [change], version);
      sent.push(client.connection.sendNotification('textDocument/didChange', {textDocument: {uri, version}, contentChanges: [change]}));
      edits++;
      if (edits % 10 === 0) {
        // A hover every 100 ms; the previous one, if still pending, is cancelled.
        pending?.source.cancel();
        const source = new CancellationTokenSource();
        const position = document.positionAt(Math.floor(next() * document.getText().length));
        const done = client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri}, position}, source.token).then(
          () => void answered++,
          (error: {code?: number; message?: string}) => {
            if (error.code === -32800) cancelled++;
            else failures.push(String(error.message));
          },
        );
        pending = {source, done};
        hovers.push(done);
      }
      // Paced at one edit per 10 ms; when the test process falls behind it catches up without waiting.
      const due = started + edits * 10;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      else if (edits % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(sent);
    const elapsed = (Date.now() - started) / 1000;
    // One last hover, not cancelled, on the first line (a boilerplate line or a plain one: it is answered).
    const last = await client.connection.sendRequest<Hover | null>('textDocument/hover', {textDocument: {uri}, position: {line: 0, character: 0}});
    await Promise.all(hovers);
    const finalText = document.getText();
    const diagnostics = await client.diagnosticsFor(uri, version);
    const after = await stats(client);

    countFaults('stress: hovers cancelled by the next one', cancelled);
    measure('stress: seconds', Math.round(elapsed * 10) / 10);
    measure('stress: edits', edits);
    measure('stress: edits per second', Math.round(edits / elapsed));
    measure('stress: hovers answered during the edits', answered);
    measure('stress: hovers cancelled', cancelled);
    measure('stress: analyses run', after.analyses - baseline.analyses);
    measure('stress: heap after first analysis (MB)', Math.round(baseline.heapUsed / 1e5) / 10);
    measure('stress: heap after the edits (MB)', Math.round(after.heapUsed / 1e5) / 10);
    measure('stress: document size (KB)', Math.round(Buffer.byteLength(finalText) / 1024));

    assert.deepEqual(failures, [], 'no hover failed');
    assert.ok(alive(client), 'the server is alive');
    assert.ok(answered >= 1, `hovers were answered during the edits (${answered})`);
    assert.ok(last === null || typeof last === 'object', 'the last hover is answered');
    assert.equal(edits, total, `${edits} edits in ${elapsed.toFixed(1)} s`);
    // The last diagnostics are those of the final text.
    const expected = analyse(finalText);
    const flagged = expected.data.sift!.annotations.boilerplate.map((b) => b.line);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'boilerplate').map((d) => d.range.start.line), flagged);
    assert.equal(diagnostics.length, expected.messages.length);
    // Memory returns to its baseline: what the server holds is one document and one analysis, as before.
    assert.ok(after.heapUsed < baseline.heapUsed * 1.25 + 16 * 1024 * 1024, `heap ${Math.round(after.heapUsed / 1e6)} MB after, ${Math.round(baseline.heapUsed / 1e6)} MB before`);
  });
  const hovers: Array<Promise<void>> = [];
});

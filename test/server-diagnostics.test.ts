/**
 * A large document's diagnostics are made in the analysis worker, packed into typed arrays and published before the
 * rest of the analysis is read back: they must be exactly the diagnostics the server's thread makes (same objects,
 * same JSON), with the same `sift/counts`, and the analysis that answers requests afterwards must hold them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {CodeAction, Diagnostic} from 'vscode-languageserver-protocol';
import {analyse, splitLines} from '../server/src/engine/index.js';
import {countsOf, packDiagnostics, toDiagnostics, unpackDiagnostics, type Analysis} from '../server/src/lsp/convert.js';
import {normalizeSettings} from '../server/src/lsp/settings.js';
import {OWN_SAMPLES, SHARED_SAMPLES, readText, textFiles} from './helpers.js';
import type {TestClient} from './lsp-client.js';
import {clientWith} from './reliability/lsp-helpers.js';

const samples = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText);

/**
 * An analysis as the server makes it on its own thread.
 * @param text Text.
 * @param raw Raw settings (as a client sends them).
 * @returns Analysis.
 */
function analysisOf(text: string, raw: unknown = {}): Analysis {
  const {settings} = normalizeSettings(raw);
  const file = analyse(text, {boilerplate: {threshold: settings.boilerplate.threshold, keep: settings.boilerplate.keepLines}}, 'file:///x.txt');
  return {uri: 'file:///x.txt', version: 7, text, lines: splitLines(text), messages: file.messages, annotations: file.data.sift!.annotations, settings};
}

describe('language server: diagnostics made in the analysis worker', function () {
  this.timeout(240000);

  it('packed and read back, they are the diagnostics of the server’s thread, as objects and as JSON, under any settings', async () => {
    const settingsVariants: unknown[] = [
      {},
      {severity: {boilerplate: 'warning', quotes: 'off', entities: 'error'}},
      {entities: {types: ['PER', 'LOC']}, severity: {boilerplate: 'off'}},
      {boilerplate: {keepLines: ['Share this article']}},
    ];
    let total = 0;
    for (const raw of settingsVariants) {
      for (const text of [...samples, samples.join('\r\n')]) {
        const expected = toDiagnostics(analysisOf(text, raw));
        const packed = packDiagnostics(analysisOf(text, raw));
        // A clone, as between threads.
        const arrived = structuredClone(packed, {transfer: [packed.numbers.buffer as ArrayBuffer]});
        let pauses = 0;
        const got = await unpackDiagnostics(arrived, async () => pauses++, 0);
        assert.deepEqual(got, expected);
        assert.equal(JSON.stringify(got), JSON.stringify(expected));
        const analysis = analysisOf(text, raw);
        assert.deepEqual(arrived.counts, countsOf(analysis.annotations, analysis.settings));
        total += got.length;
      }
    }
    assert.ok(total > 500, `diagnostics checked: ${total}`);
  });

  describe('over stdio', () => {
    let tmp: string;
    const clients: TestClient[] = [];
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-lsp-diagnostics-'));
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) await client.stop();
      fs.rmSync(tmp, {recursive: true, force: true});
    });

    /**
     * Open texts in a server and collect what it publishes.
     * @param env Server environment.
     * @param texts Texts.
     * @param folder Where the documents are.
     * @returns The client and, per text, the diagnostics and the counts.
     */
    async function publishedBy(env: Record<string, string>, texts: string[], folder: string): Promise<{client: TestClient; uris: string[]; results: Array<{diagnostics: Diagnostic[]; counts: unknown}>}> {
      const client = clientWith(env);
      clients.push(client);
      client.settings = {severity: {boilerplate: 'warning'}};
      fs.mkdirSync(folder, {recursive: true});
      await client.initialize(folder);
      const results = [];
      const uris = [];
      for (const [i, text] of texts.entries()) {
        // Each in a folder of its own: the workspace's repeated lines of other files do not change its boilerplate.
        const uri = await client.open(path.join(folder, `d${i}`, `doc-${i}.txt`), text);
        uris.push(uri);
        const diagnostics = await client.diagnosticsFor(uri, 1, 120000);
        const counts = await client.waitFor(`counts of ${uri}`, () => client.notifications.map((n) => n.params as {uri: string}).find((p) => p.uri === uri));
        results.push({diagnostics, counts: {...counts, uri: undefined}});
      }
      return {client, uris, results};
    }

    it('a document analysed in a worker gets the same diagnostics and counts, byte for byte, as on the server’s thread; code actions see them', async () => {
      const texts = [samples[0]!, samples.join('\n\n'), samples.slice(2).join('\n')];
      const inline = await publishedBy({SIFT_WORKER_MIN_CHARS: '1000000000'}, texts, path.join(tmp, 'inline'));
      const worker = await publishedBy({SIFT_WORKER_MIN_CHARS: '0'}, texts, path.join(tmp, 'worker'));
      assert.ok(inline.results.every((r) => r.diagnostics.length > 10));
      assert.equal(JSON.stringify(worker.results), JSON.stringify(inline.results));
      // The analysis that answers requests holds the published diagnostics: a quick fix points at its diagnostic.
      const boilerplate = worker.results[1]!.diagnostics.find((d) => d.code === 'boilerplate')!;
      assert.ok(boilerplate, 'a boilerplate line');
      const actions = await worker.client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: {uri: worker.uris[1]},
        range: boilerplate.range,
        context: {diagnostics: [boilerplate]},
      });
      const fix = actions.find((a) => a.title === 'Remove this boilerplate line');
      assert.ok(fix, 'the quick fix is offered');
      assert.deepEqual(fix.diagnostics, [boilerplate]);
    });
  });
});

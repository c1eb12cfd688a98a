/**
 * The server's analysis pool, in process: a summary-only task (the workspace index's) brings back the same
 * summary as the engine on this thread and no annotations, and a task for an open document goes before the index's
 * queued ones.
 */
import assert from 'node:assert/strict';
import {AnalysisPool} from '../server/src/lsp/analysis-pool.js';
import {annotate} from '../server/src/engine/index.js';
import {contentHash, summarize} from '../server/src/engine/corpus/index.js';
import {SHARED_SAMPLES, readText, textFiles} from './helpers.js';

describe('analysis pool', function () {
  this.timeout(60000);
  const samples = textFiles(SHARED_SAMPLES).map(readText);

  it('a summary-only task returns the summary the engine makes on this thread, and no annotations', async () => {
    const pool = new AnalysisPool({size: 1});
    try {
      for (const text of samples.slice(0, 2)) {
        const hash = contentHash(text);
        const task = pool.run({text, options: {}, uri: 'file:///s.txt', version: 0, summary: false, summaryOnly: true, hash});
        const result = await task.result;
        assert.deepEqual(result.annotations, {boilerplate: [], quotes: [], entities: []});
        assert.deepEqual(result.messages, []);
        const summary = await task.summary;
        assert.ok(summary && summary.entities.length > 10, 'a summary with the names of a news story');
        assert.deepEqual(JSON.parse(JSON.stringify(summary)), JSON.parse(JSON.stringify(summarize(text, annotate(text, {}), hash))));
      }
      assert.equal(pool.started, 1);
    } finally {
      await pool.dispose();
    }
  });

  it('an open document goes before the queued summaries of the workspace index', async () => {
    const pool = new AnalysisPool({size: 1});
    try {
      const background = (i: number) => pool.run({text: samples[i % samples.length]!, options: {}, uri: `file:///b${i}.txt`, version: 0, summary: false, summaryOnly: true});
      const first = background(0);
      const queued = [1, 2, 3].map(background);
      const open = pool.run({text: samples[4]!, options: {}, uri: 'file:///open.txt', version: 1, summary: false});
      assert.equal(first.state, 'running');
      const result = await open.result;
      assert.ok(result.annotations.boilerplate.length > 0, 'the open document was analysed in full');
      assert.ok(await first.summary);
      for (const t of queued) assert.ok(await t.summary);
      // The worker took them in this order: the task that was running, the one summary posted behind it (so that
      // the worker goes on without waiting for the server's thread), the open document, then the other two (in order
      // of arrival the open document would have come last).
      const began = (t: object) => (t as {startedAt: number}).startedAt;
      const order = [first, queued[0]!, open, queued[1]!, queued[2]!].map(began);
      assert.deepEqual([...order].sort((x, y) => x - y), order);
    } finally {
      await pool.dispose();
    }
  });

  it('a summary posted behind a worker\'s task goes to another worker when that one dies, and one worker serves the index', async () => {
    const pool = new AnalysisPool({size: 2});
    try {
      const background = (i: number) => pool.run({text: samples[i % samples.length]!, options: {}, uri: `file:///b${i}.txt`, version: 0, summary: false, summaryOnly: true});
      const tasks = [0, 1].map(background);
      // Two summaries at once: the second is posted behind the first instead of starting a second worker.
      assert.equal(pool.size, 2);
      assert.equal((pool as unknown as {slots: unknown[]}).slots.length, 1);
      for (const t of tasks) assert.ok(await t.summary);
      // The worker dies while making one summary with another posted behind it: that one is made by a new worker.
      const a = background(2);
      const b = background(3);
      const slot = (pool as unknown as {slots: Array<{worker: {terminate(): Promise<number>}}>}).slots[0]!;
      await slot.worker.terminate();
      assert.equal(await a.summary, null, 'the summary being made is lost with its worker');
      assert.ok(await b.summary, 'the one posted behind it is made elsewhere');
    } finally {
      await pool.dispose();
    }
  });

  it('trim stops idle workers only', async () => {
    const pool = new AnalysisPool({size: 2});
    try {
      const a = pool.run({text: samples[0]!, options: {}, uri: 'file:///a.txt', version: 0, summary: false, summaryOnly: true});
      await a.summary;
      const b = pool.run({text: samples[1]!.repeat(20), options: {}, uri: 'file:///b.txt', version: 0, summary: false});
      pool.trim();
      // The busy worker stays and finishes its task.
      assert.ok((await b.result).annotations.entities.length > 0);
    } finally {
      await pool.dispose();
    }
  });
});

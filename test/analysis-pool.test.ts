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
      // It ran right after the task that was running: none of the index's queued summaries has been made (in
      // order of arrival all three would be done), the last two are still waiting.
      assert.deepEqual(queued.map((t) => t.state).slice(1), ['queued', 'queued']);
      assert.notEqual(queued[0]!.state, 'done');
      assert.ok(await first.summary);
      for (const t of queued) assert.ok(await t.summary);
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

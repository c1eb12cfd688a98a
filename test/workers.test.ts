/**
 * Worker threads for `sift annotate DIR` / `sift clean DIR` (server/src/cli/workers.ts): the same bytes out as one
 * thread, in the same order; errors in a worker reach the caller.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {annotate, type AnnotateOptions} from '../server/src/engine/index.js';
import {defaultJobs, mapInOrder, Pool} from '../server/src/cli/workers.js';
import {OWN_SAMPLES, readText, runCli, SHARED_SAMPLES, textFiles} from './helpers.js';

describe('cli worker threads', () => {
  let tmp: string;
  before(() => {
    // Two sites of eight files each: the seed and own samples, copied under different names.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-workers-'));
    for (const [site, dir] of [['a', SHARED_SAMPLES], ['b', OWN_SAMPLES]] as const) {
      fs.mkdirSync(path.join(tmp, site));
      for (let copy = 0; copy < 3; copy++) for (const file of textFiles(dir)) fs.copyFileSync(file, path.join(tmp, site, `${copy}-${path.basename(file)}`));
    }
  });
  after(() => fs.rmSync(tmp, {recursive: true, force: true}));

  for (const format of ['text', 'json']) {
    it(`annotate DIR --format ${format} prints the same bytes with 1, 2 and 3 workers`, () => {
      const runs = [1, 2, 3].map((jobs) => runCli(['annotate', '--format', format, '--jobs', String(jobs), tmp]));
      for (const run of runs) assert.equal(run.status, 0, run.stderr);
      assert.ok(runs[0]!.stdout.length > 10000);
      assert.equal(runs[1]!.stdout, runs[0]!.stdout);
      assert.equal(runs[2]!.stdout, runs[0]!.stdout);
    });
  }

  it('clean --out writes the same files with 1 and 2 workers', () => {
    const outs = [1, 2].map((jobs) => {
      const out = path.join(tmp, `..`, `${path.basename(tmp)}-out${jobs}`);
      const run = runCli(['clean', '--jobs', String(jobs), '--out', out, tmp]);
      assert.equal(run.status, 0, run.stderr);
      return out;
    });
    const files = (dir: string) => fs.readdirSync(dir, {recursive: true}).map(String).sort();
    assert.deepEqual(files(outs[1]!), files(outs[0]!));
    assert.ok(files(outs[0]!).length >= 20);
    for (const file of files(outs[0]!)) {
      const a = path.join(outs[0]!, file);
      if (fs.statSync(a).isFile()) assert.ok(fs.readFileSync(a).equals(fs.readFileSync(path.join(outs[1]!, file))), file);
    }
    for (const out of outs) fs.rmSync(out, {recursive: true, force: true});
  });

  it('--jobs takes a whole number', () => {
    const run = runCli(['annotate', '--jobs', '0', tmp]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--jobs must be a whole number/);
  });

  it('a pool of workers returns what the engine returns, and passes errors back', async () => {
    const pool = new Pool(2);
    try {
      const texts = textFiles(SHARED_SAMPLES).map(readText);
      const results = await Promise.all(texts.map((text, i) => pool.run({path: `t${i}`, text, options: {}, output: 'annotations'})));
      for (const [i, text] of texts.entries()) assert.deepEqual(results[i]!.annotations, annotate(text));
      const bad = {boilerplate: {keep: 5}} as unknown as AnnotateOptions;
      await assert.rejects(pool.run({path: 'x', text: 'Hello.', options: bad, output: 'json'}), /keep/);
      // The pool still works after a failed task.
      const out = (await pool.run({path: 'y', text: texts[0]!, options: {}, output: 'json'})).out!;
      assert.ok(Buffer.from(out).toString('utf8').startsWith('{"file":"y"'));
    } finally {
      await pool.close();
    }
  });

  it('mapInOrder emits in input order whatever order the work finishes in', async () => {
    const items = [50, 5, 30, 0, 20, 10, 40, 1];
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await mapInOrder(
      items,
      3,
      async (delay) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, delay));
        inFlight--;
        return delay;
      },
      (result) => {
        seen.push(result);
      },
    );
    assert.deepEqual(seen, items);
    assert.equal(most, 3);
  });

  it('works inline for small jobs and on every core for large ones', () => {
    assert.equal(defaultJobs(5, 20000), 1);
    assert.equal(defaultJobs(10000, 40e6), os.availableParallelism());
  });
});

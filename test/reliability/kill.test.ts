/**
 * Crash tests of `sift clean --in-place`: the process is killed (SIGKILL, no chance to clean up) at every stage of
 * an atomic write, and at random moments of a run over a folder. Afterwards every file holds either its old bytes or
 * its new bytes (the old ones minus the flagged lines), never a mix, a truncation or nothing; at most a hidden
 * temporary file is left beside it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawn} from 'node:child_process';
import fc from 'fast-check';
import {CLI, SHARED_SAMPLES, OWN_SAMPLES, textFiles} from '../helpers.js';
import {isWellFormed, mutatedRealText} from './arbitraries.js';
import {countBytes, countFaults, measure, runs} from './figures.js';
import {runCliWith} from './cli-helpers.js';

/** A temporary file of an interrupted atomic write. */
const TEMP = /^\.(.+)\.sift-\d+-[0-9a-z]+\.tmp$/;

/**
 * Run `sift clean --in-place DIR`, killing it with SIGKILL after `delay` ms (or letting it finish).
 * @param dir Folder.
 * @param delay Milliseconds, or undefined.
 * @param env Environment additions.
 * @returns How it ended.
 */
function runKilled(dir: string, delay: number | undefined, env: Record<string, string> = {}): Promise<{code: number | null; signal: NodeJS.Signals | null; ms: number}> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'clean', '--in-place', dir], {stdio: 'ignore', env: {...process.env, ...env}});
  const timer = delay === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delay);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal, ms: Date.now() - started});
    });
  });
}

/**
 * Check that every file of `dir` is its old or its new version; count what each is.
 * @param dir Folder after the run.
 * @param old Original bytes by name.
 * @param cleaned Cleaned bytes by name.
 * @returns Counts of files in each state and temporary files left.
 */
function checkEachFile(dir: string, old: ReadonlyMap<string, Buffer>, cleaned: ReadonlyMap<string, Buffer>): {old: number; new: number; temps: number} {
  const counts = {old: 0, new: 0, temps: 0};
  const present = fs.readdirSync(dir);
  for (const name of present) {
    const temp = TEMP.exec(name);
    if (temp) {
      assert.ok(old.has(temp[1]!), `a temporary file of a known file: ${name}`);
      counts.temps++;
      continue;
    }
    assert.ok(old.has(name), `unexpected file ${name}`);
  }
  for (const [name, before] of old) {
    assert.ok(present.includes(name), `${name} still exists`);
    const now = fs.readFileSync(path.join(dir, name));
    const after = cleaned.get(name)!;
    const isOld = now.equals(before);
    const isNew = now.equals(after);
    countBytes(before.length, isOld || isNew ? 0 : before.length);
    assert.ok(isOld || isNew, `${name} is neither its old (${before.length} B) nor its new (${after.length} B) version but ${now.length} B`);
    if (isNew && !before.equals(after)) counts.new++;
    else counts.old++;
  }
  return counts;
}

describe('reliability: killing `sift clean --in-place` at any moment', function () {
  this.timeout(300000);
  let tmp: string;
  let fixture: string;
  const old = new Map<string, Buffer>();
  const cleaned = new Map<string, Buffer>();

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-rel-kill-'));
    fixture = path.join(tmp, 'fixture');
    fs.mkdirSync(fixture);
    // The samples, and mutated windows of the dev sets: 80 files of 2-12 KB with boilerplate in most of them.
    const samples = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map((f) => fs.readFileSync(f));
    samples.forEach((bytes, i) => fs.writeFileSync(path.join(fixture, `s${i}.txt`), bytes));
    const texts = fc.sample(mutatedRealText(12000).map((t) => t.replace(/\u0000/g, '')).filter((t) => t.trim().length > 2000 && isWellFormed(t)), {numRuns: 72, seed: 42});
    texts.forEach((text, i) => fs.writeFileSync(path.join(fixture, `m${String(i).padStart(2, '0')}.txt`), `Sign up for our newsletter\n${text}\nShare this article\n`));
    for (const name of fs.readdirSync(fixture)) old.set(name, fs.readFileSync(path.join(fixture, name)));
    const out = path.join(tmp, 'expected');
    const run = runCliWith(['clean', fixture, '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    for (const name of old.keys()) cleaned.set(name, fs.readFileSync(path.join(out, name)));
    assert.ok([...old].filter(([n, b]) => !b.equals(cleaned.get(n)!)).length >= 60, 'most files have lines to remove');
  });
  after(() => fs.rmSync(tmp, {recursive: true, force: true}));

  /**
   * A fresh copy of the fixture.
   * @param name Folder name.
   * @returns Its path.
   */
  const copy = (name: string): string => {
    const dir = path.join(tmp, name);
    fs.rmSync(dir, {recursive: true, force: true});
    fs.cpSync(fixture, dir, {recursive: true});
    return dir;
  };

  for (const stage of ['write:open', 'write:half', 'write:sync', 'write:rename', 'write:renamed']) {
    it(`killed at ${stage} of the 5th file: old or new, file by file`, async () => {
      const dir = copy(stage.replace(':', '-'));
      const result = await runKilled(dir, undefined, {SIFT_FAULT: `${stage}=kill#5`});
      assert.equal(result.signal, 'SIGKILL', 'the process was killed');
      countFaults(`kill: at ${stage}`);
      const counts = checkEachFile(dir, old, cleaned);
      // Files are written in order: 4 done before the kill, the 5th done only once renamed.
      assert.equal(counts.new, stage === 'write:renamed' ? 5 : 4, JSON.stringify(counts));
      assert.equal(counts.temps, ['write:half', 'write:sync', 'write:rename'].includes(stage) ? 1 : 0, 'a temporary file only when killed while writing it');
    });
  }

  it('killed at random moments of a run: every file old or new', async () => {
    const full = await runKilled(copy('full'), undefined);
    assert.equal(full.code, 0);
    checkEachFile(path.join(tmp, 'full'), new Map([...old].map(([n]) => [n, cleaned.get(n)!])), cleaned);
    measure('kill: uninterrupted run (ms)', full.ms);
    const trials = runs(6);
    const landed: string[] = [];
    let midRun = 0;
    let midWrite = 0;
    for (let t = 0; t < trials; t++) {
      const dir = copy(`random-${t}`);
      // Spread the kills over the whole run, from start-up to the last rename.
      const delay = Math.round(((t + Math.random()) / trials) * full.ms * 0.9);
      const result = await runKilled(dir, delay);
      countFaults('kill: at a random moment');
      const counts = checkEachFile(dir, old, cleaned);
      landed.push(`${delay} ms → ${result.signal ?? `exit ${result.code}`}, ${counts.new} new, ${counts.old} old, ${counts.temps} temp`);
      if (result.signal === 'SIGKILL' && counts.new > 0 && counts.old > 0) midRun++;
      if (counts.temps > 0) midWrite++;
      fs.rmSync(dir, {recursive: true, force: true});
    }
    measure('kill: random trials', landed.join('; '));
    measure('kill: random kills landing mid-run (some files done, some not)', midRun);
    measure('kill: random kills landing mid-write (a temporary file left)', midWrite);
  });
});

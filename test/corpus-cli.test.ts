/**
 * `sift report` on the seed samples, and the streaming contract of `sift annotate --jsonl` on a large input, run
 * the way an engine that pipes records through a command runs it (Spark's `RDD.pipe`, Hadoop Streaming): the
 * input split into partitions, each piped through its own process, the outputs concatenated.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {CLI, OWN_SAMPLES, readText, runCli, SHARED_SAMPLES, textFiles} from './helpers.js';

describe('sift report', () => {
  it('prints the cross-source summary of the seed samples', () => {
    const run = runCli(['report', SHARED_SAMPLES]);
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /^Sift report: 5 files, 1 story, \d+ quotations, 3 quotations carried by several sources$/m);
    const stories = out.slice(out.indexOf('\nStories\n'), out.indexOf('\nSpeakers'));
    assert.match(stories, /1\. 5 files; they all name Turkey/);
    for (const file of textFiles(SHARED_SAMPLES)) assert.ok(stories.includes(file), file);
    assert.match(stories, /near-duplicates: 000 and 001 \(\d+% of word triples shared\)/);
    const speakers = out.slice(out.indexOf('\nSpeakers'), out.indexOf('\nQuotations carried'));
    assert.match(speakers, /^ {2}Ibrahim Kalin +3 +3 +\. +[1-9] +\. +\d+$/m);
    const shared = out.slice(out.indexOf('\nQuotations carried'), out.indexOf('\nMost named\n'));
    assert.match(shared, /Ibrahim Kalin, 2 sources: “The United States has so far said/);
    assert.match(shared, /Ibrahim Kalin, 2 sources: “When we read the strategic picture/);
    assert.match(shared, /001_e435fe5c5230a50a\.txt:24:2 {2}1 word fewer/);
    assert.match(out, /\nMost named\n {2}Turkey \(LOC\): \d+ mentions in 5 files\n/);
  });

  it('--format json: stories, speakers, shared quotations and most named entities, per source', () => {
    const run = runCli(['report', SHARED_SAMPLES, OWN_SAMPLES, '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.files.length, 8);
    assert.equal(report.stories.length, 1, 'the own samples are not grouped with the seed story, nor with each other');
    assert.deepEqual(report.stories[0].files, textFiles(SHARED_SAMPLES));
    assert.equal(report.speakers[0].speaker, 'Ibrahim Kalin');
    const kalin = report.sharedQuotations.filter((q: {speaker: string}) => q.speaker === 'Ibrahim Kalin');
    assert.equal(kalin.length, 3);
    assert.ok(kalin.every((q: {sources: Array<{file: string}>}) => q.sources.map((s) => path.basename(s.file).slice(0, 3)).join() === '000,001'));
    assert.ok(report.topNamesBySource[textFiles(OWN_SAMPLES)[1]!].some((n: {name: string}) => n.name === 'Tomas Brenner'));
  });
});

/**
 * Run `sift annotate --jsonl` on some input lines.
 * @param lines Input lines.
 * @returns Output lines and the exit code.
 */
function pipe(lines: readonly string[]): Promise<{out: string[]; code: number | null}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'annotate', '--jsonl'], {stdio: ['pipe', 'pipe', 'inherit']});
    const out: string[] = [];
    readline.createInterface({input: child.stdout!}).on('line', (line) => out.push(line));
    child.on('error', reject);
    child.on('close', (code) => resolve({out, code}));
    child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('sift annotate --jsonl: the streaming contract at scale', function () {
  this.timeout(120000);
  // By default about 0.6 MB: 2,000 short records, the seed and own samples, and one record of 300 KB made of them.
  // SIFT_STREAM_SCALE=N multiplies both (N=20: 40,000 records and a 6 MB record) for a run at scale.
  const scale = Math.max(1, Number(process.env['SIFT_STREAM_SCALE'] ?? 1) || 1);
  const samples = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText);
  const big = Array.from({length: Math.ceil((300_000 * scale) / samples.join('\n').length)}, () => samples.join('\n\n')).join('\n\n');
  const records: string[] = [];
  for (let i = 0; i < 2000 * scale; i++) records.push(JSON.stringify({id: `r${i}`, text: `“We will keep the port open,” said Mayor Ilse Varga on day ${i}.`}));
  samples.forEach((text, i) => records.splice(200 * scale * (i + 1), 0, JSON.stringify({id: `sample${i}`, text})));
  records.splice(1000 * scale, 0, JSON.stringify({id: 'big', text: big}));

  it('answers every record, in order, and gives the same results when the input is split into partitions', async () => {
    const whole = await pipe(records);
    assert.equal(whole.code, 0);
    assert.equal(whole.out.length, records.length);
    const parsed = whole.out.map((l) => JSON.parse(l) as {id: string; quotes: unknown[]});
    assert.deepEqual(
      parsed.map((r) => r.id),
      records.map((l) => (JSON.parse(l) as {id: string}).id),
    );
    assert.ok(parsed.find((r) => r.id === 'big')!.quotes.length > 20 * scale, 'the large record is annotated in full');
    // RDD.pipe / Hadoop Streaming: each partition through its own process, outputs concatenated in order.
    const partitions = [0, 1, 2, 3].map((p) => records.slice(Math.floor((p * records.length) / 4), Math.floor(((p + 1) * records.length) / 4)));
    const outputs = await Promise.all(partitions.map((part) => pipe(part)));
    assert.ok(outputs.every((o) => o.code === 0));
    assert.deepEqual(
      outputs.flatMap((o) => o.out),
      whole.out,
    );
  });

  it('answers each line as it arrives (no buffering until the end of the input)', async () => {
    const child = spawn(process.execPath, [CLI, 'annotate', '--jsonl'], {stdio: ['pipe', 'pipe', 'inherit']});
    const lines = readline.createInterface({input: child.stdout!})[Symbol.asyncIterator]();
    try {
      for (let i = 0; i < 3; i++) {
        child.stdin!.write(`${JSON.stringify({id: `live${i}`, text: `“Line ${i},” Varga said.`})}\n`);
        const next = await lines.next();
        assert.equal((JSON.parse(next.value as string) as {id: string}).id, `live${i}`, 'the answer came before the next line was written');
      }
    } finally {
      child.stdin!.end();
      await new Promise((resolve) => child.on('close', resolve));
    }
  });
});

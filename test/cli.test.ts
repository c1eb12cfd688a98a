/**
 * The `sift` command, run as a process from the esbuild bundle (dist/cli.js).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {OWN_SAMPLES, runCli, SHARED_SAMPLES, readText, textFiles} from './helpers.js';

describe('cli', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('annotate prints file:line:col kind message', () => {
    const run = runCli(['annotate', path.join(OWN_SAMPLES, 'harbour-strike.txt')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /harbour-strike\.txt:31:1 boilerplate promotion: newsletter or subscription prompt/);
    assert.match(run.stdout, /harbour-strike\.txt:15:2 quote direct Tomas Brenner \[said\]: "Nobody asked us/);
    assert.match(run.stdout, /entity PER Marguerite Okafor \(as "Okafor"\)/);
  });

  it('annotate a directory, as JSON', () => {
    const run = runCli(['annotate', '--format', 'json', SHARED_SAMPLES]);
    assert.equal(run.status, 0, run.stderr);
    const records = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records.length, 5);
    assert.ok(records.every((r) => Array.isArray(r.boilerplate) && Array.isArray(r.quotes) && Array.isArray(r.entities)));
  });

  it('annotate --jsonl follows the evaluation contract', () => {
    const texts = textFiles(SHARED_SAMPLES).map((f) => readText(f));
    const input = `${texts.map((text, i) => JSON.stringify({id: `doc${i}`, text})).join('\n')}\n`;
    const run = runCli(['annotate', '--jsonl'], input);
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.id), texts.map((_, i) => `doc${i}`));
    for (const [i, o] of out.entries()) {
      const text = texts[i]!;
      for (const e of o.entities) assert.equal(text.slice(e.start, e.end), e.text);
      for (const q of o.quotes) assert.ok(q.start >= 0 && q.end <= text.length && q.start < q.end);
      for (const b of o.boilerplate) assert.ok(Number.isInteger(b.line));
      // Quote offsets exclude the marks.
      for (const q of o.quotes.filter((x: {direct: boolean}) => x.direct)) assert.ok(!/^["“”]/.test(text.slice(q.start, q.end)));
    }
    const only = runCli(['annotate', '--jsonl', '--only', 'entities'], input);
    const first = JSON.parse(only.stdout.split('\n')[0]!);
    assert.deepEqual([first.boilerplate, first.quotes], [[], []]);
    assert.ok(first.entities.length > 10);
  });

  it('annotate --jsonl answers bad lines in place and exits 1', () => {
    const run = runCli(['annotate', '--jsonl'], '{"id":"a","text":"Hello."}\nnot json\n{"id":"c","text":""}\n');
    assert.equal(run.status, 1);
    const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.id), ['a', null, 'c']);
    assert.match(run.stderr, /stdin line 2/);
  });

  it('annotate --jsonl streams a large input completely', () => {
    const text = readText(textFiles(SHARED_SAMPLES)[2]!);
    const input = Array.from({length: 300}, (_, i) => JSON.stringify({id: String(i), text})).join('\n');
    const run = runCli(['annotate', '--jsonl', '--only', 'boilerplate'], input);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 300);
  });

  it('clean --out writes copies without the flagged lines, keeping everything else', () => {
    const out = path.join(tmp, 'out');
    const run = runCli(['clean', OWN_SAMPLES, '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    const original = fs.readFileSync(path.join(OWN_SAMPLES, 'crlf-clinic.txt'));
    const cleaned = fs.readFileSync(path.join(out, 'crlf-clinic.txt'));
    assert.equal(cleaned.subarray(0, 3).toString('hex'), 'efbbbf', 'BOM kept');
    const lines = original.toString('utf8').split('\r\n');
    const kept = cleaned.toString('utf8').split('\r\n');
    assert.equal(kept.length, lines.length - 3, 'three lines removed');
    assert.ok(kept.every((l) => lines.includes(l)), 'every kept line is byte for byte an original line');
    assert.ok(!cleaned.toString('utf8').replace(/\r\n/g, '').includes('\n'), 'CRLF kept');
  });

  it('clean --in-place rewrites atomically and keeps the mode', () => {
    const file = path.join(tmp, 'a.txt');
    fs.copyFileSync(path.join(OWN_SAMPLES, 'library-reopens.txt'), file);
    fs.chmodSync(file, 0o640);
    const run = runCli(['clean', '--in-place', file]);
    assert.equal(run.status, 0, run.stderr);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes('Share this article'));
    assert.ok(text.includes('The old city library in Kestrel Falls reopened on Saturday'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(tmp), ['a.txt'], 'no temporary file left');
  });

  it('skips empty, binary and invalid UTF-8 files with a clear message and exit 1', () => {
    fs.writeFileSync(path.join(tmp, 'empty.txt'), '');
    fs.writeFileSync(path.join(tmp, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    fs.writeFileSync(path.join(tmp, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    fs.writeFileSync(path.join(tmp, 'ok.txt'), 'Top Stories\nA line of text that is a sentence.\n');
    const before = fs.readdirSync(tmp).map((f) => fs.readFileSync(path.join(tmp, f)).toString('hex'));
    const run = runCli(['clean', '--in-place', tmp]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /empty\.txt: is empty; skipped/);
    assert.match(run.stderr, /binary\.txt: looks binary \(it contains NUL bytes\); skipped/);
    assert.match(run.stderr, /latin1\.txt: is not valid UTF-8; skipped/);
    const after = fs.readdirSync(tmp).map((f) => fs.readFileSync(path.join(tmp, f)).toString('hex'));
    assert.deepEqual(after.slice(0, 3), before.slice(0, 3), 'skipped files untouched');
  });

  it('usage errors exit 2 with the usage text', () => {
    for (const args of [['frobnicate'], ['clean', 'x.txt'], ['annotate'], ['annotate', '--only', 'nonsense', 'x.txt'], ['annotate', '--bogus', 'x']]) {
      const run = runCli(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /Usage:/);
    }
  });

  it('a missing file is reported and the exit code is 1', () => {
    const run = runCli(['annotate', path.join(tmp, 'nope.txt')]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /nope\.txt: no such file or directory/);
  });
});

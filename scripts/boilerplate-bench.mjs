#!/usr/bin/env node
// Throughput of the boilerplate analyser, in process, on the dev texts (../shared/data/boilerplate/dev.jsonl):
// features + both model stages + explanations, as `detectBoilerplate` runs them; and, for comparison, the whole
// boilerplate plugin inside the engine (`annotate(text, {only: ['boilerplate']})`, which includes retext's
// parse). Run `npx tsc -b` first.
//
//   node scripts/boilerplate-bench.mjs [--rounds 5]
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {ROOT, DATA, readJsonl} from './boilerplate-data.mjs';

const args = process.argv.slice(2);
const i = args.indexOf('--rounds');
const rounds = i >= 0 ? Number(args[i + 1]) : 5;
const base = path.join(ROOT, 'out', 'server', 'src', 'engine');
const bp = await import(pathToFileURL(path.join(base, 'boilerplate', 'index.js')).href);
const {splitLines} = await import(pathToFileURL(path.join(base, 'lines.js')).href);
const {annotate} = await import(pathToFileURL(path.join(base, 'index.js')).href);
const texts = readJsonl(path.join(DATA, 'dev.jsonl')).map((r) => r.text);
const chars = texts.reduce((a, t) => a + t.length, 0);
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);

/** Time `fn` over all texts, `rounds` times after one warm-up round; report the median. */
function time(label, fn) {
  for (const t of texts) fn(t);
  const runs = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const t of texts) fn(t);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  runs.sort((a, b) => a - b);
  const s = runs[Math.floor(runs.length / 2)];
  console.log(`${label}: ${(bytes / s / 1e6).toFixed(2)} MB/s (${(chars / s / 1e6).toFixed(2)} M chars/s; median of ${rounds} rounds, ${s.toFixed(3)} s per round of ${texts.length} pages, ${(bytes / 1e6).toFixed(2)} MB)`);
}

const t0 = process.hrtime.bigint();
bp.detectBoilerplate('warm up\nthe model loader', splitLines('warm up\nthe model loader'));
console.log(`model load + first call: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
time('boilerplate analyser (detectBoilerplate)', (t) => bp.detectBoilerplate(t, splitLines(t)));
time('engine, only boilerplate (retext parse + plugin)', (t) => annotate(t, {only: ['boilerplate']}));

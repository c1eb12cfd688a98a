#!/usr/bin/env node
// Where the language server's worker threshold comes from (`SIFT_WORKER_MIN_CHARS`, server/src/lsp/server.ts): for
// news texts of growing size, the engine on the calling thread (what a document below the threshold costs the
// server's thread) against the same text through a warm analysis worker (what a worker adds: posting the text,
// bringing the results back). Medians of 6 texts per size. Expects a build (`npm run build`).
//
//   node bench/worker-overhead.mjs
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {documentOf, newsCorpus, ROOT} from './lib/corpus.mjs';
import {load, printTable} from './lib/util.mjs';

const {analyse} = await import(pathToFileURL(path.join(ROOT, 'out/server/src/engine/index.js')).href);
const {AnalysisPool} = await import(pathToFileURL(path.join(ROOT, 'out/server/src/lsp/analysis-pool.js')).href);
const {docs} = newsCorpus(2_000_000);
const before = load();
const pool = new AnalysisPool({size: 1, script: path.join(ROOT, 'dist/server.js')});
const job = (text) => ({text, options: {}, uri: 'file:///bench.txt', version: 1, summary: false});
let t0 = performance.now();
await pool.run(job('Warm-up.')).result;
const startMs = performance.now() - t0;
// Warm both the worker and this thread.
for (let i = 0; i < 3; i++) {
  await pool.run(job(documentOf(docs, 50_000, i))).result;
  analyse(documentOf(docs, 50_000, i));
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const rows = [];
for (const kb of [4, 8, 16, 32, 64, 128, 256, 1000]) {
  const here = [];
  const extra = [];
  for (let r = 0; r < 6; r++) {
    const text = documentOf(docs, kb * 1000, r * 5 + 1);
    t0 = performance.now();
    analyse(text, {}, 'file:///bench.txt');
    here.push(performance.now() - t0);
    t0 = performance.now();
    const result = await pool.run(job(text)).result;
    extra.push(performance.now() - t0 - result.ms);
  }
  rows.push([`${kb} KB`, Math.round(median(here)), Math.round(median(extra))]);
}
await pool.dispose();
const after = load();
printTable(`Engine on the server's thread vs a warm worker (ms, medians; load ${before.one} → ${after.one})`, ['text', 'engine on the thread', 'added by a worker'], rows);
console.log(`  starting a worker and a first tiny analysis: ${Math.round(startMs)} ms`);

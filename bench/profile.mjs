#!/usr/bin/env node
// Profile the whole engine on about 1 MB of news text, for docs/performance.md:
//
//   node --cpu-prof --cpu-prof-dir=artifacts/profile bench/profile.mjs [--one-file] [--parser retext-english] [--bytes N]
//   node bench/profile-summary.mjs artifacts/profile/*.cpuprofile
//
// By default each news document is annotated on its own (the CLI's and the editor's case); --one-file joins them
// into one document (a concatenated dump), where anything quadratic in the size of a file shows.
import {newsCorpus, documentOf} from './lib/corpus.mjs';
import {optionValue} from './lib/util.mjs';

const argv = process.argv.slice(2);
const valueOf = (flag) => optionValue(argv, flag);
const bytes = Number(valueOf('--bytes') ?? 1_000_000);
const parser = valueOf('--parser') ?? 'sift';
const {annotate} = await import(new URL('../out/server/src/engine/index.js', import.meta.url).href);
const {docs} = newsCorpus(argv.includes('--one-file') ? 2 * bytes : bytes);
const inputs = argv.includes('--one-file') ? [documentOf(docs, bytes)] : docs;
// Warm up on a little text so that the profile shows the steady state rather than compilation.
for (const doc of docs.slice(0, 10)) annotate(doc.slice(0, 20000), {parser});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const text of inputs) annotate(text, {parser});
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const mb = inputs.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
process.stderr.write(`${inputs.length} document(s), ${mb.toFixed(3)} MB, parser ${parser}: ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu\n`);

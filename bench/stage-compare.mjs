#!/usr/bin/env node
// Before and after for three steps of the engine on their own, in one process, runs interleaved: parse.ts's
// `parseText`, the entity analyser's `findEntities` (text in, linked entities and measures out) and the quote
// analyser's `findQuotes` (on contexts prepared once by this checkout's engine: lines, boilerplate, entities), of
// another checkout (built with `npx tsc -b`) and of this one. `--only parseText,findEntities` picks steps.
//
//   node bench/stage-compare.mjs --against ../other-checkout [--rounds 15] [--bytes 1000000] [--only STEP,...]
//
// Prints CPU time of the first pass (cold), then per pass over the text (min and median) and MB/s, and how many
// documents get a different tree, entities or quotations (must be 0).
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {newsCorpus} from './lib/corpus.mjs';
import {load, optionValue, percentile, printTable, round} from './lib/util.mjs';

const argv = process.argv.slice(2);
const valueOf = (flag) => optionValue(argv, flag);
const against = valueOf('--against');
if (!against) throw new Error('usage: node bench/stage-compare.mjs --against CHECKOUT [--rounds N] [--bytes N] [--only parseText,findEntities,findQuotes]');
const rounds = Number(valueOf('--rounds') ?? 15);
const engineOf = (root) => pathToFileURL(path.resolve(root, 'out/server/src/engine/')).href + '/';
const here = new URL('../out/server/src/engine/', import.meta.url).href;
const there = engineOf(against);
const [parseA, parseB, entitiesA, entitiesB, quotesA, quotesB, engine] = await Promise.all([
  import(`${there}parse.js`),
  import(`${here}parse.js`),
  import(`${there}entities/index.js`),
  import(`${here}entities/index.js`),
  import(`${there}quotes/index.js`),
  import(`${here}quotes/index.js`),
  import(`${here}index.js`),
]);
const {docs, source} = newsCorpus(Number(valueOf('--bytes') ?? 1_000_000));
const mb = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / 1e6;
// The contexts (which hold the trees) are made after the parse is timed, so that they do not weigh on its garbage
// collection.
const contexts = () => docs.map((d) => engine.analyse(d, {only: ['boilerplate', 'entities']}).data.sift);

const steps = [
  ['parseText', parseA.parseText, parseB.parseText, () => docs],
  ['findEntities', entitiesA.findEntities, entitiesB.findEntities, () => docs],
  ['findQuotes', quotesA.findQuotes, quotesB.findQuotes, contexts],
].filter(([name]) => !valueOf('--only') || valueOf('--only').split(',').includes(name));
const rows = [];
const before = load();
for (const [name, a, b, inputsOf] of steps) {
  const inputs = inputsOf();
  // The first pass of each (caches empty, code not optimised yet, the entity model loaded on first use) is timed
  // apart: it is what one CLI run over new text pays once. The other checkout's runs first: packages both share
  // (parse-english) warm up in its pass, so compare this column only for steps without shared packages.
  const outputs = [];
  const cold = [];
  for (const fn of [a, b]) {
    const c0 = process.cpuUsage();
    outputs.push(inputs.map((x) => fn(x)));
    const c = process.cpuUsage(c0);
    cold.push((c.user + c.system) / 1000);
  }
  let differ = 0;
  for (const [k, out] of outputs[0].entries()) if (JSON.stringify(out) !== JSON.stringify(outputs[1][k])) differ++;
  const cpu = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (const [k, fn] of [a, b].entries()) {
      const c0 = process.cpuUsage();
      for (const x of inputs) fn(x);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  for (const [k, label] of ['before (other checkout)', 'after (this checkout)'].entries()) {
    const min = Math.min(...cpu[k]);
    const median = percentile(cpu[k], 50);
    rows.push([name, label, round(cold[k]), round(min), round(median), round(mb / (min / 1000), 1), round(mb / (median / 1000), 1), k === 1 ? `${differ} of ${inputs.length}` : '']);
  }
}
const after = load();
printTable(
  `Steps before/after: ${docs.length} documents, ${round(mb, 3)} MB (${source}); ${rounds} interleaved rounds; load ${before.one} → ${after.one}`,
  ['step', 'engine', 'first pass cpu ms', 'cpu ms min', 'cpu ms median', 'MB/s (min)', 'MB/s (median)', 'outputs differ'],
  rows,
);

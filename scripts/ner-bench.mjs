#!/usr/bin/env node
// Measure the entity tagger in-process on the CoNLL dev documents (the text the evaluation harness sends):
// model load time, tagging speed (tokens/s, single-threaded) of the tagger alone and of the whole entity analysis
// (names + linking + measures), next to compromise's entity extraction on the same text in the same run.
//
//   node scripts/ner-bench.mjs [--data ../shared/data/ner/dev.conll] [--rounds 7]
//
// Tokens are Sift's own tokens (scripts/../server/src/engine/entities/tokenize.ts). Each figure is the best and the
// median of --rounds passes over all documents (after one untimed pass that fills the per-word-type caches); both
// wall-clock and CPU time (process.cpuUsage) are given, since other processes on a shared machine slow the wall
// clock.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {execFileSync} from 'node:child_process';
import {loadavg} from 'node:os';

const root = new URL('../', import.meta.url);
const argv = process.argv.slice(2);
const arg = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const data = arg('data', fileURLToPath(new URL('../shared/data/ner/dev.conll', root)));
const rounds = Number(arg('rounds', 7));

// Load time in a fresh process: import the engine module and load the model.
const loadScript = `
const t0 = performance.now();
const M = await import(${JSON.stringify(new URL('out/server/src/engine/entities/model.js', root).href)});
const t1 = performance.now();
const c1 = process.cpuUsage();
M.nerModel();
const t2 = performance.now();
const c2 = process.cpuUsage(c1);
console.log(JSON.stringify({importMs: t1 - t0, loadMs: t2 - t1, loadCpuMs: (c2.user + c2.system) / 1000}));`;
const loads = [];
for (let i = 0; i < 5; i++) loads.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', loadScript], {encoding: 'utf8'})));
const loadMs = Math.min(...loads.map((l) => l.loadMs));

const {readConll, docText} = await import(new URL('../shared/eval/conlleval.mjs', root));
const texts = readConll(data).map((doc) => docText(doc).text);
const E = await import(new URL('out/server/src/engine/entities/index.js', root));
const {tokenize} = await import(new URL('out/server/src/engine/entities/tokenize.js', root));
let tokens = 0;
for (const t of texts) tokens += tokenize(t).n;
const nlp = (await import('compromise')).default;

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(name, fn, times = rounds) {
  const walls = [];
  const cpus = [];
  let found = 0;
  for (let r = 0; r < times; r++) {
    const w0 = performance.now();
    const c0 = cpu();
    found = 0;
    for (const t of texts) found += fn(t);
    cpus.push(cpu() - c0);
    walls.push(performance.now() - w0);
  }
  const rate = (ms) => Math.round(tokens / (ms / 1000));
  const row = {name, tokensPerSecondWall: rate(Math.min(...walls)), tokensPerSecondCpu: rate(Math.min(...cpus)), tokensPerSecondWallMedian: rate(median(walls)), tokensPerSecondCpuMedian: rate(median(cpus)), found};
  const f = (n) => String(n).padStart(9);
  console.log(`${name.padEnd(44)} best ${f(row.tokensPerSecondCpu)} cpu ${f(row.tokensPerSecondWall)} wall; median ${f(row.tokensPerSecondCpuMedian)} cpu ${f(row.tokensPerSecondWallMedian)} wall tok/s  (${found} entities)`);
  return row;
}

E.tagNames('warm up');
// A first pass fills the per-word-type caches (a long-running server or CLI run has them filled); it is reported
// apart as the cold figure.
const cold0 = cpu();
for (const t of texts) E.findEntities(t);
const coldMs = cpu() - cold0;
console.log(`${texts.length} documents, ${tokens} tokens (Sift's tokeniser), best and median of ${rounds} rounds; load average ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
console.log(`model load: ${loadMs.toFixed(0)} ms wall, ${Math.min(...loads.map((l) => l.loadCpuMs)).toFixed(0)} ms cpu (fresh process, best of 5; median ${median(loads.map((l) => l.loadMs)).toFixed(0)} ms wall; module import ${Math.min(...loads.map((l) => l.importMs)).toFixed(0)} ms)`);
console.log(`${'sift entities, first pass (cold caches)'.padEnd(44)} once ${String(Math.round(tokens / (coldMs / 1000))).padStart(9)} cpu tok/s`);
measure('sift tagger (tokenise + 2 passes)', (t) => E.tagNames(t).length);
measure('sift entities (+ linking + measures)', (t) => E.findEntities(t).length);
// compromise is slow: fewer rounds.
measure('compromise 14 people/places/organizations', (t) => {
  const doc = nlp(t);
  return doc.people().length + doc.places().length + doc.organizations().length;
}, Math.min(rounds, 3));
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);

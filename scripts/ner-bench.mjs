#!/usr/bin/env node
// Measure the entity tagger in-process on the CoNLL dev documents (the text the evaluation harness sends):
// model load time, tagging speed (tokens/s, single-threaded) of the tagger alone and of the whole entity analysis
// (names + linking + measures), next to compromise's entity extraction on the same text in the same run.
//
//   node scripts/ner-bench.mjs [--data ../shared/data/ner/dev.conll] [--rounds 7]
//
// Tokens are Sift's own tokens (scripts/../server/src/engine/entities/tokenize.ts). Each figure is the best of
// --rounds passes over all documents; both wall-clock and CPU time (process.cpuUsage) are given, since other
// processes on a shared machine slow the wall clock.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {execFileSync} from 'node:child_process';

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
M.nerModel();
const t2 = performance.now();
console.log(JSON.stringify({importMs: t1 - t0, loadMs: t2 - t1}));`;
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
function measure(name, fn) {
  let wall = Infinity;
  let cpuBest = Infinity;
  let found = 0;
  for (let r = 0; r < rounds; r++) {
    const w0 = performance.now();
    const c0 = cpu();
    found = 0;
    for (const t of texts) found += fn(t);
    cpuBest = Math.min(cpuBest, cpu() - c0);
    wall = Math.min(wall, performance.now() - w0);
  }
  const row = {name, tokensPerSecondWall: Math.round(tokens / (wall / 1000)), tokensPerSecondCpu: Math.round(tokens / (cpuBest / 1000)), found};
  console.log(`${name.padEnd(44)} ${String(row.tokensPerSecondWall).padStart(9)} tok/s wall ${String(row.tokensPerSecondCpu).padStart(9)} tok/s cpu  (${found} entities)`);
  return row;
}

E.tagNames('warm up');
console.log(`${texts.length} documents, ${tokens} tokens (Sift's tokeniser), best of ${rounds}`);
console.log(`model load: ${loadMs.toFixed(0)} ms (fresh process, best of 5; module import ${Math.min(...loads.map((l) => l.importMs)).toFixed(0)} ms)`);
measure('sift tagger (tokenise + 2 passes)', (t) => E.tagNames(t).length);
measure('sift entities (+ linking + measures)', (t) => E.findEntities(t).length);
measure('compromise 14 people/places/organizations', (t) => {
  const doc = nlp(t);
  return doc.people().length + doc.places().length + doc.organizations().length;
});

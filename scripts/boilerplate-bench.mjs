#!/usr/bin/env node
// Throughput of the boilerplate analyser, in process, on the dev texts (../shared/data/boilerplate/dev.jsonl):
// features + both model stages + explanations, as `detectBoilerplate` runs them; and, for comparison, the whole
// boilerplate plugin inside the engine (`annotate(text, {only: ['boilerplate']})`, which includes retext's
// parse). Run `npx tsc -b` first. The first (cold) round includes V8's warm-up; the model is loaded before.
//
//   node scripts/boilerplate-bench.mjs [--rounds 10] [--split] [--out DIR]
//
// --split also times the analyser's parts (features, stage-1 trees, stage-2 context, stage-2 trees, headline
// picker) on the same texts, CPU time of the best round each. --out takes the compiled engine from another tsc
// output directory (default out/), e.g. a copy of an earlier build, to compare two builds in the same minutes.
// --against DIR times this build's analyser and DIR's (another tsc output, with models/ and node_modules
// reachable from it) alternately in one process, round by round, and checks that their outputs are equal:
//
//   node scripts/boilerplate-bench.mjs --against /tmp/before-out --rounds 20
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {ROOT, DATA, readJsonl} from './boilerplate-data.mjs';

const args = process.argv.slice(2);
const i = args.indexOf('--rounds');
const rounds = i >= 0 ? Number(args[i + 1]) : 10;
const o = args.indexOf('--out');
const base = path.join(o >= 0 ? path.resolve(args[o + 1]) : path.join(ROOT, 'out'), 'server', 'src', 'engine');
const bp = await import(pathToFileURL(path.join(base, 'boilerplate', 'index.js')).href);
const {splitLines} = await import(pathToFileURL(path.join(base, 'lines.js')).href);
const {annotate} = await import(pathToFileURL(path.join(base, 'index.js')).href);
const texts = readJsonl(path.join(DATA, 'dev.jsonl')).map((r) => r.text);
const chars = texts.reduce((a, t) => a + t.length, 0);
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);

/**
 * Time `fn` over all texts, `rounds` times after one cold round. The machine is shared, so the fastest round (the
 * least disturbed) is reported next to the median; CPU time is shown next to wall time.
 *
 * @param label Label.
 * @param fn Function of one text.
 * @returns Nothing.
 */
function time(label, fn) {
  const first = process.hrtime.bigint();
  for (const t of texts) fn(t);
  const cold = Number(process.hrtime.bigint() - first) / 1e9;
  const runs = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const t of texts) fn(t);
    const c = process.cpuUsage(c0);
    runs.push({wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6});
  }
  const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
  const cpus = runs.map((r) => r.cpu).sort((a, b) => a - b);
  const mb = (s) => (bytes / s / 1e6).toFixed(2);
  console.log(`${label}: best ${mb(walls[0])} MB/s, median ${mb(walls[walls.length >> 1])} MB/s (wall); best ${mb(cpus[0])} MB/s (CPU time); cold first round ${mb(cold)} MB/s`);
}

const a = args.indexOf('--against');
if (a >= 0) {
  const other = path.join(path.resolve(args[a + 1]), 'server', 'src', 'engine');
  const bp2 = await import(pathToFileURL(path.join(other, 'boilerplate', 'index.js')).href);
  const builds = [
    ['before (--against)', bp2],
    ['this build', bp],
  ];
  const docs = texts.map((t) => [t, splitLines(t)]);
  for (const [, m] of builds) m.detectBoilerplate('warm up\nthe model loader', splitLines('warm up\nthe model loader'));
  let same = true;
  const outs = builds.map(([, m]) => JSON.stringify(docs.map(([t, l]) => m.detectBoilerplate(t, l))));
  if (outs[0] !== outs[1]) same = false;
  const cpu = {};
  for (let r = 0; r <= rounds; r++) {
    for (const [label, m] of r % 2 ? builds : [...builds].reverse()) {
      const c0 = process.cpuUsage();
      for (const [t, l] of docs) m.detectBoilerplate(t, l);
      const c = process.cpuUsage(c0);
      if (r > 0) (cpu[label] ??= []).push((c.user + c.system) / 1e3);
    }
  }
  console.log(`${texts.length} dev pages, ${(bytes / 1e6).toFixed(2)} MB, ${rounds} rounds each, alternating; outputs ${same ? 'identical' : 'DIFFER'}`);
  for (const [label] of builds) {
    const v = cpu[label].sort((x, y) => x - y);
    const mb = (ms) => (bytes / 1e6 / (ms / 1e3)).toFixed(2);
    console.log(`${label}: CPU ms per round best ${v[0].toFixed(0)}, median ${v[v.length >> 1].toFixed(0)} (${mb(v[0])} / ${mb(v[v.length >> 1])} MB/s CPU)`);
  }
  process.exit(same ? 0 : 1);
}
console.log(`${texts.length} dev pages, ${(bytes / 1e6).toFixed(2)} MB, ${(chars / 1e6).toFixed(2)} M chars, ${rounds} rounds`);
const t0 = process.hrtime.bigint();
bp.detectBoilerplate('warm up\nthe model loader', splitLines('warm up\nthe model loader'));
console.log(`model load + first call: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
time('boilerplate analyser (detectBoilerplate)', (t) => bp.detectBoilerplate(t, splitLines(t)));
time('engine, only boilerplate (retext parse + plugin)', (t) => annotate(t, {only: ['boilerplate']}));

if (args.includes('--split')) {
  const features = await import(pathToFileURL(path.join(base, 'boilerplate', 'features.js')).href);
  const model = await import(pathToFileURL(path.join(base, 'boilerplate', 'model.js')).href);
  const m = model.loadModel();
  const parts = {features: [], stage1: [], context: [], stage2: [], headline: []};
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e3;
  };
  for (let r = 0; r <= rounds; r++) {
    const t = {features: 0, stage1: 0, context: 0, stage2: 0, headline: 0};
    for (const text of texts) {
      const lines = splitLines(text);
      let a = cpu();
      const page = features.pageFeatures(text, lines);
      let b = cpu();
      t.features += b - a;
      const n = page.stats.length;
      if (n === 0) continue;
      const p1 = model.predictBag(m.stage1, page.names, page.columns, n);
      a = cpu();
      t.stage1 += a - b;
      const extra = features.contextFeatures(page, p1);
      b = cpu();
      t.context += b - a;
      model.predictBag(m.stage2, [...page.names, ...extra.names], [...page.columns, ...extra.columns], n);
      a = cpu();
      t.stage2 += a - b;
      const c = features.headlineCandidates(page, p1);
      if (c.items.length > 0) model.predictBag(m.headline, c.names, c.columns, c.items.length);
      b = cpu();
      t.headline += b - a;
    }
    if (r > 0) for (const k in t) parts[k].push(t[k]);
  }
  console.log(`parts (CPU ms per round of the ${texts.length} texts, best of ${rounds}): ${Object.entries(parts).map(([k, v]) => `${k} ${Math.min(...v).toFixed(0)}`).join(', ')}`);
}

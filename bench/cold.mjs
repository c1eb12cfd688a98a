#!/usr/bin/env node
// The engine in a fresh process, as one CLI run (or one CLI worker) meets it: many small files, each annotated once,
// in order. Prints the CPU time per MB of text for each successive slice of the input (the cold curve: model load,
// new word types, code not yet optimised), split by step (parse, context, token stream, the three analysers, other),
// and the first document alone (which loads the models).
//
//   node bench/cold.mjs [--dir /tmp/sift-bench-workspace-2000-v1] [--engine CHECKOUT] [--concat N] [--slice 0.5]
//                       [--limit MB] [--plain] [--json]
//   node bench/cold.mjs --alternate 10 [--limit 2] [--rounds 4]
//
// --concat N joins N files at a time (with a blank line between) into one document: the same text in fewer, larger
// documents. --alternate N does it warm: after a warm-up pass, the first --limit MB (default 2) one file at a time and
// joined N at a time, alternately. (The difference is not only a fixed cost per document: joined pages repeat their
// headers and footers, so more lines are boilerplate and the quote analyser reads less.) --engine takes another
// checkout's engine (built with `npx tsc -b`). --plain calls `annotate()` itself and times only the total (for
// --cpu-prof, under which process.cpuUsage gets slow). The last column is the part of the total spent by V8's
// helper threads (concurrent optimising compiler, GC; read from /proc/self/task, Linux only, 10 ms ticks):
// process.cpuUsage() counts every thread, so each step's time includes whatever they ran meanwhile. Run it several
// times, alternating checkouts: one fresh process per measure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {load, optionValue, printTable, round} from './lib/util.mjs';
import {cpuNow, STEPS as names, stepTimer} from './lib/pipeline.mjs';

const argv = process.argv.slice(2);
const valueOf = (flag) => optionValue(argv, flag);
const dir = valueOf('--dir') ?? '/tmp/sift-bench-workspace-2000-v1';
const concat = Number(valueOf('--concat') ?? 1);
const slice = Number(valueOf('--slice') ?? 0.5) * 1e6;
const limit = Number(valueOf('--limit') ?? Infinity) * 1e6;
const checkout = valueOf('--engine');
const plain = argv.includes('--plain');
const engineUrl = checkout ? pathToFileURL(path.resolve(checkout, 'out/server/src/engine/') + '/') : new URL('../out/server/src/engine/', import.meta.url);

/**
 * CPU ms of this process's threads (Linux): the main thread and V8's helper threads (optimising compiler, GC), which
 * process.cpuUsage() counts together. Undefined elsewhere.
 */
function threadCpu() {
  try {
    let main = 0;
    let helpers = 0;
    for (const t of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 10 ms (USER_HZ 100)
      if (t === String(process.pid)) main += ms;
      else helpers += ms;
    }
    return {main, helpers};
  } catch {
    return undefined;
  }
}

/** Every file under `root`, sorted by path (the CLI's order). */
function filesOf(root) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.startsWith('.')) out.push(p);
    }
  };
  walk(root);
  return out;
}

const texts = filesOf(dir).map((f) => fs.readFileSync(f, 'utf8'));
const docs = [];
for (let i = 0; i < texts.length; i += concat) docs.push(texts.slice(i, i + concat).join('\n\n'));

const c0 = cpuNow();
const engine = await import(new URL('index.js', engineUrl).href);
const {contextOf} = await import(new URL('context.js', engineUrl).href);
const importMs = cpuNow() - c0;

// What engine/index.ts `run` does for `annotate()`, step by step (as bench/engine.mjs `stages`).
const timer = stepTimer(engine, contextOf);
const annotateTimed = (doc) => timer.annotate(doc);

if (valueOf('--alternate')) {
  // Per-document fixed cost, warm: the same text as single files and joined N at a time, alternately.
  const n = Number(valueOf('--alternate'));
  const rounds = Number(valueOf('--rounds') ?? 4);
  const cap = Number.isFinite(limit) ? limit : 2e6;
  const single = [];
  for (let b = 0, i = 0; i < texts.length && b < cap; i++) {
    single.push(texts[i]);
    b += Buffer.byteLength(texts[i]);
  }
  const joined = [];
  for (let i = 0; i < single.length; i += n) joined.push(single.slice(i, i + n).join('\n\n'));
  const mb = joined.reduce((s, d) => s + Buffer.byteLength(d), 0) / 1e6;
  for (const d of single) annotateTimed(d); // warm-up
  for (const d of joined) annotateTimed(d);
  const runs = {single: [], joined: []};
  const l0 = load();
  for (let r = 0; r < rounds; r++) {
    for (const [name, list] of [['single', single], ['joined', joined]]) {
      timer.reset();
      for (const d of list) annotateTimed(d);
      runs[name].push({...timer.settle().cpu});
    }
  }
  const l1 = load();
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const row = (name, list) => [name, list.length, ...[...names, 'other', 'total'].map((k) => round(med(runs[name].map((c) => c[k])) / mb))];
  printTable(
    `Per-document cost, warm: ${single.length} files (${round(mb, 2)} MB) one by one and joined ${n} at a time, ${rounds} alternating rounds; CPU ms per MB (median); load ${l0.one} → ${l1.one}`,
    ['documents', 'count', ...names, 'other', 'total'],
    [row('single', single), row('joined', joined)],
  );
  const perDoc = (med(runs.single.map((c) => c.total)) - med(runs.joined.map((c) => c.total))) / (single.length - joined.length);
  process.stdout.write(`  fixed cost per document (difference / extra documents): ${round(perDoc, 3)} ms CPU\n`);
  process.exit(0);
}

const loadBefore = load();
const rows = [];
let threads0 = threadCpu();
let bytes = 0;
let sliceBytes = 0;
let sliceDocs = 0;
let first;
const finish = () => {
  const {cpu} = timer.settle();
  const mb = sliceBytes / 1e6;
  const threads1 = threadCpu();
  const helpers = threads0 && threads1 ? round((threads1.helpers - threads0.helpers) / mb) : '';
  threads0 = threads1;
  rows.push({from: round((bytes - sliceBytes) / 1e6, 2), mb: round(mb, 3), docs: sliceDocs, ...Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v / mb)])), helpers});
  timer.reset();
  sliceBytes = 0;
  sliceDocs = 0;
};
for (const [i, doc] of docs.entries()) {
  const b = Buffer.byteLength(doc);
  if (bytes + b > limit) break;
  const t = cpuNow();
  if (plain) {
    const t0 = cpuNow();
    engine.annotate(doc);
    timer.cpu.total += cpuNow() - t0;
  } else annotateTimed(doc);
  if (i === 0) first = {bytes: b, ms: round(cpuNow() - t)};
  bytes += b;
  sliceBytes += b;
  sliceDocs++;
  if (sliceBytes >= slice) finish();
}
if (sliceBytes > 0) finish();
const loadAfter = load();
const title = `Cold curve: ${path.basename(dir)}, ${docs.length} documents (${concat} file(s) each), ${round(bytes / 1e6, 2)} MB, engine ${checkout ?? 'this checkout'}; CPU ms per MB by slice; load ${loadBefore.one} → ${loadAfter.one}`;
if (argv.includes('--json')) {
  process.stdout.write(JSON.stringify({dir, concat, engine: checkout ?? '.', importMs: round(importMs), first, rows, load: [loadBefore.one, loadAfter.one]}) + '\n');
} else {
  const steps = plain ? [] : [...names, 'other'];
  printTable(title, ['from MB', 'MB', 'docs', ...steps, 'total', 'of which V8 helper threads'], rows.map((r) => [r.from, r.mb, r.docs, ...steps.map((n) => r[n]), r.total, r.helpers]));
  process.stdout.write(`  importing the engine: ${round(importMs)} ms CPU; the first document (${first.bytes} bytes): ${first.ms} ms CPU\n`);
}

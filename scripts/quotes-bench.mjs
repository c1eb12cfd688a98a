#!/usr/bin/env node
// Throughput of the quotation analyser, in process (no CLI start-up), on the texts of a JSONL file
// ({"text": …} per line; e.g. ../shared/data/quotes/dev.jsonl) or on the text files given.
//
//   npx tsc -b && node scripts/quotes-bench.mjs ../shared/data/quotes/dev.jsonl [--rounds 5]
//
// Reports, in characters (UTF-16 code units) per second of wall-clock and of CPU time (the machine may be shared),
// the median over the rounds of:
//   quotes analyser alone  findQuotes() on texts already parsed, with entities (what siftQuotes adds to a run)
//   quotes run             annotate(text, {only: ['quotes']}): parse + entities + quotes
//   whole engine           annotate(text): boilerplate + entities + quotes
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';

const {analyse, annotate} = await import('../out/server/src/engine/index.js');
const {findQuotes} = await import('../out/server/src/engine/quotes/index.js');

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const files = args.filter((a, i) => !a.startsWith('--') && !(roundsAt >= 0 && i === roundsAt + 1));
if (files.length === 0) {
  console.error('usage: node scripts/quotes-bench.mjs FILE.jsonl|FILE.txt... [--rounds N]');
  process.exit(2);
}
const texts = [];
for (const file of files) {
  const raw = readFileSync(file, 'utf8');
  if (file.endsWith('.jsonl')) {
    for (const line of raw.split('\n')) if (line.trim()) texts.push(JSON.parse(line).text);
  } else texts.push(raw);
}
const chars = texts.reduce((n, t) => n + t.length, 0);

/**
 * Median of numbers.
 * @param xs Numbers.
 * @returns Median.
 */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Time a function over the rounds: wall-clock and CPU time of this process (the CPU time does not count the
 * time other processes take from a shared machine).
 * @param fn Work for one round.
 * @returns Median seconds, wall and CPU.
 */
function time(fn) {
  fn(); // warm-up
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    wall.push((performance.now() - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
  }
  return [median(wall), median(cpu)];
}

const contexts = texts.map((text) => analyse(text, {only: ['entities']}).data.sift);
const rows = [
  ['quotes analyser alone', time(() => contexts.forEach((c) => findQuotes(c)))],
  ['quotes run (parse + entities + quotes)', time(() => texts.forEach((t) => annotate(t, {only: ['quotes']})))],
  ['whole engine (all analyses)', time(() => texts.forEach((t) => annotate(t)))],
];
console.log(`${texts.length} texts, ${chars.toLocaleString('en')} chars, median of ${rounds} rounds, Node ${process.version}`);
for (const [label, [wall, cpu]] of rows) {
  console.log(`${label.padEnd(40)} wall ${wall.toFixed(3)} s ${(chars / wall / 1e6).toFixed(2)} M chars/s | cpu ${cpu.toFixed(3)} s ${(chars / cpu / 1e6).toFixed(2)} M chars/s`);
}

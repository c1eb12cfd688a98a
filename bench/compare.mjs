#!/usr/bin/env node
// Before and after, in the same process: the engine of another checkout (built with `npx tsc -b`) against this
// one, on the same news text, runs interleaved so that the machine's load hits both alike.
//
//   node bench/compare.mjs --against ../other-checkout [--rounds 10] [--bytes 1000000] [--one-file]
//                          [--dir /tmp/sift-bench-workspace-2000-v1]
//
// --dir takes the text from the files of a folder (sorted by path, the first --bytes of them, one document each),
// e.g. the workspace benchmark's small generated files, instead of the news corpus.
// Prints CPU time per run (min and median) and MB/s for: the other engine, this engine, this engine with
// `parser: 'sift'`; and how many documents get different annotations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {documentOf, newsCorpus} from './lib/corpus.mjs';
import {load, optionValue, percentile, printTable, round} from './lib/util.mjs';

const argv = process.argv.slice(2);
const valueOf = (flag) => optionValue(argv, flag);
const against = valueOf('--against');
if (!against) throw new Error('usage: node bench/compare.mjs --against CHECKOUT [--rounds N] [--bytes N] [--one-file]');
const rounds = Number(valueOf('--rounds') ?? 10);
const bytes = Number(valueOf('--bytes') ?? 1_000_000);
const other = await import(pathToFileURL(path.resolve(against, 'out/server/src/engine/index.js')).href);
const ours = await import(new URL('../out/server/src/engine/index.js', import.meta.url).href);

/**
 * The files under a folder, sorted by path (dot files skipped), up to `max` bytes.
 * @param {string} root
 * @param {number} max
 */
function folderCorpus(root, max) {
  const docs = [];
  let size = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (size >= max || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const text = fs.readFileSync(p, 'utf8');
        docs.push(text);
        size += Buffer.byteLength(text);
      }
    }
  };
  walk(root);
  return {docs, source: `files of ${root}`};
}

const dir = valueOf('--dir');
const {docs: corpus, source} = dir ? folderCorpus(dir, bytes) : newsCorpus(argv.includes('--one-file') ? 2 * bytes : bytes);
const docs = argv.includes('--one-file') ? [documentOf(corpus, bytes)] : corpus;
const mb = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / 1e6;
let differ = 0;
for (const d of docs) if (JSON.stringify(other.annotate(d)) !== JSON.stringify(ours.annotate(d))) differ++;

const variants = [
  ['before: other checkout, annotate()', (d) => other.annotate(d)],
  ['after: this checkout, annotate()', (d) => ours.annotate(d)],
  ["after: this checkout, annotate(…, {parser: 'sift'})", (d) => ours.annotate(d, {parser: 'sift'})],
];
const cpu = variants.map(() => []);
const before = load();
for (let r = 0; r < rounds; r++) {
  for (const [i, [, fn]] of variants.entries()) {
    const c0 = process.cpuUsage();
    for (const d of docs) fn(d);
    const c = process.cpuUsage(c0);
    cpu[i].push((c.user + c.system) / 1000);
  }
}
const after = load();
printTable(
  `Engine before/after: ${docs.length} document(s), ${round(mb, 3)} MB (${source}); ${rounds} interleaved rounds; load ${before.one} → ${after.one}`,
  ['engine', 'cpu ms min', 'cpu ms median', 'MB/s (min)', 'MB/s (median)'],
  variants.map(([name], i) => [name, round(Math.min(...cpu[i])), round(percentile(cpu[i], 50)), round(mb / (Math.min(...cpu[i]) / 1000), 2), round(mb / (percentile(cpu[i], 50) / 1000), 2)]),
);
process.stdout.write(`  documents whose annotations differ between the two checkouts: ${differ} of ${docs.length}\n`);

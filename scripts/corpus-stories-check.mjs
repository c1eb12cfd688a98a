#!/usr/bin/env node
// How the story grouping behaves on articles it was not tuned on: the seed samples (one story, five outlets) and the
// own samples, alone and mixed with the PolNeAR dev articles and the L3S-GN1 pages in ../shared/data. Prints the
// groups (sizes and the names they share) and the quotations carried by several files, for a person to judge.
// Nothing is written. Run `npx tsc -b` first.
//
//   node scripts/corpus-stories-check.mjs [seed,own,pol,l3s]
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const {annotate} = await import(path.join(ROOT, 'out/server/src/engine/index.js'));
const {CorpusIndex, summarize} = await import(path.join(ROOT, 'out/server/src/engine/corpus/index.js'));
const SHARED = path.join(ROOT, '..', 'shared');
const sets = (process.argv[2] ?? 'seed,own,pol,l3s').split(',');

const docs = [];
const folder = (dir, group) => {
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) docs.push({group, id: f, text: fs.readFileSync(path.join(dir, f), 'utf8')});
};
if (sets.includes('seed')) folder(path.join(SHARED, 'samples'), 'seed');
if (sets.includes('own')) folder(path.join(ROOT, 'samples'), 'own');
const jsonl = (file, group) => {
  if (!fs.existsSync(file)) return console.error(`(no ${file})`);
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
    const record = JSON.parse(line);
    docs.push({group, id: record.id, text: record.text});
  }
};
if (sets.includes('pol')) jsonl(path.join(SHARED, 'data', 'quotes', 'dev.jsonl'), 'pol');
if (sets.includes('l3s')) jsonl(path.join(SHARED, 'data', 'boilerplate', 'train-l3s.jsonl'), 'l3s');

const index = new CorpusIndex();
for (const d of docs) index.set(`${d.group}/${d.id}`, d.group, summarize(d.text, annotate(d.text)));
const {stories} = index.stories();
const sizes = new Map();
for (const s of stories) sizes.set(s.files.length, (sizes.get(s.files.length) ?? 0) + 1);
console.log(`${docs.length} files (${sets.join(', ')}): ${stories.length} stories; sizes ${[...sizes].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${c}×${n}`).join(', ')}`);
for (const s of stories) {
  const groups = [...new Set(s.files.map((f) => f.split('/')[0]))].join('+');
  console.log(`  ${s.files.length} files [${groups}] sharing ${s.names.slice(0, 6).join(', ')}`);
  for (const l of s.links) console.log(`      cosine ${l.cosine.toFixed(2)}, shingle jaccard ${l.jaccard.toFixed(2)}${l.nearDuplicate ? ' (near-duplicate)' : ''}`);
}
const shared = index.quoteClusters().filter((c) => c.files.length > 1);
console.log(`quotations carried by several files: ${shared.length}`);

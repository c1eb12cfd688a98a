#!/usr/bin/env node
// Summarise a V8 CPU profile (`node --cpu-prof`): the functions with the most self time and the most inclusive time.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [--top 25]
import * as fs from 'node:fs';

const argv = process.argv.slice(2);
const file = argv.find((a) => a.endsWith('.cpuprofile'));
if (!file) throw new Error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
const top = Number(argv[argv.indexOf('--top') + 1] ?? 25) || 25;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const name = (n) => {
  const cf = n.callFrame;
  const where = cf.url.replace(/.*node_modules\//, '').replace(/^file:\/\//, '').replace(/.*\/(out|dist|bench)\//, '$1/');
  return `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber + 1}` : ''}`;
};

const self = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
}
const selfByName = new Map();
const inclusive = new Map();
for (const [id, t] of self) {
  const key = name(byId.get(id));
  selfByName.set(key, (selfByName.get(key) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}
const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}\n`);
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('Self time', selfByName);
print('Inclusive time', inclusive);

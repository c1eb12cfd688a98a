#!/usr/bin/env node
// Error analysis of the quotation analyser against a gold quotes JSONL (e.g. ../shared/data/quotes/dev.jsonl),
// in process. It prints, per attribution rule, how many direct quotes it reported and how many match a gold
// quote (overlap >= 50% both ways, the scorer's rule), how often their speaker matches (the scorer's speaker rule,
// aliases included), why unreported stretches were dropped and how many of those were gold quotes, and how often
// "he"/"she" speakers resolve to one of the gold aliases. Nothing is written; excerpts go to stdout only.
//
//   npx tsc -b && node scripts/quotes-analyse.mjs ../shared/data/quotes/dev.jsonl [--errors RULE] [--limit N]
//
// --errors RULE prints the speaker errors of one rule (after, before, outer, paragraph, …) with their paragraph.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const {analyse} = await import(pathToFileURL(path.join(root, 'out/server/src/engine/index.js')).href);
const {findQuotes} = await import(pathToFileURL(path.join(root, 'out/server/src/engine/quotes/index.js')).href);
const {speakerMatch} = await import(pathToFileURL(path.resolve(root, '../shared/eval/score-quotes.mjs')).href);

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!file) {
  console.error('usage: node scripts/quotes-analyse.mjs GOLD.jsonl [--errors RULE] [--limit N]');
  process.exit(2);
}
const showRule = option('--errors');
const limit = Number(option('--limit') ?? 40);
const gold = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const overlaps = (g, p) => {
  const inter = Math.min(g.end, p.end) - Math.max(g.start, p.start);
  return inter > 0 && inter >= 0.5 * (g.end - g.start) && inter >= 0.5 * (p.end - p.start);
};
const head = (s) => s.replace(/,?\s+(who|whom|whose|which|where|when|that)\b.*$/i, '').replace(/[\s,;:.]+$/, '');
const rules = new Map();
const drops = new Map();
const bump = (map, key, field) => {
  const row = map.get(key) ?? {n: 0, tp: 0, spk: 0, spkOk: 0};
  row[field]++;
  map.set(key, row);
};
const resolution = {n: 0, ok: 0};
let shown = 0;

for (const article of gold) {
  const context = analyse(article.text, {only: ['entities']}).data.sift;
  const traces = new Map();
  const quotes = findQuotes(context, (t) => traces.set(t.start, t));
  const goldDirect = article.quotes.filter((q) => q.direct);
  for (const t of traces.values()) {
    if (!t.dropped) continue;
    bump(drops, t.dropped, 'n');
    if (goldDirect.some((g) => overlaps(g, t))) bump(drops, t.dropped, 'tp');
  }
  for (const p of quotes.filter((q) => q.direct)) {
    const rule = traces.get(p.start)?.rule ?? 'none';
    bump(rules, rule, 'n');
    const g = goldDirect.find((x) => overlaps(x, p));
    if (!g) continue;
    bump(rules, rule, 'tp');
    if (g.speaker == null) continue;
    bump(rules, rule, 'spk');
    const names = [p.speaker, p.speakerMention].filter(Boolean);
    const ok = speakerMatch(names, [head(g.speaker), ...(g.speakerAliases ?? [])]);
    if (ok) bump(rules, rule, 'spkOk');
    if (/^(he|she)$/i.test(p.speakerMention ?? '') && /^(he|she)$/i.test(g.speaker) && g.speakerAliases?.length) {
      resolution.n++;
      if (p.speaker && speakerMatch([p.speaker], g.speakerAliases)) resolution.ok++;
    }
    if (!ok && rule === showRule && shown++ < limit) {
      const t = article.text;
      const from = t.lastIndexOf('\n', p.start) + 1;
      const to = t.indexOf('\n', p.end) < 0 ? t.length : t.indexOf('\n', p.end);
      console.log(`--- ${article.id}\n    gold ${g.speaker} | predicted ${p.speaker} (as "${p.speakerMention}") cue ${p.cue}\n    ${t.slice(from, to).slice(0, 600)}`);
    }
  }
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) : '-').padStart(5);
console.log('\ndirect quotes by attribution rule      reported  matched  precision  speaker acc (+aliases)');
for (const [rule, r] of [...rules].sort((a, b) => b[1].n - a[1].n)) {
  console.log(`  ${rule.padEnd(36)} ${String(r.n).padStart(8)} ${String(r.tp).padStart(8)}      ${pct(r.tp, r.n)}   ${pct(r.spkOk, r.spk)} (${r.spkOk}/${r.spk})`);
}
console.log('\nquoted stretches not reported          count  gold quotes among them');
for (const [why, r] of [...drops].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${why.padEnd(36)} ${String(r.n).padStart(5)}  ${r.tp}`);
console.log(`\n"he"/"she" speakers resolved to a gold alias: ${pct(resolution.ok, resolution.n)}% (${resolution.ok}/${resolution.n})`);

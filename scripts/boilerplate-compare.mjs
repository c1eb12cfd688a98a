#!/usr/bin/env node
// Byte-for-byte check of the boilerplate analyser's output across a refactoring: dumps, for every dev page, 60+
// L3S training pages, the seed samples and samples/, the stage-1 feature matrix, the stage-2 context features,
// the headline candidates' matrix, both stages' probabilities, the shown scores, the picked headline and the
// flagged lines (line, offsets, category, reason, score), each as a hash; then compares with a saved dump.
// Run `npx tsc -b` first.
//
//   node scripts/boilerplate-compare.mjs --dump scratch/bp-before.json
//   node scripts/boilerplate-compare.mjs --check scratch/bp-before.json
//
// --out DIR takes the engine from another tsc output directory (a copy of an earlier build, with models/ reachable
// from it) instead of out/; --all-l3s uses all the L3S training pages instead of the first 80; --bench adds the
// rest of the benchmark corpus (bench/lib/corpus.mjs: the quotes dev articles next to the boilerplate dev pages).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {pathToFileURL} from 'node:url';
import {ROOT, DATA, engine, readJsonl} from './boilerplate-data.mjs';

const args = process.argv.slice(2);
const mode = args[0];
const file = args[1];
if (!['--dump', '--check'].includes(mode) || !file) {
  console.error('usage: boilerplate-compare.mjs --dump|--check FILE');
  process.exit(2);
}
const o = args.indexOf('--out');
const eng = o >= 0 ? await engineFrom(path.resolve(args[o + 1])) : await engine();

/**
 * The engine modules of another tsc output directory.
 * @param dir Directory (holding server/src/engine).
 * @returns The modules' exports.
 */
async function engineFrom(dir) {
  const base = path.join(dir, 'server', 'src', 'engine');
  const imp = (p) => import(pathToFileURL(path.join(base, p)).href);
  const [features, bp, lines, model] = await Promise.all([imp('boilerplate/features.js'), imp('boilerplate/index.js'), imp('lines.js'), imp('boilerplate/model.js')]);
  return {...features, ...bp, ...lines, ...model};
}
const docs = [];
for (const r of readJsonl(path.join(DATA, 'dev.jsonl'))) docs.push([`dev:${r.id ?? docs.length}`, r.text]);
readJsonl(path.join(DATA, 'train-l3s.jsonl')).slice(0, args.includes('--all-l3s') ? undefined : 80).forEach((r, k) => docs.push([`l3s:${r.id ?? k}`, r.text]));
if (args.includes('--bench')) readJsonl(path.resolve(DATA, '..', 'quotes', 'dev.jsonl')).forEach((r, k) => docs.push([`quotes:${r.id ?? k}`, r.text]));
for (const dir of [path.resolve(ROOT, '..', 'shared', 'samples'), path.join(ROOT, 'samples')]) {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()) docs.push([`${path.basename(dir)}:${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]);
}
// Synthetic lines for the character classes the fast paths must get right (written here; no data set text).
const odd = [
  'İstanbul’da  iki\tkat “yeni” bina — açıldı.', 'Ünïcödé ﬁle naïve café… Read more', '東京で新しい図書館が開館した。市長は「うれしい」と述べた。',
  '서울 시장은 새 도서관을 열었다. 주민들이 모였다', 'ข่าวล่าสุด วันนี้ ฝนตกหนัก', 'Price: ₹1,200 · 3 min read · 12:30 pm IST', 'Share 😀 on 𝕏 Twitter | Facebook',
  'Москва — «новости» ­дня: 5 лет назад', 'ℌ𝔢𝔩𝔩𝔬 ½ ¾ Ⅻ x² ß ΣΑΣ ǅ', '  tab\there\u00a0nbsp\u2003em  ', 'مرحبا بكم في الموقع ١٢٣', 'हिंदी समाचार। आज',
  "rock'n'roll don't o’neil - x -y", 'ⓐⓑ ⅰⅱ ＡＢＣ１２３ ｶﾀｶﾅ', 'Ａ　全角スペース　test',
];
for (let k = 0; k < 4; k++) docs.push([`odd:${k}`, odd.map((l, j) => (j % 4 === k ? l.toUpperCase() : l)).concat(odd.slice(0, 5), ['By Jane Doe', '', 'A story line that is long enough to count as prose in the page, with a full stop at the end.']).join(k % 2 ? '\r\n' : '\n')]);
const h = (x) => crypto.createHash('sha1').update(x).digest('hex').slice(0, 16);
const hf = (a) => h(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const model = eng.loadModel();
const out = {};
for (const [id, text] of docs) {
  const lines = eng.splitLines(text);
  const r = eng.scoreLines(text, lines, model);
  const rec = {};
  r.page.names.forEach((name, f) => (rec[`f:${name}`] = hf(r.page.columns[f])));
  const ex = eng.contextFeatures(r.page, r.p1);
  ex.names.forEach((name, f) => (rec[`c:${name}`] = hf(ex.columns[f])));
  const hc = eng.headlineCandidates(r.page, r.p1);
  rec.hItems = h(JSON.stringify(hc.items));
  rec.hCols = h(hc.columns.map(hf).join());
  rec.p1 = hf(r.p1);
  rec.p = hf(r.p);
  rec.score = hf(r.score);
  rec.headline = r.headline;
  rec.flagged = h(JSON.stringify(eng.detectBoilerplate(text, lines)));
  rec.flaggedKeep = h(JSON.stringify(eng.detectBoilerplate(text, lines, {threshold: 0.3, keep: [text.split('\n')[0] ?? '']})));
  out[id] = rec;
}
if (mode === '--dump') {
  fs.mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
  fs.writeFileSync(file, JSON.stringify(out));
  console.log(`${docs.length} documents dumped to ${file}`);
} else {
  const ref = JSON.parse(fs.readFileSync(file, 'utf8'));
  let bad = 0;
  const diffKeys = new Map();
  for (const id of Object.keys(ref)) {
    const a = ref[id];
    const b = out[id];
    if (!b) {
      bad++;
      console.log(`missing ${id}`);
      continue;
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    let docBad = false;
    for (const k of keys) {
      if (a[k] !== b[k]) {
        docBad = true;
        diffKeys.set(k, (diffKeys.get(k) ?? 0) + 1);
      }
    }
    if (docBad) bad++;
  }
  console.log(`${Object.keys(ref).length} documents, ${bad} differ`);
  for (const [k, c] of diffKeys) console.log(`  ${k}: ${c} documents`);
  process.exit(bad ? 1 : 0);
}

#!/usr/bin/env node
// Run-model experiments on the models of a cross-validation run (`node scripts/train-boilerplate.mjs --cv-only
// --dump DIR`).
//
//   node scripts/boilerplate-runs-exp.mjs DIR [--min-length 3] [--cut 0.5] [--cap 0.45]
//
// For each outer fold: every training page (dev and L3S) is scored by the inner model that never saw it (the
// dump's inner folds), its runs of non-prose lines (server/src/engine/boilerplate/runs.ts) become rows labelled
// by the share of their characters that is boilerplate, and a small GBDT is trained on them. The fold's test
// pages are then decided with the fold's model plus that run model. Prints the out-of-fold scores with and
// without it, and per fold.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {ROOT, DATA, SCORER, engine} from './boilerplate-data.mjs';
import {pageLabels, fitTransitions, makeDecoder} from './boilerplate-decoder.mjs';
import {train, binColumns} from './boilerplate-gbdt.mjs';

const args = process.argv.slice(2);
const dir = path.resolve(args[0]);
const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const MIN = opt('--min-length', 3);
const CUT = opt('--cut', 0.5);
const CAP = opt('--cap', 0.45);
const PARAMS = {trees: opt('--trees', 80), depth: opt('--depth', 3), lr: 0.1, lambda: 1, minHess: 1, subsample: 0.8, colsample: 0.8, bins: 64};
// --decoders γ:t[:ε],γ:t[:ε],… (one per fold, e.g. as chosen by boilerplate-decode-exp.mjs on the inner folds): a posterior
// decoder over the region scores in every model (inner and outer), its transitions counted on each model's
// training pages.
const DECODERS = args.includes('--decoders') ? args[args.indexOf('--decoders') + 1].split(',').map((x) => x.split(':').map(Number)) : undefined;
// --cols base,copies,period,num,prose (default: every column of RUN_NAMES): which run columns the run model uses
// (runs.ts RUN_GROUPS). --choose 'base|base,prose|…': the column set is chosen per outer fold by an inner
// cross-validation over the run rows (run model trained on the other inner folds' rows, scored on an inner fold's
// dev pages by --objective mean|token), then trained on all the fold's rows.
const COLS = args.includes('--cols') ? args[args.indexOf('--cols') + 1].split(',') : undefined;
const CHOOSE = args.includes('--choose') ? args[args.indexOf('--choose') + 1].split('|').map((x) => x.split(',')) : undefined;
const OBJ = args.includes('--objective') ? args[args.indexOf('--objective') + 1] : 'mean';
const eng = await engine();
const runs = await import(pathToFileURL(path.join(ROOT, 'out', 'server', 'src', 'engine', 'boilerplate', 'runs.js')).href);
const scorer = await import(pathToFileURL(SCORER).href);
const pages = pageLabels(eng, [['dev', path.join(DATA, 'dev.jsonl')], ['l3s', path.join(DATA, 'train-l3s.jsonl')]]);
const folds = fs.readdirSync(dir).filter((f) => /^fold\d+\.json$/.test(f)).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const gold = (ps) => ps.map((p) => ({id: p.id, text: p.text, labels: p.labels}));

/** Rows of one page's runs under a model: features and labels. */
function rowsOf(p, model) {
  const lines = eng.splitLines(p.text);
  const {page, p1, p: pp, score} = eng.scoreLines(p.text, lines, model);
  if (page.block[0] < 0) return [];
  const rr = runs.shortRuns(page, MIN);
  if (rr.length === 0) return [];
  const cols = runs.runFeatures(page, rr, p1, pp, score);
  return rr.map(([a, b], r) => {
    let bc = 0;
    let all = 0;
    for (let i = a; i <= b; i++) {
      all += page.stats[i].chars;
      if (p.y[i]) bc += page.stats[i].chars;
    }
    return {x: cols.map((c) => c[r]), y: bc >= all / 2 ? 1 : 0, w: (p.set === 'dev' ? 1.5 : 1) * Math.sqrt(all + 10)};
  });
}

const base = [];
const withRuns = [];
const perFold = [];
for (const fold of folds) {
  const rows = [];
  const withDecoder = (model, trainIds) => {
    if (!DECODERS) return model;
    const [gamma, threshold, softAfter] = DECODERS[fold.fold - 1];
    return {...model, decoder: makeDecoder(fitTransitions(trainIds.map((id) => pages.get(id).y), 0.5), {kind: 'posterior', input: 'regions', gamma, threshold, softAfter})};
  };
  delete fold.model.runs;
  fold.model = withDecoder(fold.model, fold.train);
  const innerModels = [];
  fold.inner.forEach((f, k) => {
    const held = new Set(f.test);
    const model = withDecoder(f.model, fold.train.filter((id) => !held.has(id)));
    innerModels.push(model);
    for (const id of f.test) rows.push(...rowsOf(pages.get(id), model).map((r) => ({...r, inner: k})));
  });
  const fit = (subset, groups, seed) => {
    const names = COLS || groups ? runs.runColumns(groups ?? COLS) : [...runs.RUN_NAMES];
    const idx = names.map((name) => runs.RUN_NAMES.indexOf(name));
    const columns = idx.map((k) => Float32Array.from(subset, (r) => r.x[k]));
    const y = Uint8Array.from(subset, (r) => r.y);
    const w = Float64Array.from(subset, (r) => r.w);
    return [0, 1].map((b) => train({columns, names, y, w, binned: binColumns(columns, subset.length, 64)}, {...PARAMS, seed: seed + 7919 * b}));
  };
  let chosen;
  if (CHOOSE) {
    let best;
    for (const groups of CHOOSE) {
      const preds = [];
      const g = [];
      fold.inner.forEach((f, k) => {
        const bag = fit(rows.filter((r) => r.inner !== k), groups, 1000 * fold.fold + 31 + 100 * k);
        const model = {...innerModels[k], runs: {bag, minLength: MIN, cut: CUT, cap: CAP}};
        for (const id of f.test) {
          const p = pages.get(id);
          if (p.set !== 'dev') continue;
          g.push(p);
          preds.push({id, boilerplate: eng.detectBoilerplate(p.text, eng.splitLines(p.text), {model}).map((b) => b.line)});
        }
      });
      const sc = scorer.score(gold(g), preds);
      const o = OBJ === 'token' ? sc.content_token.f1 : (sc.boilerplate_char.f1 + sc.content_token.f1) / 2;
      console.error(`fold ${fold.fold}: inner ${groups.join(',')} char ${sc.boilerplate_char.f1.toFixed(4)} token ${sc.content_token.f1.toFixed(4)}`);
      if (!best || o > best.o + 1e-9) best = {o, groups};
    }
    chosen = best.groups;
    console.error(`fold ${fold.fold}: chose ${chosen.join(',')}`);
  }
  const n = rows.length;
  const y = Uint8Array.from(rows, (r) => r.y);
  const bag = fit(rows, chosen, 1000 * fold.fold + 31);
  const test = fold.test.map((id) => pages.get(id));
  const model = {...fold.model, runs: {bag, minLength: MIN, cut: CUT, cap: CAP}};
  const pb = test.map((p) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, eng.splitLines(p.text), {model: fold.model}).map((b) => b.line)}));
  const pr = test.map((p) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, eng.splitLines(p.text), {model}).map((b) => b.line)}));
  base.push(...pb);
  withRuns.push(...pr);
  const sb = scorer.score(gold(test), pb);
  const sr = scorer.score(gold(test), pr);
  perFold.push({fold: fold.fold, rows: n, pos: y.reduce((a, b) => a + b, 0), base: [sb.boilerplate_char.f1, sb.content_token.f1], runs: [sr.boilerplate_char.f1, sr.content_token.f1]});
  console.error(`fold ${fold.fold}: ${n} runs (${perFold.at(-1).pos} boilerplate), char F1 ${sb.boilerplate_char.f1.toFixed(4)} → ${sr.boilerplate_char.f1.toFixed(4)}`);
}
const file = path.join(ROOT, 'scratch', 'runs.pred.jsonl');
fs.writeFileSync(file, withRuns.map((p) => JSON.stringify(p)).join('\n') + '\n');
const dev = [...pages.values()].filter((p) => p.set === 'dev');
const sb = scorer.score(gold(dev), base);
const sr = scorer.score(gold(dev), withRuns);
const f4 = (x) => x.toFixed(4);
console.log(`line scores only: char F1 ${f4(sb.boilerplate_char.f1)} token F1 ${f4(sb.content_token.f1)}`);
console.log(`with run model:   char F1 ${f4(sr.boilerplate_char.f1)} token F1 ${f4(sr.content_token.f1)} (min length ${MIN}, cut ${CUT}, cap ${CAP})`);
for (const f of perFold) console.log(`fold ${f.fold}: ${f.rows} runs  base ${f.base.map(f4).join(' ')}  runs ${f.runs.map(f4).join(' ')}`);

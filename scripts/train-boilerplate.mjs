#!/usr/bin/env node
// Train Sift's boilerplate model (`npm run train:boilerplate`) and measure it honestly.
//
//   node scripts/train-boilerplate.mjs [--folds 5] [--seed 1] [--no-cv] [--cv-only] [--l3s-only]
//                                      [--trees N] [--depth N] [--lr X] [--alpha X] [--dev-weight X]
//                                      [--no-decoder] [--decoder-soft ε,…] [--decoder-objective token|mean|char]
//                                      [--runs-decoded] [--run-cols base,…] [--no-runs] [--dump DIR]
//                                      [--no-hmm] [--decoder-always]
//
// Data: ../shared/data/boilerplate/train-l3s.jsonl (304 L3S-GN1 pages, 2008) and dev.jsonl (73 pages, 2019); see
// ../shared/docs/datasets.md. Features come from the engine's own code (out/server/src/engine/boilerplate/
// features.js, compiled first with tsc -b), so training and run time always agree.
//
// 1. Cross-validation grouped by site (default 5 folds): pages of one host, or sharing a site template (≥ 5
//    identical lines of ≥ 3 words), are one group, over both sets; a fold's model never sees a page of the
//    groups it is tested on. Each dev page is predicted by the engine (`detectBoilerplate`) with the model of its
//    fold, and the out-of-fold predictions are scored with ../shared/eval/score-boilerplate.mjs (overall, with a
//    page bootstrap, and per fold).
// 2. The shipped model (models/boilerplate.json) is trained the same way on all pages of both sets.
// `--l3s-only` instead trains on the L3S pages only and scores all dev pages (no dev page seen in training).
//
// The model has two stages of gradient-boosted trees (scripts/boilerplate-gbdt.mjs). Stage 2 adds the stage-1
// scores of the neighbouring lines; to train it, stage-1 scores of the training pages come from an inner
// grouped cross-validation, so stage 2 learns from scores like those it will see at run time. The same inner folds
// choose the sequence decoder's γ and τ (decode.ts) and give the run model (runs.ts) its training rows.
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {pathToFileURL} from 'node:url';
import {train, predict, rng, splitCounts, binColumns} from './boilerplate-gbdt.mjs';
import {fitTransitions, makeDecoder} from './boilerplate-decoder.mjs';
import {ROOT, DATA, SCORER, build, engine, loadPages, siteGroups, assignFolds, stack, sha256} from './boilerplate-data.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FOLDS = opt('--folds', 5);
const INNER = opt('--inner-folds', 3);
const BAG = opt('--bag', 2);
const SEED = opt('--seed', 1);
const PARAMS = {
  trees: opt('--trees', 120),
  depth: opt('--depth', 5),
  lr: opt('--lr', 0.1),
  lambda: opt('--lambda', 1),
  minHess: opt('--min-hess', 3),
  subsample: opt('--subsample', 0.8),
  colsample: opt('--colsample', 0.6),
  bins: 64,
};
const PARAMS2 = {...PARAMS, trees: opt('--trees2', 100), depth: opt('--depth2', 4)};
const PARAMS3 = {...PARAMS2, trees: opt('--trees3', 100)};
// A third stage (the second stage's scores of the neighbours, stacked once more): --stages 3.
const STAGES = opt('--stages', 2);
const PARAMS_H = {...PARAMS, trees: opt('--trees-h', 80), depth: 4, minHess: 1};
// Decision thresholds by region (see Calibration in server/src/engine/boilerplate/model.ts).
const HEADLINE_PICK = opt('--headline-pick', 0.3);
const CALIBRATION = {inBlock: opt('--t-in', 0.7), outside: opt('--t-out', 0.3)};
const WEIGHT = {alpha: opt('--alpha', 0.5), dev: opt('--dev-weight', 1.5), l3s: 1};
// --tune: the region thresholds are chosen on the inner folds' out-of-fold predictions of each training set (the
// pages a fold's model is tested on are never used to choose them), instead of the fixed --t-in/--t-out.
// `--tune in` tunes the inside threshold only (the outside one stays at --t-out).
const TUNE = flag('--tune');
const TUNE_WHAT = TUNE && args[args.indexOf('--tune') + 1] === 'in' ? 'in' : 'both';
const GRID_IN = [0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9];
const GRID_OUT = [0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
let scorer;
// --structure none|st|lr|all (default none): which columns of structure.ts the model uses: st_* (stage 1: list
// shapes, numbered items, runs bracketed by prose) and lr_* (stage 2: content mass above/below). Not shipped: `st`
// scored +0.001 char F1 / +0.002 token F1 out of fold (inside the ± 0.024 bootstrap spread, the best of five
// variants) for ~10 % more analyser time (docs/boilerplate.md).
// --runs (shipped) / --no-runs: segment-level decisions for runs of short lines (runs.ts), a small model trained on
// the inner folds' out-of-fold scores of the training pages.
const RUNS = !flag('--no-runs');
const RUN_PARAMS = {minLength: opt('--run-min', 3), cut: opt('--run-cut', 0.5), cap: opt('--run-cap', 0.45)};
const PARAMS_R = {trees: 80, depth: 3, lr: 0.1, lambda: 1, minHess: 1, subsample: 0.8, colsample: 0.8, bins: 64};
// The sequence decoder (decode.ts) over the region scores, on by default since issue 8's fifth round (`--no-decoder`
// leaves it out): γ, τ and the after → content probability ε from these grids, chosen on the inner folds by token
// F1. With the run model trained on the inner folds' scores without the decoder, decoder + run model scored 0.9130 /
// 0.9339 out of fold against 0.9102 / 0.9319 for the run model alone (docs/boilerplate.md).
// Since the sixth round the inner folds may also choose no decoder (`--decoder-always`: the fifth round's way).
const DECODE = !flag('--no-decoder');
const GRID_GAMMA = [0.35, 0.5, 0.7, 1, 1.5, 2];
const GRID_T = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const DECODER_SMOOTH = 0.5;
// --decoder-soft ε,…: after → content probabilities tried with γ and τ (0: the transition stays forbidden);
// --decoder-objective mean|token|char: what the inner folds maximise when choosing them (default token);
// --runs-decoded: the run model is trained on the inner folds' scores with the decoder (the fourth round's way);
// by default it is trained without it (as boilerplate-decode-exp.mjs measured the decoder: over a dump whose run
// models never saw a decoder).
const GRID_SOFT = args.includes('--decoder-soft') ? args[args.indexOf('--decoder-soft') + 1].split(',').map(Number) : [0, 0.001, 0.01, 0.05];
const DECODER_OBJ = args.includes('--decoder-objective') ? args[args.indexOf('--decoder-objective') + 1] : 'token';
const RUNS_PLAIN = !flag('--runs-decoded');
// --run-cols base[,copies,period,num,prose]: the run model's columns (runs.ts runColumns; default base: the fifth
// round's columns were not better, docs/boilerplate.md).
const RUN_COLS = (args.includes('--run-cols') ? args[args.indexOf('--run-cols') + 1] : 'base').split(',');
const DUMP = args.includes('--dump') ? path.resolve(args[args.indexOf('--dump') + 1]) : undefined;
const STRUCTURE = args.includes('--structure') ? args[args.indexOf('--structure') + 1] : 'none';
if (!['none', 'st', 'lr', 'all'].includes(STRUCTURE)) throw new Error('--structure none|st|lr|all');
const EXTRA_RE = {none: /^(st|lr)_/, st: /^lr_/, lr: /^st_/, all: undefined}[STRUCTURE];
/** Drop the structure columns that --structure leaves out. */
function structureColumns(x) {
  if (!EXTRA_RE) return x;
  const keep = x.names.map((name, i) => (EXTRA_RE.test(name) ? -1 : i)).filter((i) => i >= 0);
  return {...x, names: keep.map((i) => x.names[i]), columns: keep.map((i) => x.columns[i])};
}
const log = (...a) => console.error(`[${(process.uptime()).toFixed(0)}s]`, ...a);

/** Sample weight of every item of some pages: longer lines weigh more (the figures weigh characters). */
function weights(pages) {
  const w = [];
  for (const p of pages) {
    const sw = p.set === 'dev' ? WEIGHT.dev : WEIGHT.l3s;
    for (const s of p.page.stats) w.push(sw * Math.pow(s.chars + 10, WEIGHT.alpha));
  }
  return Float64Array.from(w);
}

/** Labels of some pages, item by item. */
function labels(pages) {
  const y = new Uint8Array(pages.reduce((a, p) => a + p.y.length, 0));
  let o = 0;
  for (const p of pages) {
    y.set(p.y, o);
    o += p.y.length;
  }
  return y;
}

/** Train one stage-1 ensemble on some pages. */
function trainStage1(pages, seed) {
  const {names, columns} = stack(pages);
  return train({columns, names, y: labels(pages), w: weights(pages)}, {...PARAMS, seed});
}

/** Train a bag of ensembles on the same data with different seeds (row and column samples differ). */
function trainBag(data, params, seed) {
  const bag = [];
  const binned = binColumns(data.columns, data.y.length, params.bins);
  for (let b = 0; b < BAG; b++) bag.push(train({...data, binned}, {...params, seed: seed + 7919 * b}));
  return bag;
}

/**
 * Fit both stages on some pages.
 * @param eng Engine modules.
 * @param pages Training pages.
 * @param groups Group per page (same order as `pages`).
 * @param seed Seed.
 * @returns The model {stage1, stage2}.
 */
function fitTwoStage(eng, pages, groups, seed) {
  const y = labels(pages);
  const w = weights(pages);
  const stage1 = trainBag({...stack(pages), y, w}, PARAMS, seed);
  // Stage-1 scores of the training pages from an inner grouped cross-validation.
  const inner = assignFolds(pages, groups, INNER, rng(seed + 17));
  const oof = new Map();
  const innerStage1 = [];
  for (let f = 0; f < INNER; f++) {
    const tr = pages.filter((_, i) => inner[i] !== f);
    const te = pages.filter((_, i) => inner[i] === f);
    if (te.length === 0) continue;
    const m = trainStage1(tr, seed + 101 + f);
    innerStage1[f] = m;
    for (const p of te) {
      const cols = eng.align(m, p.page.names, p.page.columns);
      oof.set(p, predict(m, cols, p.page.stats.length));
    }
  }
  const ctx1 = (p) => eng.contextFeatures(p.page, oof.get(p));
  const stage2 = trainBag({...stack(pages, ctx1), y, w}, PARAMS2, seed + 7);
  let stage3;
  if (STAGES >= 3) {
    // Stage-2 scores of the training pages from the same inner folds (stage 2 of each inner fold is trained on
    // the other folds' pages, with their out-of-fold stage-1 scores).
    const oof2 = new Map();
    for (let f = 0; f < INNER; f++) {
      const tr = pages.filter((_, i) => inner[i] !== f);
      const te = pages.filter((_, i) => inner[i] === f);
      if (te.length === 0) continue;
      const data = stack(tr, ctx1);
      const m2 = train({...data, y: labels(tr), w: weights(tr)}, {...PARAMS2, seed: seed + 203 + f});
      for (const p of te) {
        const c = ctx1(p);
        const cols = eng.align(m2, [...p.page.names, ...c.names], [...p.page.columns, ...c.columns]);
        oof2.set(p, predict(m2, cols, p.page.stats.length));
      }
    }
    const ctx2 = (p) => {
      const a = ctx1(p);
      const b = eng.contextFeatures(p.page, oof2.get(p));
      return {names: [...a.names, ...b.names.map((x) => `t${x}`)], columns: [...a.columns, ...b.columns]};
    };
    stage3 = trainBag({...stack(pages, ctx2), y, w}, PARAMS3, seed + 9);
  }
  const headline = trainHeadline(eng, pages, oof, seed + 13);
  const calibration = TUNE ? tuneCalibration(eng, pages, inner, innerStage1, oof, ctx1, seed) : CALIBRATION;
  const inn = DUMP || RUNS ? innerModels(eng, pages, inner, innerStage1, oof, ctx1, seed) : undefined;
  // --dump DIR: the inner folds' one-ensemble models too, for decoder experiments on inner out-of-fold pages.
  const innerDump = DUMP ? inn.map(({te, model}) => ({test: te.map((p) => p.id), model})) : undefined;
  const dec = DECODE ? fitDecoder(eng, pages, inn) : undefined;
  const runs = RUNS ? trainRuns(eng, dec && !RUNS_PLAIN ? dec.inner : inn, seed) : undefined;
  return {stage1, stage2, stage3, headline, calibration, innerDump, runs, decoder: dec?.decoder};
}

/**
 * The sequence decoder (server/src/engine/boilerplate/decode.ts): transitions counted on the training pages'
 * labels; the emission exponent γ and the posterior threshold chosen on the inner folds' out-of-fold dev pages
 * (each decided by an inner model that never saw it, with the transitions of that model's training pages) by the
 * mean of char F1 and token F1.
 * @param eng Engine modules.
 * @param pages Training pages.
 * @param inn Inner models and their pages (`innerModels`).
 * @returns {decoder, inner: the inner models with their decoders (for the run model)}.
 */
function fitDecoder(eng, pages, inn) {
  const scored = [];
  // The dev pages when there are enough of them (the cross-validation's folds have about 58), else every page.
  const devOnly = pages.filter((p) => p.set === 'dev').length >= 10;
  const fits = inn.map(({te, model}) => {
    const held = new Set(te);
    const fit = fitTransitions(pages.filter((p) => !held.has(p)).map((p) => p.y), DECODER_SMOOTH);
    for (const p of te) {
      if (devOnly && p.set !== 'dev') continue;
      const lines = eng.splitLines(p.text);
      scored.push({p, model, lines, raw: eng.rawScores(p.text, lines, model), fit});
    }
    return fit;
  });
  const gold = scored.map(({p}) => ({id: p.id, text: p.text, labels: p.labels}));
  // The objective over the inner pages, each decided with the decoder `decoderOf` makes from its transitions, or with
  // none (the region scores alone).
  const objective = (decoderOf) => {
    const preds = scored.map(({p, model, lines, raw, fit}) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, lines, {model: decoderOf ? {...model, decoder: decoderOf(fit)} : model, raw}).map((b) => b.line)}));
    const s = scorer.score(gold, preds);
    return DECODER_OBJ === 'token' ? s.content_token.f1 : DECODER_OBJ === 'char' ? s.boilerplate_char.f1 : (s.boilerplate_char.f1 + s.content_token.f1) / 2;
  };
  let best;
  for (const softAfter of GRID_SOFT)
    for (const gamma of GRID_GAMMA)
      for (const threshold of GRID_T) {
        const o = objective((fit) => makeDecoder(fit, {kind: 'posterior', input: 'regions', gamma, threshold, softAfter}));
        if (!best || o > best.o + 1e-9) best = {o, gamma, threshold, softAfter};
      }
  // The inner folds may also choose no decoder (the region scores alone), when that scores at least as high (since
  // issue 8's sixth round; `--decoder-always` keeps the best decoder whatever the region scores alone reach).
  if (!flag('--decoder-always')) {
    const o = objective(undefined);
    if (o >= best.o) {
      log(`  decoder: none chosen on ${scored.length} inner out-of-fold dev pages (objective ${o.toFixed(4)}, best decoder ${best.o.toFixed(4)})`);
      return {decoder: undefined, inner: inn};
    }
  }
  const choice = {kind: 'posterior', input: 'regions', gamma: best.gamma, threshold: best.threshold, softAfter: best.softAfter};
  log(`  decoder: γ ${best.gamma}, threshold ${best.threshold}, after → content ${best.softAfter} chosen on ${scored.length} inner out-of-fold dev pages (objective ${best.o.toFixed(4)})`);
  return {decoder: makeDecoder(fitTransitions(pages.map((p) => p.y), DECODER_SMOOTH), choice), inner: inn.map(({te, model}, k) => ({te, model: {...model, decoder: makeDecoder(fits[k], choice)}}))};
}

/**
 * The run model (server/src/engine/boilerplate/runs.ts): every training page is scored by the inner model that
 * never saw it, its runs of non-prose lines become rows (labelled boilerplate when at least half of their
 * characters are), and a bag of two small ensembles is trained on them.
 * @param eng Engine modules.
 * @param inn Inner models and their pages (`innerModels`).
 * @param seed Seed.
 * @returns The run model.
 */
function trainRuns(eng, inn, seed) {
  const rows = [];
  for (const {te, model} of inn) {
    for (const p of te) {
      const {page, p1, p: pp, score} = eng.scoreLines(p.text, eng.splitLines(p.text), model);
      if (page.block[0] < 0) continue;
      const rr = eng.shortRuns(page, RUN_PARAMS.minLength);
      if (rr.length === 0) continue;
      const cols = eng.runFeatures(page, rr, p1, pp, score);
      rr.forEach(([a, b], r) => {
        let bc = 0;
        let all = 0;
        for (let i = a; i <= b; i++) {
          all += page.stats[i].chars;
          if (p.y[i]) bc += page.stats[i].chars;
        }
        rows.push({x: cols.map((c) => c[r]), y: bc >= all / 2 ? 1 : 0, w: (p.set === 'dev' ? WEIGHT.dev : WEIGHT.l3s) * Math.sqrt(all + 10)});
      });
    }
  }
  const n = rows.length;
  const names = eng.runColumns(RUN_COLS);
  const columns = names.map((name) => eng.RUN_NAMES.indexOf(name)).map((k) => Float32Array.from(rows, (r) => r.x[k]));
  const y = Uint8Array.from(rows, (r) => r.y);
  const w = Float64Array.from(rows, (r) => r.w);
  const binned = binColumns(columns, n, PARAMS_R.bins);
  const bag = [0, 1].map((b) => train({columns, names, y, w, binned}, {...PARAMS_R, seed: seed + 30 + 7919 * b}));
  log(`  run model: ${n} runs of ${RUN_PARAMS.minLength}+ non-prose lines (${y.reduce((a, b) => a + b, 0)} boilerplate)`);
  return {bag, ...RUN_PARAMS};
}

/**
 * One-ensemble models of both stages (and a headline picker) per inner fold, each trained on the other inner
 * folds: their predictions of the inner fold's pages are out of fold within the training set.
 * @returns [{te: the inner fold's pages, model}]
 */
function innerModels(eng, pages, inner, innerStage1, oof, ctx1, seed) {
  const out = [];
  for (let f = 0; f < INNER; f++) {
    const tr = pages.filter((_, i) => inner[i] !== f);
    const te = pages.filter((_, i) => inner[i] === f);
    if (te.length === 0) continue;
    const m2 = train({...stack(tr, ctx1), y: labels(tr), w: weights(tr)}, {...PARAMS2, seed: seed + 203 + f});
    out.push({te, model: {format: 'sift-boilerplate-gbdt', version: 2, provenance: {}, stage1: [innerStage1[f]], stage2: [m2], headline: trainHeadline(eng, tr, oof, seed + 307 + f), headlinePick: HEADLINE_PICK, calibration: CALIBRATION}});
  }
  return out;
}

/**
 * Choose the region thresholds on the inner folds: for each inner fold, a one-ensemble model of both stages (and
 * a headline picker) trained on the other inner folds predicts its pages; the thresholds that maximise the mean of
 * char F1 and token F1 (score-boilerplate.mjs) over those out-of-fold pages (the dev pages among them, when there
 * are any) are kept.
 */
function tuneCalibration(eng, pages, inner, innerStage1, oof, ctx1, seed) {
  const devOnly = pages.filter((p) => p.set === 'dev').length >= 10;
  const scored = [];
  for (let f = 0; f < INNER; f++) {
    const tr = pages.filter((_, i) => inner[i] !== f);
    const te = pages.filter((_, i) => inner[i] === f && (!devOnly || pages[i].set === 'dev'));
    if (te.length === 0) continue;
    const m2 = train({...stack(tr, ctx1), y: labels(tr), w: weights(tr)}, {...PARAMS2, seed: seed + 203 + f});
    const model = {stage1: [innerStage1[f]], stage2: [m2], headline: trainHeadline(eng, tr, oof, seed + 307 + f), headlinePick: HEADLINE_PICK, calibration: CALIBRATION};
    for (const p of te) scored.push({p, model, lines: eng.splitLines(p.text), raw: eng.rawScores(p.text, eng.splitLines(p.text), model)});
  }
  const gold = scored.map(({p}) => ({id: p.id, text: p.text, labels: p.labels}));
  let best;
  for (const inBlock of GRID_IN) {
    for (const outside of TUNE_WHAT === 'in' ? [CALIBRATION.outside] : GRID_OUT) {
      const calibration = {inBlock, outside};
      const preds = scored.map(({p, model, lines, raw}) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, lines, {model: {...model, calibration}, raw}).map((b) => b.line)}));
      const s = scorer.score(gold, preds);
      const objective = (s.boilerplate_char.f1 + s.content_token.f1) / 2;
      // Ties go to the thresholds nearer the hand-set ones.
      const near = Math.abs(inBlock - CALIBRATION.inBlock) + Math.abs(outside - CALIBRATION.outside);
      if (!best || objective > best.objective + 1e-9 || (Math.abs(objective - best.objective) <= 1e-9 && near < best.near)) best = {calibration, objective, near};
    }
  }
  log(`  thresholds tuned on ${scored.length} inner out-of-fold pages: inside ${best.calibration.inBlock}, outside ${best.calibration.outside} (objective ${best.objective.toFixed(4)})`);
  return best.calibration;
}

/** Train the headline picker: candidates above the main block, labelled by the page's headline. */
function trainHeadline(eng, pages, oof, seed) {
  const cands = pages.filter((p) => p.headline >= 0).map((p) => ({p, c: eng.headlineCandidates(p.page, oof.get(p))})).filter((x) => x.c.items.length > 0);
  const hn = cands.reduce((a, x) => a + x.c.items.length, 0);
  const hNames = cands[0].c.names;
  const hColumns = hNames.map(() => new Float32Array(hn));
  const hy = new Uint8Array(hn);
  const hw = new Float64Array(hn);
  let o = 0;
  for (const {p, c} of cands) {
    c.columns.forEach((col, f) => hColumns[f].set(col, o));
    c.items.forEach((item, k) => {
      hy[o + k] = item === p.headline ? 1 : 0;
      hw[o + k] = p.set === 'dev' ? WEIGHT.dev : WEIGHT.l3s;
    });
    o += c.items.length;
  }
  return [train({columns: hColumns, names: hNames, y: hy, w: hw}, {...PARAMS_H, seed})];
}

/** Wrap the two stages as a model file object. */
function asModel(m, provenance) {
  return {format: 'sift-boilerplate-gbdt', version: 2, provenance, stage1: m.stage1, stage2: m.stage2, ...(m.stage3 ? {stage3: m.stage3} : {}), headline: m.headline, headlinePick: HEADLINE_PICK, calibration: m.calibration, ...(m.decoder ? {decoder: m.decoder} : {}), ...(m.runs ? {runs: m.runs} : {})};
}

/** Predict the boilerplate lines of some dev pages with the engine and a model. */
function predictPages(eng, pages, model) {
  return pages.map((p) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, eng.splitLines(p.text), {model}).map((b) => b.line)}));
}

/** Round for printing. */
const r4 = (x) => Math.round(x * 10000) / 10000;

async function main() {
  log('building (tsc -b)');
  build();
  const eng = await engine();
  // The columns features.ts appends by default (structure.ts): the long-range ones for --structure lr|all; --no-hmm
  // leaves out the stage-2 page-structure columns (hm_*, a fixed HMM's state posteriors; shipped since issue 8's
  // sixth round).
  const {structureOptions} = await import(pathToFileURL(path.join(ROOT, 'out', 'server', 'src', 'engine', 'boilerplate', 'structure.js')).href);
  if (STRUCTURE === 'lr' || STRUCTURE === 'all') structureOptions.longRange = true;
  if (flag('--no-hmm')) structureOptions.hmm = false;
  scorer = await import(pathToFileURL(SCORER).href);
  log('loading pages and computing features');
  const pages = loadPages(eng);
  for (const p of pages) Object.assign(p.page, structureColumns(p.page));
  const contextFeatures = eng.contextFeatures;
  eng.contextFeatures = (page, p) => structureColumns(contextFeatures(page, p));
  const groups = siteGroups(pages);
  const dev = pages.filter((p) => p.set === 'dev');
  log(`${pages.length} pages (${dev.length} dev), ${new Set(groups).size} site groups, ${pages[0].page.names.length} stage-1 features`);
  fs.mkdirSync(path.join(ROOT, 'scratch'), {recursive: true});
  const report = {};

  if (flag('--l3s-only')) {
    const l3s = pages.filter((p) => p.set === 'l3s');
    const m = fitTwoStage(eng, l3s, groups.filter((_, i) => pages[i].set === 'l3s'), SEED);
    const preds = predictPages(eng, dev, asModel(m, {}));
    const file = path.join(ROOT, 'scratch', 'boilerplate-l3s-only.pred.jsonl');
    fs.writeFileSync(file, preds.map((p) => JSON.stringify(p)).join('\n') + '\n');
    console.log('Trained on train-l3s.jsonl only, scored on all of dev.jsonl:');
    spawnSync(process.execPath, [SCORER, path.join(DATA, 'dev.jsonl'), file, '--bootstrap', '1000'], {stdio: 'inherit'});
    return;
  }

  if (!flag('--no-cv')) {
    const folds = assignFolds(pages, groups, FOLDS, rng(SEED));
    const oofPreds = [];
    const perFold = [];
    for (let f = 0; f < FOLDS; f++) {
      const trIdx = pages.map((_, i) => i).filter((i) => folds[i] !== f);
      const tr = trIdx.map((i) => pages[i]);
      const te = dev.filter((p) => folds[pages.indexOf(p)] === f);
      log(`fold ${f + 1}/${FOLDS}: training on ${tr.length} pages, testing on ${te.length} dev pages`);
      const m = fitTwoStage(eng, tr, trIdx.map((i) => groups[i]), SEED + 1000 * (f + 1));
      const preds = predictPages(eng, te, asModel(m, {}));
      if (DUMP) {
        fs.mkdirSync(DUMP, {recursive: true});
        fs.writeFileSync(path.join(DUMP, `fold${f + 1}.json`), JSON.stringify({fold: f + 1, test: te.map((p) => p.id), train: tr.map((p) => p.id), model: asModel(m, {}), inner: m.innerDump}));
      }
      oofPreds.push(...preds);
      const s = scorer.score(te.map((p) => ({id: p.id, text: p.text, labels: p.labels})), preds);
      perFold.push({fold: f + 1, pages: te.length, hosts: [...new Set(te.map((p) => p.host))].length, char_f1: s.boilerplate_char.f1, token_f1: s.content_token.f1, line_f1: s.boilerplate_line.f1, shingle_f1: s.content_shingle_benchmark_style.f1});
      log(`fold ${f + 1}: char F1 ${s.boilerplate_char.f1}, token F1 ${s.content_token.f1}, line F1 ${s.boilerplate_line.f1}`);
    }
    // --tag NAME: write the out-of-fold predictions to scratch/boilerplate-oof-NAME.pred.jsonl (runs side by side).
    const file = path.join(ROOT, 'scratch', `boilerplate-oof${args.includes('--tag') ? `-${args[args.indexOf('--tag') + 1]}` : ''}.pred.jsonl`);
    fs.writeFileSync(file, oofPreds.map((p) => JSON.stringify(p)).join('\n') + '\n');
    console.log(`\nOut-of-fold predictions on dev.jsonl (${FOLDS}-fold cross-validation grouped by site, dev + L3S), scored by score-boilerplate.mjs:`);
    const out = spawnSync(process.execPath, [SCORER, path.join(DATA, 'dev.jsonl'), file, '--bootstrap', '1000'], {encoding: 'utf8'});
    process.stdout.write(out.stdout);
    const json = JSON.parse(spawnSync(process.execPath, [SCORER, path.join(DATA, 'dev.jsonl'), file, '--json'], {encoding: 'utf8'}).stdout);
    console.log('\nper fold:');
    console.log('fold pages hosts  charF1  tokenF1  lineF1  shingleF1');
    for (const p of perFold) console.log(`${p.fold}    ${String(p.pages).padStart(5)} ${String(p.hosts).padStart(5)}  ${p.char_f1.toFixed(4)}  ${p.token_f1.toFixed(4)}   ${p.line_f1.toFixed(4)}  ${p.shingle_f1.toFixed(4)}`);
    const stat = (k) => {
      const v = perFold.map((p) => p[k]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
      return {mean: r4(m), sd: r4(sd), min: r4(Math.min(...v)), max: r4(Math.max(...v))};
    };
    const spread = {char_f1: stat('char_f1'), token_f1: stat('token_f1'), line_f1: stat('line_f1')};
    console.log(`spread over folds: char F1 ${spread.char_f1.mean} ± ${spread.char_f1.sd} (${spread.char_f1.min}–${spread.char_f1.max}), token F1 ${spread.token_f1.mean} ± ${spread.token_f1.sd} (${spread.token_f1.min}–${spread.token_f1.max})`);
    report.crossValidation = {folds: FOLDS, grouping: 'host or shared template (>= 5 identical lines of >= 3 words), over dev + L3S', outOfFold: json, perFold, spread};
  }

  if (flag('--cv-only')) return;
  log('training the shipped model on all pages');
  const m = fitTwoStage(eng, pages, groups, SEED);
  const provenance = {
    trainedBy: 'scripts/train-boilerplate.mjs (npm run train:boilerplate)',
    data: {
      'train-l3s.jsonl': {pages: pages.length - dev.length, sha256: sha256(path.join(DATA, 'train-l3s.jsonl')), source: 'L3S-GN1 (Kohlschütter et al. 2010), 304 of 621 pages, see ../shared/docs/datasets.md'},
      'dev.jsonl': {pages: dev.length, sha256: sha256(path.join(DATA, 'dev.jsonl')), source: 'article-extraction benchmark news pages, dev split, see ../shared/docs/datasets.md'},
    },
    seed: SEED,
    params: {stage1: PARAMS, stage2: PARAMS2, ...(RUNS ? {runs: {...PARAMS_R, ...RUN_PARAMS, bag: 2}} : {}), ...(DECODE ? {decoder: {kind: 'posterior', input: 'regions', smoothing: DECODER_SMOOTH, grid: {gamma: GRID_GAMMA, threshold: GRID_T, afterToContent: GRID_SOFT}, objective: DECODER_OBJ, runsPlain: RUNS_PLAIN, optional: !flag('--decoder-always'), chosen: m.decoder ? {gamma: m.decoder.gamma, threshold: m.decoder.threshold, afterToContent: Math.exp(m.decoder.trans[3][1])} : 'none'}} : {}), ...(STAGES >= 3 ? {stage3: PARAMS3} : {}), headline: PARAMS_H, headlinePick: HEADLINE_PICK, bag: BAG, weight: WEIGHT, innerFolds: INNER, structure: STRUCTURE, pageStructureColumns: !flag('--no-hmm'), calibration: TUNE ? {tuned: m.calibration, grid: {inBlock: GRID_IN, outside: TUNE_WHAT === 'in' ? [CALIBRATION.outside] : GRID_OUT}} : CALIBRATION},
    ...report,
  };
  const model = asModel(m, provenance);
  const file = path.join(ROOT, 'models', 'boilerplate.json');
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, JSON.stringify(model) + '\n');
  log(`wrote ${path.relative(ROOT, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
  console.log('\nmost used features (stage 1):', splitCounts(m.stage1[0]).slice(0, 15).map(([k, v]) => `${k}:${v}`).join(' '));
  console.log('most used features (stage 2):', splitCounts(m.stage2[0]).slice(0, 15).map(([k, v]) => `${k}:${v}`).join(' '));
}

await main();

#!/usr/bin/env node
// Decoder experiments on the models of a cross-validation run (`node scripts/train-boilerplate.mjs --cv-only --dump
// DIR` writes each fold's model, its training and test page ids, and its inner folds' one-ensemble models).
//
//   node scripts/boilerplate-decode-exp.mjs DIR [--kind posterior|viterbi] [--gammas 0.5,1] [--thresholds 0.5]
//
// For each outer fold: the decoder's transitions are counted on the fold's training pages only; its free
// parameters (emission exponent γ, posterior threshold) are chosen on the inner folds' out-of-fold dev pages (each
// predicted by an inner model that never saw it; transitions counted on that inner model's training pages), by the
// mean of char F1 and token F1 of score-boilerplate.mjs. The chosen decoder then decides the fold's test pages
// (never used to choose anything). Prints the out-of-fold scores with and without the decoder, and per fold.
import fs from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {pathToFileURL} from 'node:url';
import {ROOT, DATA, SCORER, engine} from './boilerplate-data.mjs';
import {fitTransitions, pageLabels, makeDecoder} from './boilerplate-decoder.mjs';

const args = process.argv.slice(2);
const dir = path.resolve(args[0]);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const KIND = opt('--kind', 'posterior');
const GAMMAS = opt('--gammas', '0.25,0.35,0.5,0.7,1').split(',').map(Number);
const THRESHOLDS = opt('--thresholds', KIND === 'viterbi' ? '0.5' : '0.3,0.4,0.5,0.6,0.7').split(',').map(Number);
const SMOOTH = Number(opt('--smooth', 0.5));
const INPUT = opt('--input', 'model');
// --soft-after ε,…: a grid of after → content probabilities (0: the transition stays forbidden), chosen with γ and τ.
const SOFT = opt('--soft-after', '0').split(',').map(Number);
// --objective mean|token|char: what the inner folds maximise (default: the mean of char F1 and token F1).
const OBJ = opt('--objective', 'mean');
const FIXED = args.includes('--fixed'); // use the first γ and threshold without tuning
const eng = await engine();
const scorer = await import(pathToFileURL(SCORER).href);
const pages = pageLabels(eng, [['dev', path.join(DATA, 'dev.jsonl')], ['l3s', path.join(DATA, 'train-l3s.jsonl')]]);
const folds = fs.readdirSync(dir).filter((f) => /^fold\d+\.json$/.test(f)).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

const gold = (ps) => ps.map((p) => ({id: p.id, text: p.text, labels: p.labels}));
const prep = (p, model) => {
  const lines = eng.splitLines(p.text);
  return {p, model, lines, raw: eng.rawScores(p.text, lines, model)};
};
const predict = (items, decoder) => items.map(({p, model, lines, raw}) => ({id: p.id, boilerplate: eng.detectBoilerplate(p.text, lines, {model: decoder ? {...model, decoder} : model, raw}).map((b) => b.line)}));
const objective = (s) => (OBJ === 'token' ? s.content_token.f1 : OBJ === 'char' ? s.boilerplate_char.f1 : (s.boilerplate_char.f1 + s.content_token.f1) / 2);

const oofBase = [];
const oofDec = [];
const perFold = [];
for (const fold of folds) {
  const train = fold.train.map((id) => pages.get(id));
  const test = fold.test.map((id) => pages.get(id));
  const fit = fitTransitions(train.map((p) => p.y), SMOOTH);
  let choice = {gamma: GAMMAS[0], threshold: THRESHOLDS[0], softAfter: SOFT[0]};
  if (!FIXED) {
    // Inner out-of-fold dev pages, each with its inner model and the transitions of that model's training pages.
    const inner = [];
    for (const f of fold.inner) {
      const held = new Set(f.test);
      const fitInner = fitTransitions(train.filter((p) => !held.has(p.id)).map((p) => p.y), SMOOTH);
      for (const id of f.test) if (pages.get(id).set === 'dev') inner.push({...prep(pages.get(id), f.model), fit: fitInner});
    }
    const g = gold(inner.map((x) => x.p));
    let best;
    for (const softAfter of SOFT)
      for (const gamma of GAMMAS)
        for (const threshold of THRESHOLDS) {
          const preds = inner.map((x) => predict([x], makeDecoder(x.fit, {kind: KIND, input: INPUT, gamma, threshold, softAfter}))[0]);
          const o = objective(scorer.score(g, preds));
          if (!best || o > best.o + 1e-9) best = {o, gamma, threshold, softAfter};
        }
    const base = objective(scorer.score(g, predict(inner)));
    console.error(`fold ${fold.fold}: inner ${inner.length} dev pages, chose γ ${best.gamma} threshold ${best.threshold} ε ${best.softAfter} (objective ${best.o.toFixed(4)}, region thresholds ${base.toFixed(4)})`);
    choice = best;
  }
  const items = test.map((p) => prep(p, fold.model));
  const decoder = makeDecoder(fit, {kind: KIND, input: INPUT, ...choice});
  const pb = predict(items);
  const pd = predict(items, decoder);
  oofBase.push(...pb);
  oofDec.push(...pd);
  const sb = scorer.score(gold(test), pb);
  const sd = scorer.score(gold(test), pd);
  perFold.push({fold: fold.fold, choice, base: [sb.boilerplate_char.f1, sb.content_token.f1], dec: [sd.boilerplate_char.f1, sd.content_token.f1]});
}
fs.mkdirSync(path.join(ROOT, 'scratch'), {recursive: true});
const file = path.join(ROOT, 'scratch', `decode-${KIND}-${INPUT}.pred.jsonl`);
fs.writeFileSync(file, oofDec.map((p) => JSON.stringify(p)).join('\n') + '\n');
const all = [...pages.values()].filter((p) => p.set === 'dev');
const sb = scorer.score(gold(all), oofBase);
const sd = scorer.score(gold(all), oofDec);
const f4 = (x) => x.toFixed(4);
console.log(`region thresholds: char F1 ${f4(sb.boilerplate_char.f1)} token F1 ${f4(sb.content_token.f1)}`);
console.log(`decoder ${KIND}:    char F1 ${f4(sd.boilerplate_char.f1)} token F1 ${f4(sd.content_token.f1)}`);
for (const f of perFold) console.log(`fold ${f.fold}: γ ${f.choice.gamma} t ${f.choice.threshold} ε ${f.choice.softAfter}  base ${f.base.map(f4).join(' ')}  decoder ${f.dec.map(f4).join(' ')}`);
console.log(`(predictions: ${path.relative(ROOT, file)})`);
if (args.includes('--full')) spawnSync(process.execPath, [SCORER, path.join(DATA, 'dev.jsonl'), file], {stdio: 'inherit'});

#!/usr/bin/env node
// Train Sift's entity tagger (models/ner.bin) on CoNLL-format data.
//
//   npm run train:ner                                   # ../shared/data/ner/train.conll, reports dev F1
//   node scripts/train-ner.mjs --train my.conll [--dev my-dev.conll] [--out models/ner.bin] [--epochs1 N --epochs2 N]
//
// Model: averaged structured perceptron over BILOU labels with first-order Viterbi decoding, in two passes. Pass 1
// uses local features (server/src/engine/entities/features.ts). Pass 2 adds non-local features: what pass 1 said
// about the same word elsewhere in the document. Pass 2 is trained on pass-1 labels of the training set obtained by
// k-fold jackknifing (each fold tagged by a pass-1 model that did not see it), so it learns how far to trust them.
// Everything is seeded and single-threaded: the same data gives the same model file, bit for bit.
import {writeFileSync, readFileSync, mkdirSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const root = new URL('../', import.meta.url);
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
if (!argv.includes('--no-build')) execFileSync(process.execPath, [fileURLToPath(new URL('node_modules/typescript/bin/tsc', root)), '-b', 'server'], {cwd: fileURLToPath(root), stdio: 'inherit'});
const {F, TG, readDocs, score, summary, rng, loadGazetteer, SHARED} = await import('./ner-lib.mjs');

/** Hyper-parameters, chosen on ../shared/data/ner/dev.conll. */
const CONFIG = {
  seed: Number(arg('seed', 20240601)),
  epochs1: Number(arg('epochs1', 12)),
  epochs2: Number(arg('epochs2', 12)),
  folds: Number(arg('folds', 5)),
  passes: Number(arg('passes', 2)),
  /** Rows whose largest absolute averaged weight is below this are dropped. */
  prune: Number(arg('prune', 0.02)),
  bits: 8,
  /** Perceptrons (different shuffles) whose weights are averaged, per pass. */
  average: Number(arg('average', 3)),
  /** The same for the jackknife folds' pass-1 models. */
  foldAverage: Number(arg('fold-average', 1)),
  /** Features seen fewer times in training are dropped. */
  minCount: Number(arg('min-count', 1)),
};
const trainPath = arg('train', fileURLToPath(new URL('data/ner/train.conll', SHARED)));
const devPath = arg('dev', fileURLToPath(new URL('data/ner/dev.conll', SHARED)));
const outPath = arg('out', fileURLToPath(new URL('models/ner.bin', root)));
const NL = F.NL;
const t0 = performance.now();
const log = (...m) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)}s]`, ...m);

const gazetteer = loadGazetteer();
const trainDocs = readDocs(trainPath);
const devDocs = devPath && devPath !== 'none' ? readDocs(devPath) : [];
for (const d of [...trainDocs, ...devDocs]) d.info = F.analyseDoc(d.tokens, gazetteer, null);
log(`train ${trainDocs.length} docs, ${trainDocs.reduce((n, d) => n + d.tokens.n, 0)} tokens; dev ${devDocs.length} docs`);

/**
 * Extract features of documents into one flat array of interned feature indices.
 * @param docs Documents (with .info).
 * @param nls Non-local evidence per document, or null (pass 1).
 * @param index Map feature hash → index.
 * @param grow Whether unseen features get new indices (training data) or are dropped.
 */
function extract(docs, nls, index, grow) {
  const buf = new Uint32Array(512);
  const feats = [];
  let total = 0;
  for (const d of docs) total += d.tokens.n;
  const off = new Int32Array(total + 1);
  const seqs = [];
  const gold = new Uint8Array(total);
  const docBase = [];
  let g = 0;
  let flat = new Int32Array(total * 60);
  let k = 0;
  docs.forEach((d, di) => {
    docBase.push(g);
    for (let i = 0; i < d.tokens.n; i++) gold[g + i] = d.gold[i];
    const {segments} = d.info;
    for (let x = 0; x < segments.length; x += 4) {
      const [s, e, a, b] = [segments[x], segments[x + 1], segments[x + 2], segments[x + 3]];
      if (nls && !F.hasEvidence(nls[di], s, e)) continue;
      seqs.push([g + s, g + e, s === a ? NL : 0, e < b]);
      for (let i = s; i < e; i++) {
        off[g + i] = k;
        const n = nls ? F.nonLocalFeaturesAt(d.info, i, a, b, nls[di], buf) : F.featuresAt(d.info, i, a, b, buf);
        if (k + n > flat.length) {
          const bigger = new Int32Array(flat.length * 2);
          bigger.set(flat);
          flat = bigger;
        }
        for (let j = 0; j < n; j++) {
          const h = buf[j] | 0 || 1;
          let f = index.get(h);
          if (f === undefined) {
            if (!grow) continue;
            f = index.size;
            index.set(h, f);
          }
          flat[k++] = f;
        }
        off[g + i + 1] = k;
      }
    }
    g += d.tokens.n;
  });
  void feats;
  return {feat: flat.subarray(0, k), off, seqs, gold, docBase, total};
}

/** Averaged structured perceptron with lazy averaging (w - u / c). */
class Perceptron {
  constructor(features) {
    this.W = new Float64Array(features * NL);
    this.U = new Float64Array(features * NL);
    this.T = new Float64Array((NL + 1) * NL);
    this.TU = new Float64Array((NL + 1) * NL);
    this.c = 1;
  }
  averaged() {
    const W = new Float32Array(this.W.length);
    for (let i = 0; i < W.length; i++) W[i] = this.W[i] - this.U[i] / this.c;
    const T = new Float32Array(this.T.length);
    for (let i = 0; i < T.length; i++) T[i] = this.T[i] - this.TU[i] / this.c;
    // Forbidden transitions never fire; keep them at 0 (Viterbi skips them).
    return {W, T};
  }
  epoch(data, order, scratch) {
    const {feat, off, seqs, gold} = data;
    const {W, U, T, TU} = this;
    let errors = 0;
    for (const si of order) {
      const [a, b, startRow, close] = seqs[si];
      const n = b - a;
      if (n === 0) continue;
      emissions(W, data, a, b, scratch.em);
      if (data.base) addBase(data.base, a, b, scratch.em);
      TG.viterbi(scratch.em, n, toF32(T, scratch.t32), scratch.pred, 0, scratch.delta, scratch.back, startRow, close);
      let wrong = false;
      for (let t = 0; t < n; t++) if (scratch.pred[t] !== gold[a + t]) wrong = true;
      if (wrong) {
        errors++;
        const c = this.c;
        for (let t = 0; t < n; t++) {
          const gl = gold[a + t];
          const pl = scratch.pred[t];
          if (gl !== pl) {
            for (let k = off[a + t]; k < off[a + t + 1]; k++) {
              const base = feat[k] * NL;
              W[base + gl] += 1;
              U[base + gl] += c;
              W[base + pl] -= 1;
              U[base + pl] -= c;
            }
          }
          const gp = t === 0 ? startRow : gold[a + t - 1];
          const pp = t === 0 ? startRow : scratch.pred[t - 1];
          if (!data.fixedT && (gp !== pp || gl !== pl)) {
            T[gp * NL + gl] += 1;
            TU[gp * NL + gl] += c;
            T[pp * NL + pl] -= 1;
            TU[pp * NL + pl] -= c;
          }
        }
        const gLast = gold[b - 1];
        const pLast = scratch.pred[n - 1];
        if (!data.fixedT && close && gLast !== pLast) {
          T[gLast * NL] += 1;
          TU[gLast * NL] += c;
          T[pLast * NL] -= 1;
          TU[pLast * NL] -= c;
        }
      }
      this.c++;
    }
    return errors;
  }
}

function toF32(T, into) {
  for (let i = 0; i < T.length; i++) into[i] = T[i];
  return into;
}

function emissions(W, data, a, b, em) {
  const {feat, off} = data;
  em.fill(0, 0, (b - a) * NL);
  for (let t = a; t < b; t++) {
    const row = (t - a) * NL;
    for (let k = off[t]; k < off[t + 1]; k++) {
      const base = feat[k] * NL;
      for (let l = 0; l < NL; l++) em[row + l] += W[base + l];
    }
  }
}

function addBase(base, a, b, em) {
  for (let x = 0, y = a * NL; y < b * NL; x++, y++) em[x] += base[y];
}

/** Emissions of all active tokens (global token order) under weights W. */
function allEmissions(W, data, into = new Float32Array(data.total * NL), only = null) {
  const em = new Float32Array(NL);
  for (const [a, b] of only ?? data.seqs) {
    for (let t = a; t < b; t++) {
      em.fill(0);
      for (let k = data.off[t]; k < data.off[t + 1]; k++) {
        const base = data.feat[k] * NL;
        for (let l = 0; l < NL; l++) em[l] += W[base + l];
      }
      into.set(em, t * NL);
    }
  }
  return into;
}

function makeScratch(data) {
  let longest = 1;
  for (const [a, b] of data.seqs) longest = Math.max(longest, b - a);
  return {em: new Float32Array(longest * NL), delta: new Float32Array(longest * NL), back: new Uint8Array(longest * NL), pred: new Uint8Array(longest), t32: new Float32Array((NL + 1) * NL)};
}

/** Tag documents with weights (W, T) over extracted features: labels per document. */
function decode(W, T, data, docs) {
  const scratch = makeScratch(data);
  const labels = data.init ? data.init.slice() : new Uint8Array(data.total);
  for (const [a, b, startRow, close] of data.seqs) {
    emissions(W, data, a, b, scratch.em);
    if (data.base) addBase(data.base, a, b, scratch.em);
    TG.viterbi(scratch.em, b - a, T, labels, a, scratch.delta, scratch.back, startRow, close);
  }
  return docs.map((d, i) => labels.subarray(data.docBase[i], data.docBase[i] + d.tokens.n));
}

function evalDocs(W, T, data, docs) {
  const labels = decode(W, T, data, docs);
  return {labels, result: score(docs, docs.map((d, i) => TG.labelsToSpans(d.tokens, labels[i])))};
}

/** Train one pass: CONFIG.average perceptrons with different shuffles, their averaged weights averaged again. */
function trainPass(name, data, features, epochs, seed, dev, average = CONFIG.average) {
  if (average <= 1) return trainOne(name, data, features, epochs, seed, dev);
  let sum = null;
  for (let r = 0; r < average; r++) {
    const m = trainOne(`${name} #${r + 1}`, data, features, epochs, seed + 7919 * r, null);
    if (!sum) sum = m;
    else {
      for (let i = 0; i < sum.W.length; i++) sum.W[i] += m.W[i];
      for (let i = 0; i < sum.T.length; i++) sum.T[i] += m.T[i];
    }
  }
  for (let i = 0; i < sum.W.length; i++) sum.W[i] /= average;
  for (let i = 0; i < sum.T.length; i++) sum.T[i] /= average;
  if (dev) log(`${name} (average of ${average}): dev ${summary(evalDocs(sum.W, sum.T, dev.data, dev.docs).result)}`);
  return sum;
}

function trainOne(name, data, features, epochs, seed, dev) {
  const p = new Perceptron(features);
  if (data.fixedT) p.T.set(data.fixedT);
  const random = rng(seed);
  const order = data.seqs.map((_, i) => i).filter((i) => data.seqs[i][1] > data.seqs[i][0]);
  const scratch = makeScratch(data);
  for (let e = 1; e <= epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const errors = p.epoch(data, order, scratch);
    if (dev && (e === epochs || argv.includes('--verbose'))) {
      const {W, T} = p.averaged();
      log(`${name} epoch ${e}: ${errors} wrong sequences; dev ${summary(evalDocs(W, T, dev.data, dev.docs).result)}`);
    } else log(`${name} epoch ${e}: ${errors} wrong sequences`);
  }
  return p.averaged();
}

/** Restrict extracted data to some documents (same feature indices). */
function subset(data, docs, keep) {
  const seqs = [];
  for (const di of keep) {
    const a0 = data.docBase[di];
    const a1 = a0 + docs[di].tokens.n;
    for (const s of data.seqs) if (s[0] >= a0 && s[1] <= a1) seqs.push(s);
  }
  return {...data, seqs};
}

// ---- Pass 1 ----
const index1 = new Map();
const train1 = extract(trainDocs, null, index1, true);
const dev1 = devDocs.length ? extract(devDocs, null, index1, false) : null;
log(`pass 1: ${index1.size} features`);
const pass1 = trainPass('pass 1', train1, index1.size, CONFIG.epochs1, CONFIG.seed, dev1 && {data: dev1, docs: devDocs});
const passes = [{index: index1, ...pass1}];

if (CONFIG.passes > 1) {
  // ---- Jackknifed pass-1 labels for the training set ----
  const folds = CONFIG.folds;
  const trainLabels = new Array(trainDocs.length);
  const trainBase = new Float32Array(train1.total * NL);
  const docOrder = trainDocs.map((_, i) => i);
  const random = rng(CONFIG.seed + 1);
  for (let i = docOrder.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docOrder[i], docOrder[j]] = [docOrder[j], docOrder[i]];
  }
  for (let f = 0; f < folds; f++) {
    const held = docOrder.filter((_, k) => k % folds === f);
    const rest = docOrder.filter((_, k) => k % folds !== f);
    const part = trainPass(`fold ${f + 1}/${folds}`, subset(train1, trainDocs, rest), index1.size, CONFIG.epochs1, CONFIG.seed + 10 + f, null, CONFIG.foldAverage);
    const heldData = subset(train1, trainDocs, held);
    const labels = decode(part.W, part.T, heldData, trainDocs);
    for (const di of held) trainLabels[di] = labels[di];
    allEmissions(part.W, train1, trainBase, heldData.seqs);
  }
  const trainNl = trainDocs.map((d, i) => F.nonLocal(d.info, trainLabels[i]));
  // ---- Pass 2: stacked on pass-1 scores (same transitions), learns the non-local features' weights, on the
  // segments that have non-local evidence ----
  const index2 = new Map();
  const train2 = extract(trainDocs, trainNl, index2, true);
  train2.base = trainBase;
  train2.fixedT = pass1.T;
  let dev2 = null;
  if (dev1) {
    const devLabels = decode(pass1.W, pass1.T, dev1, devDocs);
    dev2 = extract(devDocs, devDocs.map((d, i) => F.nonLocal(d.info, devLabels[i])), index2, false);
    dev2.base = allEmissions(pass1.W, dev1);
    dev2.init = new Uint8Array(dev1.total);
    devLabels.forEach((l, i) => dev2.init.set(l, dev1.docBase[i]));
  }
  log(`pass 2: ${index2.size} features`);
  const pass2 = trainPass('pass 2', train2, index2.size, CONFIG.epochs2, CONFIG.seed + 2, dev2 && {data: dev2, docs: devDocs});
  passes.push({index: index2, ...pass2});
}

// ---- Prune, quantise, write ----
const header = {labels: F.LABELS, config: CONFIG, trainedOn: trainPath.split('/').slice(-3).join('/'), passes: [], gazetteer: null};
const blocks = [];
// The gazetteer, compiled: phrase hashes (sorted) and category masks.
const gazKeys = [...gazetteer.phrases.keys()].sort((a, b) => a - b);
header.gazetteer = {categories: gazetteer.categories, maxLength: gazetteer.maxLength, phrases: gazKeys.length};
const gazKeyBuf = Buffer.alloc(gazKeys.length * 4);
const gazMaskBuf = Buffer.alloc(gazKeys.length * 4);
gazKeys.forEach((k, i) => {
  gazKeyBuf.writeUInt32LE(k, i * 4);
  gazMaskBuf.writeUInt32LE(gazetteer.phrases.get(k) >>> 0, i * 4);
});
for (const pass of passes) {
  const keys = [...pass.index.entries()].sort((a, b) => a[0] - b[0]);
  let maxAbs = 0;
  for (const v of pass.W) maxAbs = Math.max(maxAbs, Math.abs(v));
  const limit = CONFIG.bits === 8 ? 127 : 32767;
  const scale = maxAbs / limit;
  const kept = [];
  for (const [key, f] of keys) {
    let m = 0;
    for (let l = 0; l < NL; l++) m = Math.max(m, Math.abs(pass.W[f * NL + l]));
    if (m >= CONFIG.prune * maxAbs / 10 && Math.round(m / scale) > 0) kept.push([key, f]);
  }
  header.passes.push({features: kept.length, scale, bits: CONFIG.bits, nonLocal: header.passes.length > 0});
  const trans = Buffer.alloc((NL + 1) * NL * 4);
  for (let i = 0; i < (NL + 1) * NL; i++) trans.writeFloatLE(pass.T[i], i * 4);
  const keyBuf = Buffer.alloc(kept.length * 4);
  kept.forEach(([key], r) => keyBuf.writeUInt32LE(key >>> 0, r * 4));
  const wBuf = Buffer.alloc(kept.length * NL * (CONFIG.bits / 8));
  kept.forEach(([, f], r) => {
    for (let l = 0; l < NL; l++) {
      const q = Math.max(-limit, Math.min(limit, Math.round(pass.W[f * NL + l] / scale)));
      if (CONFIG.bits === 8) wBuf.writeInt8(q, r * NL + l);
      else wBuf.writeInt16LE(q, (r * NL + l) * 2);
    }
  });
  blocks.push([trans, keyBuf, wBuf]);
}
const pad = (b) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
const headerBuf = Buffer.from(JSON.stringify(header));
const lenBuf = Buffer.alloc(4);
lenBuf.writeUInt32LE(headerBuf.length);
const parts = [pad(Buffer.concat([Buffer.from('SIFTNER2'), lenBuf, headerBuf]))];
parts.push(gazKeyBuf, gazMaskBuf);
for (const [trans, keyBuf, wBuf] of blocks) parts.push(trans, keyBuf, pad(wBuf));
const file = Buffer.concat(parts);
mkdirSync(new URL('models/', root), {recursive: true});
writeFileSync(outPath, file);
log(`wrote ${outPath}: ${(file.length / 1048576).toFixed(2)} MiB, features ${header.passes.map((p) => p.features).join(' + ')}`);

// ---- Check the written model through the engine's own tagger ----
if (devDocs.length) {
  const model = TG.decodeModel(new Uint8Array(readFileSync(outPath)));
  const spans = devDocs.map((d) => TG.tagTokens(model, d.tokens));
  log(`shipped model on dev (in-process, tagger only): ${summary(score(devDocs, spans))}`);
}
log(`training took ${((performance.now() - t0) / 1000).toFixed(1)} s`);

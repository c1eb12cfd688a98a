// Gradient-boosted decision trees for binary classification (logistic loss), small and dependency-free.
// Histogram-based (features binned once into ≤ 64 quantile bins), depth-wise growth with histogram subtraction,
// row subsampling and column subsampling per tree from a seeded generator: the same inputs and seed give the same
// model, bit for bit. Used by scripts/train-boilerplate.mjs; the engine evaluates the trees in
// server/src/engine/boilerplate/model.ts.

import {mulberry32 as rng} from './random.mjs';

/** Seeded generator (mulberry32). */
export {rng};

/**
 * Shortest decimal that reads back as the same float32 and is not below it (so `x <= t` keeps its meaning for
 * every float32 x).
 * @param x A float32 value.
 * @returns A number with few digits.
 */
export function f32(x) {
  for (let p = 4; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x && y >= x) return y;
  }
  return x;
}

/**
 * Bin the columns: per feature, up to `maxBins` cut points at quantiles of the distinct values.
 * @param columns Float32Array per feature.
 * @param n Rows.
 * @param maxBins Bins per feature (≤ 255).
 * @returns {bins: Uint8Array (row-major n × F), cuts: Float32Array[] (upper edge of each bin)}.
 */
export function binColumns(columns, n, maxBins = 64) {
  const F = columns.length;
  const bins = new Uint8Array(n * F);
  const cuts = [];
  for (let f = 0; f < F; f++) {
    const col = columns[f];
    const sorted = Float32Array.from(col).sort();
    const distinct = [];
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    let edges;
    if (distinct.length <= maxBins) edges = distinct;
    else {
      const set = new Set();
      for (let b = 1; b <= maxBins; b++) set.add(sorted[Math.min(n - 1, Math.floor((b * n) / maxBins) - 1)]);
      set.add(sorted[n - 1]);
      edges = [...set].sort((a, b) => a - b);
    }
    const e = Float32Array.from(edges);
    cuts.push(e);
    for (let i = 0; i < n; i++) {
      const x = col[i];
      let lo = 0;
      let hi = e.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x <= e[mid]) hi = mid;
        else lo = mid + 1;
      }
      bins[i * F + f] = lo;
    }
  }
  return {bins, cuts};
}

/**
 * Train a boosted ensemble.
 * @param data {columns: Float32Array[], names: string[], y: Uint8Array (1 = boilerplate), w: Float64Array}
 * @param params {trees, depth, lr, lambda, minHess, subsample, colsample, bins, seed}
 * @returns {features, base, trees}
 */
export function train(data, params) {
  const {columns, names, y, w} = data;
  const n = y.length;
  const F = columns.length;
  const P = {trees: 300, depth: 6, lr: 0.08, lambda: 1, minHess: 2, subsample: 0.8, colsample: 0.8, bins: 64, seed: 1, ...params};
  const random = rng(P.seed);
  const {bins, cuts} = data.binned ?? binColumns(columns, n, P.bins);
  const B = P.bins;
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    sy += w[i] * y[i];
  }
  const prior = Math.min(Math.max(sy / sw, 1e-6), 1 - 1e-6);
  const base = Math.log(prior / (1 - prior));
  const margin = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees = [];
  const binsByCol = [];
  for (let f = 0; f < F; f++) {
    const col = new Uint8Array(n);
    for (let i = 0; i < n; i++) col[i] = bins[i * F + f];
    binsByCol.push(col);
  }

  for (let t = 0; t < P.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]));
      g[i] = (p - y[i]) * w[i];
      h[i] = Math.max(p * (1 - p), 1e-6) * w[i];
    }
    // Row subsample and feature subsample.
    const picked = new Int32Array(n);
    let nr = 0;
    for (let i = 0; i < n; i++) if (random() < P.subsample) picked[nr++] = i;
    const rows = picked.slice(0, nr);
    const feats = [];
    for (let f = 0; f < F; f++) if (random() < P.colsample) feats.push(f);
    if (feats.length === 0) feats.push(Math.floor(random() * F));

    const tree = {feature: [], threshold: [], left: [], right: [], value: []};
    const binThreshold = [];
    const newNode = () => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      return tree.feature.length - 1;
    };
    const Q = feats.length;
    const featArr = Int32Array.from(feats);
    // Histograms interleave gradient and hessian sums: [2 × (q × B + bin)] and the next slot.
    const histOf = (idx) => {
      const hist = new Float64Array(2 * Q * B);
      for (let k = 0; k < idx.length; k++) {
        const r = idx[k];
        const gr = g[r];
        const hr = h[r];
        const o = r * F;
        for (let q = 0; q < Q; q++) {
          const b = 2 * (q * B + bins[o + featArr[q]]);
          hist[b] += gr;
          hist[b + 1] += hr;
        }
      }
      return hist;
    };
    const root = newNode();
    let frontier = [{node: root, idx: rows, hist: histOf(rows), depth: 0}];
    while (frontier.length) {
      const next = [];
      for (const item of frontier) {
        const {node, idx, hist, depth} = item;
        let G = 0;
        let H = 0;
        for (let k = 0; k < idx.length; k++) {
          G += g[idx[k]];
          H += h[idx[k]];
        }
        const leafValue = (-G / (H + P.lambda)) * P.lr;
        if (depth >= P.depth || idx.length < 2 || H < 2 * P.minHess) {
          tree.value[node] = leafValue;
          continue;
        }
        const parentScore = (G * G) / (H + P.lambda);
        let bestGain = 1e-9;
        let bestF = -1;
        let bestBin = -1;
        for (let q = 0; q < Q; q++) {
          const f = featArr[q];
          const nb = cuts[f].length;
          let gl = 0;
          let hl = 0;
          const o = q * B;
          for (let b = 0; b < nb - 1; b++) {
            gl += hist[2 * (o + b)];
            hl += hist[2 * (o + b) + 1];
            if (hl < P.minHess) continue;
            const hr = H - hl;
            if (hr < P.minHess) break;
            const gr = G - gl;
            const gain = (gl * gl) / (hl + P.lambda) + (gr * gr) / (hr + P.lambda) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestBin = b;
            }
          }
        }
        if (bestF < 0) {
          tree.value[node] = leafValue;
          continue;
        }
        const col = binsByCol[bestF];
        let nl = 0;
        for (let k = 0; k < idx.length; k++) if (col[idx[k]] <= bestBin) nl++;
        const li = new Int32Array(nl);
        const ri = new Int32Array(idx.length - nl);
        for (let k = 0, a = 0, b = 0; k < idx.length; k++) {
          const r = idx[k];
          if (col[r] <= bestBin) li[a++] = r;
          else ri[b++] = r;
        }
        binThreshold[node] = bestBin;
        tree.feature[node] = bestF;
        tree.threshold[node] = f32(cuts[bestF][bestBin]);
        const ln = newNode();
        const rn = newNode();
        tree.left[node] = ln;
        tree.right[node] = rn;
        // Children at the last level become leaves and need no histogram. Otherwise build the smaller child's
        // histogram and derive the larger one by subtraction.
        if (depth + 1 >= P.depth) {
          next.push({node: ln, idx: li, hist: null, depth: depth + 1});
          next.push({node: rn, idx: ri, hist: null, depth: depth + 1});
          continue;
        }
        const small = li.length <= ri.length ? li : ri;
        const hs = histOf(small);
        const hl2 = hist;
        for (let k = 0; k < 2 * Q * B; k++) hl2[k] -= hs[k];
        const [histL, histR] = small === li ? [hs, hl2] : [hl2, hs];
        next.push({node: ln, idx: li, hist: histL, depth: depth + 1});
        next.push({node: rn, idx: ri, hist: histR, depth: depth + 1});
      }
      frontier = next;
    }
    // Round leaf values, then update the margins of every row with the rounded tree.
    tree.value = tree.value.map((v, i) => (tree.feature[i] < 0 ? Number(v.toPrecision(5)) : 0));
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) node = binsByCol[tree.feature[node]][i] <= binThreshold[node] ? tree.left[node] : tree.right[node];
      margin[i] += tree.value[node];
    }
    trees.push(tree);
  }
  return {features: [...names], base: Number(base.toPrecision(8)), trees};
}

/**
 * Predict probabilities with an ensemble over columns in the ensemble's feature order.
 * @param model Ensemble.
 * @param columns Columns.
 * @param n Rows.
 * @returns Float32Array of probabilities.
 */
export function predict(model, columns, n) {
  const out = new Float64Array(n).fill(model.base);
  for (const tree of model.trees) {
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) node = columns[tree.feature[node]][i] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      out[i] += tree.value[node];
    }
  }
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = 1 / (1 + Math.exp(-out[i]));
  return p;
}

/**
 * Total gain-free importance: how often each feature splits, over all trees.
 * @param model Ensemble.
 * @returns [[name, count]] sorted.
 */
export function splitCounts(model) {
  const counts = new Map();
  for (const tree of model.trees) for (const f of tree.feature) if (f >= 0) counts.set(model.features[f], (counts.get(model.features[f]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

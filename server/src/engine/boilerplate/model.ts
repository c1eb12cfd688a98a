/**
 * The boilerplate model: two stages of gradient-boosted trees over line features (see `features.ts`), trained by
 * `scripts/train-boilerplate.mjs` and shipped as `models/boilerplate.json`.
 *
 * The loader finds `models/` by walking up from this module's own location, so it works from the tsc output
 * (`out/server/src/engine/boilerplate/`), from the esbuild bundles (`dist/`) and from the packaged extension
 * (`models/` next to `dist/`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Decoder} from './decode.js';
import type {RunModel} from './runs.js';

/**
 * One regression tree, as parallel arrays indexed by node (node 0 is the root). An internal node sends a row
 * left when `x[feature] <= threshold`; a leaf has `feature` −1 and its value in `value`.
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** A boosted ensemble: the log-odds are `base` plus the sum of the trees' leaf values. */
export interface Ensemble {
  /** Feature names, in the order the trees index them. */
  features: string[];
  base: number;
  trees: Tree[];
}

/**
 * Where the final decision is drawn: a line inside the main block of prose needs more evidence to be flagged
 * than a line outside it (the story is contiguous; chrome surrounds it). The model's probability p becomes the
 * score sigmoid(logit(p) − logit(t)), with t the threshold of the line's region, so that the user's threshold
 * (default 0.5) applies to one scale.
 */
export interface Calibration {
  inBlock: number;
  outside: number;
}

/** The model file. */
export interface BoilerplateModel {
  format: 'sift-boilerplate-gbdt';
  version: number;
  /** Where the model comes from: data, seed, parameters, cross-validation figures. */
  provenance: Record<string, unknown>;
  /** First stage: a bag of ensembles whose probabilities are averaged. */
  stage1: Ensemble[];
  /** Second stage (adds the first stage's scores of the neighbours): a bag, averaged. */
  stage2: Ensemble[];
  /** Optional third stage (adds the second stage's scores of the neighbours): a bag, averaged. */
  stage3?: Ensemble[];
  /** Headline picker over the candidates of `headlineCandidates`; the best one is kept if it scores this much. */
  headline: Ensemble[];
  headlinePick: number;
  calibration: Calibration;
  /** Optional sequence decoder (decode.ts): when present, it draws the decision instead of the region thresholds. */
  decoder?: Decoder;
  /** Optional segment-level decisions for runs of short lines (runs.ts). */
  runs?: RunModel;
}

/**
 * An ensemble flattened into complete binary trees of one depth, in typed arrays, for a branch-light walk: tree t
 * has its internal nodes at `t·(2^D − 1) + k` (node k's children are 2k+1 and 2k+2) and its leaves at `t·2^D + j`.
 * A leaf above depth D fills every leaf below it with its value, so the direction taken under it does not matter.
 */
interface Flat {
  depth: number;
  trees: number;
  feature: Int32Array;
  threshold: Float64Array;
  leaf: Float64Array;
}

const flatCache = new WeakMap<Ensemble, Flat>();

/**
 * Depth of a tree (a lone leaf has depth 0).
 * @param tree Tree.
 * @param node Node.
 * @returns Depth.
 */
function depthOf(tree: Tree, node = 0): number {
  return tree.feature[node]! < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]!), depthOf(tree, tree.right[node]!));
}

/**
 * Flatten an ensemble's trees into complete trees of one depth (cached per ensemble).
 * @param ensemble The trees.
 * @returns Flat arrays.
 */
function flatten(ensemble: Ensemble): Flat {
  const cached = flatCache.get(ensemble);
  if (cached) return cached;
  const depth = Math.max(0, ...ensemble.trees.map((t) => depthOf(t)));
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  const T = ensemble.trees.length;
  const flat: Flat = {depth, trees: T, feature: new Int32Array(T * inner), threshold: new Float64Array(T * inner), leaf: new Float64Array(T * leaves)};
  ensemble.trees.forEach((tree, t) => {
    // Place node `src` of the tree at position `k` (depth d) of the complete tree.
    const place = (src: number, k: number, d: number): void => {
      if (tree.feature[src]! < 0) {
        // A leaf: every leaf of the complete subtree under k gets its value.
        let first = k;
        let count = 1;
        for (let e = d; e < depth; e++) {
          first = 2 * first + 1;
          count *= 2;
        }
        flat.leaf.fill(tree.value[src]!, t * leaves + first - inner, t * leaves + first - inner + count);
        return;
      }
      flat.feature[t * inner + k] = tree.feature[src]!;
      flat.threshold[t * inner + k] = tree.threshold[src]!;
      place(tree.left[src]!, 2 * k + 1, d + 1);
      place(tree.right[src]!, 2 * k + 2, d + 1);
    };
    place(0, 0, 0);
  });
  flatCache.set(ensemble, flat);
  return flat;
}

/**
 * Copy columns into one row-major matrix, so that a row's values are close together while its trees are walked.
 *
 * @param columns Columns.
 * @param n Rows.
 * @returns Matrix (n × columns.length).
 */
function rowMajor(columns: readonly Float32Array[], n: number): Float32Array {
  const F = columns.length;
  const rows = new Float32Array(n * F);
  for (let f = 0; f < F; f++) {
    const col = columns[f]!;
    for (let i = 0; i < n; i++) rows[i * F + f] = col[i]!;
  }
  return rows;
}

/**
 * Sum of an ensemble's trees for each row of a row-major matrix (log-odds, without the base). A row goes left
 * when `x <= threshold` (NaN goes right), the trees are summed in their order.
 *
 * @param ensemble The trees.
 * @param rows Row-major features in the ensemble's order.
 * @param F Features per row.
 * @param n Rows.
 * @param out Accumulator, zero on entry (each row gets its trees' sum, added in tree order).
 * @returns Nothing.
 */
function walk(ensemble: Ensemble, rows: Float32Array, F: number, n: number, out: Float64Array): void {
  const {depth, trees: T, feature, threshold, leaf} = flatten(ensemble);
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  // Four rows at a time, each walking every tree: a row's values stay in the cache while its trees are walked,
  // and the four walks are independent, so their loads overlap. The direction is computed without a branch
  // (`2 − (x <= threshold)`: NaN goes right), as a branch on the data is mispredicted half of the time. Each row's
  // sum still adds the trees in their order, starting from the accumulator's value.
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const o0 = i * F;
    const o1 = o0 + F;
    const o2 = o1 + F;
    const o3 = o2 + F;
    let s0 = out[i]!;
    let s1 = out[i + 1]!;
    let s2 = out[i + 2]!;
    let s3 = out[i + 3]!;
    for (let t = 0, base = 0, lbase = -inner; t < T; t++, base += inner, lbase += leaves) {
      let k0 = 0;
      let k1 = 0;
      let k2 = 0;
      let k3 = 0;
      for (let d = 0; d < depth; d++) {
        k0 = 2 * k0 + 2 - +(rows[o0 + feature[base + k0]!]! <= threshold[base + k0]!);
        k1 = 2 * k1 + 2 - +(rows[o1 + feature[base + k1]!]! <= threshold[base + k1]!);
        k2 = 2 * k2 + 2 - +(rows[o2 + feature[base + k2]!]! <= threshold[base + k2]!);
        k3 = 2 * k3 + 2 - +(rows[o3 + feature[base + k3]!]! <= threshold[base + k3]!);
      }
      s0 += leaf[lbase + k0]!;
      s1 += leaf[lbase + k1]!;
      s2 += leaf[lbase + k2]!;
      s3 += leaf[lbase + k3]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (let i = n4; i < n; i++) {
    const o = i * F;
    let s = out[i]!;
    for (let t = 0, base = 0, lbase = -inner; t < T; t++, base += inner, lbase += leaves) {
      let k = 0;
      for (let d = 0; d < depth; d++) k = 2 * k + 2 - +(rows[o + feature[base + k]!]! <= threshold[base + k]!);
      s += leaf[lbase + k]!;
    }
    out[i] = s;
  }
}

/**
 * Probability of each row of a column-major feature matrix under one ensemble.
 *
 * @param ensemble The trees.
 * @param columns One column per feature name of the ensemble, in its order.
 * @param n Number of rows.
 * @returns Probability per row.
 */
export function predict(ensemble: Ensemble, columns: readonly Float32Array[], n: number): Float32Array {
  const sums = new Float64Array(n);
  walk(ensemble, rowMajor(columns, n), columns.length, n, sums);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = 1 / (1 + Math.exp(-(ensemble.base + sums[i]!)));
  return p;
}

/**
 * Mean probability of a bag of ensembles.
 *
 * @param bag Ensembles.
 * @param names Names of the columns at hand.
 * @param columns The columns.
 * @param n Number of rows.
 * @returns Probability per row.
 */
export function predictBag(bag: readonly Ensemble[], names: readonly string[], columns: readonly Float32Array[], n: number): Float32Array {
  const out = new Float32Array(n);
  let rows: Float32Array | undefined;
  let order = '';
  for (const ensemble of bag) {
    // The members of a bag share their feature order: the matrix is built once.
    const key = featureKey(ensemble);
    if (!rows || key !== order) {
      rows = rowMajorOf(columns, columnIndex(ensemble, names), n);
      order = key;
    }
    const sums = new Float64Array(n);
    walk(ensemble, rows, ensemble.features.length, n, sums);
    for (let i = 0; i < n; i++) out[i] = out[i]! + 1 / (1 + Math.exp(-(ensemble.base + sums[i]!))) / bag.length;
  }
  return out;
}

/** Each ensemble's feature names joined (`predictBag` compares them), made once per ensemble. */
const featureKeys = new WeakMap<Ensemble, string>();

/**
 * An ensemble's feature names joined by commas (cached).
 * @param ensemble The ensemble.
 * @returns Key.
 */
function featureKey(ensemble: Ensemble): string {
  let key = featureKeys.get(ensemble);
  if (key === undefined) featureKeys.set(ensemble, (key = ensemble.features.join(',')));
  return key;
}

/** The last column order worked out for each ensemble, and the names it was worked out for. */
const columnIndexes = new WeakMap<Ensemble, {names: readonly string[]; index: Int32Array}>();

/**
 * Where each of an ensemble's features is among named columns (as `align` finds them): every page has the same
 * column names, so the order is worked out once and reused while the names are the same.
 * @param ensemble The ensemble.
 * @param names Names of the columns at hand.
 * @returns Index of the column of each feature, in the ensemble's order.
 */
function columnIndex(ensemble: Ensemble, names: readonly string[]): Int32Array {
  const last = columnIndexes.get(ensemble);
  if (last && sameNames(last.names, names)) return last.index;
  const byName = new Map(names.map((name, i) => [name, i]));
  const index = new Int32Array(ensemble.features.length);
  ensemble.features.forEach((name, f) => {
    const i = byName.get(name);
    if (i === undefined) throw new Error(`boilerplate model: unknown feature "${name}" (retrain with npm run train:boilerplate)`);
    index[f] = i;
  });
  columnIndexes.set(ensemble, {names: names.slice(), index});
  return index;
}

/**
 * Whether two lists of names are equal.
 * @param a Names.
 * @param b Names.
 * @returns Equal.
 */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `rowMajor` of the columns an index picks, in its order.
 * @param columns Columns.
 * @param index Column of each feature.
 * @param n Rows.
 * @returns Matrix (n × index.length).
 */
function rowMajorOf(columns: readonly Float32Array[], index: Int32Array, n: number): Float32Array {
  const F = index.length;
  const rows = new Float32Array(n * F);
  for (let f = 0; f < F; f++) {
    const col = columns[index[f]!]!;
    for (let i = 0; i < n; i++) rows[i * F + f] = col[i]!;
  }
  return rows;
}

/**
 * The calibrated score of a probability (see `Calibration`).
 *
 * @param p Probability of boilerplate.
 * @param t Threshold of the line's region.
 * @returns Score in 0..1; 0.5 exactly when p = t.
 */
export function calibrate(p: number, t: number): number {
  const q = Math.min(Math.max(p, 1e-6), 1 - 1e-6);
  const logit = (x: number): number => Math.log(x / (1 - x));
  return 1 / (1 + Math.exp(-(logit(q) - logit(t))));
}

/**
 * Arrange named columns in the order an ensemble expects.
 *
 * @param ensemble The ensemble.
 * @param names Names of the columns at hand.
 * @param columns The columns.
 * @returns Columns in the ensemble's order.
 */
export function align(ensemble: Ensemble, names: readonly string[], columns: readonly Float32Array[]): Float32Array[] {
  const index = new Map(names.map((name, i) => [name, i]));
  return ensemble.features.map((name) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`boilerplate model: unknown feature "${name}" (retrain with npm run train:boilerplate)`);
    return columns[i]!;
  });
}

let cached: BoilerplateModel | undefined;

/**
 * Find a file under `models/` by walking up from a directory.
 *
 * @param start Directory to start from.
 * @param name File name under `models/`.
 * @returns Path, or undefined.
 */
export function findModelFile(start: string, name: string): string | undefined {
  let dir = start;
  for (let depth = 0; depth < 8; depth++) {
    const candidate = path.join(dir, 'models', name);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Load the shipped model once (`models/boilerplate.json`).
 *
 * @returns The model.
 */
export function loadModel(): BoilerplateModel {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = findModelFile(here, 'boilerplate.json');
  if (!file) throw new Error(`boilerplate model not found: no models/boilerplate.json above ${here} (run npm run train:boilerplate)`);
  const model = JSON.parse(fs.readFileSync(file, 'utf8')) as BoilerplateModel;
  if (model.format !== 'sift-boilerplate-gbdt' || !Array.isArray(model.stage1)) throw new Error(`${file}: not a Sift boilerplate model`);
  cached = model;
  return model;
}

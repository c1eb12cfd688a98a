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
  /** Headline picker over the candidates of `headlineCandidates`; the best one is kept if it scores this much. */
  headline: Ensemble[];
  headlinePick: number;
  calibration: Calibration;
}

/** An ensemble flattened into typed arrays for fast evaluation. */
interface Flat {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  roots: Int32Array;
}

const flatCache = new WeakMap<Ensemble, Flat>();

/**
 * Flatten an ensemble's trees into one set of typed arrays (cached per ensemble).
 * @param ensemble The trees.
 * @returns Flat arrays.
 */
function flatten(ensemble: Ensemble): Flat {
  const cached = flatCache.get(ensemble);
  if (cached) return cached;
  const total = ensemble.trees.reduce((a, t) => a + t.feature.length, 0);
  const flat: Flat = {
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    roots: new Int32Array(ensemble.trees.length),
  };
  let o = 0;
  ensemble.trees.forEach((tree, t) => {
    flat.roots[t] = o;
    for (let k = 0; k < tree.feature.length; k++) {
      flat.feature[o + k] = tree.feature[k]!;
      flat.threshold[o + k] = tree.threshold[k]!;
      flat.left[o + k] = o + tree.left[k]!;
      flat.right[o + k] = o + tree.right[k]!;
      flat.value[o + k] = tree.value[k]!;
    }
    o += tree.feature.length;
  });
  flatCache.set(ensemble, flat);
  return flat;
}

/** Trees compiled to JavaScript, ten per function: each returns the sum of its trees' leaf values for one row. */
type Compiled = Array<(x: Float32Array, o: number) => number>;

const compiledCache = new WeakMap<Ensemble, Compiled | null>();

/**
 * Compile an ensemble's trees into plain functions (nested comparisons with the thresholds inlined), which run
 * several times faster than walking the node arrays. Only numbers from the model go into the code, each checked;
 * when code generation is not allowed, null (the array walker is used).
 *
 * @param ensemble The trees.
 * @returns Functions, or null.
 */
function compile(ensemble: Ensemble): Compiled | null {
  if (compiledCache.has(ensemble)) return compiledCache.get(ensemble)!;
  const num = (x: unknown): string => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error('boilerplate model: bad number');
    return String(x);
  };
  const tree = (t: Tree, node: number): string => {
    const f = t.feature[node]!;
    if (f < 0) return num(t.value[node]);
    if (!Number.isInteger(f)) throw new Error('boilerplate model: bad feature index');
    return `(x[o+${f}]<=${num(t.threshold[node])}?${tree(t, t.left[node]!)}:${tree(t, t.right[node]!)})`;
  };
  let out: Compiled | null = [];
  try {
    for (let k = 0; k < ensemble.trees.length; k += 10) {
      const body = ensemble.trees.slice(k, k + 10).map((t) => tree(t, 0)).join('+');
      out.push(new Function('x', 'o', `return ${body};`) as (x: Float32Array, o: number) => number);
    }
  } catch {
    out = null;
  }
  compiledCache.set(ensemble, out);
  return out;
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
  const {feature, threshold, left, right, value, roots} = flatten(ensemble);
  const F = columns.length;
  // Row-major copy of the features, so that one row's values are close together while its trees are walked.
  const rows = new Float32Array(n * F);
  for (let f = 0; f < F; f++) {
    const col = columns[f]!;
    for (let i = 0; i < n; i++) rows[i * F + f] = col[i]!;
  }
  const p = new Float32Array(n);
  const compiled = compile(ensemble);
  if (compiled) {
    for (let i = 0; i < n; i++) {
      const o = i * F;
      let sum = ensemble.base;
      for (const fn of compiled) sum += fn(rows, o);
      p[i] = 1 / (1 + Math.exp(-sum));
    }
    return p;
  }
  const T = roots.length;
  for (let i = 0; i < n; i++) {
    const o = i * F;
    let sum = ensemble.base;
    for (let t = 0; t < T; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        node = rows[o + f]! <= threshold[node]! ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      sum += value[node]!;
    }
    p[i] = 1 / (1 + Math.exp(-sum));
  }
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
  for (const ensemble of bag) {
    const p = predict(ensemble, align(ensemble, names, columns), n);
    for (let i = 0; i < n; i++) out[i] = out[i]! + p[i]! / bag.length;
  }
  return out;
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

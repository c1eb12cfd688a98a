/**
 * Segment-level decisions for runs of short lines: a maximal run of non-prose lines (a list, a menu, a table, a
 * footer of links) is judged as one unit, from the aggregate of its lines' scores and shape and from the prose
 * around it, by a small model (`runs` in models/boilerplate.json, trained by scripts/train-boilerplate.mjs on the
 * training folds' out-of-fold scores). A run the model reads as content keeps its lines below the threshold (the
 * pattern rules and copies still flag theirs); a run it reads as boilerplate is left to the line scores.
 *
 * Pure functions: a page's features and scores in, columns and scores out.
 */
import type {PageFeatures} from './features.js';
import {predictBag, type Ensemble} from './model.js';

/** The run model and its decision. */
export interface RunModel {
  /** Ensembles over the columns of `runFeatures`, averaged. */
  bag: Ensemble[];
  /** Shortest run judged (items). */
  minLength: number;
  /** A run whose probability of boilerplate is below this is read as content. */
  cut: number;
  /** The score a content run's lines are held to (below the user's default threshold 0.5). */
  cap: number;
}

/** Column names of `runFeatures`. */
export const RUN_NAMES = [
  'r_len', 'r_logChars', 'r_meanLogChars', 'r_meanP', 'r_charP', 'r_minP', 'r_maxP', 'r_meanP1', 'r_flagged', 'r_meanScore',
  'r_aboveP', 'r_belowP', 'r_aboveProse', 'r_belowProse', 'r_aboveChars', 'r_belowChars', 'r_colon', 'r_inBlock', 'r_inLenient',
  'r_topic', 'r_stop', 'r_docStop', 'r_repeats', 'r_digit', 'r_chrome', 'r_pattern', 'r_url', 'r_title', 'r_lenCV', 'r_markers',
  'r_terminal', 'r_startsDigit', 'r_endsColon',
] as const;

/**
 * The maximal runs of non-prose items of at least `minLength` items.
 * @param page Page features.
 * @param minLength Shortest run.
 * @returns [first, last] item pairs.
 */
export function shortRuns(page: PageFeatures, minLength: number): [number, number][] {
  const {stats} = page;
  const out: [number, number][] = [];
  let i = 0;
  while (i < stats.length) {
    if (stats[i]!.prose) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < stats.length && !stats[j + 1]!.prose) j++;
    if (j - i + 1 >= minLength) out.push([i, j]);
    i = j + 1;
  }
  return out;
}

/**
 * Columns of each run: its length, the model's scores of its lines (mean, char-weighted mean, extremes, the share
 * above the threshold), the prose around it (its scores and characters within ten lines), whether a line ending
 * with a colon introduces it, and the means of some of its lines' features.
 *
 * @param page Page features.
 * @param runs Runs (`shortRuns`).
 * @param p1 First-stage probabilities.
 * @param p Final probabilities.
 * @param score Region scores.
 * @returns Columns in the order of RUN_NAMES.
 */
export function runFeatures(page: PageFeatures, runs: readonly [number, number][], p1: ArrayLike<number>, p: ArrayLike<number>, score: ArrayLike<number>): Float32Array[] {
  const {stats, names, columns} = page;
  const index = new Map(names.map((name, k) => [name, k]));
  // Feature columns averaged over the run (a missing column counts 0).
  const MEANS = ['topicality', 'stopRatio', 'docStopRatio', 'repeats', 'digitRatio', 'chromeRatio', 'url', 'titleRatio', 'markersToBlock', 'inBlock', 'inLenientBlock', 'startsDigit'];
  const cols = MEANS.map((name) => columns[index.get(name === 'topicality' ? 'topic' : name) ?? -1]);
  const out = RUN_NAMES.map(() => new Float32Array(runs.length));
  const n = stats.length;
  const mean = new Float64Array(MEANS.length);
  runs.forEach(([a, b], r) => {
    const len = b - a + 1;
    let chars = 0, logc = 0, sp = 0, cp = 0, minP = 1, maxP = 0, sp1 = 0, flagged = 0, ss = 0, pat = 0, term = 0, colonEnd = 0, l2 = 0;
    mean.fill(0);
    for (let i = a; i <= b; i++) {
      const s = stats[i]!;
      chars += s.chars;
      const lc = Math.log1p(s.chars);
      logc += lc;
      l2 += lc * lc;
      sp += p[i]!;
      cp += p[i]! * s.chars;
      minP = Math.min(minP, p[i]!);
      maxP = Math.max(maxP, p[i]!);
      sp1 += p1[i]!;
      if (score[i]! >= 0.5) flagged++;
      ss += score[i]!;
      if (s.patternCategory) pat++;
      if (s.terminal) term++;
      if (s.endsColon) colonEnd++;
      for (let k = 0; k < cols.length; k++) {
        const v = cols[k]?.[i];
        if (v !== undefined && Number.isFinite(v)) mean[k] = mean[k]! + v;
      }
    }
    // The prose around the run: up to three prose items within ten items on each side.
    const side = (from: number, step: number): [number, number, number] => {
      let count = 0, sum = 0, ch = 0;
      for (let i = from, k = 0; i >= 0 && i < n && k < 10 && count < 3; i += step, k++) {
        if (!stats[i]!.prose) continue;
        count++;
        sum += p[i]!;
        ch += stats[i]!.chars;
      }
      return [count ? sum / count : NaN, count, Math.log1p(ch)];
    };
    const above = side(a - 1, -1);
    const below = side(b + 1, 1);
    const meanLog = logc / len;
    const values = [
      len, Math.log1p(chars), meanLog, sp / len, chars ? cp / chars : 0, minP, maxP, sp1 / len, flagged / len, ss / len,
      above[0], below[0], above[1], below[1], above[2], below[2], a > 0 && stats[a - 1]!.endsColon ? 1 : 0, mean[9]! / len, mean[10]! / len,
      mean[0]! / len, mean[1]! / len, mean[2]! / len, mean[3]! / len, mean[4]! / len, mean[5]! / len, pat / len, mean[6]! / len, mean[7]! / len,
      meanLog > 0 ? Math.sqrt(Math.max(0, l2 / len - meanLog * meanLog)) / meanLog : 0, mean[8]! / len,
      term / len, mean[11]! / len, colonEnd / len,
    ];
    values.forEach((v, k) => (out[k]![r] = v));
  });
  return out;
}

/**
 * Apply a run model: the lines of each run read as content are held to the cap.
 *
 * @param page Page features.
 * @param p1 First-stage probabilities.
 * @param p Final probabilities.
 * @param score Region scores (changed in place).
 * @param model The run model.
 * @returns Nothing.
 */
export function applyRuns(page: PageFeatures, p1: ArrayLike<number>, p: ArrayLike<number>, score: Float32Array, model: RunModel): void {
  const runs = shortRuns(page, model.minLength);
  if (runs.length === 0) return;
  const pr = predictBag(model.bag, RUN_NAMES, runFeatures(page, runs, p1, p, score), runs.length);
  runs.forEach(([a, b], r) => {
    if (pr[r]! >= model.cut) return;
    for (let i = a; i <= b; i++) score[i] = Math.min(score[i]!, model.cap);
  });
}

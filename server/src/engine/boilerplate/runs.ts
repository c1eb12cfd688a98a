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
  'r_copies', 'r_copiesInStory', 'r_copiesKept', 'r_same1', 'r_same2', 'r_alternate', 'r_numbered', 'r_proseWords',
] as const;

/**
 * The run columns added in issue 8's fifth round, by group (the model names the columns it uses; the shipped run
 * model uses none of them: docs/boilerplate.md): copies of the run's lines elsewhere in the page (anywhere, inside
 * the story block, kept by the model), shape periodicity (the same shape one and two lines on; alternation), a
 * numbered sequence, and the share of the run's words found in the page's confident prose.
 */
export const RUN_GROUPS: Readonly<Record<string, readonly string[]>> = {
  copies: ['r_copies', 'r_copiesInStory', 'r_copiesKept'],
  period: ['r_same1', 'r_same2', 'r_alternate'],
  num: ['r_numbered'],
  prose: ['r_proseWords'],
};

/**
 * The run columns of a selection: 'base' (the fourth round's columns) and any of RUN_GROUPS' names.
 * @param groups Group names.
 * @returns Column names, in the order of RUN_NAMES.
 */
export function runColumns(groups: readonly string[]): string[] {
  const extra = new Set(Object.values(RUN_GROUPS).flat());
  return RUN_NAMES.filter((name) => (extra.has(name) ? groups.some((g) => RUN_GROUPS[g]?.includes(name)) : groups.includes('base')));
}

/** Whether a run model uses any column of RUN_GROUPS (cached per model). */
const usesCache = new WeakMap<RunModel, boolean>();
function usesGroups(model: RunModel): boolean {
  let v = usesCache.get(model);
  if (v === undefined) {
    const extra = new Set(Object.values(RUN_GROUPS).flat());
    v = model.bag.some((e) => e.features.some((f) => extra.has(f)));
    usesCache.set(model, v);
  }
  return v;
}

/** A line's coarse shape for periodicity: colon at the end, digit at the start, terminal punctuation, length class. */
function shapeOf(s: {chars: number; endsColon: boolean; terminal: boolean; text: string}): number {
  const digit = /^\s*\d/.test(s.text) ? 1 : 0;
  const len = s.chars < 20 ? 0 : s.chars < 50 ? 1 : s.chars < 100 ? 2 : 3;
  return (s.endsColon ? 1 : 0) + 2 * digit + 4 * (s.terminal ? 1 : 0) + 8 * len;
}

const NUMBER_RE = /^\s*(?:[#№(]\s*)?(\d{1,3})(?:[.):\]\-–]|\s)/;

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
 * @param extra Whether to compute the columns of RUN_GROUPS (left 0 otherwise: a model that does not use them).
 * @returns Columns in the order of RUN_NAMES.
 */
export function runFeatures(page: PageFeatures, runs: readonly [number, number][], p1: ArrayLike<number>, p: ArrayLike<number>, score: ArrayLike<number>, extra = true): Float32Array[] {
  const {stats, names, columns} = page;
  const index = new Map(names.map((name, k) => [name, k]));
  // Feature columns averaged over the run (a missing column counts 0).
  const MEANS = ['topicality', 'stopRatio', 'docStopRatio', 'repeats', 'digitRatio', 'chromeRatio', 'url', 'titleRatio', 'markersToBlock', 'inBlock', 'inLenientBlock', 'startsDigit'];
  const cols = MEANS.map((name) => columns[index.get(name === 'topicality' ? 'topic' : name) ?? -1]);
  const out = RUN_NAMES.map(() => new Float32Array(runs.length));
  const n = stats.length;
  const mean = new Float64Array(MEANS.length);
  // Where each repeated key sits (for the copies of a run's lines elsewhere in the page).
  const at = new Map<string, number[]>();
  for (let i = 0; extra && i < n; i++) {
    const key = stats[i]!.key;
    if (!key || (page.keyCounts.get(key) ?? 0) < 2) continue;
    const list = at.get(key);
    if (list) list.push(i);
    else at.set(key, [i]);
  }
  // Words of the page's confident prose (prose lines the model keeps), longer than three letters.
  const proseWords = new Set<string>();
  for (let i = 0; extra && i < n; i++) {
    if (!stats[i]!.prose || !(p[i]! < 0.3)) continue;
    for (const w of stats[i]!.wordList) if (w.length > 3) proseWords.add(w);
  }
  const [blockA, blockB] = page.block;
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
    // Copies of the run's lines outside the run: any, inside the story block, kept by the model.
    let copies = 0, copiesIn = 0, copiesKept = 0;
    // Periodicity: the same shape as the next line, as the line after it; alternation (same at lag 2, not lag 1).
    let same1 = 0, same2 = 0, alt = 0;
    // Numbered sequence: a line whose leading number follows the previous numbered line's.
    let numbered = 0, lastNum = -1;
    let words = 0, shared = 0;
    for (let i = a; extra && i <= b; i++) {
      const s = stats[i]!;
      const list = at.get(s.key);
      if (list) {
        let any = false, inside = false, kept = false;
        for (const j of list) {
          if (j >= a && j <= b) continue;
          any = true;
          if (j >= blockA && j <= blockB) inside = true;
          if (p[j]! < 0.5) kept = true;
        }
        if (any) copies++;
        if (inside) copiesIn++;
        if (kept) copiesKept++;
      }
      const sh = shapeOf(s);
      if (i + 1 <= b && shapeOf(stats[i + 1]!) === sh) same1++;
      if (i + 2 <= b && shapeOf(stats[i + 2]!) === sh) {
        same2++;
        if (shapeOf(stats[i + 1]!) !== sh) alt++;
      }
      const m = NUMBER_RE.exec(s.text);
      if (m) {
        const v = Number(m[1]);
        if (lastNum >= 0 && v === lastNum + 1) numbered++;
        lastNum = v;
      }
      for (const w of s.wordList) {
        if (w.length <= 3) continue;
        words++;
        if (proseWords.has(w)) shared++;
      }
    }
    const meanLog = logc / len;
    const values = [
      len, Math.log1p(chars), meanLog, sp / len, chars ? cp / chars : 0, minP, maxP, sp1 / len, flagged / len, ss / len,
      above[0], below[0], above[1], below[1], above[2], below[2], a > 0 && stats[a - 1]!.endsColon ? 1 : 0, mean[9]! / len, mean[10]! / len,
      mean[0]! / len, mean[1]! / len, mean[2]! / len, mean[3]! / len, mean[4]! / len, mean[5]! / len, pat / len, mean[6]! / len, mean[7]! / len,
      meanLog > 0 ? Math.sqrt(Math.max(0, l2 / len - meanLog * meanLog)) / meanLog : 0, mean[8]! / len,
      term / len, mean[11]! / len, colonEnd / len,
      copies / len, copiesIn / len, copiesKept / len, len > 1 ? same1 / (len - 1) : 0, len > 2 ? same2 / (len - 2) : 0,
      len > 2 ? alt / (len - 2) : 0, len > 1 ? numbered / (len - 1) : 0, words ? shared / words : NaN,
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
  const pr = predictBag(model.bag, RUN_NAMES, runFeatures(page, runs, p1, p, score, usesGroups(model)), runs.length);
  runs.forEach(([a, b], r) => {
    if (pr[r]! >= model.cut) return;
    for (let i = a; i <= b; i++) score[i] = Math.min(score[i]!, model.cap);
  });
}

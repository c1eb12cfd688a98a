/**
 * Structure features of the boilerplate model: the shape of lists and the long-range spread of the content.
 *
 * A story told as a list (a meal plan, tour dates, a numbered product list, a Q&A) reads, line by line, like a
 * footer of links: short lines in a run. What tells them apart is structure, not vocabulary:
 * - a list inside a story is introduced by prose (often ending with a colon) and followed by prose again;
 * - its items repeat a shape with a period (label / value / label …) or are numbered in sequence (1., 2., 3.);
 * - its items share words with the story's prose (topicality, computed in `features.ts`).
 * Stage 2 adds long-range aggregates of the first stage's scores: the content mass above and below a line,
 * weighted by distance, and the share of the page's content before it.
 *
 * Kept apart from `features.ts` (which appends these columns) so that each file stays readable.
 */
import type {LineStats} from './features.js';

/**
 * Which of these columns `features.ts` appends when its callers do not say (the training script's experiments:
 * `train-boilerplate.mjs --structure st|lr|all`, `--no-hmm`): the list columns of stage 1 (`st_*`), the long-range columns of
 * stage 2 (`lr_*`) and the page-structure columns of stage 2 (`hm_*`, computed in `features.ts`). The engine asks
 * for the columns its model's trees read (`structureOf` in `index.ts`); the shipped model reads the page-structure
 * columns only (the list columns: +0.001 char F1 out of fold, inside the noise, for ~10 % more time; docs/boilerplate.md).
 */
export const structureOptions: StructureOptions = {lists: true, longRange: false, hmm: true};

/** Which structure columns to compute. */
export interface StructureOptions {
  /** The stage-1 list columns (`st_*`). */
  lists: boolean;
  /** The stage-2 long-range columns (`lr_*`). */
  longRange: boolean;
  /** The stage-2 page-structure columns (`hm_*`): a fixed four-state HMM's state posteriors over the first stage. */
  hmm?: boolean;
}

/** Named columns to append to a feature matrix. */
export interface ExtraColumns {
  names: string[];
  columns: Float32Array[];
}

const NUMBERED_RE = /^\s*[#(]?(\d{1,3})[.):]\s*\S/u;

/**
 * A coarse shape of a line: its length class, whether it starts with a digit, how it ends and whether it is
 * title-cased. Lines of a list repeat their shape with a short period.
 *
 * @param s Line facts.
 * @returns Shape code.
 */
function shapeOf(s: LineStats): number {
  const w = Math.max(s.wordList.length, Math.round(s.cjk / 2));
  const len = w <= 1 ? 0 : w <= 2 ? 1 : w <= 4 ? 2 : w <= 8 ? 3 : w <= 16 ? 4 : 5;
  const digit = /^\s*\d/u.test(s.text) ? 1 : 0;
  const end = s.terminal ? 1 : s.endsColon ? 2 : s.ellipsis ? 3 : 0;
  const title = s.titleRatio >= 0.6 ? 1 : 0;
  return len + 6 * (digit + 2 * (end + 4 * title));
}

/**
 * Stage-1 structure columns.
 *
 * @param stats Facts of the page's non-blank lines.
 * @param topic Topicality of each item (share of its content words found in the main block's prose).
 * @returns Names and columns.
 */
export function structureFeatures(stats: readonly LineStats[], topic: ArrayLike<number>): ExtraColumns {
  const n = stats.length;
  const names: string[] = [];
  const columns: Float32Array[] = [];
  const add = (name: string, col: Float32Array): void => {
    names.push(name);
    columns.push(col);
  };
  const shape = stats.map(shapeOf);
  // Periodic runs: the longest run through the line where every line repeats the shape `period` lines above
  // (period 1: a plain list; 2: label / value pairs; 3: triples).
  const periodic = new Float32Array(n);
  const bestPeriod = new Float32Array(n);
  for (const period of [1, 2, 3]) {
    const match = new Uint8Array(n);
    for (let i = period; i < n; i++) match[i] = shape[i] === shape[i - period] && !stats[i]!.prose ? 1 : 0;
    // Run of consecutive matches; a line belongs to a run if it matches or the line `period` below matches it.
    let i = 0;
    while (i < n) {
      if (!match[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < n && match[j + 1]) j++;
      const from = i - period;
      const len = j - from + 1;
      for (let k = Math.max(0, from); k <= j; k++) {
        if (len > periodic[k]!) {
          periodic[k] = len;
          bestPeriod[k] = period;
        }
      }
      i = j + 1;
    }
  }
  add('st_periodicRun', periodic.map((x) => Math.log1p(x)));
  add('st_period', bestPeriod);
  // Numbered items in sequence: the length of the chain of items numbered k, k+1, … (each within 12 items of the
  // previous one) that the line belongs to.
  const num = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const m = NUMBERED_RE.exec(stats[i]!.text);
    if (m) num[i] = Number(m[1]);
  }
  const chainPrev = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (num[i]! < 0) continue;
    for (let j = i - 1; j >= Math.max(0, i - 12); j--) {
      if (num[j] === num[i]! - 1) {
        chainPrev[i] = j;
        break;
      }
    }
  }
  const chainLen = new Float32Array(n);
  const hasNext = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (chainPrev[i]! >= 0) hasNext[chainPrev[i]!] = 1;
  // Length of each chain, given to all its members.
  for (let i = n - 1; i >= 0; i--) {
    if (num[i]! < 0 || hasNext[i]) continue;
    const members: number[] = [];
    for (let k = i; k >= 0; k = chainPrev[k]!) members.push(k);
    for (const k of members) chainLen[k] = members.length;
  }
  // Items between two members of a chain (the text of a numbered item) count as inside it.
  const inChain = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (chainPrev[i]! >= 0 && chainLen[i]! >= 3) for (let k = chainPrev[i]!; k <= i; k++) inChain[k] = Math.max(inChain[k]!, chainLen[i]!);
  }
  add('st_numberedChain', chainLen.map((x) => Math.log1p(x)));
  add('st_inNumberedList', inChain.map((x) => Math.log1p(x)));
  // Runs of non-prose lines: is the run introduced by prose (the line above it is prose, or ends with a colon)
  // and closed by prose below it? The run's mean topicality and length.
  const runStart = new Int32Array(n);
  const runEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) runStart[i] = stats[i]!.prose ? i : i > 0 && !stats[i - 1]!.prose ? runStart[i - 1]! : i;
  for (let i = n - 1; i >= 0; i--) runEnd[i] = stats[i]!.prose ? i : i + 1 < n && !stats[i + 1]!.prose ? runEnd[i + 1]! : i;
  const topicPrefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) topicPrefix[i + 1] = topicPrefix[i]! + topic[i]!;
  const introduced = new Float32Array(n);
  const closed = new Float32Array(n);
  const runTopic = new Float32Array(n);
  const runLen = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (stats[i]!.prose) {
      introduced[i] = -1;
      closed[i] = -1;
      runTopic[i] = -1;
      continue;
    }
    const a = runStart[i]!;
    const b = runEnd[i]!;
    const before = a > 0 ? stats[a - 1]! : undefined;
    introduced[i] = before ? (before.endsColon ? 2 : before.prose ? 1 : 0) : 0;
    closed[i] = b + 1 < n && stats[b + 1]!.prose ? 1 : 0;
    runTopic[i] = (topicPrefix[b + 1]! - topicPrefix[a]!) / (b - a + 1);
    runLen[i] = Math.log1p(b - a + 1);
  }
  add('st_runIntroduced', introduced);
  add('st_runClosed', closed);
  add('st_runTopic', runTopic);
  add('st_runLen', runLen);
  // Prose on both sides within 25 lines: the smaller of the two amounts (a line bracketed by the story).
  const proseChars = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) proseChars[i + 1] = proseChars[i]! + (stats[i]!.prose ? stats[i]!.chars : 0);
  add(
    'st_bracketed',
    Float32Array.from({length: n}, (_, i) => {
      const above = proseChars[i]! - proseChars[Math.max(0, i - 25)]!;
      const below = proseChars[Math.min(n, i + 26)]! - proseChars[i + 1]!;
      return Math.log1p(Math.min(above, below));
    }),
  );
  return {names, columns};
}

/**
 * Stage-2 long-range columns: the first stage's content mass (Σ (1 − p) × characters) above and below each line,
 * weighted by exp(−distance / L) for L = 10 and 40 lines, the smaller side, and the share of the page's content
 * mass before the line.
 *
 * @param stats Facts of the page's non-blank lines.
 * @param p First-stage probability of boilerplate per item.
 * @returns Names and columns.
 */
export function longRangeFeatures(stats: readonly LineStats[], p: ArrayLike<number>): ExtraColumns {
  const n = stats.length;
  const names: string[] = [];
  const columns: Float32Array[] = [];
  const mass = Float64Array.from({length: n}, (_, i) => (1 - p[i]!) * stats[i]!.chars);
  let total = 0;
  for (let i = 0; i < n; i++) total += mass[i]!;
  for (const L of [10, 40]) {
    const decay = Math.exp(-1 / L);
    const above = new Float64Array(n);
    const below = new Float64Array(n);
    for (let i = 1; i < n; i++) above[i] = (above[i - 1]! + mass[i - 1]!) * decay;
    for (let i = n - 2; i >= 0; i--) below[i] = (below[i + 1]! + mass[i + 1]!) * decay;
    names.push(`lr_above${L}`, `lr_below${L}`, `lr_bracket${L}`);
    columns.push(
      Float32Array.from(above, (x) => Math.log1p(x)),
      Float32Array.from(below, (x) => Math.log1p(x)),
      Float32Array.from({length: n}, (_, i) => Math.log1p(Math.min(above[i]!, below[i]!))),
    );
  }
  const share = new Float32Array(n);
  for (let i = 0, before = 0; i < n; i++) {
    share[i] = total > 0 ? before / total : 0;
    before += mass[i]!;
  }
  names.push('lr_shareBefore');
  columns.push(share);
  return {names, columns};
}

// The sequence decoder's parameters (server/src/engine/boilerplate/decode.ts), fitted on training pages' labels:
// transition, start and end log-probabilities counted over the state sequences of the labelled pages (add-k smoothed
// over the allowed transitions), and the share of boilerplate lines (the emissions' prior).
import {readJsonl} from './boilerplate-data.mjs';

// States: 0 before the story, 1 content, 2 boilerplate inside the story, 3 after the story.
export const BOILERPLATE = [true, false, true, true];
// Allowed transitions (the labels' state sequences can take no other): before → before|content, content →
// content|inside|after, inside → inside|content, after → after. A page starts before the story or in it.
const ALLOWED = [
  [1, 1, 0, 0],
  [0, 1, 1, 1],
  [0, 1, 1, 0],
  [0, 0, 0, 1],
];
const START = [1, 1, 0, 0];
// Every labelled page has a story: it ends in the story or after it.
const END = [0, 1, 0, 1];

/**
 * The state of each non-blank line of a labelled page (the same rule as `statesOf` in decode.ts).
 * @param y 1 for boilerplate, per non-blank line.
 * @returns States.
 */
export function statesOf(y) {
  let first = -1;
  let last = -1;
  for (let i = 0; i < y.length; i++) if (!y[i]) {
    if (first < 0) first = i;
    last = i;
  }
  return Array.from(y, (b, i) => (!b ? 1 : first < 0 || i < first ? 0 : i > last ? 3 : 2));
}

/**
 * Count the transitions of labelled pages.
 * @param ys Labels (1 = boilerplate) of each page's non-blank lines.
 * @param k Add-k smoothing over the allowed transitions.
 * @returns {start, trans, prior} in log space (prior as a probability).
 */
export function fitTransitions(ys, k = 0.5) {
  const S = 4;
  const start = new Array(S).fill(0);
  const end = new Array(S).fill(0);
  const trans = Array.from({length: S}, () => new Array(S).fill(0));
  let boiler = 0;
  let lines = 0;
  for (const y of ys) {
    if (y.length === 0) continue;
    const s = statesOf(y);
    start[s[0]]++;
    end[s[s.length - 1]]++;
    for (let i = 1; i < s.length; i++) trans[s[i - 1]][s[i]]++;
    for (const b of y) boiler += b ? 1 : 0;
    lines += y.length;
  }
  const norm = (counts, allowed) => {
    const total = counts.reduce((a, c, j) => a + (allowed[j] ? c + k : 0), 0);
    return counts.map((c, j) => (allowed[j] ? Math.log((c + k) / total) : -1e9));
  };
  return {start: norm(start, START), end: norm(end, END), trans: trans.map((row, a) => norm(row, ALLOWED[a])), prior: boiler / lines};
}

/**
 * Labels of every page of the data sets, by id: 1 for boilerplate per non-blank line (the items of pageFeatures:
 * lines whose trimmed text is not empty).
 * @param eng Engine modules (splitLines).
 * @param files Data files.
 * @returns Map id → {y, set, text, labels}.
 */
export function pageLabels(eng, files) {
  const out = new Map();
  for (const [set, file] of files) {
    for (const row of readJsonl(file)) {
      const y = [];
      for (const info of eng.splitLines(row.text)) if (row.text.slice(info.start, info.end).trim()) y.push(row.labels[info.index] === 'boilerplate' ? 1 : 0);
      out.set(row.id, {id: row.id, set, text: row.text, labels: row.labels, y});
    }
  }
  return out;
}

/**
 * A decoder from counted transitions.
 * @param fit fitTransitions' result.
 * @param o {kind, gamma, threshold}.
 * @returns Decoder (decode.ts).
 */
export function makeDecoder(fit, o) {
  // Over the region scores, 0.5 is already the neutral point (each region's threshold): the prior is 0.5.
  const input = o.input ?? 'model';
  // o.softAfter ε > 0: the chrome after the story may go back to content with probability ε (a story that goes on
  // after a teaser or a list read as chrome); the labels' state sequences never take this transition.
  const trans = o.softAfter ? fit.trans.map((row, a) => (a === 3 ? [-1e9, Math.log(o.softAfter), -1e9, Math.log(1 - o.softAfter)] : row)) : fit.trans;
  return {kind: o.kind ?? 'posterior', input, boilerplate: BOILERPLATE, start: fit.start, end: fit.end, trans, prior: input === 'regions' ? 0.5 : fit.prior, gamma: o.gamma, threshold: o.threshold ?? 0.5};
}

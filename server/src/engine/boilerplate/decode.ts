/**
 * A sequence decoder over a page's non-blank lines: a small hidden Markov model whose states are the parts of a
 * page (chrome before the story, story content, boilerplate inside the story, chrome after the story), whose
 * emissions come from the model's probabilities, and whose transitions were counted on the training pages' labels
 * (`scripts/train-boilerplate.mjs`). The story is contiguous: the decoder weighs a line's own evidence against the
 * cost of leaving and re-entering the story.
 *
 * Pure functions: numbers in, numbers out.
 */

/** The decoder's parameters, stored in `models/boilerplate.json` by the training script. */
export interface Decoder {
  /** 'posterior': the forward-backward marginal of the boilerplate states; 'viterbi': the best state path. */
  kind: 'posterior' | 'viterbi';
  /** What the emissions read: the model's probabilities ('model', the default) or the region scores of index.ts. */
  input?: 'model' | 'regions';
  /** Whether each state is boilerplate (the others are content). */
  boilerplate: boolean[];
  /** Log-probability of the first line's state. */
  start: number[];
  /** Log-probability of the last line's state (a page ends in the story or after it; absent: any state). */
  end?: number[];
  /** Log-probability of going from state a to state b: `trans[a][b]` (−1e9, about −∞, for a transition the labels never take). */
  trans: number[][];
  /** The share of boilerplate lines in training: the model's probabilities are divided by it (scaled likelihoods). */
  prior: number;
  /** Exponent of the emissions (below 1: the transitions weigh more). */
  gamma: number;
  /** A line is boilerplate when its posterior reaches this (the shown score is 0.5 there). */
  threshold: number;
}

/**
 * Log-emissions of each line: γ·log(p / prior) in a boilerplate state, γ·log((1 − p) / (1 − prior)) in a content
 * state.
 *
 * @param p Probability of boilerplate per line.
 * @param d Decoder.
 * @returns Per line, the log-emission of the boilerplate states (`eb`) and of the content states (`ec`).
 */
function emissions(p: ArrayLike<number>, d: Decoder): {eb: Float64Array; ec: Float64Array} {
  const n = p.length;
  const eb = new Float64Array(n);
  const ec = new Float64Array(n);
  const lb = Math.log(d.prior);
  const lc = Math.log(1 - d.prior);
  for (let i = 0; i < n; i++) {
    const q = Math.min(Math.max(p[i]!, 1e-4), 1 - 1e-4);
    eb[i] = d.gamma * (Math.log(q) - lb);
    ec[i] = d.gamma * (Math.log(1 - q) - lc);
  }
  return {eb, ec};
}

/**
 * Forward-backward in probability space, each step normalised (two logarithms and two exponentials per line instead
 * of one per transition): for each line and state, the product of the forward and backward terms, proportional to
 * the posterior of that state at that line.
 *
 * @param p Probability of boilerplate per line.
 * @param d Decoder.
 * @returns Row-major n × S, the term of state s at line i at `i * S + s`.
 */
function forwardBackward(p: ArrayLike<number>, d: Decoder): Float64Array {
  const S = d.boilerplate.length;
  const n = p.length;
  const out = new Float64Array(n * S);
  if (n === 0) return out;
  const T = new Float64Array(S * S);
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) T[a * S + b] = Math.exp(d.trans[a]![b]!);
  // Emissions of a boilerplate state and of a content state, per line.
  const {eb, ec} = emissions(p, d);
  for (let i = 0; i < n; i++) {
    eb[i] = Math.exp(eb[i]!);
    ec[i] = Math.exp(ec[i]!);
  }
  const boiler = d.boilerplate;
  const fw = new Float64Array(n * S);
  const scale = new Float64Array(n);
  let sum = 0;
  for (let s = 0; s < S; s++) sum += fw[s] = Math.exp(d.start[s]!) * (boiler[s] ? eb[0]! : ec[0]!);
  scale[0] = sum;
  for (let s = 0; s < S; s++) fw[s] = fw[s]! / sum;
  for (let i = 1; i < n; i++) {
    const o = i * S;
    sum = 0;
    for (let b = 0; b < S; b++) {
      let x = 0;
      for (let a = 0; a < S; a++) x += fw[o - S + a]! * T[a * S + b]!;
      sum += fw[o + b] = x * (boiler[b] ? eb[i]! : ec[i]!);
    }
    scale[i] = sum;
    for (let b = 0; b < S; b++) fw[o + b] = fw[o + b]! / sum;
  }
  // Backward with the same scales; the posterior of a state is fw × bw (each row sums to one).
  const bw = new Float64Array(S);
  for (let s = 0; s < S; s++) bw[s] = d.end ? Math.exp(d.end[s]!) : 1;
  const next = new Float64Array(S);
  for (let i = n - 1; i >= 0; i--) {
    if (i < n - 1) {
      for (let b = 0; b < S; b++) next[b] = bw[b]! * (boiler[b] ? eb[i + 1]! : ec[i + 1]!);
      for (let a = 0; a < S; a++) {
        let x = 0;
        for (let b = 0; b < S; b++) x += T[a * S + b]! * next[b]!;
        bw[a] = x / scale[i + 1]!;
      }
    }
    for (let s = 0; s < S; s++) out[i * S + s] = fw[i * S + s]! * bw[s]!;
  }
  return out;
}

/**
 * The posterior probability that each line is in a boilerplate state.
 *
 * @param p Probability of boilerplate per line (the model's).
 * @param d Decoder.
 * @returns Posterior per line.
 */
export function posterior(p: ArrayLike<number>, d: Decoder): Float32Array {
  const S = d.boilerplate.length;
  const n = p.length;
  const out = new Float32Array(n);
  const x = forwardBackward(p, d);
  for (let i = 0; i < n; i++) {
    let all = 0;
    let bp = 0;
    for (let s = 0; s < S; s++) {
      all += x[i * S + s]!;
      if (d.boilerplate[s]) bp += x[i * S + s]!;
    }
    out[i] = all > 0 ? bp / all : 0;
  }
  return out;
}

/**
 * The posterior marginal of every state for every line.
 *
 * @param p Probability of boilerplate per line.
 * @param d Decoder.
 * @returns Row-major n × S: the probability of state s at line i, at `i * S + s`.
 */
export function marginals(p: ArrayLike<number>, d: Decoder): Float64Array {
  const S = d.boilerplate.length;
  const x = forwardBackward(p, d);
  for (let o = 0; o < x.length; o += S) {
    let all = 0;
    for (let s = 0; s < S; s++) all += x[o + s]!;
    if (all > 0) for (let s = 0; s < S; s++) x[o + s] = x[o + s]! / all;
  }
  return x;
}

/**
 * The most likely state path (Viterbi): whether each line is in a boilerplate state.
 *
 * @param p Probability of boilerplate per line (the model's).
 * @param d Decoder.
 * @returns 1 for boilerplate, 0 for content, per line.
 */
export function viterbi(p: ArrayLike<number>, d: Decoder): Uint8Array {
  const S = d.boilerplate.length;
  const n = p.length;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  const {eb, ec} = emissions(p, d);
  const boiler = d.boilerplate;
  const v = new Float64Array(n * S);
  const back = new Int8Array(n * S);
  for (let s = 0; s < S; s++) v[s] = d.start[s]! + (boiler[s] ? eb[0]! : ec[0]!);
  for (let i = 1; i < n; i++) {
    for (let b = 0; b < S; b++) {
      let best = -Infinity;
      let arg = 0;
      for (let a = 0; a < S; a++) {
        const x = v[(i - 1) * S + a]! + d.trans[a]![b]!;
        if (x > best) {
          best = x;
          arg = a;
        }
      }
      v[i * S + b] = best + (boiler[b] ? eb[i]! : ec[i]!);
      back[i * S + b] = arg;
    }
  }
  const last = (k: number): number => v[(n - 1) * S + k]! + (d.end ? d.end[k]! : 0);
  let s = 0;
  for (let k = 1; k < S; k++) if (last(k) > last(s)) s = k;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = d.boilerplate[s] ? 1 : 0;
    s = back[i * S + s]!;
  }
  return out;
}

/**
 * The shown score of each line under a decoder: for 'posterior', the posterior on a scale where the decoder's
 * threshold is 0.5 (sigmoid(logit(q) − logit(threshold))); for 'viterbi', the model's probability moved to the
 * side of 0.5 the best path decides (at least 0.5 when the path says boilerplate, below it otherwise).
 *
 * @param p Probability of boilerplate per line (the model's).
 * @param d Decoder.
 * @returns Score per line in 0..1.
 */
export function decodeScores(p: ArrayLike<number>, d: Decoder): Float32Array {
  const n = p.length;
  const score = new Float32Array(n);
  if (d.kind === 'viterbi') {
    const path = viterbi(p, d);
    for (let i = 0; i < n; i++) score[i] = path[i] ? Math.max(p[i]!, 0.5) : Math.min(p[i]!, 0.49);
    return score;
  }
  const q = posterior(p, d);
  const lt = Math.log(d.threshold / (1 - d.threshold));
  for (let i = 0; i < n; i++) {
    const x = Math.min(Math.max(q[i]!, 1e-6), 1 - 1e-6);
    score[i] = 1 / (1 + Math.exp(-(Math.log(x / (1 - x)) - lt)));
  }
  return score;
}

/** The four states: chrome before the story, story content, boilerplate inside the story, chrome after it. */
export const STATES = ['before', 'content', 'inside', 'after'] as const;

/**
 * The state of each line of a labelled page (training): boilerplate lines before the first content line are
 * 'before', after the last one 'after', between them 'inside'; a page without content is all 'before'.
 *
 * @param y 1 for boilerplate, 0 for content, per non-blank line.
 * @returns State index (into STATES) per line.
 */
export function statesOf(y: ArrayLike<number>): Uint8Array {
  const n = y.length;
  let first = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!y[i]) {
      if (first < 0) first = i;
      last = i;
    }
  }
  const s = new Uint8Array(n);
  for (let i = 0; i < n; i++) s[i] = !y[i] ? 1 : first < 0 || i < first ? 0 : i > last ? 3 : 2;
  return s;
}


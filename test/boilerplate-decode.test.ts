/**
 * The sequence decoder (decode.ts) against brute force: on short sequences every state path is enumerated, so the
 * forward-backward posterior must equal the normalised sum over the paths through a boilerplate state, and the
 * Viterbi path must be (one of) the most likely paths.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {decodeScores, marginals, posterior, statesOf, viterbi, type Decoder} from '../server/src/engine/boilerplate/decode.js';

const NEVER = -1e9;
const ln = Math.log;

/** A decoder shaped like the trained ones (before, content, inside, after). */
function decoder(gamma: number, prior: number): Decoder {
  return {
    kind: 'posterior',
    boilerplate: [true, false, true, true],
    start: [ln(0.8), ln(0.2), NEVER, NEVER],
    end: [NEVER, ln(0.3), NEVER, ln(0.7)],
    trans: [
      [ln(0.9), ln(0.1), NEVER, NEVER],
      [NEVER, ln(0.85), ln(0.1), ln(0.05)],
      [NEVER, ln(0.3), ln(0.7), NEVER],
      [NEVER, NEVER, NEVER, 0],
    ],
    prior,
    gamma,
    threshold: 0.5,
  };
}

/** Every path's log-score (start, transitions, emissions), enumerated. */
function paths(p: number[], d: Decoder): {path: number[]; score: number}[] {
  const S = d.boilerplate.length;
  const out: {path: number[]; score: number}[] = [];
  const emit = (i: number, s: number): number => {
    const q = Math.min(Math.max(p[i]!, 1e-4), 1 - 1e-4);
    return d.gamma * (d.boilerplate[s] ? ln(q) - ln(d.prior) : ln(1 - q) - ln(1 - d.prior));
  };
  const rec = (path: number[], score: number): void => {
    if (path.length === p.length) {
      out.push({path: [...path], score: score + (d.end ? d.end[path[path.length - 1]!]! : 0)});
      return;
    }
    for (let s = 0; s < S; s++) {
      const step = path.length === 0 ? d.start[s]! : d.trans[path[path.length - 1]!]![s]!;
      rec([...path, s], score + step + emit(path.length, s));
    }
  };
  rec([], 0);
  return out.filter((x) => x.score > -1e8);
}

/**
 * The brute-force posterior: the share of the probability of all paths held by the paths whose state at a line is
 * one of some states.
 */
function bruteMarginal(p: number[], d: Decoder): (i: number, keep: (state: number) => boolean) => number {
  const all = paths(p, d);
  const m = Math.max(...all.map((x) => x.score));
  const z = all.reduce((a, x) => a + Math.exp(x.score - m), 0);
  return (i, keep) => all.filter((x) => keep(x.path[i]!)).reduce((a, x) => a + Math.exp(x.score - m), 0) / z;
}

const probs = fc.array(fc.double({min: 0.001, max: 0.999, noNaN: true}), {minLength: 1, maxLength: 6});

describe('boilerplate sequence decoder', () => {
  it('posterior equals the brute-force marginal of the boilerplate states', () => {
    fc.assert(
      fc.property(probs, fc.double({min: 0.2, max: 1.5, noNaN: true}), fc.double({min: 0.2, max: 0.8, noNaN: true}), (p, gamma, prior) => {
        const d = decoder(gamma, prior);
        const brute = bruteMarginal(p, d);
        const q = posterior(p, d);
        p.forEach((_, i) => {
          const want = brute(i, (s) => d.boilerplate[s]!);
          assert.ok(Math.abs(q[i]! - want) < 1e-5, `line ${i}: ${q[i]} against ${want}`);
        });
      }),
      {numRuns: 200},
    );
  });

  it('state marginals equal the brute-force marginal of each state, and sum to the posterior over the boilerplate ones', () => {
    fc.assert(
      fc.property(probs, fc.double({min: 0.2, max: 1.5, noNaN: true}), fc.double({min: 0.2, max: 0.8, noNaN: true}), (p, gamma, prior) => {
        const d = decoder(gamma, prior);
        const brute = bruteMarginal(p, d);
        const got = marginals(p, d);
        const q = posterior(p, d);
        p.forEach((_, i) => {
          for (let s = 0; s < 4; s++) {
            const want = brute(i, (state) => state === s);
            assert.ok(Math.abs(got[i * 4 + s]! - want) < 1e-5, `line ${i}, state ${s}: ${got[i * 4 + s]} against ${want}`);
          }
          assert.ok(Math.abs(got[i * 4]! + got[i * 4 + 2]! + got[i * 4 + 3]! - q[i]!) < 1e-6);
        });
      }),
      {numRuns: 200},
    );
  });

  it('Viterbi finds a most likely path', () => {
    fc.assert(
      fc.property(probs, fc.double({min: 0.2, max: 1.5, noNaN: true}), (p, gamma) => {
        const d = decoder(gamma, 0.5);
        const all = paths(p, d);
        const best = Math.max(...all.map((x) => x.score));
        const got = viterbi(p, d);
        // Some path of the best score has the decided boilerplate/content sides.
        assert.ok(all.some((x) => x.score >= best - 1e-9 && x.path.every((s, i) => +d.boilerplate[s]! === got[i])));
      }),
      {numRuns: 200},
    );
  });

  it('a doubtful line inside confident content is kept; a confident one is still flagged', () => {
    const d = decoder(1, 0.5);
    // Chrome, chrome, story, a doubtful line, story, then a confident boilerplate line, the story again, chrome.
    const p = [0.95, 0.9, 0.05, 0.65, 0.05, 0.999, 0.05, 0.05, 0.9, 0.95];
    const s = decodeScores(p, d);
    assert.deepEqual(Array.from(s, (x) => (x >= 0.5 ? 1 : 0)), [1, 1, 0, 0, 0, 1, 0, 0, 1, 1]);
    // Without the decoder the doubtful line would be flagged.
    assert.ok(p[3]! >= 0.5 && s[3]! < 0.5);
  });

  it('a page ends in the story or after it: a short story is not swallowed by the chrome before it', () => {
    // Sticky chrome (as counted on long pages) and weak emissions: without an end state the whole page would stay
    // in the chrome before the story.
    const d: Decoder = {...decoder(0.35, 0.5), start: [ln(0.97), ln(0.03), NEVER, NEVER], trans: [[ln(0.98), ln(0.02), NEVER, NEVER], [NEVER, ln(0.87), ln(0.07), ln(0.06)], [NEVER, ln(0.26), ln(0.74), NEVER], [NEVER, NEVER, NEVER, 0]]};
    const p = [0.95, 0.3, 0.05, 0.05, 0.05, 0.95, 0.95];
    assert.deepEqual(Array.from(posterior(p, {...d, end: undefined}), (x) => (x >= 0.5 ? 1 : 0)), [1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(posterior(p, d), (x) => (x >= 0.5 ? 1 : 0)), [1, 0, 0, 0, 0, 1, 1]);
  });

  it('states of a labelled page: before, content, inside, after', () => {
    assert.deepEqual(Array.from(statesOf([1, 1, 0, 1, 0, 0, 1, 1])), [0, 0, 1, 2, 1, 1, 3, 3]);
    assert.deepEqual(Array.from(statesOf([1, 1])), [0, 0]);
  });
});

/**
 * The tagger's fast paths give exactly what the plain computation gives: the cached first-pass scores equal the sum
 * of the weights of every `featuresAt` feature, token by token; the BILOU Viterbi equals the generic one; the
 * gazetteer looked up in the model file's sorted keys equals the hash table; emptying the caches changes nothing.
 * (Speed is measured by scripts/ner-bench.mjs and bench/run.mjs, not here.)
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {tagNames} from '../server/src/engine/entities/index.js';
import {analyseDoc, featuresAt, makeGazetteer, makeGazetteerTable, NL, parseGazetteer, typeTable, type DocInfo, type Gazetteer} from '../server/src/engine/entities/features.js';
import {nerModel} from '../server/src/engine/entities/model.js';
import {cachedLocalScores} from '../server/src/engine/entities/scores.js';
import {buildPass, referenceLocalScores, viterbi, viterbiBilou, type PassModel} from '../server/src/engine/entities/tagger.js';
import {tokenize} from '../server/src/engine/entities/tokenize.js';
import {OWN_SAMPLES, readText, SHARED_SAMPLES, textFiles} from './helpers.js';

/** The seed and own samples, plus ALL-CAPS and lower-case versions (headline truecasing, no capitals at all). */
const texts = (): string[] => {
  const base = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText);
  return [...base, ...base.map((t) => t.toUpperCase()), base[0]!.toLowerCase(), `PRESIDENT VISITS ANKARA\n\nThe President of Turkey met officials in Ankara.\n${base[1]!}`];
};

/**
 * Cached and reference first-pass scores of a text.
 *
 * @param text Text.
 * @param pass Weights.
 * @param gazetteer Gazetteer.
 * @returns Both.
 */
function bothScores(text: string, pass: PassModel, gazetteer: Gazetteer | null): {cached: Int32Array; reference: Int32Array; doc: DocInfo} {
  const doc = analyseDoc(tokenize(text), gazetteer, null);
  const reference = referenceLocalScores(doc, pass);
  const cached = new Int32Array(reference.length);
  cachedLocalScores(doc, pass, cached);
  return {cached, reference, doc};
}

describe('entities: fast paths are exact', () => {
  it('cached first-pass scores equal the feature-by-feature sums on real text, headlines included', () => {
    const model = nerModel();
    let rows = 0;
    for (const text of texts()) {
      const {cached, reference} = bothScores(text, model.passes[0]!, model.gazetteer);
      assert.deepEqual(cached, reference);
      rows += reference.length / NL;
    }
    assert.ok(rows > 1000, `only ${rows} active tokens compared`);
  });

  it('stays exact when a token has more gazetteer hits than featuresAt keeps (the 120-feature cut)', () => {
    // 24 categories that all contain "paris" alone, at the start, inside and at the end of a phrase.
    const rows: string[] = [];
    for (let c = 0; c < 24; c++) rows.push(`C${c}\tparis`, `C${c}\tparis hilton`, `C${c}\tgare paris`, `C${c}\tgare paris hilton`);
    const gazetteer = parseGazetteer(rows.join('\n'));
    const text = 'The Gare Paris Hilton opened.\nParis Hilton and Gare Paris were busy; PARIS wept.';
    // A model that has a weight for every feature of this text (pseudo-random, seeded).
    const doc = analyseDoc(tokenize(text), gazetteer, null);
    const keys = new Set<number>();
    const buffer = new Uint32Array(512);
    let most = 0;
    for (let s = 0; s + 1 < doc.seqStart.length; s++) {
      for (let i = doc.seqStart[s]!; i < doc.seqStart[s + 1]!; i++) {
        const count = featuresAt(doc, i, doc.seqStart[s]!, doc.seqStart[s + 1]!, buffer);
        most = Math.max(most, count);
        for (let k = 0; k < count; k++) keys.add(buffer[k]!);
      }
    }
    assert.ok(most > 120, `the cut was not reached (${most} features at most)`);
    const sorted = Uint32Array.from([...keys].sort((a, b) => a - b));
    const weights = new Int8Array(sorted.length * NL);
    let seed = 7;
    for (let x = 0; x < weights.length; x++) weights[x] = ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24) - 128;
    const pass = buildPass(sorted, weights, 0.5, new Float32Array((NL + 1) * NL));
    const {cached, reference} = bothScores(text, pass, gazetteer);
    assert.deepEqual(cached, reference);
  });

  it('decodes BILOU exactly as the generic Viterbi, ties included', () => {
    const transitions = nerModel().passes[0]!.transitions;
    fc.assert(
      fc.property(fc.integer({min: 1, max: 9}), fc.array(fc.integer({min: -3, max: 3}), {minLength: 9 * NL, maxLength: 9 * NL}), fc.boolean(), fc.boolean(), fc.boolean(), (n, values, fromStart, close, ownTransitions) => {
        const em = Float32Array.from(values.slice(0, n * NL));
        const trans = ownTransitions ? Float32Array.from(transitions, (_, x) => values[x % values.length]! / 2) : transitions;
        const a = new Uint8Array(n);
        const b = new Uint8Array(n + 2);
        viterbi(em, n, trans, a, 0, new Float32Array(n * NL), new Uint8Array(n * NL), fromStart ? NL : 0, close);
        const padded = new Float32Array(em.length + NL);
        padded.set(em, NL);
        viterbiBilou(padded, NL, n, trans, b, 2, new Float32Array(n * NL), new Uint8Array(n * NL), fromStart ? NL : 0, close);
        assert.deepEqual([...b.subarray(2)], [...a]);
      }),
      {numRuns: 400, seed: 42},
    );
  });

  it('finds the same gazetteer hits in sorted keys as in the hash table', () => {
    const model = nerModel();
    const g = model.gazetteer!;
    assert.ok(g.sortedKeys, 'the shipped model is looked up in its sorted keys');
    const phrases = new Map<number, number>();
    for (let i = 0; i < g.sortedKeys.length; i++) phrases.set(g.sortedKeys[i]!, g.sortedMasks![i]!);
    const hashed = makeGazetteer(g.categories, g.maxLength, phrases);
    // Unsorted keys are put in a table too.
    const reversed = makeGazetteerTable(g.categories, g.maxLength, g.sortedKeys.slice().reverse(), g.sortedMasks!.slice().reverse());
    assert.equal(reversed.sortedKeys, undefined);
    for (const text of texts().slice(0, 6)) {
      const tokens = tokenize(text);
      const viaSorted = analyseDoc(tokens, g, null).gaz;
      assert.deepEqual(analyseDoc(tokens, hashed, null).gaz, viaSorted);
      assert.deepEqual(analyseDoc(tokens, reversed, null).gaz, viaSorted);
      assert.ok(viaSorted.some((bits) => bits !== 0));
    }
  });

  it('gives the same document info with reused arrays as with fresh ones, after longer and shorter documents', () => {
    const model = nerModel();
    const sample = texts();
    // Longest first, so that later documents get views of arrays that still hold a longer document's values.
    const ordered = [...sample].sort((a, b) => b.length - a.length);
    let compared = 0;
    for (const text of ordered) {
      const tokens = tokenize(text);
      const fresh = analyseDoc(tokens, model.gazetteer, model.clusters, false);
      const reused = analyseDoc(tokens, model.gazetteer, model.clusters, false, true);
      for (const key of ['low', 'word', 'raw', 'shape', 'flags', 'types', 'lowKeys', 'docBits', 'gaz', 'context', 'cluster', 'seqStart', 'segments'] as const) {
        assert.deepEqual(Array.from(reused[key]), Array.from(fresh[key]), key);
      }
      compared += tokens.n;
    }
    assert.ok(compared > 5000, `only ${compared} tokens compared`);
  });

  it('tags the same after the word-type caches are emptied', () => {
    const model = nerModel();
    const sample = texts();
    const before = sample.map((t) => JSON.stringify(tagNames(t)));
    const table = typeTable(model.gazetteer, model.clusters);
    const generation = table.generation;
    table.trim(0);
    assert.equal(table.generation, generation + 1);
    assert.equal(table.size, 0);
    // Tag in reverse order, so that word types get other entries than before.
    const after = sample
      .map((_, i) => sample.length - 1 - i)
      .map((i) => JSON.stringify(tagNames(sample[i]!)))
      .reverse();
    assert.deepEqual(after, before);
  });
});

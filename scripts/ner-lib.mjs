// Shared pieces of the NER training and measuring scripts: reading CoNLL data through the evaluation harness's
// own detokeniser, aligning gold spans to Sift's tokens, the averaged structured perceptron, and scoring.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';

const root = new URL('../', import.meta.url);
const out = (p) => new URL(`out/server/src/engine/entities/${p}`, root);
export const {tokenize} = await import(out('tokenize.js'));
export const F = await import(out('features.js'));
export const TG = await import(out('tagger.js'));
export const SHARED = new URL('../shared/', root);
const conll = await import(new URL('eval/conlleval.mjs', SHARED));
export const {readConll, docText, tagsToSpans, spansToTags, evaluate} = conll;

/** Deterministic PRNG (mulberry32). */
export {mulberry32 as rng} from './random.mjs';

/** Load the shipped gazetteer. */
export function loadGazetteer() {
  return F.parseGazetteer(gunzipSync(readFileSync(new URL('models/gazetteer.txt.gz', root))).toString('utf8'));
}

/**
 * Read a CoNLL file into documents: {text, tokens (Sift's), gold (BILOU label per Sift token), goldSpans, conll}.
 */
export function readDocs(path) {
  const docs = readConll(path);
  return docs.map((doc, index) => {
    const {text, offsets} = docText(doc);
    const goldTags = doc.map((sent) => sent.map((cols) => cols[cols.length - 1]));
    const goldSpans = tagsToSpans(goldTags, offsets);
    const tokens = tokenize(text);
    const gold = new Uint8Array(tokens.n);
    // Map each gold span onto the Sift tokens it overlaps.
    let t = 0;
    for (const [s, e, type] of goldSpans) {
      while (t < tokens.n && tokens.end[t] <= s) t++;
      let u = t;
      while (u < tokens.n && tokens.start[u] < e) u++;
      const ty = F.TYPES.indexOf(type);
      if (ty < 0 || u === t) continue;
      if (u - t === 1) gold[t] = 1 + 4 * ty + 3;
      else {
        gold[t] = 1 + 4 * ty;
        for (let k = t + 1; k < u - 1; k++) gold[k] = 1 + 4 * ty + 1;
        gold[u - 1] = 1 + 4 * ty + 2;
      }
    }
    return {index, conll: doc, text, offsets, tokens, gold, goldSpans};
  });
}

/** Score predicted character spans per document with the harness's conlleval port. */
export function score(docs, predSpans) {
  const goldSents = [];
  const predSents = [];
  docs.forEach((doc, i) => {
    for (const sent of doc.conll) goldSents.push(sent.map((cols) => cols[cols.length - 1]));
    predSents.push(...spansToTags(doc.conll, predSpans[i].map((s) => [s.start, s.end, s.type]), doc.offsets));
  });
  return evaluate(goldSents, predSents);
}

/** Compact per-type summary of a conlleval result. */
export function summary(r) {
  const types = Object.entries(r.perType).map(([t, v]) => `${t} ${v.f1.toFixed(2)}`).join(', ');
  return `P ${r.precision.toFixed(2)} R ${r.recall.toFixed(2)} F1 ${r.f1.toFixed(2)} (${types})`;
}

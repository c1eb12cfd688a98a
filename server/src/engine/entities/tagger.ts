/**
 * The trained entity tagger: a linear-chain model (averaged structured perceptron, BILOU labels, first-order
 * Viterbi decoding) run in two passes. The first pass tags with local features; the second adds what the first pass
 * said about the same word elsewhere in the document (non-local features) and gives the final labels.
 *
 * Model file (models/ner.bin, little-endian), written by scripts/train-ner.mjs:
 *   "SIFTNER2", u32 header length, JSON header {labels, passes: [{features, scale}], ...}, then per pass:
 *   f32 transitions ((labels + 1) × labels, last row = start), u32 feature keys (sorted), i8 or i16 weights
 *   (features × labels, multiplied by `scale`).
 */
import {analyseDoc, featuresAt, LABELS, NL, nonLocal, TYPES, type Clusters, type DocInfo, type Gazetteer} from './features.js';
import type {TokenStream} from './tokenize.js';

/** One pass's weights, ready for look-ups. */
export interface PassModel {
  /** Open-addressing table: feature key (0 = empty slot). */
  keys: Uint32Array;
  /** Row of each slot's weights (index into `weights` / NL). */
  rows: Int32Array;
  mask: number;
  weights: Float32Array;
  /** (NL + 1) × NL; row NL holds the start scores. */
  transitions: Float32Array;
}

/** A loaded tagger. */
export interface TaggerModel {
  passes: PassModel[];
  gazetteer: Gazetteer | null;
  clusters: Clusters | null;
  header: Record<string, unknown>;
}

/** allowed[p * NL + l]: may label l follow label p (p = NL: sequence start)? */
export const ALLOWED: Uint8Array = (() => {
  const allowed = new Uint8Array((NL + 1) * NL);
  const pos = (l: number): number => (l === 0 ? -1 : (l - 1) & 3); // 0 B, 1 I, 2 L, 3 U
  const typ = (l: number): number => (l === 0 ? -1 : (l - 1) >> 2);
  for (let p = 0; p <= NL; p++) {
    for (let l = 0; l < NL; l++) {
      const inside = p < NL && p > 0 && (pos(p) === 0 || pos(p) === 1);
      let ok: boolean;
      if (inside) ok = l > 0 && (pos(l) === 1 || pos(l) === 2) && typ(l) === typ(p);
      else ok = l === 0 || pos(l) === 0 || pos(l) === 3;
      allowed[p * NL + l] = ok ? 1 : 0;
    }
  }
  return allowed;
})();

/** May the sequence end on label l? */
const ALLOWED_END: Uint8Array = Uint8Array.from(LABELS, (_, l) => (l === 0 || ((l - 1) & 3) >= 2 ? 1 : 0));

/**
 * First-order Viterbi over emission scores, with the BILOU constraints.
 *
 * @param em Emissions, (b - a) × NL, row-major from token a.
 * @param n Sequence length.
 * @param trans Transitions ((NL + 1) × NL).
 * @param out Labels are written to out[offset .. offset + n).
 * @param offset Where to write.
 * @param delta Scratch, at least n × NL.
 * @param back Scratch, at least n × NL.
 */
export function viterbi(em: Float32Array, n: number, trans: Float32Array, out: Uint8Array, offset: number, delta: Float32Array, back: Uint8Array): void {
  if (n === 0) return;
  for (let l = 0; l < NL; l++) delta[l] = ALLOWED[NL * NL + l] ? em[l]! + trans[NL * NL + l]! : -Infinity;
  for (let t = 1; t < n; t++) {
    const row = t * NL;
    const prevRow = row - NL;
    for (let l = 0; l < NL; l++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < NL; p++) {
        if (!ALLOWED[p * NL + l]) continue;
        const s = delta[prevRow + p]! + trans[p * NL + l]!;
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      delta[row + l] = best + em[row + l]!;
      back[row + l] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  const last = (n - 1) * NL;
  for (let l = 0; l < NL; l++) {
    if (!ALLOWED_END[l]) continue;
    if (delta[last + l]! > best) {
      best = delta[last + l]!;
      arg = l;
    }
  }
  for (let t = n - 1; t >= 0; t--) {
    out[offset + t] = arg;
    arg = back[t * NL + arg]!;
  }
}

/**
 * Look a feature up.
 *
 * @param pass Pass model.
 * @param key Feature hash.
 * @returns Row index or -1.
 */
function lookup(pass: PassModel, key: number): number {
  const k = key === 0 ? 1 : key;
  const {keys, mask} = pass;
  let slot = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
  for (;;) {
    const found = keys[slot]!;
    if (found === k) return pass.rows[slot]!;
    if (found === 0) return -1;
    slot = (slot + 1) & mask;
  }
}

/**
 * Build a pass model from sorted keys and weights.
 *
 * @param featureKeys Keys, one per row.
 * @param weights Rows × NL weights.
 * @param transitions Transitions.
 * @returns Pass model.
 */
export function buildPass(featureKeys: Uint32Array, weights: Float32Array, transitions: Float32Array): PassModel {
  let size = 16;
  while (size < featureKeys.length * 2) size *= 2;
  const keys = new Uint32Array(size);
  const rows = new Int32Array(size);
  const mask = size - 1;
  for (let r = 0; r < featureKeys.length; r++) {
    const k = featureKeys[r]! === 0 ? 1 : featureKeys[r]!;
    let slot = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
    while (keys[slot] !== 0 && keys[slot] !== k) slot = (slot + 1) & mask;
    keys[slot] = k;
    rows[slot] = r;
  }
  return {keys, rows, mask, weights, transitions};
}

/**
 * Decode a model file.
 *
 * @param bytes File contents.
 * @returns Model.
 */
export function decodeModel(bytes: Uint8Array): TaggerModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== 'SIFTNER2') throw new Error(`not a Sift NER model (${magic})`);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
    labels: string[];
    passes: Array<{features: number; scale: number; bits: number}>;
    gazetteer: {categories: string[]; maxLength: number; phrases: number} | null;
    clusters?: {words: number} | null;
  };
  if (header.labels.join(' ') !== LABELS.join(' ')) throw new Error('model labels differ from the tagger');
  let at = 12 + headerLength;
  at = (at + 3) & ~3;
  let gazetteer: Gazetteer | null = null;
  if (header.gazetteer) {
    const count = header.gazetteer.phrases;
    const phrases = new Map<number, number>();
    const maskAt = at + count * 4;
    for (let i = 0; i < count; i++) phrases.set(view.getUint32(at + i * 4, true), view.getUint32(maskAt + i * 4, true));
    at = maskAt + count * 4;
    gazetteer = {categories: header.gazetteer.categories, maxLength: header.gazetteer.maxLength, phrases};
  }
  let clusters: Clusters | null = null;
  if (header.clusters) {
    const count = header.clusters.words;
    clusters = new Map<number, number>();
    for (let i = 0; i < count; i++) clusters.set(view.getUint32(at + i * 8, true), view.getUint32(at + i * 8 + 4, true));
    at += count * 8;
  }
  const passes: PassModel[] = [];
  for (const pass of header.passes) {
    const transitions = new Float32Array((NL + 1) * NL);
    for (let i = 0; i < transitions.length; i++, at += 4) transitions[i] = view.getFloat32(at, true);
    const keys = new Uint32Array(pass.features);
    for (let i = 0; i < pass.features; i++, at += 4) keys[i] = view.getUint32(at, true);
    const weights = new Float32Array(pass.features * NL);
    if (pass.bits === 8) {
      const q = new Int8Array(bytes.buffer, bytes.byteOffset + at, weights.length);
      for (let i = 0; i < weights.length; i++) weights[i] = q[i]! * pass.scale;
      at += weights.length;
    } else {
      for (let i = 0; i < weights.length; i++, at += 2) weights[i] = view.getInt16(at, true) * pass.scale;
    }
    at = (at + 3) & ~3;
    passes.push(buildPass(keys, weights, transitions));
  }
  return {passes, gazetteer, clusters, header};
}

/** Scratch buffers reused across calls (the engine is single-threaded). */
let scratch = {em: new Float32Array(0), delta: new Float32Array(0), back: new Uint8Array(0)};
const featureBuffer = new Uint32Array(256);

/**
 * Tag one pass over a document.
 *
 * @param doc Document info.
 * @param pass Weights.
 * @param nl Second-pass evidence or null.
 * @param labels Output labels per token.
 */
function tagPass(doc: DocInfo, pass: PassModel, nl: ReturnType<typeof nonLocal> | null, labels: Uint8Array): void {
  const {seqStart} = doc;
  const w = pass.weights;
  for (let s = 0; s + 1 < seqStart.length; s++) {
    const a = seqStart[s]!;
    const b = seqStart[s + 1]!;
    const n = b - a;
    if (scratch.em.length < n * NL) {
      const size = Math.max(n * NL, scratch.em.length * 2);
      scratch = {em: new Float32Array(size), delta: new Float32Array(size), back: new Uint8Array(size)};
    }
    const em = scratch.em;
    em.fill(0, 0, n * NL);
    for (let i = a; i < b; i++) {
      const count = featuresAt(doc, i, a, b, nl, featureBuffer);
      const row = (i - a) * NL;
      for (let k = 0; k < count; k++) {
        const r = lookup(pass, featureBuffer[k]!);
        if (r < 0) continue;
        const base = r * NL;
        for (let l = 0; l < NL; l++) em[row + l]! += w[base + l]!;
      }
    }
    viterbi(em, n, pass.transitions, labels, a, scratch.delta, scratch.back);
  }
}

/** A tagged name: token range and type. */
export interface TaggedSpan {
  start: number;
  end: number;
  type: (typeof TYPES)[number];
}

/**
 * Tag a tokenised document: both passes, then BILOU labels to spans (character offsets).
 *
 * @param model Model.
 * @param tokens Tokens.
 * @returns Spans in text order.
 */
export function tagTokens(model: TaggerModel, tokens: TokenStream): TaggedSpan[] {
  const doc = analyseDoc(tokens, model.gazetteer, model.clusters);
  const labels = new Uint8Array(tokens.n);
  tagPass(doc, model.passes[0]!, null, labels);
  if (model.passes.length > 1) {
    const nl = nonLocal(doc, labels);
    tagPass(doc, model.passes[1]!, nl, labels);
  }
  return labelsToSpans(tokens, labels);
}

/**
 * BILOU labels to character spans.
 *
 * @param tokens Tokens.
 * @param labels Labels.
 * @returns Spans.
 */
export function labelsToSpans(tokens: TokenStream, labels: Uint8Array): TaggedSpan[] {
  const spans: TaggedSpan[] = [];
  let open = -1;
  for (let i = 0; i < tokens.n; i++) {
    const l = labels[i]!;
    if (l === 0) {
      open = -1;
      continue;
    }
    const pos = (l - 1) & 3;
    const type = TYPES[(l - 1) >> 2]!;
    if (pos === 3) spans.push({start: tokens.start[i]!, end: tokens.end[i]!, type});
    else if (pos === 0) open = i;
    else if (pos === 2 && open >= 0) {
      spans.push({start: tokens.start[open]!, end: tokens.end[i]!, type});
      open = -1;
    }
  }
  return spans;
}

/**
 * The trained entity tagger: a linear-chain model (averaged structured perceptron, BILOU labels, first-order
 * Viterbi decoding) run in two passes. The first pass tags with local features; the second adds what the first pass
 * said about the same word elsewhere in the document (non-local features): its scores are the first pass's plus the
 * weights of those features, and it relabels the segments where such evidence exists (the others keep their
 * first-pass labels, which a second decode would reproduce, as the transitions are shared).
 *
 * Model file (models/ner.bin, little-endian), written by scripts/train-ner.mjs:
 *   "SIFTNER2", u32 header length, JSON header {labels, passes: [{features, scale}], ...}, then per pass:
 *   f32 transitions ((labels + 1) × labels, last row = start), u32 feature keys (sorted), i8 or i16 weights
 *   (features × labels, multiplied by `scale`).
 */
import {analyseDoc, featuresAt, hasEvidence, LABELS, makeGazetteerTable, NL, nonLocal, nonLocalFeaturesAt, TYPES, type Clusters, type DocInfo, type Gazetteer, type NonLocal} from './features.js';
import {addFeature, cachedLocalScores} from './scores.js';
import type {TokenStream} from './tokenize.js';

/** One pass's weights, ready for look-ups. */
export interface PassModel {
  /** Open-addressing table of [feature key (0 = empty), row] pairs: small enough to stay in cache. */
  keys: Int32Array;
  mask: number;
  /** Rows × NL quantised weights (a view of the model file's bytes, not a copy). */
  weights: Int8Array;
  /** Weight of one int8 step. */
  scale: number;
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

/** For each label, the labels allowed before it (BILOU), as lists. */
const PREDECESSORS: Int32Array[] = Array.from({length: NL}, (_, l) => Int32Array.from(Array.from({length: NL}, (_, p) => p).filter((p) => ALLOWED[p * NL + l])));

/**
 * First-order Viterbi over emission scores, with the BILOU constraints.
 *
 * @param em Emissions, n × NL, row-major.
 * @param n Sequence length.
 * @param trans Transitions ((NL + 1) × NL).
 * @param out Labels are written to out[offset .. offset + n).
 * @param offset Where to write.
 * @param delta Scratch, at least n × NL.
 * @param back Scratch, at least n × NL.
 * @param startRow Row of `trans` that scores the first label: NL at the start of a line, 0 (after an O) inside one.
 * @param closeWithO Whether an O follows the sequence (add the transition into it).
 */
export function viterbi(em: Float32Array, n: number, trans: Float32Array, out: Uint8Array, offset: number, delta: Float32Array, back: Uint8Array, startRow = NL, closeWithO = false): void {
  if (n === 0) return;
  for (let l = 0; l < NL; l++) delta[l] = ALLOWED[startRow * NL + l] ? em[l]! + trans[startRow * NL + l]! : -Infinity;
  for (let t = 1; t < n; t++) {
    const row = t * NL;
    const prevRow = row - NL;
    for (let l = 0; l < NL; l++) {
      const preds = PREDECESSORS[l]!;
      let best = -Infinity;
      let arg = 0;
      for (let q = 0; q < preds.length; q++) {
        const p = preds[q]!;
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
    const s = delta[last + l]! + (closeWithO ? trans[l * NL]! : 0);
    if (s > best) {
      best = s;
      arg = l;
    }
  }
  for (let t = n - 1; t >= 0; t--) {
    out[offset + t] = arg;
    arg = back[t * NL + arg]!;
  }
}

/**
 * The same decoder as `viterbi`, with the BILOU structure spelled out: O, B-x and U-x follow the same nine labels
 * (O, L-*, U-*), I-x and L-x follow B-x and I-x. The additions, comparisons and their order are those of `viterbi`
 * (ties go to the lower predecessor), so the labels are identical; only the look-ups are fewer.
 *
 * @param em Emissions, n × NL, row-major.
 * @param emOffset Where the sequence's rows start in `em`.
 * @param n Sequence length.
 * @param trans Transitions ((NL + 1) × NL).
 * @param out Labels are written to out[offset .. offset + n).
 * @param offset Where to write.
 * @param delta Scratch, at least n × NL.
 * @param back Scratch, at least n × NL.
 * @param startRow Row of `trans` that scores the first label.
 * @param closeWithO Whether an O follows the sequence.
 */
export function viterbiBilou(em: Float32Array, emOffset: number, n: number, trans: Float32Array, out: Uint8Array, offset: number, delta: Float32Array, back: Uint8Array, startRow = NL, closeWithO = false): void {
  if (n === 0) return;
  for (let l = 0; l < NL; l++) delta[l] = ALLOWED[startRow * NL + l] ? em[emOffset + l]! + trans[startRow * NL + l]! : -Infinity;
  for (let t = 1; t < n; t++) {
    const row = t * NL;
    const prevRow = row - NL;
    const emRow = emOffset + row;
    const d0 = delta[prevRow]!;
    const d3 = delta[prevRow + 3]!;
    const d4 = delta[prevRow + 4]!;
    const d7 = delta[prevRow + 7]!;
    const d8 = delta[prevRow + 8]!;
    const d11 = delta[prevRow + 11]!;
    const d12 = delta[prevRow + 12]!;
    const d15 = delta[prevRow + 15]!;
    const d16 = delta[prevRow + 16]!;
    for (let q = 0; q < 9; q++) {
      const l = OUTSIDE_TARGETS[q]!;
      let best = -Infinity;
      let arg = 0;
      let s = d0 + trans[l]!;
      if (s > best) best = s;
      s = d3 + trans[3 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 3;
      }
      s = d4 + trans[4 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 4;
      }
      s = d7 + trans[7 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 7;
      }
      s = d8 + trans[8 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 8;
      }
      s = d11 + trans[11 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 11;
      }
      s = d12 + trans[12 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 12;
      }
      s = d15 + trans[15 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 15;
      }
      s = d16 + trans[16 * NL + l]!;
      if (s > best) {
        best = s;
        arg = 16;
      }
      delta[row + l] = best + em[emRow + l]!;
      back[row + l] = arg;
    }
    for (let b = 1; b < NL; b += 4) {
      // Inside labels of one type: I = b + 1 and L = b + 2 follow B = b or I = b + 1.
      const dB = delta[prevRow + b]!;
      const dI = delta[prevRow + b + 1]!;
      for (let l = b + 1; l <= b + 2; l++) {
        let best = -Infinity;
        let arg = 0;
        let s = dB + trans[b * NL + l]!;
        if (s > best) {
          best = s;
          arg = b;
        }
        s = dI + trans[(b + 1) * NL + l]!;
        if (s > best) {
          best = s;
          arg = b + 1;
        }
        delta[row + l] = best + em[emRow + l]!;
        back[row + l] = arg;
      }
    }
  }
  let best = -Infinity;
  let arg = 0;
  const last = (n - 1) * NL;
  for (let l = 0; l < NL; l++) {
    if (!ALLOWED_END[l]) continue;
    const s = delta[last + l]! + (closeWithO ? trans[l * NL]! : 0);
    if (s > best) {
      best = s;
      arg = l;
    }
  }
  for (let t = n - 1; t >= 0; t--) {
    out[offset + t] = arg;
    arg = back[t * NL + arg]!;
  }
}

/** Labels that may follow O, L-* and U-* (O, B-*, U-*), in order. */
const OUTSIDE_TARGETS = Int32Array.from({length: NL}, (_, l) => l).filter((l) => l === 0 || ((l - 1) & 3) === 0 || ((l - 1) & 3) === 3);
if (NL !== 17 || OUTSIDE_TARGETS.join() !== '0,1,4,5,8,9,12,13,16') throw new Error('viterbiBilou expects the 17 BILOU labels of four types');

/**
 * Build a pass model from feature keys and their int8 weight rows.
 *
 * @param featureKeys Keys, one per row.
 * @param weights Rows × NL quantised weights.
 * @param scale Weight of one step.
 * @param transitions Transitions.
 * @returns Pass model.
 */
export function buildPass(featureKeys: Uint32Array, weights: Int8Array, scale: number, transitions: Float32Array): PassModel {
  let size = 16;
  while (size < featureKeys.length * 1.5) size *= 2;
  const keys = new Int32Array(size * 2);
  const mask = size - 1;
  for (let r = 0; r < featureKeys.length; r++) {
    const k = featureKeys[r]! === 0 ? 1 : featureKeys[r]! | 0;
    let slot = (Math.imul(k, 0x9e3779b1) >>> 0) & mask;
    while (keys[slot * 2] !== 0 && keys[slot * 2] !== k) slot = (slot + 1) & mask;
    keys[slot * 2] = k;
    keys[slot * 2 + 1] = r;
  }
  return {keys, mask, weights, scale, transitions};
}

/**
 * Little-endian 32-bit words of a file: a view when aligned on a little-endian machine, else a copy.
 *
 * @param bytes File contents.
 * @param at Byte offset.
 * @param count Words.
 * @returns Words.
 */
function words32(bytes: Uint8Array, at: number, count: number): Uint32Array {
  if ((bytes.byteOffset + at) % 4 === 0 && LITTLE_ENDIAN) return new Uint32Array(bytes.buffer, bytes.byteOffset + at, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, count * 4);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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
    const keys = words32(bytes, at, count);
    const masks = words32(bytes, at + count * 4, count);
    at += count * 8;
    gazetteer = makeGazetteerTable(header.gazetteer.categories, header.gazetteer.maxLength, keys, masks);
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
    const keys = words32(bytes, at, pass.features);
    at += pass.features * 4;
    const weights = new Int8Array(bytes.buffer, bytes.byteOffset + at, pass.features * NL);
    at += pass.features * NL;
    at = (at + 3) & ~3;
    passes.push(buildPass(keys, weights, pass.scale, transitions));
  }
  return {passes, gazetteer, clusters, header};
}

/** Scratch buffers reused across calls (the engine is single-threaded). */
let scratch = {em: new Float32Array(0), delta: new Float32Array(0), back: new Uint8Array(0)};
const featureBuffer = new Uint32Array(512);
/** One token's second-pass sums. */
const extraRow = new Int32Array(NL);

/**
 * Add the weights of features to a score row.
 *
 * @param pass Weights.
 * @param features Feature hashes.
 * @param count How many.
 * @param sums Score rows (int8 steps).
 * @param row Offset of the token's row.
 */
function addWeights(pass: PassModel, features: Uint32Array, count: number, sums: Int32Array, row: number): void {
  for (let k = 0; k < count; k++) addFeature(pass, features[k]!, sums, row);
}

/**
 * Run Viterbi over every active segment of a document.
 *
 * @param doc Document info.
 * @param em Emissions of the active tokens, NL per token, in segment order.
 * @param transitions Transitions.
 * @param labels Output labels per token (left untouched outside segments).
 */
function decodeSegments(doc: DocInfo, em: Float32Array, transitions: Float32Array, labels: Uint8Array, nl: NonLocal | null = null): void {
  const {segments} = doc;
  let row = 0;
  for (let g = 0; g < segments.length; g += 4) {
    const s = segments[g]!;
    const e = segments[g + 1]!;
    const n = e - s;
    if (nl && !hasEvidence(nl, s, e)) {
      row += n * NL;
      continue;
    }
    if (scratch.delta.length < n * NL) {
      const size = Math.max(n * NL, scratch.delta.length * 2);
      scratch = {em: scratch.em, delta: new Float32Array(size), back: new Uint8Array(size)};
    }
    viterbiBilou(em, row, n, transitions, labels, s, scratch.delta, scratch.back, s === segments[g + 2] ? NL : 0, e < segments[g + 3]!);
    row += n * NL;
  }
}

/**
 * Number of active tokens of a document.
 *
 * @param doc Document info.
 * @returns Count.
 */
function activeCount(doc: DocInfo): number {
  let n = 0;
  for (let g = 0; g < doc.segments.length; g += 4) n += doc.segments[g + 1]! - doc.segments[g]!;
  return n;
}

/**
 * First-pass scores of the active tokens (int8 steps of pass 1's scale).
 *
 * @param doc Document info.
 * @param pass Pass-1 weights.
 * @param size Active tokens × NL.
 * @returns Scores, NL per active token in segment order (the first `size` entries: the array may be longer).
 */
function localScores(doc: DocInfo, pass: PassModel, size: number): Int32Array {
  let sums: Int32Array;
  if (size > SCRATCH_LIMIT) sums = new Int32Array(size);
  else {
    if (sumsScratch.length < size) {
      sumsScratch = new Int32Array(Math.min(SCRATCH_LIMIT, Math.max(size, sumsScratch.length * 2)));
      emScratch = new Float32Array(sumsScratch.length);
    } else sumsScratch.fill(0, 0, size);
    sums = sumsScratch;
  }
  cachedLocalScores(doc, pass, sums);
  return sums;
}

/** Score and emission rows reused across documents (the engine is single-threaded), up to SCRATCH_LIMIT entries. */
let sumsScratch = new Int32Array(0);
let emScratch = new Float32Array(0);
const SCRATCH_LIMIT = 1 << 20;

/**
 * First-pass scores the plain way, feature by feature (`featuresAt`): the reference `localScores` must equal.
 *
 * @param doc Document info.
 * @param pass Pass-1 weights.
 * @returns Scores, NL per active token in segment order.
 */
export function referenceLocalScores(doc: DocInfo, pass: PassModel): Int32Array {
  const {segments} = doc;
  const sums = new Int32Array(activeCount(doc) * NL);
  let row = 0;
  for (let g = 0; g < segments.length; g += 4) {
    const a = segments[g + 2]!;
    const b = segments[g + 3]!;
    for (let i = segments[g]!; i < segments[g + 1]!; i++, row += NL) addWeights(pass, featureBuffer, featuresAt(doc, i, a, b, featureBuffer), sums, row);
  }
  return sums;
}

/**
 * Second-pass scores: first-pass scores plus the weights of the non-local features (which fire only on tokens with
 * evidence; segments without any are skipped and keep their first-pass labels).
 *
 * @param doc Document info.
 * @param local First-pass scores.
 * @param localScale Scale of the first-pass scores.
 * @param pass Pass-2 weights.
 * @param nl Non-local evidence.
 * @param em Where to write the emissions (the first pass's, reused: only the rows of segments with evidence are
 *   written, and only those are decoded again).
 * @returns `em`.
 */
function stackedScores(doc: DocInfo, local: Int32Array, localScale: number, pass: PassModel, nl: NonLocal, em: Float32Array): Float32Array {
  const {segments} = doc;
  const extra = extraRow;
  let row = 0;
  for (let g = 0; g < segments.length; g += 4) {
    const a = segments[g + 2]!;
    const b = segments[g + 3]!;
    if (!hasEvidence(nl, segments[g]!, segments[g + 1]!)) {
      row += (segments[g + 1]! - segments[g]!) * NL;
      continue;
    }
    for (let i = segments[g]!; i < segments[g + 1]!; i++, row += NL) {
      for (let l = 0; l < NL; l++) extra[l] = 0;
      const count = nonLocalFeaturesAt(doc, i, a, b, nl, featureBuffer);
      if (count) addWeights(pass, featureBuffer, count, extra, 0);
      for (let l = 0; l < NL; l++) em[row + l] = local[row + l]! * localScale + extra[l]! * pass.scale;
    }
  }
  return em;
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
  // The document's arrays are reused from the previous call (it is dropped when this returns).
  const doc = analyseDoc(tokens, model.gazetteer, model.clusters, false, true);
  const labels = new Uint8Array(tokens.n);
  const first = model.passes[0]!;
  const size = activeCount(doc) * NL;
  const local = localScores(doc, first, size);
  const em = local === sumsScratch ? emScratch : new Float32Array(size);
  for (let x = 0; x < size; x++) em[x] = local[x]! * first.scale;
  decodeSegments(doc, em, first.transitions, labels);
  const second = model.passes[1];
  if (second) {
    const nl = nonLocal(doc, labels);
    // Only segments with evidence are decoded again: their rows of `em` are overwritten, the others are not read.
    decodeSegments(doc, stackedScores(doc, local, first.scale, second, nl, em), first.transitions, labels, nl);
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

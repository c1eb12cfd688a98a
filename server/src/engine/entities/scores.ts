/**
 * First-pass scores of a document from cached score vectors: the fast path of the tagger's first pass. It gives
 * the very integer sums that adding the weights of every feature of `featuresAt` one by one gives (a test checks it
 * token by token), only most of them come ready-made.
 *
 * Most features of a token depend only on its own string (word, as written, shape, affixes, cluster) or on one
 * neighbour's string (the words, shapes and raw forms ±1 and ±2, with the token's own capitalisation for ±1). For
 * each word type of the type table (features.ts), the sums of the weights of those features are computed once, as
 * seven vectors of NL integers: itself, as the previous word (twice: current token capitalised or not), as the next
 * word (twice), two before and two after. Features on small value sets (flags, position, gazetteer hits and counts,
 * document evidence) come from per-pass tables, and the three shape n-gram features from a table keyed by the shape
 * triple. What remains is looked up feature by feature: word bigrams, features of sentence-initial and headline
 * tokens, document evidence with the shape, and context aggregation.
 *
 * Integer sums do not depend on the order of the additions, so the scores, and so the predictions, are exactly those
 * of the plain path.
 */
import {F_ALLCAPS, F_CAP, F_DIGIT, F_HEADLINE, F_LOWER, F_PUNCT, F_SENT_INIT, GAZ_WORDS, LINE_END, LINE_START, mix, NL, pathPrefix, T, type DocInfo, type TypeTable} from './features.js';

/** The weights of one pass as the fast path reads them (a subset of tagger.ts's PassModel). */
export interface PassWeights {
  /** Open-addressing table of [feature key (0 = empty), row] pairs. */
  keys: Int32Array;
  mask: number;
  /** Rows × NL quantised weights. */
  weights: Int8Array;
}

/**
 * Row of a feature key in a pass's weights, or -1.
 *
 * @param pass Weights.
 * @param feature Feature hash.
 * @returns Row.
 */
export function rowOf(pass: PassWeights, feature: number): number {
  const key = feature | 0 || 1;
  const {keys, mask} = pass;
  let slot = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
  let at = keys[slot * 2]!;
  while (at !== key && at !== 0) {
    slot = (slot + 1) & mask;
    at = keys[slot * 2]!;
  }
  return at === 0 ? -1 : keys[slot * 2 + 1]!;
}

/**
 * Add a feature's weights (if the model has it) to a score row.
 *
 * @param pass Weights.
 * @param feature Feature hash.
 * @param out Scores.
 * @param at Offset of the row.
 */
export function addFeature(pass: PassWeights, feature: number, out: Int32Array, at: number): void {
  const r = rowOf(pass, feature);
  if (r < 0) return;
  const w = pass.weights;
  const base = r * NL;
  for (let l = 0; l < NL; l++) out[at + l]! += w[base + l]!;
}

/**
 * The same into a cached vector (16-bit: a cached vector sums at most 17 int8 weights per label).
 *
 * @param pass Weights.
 * @param feature Feature hash.
 * @param out Vectors.
 * @param at Offset of the vector.
 */
function addFeature16(pass: PassWeights, feature: number, out: Int16Array, at: number): void {
  const r = rowOf(pass, feature);
  if (r < 0) return;
  const w = pass.weights;
  const base = r * NL;
  for (let l = 0; l < NL; l++) out[at + l]! += w[base + l]!;
}

/** Vectors per word type, in this order. */
const SELF = 0;
const PREV = 1; // + capitalisation of the current token (0 or 1)
const NEXT = 3; // + capitalisation
const PREV2 = 5;
const NEXT2 = 6;
const BLOCK = 7 * NL;
/** Word types whose vectors are kept; beyond this the cache starts again (between documents). */
const BLOCK_LIMIT = 65_536;

/** Offsets of the per-pass tables in `ScoreCache.fixed` (in vectors). */
const FIX_FLAGS = 0; // 256: capitalisation bits | sentence-initial | headline
const FIX_POSITION = FIX_FLAGS + 256; // 4 positions × 256 capitalisation bits × 2 (short line)
const FIX_GAZCOUNT = FIX_POSITION + 2048; // 5
const FIX_GAZ = FIX_GAZCOUNT + 5; // 96 bits × 3 (capitalisation or headline)
const FIX_GAZPREV = FIX_GAZ + 288; // 24
const FIX_GAZNEXT = FIX_GAZPREV + 24; // 24
const FIX_DOC = FIX_GAZNEXT + 24; // 16
const FIX_START = FIX_DOC + 16; // as previous word at the line start: 2 (capitalisation)
const FIX_END = FIX_START + 2; // as next word at the line end: 2
const FIX_START2 = FIX_END + 2; // two before, at the line start
const FIX_END2 = FIX_START2 + 1; // two after, at the line end
const FIXED = FIX_END2 + 1;

/** Cached vectors of one pass over one type table. */
class ScoreCache {
  /** Type-table generation the blocks belong to. */
  generation: number;
  /** Block offset (in Int16 units) of each word type's vectors, or -1 when not computed yet. */
  base = new Int32Array(1024).fill(-1);
  /** Vectors of the word types (sums of int8 weights of at most 17 features: they fit 16 bits). */
  pool = new Int16Array(256 * BLOCK);
  blocks = 0;
  /** Per-pass tables (FIX_*), NL each. */
  fixed = new Int16Array(FIXED * NL);
  /** Shape triples: [sp, s0, sn, vector offset + 1] per slot (0 = empty), and their vectors. */
  triKeys = new Int32Array(4096 * 4);
  triMask = 4095;
  triVectors = new Int16Array(1024 * NL);
  triCount = 0;

  constructor(
    readonly pass: PassWeights,
    readonly table: TypeTable,
  ) {
    this.generation = table.generation;
    const fixed = this.fixed;
    const add = (vector: number, feature: number): void => addFeature16(pass, feature, fixed, vector * NL);
    for (let v = 0; v < 256; v++) add(FIX_FLAGS + v, mix(T.flags, v));
    for (let pos = 0; pos < 4; pos++) {
      for (let cap = 0; cap < 256; cap++) for (let short = 0; short < 2; short++) add(FIX_POSITION + (pos * 256 + cap) * 2 + short, mix(mix(mix(T.position, pos), cap), short));
    }
    for (let h = 0; h < 5; h++) add(FIX_GAZCOUNT + h, mix(T.gazCount, h));
    for (let bit = 0; bit < GAZ_WORDS * 32; bit++) {
      for (let v = 0; v < 3; v++) {
        add(FIX_GAZ + bit * 3 + v, mix(T.gaz, bit));
        add(FIX_GAZ + bit * 3 + v, mix(mix(T.gaz, bit), v));
      }
    }
    for (let c = 0; c < GAZ_WORDS * 8; c++) {
      add(FIX_GAZPREV + c, mix(T.gazPrev, c));
      add(FIX_GAZNEXT + c, mix(T.gazNext, c));
    }
    for (let d = 0; d < 16; d++) add(FIX_DOC + d, mix(T.doc, d));
    for (let cap = 0; cap < 2; cap++) {
      for (const [template, capTemplate, vector] of [
        [T.wPrev, T.wPrevCap, FIX_START],
        [T.wNext, T.wNextCap, FIX_END],
      ] as const) {
        const edge = vector === FIX_START ? LINE_START : LINE_END;
        add(vector + cap, mix(template, edge));
        add(vector + cap, mix(vector === FIX_START ? T.shapePrev : T.shapeNext, edge));
        add(vector + cap, mix(vector === FIX_START ? T.rawPrev : T.rawNext, edge));
        add(vector + cap, mix(mix(capTemplate, edge), cap));
      }
    }
    add(FIX_START2, mix(T.wPrev2, LINE_START));
    add(FIX_END2, mix(T.wNext2, LINE_END));
  }

  /** Start again if the type table was emptied or the cache is full (between documents only). */
  refresh(): void {
    if (this.generation === this.table.generation && this.blocks <= BLOCK_LIMIT && this.triCount <= BLOCK_LIMIT) return;
    this.generation = this.table.generation;
    this.base.fill(-1);
    this.blocks = 0;
    this.triKeys.fill(0);
    this.triCount = 0;
  }

  /**
   * Offset of the vectors of a word type (computed on first use).
   *
   * @param e Type-table entry.
   * @returns Offset in `pool`.
   */
  block(e: number): number {
    if (e >= this.base.length) {
      let size = this.base.length * 2;
      while (size <= e) size *= 2;
      const base = new Int32Array(size).fill(-1);
      base.set(this.base);
      this.base = base;
    }
    const known = this.base[e]!;
    if (known >= 0) return known;
    return this.compute(e);
  }

  /**
   * Compute the vectors of a word type.
   *
   * @param e Entry.
   * @returns Offset in `pool`.
   */
  private compute(e: number): number {
    const at = this.blocks * BLOCK;
    this.blocks++;
    if (at + BLOCK > this.pool.length) {
      const pool = new Int16Array(this.pool.length * 2);
      pool.set(this.pool);
      this.pool = pool;
    }
    const {pass, table, pool} = this;
    pool.fill(0, at, at + BLOCK);
    const add = (vector: number, feature: number): void => addFeature16(pass, feature, pool, at + vector * NL);
    const w = table.word[e]!;
    const r = table.raw[e]!;
    const s = table.shape[e]!;
    const c = table.cluster[e]!;
    add(SELF, T.bias);
    add(SELF, mix(T.word, w));
    add(SELF, mix(T.raw, r));
    add(SELF, mix(T.shape, s));
    for (let j = 0; j < 8; j++) {
      const h = table.affix[e * 8 + j]!;
      if (h) add(SELF, mix(T.affix, h));
    }
    if (c) for (const len of [4, 8, 12, 16, 20]) add(SELF, mix(mix(T.cluster, len), pathPrefix(c, len)));
    // The two capitalisation variants share all but one feature: sum the rest once.
    add(PREV, mix(T.wPrev, w));
    add(PREV, mix(T.shapePrev, s));
    add(PREV, mix(T.rawPrev, r));
    if (c) add(PREV, mix(T.clusterPrev, pathPrefix(c, 8)));
    add(NEXT, mix(T.wNext, w));
    add(NEXT, mix(T.shapeNext, s));
    add(NEXT, mix(T.rawNext, r));
    if (c) add(NEXT, mix(T.clusterNext, pathPrefix(c, 8)));
    pool.copyWithin(at + (PREV + 1) * NL, at + PREV * NL, at + (PREV + 1) * NL);
    pool.copyWithin(at + (NEXT + 1) * NL, at + NEXT * NL, at + (NEXT + 1) * NL);
    for (let cap = 0; cap < 2; cap++) {
      add(PREV + cap, mix(mix(T.wPrevCap, w), cap));
      add(NEXT + cap, mix(mix(T.wNextCap, w), cap));
    }
    add(PREV2, mix(T.wPrev2, w));
    add(NEXT2, mix(T.wNext2, w));
    this.base[e] = at;
    return at;
  }

  /**
   * Offset of the vector of the shape n-gram features (shape3, shapeBiPrev, shapeBiNext) of a shape triple.
   *
   * @param sp Previous shape (or LINE_START).
   * @param s0 Shape.
   * @param sn Next shape (or LINE_END).
   * @returns Offset in `triVectors`.
   */
  triple(sp: number, s0: number, sn: number): number {
    const keys = this.triKeys;
    const p = sp | 0;
    const z = s0 | 0;
    const q = sn | 0;
    let slot = mix(mix(sp, s0), sn) & this.triMask;
    for (;;) {
      const at = keys[slot * 4 + 3]!;
      if (at === 0) break;
      if (keys[slot * 4] === p && keys[slot * 4 + 1] === z && keys[slot * 4 + 2] === q) return at - 1;
      slot = (slot + 1) & this.triMask;
    }
    const at = this.triCount * NL;
    this.triCount++;
    if (at + NL > this.triVectors.length) {
      const vectors = new Int16Array(this.triVectors.length * 2);
      vectors.set(this.triVectors);
      this.triVectors = vectors;
    }
    const vectors = this.triVectors;
    vectors.fill(0, at, at + NL);
    addFeature16(this.pass, mix(mix(mix(T.shape3, sp), s0), sn), vectors, at);
    addFeature16(this.pass, mix(mix(T.shapeBiPrev, sp), s0), vectors, at);
    addFeature16(this.pass, mix(mix(T.shapeBiNext, s0), sn), vectors, at);
    keys[slot * 4] = p;
    keys[slot * 4 + 1] = z;
    keys[slot * 4 + 2] = q;
    keys[slot * 4 + 3] = at + 1;
    if (this.triCount * 2 > this.triMask) this.growTriples();
    return at;
  }

  /** Double the shape-triple table. */
  private growTriples(): void {
    const old = this.triKeys;
    const size = (this.triMask + 1) * 2;
    const keys = new Int32Array(size * 4);
    const mask = size - 1;
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + 3] === 0) continue;
      let slot = mix(mix(old[s]! >>> 0, old[s + 1]! >>> 0), old[s + 2]! >>> 0) & mask;
      while (keys[slot * 4 + 3] !== 0) slot = (slot + 1) & mask;
      keys.set(old.subarray(s, s + 4), slot * 4);
    }
    this.triKeys = keys;
    this.triMask = mask;
  }
}

const caches = new WeakMap<PassWeights, ScoreCache>();

/**
 * The score cache of a pass and type table.
 *
 * @param pass Weights.
 * @param table Type table.
 * @returns Cache.
 */
function cacheOf(pass: PassWeights, table: TypeTable): ScoreCache {
  let cache = caches.get(pass);
  if (!cache || cache.table !== table) {
    cache = new ScoreCache(pass, table);
    caches.set(pass, cache);
  }
  cache.refresh();
  return cache;
}

/**
 * Add NL values.
 *
 * @param src Source.
 * @param from Offset in the source.
 * @param dst Scores.
 * @param at Offset of the row.
 */
function addVector(src: Int16Array, from: number, dst: Int32Array, at: number): void {
  for (let l = 0; l < NL; l++) dst[at + l]! += src[from + l]!;
}

/**
 * First-pass scores of the active tokens: for every token of every segment, the sum of the weights of its
 * `featuresAt` features (int8 steps).
 *
 * @param doc Document info.
 * @param pass Pass-1 weights.
 * @param sums Output, NL per active token in segment order (zero on entry).
 */
export function cachedLocalScores(doc: DocInfo, pass: PassWeights, sums: Int32Array): void {
  const cache = cacheOf(pass, doc.table);
  const {segments, types, word, shape, flags, gaz, docBits, context} = doc;
  const fixed = cache.fixed;
  const affixCount = doc.table.affixCount;
  let first = 0;
  for (let g = 0; g < segments.length; g += 4) {
    const s = segments[g]!;
    const e = segments[g + 1]!;
    const a = segments[g + 2]!;
    const b = segments[g + 3]!;
    // Row of token i: first + (i - s) * NL.
    // Word-type vectors: each token within two of the segment gives its vectors to the tokens around it (its
    // vectors are read once, where they lie together).
    const hi = Math.min(b, e + 2);
    for (let j = Math.max(a, s - 2); j < hi; j++) {
      const block = cache.block(types[j]!);
      const pool = cache.pool;
      if (j >= s && j < e) addVector(pool, block + SELF * NL, sums, first + (j - s) * NL);
      let i = j + 1; // j is its previous word
      if (i >= s && i < e) addVector(pool, block + (PREV + (flags[i]! & (F_CAP | F_DIGIT) ? 1 : 0)) * NL, sums, first + (i - s) * NL);
      i = j - 1; // j is its next word
      if (i >= s && i < e) addVector(pool, block + (NEXT + (flags[i]! & (F_CAP | F_DIGIT) ? 1 : 0)) * NL, sums, first + (i - s) * NL);
      i = j + 2;
      if (i >= s && i < e) addVector(pool, block + PREV2 * NL, sums, first + (i - s) * NL);
      i = j - 2;
      if (i >= s && i < e) addVector(pool, block + NEXT2 * NL, sums, first + (i - s) * NL);
    }
    for (let i = s, row = first; i < e; i++, row += NL) {
      const f = flags[i]!;
      const capNow = f & (F_CAP | F_DIGIT) ? 1 : 0;
      const head = f & F_HEADLINE ? 1 : 0;
      // The line's edges stand in for missing neighbours.
      if (i === a) addVector(fixed, (FIX_START + capNow) * NL, sums, row);
      if (i + 1 === b) addVector(fixed, (FIX_END + capNow) * NL, sums, row);
      if (i - 1 <= a) addVector(fixed, FIX_START2 * NL, sums, row);
      if (i + 2 >= b) addVector(fixed, FIX_END2 * NL, sums, row);
      // Shape n-grams.
      const s0 = shape[i]!;
      const tri = cache.triple(i > a ? shape[i - 1]! : LINE_START, s0, i + 1 < b ? shape[i + 1]! : LINE_END);
      addVector(cache.triVectors, tri, sums, row);
      // Word bigrams.
      const w0 = word[i]!;
      addFeature(pass, mix(mix(T.biPrev, i > a ? word[i - 1]! : LINE_START), w0), sums, row);
      addFeature(pass, mix(mix(T.biNext, w0), i + 1 < b ? word[i + 1]! : LINE_END), sums, row);
      // Flags, sentence start, headline, position.
      const capBits = f & (F_CAP | F_ALLCAPS | F_LOWER | F_DIGIT | F_PUNCT);
      addVector(fixed, (FIX_FLAGS + (capBits | (f & F_SENT_INIT) | (f & F_HEADLINE))) * NL, sums, row);
      // `featuresAt` stops adding gazetteer hits once it has written more than 120 features: count them alike.
      let k = 21 + affixCount[types[i]!]!;
      if (f & F_SENT_INIT) {
        addFeature(pass, mix(T.initShape, s0), sums, row);
        k++;
      }
      if (head) {
        addFeature(pass, mix(T.headShape, s0), sums, row);
        addFeature(pass, mix(T.headWord, w0), sums, row);
        k += 2;
      }
      const pos = i === a ? 0 : i === a + 1 ? 1 : i + 1 === b ? 3 : 2;
      addVector(fixed, (FIX_POSITION + (pos * 256 + capBits) * 2 + (b - a <= 3 ? 1 : 0)) * NL, sums, row);
      // Gazetteer hits of the token, their count, and the categories of the neighbours' hits.
      let hits = 0;
      const gv = head ? 2 : capNow;
      for (let w = 0; w < GAZ_WORDS; w++) {
        const bits = gaz[i * GAZ_WORDS + w]!;
        if (!bits || k > 120) continue;
        for (let bit = 0; bit < 32; bit++) {
          if (!(bits & (1 << bit))) continue;
          hits++;
          addVector(fixed, (FIX_GAZ + (w * 32 + bit) * 3 + gv) * NL, sums, row);
          k += 2;
          if (k > 120) break;
        }
      }
      addVector(fixed, (FIX_GAZCOUNT + Math.min(hits, 4)) * NL, sums, row);
      if (i > a) gazCategories(gaz, i - 1, fixed, FIX_GAZPREV, sums, row);
      if (i + 1 < b) gazCategories(gaz, i + 1, fixed, FIX_GAZNEXT, sums, row);
      // Document evidence and context aggregation.
      const d = docBits[i]!;
      if (d) {
        addVector(fixed, (FIX_DOC + d) * NL, sums, row);
        addFeature(pass, mix(mix(T.docShape, d), s0), sums, row);
      }
      for (let m = 0; m < 6; m += 2) {
        const p = context[i * 6 + m]!;
        if (!p) break;
        addFeature(pass, mix(T.ctxPrev, p), sums, row);
        addFeature(pass, mix(T.ctxNext, context[i * 6 + m + 1]!), sums, row);
      }
    }
    first += (e - s) * NL;
  }
}

/**
 * Add the vectors of the categories (any position) of a token's gazetteer hits.
 *
 * @param gaz Hit bits.
 * @param i Token.
 * @param fixed Per-pass tables.
 * @param table FIX_GAZPREV or FIX_GAZNEXT.
 * @param sums Scores.
 * @param row Offset of the row.
 */
function gazCategories(gaz: Uint32Array, i: number, fixed: Int16Array, table: number, sums: Int32Array, row: number): void {
  for (let w = 0; w < GAZ_WORDS; w++) {
    const bits = gaz[i * GAZ_WORDS + w]!;
    if (!bits) continue;
    for (let c = 0; c < 8; c++) if ((bits >>> (c * 4)) & 15) addVector(fixed, (table + w * 8 + c) * NL, sums, row);
  }
}

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
 *
 * The cached vectors are added two labels at a time: each is also kept packed, labels 2w and 2w + 1 in the low and
 * high 16 bits of 32-bit word w (PW = 9 words for NL = 17 labels), and packed vectors are added word by word. Adding
 * packed words adds both halves modulo 2^32 (a carry out of the low half goes into the high half), so a word of the
 * total is L + 65536 H (mod 2^32), where L and H are the two labels' exact sums; as long as both lie within the
 * signed 16-bit range, sign-extending the low half gives L and the rest gives H, exactly. They do: a token's packed
 * vectors sum at most PACKED_FEATURES_MAX features of int8 weights (|w| <= 128), under 2^15 (checked below). The
 * per-token table vectors that always come together (flags, position, line edges, gazetteer hit count, document
 * evidence) are summed once per combination (`combo`), and added as one vector.
 */
import {F_ALLCAPS, F_CAP, F_DIGIT, F_HEADLINE, F_LOWER, F_PUNCT, F_SENT_INIT, GAZ_WORDS, LINE_END, LINE_START, mix, NL, pathPrefix, T, type DocInfo, type TypeTable} from './features.js';
import {doubled, rehashed} from '../typed.js';

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

/** 32-bit words of a packed vector (two 16-bit labels per word). */
const PW = (NL + 1) >> 1;

/**
 * Most features whose weights a token's packed vectors sum: its own word type (bias, word, raw, shape, 8 affixes,
 * 5 cluster prefixes), its neighbours' or the line edges' (5 + 5 + 1 + 1, edges 4 + 4 + 1 + 1), the shape n-grams
 * (3), flags, position, hit count and document evidence (4), its gazetteer hits (2 each; `featuresAt` stops adding
 * them past 120 features, after at least 21: at most 51 hits) and its neighbours' hit categories (2 × 8 per
 * gazetteer word).
 */
const PACKED_FEATURES_MAX = 17 + 12 + 10 + 3 + 4 + 2 * 51 + 2 * 8 * GAZ_WORDS;
if (PACKED_FEATURES_MAX * 128 >= 32768) throw new Error('packed score vectors could overflow 16 bits');

/**
 * Pack NL 16-bit values into PW words.
 *
 * @param src Values.
 * @param from Offset of the vector.
 * @param dst Packed vectors.
 * @param at Offset of the packed vector.
 */
function pack(src: Int16Array, from: number, dst: Int32Array, at: number): void {
  for (let w = 0; w < PW; w++) {
    const lo = src[from + 2 * w]!;
    const hi = 2 * w + 1 < NL ? src[from + 2 * w + 1]! : 0;
    dst[at + w] = ((hi << 16) + lo) | 0;
  }
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
  /** Offset in `packedPool` of each word type's vectors, or -1 when not computed yet. */
  base = new Int32Array(1024).fill(-1);
  /** Scratch for one word type's vectors as they are summed (int8 weights of at most 17 features: 16 bits). */
  pool = new Int16Array(BLOCK);
  blocks = 0;
  /** Per-pass tables (FIX_*), NL each. */
  fixed = new Int16Array(FIXED * NL);
  /** Shape triples: [sp, s0, sn, vector offset + 1] per slot (0 = empty), and their vectors. */
  triKeys = new Int32Array(4096 * 4);
  triMask = 4095;
  triVectors = new Int16Array(1024 * NL);
  triCount = 0;
  /** The word types' vectors (7 per type), `fixed` and `triVectors`, packed (PW words per vector). */
  packedPool = new Int32Array(256 * 7 * PW);
  packedFixed = new Int32Array(FIXED * PW);
  packedTri = new Int32Array(1024 * PW);
  /** Packed sums of the per-token table vectors, by combination (see `combo`): [key + 1, offset] slots. */
  comboKeys = new Int32Array(1024 * 2);
  comboMask = 1023;
  comboVectors = new Int32Array(256 * PW);
  comboCount = 0;

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
    for (let v = 0; v < FIXED; v++) pack(fixed, v * NL, this.packedFixed, v * PW);
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
   * Offset of the packed vectors of a word type (computed on first use).
   *
   * @param e Type-table entry.
   * @returns Offset in `packedPool`.
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
   * @returns Offset in `packedPool`.
   */
  private compute(e: number): number {
    const at = 0;
    this.blocks++;
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
    const packedAt = (this.blocks - 1) * 7 * PW;
    if (packedAt + 7 * PW > this.packedPool.length) this.packedPool = doubled(this.packedPool);
    for (let v = 0; v < 7; v++) pack(pool, at + v * NL, this.packedPool, packedAt + v * PW);
    this.base[e] = packedAt;
    return packedAt;
  }

  /**
   * Offset of the vector of the shape n-gram features (shape3, shapeBiPrev, shapeBiNext) of a shape triple.
   *
   * @param sp Previous shape (or LINE_START).
   * @param s0 Shape.
   * @param sn Next shape (or LINE_END).
   * @returns Offset in `packedTri`.
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
      if (keys[slot * 4] === p && keys[slot * 4 + 1] === z && keys[slot * 4 + 2] === q) return ((at - 1) / NL) * PW;
      slot = (slot + 1) & this.triMask;
    }
    const at = this.triCount * NL;
    this.triCount++;
    if (at + NL > this.triVectors.length) this.triVectors = doubled(this.triVectors);
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
    const packedAt = (this.triCount - 1) * PW;
    if (packedAt + PW > this.packedTri.length) this.packedTri = doubled(this.packedTri);
    pack(vectors, at, this.packedTri, packedAt);
    return packedAt;
  }

  /**
   * Offset of the packed sum of the table vectors a token with these properties gets: flags (FIX_FLAGS), position
   * (FIX_POSITION), line edges (FIX_START, FIX_END, FIX_START2, FIX_END2), gazetteer hit count (FIX_GAZCOUNT) and
   * document evidence (FIX_DOC, when not 0).
   *
   * @param key Bits: capitalisation bits and sentence start and headline flags (0–255, as FIX_FLAGS's index) | pos
   *   << 8 | short << 10 | edges (4 bits) << 11 | min(hits, 4) << 15 | evidence << 18.
   * @returns Offset in `comboVectors`.
   */
  combo(key: number): number {
    const keys = this.comboKeys;
    let slot = (Math.imul(key + 1, 0x9e3779b1) >>> 0) & this.comboMask;
    for (;;) {
      const k = keys[slot * 2]!;
      if (k === key + 1) return keys[slot * 2 + 1]!;
      if (k === 0) break;
      slot = (slot + 1) & this.comboMask;
    }
    const at = this.comboCount * PW;
    this.comboCount++;
    if (at + PW > this.comboVectors.length) this.comboVectors = doubled(this.comboVectors);
    const flagBits = key & 255;
    const capBits = flagBits & (F_CAP | F_ALLCAPS | F_LOWER | F_DIGIT | F_PUNCT);
    const capNow = flagBits & (F_CAP | F_DIGIT) ? 1 : 0;
    const pos = (key >> 8) & 3;
    const short = (key >> 10) & 1;
    const edges = (key >> 11) & 15;
    const hits = (key >> 15) & 7;
    const d = (key >> 18) & 15;
    const parts = [FIX_FLAGS + flagBits, FIX_POSITION + (pos * 256 + capBits) * 2 + short, FIX_GAZCOUNT + hits];
    if (edges & 1) parts.push(FIX_START + capNow);
    if (edges & 2) parts.push(FIX_END + capNow);
    if (edges & 4) parts.push(FIX_START2);
    if (edges & 8) parts.push(FIX_END2);
    if (d) parts.push(FIX_DOC + d);
    const vectors = this.comboVectors;
    const fixed = this.packedFixed;
    for (let w = 0; w < PW; w++) vectors[at + w] = 0;
    for (const v of parts) for (let w = 0; w < PW; w++) vectors[at + w] = (vectors[at + w]! + fixed[v * PW + w]!) | 0;
    keys[slot * 2] = key + 1;
    keys[slot * 2 + 1] = at;
    if (this.comboCount * 2 > this.comboMask) this.growCombos();
    return at;
  }

  /** Double the combination table. */
  private growCombos(): void {
    const {table, mask} = rehashed(this.comboKeys, 2, 0, (old, at) => Math.imul(old[at]!, 0x9e3779b1) >>> 0);
    this.comboKeys = table;
    this.comboMask = mask;
  }

  /** Double the shape-triple table. */
  private growTriples(): void {
    const {table, mask} = rehashed(this.triKeys, 4, 3, (old, at) => mix(mix(old[at]! >>> 0, old[at + 1]! >>> 0), old[at + 2]! >>> 0));
    this.triKeys = table;
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
 * Add a packed vector (PW words) to a packed row.
 *
 * @param src Packed vectors.
 * @param from Offset of the vector.
 * @param dst Packed rows.
 * @param at Offset of the row.
 */
function addPacked(src: Int32Array, from: number, dst: Int32Array, at: number): void {
  for (let w = 0; w < PW; w++) dst[at + w] = (dst[at + w]! + src[from + w]!) | 0;
}

/** Packed rows of the active tokens, reused across documents (the engine is single-threaded). */
let packedRows = new Int32Array(0);

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
  const affixCount = doc.table.affixCount;
  let active = 0;
  for (let g = 0; g < segments.length; g += 4) active += segments[g + 1]! - segments[g]!;
  if (packedRows.length < active * PW) packedRows = new Int32Array(Math.max(active * PW, packedRows.length * 2));
  const packed = packedRows;
  packed.fill(0, 0, active * PW);
  const fixed = cache.packedFixed;
  let first = 0;
  let firstPacked = 0;
  for (let g = 0; g < segments.length; g += 4) {
    const s = segments[g]!;
    const e = segments[g + 1]!;
    const a = segments[g + 2]!;
    const b = segments[g + 3]!;
    // Packed row of token i: firstPacked + (i - s) * PW; its score row: first + (i - s) * NL.
    // Word-type vectors: each token within two of the segment gives its vectors to the tokens around it (its
    // vectors are read once, where they lie together).
    const hi = Math.min(b, e + 2);
    for (let j = Math.max(a, s - 2); j < hi; j++) {
      const block = cache.block(types[j]!);
      const pool = cache.packedPool;
      if (j >= s && j < e) addPacked(pool, block + SELF * PW, packed, firstPacked + (j - s) * PW);
      let i = j + 1; // j is its previous word
      if (i >= s && i < e) addPacked(pool, block + (PREV + (flags[i]! & (F_CAP | F_DIGIT) ? 1 : 0)) * PW, packed, firstPacked + (i - s) * PW);
      i = j - 1; // j is its next word
      if (i >= s && i < e) addPacked(pool, block + (NEXT + (flags[i]! & (F_CAP | F_DIGIT) ? 1 : 0)) * PW, packed, firstPacked + (i - s) * PW);
      i = j + 2;
      if (i >= s && i < e) addPacked(pool, block + PREV2 * PW, packed, firstPacked + (i - s) * PW);
      i = j - 2;
      if (i >= s && i < e) addPacked(pool, block + NEXT2 * PW, packed, firstPacked + (i - s) * PW);
    }
    for (let i = s, row = first, prow = firstPacked; i < e; i++, row += NL, prow += PW) {
      const f = flags[i]!;
      const capNow = f & (F_CAP | F_DIGIT) ? 1 : 0;
      const head = f & F_HEADLINE ? 1 : 0;
      // Shape n-grams.
      const s0 = shape[i]!;
      const tri = cache.triple(i > a ? shape[i - 1]! : LINE_START, s0, i + 1 < b ? shape[i + 1]! : LINE_END); // (may grow packedTri)
      addPacked(cache.packedTri, tri, packed, prow);
      // Word bigrams.
      const w0 = word[i]!;
      addFeature(pass, mix(mix(T.biPrev, i > a ? word[i - 1]! : LINE_START), w0), sums, row);
      addFeature(pass, mix(mix(T.biNext, w0), i + 1 < b ? word[i + 1]! : LINE_END), sums, row);
      // Sentence start, headline.
      const capBits = f & (F_CAP | F_ALLCAPS | F_LOWER | F_DIGIT | F_PUNCT);
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
      // Gazetteer hits of the token, and the categories of the neighbours' hits.
      let hits = 0;
      const gv = head ? 2 : capNow;
      for (let w = 0; w < GAZ_WORDS; w++) {
        const bits = gaz[i * GAZ_WORDS + w]!;
        if (!bits || k > 120) continue;
        for (let bit = 0; bit < 32; bit++) {
          if (!(bits & (1 << bit))) continue;
          hits++;
          addPacked(fixed, (FIX_GAZ + (w * 32 + bit) * 3 + gv) * PW, packed, prow);
          k += 2;
          if (k > 120) break;
        }
      }
      if (i > a) gazCategories(gaz, i - 1, fixed, FIX_GAZPREV, packed, prow);
      if (i + 1 < b) gazCategories(gaz, i + 1, fixed, FIX_GAZNEXT, packed, prow);
      // Flags, position, the line's edges (which stand in for missing neighbours), hit count, document evidence:
      // one vector per combination.
      const pos = i === a ? 0 : i === a + 1 ? 1 : i + 1 === b ? 3 : 2;
      const edges = (i === a ? 1 : 0) | (i + 1 === b ? 2 : 0) | (i - 1 <= a ? 4 : 0) | (i + 2 >= b ? 8 : 0);
      const d = docBits[i]!;
      const key = (capBits | (f & F_SENT_INIT) | (f & F_HEADLINE)) | (pos << 8) | ((b - a <= 3 ? 1 : 0) << 10) | (edges << 11) | (Math.min(hits, 4) << 15) | (d << 18);
      const combo = cache.combo(key); // (may grow comboVectors)
      addPacked(cache.comboVectors, combo, packed, prow);
      // Document evidence with the shape, and context aggregation.
      if (d) addFeature(pass, mix(mix(T.docShape, d), s0), sums, row);
      for (let m = 0; m < 6; m += 2) {
        const p = context[i * 6 + m]!;
        if (!p) break;
        addFeature(pass, mix(T.ctxPrev, p), sums, row);
        addFeature(pass, mix(T.ctxNext, context[i * 6 + m + 1]!), sums, row);
      }
    }
    // Unpack: each word holds two labels' exact sums (see the top of the file).
    for (let i = s, row = first, prow = firstPacked; i < e; i++, row += NL, prow += PW) {
      for (let w = 0; w < PW; w++) {
        const x = packed[prow + w]!;
        const lo = (x << 16) >> 16;
        sums[row + 2 * w]! += lo;
        if (2 * w + 1 < NL) sums[row + 2 * w + 1]! += (x - lo) >> 16;
      }
    }
    first += (e - s) * NL;
    firstPacked += (e - s) * PW;
  }
}

/**
 * Add the packed vectors of the categories (any position) of a token's gazetteer hits.
 *
 * @param gaz Hit bits.
 * @param i Token.
 * @param fixed Packed per-pass tables.
 * @param table FIX_GAZPREV or FIX_GAZNEXT.
 * @param packed Packed rows.
 * @param row Offset of the row.
 */
function gazCategories(gaz: Uint32Array, i: number, fixed: Int32Array, table: number, packed: Int32Array, row: number): void {
  for (let w = 0; w < GAZ_WORDS; w++) {
    const bits = gaz[i * GAZ_WORDS + w]!;
    if (!bits) continue;
    for (let c = 0; c < 8; c++) if ((bits >>> (c * 4)) & 15) addPacked(fixed, (table + w * 8 + c) * PW, packed, row);
  }
}

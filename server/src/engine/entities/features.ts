/**
 * Features of the entity tagger. Every feature is a 32-bit hash of a template number and the hashes of the token
 * properties it joins (no feature strings are built): word, lowercase word, digit-normalised word, shape, prefixes
 * and suffixes, capitalisation in context (sentence-initial, ALL-CAPS headline lines with truecasing from the rest
 * of the document), neighbours, gazetteer hits, word clusters, document-level case evidence and, in the second
 * pass, the labels the first pass gave to the same word elsewhere in the document (non-local features).
 *
 * The training script (scripts/train-ner.mjs) and the engine use this very module, so a model and its features
 * cannot drift apart.
 */
import type {TokenStream} from './tokenize.js';
import {doubled, rehashed} from '../typed.js';

/** Entity types the tagger learns (the CoNLL types). */
export const TYPES = ['PER', 'ORG', 'LOC', 'MISC'] as const;
/** BILOU labels: 0 = O, then B, I, L, U for each type (label = 1 + 4 * type + position). */
export const LABELS: readonly string[] = ['O', ...TYPES.flatMap((t) => ['B', 'I', 'L', 'U'].map((p) => `${p}-${t}`))];
/** Number of labels. */
export const NL = LABELS.length;

/**
 * Mix a value into a hash (murmur3-style finaliser).
 *
 * @param h Hash so far.
 * @param v Value.
 * @returns New hash (uint32).
 */
export function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * FNV-1a hash of a string.
 *
 * @param s String.
 * @returns Hash (uint32).
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** FNV-1a offset basis (the empty hash). */
export const FNV = 0x811c9dc5;
/** Gazetteer categories a model can have, and 32-bit words of hit bits per token. */
export const GAZ_CATEGORIES = 24;
/** Mask bit of a gazetteer entry that is the beginning of a longer phrase. */
const PREFIX = 0x40000000;
/** 32-bit words of gazetteer hit bits per token. */
export const GAZ_WORDS = 3;
const BOUNDARY = 0x5bd1e995;

/**
 * Lowercase a UTF-16 code unit (ASCII fast path).
 *
 * @param c Char code.
 * @returns Lowercased char code.
 */
function lower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c | 32 : c;
  const s = String.fromCharCode(c).toLowerCase();
  return s.length === 1 ? s.charCodeAt(0) : c;
}

/** Character classes for shapes. */
const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
const OTHER = 8;

/**
 * Class of a character.
 *
 * @param c Char code.
 * @returns UPPER, LOWER, DIGIT or OTHER.
 */
function charClass(c: number): number {
  if (c < 128) {
    if (c >= 65 && c <= 90) return UPPER;
    if (c >= 97 && c <= 122) return LOWER;
    if (c >= 48 && c <= 57) return DIGIT;
    return OTHER;
  }
  const s = String.fromCharCode(c);
  const lo = s.toLowerCase();
  const up = s.toUpperCase();
  if (lo !== up) return s === up ? UPPER : LOWER;
  return /\p{L}/u.test(s) ? LOWER : /\p{N}/u.test(s) ? DIGIT : OTHER;
}

/** Per-token flags. */
export const F_CAP = 1; // first character upper case
export const F_ALLCAPS = 2; // has letters, none lower case
export const F_LETTER = 4; // has a letter
export const F_SENT_INIT = 8; // first word of a sentence
export const F_HEADLINE = 16; // on an ALL-CAPS line
export const F_LOWER = 32; // all letters lower case
export const F_DIGIT = 64; // has a digit
export const F_PUNCT = 128; // no letter and no digit
export const F_UPPER = 256; // has an upper-case letter
export const F_ACTIVE = 512; // has an upper-case letter or is next to one on its line (the tagger labels only these)

/** A gazetteer: phrases by category, matched case-insensitively over tokens. */
export interface Gazetteer {
  /** Category names (at most 24). */
  categories: string[];
  /** Phrase hash (chain of `mix` over lowercase token hashes) → bit mask of categories. */
  phrases: Map<number, number>;
  /** The same as an open-addressing table: [key, mask] pairs (key 0 = empty). */
  table: Int32Array;
  /** Slot mask of the table. */
  slots: number;
  /** Longest phrase in tokens. */
  maxLength: number;
  /**
   * Instead of the table: the phrase hashes in ascending order (none 0) and their masks, looked up by binary search
   * (a model file stores them so; using them as they are saves building the table at load time).
   */
  sortedKeys?: Uint32Array;
  sortedMasks?: Uint32Array;
  /** Memo of sorted-key look-ups (see gazetteerMask). */
  memo?: Int32Array;
}

/** Slots of a gazetteer's look-up memo (2^MEMO_BITS). */
const MEMO_BITS = 16;
const MEMO_SLOTS = 1 << MEMO_BITS;

/**
 * Build a gazetteer from its text form ("CATEGORY<TAB>phrase" lines, phrase tokens separated by single spaces and
 * lower-cased, as scripts/build-gazetteers.mjs writes them).
 *
 * @param text Gazetteer text.
 * @returns Gazetteer.
 */
export function parseGazetteer(text: string): Gazetteer {
  const categories: string[] = [];
  const index = new Map<string, number>();
  const phrases = new Map<number, number>();
  let maxLength = 1;
  for (const row of text.split('\n')) {
    const tab = row.indexOf('\t');
    if (tab < 0) continue;
    const cat = row.slice(0, tab);
    let c = index.get(cat);
    if (c === undefined) {
      c = categories.length;
      if (c >= GAZ_CATEGORIES) continue;
      categories.push(cat);
      index.set(cat, c);
    }
    const words = row.slice(tab + 1).split(' ');
    let h = FNV;
    for (let w = 0; w < words.length; w++) {
      h = mix(h, hashString(words[w]!));
      // Proper prefixes of a phrase are marked, so that matching stops as soon as no phrase can continue.
      if (w + 1 < words.length) phrases.set(h, (phrases.get(h) ?? 0) | PREFIX);
    }
    maxLength = Math.max(maxLength, words.length);
    phrases.set(h, (phrases.get(h) ?? 0) | (1 << c));
  }
  return makeGazetteer(categories, maxLength, phrases);
}

/**
 * A gazetteer from its phrase map (builds the look-up table).
 *
 * @param categories Category names.
 * @param maxLength Longest phrase in tokens.
 * @param phrases Phrase hash → category mask.
 * @returns Gazetteer.
 */
export function makeGazetteer(categories: string[], maxLength: number, phrases: Map<number, number>): Gazetteer {
  let size = 16;
  while (size < phrases.size * 1.34) size *= 2;
  const table = new Int32Array(size * 2);
  const slots = size - 1;
  for (const [key, value] of phrases) {
    const k = key === 0 ? 1 : key | 0;
    let slot = (Math.imul(k, 0x9e3779b1) >>> 0) & slots;
    while (table[slot * 2] !== 0 && table[slot * 2] !== k) slot = (slot + 1) & slots;
    table[slot * 2] = k;
    table[slot * 2 + 1] = value;
  }
  return {categories, phrases, maxLength, table, slots};
}

/**
 * A gazetteer from sorted phrase keys and masks (as stored in the model file).
 *
 * @param categories Category names.
 * @param maxLength Longest phrase in tokens.
 * @param keys Phrase hashes.
 * @param masks Category masks.
 * @returns Gazetteer (its `phrases` map is left empty: look-ups use the table, or the keys themselves when they are
 *   in strictly ascending order and none is 0).
 */
export function makeGazetteerTable(categories: string[], maxLength: number, keys: Uint32Array, masks: Uint32Array): Gazetteer {
  let ascending = keys.length === 0 || keys[0] !== 0;
  for (let i = 1; ascending && i < keys.length; i++) if (keys[i - 1]! >= keys[i]!) ascending = false;
  if (ascending) return {categories, phrases: new Map(), maxLength, table: new Int32Array(0), slots: 0, sortedKeys: keys, sortedMasks: masks};
  let size = 16;
  while (size < keys.length * 1.34) size *= 2;
  const table = new Int32Array(size * 2);
  const slots = size - 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] === 0 ? 1 : keys[i]! | 0;
    let slot = (Math.imul(k, 0x9e3779b1) >>> 0) & slots;
    while (table[slot * 2] !== 0 && table[slot * 2] !== k) slot = (slot + 1) & slots;
    table[slot * 2] = k;
    table[slot * 2 + 1] = masks[i]!;
  }
  return {categories, phrases: new Map(), maxLength, table, slots};
}

/**
 * Category mask of a phrase hash (0 when absent).
 *
 * @param g Gazetteer.
 * @param key Phrase hash.
 * @returns Mask.
 */
function gazetteerMask(g: Gazetteer, key: number): number {
  const sorted = g.sortedKeys;
  if (sorted) {
    // The table maps key 0 to 1 (0 marks empty slots): do the same.
    const want = key === 0 ? 1 : key >>> 0;
    // A direct-mapped memo of recent look-ups (slot: the key, 0 when empty, and its mask) spares most searches.
    const memo = (g.memo ??= new Int32Array(MEMO_SLOTS * 2));
    const slot = (Math.imul(want, 0x9e3779b1) >>> (32 - MEMO_BITS)) * 2;
    if (memo[slot] === (want | 0)) return memo[slot + 1]!;
    let lo = 0;
    let hi = sorted.length;
    let mask = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = sorted[mid]!;
      if (at === want) {
        mask = g.sortedMasks![mid]! | 0;
        break;
      }
      if (at < want) lo = mid + 1;
      else hi = mid;
    }
    memo[slot] = want | 0;
    memo[slot + 1] = mask;
    return mask;
  }
  const k = key === 0 ? 1 : key | 0;
  const {table, slots} = g;
  let slot = (Math.imul(k, 0x9e3779b1) >>> 0) & slots;
  for (;;) {
    const found = table[slot * 2]!;
    if (found === k) return table[slot * 2 + 1]!;
    if (found === 0) return 0;
    slot = (slot + 1) & slots;
  }
}

/** Word clusters: lowercase-word hash → cluster bit path (up to 24 bits, with a leading 1 bit marking its length). */
export type Clusters = Map<number, number>;

/** Everything the features of one document need, computed once per document. */
export interface DocInfo {
  tokens: TokenStream;
  /** Hash of the lower-cased token (gazetteer and document statistics key). */
  low: Uint32Array;
  /** Hash of the lower-cased token with digits mapped to 0 (the word feature). */
  word: Uint32Array;
  /** Hash of the token as written (or its truecased form on headline lines). */
  raw: Uint32Array;
  /** Hash of the collapsed shape (Xx, X.X., d-d). */
  shape: Uint32Array;
  /** Prefix (1–4) and suffix (1–4) hashes: 8 per token (empty when analyseDoc was asked not to fill it). */
  affix: Uint32Array;
  flags: Uint16Array;
  /** Gazetteer hits: bit (4 * category + position) with position B=0, I=1, L=2, U=3; three words per token. */
  gaz: Uint32Array;
  /** Document evidence per token: bit 0 = the word appears lower-case elsewhere, bit 1 = capitalised mid-sentence elsewhere, bit 2 = truecased form found. */
  docBits: Uint8Array;
  /** Context of other occurrences of the same word: hashes of the words around up to 3 of them (6 per token). */
  context: Uint32Array;
  /** Word cluster paths (0 when unknown). */
  cluster: Uint32Array;
  /** Index of the first token of each line's sequence, and one past the last (sequence k = [seqStart[k], seqStart[k+1])). */
  seqStart: Int32Array;
  /**
   * Segments the tagger labels, four numbers each: [start, end) of a run of active tokens and [lineStart, lineEnd)
   * of its line. Tokens outside every segment (lower-case words and punctuation away from any capital letter) are O.
   */
  segments: Int32Array;
  /** Entry of each token in `table` (for truecased headline tokens, the entry of the form they are read as). */
  types: Int32Array;
  /** The type table the entries belong to. */
  table: TypeTable;
  /** Dense number of each token's lower-case hash (tokens with equal `low` have equal numbers). */
  lowKeys: Int32Array;
}

/** Per-word scratch of document analysis, indexed by lower-case number. */
interface LowScratch {
  /** Document serial per word: the other arrays hold this document's values where it matches. */
  stamp: Int32Array;
  serial: number;
  seenLower: Uint8Array;
  capMid: Int32Array;
  occCount: Uint8Array;
  occList: Int32Array;
  /** nonLocal: type counts [O, PER, ORG, LOC, MISC] and the last type seen (-1 = none). */
  counts: Int32Array;
  lastType: Int32Array;
}

let scratchLow: LowScratch = {stamp: new Int32Array(0), serial: 0, seenLower: new Uint8Array(0), capMid: new Int32Array(0), occCount: new Uint8Array(0), occList: new Int32Array(0), counts: new Int32Array(0), lastType: new Int32Array(0)};

/**
 * The per-word scratch, for `size` lower-case numbers, with a new serial (so nothing in it is valid yet).
 *
 * @param size Numbers needed.
 * @returns Scratch.
 */
function lowScratch(size: number): LowScratch {
  if (scratchLow.stamp.length < size) {
    let n = Math.max(1024, scratchLow.stamp.length);
    while (n < size) n *= 2;
    scratchLow = {stamp: new Int32Array(n), serial: scratchLow.serial, seenLower: new Uint8Array(n), capMid: new Int32Array(n), occCount: new Uint8Array(n), occList: new Int32Array(n * 4), counts: new Int32Array(n * 5), lastType: new Int32Array(n)};
  }
  scratchLow.serial++;
  return scratchLow;
}

/**
 * Per-word-type properties, computed once per distinct token string and shared by every document of the process:
 * the hashes (lower case, word, as written, shape, 8 affixes), the flags that depend only on the characters, the
 * word cluster and the single-token gazetteer entry. The tagger (tagger.ts) also keys its cached score vectors on
 * these entries. A table belongs to one gazetteer and one cluster set; it is emptied (between documents, never
 * during one) when it holds more than `TYPE_TABLE_LIMIT` entries.
 */
export class TypeTable {
  /**
   * Open-addressing table of plain entries (those made from a string), four numbers per slot: the string's hash (its
   * `raw` hash), entry + 1 (0 = empty), the string's length and where its code units start in `chars`. A look-up
   * compares the token with `chars` in place (no string object is touched).
   */
  private slots = new Int32Array(4096 * 4);
  private slotMask = 4095;
  /** Plain entries in the table. */
  private plain = 0;
  /** Entry + 1 of each one-code-unit string seen (0 = not yet): punctuation and initials skip the hash table. */
  private single = new Int32Array(65536);
  /** The code units of the plain entries' strings, one after another. */
  private chars = new Uint16Array(65536);
  private charCount = 0;
  /** Lower-case hash → dense number (documents count words by it). */
  private lowIds = new Map<number, number>();
  /** Number of lower-case ids. */
  lowCount = 0;
  /** Truecased headline forms: own string, NUL, body string → entry. */
  private composites = new Map<string, number>();
  /** Number of entries. */
  size = 0;
  /** Bumped whenever the table is emptied (entries are then reused for other strings). */
  generation = 0;
  low = new Uint32Array(1024);
  word = new Uint32Array(1024);
  raw = new Uint32Array(1024);
  shape = new Uint32Array(1024);
  affix = new Uint32Array(1024 * 8);
  /** How many of the 8 affix hashes are non-zero (each is one feature). */
  affixCount = new Uint8Array(1024);
  flags = new Uint16Array(1024);
  cluster = new Uint32Array(1024);
  /** Gazetteer entry (category mask and PREFIX bit) of the one-token phrase, 0 when none. */
  gaz1 = new Int32Array(1024);
  /** Dense number of the lower-case hash (equal `low`, equal `lowId`). */
  lowId = new Int32Array(1024);
  /** Punctuation marks that sequences and sentence starts depend on (M_* bits). */
  marks = new Uint8Array(1024);

  constructor(
    readonly gazetteer: Gazetteer | null,
    readonly clusters: Clusters | null,
  ) {}

  /**
   * Empty the table when it has grown past the limit (call between documents only).
   *
   * @param limit Entries it may keep.
   */
  trim(limit = TYPE_TABLE_LIMIT): void {
    if (this.size <= limit) return;
    this.slots.fill(0);
    this.single.fill(0);
    this.plain = 0;
    this.charCount = 0;
    this.lowIds.clear();
    this.lowCount = 0;
    this.composites.clear();
    this.size = 0;
    this.generation++;
  }

  /**
   * The entry of a token string (added on first sight).
   *
   * @param s Token text.
   * @returns Entry.
   */
  id(s: string): number {
    return this.idOf(s, 0, s.length);
  }

  /**
   * The entry of the token `source.slice(from, to)`, without making that string unless the type is new.
   *
   * @param source Text.
   * @param from Start.
   * @param to End.
   * @returns Entry.
   */
  idOf(source: string, from: number, to: number): number {
    if (to - from === 1) {
      const code = source.charCodeAt(from);
      const known = this.single[code]!;
      if (known !== 0) return known - 1;
      const e = this.lookUp(source, from, to);
      this.single[code] = e + 1;
      return e;
    }
    return this.lookUp(source, from, to);
  }

  /**
   * `idOf` through the hash table.
   *
   * @param source Text.
   * @param from Start.
   * @param to End.
   * @returns Entry.
   */
  private lookUp(source: string, from: number, to: number): number {
    let h = FNV;
    for (let k = from; k < to; k++) h = Math.imul(h ^ source.charCodeAt(k), 0x01000193);
    h >>>= 0;
    const {slots, slotMask, chars} = this;
    const key = h | 0;
    const length = to - from;
    let slot = (h ^ (h >>> 15)) & slotMask;
    for (;;) {
      const at = slots[slot * 4 + 1]!;
      if (at === 0) break;
      if (slots[slot * 4] === key && slots[slot * 4 + 2] === length) {
        let k = slots[slot * 4 + 3]!;
        let c = from;
        while (c < to && chars[k] === source.charCodeAt(c)) {
          k++;
          c++;
        }
        if (c === to) return at - 1;
      }
      slot = (slot + 1) & slotMask;
    }
    const s = source.slice(from, to);
    const e = this.add();
    computeType(this, e, s);
    let id = this.lowIds.get(this.low[e]!);
    if (id === undefined) {
      id = this.lowCount++;
      this.lowIds.set(this.low[e]!, id);
    }
    this.lowId[e] = id;
    if (this.charCount + length > this.chars.length) {
      let size = this.chars.length * 2;
      while (size < this.charCount + length) size *= 2;
      const grown = new Uint16Array(size);
      grown.set(this.chars.subarray(0, this.charCount));
      this.chars = grown;
    }
    const offset = this.charCount;
    for (let k = 0; k < length; k++) this.chars[offset + k] = s.charCodeAt(k);
    this.charCount += length;
    slots[slot * 4] = key;
    slots[slot * 4 + 1] = e + 1;
    slots[slot * 4 + 2] = length;
    slots[slot * 4 + 3] = offset;
    this.plain++;
    if (this.plain * 2 > slotMask) this.rehash();
    return e;
  }

  /** Double the string table. */
  private rehash(): void {
    const {table, mask} = rehashed(this.slots, 4, 1, (old, at) => {
      const h = old[at]! >>> 0;
      return h ^ (h >>> 15);
    });
    this.slots = table;
    this.slotMask = mask;
  }

  /**
   * The entry of a headline token read as its body form: its own properties, with the raw hash and shape of the
   * body form (truecasing, see analyseDoc).
   *
   * @param own Own entry.
   * @param body Entry of the body form.
   * @param ownText Own text.
   * @param bodyText Body form's text.
   * @returns Entry.
   */
  truecased(own: number, body: number, ownText: string, bodyText: string): number {
    const key = `${ownText}\u0000${bodyText}`;
    const known = this.composites.get(key);
    if (known !== undefined) return known;
    const e = this.add();
    this.low[e] = this.low[own]!;
    this.word[e] = this.word[own]!;
    this.raw[e] = this.raw[body]!;
    this.shape[e] = this.shape[body]!;
    this.affix.copyWithin(e * 8, own * 8, own * 8 + 8);
    this.affixCount[e] = this.affixCount[own]!;
    this.flags[e] = this.flags[own]!;
    this.cluster[e] = this.cluster[own]!;
    this.gaz1[e] = this.gaz1[own]!;
    this.lowId[e] = this.lowId[own]!;
    this.marks[e] = this.marks[own]!;
    this.composites.set(key, e);
    return e;
  }

  /**
   * A new entry (grows the arrays).
   *
   * @returns Entry.
   */
  private add(): number {
    const e = this.size++;
    if (e === this.low.length) {
      this.low = doubled(this.low);
      this.word = doubled(this.word);
      this.raw = doubled(this.raw);
      this.shape = doubled(this.shape);
      this.affix = doubled(this.affix);
      this.affixCount = doubled(this.affixCount);
      this.flags = doubled(this.flags);
      this.cluster = doubled(this.cluster);
      this.gaz1 = doubled(this.gaz1);
      this.lowId = doubled(this.lowId);
      this.marks = doubled(this.marks);
    }
    return e;
  }
}

/** Marks: the token ends a sentence (`.`, `!`, `?`, `...`, `…`). */
const M_END = 1;
/** The token may follow a sentence end without starting a new sequence (closing quotes and brackets, `.`, `!`, `?`). */
const M_TRAIL = 2;
/** The next word starts a sentence (`.`, `!`, `?`, `:`, `;`). */
const M_INIT = 4;
/** A straight double quote (starts a sentence when it opens a line). */
const M_QUOTE = 8;

/**
 * The marks of a token string.
 *
 * @param t Token text.
 * @returns M_* bits.
 */
function marksOf(t: string): number {
  let m = 0;
  if (t === '.' || t === '!' || t === '?' || t === '...' || t === '\u2026') m |= M_END;
  if (t === '"' || t === ')' || t === ']' || t === '\u201d' || t === '\u2019' || t === "'" || t === '.' || t === '!' || t === '?') m |= M_TRAIL;
  if (t === '.' || t === '!' || t === '?' || t === ':' || t === ';') m |= M_INIT;
  if (t === '"') m |= M_QUOTE;
  return m;
}

/** Entries a type table keeps across documents. */
export const TYPE_TABLE_LIMIT = 200_000;

/**
 * Compute the properties of one token string into entry `e` of a type table.
 *
 * @param t Table.
 * @param e Entry.
 * @param s Token text.
 */
function computeType(t: TypeTable, e: number, s: string): void {
  const affix = t.affix;
  const len = s.length;
  let hl = FNV;
  let hw = FNV;
  let hr = FNV;
  let hs = FNV;
  let last = 0;
  let classes = 0;
  let uppers = 0;
  let lowers = 0;
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(k);
    const lc = lower(c);
    const cls = charClass(c);
    classes |= cls;
    if (cls === UPPER) uppers++;
    else if (cls === LOWER) lowers++;
    hl = Math.imul(hl ^ lc, 0x01000193);
    hw = Math.imul(hw ^ (cls === DIGIT ? 48 : lc), 0x01000193);
    hr = Math.imul(hr ^ c, 0x01000193);
    const sc = cls === UPPER ? 88 : cls === LOWER ? 120 : cls === DIGIT ? 100 : c;
    if (sc !== last) {
      hs = Math.imul(hs ^ sc, 0x01000193);
      last = sc;
    }
    if (k < 4) affix[e * 8 + k] = mix(hl >>> 0, k);
  }
  for (let k = len; k < 4; k++) affix[e * 8 + k] = 0;
  // Suffixes.
  let hx = FNV;
  for (let k = 0; k < 4; k++) {
    if (k < len) {
      hx = Math.imul(hx ^ lower(s.charCodeAt(len - 1 - k)), 0x01000193);
      affix[e * 8 + 4 + k] = mix(hx >>> 0, 4 + k);
    } else affix[e * 8 + 4 + k] = 0;
  }
  let count = 0;
  for (let k = 0; k < 8; k++) if (affix[e * 8 + k]) count++;
  t.affixCount[e] = count;
  t.low[e] = hl >>> 0;
  t.word[e] = hw >>> 0;
  t.raw[e] = hr >>> 0;
  t.shape[e] = hs >>> 0;
  let f = 0;
  const first = charClass(s.charCodeAt(0));
  if (first === UPPER) f |= F_CAP;
  if (uppers + lowers > 0) f |= F_LETTER;
  if (uppers > 0 && lowers === 0) f |= F_ALLCAPS;
  if (uppers > 0) f |= F_UPPER;
  if (lowers > 0 && uppers === 0) f |= F_LOWER;
  if (classes & DIGIT) f |= F_DIGIT;
  if (!(classes & (UPPER | LOWER | DIGIT))) f |= F_PUNCT;
  t.flags[e] = f;
  t.cluster[e] = t.clusters ? (t.clusters.get(hw >>> 0) ?? 0) : 0;
  t.marks[e] = marksOf(s);
  t.gaz1[e] = t.gazetteer ? gazetteerMask(t.gazetteer, mix(FNV, hl >>> 0)) : 0;
}

/** Type tables by gazetteer (or NO_GAZETTEER) and cluster set (or null). */
const typeTables = new WeakMap<object, Map<Clusters | null, TypeTable>>();
const NO_GAZETTEER = {};

/**
 * The process-wide type table of a gazetteer and cluster set.
 *
 * @param gazetteer Gazetteer.
 * @param clusters Clusters.
 * @returns Table.
 */
export function typeTable(gazetteer: Gazetteer | null, clusters: Clusters | null): TypeTable {
  const key = gazetteer ?? NO_GAZETTEER;
  let byClusters = typeTables.get(key);
  if (!byClusters) {
    byClusters = new Map();
    typeTables.set(key, byClusters);
  }
  let table = byClusters.get(clusters);
  if (!table) {
    table = new TypeTable(gazetteer, clusters);
    byClusters.set(clusters, table);
  }
  return table;
}

/**
 * Compute the per-token properties of a document.
 *
 * @param tokens Tokens (from `tokenize`).
 * @param gazetteer Gazetteer.
 * @param clusters Word clusters, or null.
 * @param affixes Whether to fill `affix` (`featuresAt` needs it; the tagger's cached scores read the type table's,
 *   and so leave it empty).
 * @param reuse Whether the per-token arrays may be views of arrays reused from the previous such call (the tagger,
 *   which drops the document before the next: fewer allocations and less garbage collection). Callers that keep
 *   documents (training) leave it false.
 * @returns Document info.
 */
export function analyseDoc(tokens: TokenStream, gazetteer: Gazetteer | null, clusters: Clusters | null, affixes = true, reuse = false): DocInfo {
  const n = tokens.n;
  const table = typeTable(gazetteer, clusters);
  table.trim();
  const arrays = reuse ? reusedArrays(n) : null;
  const low = arrays ? arrays.low.subarray(0, n) : new Uint32Array(n);
  const word = arrays ? arrays.word.subarray(0, n) : new Uint32Array(n);
  const raw = arrays ? arrays.raw.subarray(0, n) : new Uint32Array(n);
  const shape = arrays ? arrays.shape.subarray(0, n) : new Uint32Array(n);
  const affix = new Uint32Array(affixes ? n * 8 : 0);
  const flags = arrays ? arrays.flags.subarray(0, n) : new Uint16Array(n);
  const types = arrays ? arrays.types.subarray(0, n) : new Int32Array(n);
  const lowKeys = arrays ? arrays.lowKeys.subarray(0, n) : new Int32Array(n);
  const source = tokens.source;
  const tokenStart = tokens.start;
  const tokenEnd = tokens.end;
  // Token texts are read from the source when there is one (tokenize() then makes no string per token).
  const textOf = (i: number): string => (source === undefined ? tokens.text[i]! : source.slice(tokenStart[i], tokenEnd[i]));
  let lowMax = 0;
  for (let i = 0; i < n; i++) {
    const e = source === undefined ? table.id(tokens.text[i]!) : table.idOf(source, tokenStart[i]!, tokenEnd[i]!);
    types[i] = e;
    const lk = table.lowId[e]!;
    lowKeys[i] = lk;
    if (lk > lowMax) lowMax = lk;
    low[i] = table.low[e]!;
    word[i] = table.word[e]!;
    raw[i] = table.raw[e]!;
    shape[i] = table.shape[e]!;
    flags[i] = table.flags[e]!;
  }
  if (affixes) {
    const tAffix = table.affix;
    for (let i = 0; i < n; i++) for (let k = 0, e = types[i]!; k < 8; k++) affix[i * 8 + k] = tAffix[e * 8 + k]!;
  }
  // Sequences (lines), headline lines, sentence starts.
  const lineOf = tokens.line;
  const marks = table.marks;
  // Sequences: lines, cut after sentence-final punctuation (CoNLL has one sentence per line; running text has more).
  const starts: number[] = [];
  let pending = false;
  for (let i = 0; i < n; i++) {
    if (i === 0 || lineOf[i] !== lineOf[i - 1]) {
      starts.push(i);
      pending = false;
      continue;
    }
    if (marks[types[i - 1]!]! & M_END) pending = true;
    if (pending && !(marks[types[i]!]! & M_TRAIL)) {
      starts.push(i);
      pending = false;
    }
  }
  starts.push(n);
  const seqStart = Int32Array.from(starts);
  for (let k = 0; k + 1 < seqStart.length; k++) {
    const a = seqStart[k]!;
    const b = seqStart[k + 1]!;
    let lettered = 0;
    let caps = 0;
    for (let i = a; i < b; i++) {
      if (flags[i]! & F_LETTER) {
        lettered++;
        if (flags[i]! & F_ALLCAPS) caps++;
      }
    }
    const headline = lettered > 0 && (caps === lettered || (lettered >= 4 && caps >= 0.8 * lettered)) && !(lettered === 1 && b - a === 1 && tokenEnd[a]! - tokenStart[a]! <= 1);
    let init = true;
    for (let i = a; i < b; i++) {
      if (headline) flags[i]! |= F_HEADLINE;
      const f = flags[i]!;
      if (init && !(f & F_PUNCT)) {
        flags[i] = f | F_SENT_INIT;
        init = false;
      }
      const m = marks[types[i]!]!;
      if (m & M_INIT || (m & M_QUOTE && i === a)) init = true;
    }
  }
  // Document evidence: how each word is cased elsewhere in the document (outside headlines).
  // (Per word, by its lower-case number: seenLower[k] and capMid[k], the first mid-sentence capitalised token, -1
  // when none, valid where stamp[k] is this document's serial.)
  const w = lowScratch(lowMax + 1);
  const serial = w.serial;
  const {stamp, seenLower, capMid} = w;
  for (let i = 0; i < n; i++) {
    const k = lowKeys[i]!;
    if (stamp[k] !== serial) {
      stamp[k] = serial;
      seenLower[k] = 0;
      capMid[k] = -1;
      w.occCount[k] = 0;
    }
  }
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (f & F_HEADLINE || !(f & F_LETTER)) continue;
    const k = lowKeys[i]!;
    if (f & F_LOWER) seenLower[k] = 1;
    else if (f & F_CAP && !(f & F_SENT_INIT) && capMid[k]! < 0) capMid[k] = i;
  }
  const docBits = arrays ? zeroed(arrays.docBits, n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (!(f & F_LETTER)) continue;
    let bits = 0;
    const k = lowKeys[i]!;
    if (!(f & F_LOWER) && seenLower[k]) bits |= 1;
    const j = capMid[k]!;
    if (j >= 0 && j !== i) bits |= 2;
    if (f & F_HEADLINE && j >= 0) {
      // Truecase a headline word from the body: its raw form and shape become those of the body form.
      raw[i] = raw[j]!;
      shape[i] = shape[j]!;
      types[i] = table.truecased(types[i]!, types[j]!, textOf(i), textOf(j));
      bits |= 4;
    } else if (f & F_HEADLINE && seenLower[k]) {
      bits |= 8;
    }
    docBits[i] = bits;
  }
  // Gazetteer hits.
  const gaz = arrays ? zeroed(arrays.gaz, n * GAZ_WORDS) : new Uint32Array(n * GAZ_WORDS);
  if (gazetteer) {
    const {maxLength} = gazetteer;
    for (let k = 0; k + 1 < seqStart.length; k++) {
      const a = seqStart[k]!;
      const b = seqStart[k + 1]!;
      for (let i = a; i < b; i++) {
        const fi = flags[i]!;
        if (!(fi & (F_CAP | F_DIGIT))) continue;
        let h = FNV;
        for (let len = 1; len <= maxLength && i + len <= b; len++) {
          const j = i + len - 1;
          h = mix(h, low[j]!);
          // The one-token phrase's entry is a property of the word type (computed with this gazetteer).
          const entry = len === 1 ? table.gaz1[types[i]!]! : gazetteerMask(gazetteer, h);
          if (entry === 0) break;
          const mask = entry & ~PREFIX;
          if (mask === 0) continue;
          if (len > 1 && !(flags[j]! & (F_CAP | F_DIGIT))) continue;
          for (let c = 0; c < GAZ_CATEGORIES; c++) {
            if (!(mask & (1 << c))) continue;
            if (len === 1) setBit(gaz, i, c * 4 + 3);
            else {
              setBit(gaz, i, c * 4);
              for (let m = i + 1; m < j; m++) setBit(gaz, m, c * 4 + 1);
              setBit(gaz, j, c * 4 + 2);
            }
          }
        }
      }
    }
  }
  // Context aggregation: the words around other (mid-sentence, non-headline) occurrences of a capitalised word.
  const context = arrays ? zeroed(arrays.context, n * 6) : new Uint32Array(n * 6);
  // (The first four such occurrences of each word, by its lower-case number.)
  const {occCount, occList} = w;
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (!(f & F_CAP) || f & F_HEADLINE) continue;
    const k = lowKeys[i]!;
    if (occCount[k]! < 4) occList[k * 4 + occCount[k]!++] = i;
  }
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (!(f & (F_CAP | F_ALLCAPS))) continue;
    const k = lowKeys[i]!;
    const count = occCount[k]!;
    if (!count) continue;
    let m = 0;
    for (let o = 0; o < count; o++) {
      const j = occList[k * 4 + o]!;
      if (j === i || m === 3) continue;
      const line = lineOf[j];
      context[i * 6 + m * 2] = j > 0 && lineOf[j - 1] === line ? word[j - 1]! : 0x1234567;
      context[i * 6 + m * 2 + 1] = j + 1 < n && lineOf[j + 1] === line ? word[j + 1]! : 0x7654321;
      m++;
    }
  }
  const cluster = arrays ? zeroed(arrays.cluster, n) : new Uint32Array(n);
  if (clusters) for (let i = 0; i < n; i++) cluster[i] = table.cluster[types[i]!]!;
  // Active segments.
  const segs: number[] = [];
  for (let k = 0; k + 1 < seqStart.length; k++) {
    const a = seqStart[k]!;
    const b = seqStart[k + 1]!;
    for (let i = a; i < b; i++) {
      if (flags[i]! & F_UPPER || (i > a && flags[i - 1]! & F_UPPER) || (i + 1 < b && flags[i + 1]! & F_UPPER)) flags[i]! |= F_ACTIVE;
    }
    let i = a;
    while (i < b) {
      if (!(flags[i]! & F_ACTIVE)) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < b && flags[j]! & F_ACTIVE) j++;
      segs.push(i, j, a, b);
      i = j;
    }
  }
  const segments = Int32Array.from(segs);
  return {tokens, low, word, raw, shape, affix, flags, gaz, docBits, context, cluster, seqStart, segments, types, table, lowKeys};
}

/** The per-token arrays `analyseDoc` fills when asked to reuse them (the tagger's case), grown as needed. */
interface DocArrays {
  size: number;
  low: Uint32Array;
  word: Uint32Array;
  raw: Uint32Array;
  shape: Uint32Array;
  flags: Uint16Array;
  types: Int32Array;
  lowKeys: Int32Array;
  docBits: Uint8Array;
  gaz: Uint32Array;
  context: Uint32Array;
  cluster: Uint32Array;
}

let docArrays: DocArrays | null = null;

/**
 * The reused per-token arrays, for at least n tokens. What a document got from them is valid until the next
 * `analyseDoc(…, reuse = true)` (the engine is single-threaded, and the tagger drops a document before the next).
 *
 * @param n Tokens.
 * @returns Arrays (longer than n; `analyseDoc` takes views of their first entries).
 */
function reusedArrays(n: number): DocArrays {
  if (!docArrays || docArrays.size < n) {
    let size = Math.max(1024, docArrays ? docArrays.size : 0);
    while (size < n) size *= 2;
    docArrays = {
      size,
      low: new Uint32Array(size),
      word: new Uint32Array(size),
      raw: new Uint32Array(size),
      shape: new Uint32Array(size),
      flags: new Uint16Array(size),
      types: new Int32Array(size),
      lowKeys: new Int32Array(size),
      docBits: new Uint8Array(size),
      gaz: new Uint32Array(size * GAZ_WORDS),
      context: new Uint32Array(size * 6),
      cluster: new Uint32Array(size),
    };
  }
  return docArrays;
}

/**
 * The first `length` entries of an array, zeroed, as a view.
 *
 * @param array Array.
 * @param length Entries.
 * @returns View.
 */
function zeroed<A extends Uint8Array | Uint32Array>(array: A, length: number): A {
  array.fill(0, 0, length);
  return array.subarray(0, length) as A;
}

/**
 * Set a gazetteer bit.
 *
 * @param gaz Bits.
 * @param i Token.
 * @param bit Bit (0–63).
 */
function setBit(gaz: Uint32Array, i: number, bit: number): void {
  gaz[i * GAZ_WORDS + (bit >> 5)]! |= 1 << (bit & 31);
}

/** Second-pass evidence per token: for other occurrences of the same word, a bit per type the first pass gave. */
export interface NonLocal {
  /** Bits 0–3: some other occurrence was tagged PER/ORG/LOC/MISC; bit 4: some other capitalised occurrence was O. */
  others: Uint8Array;
  /** Majority type among other occurrences (0 = O/none, 1 + type). */
  majority: Uint8Array;
  /** Type of the nearest earlier occurrence (0 = none, 1 = O, 2 + type). */
  earlier: Uint8Array;
  /** 1 where the token's word occurs elsewhere in the document (only segments with such a token get a second pass). */
  evidence: Uint8Array;
}

/**
 * Non-local evidence from first-pass labels: for each capitalised token, what the first pass said about the same
 * word (case-insensitive) elsewhere in the document.
 *
 * @param doc Document info.
 * @param labels First-pass labels per token.
 * @returns Evidence.
 */
export function nonLocal(doc: DocInfo, labels: Uint8Array): NonLocal {
  const n = doc.tokens.n;
  const others = new Uint8Array(n);
  const majority = new Uint8Array(n);
  const earlier = new Uint8Array(n);
  const evidence = new Uint8Array(n);
  // Per word (lower-case number k): counts[5k ..] = [O, PER, ORG, LOC, MISC], lastType[k] (-1 = none yet).
  const {lowKeys} = doc;
  let lowMax = 0;
  for (let i = 0; i < n; i++) if (lowKeys[i]! > lowMax) lowMax = lowKeys[i]!;
  const w = lowScratch(lowMax + 1);
  const {stamp, serial, counts, lastType} = w;
  for (let i = 0; i < n; i++) {
    const k = lowKeys[i]!;
    if (stamp[k] === serial) continue;
    stamp[k] = serial;
    // (Five stores: cheaper than a call of `fill` per word.)
    counts[k * 5] = 0;
    counts[k * 5 + 1] = 0;
    counts[k * 5 + 2] = 0;
    counts[k * 5 + 3] = 0;
    counts[k * 5 + 4] = 0;
    lastType[k] = -1;
  }
  for (let i = 0; i < n; i++) {
    const f = doc.flags[i]!;
    if (!(f & F_LETTER) || f & F_LOWER) continue;
    const k = lowKeys[i]!;
    const label = labels[i]!;
    const type = label === 0 ? 0 : 1 + ((label - 1) >> 2);
    counts[k * 5 + type]!++;
    const prev = lastType[k]!;
    if (prev >= 0) earlier[i] = 1 + prev;
    lastType[k] = type;
  }
  for (let i = 0; i < n; i++) {
    const f = doc.flags[i]!;
    if (!(f & F_LETTER) || f & F_LOWER) continue;
    const base = lowKeys[i]! * 5;
    const label = labels[i]!;
    const own = label === 0 ? 0 : 1 + ((label - 1) >> 2);
    let bits = 0;
    let best = 0;
    let bestCount = 0;
    for (let t = 0; t < 5; t++) {
      const k = counts[base + t]! - (t === own ? 1 : 0);
      if (k > 0) bits |= t === 0 ? 16 : 1 << (t - 1);
      if (t > 0 && k > bestCount) {
        best = t;
        bestCount = k;
      }
    }
    others[i] = bits;
    majority[i] = best;
    if (bits || earlier[i]) evidence[i] = 1;
  }
  return {others, majority, earlier, evidence};
}

/** Feature templates (numbers are part of the model: do not renumber). */
export const T = {
  bias: 1, word: 2, raw: 3, wPrev: 4, wNext: 5, wPrev2: 6, wNext2: 7, biPrev: 8, biNext: 9, shape: 10, shapePrev: 11,
  shapeNext: 12, shape3: 13, shapeBiPrev: 14, shapeBiNext: 15, affix: 16, initShape: 17, headShape: 18, headWord: 19,
  gaz: 20, gazPrev: 21, gazNext: 22, doc: 23, docShape: 24, cluster: 25, clusterPrev: 26, clusterNext: 27,
  nlOthers: 28, nlMajority: 29, nlEarlier: 30, nlMajShape: 31, wPrevCap: 32, wNextCap: 33, position: 34, flags: 35,
  gazCount: 36, rawPrev: 37, rawNext: 38, ctxPrev: 39, ctxNext: 40, nlPrev: 41, nlNext: 42,
} as const;

/** Word, shape and raw hash standing for the line's start and end. */
export const LINE_START = 0x1234567;
export const LINE_END = 0x7654321;

/**
 * Write the feature hashes of token `i` into `out`.
 *
 * @param doc Document info.
 * @param i Token index.
 * @param a First token of its sequence.
 * @param b One past the last token of its sequence.
 * @param out Buffer (at least 160 entries).
 * @returns Number of features written.
 */
export function featuresAt(doc: DocInfo, i: number, a: number, b: number, out: Uint32Array): number {
  const {word, raw, shape, affix, flags, gaz, docBits, cluster} = doc;
  let k = 0;
  const w0 = word[i]!;
  const wp = i > a ? word[i - 1]! : LINE_START;
  const wn = i + 1 < b ? word[i + 1]! : LINE_END;
  const wp2 = i - 1 > a ? word[i - 2]! : LINE_START;
  const wn2 = i + 2 < b ? word[i + 2]! : LINE_END;
  const s0 = shape[i]!;
  const sp = i > a ? shape[i - 1]! : LINE_START;
  const sn = i + 1 < b ? shape[i + 1]! : LINE_END;
  const f = flags[i]!;
  const head = f & F_HEADLINE ? 1 : 0;
  out[k++] = T.bias;
  out[k++] = mix(T.word, w0);
  out[k++] = mix(T.raw, raw[i]!);
  out[k++] = mix(T.wPrev, wp);
  out[k++] = mix(T.wNext, wn);
  out[k++] = mix(T.wPrev2, wp2);
  out[k++] = mix(T.wNext2, wn2);
  out[k++] = mix(mix(T.biPrev, wp), w0);
  out[k++] = mix(mix(T.biNext, w0), wn);
  out[k++] = mix(T.shape, s0);
  out[k++] = mix(T.shapePrev, sp);
  out[k++] = mix(T.shapeNext, sn);
  out[k++] = mix(mix(mix(T.shape3, sp), s0), sn);
  out[k++] = mix(mix(T.shapeBiPrev, sp), s0);
  out[k++] = mix(mix(T.shapeBiNext, s0), sn);
  out[k++] = mix(T.rawPrev, i > a ? raw[i - 1]! : LINE_START);
  out[k++] = mix(T.rawNext, i + 1 < b ? raw[i + 1]! : LINE_END);
  for (let j = 0; j < 8; j++) {
    const h = affix[i * 8 + j]!;
    if (h) out[k++] = mix(T.affix, h);
  }
  const capBits = f & (F_CAP | F_ALLCAPS | F_LOWER | F_DIGIT | F_PUNCT);
  out[k++] = mix(T.flags, capBits | (f & F_SENT_INIT) | (f & F_HEADLINE));
  if (f & F_SENT_INIT) out[k++] = mix(T.initShape, s0);
  if (head) {
    out[k++] = mix(T.headShape, s0);
    out[k++] = mix(T.headWord, w0);
  }
  const pos = i === a ? 0 : i === a + 1 ? 1 : i + 1 === b ? 3 : 2;
  out[k++] = mix(mix(mix(T.position, pos), capBits), b - a <= 3 ? 1 : 0);
  const capNow = f & (F_CAP | F_DIGIT) ? 1 : 0;
  out[k++] = mix(mix(T.wPrevCap, wp), capNow);
  out[k++] = mix(mix(T.wNextCap, wn), capNow);
  // Gazetteers: each hit of this token; categories (positions dropped) of the neighbours.
  let hits = 0;
  for (let bit = 0; bit < GAZ_WORDS * 32; bit++) {
    const word = gaz[i * GAZ_WORDS + (bit >> 5)]!;
    if (!word) {
      bit |= 31;
      continue;
    }
    if (!(word & (1 << (bit & 31)))) continue;
    hits++;
    out[k++] = mix(T.gaz, bit);
    out[k++] = mix(mix(T.gaz, bit), head ? 2 : capNow);
    if (k > 120) break;
  }
  out[k++] = mix(T.gazCount, Math.min(hits, 4));
  if (i > a) k = gazCategories(gaz, i - 1, T.gazPrev, out, k);
  if (i + 1 < b) k = gazCategories(gaz, i + 1, T.gazNext, out, k);
  const d = docBits[i]!;
  if (d) {
    out[k++] = mix(T.doc, d);
    out[k++] = mix(mix(T.docShape, d), s0);
  }
  const ctx = doc.context;
  for (let m = 0; m < 6; m += 2) {
    const p = ctx[i * 6 + m]!;
    if (!p) break;
    out[k++] = mix(T.ctxPrev, p);
    out[k++] = mix(T.ctxNext, ctx[i * 6 + m + 1]!);
  }
  const c0 = cluster[i]!;
  if (c0) {
    for (const len of [4, 8, 12, 16, 20]) out[k++] = mix(mix(T.cluster, len), pathPrefix(c0, len));
  }
  const cp = i > a ? cluster[i - 1]! : 0;
  const cn = i + 1 < b ? cluster[i + 1]! : 0;
  if (cp) out[k++] = mix(T.clusterPrev, pathPrefix(cp, 8));
  if (cn) out[k++] = mix(T.clusterNext, pathPrefix(cn, 8));
  return k;
}

/**
 * Does a segment have a token with non-local evidence (and so get a second pass)?
 *
 * @param nl Evidence.
 * @param s First token.
 * @param e One past the last token.
 * @returns Whether.
 */
export function hasEvidence(nl: NonLocal, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (nl.evidence[i]) return true;
  return false;
}

/**
 * Write the second-pass (non-local) feature hashes of token `i` into `out`: what the first pass said about the same
 * word elsewhere in the document, alone and with the token's shape, capitalisation and neighbours' evidence.
 *
 * @param doc Document info.
 * @param i Token index.
 * @param a First token of its line.
 * @param b One past the last token of its line.
 * @param nl Evidence.
 * @param out Buffer.
 * @returns Number of features written.
 */
export function nonLocalFeaturesAt(doc: DocInfo, i: number, a: number, b: number, nl: NonLocal, out: Uint32Array): number {
  const f = doc.flags[i]!;
  let k = 0;
  const m = nl.majority[i]!;
  const o = nl.others[i]!;
  const e = nl.earlier[i]!;
  if (!nl.evidence[i]) return 0;
  const mp = i > a ? nl.majority[i - 1]! : 9;
  const mn = i + 1 < b ? nl.majority[i + 1]! : 9;
  const capBits = f & (F_CAP | F_ALLCAPS | F_SENT_INIT | F_HEADLINE);
  out[k++] = mix(T.nlOthers, o);
  out[k++] = mix(mix(T.nlOthers, o), capBits);
  out[k++] = mix(T.nlMajority, m);
  out[k++] = mix(mix(T.nlMajority, m), capBits);
  out[k++] = mix(mix(T.nlMajShape, m), doc.shape[i]!);
  out[k++] = mix(T.nlEarlier, e);
  out[k++] = mix(mix(T.nlEarlier, e), capBits);
  out[k++] = mix(mix(T.nlPrev, mp), m);
  out[k++] = mix(mix(T.nlNext, mn), m);
  return k;
}

/**
 * Categories (any position) of a token's gazetteer hits, as features.
 *
 * @param gaz Bits.
 * @param i Token.
 * @param template Template number.
 * @param out Buffer.
 * @param k Write index.
 * @returns New write index.
 */
function gazCategories(gaz: Uint32Array, i: number, template: number, out: Uint32Array, k: number): number {
  for (let w = 0; w < GAZ_WORDS; w++) {
    const word = gaz[i * GAZ_WORDS + w]!;
    if (!word) continue;
    for (let c = 0; c < 8; c++) if ((word >>> (c * 4)) & 15) out[k++] = mix(template, w * 8 + c);
  }
  return k;
}

/**
 * The first `len` bits of a cluster path (paths carry a leading 1 bit that marks their length).
 *
 * @param path Path.
 * @param len Prefix length.
 * @returns Prefix (with its marker bit).
 */
export function pathPrefix(path: number, len: number): number {
  const bits = 31 - Math.clz32(path);
  return bits <= len ? path : path >>> (bits - len);
}

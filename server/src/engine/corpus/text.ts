/**
 * Small text helpers of the cross-source index: hashing, word tokens, line keys and offset units.
 *
 * Everything here is pure and deterministic: the same text gives the same hashes on every machine, so summaries
 * can be cached on disk and compared across runs.
 */
import {createHash} from 'node:crypto';
import {lineKey} from '../boilerplate/index.js';

export {lineKey};

/**
 * The content hash of a text (sha256 of its UTF-8 bytes, hex). Summaries are cached under it.
 *
 * @param text The document.
 * @returns 64 hex digits.
 */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of a string.
 *
 * @param text Any string.
 * @param seed Offset basis (default FNV's).
 * @returns Unsigned 32-bit hash.
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * MurmurHash3's 32-bit finaliser: a cheap, well-mixed permutation of 32-bit integers.
 *
 * @param x Integer.
 * @returns Unsigned 32-bit value.
 */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 52-bit hash of a string (two independent 32-bit hashes combined), safe as a JavaScript number and as a Map
 * key. Used for line keys, where collisions would wrongly merge two lines' counts.
 *
 * @param text String.
 * @returns Integer below 2^52.
 */
export function hash52(text: string): number {
  const a = fnv1a(text);
  const b = fmix32(fnv1a(text, 0x9747b28c));
  return (a & 0xfffff) * 0x100000000 + b;
}

/** A word of a text: its span, as written, and its comparison form. */
export interface Word {
  start: number;
  end: number;
  /** The characters as written (may include punctuation: `(S-400s).`). */
  surface: string;
  /** Lower case, letters and digits only (`s400s`); never empty. */
  norm: string;
}

/**
 * The comparison form of a word: NFKC, lower case, letters, marks and digits only.
 *
 * @param surface The word as written.
 * @returns Normalised form (may be empty for pure punctuation).
 */
export function normWord(surface: string): string {
  return surface.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
}

/**
 * Split a text into whitespace-separated words, dropping those with no letter or digit.
 *
 * Example: `“The US (S-400s).”` → `The` (`the`), `US` (`us`), `(S-400s).”` (`s400s`).
 *
 * @param text Text.
 * @param base Offset added to every span (when `text` is a slice of a document).
 * @returns Words in order.
 */
export function wordsOf(text: string, base = 0): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const surface = match[0];
    const norm = normWord(surface);
    if (!norm) continue;
    const start = base + match.index;
    out.push({start, end: start + surface.length, surface, norm});
  }
  return out;
}

/**
 * Lower-case letter/digit runs of a text, the unit of story shingles (`S-400s` → `s`, `400s`).
 *
 * @param text Text.
 * @returns Tokens.
 */
export function plainTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/**
 * Offsets in Unicode code points, as brat, doccano and Python count them, from UTF-16 offsets (JavaScript's).
 */
export class CodePoints {
  /** `toCp[u]` = code points before UTF-16 offset `u` (for `u` inside a surrogate pair: the pair's start). */
  private readonly toCp: Int32Array;
  /** `toU16[c]` = UTF-16 offset of code point `c`; one entry past the end. */
  private readonly toU16: Int32Array;

  /**
   * @param text The document.
   */
  constructor(readonly text: string) {
    const n = text.length;
    this.toCp = new Int32Array(n + 1);
    const starts: number[] = [];
    let cp = 0;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      const low = i > 0 && code >= 0xdc00 && code <= 0xdfff && isHigh(text.charCodeAt(i - 1));
      if (low) {
        this.toCp[i] = cp - 1;
        continue;
      }
      this.toCp[i] = cp;
      starts.push(i);
      cp++;
    }
    this.toCp[n] = cp;
    starts.push(n);
    this.toU16 = Int32Array.from(starts);
  }

  /** Number of code points in the text. */
  get length(): number {
    return this.toU16.length - 1;
  }

  /**
   * Code-point offset of a UTF-16 offset.
   * @param offset UTF-16 offset, 0..text.length.
   * @returns Code-point offset.
   */
  fromUtf16(offset: number): number {
    if (offset < 0 || offset > this.text.length || !Number.isInteger(offset)) throw new RangeError(`UTF-16 offset ${offset} is outside the text`);
    return this.toCp[offset]!;
  }

  /**
   * UTF-16 offset of a code-point offset.
   * @param offset Code-point offset, 0..length.
   * @returns UTF-16 offset.
   */
  toUtf16(offset: number): number {
    if (offset < 0 || offset > this.length || !Number.isInteger(offset)) throw new RangeError(`code-point offset ${offset} is outside the text`);
    return this.toU16[offset]!;
  }
}

/**
 * Is a UTF-16 code unit a high surrogate?
 * @param code Code unit.
 * @returns Whether.
 */
function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Shorten text to one line.
 * @param text Text.
 * @param max Longest length.
 * @returns Text, cut with "…".
 */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Line start offsets of a text (as `splitLines` counts lines), compactly.
 * @param text Text.
 * @returns Start offset of each line.
 */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * The 0-based line and UTF-16 character of an offset, from line starts.
 * @param starts Line starts.
 * @param offset Offset.
 * @returns Line and character.
 */
export function positionIn(starts: readonly number[], offset: number): {line: number; character: number} {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return {line: lo, character: offset - starts[lo]!};
}

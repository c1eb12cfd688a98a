/**
 * MinHash signatures over word shingles, and locality-sensitive hashing (LSH) bands to find near-duplicate
 * texts without comparing every pair.
 *
 * A signature holds, for each of `MINHASH_SIZE` hash functions, the smallest hash of any shingle of the text.
 * Two texts agree on a slot with probability equal to the Jaccard similarity of their shingle sets, so the share
 * of equal slots estimates it (standard error about 0.04 at 128 slots).
 */
import {fmix32, fnv1a} from './text.js';

/** Slots in a signature. */
export const MINHASH_SIZE = 128;
/** Words per shingle. */
export const SHINGLE_WORDS = 3;
/** LSH: bands × rows = MINHASH_SIZE. Two rows per band find pairs from a Jaccard of about 0.15 up. */
export const LSH_BANDS = 64;
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;
/** The value of every slot of a text without shingles. */
export const EMPTY_SLOT = 0xffffffff;

/** Per-slot seeds: a fixed pseudo-random sequence (mulberry32, seed 42), so signatures are stable across runs. */
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(MINHASH_SIZE);
  let state = 42;
  for (let i = 0; i < MINHASH_SIZE; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    seeds[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return seeds;
})();

/**
 * The hashes of a token sequence's shingles (each run of `SHINGLE_WORDS` tokens), distinct.
 *
 * @param tokens Tokens.
 * @returns 32-bit shingle hashes.
 */
export function shingleHashes(tokens: readonly string[]): Uint32Array {
  const set = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++) set.add(fnv1a(tokens.slice(i, i + SHINGLE_WORDS).join(' ')));
  return Uint32Array.from(set);
}

/**
 * The MinHash signature of a set of shingle hashes.
 *
 * @param shingles Distinct 32-bit hashes.
 * @returns `MINHASH_SIZE` slots (all `EMPTY_SLOT` when there are no shingles).
 */
export function minhash(shingles: Uint32Array): Uint32Array {
  const signature = new Uint32Array(MINHASH_SIZE).fill(EMPTY_SLOT);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s]!;
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = fmix32(x ^ SEEDS[i]!);
      if (h < signature[i]!) signature[i] = h;
    }
  }
  return signature;
}

/**
 * Does a signature come from a text with no shingles?
 * @param signature Signature.
 * @returns Whether.
 */
export function isEmptySignature(signature: Uint32Array): boolean {
  return signature.every((v) => v === EMPTY_SLOT);
}

/**
 * Estimated Jaccard similarity of the shingle sets behind two signatures.
 *
 * @param a Signature.
 * @param b Signature.
 * @returns 0..1 (0 when either text had no shingles).
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (isEmptySignature(a) || isEmptySignature(b)) return 0;
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

/**
 * LSH band keys of a signature: texts that share a band key are candidate near-duplicates.
 *
 * @param signature Signature.
 * @returns One key per band (empty for an empty signature).
 */
export function bandKeys(signature: Uint32Array): string[] {
  if (isEmptySignature(signature)) return [];
  const keys: string[] = [];
  for (let band = 0; band < LSH_BANDS; band++) {
    let key = `${band}`;
    for (let r = 0; r < LSH_ROWS; r++) key += `:${signature[band * LSH_ROWS + r]!.toString(36)}`;
    keys.push(key);
  }
  return keys;
}

/**
 * Encode a signature compactly for a cache (base64 of its little-endian bytes).
 * @param signature Signature.
 * @returns Base64 text.
 */
export function encodeSignature(signature: Uint32Array): string {
  const bytes = new Uint8Array(signature.length * 4);
  const view = new DataView(bytes.buffer);
  signature.forEach((v, i) => view.setUint32(i * 4, v, true));
  return Buffer.from(bytes).toString('base64');
}

/**
 * Decode `encodeSignature`.
 * @param text Base64 text.
 * @returns Signature, or an empty one when the text is not a signature.
 */
export function decodeSignature(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Uint32Array(MINHASH_SIZE).fill(EMPTY_SLOT);
  if (bytes.length !== MINHASH_SIZE * 4) return out;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < MINHASH_SIZE; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

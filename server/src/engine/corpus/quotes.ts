/**
 * The same quotation in several sources: matching quotations whose wording differs a little (an inserted
 * "(S-400s)", a cut clause, other quote marks or punctuation) and showing the differences word by word.
 *
 * Two quotations match when their words, compared lower-case without punctuation, are equal (three words or more),
 * or when the shorter one (five words or more) fits into the longer one with an alignment score (`alignmentScore`)
 * of at least 75% of its length, so one source's cut version matches another's full one while a stock phrase
 * shared by two different statements does not. Candidates come from an index of sampled word trigrams, so a
 * workspace never compares every pair.
 */
import type {QuoteMention} from './summary.js';
import {fmix32, wordsOf} from './text.js';

/** Shortest quotation (in words) matched at all; shorter ones ("terrorists", "top secret") are scare quotes. */
export const MIN_MATCH_WORDS = 3;
/** Shortest common run (in words) for an approximate match; shorter quotations must match exactly. */
export const MIN_FUZZY_WORDS = 5;
/** The fitting score, as a share of the shorter quotation's length, from which two quotations match. */
export const MIN_COVERAGE = 0.75;
/** Longest quotation (in words) compared; the rest of a very long one is ignored when matching. */
const MAX_WORDS = 400;
/** A trigram that occurs in more quotations than this is too common to find candidates with. */
const MAX_POSTINGS = 100;

/** A quotation of one file, as the index sees it. */
export interface QuoteItem {
  file: string;
  quote: QuoteMention;
  /** The speaker after workspace-wide linking ("Kalin" → "Ibrahim Kalin"), or null. */
  speaker: string | null;
}

/** Quotations of several files that carry the same words. */
export interface QuoteCluster {
  /** Stable within one computation: the index of the cluster in the returned list. */
  id: number;
  /** The speaker most members name (ties: the first in file order), or null. */
  speaker: string | null;
  /** Members in file order, then text order. */
  members: QuoteItem[];
  /** Distinct files. */
  files: string[];
  /** The longest member: the fullest version of the words. */
  longest: QuoteItem;
}

/**
 * The comparison words of a quotation.
 * @param text Quotation text.
 * @returns Normalised words.
 */
export function quoteWords(text: string): string[] {
  return wordsOf(text).map((w) => w.norm);
}

/**
 * Is a quotation compared across sources? Direct and partial quotations of three words or more; indirect speech is
 * a paraphrase, not the speaker's words.
 * @param quote Quotation.
 * @returns Whether.
 */
export function isComparable(quote: QuoteMention): boolean {
  return quote.kind !== 'indirect' && wordsOfQuote(quote).length >= MIN_MATCH_WORDS;
}

/** Words of the quotations seen so far (summaries never change, so their quotations' words are computed once). */
const quoteWordCache = new WeakMap<QuoteMention, string[]>();

/**
 * The comparison words of a quotation of a summary, memoised.
 * @param quote Quotation.
 * @returns Words.
 */
function wordsOfQuote(quote: QuoteMention): string[] {
  let words = quoteWordCache.get(quote);
  if (!words) quoteWordCache.set(quote, (words = quoteWords(quote.text)));
  return words;
}

/** Alignment scores: a shared word, a differing word, opening and extending a gap (words present in one list only). */
const MATCH = 1;
const MISMATCH = -1;
const GAP_OPEN = -1;
const GAP_EXTEND = -0.5;

/**
 * How well a shorter quotation fits somewhere inside a longer one: a *fitting* alignment (every word of the shorter
 * list aligned, any stretch of the longer one), with affine gaps (Gotoh's recurrences). A shared word counts +1, a
 * differing word -1, a run of words present in one list only -1, then -0.5 per further word. An inserted
 * "(S-400s)" or a cut clause costs a little; a shorter quotation whose words only partly occur in the longer
 * one ("not fit to serve as president" against "…qualified to serve as president…") pays for every word left out.
 *
 * @param a Words of one quotation.
 * @param b Words of the other.
 * @returns The fitting score of the shorter in the longer (at most the shorter's length).
 */
export function alignmentScore(a: readonly string[], b: readonly string[]): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const m = long.length;
  let h = new Float64Array(m + 1); // best score aligning short[0..i) ending at long[j)
  let hPrev = new Float64Array(m + 1);
  const f = new Float64Array(m + 1).fill(-Infinity); // per column, from the row above: ending with a word of `short` only
  for (let i = 1; i <= short.length; i++) {
    [hPrev, h] = [h, hPrev];
    h[0] = GAP_OPEN + (i - 1) * GAP_EXTEND;
    let e = -Infinity; // along the row: ending with a word of `long` only
    const word = short[i - 1];
    for (let j = 1; j <= m; j++) {
      f[j] = Math.max(f[j]! + GAP_EXTEND, hPrev[j]! + GAP_OPEN);
      e = Math.max(e + GAP_EXTEND, h[j - 1]! + GAP_OPEN);
      h[j] = Math.max(hPrev[j - 1]! + (word === long[j - 1] ? MATCH : MISMATCH), e, f[j]!);
    }
  }
  let best = short.length === 0 ? 0 : -Infinity;
  for (let j = 0; j <= m; j++) if (h[j]! > best) best = h[j]!;
  return best;
}

/**
 * Do two quotations carry the same words?
 * @param a Words of one.
 * @param b Words of the other.
 * @returns Whether.
 */
export function wordsMatch(a: readonly string[], b: readonly string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < MIN_MATCH_WORDS) return false;
  if (a.length === b.length && a.every((w, i) => w === b[i])) return true;
  if (shorter < MIN_FUZZY_WORDS) return false;
  const score = alignmentScore(a.slice(0, MAX_WORDS), b.slice(0, MAX_WORDS));
  return score >= MIN_COVERAGE * Math.min(shorter, MAX_WORDS);
}

/** What clustering needs about one quotation, computed once per quotation (summaries never change). */
interface QuoteKeys {
  words: string[];
  /** The words joined, for exact matches. */
  joined: string;
  /** Distinct trigram hashes of the first `MAX_WORDS` words (empty below `MIN_FUZZY_WORDS`). */
  trigrams: Uint32Array;
  /** The `MIN_TRIGRAMS` smallest of them: the keys the quotation is indexed under. */
  sample: Uint32Array;
}

/** Trigrams per quotation a candidate index keeps (the smallest hashes: a consistent sample). */
const MIN_TRIGRAMS = 6;
/** Word ids for trigram hashes (shared by every computation; a vocabulary, not texts). */
const wordIds = new Map<string, number>();
const keysCache = new WeakMap<QuoteMention, QuoteKeys>();
/** Results of aligning two quotations, kept while both quotations exist. */
const matchCache = new WeakMap<QuoteMention, WeakMap<QuoteMention, boolean>>();

/**
 * The clustering keys of a quotation (memoised).
 * @param quote Quotation.
 * @returns Keys.
 */
function keysOf(quote: QuoteMention): QuoteKeys {
  let keys = keysCache.get(quote);
  if (keys) return keys;
  const words = wordsOfQuote(quote);
  const grams = new Set<number>();
  if (words.length >= MIN_FUZZY_WORDS) {
    const ids = words.slice(0, MAX_WORDS).map((w) => {
      let id = wordIds.get(w);
      if (id === undefined) wordIds.set(w, (id = wordIds.size + 1));
      return id;
    });
    for (let k = 0; k + 3 <= ids.length; k++) grams.add(fmix32(Math.imul(ids[k]!, 0x9e3779b1) ^ Math.imul(ids[k + 1]!, 0x85ebca77) ^ Math.imul(ids[k + 2]!, 0xc2b2ae3d)));
  }
  const trigrams = Uint32Array.from(grams).sort();
  keys = {words, joined: words.join(' '), trigrams, sample: trigrams.slice(0, MIN_TRIGRAMS)};
  keysCache.set(quote, keys);
  return keys;
}

/**
 * Do two quotations match (memoised per pair)?
 * @param a Quotation.
 * @param b Quotation.
 * @returns Whether.
 */
function quotesMatch(a: QuoteMention, b: QuoteMention): boolean {
  let row = matchCache.get(a);
  const known = row?.get(b);
  if (known !== undefined) return known;
  const result = wordsMatch(keysOf(a).words, keysOf(b).words);
  if (!row) matchCache.set(a, (row = new WeakMap()));
  row.set(b, result);
  return result;
}

/**
 * Group the quotations of many files into clusters of the same words. Every comparable quotation is in exactly
 * one cluster (most are alone).
 *
 * Candidates: each quotation is indexed under its few smallest trigram hashes (a consistent sample); a quotation
 * looks up all its trigrams there. When the shorter of two quotations fits into the longer one, its sampled
 * trigrams are (almost always) trigrams of the longer one, so the pair is found from the longer side; unrelated
 * quotations rarely share one. Alignment results are kept per pair of quotations, so a change costs work in
 * proportion to the quotations of the changed files.
 *
 * @param items Quotations, in file order then text order.
 * @returns Clusters, ordered by their first member.
 */
export function clusterQuotes(items: readonly QuoteItem[]): QuoteCluster[] {
  const comparable = items.filter((item) => isComparable(item.quote));
  const keys = comparable.map((item) => keysOf(item.quote));
  const n = comparable.length;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (i: number, j: number): void => {
    const a = find(i);
    const b = find(j);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  // Copies with the same words are one cluster; only the first of them looks for approximate matches.
  const exact = new Map<string, number>();
  const index = new Map<number, number[]>();
  const representative = new Uint8Array(n);
  keys.forEach((k, i) => {
    const first = exact.get(k.joined);
    if (first !== undefined) {
      union(first, i);
      return;
    }
    exact.set(k.joined, i);
    representative[i] = 1;
    for (const gram of k.sample) {
      const list = index.get(gram);
      if (!list) index.set(gram, [i]);
      else if (list.length <= MAX_POSTINGS) list.push(i);
    }
  });
  // A candidate j must have at least half of its sampled trigrams among i's trigrams.
  const stamp = new Int32Array(n).fill(-1);
  const hits = new Int32Array(n);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (!representative[i] || k.trigrams.length === 0) continue;
    candidates.length = 0;
    for (const gram of k.trigrams) {
      const list = index.get(gram);
      if (!list || list.length > MAX_POSTINGS) continue;
      for (const j of list) {
        if (j === i) continue;
        if (stamp[j] !== i) {
          stamp[j] = i;
          hits[j] = 0;
          candidates.push(j);
        }
        hits[j]!++;
      }
    }
    for (const j of candidates) {
      if (2 * hits[j]! < keys[j]!.sample.length) continue;
      if (find(i) !== find(j) && quotesMatch(comparable[i]!.quote, comparable[j]!.quote)) union(i, j);
    }
  }
  const groups = new Map<number, number[]>();
  comparable.forEach((_, i) => {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  });
  const clusters: QuoteCluster[] = [];
  for (const members of [...groups.values()].sort((a, b) => a[0]! - b[0]!)) {
    const list = members.map((i) => comparable[i]!);
    const votes = new Map<string, number>();
    for (const item of list) if (item.speaker) votes.set(item.speaker, (votes.get(item.speaker) ?? 0) + 1);
    let speaker: string | null = null;
    let best = 0;
    for (const [name, n] of votes) {
      if (n > best) {
        speaker = name;
        best = n;
      }
    }
    const longest = members.reduce((a, b) => (keys[b]!.words.length > keys[a]!.words.length ? b : a));
    clusters.push({id: clusters.length, speaker, members: list, files: [...new Set(list.map((m) => m.file))], longest: comparable[longest]!});
  }
  return clusters;
}

/** One step of a word diff. */
export interface DiffPart {
  /** `same`: in both; `del`: only in the first text; `ins`: only in the second. */
  op: 'same' | 'del' | 'ins';
  /** The words as written (of the first text for `same` and `del`, of the second for `ins`). */
  words: string[];
}

/**
 * A word diff of two versions of a quotation (words compared as in matching: case and punctuation ignored).
 *
 * Example: `… over this issue (S-400s). Turkey …` → `… over this issue` = , `(S-400s).` del, `Turkey …` =.
 *
 * @param a The first version.
 * @param b The second version.
 * @returns Parts in order; consecutive parts of one kind are merged.
 */
export function diffWords(a: string, b: string): DiffPart[] {
  const wa = wordsOf(a).slice(0, MAX_WORDS);
  const wb = wordsOf(b).slice(0, MAX_WORDS);
  const n = wa.length;
  const m = wb.length;
  // Suffix LCS table, so the walk can go forwards.
  const table = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => table[i * (m + 1) + j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = wa[i]!.norm === wb[j]!.norm ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], word: string): void => {
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.words.push(word);
    else parts.push({op, words: [word]});
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    // A shared word is matched unless a later copy of it does as well (then the words between are the change:
    // "issue (the cranes). The port" against "issue. The port" keeps "The" with "The").
    const equal = i < n && j < m && wa[i]!.norm === wb[j]!.norm;
    if (equal && at(i + 1, j) === at(i, j)) {
      push('del', wa[i]!.surface);
      i++;
    } else if (equal && at(i, j + 1) === at(i, j)) {
      push('ins', wb[j]!.surface);
      j++;
    } else if (equal) {
      push('same', wa[i]!.surface);
      i++;
      j++;
    } else if (j < m && (i >= n || at(i, j + 1) >= at(i + 1, j))) {
      push('ins', wb[j]!.surface);
      j++;
    } else {
      push('del', wa[i]!.surface);
      i++;
    }
  }
  return parts;
}

/**
 * How two versions differ, in words.
 * @param a First version.
 * @param b Second version.
 * @returns Words only in `a`, only in `b`.
 */
export function diffCounts(a: string, b: string): {removed: number; added: number} {
  let removed = 0;
  let added = 0;
  for (const part of diffWords(a, b)) {
    if (part.op === 'del') removed += part.words.length;
    else if (part.op === 'ins') added += part.words.length;
  }
  return {removed, added};
}


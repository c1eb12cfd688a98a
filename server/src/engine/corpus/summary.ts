/**
 * The per-file summary the cross-source index keeps: everything the workspace features need about one file,
 * computed once from its text and the engine's annotations, small enough to cache for 10,000 files, and keyed by
 * the file's content hash so a changed file is re-summarised alone.
 */
import type {Annotations, EntityType, QuoteKind} from '../types.js';
import {lineKey, contentHash, hash52, lineStartsOf, plainTokens, positionIn} from './text.js';
import {fmix32, fnv1a} from './text.js';
import {SHINGLE_WORDS} from './minhash.js';

/** Bump when the summary's content or meaning changes: cached summaries of another version are recomputed. */
export const SUMMARY_VERSION = 2;

/** The entity types the index keeps (names; dates and amounts are not compared across files). */
export const NAME_TYPES: readonly EntityType[] = Object.freeze(['PER', 'ORG', 'LOC', 'MISC']);

/** A story line has at least this many words; shorter lines (menus, captions, datelines) are not shingled. */
export const STORY_LINE_WORDS = 8;
/**
 * One shingle in `SHINGLE_SAMPLE` is kept, chosen by its hash (consistent sampling: two texts keep the same
 * shingles of what they share, so the Jaccard similarity of the samples estimates that of the full sets).
 */
export const SHINGLE_SAMPLE = 4;

/** One named-entity mention in a file. */
export interface EntityMention {
  start: number;
  end: number;
  type: EntityType;
  /** The file's canonical name for the entity ("Ibrahim Kalin" for "Kalin"). */
  canonical: string;
  /** As written. */
  text: string;
  /** 0-based line. */
  line: number;
}

/** One quotation in a file. */
export interface QuoteMention {
  start: number;
  end: number;
  kind: QuoteKind;
  speaker: string | null;
  /** The words naming the speaker in this file ("he", "Kalin"). */
  mention: string | null;
  cue: string | null;
  text: string;
  line: number;
}

/** What the index knows about one file. */
export interface FileSummary {
  version: number;
  /** sha256 of the text. */
  hash: string;
  /** Length in UTF-16 code units. */
  length: number;
  /** Start offset of every line, to turn offsets into editor positions without the text. */
  lineStarts: number[];
  /** The first line that is not boilerplate (the headline, usually), shortened. */
  title: string;
  /** Lines the file's own analysis flags as boilerplate, ascending. */
  boilerplateLines: number[];
  /** `hash52(lineKey(line))` of every line (0 for a blank line): the folder's repeated-line counts come from them. */
  lineHashes: Float64Array;
  /** Name mentions (PER, ORG, LOC, MISC), in text order. */
  entities: EntityMention[];
  /** Quotations, in text order. */
  quotes: QuoteMention[];
  /**
   * A consistent sample of the word shingles (`SHINGLE_WORDS` words within one line) of the story lines (not
   * boilerplate, at least `STORY_LINE_WORDS` words), and the line of each: the index drops those of lines the
   * folder repeats (a site template) before it MinHashes the rest.
   */
  shingles: Uint32Array;
  shingleLines: Uint32Array;
  /**
   * Lines that are not prose (no sentence ending, or under ten words) and at most 25 words long, ascending: when the
   * folder repeats one of them in three files or more, it is a site template and left out of story comparisons
   * (the boilerplate analyser's own rule for repeated lines).
   */
  shortLines: number[];
}

/**
 * Summarise one file.
 *
 * @param text The document.
 * @param annotations The engine's annotations of exactly this text.
 * @param hash Its content hash, when already known.
 * @returns Summary.
 */
export function summarize(text: string, annotations: Annotations, hash = contentHash(text)): FileSummary {
  const lineStarts = lineStartsOf(text);
  const lineText = (i: number): string => {
    const start = lineStarts[i]!;
    const next = i + 1 < lineStarts.length ? lineStarts[i + 1]! : text.length;
    return text.slice(start, next).replace(/[\r\n]+$/, '');
  };
  const flagged = new Set(annotations.boilerplate.map((b) => b.line));
  const lineHashes = new Float64Array(lineStarts.length);
  const shingles: number[] = [];
  const shingleLines: number[] = [];
  const shortLines: number[] = [];
  let title = '';
  let firstLine = '';
  for (let i = 0; i < lineStarts.length; i++) {
    const raw = lineText(i);
    const key = lineKey(raw);
    if (!key) continue;
    lineHashes[i] = hash52(key);
    firstLine ||= raw.trim();
    if (flagged.has(i)) continue;
    title ||= raw.trim();
    const tokens = plainTokens(raw);
    if (tokens.length <= 25 && !(tokens.length >= 10 && PROSE_END.test(raw))) shortLines.push(i);
    if (tokens.length < STORY_LINE_WORDS) continue;
    const seen = new Set<number>();
    for (let k = 0; k + SHINGLE_WORDS <= tokens.length; k++) {
      const h = fnv1a(tokens.slice(k, k + SHINGLE_WORDS).join(' '));
      if (fmix32(h) % SHINGLE_SAMPLE !== 0 || seen.has(h)) continue;
      seen.add(h);
      shingles.push(h);
      shingleLines.push(i);
    }
  }
  const line = (offset: number): number => positionIn(lineStarts, offset).line;
  const names = new Set<EntityType>(NAME_TYPES);
  return {
    version: SUMMARY_VERSION,
    hash,
    length: text.length,
    lineStarts,
    title: (title || firstLine).replace(/\s+/g, ' ').slice(0, 160),
    boilerplateLines: [...flagged].sort((a, b) => a - b),
    lineHashes,
    entities: annotations.entities
      .filter((e) => names.has(e.type) && e.end > e.start)
      .map((e) => ({start: e.start, end: e.end, type: e.type, canonical: e.canonical, text: e.text, line: line(e.start)})),
    quotes: annotations.quotes
      .filter((q) => q.end > q.start)
      .map((q) => ({start: q.start, end: q.end, kind: q.kind, speaker: q.speaker, mention: q.speakerMention, cue: q.cue, text: q.text, line: line(q.start)})),
    shingles: Uint32Array.from(shingles),
    shingleLines: Uint32Array.from(shingleLines),
    shortLines,
  };
}

/** A line that ends a sentence (optionally closing a quotation or bracket). */
const PROSE_END = /[.?!]["'”’)\]]*\s*$|[.?!:]\s*["”’]\s*$/;

/** The JSON form of a summary (compact: tuples for entities and quotations, base64 for numeric arrays). */
export interface SerializedSummary {
  v: number;
  h: string;
  n: number;
  ls: number[];
  t: string;
  b: number[];
  /** Base64 of the little-endian Float64 line hashes. */
  lh: string;
  /** [start, end, type, canonical, text or 0 when equal to canonical]. */
  e: Array<[number, number, EntityType, string, string | 0]>;
  /** [start, end, kind, speaker, mention, cue, text]. */
  q: Array<[number, number, QuoteKind, string | null, string | null, string | null, string]>;
  /** Base64 of the shingle hashes and of their lines (little-endian Uint32). */
  s: string;
  sl: string;
  sh: number[];
}

/**
 * Serialise a summary for the on-disk cache.
 * @param summary Summary.
 * @returns Plain JSON value.
 */
export function serializeSummary(summary: FileSummary): SerializedSummary {
  return {
    v: summary.version,
    h: summary.hash,
    n: summary.length,
    ls: summary.lineStarts,
    t: summary.title,
    b: summary.boilerplateLines,
    lh: toBase64(summary.lineHashes),
    e: summary.entities.map((e) => [e.start, e.end, e.type, e.canonical, e.text === e.canonical ? 0 : e.text]),
    q: summary.quotes.map((q) => [q.start, q.end, q.kind, q.speaker, q.mention, q.cue, q.text]),
    s: toBase64(summary.shingles),
    sl: toBase64(summary.shingleLines),
    sh: summary.shortLines,
  };
}

/**
 * Read a cached summary back; anything malformed or of another version gives null (and is recomputed).
 * @param value Parsed JSON.
 * @returns Summary or null.
 */
export function deserializeSummary(value: unknown): FileSummary | null {
  const v = value as Partial<SerializedSummary> | null;
  if (!v || typeof v !== 'object' || v.v !== SUMMARY_VERSION || typeof v.h !== 'string' || typeof v.n !== 'number') return null;
  if (!Array.isArray(v.ls) || !Array.isArray(v.b) || typeof v.lh !== 'string' || !Array.isArray(v.e) || !Array.isArray(v.q) || typeof v.s !== 'string' || typeof v.sl !== 'string' || !Array.isArray(v.sh)) return null;
  const lineStarts = v.ls;
  const line = (offset: number): number => positionIn(lineStarts, offset).line;
  try {
    const lineHashes = new Float64Array(fromBase64(v.lh, 8));
    const shingles = new Uint32Array(fromBase64(v.s, 4));
    const shingleLines = new Uint32Array(fromBase64(v.sl, 4));
    if (lineHashes.length !== lineStarts.length || shingles.length !== shingleLines.length) return null;
    return {
      version: v.v,
      hash: v.h,
      length: v.n,
      lineStarts,
      title: String(v.t ?? ''),
      boilerplateLines: v.b,
      lineHashes,
      entities: v.e.map(([start, end, type, canonical, text]) => ({start, end, type, canonical, text: text === 0 ? canonical : text, line: line(start)})),
      quotes: v.q.map(([start, end, kind, speaker, mention, cue, text]) => ({start, end, kind, speaker, mention, cue, text, line: line(start)})),
      shingles,
      shingleLines,
      shortLines: v.sh,
    };
  } catch {
    return null;
  }
}

/**
 * Base64 of a typed array's bytes (little-endian, as every platform Sift runs on stores them).
 * @param array Typed array.
 * @returns Base64 text.
 */
function toBase64(array: Float64Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/**
 * The bytes of a base64 text, copied into a fresh aligned buffer.
 * @param text Base64.
 * @param unit Bytes per element.
 * @returns Buffer of a whole number of elements.
 * @throws Error when the length is not a whole number of elements.
 */
function fromBase64(text: string, unit: number): ArrayBuffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % unit !== 0) throw new Error('truncated array');
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

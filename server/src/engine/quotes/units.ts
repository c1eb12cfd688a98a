/**
 * The text as the quotation analyser reads it: blocks (paragraphs; a quote that runs over several paragraphs keeps
 * them in one block), each a sequence of units — words, punctuation, and whole quotations as single units — split
 * into sentences. Treating a quotation as one unit keeps the periods inside it from ending the sentence that
 * holds it (`“It is over.” he said` aside, a `“…,” she said.` sentence stays one sentence).
 */
import type {LineInfo} from '../types.js';
import {ANY_CUE, type Cue} from './cues.js';
import {ABBREVIATIONS, FUNCTION_WORDS} from './lexicon.js';
import {isNameLower} from './mentions.js';
import type {QuoteSpan} from './marks.js';

/** One unit of a block. */
export interface Unit {
  kind: 'w' | 'p' | 'q';
  start: number;
  end: number;
  /** The unit's text (for a quote: the whole quoted stretch with its marks). */
  text: string;
  /** Lower-cased text without a possessive ending. */
  lower: string;
  /** Starts with an upper-case letter (words only). */
  cap: boolean;
  /** Ends with a possessive `'s` / `’s` / `s'`. */
  possessive: boolean;
  /** Index of the quote span for quote units, else -1. */
  quote: number;
  /** A word that may start a reporting cue (`cues.ts`), worked out once. */
  cueWord: boolean;
  /** A word that may be part of a name (`isNameWord` in `mentions.ts`), worked out once. */
  nameWord: boolean;
  /** `cueAt`'s memo for a cue word: the cue at this unit per scope (speech, adjacent, wide), once worked out. */
  cues: [Cue | null | undefined, Cue | null | undefined, Cue | null | undefined] | null;
  /** Sentence index within the block. */
  sentence: number;
}

/** A paragraph (or several, joined by a quotation that spans them). */
export interface Block {
  start: number;
  end: number;
  /** Index of the first line. */
  line: number;
  units: Unit[];
  /** Sentences as `[first, last + 1]` unit index ranges. */
  sentences: Array<[number, number]>;
}

const TITLE_ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'capt', 'maj', 'sgt', 'adm', 'prof', 'rev', 'st', 'mt', 'ft', 'no', 'vs', 'messrs', 'cmdr', 'supt', 'det', 'insp', 'cpl', 'pvt', 'fr', 'hon', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
const SENTENCE_OPENERS = new Set(['he', 'she', 'it', 'they', 'we', 'i', 'the', 'but', 'and', 'this', 'that', 'these', 'those', 'in', 'on', 'at', 'his', 'her', 'their', 'its', 'there', 'a', 'an', 'as', 'after', 'when', 'while', 'if', 'so', 'yet', 'still', 'however', 'meanwhile', 'some', 'many', 'most', 'one', 'what', 'who', 'why', 'how']);
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:[-'’‘.&/][\p{L}\p{N}\p{M}]+)*/uy;
const SPACE = /\s/u;

/**
 * Split a text into blocks of units.
 *
 * @param text Document.
 * @param lines Its lines.
 * @param spans Quote spans in text order (they may cross line ends).
 * @param skip Lines to leave out (boilerplate).
 * @param onBlock Called with each block as soon as it is made.
 * @returns Blocks in text order.
 */
export function blocksOf(text: string, lines: readonly LineInfo[], spans: readonly QuoteSpan[], skip: ReadonlySet<number>, onBlock?: (block: Block) => void): Block[] {
  const blocks: Block[] = [];
  let q = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (skip.has(i) || line.end === line.start || blank(text, line.start, line.end)) {
      i++;
      continue;
    }
    let end = line.end;
    let j = i;
    // A quote that opens in this block and closes beyond its end pulls the following lines in.
    while (q < spans.length && spans[q]!.outerStart < end) {
      const span = spans[q]!;
      if (span.outerStart >= line.start && span.outerEnd > end) {
        while (j + 1 < lines.length && lines[j]!.end < span.outerEnd) j++;
        end = Math.max(end, lines[j]!.end);
      }
      q++;
    }
    const block = makeBlock(text, line.start, end, i, spans);
    blocks.push(block);
    onBlock?.(block);
    i = j + 1;
  }
  return blocks;
}

/**
 * Is `text.slice(start, end)` only white space (no match of `/\S/`)?
 *
 * @param text Text.
 * @param start Start.
 * @param end End.
 * @returns Whether.
 */
function blank(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !SPACE.test(text[k]!)) return false;
  }
  return true;
}

/**
 * Tokenise one block.
 *
 * @param text Document.
 * @param start Block start.
 * @param end Block end.
 * @param line First line index.
 * @param spans All quote spans.
 * @returns Block.
 */
function makeBlock(text: string, start: number, end: number, line: number, spans: readonly QuoteSpan[]): Block {
  const units: Unit[] = [];
  let k = lowerBound(spans, start);
  let pos = start;
  while (pos < end) {
    const span = spans[k];
    if (span && span.outerStart <= pos) {
      if (span.outerEnd > pos) {
        const stop = Math.min(span.outerEnd, end);
        units.push(unit('q', text, span.outerStart < start ? start : span.outerStart, stop, k));
        pos = stop;
      }
      k++;
      continue;
    }
    const code = text.charCodeAt(pos);
    if (code === 32 || (code >= 9 && code <= 13) || code === 160 || (code > 127 && SPACE.test(text[pos]!))) {
      pos++;
      continue;
    }
    const ch = text[pos]!;
    const wordEnd = wordEndAt(text, pos);
    const limit = span ? Math.min(end, span.outerStart) : end;
    if (wordEnd > pos) {
      let stop = Math.min(wordEnd, limit);
      // An abbreviation, an initial or a dotted acronym keeps its period: "Mr.", "J.", "U.S.", "Calif."
      if (text[stop] === '.' && stop < limit && !plainLowerWord(text, pos, stop)) {
        // The last part of a hyphenated word decides: "(D-Mo.)", "(R-N.Y.)".
        const word = text.slice(pos, stop).replace(/^.*-/, '');
        const lower = word.toLowerCase();
        if ((/^\p{Lu}/u.test(word) && ABBREVIATIONS.has(lower)) || /^\p{Lu}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) stop++;
      }
      units.push(unit('w', text, pos, stop, -1));
      pos = stop;
    } else {
      // Punctuation: "--" and "..." stay together.
      let stop = pos + 1;
      if ((ch === '-' || ch === '.') && text[pos + 1] === ch) while (stop < limit && text[stop] === ch) stop++;
      if (ch >= '\uD800' && ch <= '\uDBFF') stop = Math.min(limit, pos + 2);
      units.push(unit('p', text, pos, Math.max(stop, pos + 1), -1));
      pos = Math.max(stop, pos + 1);
    }
  }
  const block: Block = {start, end, line, units, sentences: []};
  splitSentences(block, spans);
  return block;
}

/**
 * Is the last part (after the last hyphen) of the word `text.slice(pos, stop)` one that can keep no period: it opens
 * with an ASCII lower-case letter or digit (so not upper case) and has no period of its own (so not "a.m")? For
 * such words makeBlock's tests all fail; this answers them without the slice and the regular expressions.
 *
 * @param text Text.
 * @param pos Word start.
 * @param stop Word end.
 * @returns Whether.
 */
function plainLowerWord(text: string, pos: number, stop: number): boolean {
  let from = pos;
  for (let k = pos; k < stop; k++) if (text.charCodeAt(k) === 45) from = k + 1;
  const c = text.charCodeAt(from);
  if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  for (let k = from + 1; k < stop; k++) if (text.charCodeAt(k) === 46) return false;
  return true;
}

/** Class of a BMP code unit for `WORD`: 0 = not known yet, 1 = letter or digit, 2 = combining mark, 3 = other. */
const WORD_CLASS = new Uint8Array(65536);
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const MARK = /^\p{M}$/u;
const LETTER_OR_DIGIT_CLASS = 1;
const MARK_CLASS = 2;

/**
 * The `WORD` class of a code unit that is not a surrogate.
 *
 * @param code UTF-16 code unit.
 * @returns Class (1, 2 or 3).
 */
function wordClass(code: number): number {
  let cls = WORD_CLASS[code]!;
  if (cls === 0) {
    const char = String.fromCharCode(code);
    cls = LETTER_OR_DIGIT.test(char) ? LETTER_OR_DIGIT_CLASS : MARK.test(char) ? MARK_CLASS : 3;
    WORD_CLASS[code] = cls;
  }
  return cls;
}

/**
 * Where the match of `WORD` at an offset ends, or the offset itself when there is none. The same as
 * `WORD.exec` (a sticky match) without the regular expression: the pattern has no ambiguity (the joiners are neither
 * letters, digits nor marks), so one left-to-right scan finds the match. A surrogate (a code point beyond the BMP,
 * which may be a letter) anywhere in the way hands the decision to the regular expression itself.
 *
 * @param text Text.
 * @param pos Offset.
 * @returns End of the match, or `pos`.
 */
function wordEndAt(text: string, pos: number): number {
  const length = text.length;
  let code = text.charCodeAt(pos);
  if (code >= 0xd800 && code <= 0xdfff) return regexWordEnd(text, pos);
  if (wordClass(code) !== LETTER_OR_DIGIT_CLASS) return pos;
  let i = pos + 1;
  for (;;) {
    // [\p{L}\p{N}\p{M}]*
    while (i < length) {
      code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdfff) return regexWordEnd(text, pos);
      const cls = wordClass(code);
      if (cls !== LETTER_OR_DIGIT_CLASS && cls !== MARK_CLASS) break;
      i++;
    }
    // (?:[-'’‘.&/][\p{L}\p{N}\p{M}]+)*: a joiner followed by at least one letter, digit or mark.
    if (i + 1 >= length) return i;
    code = text.charCodeAt(i);
    if (!(code === 45 || code === 39 || code === 0x2019 || code === 0x2018 || code === 46 || code === 38 || code === 47)) return i;
    const next = text.charCodeAt(i + 1);
    if (next >= 0xd800 && next <= 0xdfff) return regexWordEnd(text, pos);
    const cls = wordClass(next);
    if (cls !== LETTER_OR_DIGIT_CLASS && cls !== MARK_CLASS) return i;
    i += 2;
  }
}

/**
 * `wordEndAt` by the regular expression.
 *
 * @param text Text.
 * @param pos Offset.
 * @returns End of the match, or `pos`.
 */
function regexWordEnd(text: string, pos: number): number {
  WORD.lastIndex = pos;
  const match = WORD.exec(text);
  return match && match.index === pos ? pos + match[0].length : pos;
}

/**
 * Make a unit.
 *
 * @param kind Kind.
 * @param text Document.
 * @param start Start.
 * @param end End.
 * @param quote Quote index or -1.
 * @returns Unit.
 */
function unit(kind: Unit['kind'], text: string, start: number, end: number, quote: number): Unit {
  const raw = text.slice(start, end);
  if (kind !== 'w') return {kind, start, end, text: raw, lower: raw, cap: false, possessive: false, quote, sentence: 0, cueWord: false, nameWord: false, cues: null};
  let lower = lowerCase(raw);
  let possessive = false;
  const n = raw.length;
  if (n > 2) {
    const last = raw[n - 1]!;
    const before = raw[n - 2]!;
    if ((last === 's' || last === 'S') && (before === "'" || before === '’' || before === '‘')) {
      possessive = true;
      lower = lower.slice(0, -2);
    } else if ((last === "'" || last === '’') && (before === 's' || before === 'S')) {
      possessive = true;
      lower = lower.slice(0, -1);
    }
  }
  const c = raw.charCodeAt(0);
  const cap = c < 128 ? c >= 65 && c <= 90 : UPPER.test(raw[0]!);
  return {kind, start, end, text: raw, lower, cap, possessive, quote, sentence: 0, cueWord: mayCue(lower), nameWord: cap && isNameLower(lower), cues: null};
}

/**
 * A filter of the words in `ANY_CUE` by their first, second and last code units and their length (hashed into 2^16
 * bits): a quick "no" before the set lookup for most words.
 */
const CUE_SHAPES = new Uint8Array(1 << 16);
for (const word of ANY_CUE) CUE_SHAPES[cueShape(word)] = 1;

/**
 * Slot of a word in `CUE_SHAPES`.
 *
 * @param word Word (not empty).
 * @returns Slot.
 */
function cueShape(word: string): number {
  const n = word.length;
  const h = Math.imul(Math.imul(Math.imul(word.charCodeAt(0), 0x9e3779b1) ^ word.charCodeAt(n > 1 ? 1 : 0), 0x85ebca6b) ^ word.charCodeAt(n - 1), 0xc2b2ae35) ^ n;
  return (h ^ (h >>> 16)) & 0xffff;
}

/**
 * Is a lower-cased word in `ANY_CUE`?
 *
 * @param lower Word.
 * @returns Whether.
 */
function mayCue(lower: string): boolean {
  return lower.length > 0 && CUE_SHAPES[cueShape(lower)] === 1 && ANY_CUE.has(lower);
}

/**
 * `text.toLowerCase()`, without the call for the usual word that is ASCII and already lower case.
 *
 * @param text Text.
 * @returns Lower-cased text.
 */
function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || (c >= 65 && c <= 90)) return text.toLowerCase();
  }
  return text;
}

const UPPER = /^\p{Lu}/u;

/**
 * First span index whose outer end is after an offset.
 *
 * @param spans Spans.
 * @param offset Offset.
 * @returns Index.
 */
function lowerBound(spans: readonly QuoteSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.outerEnd <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Split a block's units into sentences. A sentence ends at `.`, `!`, `?` (not an abbreviation's period, which
 * stays on its word) before a capitalised word, a digit or a quote, and after a quote whose content ends a
 * sentence when another quote or a capitalised word that is not a speaker follows.
 *
 * @param block Block.
 * @param spans Quote spans.
 */
function splitSentences(block: Block, spans: readonly QuoteSpan[]): void {
  const {units} = block;
  let sentence = 0;
  let first = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    u.sentence = sentence;
    const next = units[i + 1];
    if (!next) break;
    let boundary = false;
    if (u.kind === 'w' && u.text.endsWith('.') && next.kind === 'w' && next.cap && SENTENCE_OPENERS.has(next.lower) && !TITLE_ABBREVIATIONS.has(u.lower.slice(0, -1)) && !/^\p{L}\.$/u.test(u.text)) {
      // "… at 7 p.m. He says …", "… in the U.S. The …": the abbreviation's period also ends the sentence.
      boundary = true;
    } else if (u.kind === 'p' && /^([.!?]|\.\.\.+|…)$/.test(u.text)) {
      // Closing brackets after the stop belong to the sentence.
      boundary = next.kind === 'q' || (next.kind === 'w' && (next.cap || /^\d/.test(next.text))) || (next.kind === 'p' && /^[(\[—–-]$/.test(next.text));
    } else if (u.kind === 'q') {
      const span = spans[u.quote]!;
      const content = u.text.slice(span.start - span.outerStart, span.end - span.outerStart).trimEnd();
      if (/[.!?…]$/.test(content) || /[.!?…]$/.test(u.text.slice(0, -1))) {
        // “It is over.” He left. / “It is over.” “We won.” — but “Why?” Kalin asked.
        if (next.kind === 'q') boundary = true;
        else if (next.kind === 'w' && next.cap) boundary = /\.$/.test(content) && !looksLikeAttribution(units, i + 1);
      }
    }
    if (boundary) {
      block.sentences.push([first, i + 1]);
      first = i + 1;
      sentence++;
    }
  }
  if (units.length > 0) block.sentences.push([first, units.length]);
}

/**
 * Does an attribution ("Kalin said", "Foreign Minister Mevlut Cavusoglu told", "he added") start here?
 *
 * @param units Units.
 * @param i Index.
 * @returns Whether.
 */
function looksLikeAttribution(units: readonly Unit[], i: number): boolean {
  let k = i;
  const limit = Math.min(units.length, i + 8);
  while (k < limit && units[k]!.kind === 'w' && (units[k]!.cap || /^(of|de|al|bin|van|von)$/.test(units[k]!.lower)) && !FUNCTION_WORDS.has(units[k]!.lower)) k++;
  let verb = k;
  if (k === i) {
    if (!/^(he|she|they|we|i)$/.test(units[i]!.lower)) return false;
    verb = i + 1;
  }
  if (verb >= units.length || !/^(said|says|added|asked|told|wrote|continued|explained|insisted)$/.test(units[verb]!.lower)) return false;
  // A bare attribution ends soon ("Kalin said." / "he said on Monday."); "Kern said on Monday she wants …" is a
  // sentence of its own.
  for (let n = verb + 1; n < Math.min(units.length, verb + 6); n++) {
    const u = units[n]!;
    if (u.kind === 'p' && /^[.!?,;:]$/.test(u.text)) return true;
    if (u.kind === 'q') return true;
  }
  return verb + 1 >= units.length;
}

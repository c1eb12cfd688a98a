/**
 * The text as the quotation analyser reads it: blocks (paragraphs; a quote that runs over several paragraphs keeps
 * them in one block), each a sequence of units — words, punctuation, and whole quotations as single units — split
 * into sentences. Treating a quotation as one unit keeps the periods inside it from ending the sentence that
 * holds it (`“It is over.” he said` aside, a `“…,” she said.` sentence stays one sentence).
 */
import type {LineInfo} from '../types.js';
import {ABBREVIATIONS, FUNCTION_WORDS} from './lexicon.js';
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
 * @returns Blocks in text order.
 */
export function blocksOf(text: string, lines: readonly LineInfo[], spans: readonly QuoteSpan[], skip: ReadonlySet<number>): Block[] {
  const blocks: Block[] = [];
  let q = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (skip.has(i) || line.end === line.start || !/\S/.test(text.slice(line.start, line.end))) {
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
    blocks.push(makeBlock(text, line.start, end, i, spans));
    i = j + 1;
  }
  return blocks;
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
    WORD.lastIndex = pos;
    const match = WORD.exec(text);
    const limit = span ? Math.min(end, span.outerStart) : end;
    if (match && match.index === pos) {
      let stop = Math.min(pos + match[0].length, limit);
      // An abbreviation, an initial or a dotted acronym keeps its period: "Mr.", "J.", "U.S.", "Calif."
      if (text[stop] === '.' && stop < limit) {
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
  if (kind !== 'w') return {kind, start, end, text: raw, lower: raw, cap: false, possessive: false, quote, sentence: 0};
  let lower = raw.toLowerCase();
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
  return {kind, start, end, text: raw, lower, cap, possessive, quote, sentence: 0};
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

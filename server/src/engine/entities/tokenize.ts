/**
 * A CoNLL-style tokeniser for the entity tagger. It splits raw text the way the CoNLL-2003 / Penn Treebank data
 * is split, so that the tagger sees at run time exactly the tokens it was trained on and its spans start and end on
 * gold-token-like boundaries: `Turkey's` → `Turkey` `'s`, `don't` → `do` `n't`, `victory.` → `victory` `.`, while
 * `U.S.`, `Inc.`, `965,000`, `1996-08-30` and `all-rounder` stay whole.
 *
 * One pass over the characters, no regular expressions per token; deterministic. The engine and the training
 * script (scripts/train-ner.mjs) both use it.
 */
import {doubled} from '../typed.js';

/** Tokens of a text as parallel arrays (offsets are UTF-16 code units, end exclusive). */
export interface TokenStream {
  /** Number of tokens. */
  n: number;
  start: Int32Array;
  end: Int32Array;
  /** 0-based line index of each token (a line is the tagger's sequence). */
  line: Int32Array;
  /** Token texts (tokenize() makes them on first access: the tagger reads the source instead). */
  text: string[];
  /** The text the offsets refer to, when known. */
  source?: string;
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr st jr sr inc corp ltd co bros vs gen lt col maj sgt capt cmdr adm gov sen rep rev prof no nos vol fig jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun calif fla ala ariz ark colo conn del ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo mt ft pt approx dept est etc al e.g i.e a.m p.m u.s u.n u.k'.split(' '),
);

/**
 * Is `c` a character that splits off the end of a word (closing punctuation)?
 *
 * @param c Char code.
 * @returns Whether.
 */
function isClosing(c: number): boolean {
  return c === 44 /* , */ || c === 59 /* ; */ || c === 58 /* : */ || c === 33 /* ! */ || c === 63 /* ? */ || c === 41 /* ) */ || c === 93 /* ] */ || c === 125 /* } */ || c === 34 /* " */ || c === 0x201d /* ” */ || c === 0x201c || c === 37 /* % */ || c === 0x2019 /* ’ */ || c === 39 /* ' */ || c === 0x2018 || c === 0xbb /* » */ || c === 0x2026 /* … */;
}

/**
 * Is `c` a character that splits off the start of a word (opening punctuation)?
 *
 * @param c Char code.
 * @returns Whether.
 */
function isOpening(c: number): boolean {
  return c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */ || c === 34 /* " */ || c === 0x201c /* “ */ || c === 0x201d || c === 0x2018 /* ‘ */ || c === 39 /* ' */ || c === 0x2019 || c === 96 /* ` */ || c === 36 /* $ */ || c === 0xab /* « */ || c === 0xa3 /* £ */ || c === 0x20ac /* € */;
}

/**
 * Is `c` whitespace?
 *
 * @param c Char code.
 * @returns Whether.
 */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160 || c === 12 || c === 11 || c === 0x2028 || c === 0x2029 || c === 0x200b || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

/**
 * Is `c` an apostrophe?
 *
 * @param c Char code.
 * @returns Whether.
 */
function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018;
}

/**
 * Is `c` a letter (ASCII fast path, then Unicode)?
 *
 * @param c Char code.
 * @returns Whether.
 */
function isLetter(c: number): boolean {
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /\p{L}/u.test(String.fromCharCode(c));
}

/**
 * Length of a clitic (`'s`, `n't`, `'ll`, …) at the end of `text.slice(s, e)`, or 0.
 *
 * @param text Text.
 * @param s Start.
 * @param e End.
 * @returns Length of the clitic.
 */
function cliticAt(text: string, s: number, e: number): number {
  const len = e - s;
  if (len >= 3) {
    const a = text.charCodeAt(e - 2);
    if (isApostrophe(a)) {
      const b = text.charCodeAt(e - 1) | 32;
      if (b === 115 /* s */ || b === 100 /* d */ || b === 109 /* m */) return isLetter(text.charCodeAt(e - 3)) || text.charCodeAt(e - 3) === 46 ? 2 : 0;
    }
  }
  if (len >= 4) {
    const a = text.charCodeAt(e - 3);
    if (isApostrophe(a)) {
      const b = text.charCodeAt(e - 2) | 32;
      const c = text.charCodeAt(e - 1) | 32;
      if ((b === 108 && c === 108) /* ll */ || (b === 114 && c === 101) /* re */ || (b === 118 && c === 101) /* ve */) return 3;
      if (b === 116 && (text.charCodeAt(e - 4) | 32) === 110 && len >= 5) return 0;
    }
    if (isApostrophe(text.charCodeAt(e - 2)) && (text.charCodeAt(e - 1) | 32) === 116 && (text.charCodeAt(e - 3) | 32) === 110 && len >= 4) return 3; // n't
  }
  return 0;
}

/**
 * Should a final period stay on the word `text.slice(s, e)` (which ends with '.')?
 *
 * @param text Text.
 * @param s Start.
 * @param e End (the period is at e - 1).
 * @param lineStart Whether the word is the first on its line.
 * @returns Whether it is an abbreviation, an initial or a list number.
 */
function keepsPeriod(text: string, s: number, e: number, lineStart: boolean): boolean {
  const len = e - s;
  if (len < 2) return true;
  if (text.charCodeAt(e - 2) === 46) return false; // "U.S.." → "U.S." "."
  let letters = 0;
  let digits = 0;
  let periods = 0;
  let other = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) periods++;
    else if (c >= 48 && c <= 57) digits++;
    else if (isLetter(c)) letters++;
    else other++;
  }
  if (other === 0 && letters === 0 && digits > 0 && periods === 1) return lineStart; // "1." list item
  if (other > 0 && !(other === 1 && text.charCodeAt(s) === 45)) return false;
  if (periods >= 2 && letters > 0) {
    // "U.S.", "a.m.", "m.p.h.", "F.A.I."
    let ok = true;
    for (let i = s; i < e; i++) {
      const c = text.charCodeAt(i);
      if (c === 46 && i > s && text.charCodeAt(i - 1) === 46) ok = false;
    }
    if (ok && len <= 12) return true;
  }
  if (letters === 1 && len === 2) {
    const c = text.charCodeAt(s);
    return c >= 65 && c <= 90 ? true : c > 127; // an initial "M."
  }
  return ABBREVIATIONS.has(text.slice(s, e - 1).toLowerCase());
}

/**
 * Tokenise a text CoNLL-style.
 *
 * @param text Text.
 * @returns Tokens.
 */
export function tokenize(text: string): TokenStream {
  const cap = Math.max(16, text.length >> 2);
  let start: Int32Array<ArrayBuffer> = new Int32Array(cap);
  let end: Int32Array<ArrayBuffer> = new Int32Array(cap);
  let line: Int32Array<ArrayBuffer> = new Int32Array(cap);
  let n = 0;
  let lineNo = 0;
  let lineTokens = 0;
  const push = (s: number, e: number): void => {
    if (n === start.length) {
      start = doubled(start);
      end = doubled(end);
      line = doubled(line);
    }
    start[n] = s;
    end[n] = e;
    line[n] = lineNo;
    n++;
    lineTokens++;
  };
  // Offsets peeled from a chunk's end, in pairs: tail[0 .. tn) (the array is reused, never truncated).
  const tail: number[] = [];
  let tn = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10 || c === 0x2028 || c === 0x2029) {
        lineNo++;
        lineTokens = 0;
      } else if (c === 13) {
        if (i + 1 < length && text.charCodeAt(i + 1) === 10) i++;
        lineNo++;
        lineTokens = 0;
      }
      i++;
      continue;
    }
    let j = i + 1;
    while (j < length && !isSpace(text.charCodeAt(j))) j++;
    // The chunk is [i, j). Peel opening punctuation.
    let s = i;
    let e = j;
    while (e - s > 1 && isOpening(text.charCodeAt(s))) {
      const k = text.charCodeAt(s);
      if ((k === 39 || k === 0x2019) && e - s >= 2 && /\d/.test(text[s + 1]!)) break; // '96
      if (k === 96 && text.charCodeAt(s + 1) === 96) {
        push(s, s + 2);
        s += 2;
        continue;
      }
      push(s, s + 1);
      s++;
    }
    // Peel closing punctuation, clitics and final periods from the end (collected, then pushed in order).
    tn = 0;
    for (;;) {
      if (e - s <= 1) break;
      const k = text.charCodeAt(e - 1);
      if (k === 46) {
        if (e - s >= 4 && text.charCodeAt(e - 2) === 46 && text.charCodeAt(e - 3) === 46) {
          let d = e - 3;
          while (d > s && text.charCodeAt(d - 1) === 46) d--;
          if (d === s) break;
          tail[tn++] = d;
          tail[tn++] = e;
          e = d;
          continue;
        }
        if (keepsPeriod(text, s, e, lineTokens === 0 && tn === 0)) break;
        tail[tn++] = e - 1;
        tail[tn++] = e;
        e--;
        continue;
      }
      if (isClosing(k)) {
        if (isApostrophe(k) || k === 0x2018) {
          const clitic = cliticAt(text, s, e);
          if (clitic) {
            tail[tn++] = e - clitic;
            tail[tn++] = e;
            e -= clitic;
            continue;
          }
        }
        if (k === 0x2026) {
          tail[tn++] = e - 1;
          tail[tn++] = e;
          e--;
          continue;
        }
        tail[tn++] = e - 1;
        tail[tn++] = e;
        e--;
        continue;
      }
      const clitic = cliticAt(text, s, e);
      if (clitic && clitic < e - s) {
        tail[tn++] = e - clitic;
        tail[tn++] = e;
        e -= clitic;
        continue;
      }
      break;
    }
    if (e > s) push(s, e);
    for (let t = tn - 2; t >= 0; t -= 2) push(tail[t]!, tail[t + 1]!);
    i = j;
  }
  const starts = start.subarray(0, n);
  const ends = end.subarray(0, n);
  let words: string[] | undefined;
  return {
    n,
    start: starts,
    end: ends,
    line: line.subarray(0, n),
    source: text,
    get text(): string[] {
      words ??= Array.from(starts, (s, i) => text.slice(s, ends[i]));
      return words;
    },
  };
}

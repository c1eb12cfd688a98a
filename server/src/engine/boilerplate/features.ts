/**
 * Line features of the boilerplate analyser.
 *
 * A page is read as the sequence of its non-blank lines (blank lines between paragraphs are skipped, so a file
 * with blank lines and a dump without them give the same neighbours). Each line gets numeric features of three
 * kinds:
 *
 * - what the line itself carries: length, words, function-word density, terminal punctuation, title case,
 *   call-to-action vocabulary, truncation, digits and dates, the pattern rules of `patterns.ts`, repetition;
 * - context: the same facts for the neighbouring lines, windows around the line (how much prose, how many short
 *   lines, how long the run of short lines is), teaser pairs, and where the line stands against the main block of
 *   prose (the maximum-sum run of the page, as in body-text extraction);
 * - for the second stage, the first stage's scores of the neighbouring lines and windows (stacking).
 *
 * The same code computes the features for training (`scripts/train-boilerplate.mjs` imports the compiled module)
 * and at run time, so both always agree. Features are stored column by column in Float32Arrays.
 */
import {CHROME_WORDS, MONTHS, STOP_WORDS, WEEKDAYS} from './lexicon.js';
import {PATTERN_RULES} from './patterns.js';
import type {BoilerplateCategory, LineInfo} from '../types.js';
import {longRangeFeatures, structureFeatures, structureOptions} from './structure.js';

/** Facts of one non-blank line, computed once. */
export interface LineStats {
  /** 0-based index of the line in the file. */
  line: number;
  text: string;
  /** Normalised text for repetition (see `lineKey`). */
  key: string;
  chars: number;
  /** Tokens the way the scorer counts them: runs of letters/digits, one per CJK character. */
  tokens: number;
  /** White-space separated words. */
  words: number;
  /** Lower-cased word tokens (letters/digits). */
  wordList: string[];
  /** Their ids in the page (`PageWords`). */
  wordIds: Int32Array;
  terminal: boolean;
  ellipsis: boolean;
  endsColon: boolean;
  stopRatio: number;
  titleRatio: number;
  chromeCount: number;
  letters: number;
  digits: number;
  upper: number;
  cjk: number;
  /** Prose-like: a sentence of some length. */
  prose: boolean;
  /** Short: at most four words. */
  short: boolean;
  /** Title-like: 3–25 words, not ending like a sentence or cut off. */
  titleLike: boolean;
  /** Pattern rule categories that match. */
  patterns: Set<BoilerplateCategory>;
  /** Reason of the first matching pattern rule. */
  patternReason: string | undefined;
  patternCategory: BoilerplateCategory | undefined;
  patternScore: number;
  /** Share of the line's word 3-grams found in one other line (0 when none), and that line's item index. */
  overlapShare: number;
  overlapWith: number;
}

const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const TOKEN_RE = new RegExp(`[${CJK_CLASS}]|(?:(?![${CJK_CLASS}])[\\p{L}\\p{M}\\p{N}])+`, 'gu');
const CJK_RE = new RegExp(`[${CJK_CLASS}\\p{Script=Hangul}]`, 'gu');
const WORD_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;
const ASCII_RE = /^[\x00-\x7f]*$/;
const ASCII_TOKEN_RE = /[A-Za-z0-9]+/g;
const ASCII_WORD_RE = /[a-z0-9][a-z0-9'-]*/g;
const TERMINAL_RE = /[.?!。！？।؟][\s"'”’»)\]]*$/u;
const ELLIPSIS_RE = /(\.\.\.|…|\[\.\.\.\]|\[…\])\s*[\])»"”]?\s*$/u;
const URL_RE = /\bhttps?:\/\/|\bwww\.[\w-]+\.|\b[\w-]+\.(com|org|net|co\.uk|de|fr|br|ru|in|io)\b/i;
/** Implied by every alternative of URL_RE, and much cheaper to try first. */
const URL_HINT_RE = /https?:\/\/|www\.|\.(com|org|net|co\.uk|de|fr|br|ru|in|io)\b/i;
const EMAIL_RE = /[\w.+-]+@[\w-]+\.[\w.]+/;
const HANDLE_RE = /(^|\s)@[\w.]{2,}/;
const HASHTAG_RE = /(^|\s)#[\p{L}\w]{2,}/u;
const SEPARATOR_RE = /[|•·»›▸►→]|\s\/\s/g;
const SEPARATOR_CHAR_RE = /[|•·»›▸►→/]/;
const TIME_RE = /\b\d{1,2}[:.h]\d{2}\b\s*(am|pm|a\.m\.|p\.m\.|uhr|h|gmt|utc|et|est|edt|bst|cet|ist)?/i;
const NUMDATE_RE = /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/;
const YEAR_RE = /\b(19|20)\d{2}\b/;
const AGO_RE = /\b\d+\s*(sec|min|mins|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago\b|\bhá \d+|\bil y a \d+|\bhace \d+|\bvor \d+/i;
const CURRENCY_RE = /[$€£¥₹]\s?\d|\d\s?[$€£¥₹]|\b(usd|eur|rs\.?)\s?\d/i;
const PERCENT_RE = /\d\s?%/;
const BULLET_RE = /^[•·\-–—*►▸»>+✓✔]\s*/u;
const PAREN_RE = /^[([{].*[)\]}]$/;
const QUOTE_RE = /["“”«»„]/;
const COMMENT_RE = /\b(reply|replies|report abuse|says:|wrote:|commented|upvote|downvote|permalink)\b|\bat \d{1,2}:\d{2}\s*(am|pm)\b|^\d+\s+(likes?|comments?|replies|points|shares|views)$/i;
const CTA_START_RE = /^(click|tap|read|watch|see|sign|subscribe|get|download|follow|join|share|learn more|find out|discover|shop|buy|order|try|start|register|log|continue|view|explore|check out|leia|veja|clique|assine|lee|haz clic|lire|cliquez|leggi|lesen|klicken|baca|читать|смотреть)\b/i;
const CREDIT_RE = /\b(getty|reuters|afp|ap photo|associated press|epa|shutterstock|istock|imago|dpa|photo|image|picture|credit|courtesy|file photo|illustration|foto|imagem|bild)\b/i;
const CAPTION_STYLE_RE = /,\s*(left|right|center|centre|second from (left|right)|from left|top|bottom|foreground|background)\s*[,)]|\((left|right|center|centre|pictured|top|bottom|file)\)|^in this .{0,60}\b(photo|image|picture|file)\b|\b(file photo|photo illustration|pictured( above| here)?)\b|^\d+\s*of\s*\d+\s*\S/i;
const BYLINE_RE = /^(by|from|por|par|von|di|oleh|автор|written by|posted by|reporting by)\s+\p{Lu}/iu;
const LETTER_RE = /\p{L}/u;
const LOWER_START_RE = /^[\p{Ll}]/u;
const UPPER_START_RE = /^[\p{Lu}]/u;
const DIGIT_START_RE = /^\d/;

/**
 * Character classes of the code units below `TABLE_END` (no surrogates there), computed once from the same
 * Unicode properties as the expressions above, so that most lines are scanned with table look-ups instead of
 * `TOKEN_RE`, `CJK_RE`, `WORD_RE` and `\s+` (a line with any unit at or above `TABLE_END` takes the expressions).
 */
const TABLE_END = 0x3000;
const C_LMN = 1; // [\p{L}\p{M}\p{N}]
const C_TOKEN_CJK = 2; // [CJK_CLASS]: a token of one character
const C_CJK = 4; // [CJK_CLASS\p{Script=Hangul}]: counted by CJK_RE
const C_WORD_START = 8; // [\p{L}\p{N}]
const C_WORD_PART = 16; // [\p{L}\p{M}\p{N}'’-]
const C_SPACE = 32; // \s
const CLASS_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(TABLE_END);
  const lmn = /[\p{L}\p{M}\p{N}]/u;
  const tokenCjk = new RegExp(`[${CJK_CLASS}]`, 'u');
  const cjk = new RegExp(`[${CJK_CLASS}\\p{Script=Hangul}]`, 'u');
  const start = /[\p{L}\p{N}]/u;
  const part = /[\p{L}\p{M}\p{N}'’-]/u;
  const space = /\s/;
  for (let c = 0; c < TABLE_END; c++) {
    const ch = String.fromCharCode(c);
    t[c] = (lmn.test(ch) ? C_LMN : 0) | (tokenCjk.test(ch) ? C_TOKEN_CJK : 0) | (cjk.test(ch) ? C_CJK : 0) | (start.test(ch) ? C_WORD_START : 0) | (part.test(ch) ? C_WORD_PART : 0) | (space.test(ch) ? C_SPACE : 0);
  }
  return t;
})();

/**
 * Whether a word has a character of `HAS_CJK_RE` (by table when it can).
 *
 * @param w Word.
 * @returns Whether it has one.
 */
function hasCjk(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= TABLE_END) return HAS_CJK_RE.test(w);
    if (CLASS_TABLE[c]! & C_CJK) return true;
  }
  return false;
}

/**
 * The word tokens of a lower-cased line, as `WORD_RE` (or `ASCII_WORD_RE` on ASCII text) matches them, by table.
 *
 * @param lower Lower-cased text.
 * @returns Words, or undefined when a unit is outside the table.
 */
function wordsByTable(lower: string): string[] | undefined {
  const out: string[] = [];
  const len = lower.length;
  let i = 0;
  while (i < len) {
    const c = lower.charCodeAt(i);
    if (c >= TABLE_END) return undefined;
    if (CLASS_TABLE[c]! & C_WORD_START) {
      let j = i + 1;
      for (; j < len; j++) {
        const d = lower.charCodeAt(j);
        if (d >= TABLE_END) return undefined;
        if (!(CLASS_TABLE[d]! & C_WORD_PART)) break;
      }
      out.push(lower.slice(i, j));
      i = j;
    } else i++;
  }
  return out;
}

/**
 * Normalise a line for comparison: trimmed, white space collapsed, lower case, curly quotes made straight.
 *
 * @param text Line text.
 * @returns Key.
 */
export function lineKey(text: string): string {
  let key = text.trim().replace(/\s+/g, ' ');
  if (!ASCII_RE.test(key)) key = key.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
  return key.toLowerCase();
}

/**
 * The case of a non-ASCII UTF-16 unit: 1 upper case, 2 lower case, 0 neither. Latin-1 letters, Greek and
 * Cyrillic are decided by code range; anything else by the string case mappings (the same answer, slower).
 *
 * @param c Code unit.
 * @param text Text.
 * @param i Index of the unit.
 * @returns Case kind.
 */
function caseOf(c: number, text: string, i: number): number {
  if (c >= 0xc0 && c <= 0xff) return c === 0xd7 || c === 0xf7 ? 0 : c <= 0xde ? 1 : 2;
  if (c >= 0x410 && c <= 0x44f) return c <= 0x42f ? 1 : 2;
  if (c >= 0x400 && c <= 0x45f) return c <= 0x40f ? 1 : 2;
  if (c >= 0x391 && c <= 0x3a9 && c !== 0x3a2) return 1;
  if (c >= 0x3b1 && c <= 0x3c9) return 2;
  const ch = text[i]!;
  if (ch.toLowerCase() !== ch) return 1;
  if (ch.toUpperCase() !== ch) return 2;
  return 0;
}

const W_STOP = 1;
const W_CHROME = 2;
const W_MONTH = 4;
const W_WEEKDAY = 8;
/** A topic token as it is: three letters or more, not a function word, not a number. */
const W_TOPIC = 16;
/** Has a CJK character and more than two units: its character bigrams are the topic tokens. */
const W_BIGRAMS = 32;

/**
 * The distinct words (and topic bigrams) of one page, each with an integer id and its lexicon flags, so that each
 * word is hashed once per line and every later look-up (function words, chrome words, months, frequencies,
 * 3-grams, topicality) is an array access. Ids follow first occurrence.
 */
export class PageWords {
  readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  readonly flags: number[] = [];
  /**
   * The id of a word (a new one for an unseen word).
   * @param w Word.
   * @returns Id.
   */
  idOf(w: string): number {
    let id = this.ids.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(w, id);
      this.words.push(w);
      const stop = STOP_WORDS.has(w);
      const cjkBigrams = w.length > 2 && hasCjk(w);
      this.flags.push(
        (stop ? W_STOP : 0) |
          (CHROME_WORDS.has(w) ? W_CHROME : 0) |
          (MONTHS.has(w) ? W_MONTH : 0) |
          (WEEKDAYS.has(w) ? W_WEEKDAY : 0) |
          (cjkBigrams ? W_BIGRAMS : w.length >= 3 && !stop && !/^\d+$/.test(w) ? W_TOPIC : 0),
      );
    }
    return id;
  }
}

/**
 * Compute the facts of one line.
 *
 * @param text Trimmed line text (not empty).
 * @param line Line index.
 * @param pageWords The page's word ids (a fresh one when the line is read alone).
 * @returns Facts.
 */
export function statsOf(text: string, line: number, pageWords: PageWords = new PageWords()): LineStats {
  const chars = text.length;
  // One scan by table: tokens (as TOKEN_RE counts them), CJK characters (CJK_RE), runs of white space (the line is
  // trimmed, so `split(/\s+/)` gives one more piece), whether the line is ASCII, and whether its white space is
  // anything but single spaces (then `lineKey` must collapse it) or it has curly quotes (`lineKey` straightens them).
  let inTable = true;
  let ascii = true;
  let tokens = 0;
  let cjk = 0;
  let spaceRuns = 0;
  let oddSpace = false;
  let curly = false;
  {
    let inRun = false;
    let inSpace = false;
    for (let i = 0; i < chars; i++) {
      const c = text.charCodeAt(i);
      if (c >= TABLE_END) {
        inTable = false;
        break;
      }
      if (c > 127) {
        ascii = false;
        if (c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d) curly = true;
      }
      const k = CLASS_TABLE[c]!;
      if (k & C_SPACE) {
        if (inSpace || c !== 32) oddSpace = true;
        else spaceRuns++;
        inSpace = true;
        inRun = false;
        continue;
      }
      inSpace = false;
      if (k & C_CJK) cjk++;
      if (k & C_TOKEN_CJK) {
        tokens++;
        inRun = false;
      } else if (k & C_LMN) {
        if (!inRun) tokens++;
        inRun = true;
      } else inRun = false;
    }
  }
  let words: number;
  let wordList: string[];
  let key: string;
  if (inTable && !oddSpace) {
    words = spaceRuns + 1;
    const lower = text.toLowerCase();
    key = curly ? lineKey(text) : lower;
    wordList = wordsByTable(lower) ?? ((lower.match(WORD_RE) ?? []) as string[]);
  } else {
    // Plain ASCII lines (most lines of English pages) take simpler, faster expressions with the same results.
    ascii = ASCII_RE.test(text);
    tokens = (ascii ? text.match(ASCII_TOKEN_RE) : text.match(TOKEN_RE))?.length ?? 0;
    words = text.split(/\s+/).length;
    wordList = ((ascii ? text.toLowerCase().match(ASCII_WORD_RE) : text.toLowerCase().match(WORD_RE)) ?? []) as string[];
    cjk = ascii ? 0 : (text.match(CJK_RE)?.length ?? 0);
    key = lineKey(text);
  }
  // Letters, digits, upper case; and title case: words (split at space, tab, no-break space) whose first letter is
  // upper case, among words with a letter. One pass; a non-ASCII unit's case is looked up once.
  let letters = 0;
  let digits = 0;
  let upper = 0;
  let titled = 0;
  let alphaWords = 0;
  let inWord = false;
  let seenLetter = false;
  for (let i = 0; i < chars; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c === 32 || c === 9) {
        inWord = false;
        continue;
      }
      if (!inWord) {
        inWord = true;
        seenLetter = false;
      }
      if (c >= 48 && c <= 57) digits++;
      else if (c >= 65 && c <= 90) {
        upper++;
        letters++;
        if (!seenLetter) {
          seenLetter = true;
          alphaWords++;
          titled++;
        }
      } else if (c >= 97 && c <= 122) {
        letters++;
        if (!seenLetter) {
          seenLetter = true;
          alphaWords++;
        }
      }
      continue;
    }
    const kind = caseOf(c, text, i);
    if (kind === 1) {
      upper++;
      letters++;
    } else if (kind === 2) letters++;
    if (c === 160) {
      inWord = false;
      continue;
    }
    if (!inWord) {
      inWord = true;
      seenLetter = false;
    }
    if (seenLetter) continue;
    if (kind === 1) {
      seenLetter = true;
      alphaWords++;
      titled++;
    } else if (kind === 2 || LETTER_RE.test(text[i]!)) {
      seenLetter = true;
      alphaWords++;
    }
  }
  letters += cjk;
  let stop = 0;
  let chrome = 0;
  const wordIds = new Int32Array(wordList.length);
  const flags = pageWords.flags;
  for (let k = 0; k < wordList.length; k++) {
    const id = pageWords.idOf(wordList[k]!);
    wordIds[k] = id;
    const f = flags[id]!;
    if (f & W_STOP) stop++;
    if (f & W_CHROME) chrome++;
  }
  const ellipsis = ELLIPSIS_RE.test(text);
  const terminal = !ellipsis && TERMINAL_RE.test(text);
  const endsColon = /:\s*$/.test(text);
  const patterns = new Set<BoilerplateCategory>();
  let patternReason: string | undefined;
  let patternCategory: BoilerplateCategory | undefined;
  let patternScore = 0;
  for (const rule of PATTERN_RULES) {
    if (wordList.length <= rule.maxWords && rule.pattern.test(text)) {
      patterns.add(rule.category);
      if (!patternReason) {
        patternReason = rule.reason;
        patternCategory = rule.category;
        patternScore = rule.score;
      }
    }
  }
  const effWords = Math.max(wordList.length, Math.round(cjk / 2));
  const stopRatio = wordList.length ? stop / wordList.length : 0;
  const prose = !ellipsis && effWords >= 8 && (terminal || effWords >= 20);
  const short = effWords <= 4;
  const titleLike = !terminal && !ellipsis && effWords >= 3 && effWords <= 25;
  return {
    line,
    text,
    key,
    chars,
    tokens,
    words,
    wordList,
    wordIds,
    terminal,
    ellipsis,
    endsColon,
    stopRatio,
    titleRatio: alphaWords ? titled / alphaWords : 0,
    chromeCount: chrome,
    letters,
    digits,
    upper,
    cjk,
    prose,
    short,
    titleLike,
    patterns,
    patternReason,
    patternCategory,
    patternScore,
    overlapShare: 0,
    overlapWith: -1,
  };
}

/** A page read for the boilerplate model: its non-blank lines and their features, column by column. */
export interface PageFeatures {
  /** Facts of each non-blank line, in order. */
  stats: LineStats[];
  /** Feature names (the same order as `columns`). */
  names: string[];
  /** One Float32Array per feature, `stats.length` long. */
  columns: Float32Array[];
  /** Index of the main block of prose (first and last item), or -1/-1. */
  block: [number, number];
  /** How many times each key occurs in the page. */
  keyCounts: Map<string, number>;
  /** For each item, the item index of the first line with the same key. */
  firstOf: Int32Array;
}

/** The categories of pattern rules, in a fixed order (one feature each). */
const PATTERN_CATEGORIES: readonly BoilerplateCategory[] = ['navigation', 'promotion', 'teaser', 'share', 'legal', 'caption', 'metadata'];

/** Collects named columns. */
class Columns {
  readonly names: string[] = [];
  readonly columns: Float32Array[] = [];
  /** Columns are cut from one buffer (`capacity` columns; another buffer when it is full). */
  private buffer: Float32Array;
  private used = 0;
  /**
   * @param n Rows.
   * @param capacity Columns expected.
   */
  constructor(
    readonly n: number,
    private readonly capacity = 32,
  ) {
    this.buffer = new Float32Array(n * capacity);
  }
  /**
   * Add a column computed per item.
   * @param name Feature name.
   * @param f Value of item i.
   * @returns Nothing.
   */
  add(name: string, f: (i: number) => number): void {
    const col = this.next(name);
    for (let i = 0; i < this.n; i++) col[i] = f(i);
  }
  /**
   * Add a column holding another item's value (a neighbour's), without a call per item.
   * @param name Feature name.
   * @param base Value per item.
   * @param d Offset of the other item.
   * @returns Nothing.
   */
  shift(name: string, base: ArrayLike<number>, d: number): void {
    const col = this.next(name);
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const j = i + d;
      col[i] = j >= 0 && j < n ? base[j]! : -1;
    }
  }
  /**
   * Add a column of window sums (or means) of a prefix-sum array, as `windowSum` computes them.
   * @param name Feature name.
   * @param prefix Prefix sums (length n+1).
   * @param r Radius.
   * @param mean Divide by the window's size.
   * @returns Nothing.
   */
  window(name: string, prefix: Float64Array, r: number, mean: boolean): void {
    const col = this.next(name);
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const a = Math.max(0, i - r);
      const b = Math.min(n, i + r + 1);
      const sum = prefix[b]! - prefix[a]!;
      col[i] = mean ? sum / (b - a) : sum;
    }
  }
  /**
   * A new column, cut from the buffer.
   * @param name Feature name.
   * @returns The column (to fill).
   */
  private next(name: string): Float32Array {
    const n = this.n;
    if ((this.used + 1) * n > this.buffer.length) {
      this.buffer = new Float32Array(n * this.capacity);
      this.used = 0;
    }
    const col = this.buffer.subarray(this.used * n, (this.used + 1) * n);
    this.used++;
    this.names.push(name);
    this.columns.push(col);
    return col;
  }
}

/**
 * Sum of `values` over the window [i-r, i+r] of a prefix-sum array.
 * @param prefix Prefix sums (length n+1).
 * @param i Centre.
 * @param r Radius.
 * @returns Sum and count.
 */
function windowSum(prefix: Float64Array, i: number, r: number): [number, number] {
  const n = prefix.length - 1;
  const a = Math.max(0, i - r);
  const b = Math.min(n, i + r + 1);
  return [prefix[b]! - prefix[a]!, b - a];
}

/**
 * Prefix sums.
 * @param n Length.
 * @param f Value.
 * @returns Prefix array of length n+1.
 */
function prefixOf(n: number, f: (i: number) => number): Float64Array {
  const p = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) p[i + 1] = p[i]! + f(i);
  return p;
}

/**
 * The maximum-sum contiguous run (Kadane).
 * @param n Length.
 * @param score Score of item i.
 * @returns [first, last] of the best run, or [-1, -1] when every score is negative.
 */
export function maxRun(n: number, score: (i: number) => number): [number, number] {
  let best = 0;
  let bestA = -1;
  let bestB = -1;
  let sum = 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    if (sum <= 0) {
      sum = 0;
      a = i;
    }
    sum += score(i);
    if (sum > best) {
      best = sum;
      bestA = a;
      bestB = i;
    }
  }
  return [bestA, bestB];
}

const HAS_CJK_RE = new RegExp(`[${CJK_CLASS}\\p{Script=Hangul}]`, 'u');

/**
 * Content words of a line for topicality: lower-cased words of three letters or more that are not function words
 * or numbers; text without spaces between words (Chinese, Japanese, Thai…) gives character bigrams instead.
 *
 * @param ids The line's word ids.
 * @param pageWords The page's words (bigrams are added to it).
 * @returns Token ids.
 */
function topicTokensOf(ids: Int32Array, pageWords: PageWords): number[] {
  const out: number[] = [];
  const {flags, words} = pageWords;
  for (const id of ids) {
    const f = flags[id]!;
    if (f & W_BIGRAMS) {
      const w = words[id]!;
      for (let k = 0; k + 1 < w.length && k < 60; k++) out.push(pageWords.idOf(w.slice(k, k + 2)));
    } else if (f & W_TOPIC) out.push(id);
  }
  return out;
}

/**
 * How many characters of a string `\s` matches (the same set: ASCII white space, no-break spaces, the Unicode
 * space separators, line and paragraph separators, the byte-order mark).
 *
 * @param text Text.
 * @returns Count.
 */
function spacesIn(text: string): number {
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) k++;
    else if (c > 127 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff)) k++;
  }
  return k;
}

/**
 * The k most frequent words (ties: alphabetical), without sorting every word of the page.
 *
 * @param freq Word counts.
 * @param k How many.
 * @returns Words, most frequent first.
 */
function topWords(freq: ReadonlyMap<string, number>, k: number): string[] {
  const best: Array<[string, number]> = [];
  const before = (a: [string, number], b: [string, number]): boolean => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  for (const entry of freq) {
    if (best.length === k && !before(entry, best[k - 1]!)) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(entry);
    else best[at] = entry;
    while (at > 0 && before(best[at]!, best[at - 1]!)) {
      [best[at - 1], best[at]] = [best[at]!, best[at - 1]!];
      at--;
    }
  }
  return best.map(([w]) => w);
}

/**
 * Signed log distance: log1p(|d|) with the sign of d.
 * @param d Distance.
 * @returns Value.
 */
const slog = (d: number): number => (d >= 0 ? Math.log1p(d) : -Math.log1p(-d));

/**
 * Compute the first-stage features of a page.
 *
 * @param text The document.
 * @param lines Its lines.
 * @returns Features of its non-blank lines.
 */
export function pageFeatures(text: string, lines: readonly LineInfo[]): PageFeatures {
  const stats: LineStats[] = [];
  const pageWords = new PageWords();
  for (const info of lines) {
    const raw = text.slice(info.start, info.end).trim();
    if (raw) stats.push(statsOf(raw, info.index, pageWords));
  }
  const n = stats.length;
  const S = (i: number): LineStats | undefined => (i >= 0 && i < n ? stats[i] : undefined);

  // Repetition inside the page.
  const keyCounts = new Map<string, number>();
  const firstIndex = new Map<string, number>();
  const lastIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = stats[i]!.key;
    keyCounts.set(k, (keyCounts.get(k) ?? 0) + 1);
    if (!firstIndex.has(k)) firstIndex.set(k, i);
    lastIndex.set(k, i);
  }
  const firstOf = new Int32Array(n);
  for (let i = 0; i < n; i++) firstOf[i] = firstIndex.get(stats[i]!.key)!;

  // Word 3-gram shingles: how much of a line occurs in other lines (captions and standfirsts repeating a paragraph,
  // teasers of this same story, a headline inside a breadcrumb).
  // A 3-gram is three word ids in one exact number (ids stay below 2^17 on any real page, so 2^51 at most). Each
  // distinct 3-gram has one entry: the first eight lines it occurs in, and the last line that counted it (so a line
  // counts each of its 3-grams once, in the order of first occurrence in the line).
  interface Shingle {
    lines: number[];
    last: number;
  }
  const shingles = new Map<number, Shingle>();
  const distinctOf: Shingle[][] = [];
  for (let i = 0; i < n; i++) {
    const ids = stats[i]!.wordIds;
    const distinct: Shingle[] = [];
    distinctOf.push(distinct);
    for (let j = 0; j + 2 < ids.length; j++) {
      const sh = (ids[j]! * 131072 + ids[j + 1]!) * 131072 + ids[j + 2]!;
      const at = shingles.get(sh);
      if (!at) {
        const entry = {lines: [i], last: i};
        shingles.set(sh, entry);
        distinct.push(entry);
      } else if (at.last !== i) {
        at.last = i;
        if (at.lines.length < 8) at.lines.push(i);
        distinct.push(at);
      }
    }
  }
  /** For item i: the share of its shingles found in one other (distinct-key) line, and that line. */
  const overlap = new Float32Array(n);
  const overlapWith = new Int32Array(n).fill(-1);
  // Hits per other line, and the lines hit in the order of their first hit (a Map's order).
  const hitCount = new Int32Array(n);
  const hitOrder: number[] = [];
  for (let i = 0; i < n; i++) {
    // (Three words or more give one 3-gram per word after the second; fewer than two 3-grams are skipped.)
    if (stats[i]!.wordIds.length < 4) continue;
    const distinct = distinctOf[i]!;
    const first = firstOf[i]!;
    for (const entry of distinct) {
      for (const j of entry.lines) {
        if (j !== i && firstOf[j] !== first) {
          if (hitCount[j] === 0) hitOrder.push(j);
          hitCount[j] = hitCount[j]! + 1;
        }
      }
    }
    let best = 0;
    for (const j of hitOrder) {
      const share = hitCount[j]! / distinct.length;
      if (share > best) {
        best = share;
        overlapWith[i] = j;
      }
      hitCount[j] = 0;
    }
    hitOrder.length = 0;
    overlap[i] = best;
    stats[i]!.overlapShare = best;
    stats[i]!.overlapWith = overlapWith[i]!;
  }

  // The page's own most frequent tokens: function words of whatever language it is in.
  const counts = new Int32Array(pageWords.words.length);
  for (const s of stats) for (const id of s.wordIds) counts[id] = counts[id]! + 1;
  const freq = new Map<string, number>();
  pageWords.words.forEach((w, id) => freq.set(w, counts[id]!));
  const isTop = new Uint8Array(pageWords.words.length);
  for (const w of topWords(freq, 30)) isTop[pageWords.ids.get(w)!] = 1;
  const docStop = stats.map((s) => {
    if (!s.wordIds.length) return 0;
    let k = 0;
    for (const id of s.wordIds) k += isTop[id]!;
    return k / s.wordList.length;
  });

  // The main block of prose: the maximum-sum run where prose counts its length and anything else a penalty.
  const block = maxRun(n, (i) => {
    const s = stats[i]!;
    return s.prose ? s.chars : -(15 + 0.5 * s.chars);
  });
  const [bs, be] = block;
  const charsBefore = prefixOf(n, (i) => stats[i]!.chars);
  // A lenient block: short lines cost little, so lists and sub-headings inside the story stay in it.
  const [ls, le] = maxRun(n, (i) => {
    const s = stats[i]!;
    return s.prose ? s.chars : -(4 + 0.15 * s.chars);
  });

  // The shape of repetition: copies spread through prose (an interview's recurring question, a list's recurring
  // label) against copies clustered with other repeated lines (a menu printed twice, a gallery's captions).
  const copies = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = stats[i]!.key;
    if (keyCounts.get(k)! > 1) {
      const list = copies.get(k);
      if (list) list.push(i);
      else copies.set(k, [i]);
    }
  }
  const proseCount = prefixOf(n, (i) => (stats[i]!.prose ? 1 : 0));
  const copyShape = new Map<string, [number, number, number, number]>();
  for (const [k, list] of copies) {
    const a = list[0]!;
    const b = list[list.length - 1]!;
    const between = b - a + 1 - list.length;
    const proseBetween = between > 0 ? (proseCount[b]! - proseCount[a + 1]! - 0) / between : 0;
    let nextProse = 0;
    let samePrev = 0;
    const prevKey = a > 0 ? stats[a - 1]!.key : '';
    for (const j of list) {
      if (j + 1 < n && stats[j + 1]!.prose) nextProse++;
      if (j > 0 && stats[j - 1]!.key === prevKey) samePrev++;
    }
    copyShape.set(k, [(b - a) / Math.max(1, n - 1), proseBetween, nextProse / list.length, (samePrev - 1) / Math.max(1, list.length - 1)]);
  }

  // Markers of chrome (pattern rules, short lines with call-to-action words, comment controls) between a line and
  // the main block: a list that continues the story has none; the footer starts with them (boilerpipe's
  // terminating blocks).
  const comment = new Uint8Array(n);
  for (let i = 0; i < n; i++) comment[i] = +COMMENT_RE.test(stats[i]!.text);
  const marker = (i: number): number => {
    const s = stats[i]!;
    return s.patterns.size > 0 || (s.chromeCount > 0 && s.wordList.length <= 6) || comment[i] ? 1 : 0;
  };
  const markerP = prefixOf(n, marker);
  const markersBetween = (i: number, a: number, b: number): number => {
    if (a < 0) return -1;
    if (i < a) return markerP[a]! - markerP[i + 1]!;
    if (i > b) return markerP[i]! - markerP[b + 1]!;
    return 0;
  };

  // Topicality: how many of a line's content words occur in the prose of the main block (the line's own words
  // excluded). Navigation, teasers of other stories and page furniture share few words with the story.
  // (Tokens are ids of `pageWords`: a bigram and a word that are the same string share one.)
  const topicTokens = stats.map((s) => topicTokensOf(s.wordIds, pageWords));
  const bag = new Int32Array(pageWords.words.length);
  const inBagSource = (i: number): boolean => stats[i]!.prose && (bs < 0 || (i >= bs && i <= be));
  for (let i = 0; i < n; i++) if (inBagSource(i)) for (const t of topicTokens[i]!) bag[t] = bag[t]! + 1;
  const topic = new Float32Array(n);
  const topicWords = new Float32Array(n);
  const ownCounts = new Int32Array(pageWords.words.length);
  for (let i = 0; i < n; i++) {
    const toks = topicTokens[i]!;
    if (toks.length === 0) {
      topic[i] = -1;
      continue;
    }
    const own = inBagSource(i);
    if (own) for (const t of toks) ownCounts[t] = ownCounts[t]! + 1;
    let hit = 0;
    for (const t of toks) if (bag[t]! - ownCounts[t]! > 0) hit++;
    if (own) for (const t of toks) ownCounts[t] = 0;
    topic[i] = hit / toks.length;
    topicWords[i] = toks.length;
  }

  // Prose lines: first, last, nearest above and below.
  const proseIdx: number[] = [];
  for (let i = 0; i < n; i++) if (stats[i]!.prose) proseIdx.push(i);
  const firstProse = proseIdx[0] ?? -1;
  const lastProse = proseIdx[proseIdx.length - 1] ?? -1;
  const proseAbove = new Int32Array(n).fill(-1);
  const proseBelow = new Int32Array(n).fill(-1);
  for (let i = 0, last = -1; i < n; i++) {
    proseAbove[i] = last;
    if (stats[i]!.prose) last = i;
  }
  for (let i = n - 1, next = -1; i >= 0; i--) {
    proseBelow[i] = next;
    if (stats[i]!.prose) next = i;
  }

  // Runs of short lines and of prose lines.
  const shortRun = new Float32Array(n);
  const proseRun = new Float32Array(n);
  for (const [flag, out] of [
    [(s: LineStats) => s.short, shortRun],
    [(s: LineStats) => s.prose, proseRun],
  ] as const) {
    for (let i = 0; i < n; ) {
      if (!flag(stats[i]!)) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && flag(stats[j]!)) j++;
      for (let k = i; k < j; k++) out[k] = j - i;
      i = j;
    }
  }

  // The headline candidate: the nearest title-like line above the main block (skipping metadata-like lines).
  let headline = -1;
  if (bs >= 0) {
    for (let i = bs - 1; i >= 0 && i >= bs - 12; i--) {
      const s = stats[i]!;
      if (s.titleLike && !s.patterns.has('metadata') && s.wordList.length >= 3) {
        headline = i;
        break;
      }
    }
  }

  const logChars = prefixOf(n, (i) => Math.log1p(stats[i]!.chars));
  const proseP = prefixOf(n, (i) => (stats[i]!.prose ? 1 : 0));
  const shortP = prefixOf(n, (i) => (stats[i]!.short ? 1 : 0));
  const proseCharsP = prefixOf(n, (i) => (stats[i]!.prose ? stats[i]!.chars : 0));
  const titleNextLong = prefixOf(n, (i) => (stats[i]!.titleLike && (S(i + 1)?.wordList.length ?? 0) >= 10 ? 1 : 0));
  const ellipsisP = prefixOf(n, (i) => (stats[i]!.ellipsis ? 1 : 0));
  const terminalP = prefixOf(n, (i) => (stats[i]!.terminal ? 1 : 0));
  const chromeP = prefixOf(n, (i) => (stats[i]!.chromeCount > 0 && stats[i]!.wordList.length <= 8 ? 1 : 0));

  // Lengths against the page: the median line and the median prose line of the main block.
  const median = (values: number[]): number => {
    if (values.length === 0) return 0;
    // (A typed array sorts numerically; the values are logarithms of lengths, never NaN or −0.)
    const sorted = Float64Array.from(values).sort();
    return sorted[sorted.length >> 1]!;
  };
  const medianLog = median(stats.map((s) => Math.log1p(s.chars)));
  const blockProseLog = median(stats.filter((s, i) => s.prose && i >= bs && i <= be).map((s) => Math.log1p(s.chars)));

  const c = new Columns(n, 160);
  // The line itself.
  c.add('logChars', (i) => Math.log1p(stats[i]!.chars));
  c.add('relLen', (i) => Math.log1p(stats[i]!.chars) - medianLog);
  c.add('relLenProse', (i) => (blockProseLog ? Math.log1p(stats[i]!.chars) - blockProseLog : 0));
  c.add('tokens', (i) => Math.min(stats[i]!.tokens, 400));
  c.add('words', (i) => Math.min(stats[i]!.wordList.length, 300));
  c.add('meanWordLen', (i) => {
    const s = stats[i]!;
    return s.wordList.length ? s.letters / s.wordList.length : 0;
  });
  c.add('letterRatio', (i) => stats[i]!.letters / stats[i]!.chars);
  c.add('digitRatio', (i) => stats[i]!.digits / stats[i]!.chars);
  c.add('upperRatio', (i) => (stats[i]!.letters ? stats[i]!.upper / stats[i]!.letters : 0));
  c.add('cjkRatio', (i) => stats[i]!.cjk / stats[i]!.chars);
  c.add('punctRatio', (i) => {
    const s = stats[i]!;
    return (s.chars - s.letters - s.digits - spacesIn(s.text)) / s.chars;
  });
  c.add('terminal', (i) => +stats[i]!.terminal);
  c.add('ellipsis', (i) => +stats[i]!.ellipsis);
  c.add('endsColon', (i) => +stats[i]!.endsColon);
  c.add('stopRatio', (i) => stats[i]!.stopRatio);
  c.add('docStopRatio', (i) => docStop[i]!);
  c.add('titleRatio', (i) => stats[i]!.titleRatio);
  c.add('chromeWords', (i) => stats[i]!.chromeCount);
  c.add('chromeRatio', (i) => (stats[i]!.wordList.length ? stats[i]!.chromeCount / stats[i]!.wordList.length : 0));
  c.add('sentences', (i) => Math.min((stats[i]!.text.match(/[.?!。！？]["'”’)]*\s+(?=\S)/gu)?.length ?? 0) + (stats[i]!.terminal ? 1 : 0), 20));
  c.add('commas', (i) => Math.min(stats[i]!.text.match(/[,，、]/g)?.length ?? 0, 20));
  c.add('startsLower', (i) => +LOWER_START_RE.test(stats[i]!.text));
  c.add('startsUpper', (i) => +UPPER_START_RE.test(stats[i]!.text));
  c.add('startsDigit', (i) => +DIGIT_START_RE.test(stats[i]!.text));
  c.add('bullet', (i) => +BULLET_RE.test(stats[i]!.text));
  c.add('parenthesised', (i) => +PAREN_RE.test(stats[i]!.text));
  c.add('quoteMarks', (i) => +QUOTE_RE.test(stats[i]!.text));
  c.add('url', (i) => +(URL_HINT_RE.test(stats[i]!.text) && URL_RE.test(stats[i]!.text)));
  c.add('email', (i) => +(stats[i]!.text.includes('@') && EMAIL_RE.test(stats[i]!.text)));
  c.add('handleOrTag', (i) => +(HANDLE_RE.test(stats[i]!.text) || HASHTAG_RE.test(stats[i]!.text)));
  c.add('separators', (i) => (SEPARATOR_CHAR_RE.test(stats[i]!.text) ? Math.min(stats[i]!.text.match(SEPARATOR_RE)?.length ?? 0, 10) : 0));
  // Expressions that need a digit are tried only on lines with one.
  c.add('time', (i) => +(stats[i]!.digits > 0 && TIME_RE.test(stats[i]!.text)));
  c.add('numDate', (i) => +(stats[i]!.digits > 0 && NUMDATE_RE.test(stats[i]!.text)));
  c.add('year', (i) => +(stats[i]!.digits > 0 && YEAR_RE.test(stats[i]!.text)));
  c.add('month', (i) => {
    let k = 0;
    for (const id of stats[i]!.wordIds) if (pageWords.flags[id]! & W_MONTH) k++;
    return k;
  });
  c.add('weekday', (i) => +stats[i]!.wordIds.some((id) => (pageWords.flags[id]! & W_WEEKDAY) !== 0));
  c.add('ago', (i) => +(stats[i]!.digits > 0 && AGO_RE.test(stats[i]!.text)));
  c.add('currency', (i) => +(stats[i]!.digits > 0 && CURRENCY_RE.test(stats[i]!.text)));
  c.add('percent', (i) => +(stats[i]!.text.includes('%') && PERCENT_RE.test(stats[i]!.text)));
  c.add('comment', (i) => comment[i]!);
  c.add('ctaStart', (i) => +CTA_START_RE.test(stats[i]!.text));
  c.add('credit', (i) => +CREDIT_RE.test(stats[i]!.text));
  c.add('byline', (i) => +BYLINE_RE.test(stats[i]!.text));
  for (const cat of PATTERN_CATEGORIES) c.add(`pattern_${cat}`, (i) => +stats[i]!.patterns.has(cat));
  c.add('topic', (i) => topic[i]!);
  c.add('topicWords', (i) => Math.min(topicWords[i]!, 50));
  c.add('topic_w2', (i) => {
    let sum = 0;
    let k = 0;
    for (let j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++) {
      if (j === i || topic[j]! < 0) continue;
      sum += topic[j]!;
      k++;
    }
    return k ? sum / k : -1;
  });
  c.add('p1_topic', (i) => (i > 0 ? topic[i - 1]! : -1));
  c.add('n1_topic', (i) => (i + 1 < n ? topic[i + 1]! : -1));
  const shape = (i: number, k: number): number => copyShape.get(stats[i]!.key)?.[k] ?? -1;
  c.add('copySpan', (i) => shape(i, 0));
  c.add('copyProseBetween', (i) => shape(i, 1));
  c.add('copyNextProse', (i) => shape(i, 2));
  c.add('copySamePrev', (i) => shape(i, 3));
  c.add('captionStyle', (i) => +CAPTION_STYLE_RE.test(stats[i]!.text));
  c.add('marker', (i) => marker(i));
  c.add('markersToBlock', (i) => Math.log1p(markersBetween(i, bs, be)));
  c.add('markersToLenient', (i) => Math.log1p(markersBetween(i, ls, le)));
  c.add('inLenientBlock', (i) => (ls >= 0 && i >= ls && i <= le ? 1 : 0));
  c.add('lenientOffset', (i) => (ls < 0 ? 0 : i < ls ? slog(i - ls) : i > le ? slog(i - le) : 0));
  c.add('prose', (i) => +stats[i]!.prose);
  c.add('titleLike', (i) => +stats[i]!.titleLike);
  // Repetition.
  c.add('repeats', (i) => Math.min(keyCounts.get(stats[i]!.key)! - 1, 30));
  c.add('earlierCopy', (i) => +(firstOf[i]! < i));
  c.add('laterCopy', (i) => +(lastIndex.get(stats[i]!.key)! > i));
  c.add('copyDistance', (i) => (firstOf[i]! < i ? slog(i - firstOf[i]!) : 0));
  c.add('overlap', (i) => overlap[i]!);
  c.add('overlapLonger', (i) => (overlapWith[i]! >= 0 ? Math.log((stats[overlapWith[i]!]!.chars + 1) / (stats[i]!.chars + 1)) : 0));
  c.add('overlapBefore', (i) => (overlapWith[i]! >= 0 ? (overlapWith[i]! < i ? 1 : -1) : 0));
  c.add('overlapInBlock', (i) => (overlapWith[i]! >= 0 && bs >= 0 && overlapWith[i]! >= bs && overlapWith[i]! <= be ? 1 : 0));
  const inBlockCounts = new Map<string, number>();
  if (bs >= 0) for (let j = bs; j <= be; j++) inBlockCounts.set(stats[j]!.key, (inBlockCounts.get(stats[j]!.key) ?? 0) + 1);
  c.add('copyInBlock', (i) => {
    const k = stats[i]!.key;
    if (keyCounts.get(k)! < 2 || bs < 0) return 0;
    const others = (inBlockCounts.get(k) ?? 0) - (i >= bs && i <= be ? 1 : 0);
    return others > 0 ? 1 : -1;
  });
  // (No absolute position in the page and no page-wide constants: they let the trees tell pages apart rather than
  // lines, and cross-validation by site was better without them.)
  // Neighbours (non-blank lines), ±1..±3: each fact computed once per item, then shifted.
  const fact = (f: (s: LineStats, i: number) => number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(stats[i]!, i);
    return out;
  };
  const nLogChars = fact((s) => Math.log1p(s.chars));
  const nWords = fact((s) => Math.min(s.wordList.length, 100));
  const nTerminal = fact((s) => +s.terminal);
  const nStopRatio = fact((s) => s.stopRatio);
  const nEllipsis = fact((s) => +s.ellipsis);
  const nTitleRatio = fact((s) => s.titleRatio);
  const nChrome = fact((s) => s.chromeCount);
  const nRepeats = fact((s) => Math.min(keyCounts.get(s.key)! - 1, 30));
  const nPattern = fact((s) => +(s.patterns.size > 0));
  const nDigitRatio = fact((s) => s.digits / s.chars);
  for (const d of [-3, -2, -1, 1, 2, 3]) {
    const tag = d < 0 ? `p${-d}` : `n${d}`;
    c.shift(`${tag}_logChars`, nLogChars, d);
    c.shift(`${tag}_words`, nWords, d);
    c.shift(`${tag}_terminal`, nTerminal, d);
    c.shift(`${tag}_stopRatio`, nStopRatio, d);
    c.shift(`${tag}_docStop`, docStop, d);
    c.shift(`${tag}_ellipsis`, nEllipsis, d);
    if (Math.abs(d) === 1) {
      c.shift(`${tag}_titleRatio`, nTitleRatio, d);
      c.shift(`${tag}_chrome`, nChrome, d);
      c.shift(`${tag}_repeats`, nRepeats, d);
      c.shift(`${tag}_pattern`, nPattern, d);
      c.shift(`${tag}_digitRatio`, nDigitRatio, d);
    }
  }
  // Windows.
  for (const r of [2, 5, 12]) {
    c.window(`w${r}_logChars`, logChars, r, true);
    c.window(`w${r}_prose`, proseP, r, true);
    c.window(`w${r}_short`, shortP, r, true);
    c.window(`w${r}_terminal`, terminalP, r, true);
  }
  c.add('w5_proseChars', (i) => Math.log1p(windowSum(proseCharsP, i, 5)[0]));
  c.window('w6_teaserPairs', titleNextLong, 6, false);
  c.window('w6_ellipsis', ellipsisP, 6, false);
  c.window('w4_chrome', chromeP, 4, false);
  c.add('shortRun', (i) => Math.log1p(shortRun[i]!));
  c.add('proseRun', (i) => Math.log1p(proseRun[i]!));
  // Against the main block and the prose lines.
  c.add('inBlock', (i) => (bs >= 0 && i >= bs && i <= be ? 1 : 0));
  c.add('blockOffset', (i) => (bs < 0 ? 0 : i < bs ? slog(i - bs) : i > be ? slog(i - be) : 0));
  c.add('blockCharOffset', (i) => (bs < 0 ? 0 : i < bs ? slog((charsBefore[i + 1]! - charsBefore[bs]!) / 100) : i > be ? slog((charsBefore[i]! - charsBefore[be + 1]!) / 100) : 0));
  c.add('blockRel', (i) => (bs >= 0 && be > bs ? (i - bs) / (be - bs) : 0));
  c.add('isHeadline', (i) => +(i === headline));
  // Distances are measured outward from the story only: inside it, how far a line is from the start says nothing
  // (a long interview is still the story 300 lines down).
  c.add('aboveHeadline', (i) => (headline >= 0 && i < headline ? Math.log1p(headline - i) : 0));
  c.add('beforeFirstProse', (i) => (firstProse >= 0 && i < firstProse ? Math.log1p(firstProse - i) : 0));
  c.add('afterLastProse', (i) => (lastProse >= 0 && i > lastProse ? Math.log1p(i - lastProse) : 0));
  c.add('proseAboveDist', (i) => (proseAbove[i]! >= 0 ? Math.log1p(i - proseAbove[i]!) : -1));
  c.add('proseBelowDist', (i) => (proseBelow[i]! >= 0 ? Math.log1p(proseBelow[i]! - i) : -1));
  c.add('proseAboveChars', (i) => (proseAbove[i]! >= 0 ? Math.log1p(charsBefore[i]! - charsBefore[proseAbove[i]! + 1]!) : -1));
  c.add('proseBelowChars', (i) => (proseBelow[i]! >= 0 ? Math.log1p(charsBefore[proseBelow[i]!]! - charsBefore[i + 1]!) : -1));

  // Structure of lists and runs (structure.ts).
  if (structureOptions.lists) {
    const structure = structureFeatures(stats, topic);
    return {stats, names: [...c.names, ...structure.names], columns: [...c.columns, ...structure.columns], block, keyCounts, firstOf};
  }
  return {stats, names: c.names, columns: c.columns, block, keyCounts, firstOf};
}

/**
 * Second-stage features: the first stage's scores around each line (stacking).
 *
 * @param page First-stage features.
 * @param p First-stage probability of boilerplate per item.
 * @returns Names and columns to append.
 */
export function contextFeatures(page: PageFeatures, p: Float32Array): {names: string[]; columns: Float32Array[]} {
  const {stats} = page;
  const n = stats.length;
  const c = new Columns(n);
  c.add('s_self', (i) => p[i]!);
  for (const d of [-4, -3, -2, -1, 1, 2, 3, 4]) c.shift(`s_${d < 0 ? `p${-d}` : `n${d}`}`, p, d);
  const wp = prefixOf(n, (i) => p[i]! * stats[i]!.chars);
  const w = prefixOf(n, (i) => stats[i]!.chars);
  const pp = prefixOf(n, (i) => p[i]!);
  for (const r of [2, 5, 10, 25]) {
    c.add(`s_w${r}_chars`, (i) => windowSum(wp, i, r)[0] / (windowSum(w, i, r)[0] || 1));
    c.window(`s_w${r}_mean`, pp, r, true);
  }
  // The content block by the first stage: the maximum-sum run of (0.5 − p) × length.
  const [as, ae] = maxRun(n, (i) => (0.5 - p[i]!) * stats[i]!.chars);
  c.add('s_inBlock', (i) => (as >= 0 && i >= as && i <= ae ? 1 : 0));
  c.add('s_blockOffset', (i) => (as < 0 ? 0 : i < as ? slog(i - as) : i > ae ? slog(i - ae) : 0));
  // Nearest content line above and below (p < 0.5) and how far.
  const above = new Int32Array(n).fill(-1);
  const below = new Int32Array(n).fill(-1);
  for (let i = 0, last = -1; i < n; i++) {
    above[i] = last;
    if (p[i]! < 0.5) last = i;
  }
  for (let i = n - 1, next = -1; i >= 0; i--) {
    below[i] = next;
    if (p[i]! < 0.5) next = i;
  }
  // Confident content above and below within ten lines (a line sandwiched in the story).
  const confident = prefixOf(n, (i) => (p[i]! < 0.3 ? stats[i]!.chars : 0));
  c.add('s_contentCharsAbove', (i) => Math.log1p(confident[i]! - confident[Math.max(0, i - 10)]!));
  c.add('s_contentCharsBelow', (i) => Math.log1p(confident[Math.min(n, i + 11)]! - confident[i + 1]!));
  c.add('s_contentAbove', (i) => (above[i]! >= 0 ? Math.log1p(i - above[i]!) : -1));
  c.add('s_contentBelow', (i) => (below[i]! >= 0 ? Math.log1p(below[i]! - i) : -1));
  let contentChars = 0;
  for (let i = 0; i < n; i++) if (p[i]! < 0.5) contentChars += stats[i]!.chars;
  c.add('s_contentChars', () => Math.log1p(contentChars));
  // Other copies of the same line.
  const copyMin = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = stats[i]!.key;
    copyMin.set(k, Math.min(copyMin.get(k) ?? 1, p[i]!));
  }
  const copySum = new Map<string, number>();
  for (let i = 0; i < n; i++) copySum.set(stats[i]!.key, (copySum.get(stats[i]!.key) ?? 0) + p[i]!);
  c.add('s_copyMean', (i) => {
    const k = page.keyCounts.get(stats[i]!.key)!;
    return k > 1 ? (copySum.get(stats[i]!.key)! - p[i]!) / (k - 1) : -1;
  });
  c.add('s_copyMin', (i) => (page.keyCounts.get(stats[i]!.key)! > 1 ? copyMin.get(stats[i]!.key)! : -1));
  // Long-range content mass above and below (structure.ts; off unless enabled).
  if (structureOptions.longRange) {
    const longRange = longRangeFeatures(stats, p);
    return {names: [...c.names, ...longRange.names], columns: [...c.columns, ...longRange.columns]};
  }
  return {names: c.names, columns: c.columns};
}

/**
 * Headline candidates and their features: the lines above the main block (up to 60, and the block's first two)
 * that could be the story's headline (2–30 words, no copy of an earlier line). A small model picks the most
 * likely one; that line is kept even when it looks like the chrome around it.
 *
 * @param page First-stage features.
 * @param p First-stage probability of boilerplate per item.
 * @returns Candidate item indices, feature names and columns (one row per candidate).
 */
export function headlineCandidates(page: PageFeatures, p: Float32Array): {items: number[]; names: string[]; columns: Float32Array[]} {
  const {stats, block, firstOf} = page;
  const n = stats.length;
  const [bs] = block;
  const items: number[] = [];
  // Without a block of prose (a short text), the candidates are the first lines.
  const anchor = bs >= 0 ? bs : Math.min(n - 1, 60);
  {
    for (let i = Math.max(0, anchor - 60); i <= Math.min(n - 1, anchor + 1); i++) {
      const s = stats[i]!;
      const words = Math.max(s.wordList.length, Math.round(s.cjk / 2));
      if (words >= 2 && words <= 30 && firstOf[i] === i) items.push(i);
    }
  }
  const m = items.length;
  const names = [...page.names, 'h_rank', 'h_dist', 'h_p1', 'h_p1Rank', 'h_candidates'];
  const all = new Float32Array(names.length * m);
  const columns = names.map((_, f) => all.subarray(f * m, (f + 1) * m));
  // Rank of each candidate by first-stage content score (most content-like first).
  const order = items.map((i, k) => [p[i]!, k] as const).sort((a, b) => a[0] - b[0]);
  const p1Rank = new Float32Array(m);
  order.forEach(([, k], r) => (p1Rank[k] = r));
  items.forEach((i, k) => {
    for (let f = 0; f < page.columns.length; f++) columns[f]![k] = page.columns[f]![i]!;
    const base = page.columns.length;
    columns[base]![k] = m - 1 - k;
    columns[base + 1]![k] = anchor - i;
    columns[base + 2]![k] = p[i]!;
    columns[base + 3]![k] = p1Rank[k]!;
    columns[base + 4]![k] = m;
  });
  return {items, names, columns};
}

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
import {longRangeFeatures, structureFeatures, structureOptions, type StructureOptions} from './structure.js';
import {doubled} from '../typed.js';
import {marginals, type Decoder} from './decode.js';

/**
 * The fixed HMMs of the page-structure columns (`hm_*`): the decoder's four states (chrome before the story, story,
 * chrome inside it, chrome after it), hand-set transitions, a page starting in the chrome before the story or in the
 * story and ending in the story or after it; emissions neutral at 0.5, at full and at half strength.
 */
const HMM_TRANS = [
  [0.97, 0.03, 0, 0],
  [0, 0.9, 0.07, 0.03],
  [0, 0.4, 0.6, 0],
  [0, 0.01, 0, 0.99],
].map((row) => row.map((x) => (x > 0 ? Math.log(x) : -1e9)));
const HMM_FEATURE: Decoder = {kind: 'posterior', boilerplate: [true, false, true, true], start: [Math.log(0.8), Math.log(0.2), -1e9, -1e9], end: [-1e9, Math.log(0.5), -1e9, Math.log(0.5)], trans: HMM_TRANS, prior: 0.5, gamma: 1, threshold: 0.5};
const HMM_FEATURE_WEAK: Decoder = {...HMM_FEATURE, gamma: 0.5};

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
const SENTENCE_RE = /[.?!。！？]["'”’)]*\s+(?=\S)/gu;
const COLON_END_RE = /:\s*$/;
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
  readonly words: string[] = [];
  readonly flags: number[] = [];
  /**
   * The words in an open-addressing table by a hash of their code units (FNV-1a), so that a line's words can be
   * looked up while it is scanned, without making a string for a word already seen (`wordsOf`).
   */
  private hashes: number[] = [];
  private table = new Int32Array(256).fill(-1);
  /** Ids of the words of the last `wordsOf` call. */
  lastIds = new Int32Array(64);
  /**
   * The id of a word (a new one for an unseen word).
   * @param w Word.
   * @returns Id.
   */
  idOf(w: string): number {
    let h = FNV_BASIS;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
    const {table, words, hashes} = this;
    const mask = table.length - 1;
    for (let at = h & mask, id = table[at]!; id >= 0; at = (at + 1) & mask, id = table[at]!) if (hashes[id] === h && words[id] === w) return id;
    return this.insert(w, h);
  }
  /**
   * The word tokens of a lower-cased line, as `WORD_RE` (or `ASCII_WORD_RE` on ASCII text) matches them, by table,
   * each given its id (in `lastIds`, in order), as `idOf` would in the same order. A word already seen is not cut
   * from the line: its string in `words` stands for it.
   *
   * @param lower Lower-cased text.
   * @returns Words, or undefined when a unit is outside the table (the words before it have their ids: the same
   *   ones, in the same order, as the expressions will find them).
   */
  wordsOf(lower: string): string[] | undefined {
    const out: string[] = [];
    const len = lower.length;
    const {words, hashes} = this;
    let i = 0;
    while (i < len) {
      const c = lower.charCodeAt(i);
      if (c >= TABLE_END) return undefined;
      if (CLASS_TABLE[c]! & C_WORD_START) {
        let h = Math.imul(FNV_BASIS ^ c, FNV_PRIME);
        let j = i + 1;
        for (; j < len; j++) {
          const d = lower.charCodeAt(j);
          if (d >= TABLE_END) return undefined;
          if (!(CLASS_TABLE[d]! & C_WORD_PART)) break;
          h = Math.imul(h ^ d, FNV_PRIME);
        }
        const table = this.table;
        const mask = table.length - 1;
        let at = h & mask;
        let id = table[at]!;
        while (id >= 0) {
          const w = words[id]!;
          if (hashes[id] === h && w.length === j - i && lower.startsWith(w, i)) break;
          at = (at + 1) & mask;
          id = table[at]!;
        }
        if (id < 0) id = this.insert(lower.slice(i, j), h);
        if (out.length === this.lastIds.length) this.lastIds = doubled(this.lastIds);
        this.lastIds[out.length] = id;
        out.push(words[id]!);
        i = j;
      } else i++;
    }
    return out;
  }
  /**
   * Add a new word.
   * @param w Word (not seen before).
   * @param h Its hash.
   * @returns Its id.
   */
  private insert(w: string, h: number): number {
    const id = this.words.length;
    this.words.push(w);
    this.hashes.push(h);
    const lexical = lexiconFlags(w, h);
    const stop = (lexical & W_STOP) !== 0;
    const cjkBigrams = w.length > 2 && hasCjk(w);
    this.flags.push(lexical | (cjkBigrams ? W_BIGRAMS : w.length >= 3 && !stop && !allDigits(w) ? W_TOPIC : 0));
    if (2 * this.words.length > this.table.length) {
      const table = new Int32Array(this.table.length * 2).fill(-1);
      const mask = table.length - 1;
      for (let k = 0; k < this.hashes.length; k++) {
        let at = this.hashes[k]! & mask;
        while (table[at]! >= 0) at = (at + 1) & mask;
        table[at] = k;
      }
      this.table = table;
    } else {
      const mask = this.table.length - 1;
      let at = h & mask;
      while (this.table[at]! >= 0) at = (at + 1) & mask;
      this.table[at] = id;
    }
    return id;
  }
}

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/**
 * Whether a word is all ASCII digits (as /^\d+$/; the word is not empty).
 * @param w Word.
 * @returns Whether it is.
 */
function allDigits(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return w.length > 0;
}

/**
 * The words of the lexicon (function words, chrome words, months, weekdays) with their flags, in a table by the
 * same hash as `PageWords`, so that a new word's flags are found without V8 hashing the new string.
 */
const LEXICON: {words: string[]; hashes: Int32Array; flags: Uint8Array; table: Int32Array} = (() => {
  const flags = new Map<string, number>();
  const mark = (set: ReadonlySet<string>, flag: number): void => set.forEach((w) => flags.set(w, (flags.get(w) ?? 0) | flag));
  mark(STOP_WORDS, W_STOP);
  mark(CHROME_WORDS, W_CHROME);
  mark(MONTHS, W_MONTH);
  mark(WEEKDAYS, W_WEEKDAY);
  const words = [...flags.keys()];
  let size = 64;
  while (size < 4 * words.length) size *= 2;
  const table = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(words.length);
  words.forEach((w, k) => {
    let h = FNV_BASIS;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
    hashes[k] = h;
    let at = h & (size - 1);
    while (table[at]! >= 0) at = (at + 1) & (size - 1);
    table[at] = k;
  });
  return {words, hashes, flags: Uint8Array.from(words, (w) => flags.get(w)!), table};
})();

/**
 * The lexicon flags of a word (`W_STOP`, `W_CHROME`, `W_MONTH`, `W_WEEKDAY`), as the sets of `lexicon.ts` give them.
 * @param w Word.
 * @param h Its hash.
 * @returns Flags.
 */
function lexiconFlags(w: string, h: number): number {
  const {words, hashes, flags, table} = LEXICON;
  const mask = table.length - 1;
  for (let at = h & mask, k = table[at]!; k >= 0; at = (at + 1) & mask, k = table[at]!) if (hashes[k] === h && words[k] === w) return flags[k]!;
  return 0;
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
  let wordIds: Int32Array | undefined;
  let key: string;
  if (inTable && !oddSpace) {
    words = spaceRuns + 1;
    const lower = text.toLowerCase();
    key = curly ? lineKey(text) : lower;
    const found = pageWords.wordsOf(lower);
    if (found) {
      wordList = found;
      wordIds = pageWords.lastIds.slice(0, found.length);
    } else wordList = (lower.match(WORD_RE) ?? []) as string[];
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
  if (!wordIds) {
    wordIds = new Int32Array(wordList.length);
    for (let k = 0; k < wordList.length; k++) wordIds[k] = pageWords.idOf(wordList[k]!);
  }
  const flags = pageWords.flags;
  for (let k = 0; k < wordList.length; k++) {
    const f = flags[wordIds[k]!]!;
    if (f & W_STOP) stop++;
    if (f & W_CHROME) chrome++;
  }
  const ellipsis = ELLIPSIS_RE.test(text);
  const terminal = !ellipsis && TERMINAL_RE.test(text);
  const endsColon = COLON_END_RE.test(text);
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

/** The columns of what a line carries, filled in one pass (`pageFeatures`), in this order. */
const LINE_COLUMNS: readonly string[] = [
  'logChars', 'relLen', 'relLenProse', 'tokens', 'words', 'meanWordLen', 'letterRatio', 'digitRatio', 'upperRatio', 'cjkRatio',
  'punctRatio', 'terminal', 'ellipsis', 'endsColon', 'stopRatio', 'docStopRatio', 'titleRatio', 'chromeWords', 'chromeRatio',
  'sentences', 'commas', 'startsLower', 'startsUpper', 'startsDigit', 'bullet', 'parenthesised', 'quoteMarks', 'url', 'email',
  'handleOrTag', 'separators', 'time', 'numDate', 'year', 'month', 'weekday', 'ago', 'currency', 'percent', 'comment', 'ctaStart',
  'credit', 'byline',
];

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
    const col = this.column(name);
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
    const col = this.column(name);
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
    const col = this.column(name);
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
  column(name: string): Float32Array {
    const n = this.n;
    if ((this.used + 1) * n > this.buffer.length) {
      this.buffer = new Float32Array(n * this.capacity);
      this.used = 0;
    }
    // (A view made with the constructor: `subarray` looks up the species constructor each time, which cost more
    // than the column's values on a short page.)
    const col = new Float32Array(this.buffer.buffer, this.buffer.byteOffset + this.used * n * 4, n);
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
 * space separators, line and paragraph separators, the byte-order mark); in the same pass it counts the commas
 * (`commaCount`).
 *
 * @param text Text.
 * @returns Count.
 */
function spacesIn(text: string): number {
  let k = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) k++;
    else if (c === 44) commas++;
    else if (c > 127) {
      if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) k++;
      else if (c === 0xff0c || c === 0x3001) commas++;
    }
  }
  commaCount = commas;
  return k;
}

/** How many commas (`,`, `，`, `、`, as /[,，、]/g counts them) the text of the last `spacesIn` call has. */
let commaCount = 0;

/**
 * The k most frequent words (ties: alphabetical), without sorting every word of the page. (The words are distinct
 * and the order strict, so the result does not depend on the order they are visited in.)
 *
 * @param words Words by id.
 * @param counts Count of each id.
 * @param k How many.
 * @returns Ids, most frequent first.
 */
function topWords(words: readonly string[], counts: Int32Array, k: number): number[] {
  const best: number[] = [];
  const before = (a: number, b: number): boolean => counts[a]! > counts[b]! || (counts[a] === counts[b] && words[a]! < words[b]!);
  for (let id = 0; id < words.length; id++) {
    if (best.length === k && !before(id, best[k - 1]!)) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(id);
    else best[at] = id;
    while (at > 0 && before(best[at]!, best[at - 1]!)) {
      [best[at - 1], best[at]] = [best[at]!, best[at - 1]!];
      at--;
    }
  }
  return best;
}

/**
 * A hash of three ids (multiplicative mixing; the high bits folded into the low ones, which index the table).
 * @param x First.
 * @param y Second.
 * @param z Third.
 * @returns Hash.
 */
function tripleHash(x: number, y: number, z: number): number {
  const h = Math.imul(Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d), 0x27d4eb2f);
  return h ^ (h >>> 16);
}

/**
 * The word 3-grams of a page: an open-addressing hash table of id triples; entry e holds the first eight lines
 * the 3-gram was counted in (`lines[8e..]`), how many lines counted it (`count`) and the last one (`last`).
 */
class Shingles {
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  count: Int32Array;
  last: Int32Array;
  lines: Int32Array;
  size = 0;
  private table: Int32Array;
  /**
   * @param expected How many entries the page can have at most (the arrays grow past it anyway): sized to it, a
   *   small page does not fill and clear tables made for a big one.
   */
  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected && cap < 1024) cap *= 2;
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.c = new Int32Array(cap);
    this.count = new Int32Array(cap);
    this.last = new Int32Array(cap);
    this.lines = new Int32Array(8 * cap);
    this.table = new Int32Array(2 * cap).fill(-1);
  }
  /**
   * The entry of a 3-gram (a new, empty one when unseen).
   * @param x First word id.
   * @param y Second.
   * @param z Third.
   * @returns Entry.
   */
  entry(x: number, y: number, z: number): number {
    let mask = this.table.length - 1;
    const h = tripleHash(x, y, z);
    let at = h & mask;
    for (let e = this.table[at]!; e >= 0; at = (at + 1) & mask, e = this.table[at]!) if (this.a[e] === x && this.b[e] === y && this.c[e] === z) return e;
    const e = this.size++;
    if (e === this.a.length) this.grow();
    this.a[e] = x;
    this.b[e] = y;
    this.c[e] = z;
    if (2 * this.size > this.table.length) {
      this.rehash();
      mask = this.table.length - 1;
      at = h & mask;
      while (this.table[at]! >= 0) at = (at + 1) & mask;
    }
    this.table[at] = e;
    return e;
  }
  /**
   * Count entry e in line i.
   * @param e Entry.
   * @param i Line.
   * @returns Nothing.
   */
  add(e: number, i: number): void {
    const k = this.count[e]!;
    if (k < 8) this.lines[e * 8 + k] = i;
    this.count[e] = k + 1;
    this.last[e] = i;
  }
  /** Double the entries' arrays. */
  private grow(): void {
    this.a = doubled(this.a);
    this.b = doubled(this.b);
    this.c = doubled(this.c);
    this.count = doubled(this.count);
    this.last = doubled(this.last);
    this.lines = doubled(this.lines);
  }
  /** Double the table and place the entries again. */
  private rehash(): void {
    const table = new Int32Array(2 * this.table.length).fill(-1);
    const mask = table.length - 1;
    for (let e = 0; e < this.size; e++) {
      let at = tripleHash(this.a[e]!, this.b[e]!, this.c[e]!) & mask;
      while (table[at]! >= 0) at = (at + 1) & mask;
      table[at] = e;
    }
    this.table = table;
  }
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
export function pageFeatures(text: string, lines: readonly LineInfo[], structure: StructureOptions = structureOptions): PageFeatures {
  const stats: LineStats[] = [];
  const pageWords = new PageWords();
  for (const info of lines) {
    const raw = text.slice(info.start, info.end).trim();
    if (raw) stats.push(statsOf(raw, info.index, pageWords));
  }
  const n = stats.length;

  // Repetition inside the page.
  // One look-up per item: each key is represented by its first item, which holds the key's count and last item.
  const firstIndex = new Map<string, number>();
  const firstOf = new Int32Array(n);
  const countAt = new Int32Array(n);
  const lastAt = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = stats[i]!.key;
    let f = firstIndex.get(k);
    if (f === undefined) {
      f = i;
      firstIndex.set(k, i);
    }
    firstOf[i] = f;
    countAt[f] = countAt[f]! + 1;
    lastAt[f] = i;
  }
  const keyCounts = new Map<string, number>();
  for (let i = 0; i < n; i++) if (firstOf[i] === i) keyCounts.set(stats[i]!.key, countAt[i]!);
  /** How many times item i's key occurs in the page. */
  const countOf = new Int32Array(n);
  for (let i = 0; i < n; i++) countOf[i] = countAt[firstOf[i]!]!;

  // Word 3-gram shingles: how much of a line occurs in other lines (captions and standfirsts repeating a paragraph,
  // teasers of this same story, a headline inside a breadcrumb).
  // Each distinct 3-gram (three word ids) is one entry of a hash table: the first eight lines it occurs in, and the
  // last line that counted it (so a line counts each of its 3-grams once, in the order of first occurrence in the
  // line). A line's distinct 3-grams are listed, in that order, in `distinct` from `distinctStart[i]`.
  let grams = 0;
  for (let i = 0; i < n; i++) grams += Math.max(0, stats[i]!.wordIds.length - 2);
  const sh = new Shingles(grams);
  const distinctStart = new Int32Array(n + 1);
  let distinct = new Int32Array(256);
  let nd = 0;
  for (let i = 0; i < n; i++) {
    const ids = stats[i]!.wordIds;
    distinctStart[i] = nd;
    if (nd + ids.length > distinct.length) {
      const grown = new Int32Array(2 * (nd + ids.length));
      grown.set(distinct.subarray(0, nd));
      distinct = grown;
    }
    for (let j = 0; j + 2 < ids.length; j++) {
      const e = sh.entry(ids[j]!, ids[j + 1]!, ids[j + 2]!);
      if (sh.count[e] === 0) {
        sh.add(e, i);
        distinct[nd++] = e;
      } else if (sh.last[e] !== i) {
        sh.add(e, i);
        distinct[nd++] = e;
      }
    }
  }
  distinctStart[n] = nd;
  /** For item i: the share of its shingles found in one other (distinct-key) line, and that line. */
  const overlap = new Float32Array(n);
  const overlapWith = new Int32Array(n).fill(-1);
  // Hits per other line, and the lines hit in the order of their first hit (a Map's order).
  const hitCount = new Int32Array(n);
  const hitOrder: number[] = [];
  const {count: shCount, lines: shLines} = sh;
  for (let i = 0; i < n; i++) {
    // (Three words or more give one 3-gram per word after the second; fewer than two 3-grams are skipped.)
    if (stats[i]!.wordIds.length < 4) continue;
    const d0 = distinctStart[i]!;
    const d1 = distinctStart[i + 1]!;
    const first = firstOf[i]!;
    for (let d = d0; d < d1; d++) {
      const e = distinct[d]!;
      const m = Math.min(shCount[e]!, 8);
      for (let q = 0; q < m; q++) {
        const j = shLines[e * 8 + q]!;
        if (j !== i && firstOf[j] !== first) {
          if (hitCount[j] === 0) hitOrder.push(j);
          hitCount[j] = hitCount[j]! + 1;
        }
      }
    }
    let best = 0;
    for (const j of hitOrder) {
      const share = hitCount[j]! / (d1 - d0);
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
  const isTop = new Uint8Array(pageWords.words.length);
  for (const id of topWords(pageWords.words, counts, 30)) isTop[id] = 1;
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
    if (countOf[i]! > 1) {
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

  // Prefix sums for the windows, in one pass (each array still sums its values in item order).
  const logChars = new Float64Array(n + 1);
  const proseP = new Float64Array(n + 1);
  const shortP = new Float64Array(n + 1);
  const proseCharsP = new Float64Array(n + 1);
  const titleNextLong = new Float64Array(n + 1);
  const ellipsisP = new Float64Array(n + 1);
  const terminalP = new Float64Array(n + 1);
  const chromeP = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const s = stats[i]!;
    logChars[i + 1] = logChars[i]! + Math.log1p(s.chars);
    proseP[i + 1] = proseP[i]! + (s.prose ? 1 : 0);
    shortP[i + 1] = shortP[i]! + (s.short ? 1 : 0);
    proseCharsP[i + 1] = proseCharsP[i]! + (s.prose ? s.chars : 0);
    titleNextLong[i + 1] = titleNextLong[i]! + (s.titleLike && (i + 1 < n ? stats[i + 1]!.wordList.length : 0) >= 10 ? 1 : 0);
    ellipsisP[i + 1] = ellipsisP[i]! + (s.ellipsis ? 1 : 0);
    terminalP[i + 1] = terminalP[i]! + (s.terminal ? 1 : 0);
    chromeP[i + 1] = chromeP[i]! + (s.chromeCount > 0 && s.wordList.length <= 8 ? 1 : 0);
  }

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
  // The line itself: one pass over the lines fills these columns, in this order (a call per line and column cost
  // more than most of the values).
  const own = LINE_COLUMNS.map((name) => c.column(name));
  const wordFlags = pageWords.flags;
  for (let i = 0; i < n; i++) {
    const s = stats[i]!;
    const text = s.text;
    const nw = s.wordList.length;
    const lc = Math.log1p(s.chars);
    const ids = s.wordIds;
    let months = 0;
    let weekday = 0;
    for (let j = 0; j < ids.length; j++) {
      const fl = wordFlags[ids[j]!]!;
      if (fl & W_MONTH) months++;
      if (fl & W_WEEKDAY) weekday = 1;
    }
    const digit = s.digits > 0;
    const spaces = spacesIn(text);
    const commas = commaCount;
    let f = 0;
    own[f++]![i] = lc; // logChars
    own[f++]![i] = lc - medianLog; // relLen
    own[f++]![i] = blockProseLog ? lc - blockProseLog : 0; // relLenProse
    own[f++]![i] = Math.min(s.tokens, 400); // tokens
    own[f++]![i] = Math.min(nw, 300); // words
    own[f++]![i] = nw ? s.letters / nw : 0; // meanWordLen
    own[f++]![i] = s.letters / s.chars; // letterRatio
    own[f++]![i] = s.digits / s.chars; // digitRatio
    own[f++]![i] = s.letters ? s.upper / s.letters : 0; // upperRatio
    own[f++]![i] = s.cjk / s.chars; // cjkRatio
    own[f++]![i] = (s.chars - s.letters - s.digits - spaces) / s.chars; // punctRatio
    own[f++]![i] = +s.terminal; // terminal
    own[f++]![i] = +s.ellipsis; // ellipsis
    own[f++]![i] = +s.endsColon; // endsColon
    own[f++]![i] = s.stopRatio; // stopRatio
    own[f++]![i] = docStop[i]!; // docStopRatio
    own[f++]![i] = s.titleRatio; // titleRatio
    own[f++]![i] = s.chromeCount; // chromeWords
    own[f++]![i] = nw ? s.chromeCount / nw : 0; // chromeRatio
    own[f++]![i] = Math.min((text.match(SENTENCE_RE)?.length ?? 0) + (s.terminal ? 1 : 0), 20); // sentences
    own[f++]![i] = Math.min(commas, 20); // commas
    own[f++]![i] = +LOWER_START_RE.test(text); // startsLower
    own[f++]![i] = +UPPER_START_RE.test(text); // startsUpper
    own[f++]![i] = +DIGIT_START_RE.test(text); // startsDigit
    own[f++]![i] = +BULLET_RE.test(text); // bullet
    own[f++]![i] = +PAREN_RE.test(text); // parenthesised
    own[f++]![i] = +QUOTE_RE.test(text); // quoteMarks
    own[f++]![i] = +(URL_HINT_RE.test(text) && URL_RE.test(text)); // url
    own[f++]![i] = +(text.includes('@') && EMAIL_RE.test(text)); // email
    own[f++]![i] = +(HANDLE_RE.test(text) || HASHTAG_RE.test(text)); // handleOrTag
    own[f++]![i] = SEPARATOR_CHAR_RE.test(text) ? Math.min(text.match(SEPARATOR_RE)?.length ?? 0, 10) : 0; // separators
    // Expressions that need a digit are tried only on lines with one.
    own[f++]![i] = +(digit && TIME_RE.test(text)); // time
    own[f++]![i] = +(digit && NUMDATE_RE.test(text)); // numDate
    own[f++]![i] = +(digit && YEAR_RE.test(text)); // year
    own[f++]![i] = months; // month
    own[f++]![i] = weekday; // weekday
    own[f++]![i] = +(digit && AGO_RE.test(text)); // ago
    own[f++]![i] = +(digit && CURRENCY_RE.test(text)); // currency
    own[f++]![i] = +(text.includes('%') && PERCENT_RE.test(text)); // percent
    own[f++]![i] = comment[i]!; // comment
    own[f++]![i] = +CTA_START_RE.test(text); // ctaStart
    own[f++]![i] = +CREDIT_RE.test(text); // credit
    own[f++]![i] = +BYLINE_RE.test(text); // byline
  }
  {
    const bits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const pats = stats[i]!.patterns;
      if (pats.size > 0) PATTERN_CATEGORIES.forEach((cat, b) => (bits[i] = bits[i]! | (pats.has(cat) ? 1 << b : 0)));
    }
    PATTERN_CATEGORIES.forEach((cat, b) => c.add(`pattern_${cat}`, (i) => (bits[i]! >> b) & 1));
  }
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
  c.add('repeats', (i) => Math.min(countOf[i]! - 1, 30));
  c.add('earlierCopy', (i) => +(firstOf[i]! < i));
  c.add('laterCopy', (i) => +(lastAt[firstOf[i]!]! > i));
  c.add('copyDistance', (i) => (firstOf[i]! < i ? slog(i - firstOf[i]!) : 0));
  c.add('overlap', (i) => overlap[i]!);
  c.add('overlapLonger', (i) => (overlapWith[i]! >= 0 ? Math.log((stats[overlapWith[i]!]!.chars + 1) / (stats[i]!.chars + 1)) : 0));
  c.add('overlapBefore', (i) => (overlapWith[i]! >= 0 ? (overlapWith[i]! < i ? 1 : -1) : 0));
  c.add('overlapInBlock', (i) => (overlapWith[i]! >= 0 && bs >= 0 && overlapWith[i]! >= bs && overlapWith[i]! <= be ? 1 : 0));
  const inBlockCounts = new Map<string, number>();
  if (bs >= 0) for (let j = bs; j <= be; j++) inBlockCounts.set(stats[j]!.key, (inBlockCounts.get(stats[j]!.key) ?? 0) + 1);
  c.add('copyInBlock', (i) => {
    const k = stats[i]!.key;
    if (countOf[i]! < 2 || bs < 0) return 0;
    const others = (inBlockCounts.get(k) ?? 0) - (i >= bs && i <= be ? 1 : 0);
    return others > 0 ? 1 : -1;
  });
  // (No absolute position in the page and no page-wide constants: they let the trees tell pages apart rather than
  // lines, and cross-validation by site was better without them.)
  // Neighbours (non-blank lines), ±1..±3: each fact computed once per item, then shifted.
  const nLogChars = new Float64Array(n);
  const nWords = new Float64Array(n);
  const nTerminal = new Float64Array(n);
  const nStopRatio = new Float64Array(n);
  const nEllipsis = new Float64Array(n);
  const nTitleRatio = new Float64Array(n);
  const nChrome = new Float64Array(n);
  const nRepeats = new Float64Array(n);
  const nPattern = new Float64Array(n);
  const nDigitRatio = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = stats[i]!;
    nLogChars[i] = Math.log1p(s.chars);
    nWords[i] = Math.min(s.wordList.length, 100);
    nTerminal[i] = +s.terminal;
    nStopRatio[i] = s.stopRatio;
    nEllipsis[i] = +s.ellipsis;
    nTitleRatio[i] = s.titleRatio;
    nChrome[i] = s.chromeCount;
    nRepeats[i] = Math.min(countOf[i]! - 1, 30);
    nPattern[i] = +(s.patterns.size > 0);
    nDigitRatio[i] = s.digits / s.chars;
  }
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
  if (structure.lists) {
    const structure = structureFeatures(stats, topic);
    return {stats, names: c.names.concat(structure.names), columns: c.columns.concat(structure.columns), block, keyCounts, firstOf};
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
export function contextFeatures(page: PageFeatures, p: Float32Array, structure: StructureOptions = structureOptions): {names: string[]; columns: Float32Array[]} {
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
  // (Per key, held at the key's first item `firstOf`; the same sums in the same order as per key.)
  const {firstOf} = page;
  const copyMin = new Float64Array(n);
  const copySum = new Float64Array(n);
  const copies = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const f = firstOf[i]!;
    copyMin[f] = Math.min(copies[f] ? copyMin[f]! : 1, p[i]!);
    copySum[f] = copySum[f]! + p[i]!;
    copies[f] = copies[f]! + 1;
  }
  c.add('s_copyMean', (i) => {
    const k = copies[firstOf[i]!]!;
    return k > 1 ? (copySum[firstOf[i]!]! - p[i]!) / (k - 1) : -1;
  });
  c.add('s_copyMin', (i) => (copies[firstOf[i]!]! > 1 ? copyMin[firstOf[i]!]! : -1));
  // Where the line stands in the page's structure: a fixed four-state HMM (chrome before the story, story, chrome
  // inside it, chrome after it) over the first stage's probabilities, its posterior of each state (decode.ts).
  if (structure.hmm) {
    for (const [tag, d] of [['', HMM_FEATURE], ['w', HMM_FEATURE_WEAK]] as const) {
      const m = marginals(p, d);
      c.add(`hm_${tag}before`, (i) => m[i * 4]!);
      c.add(`hm_${tag}inside`, (i) => m[i * 4 + 2]!);
      c.add(`hm_${tag}after`, (i) => m[i * 4 + 3]!);
      c.add(`hm_${tag}b`, (i) => m[i * 4]! + m[i * 4 + 2]! + m[i * 4 + 3]!);
    }
  }
  // Long-range content mass above and below (structure.ts; off unless enabled).
  if (structure.longRange) {
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
  const columns = names.map((_, f) => new Float32Array(all.buffer, f * m * 4, m));
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

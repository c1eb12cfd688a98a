/**
 * Hostile text for the property tests: random text built from the pieces that break text tools (line endings of
 * every kind, a BOM, NUL and other control characters, astral characters, combining marks, lone surrogates,
 * unbalanced quotes of every style, right-to-left and CJK script), and real text (the seed samples, our samples,
 * windows of the dev sets read at test time, never copied) mutated with the same pieces.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {OWN_SAMPLES, SHARED, SHARED_SAMPLES, readText, textFiles} from '../helpers.js';

/** Pieces of hostile text, by family. */
export const PIECES = {
  newline: ['\n', '\r\n', '\r', '\n\n', '\r\r\n', '\n\r'],
  unicodeBreak: ['\u2028', '\u2029', '\u0085', '\u000B', '\u000C'],
  bom: ['\uFEFF'],
  control: ['\u0000', '\u0001', '\u0007', '\u0008', '\u001B', '\u007F', '\t', '\u200B', '\u200D', '\u2060', '\uFFFD', '\uFFFF'],
  astral: ['😀', '🚀', '𝒳', '𠜎', '🇹🇷', '👩‍👩‍👧', '🏳️‍🌈', '\u{10FFFF}', '𓂀'],
  combining: ['e\u0301', '\u0301', '\u0300\u0301\u0302', 'a\u20DD', 'Z\u0335\u0336\u0337', 'ñ', 'n\u0303'],
  lone: ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'],
  quote: ['"', '“', '”', '‘', '’', "'", '«', '»', '„', '‟', '‹', '›', '「', '」', '『', '』', '""', '“”', '‘’'],
  rtl: ['مرحبا بالعالم', 'قال الوزير', 'שלום עולם', 'אמר השר', '\u200F', '\u200E', '\u202E', '\u202B', '\u2066', '\u2069'],
  cjk: ['中文新闻', '新华社报道', '東京', '한국어 뉴스', 'ニュース', '。', '、', '，', '：', '！', '？'],
  word: ['the', 'said', 'says', 'told', 'according to', 'he', 'she', 'Top Stories', 'newsletter', 'Sign up', 'Share', '©', 'Reuters', 'Turkey', 'U.S.', 'Dr.', 'Mr.', 'minister', 'January', '2024', '$5', '10%', '3 km', '…', '...', 'Ibrahim Kalin', 'Ana Pereira', 'NATO', 'Read more', 'Photo:', 'By'],
  punct: ['.', ',', ';', ':', '!', '?', '-', '—', '(', ')', '[', ']', '/', '\\', '*', '#', '@', '&', '%'],
  space: [' ', '  ', '\t', '\u00A0', '\u3000', '\u2009'],
} as const;

type Family = keyof typeof PIECES;

const FAMILY_WEIGHTS: Array<[Family, number]> = [
  ['word', 30],
  ['space', 20],
  ['punct', 8],
  ['quote', 8],
  ['newline', 10],
  ['astral', 3],
  ['combining', 3],
  ['control', 3],
  ['rtl', 3],
  ['cjk', 3],
  ['unicodeBreak', 1],
  ['bom', 1],
  ['lone', 1],
];

/** One hostile piece. */
export const piece: fc.Arbitrary<string> = fc.oneof(
  ...FAMILY_WEIGHTS.map(([family, weight]) => ({arbitrary: fc.constantFrom(...PIECES[family]), weight})),
  {arbitrary: fc.string({unit: 'grapheme', maxLength: 4}), weight: 4},
  {arbitrary: fc.string({unit: 'binary', maxLength: 3}), weight: 2},
  {arbitrary: fc.stringMatching(/^[A-Z][a-z]{1,8}$/), weight: 8},
);

/** Random hostile text: up to `maxPieces` pieces. */
export const hostileText = (maxPieces = 80): fc.Arbitrary<string> => fc.array(piece, {maxLength: maxPieces}).map((parts) => parts.join(''));

/** Text made of lines (so that line-level analysis has something to work on), each line hostile. */
export const hostileLines = (maxLines = 25): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(hostileText(12), fc.constantFrom('\n', '\r\n', '\r', '')), {maxLength: maxLines})
    .map((rows) => rows.map(([line, end]) => line + end).join(''));

/** Only valid UTF-8-encodable text (no lone surrogates): what a file on disk can hold. */
export const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

let corpus: string[] | undefined;

/**
 * The real texts the mutations start from: seed samples, our samples, and up to `perSet` documents of each dev set
 * (read at test time from ../shared/data, which stays outside the repository).
 * @param perSet Documents per dev set.
 * @returns Texts.
 */
export function realTexts(perSet = 25): string[] {
  if (corpus) return corpus;
  const texts = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText);
  const data = path.join(SHARED, 'data');
  for (const set of ['boilerplate/dev.jsonl', 'quotes/dev.jsonl']) {
    const file = path.join(data, set);
    if (!fs.existsSync(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const step = Math.max(1, Math.floor(lines.length / perSet));
    for (let i = 0; i < lines.length && texts.length < 8 + perSet * 2; i += step) {
      const text = (JSON.parse(lines[i]!) as {text?: string}).text;
      if (typeof text === 'string' && text.length > 0) texts.push(text);
    }
  }
  const conll = path.join(data, 'ner', 'dev.conll');
  if (fs.existsSync(conll)) {
    // CoNLL documents, tokens joined by spaces and sentences by newlines.
    const docs = fs.readFileSync(conll, 'utf8').split(/^-DOCSTART-.*$/m).slice(1, 1 + perSet);
    for (const doc of docs) {
      const sentences = doc.trim().split(/\n\s*\n/).map((s) => s.split('\n').map((l) => l.split(' ')[0]).join(' '));
      texts.push(sentences.join('\n'));
    }
  }
  corpus = texts;
  return texts;
}

/** A mutation of a text: one kind of hostile change. */
export type Mutation =
  | {kind: 'crlf' | 'cr' | 'mixed-endings' | 'bom' | 'strip-quotes' | 'no-final-newline'}
  | {kind: 'insert'; at: number; text: string}
  | {kind: 'delete'; at: number; length: number}
  | {kind: 'duplicate-line'; at: number; times: number}
  | {kind: 'cut'; at: number};

/** Random mutations. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<Mutation>({kind: 'crlf'}, {kind: 'cr'}, {kind: 'mixed-endings'}, {kind: 'bom'}, {kind: 'strip-quotes'}, {kind: 'no-final-newline'}),
  fc.record({kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(piece, hostileText(6))}),
  fc.record({kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...PIECES.quote, ...PIECES.control, ...PIECES.lone, ...PIECES.astral)}),
  fc.record({kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({min: 1, max: 40})}),
  fc.record({kind: fc.constant('duplicate-line' as const), at: fc.nat(), times: fc.integer({min: 1, max: 5})}),
  fc.record({kind: fc.constant('cut' as const), at: fc.nat()}),
);

/**
 * Apply one mutation.
 * @param text Text.
 * @param m Mutation.
 * @returns Mutated text.
 */
export function mutate(text: string, m: Mutation): string {
  const at = (n: number): number => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'crlf':
      return text.replace(/\r\n|\r|\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r\n|\r|\n/g, '\r');
    case 'mixed-endings': {
      let i = 0;
      return text.replace(/\r\n|\r|\n/g, () => ['\n', '\r\n', '\r'][i++ % 3]!);
    }
    case 'bom':
      return `\uFEFF${text}`;
    case 'strip-quotes':
      // Unbalance the quotes: drop every other closing mark.
      {
        let i = 0;
        return text.replace(/[”’»"]/g, (q) => (i++ % 2 === 0 ? '' : q));
      }
    case 'no-final-newline':
      return text.replace(/[\r\n]+$/, '');
    case 'insert': {
      const i = at(m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'delete': {
      const i = at(m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'duplicate-line': {
      const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
      if (lines.length === 0) return text;
      const i = m.at % lines.length;
      lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i]!.endsWith('\n') || lines[i]!.endsWith('\r') ? lines[i]! : `${lines[i]!}\n`));
      return lines.join('');
    }
    case 'cut':
      return text.slice(0, at(m.at));
  }
}

/**
 * A window of a real text, mutated: up to `maxWindow` UTF-16 units starting anywhere (so it may begin or end inside
 * a surrogate pair), then 1 to 6 mutations.
 * @param maxWindow Longest window.
 * @returns Arbitrary of texts.
 */
export const mutatedRealText = (maxWindow = 1500): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(), fc.nat(), fc.integer({min: 0, max: maxWindow}), fc.array(mutation, {minLength: 1, maxLength: 6}))
    .map(([which, from, length, mutations]) => {
      const texts = realTexts();
      const source = texts[which % texts.length]!;
      const start = source.length > length ? from % (source.length - length + 1) : 0;
      return mutations.reduce(mutate, source.slice(start, start + length));
    });

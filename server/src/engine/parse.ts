/**
 * A faster nlcst parser for unified: `retext-english`'s parser (parse-english), run block by block.
 *
 * parse-english tokenises the whole text into one flat list and runs its merge plugins over that list, then over
 * one "paragraph" holding every sentence of the text. The plugins splice those arrays, so the parse is quadratic in
 * the size of the document: 1 MB of news text in one file takes seconds (docs/performance.md). This parser cuts the
 * text where parse-english always ends a paragraph anyway, at white space that holds a blank line, parses each block
 * with parse-english itself and joins the blocks. The tree is the same as retext-english's, node for node and
 * position for position (test/parse.test.ts checks it on the samples, the dev texts and random texts).
 *
 * It also replaces parse-english's tokeniser, which tests three large Unicode regular expressions on every
 * character, with a table of each UTF-16 code unit's class. The table is filled lazily by asking parse-english's
 * own tokeniser about each code unit the first time it is seen, so the classes are parse-english's by construction.
 *
 * Optional and last resort: `maxBlock` also cuts a block larger than that many characters at line ends. Then a
 * sentence never runs on across a line end inside such a block, where retext-english lets one run on when no full
 * stop ends the line. Tokens are unchanged; the analysers already treat a line end as a sentence end.
 *
 * Usage: `unified().use(siftParse)` in place of `unified().use(retextEnglish)`.
 */
import {ParseEnglish} from 'parse-english';
import type {Root, RootContent, SentenceContent, WhiteSpace} from 'nlcst';
import type {Processor} from 'unified';

/** Options of the parser. */
export interface SiftParseOptions {
  /**
   * Cut blocks longer than this many characters also at line ends (see the module comment). Default: never, so
   * that the tree is exactly retext-english's.
   */
  maxBlock?: number;
}

/** A unist point. */
interface Point {
  line: number;
  column: number;
  offset: number;
}

const WHITE = 1;
const PUNCT = 2;
const WORD = 3;
const SYMBOL = 4;
const TYPE_OF_CLASS = ['', 'WhiteSpaceNode', 'PunctuationNode', 'WordNode', 'SymbolNode'] as const;

/** Class of each UTF-16 code unit as parse-english sees it; 0 = not asked yet. */
const classes = new Uint8Array(65536);
const probe = new ParseEnglish();
const baseTokenize = ParseEnglish.prototype.tokenize;

/**
 * The class of a code unit, asking parse-english's tokeniser the first time.
 *
 * @param code UTF-16 code unit.
 * @returns Class (WHITE, PUNCT, WORD or SYMBOL).
 */
function classOf(code: number): number {
  let cls = classes[code]!;
  if (cls === 0) {
    const type = baseTokenize.call(probe, String.fromCharCode(code))[0]!.type;
    cls = type === 'WhiteSpaceNode' ? WHITE : type === 'PunctuationNode' ? PUNCT : type === 'WordNode' ? WORD : SYMBOL;
    classes[code] = cls;
  }
  return cls;
}

/** parse-english with a table-driven tokeniser that can start at any point of a larger text. */
class BlockParser extends ParseEnglish {
  /** Where the text given to `tokenize` starts in the whole document. */
  origin: Point = {line: 1, column: 1, offset: 0};

  /**
   * Same nodes as parse-latin's `tokenize` (same types, values, positions and shared point objects), faster.
   *
   * @param value Text of one block.
   * @returns Sentence content.
   */
  override tokenize(value?: string | null): SentenceContent[] {
    const children: SentenceContent[] = [];
    if (!value) return children;
    let {line, column, offset} = this.origin;
    let from = 0;
    let start: Point = {line, column, offset};
    let previousClass = 0;
    let previousCode = -1;
    const length = value.length;
    for (let index = 0; index < length; index++) {
      const code = value.charCodeAt(index);
      const cls = classes[code] || classOf(code);
      // A new node starts unless a word or white space continues, or the same mark (or a surrogate) repeats.
      if (from < index && previousClass !== 0 && !(previousClass === cls && (cls === WORD || cls === WHITE || code === previousCode || (code >= 0xd800 && code <= 0xdfff)))) {
        children.push(node(previousClass, value.slice(from, index), start, line, column, offset));
        from = index;
        start = {line, column, offset};
      }
      if (code === 13 || (code === 10 && previousCode !== 13)) {
        line++;
        column = 1;
      } else if (code !== 10) {
        column++;
      }
      offset++;
      previousClass = cls;
      previousCode = code;
    }
    if (previousClass !== 0 && from < length) children.push(node(previousClass, value.slice(from), start, line, column, offset));
    return children;
  }
}

/**
 * Make a node exactly as parse-latin's `createNode` does.
 *
 * @param cls Class.
 * @param value Text.
 * @param start Start point (shared by a word and its text node, as in parse-latin).
 * @param line End line.
 * @param column End column.
 * @param offset End offset.
 * @returns Node.
 */
function node(cls: number, value: string, start: Point, line: number, column: number, offset: number): SentenceContent {
  if (cls === WORD) {
    return {
      type: 'WordNode',
      children: [{type: 'TextNode', value, position: {start, end: {line, column, offset}}}],
      position: {start, end: {line, column, offset}},
    };
  }
  return {type: TYPE_OF_CLASS[cls], value, position: {start, end: {line, column, offset}}} as SentenceContent;
}

/** White space that parse-english turns into a paragraph break: spaces, tabs and at least two line breaks. */
const BLANK = /[ \t]*(?:(?:\r\n|\n|\r)[ \t]*){2,}/g;
/** White space with exactly one line break (for `maxBlock`). */
const LINE_BREAK = /[ \t]*(?:\r\n|\n|\r)[ \t]*/g;

/**
 * Where to cut: maximal white-space runs (in parse-english's sense) matched by `pattern`, away from the ends.
 *
 * @param text Text.
 * @param pattern Global pattern of a separator.
 * @param from Start of the stretch to search.
 * @param to End of the stretch.
 * @returns `[start, end]` of each separator, in order.
 */
function separators(text: string, pattern: RegExp, from: number, to: number): Array<[number, number]> {
  const cuts: Array<[number, number]> = [];
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m && m.index < to; m = pattern.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end > to) break;
    // Count line breaks as parse-english does (`\r\n` is one): the pattern may have backtracked into `\r` + `\n`.
    if (pattern === BLANK && m[0].split(/\r\n|\r|\n/).length < 3) continue;
    // The run must be the whole white-space node: no other white space (no-break space, form feed, …) around it.
    if (start > from && end < to && classOf(text.charCodeAt(start - 1)) !== WHITE && classOf(text.charCodeAt(end)) !== WHITE && closesSentence(text, from, start) && opensSentence(text, end, to)) cuts.push([start, end]);
  }
  return cuts;
}

/** Characters of parse-english's terminal markers. */
const TERMINAL = /[!.?\u2026\u203D]/;
/** Closing marks that parse-english moves into the sentence before them. */
const CLOSING = /["')\]}\u2019\u201D\u00BB]/;

/**
 * Does the text before a separator end in a way that parse-english keeps apart from what follows? Its last
 * sentence must hold a word or be nothing but the closing marks after a full stop; a last "sentence" of bare
 * punctuation (`“` or `:` after a full stop) would otherwise join the next block's first sentence.
 *
 * @param text Text.
 * @param from Start of the stretch.
 * @param at Offset of the separator.
 * @returns Whether a cut here yields retext-english's tree.
 */
function closesSentence(text: string, from: number, at: number): boolean {
  for (let i = at - 1; i >= from && i >= at - 200; i--) {
    if (classOf(text.charCodeAt(i)) === WORD) return true;
    if (TERMINAL.test(text[i]!)) {
      for (let j = i + 1; j < at; j++) if (!CLOSING.test(text[j]!)) return false;
      return true;
    }
  }
  return false;
}

/**
 * Does the text after a separator start a sentence that parse-english keeps apart from the sentence before it?
 * Otherwise it merges the two (a sentence without words, or one opening with a lower-case word, a comma or a
 * semicolon, joins the previous one) and may then treat the previous sentence's full stop as part of its last word
 * ("bar." in "Foo bar.\n\n___."), so the text must not be cut there.
 *
 * @param text Text.
 * @param at Offset just after the separator.
 * @param to End of the stretch.
 * @returns Whether a cut here yields retext-english's tree.
 */
function opensSentence(text: string, at: number, to: number): boolean {
  const code = text.charCodeAt(at);
  const cls = classOf(code);
  if (cls === WORD) {
    if (code >= 48 && code <= 57) return true;
    const char = text[at]!;
    return char.toLowerCase() !== char;
  }
  if (cls === WHITE || code === 44 /* , */ || code === 59 /* ; */) return false;
  // Punctuation or a symbol (an opening quote, a dash): the sentence must hold a word before it ends.
  for (let i = at; i < to && i < at + 200; i++) {
    if (classOf(text.charCodeAt(i)) === WORD) return true;
    if (TERMINAL.test(text[i]!)) return false;
  }
  return false;
}

/**
 * The point of an offset, counting lines the way parse-latin does (`\r\n`, `\n` and `\r` each end a line).
 *
 * @param text Text.
 * @param from A known point at or before the offset.
 * @param offset Target offset.
 * @returns Point.
 */
function advance(text: string, from: Point, offset: number): Point {
  let {line, column} = from;
  for (let i = from.offset; i < offset; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 || (code === 10 && (i === 0 || text.charCodeAt(i - 1) !== 13))) {
      line++;
      column = 1;
    } else if (code !== 10) column++;
  }
  return {line, column, offset};
}

/**
 * Where `parseText` cuts a text: the white space between its blocks.
 *
 * @param text The document.
 * @param options Options.
 * @returns `[start, end]` offsets of each separator, in order.
 */
export function cutsOf(text: string, options: SiftParseOptions = {}): Array<[number, number]> {
  const cuts = separators(text, BLANK, 0, text.length);
  if (options.maxBlock === undefined) return cuts;
  // Cut oversize blocks further at line ends.
  const all: Array<[number, number]> = [];
  let blockStart = 0;
  for (const cut of [...cuts, [text.length, text.length] as [number, number]]) {
    if (cut[0] - blockStart > options.maxBlock) {
      let last = blockStart;
      for (const line of separators(text, LINE_BREAK, blockStart, cut[0])) {
        if (line[0] - last >= options.maxBlock / 2) {
          all.push(line);
          last = line[1];
        }
      }
    }
    if (cut[0] < text.length) all.push(cut);
    blockStart = cut[1];
  }
  return all;
}

/**
 * Parse a text into an nlcst tree, block by block.
 *
 * @param text The document.
 * @param options Options.
 * @returns The tree (retext-english's, see the module comment).
 */
export function parseText(text: string, options: SiftParseOptions = {}): Root {
  const parser = new BlockParser();
  const cuts = cutsOf(text, options);
  if (cuts.length === 0) return parser.parse(text);

  const children: RootContent[] = [];
  let point: Point = {line: 1, column: 1, offset: 0};
  let blockStart = 0;
  for (let i = 0; i <= cuts.length; i++) {
    const blockEnd = i < cuts.length ? cuts[i]![0] : text.length;
    point = advance(text, point, blockStart);
    parser.origin = point;
    const block = parser.tokenizeRoot(text.slice(blockStart, blockEnd));
    for (const child of block.children) children.push(child);
    if (i < cuts.length) {
      const [start, end] = cuts[i]!;
      const startPoint = advance(text, point, start);
      point = advance(text, startPoint, end);
      const space: WhiteSpace = {type: 'WhiteSpaceNode', value: text.slice(start, end), position: {start: startPoint, end: {...point}}};
      children.push(space);
      blockStart = end;
    }
  }
  const first = children[0]!;
  const last = children[children.length - 1]!;
  return {type: 'RootNode', children, position: {start: first.position!.start, end: last.position!.end}};
}

/**
 * unified plugin: parse with `parseText` (a drop-in for `retext-english`).
 *
 * @param options Options.
 * @returns Nothing.
 */
export default function siftParse(this: Processor, options?: SiftParseOptions | null): undefined {
  const settings = options ?? {};
  const self = this as unknown as Processor<Root>;
  self.parser = (document: string): Root => parseText(document, settings);
  return undefined;
}


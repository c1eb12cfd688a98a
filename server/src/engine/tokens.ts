import type {Root, Parent} from 'nlcst';
import type {LineInfo} from './types.js';
import {lineAt} from './lines.js';

/** What a token is. */
export type TokenKind = 'word' | 'punct' | 'symbol';

/**
 * A compact token, derived once from the nlcst tree and shared by the analysers that need a flat stream
 * (entities, quotes). Offsets are UTF-16 code units.
 */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
  /** Index of the sentence (nlcst SentenceNode) that holds the token, counted over the whole text. */
  sentence: number;
  /** 0-based line index. */
  line: number;
  /** True when whitespace precedes the token (or it starts the text). */
  spaceBefore: boolean;
}

/**
 * Flatten an nlcst tree into tokens: each WordNode, PunctuationNode and SymbolNode becomes one token.
 *
 * @param tree The nlcst root.
 * @param text The text it was parsed from.
 * @param lines The text's lines.
 * @returns Tokens in text order.
 */
export function tokensOf(tree: Root, text: string, lines: readonly LineInfo[]): Token[] {
  const tokens: Token[] = [];
  let sentence = -1;
  let line = 0;
  /**
   * Walk a parent.
   * @param node Parent.
   * @returns Nothing.
   */
  const walk = (node: Parent): void => {
    for (const child of node.children as Array<{type: string; position?: {start: {offset?: number}; end: {offset?: number}}; children?: unknown[]}>) {
      if (child.type === 'SentenceNode') sentence++;
      if (child.type === 'WordNode' || child.type === 'PunctuationNode' || child.type === 'SymbolNode') {
        const start = child.position!.start.offset!;
        const end = child.position!.end.offset!;
        while (line + 1 < lines.length && lines[line + 1]!.start <= start) line++;
        if (lines[line]!.start > start) line = lineAt(lines, start);
        const prev = start > 0 ? text.charCodeAt(start - 1) : 32;
        tokens.push({
          text: text.slice(start, end),
          start,
          end,
          kind: child.type === 'WordNode' ? 'word' : child.type === 'PunctuationNode' ? 'punct' : 'symbol',
          sentence: Math.max(sentence, 0),
          line,
          spaceBefore: start === 0 || prev === 32 || prev === 9 || prev === 10 || prev === 13 || prev === 160,
        });
      } else if (child.children) {
        walk(child as unknown as Parent);
      }
    }
  };
  walk(tree as unknown as Parent);
  return tokens;
}

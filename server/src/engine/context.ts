import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import type {Annotations, AnnotateOptions, LineInfo} from './types.js';
import {lineAt, splitLines} from './lines.js';
import {tokensOf, type Token} from './tokens.js';

/**
 * What the analysers share about one text: computed once per run, kept on `file.data.sift`.
 */
export interface SiftContext {
  text: string;
  lines: LineInfo[];
  options: AnnotateOptions;
  /** Filled in by the analysers, in engine order (boilerplate, entities, quotes). */
  annotations: Annotations;
  /** Lazily built flat token stream. */
  tokens(): Token[];
}

declare module 'vfile' {
  interface DataMap {
    sift: SiftContext;
  }
}

/**
 * Get (or make) the shared context of a run.
 *
 * @param tree The nlcst tree of the file.
 * @param file The file being analysed.
 * @returns The context.
 */
export function contextOf(tree: Root, file: VFile): SiftContext {
  const existing = file.data.sift;
  if (existing) return existing;
  const text = String(file.value ?? '');
  const lines = splitLines(text);
  let tokens: Token[] | undefined;
  const context: SiftContext = {
    text,
    lines,
    options: {},
    annotations: {boilerplate: [], quotes: [], entities: []},
    tokens: () => (tokens ??= tokensOf(tree, text, lines)),
  };
  file.data.sift = context;
  return context;
}

/** The `source` of every message Sift emits. */
export const SOURCE = 'sift';

/**
 * A unist point (1-based line and column, 0-based offset) for an offset.
 *
 * @param lines Lines of the text.
 * @param offset UTF-16 offset.
 * @returns Point.
 */
export function pointAt(lines: readonly LineInfo[], offset: number): {line: number; column: number; offset: number} {
  const index = lineAt(lines, offset);
  return {line: index + 1, column: offset - lines[index]!.start + 1, offset};
}

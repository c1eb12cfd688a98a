import type {LineInfo} from './types.js';

/**
 * Split a text into lines on `\r\n`, `\n` or `\r`, the way the CLI contract and LSP count them.
 *
 * Example: `"a\r\nb\rc\n"` → lines `a`, `b`, `c`, `` (four lines; the last one empty).
 *
 * @param text The whole document.
 * @returns One entry per line, in order, with UTF-16 offsets.
 */
export function splitLines(text: string): LineInfo[] {
  const lines: LineInfo[] = [];
  let start = 0;
  let index = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 /* \n */ || code === 13 /* \r */) {
      let next = i + 1;
      if (code === 13 && next < length && text.charCodeAt(next) === 10) next++;
      lines.push({index: index++, start, end: i, endWithTerminator: next});
      start = next;
      i = next - 1;
    }
  }
  lines.push({index, start, end: length, endWithTerminator: length});
  return lines;
}

/**
 * Find the line that holds an offset (binary search).
 *
 * @param lines Lines from `splitLines`.
 * @param offset A UTF-16 offset into the text.
 * @returns The 0-based line index.
 */
export function lineAt(lines: readonly LineInfo[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Remove whole lines, terminators included, and keep every other character exactly as it was.
 *
 * Example: removing line 1 of `"a\r\nb\r\nc"` gives `"a\r\nc"`. Removing the last line of `"a\nb"` gives
 * `"a\n"`: the text keeps the terminator that ended the line before it, so no other line changes.
 *
 * @param text The document.
 * @param remove 0-based line indices to remove (any order; duplicates and out-of-range indices are ignored).
 * @returns The text without those lines.
 */
export function removeLines(text: string, remove: Iterable<number>): string {
  const drop = new Set(remove);
  if (drop.size === 0) return text;
  const lines = splitLines(text);
  let out = '';
  for (const line of lines) {
    if (!drop.has(line.index)) out += text.slice(line.start, line.endWithTerminator);
  }
  return out;
}

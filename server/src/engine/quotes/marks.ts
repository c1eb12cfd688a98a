/**
 * Finding quoted stretches by their marks: straight, curly, single and double quotes, guillemets, `''`-style
 * quotes, multi-paragraph quotes (a paragraph ends unclosed and the next one opens with the same mark) and
 * apostrophes that are not quotes (`Turkey‘s`, `don’t`, `the ’90s`).
 */

/** One quoted stretch: `start`/`end` exclude the marks. */
export interface QuoteSpan {
  start: number;
  end: number;
  /** Offset of the opening mark and just past the closing mark (or the end of the stretch when unclosed). */
  outerStart: number;
  outerEnd: number;
  single: boolean;
}

const OPEN_TO_CLOSE: Readonly<Record<string, string>> = {'“': '”', '"': '"', '«': '»', '„': '“', '‘': '’', "'": "'", '‹': '›', '``': "''", "''": "''"};

/**
 * Is the character a letter or digit?
 *
 * @param ch Character (may be empty).
 * @returns Whether.
 */
function isWordChar(ch: string): boolean {
  if (ch === '') return false;
  const c = ch.charCodeAt(0);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  if (c < 128) return false;
  return WORD_CHAR.test(ch);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const MARK = /[“”"«„‹‘'`]/g;

/**
 * Find the quoted stretches of a text.
 *
 * @param text Document.
 * @returns Spans in text order, outermost only.
 */
export function findQuoteSpans(text: string): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  const length = text.length;
  const tags = markupTags(text);
  let tag = 0;
  let i = 0;
  while (i < length) {
    // Jump to the next character that may open a quote.
    MARK.lastIndex = i;
    const mark = MARK.exec(text);
    if (!mark) break;
    i = mark.index;
    // Quote marks inside markup (`<tweet id="…">`) delimit attribute values, not quotations.
    while (tag < tags.length && tags[tag]![1] <= i) tag++;
    if (tag < tags.length && tags[tag]![0] <= i) {
      i = tags[tag]![1];
      continue;
    }
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    const prev = i > 0 ? text[i - 1]! : '';
    let open = '';
    if (two === '``' || (two === "''" && !isWordChar(prev) && isWordChar(text[i + 2] ?? ''))) open = two;
    else if (ch === '“' || ch === '«' || ch === '„' || ch === '‹') open = ch;
    else if (ch === '”' && opensAt(text, i, 1)) open = ch;
    else if (ch === '"' && !isWordChar(prev)) open = ch;
    else if ((ch === '‘' || ch === "'") && !isWordChar(prev) && isWordChar(text[i + 1] ?? '')) open = ch;
    if (!open) {
      i++;
      continue;
    }
    const single = open === '‘' || open === "'" || open === '‹';
    const contentStart = i + open.length;
    const found = findClose(text, contentStart, open, single);
    if (!found) {
      i += open.length;
      continue;
    }
    const end = found.end;
    const outerEnd = Math.min(length, end + found.length);
    // A stretch with no letter or digit ("" or " ") is no quotation.
    if (/[\p{L}\p{N}]/u.test(text.slice(contentStart, end))) spans.push({start: contentStart, end, outerStart: i, outerEnd, single});
    i = outerEnd;
  }
  return spans;
}

/**
 * Markup tags left in scraped text (`<tweet id="…" author="…">`, `</tweet>`), as `[start, end)` ranges.
 *
 * @param text Document.
 * @returns Ranges in text order.
 */
function markupTags(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!text.includes('<')) return out;
  const pattern = /<\/?[a-zA-Z][\w-]*(?:\s[^<>\n]{0,1000})?\/?>/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** The marks that may close each opening mark; mis-typed and mixed marks included (`"…”`, `“…"`, `“…“`). */
const CLOSERS: Readonly<Record<string, readonly string[]>> = {
  '“': ['”', '"', '“'],
  '"': ['"', '”', '“'],
  '”': ['”', '"'],
  '„': ['“', '”', '"'],
  '«': ['»'],
  '‹': ['›'],
  '‘': ['’', "'"],
  "'": ["'", '’'],
  '``': ["''", '"'],
  "''": ["''", '"', '”'],
};
const DOUBLE_OPENERS = ['“', '"', '„', '«', "''", '``', '”'];

/**
 * Is the mark at `j` in an opening position (after a space or an opening bracket, before a word)?
 *
 * @param text Document.
 * @param j Offset.
 * @param length Mark length.
 * @returns Whether.
 */
function opensAt(text: string, j: number, length: number): boolean {
  const prev = text[j - 1] ?? ' ';
  return /[\s(\[—–-]/.test(prev) && isWordChar(text[j + length] ?? '');
}

/**
 * Find where a quote closes. Inside a paragraph the first fitting close mark wins (a quote nested in the other
 * double style is skipped). At a paragraph end the quote continues only when the next paragraph opens with a
 * double mark (a multi-paragraph quote); otherwise it is unclosed and ends with its paragraph.
 *
 * @param text Document.
 * @param from First content offset.
 * @param open Opening mark.
 * @param single Whether single marks are used (apostrophes must be skipped).
 * @returns Offset of the closing mark and its length, or null when this is no quote.
 */
function findClose(text: string, from: number, open: string, single: boolean): {end: number; length: number} | null {
  const length = text.length;
  const closers = CLOSERS[open] ?? [OPEN_TO_CLOSE[open]!];
  // The first code units of the closers: at any other character none of them can start.
  let first0 = -1;
  let first1 = -1;
  let first2 = -1;
  let others = false;
  for (const [n, close] of closers.entries()) {
    if (typeof close !== 'string' || close.length === 0) others = true;
    else if (n === 0) first0 = close.charCodeAt(0);
    else if (n === 1) first1 = close.charCodeAt(0);
    else if (n === 2) first2 = close.charCodeAt(0);
    else others = true;
  }
  for (let j = from; j < length; j++) {
    const code = text.charCodeAt(j);
    // Most characters: not a line end, not a double mark (which may open a nested quote), no closer starts here.
    if (!others && code !== first0 && code !== first1 && code !== first2 && code !== 10 && code !== 13 && code !== 0x201c && code !== 34) {
      if (single && j - from > 600) return null;
      continue;
    }
    const ch = text[j]!;
    if (ch === '\n' || ch === '\r') {
      // Paragraph end: does the next non-blank line open with a double mark?
      let k = j;
      while (k < length && /[\r\n \t]/.test(text[k]!)) k++;
      const reopen = DOUBLE_OPENERS.find((m) => text.startsWith(m, k));
      if (!single && reopen && (text.startsWith(open, k) || open !== "''")) {
        j = k + reopen.length - 1;
        continue;
      }
      // Unclosed quote: single quotes are likely apostrophes; double quotes end with their paragraph.
      return single ? null : {end: j, length: 0};
    }
    if (!single && j > from) {
      // A quotation nested in the other double style: “… "inner" …”, "… “inner” …".
      const nested = (open === '"' || open === "''") && ch === '“' ? '”' : open !== '"' && open !== "''" && ch === '"' ? '"' : '';
      if (nested && opensAt(text, j, 1)) {
        const window = text.slice(j + 1, j + 1000);
        const at = window.indexOf(nested);
        const close = at < 0 ? -1 : j + 1 + at;
        if (close > 0 && !/[\r\n]/.test(text.slice(j + 1, close))) {
          // Only when the outer quote still closes after it, on the same line.
          const rest = text.slice(close + 1, close + 2000).split(/[\r\n]/)[0]!;
          if (closers.some((c) => rest.includes(c))) {
            j = close;
            continue;
          }
        }
      }
    }
    for (const close of closers) {
      if (!text.startsWith(close, j)) continue;
      const next = text[j + close.length] ?? '';
      const prev = text[j - 1] ?? '';
      if (single && isWordChar(next) && isWordChar(prev)) break; // don’t, Turkey’s
      if (single && (close === "'" || close === '’') && prev === 's' && isWordChar(next)) break;
      // A mis-typed closing “ must follow a word and not open one.
      if (close === '“' && open !== '„' && (/\s/.test(prev) || isWordChar(next))) break;
      if (j === from) return null;
      // `'old-school,'''`: a nested single quote closes first, then the `''`.
      if (close === "''" && text[j + 2] === "'") return {end: j + 1, length: 2};
      return {end: j, length: close.length};
    }
    if (single && j - from > 600) return null;
  }
  return single ? null : {end: length, length: 0};
}

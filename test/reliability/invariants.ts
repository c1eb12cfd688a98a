/**
 * What must hold for every text the engine is given, whatever it is (checked by the property tests):
 * every range lies inside the text, is not reversed, never splits a surrogate pair, and its text is the slice it
 * names; boilerplate lines are real lines, reported once each in order; lists are sorted by offset.
 */
import type {VFile} from 'vfile';
import {splitLines, type Annotations} from '../../server/src/engine/index.js';

/** Which analyser an invariant belongs to, so a failure names the file to fix. */
export type Owner = 'boilerplate' | 'quotes' | 'entities' | 'engine';

/** A broken invariant. */
export class InvariantError extends Error {
  /**
   * @param owner Analyser (or the engine core) that produced the bad value.
   * @param message What broke.
   */
  constructor(
    readonly owner: Owner,
    message: string,
  ) {
    super(`[${owner}] ${message}`);
  }
}

/**
 * Does an offset fall between the two halves of a surrogate pair?
 * @param text Text.
 * @param offset Offset.
 * @returns Whether.
 */
export function splitsPair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/**
 * Check a span.
 * @param owner Analyser.
 * @param what Description.
 * @param text Text.
 * @param start Start.
 * @param end End.
 * @param allowEmpty Whether an empty span is allowed.
 * @returns Nothing.
 */
function span(owner: Owner, what: string, text: string, start: unknown, end: unknown, allowEmpty = false): void {
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new InvariantError(owner, `${what}: offsets ${String(start)}..${String(end)} are not integers`);
  const s = start as number;
  const e = end as number;
  if (s < 0 || e > text.length) throw new InvariantError(owner, `${what}: ${s}..${e} lies outside the text (length ${text.length})`);
  if (e < s || (!allowEmpty && e === s)) throw new InvariantError(owner, `${what}: ${s}..${e} is ${e < s ? 'reversed' : 'empty'}`);
  if (splitsPair(text, s) || splitsPair(text, e)) throw new InvariantError(owner, `${what}: ${s}..${e} splits a surrogate pair`);
}

/**
 * Check every invariant of one result.
 * @param text The text annotated.
 * @param result What `annotate` returned.
 * @param file The vfile of `analyse`, when available (its messages are checked too).
 * @returns Nothing; throws an `InvariantError` naming the analyser on the first violation.
 */
export function checkAnnotations(text: string, result: Annotations, file?: VFile): void {
  const lines = splitLines(text);
  let previous = -1;
  for (const b of result.boilerplate) {
    if (!Number.isInteger(b.line) || b.line < 0 || b.line >= lines.length) throw new InvariantError('boilerplate', `line ${b.line} does not exist (${lines.length} lines)`);
    if (b.line <= previous) throw new InvariantError('boilerplate', `line ${b.line} reported after line ${previous} (not once each, in order)`);
    previous = b.line;
    const line = lines[b.line]!;
    if (b.start !== line.start || b.end !== line.end) throw new InvariantError('boilerplate', `line ${b.line} has offsets ${b.start}..${b.end}, the line is ${line.start}..${line.end}`);
    if (!(b.score >= 0 && b.score <= 1)) throw new InvariantError('boilerplate', `line ${b.line} has score ${b.score}`);
    if (typeof b.reason !== 'string' || b.reason.length === 0) throw new InvariantError('boilerplate', `line ${b.line} has no reason`);
  }
  let last = -1;
  for (const e of result.entities) {
    span('entities', `entity ${JSON.stringify(e.text)}`, text, e.start, e.end);
    if (text.slice(e.start, e.end) !== e.text) throw new InvariantError('entities', `entity ${e.start}..${e.end}: text ${JSON.stringify(e.text)} is not the slice ${JSON.stringify(text.slice(e.start, e.end))}`);
    if (e.start < last) throw new InvariantError('entities', `entities not sorted by offset at ${e.start}`);
    last = e.start;
    if (typeof e.canonical !== 'string' || e.canonical.length === 0) throw new InvariantError('entities', `entity ${e.start}..${e.end} has no canonical name`);
  }
  last = -1;
  for (const q of result.quotes) {
    span('quotes', `quote`, text, q.start, q.end, true);
    if (text.slice(q.start, q.end) !== q.text) throw new InvariantError('quotes', `quote ${q.start}..${q.end}: text is not the slice`);
    if (q.start < last) throw new InvariantError('quotes', `quotes not sorted by offset at ${q.start}`);
    last = q.start;
    if ((q.speakerStart === null) !== (q.speakerEnd === null)) throw new InvariantError('quotes', `quote ${q.start}: speaker span half set`);
    if (q.speakerStart !== null) span('quotes', `speaker of quote ${q.start}`, text, q.speakerStart, q.speakerEnd);
    if ((q.cueStart === null) !== (q.cueEnd === null)) throw new InvariantError('quotes', `quote ${q.start}: cue span half set`);
    if (q.cueStart !== null) span('quotes', `cue of quote ${q.start}`, text, q.cueStart, q.cueEnd);
  }
  if (file) {
    for (const message of file.messages) {
      const place = message.place;
      if (!place || !('start' in place)) continue;
      const owner: Owner = message.ruleId === 'boilerplate' ? 'boilerplate' : message.ruleId === 'quotation' ? 'quotes' : message.ruleId === 'named-entity' ? 'entities' : 'engine';
      span(owner, `message ${JSON.stringify(message.reason.slice(0, 40))}`, text, place.start.offset, place.end.offset, true);
      const line = lines[place.start.line - 1];
      if (!line || place.start.offset! - line.start + 1 !== place.start.column) throw new InvariantError(owner, `message at ${place.start.offset} has line:column ${place.start.line}:${place.start.column} that do not match the offset`);
    }
  }
}

/**
 * Describe an input for a failure report: length, line endings and the first characters, escaped.
 * @param text Text.
 * @returns One line.
 */
export function describeInput(text: string): string {
  return `${text.length} UTF-16 units, ${splitLines(text).length} lines: ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`;
}

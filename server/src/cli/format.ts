/**
 * How the CLI prints annotations: readable lines (`file:line:col kind message`) or JSON objects.
 */
import {lineAt, splitLines, type Annotations, type LineInfo} from '../engine/index.js';

/**
 * The contract's JSON shape of one document's annotations (`sift annotate --jsonl`, `--format json`).
 *
 * @param annotations Engine output.
 * @returns Plain object for JSON.
 */
export function toJsonRecord(annotations: Annotations) {
  return {
    boilerplate: annotations.boilerplate.map((b) => ({line: b.line, category: b.category, score: round(b.score), reason: b.reason})),
    quotes: annotations.quotes.map((q) => ({
      start: q.start,
      end: q.end,
      direct: q.direct,
      kind: q.kind,
      speaker: q.speaker,
      speakerMention: q.speakerMention,
      cue: q.cue,
    })),
    entities: annotations.entities.map((e) => ({start: e.start, end: e.end, type: e.type, text: e.text, canonical: e.canonical})),
  };
}

/**
 * Round a score for output.
 *
 * @param value Score.
 * @returns Rounded to 3 decimals.
 */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * 1-based line and column of an offset, columns in UTF-16 code units as editors count them.
 *
 * @param lines Lines.
 * @param offset Offset.
 * @returns `line:col`.
 */
function where(lines: readonly LineInfo[], offset: number): string {
  const index = lineAt(lines, offset);
  return `${index + 1}:${offset - lines[index]!.start + 1}`;
}

/**
 * Shorten text for one output line.
 *
 * @param text Text.
 * @param max Longest length.
 * @returns Text on one line, cut with "…".
 */
export function excerpt(text: string, max = 72): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Readable lines for one file, in text order.
 *
 * @param file Path shown.
 * @param text Document.
 * @param annotations Engine output.
 * @returns Lines without trailing newline.
 */
export function toTextLines(file: string, text: string, annotations: Annotations): string[] {
  const lines = splitLines(text);
  const rows: Array<[number, string]> = [];
  for (const b of annotations.boilerplate) {
    rows.push([b.start, `${file}:${b.line + 1}:1 boilerplate ${b.category}: ${b.reason} (${b.score.toFixed(2)}) | ${excerpt(text.slice(b.start, b.end), 60)}`]);
  }
  for (const q of annotations.quotes) {
    const who = q.speaker ? `${q.speaker}${q.speakerMention && q.speakerMention !== q.speaker ? ` (as "${q.speakerMention}")` : ''}` : 'unknown speaker';
    rows.push([q.start, `${file}:${where(lines, q.start)} quote ${q.kind} ${who}${q.cue ? ` [${q.cue}]` : ''}: "${excerpt(q.text)}"`]);
  }
  for (const e of annotations.entities) {
    rows.push([e.start, `${file}:${where(lines, e.start)} entity ${e.type} ${e.canonical}${e.canonical !== e.text ? ` (as "${e.text}")` : ''}`]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  return rows.map((r) => r[1]);
}

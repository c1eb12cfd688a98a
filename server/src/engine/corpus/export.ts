/**
 * Annotations in the formats annotation tools import, and back:
 *
 * - **brat standoff** (`.ann` beside the `.txt`; brat and INCEpTION import it): text-bound annotations for names,
 *   quotations, speaker mentions, cues and boilerplate lines, with attributes, relations and notes;
 * - **CoNLL, IOB2** (INCEpTION's "CoNLL 2002", doccano's CoNLL): one `token TAG` line per token, a blank line
 *   between sentences; names only, since IOB cannot nest;
 * - **JSONL for doccano**: `{"text", "label": [[start, end, "PER"], …]}` with the quotations and boilerplate
 *   lines in extra fields (doccano keeps them as metadata).
 *
 * brat and doccano count offsets in Unicode code points (Python string indices), not in UTF-16 code units as
 * the engine does: every export converts, every import converts back, so a text with characters outside the
 * Basic Multilingual Plane (emoji, some CJK, mathematical letters) keeps its spans.
 */
import type {Annotations, BoilerplateCategory, EntityType, QuoteKind} from '../types.js';
import {CodePoints} from './text.js';

/** A name span read back from an export (UTF-16 offsets). */
export interface ImportedEntity {
  start: number;
  end: number;
  type: string;
  canonical?: string;
}

/** A quotation read back from brat. */
export interface ImportedQuote {
  start: number;
  end: number;
  kind: QuoteKind;
  speaker: string | null;
  speakerStart: number | null;
  speakerEnd: number | null;
  cueStart: number | null;
  cueEnd: number | null;
}

/** A boilerplate line read back from brat. */
export interface ImportedBoilerplate {
  start: number;
  end: number;
  category: BoilerplateCategory;
}

/** Everything a brat file holds. */
export interface BratImport {
  entities: ImportedEntity[];
  quotes: ImportedQuote[];
  boilerplate: ImportedBoilerplate[];
}

/** brat's `annotation.conf` for Sift's exports (put it in the collection's folder). */
export const BRAT_ANNOTATION_CONF = `# brat configuration for Sift exports (https://brat.nlplab.org/configuration.html)
[entities]
PER
ORG
LOC
MISC
DATE
TIME
MONEY
PERCENT
QUANTITY
Quotation
Speaker
Cue
Boilerplate

[relations]
SaidBy	Arg1:Quotation, Arg2:Speaker
CuedBy	Arg1:Quotation, Arg2:Cue
<OVERLAP>	Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
QuoteKind	Arg:Quotation, Value:direct|partial|indirect
BoilerplateCategory	Arg:Boilerplate, Value:navigation|promotion|teaser|share|legal|caption|duplicate|metadata|chrome
`;

/**
 * The brat fragments of a UTF-16 span: one per line it touches (brat spans cannot hold line breaks), in code points.
 * @param text Document.
 * @param cp Code-point table of the document.
 * @param start Start.
 * @param end End.
 * @returns Fragments and the text field.
 */
function fragments(text: string, cp: CodePoints, start: number, end: number): {spans: string; text: string} | null {
  const parts: Array<[number, number]> = [];
  let s = start;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : -1;
    if (code === 10 || code === 13 || i === end) {
      if (i > s) parts.push([s, i]);
      s = i + 1;
    }
  }
  if (parts.length === 0) return null;
  return {
    spans: parts.map(([a, b]) => `${cp.fromUtf16(a)} ${cp.fromUtf16(b)}`).join(';'),
    text: parts.map(([a, b]) => text.slice(a, b).replace(/\t/g, ' ')).join(' '),
  };
}

/**
 * brat standoff for one document.
 * @param text The document exactly as it is on disk (the `.txt`).
 * @param annotations The engine's annotations of it.
 * @returns The `.ann` content.
 */
export function toBrat(text: string, annotations: Annotations): string {
  const cp = new CodePoints(text);
  const out: string[] = [];
  let t = 0;
  let a = 0;
  let r = 0;
  let note = 0;
  const textBound = (type: string, start: number, end: number): string | null => {
    const f = fragments(text, cp, start, end);
    if (!f) return null;
    const id = `T${++t}`;
    out.push(`${id}\t${type} ${f.spans}\t${f.text}`);
    return id;
  };
  const clean = (value: string): string => value.replace(/[\t\r\n]+/g, ' ');
  for (const e of annotations.entities) {
    const id = textBound(e.type, e.start, e.end);
    if (id && e.canonical !== e.text) out.push(`#${++note}\tAnnotatorNotes ${id}\t${clean(e.canonical)}`);
  }
  for (const q of annotations.quotes) {
    const id = textBound('Quotation', q.start, q.end);
    if (!id) continue;
    out.push(`A${++a}\tQuoteKind ${id} ${q.kind}`);
    if (q.speaker) out.push(`#${++note}\tAnnotatorNotes ${id}\t${clean(q.speaker)}`);
    if (q.speakerStart !== null && q.speakerEnd !== null && q.speakerEnd > q.speakerStart) {
      const speaker = textBound('Speaker', q.speakerStart, q.speakerEnd);
      if (speaker) out.push(`R${++r}\tSaidBy Arg1:${id} Arg2:${speaker}`);
    }
    if (q.cueStart !== null && q.cueEnd !== null && q.cueEnd > q.cueStart) {
      const cue = textBound('Cue', q.cueStart, q.cueEnd);
      if (cue) out.push(`R${++r}\tCuedBy Arg1:${id} Arg2:${cue}`);
    }
  }
  for (const b of annotations.boilerplate) {
    const id = textBound('Boilerplate', b.start, b.end);
    if (!id) continue;
    out.push(`A${++a}\tBoilerplateCategory ${id} ${b.category}`);
    out.push(`#${++note}\tAnnotatorNotes ${id}\t${clean(`${b.reason} (${b.score.toFixed(2)})`)}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * Read brat standoff back (what `toBrat` writes, and what brat or INCEpTION save after editing).
 * @param text The document the `.ann` belongs to.
 * @param ann The `.ann` content.
 * @returns Names, quotations and boilerplate lines, in UTF-16 offsets.
 * @throws Error on a line it cannot read or a span outside the text.
 */
export function fromBrat(text: string, ann: string): BratImport {
  const cp = new CodePoints(text);
  const bounds = new Map<string, {type: string; start: number; end: number}>();
  const attributes = new Map<string, Map<string, string>>();
  const notes = new Map<string, string>();
  const relations: Array<{type: string; arg1: string; arg2: string}> = [];
  ann.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const fail = (): never => {
      throw new Error(`brat line ${i + 1} is not valid standoff: ${line.slice(0, 80)}`);
    };
    const [id, body = '', rest] = line.split('\t');
    if (!id) fail();
    if (id!.startsWith('T')) {
      const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(body) ?? fail();
      const spans = m[2]!.split(';').map((s) => s.split(' ').map(Number) as [number, number]);
      bounds.set(id!, {type: m[1]!, start: cp.toUtf16(spans[0]![0]), end: cp.toUtf16(spans[spans.length - 1]![1])});
    } else if (id!.startsWith('A') || id!.startsWith('M')) {
      const [name, target, value = 'true'] = body.split(' ');
      if (!name || !target) fail();
      let map = attributes.get(target!);
      if (!map) attributes.set(target!, (map = new Map()));
      map.set(name!, value);
    } else if (id!.startsWith('R')) {
      const m = /^(\S+) Arg1:(\S+) Arg2:(\S+)$/.exec(body) ?? fail();
      relations.push({type: m[1]!, arg1: m[2]!, arg2: m[3]!});
    } else if (id!.startsWith('#')) {
      const m = /^AnnotatorNotes (\S+)$/.exec(body) ?? fail();
      notes.set(m[1]!, rest ?? '');
    }
    // Events (E), equivalences (*) and normalisations (N) are not Sift's; they are ignored.
  });
  const result: BratImport = {entities: [], quotes: [], boilerplate: []};
  const names = new Set<string>(['PER', 'ORG', 'LOC', 'MISC', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY']);
  for (const [id, b] of bounds) {
    if (names.has(b.type)) result.entities.push({start: b.start, end: b.end, type: b.type, canonical: notes.get(id) ?? text.slice(b.start, b.end)});
    else if (b.type === 'Quotation') {
      const speaker = relations.find((rel) => rel.type === 'SaidBy' && rel.arg1 === id);
      const cue = relations.find((rel) => rel.type === 'CuedBy' && rel.arg1 === id);
      const s = speaker ? bounds.get(speaker.arg2) : undefined;
      const c = cue ? bounds.get(cue.arg2) : undefined;
      result.quotes.push({
        start: b.start,
        end: b.end,
        kind: (attributes.get(id)?.get('QuoteKind') as QuoteKind | undefined) ?? 'direct',
        speaker: notes.get(id) ?? null,
        speakerStart: s?.start ?? null,
        speakerEnd: s?.end ?? null,
        cueStart: c?.start ?? null,
        cueEnd: c?.end ?? null,
      });
    } else if (b.type === 'Boilerplate') {
      result.boilerplate.push({start: b.start, end: b.end, category: (attributes.get(id)?.get('BoilerplateCategory') as BoilerplateCategory | undefined) ?? 'chrome'});
    }
  }
  const order = (x: {start: number; end: number}, y: {start: number; end: number}): number => x.start - y.start || x.end - y.end;
  result.entities.sort(order);
  result.quotes.sort(order);
  result.boilerplate.sort(order);
  return result;
}

/** A CoNLL token. */
interface ConllToken {
  start: number;
  end: number;
  tag: string;
  /** A sentence starts before this token. */
  sentence: boolean;
}

/** Names, numbers and words (with inner hyphens, apostrophes, dots and ampersands), or one other character. */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:[-'’.&][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * The entities IOB can hold: no two overlap (the earlier, then the longer, wins).
 * @param entities Entities.
 * @returns Kept entities in order and how many were dropped.
 */
export function flatEntities<T extends {start: number; end: number}>(entities: readonly T[]): {kept: T[]; dropped: number} {
  const sorted = [...entities].filter((e) => e.end > e.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  let reach = -1;
  for (const e of sorted) {
    if (e.start < reach) continue;
    kept.push(e);
    reach = e.end;
  }
  return {kept, dropped: entities.length - kept.length};
}

/**
 * Tokens of a text for CoNLL, split at every entity boundary so that each entity is a run of whole tokens.
 * @param text Document.
 * @param entities Non-overlapping entities.
 * @returns Tokens with IOB2 tags.
 */
function conllTokens(text: string, entities: ReadonlyArray<{start: number; end: number; type: string}>): ConllToken[] {
  const cuts = new Set<number>();
  for (const e of entities) {
    cuts.add(e.start);
    cuts.add(e.end);
  }
  const raw: Array<[number, number]> = [];
  for (const m of text.matchAll(TOKEN)) {
    let start = m.index;
    let end = start + m[0].length;
    // "U.S." keeps its final dot.
    if (/^(?:\p{L}\.)+\p{L}$/u.test(m[0]) && text[end] === '.') end++;
    if (raw.length && raw[raw.length - 1]![1] > start) continue; // the dot just taken
    for (let i = start + 1; i < end; i++) {
      if (cuts.has(i)) {
        raw.push([start, i]);
        start = i;
      }
    }
    raw.push([start, end]);
  }
  const tokens: ConllToken[] = [];
  let e = 0;
  let previousEnd = 0;
  let previousText = '';
  for (const [start, end] of raw) {
    while (e < entities.length && entities[e]!.end <= start) e++;
    const entity = entities[e];
    let tag = 'O';
    if (entity && entity.start <= start && end <= entity.end) tag = `${entity.start === start ? 'B' : 'I'}-${entity.type}`;
    const gap = text.slice(previousEnd, start);
    const inside = tag.startsWith('I-');
    const sentence = tokens.length > 0 && !inside && (/[\r\n]/.test(gap) || (/^[.!?]$/.test(previousText) && /\s/.test(gap) && /^[\p{Lu}"“‘'(]/u.test(text.slice(start, end))));
    tokens.push({start, end, tag, sentence});
    previousEnd = end;
    previousText = text.slice(start, end);
  }
  return tokens;
}

/**
 * CoNLL (IOB2) for one document: `token TAG` lines, a blank line between sentences.
 * @param text Document.
 * @param annotations Annotations (names only are written).
 * @returns The CoNLL text, and how many overlapping entities could not be written.
 */
export function toConll(text: string, annotations: Pick<Annotations, 'entities'>): {conll: string; dropped: number} {
  const {kept, dropped} = flatEntities(annotations.entities);
  const out: string[] = [];
  for (const token of conllTokens(text, kept)) {
    if (token.sentence) out.push('');
    out.push(`${text.slice(token.start, token.end)} ${token.tag}`);
  }
  return {conll: out.length ? `${out.join('\n')}\n` : '', dropped};
}

/**
 * Read CoNLL back onto its document: each token is found in the text after the previous one, and B-/I- runs
 * become spans. Accepts IOB2 and IOB1, `-DOCSTART-` lines, and extra columns (the tag is the last one).
 * @param text Document.
 * @param conll CoNLL text.
 * @returns Entity spans in UTF-16 offsets.
 * @throws Error when a token is not found in the text.
 */
export function fromConll(text: string, conll: string): ImportedEntity[] {
  const entities: ImportedEntity[] = [];
  let cursor = 0;
  let open: ImportedEntity | null = null;
  const close = (): void => {
    if (open) entities.push(open);
    open = null;
  };
  conll.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) {
      close();
      return;
    }
    const columns = line.trim().split(/\s+/);
    if (columns[0] === '-DOCSTART-') return;
    const token = columns[0]!;
    const tag = columns.length > 1 ? columns[columns.length - 1]! : 'O';
    const start = text.indexOf(token, cursor);
    if (start < 0) throw new Error(`CoNLL line ${i + 1}: token "${token}" is not in the text after offset ${cursor}`);
    const end = start + token.length;
    cursor = end;
    const m = /^([BI])-(.+)$/.exec(tag);
    if (!m) {
      close();
      return;
    }
    const current = open as ImportedEntity | null;
    if (m[1] === 'I' && current && current.type === m[2]) current.end = end;
    else {
      close();
      open = {start, end, type: m[2]!};
    }
  });
  close();
  return entities;
}

/** The doccano JSONL record of one document. */
export interface DoccanoRecord {
  /** The document's path or URI. */
  source: string;
  text: string;
  /** Name spans `[start, end, TYPE]` in code points. */
  label: Array<[number, number, string]>;
  /** Quotations, code points. */
  quotes: Array<{start: number; end: number; kind: QuoteKind; speaker: string | null; cue: string | null}>;
  /** Boilerplate lines (0-based) with their category. */
  boilerplate: Array<{line: number; category: BoilerplateCategory; reason: string}>;
  /** The unit of every offset in this record. */
  offsets: 'codepoints';
}

/**
 * The doccano JSONL record of a document (one line of the export).
 * @param source Path or URI.
 * @param text Document.
 * @param annotations Annotations.
 * @returns Record.
 */
export function toDoccano(source: string, text: string, annotations: Annotations): DoccanoRecord {
  const cp = new CodePoints(text);
  return {
    source,
    text,
    label: annotations.entities.filter((e) => e.end > e.start).map((e) => [cp.fromUtf16(e.start), cp.fromUtf16(e.end), e.type]),
    quotes: annotations.quotes.map((q) => ({start: cp.fromUtf16(q.start), end: cp.fromUtf16(q.end), kind: q.kind, speaker: q.speaker, cue: q.cue})),
    boilerplate: annotations.boilerplate.map((b) => ({line: b.line, category: b.category, reason: b.reason})),
    offsets: 'codepoints',
  };
}

/**
 * Read a doccano record back (its `label` spans; doccano's own exports also name them `label`).
 * @param record Parsed JSON line.
 * @returns The text and the spans in UTF-16 offsets.
 * @throws Error when the record has no text or a span is outside it.
 */
export function fromDoccano(record: unknown): {text: string; entities: ImportedEntity[]} {
  const r = record as {text?: unknown; label?: unknown};
  if (!r || typeof r.text !== 'string') throw new Error('a doccano record needs a string "text"');
  const cp = new CodePoints(r.text);
  const labels = Array.isArray(r.label) ? r.label : [];
  const entities = labels.map((l: unknown) => {
    if (!Array.isArray(l) || l.length < 3) throw new Error(`not a doccano span: ${JSON.stringify(l)}`);
    return {start: cp.toUtf16(Number(l[0])), end: cp.toUtf16(Number(l[1])), type: String(l[2])};
  });
  return {text: r.text, entities};
}

/** The entity types Sift writes (for tools that want a label list). */
export const EXPORT_ENTITY_TYPES: readonly EntityType[] = Object.freeze(['PER', 'ORG', 'LOC', 'MISC', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY']);

/**
 * The one adapter between the engine and LSP: vfile messages and engine annotations in, LSP objects out
 * (diagnostics, hovers, code actions, semantic tokens, symbols, inlay hints, folding ranges, edits). No other file
 * knows both sides. Positions: LSP lines and UTF-16 characters, from the engine's UTF-16 offsets.
 */
import type {VFileMessage} from 'vfile-message';
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  InlayHintKind,
  MarkupKind,
  SymbolKind,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type InlayHint,
  type Position,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver';
import {lineAt, RULE_IDS, type Annotations, type BoilerplateLine, type Entity, type LineInfo, type Quote} from '../engine/index.js';
import type {FileSummary} from '../engine/corpus/index.js';
import {COMMANDS} from './protocol.js';
import type {SeverityName, SiftSettings} from './settings.js';

/**
 * What the adapter reads of a vfile message. The engine's `VFileMessage`s fit (an analysis on the main thread);
 * an analysis from a worker thread brings plain objects with the same fields (`analysis-pool.ts`).
 */
export type AnalysisMessage = Pick<VFileMessage, 'place' | 'ruleId' | 'reason' | 'source'>;

/** One analysis of one version of a document. */
export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineInfo[];
  /** The engine's messages, one per annotation. */
  messages: readonly AnalysisMessage[];
  annotations: Annotations;
  settings: SiftSettings;
  /** The workspace index's summary of this text, when the worker that analysed it made it too. */
  summary?: FileSummary;
}

/**
 * Lookups built once per analysis (a 1 MB document has ~30,000 annotations; hovers, semantic tokens and code
 * actions on it must not walk them all at every request).
 */
interface AnalysisIndex {
  diagnostics?: Diagnostic[];
  tokens?: number[];
  /** Per line, the indices (ascending) of the annotations that touch it. */
  entitiesByLine?: Map<number, number[]>;
  quotesByLine?: Map<number, number[]>;
  /** The first boilerplate item of each line. */
  boilerplateByLine?: Map<number, BoilerplateLine>;
  /** Mentions of each entity id, in order. */
  mentions?: Map<string, Entity[]>;
  /** Direct quotations of each speaker, in order. */
  bySpeaker?: Map<string, Quote[]>;
}

const indexes = new WeakMap<Analysis, AnalysisIndex>();

/**
 * The lookups of an analysis (made on first use, kept as long as the analysis).
 * @param analysis Analysis.
 * @returns Its index.
 */
function indexOf(analysis: Analysis): AnalysisIndex {
  let index = indexes.get(analysis);
  if (!index) indexes.set(analysis, (index = {}));
  return index;
}

/**
 * Bucket spans by the lines they touch.
 * @param lines Lines of the text.
 * @param spans Spans.
 * @returns Line → indices of the spans touching it, ascending.
 */
function byLine(lines: readonly LineInfo[], spans: ReadonlyArray<{start: number; end: number}>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  spans.forEach((span, i) => {
    const first = lineAt(lines, span.start);
    const last = span.end > span.start ? lineAt(lines, span.end - 1) : first;
    for (let line = first; line <= last; line++) {
      const bucket = out.get(line);
      if (bucket) bucket.push(i);
      else out.set(line, [i]);
    }
  });
  return out;
}

/**
 * The first span (in the list's order) containing an offset that passes a test: what `spans.find(…)` gives, looked
 * up among the spans of the offset's line only.
 * @param analysis Analysis.
 * @param spans The list (entities or quotes of the analysis).
 * @param buckets Its line buckets.
 * @param offset Offset.
 * @param test Extra condition.
 * @returns Span or undefined.
 */
function findAt<T extends {start: number; end: number}>(analysis: Analysis, spans: readonly T[], buckets: Map<number, number[]>, offset: number, test: (span: T) => boolean): T | undefined {
  for (const i of buckets.get(lineAt(analysis.lines, offset)) ?? []) {
    const span = spans[i]!;
    if (span.start <= offset && offset < span.end && test(span)) return span;
  }
  return undefined;
}

/** What a diagnostic carries back into `textDocument/codeAction`. */
interface DiagnosticData {
  version: number;
  line?: number;
}

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.sift`;

/** Semantic token legend. Custom types are mapped to TextMate scopes in package.json so every theme colours them. */
export const TOKEN_TYPES = ['quotation', 'person', 'organisation', 'place', 'otherName', 'measure'] as const;
export const TOKEN_MODIFIERS = ['partial'] as const;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  PER: 'Person',
  ORG: 'Organisation',
  LOC: 'Place',
  MISC: 'Other name',
  DATE: 'Date',
  TIME: 'Time',
  MONEY: 'Money',
  PERCENT: 'Percentage',
  QUANTITY: 'Quantity',
};

/**
 * LSP position of an offset.
 * @param lines Lines of the text.
 * @param offset UTF-16 offset.
 * @returns Position.
 */
export function positionAt(lines: readonly LineInfo[], offset: number): Position {
  const line = lineAt(lines, offset);
  return {line, character: Math.min(offset, lines[line]!.end) - lines[line]!.start};
}

/**
 * Offset of an LSP position (clamped into the text).
 * @param lines Lines.
 * @param position Position.
 * @returns Offset.
 */
export function offsetAt(lines: readonly LineInfo[], position: Position): number {
  if (position.line >= lines.length) return lines[lines.length - 1]!.endWithTerminator;
  const line = lines[Math.max(0, position.line)]!;
  return Math.min(line.start + Math.max(0, position.character), line.end);
}

/**
 * LSP range of an offset span.
 * @param lines Lines.
 * @param start Start offset.
 * @param end End offset.
 * @returns Range.
 */
function rangeOf(lines: readonly LineInfo[], start: number, end: number): Range {
  return {start: positionAt(lines, start), end: positionAt(lines, end)};
}

/**
 * LSP severity of a setting, or null for "off".
 * @param name Setting value.
 * @returns Severity.
 */
function severityOf(name: SeverityName): DiagnosticSeverity | null {
  switch (name) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default:
      return null;
  }
}

/**
 * Diagnostics from the vfile messages of an analysis: `ruleId` → `code`, `source`, reason → message, severity and
 * tags per kind from the settings (boilerplate is faded with the Unnecessary tag). Made once per analysis: every
 * call returns the same array (callers do not change it).
 * @param analysis Analysis.
 * @returns Diagnostics.
 */
export function toDiagnostics(analysis: Analysis): Diagnostic[] {
  const index = indexOf(analysis);
  return (index.diagnostics ??= diagnosticsOf(analysis));
}

/**
 * `toDiagnostics` in slices of a few milliseconds, pausing between them, so a large document's ~30,000 diagnostics
 * do not hold the server's thread for tens of milliseconds in one go. The result is the one `toDiagnostics` then
 * returns.
 * @param analysis Analysis.
 * @param pause Awaited between slices.
 * @param sliceMs Longest slice.
 * @returns Diagnostics.
 */
export async function toDiagnosticsInSlices(analysis: Analysis, pause: () => Promise<unknown>, sliceMs = 8): Promise<Diagnostic[]> {
  const index = indexOf(analysis);
  if (index.diagnostics) return index.diagnostics;
  const convert = diagnosticConverter(analysis);
  const out: Diagnostic[] = [];
  let since = performance.now();
  for (let i = 0; i < analysis.messages.length; i++) {
    if ((i & 255) === 255 && performance.now() - since > sliceMs) {
      await pause();
      if (index.diagnostics) return index.diagnostics;
      since = performance.now();
    }
    convert(analysis.messages[i]!, out);
  }
  return (index.diagnostics ??= out);
}

/**
 * Diagnostics packed for the trip from an analysis worker to the server's thread: the numbers in one typed array
 * (moved, not copied), the strings in arrays. Cloning ~27,000 diagnostic objects (six objects each) or the engine's
 * messages they are made from costs the server's thread tens of milliseconds for a 1 MB document; this is read back
 * into exactly the objects `toDiagnostics` makes (same fields, same order: the same JSON).
 */
export interface PackedDiagnostics {
  /** The analysed version (each diagnostic's `data.version`). */
  version: number;
  /** Per diagnostic, `DIAGNOSTIC_FIELDS` numbers: start line, character, end line, character, severity, code, source, flags, data line. */
  numbers: Int32Array;
  /** Per diagnostic, its message. */
  messages: string[];
  /** Codes and sources, by index (0: undefined). */
  names: Array<string | undefined>;
  /** What the `sift/counts` notification says about the analysis. */
  counts: {boilerplate: number; quotes: number; entities: number};
}

const DIAGNOSTIC_FIELDS = 9;
/** `flags`: the diagnostic has the Unnecessary tag (boilerplate); it has `data.line`; its code is set. */
const HAS_UNNECESSARY = 1;
const HAS_LINE = 2;

/**
 * The counts `sift/counts` reports for an analysis: boilerplate lines, direct quotations, entities of the types shown.
 * @param annotations Annotations.
 * @param settings Settings.
 * @returns Counts.
 */
export function countsOf(annotations: Annotations, settings: SiftSettings): {boilerplate: number; quotes: number; entities: number} {
  const types = new Set<string>(settings.entities.types);
  let quotes = 0;
  for (const q of annotations.quotes) if (q.direct) quotes++;
  let entities = 0;
  for (const e of annotations.entities) if (types.has(e.type)) entities++;
  return {boilerplate: annotations.boilerplate.length, quotes, entities};
}

/**
 * Pack the diagnostics of an analysis (`toDiagnostics`) for another thread.
 * @param analysis Analysis.
 * @returns Packed diagnostics.
 */
export function packDiagnostics(analysis: Analysis): PackedDiagnostics {
  const diagnostics = toDiagnostics(analysis);
  const n = diagnostics.length;
  const numbers = new Int32Array(n * DIAGNOSTIC_FIELDS);
  const messages = new Array<string>(n);
  const names: Array<string | undefined> = [undefined];
  const indexOfName = new Map<string, number>();
  const nameIndex = (name: string | number | undefined): number => {
    if (name === undefined) return 0;
    if (typeof name !== 'string') throw new Error(`a diagnostic code that is not a string: ${name}`);
    let i = indexOfName.get(name);
    if (i === undefined) {
      indexOfName.set(name, (i = names.length));
      names.push(name);
    }
    return i;
  };
  for (let i = 0; i < n; i++) {
    const d = diagnostics[i]!;
    const at = i * DIAGNOSTIC_FIELDS;
    const data = d.data as DiagnosticData;
    if (d.tags && (d.tags.length !== 1 || d.tags[0] !== DiagnosticTag.Unnecessary)) throw new Error('a diagnostic tag that cannot be packed');
    numbers[at] = d.range.start.line;
    numbers[at + 1] = d.range.start.character;
    numbers[at + 2] = d.range.end.line;
    numbers[at + 3] = d.range.end.character;
    numbers[at + 4] = d.severity!;
    numbers[at + 5] = nameIndex(d.code);
    numbers[at + 6] = nameIndex(d.source);
    numbers[at + 7] = (d.tags ? HAS_UNNECESSARY : 0) | (data.line !== undefined ? HAS_LINE : 0);
    numbers[at + 8] = data.line ?? 0;
    messages[i] = d.message;
  }
  return {version: analysis.version, numbers, messages, names, counts: countsOf(analysis.annotations, analysis.settings)};
}

/**
 * Read packed diagnostics back into the objects `toDiagnostics` makes, in slices of a few milliseconds with a pause
 * between them (27,000 diagnostics take ~20 ms).
 * @param packed Packed diagnostics.
 * @param pause Awaited between slices.
 * @param sliceMs Longest slice.
 * @returns Diagnostics.
 */
export async function unpackDiagnostics(packed: PackedDiagnostics, pause: () => Promise<unknown>, sliceMs = 8): Promise<Diagnostic[]> {
  const {numbers, messages, names, version} = packed;
  const n = messages.length;
  const out = new Array<Diagnostic>(n);
  let since = performance.now();
  for (let i = 0; i < n; i++) {
    if ((i & 511) === 511 && performance.now() - since > sliceMs) {
      await pause();
      since = performance.now();
    }
    const at = i * DIAGNOSTIC_FIELDS;
    const flags = numbers[at + 7]!;
    const data: DiagnosticData = flags & HAS_LINE ? {version, line: numbers[at + 8]!} : {version};
    const range = {start: {line: numbers[at]!, character: numbers[at + 1]!}, end: {line: numbers[at + 2]!, character: numbers[at + 3]!}};
    out[i] = flags & HAS_UNNECESSARY
      ? {range, message: messages[i]!, severity: numbers[at + 4] as DiagnosticSeverity, code: names[numbers[at + 5]!], source: names[numbers[at + 6]!]!, tags: [DiagnosticTag.Unnecessary], data}
      : {range, message: messages[i]!, severity: numbers[at + 4] as DiagnosticSeverity, code: names[numbers[at + 5]!], source: names[numbers[at + 6]!]!, data};
  }
  return out;
}

/**
 * Give an analysis the diagnostics made for it elsewhere (in the worker that analysed it): `toDiagnostics` returns
 * them from now on.
 * @param analysis Analysis.
 * @param diagnostics Its diagnostics.
 * @returns Nothing.
 */
export function setDiagnostics(analysis: Analysis, diagnostics: Diagnostic[]): void {
  indexOf(analysis).diagnostics = diagnostics;
}

/**
 * The work of `toDiagnostics`.
 * @param analysis Analysis.
 * @returns Diagnostics.
 */
function diagnosticsOf(analysis: Analysis): Diagnostic[] {
  const convert = diagnosticConverter(analysis);
  const out: Diagnostic[] = [];
  for (const message of analysis.messages) convert(message, out);
  return out;
}

/**
 * A function that adds the diagnostic of one message of an analysis (if it shows one) to a list.
 * @param analysis Analysis.
 * @returns Converter.
 */
function diagnosticConverter(analysis: Analysis): (message: AnalysisMessage, out: Diagnostic[]) => void {
  const {settings, lines} = analysis;
  const types = new Set<string>(settings.entities.types);
  // The first entity of each span, by a number made of its offsets (a string key per entity and per message cost
  // a tenth of the conversion of a large document); exact below 2^26 code units, string keys for longer texts.
  const key = analysis.text.length < 67_108_864 ? (start: number, end: number): number | string => start * 67_108_864 + end : (start: number, end: number): number | string => `${start}:${end}`;
  const entityAt = new Map<number | string, Entity>();
  for (const e of analysis.annotations.entities) {
    const k = key(e.start, e.end);
    if (!entityAt.has(k)) entityAt.set(k, e);
  }
  const boilerplateSeverity = severityOf(settings.severity.boilerplate);
  const quoteSeverity = severityOf(settings.severity.quotes);
  const entitySeverity = severityOf(settings.severity.entities);
  return (message, out) => {
    const start = message.place && 'start' in message.place ? message.place.start.offset : undefined;
    const end = message.place && 'end' in message.place ? message.place.end.offset : undefined;
    if (start === undefined || end === undefined) return;
    let severity: DiagnosticSeverity | null;
    const data: DiagnosticData = {version: analysis.version};
    const tags: DiagnosticTag[] = [];
    if (message.ruleId === RULE_IDS.boilerplate) {
      severity = boilerplateSeverity;
      tags.push(DiagnosticTag.Unnecessary);
      data.line = lineAt(lines, start);
    } else if (message.ruleId === RULE_IDS.quotation) {
      severity = quoteSeverity;
    } else if (message.ruleId === RULE_IDS.entity) {
      const entity = entityAt.get(key(start, end));
      if (entity && !types.has(entity.type)) return;
      severity = entitySeverity;
    } else return;
    if (severity === null) return;
    out.push({
      range: rangeOf(lines, start, end),
      message: message.reason,
      severity,
      code: message.ruleId ?? undefined,
      source: message.source ?? 'sift',
      ...(tags.length ? {tags} : {}),
      data,
    });
  };
}

/**
 * One line of text for a hover or a symbol.
 * @param text Text.
 * @param max Longest length.
 * @returns Shortened text.
 */
function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Escape Markdown.
 * @param text Text.
 * @returns Escaped.
 */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

/**
 * The hover at a position: boilerplate (category, reason, how sure), quotation (speaker, cue, other quotations by
 * the same speaker) and entity (type, canonical name, mentions in the file), as many as apply.
 * @param analysis Analysis.
 * @param position Position.
 * @returns Hover or null.
 */
export function hoverAt(analysis: Analysis, position: Position): Hover | null {
  const {annotations, lines, text} = analysis;
  const index = indexOf(analysis);
  const offset = offsetAt(lines, position);
  const parts: string[] = [];
  let range: Range | undefined;
  const entitiesByLine = (index.entitiesByLine ??= byLine(lines, annotations.entities));
  const entity = findAt(analysis, annotations.entities, entitiesByLine, offset, (e) => analysis.settings.entities.types.includes(e.type));
  if (entity) {
    if (!index.mentions) {
      index.mentions = new Map();
      for (const e of annotations.entities) {
        const list = index.mentions.get(e.id);
        if (list) list.push(e);
        else index.mentions.set(e.id, [e]);
      }
    }
    const mentions = index.mentions.get(entity.id)!;
    const forms = new Map<string, number>();
    for (const m of mentions) forms.set(m.text, (forms.get(m.text) ?? 0) + 1);
    const where = [...new Set(mentions.map((m) => lineAt(lines, m.start) + 1))];
    parts.push(
      `**${TYPE_NAMES[entity.type] ?? entity.type}** · ${md(entity.canonical)}\n\n` +
        `${mentions.length} mention${mentions.length === 1 ? '' : 's'} in this file` +
        ` (${[...forms].map(([form, n]) => `“${md(form)}”${n > 1 ? ` ×${n}` : ''}`).join(', ')}), line${where.length === 1 ? '' : 's'} ${where.slice(0, 12).join(', ')}${where.length > 12 ? ', …' : ''}`,
    );
    range = rangeOf(lines, entity.start, entity.end);
  }
  const quotesByLine = (index.quotesByLine ??= byLine(lines, annotations.quotes));
  const quote = findAt(analysis, annotations.quotes, quotesByLine, offset, (q) => q.direct) ?? findAt(analysis, annotations.quotes, quotesByLine, offset, () => true);
  if (quote) {
    const title = quote.kind === 'indirect' ? 'Indirect speech' : quote.kind === 'partial' ? 'Partial quotation' : 'Quotation';
    let body = `**${title}** · ${quote.speaker ? `speaker **${md(quote.speaker)}**` : 'speaker unknown'}`;
    if (quote.speakerMention && quote.speakerMention !== quote.speaker) body += ` (as “${md(quote.speakerMention)}”)`;
    if (quote.cue) body += ` · cue *${md(quote.cue)}*`;
    if (quote.speaker) {
      if (!index.bySpeaker) {
        index.bySpeaker = new Map();
        for (const q of annotations.quotes) {
          if (!q.direct || !q.speaker) continue;
          const list = index.bySpeaker.get(q.speaker);
          if (list) list.push(q);
          else index.bySpeaker.set(q.speaker, [q]);
        }
      }
      const others = (index.bySpeaker.get(quote.speaker) ?? []).filter((q) => q !== quote);
      if (others.length) {
        body += `\n\nOther quotations by ${md(quote.speaker)} in this file:\n${others
          .slice(0, 8)
          .map((q) => `- line ${lineAt(lines, q.start) + 1}: “${md(excerpt(text.slice(q.start, q.end), 70))}”`)
          .join('\n')}${others.length > 8 ? `\n- and ${others.length - 8} more` : ''}`;
      }
    }
    parts.push(body);
    range ??= rangeOf(lines, quote.start, quote.end);
  }
  const line = lineAt(lines, offset);
  if (!index.boilerplateByLine) {
    index.boilerplateByLine = new Map();
    for (const b of annotations.boilerplate) if (!index.boilerplateByLine.has(b.line)) index.boilerplateByLine.set(b.line, b);
  }
  const boilerplate = index.boilerplateByLine.get(line);
  if (boilerplate) {
    parts.push(
      `**Boilerplate** · ${boilerplate.category}\n\n${md(boilerplate.reason)}\n\nHow sure: ${Math.round(boilerplate.score * 100)}% · ` +
        `quick fixes: remove this line, remove all boilerplate, or keep this line`,
    );
    range ??= rangeOf(lines, boilerplate.start, boilerplate.end);
  }
  if (parts.length === 0) return null;
  return {contents: {kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n')}, range};
}

/**
 * The text edits that delete whole lines, terminators included, merging adjacent lines into one edit. The last line
 * of a text keeps the terminator of the line before it, exactly as the engine's `removeLines` does.
 * @param lines Lines of the text.
 * @param remove Line indices.
 * @returns Non-overlapping edits in order.
 */
export function deleteLines(lines: readonly LineInfo[], remove: Iterable<number>): TextEdit[] {
  const sorted = [...new Set(remove)].filter((i) => i >= 0 && i < lines.length).sort((a, b) => a - b);
  const edits: TextEdit[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runStart < 0) return;
    edits.push({range: rangeOf(lines, lines[runStart]!.start, lines[runEnd]!.endWithTerminator), newText: ''});
  };
  for (const index of sorted) {
    if (index === runEnd + 1 && runStart >= 0) runEnd = index;
    else {
      flush();
      runStart = runEnd = index;
    }
  }
  flush();
  return edits;
}

/**
 * A versioned edit removing lines from the analysed version of a document: a client rejects it if the document has
 * changed since.
 * @param analysis Analysis.
 * @param remove Line indices.
 * @returns Edit.
 */
export function removalEdit(analysis: Analysis, remove: Iterable<number>): TextDocumentEdit {
  return {textDocument: {uri: analysis.uri, version: analysis.version}, edits: deleteLines(analysis.lines, remove)};
}

/**
 * The boilerplate lines to strip.
 * @param analysis Analysis.
 * @param keepMetadata Keep date, byline and source-credit lines.
 * @returns Flagged lines.
 */
export function strippable(analysis: Analysis, keepMetadata: boolean): BoilerplateLine[] {
  return analysis.annotations.boilerplate.filter((b) => !(keepMetadata && b.category === 'metadata'));
}

/**
 * Code actions for a range: on a boilerplate line, remove it (preferred), remove all boilerplate, keep the line;
 * with `source.fixAll.sift` (or `source.fixAll`) requested, the fix-all action. Only for the analysed version.
 * @param analysis A fresh analysis of the document's current version.
 * @param range Requested range.
 * @param only Requested kinds, if any.
 * @returns Actions.
 */
export function codeActions(analysis: Analysis, range: Range, only?: readonly string[]): CodeAction[] {
  const wants = (kind: string): boolean => !only || only.length === 0 || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const all = strippable(analysis, analysis.settings.strip.keepMetadata);
  if (wants(CodeActionKind.QuickFix)) {
    const diagnostics = toDiagnostics(analysis).filter((d) => d.code === RULE_IDS.boilerplate);
    for (const item of analysis.annotations.boilerplate) {
      if (item.line < range.start.line || item.line > range.end.line) continue;
      const diagnostic = diagnostics.find((d) => (d.data as DiagnosticData).line === item.line);
      const lineText = analysis.text.slice(item.start, item.end);
      actions.push({
        title: 'Remove this boilerplate line',
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: diagnostic ? [diagnostic] : undefined,
        edit: {documentChanges: [removalEdit(analysis, [item.line])]},
      });
      if (all.length > 1) {
        actions.push({title: `Remove all boilerplate in this file (${all.length} lines)`, kind: CodeActionKind.QuickFix, edit: {documentChanges: [removalEdit(analysis, all.map((b) => b.line))]}});
      }
      actions.push({
        title: 'Keep this line (stop flagging it)',
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnostic ? [diagnostic] : undefined,
        command: {title: 'Keep this line', command: COMMANDS.keepLine, arguments: [analysis.uri, lineText.trim()]},
      });
    }
  }
  if (only && all.length > 0 && (only.includes(FIX_ALL_KIND) || only.includes(CodeActionKind.SourceFixAll) || only.includes(CodeActionKind.Source))) {
    actions.push({title: `Sift: remove all boilerplate (${all.length} lines)`, kind: FIX_ALL_KIND, edit: {documentChanges: [removalEdit(analysis, all.map((b) => b.line))]}});
  }
  return actions;
}

/**
 * Semantic tokens (LSP relative encoding): direct quotations and entities by type. Entities win where they overlap
 * a quotation; tokens never span lines.
 * @param analysis Analysis.
 * @returns Encoded data.
 */
export function semanticTokens(analysis: Analysis): number[] {
  const index = indexOf(analysis);
  return (index.tokens ??= tokensOf(analysis));
}

/**
 * The work of `semanticTokens`.
 * @param analysis Analysis.
 * @returns Encoded data.
 */
function tokensOf(analysis: Analysis): number[] {
  const {annotations, lines} = analysis;
  const types = new Set<string>(analysis.settings.entities.types);
  const spans: Array<{start: number; end: number; type: number; mods: number}> = [];
  const entityType = (e: Entity): number => {
    switch (e.type) {
      case 'PER':
        return 1;
      case 'ORG':
        return 2;
      case 'LOC':
        return 3;
      case 'MISC':
        return 4;
      default:
        return 5;
    }
  };
  const entities = annotations.entities.filter((e) => types.has(e.type)).sort((a, b) => a.start - b.start);
  let reach = -1;
  for (const e of entities) {
    if (e.start < reach) continue;
    spans.push({start: e.start, end: e.end, type: entityType(e), mods: 0});
    reach = e.end;
  }
  // reachBefore[i]: the furthest end among entities[0..i]. The entities a quotation can meet start before its end
  // and end after its start: from the first whose reach passes the start (binary search) to the last starting before
  // the end, instead of every entity for every quotation.
  const reachBefore = new Float64Array(entities.length);
  entities.forEach((e, i) => (reachBefore[i] = Math.max(e.end, i > 0 ? reachBefore[i - 1]! : -1)));
  for (const q of annotations.quotes) {
    if (!q.direct) continue;
    let cursor = q.start;
    let lo = 0;
    let hi = entities.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (reachBefore[mid]! > q.start) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < entities.length; i++) {
      const e = entities[i]!;
      if (e.start >= q.end) break;
      if (e.end <= cursor) continue;
      if (e.start > cursor) spans.push({start: cursor, end: e.start, type: 0, mods: q.kind === 'partial' ? 1 : 0});
      cursor = Math.max(cursor, e.end);
    }
    if (cursor < q.end) spans.push({start: cursor, end: q.end, type: 0, mods: q.kind === 'partial' ? 1 : 0});
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let last = -1;
  for (const span of spans) {
    if (span.start < last) continue;
    last = span.end;
    let start = span.start;
    while (start < span.end) {
      const line = lineAt(lines, start);
      const info = lines[line]!;
      const end = Math.min(span.end, info.end);
      if (end > start) {
        const char = start - info.start;
        data.push(line - prevLine, line === prevLine ? char - prevChar : char, end - start, span.type, span.mods);
        prevLine = line;
        prevChar = char;
      }
      if (line + 1 >= lines.length) break;
      start = lines[line + 1]!.start;
    }
  }
  return data;
}

/**
 * The outline: speakers with their quotations, then entities grouped by type.
 * @param analysis Analysis.
 * @returns Symbols.
 */
export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const {annotations, lines, text} = analysis;
  const hull = (children: DocumentSymbol[]): Range => ({start: children[0]!.range.start, end: children.reduce((e, c) => (c.range.end.line > e.line || (c.range.end.line === e.line && c.range.end.character > e.character) ? c.range.end : e), children[0]!.range.end)});
  const out: DocumentSymbol[] = [];
  const bySpeaker = new Map<string, Quote[]>();
  for (const q of annotations.quotes) {
    if (!q.direct) continue;
    const key = q.speaker ?? 'Unknown speaker';
    const list = bySpeaker.get(key);
    if (list) list.push(q);
    else bySpeaker.set(key, [q]);
  }
  for (const [speaker, quotes] of bySpeaker) {
    const children = quotes.map((q): DocumentSymbol => {
      const range = rangeOf(lines, q.start, q.end);
      return {name: `“${excerpt(text.slice(q.start, q.end), 60)}”`, detail: q.kind === 'partial' ? 'partial quotation' : q.cue ?? '', kind: SymbolKind.String, range, selectionRange: range};
    });
    const range = hull(children);
    out.push({name: speaker, detail: `${quotes.length} quotation${quotes.length === 1 ? '' : 's'}`, kind: SymbolKind.Class, range, selectionRange: children[0]!.range, children});
  }
  const groups: Array<[string, string[]]> = [
    ['People', ['PER']],
    ['Organisations', ['ORG']],
    ['Places', ['LOC']],
    ['Other names', ['MISC']],
  ];
  const types = new Set<string>(analysis.settings.entities.types);
  for (const [title, kinds] of groups) {
    const entities = annotations.entities.filter((e) => kinds.includes(e.type) && types.has(e.type));
    if (entities.length === 0) continue;
    const byId = new Map<string, Entity[]>();
    for (const e of entities) {
      const list = byId.get(e.id);
      if (list) list.push(e);
      else byId.set(e.id, [e]);
    }
    const children = [...byId.values()].map((mentions): DocumentSymbol => {
      const first = mentions[0]!;
      const range = rangeOf(lines, first.start, first.end);
      return {name: first.canonical, detail: `${mentions.length} mention${mentions.length === 1 ? '' : 's'}`, kind: first.type === 'PER' ? SymbolKind.Object : first.type === 'LOC' ? SymbolKind.Namespace : SymbolKind.Struct, range, selectionRange: range};
    });
    children.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    out.push({name: title, detail: `${children.length}`, kind: SymbolKind.Namespace, range: hull(children), selectionRange: children[0]!.range, children});
  }
  return out;
}

/**
 * Inlay hints naming the resolved speaker after each direct quotation ("— Ibrahim Kalin").
 * @param analysis Analysis.
 * @param range Visible range.
 * @returns Hints.
 */
export function inlayHints(analysis: Analysis, range: Range): InlayHint[] {
  if (!analysis.settings.inlayHints.speakers) return [];
  const {text, lines} = analysis;
  const hints: InlayHint[] = [];
  for (const q of analysis.annotations.quotes) {
    if (!q.direct || !q.speaker) continue;
    // After the closing mark when there is one on the same line.
    let at = q.end;
    if (at < text.length && /["”’»'‘“]/.test(text[at]!)) at++;
    const position = positionAt(lines, at);
    if (position.line < range.start.line || position.line > range.end.line) continue;
    hints.push({position, label: `— ${q.speaker}`, kind: InlayHintKind.Parameter, paddingLeft: true, tooltip: q.speakerMention && q.speakerMention !== q.speaker ? `named “${q.speakerMention}” in the text` : undefined});
  }
  return hints;
}

/**
 * Folding ranges over runs of boilerplate lines (blank lines between them do not break a run).
 * @param analysis Analysis.
 * @returns Ranges of two lines or more.
 */
export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const {text, lines} = analysis;
  const flagged = new Set(analysis.annotations.boilerplate.map((b) => b.line));
  const blank = (i: number): boolean => text.slice(lines[i]!.start, lines[i]!.end).trim() === '';
  const out: FoldingRange[] = [];
  let start = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && flagged.has(i)) {
      if (start < 0) start = i;
      last = i;
      count++;
    } else if (i < lines.length && blank(i) && start >= 0) {
      continue;
    } else {
      if (start >= 0 && last > start) out.push({startLine: start, endLine: last, kind: FoldingRangeKind.Region, collapsedText: `${count} boilerplate lines`});
      start = -1;
      count = 0;
    }
  }
  return out;
}

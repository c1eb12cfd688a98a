/**
 * The cross-source summary of a set of files: which files are one story, who is quoted by which source, which
 * quotations several sources carry (and how their wording differs), and the most named entities overall and per
 * source. `sift report` prints it; the language server's Sources Overview draws it.
 */
import type {EntityType} from '../types.js';
import type {CorpusIndex} from './index.js';
import {diffCounts} from './quotes.js';

/** One quotation of a source, as the report lists it. */
export interface ReportQuote {
  file: string;
  /** 0-based line and character of the start. */
  line: number;
  character: number;
  start: number;
  end: number;
  text: string;
  /** How this copy differs from the fullest one, in words. */
  added: number;
  removed: number;
}

/** The report. */
export interface CorpusReport {
  files: Array<{file: string; title: string; quotations: number; names: number}>;
  stories: Array<{files: string[]; names: string[]; nearDuplicates: Array<{a: string; b: string; jaccard: number}>}>;
  /** Speakers by number of quotations (direct and partial), with counts per source. */
  speakers: Array<{speaker: string; quotations: number; sources: Record<string, number>}>;
  /** Quotations several sources carry, most sources first. */
  sharedQuotations: Array<{speaker: string | null; text: string; sources: ReportQuote[]}>;
  /** The most named entities (mentions outside boilerplate lines and the folder's repeated template lines). */
  topNames: Array<{name: string; type: EntityType; mentions: number; files: number}>;
  /** Per source, its most named entities. */
  topNamesBySource: Record<string, Array<{name: string; type: EntityType; mentions: number}>>;
}

/** How many entries the report's lists keep. */
export interface ReportLimits {
  speakers: number;
  sharedQuotations: number;
  topNames: number;
  namesPerSource: number;
}

export const DEFAULT_REPORT_LIMITS: Readonly<ReportLimits> = Object.freeze({speakers: 25, sharedQuotations: 50, topNames: 20, namesPerSource: 8});

/**
 * Build the report.
 * @param index The index of the files.
 * @param limits List lengths.
 * @returns Report (plain data, JSON-ready).
 */
export function buildReport(index: CorpusIndex, limits: Partial<ReportLimits> = {}): CorpusReport {
  const limit = {...DEFAULT_REPORT_LIMITS, ...limits};
  const files = index.files();
  const clusters = index.quoteClusters();

  const speakers = new Map<string, {quotations: number; sources: Record<string, number>}>();
  for (const cluster of clusters) {
    const speaker = cluster.speaker ?? 'Unknown speaker';
    let entry = speakers.get(speaker);
    if (!entry) speakers.set(speaker, (entry = {quotations: 0, sources: {}}));
    entry.quotations++;
    for (const member of cluster.members) entry.sources[member.file] = (entry.sources[member.file] ?? 0) + 1;
  }

  const shared = clusters
    .filter((c) => c.files.length >= 2)
    .sort((a, b) => b.files.length - a.files.length || a.id - b.id)
    .slice(0, limit.sharedQuotations)
    .map((cluster) => ({
      speaker: cluster.speaker,
      text: cluster.longest.quote.text,
      sources: cluster.members.map((m): ReportQuote => {
        const pos = index.positionOf(m.file, m.quote.start)!;
        const {added, removed} = diffCounts(cluster.longest.quote.text, m.quote.text);
        return {file: m.file, line: pos.line, character: pos.character, start: m.quote.start, end: m.quote.end, text: m.quote.text, added, removed};
      }),
    }));

  const names = [...index.names().values()];
  const skipped = new Map(files.map((f) => [f.id, index.nonStoryLines(f)]));
  const counted = names
    .map((name) => {
      let mentions = 0;
      const perFile = new Map<string, number>();
      for (const [file, list] of name.files) {
        const skip = skipped.get(file)!;
        const n = list.filter((e) => !skip.has(e.line)).length;
        if (n) perFile.set(file, n);
        mentions += n;
      }
      return {name, mentions, perFile};
    })
    .filter((n) => n.mentions > 0);
  const byMentions = (a: {mentions: number; name: {name: string}}, b: {mentions: number; name: {name: string}}): number =>
    b.mentions - a.mentions || (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0);
  const topNamesBySource: CorpusReport['topNamesBySource'] = {};
  for (const file of files) {
    topNamesBySource[file.id] = counted
      .filter((n) => n.perFile.has(file.id))
      .map((n) => ({name: n.name, mentions: n.perFile.get(file.id)!}))
      .sort(byMentions)
      .slice(0, limit.namesPerSource)
      .map((n) => ({name: n.name.name, type: n.name.type, mentions: n.mentions}));
  }

  const {stories} = index.stories();
  return {
    files: files.map((f) => ({
      file: f.id,
      title: f.summary.title,
      quotations: f.summary.quotes.filter((q) => q.kind !== 'indirect').length,
      names: f.summary.entities.length,
    })),
    stories: stories.map((s) => ({
      files: s.files,
      names: s.names.map((key) => index.names().get(key)?.name ?? key),
      nearDuplicates: s.links.filter((l) => l.nearDuplicate).map((l) => ({a: l.a, b: l.b, jaccard: Math.round(l.jaccard * 100) / 100})),
    })),
    speakers: [...speakers]
      .map(([speaker, e]) => ({speaker, quotations: e.quotations, sources: e.sources}))
      .sort((a, b) => b.quotations - a.quotations || (a.speaker < b.speaker ? -1 : 1))
      .slice(0, limit.speakers),
    sharedQuotations: shared,
    topNames: counted
      .sort(byMentions)
      .slice(0, limit.topNames)
      .map((n) => ({name: n.name.name, type: n.name.type, mentions: n.mentions, files: n.perFile.size})),
    topNamesBySource,
  };
}

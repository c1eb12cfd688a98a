/**
 * `sift report DIR…`: the cross-source summary of a set of files — which files are one story, who is quoted by
 * which source, the quotations several sources carry (and how their wording differs), and the most named
 * entities — as text or `--format json`. It uses the same index as the language server.
 */
import * as path from 'node:path';
import {annotate, type AnnotateOptions} from '../engine/index.js';
import {buildReport, CorpusIndex, oneLine, summarize, type CorpusReport} from '../engine/corpus/index.js';
import type {SourceText} from './files.js';
import type {Args} from './main.js';

/** What the command needs from the CLI. */
export interface ReportIo {
  readAll(args: Pick<Args, 'inputs' | 'ext' | 'maxSize'>): Promise<{sources: SourceText[]; problems: number}>;
}

/**
 * Index files for the cross-source commands: one summary per file from the engine's annotations.
 * @param sources Files read.
 * @param options Engine options.
 * @returns The index.
 */
export function indexSources(sources: readonly SourceText[], options: AnnotateOptions): CorpusIndex {
  const index = new CorpusIndex();
  for (const source of sources) {
    index.set(source.path, path.dirname(source.path), summarize(source.text, annotate(source.text, {...options, only: undefined})));
  }
  return index;
}

/**
 * `report`.
 * @param args Args.
 * @param options Engine options.
 * @param io File reading.
 * @returns Exit code.
 */
export async function runReport(args: Args, options: AnnotateOptions, io: ReportIo): Promise<number> {
  const {sources, problems} = await io.readAll(args);
  const index = indexSources(sources, options);
  const report = buildReport(index);
  const out = args.format === 'json' ? `${JSON.stringify(report)}\n` : formatReport(report);
  await new Promise<void>((resolve) => (process.stdout.write(out) ? resolve() : process.stdout.once('drain', resolve)));
  return problems > 0 ? 1 : 0;
}

/**
 * The report as text.
 * @param report Report.
 * @returns Text, ending with a newline.
 */
export function formatReport(report: CorpusReport): string {
  const lines: string[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const quotations = report.speakers.reduce((n, s) => n + s.quotations, 0);
  lines.push(
    `Sift report: ${plural(report.files.length, 'file')}, ${plural(report.stories.length, 'story').replace('storys', 'stories')}, ` +
      `${plural(quotations, 'quotation')}, ${plural(report.sharedQuotations.length, 'quotation')} carried by several sources`,
  );
  const short = shortNames(report.files.map((f) => f.file));

  lines.push('', 'Stories');
  if (report.stories.length === 0) lines.push('  (no two files report the same story)');
  report.stories.forEach((story, i) => {
    lines.push(`  ${i + 1}. ${plural(story.files.length, 'file')}${story.names.length ? `; they all name ${story.names.slice(0, 6).join(', ')}` : ''}`);
    for (const file of story.files) lines.push(`     ${file}  ${oneLine(report.files.find((f) => f.file === file)?.title ?? '', 70)}`);
    for (const d of story.nearDuplicates) lines.push(`     near-duplicates: ${short.get(d.a)} and ${short.get(d.b)} (${Math.round(d.jaccard * 100)}% of word triples shared)`);
  });
  const alone = report.files.length - report.stories.reduce((n, s) => n + s.files.length, 0);
  if (report.stories.length && alone > 0) lines.push(`  ${plural(alone, 'other file')} report${alone === 1 ? 's' : ''} a story of ${alone === 1 ? 'its' : 'their'} own`);

  lines.push('', 'Speakers: quotations per source');
  if (report.speakers.length === 0) lines.push('  (no quotations)');
  else if (report.files.length <= 12) {
    const columns = report.files.map((f) => short.get(f.file)!);
    const width = Math.max(7, ...report.speakers.map((s) => s.speaker.length));
    lines.push(`  ${'speaker'.padEnd(width)}  ${columns.map((c) => c.padStart(Math.max(3, c.length))).join(' ')}  quotations`);
    for (const s of report.speakers) {
      const cells = report.files.map((f, i) => String(s.sources[f.file] ?? '.').padStart(Math.max(3, columns[i]!.length)));
      lines.push(`  ${s.speaker.padEnd(width)}  ${cells.join(' ')}  ${s.quotations}`);
    }
  } else {
    for (const s of report.speakers) {
      const top = Object.entries(s.sources).sort((a, b) => b[1] - a[1]).slice(0, 5);
      lines.push(`  ${s.speaker}: ${plural(s.quotations, 'quotation')} in ${plural(Object.keys(s.sources).length, 'source')} (${top.map(([f, n]) => `${short.get(f)} ${n}`).join(', ')})`);
    }
  }

  lines.push('', 'Quotations carried by several sources');
  if (report.sharedQuotations.length === 0) lines.push('  (none)');
  for (const q of report.sharedQuotations) {
    lines.push(`  ${q.speaker ?? 'Unknown speaker'}, ${plural(new Set(q.sources.map((s) => s.file)).size, 'source')}: “${oneLine(q.text, 90)}”`);
    for (const s of q.sources) {
      const diff = s.added === 0 && s.removed === 0 ? 'same words' : [s.removed ? `${plural(s.removed, 'word')} fewer` : '', s.added ? `${plural(s.added, 'word')} more` : ''].filter(Boolean).join(', ');
      lines.push(`     ${s.file}:${s.line + 1}:${s.character + 1}  ${diff}`);
    }
  }

  lines.push('', 'Most named');
  if (report.topNames.length === 0) lines.push('  (no names)');
  for (const n of report.topNames) lines.push(`  ${n.name} (${n.type}): ${plural(n.mentions, 'mention')} in ${plural(n.files, 'file')}`);
  if (report.files.length <= 50) {
    lines.push('', 'Most named per source');
    for (const f of report.files) {
      const top = report.topNamesBySource[f.file] ?? [];
      lines.push(`  ${short.get(f.file)}: ${top.length ? top.map((n) => `${n.name} ${n.mentions}`).join(', ') : '(none)'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Short labels for files: the shortest unique prefix of their base names (at least three characters).
 * @param files Paths.
 * @returns Label per path.
 */
export function shortNames(files: readonly string[]): Map<string, string> {
  const bases = files.map((f) => path.basename(f).replace(/\.[^.]+$/, ''));
  const out = new Map<string, string>();
  files.forEach((file, i) => {
    const base = bases[i]!;
    let n = Math.min(3, base.length);
    while (n < base.length && bases.some((b, j) => j !== i && b.startsWith(base.slice(0, n)))) n++;
    out.set(file, base.slice(0, n));
  });
  return out;
}

/**
 * `sift export FILE|DIR… --format jsonl|brat|conll [--out DIR]`: annotations in the formats annotation tools import.
 *
 * - `jsonl`: one doccano record per file on stdout (`{"source", "text", "label": [[start, end, TYPE]], …}`, code points);
 * - `brat`: `NAME.ann` beside each `NAME.txt` (or, with `--out`, the `.txt` copied and its `.ann` under DIR, same
 *   relative paths), and an `annotation.conf` in each folder written to that has none;
 * - `conll`: `NAME.conll` (token, IOB2 tag) beside each file, or under `--out`.
 */
import * as path from 'node:path';
import {promises as fs} from 'node:fs';
import {annotate, type AnnotateOptions} from '../engine/index.js';
import {BRAT_ANNOTATION_CONF, toBrat, toConll, toDoccano} from '../engine/corpus/export.js';
import {FolderLineCounts} from '../engine/corpus/folder-lines.js';
import {makeDirs, writeAtomic, type SourceText} from './files.js';
import type {Args} from './main.js';

/** What the command needs from the CLI. */
export interface ExportIo {
  readAll(args: Pick<Args, 'inputs' | 'ext' | 'maxSize'>): Promise<{sources: SourceText[]; problems: number}>;
  optionsFor(options: AnnotateOptions, folder: FolderLineCounts, source: SourceText): AnnotateOptions;
  commonBase(files: readonly string[]): string;
}

/**
 * `export`.
 * @param args Args.
 * @param options Engine options.
 * @param io CLI helpers.
 * @returns Exit code.
 */
export async function runExport(args: Args, options: AnnotateOptions, io: ExportIo): Promise<number> {
  const {sources, problems: readProblems} = await io.readAll(args);
  let problems = readProblems;
  const folders = new FolderLineCounts();
  for (const source of sources) folders.addText(source.path, path.dirname(source.path), source.text);
  const base = io.commonBase(sources.map((s) => s.path));
  const confWritten = new Set<string>();
  let dropped = 0;
  let written = 0;
  for (const source of sources) {
    const annotations = annotate(source.text, {...io.optionsFor(options, folders, source), only: undefined});
    if (args.format === 'jsonl') {
      const line = `${JSON.stringify(toDoccano(source.path, source.text, annotations))}\n`;
      if (!process.stdout.write(line)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      continue;
    }
    const extension = args.format === 'brat' ? '.ann' : '.conll';
    let content: string;
    if (args.format === 'brat') content = toBrat(source.text, annotations);
    else {
      const conll = toConll(source.text, annotations);
      content = conll.conll;
      dropped += conll.dropped;
    }
    const target = args.out ? path.join(args.out, path.relative(base, source.path)) : source.path;
    const output = target.replace(/\.[^./\\]*$/, '') + extension;
    try {
      await makeDirs(path.dirname(output));
      if (args.out && args.format === 'brat') await writeAtomic(target, source.text, source.mode);
      await writeAtomic(output, content, 0o644);
      written++;
      const dir = path.dirname(output);
      if (args.format === 'brat' && !confWritten.has(dir)) {
        confWritten.add(dir);
        const conf = path.join(dir, 'annotation.conf');
        if (!(await fs.stat(conf).catch(() => null))) await writeAtomic(conf, BRAT_ANNOTATION_CONF, 0o644);
      }
    } catch (error) {
      problems++;
      process.stderr.write(`sift: ${output}: cannot write: ${(error as Error).message}\n`);
    }
  }
  if (args.format !== 'jsonl') {
    process.stderr.write(`sift: wrote ${written} ${args.format === 'brat' ? '.ann' : '.conll'} file${written === 1 ? '' : 's'}${args.out ? ` under ${args.out}` : ' beside the sources'}\n`);
    if (dropped) process.stderr.write(`sift: ${dropped} overlapping entit${dropped === 1 ? 'y' : 'ies'} left out of CoNLL (IOB cannot nest)\n`);
  }
  return problems > 0 ? 1 : 0;
}

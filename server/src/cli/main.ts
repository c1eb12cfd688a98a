/**
 * `sift`: the command-line tool, on the same engine as the language server.
 *
 *   sift annotate FILE|DIR…  [--format text|json] [--only KINDS]
 *   sift annotate --jsonl    [--only KINDS]          (stdin {id,text} lines → stdout one result line each)
 *   sift clean FILE|DIR…     (--out DIR | --in-place) [--keep-metadata] [--dry-run]
 *   sift report DIR…         [--format text|json]    (the cross-source summary: stories, speakers, shared quotations)
 *   sift export FILE|DIR…    --format jsonl|brat|conll [--out DIR]
 *
 * Exit codes: 0 success; 1 some files were skipped or refused (each with a message on stderr); 2 usage error.
 */
import * as path from 'node:path';
import {promises as fs, lstatSync} from 'node:fs';
import * as readline from 'node:readline';
import {annotate, removeLines, ANALYSIS_KINDS, type AnalysisKind, type AnnotateOptions, type Annotations} from '../engine/index.js';
import {FolderLineCounts, withLineView} from '../engine/corpus/folder-lines.js';
import {collectFiles, makeDirs, readSourceSync, writeAtomic, SkipError, type SourceText} from './files.js';
import {toJsonRecord} from './format.js';
import {defaultJobs, isPoolWorker, mapInOrder, Pool} from './workers.js';
import {runReport} from './report.js';
import {runExport} from './export.js';

declare const SIFT_VERSION: string | undefined;

const USAGE = `Usage:
  sift annotate FILE|DIR...  [--format text|json] [--only boilerplate,quotes,entities]
  sift annotate --jsonl      [--only ...]    read {"id","text"} lines on stdin, write one result line each
  sift clean FILE|DIR...     --out DIR | --in-place  [--keep-metadata] [--dry-run]
  sift report DIR...         [--format text|json]    stories, speakers, quotations several sources carry, most named
  sift export FILE|DIR...    --format jsonl|brat|conll [--out DIR]   for doccano (JSONL), brat/INCEpTION (.ann, .conll)

Options:
  --format text|json   text: file:line:col kind message (default); json: one object per file
                       (export: jsonl to stdout; brat writes FILE.ann and conll FILE.conll beside each FILE.txt, or under --out)
  --only KINDS         comma-separated analyses to run (default: all)
  --threshold N        boilerplate score threshold, 0..1 (default 0.5)
  --ext .txt,.text     file extensions taken from directories (default .txt)
  --max-size BYTES     skip files larger than this (default 5 MB)
  --out DIR            clean: write cleaned copies under DIR (same relative paths)
  --in-place           clean: rewrite the files (atomically; refused if a file changed meanwhile)
  --keep-metadata      clean: keep date, byline and source-credit lines
  --dry-run            clean: report what would be removed, write nothing
  --jobs N             worker threads for FILE|DIR (default: one per core when there is much to do)
  -h, --help           this help;  -v, --version  the version

Exit codes: 0 success; 1 some files were skipped or refused (see stderr); 2 usage error.`;

/** Parsed command line. */
export interface Args {
  command: string;
  inputs: string[];
  format: 'text' | 'json' | 'jsonl' | 'brat' | 'conll';
  /** True when --format was given. */
  formatGiven: boolean;
  jsonl: boolean;
  only: AnalysisKind[];
  threshold?: number;
  ext: string[];
  maxSize: number;
  out?: string;
  inPlace: boolean;
  keepMetadata: boolean;
  dryRun: boolean;
  /** Worker threads; undefined: `defaultJobs`. */
  jobs?: number;
}

/** A usage error: exit code 2. */
class UsageError extends Error {}

/**
 * Parse argv.
 *
 * @param argv Arguments after the script.
 * @returns Args.
 */
export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {command: '', inputs: [], format: 'text', formatGiven: false, jsonl: false, only: [...ANALYSIS_KINDS], ext: ['.txt'], maxSize: 5 * 1024 * 1024, inPlace: false, keepMetadata: false, dryRun: false};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'jsonl' && v !== 'brat' && v !== 'conll') throw new UsageError(`--format must be text, json, jsonl, brat or conll, not "${v}"`);
      args.format = v;
      args.formatGiven = true;
    } else if (arg === '--jsonl') args.jsonl = true;
    else if (arg === '--only') {
      const kinds = value().split(',').map((s) => s.trim()).filter(Boolean);
      for (const kind of kinds) if (!(ANALYSIS_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--only takes ${ANALYSIS_KINDS.join(', ')}; "${kind}" is none of them`);
      args.only = kinds as AnalysisKind[];
    } else if (arg === '--threshold') {
      const n = Number(value());
      if (!(n >= 0 && n <= 1)) throw new UsageError('--threshold must be a number from 0 to 1');
      args.threshold = n;
    } else if (arg === '--ext') args.ext = value().split(',').map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
    else if (arg === '--max-size') {
      const n = Number(value());
      if (!(n > 0)) throw new UsageError('--max-size must be a positive number of bytes');
      args.maxSize = n;
    } else if (arg === '--out') args.out = value();
    else if (arg === '--in-place') args.inPlace = true;
    else if (arg === '--keep-metadata') args.keepMetadata = true;
    else if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--jobs') {
      const n = Number(value());
      if (!(Number.isInteger(n) && n >= 1 && n <= 256)) throw new UsageError('--jobs must be a whole number from 1 to 256');
      args.jobs = n;
    }
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (!args.command) args.command = arg;
    else args.inputs.push(arg);
  }
  return args;
}

/**
 * Run the CLI.
 *
 * @param argv Arguments after the script.
 * @returns Exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // An engine worker thread loads this same script: it serves tasks (workers.ts) and runs no command.
  if (isPoolWorker()) return 0;
  if (argv.includes('-h') || argv.includes('--help') || argv.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv.includes('-v') || argv.includes('--version')) {
    process.stdout.write(`${typeof SIFT_VERSION === 'string' ? SIFT_VERSION : 'dev'}\n`);
    return 0;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
    if (!['annotate', 'clean', 'report', 'export'].includes(args.command)) throw new UsageError(args.command ? `unknown command "${args.command}"` : 'no command given');
    if ((args.command === 'annotate' || args.command === 'report') && args.format !== 'text' && args.format !== 'json') throw new UsageError(`${args.command} --format takes text or json`);
    if (args.command === 'report' && args.inputs.length === 0) throw new UsageError('report needs files or directories');
    if (args.command === 'export') {
      if (args.inputs.length === 0) throw new UsageError('export needs files or directories');
      if (!args.formatGiven || (args.format !== 'jsonl' && args.format !== 'brat' && args.format !== 'conll')) throw new UsageError('export needs --format jsonl, brat or conll');
    }
    if (args.command === 'annotate' && args.jsonl && args.inputs.length > 0) throw new UsageError('--jsonl reads stdin; give no files');
    if (args.command === 'annotate' && !args.jsonl && args.inputs.length === 0) throw new UsageError('annotate needs files or directories (or --jsonl)');
    if (args.command === 'clean') {
      if (args.inputs.length === 0) throw new UsageError('clean needs files or directories');
      if (!args.dryRun && !args.inPlace && !args.out) throw new UsageError('clean needs --out DIR or --in-place (or --dry-run)');
      if (args.inPlace && args.out) throw new UsageError('give either --out or --in-place, not both');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`sift: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  const options: AnnotateOptions = {only: args.only, boilerplate: args.threshold === undefined ? undefined : {threshold: args.threshold}};
  if (args.command === 'annotate' && args.jsonl) return runJsonl(options);
  if (args.command === 'report') return runReport(args, options, {readAll});
  if (args.command === 'export') return runExport(args, options, {readAll, optionsFor, commonBase});
  return args.command === 'annotate' ? runAnnotate(args, options) : runClean(args, options);
}

/**
 * `annotate --jsonl`: one result line per input line, in order, answered as each line arrives.
 *
 * @param options Engine options.
 * @returns Exit code.
 */
async function runJsonl(options: AnnotateOptions): Promise<number> {
  const input = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
  let failures = 0;
  let lineNo = 0;
  for await (const line of input) {
    lineNo++;
    let record: string;
    try {
      const item = JSON.parse(line) as {id?: unknown; text?: unknown};
      if (typeof item !== 'object' || item === null || typeof item.text !== 'string') throw new Error('expected an object with a string "text"');
      record = JSON.stringify({id: item.id ?? null, ...toJsonRecord(annotate(item.text, options))});
    } catch (error) {
      failures++;
      process.stderr.write(`sift: stdin line ${lineNo}: ${(error as Error).message}\n`);
      record = JSON.stringify({id: null, error: (error as Error).message, boilerplate: [], quotes: [], entities: []});
    }
    if (!process.stdout.write(`${record}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  return failures > 0 ? 1 : 0;
}

/**
 * Read every input, reporting skipped ones.
 *
 * @param args Args.
 * @returns Sources read and the count of problems.
 */
export async function readAll(args: Pick<Args, 'inputs' | 'ext' | 'maxSize'>): Promise<{sources: SourceText[]; problems: number}> {
  const {files, missing} = await collectFiles(args.inputs, args.ext);
  let problems = 0;
  for (const m of missing) {
    process.stderr.write(`sift: ${m}: no such file or directory\n`);
    problems++;
  }
  const sources: SourceText[] = [];
  for (const file of files) {
    try {
      sources.push(readSourceSync(file, args.maxSize));
    } catch (error) {
      if (!(error instanceof SkipError)) throw error;
      process.stderr.write(`sift: ${file}: ${error.message}; skipped\n`);
      problems++;
    }
  }
  return {sources, problems};
}

/** An input read and counted in the first pass; its text is read again when its turn comes. */
interface Found {
  path: string;
}

/**
 * How many files to have in flight on a pool: enough that a worker never waits for the next file (tasks on small
 * files take a few milliseconds), few enough that results waiting for an earlier slow one stay small.
 *
 * @param pool Pool.
 * @returns Limit.
 */
function inFlight(pool: Pool): number {
  return pool.size * 4;
}

/**
 * Find and read every input once, reporting skipped ones, and count the lines of each folder. The texts are not
 * kept: `sift annotate DIR` on 40 MB of files would otherwise hold them all. The reading and hashing run on the pool
 * (one worker per core for large jobs), which then holds the folders' counts for the second pass.
 *
 * @param args Args.
 * @param folder Folder line counts to fill.
 * @returns The inputs, the count of problems, and the pool.
 */
async function scanAll(args: Args, folder: FolderLineCounts): Promise<{found: Found[]; problems: number; pool: Pool}> {
  const {files, missing} = await collectFiles(args.inputs, args.ext);
  let problems = 0;
  for (const m of missing) {
    process.stderr.write(`sift: ${m}: no such file or directory\n`);
    problems++;
  }
  let bytes = 0;
  if (args.jobs === undefined) {
    for (const file of files) {
      try {
        bytes += lstatSync(file).size;
      } catch {
        // Reported when it is read.
      }
    }
  }
  const pool = new Pool(args.jobs ?? defaultJobs(files.length, bytes));
  const found: Found[] = [];
  try {
    await mapInOrder(
      files,
      inFlight(pool),
      (file) => pool.run({kind: 'scan', path: file, maxSize: args.maxSize}),
      (result, file) => {
        if (result.skipped !== undefined) {
          process.stderr.write(`sift: ${file}: ${result.skipped}; skipped\n`);
          problems++;
          return;
        }
        folder.add(file, path.dirname(file), result.hashes!);
        found.push({path: file});
      },
    );
  } catch (error) {
    await pool.close();
    throw error;
  }
  pool.setFolders(folder);
  return {found, problems, pool};
}

/**
 * Where a file's folder line counts come from, for a task.
 *
 * @param folder Folder line counts of the scan.
 * @param file The file.
 * @returns The task's `folder`.
 */
function folderOf(folder: FolderLineCounts, file: string): {name: string; self?: Float64Array} {
  const name = path.dirname(file);
  return {name, self: folder.hashesOf(file, name)};
}

/**
 * Options for one file, with the folder's line counts.
 *
 * @param options Base options.
 * @param folder Folder line index.
 * @param source The file.
 * @returns Options.
 */
export function optionsFor(options: AnnotateOptions, folder: FolderLineCounts, source: SourceText): AnnotateOptions {
  return withLineView(options, folder.viewFor(source.path, path.dirname(source.path), source.text));
}

/**
 * `annotate FILE|DIR…`. Each file is read again, annotated and rendered where its task runs (a worker for large
 * jobs); this thread only writes the output in input order.
 *
 * @param args Args.
 * @param options Engine options.
 * @returns Exit code.
 */
async function runAnnotate(args: Args, options: AnnotateOptions): Promise<number> {
  const folder = new FolderLineCounts();
  const {found, problems: scanProblems, pool} = await scanAll(args, folder);
  const progress = new Progress(found.length, !process.stdout.isTTY);
  const output = args.format === 'json' ? 'json' : 'text';
  const skipped = await eachFile(
    found,
    pool,
    progress,
    (item) => pool.run({path: item.path, maxSize: args.maxSize, options, output, folder: folderOf(folder, item.path)}),
    async (result) => {
      if (!process.stdout.write(result.out!)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    },
  );
  return scanProblems + skipped > 0 ? 1 : 0;
}

/**
 * The found files through the pool, in input order: each is handed to `work` (which reads it again: a file that
 * changed into something Sift refuses, or vanished, since the scan is skipped with its reason on stderr), and its
 * result to `use` in input order. The progress bar is cleared and the pool closed at the end.
 *
 * @param found Files of the scan.
 * @param pool Worker pool.
 * @param progress Progress bar.
 * @param work Reading and analysis of one file.
 * @param use What to do with a result.
 * @returns How many files were skipped.
 */
async function eachFile<R extends {skipped?: string}>(
  found: readonly Found[],
  pool: Pool,
  progress: Progress,
  work: (item: Found) => Promise<R>,
  use: (result: R, item: Found) => Promise<void> | void,
): Promise<number> {
  let skippedFiles = 0;
  try {
    await mapInOrder(found, inFlight(pool), work, async (result, item) => {
      progress.tick(item.path);
      if (result.skipped !== undefined) {
        progress.clear();
        process.stderr.write(`sift: ${item.path}: ${result.skipped}; skipped\n`);
        skippedFiles++;
        return;
      }
      await use(result, item);
    });
  } finally {
    progress.clear();
    await pool.close();
  }
  return skippedFiles;
}

/**
 * `clean FILE|DIR…`: write the files without their boilerplate lines.
 *
 * @param args Args.
 * @param options Engine options.
 * @returns Exit code.
 */
async function runClean(args: Args, options: AnnotateOptions): Promise<number> {
  const folder = new FolderLineCounts();
  const {found, problems: scanProblems, pool} = await scanAll(args, folder);
  let problems = scanProblems;
  const progress = new Progress(found.length);
  const base = commonBase(found.map((s) => s.path));
  let removedTotal = 0;
  let cleanedFiles = 0;
  // Not `problems += await …`: that would read `problems` before the writes below count their failures.
  const skipped = await eachFile(
    found,
    pool,
    progress,
    async (item): Promise<{skipped?: string; source?: SourceText; annotations?: Annotations}> => {
      // Read here, not in the task: the write below needs the very bytes analysed.
      let source: SourceText;
      try {
        source = readSourceSync(item.path, args.maxSize);
      } catch (error) {
        if (error instanceof SkipError) return {skipped: error.message};
        throw error;
      }
      const task = {path: source.path, text: source.text, options: {...options, only: ['boilerplate' as const]}, output: 'annotations' as const, folder: folderOf(folder, source.path)};
      return {source, annotations: (await pool.run(task)).annotations};
    },
    async (result) => {
      const source = result.source!;
      const annotations = result.annotations!;
      const lines = annotations.boilerplate.filter((b) => !(args.keepMetadata && b.category === 'metadata')).map((b) => b.line);
      if (args.dryRun) {
        cleanedFiles++;
        removedTotal += lines.length;
        process.stdout.write(`${source.path}: ${lines.length} boilerplate line${lines.length === 1 ? '' : 's'} would be removed\n`);
        return;
      }
      const cleaned = removeLines(source.text, lines);
      try {
        if (args.inPlace) {
          // Checked against the bytes analysed just before the rename: a file changed meanwhile is refused.
          if (lines.length > 0) await writeAtomic(source.path, cleaned, source.mode, source);
        } else {
          const target = path.join(args.out!, path.relative(base, source.path));
          if (path.resolve(target) === path.resolve(source.path)) throw new SkipError('--out would overwrite the file itself; use --in-place to rewrite it');
          await makeDirs(path.dirname(target));
          await writeAtomic(target, cleaned, source.mode);
        }
        // Counted once written: the summary line tells what was done, not what was tried.
        cleanedFiles++;
        removedTotal += lines.length;
      } catch (error) {
        problems++;
        progress.clear();
        process.stderr.write(`sift: ${source.path}: ${error instanceof SkipError ? error.message : `cannot write: ${(error as Error).message}`}\n`);
      }
    },
  );
  problems += skipped;
  process.stderr.write(`sift: ${cleanedFiles} file${cleanedFiles === 1 ? '' : 's'}, ${removedTotal} boilerplate line${removedTotal === 1 ? '' : 's'} ${args.dryRun ? 'found' : 'removed'}\n`);
  return problems > 0 ? 1 : 0;
}

/**
 * The deepest directory that holds all paths (for `--out` layouts).
 *
 * @param files Paths.
 * @returns Directory.
 */
function commonBase(files: readonly string[]): string {
  if (files.length === 0) return '.';
  const dirs = files.map((f) => path.resolve(path.dirname(f)).split(path.sep));
  const first = dirs[0]!;
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}

/** A progress bar on stderr, shown only for many files on a terminal. */
class Progress {
  private done = 0;
  private readonly enabled: boolean;

  /**
   * @param total Number of files.
   * @param allowed False where the bar would mix with the output (stdout on the same terminal).
   */
  constructor(
    private readonly total: number,
    allowed = true,
  ) {
    this.enabled = allowed && total >= 20 && Boolean(process.stderr.isTTY);
  }

  /**
   * One more file.
   * @param file Current file.
   * @returns Nothing.
   */
  tick(file: string): void {
    this.done++;
    if (!this.enabled) return;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} ${path.basename(file).slice(0, 40).padEnd(40)}`);
  }

  /**
   * Clear the bar.
   * @returns Nothing.
   */
  clear(): void {
    if (this.enabled) process.stderr.write(`\r${' '.repeat(80)}\r`);
  }
}

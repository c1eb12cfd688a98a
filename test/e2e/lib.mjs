// Shared helpers of the end-to-end tests: repository paths, fresh run directories, the expectations (computed from
// the samples at run time with the project's own CLI, so no article text is copied into the repository), timing.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const SAMPLES = path.resolve(process.env.SIFT_SAMPLES ?? path.join(ROOT, '../shared/samples'));
export const CLI = path.join(ROOT, 'dist/cli.js');
export const SERVER = path.resolve(process.env.SIFT_SERVER ?? path.join(ROOT, 'dist/server.js'));

/** The spelled-out entity types the hovers show. */
export const TYPE_NAMES = {PER: 'Person', ORG: 'Organisation', LOC: 'Place', MISC: 'Other name'};

/** @returns {string} The sample whose file name starts with `prefix` (e.g. "002"). */
export function sample(prefix) {
  const name = readdirSync(SAMPLES).find((f) => f.startsWith(`${prefix}_`) && f.endsWith('.txt'));
  if (!name) throw new Error(`no sample ${prefix}_*.txt in ${SAMPLES}`);
  return path.join(SAMPLES, name);
}

/** Splits like the engine: on \r\n, \n or \r. */
export function splitLines(text) {
  return text.split(/\r\n|\n|\r/);
}

/** @returns {{line: number, col: number}} 0-based line and UTF-16 column of a string offset. */
export function position(text, offset) {
  const before = text.slice(0, offset);
  const lines = splitLines(before);
  return {line: lines.length - 1, col: lines.at(-1).length};
}

/**
 * What the engine says about a file, from `sift annotate --format json` (the same engine the server runs).
 * @returns {{text: string, lines: string[], boilerplate: any[], quotes: any[], entities: any[]}}
 */
export function analyse(file) {
  const out = execFileSync(process.execPath, [CLI, 'annotate', '--format', 'json', file], {encoding: 'utf8'});
  const record = JSON.parse(out);
  const text = readFileSync(file, 'utf8');
  return {text, lines: splitLines(text), ...record};
}

/**
 * What the engine says about every file of a folder, from one `sift annotate --format json DIR` (one JSON record a
 * line; the folder's repeated lines count, as in the language server).
 * @returns {Map<string, {file: string, text: string, lines: string[], boilerplate: any[], quotes: any[], entities: any[]}>}
 *   By file name.
 */
export function analyseFolder(dir) {
  const out = execFileSync(process.execPath, [CLI, 'annotate', '--format', 'json', dir], {encoding: 'utf8', maxBuffer: 64 << 20});
  const result = new Map();
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    const text = readFileSync(record.file, 'utf8');
    result.set(path.basename(record.file), {text, lines: splitLines(text), ...record});
  }
  return result;
}

/**
 * The cross-source summary of a folder, from `sift report --format json DIR` (the index the language server runs):
 * `files`, `stories`, `speakers`, `sharedQuotations`, `topNames`, `topNamesBySource`; file paths made base names.
 */
export function crossSource(dir) {
  const report = JSON.parse(execFileSync(process.execPath, [CLI, 'report', '--format', 'json', dir], {encoding: 'utf8', maxBuffer: 64 << 20}));
  const base = (file) => path.basename(file);
  const byBase = (record) => Object.fromEntries(Object.entries(record).map(([file, value]) => [base(file), value]));
  for (const f of report.files) f.file = base(f.file);
  for (const story of report.stories) {
    story.files = story.files.map(base);
    for (const pair of story.nearDuplicates) [pair.a, pair.b] = [base(pair.a), base(pair.b)];
  }
  for (const speaker of report.speakers) speaker.sources = byBase(speaker.sources);
  for (const quote of report.sharedQuotations) for (const copy of quote.sources) copy.file = base(copy.file);
  report.topNamesBySource = byBase(report.topNamesBySource);
  return report;
}

/**
 * A person's mentions across the files of `analyses` (from analyseFolder), by file name: the entities whose canonical
 * name is `name`, and those whose canonical name is its last word alone (the workspace index links a one-word
 * person name to the only longer one that ends with it; on the samples no other name ends with it).
 * @returns {Map<string, any[]>} File name → its mentions, in text order.
 */
export function mentionsOf(analyses, name) {
  const key = (s) => s.normalize('NFKC').toLowerCase().replace(/^the\s+/, '').trim();
  const keys = new Set([key(name), key(name.split(/\s+/).at(-1))]);
  const out = new Map();
  for (const [file, a] of analyses) {
    const found = a.entities.filter((e) => e.type === 'PER' && keys.has(key(e.canonical))).sort((x, y) => x.start - y.start);
    if (found.length) out.set(file, found);
  }
  return out;
}

/** "1 word", "2 words" (as the views write counts). */
export function count(n, word, plural = `${word}s`) {
  return `${n} ${n === 1 ? word : plural}`;
}

/** The one-line excerpt the Quotes view shows of a quotation (client/src/views/util.ts). */
export function excerpt(text, max = 70) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A story paragraph (the definition of test/samples.test.ts): a long line ending a sentence, not a cut-off blurb.
 * Used to check that stripping leaves the story alone, without naming any of its words here.
 */
export function isStoryParagraph(line) {
  return line.split(/\s+/).length >= 12 && /[.?!”"]\s*$/.test(line) && !/(\.\.\.|…)\s*$/.test(line);
}

/** A quotation of `speaker` and a named entity of 000 to hover, both on lines that are not boilerplate. */
export function hoverTargets(a, speaker = 'Ibrahim Kalin') {
  const flagged = new Set(a.boilerplate.map((b) => b.line));
  const ok = (q) => q.speaker === speaker && !flagged.has(position(a.text, q.start).line);
  const quote = a.quotes.find((q) => ok(q) && q.direct) ?? a.quotes.find(ok);
  const insideQuote = (e) => a.quotes.some((q) => e.start < q.end && q.start < e.end);
  const entity = a.entities.find((e) => TYPE_NAMES[e.type] && !insideQuote(e) && !flagged.has(position(a.text, e.start).line)
    && e.text.length >= 4 && !/\s/.test(e.text[0]));
  return {quote, entity};
}

/** A fresh directory for one run. Unix sockets go inside it, so it must stay short (pitfall 7 of the recipe). */
export function runDir(prefix) {
  // code-server's IPC socket: <run>/user-data/code-server-ipc.sock; the VS Code server's: <run>/t/vscode-ipc-<uuid>.sock.
  const longestSocket = '/t/vscode-ipc-00000000-0000-0000-0000-000000000000.sock'.length + 8;
  const fits = (root) => path.join(root, `${prefix}XXXXXX`).length + longestSocket <= 100;
  let root = process.env.RUN_ROOT ? path.resolve(process.env.RUN_ROOT) : path.join(ROOT, '.e2e');
  if (!fits(root)) {
    if (process.env.RUN_ROOT) {
      console.error(`RUN_ROOT ${root} is too long for Unix socket paths (108 bytes); choose a shorter one`);
      process.exit(2);
    }
    root = os.tmpdir();
    if (!fits(root)) root = '/tmp';
  }
  mkdirSync(root, {recursive: true});
  return mkdtempSync(path.join(root, prefix));
}

/** @returns {Promise<number>} A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The newest sift-*.vsix at the repository root (what `npm run package` writes), or null. */
export function findVsix() {
  if (process.env.VSIX) return path.resolve(process.env.VSIX);
  const vsix = readdirSync(ROOT).filter((f) => /^sift-.*\.vsix$/.test(f))
    .map((f) => path.join(ROOT, f)).sort((x, y) => statSync(y).mtimeMs - statSync(x).mtimeMs);
  return vsix[0] ?? null;
}

/** Records checks and prints `N passed, N failed`. */
export class Checks {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
    this.started = Date.now();
  }
  ok(label, detail = '') {
    this.passed++;
    console.log(`  ok    ${label}${detail ? `  (${detail})` : ''}  [${this.elapsed()}]`);
  }
  fail(label, error) {
    this.failed++;
    console.log(`  FAIL  ${label}: ${error?.message ?? error}  [${this.elapsed()}]`);
  }
  elapsed() {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }
  summary() {
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed in ${this.elapsed()}`);
    return this.failed === 0 && this.passed > 0;
  }
}

/** Throws with `message` unless `condition`. */
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export {existsSync};

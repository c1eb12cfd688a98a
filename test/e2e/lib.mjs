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

// Small helpers of the benchmark harness: statistics, timing, machine description, tables.
import * as os from 'node:os';
import * as fs from 'node:fs';
import {execFileSync} from 'node:child_process';

/**
 * The p-th percentile (0..100) of numbers, nearest-rank.
 * @param {number[]} values
 * @param {number} p
 * @returns {number}
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * p50, p95, min, max and count of a sample of latencies.
 * @param {number[]} values Milliseconds.
 */
export function summary(values) {
  return {n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), min: round(Math.min(...values)), max: round(Math.max(...values))};
}

/**
 * The value after a command-line flag (`--bytes 1000000`), or undefined when the flag is absent or has no value.
 * @param {string[]} argv
 * @param {string} flag
 * @returns {string | undefined}
 */
export function optionValue(argv, flag) {
  const i = argv.indexOf(flag);
  if (i < 0 || i + 1 >= argv.length) return undefined;
  const value = argv[i + 1];
  return value.startsWith('--') ? undefined : value;
}

/**
 * Round for display and JSON.
 * @param {number} value
 * @param {number} [digits]
 */
export function round(value, digits = 1) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Time a synchronous function: wall milliseconds and CPU milliseconds of this process (all its threads).
 * @param {() => unknown} fn
 * @returns {{wall: number, cpu: number, value: unknown}}
 */
export function timeSync(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {wall, cpu: (cpu.user + cpu.system) / 1000, value};
}

/**
 * Run a measurement several times after a warm-up; keep the run with the median wall time and the best one.
 * @param {() => unknown} fn
 * @param {{runs?: number, warmup?: number}} [options]
 */
export function repeat(fn, {runs = 5, warmup = 1} = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(timeSync(fn));
  const walls = samples.map((s) => s.wall);
  const cpus = samples.map((s) => s.cpu);
  return {runs, wall: percentile(walls, 50), wallBest: Math.min(...walls), cpu: percentile(cpus, 50), cpuBest: Math.min(...cpus), value: samples[0].value};
}

/** The machine, for every figure. */
export function machine() {
  const cpus = os.cpus();
  let distro = '';
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    distro = os.platform();
  }
  return {
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 0),
    node: process.version,
    os: distro,
  };
}

/** Load averages now (1, 5, 15 minutes) and the `uptime` line. */
export function load() {
  const [one, five, fifteen] = os.loadavg();
  let line = '';
  try {
    line = execFileSync('uptime', {encoding: 'utf8'}).trim();
  } catch {
    line = `load average: ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)}`;
  }
  return {one: round(one, 2), five: round(five, 2), fifteen: round(fifteen, 2), uptime: line};
}

/**
 * Print a table with aligned columns.
 * @param {string} title
 * @param {string[]} header
 * @param {Array<Array<string | number>>} rows
 */
export function printTable(title, header, rows) {
  const cells = [header, ...rows].map((row) => row.map((c) => (typeof c === 'number' ? formatNumber(c) : String(c ?? ''))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`\n${title}\n${line(cells[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of cells.slice(1)) process.stdout.write(`${line(row)}\n`);
}

/**
 * @param {number} n
 */
function formatNumber(n) {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/**
 * Megabytes (10^6 bytes) of UTF-8 in strings.
 * @param {string[]} texts
 */
export function megabytes(texts) {
  let bytes = 0;
  for (const t of texts) bytes += Buffer.byteLength(t, 'utf8');
  return bytes / 1e6;
}

/** Print a note line under a table. */
export function note(text) {
  process.stdout.write(`  note: ${text}\n`);
}

/** Sleep. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hover positions inside the entity and quotation diagnostics of a document (up to `n`, spread over it; every one
 * in order for `n` = Infinity).
 * @param {Array<{code?: string | number, range: {start: {line: number, character: number}}}>} diagnostics
 * @param {number} n
 */
export function hoverPositions(diagnostics, n) {
  const targets = diagnostics.filter((d) => d.code === 'named-entity' || d.code === 'quotation');
  const step = Math.max(1, Math.floor(targets.length / n));
  const out = [];
  for (let i = 0; i < targets.length && out.length < n; i += step) out.push({line: targets[i].range.start.line, character: targets[i].range.start.character + 1});
  return out;
}

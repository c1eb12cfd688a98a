/**
 * The figures of a test run for RELIABILITY.md: property cases tried, faults injected, bytes checked and bytes lost.
 * Every property and fault test adds to them; `figures.test.ts` writes them to `out/reliability/last-run.json` and
 * prints a summary when the run ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {ROOT} from '../helpers.js';

/** The running totals. */
export const FIGURES = {
  /** Cases tried per property (fast-check runs, plus fixed huge inputs). */
  cases: {} as Record<string, number>,
  /** Faults injected per kind (a kill, an I/O error, a vanished file, a concurrent change, a cancelled request…). */
  faults: {} as Record<string, number>,
  /** Bytes of user text whose fate was checked (kept, or removed as a flagged line). */
  bytesChecked: 0,
  /** Bytes that were neither kept nor part of a flagged line: must stay 0. */
  bytesLost: 0,
  /** Free-form measurements (stress test: edits sent, hovers answered, memory). */
  measures: {} as Record<string, number | string>,
};

/**
 * Count cases of a property.
 * @param name Property.
 * @param n Cases.
 * @returns Nothing.
 */
export function countCases(name: string, n = 1): void {
  FIGURES.cases[name] = (FIGURES.cases[name] ?? 0) + n;
}

/**
 * Count injected faults.
 * @param kind Kind.
 * @param n Number.
 * @returns Nothing.
 */
export function countFaults(kind: string, n = 1): void {
  FIGURES.faults[kind] = (FIGURES.faults[kind] ?? 0) + n;
}

/**
 * Account for bytes: checked, and lost (should be 0).
 * @param checked Bytes whose fate was verified.
 * @param lost Bytes lost.
 * @returns Nothing.
 */
export function countBytes(checked: number, lost: number): void {
  FIGURES.bytesChecked += checked;
  FIGURES.bytesLost += lost;
}

/**
 * Record a measurement.
 * @param name Name.
 * @param value Value.
 * @returns Nothing.
 */
export function measure(name: string, value: number | string): void {
  FIGURES.measures[name] = value;
}

/**
 * How many runs a property gets: its default times `SIFT_PROP_SCALE` (the soak script raises it).
 * @param base Default number of runs in `npm test`.
 * @returns Runs.
 */
export function runs(base: number): number {
  const scale = Number(process.env['SIFT_PROP_SCALE'] ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/**
 * fast-check parameters shared by the property tests: runs, an optional fixed seed (`SIFT_PROP_SEED`, and
 * `SIFT_PROP_PATH` to replay one counterexample), and a report that names the seed on failure.
 * @param base Default runs.
 * @returns Parameters.
 */
export function propertyParams(base: number): {numRuns: number; seed?: number; path?: string} {
  const seed = process.env['SIFT_PROP_SEED'];
  const replay = process.env['SIFT_PROP_PATH'];
  return {numRuns: runs(base), ...(seed ? {seed: Number(seed)} : {}), ...(replay ? {path: replay} : {})};
}

/**
 * Write the figures (called once, after all tests).
 * @returns The file written.
 */
export function writeFigures(): string {
  const file = path.join(ROOT, 'out', 'reliability', 'last-run.json');
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const totalCases = Object.values(FIGURES.cases).reduce((a, b) => a + b, 0);
  const totalFaults = Object.values(FIGURES.faults).reduce((a, b) => a + b, 0);
  const record = {date: new Date().toISOString(), scale: Number(process.env['SIFT_PROP_SCALE'] ?? '1'), totalCases, totalFaults, ...FIGURES};
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

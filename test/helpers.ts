/**
 * Test helpers: paths, golden files, and running the built CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import assert from 'node:assert/strict';
import {lineAt, splitLines, type Annotations} from '../server/src/engine/index.js';

/** The repository root (tests run from out/test). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `../shared` beside the repository. */
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const SHARED_SAMPLES = path.join(SHARED, 'samples');
export const OWN_SAMPLES = path.join(ROOT, 'samples');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/**
 * The `.txt` files of a folder, sorted.
 * @param dir Folder.
 * @returns Paths.
 */
export function textFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(dir, f));
}

/**
 * Read a file as the CLI does (UTF-8, BOM kept as U+FEFF).
 * @param file Path.
 * @returns Text.
 */
export function readText(file: string): string {
  return new TextDecoder('utf-8', {ignoreBOM: true}).decode(fs.readFileSync(file));
}

/**
 * Compare with a golden file under test/golden. `SIFT_UPDATE_GOLDEN=1` rewrites it; a missing golden is written
 * and the test fails, so that every golden is reviewed in the diff before it counts.
 * @param name File name under test/golden.
 * @param actual Current output.
 * @returns Nothing.
 */
export function checkGolden(name: string, actual: string): void {
  const file = path.join(ROOT, 'test', 'golden', name);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  if (process.env['SIFT_UPDATE_GOLDEN'] === '1') {
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, actual);
    assert.fail(`golden file ${name} did not exist; it was written: review it and commit it`);
  }
  const expected = fs.readFileSync(file, 'utf8');
  if (expected !== actual) {
    fs.writeFileSync(`${file}.actual`, actual);
    const a = expected.split('\n');
    const b = actual.split('\n');
    const diff: string[] = [];
    const gone = a.filter((l) => !b.includes(l));
    const added = b.filter((l) => !a.includes(l));
    for (const l of gone.slice(0, 15)) diff.push(`- ${l}`);
    for (const l of added.slice(0, 15)) diff.push(`+ ${l}`);
    assert.fail(`golden ${name} differs (${gone.length} lines gone, ${added.length} new; see ${name}.actual; npm run test:golden:update rewrites):\n${diff.join('\n')}`);
  }
}

/**
 * Golden texts for a text we may not copy, one per analysis kind: positions, types, names and reasons only, no
 * quoted words.
 * @param text Document.
 * @param annotations Annotations.
 * @returns Golden text per kind.
 */
export function describeWithoutText(text: string, annotations: Annotations): Record<'boilerplate' | 'quotes' | 'entities', string> {
  const lines = splitLines(text);
  const at = (offset: number): string => {
    const i = lineAt(lines, offset);
    return `${i + 1}:${offset - lines[i]!.start + 1}`;
  };
  const join = (rows: string[]): string => (rows.length ? `${rows.join('\n')}\n` : '');
  return {
    boilerplate: join(annotations.boilerplate.map((b) => `L${b.line + 1} ${b.category} ${b.score.toFixed(2)} ${b.reason}`)),
    quotes: join(annotations.quotes.map((q) => `${at(q.start)}-${at(q.end)} ${q.kind} speaker=${q.speaker ?? '-'} mention=${q.speakerMention ?? '-'} cue=${q.cue ?? '-'}`)),
    entities: join(annotations.entities.map((e) => `${at(e.start)}-${at(e.end)} ${e.type} ${e.canonical}`)),
  };
}

/**
 * Run the built CLI.
 * @param args Arguments.
 * @param input Standard input.
 * @returns The process result.
 */
export function runCli(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
}

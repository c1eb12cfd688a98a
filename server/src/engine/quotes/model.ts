/**
 * Loading the quotation analyser's data files from `models/`, found by walking up from this module's location
 * (`out/server/src/engine/quotes/` under tsc, `dist/` in the bundle, the extension folder when packaged).
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const cache = new Map<string, unknown>();

/**
 * Find a file under the nearest `models/` folder above this module.
 *
 * @param name File name inside `models/`.
 * @returns Absolute path, or null when no such file exists.
 */
export function findModel(name: string): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = path.join(dir, 'models', name);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/**
 * Load (once) a JSON file from `models/`.
 *
 * @param name File name.
 * @returns Parsed JSON, or null when the file is missing.
 */
export function loadModel<T>(name: string): T | null {
  if (cache.has(name)) return cache.get(name) as T | null;
  const file = findModel(name);
  const value = file ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
  cache.set(name, value);
  return value;
}

/** First names by gender. */
export interface NameGenders {
  male: ReadonlySet<string>;
  female: ReadonlySet<string>;
}

let genders: NameGenders | undefined;

/**
 * First names by gender, from `models/quotes-names.json` (empty sets when it is missing).
 *
 * @returns Sets of lower-cased first names.
 */
export function nameGenders(): NameGenders {
  if (genders) return genders;
  const raw = loadModel<{male: string; female: string}>('quotes-names.json');
  genders = {male: new Set(raw?.male.split(' ') ?? []), female: new Set(raw?.female.split(' ') ?? [])};
  return genders;
}

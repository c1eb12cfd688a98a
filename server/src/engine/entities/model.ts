/**
 * Finding and loading the shipped tagger model (models/ner.bin). The file is looked for in the `models/` folder of
 * the installed extension or checkout: the first ancestor of this module's folder that has `models/ner.bin` (this
 * works from the esbuild bundles in dist/ and from the compiled modules in out/). `SIFT_NER_MODEL` overrides it.
 * The model is read once per process, on first use.
 */
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {decodeModel, type TaggerModel} from './tagger.js';

let cached: TaggerModel | undefined;

/**
 * Where the model file is.
 *
 * @returns Path.
 */
export function modelPath(): string {
  const override = process.env['SIFT_NER_MODEL'];
  if (override) return override;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, 'models', 'ner.bin');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`Sift: the entity model models/ner.bin was not found above ${dirname(fileURLToPath(import.meta.url))} (run \`npm run train:ner\`, or set SIFT_NER_MODEL)`);
}

/**
 * The tagger model, loaded on first use.
 *
 * @returns Model.
 */
export function nerModel(): TaggerModel {
  cached ??= decodeModel(new Uint8Array(readFileSync(modelPath())));
  return cached;
}

/**
 * Use this model instead of the shipped one (tests, tools).
 *
 * @param model Model, or undefined to go back to the shipped one.
 */
export function setNerModel(model: TaggerModel | undefined): void {
  cached = model;
}

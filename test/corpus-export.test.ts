/**
 * Exports for annotation tools round-trip: brat standoff, CoNLL (IOB2) and doccano JSONL read back to the same
 * spans, on every sample and on texts with astral characters, CRLF, a BOM, tabs and quotations across lines.
 * brat and doccano count code points, the engine UTF-16 code units: the conversion is checked both ways.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {annotate, type Annotations, type Entity} from '../server/src/engine/index.js';
import {flatEntities, fromBrat, fromConll, fromDoccano, toBrat, toConll, toDoccano} from '../server/src/engine/corpus/export.js';
import {OWN_SAMPLES, readText, runCli, SHARED_SAMPLES, textFiles} from './helpers.js';

/** The invented texts that stress offsets. */
const TRICKY: string[] = [
  '\uFEFFHarbour strike 😀 in Valdera\r\n“Nobody asked us 𝒳 whether we want cranes,” said Tomas Brenner.\r\nMarguerite Okafor answered: “Every worker\u2028keeps a job.”\r\n',
  'Mayor Ilse Varga\tcut the ribbon 🎉🎉 in Kestrel Falls.\n“This building belongs to everyone in Kestrel Falls,” Varga said.\n\n“It kept its doors open through two floods\nand a fire,” she said.',
  '𝐀𝐁 Petra Solis said the library would open until 9 p.m. on weekdays, Solis said.\rArno Klee, who leads the residents’ association, said the council had “ignored the neighbours”.',
];

/**
 * The comparable part of the engine's annotations.
 * @param a Annotations.
 * @returns Plain spans.
 */
function expected(a: Annotations) {
  return {
    entities: a.entities.filter((e) => e.end > e.start).map((e) => ({start: e.start, end: e.end, type: e.type, canonical: e.canonical})),
    quotes: a.quotes.map((q) => ({
      start: q.start,
      end: q.end,
      kind: q.kind,
      speaker: q.speaker,
      speakerStart: q.speakerStart !== null && q.speakerEnd !== null && q.speakerEnd > q.speakerStart ? q.speakerStart : null,
      speakerEnd: q.speakerStart !== null && q.speakerEnd !== null && q.speakerEnd > q.speakerStart ? q.speakerEnd : null,
      cueStart: q.cueStart !== null && q.cueEnd !== null && q.cueEnd > q.cueStart ? q.cueStart : null,
      cueEnd: q.cueStart !== null && q.cueEnd !== null && q.cueEnd > q.cueStart ? q.cueEnd : null,
    })),
    boilerplate: a.boilerplate.map((b) => ({start: b.start, end: b.end, category: b.category})),
  };
}

/**
 * Sort spans like the importers do.
 * @param list Spans.
 * @returns Sorted copy.
 */
function sorted<T extends {start: number; end: number}>(list: readonly T[]): T[] {
  return [...list].sort((x, y) => x.start - y.start || x.end - y.end);
}

const documents = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map((f) => ({name: path.basename(f), text: readText(f)})).concat(TRICKY.map((text, i) => ({name: `tricky-${i}`, text})));

describe('export: brat standoff', () => {
  for (const doc of documents) {
    it(`round-trips every annotation of ${doc.name}`, () => {
      const a = annotate(doc.text);
      const back = fromBrat(doc.text, toBrat(doc.text, a));
      const want = expected(a);
      assert.deepEqual(back.entities, sorted(want.entities));
      assert.deepEqual(back.quotes, sorted(want.quotes));
      assert.deepEqual(back.boilerplate, sorted(want.boilerplate));
    });
  }

  it('writes code-point offsets and text fields brat can check against the .txt', () => {
    const text = TRICKY[0]!;
    const ann = toBrat(text, annotate(text));
    const points = [...text];
    for (const line of ann.split('\n').filter((l) => l.startsWith('T'))) {
      const [, spec, field] = line.split('\t');
      const fragments = spec!.split(' ').slice(1).join(' ').split(';').map((f) => f.split(' ').map(Number) as [number, number]);
      const pieces = fragments.map(([s, e]) => points.slice(s, e).join(''));
      assert.equal(field, pieces.join(' ').replace(/\t/g, ' '), line);
      for (const piece of pieces) assert.ok(!/[\r\n]/.test(piece), 'no fragment holds a line break');
    }
    const brenner = ann.split('\n').find((l) => /\tPER \d+ \d+\tTomas Brenner$/.test(l))!;
    const start = Number(brenner.split('\t')[1]!.split(' ')[1]);
    assert.equal(start, [...text.slice(0, text.indexOf('Tomas Brenner'))].length, 'the offset counts 😀 and 𝒳 once each, and the BOM');
    assert.notEqual(start, text.indexOf('Tomas Brenner'));
  });

  it('reads what brat saves after editing (other ids and order, notes, events ignored), and refuses broken lines', () => {
    const text = 'Tomas Brenner spoke in Valdera.';
    const ann = 'T7\tLOC 23 30\tValdera\nE1\tSpeak:T7\nT2\tPER 0 13\tTomas Brenner\n#4\tAnnotatorNotes T2\tTomas Brenner\n';
    assert.deepEqual(fromBrat(text, ann).entities, [
      {start: 0, end: 13, type: 'PER', canonical: 'Tomas Brenner'},
      {start: 23, end: 30, type: 'LOC', canonical: 'Valdera'},
    ]);
    assert.throws(() => fromBrat(text, 'T1\tPER zero 13\tTomas'), /brat line 1/);
    assert.throws(() => fromBrat(text, 'T1\tPER 0 99\tTomas'), RangeError);
  });

  it('property: any spans that do not begin or end on a line break round-trip, with any characters', () => {
    const char = fc.constantFrom('a', 'B', ' ', '\n', '\r\n', '😀', '𝒳', 'é', '\t', '“');
    fc.assert(
      fc.property(fc.array(char, {minLength: 1, maxLength: 60}).map((c) => c.join('')), fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 6}), (text, pairs) => {
        const boundaries = [...Array(text.length + 1).keys()].filter((u) => !(u > 0 && u < text.length && /[\uDC00-\uDFFF]/.test(text[u]!)));
        const entities: Entity[] = [];
        for (const [x, y] of pairs) {
          let start = boundaries[x % boundaries.length]!;
          let end = boundaries[y % boundaries.length]!;
          if (start > end) [start, end] = [end, start];
          if (start === end || /^[\r\n]/.test(text.slice(start)) || /[\r\n]$/.test(text.slice(0, end))) continue;
          entities.push({start, end, type: 'ORG', text: text.slice(start, end), canonical: 'X', id: 'ORG:X'});
        }
        const back = fromBrat(text, toBrat(text, {entities, quotes: [], boilerplate: []})).entities;
        return JSON.stringify(back.map((e) => [e.start, e.end])) === JSON.stringify(sorted(entities).map((e) => [e.start, e.end]));
      }),
    );
  });
});

describe('export: CoNLL (IOB2)', () => {
  for (const doc of documents) {
    it(`round-trips the names of ${doc.name}`, () => {
      const a = annotate(doc.text);
      const {conll, dropped} = toConll(doc.text, a);
      const {kept} = flatEntities(a.entities);
      assert.equal(dropped, a.entities.length - kept.length);
      assert.deepEqual(
        fromConll(doc.text, conll),
        kept.map((e) => ({start: e.start, end: e.end, type: e.type})),
      );
      for (const line of conll.split('\n').filter(Boolean)) assert.match(line, /^\S+ (O|[BI]-[A-Z]+)$/u);
    });
  }

  it('keeps "U.S." one token, starts entities with B- and separates sentences', () => {
    const text = 'Kalin met U.S. officials. They agreed.\nNew line here.';
    const a: Pick<Annotations, 'entities'> = {
      entities: [
        {start: 0, end: 5, type: 'PER', text: 'Kalin', canonical: 'Kalin', id: 'PER:Kalin'},
        {start: 10, end: 14, type: 'LOC', text: 'U.S.', canonical: 'United States', id: 'LOC:United States'},
      ],
    };
    assert.equal(toConll(text, a).conll, 'Kalin B-PER\nmet O\nU.S. B-LOC\nofficials O\n. O\n\nThey O\nagreed O\n. O\n\nNew O\nline O\nhere O\n. O\n');
  });

  it('reads IOB1, extra columns and -DOCSTART-, and refuses a token that is not in the text', () => {
    const text = 'Tomas Brenner and Lena Moravec';
    assert.deepEqual(fromConll(text, '-DOCSTART- -X- O\n\nTomas NNP I-PER\nBrenner NNP I-PER\nand CC O\nLena NNP I-PER\nMoravec NNP I-PER\n'), [
      {start: 0, end: 13, type: 'PER'},
      {start: 18, end: 30, type: 'PER'},
    ]);
    assert.throws(() => fromConll(text, 'Valdera B-LOC\n'), /not in the text/);
  });
});

describe('export: JSONL for doccano', () => {
  for (const doc of documents) {
    it(`round-trips the names of ${doc.name} through code-point offsets`, () => {
      const a = annotate(doc.text);
      const record = JSON.parse(JSON.stringify(toDoccano(doc.name, doc.text, a)));
      assert.equal(record.offsets, 'codepoints');
      const back = fromDoccano(record);
      assert.equal(back.text, doc.text);
      assert.deepEqual(
        back.entities,
        a.entities.filter((e) => e.end > e.start).map((e) => ({start: e.start, end: e.end, type: e.type})),
      );
      for (const [start, end, type] of record.label as Array<[number, number, string]>) {
        const entity = a.entities.find((e) => e.type === type && [...doc.text.slice(0, e.start)].length === start);
        assert.ok(entity && [...doc.text.slice(0, entity.end)].length === end);
      }
    });
  }
});

describe('export: sift export (CLI)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-export-'));
  });
  afterEach(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('--format brat --out writes each .txt with its .ann and an annotation.conf; they read back to `annotate`', () => {
    const run = runCli(['export', SHARED_SAMPLES, OWN_SAMPLES, '--format', 'brat', '--out', tmp]);
    assert.equal(run.status, 0, run.stderr);
    const json = runCli(['annotate', SHARED_SAMPLES, OWN_SAMPLES, '--format', 'json']);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as {file: string; entities: Array<{start: number; end: number; type: string; canonical: string}>});
    assert.equal(records.length, 8);
    // The CLI keeps paths relative to the deepest folder that holds every input.
    const a = path.resolve(SHARED_SAMPLES).split(path.sep);
    const b = path.resolve(OWN_SAMPLES).split(path.sep);
    let n = 0;
    while (n < a.length && a[n] === b[n]) n++;
    const base = a.slice(0, n).join(path.sep) || path.sep;
    for (const record of records) {
      const rel = path.relative(base, path.resolve(record.file));
      const txt = path.join(tmp, rel);
      const ann = txt.replace(/\.txt$/, '.ann');
      assert.ok(fs.existsSync(txt) && fs.existsSync(ann), rel);
      assert.deepEqual(fs.readFileSync(txt), fs.readFileSync(record.file), 'the .txt is an exact copy');
      const back = fromBrat(readText(txt), fs.readFileSync(ann, 'utf8'));
      assert.deepEqual(back.entities, sorted(record.entities.map((e) => ({start: e.start, end: e.end, type: e.type, canonical: e.canonical}))));
      assert.ok(fs.existsSync(path.join(path.dirname(ann), 'annotation.conf')));
    }
  });

  it('--format conll writes a .conll beside each source; --format jsonl streams doccano records', () => {
    const dir = path.join(tmp, 'src');
    fs.mkdirSync(dir);
    for (const file of textFiles(OWN_SAMPLES)) fs.copyFileSync(file, path.join(dir, path.basename(file)));
    const run = runCli(['export', dir, '--format', 'conll']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /wrote 3 \.conll files beside the sources/);
    for (const file of textFiles(dir)) {
      const text = readText(file);
      assert.deepEqual(fromConll(text, fs.readFileSync(file.replace(/\.txt$/, '.conll'), 'utf8')), flatEntities(annotate(text).entities).kept.map((e) => ({start: e.start, end: e.end, type: e.type})));
    }
    const jsonl = runCli(['export', dir, '--format', 'jsonl']);
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.ok(lines.every((r) => typeof r.text === 'string' && Array.isArray(r.label)));
  });

  it('usage errors: export without a format, annotate or report with an export format', () => {
    assert.equal(runCli(['export', OWN_SAMPLES]).status, 2);
    assert.equal(runCli(['export', OWN_SAMPLES, '--format', 'json']).status, 2);
    assert.equal(runCli(['annotate', OWN_SAMPLES, '--format', 'brat']).status, 2);
    assert.equal(runCli(['report', OWN_SAMPLES, '--format', 'conll']).status, 2);
    assert.equal(runCli(['report']).status, 2);
  });
});

/**
 * The samples: the five seed articles in ../shared/samples (what the product must get right) and our own
 * fictional ones in samples/. Requirements are asserted directly; the full annotations are pinned in golden
 * files reviewed in the diff.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {annotate, splitLines} from '../server/src/engine/index.js';
import {toTextLines} from '../server/src/cli/format.js';
import {checkGolden, describeWithoutText, OWN_SAMPLES, readText, SHARED_SAMPLES, textFiles} from './helpers.js';

const KINDS = ['boilerplate', 'quotes', 'entities'] as const;

/**
 * Load a seed sample by its number prefix.
 * @param prefix E.g. "002".
 * @returns Text, its lines, and the flagged line indices.
 */
function seed(prefix: string) {
  const file = textFiles(SHARED_SAMPLES).find((f) => path.basename(f).startsWith(prefix))!;
  const text = readText(file);
  const lines = splitLines(text).map((l) => text.slice(l.start, l.end));
  const result = annotate(text);
  const flagged = new Set(result.boilerplate.map((b) => b.line));
  return {text, lines, result, flagged};
}

/**
 * Indices of lines matching a pattern.
 * @param lines Lines.
 * @param pattern Pattern.
 * @returns Indices.
 */
function where(lines: readonly string[], pattern: RegExp): number[] {
  return lines.flatMap((l, i) => (pattern.test(l) ? [i] : []));
}

describe('seed samples (../shared/samples)', () => {
  it('flags no paragraph of any of the five stories', () => {
    for (const file of textFiles(SHARED_SAMPLES)) {
      const text = readText(file);
      const {boilerplate} = annotate(text);
      for (const b of boilerplate) {
        const line = text.slice(b.start, b.end);
        // A story paragraph: a long sentence that is not a cut-off teaser, a caption with a credit, or a copy.
        const paragraph = line.split(/\s+/).length >= 12 && /[.?!”"]\s*$/.test(line) && !/(\.\.\.|…)\s*$/.test(line);
        if (paragraph) assert.ok(b.category === 'caption' || b.category === 'duplicate', `${path.basename(file)} line ${b.line + 1} is a story paragraph but was flagged ${b.category}`);
      }
    }
  });

  it('002: every newsletter line and every teaser', () => {
    const {lines, flagged, result} = seed('002');
    const newsletter = where(lines, /newsletter/i);
    assert.equal(newsletter.length, 31);
    for (const i of newsletter) assert.ok(flagged.has(i), `newsletter line ${i + 1}`);
    const firstPrompt = newsletter[0]!;
    const teasers = lines.flatMap((l, i) => (i > firstPrompt && l.trim() && !/newsletter/i.test(l) ? [i] : []));
    assert.equal(teasers.length, 15);
    for (const i of teasers) assert.equal(result.boilerplate.find((b) => b.line === i)?.category, 'teaser', `teaser line ${i + 1}`);
    assert.match(result.boilerplate.find((b) => b.line === firstPrompt)!.reason, /repeated 16 times in this file/);
  });

  it('000: the "Top Stories" block, teaser by teaser', () => {
    const {lines, flagged} = seed('000');
    const top = lines.indexOf('Top Stories');
    assert.ok(top > 0);
    for (let i = top; i < lines.length; i++) if (lines[i]!.trim()) assert.ok(flagged.has(i), `line ${i + 1} of the Top Stories block`);
    assert.ok(flagged.has(where(lines, /^\(Reuters\)$/)[0]!), 'the source credit');
  });

  it('001: "Follow us…"', () => {
    const {lines, result} = seed('001');
    const follow = where(lines, /^Follow us/)[0]!;
    assert.equal(result.boilerplate.find((b) => b.line === follow)?.category, 'share');
  });

  it('003: the app and copyright lines', () => {
    const {lines, result} = seed('003');
    const category = (pattern: RegExp) => result.boilerplate.find((b) => b.line === where(lines, pattern)[0])?.category;
    assert.equal(category(/^©/), 'legal');
    assert.equal(category(/App to Home screen/), 'promotion');
    assert.ok(category(/^BQ Install$/));
    assert.ok(category(/^Bloomberg Quint$/));
  });

  it('004: "More from News" and "Most Read"', () => {
    const {lines, flagged} = seed('004');
    for (const label of [/^More from News$/, /^Most Read$/, /^Source: News Agencies$/]) assert.ok(flagged.has(where(lines, label)[0]!), String(label));
  });

  it('the second copy of a headline, not the first', () => {
    for (const prefix of ['001', '003']) {
      const {lines, result} = seed(prefix);
      const headline = lines[0]!;
      const copies = lines.flatMap((l, i) => (l === headline ? [i] : []));
      assert.ok(copies.length >= 2, `${prefix} repeats its headline`);
      assert.ok(!result.boilerplate.some((b) => b.line === copies[0]), `${prefix}: the first copy is kept`);
      for (const i of copies.slice(1)) assert.equal(result.boilerplate.find((b) => b.line === i)?.category, 'duplicate', `${prefix} copy on line ${i + 1}`);
    }
  });

  it('000: Kalin’s quotations are attributed to Ibrahim Kalin, also through "he"', () => {
    const {result, text} = seed('000');
    const direct = result.quotes.filter((q) => q.direct);
    assert.equal(direct.length, 3);
    assert.ok(text.slice(direct[0]!.start, direct[0]!.end).startsWith('The United States has so far said'));
    assert.deepEqual(direct.map((q) => q.speaker), ['Ibrahim Kalin', 'Ibrahim Kalin', 'Ibrahim Kalin']);
    assert.deepEqual(direct.map((q) => q.speakerMention), ['Kalin', 'he', 'he']);
  });

  it('003: the appositive attribution "Ibrahim Kalin, spokesman of …, told"', () => {
    const {result, text} = seed('003');
    const first = result.quotes.find((q) => q.direct)!;
    assert.ok(text.slice(first.start, first.end).startsWith('Turkey, as a sovereign country'));
    assert.equal(first.speaker, 'Ibrahim Kalin');
    assert.equal(first.cue, 'told');
  });

  it('the entities: people, organisations and places, with canonical names', () => {
    const {result} = seed('000');
    const byText = (t: string) => result.entities.filter((e) => e.text === t);
    assert.ok(byText('Kalin').length >= 3 && byText('Kalin').every((e) => e.canonical === 'Ibrahim Kalin' && e.type === 'PER'));
    assert.ok(byText('U.S.').every((e) => e.type === 'LOC' && e.canonical === 'United States'));
    assert.ok(byText('NATO').every((e) => e.type === 'ORG'));
    assert.ok(byText('Ankara').every((e) => e.type === 'LOC'));
  });

  for (const file of textFiles(SHARED_SAMPLES)) {
    const text = readText(file);
    const described = describeWithoutText(text, annotate(text));
    for (const kind of KINDS) {
      it(`golden: ${path.basename(file)} ${kind}`, () => checkGolden(`seed/${kind}/${path.basename(file)}`, described[kind]));
    }
  }
});

describe('own samples (samples/)', () => {
  for (const file of textFiles(OWN_SAMPLES)) {
    const name = path.basename(file);
    const text = readText(file);
    const rows = toTextLines(`samples/${name}`, text, annotate(text));
    for (const kind of KINDS) {
      const word = {boilerplate: 'boilerplate', quotes: 'quote', entities: 'entity'}[kind];
      const mine = rows.filter((r) => r.split(' ')[1] === word);
      it(`golden: ${name} ${kind}`, () => checkGolden(`own/${kind}/${name}`, mine.map((r) => `${r}\n`).join('')));
    }
  }
});

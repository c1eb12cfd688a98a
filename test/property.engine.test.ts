/**
 * Property tests of the engine (fast-check): on random hostile text and on mutated real text, `annotate` never
 * throws, is deterministic, every range lies inside the text and never splits a surrogate pair, and boilerplate lines
 * are reported once each, in order. A handful of huge inputs (a 1 MB line, 10,000 empty lines…) run once each.
 *
 * On failure fast-check prints the seed and path; replay with `SIFT_PROP_SEED=… SIFT_PROP_PATH=… npx mocha
 * --grep property`. `SIFT_PROP_SCALE=N` multiplies the number of cases (the soak script uses it).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {analyse, type Annotations} from '../server/src/engine/index.js';
import {hostileLines, hostileText, mutatedRealText, PIECES, realTexts} from './reliability/arbitraries.js';
import {checkAnnotations, describeInput, InvariantError} from './reliability/invariants.js';
import {countBytes, countCases, propertyParams} from './reliability/figures.js';

/**
 * Annotate twice and check every invariant and that both runs agree.
 * @param text Text.
 * @param twice Check determinism (a second run).
 * @returns The annotations.
 */
function annotateChecked(text: string, twice = true): Annotations {
  let file;
  try {
    file = analyse(text);
  } catch (error) {
    throw new InvariantError('engine', `annotate threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n  input: ${describeInput(text)}`);
  }
  const result = file.data.sift!.annotations;
  try {
    checkAnnotations(text, result, file);
  } catch (error) {
    if (error instanceof InvariantError) throw new InvariantError(error.owner, `${error.message.replace(/^\[\w+\] /, '')}\n  input: ${describeInput(text)}`);
    throw error;
  }
  if (twice) {
    const again = analyse(text);
    assert.deepEqual(again.data.sift!.annotations, result, `not deterministic on ${describeInput(text)}`);
    assert.deepEqual(
      again.messages.map((m) => [m.ruleId, m.reason, m.place]),
      file.messages.map((m) => [m.ruleId, m.reason, m.place]),
      `messages not deterministic on ${describeInput(text)}`,
    );
  }
  return result;
}

describe('property: the engine on hostile text', function () {
  this.timeout(300000);

  it('random hostile text: never throws, deterministic, ranges inside and whole', () => {
    fc.assert(
      fc.property(hostileText(80), (text) => {
        countCases('engine: random hostile text');
        annotateChecked(text);
      }),
      propertyParams(1500),
    );
  });

  it('random hostile lines (every line ending, empty lines, repeated lines)', () => {
    const withRepeats = fc.tuple(hostileLines(25), fc.nat(), fc.integer({min: 0, max: 4})).map(([text, at, times]) => {
      // Repeat one line a few times: repetition is what the boilerplate analyser keys on.
      const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
      if (lines.length === 0 || times === 0) return text;
      const line = lines[at % lines.length]!;
      return text + Array<string>(times).fill(/[\r\n]$/.test(line) ? line : `${line}\n`).join('');
    });
    fc.assert(
      fc.property(withRepeats, (text) => {
        countCases('engine: random hostile lines');
        annotateChecked(text);
      }),
      propertyParams(700),
    );
  });

  it('mutated real text (samples and dev sets: CRLF/CR, BOM, NUL, astral, combining, unbalanced quotes, cuts)', () => {
    assert.ok(realTexts().length >= 8, 'the samples are there');
    fc.assert(
      fc.property(mutatedRealText(1500), (text) => {
        countCases('engine: mutated real text');
        countBytes(0, 0);
        annotateChecked(text);
      }),
      propertyParams(250),
    );
  });

  it('any options: a subset of analyses, any threshold, kept lines taken from the text', () => {
    const kinds = ['boilerplate', 'entities', 'quotes'] as const;
    const withOptions = fc.tuple(fc.oneof(hostileLines(20), mutatedRealText(800)), fc.subarray([...kinds]), fc.double({min: 0, max: 1, noNaN: true}), fc.array(fc.nat(), {maxLength: 4}));
    fc.assert(
      fc.property(withOptions, ([text, only, threshold, keepAt]) => {
        countCases('engine: any options');
        const lines = text.split(/\r\n|\n|\r/);
        const keep = keepAt.map((i) => lines[i % lines.length]!);
        const options = {only, boilerplate: {threshold, keep}};
        const file = analyse(text, options);
        checkAnnotations(text, file.data.sift!.annotations, file);
        const again = analyse(text, options);
        assert.deepEqual(again.data.sift!.annotations, file.data.sift!.annotations);
        const keys = new Set(keep.map((k) => k.trim().replace(/\s+/g, ' ').toLowerCase()));
        for (const b of file.data.sift!.annotations.boilerplate) {
          assert.ok(!keys.has(text.slice(b.start, b.end).trim().replace(/\s+/g, ' ').toLowerCase()), `a kept line was flagged: ${describeInput(text)}`);
          assert.ok(b.score >= threshold, `line ${b.line} scored ${b.score} under the threshold ${threshold}`);
        }
      }),
      propertyParams(300),
    );
  });

  it('the invariant checker catches what it must (a check that cannot fail proves nothing)', () => {
    const text = 'A 😀 line\nTop Stories\n';
    const ok: Annotations = {
      boilerplate: [{line: 1, start: 10, end: 21, category: 'navigation', reason: 'navigation', score: 0.9}],
      quotes: [],
      entities: [{start: 0, end: 1, type: 'MISC', text: 'A', canonical: 'A', id: 'MISC:A'}],
    };
    checkAnnotations(text, ok);
    const broken: Array<[string, Annotations]> = [
      ['splits a surrogate pair', {...ok, entities: [{start: 2, end: 3, type: 'MISC', text: text.slice(2, 3), canonical: 'x', id: 'x'}]}],
      ['lies outside the text', {...ok, entities: [{start: 20, end: 40, type: 'MISC', text: text.slice(20, 40), canonical: 'x', id: 'x'}]}],
      ['reversed', {...ok, quotes: [{start: 5, end: 3, direct: true, kind: 'direct', speaker: null, speakerMention: null, speakerStart: null, speakerEnd: null, cue: null, cueStart: null, cueEnd: null, text: ''}]}],
      ['not once each, in order', {...ok, boilerplate: [ok.boilerplate[0]!, ok.boilerplate[0]!]}],
      ['is not the slice', {...ok, entities: [{start: 0, end: 1, type: 'MISC', text: 'B', canonical: 'B', id: 'MISC:B'}]}],
      ['the line is', {...ok, boilerplate: [{...ok.boilerplate[0]!, end: 20}]}],
    ];
    for (const [message, result] of broken) assert.throws(() => checkAnnotations(text, result), (error: Error) => error instanceof InvariantError && error.message.includes(message), message);
  });

  describe('huge and degenerate inputs (one case each)', () => {
    const mb = 1024 * 1024;
    const quoteKb = Math.min(512, 32 * Math.max(1, Math.round(Number(process.env['SIFT_PROP_SCALE'] ?? '1'))));
    /**
     * Repeat a unit up to a length.
     * @param unit Unit.
     * @param length UTF-16 length.
     * @returns Text.
     */
    const fill = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    const cases: Array<[string, () => string]> = [
      ['a 1 MB line of words', () => fill('word ', mb)],
      ['a 1 MB line of CJK without spaces', () => fill('新华社报道中文新闻', mb)],
      // Quote-dense text is the slowest input known (see RELIABILITY.md): 32 KB here, up to 512 KB in the soak.
      [`a ${quoteKb} KB line of alternating quotes and names`, () => fill('“Yes,” said Ana Pereira. "No" ‘maybe’ « oui » ', quoteKb * 1024)],
      ['10,000 empty lines (LF)', () => '\n'.repeat(10000)],
      ['10,000 empty lines (CRLF) after a BOM', () => `\uFEFF${'\r\n'.repeat(10000)}`],
      ['10,000 empty lines (CR) around a quote', () => `${'\r'.repeat(5000)}“Hello,” she said.${'\r'.repeat(5000)}`],
      ['10,000 copies of one chrome line', () => 'Sign up for our newsletter\n'.repeat(10000)],
      ['256 KB of astral characters and combining marks', () => fill('😀e\u0301𝒳\u0300🇹🇷', 256 * 1024)],
      ['256 KB of NUL and control characters', () => fill('\u0000\u0001\u001B\u007F\t\u2028', 256 * 1024)],
      ['64 K lone surrogates', () => fill('\uD800a\uDC00', 64 * 1024)],
      ['128 KB of right-to-left text with marks', () => fill(`${PIECES.rtl.join(' ')}. `, 128 * 1024)],
    ];
    for (const [name, make] of cases) {
      it(name, function () {
        this.timeout(120000);
        const text = make();
        countCases('engine: huge and degenerate inputs');
        annotateChecked(text, text.length <= 300 * 1024);
      });
    }
  });
});

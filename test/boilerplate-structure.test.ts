/**
 * Structure features of the boilerplate model (`structure.ts`): lists inside a story (numbered items in sequence,
 * label / value pairs, a run of short lines introduced by prose and closed by prose) and the long-range content
 * mass of the second stage. The texts are fictional, written for these tests.
 */
import assert from 'node:assert/strict';
import {splitLines} from '../server/src/engine/index.js';
import {contextFeatures, pageFeatures} from '../server/src/engine/boilerplate/features.js';
import {longRangeFeatures, structureOptions} from '../server/src/engine/boilerplate/structure.js';
import {rawScores} from '../server/src/engine/boilerplate/index.js';
import {loadModel} from '../server/src/engine/boilerplate/model.js';

/** A story with a numbered list, a label / value list, then a footer of links. */
const PAGE = [
  'Home',
  'News',
  'Sport',
  'Five hikes near the harbour town for a spring weekend',
  'The coastal paths around Kessby reopened this month after the winter repairs, and the tourist office has picked five walks for the first warm weekend of the year:',
  '1. The lighthouse loop',
  'Two hours along the cliffs, with a steep climb at the end.',
  '2. The salt marsh trail',
  'Flat and easy, good for children and birdwatchers alike.',
  '3. The old quarry path',
  'Rough in places after the storms, so wear proper boots.',
  'Each walk starts from the harbour car park, where the office has put up new maps.',
  'Distance:',
  '6 km',
  'Climb:',
  '240 m',
  'Time:',
  '2 hours',
  'The office said more routes would open in May once the bridges on the northern path are rebuilt.',
  'Contact us',
  'Privacy',
  'Terms',
  '3. Read more',
];

/** Column of a feature, by item. */
function column(name: string): number[] {
  const page = pageFeatures(PAGE.join('\n'), splitLines(PAGE.join('\n')));
  const f = page.names.indexOf(name);
  assert.ok(f >= 0, `feature ${name} is computed`);
  return Array.from(page.columns[f]!);
}

describe('boilerplate structure features', () => {
  before(() => (structureOptions.longRange = true));
  after(() => (structureOptions.longRange = false));

  it('are computed only when the model reads them (the shipped model reads neither the list nor the long-range columns)', () => {
    const text = PAGE.join('\n');
    const lines = splitLines(text);
    const model = loadModel();
    const shipped = rawScores(text, lines, model);
    assert.ok(!shipped.page.names.some((name) => name.startsWith('st_') || name.startsWith('lr_')), 'not for the shipped model');
    // A model one of whose ensembles lists a list column gets them all (the extra name is read by no tree here).
    const first = model.stage1[0]!;
    const withLists = {...model, stage1: [{...first, features: [...first.features, 'st_period']}, ...model.stage1.slice(1)]};
    const listed = rawScores(text, lines, withLists);
    assert.ok(listed.page.names.includes('st_periodicRun') && listed.page.names.includes('st_numberedChain'));
    assert.deepEqual(Array.from(listed.p), Array.from(shipped.p), 'columns no tree reads change nothing');
    // Without a model, the training script's defaults: the list columns, not the long-range ones.
    structureOptions.longRange = false;
    const page = pageFeatures(text, lines);
    const extra = contextFeatures(page, new Float32Array(page.stats.length));
    structureOptions.longRange = true;
    assert.ok(page.names.includes('st_periodicRun'));
    assert.ok(!extra.names.some((name) => name.startsWith('lr_')));
  });

  it('page-structure columns: where a line stands (chrome before the story, the story, chrome after it)', () => {
    const text = PAGE.join('\n');
    const page = pageFeatures(text, splitLines(text));
    // First-stage scores as a model might give them: the menu and the footer chrome, the story content, one
    // doubtful line inside the story (the "Distance:" label).
    const p = Float32Array.from(page.stats.map((_, i) => (i < 3 || i > 18 ? 0.95 : i === 12 ? 0.6 : 0.1)));
    const extra = contextFeatures(page, p);
    const col = (name: string): number[] => {
      const f = extra.names.indexOf(name);
      assert.ok(f >= 0, `${name} is computed`);
      return Array.from(extra.columns[f]!);
    };
    const before = col('hm_before');
    const after = col('hm_after');
    const b = col('hm_b');
    for (const i of [0, 1, 2]) assert.ok(before[i]! > 0.9 && after[i]! < 0.01, `menu line ${i} is before the story`);
    for (const i of [19, 20, 21, 22]) assert.ok(after[i]! > 0.9 && before[i]! < 0.01, `footer line ${i} is after the story`);
    for (const i of [4, 8, 12, 18]) assert.ok(b[i]! < 0.5, `line ${i} is in the story`);
    // The weaker HMM's columns too, every value a probability.
    for (const name of extra.names.filter((x) => x.startsWith('hm_'))) for (const x of col(name)) assert.ok(x >= 0 && x <= 1 + 1e-6, `${name}: ${x}`);
    assert.ok(col('hm_wb')[12]! < 0.5);
    // The shipped model's second stage reads them (so the engine computes them for it: structureOf in index.ts).
    assert.ok(loadModel().stage2.some((e) => e.features.some((name) => name.startsWith('hm_'))));
  });

  it('finds numbered items in sequence, not a lone number', () => {
    const chain = column('st_numberedChain');
    for (const i of [5, 7, 9]) assert.equal(chain[i], Math.fround(Math.log1p(3)), `item ${i} is in a chain of three`);
    assert.equal(chain[22], Math.fround(Math.log1p(1)), 'a lone "3." far below is a chain of one');
    assert.equal(chain[2], 0, 'a line without a number');
    const inList = column('st_inNumberedList');
    assert.ok(inList[6]! > 0 && inList[8]! > 0, 'the text under a numbered item is inside the list');
    assert.equal(inList[2], 0);
  });

  it('finds label / value pairs as a run with period 2', () => {
    const period = column('st_period');
    const run = column('st_periodicRun');
    for (let i = 12; i <= 17; i++) {
      assert.equal(period[i], 2, `item ${i}`);
      assert.ok(run[i]! >= Math.fround(Math.log1p(6)) - 1e-6, `item ${i} is in a run of six`);
    }
  });

  it('tells a list introduced by prose and closed by prose from a footer', () => {
    const introduced = column('st_runIntroduced');
    const closed = column('st_runClosed');
    assert.equal(introduced[5], 2, 'the numbered list follows a paragraph ending with a colon');
    assert.equal(introduced[12], 1, 'the pairs follow a paragraph');
    assert.equal(introduced[13], 1, 'the whole run is introduced');
    assert.equal(closed[15], 1);
    assert.equal(introduced[20], 1, 'the footer follows the last paragraph');
    assert.equal(closed[20], 0, 'but nothing closes it');
    assert.equal(introduced[4], -1, 'prose lines are not in a run');
    const bracketed = column('st_bracketed');
    assert.ok(bracketed[14]! > bracketed[21]!, 'a list line inside the story has prose on both sides, the footer not');
  });

  it('sums the content mass above and below with a decay', () => {
    const page = pageFeatures(PAGE.join('\n'), splitLines(PAGE.join('\n')));
    const n = page.stats.length;
    const p = Float32Array.from(page.stats, (s) => (s.prose ? 0.1 : 0.9));
    const lr = longRangeFeatures(page.stats, p);
    const col = (name: string) => lr.columns[lr.names.indexOf(name)]!;
    assert.equal(col('lr_above10')[0], 0, 'nothing above the first line');
    assert.equal(col('lr_below40')[n - 1], 0, 'nothing below the last line');
    const share = col('lr_shareBefore');
    for (let i = 1; i < n; i++) assert.ok(share[i]! >= share[i - 1]!, 'the share before grows down the page');
    for (let i = 0; i < n; i++) assert.equal(col('lr_bracket10')[i], Math.min(col('lr_above10')[i]!, col('lr_below10')[i]!));
    assert.ok(col('lr_bracket40')[14]! > col('lr_bracket40')[1]!, 'a line in the story has content on both sides, the menu not');
  });
});

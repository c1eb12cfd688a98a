/**
 * Segment-level decisions for runs of short lines (`runs.ts`): the runs are the maximal runs of non-prose lines,
 * their columns aggregate the run's lines and the prose around it, and a run the run model reads as content keeps
 * its lines below the threshold while a run read as boilerplate is left to the line scores. The text is
 * fictional, written for these tests.
 */
import assert from 'node:assert/strict';
import {splitLines} from '../server/src/engine/index.js';
import {pageFeatures} from '../server/src/engine/boilerplate/features.js';
import {applyRuns, RUN_NAMES, runColumns, runFeatures, shortRuns} from '../server/src/engine/boilerplate/runs.js';
import type {Ensemble} from '../server/src/engine/boilerplate/model.js';

const PAGE = [
  'Home',
  'News',
  'Sport',
  'Weather',
  'The coastal paths around Kessby reopened this month after the winter repairs, and the tourist office has listed what a walker needs for the first warm weekend of the year:',
  'Boots',
  'Water',
  'A map',
  'The office said more routes would open in May once the bridges on the northern path are rebuilt, and that the ferry will run every hour.',
  'Contact us',
].join('\n');

const ROUTES = [
  'The tourist office in Kessby has published three walking routes for the spring, from the harbour to the forest, with the distance of each of them:',
  '1. Harbour loop',
  'Distance: 4 km',
  '2. Forest path',
  'Distance: 7 km',
  '3. Ridge walk',
  'Distance: 12 km',
  'The office said the ridge walk is closed in strong wind, and that walkers should check the forecast before they set out in the morning.',
  'Distance: 7 km',
].join('\n');

/** An ensemble without trees that says `p` for every run. */
function constant(p: number): Ensemble {
  return {features: [...RUN_NAMES], base: Math.log(p / (1 - p)), trees: []};
}

describe('boilerplate runs of short lines', () => {
  const page = pageFeatures(PAGE, splitLines(PAGE));
  const n = page.stats.length;

  it('finds the maximal runs of non-prose lines of the minimum length', () => {
    assert.deepEqual(shortRuns(page, 3), [[0, 3], [5, 7]]);
    assert.deepEqual(shortRuns(page, 1), [[0, 3], [5, 7], [9, 9]]);
  });

  it('aggregates a run and the prose around it', () => {
    const p = Float32Array.from({length: n}, (_, i) => (i === 5 ? 0.9 : i === 6 ? 0.7 : 0.2));
    const cols = runFeatures(page, [[5, 7]], p, p, p);
    const col = (name: string): number => cols[RUN_NAMES.indexOf(name as (typeof RUN_NAMES)[number])]![0]!;
    assert.equal(col('r_len'), 3);
    assert.ok(Math.abs(col('r_meanP') - 0.6) < 1e-6);
    assert.ok(Math.abs(col('r_maxP') - 0.9) < 1e-6);
    assert.equal(col('r_colon'), 1, 'introduced by a line ending with a colon');
    assert.equal(col('r_aboveProse'), 1);
    assert.equal(col('r_belowProse'), 1);
  });

  it('measures copies, label/value alternation, a numbered sequence and words shared with the prose', () => {
    const routes = pageFeatures(ROUTES, splitLines(ROUTES));
    assert.deepEqual(shortRuns(routes, 3), [[1, 6]]);
    const p = new Float32Array(routes.stats.length).fill(0.2);
    const cols = runFeatures(routes, [[1, 6]], p, p, p);
    const col = (name: string): number => cols[RUN_NAMES.indexOf(name as (typeof RUN_NAMES)[number])]![0]!;
    assert.ok(Math.abs(col('r_copies') - 1 / 6) < 1e-6, 'one line of six is printed again after the run');
    assert.ok(Math.abs(col('r_copiesKept') - 1 / 6) < 1e-6);
    assert.equal(col('r_same1'), 0, 'no line has the shape of the next');
    assert.equal(col('r_same2'), 1);
    assert.equal(col('r_alternate'), 1);
    assert.ok(Math.abs(col('r_numbered') - 2 / 5) < 1e-6, '2 follows 1, 3 follows 2');
    // harbour, forest, ridge, walk and distance (three times) are in the prose; loop and path are not.
    assert.ok(Math.abs(col('r_proseWords') - 7 / 9) < 1e-6);
    // Left out for a model that does not use them.
    const plain = runFeatures(routes, [[1, 6]], p, p, p, false);
    assert.equal(plain[RUN_NAMES.indexOf('r_numbered')]![0], 0);
    assert.deepEqual(runColumns(['base']), RUN_NAMES.slice(0, 33));
    assert.deepEqual(runColumns(['base', 'num']), [...RUN_NAMES.slice(0, 33), 'r_numbered']);
  });

  it('holds a content run below the threshold and leaves a boilerplate run alone', () => {
    const p = new Float32Array(n).fill(0.8);
    const content = Float32Array.from(p);
    applyRuns(page, p, p, content, {bag: [constant(0.1)], minLength: 3, cut: 0.5, cap: 0.45});
    assert.deepEqual(Array.from(content, (x) => x < 0.5), [true, true, true, true, false, true, true, true, false, false]);
    const boiler = Float32Array.from(p);
    applyRuns(page, p, p, boiler, {bag: [constant(0.9)], minLength: 3, cut: 0.5, cap: 0.45});
    assert.deepEqual(Array.from(boiler), Array.from(p));
  });
});

/**
 * The engine core's speed-ups keep its behaviour: `annotate` (which makes no vfile messages) returns exactly what
 * `analyse` finds, `analyse` still makes one message per annotation with its place and rule, and the stack-trace
 * limit the engine lowers while analysers run is restored.
 */
import assert from 'node:assert/strict';
import {analyse, annotate} from '../server/src/engine/index.js';
import {OWN_SAMPLES, readText, SHARED_SAMPLES, textFiles} from './helpers.js';

const samples = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map(readText);

describe('engine core', () => {
  it('annotate returns what analyse finds', () => {
    assert.ok(samples.length >= 8);
    for (const text of samples) {
      const file = analyse(text);
      assert.deepEqual(annotate(text), file.data.sift!.annotations);
    }
  });

  it('analyse makes one message per annotation, with its rule and place', () => {
    for (const text of samples) {
      const file = analyse(text);
      const {boilerplate, quotes, entities} = file.data.sift!.annotations;
      assert.equal(file.messages.length, boilerplate.length + quotes.length + entities.length);
      assert.ok(file.messages.length >= 10, "every sample has annotations");
      for (const message of file.messages) {
        assert.ok(['boilerplate', 'quotation', 'named-entity'].includes(message.ruleId!), message.ruleId);
        assert.equal(message.source, 'sift');
        assert.ok(message.place && 'start' in message.place && message.place.start.line >= 1);
        assert.equal(message.stack, '');
      }
    }
  });

  it('restores the stack-trace limit', () => {
    const limit = Error.stackTraceLimit;
    annotate(samples[0]!);
    analyse(samples[0]!);
    assert.equal(Error.stackTraceLimit, limit);
    assert.ok(limit > 0);
  });
});

/**
 * The block-by-block parser (`server/src/engine/parse.ts`) must give exactly retext-english's tree: same nodes,
 * values and positions, on the samples, the dev texts (when ../shared/data is present) and random texts made of
 * the pieces that steer parse-english's merges (abbreviations, closing quotes, blank lines, lower-case starts…).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {unified} from 'unified';
import retextEnglish from 'retext-english';
import type {Root} from 'nlcst';
import {annotate} from '../server/src/engine/index.js';
import {cutsOf, parseText} from '../server/src/engine/parse.js';
import {tokensOf} from '../server/src/engine/tokens.js';
import {splitLines} from '../server/src/engine/lines.js';
import {OWN_SAMPLES, readText, SHARED, SHARED_SAMPLES, textFiles} from './helpers.js';

const retext = unified().use(retextEnglish);
const reference = (text: string): Root => retext.parse(text) as Root;

/** Texts of the samples, seed and own. */
const samples = [...textFiles(SHARED_SAMPLES), ...textFiles(OWN_SAMPLES)].map((file) => ({name: path.basename(file), text: readText(file)}));

/**
 * Texts of the dev sets, if present.
 * @returns Texts.
 */
function devTexts(): string[] {
  const texts: string[] = [];
  for (const name of ['quotes/dev.jsonl', 'boilerplate/dev.jsonl']) {
    const file = path.join(SHARED, 'data', name);
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line) texts.push((JSON.parse(line) as {text: string}).text);
  }
  return texts;
}

describe('block parser (parse.ts)', () => {
  it('has samples to check', () => {
    assert.ok(samples.length >= 8);
  });

  it('cuts the samples into blocks and gives retext-english tree, node for node', () => {
    let blocks = 0;
    for (const {name, text} of samples) {
      blocks += cutsOf(text).length + 1;
      assert.deepStrictEqual(parseText(text), reference(text), name);
    }
    // Cutting is what makes it linear: the samples are cut into many blocks, not parsed whole.
    assert.ok(blocks > samples.length * 5, `only ${blocks} blocks`);
  });

  it('gives retext-english tree on every dev text', function () {
    const texts = devTexts();
    if (texts.length === 0) this.skip();
    this.timeout(120000);
    let cut = 0;
    for (const [i, text] of texts.entries()) {
      cut += cutsOf(text).length;
      const ours = parseText(text);
      const theirs = reference(text);
      // Serialising is much faster than a deep comparison; key order is the same in both trees.
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) assert.deepStrictEqual(ours, theirs, `dev text ${i}`);
    }
    assert.ok(cut > texts.length, 'the dev texts were cut into blocks');
  });

  it('does not cut where parse-english joins sentences across a blank line', () => {
    // "___." has no word, so parse-english joins it to "bar." and then reads that full stop as part of "bar.".
    for (const text of ['Foo bar.\n\n___.', 'Foo bar.\n\nbaz qux.', 'Foo.“\n\nBar.', 'He said (D-Mo.):\n\nBar.', 'Foo\n \n!Foo', 'Foo.\n\n, bar']) {
      assert.deepStrictEqual(cutsOf(text), [], JSON.stringify(text));
      assert.deepStrictEqual(parseText(text), reference(text), JSON.stringify(text));
    }
    assert.deepStrictEqual(cutsOf('Foo bar.\n\nBaz qux.\r\n\r\n“Quote,” he said.'), [[8, 10], [18, 22]]);
  });

  it('gives retext-english tree on random texts', function () {
    this.timeout(60000);
    const pieces = ['Foo', 'bar', 'Mr', 'U.S.', 'e.g', 'p.m', '2', ' ', ' ', '\n', '\n\n', '\r\n\r\n', '\r', '\n \n', '\u00A0', '\t', '.', '.', '!', '?', '…', ',', ';', ':', '“', '”', '"', "'", '’', '(', ')', '-', '—', '___', '*', '&', '/', 'Élan', 'ñandu', '😀', 'A', 'a.', 'etc'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 60}), (parts) => {
        const text = parts.join('');
        assert.deepStrictEqual(parseText(text), reference(text));
      }),
      {numRuns: 3000, seed: 42},
    );
  });

  it('with maxBlock, cuts long blocks at line ends and keeps every token and annotation', () => {
    const options = {maxBlock: 200};
    let more = 0;
    for (const {name, text} of samples) {
      const lines = splitLines(text);
      const strip = (tree: Root) => tokensOf(tree, text, lines).map((t) => `${t.start}:${t.end}:${t.kind}:${t.line}`);
      more += cutsOf(text, options).length - cutsOf(text).length;
      assert.deepStrictEqual(strip(parseText(text, options)), strip(reference(text)), name);
      assert.deepStrictEqual(annotate(text, {parser: options}), annotate(text), name);
    }
    assert.ok(more >= 10, `only ${more} more cuts`);
  });

  it('is the engine parser when asked, with the same annotations', () => {
    for (const {name, text} of samples) assert.deepStrictEqual(annotate(text, {parser: 'sift'}), annotate(text), name);
  });
});

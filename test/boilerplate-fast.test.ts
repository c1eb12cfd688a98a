/**
 * The fast paths of the boilerplate analyser compute what the plain definitions compute: the per-line table scan
 * (tokens, words, CJK characters, the line key) against the regular expressions that define them, and the
 * row-by-row tree walk against a node-by-node walk of the model's trees, the page's word table (ids and lexicon
 * flags by a hash of the code units) against a Map and the lexicon's Sets. Speed itself is measured by
 * `scripts/boilerplate-bench.mjs`; byte identity over the data sets by `scripts/boilerplate-compare.mjs`.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {lineKey, PageWords, statsOf} from '../server/src/engine/boilerplate/features.js';
import {CHROME_WORDS, MONTHS, STOP_WORDS, WEEKDAYS} from '../server/src/engine/boilerplate/lexicon.js';
import {loadModel, predict, type Ensemble} from '../server/src/engine/boilerplate/model.js';

const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const TOKEN_RE = new RegExp(`[${CJK_CLASS}]|(?:(?![${CJK_CLASS}])[\\p{L}\\p{M}\\p{N}])+`, 'gu');
const CJK_RE = new RegExp(`[${CJK_CLASS}\\p{Script=Hangul}]`, 'gu');
const WORD_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;

/**
 * The facts as the regular expressions define them.
 * @param text Trimmed line.
 * @returns Tokens, words, word list, CJK count, key.
 */
function reference(text: string) {
  return {
    tokens: text.match(TOKEN_RE)?.length ?? 0,
    words: text.split(/\s+/).length,
    wordList: text.toLowerCase().match(WORD_RE) ?? [],
    cjk: text.match(CJK_RE)?.length ?? 0,
    key: lineKey(text),
  };
}

/** Characters that take every branch of the scan: ASCII, Latin, curly quotes, odd spaces, CJK, Thai, Hangul, emoji. */
const PIECES = ['a', 'Z', '7', ' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', "'", '’', '‘', '“', '”', '-', '.', 'é', 'İ', 'ß', 'Σ', 'ж', '١', 'ह', 'ि', '東', 'の', 'カ', 'ข', '่', '한', '😀', '𝕏', 'Ａ', '½', '…', '—'];

describe('boilerplate fast paths', () => {
  it('scan a line by table exactly as the regular expressions do', () => {
    const lines = [
      'The ferry link resumed on Monday, eleven weeks after the storms.',
      'İstanbul’da  iki\tkat “yeni” bina — açıldı.',
      '東京で新しい図書館が開館した。',
      '서울 시장은 새 도서관을 열었다',
      'ข่าวล่าสุด วันนี้',
      'Share 😀 on 𝕏 | Facebook',
      "rock'n'roll don't o’neil - x -y",
    ];
    for (const text of lines) {
      const s = statsOf(text, 0);
      const r = reference(text);
      assert.deepEqual({tokens: s.tokens, words: s.words, wordList: s.wordList, cjk: s.cjk, key: s.key}, r, text);
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), {minLength: 1, maxLength: 30}), (parts) => {
        const text = parts.join('').trim();
        if (!text) return;
        const s = statsOf(text, 0);
        assert.deepEqual({tokens: s.tokens, words: s.words, wordList: s.wordList, cjk: s.cjk, key: s.key}, reference(text), JSON.stringify(text));
      }),
      {numRuns: 500, seed: 7},
    );
  });

  it('give the words of a page the ids and flags of a Map and the lexicon sets, across lines and table growth', () => {
    const lexicon = [...STOP_WORDS, ...CHROME_WORDS, ...MONTHS, ...WEEKDAYS];
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.constantFrom(...lexicon, ...PIECES, '2024', 'x1'), fc.string({maxLength: 6})), {maxLength: 40}), {maxLength: 60}), (lineWords) => {
        const words = new PageWords();
        const ref = new Map<string, number>();
        for (const parts of lineWords) {
          const lower = parts.join(' ').toLowerCase();
          const found = words.wordsOf(lower);
          const expected = lower.match(WORD_RE) ?? [];
          if (found) {
            assert.deepEqual(found, expected);
            found.forEach((w, k) => {
              if (!ref.has(w)) ref.set(w, ref.size);
              assert.equal(words.lastIds[k], ref.get(w), w);
            });
          } else {
            // A unit outside the table: the caller falls back to the expression and idOf.
            for (const w of expected) {
              if (!ref.has(w)) ref.set(w, ref.size);
              assert.equal(words.idOf(w), ref.get(w), w);
            }
          }
        }
        assert.deepEqual(words.words, [...ref.keys()]);
        words.words.forEach((w, id) => {
          const f = words.flags[id]!;
          assert.equal((f & 1) !== 0, STOP_WORDS.has(w), `stop ${w}`);
          assert.equal((f & 2) !== 0, CHROME_WORDS.has(w), `chrome ${w}`);
          assert.equal((f & 4) !== 0, MONTHS.has(w), `month ${w}`);
          assert.equal((f & 8) !== 0, WEEKDAYS.has(w), `weekday ${w}`);
          assert.equal(words.idOf(w), id);
        });
      }),
      {numRuns: 200, seed: 11},
    );
  });

  it('walk the trees row by row to the same sums as a node-by-node walk', () => {
    const model = loadModel();
    /**
     * Plain walk of one ensemble over one row.
     * @param e Ensemble.
     * @param row Features.
     * @returns Probability.
     */
    const plain = (e: Ensemble, row: Float32Array): number => {
      let sum = 0;
      for (const tree of e.trees) {
        let k = 0;
        while (tree.feature[k]! >= 0) k = row[tree.feature[k]!]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
        sum += tree.value[k]!;
      }
      return 1 / (1 + Math.exp(-(e.base + sum)));
    };
    for (const e of [model.stage1[0]!, model.stage2[0]!, model.headline[0]!]) {
      const F = e.features.length;
      const n = 11; // not a multiple of four: the tail rows are walked too
      // Values at and around the thresholds the trees use, and NaN (goes right).
      const pool = e.trees.flatMap((t) => t.threshold.filter((_, k) => t.feature[k]! >= 0));
      let seed = 3;
      const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const columns = Array.from({length: F}, () => Float32Array.from({length: n}, () => {
        const u = rnd();
        const t = pool[Math.floor(rnd() * pool.length)]!;
        return u < 0.05 ? NaN : u < 0.35 ? t : t + (rnd() - 0.5);
      }));
      const p = predict(e, columns, n);
      for (let i = 0; i < n; i++) {
        const row = Float32Array.from(columns, (c) => c[i]!);
        assert.equal(p[i], Math.fround(plain(e, row)), `row ${i}`);
      }
    }
  });
});

/**
 * Property tests of user input the language server takes: settings of any shape fall back to defaults with one
 * problem each, and `sift.files` globs, whatever they are, are matched in linear time and never throw.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {compileGlob, DEFAULT_SETTINGS, ENTITY_TYPES, globToRegExp, matchesGlobs, normalizeSettings} from '../server/src/lsp/settings.js';
import {countCases, propertyParams} from './reliability/figures.js';

/** Globs that make a backtracking regular expression run for years (or throw), with a path that triggers it. */
const ADVERSARIAL: Array<[string, string]> = [
  ['*a'.repeat(20) + '*b', 'a'.repeat(200)],
  ['**a'.repeat(20) + '**b', `${'a/'.repeat(100)}a`],
  ['**/'.repeat(30) + 'x', `${'a/'.repeat(150)}y`],
  ['{a,a}'.repeat(60) + 'b', 'a'.repeat(70)],
  ['{{a,a},{a,a}}'.repeat(30) + 'b', 'a'.repeat(40)],
  ['?*'.repeat(40) + 'z', 'q'.repeat(300)],
  [`${'[a-z]*'.repeat(30)}!`, 'abc'.repeat(100)],
  ['*'.repeat(400), `${'a'.repeat(300)}/`],
  ['[z-a].txt', 'b.txt'],
  ['[!]/**', 'x/y'],
  ['{', ''],
  ['}{,}{', '}'],
  ['\\', '\\'],
  ['[\\]', '\\'],
];

describe('property: settings and globs', function () {
  this.timeout(120000);

  it('adversarial globs are matched in linear steps and never throw', () => {
    for (const [glob, path] of ADVERSARIAL) {
      countCases('settings: adversarial globs');
      const matcher = compileGlob(glob);
      for (const candidate of [path, `${path}.txt`, path.slice(0, path.length >> 1)]) {
        assert.doesNotThrow(() => matchesGlobs(candidate, [glob]), glob);
        matcher.test(candidate);
        assert.ok(matcher.lastSteps <= (candidate.length + 1) * matcher.size, `${glob.slice(0, 30)}: ${matcher.lastSteps} steps for ${candidate.length} characters`);
      }
    }
    // The reference regular expression throws on a reversed range (the server used to die of it; see lsp tests),
    // and backtracks combinatorially on the first globs above: it is not used for matching any more.
    assert.throws(() => globToRegExp('[z-a].txt'), SyntaxError);
  });

  it('the linear matcher accepts exactly what the glob-to-regexp translation accepts (small inputs)', () => {
    const globChar = fc.constantFrom('a', 'b', 'A', '.', '/', '*', '**', '**/', '?', '{', '}', ',', '[', ']', '!', '^', '-', 'x', 'txt');
    const pathChar = fc.constantFrom('a', 'b', 'A', 'B', '.', '/', 'x', '-', '!', '^', ',', '{', '}', '[', ']', 't');
    fc.assert(
      fc.property(fc.array(globChar, {maxLength: 8}).map((p) => p.join('')), fc.array(pathChar, {maxLength: 10}).map((p) => p.join('')), (glob, path) => {
        let re: RegExp;
        try {
          re = globToRegExp(glob);
        } catch {
          return; // the reference throws (e.g. a reversed range); the matcher is checked not to throw above
        }
        countCases('settings: glob matcher against its reference');
        assert.equal(compileGlob(glob).test(path), re.test(path), `glob ${JSON.stringify(glob)} on ${JSON.stringify(path)} (regexp ${re})`);
      }),
      propertyParams(3000),
    );
  });

  it('the default and common globs match as before', () => {
    assert.ok(matchesGlobs('news/2024/a.txt', ['**/*.txt']));
    assert.ok(matchesGlobs('A.TXT', ['**/*.txt']));
    assert.ok(!matchesGlobs('news/a.md', ['**/*.txt']));
    assert.ok(matchesGlobs('deep/er/a.news', ['*.news']), 'a glob without a slash matches the name anywhere');
    assert.ok(matchesGlobs('x/a.source.txt', ['x/*.{news,source}.txt']));
    assert.ok(!matchesGlobs('y/a.source.txt', ['x/*.{news,source}.txt']));
    assert.ok(matchesGlobs('dump/b7.txt', ['dump/[a-c][0-9].txt']));
    assert.ok(!matchesGlobs('dump/d7.txt', ['dump/[!a-c][!0-8].txt']));
  });

  it('settings of any shape: never throw, always valid, one problem per invalid value', () => {
    const garbage = fc.oneof(fc.jsonValue(), fc.anything({withNullPrototype: true, withBigInt: false}));
    const shaped = fc.record(
      {
        enable: garbage,
        files: fc.oneof(garbage, fc.array(fc.string({maxLength: 600}))),
        severity: fc.oneof(garbage, fc.record({boilerplate: garbage, quotes: fc.constantFrom('off', 'hint', 'loud'), entities: garbage}, {requiredKeys: []})),
        entities: fc.oneof(garbage, fc.record({types: fc.oneof(garbage, fc.subarray([...ENTITY_TYPES]), fc.array(fc.string()))})),
        boilerplate: fc.oneof(garbage, fc.record({threshold: fc.oneof(fc.double(), garbage), keepLines: fc.oneof(garbage, fc.array(fc.string()))}, {requiredKeys: []})),
        maxFileSize: fc.oneof(fc.double(), garbage),
      },
      {requiredKeys: []},
    );
    fc.assert(
      fc.property(fc.oneof(garbage, shaped), (raw) => {
        countCases('settings: any shape');
        const {settings, problems} = normalizeSettings(raw);
        assert.equal(typeof settings.enable, 'boolean');
        assert.ok(Array.isArray(settings.files) && settings.files.every((g) => typeof g === 'string' && g.length > 0));
        assert.ok(settings.entities.types.every((t) => ENTITY_TYPES.includes(t)));
        assert.ok(settings.boilerplate.threshold >= 0 && settings.boilerplate.threshold <= 1);
        assert.ok(settings.maxFileSize > 0);
        for (const s of Object.values(settings.severity)) assert.ok(['off', 'hint', 'information', 'warning', 'error'].includes(s));
        assert.equal(new Set(problems).size, problems.length, 'each problem once');
        for (const problem of problems) assert.match(problem, /^sift\.[\w.]+ has an invalid value .*; using the default /);
        // A value named in a problem is the default.
        if (problems.some((p) => p.startsWith('sift.boilerplate.threshold '))) assert.equal(settings.boilerplate.threshold, DEFAULT_SETTINGS.boilerplate.threshold);
        if (problems.some((p) => p.startsWith('sift.files '))) assert.deepEqual(settings.files, DEFAULT_SETTINGS.files);
        for (const s of settings.files) matchesGlobs('some/path/file.txt', [s]);
      }),
      propertyParams(1500),
    );
  });
});

/**
 * The extension manifest agrees with the server's settings and the client's commands.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {spawnSync} from 'node:child_process';
import {compileGlob, DEFAULT_SETTINGS, matchesGlobs, normalizeSettings} from '../server/src/lsp/settings.js';
import {COMMANDS} from '../server/src/lsp/protocol.js';
import {CORPUS_COMMANDS} from '../server/src/lsp/corpus-protocol.js';
import {ROOT} from './helpers.js';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * Flatten the defaults into dotted keys, as package.json declares them.
 * @param value Object.
 * @param prefix Key prefix.
 * @returns Key → default.
 */
function flatten(value: Record<string, unknown>, prefix = 'sift'): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, w] of flatten(v as Record<string, unknown>, `${prefix}.${key}`)) out.set(k, w);
    else out.set(`${prefix}.${key}`, v);
  }
  return out;
}

describe('manifest', () => {
  const properties: Record<string, {default: unknown; scope?: string}> = Object.assign({}, ...manifest.contributes.configuration.map((c: {properties: object}) => c.properties));

  it('declares every setting the server reads, with the same defaults', () => {
    const defaults = flatten(DEFAULT_SETTINGS as unknown as Record<string, unknown>);
    assert.deepEqual(Object.keys(properties).sort(), [...defaults.keys()].sort());
    for (const [key, value] of defaults) assert.deepEqual(properties[key]!.default, value, key);
    assert.ok(Object.values(properties).every((p) => p.scope === 'resource'), 'settings are per resource (multi-root)');
  });

  it('groups settings under titles and every command under the Sift category', () => {
    assert.ok(manifest.contributes.configuration.every((c: {title: string}) => c.title && !/sift|settings|extension/i.test(c.title)));
    const ids = manifest.contributes.commands.map((c: {command: string; category: string}) => {
      assert.equal(c.category, 'Sift');
      return c.command;
    });
    assert.deepEqual(ids.sort(), [...Object.values(COMMANDS), ...Object.values(CORPUS_COMMANDS)].sort());
  });

  it('is Marketplace-ready', () => {
    for (const key of ['name', 'displayName', 'description', 'publisher', 'icon', 'categories', 'keywords', 'repository', 'license', 'engines']) assert.ok(manifest[key], key);
    assert.equal(manifest.engines.vscode, '^1.82.0');
    assert.deepEqual(manifest.activationEvents, ['onLanguage:plaintext', 'onLanguage:news-source']);
    const png = fs.readFileSync(path.join(ROOT, manifest.icon));
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });

  it('normalises settings: defaults for missing and invalid values, one problem each', () => {
    assert.deepEqual(normalizeSettings(undefined), {settings: DEFAULT_SETTINGS, problems: []});
    const {settings, problems} = normalizeSettings({enable: 'yes', boilerplate: {threshold: 2}, entities: {types: ['PER', 'NOPE']}, severity: {quotes: 'warning'}});
    assert.equal(settings.enable, true);
    assert.equal(settings.boilerplate.threshold, 0.5);
    assert.deepEqual(settings.entities.types, DEFAULT_SETTINGS.entities.types);
    assert.equal(settings.severity.quotes, 'warning');
    assert.equal(problems.length, 3);
  });

  it('matches file globs like VS Code does, without backtracking', () => {
    assert.ok(matchesGlobs('a/b/c.txt', ['**/*.txt']));
    assert.ok(matchesGlobs('c.txt', ['**/*.txt']));
    assert.ok(matchesGlobs('news/x.source', ['news/*.{txt,source}']));
    assert.ok(!matchesGlobs('news/deep/x.source', ['news/*.{txt,source}']));
    assert.ok(matchesGlobs('deep/dir/notes.txt', ['notes.txt']));
    assert.ok(!matchesGlobs('a.md', ['**/*.txt']));
    assert.ok(matchesGlobs('A/B.TXT', ['a/[a-c].txt']));
    assert.ok(!matchesGlobs('a/d.txt', ['a/[a-c].txt']));
    assert.ok(matchesGlobs('a/d.txt', ['a/[!a-c].txt']));
    assert.ok(matchesGlobs('x/y/z', ['x/**']));
    // Globs that make a backtracking regex engine run for ages: these finish at once (a timeout would fail the test).
    const path = `${'a/'.repeat(1000)}${'a'.repeat(3000)}`;
    for (const evil of [`${'*'.repeat(60)}x`, `${'*a'.repeat(40)}x`, `${'**/a*'.repeat(30)}x`, `{${'a,'.repeat(200)}b}*{${'a,'.repeat(200)}b}`]) {
      assert.equal(compileGlob(evil).test(path), false, evil.slice(0, 20));
    }
  });
});

describe('package contents', () => {
  it('the .vsix holds only the bundles, grammar, models, icon and docs', function () {
    this.timeout(60000);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {cwd: ROOT, encoding: 'utf8'});
    assert.equal(run.status, 0, run.stderr);
    const files = run.stdout.trim().split('\n').filter((l) => l && !l.startsWith('npm ')).sort();
    const allowed = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|language-configuration\.json|images\/icon\.png|syntaxes\/[\w.-]+\.json|dist\/(client|server)\.js|dist\/package\.json|dist\/[\w.-]+\.js|models\/[\w.-]+\.(bin|json))$/;
    for (const file of files) assert.match(file, allowed, `unexpected file in the .vsix: ${file}`);
    for (const needed of ['dist/client.js', 'dist/server.js', 'models/ner.bin', 'images/icon.png', 'syntaxes/news-source.tmLanguage.json']) assert.ok(files.includes(needed), needed);
  });
});

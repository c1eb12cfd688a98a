import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as engine from '../server/src/engine/index.js';
import {annotate, analyse, removeLines, splitLines} from '../server/src/engine/index.js';
import {ROOT} from './helpers.js';

describe('engine', () => {
  it('exposes the public api', () => {
    for (const name of ['annotate', 'analyse', 'createProcessor', 'removeLines', 'splitLines', 'lineAt', 'siftBoilerplate', 'siftEntities', 'siftQuotes', 'RULE_IDS', 'ANALYSIS_KINDS']) {
      assert.ok(name in engine, `engine exports ${name}`);
    }
  });

  it('imports neither vscode nor vscode-languageserver', () => {
    const dir = path.join(ROOT, 'server', 'src', 'engine');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, {withFileTypes: true})) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
      }
    };
    walk(dir);
    assert.ok(files.length >= 8, 'found the engine sources');
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      const imports = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
      for (const spec of imports) assert.ok(!/^vscode($|-languageserver|-languageclient|-jsonrpc)/.test(spec!), `${path.relative(ROOT, file)} imports ${spec}`);
    }
  });

  describe('lines', () => {
    it('splits on \\r\\n, \\n and \\r', () => {
      const lines = splitLines('a\r\nb\rc\n');
      assert.deepEqual(lines.map((l) => [l.start, l.end, l.endWithTerminator]), [[0, 1, 3], [3, 4, 5], [5, 6, 7], [7, 7, 7]]);
    });

    it('removes whole lines and keeps every other byte', () => {
      assert.equal(removeLines('a\r\nb\r\nc', [1]), 'a\r\nc');
      assert.equal(removeLines('a\nb', [1]), 'a\n');
      assert.equal(removeLines('a\rb\rc\r', [0, 2]), 'b\r');
      assert.equal(removeLines('x', []), 'x');
      assert.equal(removeLines('a\nb', [7]), 'a\nb');
    });
  });

  describe('annotate', () => {
    const story = [
      'Top Stories',
      'Minister resigns after budget row',
      'The finance minister of Eldoria, Karin Holt, resigned on Friday after a dispute over the budget with the prime minister.',
      '“I cannot defend numbers I do not believe in,” Holt said in a statement. “It is time for someone else.”',
      'She will be replaced by her deputy, Omar Reyes, according to the government.',
      'Enter your email to get our daily newsletter',
      '© 2025 Eldoria Herald',
    ].join('\n');

    it('returns the three kinds, sorted by offset', () => {
      const result = annotate(story);
      assert.deepEqual(Object.keys(result).sort(), ['boilerplate', 'entities', 'quotes']);
      for (const list of [result.quotes, result.entities]) {
        for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.start <= list[i]!.start);
      }
    });

    it('flags chrome lines with categories and readable reasons', () => {
      const {boilerplate} = annotate(story);
      assert.deepEqual(boilerplate.map((b) => [b.line, b.category]), [[0, 'navigation'], [5, 'promotion'], [6, 'legal']]);
      assert.ok(boilerplate.every((b) => b.reason.length > 5 && b.score > 0.5 && b.score <= 1));
      assert.equal(story.slice(boilerplate[0]!.start, boilerplate[0]!.end), 'Top Stories');
    });

    it('finds split quotes with one speaker, resolved to the full name', () => {
      const quotes = annotate(story).quotes.filter((q) => q.direct);
      assert.equal(quotes.length, 2);
      assert.equal(quotes[0]!.text, 'I cannot defend numbers I do not believe in,');
      assert.equal(story.slice(quotes[0]!.start, quotes[0]!.end), quotes[0]!.text);
      assert.deepEqual(quotes.map((q) => q.speaker), ['Karin Holt', 'Karin Holt']);
      assert.equal(quotes[0]!.speakerMention, 'Holt');
      assert.equal(quotes[0]!.cue, 'said');
    });

    it('links short names to the canonical full name', () => {
      const holt = annotate(story).entities.filter((e) => e.canonical === 'Karin Holt');
      assert.deepEqual(holt.map((e) => e.text), ['Karin Holt', 'Holt']);
      assert.ok(holt.every((e) => e.type === 'PER'));
    });

    it('does not read apostrophes as quotes', () => {
      const text = 'Turkey‘s minister said the country’s plan was final. The ’90s were different.';
      assert.deepEqual(annotate(text).quotes.filter((q) => q.direct), []);
    });

    it('runs only what `only` asks for', () => {
      const result = annotate(story, {only: ['boilerplate']});
      assert.ok(result.boilerplate.length > 0);
      assert.deepEqual([result.quotes, result.entities], [[], []]);
      const quotesOnly = annotate(story, {only: ['quotes']});
      assert.deepEqual(quotesOnly.entities, []);
      assert.equal(quotesOnly.quotes.filter((q) => q.direct)[0]!.speaker, 'Karin Holt', 'quotes still resolve speakers through entities');
    });

    it('never flags a line the user chose to keep', () => {
      const result = annotate(story, {boilerplate: {keep: ['  top stories ']}});
      assert.ok(!result.boilerplate.some((b) => b.line === 0));
    });

    it('honours the threshold', () => {
      assert.equal(annotate(story, {boilerplate: {threshold: 1.01}}).boilerplate.length, 0);
    });

    it('emits vfile messages with stable rule ids and source', () => {
      const file = analyse(story);
      const ids = new Set(file.messages.map((m) => m.ruleId));
      assert.deepEqual([...ids].sort(), ['boilerplate', 'named-entity', 'quotation']);
      assert.ok(file.messages.every((m) => m.source === 'sift'));
      const first = file.messages.find((m) => m.ruleId === 'boilerplate')!;
      assert.equal(String(first), '1:1-1:12: Boilerplate (navigation): navigation');
    });

    it('handles empty text, CRLF, a BOM and astral characters', () => {
      assert.deepEqual(annotate(''), {boilerplate: [], quotes: [], entities: []});
      const text = '\uFEFFHeadline 🚀 here\r\nHeadline 🚀 here\r\n“Rockets 🚀 fly,” said Ana Pereira.\r\n';
      const result = annotate(text);
      assert.deepEqual(result.boilerplate.map((b) => b.line), [1]);
      assert.equal(result.boilerplate[0]!.start, text.indexOf('\r\n') + 2);
      const quote = result.quotes.find((q) => q.direct)!;
      assert.equal(text.slice(quote.start, quote.end), 'Rockets 🚀 fly,');
      assert.equal(quote.speaker, 'Ana Pereira');
    });
  });
});

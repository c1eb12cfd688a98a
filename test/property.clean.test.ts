/**
 * Property tests of cleaning: `removeLines` (what `sift clean`, the quick fixes and the workspace strip use) removes
 * exactly the lines asked for and keeps every other byte as it was, line endings included; the editor's text edits
 * do the same; and a file on disk, read, cleaned and written atomically, holds exactly its original bytes minus the
 * flagged lines. Every byte is accounted for: kept, or part of a flagged line. `bytesLost` must stay 0.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {TextDocument} from 'vscode-languageserver-textdocument';
import {annotate, removeLines, splitLines} from '../server/src/engine/index.js';
import {deleteLines} from '../server/src/lsp/convert.js';
import {readSource, writeAtomic} from '../server/src/cli/files.js';
import {hostileLines, hostileText, isWellFormed, mutatedRealText} from './reliability/arbitraries.js';
import {countBytes, countCases, propertyParams} from './reliability/figures.js';
import {runCli} from './helpers.js';

/**
 * Lines with their terminators, by an independent implementation (a regular expression, not the engine's loop).
 * @param text Text.
 * @returns Segments whose concatenation is the text.
 */
function segments(text: string): string[] {
  const parts = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  // A text that ends with a line break has an empty last line (as editors and the engine count lines).
  if (/[\r\n]$/.test(text)) parts.push('');
  return parts;
}

/**
 * The same split on bytes: what is on disk, line by line, terminators included.
 * @param bytes File content.
 * @returns Byte segments whose concatenation is the file.
 */
function byteSegments(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || bytes[i] === 0x0d) {
      const end = bytes[i] === 0x0d && bytes[i + 1] === 0x0a ? i + 2 : i + 1;
      out.push(bytes.subarray(start, end));
      start = end;
      i = end - 1;
    }
  }
  out.push(bytes.subarray(start));
  return out;
}

/**
 * Check that `after` is `before` without exactly the segments in `removed`, and count the bytes.
 * @param before Segments of the original.
 * @param removed Indices removed.
 * @param after The cleaned result.
 * @param size Size of a segment in bytes.
 * @returns Nothing.
 */
function accountFor<T extends string | Buffer>(before: readonly T[], removed: ReadonlySet<number>, after: T, size: (s: T) => number): void {
  const kept = before.filter((_, i) => !removed.has(i));
  const expected = typeof after === 'string' ? (kept as string[]).join('') : Buffer.concat(kept as Buffer[]);
  const total = before.reduce((n, s) => n + size(s), 0);
  const removedBytes = before.reduce((n, s, i) => n + (removed.has(i) ? size(s) : 0), 0);
  const afterSize = size(after);
  // Bytes lost: what is neither in the result nor in a removed line (0 when the result is exactly the kept lines).
  const same = typeof after === 'string' ? after === expected : (after as Buffer).equals(expected as Buffer);
  const lost = same ? 0 : Math.max(1, Math.abs(total - removedBytes - afterSize));
  countBytes(total, lost);
  assert.ok(same, `cleaning kept ${afterSize} of ${total} bytes, removed ${removedBytes}; expected exactly the kept lines`);
}

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('property: cleaning keeps every byte that is not a flagged line', function () {
  this.timeout(300000);

  it('removeLines removes exactly the lines asked for (any indices, duplicates, out of range)', () => {
    fc.assert(
      fc.property(fc.oneof(hostileLines(30), hostileText(60), mutatedRealText(2000)), fc.array(fc.integer({min: -3, max: 60}), {maxLength: 20}), (text, remove) => {
        countCases('clean: removeLines on random lines');
        const before = segments(text);
        const removed = new Set(remove.filter((i) => i >= 0 && i < before.length));
        accountFor(before, removed, removeLines(text, remove), utf8);
        assert.equal(segments(text).length, splitLines(text).length, 'the engine and the reference agree on the lines');
      }),
      propertyParams(1500),
    );
  });

  it('clean removes exactly the flagged lines, line endings included', () => {
    fc.assert(
      fc.property(fc.oneof(hostileLines(30), mutatedRealText(2500)), (text) => {
        countCases('clean: flagged lines of hostile text');
        const flagged = annotate(text, {only: ['boilerplate']}).boilerplate.map((b) => b.line);
        accountFor(segments(text), new Set(flagged), removeLines(text, flagged), utf8);
      }),
      propertyParams(300),
    );
  });

  it("the editor's edits (quick fix, fix-all, strip) delete exactly the same lines", () => {
    fc.assert(
      fc.property(fc.oneof(hostileLines(30), mutatedRealText(1500)), fc.array(fc.nat({max: 40}), {maxLength: 12}), (text, remove) => {
        countCases('clean: LSP line deletions');
        const document = TextDocument.create('file:///p.txt', 'plaintext', 1, text);
        const edited = TextDocument.applyEdits(document, deleteLines(splitLines(text), remove));
        const before = segments(text);
        accountFor(before, new Set(remove.filter((i) => i < before.length)), edited, utf8);
      }),
      propertyParams(800),
    );
  });

  it('a file on disk: read, cleaned and written atomically holds its bytes minus the flagged lines (BOM, CR, CRLF kept)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-prop-'));
    let n = 0;
    try {
      const fileText = fc
        .tuple(fc.oneof(hostileLines(30), mutatedRealText(2000)), fc.boolean())
        .map(([text, bom]) => (bom && !text.startsWith('\uFEFF') ? `\uFEFF${text}` : text).replace(/\u0000/g, ''))
        .filter((text) => text.length > 0 && isWellFormed(text));
      await fc.assert(
        fc.asyncProperty(fileText, fc.constantFrom(0o644, 0o600, 0o640, 0o755), async (text, mode) => {
          countCases('clean: files on disk');
          const file = path.join(dir, `f${n++}.txt`);
          fs.writeFileSync(file, text);
          fs.chmodSync(file, mode);
          const original = fs.readFileSync(file);
          const source = await readSource(file, 1e9);
          assert.equal(source.text, text, 'read back exactly (BOM kept as U+FEFF)');
          const flagged = annotate(source.text, {only: ['boilerplate']}).boilerplate.map((b) => b.line);
          await writeAtomic(file, removeLines(source.text, flagged), source.mode, source);
          accountFor(byteSegments(original), new Set(flagged), fs.readFileSync(file), (b) => b.length);
          assert.equal(fs.statSync(file).mode & 0o777, mode, 'mode kept');
          fs.rmSync(file);
        }),
        propertyParams(200),
      );
      assert.deepEqual(fs.readdirSync(dir), [], 'no temporary file left behind');
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  it('`sift clean --out` on a folder of mutated real files: each copy is its original minus the lines `sift annotate` flags', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-prop-cli-'));
    try {
      const texts = fc.sample(
        mutatedRealText(4000).map((t) => t.replace(/\u0000/g, '')).filter((t) => t.trim().length > 0 && isWellFormed(t)),
        {numRuns: 40, ...(process.env['SIFT_PROP_SEED'] ? {seed: Number(process.env['SIFT_PROP_SEED'])} : {})},
      );
      const src = path.join(dir, 'in');
      fs.mkdirSync(src);
      texts.forEach((text, i) => fs.writeFileSync(path.join(src, `doc${String(i).padStart(2, '0')}.txt`), text));
      // A few copies of one page template, so that the folder's shared lines count as evidence too.
      for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(src, `templ${i}.txt`), `Home | World | Sport\r\nStory number ${i} is here.\r\nFollow us on social media\r\n`);
      const annotated = runCli(['annotate', '--format', 'json', '--only', 'boilerplate', src]);
      assert.equal(annotated.status, 0, annotated.stderr);
      const flags = new Map<string, number[]>(annotated.stdout.trim().split('\n').map((l) => JSON.parse(l) as {file: string; boilerplate: Array<{line: number}>}).map((r) => [path.basename(r.file), r.boilerplate.map((b) => b.line)]));
      const out = path.join(dir, 'out');
      const cleaned = runCli(['clean', src, '--out', out]);
      assert.equal(cleaned.status, 0, cleaned.stderr);
      for (const name of fs.readdirSync(src)) {
        countCases('clean: CLI files');
        const original = fs.readFileSync(path.join(src, name));
        accountFor(byteSegments(original), new Set(flags.get(name)), fs.readFileSync(path.join(out, name)), (b) => b.length);
      }
      assert.ok([...flags.values()].some((lines) => lines.length > 0), 'some lines were flagged');
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });
});

/**
 * The cross-source index (server/src/engine/corpus): names across files, the same quotation in several sources,
 * stories, the folder's repeated lines; and golden files pinning the cross-source matches on the seed samples.
 * Invented texts only (the seed articles are read from ../shared at run time, never copied).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import {annotate} from '../server/src/engine/index.js';
import {
  alignmentScore,
  CodePoints,
  CorpusIndex,
  deserializeSummary,
  diffCounts,
  diffWords,
  estimateJaccard,
  FolderLineCounts,
  lineKey,
  minhash,
  positionIn,
  quoteWords,
  serializeSummary,
  summarize,
  wordsMatch,
} from '../server/src/engine/corpus/index.js';
import {checkGolden, OWN_SAMPLES, readText, SHARED_SAMPLES, textFiles} from './helpers.js';

/**
 * An index of files (ids are their base names; the folder is their directory).
 * @param files Paths.
 * @returns Index.
 */
function indexOf(files: readonly string[]): CorpusIndex {
  const index = new CorpusIndex();
  for (const file of files) {
    const text = readText(file);
    index.set(path.basename(file), path.dirname(file), summarize(text, annotate(text)));
  }
  return index;
}

const seeds = textFiles(SHARED_SAMPLES);
const own = textFiles(OWN_SAMPLES);

describe('corpus: text units', () => {
  it('counts code points the way brat and doccano do (astral characters are one)', () => {
    const text = 'a😀b𝒳\r\nc';
    const cp = new CodePoints(text);
    assert.equal(cp.length, [...text].length);
    assert.equal(cp.fromUtf16(1), 1); // before 😀
    assert.equal(cp.fromUtf16(3), 2); // after 😀 (two UTF-16 units)
    assert.equal(cp.fromUtf16(6), 4); // after 𝒳
    assert.equal(cp.toUtf16(4), 6);
    for (let u = 0; u <= text.length; u++) {
      const inside = u > 0 && u < text.length && /[\uDC00-\uDFFF]/.test(text[u]!);
      if (!inside) assert.equal(cp.toUtf16(cp.fromUtf16(u)), u);
    }
    assert.throws(() => cp.toUtf16(99), RangeError);
  });

  it('turns offsets into editor positions with any line terminator', () => {
    const starts = [0, 3, 5, 7];
    assert.deepEqual(positionIn(starts, 0), {line: 0, character: 0});
    assert.deepEqual(positionIn(starts, 4), {line: 1, character: 1});
    assert.deepEqual(positionIn(starts, 8), {line: 3, character: 1});
  });
});

describe('corpus: MinHash', () => {
  it('estimates the Jaccard similarity of shingle sets', () => {
    const base = Array.from({length: 600}, (_, i) => (i * 2654435761) >>> 0);
    const a = Uint32Array.from(base.slice(0, 400));
    const b = Uint32Array.from(base.slice(200, 600)); // 200 shared of 600: J = 1/3
    const estimate = estimateJaccard(minhash(a), minhash(b));
    assert.ok(Math.abs(estimate - 1 / 3) < 0.12, `estimate ${estimate}`);
    assert.equal(estimateJaccard(minhash(a), minhash(a)), 1);
    assert.ok(estimateJaccard(minhash(a), minhash(Uint32Array.from(base.slice(400)))) < 0.05);
    assert.equal(estimateJaccard(minhash(new Uint32Array(0)), minhash(new Uint32Array(0))), 0, 'two empty texts are not near-duplicates');
  });
});

describe('corpus: quotation matching', () => {
  const full = 'The council has so far refused every offer on the harbour cranes. Valdera will not give up the night shift, whatever the ministry says';
  it('matches a copy with an inserted aside, and a copy that cuts a clause', () => {
    const inserted = full.replace('harbour cranes.', 'harbour cranes (the automated ones).');
    const cut = 'The council has so far refused every offer on the harbour cranes.';
    assert.ok(wordsMatch(quoteWords(full), quoteWords(inserted)));
    assert.ok(wordsMatch(quoteWords(full), quoteWords(cut)));
    assert.ok(wordsMatch(quoteWords('“Nobody asked us,” and that is the point we keep making'), quoteWords('Nobody asked us — and that is the point we keep making.')), 'marks and punctuation do not count');
  });

  it('does not match two statements that share a stock phrase, or short scare quotes', () => {
    const a = quoteWords('She is not fit to lead the port authority of the northern coast');
    const b = quoteWords('Nobody has ever been better prepared to lead the port authority of the northern coast than Marta');
    assert.ok(!wordsMatch(a, b), `score ${alignmentScore(a, b)}`);
    assert.ok(!wordsMatch(quoteWords('in the history of the harbour'), quoteWords('the worst decision in the history of the city')));
    assert.ok(!wordsMatch(quoteWords('reckless'), quoteWords('reckless')), 'one word is a scare quote, not a statement');
    assert.ok(wordsMatch(quoteWords('jobs for everyone'), quoteWords('Jobs for everyone.')), 'three equal words match');
  });

  it('shows the differences word by word', () => {
    const parts = diffWords('we will not turn back from this issue (the cranes). The port stays open', 'we will not turn back from this issue. The port stays open');
    assert.deepEqual(
      parts.map((p) => [p.op, p.words.join(' ')]),
      [
        ['same', 'we will not turn back from this issue'],
        ['del', '(the cranes).'],
        ['same', 'The port stays open'],
      ],
    );
    assert.deepEqual(diffCounts('a b c d e', 'a b x d e f'), {removed: 1, added: 2});
  });

  it('property: a quotation matches any copy of itself with one word added or removed', () => {
    const word = fc.constantFrom('harbour', 'council', 'cranes', 'night', 'shift', 'workers', 'ministry', 'offer', 'strike', 'port', 'jobs', 'valdera');
    fc.assert(
      fc.property(fc.array(word, {minLength: 6, maxLength: 40}), fc.nat(), word, fc.boolean(), (words, at, extra, add) => {
        const i = at % words.length;
        const other = add ? [...words.slice(0, i), extra, ...words.slice(i)] : [...words.slice(0, i), ...words.slice(i + 1)];
        return wordsMatch(words, other) && wordsMatch(other, words);
      }),
    );
  });
});

describe('corpus: the seed samples (five outlets, one story)', () => {
  const index = indexOf(seeds);
  const id = (prefix: string): string => path.basename(seeds.find((f) => path.basename(f).startsWith(prefix))!);

  it('links "Kalin" across files to one name, Ibrahim Kalin, named in 000, 001 and 003', () => {
    const name = index.names().get(index.keyOf('Kalin'))!;
    assert.equal(name.name, 'Ibrahim Kalin');
    assert.equal(name.type, 'PER');
    assert.deepEqual([...name.files.keys()].map((f) => f.slice(0, 3)), ['000', '001', '003']);
    assert.ok(name.forms.includes('Kalin') && name.forms.includes('Ibrahim Kalin'));
    assert.equal(index.searchNames('kal')[0]!.name, 'Ibrahim Kalin');
  });

  it('matches Kalin’s two quotations across the files that carry them, noting the "(S-400s)" difference', () => {
    const shared = index.quoteClusters().filter((c) => c.files.length >= 2);
    const find = (start: string) => shared.find((c) => c.members.some((m) => m.quote.text.startsWith(start)));
    const negotiations = find('The United States has so far said');
    const picture = find('When we read the strategic picture');
    for (const cluster of [negotiations, picture]) {
      assert.ok(cluster, 'matched');
      assert.equal(cluster.speaker, 'Ibrahim Kalin');
      assert.deepEqual(cluster.files, [id('000'), id('001')]);
    }
    const [a, b] = negotiations!.members;
    assert.deepEqual(diffCounts(a!.quote.text, b!.quote.text), {removed: 1, added: 0}, '001 has no "(S-400s)"');
    assert.ok(diffWords(a!.quote.text, b!.quote.text).some((p) => p.op === 'del' && p.words.join(' ').includes('S-400s')));
  });

  it('groups all five into one story; 000 and 001 are near-duplicates', () => {
    const {stories} = index.stories();
    assert.equal(stories.length, 1);
    assert.deepEqual(stories[0]!.files, seeds.map((f) => path.basename(f)));
    const near = stories[0]!.links.filter((l) => l.nearDuplicate);
    assert.deepEqual(near.map((l) => [l.a.slice(0, 3), l.b.slice(0, 3)]), [['000', '001']]);
    assert.ok(stories[0]!.names.includes('turkey') && stories[0]!.names.includes('nato'));
  });

  it('does not group unrelated files: with the three own samples, they stay alone', () => {
    const mixed = indexOf([...seeds, ...own]);
    const {stories, storyOf} = mixed.stories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0]!.files.length, 5);
    for (const file of own) assert.equal(storyOf.get(path.basename(file)), undefined, path.basename(file));
  });

  it('golden: cross-source matches (quotations, stories, names in several files), positions and names only', () => {
    const mixed = indexOf([...seeds, ...own]);
    const short = (f: string): string => f.replace(/\.txt$/, '');
    const at = (file: string, offset: number): string => {
      const p = mixed.positionOf(file, offset)!;
      return `${p.line + 1}:${p.character + 1}`;
    };
    const rows: string[] = ['# quotations carried by several sources: speaker; each copy with its span and its difference from the fullest'];
    for (const c of mixed.quoteClusters().filter((q) => q.files.length >= 2)) {
      const copies = c.members.map((m) => {
        const d = diffCounts(c.longest.quote.text, m.quote.text);
        return `${short(m.file)}@${at(m.file, m.quote.start)}-${at(m.file, m.quote.end)} -${d.removed}/+${d.added}`;
      });
      rows.push(`quote speaker=${c.speaker ?? '-'} | ${copies.join(' | ')}`);
    }
    rows.push('# stories: files; near-duplicate pairs with their estimated shingle Jaccard (2 decimals)');
    for (const s of mixed.stories().stories) {
      rows.push(`story ${s.files.map(short).join(' ')}`);
      for (const l of s.links) rows.push(`  link ${short(l.a)} ${short(l.b)} cosine=${l.cosine.toFixed(2)}${l.nearDuplicate ? ` near-duplicate jaccard=${l.jaccard.toFixed(2)}` : ''}`);
    }
    rows.push('# names in three files or more');
    for (const n of [...mixed.names().values()].filter((x) => x.files.size >= 3).sort((a, b) => b.files.size - a.files.size || (a.name < b.name ? -1 : 1))) {
      rows.push(`name ${n.name} (${n.type}) files=${[...n.files.keys()].map((f) => f.slice(0, 3)).join(',')} mentions=${n.count}`);
    }
    checkGolden('corpus/cross-source.txt', `${rows.join('\n')}\n`);
  });
});

describe('corpus: summaries and the index', () => {
  it('a summary survives the cache format', () => {
    const text = readText(seeds[0]!);
    const summary = summarize(text, annotate(text));
    const back = deserializeSummary(JSON.parse(JSON.stringify(serializeSummary(summary))))!;
    assert.deepEqual(back, summary);
    assert.equal(deserializeSummary({...serializeSummary(summary), v: -1}), null, 'another version is recomputed');
    assert.equal(deserializeSummary({...serializeSummary(summary), lh: 'AAAA'}), null, 'a damaged entry is recomputed');
  });

  it('updates per file: replacing and removing a file gives the same tables as building afresh', () => {
    const files = [...seeds, ...own];
    const incremental = new CorpusIndex();
    const summaries = files.map((f) => {
      const text = readText(f);
      return summarize(text, annotate(text));
    });
    files.forEach((f, i) => incremental.set(path.basename(f), 'x', summaries[(i + 1) % files.length]!)); // wrong first
    files.forEach((f, i) => incremental.set(path.basename(f), 'x', summaries[i]!));
    incremental.set('extra.txt', 'x', summaries[0]!);
    incremental.remove('extra.txt');
    const fresh = new CorpusIndex();
    files.forEach((f, i) => fresh.set(path.basename(f), 'x', summaries[i]!));
    const view = (ix: CorpusIndex) => ({
      stories: ix.stories().stories.map((s) => s.files),
      quotes: ix.quoteClusters().map((c) => c.members.map((m) => `${m.file}:${m.quote.start}`)),
      names: [...ix.names().values()].map((n) => `${n.key}:${n.count}:${[...n.files.keys()].join(',')}`),
    });
    assert.deepEqual(view(incremental), view(fresh));
  });
});

describe('corpus: lines repeated across a folder', () => {
  const template = ['Kestrel Gazette — Local news since 1921', 'Subscribe to the morning briefing', 'Copyright Kestrel Gazette'];
  const story = (n: number): string => [template[0], `Story number ${n} about the harbour and the council, told in plain words.`, template[1], template[2]].join('\n');

  it('counts, for each line of a file, the other files of its folder that hold it', () => {
    const lines = new FolderLineCounts();
    for (let i = 0; i < 4; i++) lines.addText(`f${i}`, 'dir', story(i));
    lines.addText('g0', 'other', story(0));
    const view = lines.viewFor('f0', 'dir', story(0))!;
    assert.equal(view.corpusSize, 3);
    assert.equal(view.corpusLineCounts.get(lineKey(template[1]!)), 3);
    assert.equal(view.corpusLineCounts.has(lineKey('Story number 0 about the harbour and the council, told in plain words.')), false, 'a line of its own is not repeated');
    assert.equal(lines.viewFor('g0', 'other', story(0)), undefined, 'a folder of one file tells nothing');
    const unsaved = lines.viewFor('new', 'dir', story(9))!;
    assert.equal(unsaved.corpusSize, 4, 'a file that is not indexed sees every file of the folder');
    assert.equal(unsaved.corpusLineCounts.get(lineKey(template[0]!)), 4);
  });

  it('property: adding and removing files incrementally equals counting afresh', () => {
    const line = fc.constantFrom('Home', 'News', 'Sign up now', 'Weather', 'A story line.', 'Another story line.', '');
    const text = fc.array(line, {maxLength: 6}).map((l) => l.join('\n'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), text, fc.boolean()), {maxLength: 30}), (ops) => {
        const incremental = new FolderLineCounts();
        const current = new Map<string, string>();
        for (const [n, t, remove] of ops) {
          const id = `f${n}`;
          if (remove) {
            incremental.remove(id);
            current.delete(id);
          } else {
            incremental.addText(id, 'd', t);
            current.set(id, t);
          }
        }
        const fresh = new FolderLineCounts();
        for (const [id, t] of current) fresh.addText(id, 'd', t);
        // What a worker of `sift annotate DIR` sees: the counts copied as typed arrays, and the file's own hashes.
        const copied = FolderLineCounts.fromSnapshot(structuredClone(incremental.snapshot()));
        const same = (a: ReturnType<FolderLineCounts['viewFor']>, b: typeof a) => JSON.stringify(a && [...a.corpusLineCounts].sort()) === JSON.stringify(b && [...b.corpusLineCounts].sort()) && a?.corpusSize === b?.corpusSize;
        for (const [id, t] of current) {
          const a = incremental.viewFor(id, 'd', t);
          if (!same(a, fresh.viewFor(id, 'd', t))) return false;
          if (!same(a, copied.viewWith('d', t, incremental.hashesOf(id, 'd')))) return false;
          // The file changed since it was counted: its new text against its old lines.
          if (!same(incremental.viewFor(id, 'd', `${t}\nHome`), copied.viewWith('d', `${t}\nHome`, incremental.hashesOf(id, 'd')))) return false;
        }
        if (!same(incremental.viewFor('unsaved', 'd', 'Home\nNews'), copied.viewWith('d', 'Home\nNews', undefined))) return false;
        return true;
      }),
    );
  });

  it('leaves a folder’s template lines out of story comparisons', () => {
    // Four unrelated stories of one site: the site's template must not make them one story.
    const template = [
      // Short sentences: the page alone does not show them as chrome, only the folder can.
      'The Kestrel Gazette reports on the northern region.',
      'Our reporters live in every town of the coast.',
      'The Gazette covers the council and the courts.',
    ];
    const bodies = [
      'The harbour workers of Valdera voted to strike on Monday over the automated cranes ordered by the port.',
      'The old city library reopened after six years of repairs with a new reading room for the children.',
      'A rural clinic in the hills will stay open after residents signed a petition against its closure.',
      'The regional orchestra announced a winter season of free concerts in the market hall and the school.',
    ];
    const build = (folder: (i: number) => string): CorpusIndex => {
      const index = new CorpusIndex();
      bodies.forEach((body, i) => {
        const text = `${template[0]}\n${body}\n${template[1]}\n${template[2]}\n`;
        index.set(`s${i}.txt`, folder(i), summarize(text, annotate(text)));
      });
      return index;
    };
    assert.ok(build((i) => `site${i}`).stories().stories.length > 0, 'one file per folder: the template looks like shared text');
    assert.equal(build(() => 'site').stories().stories.length, 0, 'one folder: its repeated lines are a template');
  });
});

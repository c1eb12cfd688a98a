/**
 * The boilerplate analyser: the learned model, its features, the reasons users read, and the options (threshold,
 * kept lines, lines shared with other files of the workspace). The texts are fictional, written for these tests.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {annotate, splitLines, type BoilerplateLine} from '../server/src/engine/index.js';
import {detectBoilerplate, lineKey} from '../server/src/engine/boilerplate/index.js';
import {maxRun, pageFeatures} from '../server/src/engine/boilerplate/features.js';
import {findModelFile, loadModel} from '../server/src/engine/boilerplate/model.js';
import {readText, ROOT, SHARED_SAMPLES, textFiles} from './helpers.js';

const CATEGORIES = ['navigation', 'promotion', 'teaser', 'share', 'legal', 'caption', 'duplicate', 'metadata', 'chrome'];

/** A page in the shape of a scraped news article: menu, headline, metadata, story, chrome. */
const PAGE = [
  'Home',
  'World',
  'Business',
  'Sport',
  'Culture',
  'Weather',
  'Search',
  'Ferry service to the outer islands resumes after winter storms',
  'By Marta Lindqvist',
  '12 March 2025',
  '4 min read',
  'The ferry link between the harbour town of Kessby and the three outer islands resumed on Monday, eleven weeks after storms damaged both landing piers.',
  'About forty passengers, most of them island residents returning from the mainland, boarded the first crossing at seven in the morning.',
  '“We have been cut off since January, and the helicopter could only take the sick and the mail,” said Oskar Brandt, who runs the shop on the largest island.',
  'Repairs to the piers cost the regional council 3.2 million crowns, and the council said it would ask the national government to share the bill.',
  'The operator plans two crossings a day until the end of April and four during the summer season, when tourists double the islands’ population.',
  'Engineers will inspect the piers again in May, after the spring tides, the council said.',
  '(Kessby Courier)',
  'Share this article',
  'Facebook',
  'Twitter',
  'Email',
  'Sign up for our morning newsletter',
  'Most read',
  'Council votes to close two rural schools',
  'Parents in the valley say the decision was taken without asking them and plan…',
  'Fishing quotas cut again for the northern fleet',
  'The ministry said stocks had not recovered and that the cut would last for…',
  '© 2025 Kessby Courier. All rights reserved.',
  'Privacy Policy',
  'Terms of Use',
];

/**
 * Flagged lines of a text, by line index.
 * @param text Text.
 * @param options Boilerplate options.
 * @returns Map line → flagged line.
 */
function flaggedOf(text: string, options = {}): Map<number, BoilerplateLine> {
  return new Map(annotate(text, {only: ['boilerplate'], boilerplate: options}).boilerplate.map((b) => [b.line, b]));
}

describe('boilerplate analyser', () => {
  const text = PAGE.join('\n');
  const flagged = flaggedOf(text);
  const story = PAGE.map((l, i) => [l, i] as const).filter(([l]) => l.split(' ').length >= 12 && /[.”]$/.test(l) && !l.includes('…')).map(([, i]) => i);

  it('keeps the headline and every paragraph of the story', () => {
    assert.equal(story.length, 6);
    for (const i of [7, ...story]) assert.ok(!flagged.has(i), `line ${i + 1} (${PAGE[i]}) was flagged ${flagged.get(i)?.reason}`);
  });

  it('flags the menu, the share and newsletter prompts, the teasers and the legal footer', () => {
    for (const i of [0, 1, 2, 3, 4, 5, 6, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]) assert.ok(flagged.has(i), `line ${i + 1} (${PAGE[i]}) was not flagged`);
  });

  it('gives each flagged line a category, a readable reason and a score', () => {
    for (const b of flagged.values()) {
      assert.ok(CATEGORIES.includes(b.category), b.category);
      assert.ok(b.reason.length >= 5 && /^[a-z]/.test(b.reason), b.reason);
      assert.ok(b.score >= 0.5 && b.score <= 1, String(b.score));
      assert.equal(text.slice(b.start, b.end), PAGE[b.line]);
    }
    assert.equal(flagged.get(22)?.category, 'promotion');
    assert.equal(flagged.get(28)?.category, 'legal');
    assert.equal(flagged.get(25)?.category, 'teaser');
    assert.match(flagged.get(25)!.reason, /cut-off blurb/);
  });

  it('puts dates, bylines, reading times and source credits in their own category', () => {
    for (const i of [8, 9, 10, 17]) assert.equal(flagged.get(i)?.category, 'metadata', `line ${i + 1} (${PAGE[i]})`);
  });

  it('reads blank lines between paragraphs as nothing: the same lines are flagged', () => {
    const spaced = PAGE.join('\n\n');
    const lines = [...flaggedOf(spaced).keys()].map((l) => l / 2);
    assert.deepEqual(lines, [...flagged.keys()]);
  });

  it('flags the copy of a duplicated headline, not the original', () => {
    const doubled = [...PAGE.slice(0, 8), PAGE[7]!, ...PAGE.slice(8)].join('\n');
    const result = flaggedOf(doubled);
    assert.ok(!result.has(7), 'the first copy is kept');
    assert.equal(result.get(8)?.category, 'duplicate');
    assert.equal(result.get(8)?.reason, 'copy of line 8');
  });

  it('says how often a repeated line occurs', () => {
    const prompt = 'Get our daily briefing in your inbox';
    const lines = [...PAGE.slice(0, 18)];
    for (const teaser of ['Council votes to close two rural schools', 'Fishing quotas cut again for the northern fleet', 'New bridge opens to traffic in April']) lines.push(prompt, teaser);
    const result = flaggedOf(lines.join('\n'));
    const first = lines.indexOf(prompt);
    assert.match(result.get(first)!.reason, /^repeated 3 times in this file$/);
  });

  it('does not flag the story when it is not in English', () => {
    const pages: Record<string, string[]> = {
      pt: [
        'Início',
        'Notícias',
        'Esportes',
        'Balsa para as ilhas volta a operar depois das tempestades de inverno',
        'A ligação de balsa entre a cidade portuária e as três ilhas foi retomada na segunda-feira, onze semanas depois de as tempestades danificarem os dois cais.',
        'Cerca de quarenta passageiros, a maioria moradores das ilhas, embarcaram na primeira travessia às sete horas da manhã.',
        '“Estávamos isolados desde janeiro, e o helicóptero só levava os doentes e o correio”, disse o dono da mercearia da ilha maior.',
        'Os reparos custaram 3,2 milhões, e o conselho regional disse que pedirá ao governo federal que divida a conta.',
        'Compartilhe',
        'Leia também',
      ],
      de: [
        'Startseite',
        'Politik',
        'Sport',
        'Fähre zu den Inseln fährt nach den Winterstürmen wieder',
        'Die Fährverbindung zwischen der Hafenstadt und den drei Inseln ist am Montag wieder aufgenommen worden, elf Wochen nachdem Stürme beide Anleger beschädigt hatten.',
        'Etwa vierzig Fahrgäste, die meisten von ihnen Inselbewohner, gingen um sieben Uhr morgens an Bord der ersten Überfahrt.',
        '„Wir waren seit Januar abgeschnitten, und der Hubschrauber konnte nur Kranke und Post bringen“, sagte der Inhaber des Ladens auf der größten Insel.',
        'Die Reparatur kostete den Regionalrat 3,2 Millionen, und er will den Bund bitten, sich an den Kosten zu beteiligen.',
        'Teilen',
        'Mehr zum Thema',
      ],
      ru: [
        'Главная',
        'Новости',
        'Спорт',
        'Паром на острова снова ходит после зимних штормов',
        'Паромное сообщение между портовым городом и тремя островами возобновилось в понедельник, через одиннадцать недель после того, как шторм повредил оба причала.',
        'Около сорока пассажиров, большинство из них жители островов, поднялись на борт первого рейса в семь часов утра.',
        '«Мы были отрезаны с января, и вертолёт мог доставлять только больных и почту», — сказал владелец магазина на самом большом острове.',
        'Ремонт причалов обошёлся региональному совету в 3,2 миллиона, и совет попросит правительство разделить расходы.',
        'Поделиться',
        'Читайте также',
      ],
    };
    for (const [language, lines] of Object.entries(pages)) {
      const result = flaggedOf(lines.join('\n'));
      for (const i of [3, 4, 5, 6, 7]) assert.ok(!result.has(i), `${language}: line ${i + 1} was flagged ${result.get(i)?.reason}`);
      assert.ok(result.has(0) && result.has(1), `${language}: the menu is flagged`);
    }
  });

  it('never flags a kept line, and a kept line stays kept in another file', () => {
    const kept = PAGE[23]!;
    assert.ok(flagged.has(23));
    const other = ['Most read', ...PAGE.slice(7, 18)].join('\n');
    for (const t of [text, other]) {
      const result = annotate(t, {only: ['boilerplate'], boilerplate: {keep: [`  ${kept.toUpperCase()} `]}}).boilerplate;
      assert.ok(!result.some((b) => lineKey(t.split('\n')[b.line]!) === lineKey(kept)));
    }
  });

  it('flags a line that appears in many other files of the folder', () => {
    const line = 'Island ferries';
    const lines = [...PAGE.slice(7, 14), line, ...PAGE.slice(14, 17)];
    const t = lines.join('\n');
    const at = lines.indexOf(line);
    assert.ok(!flaggedOf(t).has(at), 'alone, the short line inside the story is kept');
    const result = flaggedOf(t, {corpusLineCounts: new Map([[lineKey(line), 6]]), corpusSize: 8});
    assert.equal(result.get(at)?.reason, 'appears in 6 other files of this folder');
    assert.equal(flaggedOf(t, {corpusLineCounts: new Map([[lineKey(line), 1]]), corpusSize: 8}).has(at), false, 'one other file is not enough');
  });

  it('honours the threshold: a higher threshold flags a subset', () => {
    const low = flaggedOf(text, {threshold: 0.3});
    const high = flaggedOf(text, {threshold: 0.99});
    assert.ok(low.size >= high.size && high.size > 0);
    for (const line of high.keys()) assert.ok(low.has(line) && flagged.has(line));
    for (const b of high.values()) assert.ok(b.score >= 0.99);
    for (const line of flagged.keys()) assert.ok(low.has(line));
    assert.equal(flaggedOf(text, {threshold: 1.01}).size, 0);
  });

  it('scores only non-blank lines', () => {
    const page = pageFeatures('a line\n\n   \nanother line\n', splitLines('a line\n\n   \nanother line\n'));
    assert.deepEqual(page.stats.map((s) => s.line), [0, 3]);
    assert.equal(page.columns.length, page.names.length);
    assert.ok(page.columns.every((c) => c.length === 2));
    assert.deepEqual(detectBoilerplate('', splitLines('')), []);
  });

  it('finds the main block of prose as the maximum-sum run', () => {
    assert.deepEqual(maxRun(6, (i) => [-1, 5, -2, 4, -10, 3][i]!), [1, 3]);
    assert.deepEqual(maxRun(3, () => -1), [-1, -1]);
  });

  it('ships a compact model built by the training script, with its provenance', () => {
    const file = findModelFile(path.join(ROOT, 'out', 'server', 'src', 'engine', 'boilerplate'), 'boilerplate.json');
    assert.equal(file, path.join(ROOT, 'models', 'boilerplate.json'));
    assert.ok(fs.statSync(file!).size < 4 * 1024 * 1024, 'the model stays under 4 MB');
    const model = loadModel();
    const provenance = model.provenance as {trainedBy: string; seed: number; data: Record<string, {sha256: string}>; crossValidation?: {perFold: unknown[]}};
    assert.match(provenance.trainedBy, /train-boilerplate\.mjs/);
    assert.ok(Number.isInteger(provenance.seed));
    assert.deepEqual(Object.keys(provenance.data).sort(), ['dev.jsonl', 'train-l3s.jsonl']);
    assert.ok((provenance.crossValidation?.perFold.length ?? 0) >= 5, 'per-fold cross-validation figures are recorded');
    const names = new Set(pageFeatures(text, splitLines(text)).names);
    for (const f of model.stage1.flatMap((e) => e.features)) assert.ok(names.has(f), `stage-1 feature ${f} is computed by features.ts`);
  });
});

describe('boilerplate analyser on real text (the seed samples)', () => {
  const samples = textFiles(SHARED_SAMPLES).map((file) => {
    const text = readText(file);
    return {name: path.basename(file), text, lines: text.split(/\r\n|\n|\r/), flagged: flaggedOf(text)};
  });
  /** The flagged lines of a text, by line text (so that texts with other line numbering can be compared). */
  const byText = (text: string, options = {}): string[] => {
    const lines = text.split(/\r\n|\n|\r/);
    return annotate(text, {only: ['boilerplate'], boilerplate: options}).boilerplate.map((b) => `${b.category} ${b.score} ${lines[b.line]!.replace(/^\uFEFF/, '')}`);
  };

  it('reads five samples', () => assert.equal(samples.length, 5));

  it('never flags a story paragraph of the five samples (captions and copies aside)', () => {
    for (const {name, lines, flagged} of samples) {
      const paragraphs = lines.flatMap((l, i) => (l.split(/\s+/).length >= 12 && /[.?!”"]\s*$/.test(l) && !/(\.\.\.|…)\s*$/.test(l) ? [i] : []));
      assert.ok(paragraphs.length >= 5, `${name} has paragraphs`);
      for (const i of paragraphs) {
        const b = flagged.get(i);
        assert.ok(!b || b.category === 'caption' || b.category === 'duplicate', `${name} line ${i + 1} flagged ${b?.category}: ${b?.reason}`);
      }
    }
  });

  it('flags the chrome of the samples with a category, a reason and a score', () => {
    for (const {name, flagged} of samples) {
      assert.ok(flagged.size >= 3, `${name}: some chrome is found`);
      for (const b of flagged.values()) {
        assert.ok(CATEGORIES.includes(b.category) && b.reason.length > 3 && b.score >= 0.5 && b.score <= 1, `${name} line ${b.line + 1}`);
      }
    }
  });

  it('001: the reading time and the date are metadata, the repeated headline is flagged as the copy', () => {
    const {lines, flagged} = samples.find((s) => s.name.startsWith('001'))!;
    const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
    assert.equal(flagged.get(at(/^3 min read$/))?.category, 'metadata');
    assert.equal(flagged.get(at(/^12 February, 2021$/))?.category, 'metadata');
    assert.ok(!flagged.has(0), 'the headline is kept');
    assert.equal(flagged.get(2)?.reason, 'copy of line 1');
  });

  it('002: keeping the repeated newsletter line keeps all its copies, and only them', () => {
    const {text, lines, flagged} = samples.find((s) => s.name.startsWith('002'))!;
    const prompt = flagged.get(9)!;
    assert.match(prompt.reason, /^repeated \d+ times in this file$/);
    const key = lineKey(lines[9]!);
    const kept = flaggedOf(text, {keep: [lines[9]!]});
    assert.ok(![...kept.keys()].some((i) => lineKey(lines[i]!) === key));
    for (const i of flagged.keys()) if (lineKey(lines[i]!) !== key) assert.ok(kept.has(i), `line ${i + 1} is still flagged`);
  });

  it('flags the same lines with and without the blank lines between paragraphs', () => {
    for (const {name, text} of samples) {
      const dense = text.split('\n').filter((l) => l.trim()).join('\n');
      // And a file with a blank line between all its lines.
      const airy = text.split('\n').filter((l) => l.trim()).join('\n\n');
      assert.deepEqual(byText(dense), byText(text), name);
      assert.deepEqual(byText(airy), byText(text), name);
    }
    assert.ok(samples.filter(({text}) => /\n\s*\n/.test(text)).length >= 3, 'most samples have blank lines');
  });

  it('flags the same lines in a CRLF file with a byte-order mark', () => {
    for (const {name, text} of samples) {
      const crlf = '\uFEFF' + text.replace(/\r?\n/g, '\r\n');
      assert.deepEqual(byText(crlf), byText(text), name);
      // Ranges stay inside their line, without the line break.
      for (const b of annotate(crlf, {only: ['boilerplate']}).boilerplate) assert.ok(!/[\r\n]/.test(crlf.slice(b.start, b.end)), `${name} line ${b.line + 1}`);
    }
  });

  it('flags a short line that other files of the folder share, with how many', () => {
    // A line of a sample that is not a sentence (up to 25 words, no final stop), and that the page alone keeps.
    const shortKept = ({lines, flagged}: (typeof samples)[number]): number => lines.findIndex((l, k) => l.trim() && l.trim().split(/\s+/).length <= 25 && !/[.?!”"]\s*$/.test(l) && !flagged.has(k));
    const sample = samples.find((s) => shortKept(s) >= 0)!;
    const {text, lines} = sample;
    const i = shortKept(sample);
    const result = flaggedOf(text, {corpusLineCounts: new Map([[lineKey(lines[i]!), 4]]), corpusSize: 5});
    assert.equal(result.get(i)?.reason, 'appears in 4 other files of this folder');
  });
});

// The benchmark's text: news from ../shared/data (never copied into the repository; generated files go to the
// system's temporary folder), or, when that is absent, a corpus generated from ../shared/samples.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';
import {mulberry32 as random} from '../../scripts/random.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');

/** The seeded generator (mulberry32), so generated corpora are the same on every run. */
export {random};

/**
 * Read the `text` of each JSONL record.
 * @param {string} file
 */
function jsonlTexts(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).text)
    .filter((t) => typeof t === 'string' && t.length > 0);
}

/**
 * All news documents available: the quotes dev articles and the boilerplate dev pages, alternating (articles and
 * whole scraped pages with their chrome), or generated ones.
 * @returns {{docs: string[], source: string}}
 */
export function allNews() {
  const quotes = path.join(SHARED, 'data', 'quotes', 'dev.jsonl');
  const pages = path.join(SHARED, 'data', 'boilerplate', 'dev.jsonl');
  if (fs.existsSync(quotes) && fs.existsSync(pages)) {
    const a = jsonlTexts(quotes);
    const b = jsonlTexts(pages);
    const docs = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) docs.push(a[i]);
      if (i < b.length) docs.push(b[i]);
    }
    return {docs, source: `../shared/data: quotes/dev.jsonl articles and boilerplate/dev.jsonl pages, alternating`};
  }
  return {docs: generated(2_600_000), source: 'generated from ../shared/samples (../shared/data absent)'};
}

/**
 * The engine corpus: whole documents, in order, up to about `bytes` of UTF-8.
 * @param {number} bytes
 */
export function newsCorpus(bytes = 1_000_000) {
  const {docs, source} = allNews();
  const out = [];
  let size = 0;
  for (const doc of docs) {
    if (size >= bytes) break;
    out.push(doc);
    size += Buffer.byteLength(doc, 'utf8');
  }
  return {docs: out, source, bytes: size};
}

/**
 * Documents generated from the seed samples: each takes the title block of one sample and paragraphs drawn from
 * all five, so no two are alike.
 * @param {number} bytes Total size wanted.
 */
export function generated(bytes) {
  const dir = path.join(SHARED, 'samples');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
  if (files.length === 0) throw new Error(`no news text: neither ${SHARED}/data nor ${dir} exists`);
  const samples = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const paragraphs = samples.flatMap((s) => s.split(/\n\s*\n|\n/).filter((p) => p.trim().length > 0));
  const rand = random(7);
  const docs = [];
  let size = 0;
  while (size < bytes) {
    const head = samples[docs.length % samples.length].split('\n').slice(0, 3).join('\n');
    const body = [];
    const n = 10 + Math.floor(rand() * 30);
    for (let i = 0; i < n; i++) body.push(paragraphs[Math.floor(rand() * paragraphs.length)]);
    const doc = `${head}\n\n${body.join('\n\n')}\n`;
    docs.push(doc);
    size += Buffer.byteLength(doc, 'utf8');
  }
  return docs;
}

/**
 * One document of about `bytes`: news documents joined by blank lines (a concatenated dump), cut at a line end.
 * @param {string[]} docs
 * @param {number} bytes
 * @param {number} [offset] First document to use.
 */
export function documentOf(docs, bytes, offset = 0) {
  let text = '';
  for (let i = offset; Buffer.byteLength(text, 'utf8') < bytes; i++) text += `${docs[i % docs.length]}\n\n`;
  // Cut at the last line end before the size (characters ≈ bytes for this text; close enough for a size class).
  let cut = Math.min(text.length, bytes);
  const nl = text.lastIndexOf('\n', cut);
  if (nl > bytes * 0.8) cut = nl + 1;
  return text.slice(0, cut);
}

// Chrome of generated sites: our own words, no text from the data sets.
const NAV = ['Home', 'World', 'Business', 'Politics', 'Technology', 'Science', 'Health', 'Sport', 'Culture', 'Opinion', 'Video', 'Podcasts', 'Markets', 'Climate', 'Travel'];
const PROMPTS = ['Sign up for our morning newsletter', 'Subscribe for unlimited access', 'Follow us on social media', 'Share this article', 'Read more stories like this', 'Advertisement', 'Most read this week', 'Related coverage'];

/**
 * Make (or reuse) a workspace of `files` generated sources of about 4 KB each, in 100-file folders, each folder
 * one site with its own header and footer (the repetition Sift's folder evidence looks for).
 * @param {number} files
 * @returns {{dir: string, files: number, bytes: number, reused: boolean, source: string}}
 */
export function workspace(files) {
  const {docs, source} = allNews();
  const dir = path.join(os.tmpdir(), `sift-bench-workspace-${files}-v1`);
  const manifest = path.join(dir, '.manifest.json');
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (m.files === files && m.source === source) return {...m, dir, reused: true};
  }
  fs.rmSync(dir, {recursive: true, force: true});
  fs.mkdirSync(dir, {recursive: true});
  const paragraphs = docs.flatMap((d) => d.split(/\n\s*\n|\n/).filter((p) => p.trim().length > 0));
  const rand = random(11);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  let bytes = 0;
  const perFolder = 100;
  for (let f = 0; f < files; f++) {
    const site = Math.floor(f / perFolder);
    const folder = path.join(dir, `site-${String(site).padStart(3, '0')}`);
    if (f % perFolder === 0) fs.mkdirSync(folder, {recursive: true});
    const siteRand = random(1000 + site);
    const nav = NAV.filter(() => siteRand() < 0.5);
    const header = [`The Daily Site ${site}`, ...nav, `Edition ${site % 7}`].join('\n');
    const footer = [PROMPTS[site % PROMPTS.length], PROMPTS[(site + 3) % PROMPTS.length], `© 2026 The Daily Site ${site}. All rights reserved.`].join('\n');
    const body = [];
    let size = 0;
    const target = 3000 + Math.floor(rand() * 1600);
    while (size < target) {
      const p = pick(paragraphs);
      body.push(p);
      size += p.length + 1;
    }
    const text = `${header}\n\n${body.join('\n\n')}\n\n${footer}\n`;
    fs.writeFileSync(path.join(folder, `article-${String(f).padStart(5, '0')}.txt`), text);
    bytes += Buffer.byteLength(text, 'utf8');
  }
  const m = {files, bytes, source};
  fs.writeFileSync(manifest, JSON.stringify(m));
  return {...m, dir, reused: false};
}

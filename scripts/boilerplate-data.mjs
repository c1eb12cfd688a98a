// Data loading for the boilerplate model: pages of ../shared/data/boilerplate, their features (computed by the
// engine's own compiled code in out/), labels, sample weights, and site groups for cross-validation.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {spawnSync} from 'node:child_process';
import {fileURLToPath, pathToFileURL} from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// SIFT_BOILERPLATE_DATA: another folder with the same two files (`train-l3s.jsonl`, `dev.jsonl`; the format of
// ../shared/docs/datasets.md: one page per line with its lines and a label per line).
export const DATA = process.env.SIFT_BOILERPLATE_DATA ? path.resolve(process.env.SIFT_BOILERPLATE_DATA) : path.resolve(ROOT, '..', 'shared', 'data', 'boilerplate');
export const SCORER = path.resolve(ROOT, '..', 'shared', 'eval', 'score-boilerplate.mjs');

/** Compile the TypeScript (tsc -b) so out/ holds the engine code the features come from. */
export function build() {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b'], {cwd: ROOT, stdio: 'inherit'});
  if (r.status !== 0) throw new Error('tsc -b failed');
}

/** Import the engine modules from out/. */
export async function engine() {
  const base = path.join(ROOT, 'out', 'server', 'src', 'engine');
  const imp = (p) => import(pathToFileURL(path.join(base, p)).href);
  const [features, bp, lines, model, runs] = await Promise.all([imp('boilerplate/features.js'), imp('boilerplate/index.js'), imp('lines.js'), imp('boilerplate/model.js'), imp('boilerplate/runs.js')]);
  return {...features, ...bp, ...lines, ...model, ...runs};
}

/** Read a jsonl file. */
export function readJsonl(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** sha256 of a file, for provenance. */
export function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Load the pages with their features.
 * @param eng Engine modules.
 * @param sets Which sets: 'dev', 'l3s'.
 * @returns Pages: {id, set, host, text, page (PageFeatures), y (Uint8Array per item), chars (per item)}.
 */
export function loadPages(eng, sets = ['dev', 'l3s']) {
  const files = {dev: 'dev.jsonl', l3s: 'train-l3s.jsonl'};
  const pages = [];
  for (const set of sets) {
    for (const row of readJsonl(path.join(DATA, files[set]))) {
      const lines = eng.splitLines(row.text);
      const page = eng.pageFeatures(row.text, lines);
      const y = new Uint8Array(page.stats.length);
      page.stats.forEach((s, i) => (y[i] = row.labels[s.line] === 'boilerplate' ? 1 : 0));
      const host = row.url ? new URL(row.url).hostname.replace(/^www\./, '') : null;
      // The headline: in dev, the first content line (the gold marks exactly one headline, the first h1 above the
      // story); in L3S, the first line annotated as headline (class 1).
      const headlineLine = set === 'dev' ? row.labels.indexOf('content') : (row.l3s_class ?? []).indexOf('1');
      const headline = page.stats.findIndex((s) => s.line === headlineLine);
      pages.push({id: row.id, set, host, text: row.text, labels: row.labels, page, y, headline});
    }
  }
  return pages;
}

/**
 * Site groups: pages of one host, and pages that share a template (five or more identical lines of three words
 * or more), are one group, found by union-find over both sets. Cross-validation folds never split a group.
 * @param pages Pages.
 * @returns Group index per page.
 */
export function siteGroups(pages) {
  const parent = pages.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a, b) => {
    a = find(a);
    b = find(b);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const byHost = new Map();
  pages.forEach((p, i) => {
    if (!p.host) return;
    if (byHost.has(p.host)) union(byHost.get(p.host), i);
    else byHost.set(p.host, i);
  });
  const lineSets = pages.map((p) => new Set(p.page.stats.filter((s) => s.key.split(' ').length >= 3).map((s) => s.key)));
  const postings = new Map();
  lineSets.forEach((set, i) => {
    for (const k of set) {
      const list = postings.get(k);
      if (list) list.push(i);
      else postings.set(k, [i]);
    }
  });
  const shared = new Map();
  for (const list of postings.values()) {
    if (list.length < 2 || list.length > 40) continue;
    for (let a = 0; a < list.length; a++)
      for (let b = a + 1; b < list.length; b++) {
        const key = list[a] * 100000 + list[b];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
  }
  for (const [key, count] of shared) if (count >= 5) union(Math.floor(key / 100000), key % 100000);
  const ids = new Map();
  return pages.map((_, i) => {
    const r = find(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r);
  });
}

/**
 * Assign groups to k folds, balancing the dev lines per fold (greedy, largest group first, ties by a seeded
 * order), then the L3S pages.
 * @param pages Pages.
 * @param groups Group per page.
 * @param k Folds.
 * @param random Seeded generator.
 * @returns Fold per page.
 */
export function assignFolds(pages, groups, k, random) {
  const size = new Map();
  groups.forEach((g, i) => {
    const s = size.get(g) ?? {dev: 0, all: 0, tie: 0};
    s.dev += pages[i].set === 'dev' ? pages[i].page.stats.length : 0;
    s.all += pages[i].page.stats.length;
    size.set(g, s);
  });
  for (const s of size.values()) s.tie = random();
  const order = [...size.entries()].sort((a, b) => b[1].dev - a[1].dev || b[1].all - a[1].all || a[1].tie - b[1].tie);
  const loadDev = new Array(k).fill(0);
  const loadAll = new Array(k).fill(0);
  const foldOf = new Map();
  for (const [g, s] of order) {
    let best = 0;
    for (let f = 1; f < k; f++) {
      const key = s.dev > 0 ? [loadDev[f], loadAll[f]] : [loadAll[f], loadDev[f]];
      const bestKey = s.dev > 0 ? [loadDev[best], loadAll[best]] : [loadAll[best], loadDev[best]];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) best = f;
    }
    foldOf.set(g, best);
    loadDev[best] += s.dev;
    loadAll[best] += s.all;
  }
  return groups.map((g) => foldOf.get(g));
}

/**
 * Concatenate the first-stage columns of pages (plus optional extra columns per page).
 * @param pages Pages.
 * @param extra Optional function page → {names, columns}.
 * @returns {names, columns, n}
 */
export function stack(pages, extra) {
  const first = pages[0].page;
  const ex0 = extra ? extra(pages[0]) : {names: [], columns: []};
  const names = [...first.names, ...ex0.names];
  const n = pages.reduce((a, p) => a + p.page.stats.length, 0);
  const columns = names.map(() => new Float32Array(n));
  let o = 0;
  for (const p of pages) {
    const ex = extra ? extra(p) : {names: [], columns: []};
    const cols = [...p.page.columns, ...ex.columns];
    for (let f = 0; f < names.length; f++) columns[f].set(cols[f], o);
    o += p.page.stats.length;
  }
  return {names, columns, n};
}

/**
 * Stories: files that report the same news. Two kinds of evidence link two files:
 *
 * 1. **Near-duplicate text.** The MinHash signatures of their story lines' word shingles agree on at least
 *    `NEAR_DUPLICATE` of their slots (an estimated Jaccard similarity) and their names overlap a little
 *    (`NEAR_DUPLICATE_MIN_CAST`), or they agree on `COPY` of their slots whatever they name: one is a copy, a
 *    syndicated version or a light rewrite of the other. Candidates come from LSH bands, never from all pairs.
 *    Story lines exclude boilerplate and the short lines the folder repeats (see `CorpusIndex.nonStoryLines`).
 * 2. **The same cast.** Outlets that write the same story in their own words still name the same people, places,
 *    organisations and things. Each file's names (outside boilerplate lines) form a tf-idf vector, the idf taken
 *    over the workspace with a smoothing prior so that a small workspace behaves like a large one; two files with
 *    a cosine of at least `SAME_CAST` that share at least `MIN_SHARED_NAMES` names are linked. Candidates come from
 *    an inverted index over each file's most distinctive names.
 *
 * Stories are the connected groups of linked files. On the five seed samples (five outlets' versions of one
 * story) every pair scores 0.40–0.87 and all five form one story; articles about other events score below 0.3
 * against them (see docs/cross-source.md for the figures on unrelated articles).
 */
import {bandKeys, encodeSignature, estimateJaccard} from './minhash.js';

/** Estimated shingle Jaccard from which two files are near-duplicates… */
export const NEAR_DUPLICATE = 0.2;
/** …when they also name some of the same names (a shared page template is not a shared story)… */
export const NEAR_DUPLICATE_MIN_CAST = 0.2;
/** …or share this much text whatever they name. */
export const COPY = 0.5;
/** Cosine of the name vectors from which two files report the same story. */
export const SAME_CAST = 0.45;
/** Names two files must share (besides the cosine) to be linked by their cast. */
export const MIN_SHARED_NAMES = 3;
/** The idf prior: as if every workspace held this many more files, none of which names anything. */
const IDF_PRIOR = 20;
/** Names per file used to find candidate pairs. */
const TOP_NAMES = 12;
/** A name held by more files than this is too common to find candidates with (its idf is low anyway). */
const MAX_POSTINGS = 300;
/** A bucket of more near-duplicate candidates than this is a template, not a story; it is skipped. */
const MAX_BUCKET = 300;

/** What grouping needs about one file. */
export interface StoryInput {
  file: string;
  signature: Uint32Array;
  /** Name key → mentions in the file's story lines. */
  names: ReadonlyMap<string, number>;
}

/** Why two files are in one story. */
export interface StoryLink {
  a: string;
  b: string;
  /** Estimated Jaccard of their story shingles. */
  jaccard: number;
  /** Cosine of their name vectors. */
  cosine: number;
  /** Shared name keys, most distinctive first. */
  shared: string[];
  /** True when the link is near-duplicate text. */
  nearDuplicate: boolean;
}

/** A group of files that report one story. */
export interface Story {
  id: number;
  /** At least two files, in input order. */
  files: string[];
  links: StoryLink[];
  /** The names the story's files share most, most distinctive first. */
  names: string[];
}

/** The result of grouping. */
export interface Stories {
  stories: Story[];
  /** The story of each file that has one. */
  storyOf: Map<string, Story>;
}

/**
 * Group files into stories.
 * @param inputs Files, in a stable order.
 * @returns Stories (only groups of two or more files).
 */
export function groupStories(inputs: readonly StoryInput[]): Stories {
  const n = inputs.length;
  const parent = inputs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const links: Array<StoryLink & {i: number; j: number}> = [];
  const seen = new Set<number>();
  const vectors = nameVectors(inputs);
  const consider = (i: number, j: number): void => {
    if (i === j) return;
    if (i > j) [i, j] = [j, i];
    const key = i * n + j;
    if (seen.has(key)) return;
    seen.add(key);
    const jaccard = estimateJaccard(inputs[i]!.signature, inputs[j]!.signature);
    const {cosine, shared} = compare(vectors[i]!, vectors[j]!);
    const nearDuplicate = jaccard >= COPY || (jaccard >= NEAR_DUPLICATE && cosine >= NEAR_DUPLICATE_MIN_CAST);
    if (!nearDuplicate && !(cosine >= SAME_CAST && shared.length >= MIN_SHARED_NAMES)) return;
    links.push({i, j, a: inputs[i]!.file, b: inputs[j]!.file, jaccard, cosine, shared, nearDuplicate});
    const a = find(i);
    const b = find(j);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };

  // 1. Near-duplicates: identical signatures first (exact copies), then LSH buckets.
  const bySignature = new Map<string, number[]>();
  inputs.forEach((input, i) => {
    if (bandKeys(input.signature).length === 0) return;
    const key = encodeSignature(input.signature);
    const list = bySignature.get(key);
    if (list) list.push(i);
    else bySignature.set(key, [i]);
  });
  const buckets = new Map<string, number[]>();
  for (const list of bySignature.values()) {
    for (let k = 1; k < list.length; k++) consider(list[0]!, list[k]!);
    for (const band of bandKeys(inputs[list[0]!]!.signature)) {
      const bucket = buckets.get(band);
      if (bucket) bucket.push(list[0]!);
      else buckets.set(band, [list[0]!]);
    }
  }
  for (const bucket of buckets.values()) {
    if (bucket.length < 2 || bucket.length > MAX_BUCKET) continue;
    for (let x = 0; x < bucket.length; x++) for (let y = x + 1; y < bucket.length; y++) consider(bucket[x]!, bucket[y]!);
  }

  // 2. The same cast: candidates share at least two of their most distinctive names.
  const postings = new Map<string, number[]>();
  const tops = vectors.map((v) => [...v.weights].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_NAMES).map(([k]) => k));
  tops.forEach((names, i) => {
    for (const name of names) {
      const list = postings.get(name);
      if (list) list.push(i);
      else postings.set(name, [i]);
    }
  });
  for (let i = 0; i < n; i++) {
    const counts = new Map<number, number>();
    for (const name of tops[i]!) {
      const list = postings.get(name)!;
      if (list.length > MAX_POSTINGS) continue;
      for (const j of list) if (j > i) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    for (const [j, shared] of counts) if (shared >= 2) consider(i, j);
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  }
  const stories: Story[] = [];
  const storyOf = new Map<string, Story>();
  for (const members of [...groups.values()].filter((g) => g.length >= 2).sort((a, b) => a[0]! - b[0]!)) {
    const set = new Set(members);
    const weight = new Map<string, number>();
    for (const i of members) for (const [name, w] of vectors[i]!.weights) weight.set(name, (weight.get(name) ?? 0) + w);
    const inAll = (name: string): number => members.filter((i) => vectors[i]!.weights.has(name)).length;
    const names = [...weight]
      .filter(([name]) => inAll(name) >= Math.max(2, Math.ceil(members.length / 2)))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 8)
      .map(([name]) => name);
    const story: Story = {
      id: stories.length,
      files: members.map((i) => inputs[i]!.file),
      links: links.filter((l) => set.has(l.i)).map(({i: _i, j: _j, ...link}) => link),
      names,
    };
    stories.push(story);
    for (const file of story.files) storyOf.set(file, story);
  }
  return {stories, storyOf};
}

/** A file's name vector: tf-idf weights, unit length. */
interface NameVector {
  weights: Map<string, number>;
}

/**
 * Tf-idf name vectors of all files (idf over the inputs, with the prior).
 * @param inputs Files.
 * @returns One vector per file.
 */
function nameVectors(inputs: readonly StoryInput[]): NameVector[] {
  const df = new Map<string, number>();
  for (const input of inputs) for (const name of input.names.keys()) df.set(name, (df.get(name) ?? 0) + 1);
  const total = inputs.length + IDF_PRIOR;
  return inputs.map((input) => {
    const weights = new Map<string, number>();
    let norm = 0;
    for (const [name, count] of input.names) {
      if (count <= 0) continue;
      const w = (1 + Math.log(count)) * Math.log(total / (df.get(name)! + 1));
      if (w <= 0) continue;
      weights.set(name, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [name, w] of weights) weights.set(name, w / norm);
    return {weights};
  });
}

/**
 * Cosine of two name vectors and the names they share, most weight first.
 * @param a Vector.
 * @param b Vector.
 * @returns Cosine and shared names.
 */
function compare(a: NameVector, b: NameVector): {cosine: number; shared: string[]} {
  let cosine = 0;
  const shared: Array<[string, number]> = [];
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  for (const [name, w] of small.weights) {
    const x = large.weights.get(name);
    if (x === undefined) continue;
    cosine += w * x;
    shared.push([name, w * x]);
  }
  shared.sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
  return {cosine, shared: shared.map(([name]) => name)};
}

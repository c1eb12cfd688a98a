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
import {estimateJaccard, isEmptySignature, LSH_BANDS, LSH_ROWS} from './minhash.js';
import {fmix32} from './text.js';

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
  /** Computed once per file version (and idf snapshot): the same object may serve identical files. */
  data: StoryData;
}

/** A file's story evidence: its signature, LSH band keys and name vector. */
export interface StoryData {
  signature: Uint32Array;
  /** One key per LSH band (empty for a text without shingles). */
  bands: Float64Array;
  /** A hash of the whole signature: files with equal ones are copies. */
  exact: number;
  vector: NameVector;
}

/** A file's name vector: sorted name ids, tf-idf weights (unit length), and its most distinctive names. */
export interface NameVector {
  ids: Int32Array;
  weights: Float64Array;
  top: Int32Array;
}

/**
 * A file's story evidence.
 * @param signature MinHash signature of its story shingles.
 * @param counts Name id → mentions in its story lines.
 * @param idf The idf of a name id.
 * @returns Evidence.
 */
export function storyData(signature: Uint32Array, counts: ReadonlyMap<number, number>, idf: (id: number) => number): StoryData {
  const bands = new Float64Array(isEmptySignature(signature) ? 0 : LSH_BANDS);
  let exact = 0x9747b28c;
  for (const slot of signature) exact = fmix32(exact ^ slot) ^ Math.imul(exact, 31);
  for (let band = 0; band < bands.length; band++) {
    let h = band + 1;
    for (let r = 0; r < LSH_ROWS; r++) h = fmix32(h ^ signature[band * LSH_ROWS + r]!);
    bands[band] = band * 0x100000000 + h;
  }
  const kept = [...counts]
    .filter(([, c]) => c > 0)
    .map(([id, c]) => [id, (1 + Math.log(c)) * idf(id)] as [number, number])
    .filter(([, w]) => w > 0)
    .sort((x, y) => x[0] - y[0]);
  const norm = Math.sqrt(kept.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
  const top = [...kept].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, TOP_NAMES).map(([id]) => id);
  return {signature, bands, exact: exact >>> 0, vector: {ids: Int32Array.from(kept.map(([id]) => id)), weights: Float64Array.from(kept.map(([, w]) => w / norm)), top: Int32Array.from(top)}};
}

/**
 * The idf of a name held by `df` of `n` files, with the prior.
 * @param n Files.
 * @param df Files that name it.
 * @returns Weight (positive).
 */
export function nameIdf(n: number, df: number): number {
  return Math.log((n + IDF_PRIOR) / (df + 1));
}

/** How two files compare, kept per pair of evidence objects (they never change). */
interface Relation {
  jaccard: number;
  cosine: number;
  shared: number;
  nearDuplicate: boolean;
  linked: boolean;
}
const relationCache = new WeakMap<StoryData, WeakMap<StoryData, Relation>>();

/**
 * Compare two files' evidence (memoised).
 * @param a Evidence.
 * @param b Evidence.
 * @returns Relation.
 */
function relationOf(a: StoryData, b: StoryData): Relation {
  let row = relationCache.get(a);
  const known = row?.get(b);
  if (known) return known;
  const jaccard = estimateJaccard(a.signature, b.signature);
  const {cosine, shared} = compare(a.vector, b.vector);
  const nearDuplicate = jaccard >= COPY || (jaccard >= NEAR_DUPLICATE && cosine >= NEAR_DUPLICATE_MIN_CAST);
  const relation = {jaccard, cosine, shared, nearDuplicate, linked: nearDuplicate || (cosine >= SAME_CAST && shared >= MIN_SHARED_NAMES)};
  if (!row) relationCache.set(a, (row = new WeakMap()));
  row.set(b, relation);
  return relation;
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
  /** Every pair of the story's files that is linked by itself (computed when first read). */
  readonly links: StoryLink[];
  /** The names the story's files share most, most distinctive first. */
  names: string[];
}

/** The result of grouping. */
export interface Stories {
  stories: Story[];
  /** The story of each file that has one. */
  storyOf: Map<string, Story>;
  /**
   * How a file compares with each other file of its story (linked or not: a story is connected through its
   * links, so two of its files may be linked only through others).
   * @param file A file of a story.
   * @returns One entry per other file of the story, in story order (`a` is the file asked about).
   */
  relations(file: string): StoryLink[];
}

/**
 * Group files into stories.
 * @param inputs Files, in a stable order.
 * @param nameOf The name key of a name id (for `names` and `shared`).
 * @returns Stories (only groups of two or more files).
 */
export function groupStories(inputs: readonly StoryInput[], nameOf: (id: number) => string): Stories {
  const n = inputs.length;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const vector = (i: number): NameVector => inputs[i]!.data.vector;
  /** How two files compare. */
  const relate = (i: number, j: number): {link: StoryLink; linked: boolean} => {
    const r = relationOf(inputs[i]!.data, inputs[j]!.data);
    let names: string[] | undefined;
    const link: StoryLink = {
      a: inputs[i]!.file,
      b: inputs[j]!.file,
      jaccard: r.jaccard,
      cosine: r.cosine,
      get shared() {
        return (names ??= sharedNames(nameOf, vector(i), vector(j)));
      },
      nearDuplicate: r.nearDuplicate,
    };
    return {link, linked: r.linked};
  };
  // Grouping needs connectivity only: a pair already in one group is not compared again.
  const rejected = new Set<number>();
  const consider = (i: number, j: number): void => {
    if (i === j) return;
    if (i > j) [i, j] = [j, i];
    const a = find(i);
    const b = find(j);
    if (a === b) return;
    const key = i * n + j;
    if (rejected.has(key)) return;
    if (!relationOf(inputs[i]!.data, inputs[j]!.data).linked) {
      rejected.add(key);
      return;
    }
    parent[Math.max(a, b)] = Math.min(a, b);
  };

  // 1. Near-duplicates: files with identical signatures (exact copies) first, then LSH buckets of the others.
  const bySignature = new Map<number, number[]>();
  inputs.forEach((input, i) => {
    if (input.data.bands.length === 0) return;
    const key = input.data.exact;
    const list = bySignature.get(key);
    if (list) list.push(i);
    else bySignature.set(key, [i]);
  });
  const buckets = new Map<number, number[]>();
  for (const list of bySignature.values()) {
    for (let k = 1; k < list.length; k++) consider(list[0]!, list[k]!);
    for (const key of inputs[list[0]!]!.data.bands) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(list[0]!);
      else buckets.set(key, [list[0]!]);
    }
  }
  for (const bucket of buckets.values()) {
    if (bucket.length < 2 || bucket.length > MAX_BUCKET) continue;
    for (let x = 0; x < bucket.length; x++) for (let y = x + 1; y < bucket.length; y++) consider(bucket[x]!, bucket[y]!);
  }

  // 2. The same cast: candidates share at least two of their most distinctive names.
  const postings = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    for (const id of vector(i).top) {
      const list = postings.get(id);
      if (list) list.push(i);
      else postings.set(id, [i]);
    }
  }
  const stamp = new Int32Array(n).fill(-1);
  const hits = new Int32Array(n);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    candidates.length = 0;
    for (const id of vector(i).top) {
      const list = postings.get(id)!;
      if (list.length > MAX_POSTINGS) continue;
      for (const j of list) {
        if (j <= i) continue;
        if (stamp[j] !== i) {
          stamp[j] = i;
          hits[j] = 0;
          candidates.push(j);
        }
        hits[j]!++;
      }
    }
    for (const j of candidates) if (hits[j]! >= 2) consider(i, j);
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(i);
    else groups.set(root, [i]);
  }
  const stories: Story[] = [];
  const indexOf = new Map(inputs.map((input, i) => [input.file, i]));
  const members = new Map<Story, number[]>();
  const storyOf = new Map<string, Story>();
  for (const group of [...groups.values()].filter((g) => g.length >= 2).sort((a, b) => a[0]! - b[0]!)) {
    // The names most of the story's files hold, by total weight.
    const weight = new Map<number, number>();
    const held = new Map<number, number>();
    for (const i of group) {
      const v = vector(i);
      v.ids.forEach((id, k) => {
        weight.set(id, (weight.get(id) ?? 0) + v.weights[k]!);
        held.set(id, (held.get(id) ?? 0) + 1);
      });
    }
    const need = Math.max(2, Math.ceil(group.length / 2));
    const names = [...weight]
      .filter(([id]) => held.get(id)! >= need)
      .sort((a, b) => b[1] - a[1] || (nameOf(a[0]) < nameOf(b[0]) ? -1 : 1))
      .slice(0, 8)
      .map(([id]) => nameOf(id));
    let links: StoryLink[] | undefined;
    const story: Story = {
      id: stories.length,
      files: group.map((i) => inputs[i]!.file),
      get links() {
        if (!links) {
          links = [];
          for (let x = 0; x < group.length; x++) {
            for (let y = x + 1; y < group.length; y++) {
              const {link, linked} = relate(group[x]!, group[y]!);
              if (linked) links.push(link);
            }
          }
        }
        return links;
      },
      names,
    };
    stories.push(story);
    members.set(story, group);
    for (const file of story.files) storyOf.set(file, story);
  }
  const relations = (file: string): StoryLink[] => {
    const story = storyOf.get(file);
    const i = indexOf.get(file);
    if (!story || i === undefined) return [];
    return members
      .get(story)!
      .filter((j) => j !== i)
      .map((j) => {
        const {link} = relate(Math.min(i, j), Math.max(i, j));
        return link.a === file ? link : {...link, a: link.b, b: link.a, get shared() {
          return link.shared;
        }};
      });
  };
  return {stories, storyOf, relations};
}

/**
 * Cosine of two name vectors and how many names they share (a merge of the sorted ids).
 * @param a Vector.
 * @param b Vector.
 * @returns Cosine and the number of shared names.
 */
function compare(a: NameVector, b: NameVector): {cosine: number; shared: number} {
  let cosine = 0;
  let shared = 0;
  let x = 0;
  let y = 0;
  while (x < a.ids.length && y < b.ids.length) {
    const p = a.ids[x]!;
    const q = b.ids[y]!;
    if (p === q) {
      cosine += a.weights[x++]! * b.weights[y++]!;
      shared++;
    } else if (p < q) x++;
    else y++;
  }
  return {cosine, shared};
}

/**
 * The names two vectors share, most weight first.
 * @param nameOf The name of an id.
 * @param a Vector.
 * @param b Vector.
 * @returns Name keys.
 */
function sharedNames(nameOf: (id: number) => string, a: NameVector, b: NameVector): string[] {
  const out: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  while (x < a.ids.length && y < b.ids.length) {
    const p = a.ids[x]!;
    const q = b.ids[y]!;
    if (p === q) out.push([p, a.weights[x++]! * b.weights[y++]!]);
    else if (p < q) x++;
    else y++;
  }
  return out.sort((u, v) => v[1] - u[1] || (nameOf(u[0]) < nameOf(v[0]) ? -1 : 1)).map(([id]) => nameOf(id));
}

/**
 * The cross-source index: the workspace, not the file, as Sift's unit.
 *
 * It holds one `FileSummary` per file (added, replaced and removed one file at a time) and derives, lazily and
 * once per change, what the workspace features show: the names shared across files (one workspace entity per
 * canonical name, with "Kalin" linked to the one "… Kalin" of the workspace), the same quotation carried by
 * several sources, stories (groups of files reporting the same news) and the repeated lines of each folder.
 *
 * Pure: summaries in, tables out. The CLI builds one from a folder; the language server keeps one in sync with the
 * workspace and caches the summaries on disk by content hash.
 */
import type {EntityType} from '../types.js';
import {FolderLineCounts, MIN_FOLDER_FILES, type CorpusLineView} from './folder-lines.js';
import {minhash} from './minhash.js';
import {clusterQuotes, type QuoteCluster, type QuoteItem} from './quotes.js';
import {groupStories, nameIdf, storyData, type StoryData, type Stories} from './stories.js';
import {detached, type EntityMention, type FileSummary, type QuoteMention} from './summary.js';
import {positionIn} from './text.js';

export * from './summary.js';
export * from './text.js';
export * from './minhash.js';
export * from './quotes.js';
export * from './stories.js';
export * from './folder-lines.js';
export * from './export.js';
export * from './report.js';

/** One file of the index. */
export interface CorpusFile {
  /** A stable id: a path (CLI) or a URI (language server). */
  id: string;
  /** The folder whose repeated lines it shares (a directory path or URI). */
  folder: string;
  summary: FileSummary;
}

/** A name as the workspace knows it: every mention of it in every file. */
export interface WorkspaceName {
  /** Normalised key, e.g. `ibrahim kalin`. */
  key: string;
  /** The name shown: the most frequent full form ("Ibrahim Kalin"). */
  name: string;
  /** The type most mentions have. */
  type: EntityType;
  /** Forms written in the texts ("Kalin", "Ibrahim Kalin"), most frequent first. */
  forms: string[];
  /** Number of mentions in all files. */
  count: number;
  /** Mentions per file (files in index order, mentions in text order). */
  files: Map<string, EntityMention[]>;
}

/** A quotation of one file with its cluster. */
export interface QuoteLocation {
  file: string;
  quote: QuoteMention;
  cluster: QuoteCluster;
}

/**
 * The comparison key of a name: NFKC, lower case, one apostrophe, no leading "the", spaces collapsed.
 * @param name Canonical name.
 * @returns Key.
 */
export function nameKey(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[‘’`]/g, "'")
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^the /, '');
    if (nameKeys.size >= 200_000) nameKeys.clear();
    nameKeys.set(name, key);
  }
  return key;
}

/**
 * The workspace key of a canonical name in name tables.
 * @param tables Name tables.
 * @param canonical A canonical name or speaker.
 * @returns Key.
 */
function keyIn(tables: NameTables, canonical: string): string {
  const key = nameKey(canonical);
  const alias = tables.alias.get(key);
  if (alias) return alias;
  if (!tables.names.has(key) && !key.includes(' ')) {
    // A one-word name no file wrote as such (a speaker "Kalin"): the only person name ending with it.
    const targets = tables.byLastWord.get(key);
    if (targets && targets.size === 1) return [...targets][0]!;
  }
  return key;
}

/** Memo of `nameKey`: the same names recur in every file. */
const nameKeys = new Map<string, string>();

/**
 * The cross-source index.
 */
export class CorpusIndex {
  private readonly byId = new Map<string, CorpusFile>();
  private readonly lines = new FolderLineCounts();
  private sorted: CorpusFile[] | undefined;
  private derived: NameTables | undefined;
  /** Per name key (before linking), the totals over all files. */
  private readonly totals = new Map<string, NameTotal>();
  private totalsVersion = 0;
  /** The last name built for each key, reused while its totals (and links) do not change. */
  private nameCache = new Map<string, {version: number; merged: string; name: WorkspaceName}>();
  /** Name ids for story vectors, and the idf snapshot with the changes since it was taken. */
  private readonly nameIds = new Map<string, number>();
  private readonly nameList: string[] = [];
  private idf: {id: number; df: Map<number, number>; n: number} | undefined;
  private idfChanges = 0;
  /** Changes when the links between names do (story inputs depend on them). */
  private aliasStamp = 0;
  private lastAlias: Map<string, string> | undefined;
  private quotesCache: {clusters: QuoteCluster[]; at: Map<string, QuoteLocation[]>} | undefined;
  private storiesCache: Stories | undefined;
  /** The last name and quotation tables built, kept after a change until the next build (for `readNow`). */
  private lastDerived: NameTables | undefined;
  private lastQuotes: {clusters: QuoteCluster[]; at: Map<string, QuoteLocation[]>} | undefined;
  /** Increases on every change. */
  revision = 0;
  /** The last stories computed before the latest change. */
  private staleStories: Stories | undefined;

  /**
   * Add a file or replace its summary.
   * @param id File id.
   * @param folder Its folder.
   * @param summary Summary of its current text.
   * @returns Nothing.
   */
  set(id: string, folder: string, summary: FileSummary): void {
    const old = this.byId.get(id);
    if (old && old.summary === summary && old.folder === folder) return;
    internStrings(summary);
    if (old) this.countNames(id, old.summary, -1);
    this.byId.set(id, {id, folder, summary});
    this.lines.add(id, folder, summary.lineHashes);
    this.countNames(id, summary, +1);
    this.changed();
  }

  /**
   * Add (or take away) a file's names to the per-key totals, so the name tables cost work in proportion to the
   * names of the workspace, not to its mentions.
   * @param id File id.
   * @param summary Its summary.
   * @param sign +1 to add, -1 to take away.
   * @returns Nothing.
   */
  private countNames(id: string, summary: FileSummary, sign: 1 | -1): void {
    for (const [key, group] of fileNames(summary)) {
      let total = this.totals.get(key);
      if (!total) this.totals.set(key, (total = {types: new Map(), forms: new Map(), canonical: new Map(), files: new Map(), count: 0, version: 0}));
      total.version = ++this.totalsVersion;
      total.count += sign * group.mentions.length;
      addCounts(total.types, group.types, sign);
      addCounts(total.forms, group.forms, sign);
      addCounts(total.canonical, group.canonical, sign);
      // A copy of exact length: a pushed array keeps 16 spare slots, ~25 of them per file.
      if (sign > 0) total.files.set(id, group.mentions.slice());
      else total.files.delete(id);
      if (total.files.size === 0) this.totals.delete(key);
    }
  }

  /**
   * Remove a file.
   * @param id File id.
   * @returns Whether it was there.
   */
  remove(id: string): boolean {
    const old = this.byId.get(id);
    if (!old) return false;
    this.byId.delete(id);
    this.countNames(id, old.summary, -1);
    this.lines.remove(id);
    this.changed();
    return true;
  }

  /**
   * Remove every file.
   * @returns Nothing.
   */
  clear(): void {
    for (const id of [...this.byId.keys()]) this.remove(id);
  }

  /**
   * Forget the derived tables.
   * @returns Nothing.
   */
  private changed(): void {
    this.revision++;
    this.idfChanges++;
    this.staleStories = this.storiesCache ?? this.staleStories;
    this.sorted = undefined;
    this.derived = undefined;
    this.quotesCache = undefined;
    this.storiesCache = undefined;
  }

  /**
   * A file.
   * @param id File id.
   * @returns It, if indexed.
   */
  get(id: string): CorpusFile | undefined {
    return this.byId.get(id);
  }

  /** Number of files. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * All files, sorted by id.
   * @returns Files.
   */
  files(): CorpusFile[] {
    return (this.sorted ??= [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  /**
   * The repeated-line evidence for the boilerplate analyser, as seen from one file.
   * @param id File id (need not be indexed).
   * @param folder Its folder.
   * @param text Its current text.
   * @returns Options, or undefined when the folder is too small.
   */
  lineView(id: string, folder: string, text: string): CorpusLineView | undefined {
    return this.lines.viewFor(id, folder, text);
  }

  /**
   * Every workspace name, by key.
   * @returns Names.
   */
  names(): Map<string, WorkspaceName> {
    return this.nameTables().names;
  }

  /**
   * The workspace key of a file's canonical name ("Kalin" → `ibrahim kalin` when the workspace names one Kalin).
   * @param canonical A canonical name or speaker.
   * @returns Key.
   */
  keyOf(canonical: string): string {
    return keyIn(this.nameTables(), canonical);
  }

  /**
   * The name shown for a canonical name or speaker, after linking.
   * @param canonical Name.
   * @returns Display name.
   */
  displayName(canonical: string): string {
    return this.names().get(this.keyOf(canonical))?.name ?? canonical;
  }

  /**
   * Build the name tables from the per-key totals. A name whose totals and links did not change since the last
   * build is reused as it was.
   * @returns Names, links and person names by last word.
   */
  private nameTables(): NameTables {
    if (this.derived) return this.derived;
    const majority = <T>(counts: Map<T, number>): T => {
      let best: T | undefined;
      let n = -1;
      for (const [value, count] of counts) if (count > n) [best, n] = [value, count];
      return best!;
    };
    // A one-word person name links to the only longer person name of the workspace that ends with it.
    const isPerson = new Map<string, boolean>();
    for (const [key, total] of this.totals) isPerson.set(key, majority(total.types) === 'PER');
    const byLastWord = new Map<string, Set<string>>();
    for (const [key, person] of isPerson) {
      const space = key.lastIndexOf(' ');
      if (space < 0 || !person) continue;
      const last = key.slice(space + 1);
      let set = byLastWord.get(last);
      if (!set) byLastWord.set(last, (set = new Set()));
      set.add(key);
    }
    const alias = new Map<string, string>();
    const linked = new Map<string, string[]>();
    for (const [key, person] of isPerson) {
      if (!person || key.includes(' ')) continue;
      const targets = byLastWord.get(key);
      if (!targets || targets.size !== 1) continue;
      const target = [...targets][0]!;
      alias.set(key, target);
      linked.set(target, [...(linked.get(target) ?? []), key]);
    }
    const names = new Map<string, WorkspaceName>();
    const cache = new Map<string, {version: number; merged: string; name: WorkspaceName}>();
    for (const key of [...this.totals.keys()].sort()) {
      const total = this.totals.get(key)!;
      if (alias.has(key)) continue;
      const parts = [key, ...(linked.get(key) ?? [])].sort();
      const merged = parts.join('|');
      const version = Math.max(...parts.map((k) => this.totals.get(k)!.version));
      const previous = this.nameCache.get(key);
      if (previous && previous.version === version && previous.merged === merged) {
        names.set(key, previous.name);
        cache.set(key, previous);
        continue;
      }
      const totals = parts.map((k) => this.totals.get(k)!);
      const types = new Map<EntityType, number>();
      const forms = new Map<string, number>();
      const files = new Map<string, EntityMention[]>();
      let count = 0;
      for (const t of totals) {
        addCounts(types, t.types, 1);
        addCounts(forms, t.forms, 1);
        count += t.count;
        for (const [file, mentions] of t.files) {
          const list = files.get(file);
          files.set(file, list ? [...list, ...mentions].sort((x, y) => x.start - y.start) : mentions);
        }
      }
      const name: WorkspaceName = {
        key,
        name: total.canonical.size ? majority(total.canonical) : [...total.files.values()][0]![0]!.canonical,
        type: majority(types),
        forms: [...forms].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([form]) => form),
        count,
        files: new Map([...files].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))),
      };
      names.set(key, name);
      cache.set(key, {version, merged, name});
    }
    this.nameCache = cache;
    const previous = this.lastAlias;
    if (!previous || previous.size !== alias.size || [...alias].some(([k, v]) => previous.get(k) !== v)) this.aliasStamp++;
    this.lastAlias = alias;
    this.derived = {names, alias, byLastWord};
    this.lastDerived = this.derived;
    return this.derived;
  }

  /**
   * The workspace name of the mention at an offset of a file.
   * @param id File id.
   * @param offset UTF-16 offset.
   * @returns Name and the mention, or undefined.
   */
  nameAt(id: string, offset: number): {name: WorkspaceName; mention: EntityMention} | undefined {
    const file = this.byId.get(id);
    const mention = file?.summary.entities.find((e) => e.start <= offset && offset < e.end);
    if (!mention) return undefined;
    const name = this.names().get(this.keyOf(mention.canonical));
    return name ? {name, mention} : undefined;
  }

  /**
   * Names matching a query, best first: the name starting with the query, then a word of it, then containing it,
   * then a written form containing it.
   * @param query What the user typed (any case); empty matches every name.
   * @param limit Most names returned.
   * @returns Names.
   */
  searchNames(query: string, limit = 200): WorkspaceName[] {
    const q = nameKey(query);
    const scored: Array<[WorkspaceName, number]> = [];
    for (const name of this.names().values()) {
      const key = nameKey(name.name);
      let score = 0;
      if (!q) score = 1;
      else if (key.startsWith(q)) score = 5;
      else if (key.split(/[\s-]/).some((w) => w.startsWith(q))) score = 4;
      else if (key.includes(q)) score = 3;
      else if (name.forms.some((f) => nameKey(f).includes(q))) score = 2;
      if (score) scored.push([name, score]);
    }
    scored.sort((a, b) => b[1] - a[1] || b[0].count - a[0].count || (a[0].name < b[0].name ? -1 : 1));
    return scored.slice(0, limit).map(([name]) => name);
  }

  /** Name and quotation tables have been built (they may be older than the latest change): `readNow` is cheap. */
  get hasTables(): boolean {
    return Boolean((this.derived ?? this.lastDerived) && (this.quotesCache ?? this.lastQuotes));
  }

  /**
   * The name and quotation tables as they are now, without building them when the index changed since: the last
   * ones built (they may miss the latest change, typically the open document's last edit), or built now when
   * there are none yet. For hovers, which must answer in milliseconds while a rebuild costs ~1 s on 10,000 files;
   * the server rebuilds the tables in idle time after changes.
   * @returns Names by key, the key of a canonical name, and the quotation locations of a file.
   */
  readNow(): {names: Map<string, WorkspaceName>; keyOf(canonical: string): string; quotesOf(id: string): readonly QuoteLocation[]} {
    const tables = this.derived ?? this.lastDerived ?? this.nameTables();
    const quotes = this.quotesCache ?? this.lastQuotes ?? this.quoteTables();
    return {
      names: tables.names,
      keyOf: (canonical) => keyIn(tables, canonical),
      quotesOf: (id) => quotes.at.get(id) ?? [],
    };
  }

  /**
   * The quotation clusters of the workspace (every comparable quotation is in one).
   * @returns Clusters.
   */
  quoteClusters(): QuoteCluster[] {
    return this.quoteTables().clusters;
  }

  /**
   * The cluster of the quotation at an offset of a file.
   * @param id File id.
   * @param offset UTF-16 offset.
   * @returns The quotation and its cluster, or undefined.
   */
  quoteAt(id: string, offset: number): QuoteLocation | undefined {
    return this.quoteTables().at.get(id)?.find((l) => l.quote.start <= offset && offset < l.quote.end);
  }

  /**
   * Build the quotation tables.
   * @returns Clusters and an index by file.
   */
  private quoteTables(): {clusters: QuoteCluster[]; at: Map<string, QuoteLocation[]>} {
    if (this.quotesCache) return this.quotesCache;
    const items: QuoteItem[] = [];
    for (const file of this.files()) {
      for (const quote of file.summary.quotes) items.push({file: file.id, quote, speaker: quote.speaker ? this.displayName(quote.speaker) : null});
    }
    const clusters = clusterQuotes(items);
    const at = new Map<string, QuoteLocation[]>();
    for (const cluster of clusters) {
      for (const item of cluster.members) {
        const list = at.get(item.file);
        const location = {file: item.file, quote: item.quote, cluster};
        if (list) list.push(location);
        else at.set(item.file, [location]);
      }
    }
    this.quotesCache = {clusters, at};
    this.lastQuotes = this.quotesCache;
    return this.quotesCache;
  }

  /**
   * The stories of the workspace.
   * @returns Stories and the story of each file.
   */
  stories(): Stories {
    if (this.storiesCache) return this.storiesCache;
    this.nameTables();
    // Names per file (cached while the file, its folder's template lines and the name links stay the same).
    const perFile = this.files().map((file) => {
      const skip = this.nonStoryLines(file);
      const skipKey = skip.size ? [...skip].sort((a, b) => a - b).join(',') : '';
      let entry = storyNamesCache.get(file.summary);
      if (!entry || entry.skip !== skipKey || entry.aliases !== this.aliasStamp) {
        const counts = new Map<number, number>();
        for (const e of file.summary.entities) {
          if (skip.has(e.line)) continue;
          const key = this.keyOf(e.canonical);
          if (!key) continue;
          const id = this.nameId(key);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        const signature = entry && entry.skip === skipKey ? entry.signature : storySignature(file.summary, skip);
        entry = {skip: skipKey, aliases: this.aliasStamp, counts, signature, data: undefined};
        storyNamesCache.set(file.summary, entry);
      }
      return {file, entry};
    });
    // The idf is a snapshot, taken again when the workspace has changed by a few percent: between snapshots each
    // file's evidence, and each pair's comparison, is reused.
    if (!this.idf || this.idfChanges > Math.max(20, 0.03 * this.size)) {
      const df = new Map<number, number>();
      for (const {entry} of perFile) for (const id of entry.counts.keys()) df.set(id, (df.get(id) ?? 0) + 1);
      this.idf = {id: (this.idf?.id ?? 0) + 1, df, n: perFile.length};
      this.idfChanges = 0;
    }
    const idf = this.idf;
    const weight = (id: number): number => nameIdf(idf.n, idf.df.get(id) ?? 1);
    const inputs = perFile.map(({file, entry}) => {
      if (!entry.data || entry.data.idf !== idf.id) entry.data = {idf: idf.id, data: storyData(entry.signature, entry.counts, weight)};
      return {file: file.id, data: entry.data.data};
    });
    this.storiesCache = groupStories(inputs, (id) => this.nameList[id]!);
    return this.storiesCache;
  }

  /**
   * The stories if they are up to date, else the last ones computed (or undefined): for a large workspace, a
   * caller that can live with slightly old stories avoids recomputing them after every keystroke.
   * @returns Stories and whether they are current.
   */
  storiesSoFar(): {stories: Stories; current: boolean} | undefined {
    if (this.storiesCache) return {stories: this.storiesCache, current: true};
    return this.staleStories ? {stories: this.staleStories, current: false} : undefined;
  }

  /**
   * A stable number for a name key (story vectors compare numbers).
   * @param key Name key.
   * @returns Id.
   */
  private nameId(key: string): number {
    let id = this.nameIds.get(key);
    if (id === undefined) {
      this.nameIds.set(key, (id = this.nameList.length));
      this.nameList.push(key);
    }
    return id;
  }

  /**
   * The lines of a file that do not tell its story: boilerplate, and short lines its folder repeats in at least
   * `MIN_FOLDER_FILES` files (a site template the file's own analysis could not see).
   * @param file File.
   * @returns Line indices.
   */
  nonStoryLines(file: CorpusFile): Set<number> {
    const skip = new Set(file.summary.boilerplateLines);
    if (this.lines.sizeOf(file.folder) >= MIN_FOLDER_FILES) {
      for (const line of file.summary.shortLines) {
        const hash = file.summary.lineHashes[line];
        if (hash && this.lines.filesWith(file.folder, hash) >= MIN_FOLDER_FILES) skip.add(line);
      }
    }
    return skip;
  }

  /**
   * Editor position of an offset of an indexed file.
   * @param id File id.
   * @param offset UTF-16 offset.
   * @returns Line and character (0-based), or undefined when the file is not indexed.
   */
  positionOf(id: string, offset: number): {line: number; character: number} | undefined {
    const file = this.byId.get(id);
    return file ? positionIn(file.summary.lineStarts, offset) : undefined;
  }
}

/** A name key's totals over all files. */
interface NameTotal {
  types: Map<EntityType, number>;
  forms: Map<string, number>;
  canonical: Map<string, number>;
  /** Mentions per file. */
  files: Map<string, EntityMention[]>;
  count: number;
  /** Changes whenever the totals do. */
  version: number;
}

/** The workspace's names, the one-word person names linked to a longer one, and person names by last word. */
interface NameTables {
  names: Map<string, WorkspaceName>;
  alias: Map<string, string>;
  byLastWord: Map<string, Set<string>>;
}

/** Strings of the summaries, one copy each (names recur across and within files). */
let interned = new Map<string, string>();

/**
 * One copy of a string: names, forms and speakers recur in nearly every file, and each summary read from the cache
 * or made from a document holds its own copies (about 6 KB per file; 60 MB for 10,000 files).
 * @param value A string.
 * @returns An equal string shared with the other summaries.
 */
function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  // Bounded: past this many distinct strings start afresh (strings already shared stay shared).
  if (interned.size >= 500_000) interned = new Map();
  const own = detached(value);
  interned.set(own, own);
  return own;
}

/**
 * Replace a summary's names, forms, speakers and cues by shared copies (equal strings: nothing visible changes).
 * @param summary Summary.
 * @returns Nothing.
 */
function internStrings(summary: FileSummary): void {
  for (const e of summary.entities) {
    e.canonical = intern(e.canonical);
    e.text = intern(e.text);
  }
  for (const q of summary.quotes) {
    if (q.speaker !== null) q.speaker = intern(q.speaker);
    if (q.mention !== null) q.mention = intern(q.mention);
    if (q.cue !== null) q.cue = intern(q.cue);
  }
}

/** A file's mentions of one name key, with counts. */
interface NameGroup {
  mentions: EntityMention[];
  types: Map<EntityType, number>;
  /** Canonical names as the file's analysis wrote them. */
  canonical: Map<string, number>;
  /** Forms as written in the text. */
  forms: Map<string, number>;
}

/**
 * A file's mentions grouped by name key. Not cached: the groups hold four maps per name per file (about 30 KB per
 * file, 300 MB for 10,000 files), and they are needed only when a file is added or removed.
 * @param summary The file's summary.
 * @returns Groups by key, in order of first mention.
 */
function fileNames(summary: FileSummary): Map<string, NameGroup> {
  const groups = new Map<string, NameGroup>();
  for (const e of summary.entities) {
    const key = nameKey(e.canonical);
    if (!key) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = {mentions: [], types: new Map(), canonical: new Map(), forms: new Map()}));
    group.mentions.push(e);
    group.types.set(e.type, (group.types.get(e.type) ?? 0) + 1);
    group.canonical.set(e.canonical, (group.canonical.get(e.canonical) ?? 0) + 1);
    group.forms.set(e.text, (group.forms.get(e.text) ?? 0) + 1);
  }
  return groups;
}

/**
 * Add (or take away) counts.
 * @param into Target (zero counts are deleted).
 * @param counts Counts.
 * @param sign +1 or -1.
 * @returns Nothing.
 */
function addCounts<T>(into: Map<T, number>, counts: ReadonlyMap<T, number>, sign: number): void {
  for (const [value, n] of counts) {
    const next = (into.get(value) ?? 0) + sign * n;
    if (next) into.set(value, next);
    else into.delete(value);
  }
}

/** Per summary: its story names and signature (with the template lines and name links they depend on) and its evidence. */
const storyNamesCache = new WeakMap<
  FileSummary,
  {skip: string; aliases: number; counts: Map<number, number>; signature: Uint32Array; data: {idf: number; data: StoryData} | undefined}
>();

/**
 * The MinHash signature of a file's story shingles, leaving out those of some lines.
 * @param summary Summary.
 * @param skip Lines left out.
 * @returns Signature.
 */
function storySignature(summary: FileSummary, skip: ReadonlySet<number>): Uint32Array {
  const kept: number[] = [];
  for (let i = 0; i < summary.shingles.length; i++) if (!skip.has(summary.shingleLines[i]!)) kept.push(summary.shingles[i]!);
  return minhash(Uint32Array.from(kept));
}

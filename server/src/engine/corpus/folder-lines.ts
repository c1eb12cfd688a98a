/**
 * Lines shared by the files of one folder: a line that appears in many sibling files is a site template
 * (navigation, newsletter prompt, footer) and evidence of boilerplate. The CLI (given a folder) and the language
 * server's workspace index both feed it, per file and incrementally, from the summaries' line hashes.
 */
import {hash52, lineKey} from './text.js';
import type {AnnotateOptions} from '../types.js';

/** The boilerplate analyser's corpus options, as seen from one file. */
export interface CorpusLineView {
  corpusLineCounts: ReadonlyMap<string, number>;
  corpusSize: number;
}

/**
 * Engine options with a file's view of its folder's lines (the boilerplate analyser's corpus options).
 *
 * @param options Base options.
 * @param view The view (`viewFor` / `viewWith`), or undefined when the folder tells nothing.
 * @returns Options.
 */
export function withLineView(options: AnnotateOptions, view: CorpusLineView | undefined): AnnotateOptions {
  return view ? {...options, boilerplate: {...options.boilerplate, ...view}} : options;
}

/** A folder needs at least this many files before its repeated lines count as evidence. */
export const MIN_FOLDER_FILES = 3;

/**
 * Repeated-line counts per folder.
 */
export class FolderLineCounts {
  private readonly folders = new Map<string, {size: number; counts: Map<number, number>}>();
  private readonly members = new Map<string, {folder: string; hashes: Float64Array}>();
  /** Folders of a snapshot whose tables are not made yet (`fromSnapshot`). */
  private readonly frozen = new Map<string, FolderCountsSnapshot[number]>();

  /**
   * Add a file, or replace what was known about it.
   * @param file A stable id of the file (path or URI).
   * @param folder Its folder (path or URI).
   * @param hashes `hash52(lineKey(line))` of its lines (a summary's `lineHashes`); zeros (blank lines) and
   *   repeats are ignored.
   * @returns Nothing.
   */
  add(file: string, folder: string, hashes: ArrayLike<number>): void {
    this.remove(file);
    let entry = this.entry(folder);
    if (!entry) this.folders.set(folder, (entry = {size: 0, counts: new Map()}));
    entry.size++;
    const distinct = new Set<number>();
    for (let i = 0; i < hashes.length; i++) if (hashes[i]) distinct.add(hashes[i]!);
    const sorted = Float64Array.from(distinct).sort();
    for (const h of sorted) entry.counts.set(h, (entry.counts.get(h) ?? 0) + 1);
    this.members.set(file, {folder, hashes: sorted});
  }

  /**
   * Add a file from its text.
   * @param file File id.
   * @param folder Folder.
   * @param text Text.
   * @returns Nothing.
   */
  addText(file: string, folder: string, text: string): void {
    this.add(file, folder, lineHashesOf(text));
  }

  /**
   * Forget a file.
   * @param file File id.
   * @returns Nothing.
   */
  remove(file: string): void {
    const member = this.members.get(file);
    if (!member) return;
    this.members.delete(file);
    const entry = this.folders.get(member.folder)!;
    entry.size--;
    for (const h of member.hashes) {
      const n = (entry.counts.get(h) ?? 0) - 1;
      if (n > 0) entry.counts.set(h, n);
      else entry.counts.delete(h);
    }
    if (entry.size === 0) this.folders.delete(member.folder);
  }

  /**
   * How many files of a folder hold a line.
   * @param folder Folder.
   * @param hash The line's `hash52(lineKey(line))`.
   * @returns Count (the file asking included, when it holds the line).
   */
  filesWith(folder: string, hash: number): number {
    return this.entry(folder)?.counts.get(hash) ?? 0;
  }

  /**
   * How many files a folder holds.
   * @param folder Folder.
   * @returns Count.
   */
  sizeOf(folder: string): number {
    return this.entry(folder)?.size ?? 0;
  }

  /**
   * The counts as seen from one file: for each of its lines, how many *other* files of its folder hold it.
   *
   * @param file File id (need not be a member: an unsaved document sees every member as "other").
   * @param folder Its folder.
   * @param text Its current text.
   * @returns Options for the boilerplate analyser, or undefined when the folder is too small to tell.
   */
  viewFor(file: string, folder: string, text: string): CorpusLineView | undefined {
    const member = this.members.get(file);
    return this.viewWith(folder, text, member && member.folder === folder ? member.hashes : undefined);
  }

  /**
   * The counts as seen from a text of a folder, whose own lines (as counted) are given.
   *
   * @param folder The folder.
   * @param text The text.
   * @param self The distinct line hashes the folder's counts hold for this text, ascending (`hashesOf`), or
   *   undefined when they hold nothing of it.
   * @returns Options for the boilerplate analyser, or undefined when the folder is too small to tell.
   */
  viewWith(folder: string, text: string, self: Float64Array | undefined): CorpusLineView | undefined {
    const entry = this.entry(folder);
    const others = (entry?.size ?? 0) - (self ? 1 : 0);
    if (!entry || others + 1 < MIN_FOLDER_FILES) return undefined;
    const view = new Map<string, number>();
    for (const key of new Set(splitKeys(text))) {
      if (!key) continue;
      const h = hash52(key);
      const n = (entry.counts.get(h) ?? 0) - (self && has(self, h) ? 1 : 0);
      if (n > 0) view.set(key, n);
    }
    return {corpusLineCounts: view, corpusSize: others};
  }

  /**
   * The distinct line hashes counted for a member, ascending.
   * @param file File id.
   * @param folder Its folder.
   * @returns Hashes, or undefined when the file is not a member of that folder.
   */
  hashesOf(file: string, folder: string): Float64Array | undefined {
    const member = this.members.get(file);
    return member && member.folder === folder ? member.hashes : undefined;
  }

  /**
   * The folders' counts as plain typed arrays, to hand to another thread (`fromSnapshot`); members are left out.
   * @returns Snapshot.
   */
  snapshot(): FolderCountsSnapshot {
    return [...this.folders].map(([folder, entry]) => ({folder, size: entry.size, hashes: Float64Array.from(entry.counts.keys()), counts: Uint32Array.from(entry.counts.values())}));
  }

  /**
   * Counts made from a snapshot: `viewWith` answers as the original would (each folder's table is made on first use).
   * @param snapshot Snapshot.
   * @returns Counts without members.
   */
  static fromSnapshot(snapshot: FolderCountsSnapshot): FolderLineCounts {
    const counts = new FolderLineCounts();
    for (const part of snapshot) counts.frozen.set(part.folder, part);
    return counts;
  }

  /**
   * A folder's entry, made from the snapshot part when there is one.
   * @param folder Folder.
   * @returns Entry.
   */
  private entry(folder: string): {size: number; counts: Map<number, number>} | undefined {
    const entry = this.folders.get(folder);
    if (entry) return entry;
    const part = this.frozen.get(folder);
    if (!part) return undefined;
    this.frozen.delete(folder);
    const made = {size: part.size, counts: new Map<number, number>()};
    for (let i = 0; i < part.hashes.length; i++) made.counts.set(part.hashes[i]!, part.counts[i]!);
    this.folders.set(folder, made);
    return made;
  }
}

/** Folder line counts as typed arrays (`FolderLineCounts.snapshot`). */
export type FolderCountsSnapshot = Array<{folder: string; size: number; hashes: Float64Array; counts: Uint32Array}>;

/**
 * Line keys of a text.
 * @param text Text.
 * @returns One key per line (empty for blank lines).
 */
function splitKeys(text: string): string[] {
  return text.split(/\r\n|\n|\r/).map(lineKey);
}

/**
 * Distinct line hashes of a text (what a summary stores).
 * @param text Text.
 * @returns Hashes.
 */
export function lineHashesOf(text: string): number[] {
  const out = new Set<number>();
  for (const key of splitKeys(text)) if (key) out.add(hash52(key));
  return [...out];
}

/**
 * Binary search in a sorted array.
 * @param sorted Ascending values.
 * @param value Value.
 * @returns Whether it is present.
 */
function has(sorted: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

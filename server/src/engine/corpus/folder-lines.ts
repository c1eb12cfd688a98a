/**
 * Lines shared by the files of one folder: a line that appears in many sibling files is a site template
 * (navigation, newsletter prompt, footer) and evidence of boilerplate. The CLI (given a folder) and the language
 * server's workspace index both feed it, per file and incrementally, from the summaries' line hashes.
 */
import {hash52, lineKey} from './text.js';

/** The boilerplate analyser's corpus options, as seen from one file. */
export interface CorpusLineView {
  corpusLineCounts: ReadonlyMap<string, number>;
  corpusSize: number;
}

/** A folder needs at least this many files before its repeated lines count as evidence. */
export const MIN_FOLDER_FILES = 3;

/**
 * Repeated-line counts per folder.
 */
export class FolderLineCounts {
  private readonly folders = new Map<string, {size: number; counts: Map<number, number>}>();
  private readonly members = new Map<string, {folder: string; hashes: Float64Array}>();

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
    let entry = this.folders.get(folder);
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
    return this.folders.get(folder)?.counts.get(hash) ?? 0;
  }

  /**
   * How many files a folder holds.
   * @param folder Folder.
   * @returns Count.
   */
  sizeOf(folder: string): number {
    return this.folders.get(folder)?.size ?? 0;
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
    const entry = this.folders.get(folder);
    const member = this.members.get(file);
    const self = member && member.folder === folder ? member.hashes : undefined;
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
}

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

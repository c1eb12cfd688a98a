/**
 * File handling for the CLI: finding sources, reading them safely, writing atomically.
 *
 * Bad input gets a clear message and is skipped, never rewritten: empty files, binary files (NUL bytes),
 * invalid UTF-8, unreadable or vanished files, symbolic links and files over the size limit.
 */
import {promises as fs, constants as fsConstants} from 'node:fs';
import * as path from 'node:path';

/** A source that was read successfully. */
export interface SourceText {
  path: string;
  text: string;
  /** The exact bytes read, to detect changes before an in-place write. */
  bytes: Buffer;
  mode: number;
}

/** Why a file was skipped. */
export class SkipError extends Error {}

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/**
 * Collect the files named on the command line: files as given, directories walked for the given extensions
 * (hidden folders and node_modules skipped), in a stable sorted order.
 *
 * @param inputs Paths.
 * @param extensions File extensions to take from directories, e.g. `['.txt']`.
 * @returns Paths, and messages about inputs that do not exist.
 */
export async function collectFiles(inputs: readonly string[], extensions: readonly string[]): Promise<{files: string[]; missing: string[]}> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    let stat;
    try {
      stat = await fs.lstat(input);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isDirectory()) await walk(input, extensions, files);
    else files.push(input);
  }
  return {files, missing};
}

/**
 * Walk a directory.
 *
 * @param dir Directory.
 * @param extensions Extensions.
 * @param out Collected paths.
 * @returns Nothing.
 */
async function walk(dir: string, extensions: readonly string[], out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, {withFileTypes: true});
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, extensions, out);
    else if (entry.isFile() && extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(full);
  }
}

/**
 * Read a source file as UTF-16 text, refusing what Sift must not touch.
 *
 * @param file Path.
 * @param maxBytes Size limit.
 * @returns The text and the bytes it came from.
 * @throws SkipError with a message a person can act on.
 */
export async function readSource(file: string, maxBytes: number): Promise<SourceText> {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (error) {
    throw new SkipError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (stat.isSymbolicLink()) throw new SkipError('is a symbolic link (skipped: Sift reads and writes only regular files)');
  if (!stat.isFile()) throw new SkipError('is not a regular file');
  if (stat.size > maxBytes) throw new SkipError(`is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit (--max-size)`);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new SkipError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (bytes.length === 0) throw new SkipError('is empty');
  if (bytes.includes(0)) throw new SkipError('looks binary (it contains NUL bytes)');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new SkipError('is not valid UTF-8');
  }
  return {path: file, text, bytes, mode: stat.mode & 0o7777};
}

/**
 * Write a file atomically: a temporary file in the same directory, then a rename over the target, keeping the
 * file mode. A crash at any moment leaves either the old file or the new one.
 *
 * @param file Target path.
 * @param text New content.
 * @param mode File mode to keep.
 * @returns Nothing.
 */
export async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.sift-${process.pid}-${Date.now().toString(36)}.tmp`);
  const handle = await fs.open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.chmod(temp, mode);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, {force: true});
    throw error;
  }
}

/**
 * Human-readable byte count.
 *
 * @param bytes Count.
 * @returns E.g. "5.0 MB".
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

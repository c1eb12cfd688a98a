/**
 * File handling for the CLI and the language server's workspace strip: finding sources, reading them safely,
 * writing atomically.
 *
 * Bad input gets a clear message and is skipped, never rewritten: empty files, binary files (NUL bytes),
 * invalid UTF-8, unreadable or vanished files, symbolic links, other non-regular files and files over the size
 * limit. A rewrite goes to a temporary file in the same folder, is flushed to disk, checked against the bytes that
 * were analysed, and renamed over the original: a crash or kill at any moment leaves the old file or the new one.
 *
 * Fault injection: the environment variable `SIFT_FAULT` (only for tests; see RELIABILITY.md) makes these functions
 * fail at chosen points, to prove what happens when the disk, the OS or another program does.
 */
import * as fsSync from 'node:fs';
import {promises as fs, constants as fsConstants, type Stats} from 'node:fs';
import * as path from 'node:path';

/** A source that was read successfully. */
export interface SourceText {
  path: string;
  text: string;
  /** The exact bytes read, to detect changes before an in-place write. */
  bytes: Buffer;
  mode: number;
  /** Identity of the file read (device and inode), to detect a file replaced meanwhile. */
  dev?: number;
  ino?: number;
  /** Owner, kept by an in-place rewrite where the OS allows it. */
  uid?: number;
  gid?: number;
}

/** Why a file was skipped. */
export class SkipError extends Error {}

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/**
 * Collect the files named on the command line: files as given, directories walked for the given extensions
 * (hidden folders and node_modules skipped), in a stable sorted order. Symbolic links and other non-regular
 * entries with a matching name are listed too, so that reading them reports why they are skipped.
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
 * Walk a directory (symbolic links to folders are not followed).
 *
 * @param dir Directory.
 * @param extensions Extensions.
 * @param out Collected paths.
 * @returns Nothing.
 */
async function walk(dir: string, extensions: readonly string[], out: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, {withFileTypes: true});
  } catch {
    // Unreadable folder: listed, so that reading it reports the reason.
    out.push(dir);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, extensions, out);
    else if (extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(full);
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
    throw new SkipError(readProblem(error));
  }
  checkStat(stat, maxBytes);
  let bytes: Buffer;
  try {
    await fault('read', file);
    // O_NOFOLLOW: a file swapped for a symbolic link after the check above is refused, not followed.
    const handle = await fs.open(file, READ_FLAGS);
    try {
      checkSame(await handle.stat(), stat);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof SkipError) throw error;
    throw new SkipError(readProblem(error));
  }
  return sourceOf(file, bytes, stat, maxBytes);
}

/**
 * `readSource` with synchronous calls, for threads that have nothing else to do meanwhile (the CLI, its engine
 * workers): each asynchronous call is a round trip through libuv's thread pool, and the six of them took ~1 ms per
 * file, which on 10,000 small files was 10 s of a single thread waiting. Same checks, same messages.
 *
 * @param file Path.
 * @param maxBytes Size limit.
 * @returns The text and the bytes it came from.
 * @throws SkipError with a message a person can act on.
 */
export function readSourceSync(file: string, maxBytes: number): SourceText {
  let stat;
  try {
    stat = fsSync.lstatSync(file);
  } catch (error) {
    throw new SkipError(readProblem(error));
  }
  checkStat(stat, maxBytes);
  let bytes: Buffer;
  try {
    faultNow('read', file);
    const fd = fsSync.openSync(file, READ_FLAGS);
    try {
      const opened = fsSync.fstatSync(fd);
      checkSame(opened, stat);
      bytes = readAllSync(fd, opened.size);
    } finally {
      fsSync.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof SkipError) throw error;
    throw new SkipError(readProblem(error));
  }
  return sourceOf(file, bytes, stat, maxBytes);
}

const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/**
 * Read an open file to its end (it may have grown since its size was taken).
 *
 * @param fd File descriptor.
 * @param size Its size when opened.
 * @returns The bytes.
 */
function readAllSync(fd: number, size: number): Buffer {
  let buffer = Buffer.allocUnsafe(Math.max(size, 0) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const n = fsSync.readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

/**
 * Refuse what the path's `lstat` already shows Sift must not read.
 *
 * @param stat The path's lstat.
 * @param maxBytes Size limit.
 * @throws SkipError.
 */
function checkStat(stat: Stats, maxBytes: number): void {
  if (stat.isSymbolicLink()) throw new SkipError('is a symbolic link (skipped: Sift reads and writes only regular files)');
  if (stat.isDirectory()) throw new SkipError('is a folder that cannot be read');
  if (!stat.isFile()) throw new SkipError('is not a regular file');
  if (stat.size > maxBytes) throw new SkipError(`is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} limit (--max-size)`);
}

/**
 * Refuse a file replaced between its `lstat` and its opening.
 *
 * @param opened The open file's stat.
 * @param stat The path's lstat.
 * @throws SkipError.
 */
function checkSame(opened: Stats, stat: Stats): void {
  if (!opened.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) throw new SkipError('was replaced while it was being read');
}

/**
 * The source from the bytes read, or why it is refused.
 *
 * @param file Path.
 * @param bytes Bytes read.
 * @param stat The path's lstat.
 * @param maxBytes Size limit.
 * @returns Source.
 * @throws SkipError.
 */
function sourceOf(file: string, bytes: Buffer, stat: Stats, maxBytes: number): SourceText {
  if (bytes.length > maxBytes) throw new SkipError(`is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit (--max-size)`);
  if (bytes.length === 0) throw new SkipError('is empty');
  if (bytes.includes(0)) throw new SkipError('looks binary (it contains NUL bytes)');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new SkipError('is not valid UTF-8');
  }
  return {path: file, text, bytes, mode: stat.mode & 0o7777, dev: stat.dev, ino: stat.ino, uid: stat.uid, gid: stat.gid};
}

/**
 * A readable message for a failed read.
 *
 * @param error What `fs` threw.
 * @returns Message.
 */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'vanished before it could be read';
    case 'EACCES':
    case 'EPERM':
      return `cannot read: permission denied (${code})`;
    case 'ELOOP':
      return 'is a symbolic link (skipped: Sift reads and writes only regular files)';
    case 'EISDIR':
      return 'is a folder that cannot be read';
    default:
      return `cannot read: ${code ?? (error instanceof Error ? error.message : String(error))}`;
  }
}

/**
 * Write a file atomically: a temporary file in the same directory, flushed to disk, then a rename over the target,
 * keeping the file mode. A crash at any moment leaves either the old file or the new one (and at worst a hidden
 * `.NAME.sift-PID-….tmp` file beside it).
 *
 * With `expected` (the source as it was read), the target is checked just before the rename: if it is no longer
 * the same regular file with the same bytes, nothing is replaced and a `SkipError` says so.
 *
 * @param file Target path.
 * @param text New content.
 * @param mode File mode to keep.
 * @param expected The source as analysed, for an in-place rewrite.
 * @returns Nothing.
 */
export async function writeAtomic(file: string, text: string, mode: number, expected?: SourceText): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.sift-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.tmp`);
  const data = Buffer.from(text, 'utf8');
  await fault('write:open', file);
  const handle = await fs.open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode);
  try {
    try {
      const half = data.length >> 1;
      await handle.write(data, 0, half, 0);
      await fault('write:half', file);
      await handle.write(data, half, data.length - half, half);
      await fault('write:sync', file);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (expected?.uid !== undefined && expected.gid !== undefined) await fs.chown(temp, expected.uid, expected.gid).catch(() => undefined);
    await fs.chmod(temp, mode);
    await fault('write:rename', file);
    if (expected) await checkUnchanged(file, expected);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, {force: true});
    throw error;
  }
  await fault('write:renamed', file);
  await syncDir(dir);
}

/**
 * Make a folder and its missing parents. Not `mkdir(…, {recursive: true})`: in Node 20 that never returns when a
 * parent cannot be made (e.g. under /proc), which left `sift clean --out /proc/x` spinning.
 *
 * @param dir Folder.
 * @returns Nothing.
 * @throws The first error met (a parent that is a file, no permission, …).
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (!(await fs.stat(current)).isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), {code: 'ENOTDIR'});
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    missing.push(current);
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Is the file still the one analysed (same regular file, same bytes)?
 *
 * @param file Path.
 * @param expected The source as read.
 * @returns Nothing.
 * @throws SkipError when it changed.
 */
async function checkUnchanged(file: string, expected: SourceText): Promise<void> {
  const changed = new SkipError('changed on disk since it was analysed; not rewritten');
  let stat;
  let now: Buffer;
  try {
    stat = await fs.lstat(file);
    now = await fs.readFile(file);
  } catch {
    throw changed;
  }
  if (!stat.isFile()) throw changed;
  if (expected.ino !== undefined && (stat.ino !== expected.ino || stat.dev !== expected.dev)) throw changed;
  if (!now.equals(expected.bytes)) throw changed;
}

/**
 * Flush a directory entry to disk after a rename (best effort: not every platform can open a folder).
 *
 * @param dir Directory.
 * @returns Nothing.
 */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, fsConstants.O_RDONLY);
    await handle.sync();
  } catch {
    // Not supported here (e.g. Windows); the rename itself is still atomic.
  } finally {
    await handle?.close();
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

// ---- Fault injection (tests only) --------------------------------------------------------------------------------

/** One injected fault: at `point`, for files whose name contains `match`, from the `nth` such event on. */
interface FaultSpec {
  point: string;
  action: string;
  match: string;
  nth: number;
}

let faultSpecs: FaultSpec[] | undefined;
const faultCounts = new Map<string, number>();

/**
 * The faults asked for by `SIFT_FAULT`: `point=action[@match][#nth]`, separated by `;`. Points: `read`,
 * `write:open`, `write:half`, `write:sync`, `write:rename`, `write:renamed`, `analyse`, `convert`. Actions: `kill`
 * (SIGKILL this process), `throw` (an internal error), `EIO`/`ENOSPC`/`EACCES` (an fs error with that code),
 * `vanish` (delete the file), `touch` (append a line to the file, as another program saving it would), `replace`
 * (rename a copy over it), `link` (move it away and put a symbolic link in its place).
 *
 * @returns Specs (empty when unset).
 */
export function faults(): FaultSpec[] {
  if (faultSpecs) return faultSpecs;
  faultSpecs = [];
  for (const part of (process.env['SIFT_FAULT'] ?? '').split(';')) {
    const m = /^\s*([\w:]+)=(\w+)(?:@([^#]*))?(?:#(\d+))?\s*$/.exec(part);
    if (m) faultSpecs.push({point: m[1]!, action: m[2]!, match: m[3] ?? '', nth: Number(m[4] ?? 1)});
  }
  return faultSpecs;
}

/**
 * Inject the fault configured for a point, if any.
 *
 * @param point Where we are.
 * @param subject The file (or document URI or text) concerned.
 * @returns Nothing, or throws / dies as configured.
 */
export async function fault(point: string, subject: string): Promise<void> {
  faultNow(point, subject);
}

/**
 * `fault` done synchronously, every action included (`readSourceSync`).
 *
 * @param point Where we are.
 * @param subject The file (or document URI or text) concerned.
 * @returns Nothing, or throws / dies as configured.
 */
export function faultNow(point: string, subject: string): void {
  const specs = faults();
  if (specs.length === 0) return;
  for (const spec of specs) {
    if (spec.point !== point || !subject.includes(spec.match)) continue;
    const key = `${spec.point}=${spec.action}@${spec.match}`;
    const n = (faultCounts.get(key) ?? 0) + 1;
    faultCounts.set(key, n);
    if (n < spec.nth) continue;
    switch (spec.action) {
      case 'kill':
        process.kill(process.pid, 'SIGKILL');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never resumes
        break;
      case 'throw':
        throw new Error(`injected fault at ${point}`);
      case 'vanish':
        fsSync.rmSync(subject, {force: true});
        break;
      case 'touch':
        fsSync.appendFileSync(subject, 'A line another program added.\n');
        break;
      case 'replace': {
        // Another program saves a copy and renames it over the file: same bytes, another file.
        const copy = `${subject}.other`;
        fsSync.copyFileSync(subject, copy);
        fsSync.renameSync(copy, subject);
        break;
      }
      case 'link': {
        // The file is moved away and a symbolic link to it takes its place.
        const moved = `${subject}.moved`;
        fsSync.renameSync(subject, moved);
        fsSync.symlinkSync(moved, subject);
        break;
      }
      default:
        throw Object.assign(new Error(`${spec.action}: injected fault at ${point}`), {code: spec.action});
    }
  }
}

/**
 * The synchronous form, for code that cannot wait (the analysis in the language server).
 *
 * @param point Where we are.
 * @param subject What is concerned.
 * @returns Nothing, or throws as configured.
 */
export function faultSync(point: string, subject: string): void {
  const specs = faults();
  if (specs.length === 0) return;
  for (const spec of specs) {
    if (spec.point === point && subject.includes(spec.match) && spec.action === 'throw') throw new Error(`injected fault at ${point}`);
  }
}

/**
 * Worker-thread parallelism for the CLI: `sift annotate DIR` and `sift clean DIR` spread their files over one
 * engine per core and print the results in the same order, with the same bytes, as one thread would.
 *
 * The worker runs the same script as the main thread (the esbuild bundle `dist/cli.js`, or this module when
 * loaded from `out/` by the tests); `workerData` tells it to serve tasks instead of running the command line.
 * A task is one file: its text and engine options in, its rendered output (or its annotations) out.
 */
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads';
import {fileURLToPath} from 'node:url';
import * as os from 'node:os';
import {annotate, type AnnotateOptions, type Annotations} from '../engine/index.js';
import {FolderLineCounts, lineHashesOf, withLineView, type FolderCountsSnapshot} from '../engine/corpus/folder-lines.js';
import {readSourceSync, SkipError} from './files.js';
import {toJsonRecord, toTextLines} from './format.js';

/** What a task returns: the CLI's text lines, its JSON record, or the annotations themselves. */
export type TaskOutput = 'text' | 'json' | 'annotations';

/** A task: one file annotated, or one file scanned for its folder's line counts. */
export type Task = AnnotateTask | ScanTask;

/** Annotate one file. */
export interface AnnotateTask {
  kind?: 'annotate';
  path: string;
  /** The text; when absent the thread that runs the task reads the file itself (`readSourceSync`, `maxSize`). */
  text?: string;
  /** Size limit for a file the task reads. */
  maxSize?: number;
  options: AnnotateOptions;
  output: TaskOutput;
  /**
   * The folder whose line counts the boilerplate analyser sees (the counts given to `Pool.setFolders`), and the
   * distinct line hashes they hold for this file (`FolderLineCounts.hashesOf`).
   */
  folder?: {name: string; self?: Float64Array};
}

/** Read one file and hash its lines, for its folder's line counts (`FolderLineCounts.add`). */
export interface ScanTask {
  kind: 'scan';
  path: string;
  maxSize: number;
}

/** The result of a task. */
export interface TaskResult {
  /**
   * Rendered output (`text`: lines, each ending in a newline; `json`: one line): a string inline, UTF-8 bytes from a
   * worker (moved, not copied, between threads: copying the string cost a worker 8 % of its time).
   */
  out?: string | Uint8Array;
  annotations?: Annotations;
  /** A scan's distinct line hashes. */
  hashes?: number[];
  /** Why a file the task read was skipped (the `SkipError`'s message). */
  skipped?: string;
}

const FLAG = 'siftAnnotateWorker';

/**
 * Is this thread one of the pool's workers? The CLI's `main` returns at once there.
 *
 * @returns Whether.
 */
export function isPoolWorker(): boolean {
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[FLAG]);
}

/**
 * Run one task (in a worker, or inline).
 *
 * @param task Task.
 * @param folders The folders' line counts (`Pool.setFolders`), for tasks that name a folder.
 * @returns Result.
 */
export function runTask(task: Task, folders?: FolderLineCounts): TaskResult {
  let text = task.kind === 'scan' ? undefined : task.text;
  if (text === undefined) {
    try {
      text = readSourceSync(task.path, task.maxSize ?? Infinity).text;
    } catch (error) {
      if (error instanceof SkipError) return {skipped: error.message};
      throw error;
    }
  }
  if (task.kind === 'scan') return {hashes: lineHashesOf(text)};
  const options = withLineView(task.options, task.folder && folders?.viewWith(task.folder.name, text, task.folder.self));
  const annotations = annotate(text, options);
  if (task.output === 'annotations') return {annotations};
  if (task.output === 'json') return {out: `${JSON.stringify({file: task.path, ...toJsonRecord(annotations)})}\n`};
  return {out: toTextLines(task.path, text, annotations).map((l) => `${l}\n`).join('')};
}

// A worker serves tasks until the pool closes it; a message with `folders` sets the line counts later tasks see.
const encoder = new TextEncoder();
let workerFolders: FolderLineCounts | undefined;
if (isPoolWorker()) {
  parentPort!.on('message', (message: {id: number; task: Task} | {folders: FolderCountsSnapshot}) => {
    if ('folders' in message) {
      workerFolders = FolderLineCounts.fromSnapshot(message.folders);
      return;
    }
    try {
      const result = runTask(message.task, workerFolders);
      if (typeof result.out === 'string') {
        const bytes = encoder.encode(result.out);
        parentPort!.postMessage({id: message.id, result: {...result, out: bytes}}, [bytes.buffer]);
      } else parentPort!.postMessage({id: message.id, result});
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      parentPort!.postMessage({id: message.id, error: {message: e.message, stack: e.stack}});
    }
  });
}

/**
 * How many workers to use by default: one per core, but none (work inline) for small jobs, where starting a
 * worker (loading the engine again, about 0.1 s) costs more than it saves.
 *
 * @param files Number of files.
 * @param bytes Their total size in bytes.
 * @returns Worker count; 1 means inline.
 */
export function defaultJobs(files: number, bytes: number): number {
  if (files < 8 || bytes < 256 * 1024) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, files));
}

/** A pool of engine workers (or the main thread alone when `size` is 1). */
export class Pool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{id: number; task: Task}> = [];
  private readonly pending = new Map<number, {resolve: (r: TaskResult) => void; reject: (e: Error) => void}>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;
  private referenced = true;
  private folders: FolderLineCounts | undefined;

  /**
   * @param size Number of worker threads; 1 runs every task inline on the calling thread.
   * @param script The script a worker runs (default: the module or bundle this code is in).
   */
  constructor(
    readonly size: number,
    script: string = fileURLToPath(import.meta.url),
  ) {
    if (size <= 1) return;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, {workerData: {[FLAG]: true}, argv: [], stdout: false, stderr: false});
      worker.on('message', (message: {id: number; result?: TaskResult; error?: {message: string; stack?: string}}) => {
        const entry = this.pending.get(message.id)!;
        this.pending.delete(message.id);
        this.idle.push(worker);
        this.pump();
        if (message.error) {
          const error = new Error(message.error.message);
          error.stack = message.error.stack;
          entry.reject(error);
        } else entry.resolve(message.result!);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`an engine worker stopped with exit code ${code}`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
    this.pump();
  }

  /**
   * Annotate one file.
   *
   * @param task Task.
   * @returns Its result.
   */
  run(task: Task): Promise<TaskResult> {
    if (this.size <= 1) {
      try {
        return Promise.resolve(runTask(task, this.folders));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.queue.push({id, task});
      this.pump();
    });
  }

  /**
   * The folders' line counts that later tasks naming a folder see: the counts themselves inline, a copy in each worker.
   *
   * @param folders Counts (not changed afterwards).
   * @returns Nothing.
   */
  setFolders(folders: FolderLineCounts): void {
    this.folders = folders;
    if (this.workers.length === 0) return;
    const snapshot = folders.snapshot();
    for (const worker of this.workers) worker.postMessage({folders: snapshot});
  }

  /** Hand queued tasks to idle workers. */
  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) this.idle.pop()!.postMessage(this.queue.shift()!);
    // Idle workers never keep the process alive (a command that fails before closing the pool still exits).
    const busy = this.pending.size > 0;
    if (busy !== this.referenced) {
      this.referenced = busy;
      for (const worker of this.workers) {
        if (busy) worker.ref();
        else worker.unref();
      }
    }
  }

  /**
   * A worker died: fail every pending task.
   * @param error Why.
   */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.queue.length = 0;
    this.pump();
  }

  /**
   * Stop the workers.
   * @returns Nothing.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Run `work` over items with at most `limit` in flight, and hand each result to `emit` in input order (as soon as
 * it and every earlier one are done). Memory stays bounded: results wait only for slower earlier items.
 *
 * @param items Items.
 * @param limit Maximum in flight (at least 1).
 * @param work Starts the work for one item.
 * @param emit Consumes one result, in order; awaited before the next is emitted.
 * @returns Nothing.
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, emit: (result: R, item: T, index: number) => Promise<void> | void): Promise<void> {
  const inFlight: Array<Promise<R>> = [];
  let next = 0;
  for (let done = 0; done < items.length; done++) {
    while (next < items.length && inFlight.length < Math.max(1, limit)) {
      const promise = work(items[next]!, next);
      // A later item may fail while an earlier one is awaited: it is reported when its turn comes.
      promise.catch(() => undefined);
      inFlight.push(promise);
      next++;
    }
    const result = await inFlight.shift()!;
    await emit(result, items[done]!, done);
  }
}

/**
 * Analyses of large documents in worker threads, so the language server's own thread keeps answering (hovers,
 * other files) while the engine works for seconds on a 1 MB document.
 *
 * A worker runs the same script as the server (the esbuild bundle `dist/server.js`, whose `main.ts` starts no
 * connection off the main thread, or this module when loaded from `out/`); `workerData` tells it to serve
 * analyses. One or two workers, started when the first large document needs one, stopped after a while idle.
 * A task is one text with its engine options; the results come back as plain data on a port of the task's own, in
 * parts (annotations in chunks, the messages packed), which the server's thread reads one at a time between other
 * work (a port's listener would read them all at once: ~0.4 s for 1 MB), then, for files on disk, the workspace
 * index's summary of the text.
 *
 * A task can be cancelled (a newer version of the document supersedes it): a queued one is dropped; a running one
 * is left to finish unused when it is almost done, and its worker is terminated (and replaced) otherwise. A worker
 * that crashes or exits fails its task only; the next task gets a new worker.
 */
import {MessageChannel, Worker, isMainThread, parentPort, receiveMessageOnPort, workerData, type MessagePort} from 'node:worker_threads';
import {fileURLToPath} from 'node:url';
import * as os from 'node:os';
import {analyse, splitLines, type Annotations, type EngineOptions} from '../engine/index.js';
import {summarize, type FileSummary} from '../engine/corpus/index.js';
import {faults, faultSync} from '../cli/files.js';
import {packDiagnostics, type AnalysisMessage, type PackedDiagnostics} from './convert.js';
import {DEFAULT_SETTINGS, type SiftSettings} from './settings.js';

/** One text to analyse. */
export interface EngineJob {
  text: string;
  options: EngineOptions;
  /** The document's URI: the vfile's path, and what the fault points match. */
  uri: string;
  /** Its version (fault point `worker` matches `URI vVERSION`). */
  version: number;
  /** Also summarise the text for the workspace index (files on disk). */
  summary: boolean;
  /**
   * Only the summary is wanted (the workspace index summarising a file from disk): the worker sends no annotations
   * or messages back (the result has none), and the task waits behind every task for an open document.
   */
  summaryOnly?: boolean;
  /** The text's content hash, when the caller has it (the summary's). */
  hash?: string;
  /**
   * Make the document's diagnostics with these settings in the worker (`packDiagnostics`), and send them before
   * the annotations (`EngineTask.diagnostics`); the engine's messages are then not sent (the result has none).
   */
  diagnostics?: SiftSettings;
}

/** What the engine found. */
export interface EngineResult {
  messages: AnalysisMessage[];
  annotations: Annotations;
  /** Milliseconds the worker spent on the analysis. */
  ms: number;
}

/** The task was cancelled: nobody wants its result. */
export class CancelledError extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'CancelledError';
  }
}

/** A task of the pool. */
export interface EngineTask {
  /** `queued` until a worker takes it, then `running`, then `done` (finished, failed or cancelled). */
  readonly state: 'queued' | 'running' | 'done';
  /** The results; rejects with `CancelledError` when cancelled, or with the worker's error. */
  readonly result: Promise<EngineResult>;
  /** The summary for the workspace index, once made (null when not asked for, or when the task failed). */
  readonly summary: Promise<FileSummary | null>;
  /**
   * The diagnostics made in the worker (when the job asked for them), as soon as they are there: before the
   * annotations are read. Null when not asked for, or when the task failed or was cancelled first.
   */
  readonly diagnostics: Promise<PackedDiagnostics | null>;
  /** Nobody wants the result any more. */
  cancel(): void;
}

const FLAG = 'siftAnalysisWorker';
/** Annotations per part of a result: each part is read on the server's thread in one go (a few ms). */
const CHUNK = 2000;
/** The server's thread reads results for at most this long before it lets other work in. */
const SLICE_MS = 8;
/** A running task expected to need more than this is terminated when cancelled; a shorter one is left to finish. */
const TERMINATE_ABOVE_MS = 300;
/**
 * A worker idle this long is stopped (it holds an engine: ~70 MB). A new one starts cold: its first analyses run
 * before V8 has optimised the engine, the first 200 KB document ~1.2 s instead of ~0.5 s.
 */
const IDLE_MS = 300_000;

/**
 * The engine's messages packed for the trip between threads: numbers in one typed array (moved, not copied),
 * strings in arrays. Cloning ~30,000 message objects (four objects each) cost the server's thread ~70 ms for a
 * 1 MB document; unpacking this costs a few.
 */
interface PackedMessages {
  /** Per message: start line, column, offset, end line, column, offset (NaN: none). */
  numbers: Float64Array;
  /** Per message: 0 no place, 1 a point, 2 a position. */
  places: Uint8Array;
  reasons: string[];
  /** Per message, an index into `names` (rule id, source); 0 is undefined. */
  rules: Uint16Array;
  sources: Uint16Array;
  names: Array<string | undefined>;
}

/** The parts of a result, on the task's port. */
type ResultPart =
  | {kind: 'diagnostics'; packed: PackedDiagnostics}
  | {kind: 'chunk'; field: keyof Annotations; items: unknown[]}
  | {kind: 'messages'; packed: PackedMessages}
  | {kind: 'summary'; summary: FileSummary | null}
  | {kind: 'summary-chunk'; field: 'entities' | 'quotes'; items: unknown[]};

/** What a worker tells the pool (on its own port). */
type FromWorker =
  | {id: number; kind: 'diagnostics'}
  | {id: number; kind: 'done'; ms: number; parts: number}
  | {id: number; kind: 'summary'; parts: number}
  | {id: number; kind: 'error'; message: string; stack?: string};

/**
 * Is this thread an analysis worker?
 * @returns Whether.
 */
export function isAnalysisWorker(): boolean {
  return !isMainThread && Boolean((workerData as Record<string, unknown> | null)?.[FLAG]);
}

/**
 * The test-only fault point `worker` (`SIFT_FAULT=worker=exit@big.txt v1`): the worker thread exits (`exit`) or
 * throws outside any handler (`throw`) when it takes a matching task, as a crash would.
 * @param subject `URI vVERSION`.
 * @returns Whether the thread is about to die (then it answers nothing).
 */
function workerFault(subject: string): boolean {
  for (const spec of faults()) {
    if (spec.point !== 'worker' || !subject.includes(spec.match)) continue;
    if (spec.action === 'exit') process.exit(70);
    if (spec.action === 'throw') {
      setImmediate(() => {
        throw new Error('injected fault: the analysis worker crashed');
      });
      return true;
    }
  }
  return false;
}

/**
 * Analyse one text (in a worker, or on the calling thread when no worker can be started).
 * @param job Job.
 * @returns The engine's messages and annotations, and the time taken.
 */
function runJob(job: EngineJob): {messages: AnalysisMessage[]; annotations: Annotations; ms: number} {
  const t0 = performance.now();
  faultSync('analyse', job.uri);
  const file = analyse(job.text, job.options, job.uri);
  return {messages: file.messages, annotations: file.data.sift!.annotations, ms: performance.now() - t0};
}

/**
 * Pack messages for another thread.
 * @param messages Messages.
 * @returns Packed messages.
 */
function packMessages(messages: readonly AnalysisMessage[]): PackedMessages {
  const n = messages.length;
  const numbers = new Float64Array(n * 6).fill(Number.NaN);
  const places = new Uint8Array(n);
  const rules = new Uint16Array(n);
  const sources = new Uint16Array(n);
  const reasons: string[] = new Array<string>(n);
  const names: Array<string | undefined> = [undefined];
  const indexOfName = new Map<string, number>();
  const nameIndex = (name: string | null | undefined): number => {
    if (name === undefined || name === null) return 0;
    let i = indexOfName.get(name);
    if (i === undefined) {
      indexOfName.set(name, (i = names.length));
      names.push(name);
    }
    return i;
  };
  const put = (at: number, point: {line: number; column: number; offset?: number | undefined}): void => {
    numbers[at] = point.line;
    numbers[at + 1] = point.column;
    numbers[at + 2] = point.offset ?? Number.NaN;
  };
  messages.forEach((m, i) => {
    const place = m.place;
    if (place && 'start' in place) {
      places[i] = 2;
      put(i * 6, place.start);
      put(i * 6 + 3, place.end);
    } else if (place) {
      places[i] = 1;
      put(i * 6, place);
    }
    reasons[i] = m.reason;
    rules[i] = nameIndex(m.ruleId);
    sources[i] = nameIndex(m.source);
  });
  return {numbers, places, reasons, rules, sources, names};
}

/**
 * Unpack messages from another thread into plain objects.
 * @param packed Packed messages.
 * @param from First message.
 * @param to Past the last one.
 * @param out Where they go.
 * @returns Nothing.
 */
function unpackMessages(packed: PackedMessages, from = 0, to = packed.reasons.length, out: AnalysisMessage[] = []): AnalysisMessage[] {
  const {numbers, places, reasons, rules, sources, names} = packed;
  const point = (at: number): {line: number; column: number; offset?: number} => {
    const offset = numbers[at + 2]!;
    return Number.isNaN(offset) ? {line: numbers[at]!, column: numbers[at + 1]!} : {line: numbers[at]!, column: numbers[at + 1]!, offset};
  };
  for (let i = from; i < Math.min(to, reasons.length); i++) {
    const place = places[i] === 2 ? {start: point(i * 6), end: point(i * 6 + 3)} : places[i] === 1 ? point(i * 6) : undefined;
    out.push({place, ruleId: names[rules[i]!], reason: reasons[i]!, source: names[sources[i]!]});
  }
  return out;
}

/**
 * The workspace index's summary of a text, or null when it cannot be made.
 * @param job Job.
 * @param annotations Its annotations.
 * @returns Summary.
 */
function summaryOf(job: EngineJob, annotations: Annotations): FileSummary | null {
  try {
    return summarize(job.text, annotations, job.hash);
  } catch {
    return null;
  }
}

/**
 * Serve analyses in this worker thread until the pool stops it.
 * @returns Nothing.
 */
function serve(): void {
  const port = parentPort!;
  port.on('message', ({id, job, results}: {id: number; job: EngineJob; results: MessagePort}) => {
    const post = (message: FromWorker): void => port.postMessage(message);
    let parts = 0;
    const part = (message: ResultPart, transfer: ArrayBuffer[] = []): void => {
      results.postMessage(message, transfer);
      parts++;
    };
    try {
      if (workerFault(`${job.uri} v${job.version}`)) return;
      const {messages, annotations, ms} = runJob(job);
      if (job.summaryOnly) post({id, kind: 'done', ms, parts: 0});
      else {
        if (job.diagnostics) {
          // First the diagnostics, which the server publishes at once; the annotations follow.
          const packed = packDiagnostics({uri: job.uri, version: job.version, text: job.text, lines: splitLines(job.text), messages, annotations, settings: job.diagnostics});
          results.postMessage({kind: 'diagnostics', packed} satisfies ResultPart, [packed.numbers.buffer as ArrayBuffer]);
          post({id, kind: 'diagnostics'});
        }
        const fields: Array<[keyof Annotations, unknown[]]> = [
          ['boilerplate', annotations.boilerplate],
          ['quotes', annotations.quotes],
          ['entities', annotations.entities],
        ];
        for (const [field, list] of fields) for (let i = 0; i < list.length; i += CHUNK) part({kind: 'chunk', field, items: list.slice(i, i + CHUNK)});
        if (!job.diagnostics) {
          const packed = packMessages(messages);
          part({kind: 'messages', packed}, [packed.numbers, packed.places, packed.rules, packed.sources].map((a) => a.buffer as ArrayBuffer));
        }
        post({id, kind: 'done', ms, parts});
      }
      if (job.summary || job.summaryOnly) {
        // In parts too: its ~20,000 mentions for 1 MB are ~0.1 s to read in one go.
        const summary = summaryOf(job, annotations);
        let summaryParts = 1;
        results.postMessage({kind: 'summary', summary: summary && {...summary, entities: [], quotes: []}} satisfies ResultPart);
        for (const field of ['entities', 'quotes'] as const) {
          const list: unknown[] = summary?.[field] ?? [];
          for (let i = 0; i < list.length; i += CHUNK, summaryParts++) results.postMessage({kind: 'summary-chunk', field, items: list.slice(i, i + CHUNK)} satisfies ResultPart);
        }
        post({id, kind: 'summary', parts: summaryParts});
      }
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      post({id, kind: 'error', message: e.message, stack: e.stack});
    }
  });
}

/**
 * A made-up news text (about 12 KB) that a new worker analyses once before its first real task: the engine loads its
 * models and V8 compiles the analysers, so the first large document is not analysed by cold code (a 200 KB
 * document took 1.2-1.8 s on a new worker against ~0.5 s on a warm one).
 * @returns Text.
 */
function warmUpText(): string {
  const story = [
    'Home | World | Politics | Business | Sign in',
    'Ministers Meet in Geneva as Talks on Grain Exports Resume',
    'By Jane Doe and Omar Haddad, Reuters',
    'Published 3 March 2025, 14:05 GMT',
    'GENEVA (Reuters) - Foreign ministers from Turkey, Ukraine and Russia met in Geneva on Tuesday to revive a deal on grain exports that collapsed last year, officials said.',
    '"We are ready to work with everyone who wants a solution," Turkish Foreign Minister Mevlut Cavusoglu told reporters after the meeting. "Nobody gains from hunger."',
    'The United Nations said the talks would continue on Wednesday. Its spokesman, Stephane Dujarric, said the organisation hoped for "a concrete result within weeks".',
    'Cavusoglu said Ankara had proposed a new inspection regime. He added that shipments worth $1.2 billion, about 40 percent of the total, were waiting in Odesa.',
    'Officials in Moscow did not respond to a request for comment. A spokeswoman for the European Commission said Brussels welcomed the meeting.',
    'Share this article | Follow us on Twitter | Subscribe to our newsletter',
    'Top Stories',
    'Markets rally as inflation cools in the euro zone',
    'Copyright 2025 Reuters. All rights reserved.',
  ].join('\n\n');
  return Array.from({length: 8}, (_, i) => story.replace('Tuesday', ['Monday', 'Tuesday', 'Wednesday', 'Thursday'][i % 4]!)).join('\n\n');
}

if (isAnalysisWorker()) {
  serve();
  // Warm up once the thread is set up (a task already posted waits for it: it is short, and the task would run on
  // cold code otherwise).
  setImmediate(() => {
    try {
      const text = warmUpText();
      const file = analyse(text, {});
      // The diagnostics too (made here since the server's thread stopped making a large document's): on cold code
      // the first 1 MB document's took seconds.
      packDiagnostics({uri: 'warm-up', version: 0, text, lines: splitLines(text), messages: file.messages, annotations: file.data.sift!.annotations, settings: {...DEFAULT_SETTINGS}});
    } catch {
      // A warm-up that fails costs nothing: the real task reports its own errors.
    }
  });
}

/** A task inside the pool. */
interface Task extends EngineTask {
  id: number;
  job: EngineJob;
  state: 'queued' | 'running' | 'done';
  worker?: Slot;
  startedAt: number;
  /** Cancelled while running, left to finish: the results are dropped. */
  dropped: boolean;
  /** The worker has analysed the text (its results are on the port). */
  analysed: boolean;
  /** Where the worker puts the results. */
  results?: MessagePort;
  /** Reading the results. */
  collecting?: Promise<void>;
  /** Reading the diagnostics (the first part on the port, when the job asked for them). */
  pullingDiagnostics?: Promise<void>;
  resolve(result: EngineResult): void;
  reject(error: Error): void;
  resolveSummary(summary: FileSummary | null): void;
  resolveDiagnostics(diagnostics: PackedDiagnostics | null): void;
}

/** A worker and what it is doing. */
interface Slot {
  worker: Worker;
  task?: Task;
  /** Terminated by the pool (not a crash). */
  stopping: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** Options of the pool. */
export interface PoolOptions {
  /** Most workers (default: 2, or 1 on a one-core machine). */
  size?: number;
  /** The script a worker runs (default: the module or bundle this code is in). */
  script?: string;
  /** Where problems are logged. */
  log?: (message: string) => void;
  /** Called when a worker starts a task (the server counts analyses). */
  onStart?: () => void;
}

/** The analysis workers of the language server. */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  /** Most workers. */
  readonly size: number;
  private readonly script: string;
  /** Milliseconds per UTF-16 code unit, learnt from finished tasks (to decide between terminating and waiting). */
  private msPerChar = 0.003;
  private disposed = false;
  /** Workers that crashed (for tests and the log). */
  crashes = 0;
  /** Workers started. */
  started = 0;

  /**
   * @param options Options.
   */
  constructor(private readonly options: PoolOptions = {}) {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.size = Math.max(1, options.size ?? Math.min(2, cores));
    this.script = options.script ?? fileURLToPath(import.meta.url);
  }

  /**
   * Analyse a text in a worker.
   * @param job The text, options and document.
   * @returns The task.
   */
  run(job: EngineJob): EngineTask {
    let resolve!: (result: EngineResult) => void;
    let reject!: (error: Error) => void;
    let resolveSummary!: (summary: FileSummary | null) => void;
    const result = new Promise<EngineResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A failed or cancelled task is reported through `result`; nobody has to listen.
    result.catch(() => undefined);
    const summary = new Promise<FileSummary | null>((res) => (resolveSummary = res));
    let resolveDiagnostics!: (diagnostics: PackedDiagnostics | null) => void;
    const diagnostics = new Promise<PackedDiagnostics | null>((res) => (resolveDiagnostics = res));
    const task: Task = {
      id: this.nextId++,
      job,
      state: 'queued',
      startedAt: 0,
      dropped: false,
      analysed: false,
      result,
      summary,
      diagnostics,
      resolve,
      reject,
      resolveSummary,
      resolveDiagnostics,
      cancel: () => this.cancel(task),
    };
    if (this.disposed) {
      this.finish(task, new Error('the language server is shutting down'));
      return task;
    }
    // A document the user has open goes before the workspace index's background summaries.
    const behind = job.summaryOnly ? -1 : this.queue.findIndex((t) => t.job.summaryOnly);
    if (behind < 0) this.queue.push(task);
    else this.queue.splice(behind, 0, task);
    this.pump();
    return task;
  }

  /**
   * Stop every worker.
   * @returns Nothing.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const task of this.queue.splice(0)) this.finish(task, new CancelledError());
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
  }

  /**
   * Cancel a task.
   * @param task Task.
   * @returns Nothing.
   */
  private cancel(task: Task): void {
    if (task.state === 'queued') {
      this.queue.splice(this.queue.indexOf(task), 1);
      this.finish(task, new CancelledError());
      return;
    }
    if (task.state !== 'running' || task.dropped) return;
    task.dropped = true;
    this.finish(task, new CancelledError());
    task.results?.close();
    if (task.analysed) return;
    const left = this.msPerChar * task.job.text.length - (performance.now() - task.startedAt);
    if (left > TERMINATE_ABOVE_MS && task.worker) {
      const slot = task.worker;
      this.slots.splice(this.slots.indexOf(slot), 1);
      void this.stop(slot);
      this.pump();
    }
  }

  /**
   * Settle a task (once).
   * @param task Task.
   * @param outcome Result or error.
   * @returns Nothing.
   */
  private finish(task: Task, outcome: EngineResult | Error): void {
    if (task.state === 'done') return;
    task.state = 'done';
    // Diagnostics not read by now will not be (a result without them, an error, a cancel).
    task.resolveDiagnostics(null);
    if (outcome instanceof Error) {
      task.reject(outcome);
      task.resolveSummary(null);
    } else task.resolve(outcome);
  }

  /**
   * Start a worker ahead of need, when none is running, so it is warm by the time a large document comes (the
   * server calls this when a document of a quarter of the worker threshold is opened). It stops after a while idle
   * like any other.
   * @returns Nothing.
   */
  prewarm(): void {
    if (this.slots.length > 0 || this.disposed) return;
    let slot: Slot;
    try {
      slot = this.spawn();
    } catch {
      return;
    }
    this.idle(slot);
  }

  /**
   * Stop the workers that are idle now (the workspace index is done with them); busy ones stay.
   * @returns Nothing.
   */
  trim(): void {
    for (const slot of this.slots.filter((s) => !s.task && !s.stopping)) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      void this.stop(slot);
    }
  }

  /**
   * Hand queued tasks to idle workers, starting workers as needed (up to the pool's size).
   * @returns Nothing.
   */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.task && !s.stopping);
      // A worker that is only making the summary of its last text is free in a moment, and warm: wait for it rather
      // than start a cold one.
      if (!slot && this.slots.length < this.size && !this.slots.some((s) => s.task?.analysed && !s.stopping)) {
        try {
          slot = this.spawn();
        } catch (error) {
          // No worker can be started here (a runtime without worker threads, a refused option): analyse on this
          // thread, as before there were workers.
          if (this.slots.length > 0) return;
          this.options.log?.(`Sift: cannot start an analysis worker (${(error as Error).message}); analysing on the main thread`);
          this.runInline(this.queue.shift()!);
          continue;
        }
      }
      if (!slot) return;
      const task = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.task = task;
      slot.worker.ref();
      task.worker = slot;
      task.state = 'running';
      task.startedAt = performance.now();
      this.options.onStart?.();
      try {
        const {port1, port2} = new MessageChannel();
        task.results = port1;
        slot.worker.postMessage({id: task.id, job: task.job, results: port2}, [port2]);
      } catch (error) {
        slot.task = undefined;
        this.finish(task, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /**
   * Run a task on this thread.
   * @param task Task.
   * @returns Nothing.
   */
  private runInline(task: Task): void {
    task.state = 'running';
    this.options.onStart?.();
    try {
      const result = runJob(task.job);
      if (task.job.diagnostics && !task.job.summaryOnly) {
        const {job} = task;
        task.resolveDiagnostics(packDiagnostics({uri: job.uri, version: job.version, text: job.text, lines: splitLines(job.text), messages: result.messages, annotations: result.annotations, settings: job.diagnostics!}));
        result.messages = [];
      }
      this.finish(task, task.job.summaryOnly ? {messages: [], annotations: {boilerplate: [], quotes: [], entities: []}, ms: result.ms} : {...result, messages: unpackMessages(packMessages(result.messages))});
      task.resolveSummary(task.job.summary || task.job.summaryOnly ? summaryOf(task.job, result.annotations) : null);
    } catch (error) {
      this.finish(task, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Start a worker.
   * @returns Its slot.
   */
  private spawn(): Slot {
    this.started++;
    // The worker's stdout must never reach the server's stdout (the LSP channel over stdio): both go to stderr.
    const worker = new Worker(this.script, {workerData: {[FLAG]: true}, argv: [], stdout: true, stderr: true});
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const slot: Slot = {worker, stopping: false};
    worker.on('message', (message: FromWorker) => this.receive(slot, message));
    worker.on('error', (error) => this.lost(slot, error));
    worker.on('exit', (code) => this.lost(slot, new Error(`the analysis worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  /**
   * A message from a worker.
   * @param slot The worker.
   * @param message Message.
   * @returns Nothing.
   */
  private receive(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (!task || task.id !== message.id) return;
    switch (message.kind) {
      case 'diagnostics':
        if (task.dropped) return;
        task.pullingDiagnostics = this.pull(task.results!).then(
          (part) => task.resolveDiagnostics(part.kind === 'diagnostics' ? part.packed : null),
          () => task.resolveDiagnostics(null),
        );
        return;
      case 'done': {
        task.analysed = true;
        const chars = Math.max(1, task.job.text.length);
        // Learn the speed from large texts only (small ones are dominated by fixed costs).
        if (chars > 16_384) this.msPerChar = 0.7 * this.msPerChar + 0.3 * (message.ms / chars);
        if (!task.dropped) task.collecting = (task.pullingDiagnostics ?? Promise.resolve()).then(() => this.collect(task, message.parts, message.ms));
        if (!task.job.summary && !task.job.summaryOnly) {
          void (task.collecting ?? Promise.resolve()).then(() => {
            task.resolveSummary(null);
            task.results?.close();
          });
          this.idle(slot);
        }
        return;
      }
      case 'summary':
        void (task.collecting ?? Promise.resolve()).then(async () => {
          task.resolveSummary(task.dropped || task.state !== 'done' ? null : await this.collectSummary(task, message.parts).catch(() => null));
          task.results?.close();
        });
        this.idle(slot);
        return;
      case 'error': {
        const error = new Error(message.message);
        error.stack = message.stack;
        this.finish(task, error);
        task.results?.close();
        this.idle(slot);
        return;
      }
    }
  }

  /**
   * Read the results of a task from its port, a part at a time, letting other work in every few milliseconds.
   * @param task Task.
   * @param parts How many parts the worker posted.
   * @param ms The worker's time.
   * @returns Nothing; the task is settled.
   */
  private async collect(task: Task, parts: number, ms: number): Promise<void> {
    let since = performance.now();
    const breathe = async (): Promise<void> => {
      if (performance.now() - since < SLICE_MS) return;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    };
    try {
      const annotations: Annotations = {boilerplate: [], quotes: [], entities: []};
      let packed: PackedMessages | undefined;
      for (let i = 0; i < parts; i++) {
        await breathe();
        if (task.dropped) return;
        const part = await this.pull(task.results!);
        if (part.kind === 'chunk') for (const item of part.items) (annotations[part.field] as unknown[]).push(item);
        else if (part.kind === 'messages') packed = part.packed;
      }
      const messages: AnalysisMessage[] = [];
      for (let i = 0; packed && i < packed.reasons.length; i += CHUNK) {
        await breathe();
        if (task.dropped) return;
        unpackMessages(packed, i, i + CHUNK, messages);
      }
      this.finish(task, {messages, annotations, ms});
    } catch (error) {
      this.finish(task, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Read the summary of a task from its port, a part at a time.
   * @param task Task.
   * @param parts How many parts the worker posted.
   * @returns Summary.
   */
  private async collectSummary(task: Task, parts: number): Promise<FileSummary | null> {
    let summary: FileSummary | null = null;
    for (let i = 0; i < parts; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (task.dropped) return null;
      const part = await this.pull(task.results!);
      if (part.kind === 'summary') summary = part.summary;
      else if (part.kind === 'summary-chunk' && summary) for (const item of part.items) (summary[part.field] as unknown[]).push(item);
    }
    return summary;
  }

  /**
   * The next part of a result on a task's port (posted before the worker said so; waits briefly in case).
   * @param port The task's port.
   * @returns The part.
   */
  private async pull(port: MessagePort): Promise<ResultPart> {
    for (let tries = 0; tries < 200; tries++) {
      const received = receiveMessageOnPort(port);
      if (received) return received.message as ResultPart;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the results of the analysis worker were lost');
  }

  /**
   * A worker finished its task: give it the next one, or let it wait (not keeping the process alive).
   * @param slot The worker.
   * @returns Nothing.
   */
  private idle(slot: Slot): void {
    if (slot.task) slot.task.worker = undefined;
    slot.task = undefined;
    slot.worker.unref();
    this.pump();
    if (!slot.task && !slot.stopping) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = setTimeout(() => {
        if (slot.task || slot.stopping) return;
        this.slots.splice(this.slots.indexOf(slot), 1);
        void this.stop(slot);
      }, IDLE_MS);
      slot.idleTimer.unref();
    }
  }

  /**
   * A worker died (crash, exit, out of memory) or was terminated.
   * @param slot The worker.
   * @param error Why.
   * @returns Nothing.
   */
  private lost(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.idleTimer);
    const task = slot.task;
    slot.task = undefined;
    if (!slot.stopping) {
      slot.stopping = true;
      this.crashes++;
      this.options.log?.(`Sift: an analysis worker stopped: ${error.message}${task ? ` (while analysing ${task.job.uri})` : ''}; a new one will be started`);
    }
    // A worker that dies after it analysed the text (making the summary) leaves its results on the task's port.
    if (task && task.state !== 'done' && !task.analysed) {
      this.finish(task, new Error(`the analysis worker stopped while analysing this document (${error.message})`));
      task.results?.close();
    } else if (task) {
      void (task.collecting ?? Promise.resolve()).then(() => {
        task.resolveSummary(null);
        task.results?.close();
      });
    }
    if (!this.disposed) this.pump();
  }

  /**
   * Terminate a worker.
   * @param slot The worker.
   * @returns Nothing.
   */
  private async stop(slot: Slot): Promise<void> {
    slot.stopping = true;
    clearTimeout(slot.idleTimer);
    await slot.worker.terminate().catch(() => undefined);
  }
}

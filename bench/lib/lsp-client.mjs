// A small stdio LSP client for the benchmarks (after test/lsp-client.ts): spawns `node dist/server.js --stdio`,
// answers `workspace/configuration` with defaults, and records when each notification arrives.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {createProtocolConnection, StreamMessageReader, StreamMessageWriter} from 'vscode-languageserver-protocol/node.js';
import {ROOT} from './corpus.mjs';

export class BenchClient {
  /**
   * @param {{server?: string, execArgv?: string[], env?: Record<string, string>}} [options] `execArgv`: Node options
   *   for the server (e.g. `--cpu-prof`); `env`: extra environment variables
   */
  constructor({server = path.join(ROOT, 'dist', 'server.js'), execArgv = [], env = {}} = {}) {
    this.spawnedAt = performance.now();
    this.process = spawn(process.execPath, [...execArgv, server, '--stdio'], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, ...env}});
    this.exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.stderr.on('data', () => undefined);
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    /** uri → {version, at, count} of the last publishDiagnostics. */
    this.diagnostics = new Map();
    /** uri → last sift/counts params with arrival time. */
    this.counts = new Map();
    this.messages = [];
    this.waiters = new Set();
    const notify = () => {
      for (const w of this.waiters) w();
    };
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      this.diagnostics.set(p.uri, {version: p.version, at: performance.now(), diagnostics: p.diagnostics});
      notify();
    });
    this.connection.onNotification('sift/counts', (p) => {
      this.counts.set(p.uri, {...p, at: performance.now()});
      notify();
    });
    this.connection.onNotification('window/showMessage', (p) => {
      this.messages.push({...p, at: performance.now()});
      notify();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    // vscode-languageserver sends showInformationMessage & co. as requests.
    this.connection.onRequest('window/showMessageRequest', (p) => {
      this.messages.push({...p, at: performance.now()});
      notify();
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.onRequest('workspace/semanticTokens/refresh', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.listen();
    this.versions = new Map();
  }

  /**
   * Initialize with a workspace folder; resolves with the result and the times (ms since spawn).
   * @param {string} folder
   * @param {object} [initializationOptions] e.g. `{storagePath}` (the index cache's folder)
   */
  async initialize(folder, initializationOptions = undefined) {
    const uri = pathToFileURL(folder).href;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      initializationOptions,
      rootUri: uri,
      workspaceFolders: [{uri, name: path.basename(folder)}],
      capabilities: {
        workspace: {configuration: true, workspaceFolders: true, semanticTokens: {refreshSupport: true}, inlayHint: {refreshSupport: true}},
        textDocument: {publishDiagnostics: {versionSupport: true}, hover: {contentFormat: ['markdown', 'plaintext']}},
        window: {workDoneProgress: true},
      },
    });
    const initializeMs = performance.now() - this.spawnedAt;
    await this.connection.sendNotification('initialized', {});
    return {result, initializeMs, initializedMs: performance.now() - this.spawnedAt};
  }

  /**
   * Wait until a condition holds.
   * @template T
   * @param {() => T} test
   * @param {number} timeout
   * @param {string} what
   * @returns {Promise<T>}
   */
  waitFor(test, timeout, what) {
    const value = test();
    if (value) return Promise.resolve(value);
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = test();
        if (v) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}`));
      }, timeout);
      this.waiters.add(check);
    });
  }

  /**
   * Open a document; resolves when it is sent.
   * @param {string} file
   * @param {string} text
   */
  async open(file, text) {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification('textDocument/didOpen', {textDocument: {uri, languageId: 'plaintext', version: 1, text}});
    return uri;
  }

  /**
   * Insert text at a position (an incremental change, as an editor sends for one keystroke).
   * @param {string} uri
   * @param {{line: number, character: number}} at
   * @param {string} insert
   */
  async insert(uri, at, insert) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {textDocument: {uri, version}, contentChanges: [{range: {start: at, end: at}, text: insert}]});
    return version;
  }

  /** Close a document. */
  async close(uri) {
    await this.connection.sendNotification('textDocument/didClose', {textDocument: {uri}});
  }

  /**
   * Resolve when diagnostics for `version` of `uri` arrive; the arrival time.
   * @param {string} uri
   * @param {number} version
   * @param {number} timeout
   */
  async diagnosticsAt(uri, version, timeout = 600_000) {
    const d = await this.waitFor(() => {
      const p = this.diagnostics.get(uri);
      return p && p.version === version ? p : undefined;
    }, timeout, `diagnostics of ${uri} v${version}`);
    return d;
  }

  /** Send a request and time it (ms). */
  async timed(method, params) {
    const t0 = performance.now();
    const result = await this.connection.sendRequest(method, params);
    return {ms: performance.now() - t0, result};
  }

  /** Peak resident set size of the server process so far (Linux), in MB. */
  peakRssMb() {
    try {
      const status = fs.readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
      return Number.isFinite(kb) ? kb / 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  /**
   * Shut the server down.
   * @param {{graceMs?: number}} [options] how long to let it exit by itself before it is killed (a profiled server
   *   writes its profiles on exit)
   */
  async stop({graceMs = 0} = {}) {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // gone
    }
    if (graceMs > 0) await Promise.race([this.exited, new Promise((r) => setTimeout(r, graceMs))]);
    this.connection.dispose();
    this.process.kill();
  }
}

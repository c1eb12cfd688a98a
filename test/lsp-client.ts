/**
 * A minimal LSP client for tests: spawns the built server (`dist/server.js --stdio`), answers
 * `workspace/configuration` from a settings object the test controls, and records what the server publishes.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection} from 'vscode-languageserver-protocol/node.js';
import type {Diagnostic, InitializeResult, PublishDiagnosticsParams} from 'vscode-languageserver-protocol';
import {ROOT} from './helpers.js';

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in the order received. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly notifications: Array<{method: string; params: unknown}> = [];
  readonly messages: Array<{type: number; message: string}> = [];
  settings: Record<string, unknown> = {};
  configurationRequests = 0;
  private versions = new Map<string, number>();

  /**
   * @param env Extra environment variables of the server.
   */
  constructor(env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], {stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, ...env}});
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
    });
    this.connection.onNotification('window/showMessage', (params: {type: number; message: string}) => this.messages.push(params));
    this.connection.onNotification('sift/counts', (params: unknown) => this.notifications.push({method: 'sift/counts', params}));
    this.connection.onRequest('workspace/configuration', (params: {items: Array<{section?: string}>}) => {
      this.configurationRequests++;
      return params.items.map(() => this.settings);
    });
    this.connection.onRequest('window/showMessageRequest', (params: {type: number; message: string}) => {
      this.messages.push(params);
      return null;
    });
    this.connection.onRequest('workspace/semanticTokens/refresh', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.listen();
  }

  /**
   * Initialize with a workspace folder.
   * @param folder Folder path.
   * @returns The server's answer.
   */
  async initialize(folder: string): Promise<InitializeResult> {
    const uri = pathToFileURL(folder).href;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{uri, name: path.basename(folder)}],
      capabilities: {workspace: {configuration: true, semanticTokens: {refreshSupport: true}, inlayHint: {refreshSupport: true}}, textDocument: {publishDiagnostics: {versionSupport: true}}},
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /**
   * Open a document.
   * @param file Path.
   * @param text Text.
   * @returns Its URI.
   */
  async open(file: string, text: string): Promise<string> {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', {textDocument: {uri, languageId: 'plaintext', version: 1, text}});
    return uri;
  }

  /**
   * Replace the whole text of a document (a new version).
   * @param uri URI.
   * @param text New text.
   * @returns The new version.
   */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {textDocument: {uri, version}, contentChanges: [{text}]});
    return version;
  }

  /**
   * Wait until a condition holds (polling), or fail after a while.
   * @param what Description for the failure.
   * @param test Condition.
   * @param timeout Milliseconds.
   * @returns The truthy value.
   */
  async waitFor<T>(what: string, test: () => T | undefined | null | false, timeout = 10000): Promise<T> {
    const until = Date.now() + timeout;
    for (;;) {
      const value = test();
      if (value) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Diagnostics of a document once published for a version.
   * @param uri URI.
   * @param version Version.
   * @param timeout Milliseconds.
   * @returns Diagnostics.
   */
  diagnosticsFor(uri: string, version: number, timeout?: number): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics of ${path.basename(uri)} v${version}`, () => {
      const p = this.diagnostics.get(uri);
      return p && p.version === version ? p.diagnostics : undefined;
    }, timeout);
  }

  /**
   * Shut down.
   * @returns Nothing.
   */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}

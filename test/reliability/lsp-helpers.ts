/**
 * Helpers for the language-server fault tests: a `TestClient` started with an environment (fault injection,
 * debug counters, `--expose-gc`), and the server's debug counters.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {TestClient} from '../lsp-client.js';

/** What `sift/debug/stats` answers (only when the server runs with `SIFT_DEBUG=1`). */
export interface ServerStats {
  analyses: number;
  cancelled: number;
  heapUsed: number;
  rss: number;
}

/**
 * Start a test client whose server process gets extra environment variables.
 * @param env Variables to add.
 * @returns Client (not yet initialized).
 */
export function clientWith(env: Record<string, string>): TestClient {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  try {
    return new TestClient();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * A client whose server exposes its debug counters and can be asked to collect garbage.
 * @param env More variables.
 * @returns Client.
 */
export function debugClient(env: Record<string, string> = {}): TestClient {
  return clientWith({SIFT_DEBUG: '1', NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --expose-gc`.trim(), ...env});
}

/**
 * The server's counters (after a full garbage collection).
 * @param client Client.
 * @returns Stats.
 */
export function stats(client: TestClient): Promise<ServerStats> {
  return client.connection.sendRequest<ServerStats>('sift/debug/stats');
}

/**
 * Is the server process still alive?
 * @param client Client.
 * @returns Whether.
 */
export function alive(client: TestClient): boolean {
  return client.process.exitCode === null && client.process.signalCode === null;
}

/** What `serverTests` gives each test: its own temporary folder, and a way to start a client that is stopped after it. */
export interface ServerTestFolder {
  /** The test's temporary folder (made before it, removed after it). */
  readonly tmp: string;
  /**
   * Hand over the test's client, to be stopped after the test (whatever its outcome).
   * @param client The client.
   * @returns The same client.
   */
  start(client: TestClient): TestClient;
}

/**
 * Mocha hooks for tests that each start a language server: before each test a fresh temporary folder, after it the
 * client stopped and the folder removed. Call inside a `describe`.
 * @param prefix Prefix of the temporary folder's name.
 * @returns The current test's folder and client.
 */
export function serverTests(prefix: string): ServerTestFolder {
  let tmp = '';
  let client: TestClient | undefined;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    fs.rmSync(tmp, {recursive: true, force: true});
  });
  return {
    get tmp() {
      return tmp;
    },
    start(c) {
      client = c;
      return c;
    },
  };
}

/**
 * Helpers for the CLI fault tests: running the built CLI with an environment (fault injection) or under another
 * user, and snapshots of folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {spawnSync, type SpawnSyncReturns} from 'node:child_process';
import {CLI} from '../helpers.js';

/**
 * Run the built CLI with extra environment variables.
 * @param args Arguments.
 * @param env Environment additions (e.g. SIFT_FAULT).
 * @param prefix Command to run node under (e.g. setpriv to drop privileges).
 * @returns Result.
 */
export function runCliWith(args: readonly string[], env: Record<string, string> = {}, prefix: string[] = []): SpawnSyncReturns<string> {
  const [command, ...rest] = [...prefix, process.execPath, CLI, ...args];
  return spawnSync(command!, rest, {encoding: 'utf8', env: {...process.env, ...env}, maxBuffer: 64 * 1024 * 1024});
}

/**
 * Snapshot of a folder: relative path → bytes (as hex), links as `link→target`.
 * @param dir Folder.
 * @returns Snapshot.
 */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, {withFileTypes: true})) {
      const full = path.join(d, entry.name);
      const key = path.relative(dir, full);
      if (entry.isSymbolicLink()) out.set(key, `link→${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          out.set(key, fs.readFileSync(full).toString('hex'));
        } catch {
          out.set(key, `unreadable mode ${(fs.statSync(full).mode & 0o777).toString(8)}`);
        }
      } else out.set(key, 'special');
    }
  };
  walk(dir);
  return out;
}


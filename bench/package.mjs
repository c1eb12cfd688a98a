// Section 4: the package. .vsix size (production build, `vsce package`), and server start → `initialized`
// (spawn to the initialize answer, p50/p95 of repeated starts) for the shipped (production) and the dev bundle.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {execFileSync} from 'node:child_process';
import {printTable, round, summary} from './lib/util.mjs';
import {ROOT} from './lib/corpus.mjs';
import {BenchClient} from './lib/lsp-client.mjs';

/**
 * Start the server `runs` times; time to the initialize answer and to `initialized` sent.
 * @param {number} runs
 * @param {string} tmp Workspace folder.
 */
async function startTimes(runs, tmp) {
  const initialize = [];
  const initialized = [];
  for (let i = 0; i < runs; i++) {
    const client = new BenchClient();
    const t = await client.initialize(tmp);
    initialize.push(t.initializeMs);
    initialized.push(t.initializedMs);
    await client.stop();
  }
  return {initialize: summary(initialize), initialized: summary(initialized)};
}

/**
 * The floor: how long a bare `node -e ''` takes from spawn to exit on this machine now.
 * @param {number} runs
 */
function bareNode(runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ['-e', '']);
    times.push(performance.now() - t0);
  }
  return summary(times);
}

/**
 * @param {{quick?: boolean}} options
 */
export async function runPackage({quick = false} = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-bench-pkg-'));
  const runs = quick ? 5 : 15;
  const result = {};
  try {
    result.bareNode = bareNode(runs);
    result.startDev = await startTimes(runs, tmp);
    // The shipped build: minified bundles, no source maps.
    execFileSync(process.execPath, ['scripts/build.mjs', '--production'], {cwd: ROOT, stdio: 'inherit'});
    result.startProduction = await startTimes(runs, tmp);
    const vsix = path.join(tmp, 'sift.vsix');
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    try {
      execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
      const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {cwd: ROOT, encoding: 'utf8'}).trim().split('\n');
      result.vsix = {megabytes: round(fs.statSync(vsix).size / 1e6, 2), files: listing.length};
    } catch (error) {
      result.vsix = {error: String(error.stderr ?? error.message).slice(0, 500)};
    }
  } finally {
    // Back to the dev build that `npm run build` made (source maps for the tests and debugging).
    execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: ROOT, stdio: 'inherit'});
    fs.rmSync(tmp, {recursive: true, force: true});
  }
  const fmt = (s) => `${s.p50} / ${s.p95}`;
  printTable('4. Package', ['measure', 'value'], [
    ['.vsix size (production build)', result.vsix.error ? `error: ${result.vsix.error}` : `${result.vsix.megabytes} MB, ${result.vsix.files} files`],
    [`server start → initialize answer, production (ms p50 / p95, ${runs} starts)`, fmt(result.startProduction.initialize)],
    ['server start → initialized sent, production', fmt(result.startProduction.initialized)],
    ['server start → initialize answer, dev build', fmt(result.startDev.initialize)],
    ["for comparison: bare `node -e ''`, spawn → exit", fmt(result.bareNode)],
  ]);
  return result;
}

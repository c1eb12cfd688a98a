// Section 3: a workspace of 10,000 generated files (about 40 MB): `sift annotate DIR` with worker threads and
// with one thread (wall time, cores used, peak RSS), `sift clean DIR --dry-run`, and the language server's workspace
// index (cold, from `initialized` to ready: wall time, cores, peak RSS, progress; then a start whose progress is
// cancelled).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {spawn} from 'node:child_process';
import {pathToFileURL} from 'node:url';
import {hoverPositions, machine, note, printTable, round, summary} from './lib/util.mjs';
import {ROOT, workspace} from './lib/corpus.mjs';
import {BenchClient} from './lib/lsp-client.mjs';

const TIME = '/usr/bin/time';

/**
 * Run a command with its output thrown away; wall, CPU, cores used and peak RSS (GNU time, else /proc polling).
 * @param {string[]} argv
 */
async function measure(argv) {
  const useTime = fs.existsSync(TIME);
  const cmd = useTime ? TIME : argv[0];
  const args = useTime ? ['-f', 'SIFT_BENCH_TIME %e %U %S %M', ...argv] : argv.slice(1);
  const t0 = performance.now();
  const child = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1e6) stderr = stderr.slice(-1e5);
  });
  let peakKb = 0;
  let cpuTicks = 0;
  const poll = useTime
    ? null
    : setInterval(() => {
        try {
          peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
          const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          cpuTicks = Number(stat[11]) + Number(stat[12]);
        } catch {
          // exited
        }
      }, 50);
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (poll) clearInterval(poll);
  const wall = (performance.now() - t0) / 1000;
  const m = /SIFT_BENCH_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  const cpu = m ? Number(m[2]) + Number(m[3]) : cpuTicks / 100;
  const rssMb = (m ? Number(m[4]) : peakKb) / 1024;
  return {code, wallS: round(m ? Number(m[1]) : wall, 2), cpuS: round(cpu, 2), coresUsed: round(cpu / (m ? Number(m[1]) : wall), 2), peakRssMb: round(rssMb, 0), stderr: stderr.replace(/SIFT_BENCH_TIME.*\n?/, '').slice(-2000)};
}

/**
 * Typing in one file of the indexed workspace: a keystroke, its fresh diagnostics, then hovers on names and
 * quotations right away (the index has not taken the edit in yet) and after a pause of 1.5 s; 8 rounds.
 * @param {BenchClient} client A server whose index is ready.
 * @param {string} dir The workspace.
 */
async function editInIndexedWorkspace(client, dir) {
  const site = fs.readdirSync(dir).filter((d) => d.startsWith('site')).sort()[3];
  const file = path.join(dir, site, fs.readdirSync(path.join(dir, site)).sort()[0]);
  const text = fs.readFileSync(file, 'utf8');
  const uri = await client.open(file, text);
  const published = await client.diagnosticsAt(uri, 1);
  const positions = hoverPositions(published.diagnostics, Infinity);
  if (positions.length === 0) return null;
  const at = (i) => positions[i % positions.length];
  const edit = [];
  const right = [];
  const later = [];
  for (let round = 0; round < 8; round++) {
    const t0 = performance.now();
    const version = await client.insert(uri, {line: 2, character: 0}, 'x');
    const fresh = await client.diagnosticsAt(uri, version);
    edit.push(fresh.at - t0);
    for (let i = 0; i < 5; i++) right.push((await client.timed('textDocument/hover', {textDocument: {uri}, position: at(round * 5 + i)})).ms);
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 0; i < 2; i++) later.push((await client.timed('textDocument/hover', {textDocument: {uri}, position: at(round * 3 + i)})).ms);
  }
  await client.close(uri);
  return {file: path.relative(dir, file), editToDiagnostics: summary(edit), hoverRightAfter: summary(right), hoverAfterPause: summary(later)};
}

/**
 * Start the built server on a folder, let it index, and measure (see runWorkspace); then a second start whose
 * progress is cancelled.
 * @param {string} dir
 */
export async function serverIndex(dir) {
  const track = (client) => {
    const seen = {tokens: [], reports: 0, ended: false, status: null, begun: false};
    client.connection.onRequest('window/workDoneProgress/create', (p) => {
      seen.tokens.push(p.token);
      return null;
    });
    client.connection.onRequest('client/registerCapability', () => null);
    client.connection.onNotification('$/progress', (p) => {
      if (p.value?.kind === 'begin') seen.begun = true;
      if (p.value?.kind === 'report') seen.reports++;
      if (p.value?.kind === 'end') seen.ended = true;
      for (const w of client.waiters) w();
    });
    client.connection.onNotification('sift/corpusStatus', (status) => {
      seen.status = status;
      for (const w of client.waiters) w();
    });
    return seen;
  };
  const cpuS = (pid) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(stat[11]) + Number(stat[12])) / 100;
  };
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-bench-storage-'));
  const client = new BenchClient();
  const seen = track(client);
  let result;
  try {
    await client.initialize(dir, {storagePath: storage});
    const t0 = performance.now();
    const cpu0 = cpuS(client.process.pid);
    await client.waitFor(() => seen.status?.state === 'ready' && seen.status.total > 0, 1_800_000, 'the index');
    const wallS = (performance.now() - t0) / 1000;
    const coresUsed = round((cpuS(client.process.pid) - cpu0) / wallS, 2);
    const peakRssMb = round(client.peakRssMb(), 0);
    const symbol = await client.timed('workspace/symbol', {query: 'president'});
    result = {wallS: round(wallS, 1), coresUsed, peakRssMb, progressReports: seen.reports, indexed: seen.status.indexed, firstSymbolMs: round(symbol.ms, 0), peakRssAfterMb: round(client.peakRssMb(), 0)};
    result.editing = await editInIndexedWorkspace(client, dir);
  } finally {
    await client.stop();
  }
  // Cancel: a fresh start (empty cache again), progress cancelled after 2 s of indexing.
  const storage2 = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-bench-storage-'));
  const second = new BenchClient();
  const seen2 = track(second);
  try {
    await second.initialize(dir, {storagePath: storage2});
    await second.waitFor(() => seen2.begun && seen2.tokens.length > 0, 120_000, 'the progress');
    await new Promise((r) => setTimeout(r, 2000));
    const t1 = performance.now();
    await second.connection.sendNotification('window/workDoneProgress/cancel', {token: seen2.tokens[0]});
    await second.waitFor(() => seen2.ended, 60_000, 'the progress to end');
    result.cancel = {endMs: round(performance.now() - t1, 0), indexedAtEnd: seen2.status?.indexed ?? null, total: seen2.status?.total ?? null};
  } catch (error) {
    result.cancel = null;
    result.cancelError = String(error?.message ?? error);
  } finally {
    await second.stop();
  }
  fs.rmSync(storage, {recursive: true, force: true});
  fs.rmSync(storage2, {recursive: true, force: true});
  return result;
}


/**
 * @param {{quick?: boolean}} options
 */
export async function runWorkspace({quick = false} = {}) {
  const files = quick ? 2_000 : 10_000;
  const t0 = performance.now();
  const ws = workspace(files);
  const generateS = round((performance.now() - t0) / 1000, 1);
  process.stdout.write(`  workspace: ${ws.files} files, ${round(ws.bytes / 1e6, 1)} MB in ${ws.dir} (${ws.reused ? 'reused' : `generated in ${generateS} s`})\n`);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const cores = machine().cores;
  const runs = [];
  const configs = [
    {name: `annotate DIR, default (${cores} workers)`, argv: [process.execPath, cli, 'annotate', '--format', 'json', ws.dir]},
    {name: 'annotate DIR --jobs 1 (one thread)', argv: [process.execPath, cli, 'annotate', '--format', 'json', '--jobs', '1', ws.dir]},
    {name: `clean DIR --dry-run, default (${cores} workers)`, argv: [process.execPath, cli, 'clean', '--dry-run', ws.dir]},
  ];
  for (const config of configs) {
    const r = await measure(config.argv);
    if (r.code !== 0) process.stdout.write(`  ${config.name}: exit code ${r.code}\n${r.stderr}\n`);
    runs.push({name: config.name, ...r, filesPerS: round(ws.files / r.wallS, 0), mbPerS: round(ws.bytes / 1e6 / r.wallS, 2)});
    process.stdout.write(`  ${config.name}: ${r.wallS} s\n`);
  }

  // The server's workspace index: the server indexes its workspace folders by itself after `initialized`, with
  // progress (cancellable) and `sift/corpusStatus`; cold (an empty cache folder), then a second start that cancels.
  let server = null;
  try {
    server = await serverIndex(ws.dir);
    process.stdout.write(`  server index, cold: ${server.wallS} s\n`);
  } catch (error) {
    server = {error: String(error?.message ?? error)};
  }

  printTable(
    `3. Workspace: ${ws.files.toLocaleString('en-US')} files, ${round(ws.bytes / 1e6, 1)} MB (generated: ${ws.source})`,
    ['run', 'wall s', 'cpu s', 'cores used', 'peak RSS MB', 'files/s', 'MB/s', 'exit'],
    runs.map((r) => [r.name, r.wallS, r.cpuS, r.coresUsed, r.peakRssMb, r.filesPerS, r.mbPerS, r.code]),
  );
  if (server && !server.error) {
    printTable(
      `   The language server's workspace index (${ws.files.toLocaleString('en-US')} files, cold: empty cache)`,
      ['measure', 'value'],
      [
        ['initialized → index ready (sift/corpusStatus "ready")', `${server.wallS} s`],
        ['cores used (server process CPU ÷ wall)', server.coresUsed],
        ['peak RSS until ready', `${server.peakRssMb} MB`],
        ['progress reports ($/progress) while indexing', server.progressReports],
        ['first workspace/symbol after ready (builds the name tables)', `${server.firstSymbolMs} ms`],
        ['peak RSS after that request', `${server.peakRssAfterMb} MB`],
        ...(server.editing
          ? [
              ['typing in one file of it: edit → fresh diagnostics, p50 / p95 (8 edits)', `${server.editing.editToDiagnostics.p50} / ${server.editing.editToDiagnostics.p95} ms`],
              ['… hover right after each edit, p50 / p95 / max (40)', `${server.editing.hoverRightAfter.p50} / ${server.editing.hoverRightAfter.p95} / ${server.editing.hoverRightAfter.max} ms`],
              ['… hover 1.5 s after each edit, p50 / p95 / max (16)', `${server.editing.hoverAfterPause.p50} / ${server.editing.hoverAfterPause.p95} / ${server.editing.hoverAfterPause.max} ms`],
            ]
          : []),
        ['cancel: progress cancelled after 2 s → progress ended', server.cancel ? `${server.cancel.endMs} ms (indexing stopped at ${server.cancel.indexedAtEnd} of ${server.cancel.total} files)` : 'no progress to cancel'],
      ],
    );
  } else if (server) note(`server index failed: ${server.error}`);
  return {files: ws.files, megabytes: round(ws.bytes / 1e6, 1), dir: ws.dir, cli: runs, server};
}

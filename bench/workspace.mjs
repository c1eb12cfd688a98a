// Section 3: a workspace of 10,000 generated files (about 40 MB): `sift annotate DIR` with worker threads and
// with one thread (wall time, cores used, peak RSS), `sift clean DIR --dry-run`, and the server's workspace index
// once the server has one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {spawn} from 'node:child_process';
import {pathToFileURL} from 'node:url';
import {machine, note, printTable, round} from './lib/util.mjs';
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
 * The server's workspace index request, if the server has one: an exported constant of `protocol.ts` whose name
 * holds INDEX (e.g. `INDEX_REQUEST = 'sift/index'`). Until then the benchmark skips it with a note.
 */
async function indexRequest() {
  const file = path.join(ROOT, 'out', 'server', 'src', 'lsp', 'protocol.js');
  if (!fs.existsSync(file)) return null;
  const protocol = await import(pathToFileURL(file).href);
  const name = Object.keys(protocol).find((k) => /INDEX/.test(k) && typeof protocol[k] === 'string');
  return name ? {name, method: protocol[name]} : null;
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

  // The server's workspace index: measured once the server has an index request.
  let server = null;
  const index = await indexRequest();
  if (index) {
    const client = new BenchClient();
    try {
      await client.initialize(ws.dir);
      const t1 = performance.now();
      const result = await client.connection.sendRequest(index.method, {uris: [pathToFileURL(ws.dir).href]});
      server = {method: index.method, wallS: round((performance.now() - t1) / 1000, 2), peakRssMb: round(client.peakRssMb(), 0), result: JSON.stringify(result)?.slice(0, 200) ?? null};
    } catch (error) {
      server = {method: index.method, error: String(error?.message ?? error)};
    } finally {
      await client.stop();
    }
  }

  printTable(
    `3. Workspace: ${ws.files.toLocaleString('en-US')} files, ${round(ws.bytes / 1e6, 1)} MB (generated: ${ws.source})`,
    ['run', 'wall s', 'cpu s', 'cores used', 'peak RSS MB', 'files/s', 'MB/s', 'exit'],
    runs.map((r) => [r.name, r.wallS, r.cpuS, r.coresUsed, r.peakRssMb, r.filesPerS, r.mbPerS, r.code]),
  );
  if (server && !server.error) note(`server index (${server.method}): ${server.wallS} s, server peak RSS ${server.peakRssMb} MB`);
  else if (server) note(`server index (${server.method}) failed: ${server.error}`);
  else note('server index: skipped — the server has no workspace index request yet (benchmarked as soon as protocol.ts exports an *INDEX* request method).');
  return {files: ws.files, megabytes: round(ws.bytes / 1e6, 1), dir: ws.dir, cli: runs, server: server ?? {skipped: 'no workspace index request in the server yet'}};
}

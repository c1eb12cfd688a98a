#!/usr/bin/env node
// Benchmark of the cross-source index on a large workspace (default 10,000 files).
//
//   node scripts/bench-corpus.mjs [--files N] [--keep DIR]
//
// It writes a synthetic workspace to a temporary folder (never into the repository): N articles built at run time
// from the PolNeAR dev articles in ../shared/data/quotes/dev.jsonl (or, without them, from the samples), each a
// variant (paragraphs dropped, a dateline) of one of them, under 25 site folders whose files share a header and a
// footer template. Then it measures, with the built server (`dist/server.js --stdio`, as an editor starts it):
//   1. cold: from `initialized` to the index being ready, with an empty cache (engine run on every file);
//   2. warm: a restart with the cache the first run wrote (summaries read back by content hash);
//   3. the first cross-source requests after that (workspace symbols, Quotes view, code lens, overview);
// and the server's resident memory. Run `npm run build` first. Figures go to docs/cross-source.md.
import {spawn} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {createProtocolConnection, StreamMessageReader, StreamMessageWriter} from 'vscode-languageserver-protocol/node.js';
import {mulberry32 as random} from './random.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const N = Number(option('--files', '10000'));
const keep = option('--keep', undefined);


/** The article pool. */
function pool() {
  const dev = path.join(ROOT, '..', 'shared', 'data', 'quotes', 'dev.jsonl');
  if (fs.existsSync(dev)) return {source: 'PolNeAR dev (../shared/data/quotes/dev.jsonl)', texts: fs.readFileSync(dev, 'utf8').trim().split('\n').map((l) => JSON.parse(l).text)};
  const dirs = [path.join(ROOT, 'samples'), path.join(ROOT, '..', 'shared', 'samples')].filter((d) => fs.existsSync(d));
  return {source: 'the samples', texts: dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(d, f), 'utf8')))};
}

/** Write the workspace. */
function makeWorkspace(dir) {
  const {source, texts} = pool();
  const rand = random(7);
  const sites = 25;
  let bytes = 0;
  for (let s = 0; s < sites; s++) fs.mkdirSync(path.join(dir, `site${String(s).padStart(2, '0')}`), {recursive: true});
  for (let i = 0; i < N; i++) {
    const site = i % sites;
    const article = texts[Math.floor(rand() * texts.length)];
    const paragraphs = article.split(/\n+/).filter((p) => rand() > 0.15);
    const text = [
      `Site ${site} News | Home | World | Politics | Business | Opinion`,
      `Updated ${1 + Math.floor(rand() * 28)} March, ${8 + Math.floor(rand() * 10)}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`,
      ...paragraphs,
      `Sign up for the Site ${site} morning newsletter`,
      `Copyright Site ${site} Media Group. All rights reserved.`,
    ].join('\n');
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(path.join(dir, `site${String(site).padStart(2, '0')}`, `article-${String(i).padStart(5, '0')}.txt`), text);
  }
  return {source, bytes};
}

/** Start the server on the workspace and wait for the index. */
async function run(workspace, storage, label) {
  const child = spawn(process.execPath, ['--max-old-space-size=4096', path.join(ROOT, 'dist', 'server.js'), '--stdio'], {stdio: ['pipe', 'pipe', 'inherit']});
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let last;
  let readyAt;
  const ready = new Promise((resolve) => {
    connection.onNotification('sift/corpusStatus', (status) => {
      last = status;
      if (status.state === 'ready' && status.total > 0) {
        readyAt = performance.now();
        resolve(status);
      }
    });
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('$/progress', () => undefined);
  connection.onNotification('window/logMessage', (m) => process.stderr.write(`\n[server] ${m.message}\n`));
  connection.onNotification('window/showMessage', (m) => process.stderr.write(`\n[server] ${m.message}\n`));
  connection.listen();
  const uri = pathToFileURL(workspace).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{uri, name: 'bench'}],
    initializationOptions: {storagePath: storage},
    capabilities: {workspace: {configuration: true}, window: {workDoneProgress: true}},
  });
  const t0 = performance.now();
  await connection.sendNotification('initialized', {});
  const progress = setInterval(() => last && process.stderr.write(`\r${label}: ${last.indexed}/${last.total} ${last.state}   `), 2000);
  // Resident memory sampled every 100 ms, with the phase it was in.
  let phase = 'indexing';
  const peaks = {};
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peaks[phase] = Math.max(peaks[phase] ?? 0, Math.round(kb / 1024));
    } catch {}
  }, 100);
  const status = await ready;
  phase = 'first requests';
  clearInterval(progress);
  process.stderr.write('\n');
  const seconds = (readyAt - t0) / 1000;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const timed = async (name, f) => {
    const start = performance.now();
    const result = await f();
    return [name, performance.now() - start, result];
  };
  const first = path.join(workspace, 'site00', 'article-00000.txt');
  const requests = [
    await timed('workspace/symbol "clinton"', () => connection.sendRequest('workspace/symbol', {query: 'clinton'})),
    await timed('Quotes view, speakers', () => connection.sendRequest('sift/corpusQuotes', {})),
    await timed('code lens (stories)', () => connection.sendRequest('textDocument/codeLens', {textDocument: {uri: pathToFileURL(first).href}})),
    await timed('Entities view, people', () => connection.sendRequest('sift/corpusEntities', {type: 'PER'})),
    await timed('Sources Overview', () => connection.sendRequest('sift/corpusOverview', {})),
  ];
  // Then a change: one file edited on disk, and the same requests again (the derived tables are recomputed).
  phase = 'after a change';
  fs.appendFileSync(first, '\nA line added by the benchmark.\n');
  const before = last.revision;
  await connection.sendNotification('workspace/didChangeWatchedFiles', {changes: [{uri: pathToFileURL(first).href, type: 2}]});
  while (last.revision === before) await new Promise((r) => setTimeout(r, 50));
  const changedAt = performance.now();
  const immediate = await timed('code lens right after the change', () => connection.sendRequest('textDocument/codeLens', {textDocument: {uri: pathToFileURL(first).href}}));
  // A pause, as between two edits: the server recomputes the derived tables in idle time.
  await new Promise((r) => setTimeout(r, 3000 - (performance.now() - changedAt)));
  const changed = [
    immediate,
    await timed('workspace/symbol "clinton"', () => connection.sendRequest('workspace/symbol', {query: 'clinton'})),
    await timed('Quotes view, speakers', () => connection.sendRequest('sift/corpusQuotes', {})),
    await timed('code lens (stories)', () => connection.sendRequest('textDocument/codeLens', {textDocument: {uri: pathToFileURL(first).href}})),
  ];
  const peak = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  phase = 'shutdown';
  const stopAt = performance.now();
  await connection.sendRequest('shutdown');
  const shutdownMs = performance.now() - stopAt;
  clearInterval(sampler);
  await connection.sendNotification('exit');
  connection.dispose();
  child.kill();
  return {status, seconds, rss, peak, peaks, requests, changed, shutdownMs};
}

const base = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sift-bench-corpus-'));
const workspace = path.join(base, 'workspace');
const storage = path.join(base, 'storage');
fs.rmSync(storage, {recursive: true, force: true});
if (!fs.existsSync(workspace) || fs.readdirSync(workspace).length === 0) {
  fs.mkdirSync(workspace, {recursive: true});
  const made = makeWorkspace(workspace);
  console.log(`workspace: ${N} files, ${(made.bytes / 1048576).toFixed(1)} MB, built from ${made.source}, in ${workspace}`);
}
const cold = await run(workspace, storage, 'cold');
const cache = fs.readdirSync(storage).map((f) => fs.statSync(path.join(storage, f)).size).reduce((a, b) => a + b, 0);
const warm = await run(workspace, storage, 'warm');
const cpus = os.cpus();
console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
for (const [label, r] of [
  ['cold (empty cache)', cold],
  ['warm (cache)', warm],
]) {
  console.log(`${label}: ${r.status.indexed} files ready in ${r.seconds.toFixed(1)} s (${((r.seconds * 1000) / r.status.indexed).toFixed(2)} ms/file), ${r.status.fromCache} from the cache, server RSS ${r.rss.toFixed(0)} MB when ready, peak ${r.peak.toFixed(0)} MB (until shutdown)`);
  for (const [name, ms, result] of r.requests) console.log(`  first ${name}: ${ms.toFixed(0)} ms (${Array.isArray(result) ? result.length : Object.keys(result ?? {}).length} items)`);
  for (const [name, ms] of r.changed) console.log(`  after one file changed${name.includes('right after') ? '' : ' and a 3 s pause'}, ${name}: ${ms.toFixed(0)} ms`);
  console.log(`  shutdown (writes the cache): ${r.shutdownMs.toFixed(0)} ms`);
  console.log(`  RSS peaks by phase (MB, sampled every 100 ms): ${Object.entries(r.peaks).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
console.log(`cache: ${(cache / 1048576).toFixed(1)} MB on disk`);
if (!keep) fs.rmSync(base, {recursive: true, force: true});

#!/usr/bin/env node
// Sift in Neovim (a second real LSP client): runs `nvim --headless` with neovim/sift-test.lua, which starts
// `node dist/server.js --stdio` and checks diagnostics, hovers and a code action. This launcher makes a fresh run dir
// (copies of the samples; XDG dirs so nvim writes nothing into $HOME), computes the expectations with the project's
// CLI, and exits non-zero when nvim reports a failure or does not finish in time.
// Env: NVIM (default nvim), RUN_ROOT, KEEP_RUN=1, E2E_TIMEOUT (ms per wait, default 20000).
import {spawn} from 'node:child_process';
import {chmodSync, copyFileSync, existsSync, mkdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {analyse, hoverTargets, position, runDir, sample, SERVER, TYPE_NAMES, HERE} from './lib.mjs';

const NVIM = process.env.NVIM ?? 'nvim';
const TIMEOUT = Number(process.env.E2E_TIMEOUT ?? 20_000);

if (!existsSync(SERVER)) {
  console.error(`neovim e2e: missing ${SERVER} (npm run build)`);
  process.exit(2);
}
const run = runDir('nvim-');
for (const d of ['home', 'config', 'data', 'state', 'cache', 'ws']) mkdirSync(path.join(run, d), {recursive: true});
const ws = path.join(run, 'ws');
const f000 = path.join(ws, path.basename(sample('000')));
const f002 = path.join(ws, path.basename(sample('002')));
copyFileSync(sample('000'), f000);
copyFileSync(sample('002'), f002);
for (const f of [f000, f002]) chmodSync(f, 0o644); // the seed samples are read-only

const a000 = analyse(f000);
const a002 = analyse(f002);
const {quote, entity} = hoverTargets(a000);
if (!quote || !entity) {
  console.error('neovim e2e: the engine finds no quotation of Ibrahim Kalin or no entity in 000');
  process.exit(1);
}
const target = a002.boilerplate.find((b) => b.category === 'promotion')?.line ?? a002.boilerplate[0]?.line;
const starts = [0];
for (const m of a002.text.matchAll(/\r\n|\n|\r/g)) starts.push(m.index + m[0].length);
const at = (offset) => {
  const p = position(a000.text, offset);
  return {line: p.line, character: p.col};
};
const config = {
  node: process.execPath,
  server: SERVER,
  root: ws,
  timeout: TIMEOUT,
  f002: {
    file: f002,
    boilerplate: a002.boilerplate.map((b) => ({line: b.line, category: b.category, reason: b.reason})),
    target,
    expected: a002.text.slice(0, starts[target]) + a002.text.slice(starts[target + 1] ?? a002.text.length),
  },
  f000: {
    file: f000,
    quote: {...at(quote.start + 2), needles: ['Ibrahim Kalin', quote.cue]},
    entity: {...at(entity.start + 1), needles: [TYPE_NAMES[entity.type], entity.canonical]},
  },
};

const env = {...process.env, HOME: path.join(run, 'home'), XDG_CONFIG_HOME: path.join(run, 'config'), XDG_DATA_HOME: path.join(run, 'data'),
  XDG_STATE_HOME: path.join(run, 'state'), XDG_CACHE_HOME: path.join(run, 'cache'), SIFT_E2E: JSON.stringify(config)};
const started = Date.now();
const nvim = spawn(NVIM, ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', path.join(HERE, 'neovim/sift-test.lua')],
  {cwd: ws, env, stdio: ['ignore', 'inherit', 'inherit']});
// Each wait inside the test is bounded by TIMEOUT; the whole run gets a few of them.
const killer = setTimeout(() => {
  console.log(`  FAIL  neovim did not finish within ${6 * TIMEOUT} ms`);
  nvim.kill('SIGKILL');
}, 6 * TIMEOUT);
nvim.on('exit', (code, signal) => {
  clearTimeout(killer);
  const ok = code === 0;
  if (!ok) console.log(`neovim e2e: failed (nvim exit code ${code}${signal ? `, ${signal}` : ''}) after ${Date.now() - started} ms`);
  if (ok && !process.env.KEEP_RUN) rmSync(run, {recursive: true, force: true, maxRetries: 3});
  else console.log(`neovim e2e: run dir kept: ${run}`);
  process.exit(ok ? 0 : 1);
});

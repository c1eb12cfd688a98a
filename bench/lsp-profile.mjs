#!/usr/bin/env node
// Profile the language server (and its analysis workers) while a client opens and edits documents, for
// docs/performance.md ("The language server's own time"):
//
//   node bench/lsp-profile.mjs [--bytes 20000] [--runs 20] [--out artifacts/profile-lsp] [--no-profile]
//   node bench/profile-summary.mjs artifacts/profile-lsp/*.cpuprofile
//
// Each run opens a new document of that size (news from ../shared/data, as bench/lsp.mjs), waits for its
// diagnostics, asks for semantic tokens, types one character and waits for the fresh diagnostics. The server runs
// `dist/server.js` under `--cpu-prof` (worker threads inherit it and write profiles of their own).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {optionValue, round, summary} from './lib/util.mjs';
import {documentOf, newsCorpus, ROOT} from './lib/corpus.mjs';
import {BenchClient} from './lib/lsp-client.mjs';

const argv = process.argv.slice(2);
const bytes = Number(optionValue(argv, '--bytes') ?? 20_000);
const runs = Number(optionValue(argv, '--runs') ?? 20);
const out = path.resolve(optionValue(argv, '--out') ?? path.join(ROOT, 'artifacts', 'profile-lsp'));
fs.mkdirSync(out, {recursive: true});
const {docs} = newsCorpus(Math.max(2_000_000, 2 * bytes));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-lsp-profile-'));
const client = new BenchClient({execArgv: argv.includes('--no-profile') ? [] : ['--cpu-prof', `--cpu-prof-dir=${out}`]});
await client.initialize(tmp);
const open = [];
const edit = [];
for (let run = 0; run < runs; run++) {
  const text = documentOf(docs, bytes, run * 13);
  const t0 = performance.now();
  const uri = await client.open(path.join(tmp, `doc-${run}.txt`), text);
  await client.diagnosticsAt(uri, 1);
  open.push(performance.now() - t0);
  await client.timed('textDocument/semanticTokens/full', {textDocument: {uri}});
  const t1 = performance.now();
  const version = await client.insert(uri, {line: Math.floor(text.split('\n').length / 2), character: 0}, 'x');
  await client.diagnosticsAt(uri, version);
  edit.push(performance.now() - t1 - 150);
  await client.close(uri);
}
await client.stop({graceMs: 10_000});
fs.rmSync(tmp, {recursive: true, force: true});
const o = summary(open);
const e = summary(edit);
process.stderr.write(`${runs} × ${bytes} bytes: open → diagnostics ${round(o.p50)} / ${round(o.p95)} ms, edit ${round(e.p50)} / ${round(e.p95)} ms (+ debounce; p50 / p95, profiled)\nprofiles in ${out}\n`);

#!/usr/bin/env node
// `npm run bench`: Sift's benchmarks (issue 10). Prints each section as a table, then the targets, then every
// figure as JSON (also written to artifacts/bench/). Not part of `npm test`.
//
//   node bench/run.mjs [--only engine,lsp,workspace,package] [--quick] [--out FILE]
//
// Expects a build (`npm run build`: out/ for the engine, dist/ for the CLI and the server). The machine is
// shared: every section records the load average before and after, and latencies are reported as p50/p95.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {load, machine, optionValue, printTable} from './lib/util.mjs';
import {ROOT} from './lib/corpus.mjs';

const argv = process.argv.slice(2);
const valueOf = (flag) => optionValue(argv, flag);
const quick = argv.includes('--quick');
const SECTIONS = ['engine', 'lsp', 'workspace', 'package'];
const only = (valueOf('--only') ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; sections: ${SECTIONS.join(', ')}`);
for (const file of ['out/server/src/engine/index.js', 'dist/cli.js', 'dist/server.js']) {
  if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run npm run build first (npm run bench does)`);
}

const started = new Date();
const report = {command: `node bench/run.mjs ${argv.join(' ')}`.trim(), date: started.toISOString(), machine: machine(), quick, sections: {}};
process.stdout.write(`Sift benchmarks — ${report.date}\nmachine: ${report.machine.cores} cores (${report.machine.cpu}), ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, ${report.machine.os}\n`);

const runners = {
  engine: async () => (await import('./engine.mjs')).runEngine({quick}),
  lsp: async () => (await import('./lsp.mjs')).runLsp({quick}),
  workspace: async () => (await import('./workspace.mjs')).runWorkspace({quick}),
  package: async () => (await import('./package.mjs')).runPackage({quick}),
};
for (const name of SECTIONS.filter((s) => only.includes(s))) {
  const before = load();
  process.stdout.write(`\n== ${name} (load before: ${before.one}, ${before.five}, ${before.fifteen})\n`);
  const t0 = performance.now();
  const result = await runners[name]();
  const after = load();
  report.sections[name] = {...result, load: {before, after}, seconds: Math.round((performance.now() - t0) / 100) / 10};
  process.stdout.write(`  load after: ${after.one}, ${after.five}, ${after.fifteen}\n`);
}

// The targets of issue 10, each with the figure it is judged on.
const targets = [];
const target = (what, goal, value, met) => targets.push({what, goal, value, met: met === null ? 'n/a' : met ? 'met' : 'NOT met'});
const {engine, lsp, workspace, package: pkg} = report.sections;
if (engine) {
  const whole = engine.passes.find((p) => p.name === 'annotate (whole engine)');
  target('whole engine, single thread', '≥ 2 MB/s', `${whole.mbPerSCpu} MB/s cpu (${whole.mbPerS} wall)`, whole.mbPerSCpu >= 2);
  target('whole engine ÷ compromise', '≥ 20×', `${engine.ratios.engineVsCompromise}×`, engine.ratios.engineVsCompromise >= 20);
}
if (lsp) {
  const doc = (name) => lsp.documents.find((d) => d.size === name);
  const d20 = doc('20 KB');
  const d1m = doc('1 MB');
  if (d20) {
    target('20 KB open → diagnostics, p95', '≤ 30 ms', `${d20.openToDiagnostics.p95} ms`, d20.openToDiagnostics.p95 <= 30);
    target('hover (20 KB document), p95', '≤ 5 ms', `${d20.hover.p95} ms`, d20.hover.p95 <= 5);
    target('20 KB edit → fresh diagnostics, p95', '≤ 50 ms + 150 ms debounce', `${d20.editToDiagnosticsMinusDebounce.p95} ms + debounce`, d20.editToDiagnosticsMinusDebounce.p95 <= 50);
  }
  if (d1m) target('1 MB open → diagnostics, p95', '≤ 600 ms', `${d1m.openToDiagnostics.p95} ms`, d1m.openToDiagnostics.p95 <= 600);
  const meanwhile = lsp.whileBigFile.hoverOnOtherFileMeanwhile;
  target('hover in another file while 1 MB is analysed, p95', '≤ 5 ms (not blocked)', `${meanwhile.p95} ms (max ${meanwhile.max}, n ${meanwhile.n})`, meanwhile.p95 <= 5);
  target('file over the size limit', 'not analysed, user told why', lsp.sizeLimit.skipped ? `skipped: ${lsp.sizeLimit.skipped}` : 'analysed', Boolean(lsp.sizeLimit.skipped && lsp.sizeLimit.message));
}
if (workspace) {
  const all = workspace.cli[0];
  target(`${workspace.files.toLocaleString('en-US')} files, sift annotate DIR`, '≤ 30 s', `${all.wallS} s`, all.wallS <= 30);
  target('CLI uses all cores', `≈ ${report.machine.cores} cores`, `${all.coresUsed} cores used`, all.coresUsed >= 0.8 * report.machine.cores);
  target('peak RSS, sift annotate DIR', '≤ 500 MB', `${all.peakRssMb} MB`, all.peakRssMb <= 500);
  target(`${workspace.files.toLocaleString('en-US')} files, server workspace index (progress, cancel: see above), peak RSS until ready`, '≤ 30 s, ≤ 500 MB', workspace.server.skipped ? 'not in the server yet' : workspace.server.error ? `error: ${workspace.server.error}` : `${workspace.server.wallS} s, ${workspace.server.peakRssMb} MB`, workspace.server.skipped ? null : workspace.server.wallS <= 30 && workspace.server.peakRssMb <= 500);
}
if (pkg) {
  target('server start → initialized (production), p95', '≤ 300 ms', `${pkg.startProduction.initialized.p95} ms`, pkg.startProduction.initialized.p95 <= 300);
  target('.vsix size', '≤ 10 MB', pkg.vsix.error ? 'error' : `${pkg.vsix.megabytes} MB`, pkg.vsix.error ? false : pkg.vsix.megabytes <= 10);
}
report.targets = targets;
printTable('Targets (issue 10)', ['figure', 'target', 'measured', ''], targets.map((t) => [t.what, t.goal, t.value, t.met]));

const out = valueOf('--out') ?? path.join(ROOT, 'artifacts', 'bench', `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
fs.mkdirSync(path.dirname(out), {recursive: true});
fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nJSON (also in ${path.relative(process.cwd(), out)}):\n${JSON.stringify(report)}\n`);

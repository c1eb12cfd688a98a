#!/usr/bin/env node
// The long soak of the reliability tests (`npm run soak`, which builds first): the property tests with many more
// cases (SIFT_PROP_SCALE), more random kills, and a longer language-server stress run, repeated with fresh random
// seeds until the time budget is spent. Each round's figures (out/reliability/last-run.json) are summed into
// out/reliability/soak.json. A failure stops the soak and prints fast-check's seed and path, to replay with
// `SIFT_PROP_SEED=… SIFT_PROP_PATH=… npx mocha --grep '…'`.
//
//   node scripts/soak.mjs [--minutes 20] [--scale 20] [--stress-seconds 60] [--grep PATTERN]
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import * as path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const minutes = Number(option('minutes', '20'));
const scale = Number(option('scale', '20'));
const stressSeconds = Number(option('stress-seconds', '60'));
const grep = option('grep', undefined);

const specs = ['out/test/property.*.test.js', 'out/test/reliability/*.test.js'];
if (!existsSync(path.join(root, 'out', 'test', 'property.engine.test.js')) || !existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.error('soak: build first (npm run build), or run it as `npm run soak`');
  process.exit(2);
}
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const figuresFile = path.join(root, 'out', 'reliability', 'last-run.json');
const total = {rounds: 0, seconds: 0, totalCases: 0, totalFaults: 0, bytesChecked: 0, bytesLost: 0, cases: {}, faults: {}, measures: []};
const add = (into, from) => {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
};

const until = Date.now() + minutes * 60 * 1000;
let failed = false;
while (Date.now() < until || total.rounds === 0) {
  const round = total.rounds + 1;
  const started = Date.now();
  console.log(`soak: round ${round} (scale ${scale}, stress ${stressSeconds} s)…`);
  const run = spawnSync(process.execPath, [mocha, '--no-config', '--timeout', '0', '--reporter', 'dot', ...(grep ? ['--grep', grep] : []), ...specs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {...process.env, SIFT_PROP_SCALE: String(scale), SIFT_STRESS_SECONDS: String(stressSeconds)},
  });
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    console.log(run.stdout.slice(-20000));
    console.error(run.stderr.slice(-5000));
    console.error(`soak: round ${round} FAILED after ${seconds.toFixed(0)} s (see the seed and path above to replay)`);
    failed = true;
    break;
  }
  const figures = JSON.parse(readFileSync(figuresFile, 'utf8'));
  total.rounds++;
  total.seconds += seconds;
  total.totalCases += figures.totalCases;
  total.totalFaults += figures.totalFaults;
  total.bytesChecked += figures.bytesChecked;
  total.bytesLost += figures.bytesLost;
  add(total.cases, figures.cases);
  add(total.faults, figures.faults);
  total.measures.push(figures.measures);
  console.log(`soak: round ${round} passed in ${seconds.toFixed(0)} s: ${figures.totalCases} cases, ${figures.totalFaults} faults, ${figures.bytesLost} bytes lost`);
}

mkdirSync(path.dirname(figuresFile), {recursive: true});
const out = path.join(root, 'out', 'reliability', 'soak.json');
writeFileSync(out, `${JSON.stringify({date: new Date().toISOString(), scale, stressSeconds, failed, ...total}, null, 2)}\n`);
console.log(
  `soak: ${total.rounds} round${total.rounds === 1 ? '' : 's'} in ${(total.seconds / 60).toFixed(1)} min: ${total.totalCases} property cases, ${total.totalFaults} faults injected, ${total.bytesChecked} bytes checked, ${total.bytesLost} bytes lost${failed ? '; FAILED' : ''} (${path.relative(root, out)})`,
);
process.exitCode = failed || total.bytesLost > 0 ? 1 : 0;

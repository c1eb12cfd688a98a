/**
 * The benchmark and training scripts link: every name a script imports from another script of the repository is
 * exported by it. Nothing else runs these scripts in the test suite (they take minutes), so a helper renamed or
 * never committed would otherwise only show when someone runs `npm run bench`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {ROOT} from './helpers.js';

const DIRS = ['bench', 'bench/lib', 'scripts'];
const IMPORT_RE = /import\s*\{([^}]*)\}\s*from\s*'(\.{1,2}\/[^']+\.mjs)'/g;

/** Every `import {a, b as c} from './x.mjs'` of the scripts: importer, target, imported names. */
function relativeImports(): Array<{from: string; target: string; names: string[]}> {
  const out: Array<{from: string; target: string; names: string[]}> = [];
  for (const dir of DIRS) {
    for (const file of fs.readdirSync(path.join(ROOT, dir))) {
      if (!file.endsWith('.mjs')) continue;
      const from = path.join(ROOT, dir, file);
      for (const m of fs.readFileSync(from, 'utf8').matchAll(IMPORT_RE)) {
        const names = (m[1] ?? '').split(',').map((s) => s.trim().split(/\s+as\s+/)[0] ?? '').filter(Boolean);
        out.push({from: path.relative(ROOT, from), target: path.resolve(path.dirname(from), m[2] ?? ''), names});
      }
    }
  }
  return out;
}

describe('bench and training scripts', () => {
  const imports = relativeImports();

  it('import one another (the check sees the bench harness and the trainings)', () => {
    const importers = new Set(imports.map((i) => i.from));
    for (const f of ['bench/run.mjs', 'bench/profile.mjs', 'scripts/train-boilerplate.mjs']) assert.ok(importers.has(f), f);
  });

  it('import only names the imported module exports', async () => {
    const missing: string[] = [];
    for (const {from, target, names} of imports) {
      assert.ok(fs.existsSync(target), `${from} imports ${target}, which does not exist`);
      const mod = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
      for (const name of names) if (!(name in mod)) missing.push(`${from}: ${name} from ${path.relative(ROOT, target)}`);
    }
    assert.deepEqual(missing, []);
  });
});

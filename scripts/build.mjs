#!/usr/bin/env node
// Bundle the client, the language server and the CLI with esbuild into dist/ (CommonJS, as VS Code loads
// extensions). unified, retext and vfile are ESM-only; esbuild turns them into one CJS file each.
import * as esbuild from 'esbuild';
import {mkdirSync, readFileSync, writeFileSync, existsSync} from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
mkdirSync('dist', {recursive: true});
// dist/*.js are CommonJS even though the repository is "type": "module".
writeFileSync('dist/package.json', '{"type": "commonjs"}\n');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  define: {'import.meta.url': '__siftImportMetaUrl', SIFT_VERSION: JSON.stringify(pkg.version)},
  banner: {js: 'const __siftImportMetaUrl = require("url").pathToFileURL(__filename).href;'},
};

const entries = [
  {entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: {js: `#!/usr/bin/env node\n${common.banner.js}`}},
];
if (existsSync('server/src/lsp/main.ts')) entries.push({entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js'});
entries.push({entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode']});

await Promise.all(entries.map((entry) => esbuild.build({...common, ...entry})));

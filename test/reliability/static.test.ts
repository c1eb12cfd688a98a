/**
 * Static guarantees, read from what ships: the bundles make no network access (no HTTP client, no DNS, no TLS, no
 * sockets beyond the local pipe or 127.0.0.1 transport of the LSP library), and the manifest and client declare
 * limited support in untrusted workspaces (the glob setting is restricted, workspace-wide edits are not offered).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {ROOT} from '../helpers.js';

const BUNDLES = ['cli.js', 'server.js', 'client.js'];

/** Modules that reach the network. */
const NETWORK_MODULES = /^(node:)?(http|https|http2|tls|dgram|dns|dns\/promises|undici|inspector)$/;
/** Globals and APIs that reach the network. */
const NETWORK_APIS = /\bfetch\s*\(|\bXMLHttpRequest\b|\bnew\s+WebSocket\b|\bEventSource\b|\bnavigator\.sendBeacon\b/;

describe('reliability: what ships', () => {
  for (const bundle of BUNDLES) {
    it(`dist/${bundle} makes no network access`, () => {
      const file = path.join(ROOT, 'dist', bundle);
      const source = fs.readFileSync(file, 'utf8');
      const modules = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
      assert.ok(modules.length > 3, 'found the modules the bundle loads');
      for (const m of modules) assert.ok(!NETWORK_MODULES.test(m), `${bundle} loads ${m}`);
      assert.ok(!NETWORK_APIS.test(source), `${bundle} uses ${NETWORK_APIS.exec(source)?.[0]}`);
      // `net` is the LSP library's transport: a named pipe, or a socket bound to 127.0.0.1 (`--pipe`, `--socket`).
      const uses = [...source.matchAll(/\bnet_1\.(\w+)\)\(([^)]*)\)/g)].map((m) => `${m[1]}(${m[2]})`);
      for (const use of uses) assert.match(use, /^createServer\(\(socket\) => \{\)?$|^createServer\(|^createConnection\((pipeName|port, "127\.0\.0\.1")\)$/, `${bundle}: net.${use}`);
      const listens = [...source.matchAll(/\bserver\.listen\(([^,)]+)(?:,\s*([^,)]+))?/g)].map((m) => [m[1]!.trim(), m[2]?.trim()]);
      for (const [first, second] of listens) assert.ok(first === 'pipeName' || second === '"127.0.0.1"', `${bundle}: listen(${first}, ${second})`);
      // (In an unminified bundle the library's binding is `net_1`; a minified one is checked by module and API only.)
      if (/require\(\s*["'](node:)?net["']\s*\)/.test(source) && source.includes('net_1')) assert.ok(uses.length > 0, 'net is used only as checked above');
    });
  }

  it('the network check catches a bundle that fetches (a check that cannot fail proves nothing)', () => {
    for (const bad of ['const h = require("https");', 'await fetch("https://example.com")', 'require("node:dns")']) {
      const modules = [...bad.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
      assert.ok(modules.some((m) => NETWORK_MODULES.test(m)) || NETWORK_APIS.test(bad), bad);
    }
  });

  it('untrusted workspaces: limited support, glob setting restricted, no workspace-wide edits', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      capabilities: {untrustedWorkspaces: {supported: string | boolean; restrictedConfigurations?: string[]}};
      contributes: {configuration: Array<{properties: Record<string, {type?: string; items?: {type?: string}; markdownDescription?: string}>}>; menus: {commandPalette: Array<{command: string; when?: string}>}};
    };
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    const restricted = new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? []);
    // Every setting that takes a pattern (a glob or a regular expression) is restricted: a workspace cannot set it.
    const properties = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<string, {markdownDescription?: string}>;
    const patterns = Object.entries(properties).filter(([, p]) => /glob|pattern|regular expression|regex/i.test(p.markdownDescription ?? '')).map(([k]) => k);
    assert.ok(patterns.includes('sift.files'));
    for (const key of patterns) assert.ok(restricted.has(key), `${key} takes a pattern and is not restricted in untrusted workspaces`);
    const workspaceStrip = manifest.contributes.menus.commandPalette.find((m) => m.command === 'sift.stripBoilerplateWorkspace');
    assert.match(workspaceStrip?.when ?? '', /isWorkspaceTrusted/, 'the workspace strip is hidden in untrusted workspaces');
    // And the command itself refuses, should it be run some other way (a keybinding, another extension).
    const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    const body = client.slice(client.indexOf('async function stripWorkspace('), client.indexOf('async function exportAnnotations('));
    assert.ok(body.length > 100, 'found stripWorkspace');
    assert.match(body.slice(0, 400), /if \(!vscode\.workspace\.isTrusted\)[\s\S]*?return;/, 'stripWorkspace returns before doing anything in an untrusted workspace');
  });
});

#!/usr/bin/env node
// Sift in a real VS Code: installs the packaged .vsix into a fresh code-server 4.100.3 (VS Code 1.100.3 workbench and
// extension host), opens a workspace holding copies of ../shared/samples in Debian's chromium driven by
// playwright-core, and checks what a user sees (issue 4, steps 1-6; issue 7, the cross-source steps 7-12). Waits on
// conditions, never on fixed sleeps.
// Screenshots go to artifacts/e2e/ (OUT); a failure adds failure-*.png, code-server.log and the VS Code logs there.
// Env: VSIX, CODE_SERVER, CHROMIUM, OUT, RUN_ROOT, PORT, KEEP_RUN=1 (keep the run dir), E2E_TIMEOUT (ms per wait).
import {execFile, spawn} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {chromium} from 'playwright-core';
import {analyse, analyseFolder, assert, Checks, count, crossSource, excerpt, findVsix, freePort, HERE, hoverTargets,
  isStoryParagraph, mentionsOf, position, ROOT, runDir, sample, SAMPLES, splitLines, TYPE_NAMES} from './lib.mjs';

const OUT = path.resolve(process.env.OUT ?? path.join(ROOT, 'artifacts/e2e'));
const CODE_SERVER = path.resolve(process.env.CODE_SERVER ?? path.join(HERE, 'code-server/node_modules/.bin/code-server'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.E2E_TIMEOUT ?? 20_000);
const FIRST_TIMEOUT = Math.max(TIMEOUT, 60_000); // the first diagnostics wait for the extension host and the server
const WATCHDOG = Number(process.env.E2E_WATCHDOG ?? 300_000);

const checks = new Checks('VS Code (code-server) e2e');
let shot = 0;
let page;
let codeServer;
let run;

/** Saves a numbered screenshot under OUT. */
async function screenshot(name) {
  const file = path.join(OUT, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({path: file});
  return file;
}

/** Polls `probe` until it returns a truthy value; throws the last reason after `timeout` ms. */
async function waitFor(label, probe, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${label}${last ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs one check; a failure is recorded with a screenshot and the run goes on. */
async function step(label, fn) {
  try {
    const detail = await fn();
    checks.ok(label, detail);
  } catch (error) {
    checks.fail(label, error);
    try {
      await page?.screenshot({path: path.join(OUT, `failure-${String(shot + 1).padStart(2, '0')}.png`)});
      shot++;
    } catch {}
    await page?.keyboard.press('Escape').catch(() => {});
  }
}

// --- workbench helpers --------------------------------------------------------------------------------------------

/** Opens a workspace file from the Explorer and waits until its editor is the active one. */
async function openFile(name) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', {hasText: name});
  await row.first().waitFor({timeout: TIMEOUT});
  await row.first().dblclick();
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({timeout: TIMEOUT});
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({timeout: TIMEOUT});
}

/** Moves the cursor to a 1-based line and column with Go to Line (Ctrl+G), which also reveals it. */
async function goto(line, col = 1) {
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({state: 'visible', timeout: TIMEOUT});
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({state: 'hidden', timeout: TIMEOUT});
  await waitFor(`the cursor at Ln ${line}, Col ${col}`, async () =>
    (await page.locator('#status\\.editor\\.selection').innerText()).includes(`Ln ${line}, Col ${col}`));
}

/**
 * The lines the active editor renders (Monaco only renders the visible ones), by 1-based line number: the text, and
 * for each character the span style a user sees (colour, opacity, classes). Pairs view lines with line numbers by
 * their screen position.
 */
function renderedLines() {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return {};
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')];
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    const result = {};
    for (const number of numbers) {
      const top = number.getBoundingClientRect().top;
      const line = lines.find((l) => Math.abs(l.getBoundingClientRect().top - top) < 2);
      if (!line) continue;
      const spans = [...line.querySelectorAll('span > span')].filter((s) => s.textContent.trim());
      result[Number(number.textContent)] = {
        text: line.textContent.replace(/\u00a0/g, ' '),
        faded: spans.length > 0 && spans.every((s) => Number(getComputedStyle(s).opacity) < 1),
        unnecessary: spans.some((s) => s.className.includes('squiggly-inline-unnecessary')),
      };
    }
    return result;
  });
}

/** The screen box, span colour and classes of the character at a 1-based line and column (after goto reveals it). */
function charAt(line, col) {
  return page.evaluate(([line, col]) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find((n) => Number(n.textContent) === line);
    if (!number) return null;
    const top = number.getBoundingClientRect().top;
    const view = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => Math.abs(l.getBoundingClientRect().top - top) < 2);
    if (!view) return null;
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
    let index = col - 1;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (index < node.length) {
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const box = range.getBoundingClientRect();
        const span = node.parentElement;
        const style = getComputedStyle(span);
        return {x: box.x + box.width / 2, y: box.y + box.height / 2, char: node.data[index], color: style.color,
          opacity: style.opacity, className: span.className};
      }
      index -= node.length;
    }
    return null;
  }, [line, col]);
}

/**
 * The text of the visible hover's markdown parts: what the hover provider returned. The parts that show the
 * diagnostics under the mouse (their messages) are left out, so a hover made only of the diagnostic messages fails.
 */
async function hoverText() {
  const parts = page.locator('.monaco-hover:not(.hidden) .markdown-hover');
  if (!(await parts.count())) return '';
  return (await parts.allInnerTexts()).join('\n');
}

/** Hovers the mouse over the character at a 1-based line and column and waits for a hover containing all `needles`. */
async function hoverAt(line, col, needles, timeout = TIMEOUT) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await goto(line, col);
  const box = await waitFor(`line ${line} rendered`, () => charAt(line, col));
  await page.mouse.move(box.x - 3, box.y, {steps: 2});
  await page.mouse.move(box.x, box.y, {steps: 3});
  const text = await waitFor(`a hover with ${needles.join(', ')}`, async () => {
    const text = await hoverText();
    return !/Loading\.\.\./.test(text) && needles.every((n) => text.includes(n)) ? text : null;
  }, timeout);
  // Let its fade-in finish, so that the screenshot shows it as a user does.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.target?.closest?.('.monaco-hover')).map((a) => a.finished)));
  return text;
}

/** Runs a palette command by its title. */
async function palette(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({state: 'visible', timeout: TIMEOUT});
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', {hasText: title}).first();
  await row.waitFor({timeout: TIMEOUT});
  await row.click();
  await page.locator('.quick-input-widget').waitFor({state: 'hidden', timeout: TIMEOUT});
}

/** Saves the active editor and waits until the file on disk differs from `before`. */
async function saveAndRead(file, before) {
  await page.keyboard.press('Control+s');
  return waitFor(`${path.basename(file)} saved`, () => {
    const now = readFileSync(file, 'utf8');
    return now !== before ? now : null;
  });
}

/** Rows of the Problems panel (a virtual list: scrolls through it), as their visible text. */
async function problemRows() {
  const list = page.locator('.markers-panel .monaco-list');
  await list.first().waitFor({timeout: TIMEOUT});
  const seen = new Map();
  let stale = 0;
  for (let i = 0; i < 200 && stale < 3; i++) {
    const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => [e.getAttribute('data-index'), e.innerText.replace(/\s+/g, ' ').trim()]));
    const size = seen.size;
    for (const [index, text] of rows) seen.set(index, text);
    stale = seen.size === size ? stale + 1 : 0;
    const box = await list.first().boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, box.height * 0.8);
    await page.waitForTimeout(50);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

// --- the cross-source views (issue 7) -------------------------------------------------------------------------------

/** Expands or collapses a section of the Explorer (its header's aria-label starts with `label`) unless it already is. */
async function section(label, expanded) {
  const header = page.locator(`.pane-header[aria-label^="${label}"]`).first();
  await header.waitFor({timeout: TIMEOUT});
  const state = async () => (await header.getAttribute('aria-expanded')) === String(expanded);
  await waitFor(`the "${label}" section ${expanded ? 'expanded' : 'collapsed'}`, async () => {
    if (await state()) return true;
    await header.click();
    await waitFor('the section to follow the click', state, TIMEOUT / 4).catch(() => {});
    return false;
  });
}

/** Drags the sash right of the side bar until the side bar is `width` pixels wide; returns the width it had. */
async function sideBarWidth(width) {
  const before = await page.locator('.part.sidebar').boundingBox();
  if (Math.abs(before.width - width) > 2) {
    const x = before.x + before.width + 1;
    const y = before.y + before.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + Math.sign(width - before.width) * 20, y, {steps: 4});
    await page.mouse.move(before.x + width + 1, y, {steps: 8});
    await page.mouse.up();
    await page.mouse.move(5, 5);
  }
  return before.width;
}

/**
 * The rows a tree view renders (a virtual list: the rows in sight and a few more), in order: level, label,
 * description, aria-label (the tooltip or label and description), expanded state, and the label of the row's parent.
 */
function treeRows(view) {
  return page.$$eval(`.monaco-list[aria-label="${view}"] .monaco-list-row`, (rows) => {
    const all = rows.map((r) => ({index: Number(r.dataset.index), level: Number(r.getAttribute('aria-level')), aria: r.getAttribute('aria-label') ?? '',
      label: r.querySelector('.label-name')?.textContent ?? '', description: r.querySelector('.label-description')?.textContent ?? '',
      expanded: r.getAttribute('aria-expanded')})).sort((a, b) => a.index - b.index);
    return all.map((r, i) => ({...r, parent: all.slice(0, i).reverse().find((p) => p.level === r.level - 1)?.label ?? null}));
  });
}

/** What a tree view says instead of rows ("Indexing sources: 3/6…", the welcome text), for failure messages. */
async function viewMessage(view) {
  const body = page.locator('.pane-body', {has: page.locator(`.monaco-list[aria-label="${view}"]`)});
  const texts = await body.locator('.message:not(.hide), .welcome-view-content').allInnerTexts().catch(() => []);
  return texts.join(' ').replace(/\s+/g, ' ').trim() || 'no rows';
}

/** Clicks a tree row: its twistie (expands or collapses it) or its label (runs its command). */
async function clickRow(view, row, part = 'twistie') {
  const target = part === 'twistie' ? '.monaco-tl-twistie' : '.label-name';
  await page.locator(`.monaco-list[aria-label="${view}"] .monaco-list-row[data-index="${row.index}"] ${target}`).click();
}

/**
 * Expands a collapsed tree row; true when it already was expanded (probes call it, then read the rows again). Waits
 * for the row to say it is expanded, so that a probe that comes back soon does not click it shut.
 */
async function expanded(view, row) {
  if (row.expanded === 'true') return true;
  if (row.expanded !== 'false') return false;
  await clickRow(view, row);
  const at = page.locator(`.monaco-list[aria-label="${view}"] .monaco-list-row[data-index="${row.index}"]`);
  await waitFor(`"${row.label}" expanded`, async () => (await at.getAttribute('aria-expanded')) !== 'false', TIMEOUT / 4).catch(() => {});
  return false;
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor is the active one. */
async function quickOpen(name) {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({state: 'visible', timeout: TIMEOUT});
  await input.fill(name);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {hasText: name}).first();
  await row.waitFor({timeout: TIMEOUT});
  await row.click();
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({timeout: TIMEOUT});
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({timeout: TIMEOUT});
}

/** Waits until the active editor is `name` and the status bar shows `selection` ("Ln 13, Col 5 (13 selected)"). */
async function waitForEditorAt(name, selection) {
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({timeout: TIMEOUT});
  await waitFor(`"${selection}" in the status bar`, async () => (await page.locator('#status\\.editor\\.selection').innerText()).trim() === selection);
}

/** The status bar's text for a selection from offset `start` to `end` of `text`, the cursor at `end` (1-based). */
function selectionText(text, start, end) {
  const at = position(text, end);
  return `Ln ${at.line + 1}, Col ${at.col + 1}${end > start ? ` (${end - start} selected)` : ''}`;
}

/** The rows of the open quick input, as their visible text (label, description, detail). */
function quickInputRows() {
  return page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((r) => ({
    label: r.querySelector('.label-name')?.textContent ?? '', description: r.querySelector('.label-description')?.textContent ?? '',
    text: r.innerText.replace(/\s+/g, ' ').trim()})));
}

// --- the run --------------------------------------------------------------------------------------------------------

async function main() {
  const vsix = findVsix();
  for (const [what, file] of [['the .vsix (npm run package)', vsix], ['code-server (bash .ci/install-e2e.sh)', CODE_SERVER],
    ['chromium (bash .ci/install-e2e.sh)', CHROMIUM]]) {
    if (!file || !existsSync(file)) {
      console.error(`vscode e2e: missing ${what}${file ? `: ${file}` : ''}`);
      process.exit(2);
    }
  }
  mkdirSync(OUT, {recursive: true});
  for (const f of readdirSync(OUT)) if (/^(\d\d-.*|failure-.*)\.png$|^code-server\.log$|^logs$/.test(f)) rmSync(path.join(OUT, f), {recursive: true});

  run = runDir('vsc-');
  const dirs = Object.fromEntries(['user-data', 'extensions', 'profile', 'home', 't', 'ws'].map((d) => [d, path.join(run, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, {recursive: true});
  // Everything code-server, the VS Code server and chromium write goes into the run dir (pitfall 6).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VSCODE_|ELECTRON_)/.test(k)));
  Object.assign(env, {HOME: dirs.home, XDG_CONFIG_HOME: path.join(dirs.home, '.config'), XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'), TMPDIR: dirs.t});
  const port = Number(process.env.PORT ?? (await freePort()));
  const config = path.join(run, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  mkdirSync(path.join(dirs['user-data'], 'User'), {recursive: true});
  writeFileSync(path.join(dirs['user-data'], 'User/settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false, 'git.enabled': false, 'editor.minimap.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false, 'chat.commandCenter.enabled': false,
  }, null, 2));
  for (const f of readdirSync(SAMPLES)) {
    if (!f.endsWith('.txt')) continue;
    cpSync(path.join(SAMPLES, f), path.join(dirs.ws, f));
    chmodSync(path.join(dirs.ws, f), 0o644); // the seed samples are read-only
  }
  cpSync(path.join(ROOT, 'samples/harbour-strike.txt'), path.join(dirs.ws, 'harbour-strike.txt'));
  const csArgs = ['--config', config, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];

  const t0 = Date.now();
  const installed = await promisify(execFile)(CODE_SERVER, [...csArgs, '--install-extension', vsix], {env, timeout: 120_000});
  assert(/successfully installed/i.test(installed.stdout + installed.stderr), `installing ${vsix} failed:\n${installed.stdout}${installed.stderr}`);
  checks.ok(`installed ${path.basename(vsix)}`, `${Date.now() - t0} ms`);

  const log = path.join(run, 'code-server.log');
  codeServer = spawn(CODE_SERVER, [...csArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', dirs.ws],
  {env, detached: true, stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')]});
  const url = `http://127.0.0.1:${port}`;
  await waitFor('code-server to answer', async () => (await fetch(`${url}/healthz`)).ok, 60_000);
  checks.ok('code-server up', `${url}, ${Date.now() - t0} ms`);

  const browser = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: CHROMIUM, env, headless: true, viewport: {width: 1600, height: 1000},
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`${url}/?folder=${encodeURIComponent(dirs.ws)}`);
  await page.locator('.monaco-workbench').waitFor({timeout: 60_000});
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({timeout: 60_000});
  checks.ok('workbench loaded', `${Date.now() - t0} ms`);

  // --- 1. 002: the newsletter and teaser lines are faded and listed in the Problems panel with their reasons -------
  const f002 = sample('002');
  const a002 = analyse(f002);
  const flagged002 = new Map(a002.boilerplate.map((b) => [b.line + 1, b]));
  const newsletter = a002.lines.flatMap((l, i) => (/newsletter/i.test(l) ? [i + 1] : []));
  await step('1. 002: boilerplate lines faded, story lines not', async () => {
    assert(newsletter.length > 0 && newsletter.every((n) => flagged002.has(n)), 'the engine should flag every newsletter line of 002');
    assert([...flagged002.values()].some((b) => b.category === 'teaser'), 'the engine should flag teasers in 002');
    await openFile(path.basename(f002));
    const seen = new Map();
    const check = async (timeout) => waitFor('faded boilerplate lines', async () => {
      const lines = await renderedLines();
      for (const [n, l] of Object.entries(lines)) {
        if (!l.text.trim()) continue;
        if (flagged002.has(Number(n)) !== l.faded || flagged002.has(Number(n)) !== l.unnecessary) return null;
      }
      for (const [n, l] of Object.entries(lines)) seen.set(Number(n), l);
      return true;
    }, timeout);
    await check(FIRST_TIMEOUT);
    await screenshot('002-faded-boilerplate');
    await goto(a002.lines.length);
    await check(TIMEOUT);
    await goto(1);
    const missing = [...flagged002.keys()].filter((n) => !seen.has(n));
    assert(!missing.length, `lines never rendered: ${missing.join(', ')}`);
    const story = [...seen].filter(([n, l]) => l.text.trim() && !flagged002.has(n)).length;
    return `${flagged002.size} boilerplate lines faded (${newsletter.length} newsletter prompts), ${story} other lines not`;
  });
  await step('1. 002: the Problems panel lists each boilerplate line with its reason', async () => {
    await page.keyboard.press('Control+Shift+M');
    await waitFor('Sift problems', async () => (await page.locator('.markers-panel').innerText()).includes('Boilerplate ('));
    await screenshot('002-problems-panel');
    const rows = await problemRows();
    const missing = [];
    for (const [n, b] of flagged002) {
      const message = `Boilerplate (${b.category}): ${b.reason}`;
      if (!rows.some((r) => r.includes(message) && r.includes(`[Ln ${n}, Col `))) missing.push(`line ${n}: ${message}`);
    }
    assert(!missing.length, `not in the Problems panel: ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? ` … (${missing.length})` : ''}\nrows: ${rows.slice(0, 5).join(' | ')}`);
    await page.keyboard.press('Control+j');
    return `${flagged002.size} of ${rows.length} rows checked`;
  });

  // --- 3. the quick fix on one boilerplate line removes exactly that line --------------------------------------------
  await step('3. 002: quick fix "Remove this boilerplate line" removes exactly that line', async () => {
    const target = newsletter[0];
    const before = readFileSync(path.join(dirs.ws, path.basename(f002)), 'utf8');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await goto(target, 3);
    await page.keyboard.press('Control+.');
    const title = 'Remove this boilerplate line';
    const widget = page.locator('.action-widget').filter({hasText: title}).first();
    await widget.waitFor({timeout: TIMEOUT});
    const menu = await widget.innerText();
    assert(/Remove all boilerplate in this file/.test(menu) && /Keep this line/.test(menu), `the quick fix menu lacks the other actions: ${menu}`);
    await screenshot('002-quick-fix-menu');
    // Choose it with the keyboard, as a user would (a pointer block covers the menu right after it opens).
    await waitFor(`"${title}" focused in the menu`, async () => {
      const focused = await widget.locator('.monaco-list-row.focused').getAttribute('aria-label').catch(() => null);
      if (focused === title) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    });
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').first().waitFor({state: 'hidden', timeout: TIMEOUT}).catch(() => {});
    const after = await saveAndRead(path.join(dirs.ws, path.basename(f002)), before);
    // The expected file: the original without line `target` and its line break.
    const starts = [0];
    for (const m of before.matchAll(/\r\n|\n|\r/g)) starts.push(m.index + m[0].length);
    const expected = before.slice(0, starts[target - 1]) + before.slice(starts[target] ?? before.length);
    await screenshot('002-after-quick-fix');
    assert(after === expected, `the file on disk differs from the original by more than line ${target} (${before.length} → ${after.length} chars, expected ${expected.length})`);
    return `line ${target} removed, ${before.length - after.length} chars, nothing else changed`;
  });

  // --- 2. hovers in 000: a quotation shows its speaker; an entity its type ------------------------------------------
  const f000 = sample('000');
  const a000 = analyse(f000);
  const {quote, entity} = hoverTargets(a000);
  await step('2. 000: hovering a quotation shows the speaker "Ibrahim Kalin"', async () => {
    assert(quote, 'the engine should attribute a quotation of 000 to Ibrahim Kalin');
    await openFile(path.basename(f000));
    const at = position(a000.text, quote.start + 2);
    const text = await hoverAt(at.line + 1, at.col + 1, ['Ibrahim Kalin', quote.cue]);
    await screenshot('000-hover-quotation');
    return text.replace(/\s+/g, ' ').slice(0, 100);
  });
  await step('2. 000: hovering an entity shows its type', async () => {
    assert(entity, 'the engine should find a named entity on a story line of 000');
    const at = position(a000.text, entity.start + 1);
    const text = await hoverAt(at.line + 1, at.col + 1, [TYPE_NAMES[entity.type], entity.canonical]);
    await screenshot('000-hover-entity');
    return `${entity.type} → ${text.replace(/\s+/g, ' ').slice(0, 100)}`;
  });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // --- 5. the status bar shows the file's counts --------------------------------------------------------------------
  await step('5. 000: the status bar shows the counts', async () => {
    // Quotations: the status bar counts the quoted ones (direct and partial); all of them would do too.
    const quotes = new Set([a000.quotes.filter((q) => q.direct).length, a000.quotes.length]);
    const want = new RegExp(`^Sift: ${a000.boilerplate.length} boilerplate · (${[...quotes].join('|')}) quotes · ${a000.entities.length} entities$`);
    const item = page.locator('.statusbar-item', {hasText: 'Sift:'}).first();
    const text = await waitFor(`${want} in the status bar`, async () => {
      const text = (await item.innerText()).trim();
      return want.test(text) ? text : null;
    });
    await screenshot('000-status-bar');
    return text;
  });

  // --- 6. entities and quotes carry semantic colours ----------------------------------------------------------------
  await step('6. 000: entities and quotations carry semantic colours', async () => {
    const inSpan = (o, spans) => spans.some((s) => s.start <= o && o < s.end);
    const boiler = new Set(a000.boilerplate.map((b) => b.line));
    const person = a000.entities.find((e) => e.type === 'PER' && !inSpan(e.start, a000.quotes) && !boiler.has(position(a000.text, e.start).line));
    assert(person, 'the engine should find a person outside quotations in 000');
    const direct = a000.quotes.find((q) => q.direct && !boiler.has(position(a000.text, q.start).line));
    assert(direct, 'the engine should find a direct quotation in 000');
    const quoteOffset = [...Array(direct.end - direct.start).keys()].map((i) => direct.start + i)
      .find((o) => /\w/.test(a000.text[o]) && !inSpan(o, a000.entities));
    // A plain letter: on a story paragraph, outside every quotation and entity.
    let plain;
    for (let o = 0; o < a000.text.length && plain === undefined; o++) {
      const p = position(a000.text, o);
      if (/[a-z]/.test(a000.text[o]) && isStoryParagraph(a000.lines[p.line]) && !boiler.has(p.line) && !inSpan(o, a000.quotes) && !inSpan(o, a000.entities)) plain = o;
    }
    const colourAt = async (offset) => {
      const at = position(a000.text, offset);
      await goto(at.line + 1, at.col + 1);
      return waitFor('the character rendered', () => charAt(at.line + 1, at.col + 1));
    };
    const colours = await waitFor('semantic colours', async () => {
      const c = {plain: await colourAt(plain), person: await colourAt(person.start + 1), quote: await colourAt(quoteOffset)};
      return c.person.color !== c.plain.color && c.quote.color !== c.plain.color ? c : null;
    });
    // Evidence from VS Code itself: the token inspector names the semantic token type.
    const at = position(a000.text, person.start + 1);
    await goto(at.line + 1, at.col + 1);
    await palette('Developer: Inspect Editor Tokens and Scopes');
    const widget = page.locator('.token-inspect-widget');
    await waitFor('the token inspector to name the person token', async () => /semantic token type\s*person/i.test(await widget.innerText()));
    await screenshot('000-semantic-tokens');
    await page.keyboard.press('Escape');
    return `plain ${colours.plain.color}, person ${colours.person.color}, quotation ${colours.quote.color}`;
  });

  // --- 4. Strip Boilerplate in This File leaves the story's paragraphs intact, byte for byte --------------------------
  await step('4. 000: "Sift: Strip Boilerplate in This File" removes the boilerplate and keeps the story byte for byte', async () => {
    const file = path.join(dirs.ws, path.basename(f000));
    const before = readFileSync(file, 'utf8');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await palette('Sift: Strip Boilerplate in This File');
    const after = await saveAndRead(file, before);
    await screenshot('000-after-strip');
    const lines = splitLines(after);
    const boiler = new Set(a000.boilerplate.map((b) => b.line));
    const story = a000.lines.filter((l, i) => isStoryParagraph(l) && !boiler.has(i));
    assert(story.length >= 3, `000 should have story paragraphs (found ${story.length})`);
    let from = 0;
    for (const paragraph of story) {
      const at = lines.indexOf(paragraph, from);
      assert(at >= 0, `a story paragraph is missing or changed after stripping: line ${a000.lines.indexOf(paragraph) + 1}`);
      from = at + 1;
    }
    const kept = a000.lines.filter((l, i) => l.trim() && !boiler.has(i));
    const now = lines.filter((l) => l.trim());
    assert(JSON.stringify(now) === JSON.stringify(kept), `after stripping, the non-blank lines should be exactly the original's minus its ${boiler.size} boilerplate lines (got ${now.length}, expected ${kept.length})`);
    return `${boiler.size} boilerplate lines gone, ${story.length} story paragraphs intact`;
  });

  // --- 7-12. across sources (issue 7): the two views, workspace symbols, references, the story lens, the overview ------
  // On the workspace as the steps above left it (000 stripped, a line of 002 removed, all saved). The expectations come
  // from the CLI on that folder now: `sift report` runs the index the server runs, `sift annotate` the engine. The
  // index follows the editor and the disk in the background, so every check waits until the editor shows them.
  const PERSON = 'Ibrahim Kalin';
  const VIEW_TYPES = {PER: 'People', ORG: 'Organisations', LOC: 'Places', MISC: 'Other names'};
  let xs;
  const expected = () => {
    if (xs) return xs;
    const analyses = analyseFolder(dirs.ws);
    const report = crossSource(dirs.ws);
    const mentions = mentionsOf(analyses, PERSON);
    const linesOf = (file) => [...new Set(mentions.get(file).map((e) => position(analyses.get(file).text, e.start).line + 1))];
    // The Quotes view's order of speakers (server/src/lsp/workspace.ts): most quotations in several sources first.
    const sharedBy = (speaker) => report.sharedQuotations.filter((q) => (q.speaker ?? 'Unknown speaker') === speaker).length;
    const speakers = report.speakers.map((sp) => ({...sp, shared: sharedBy(sp.speaker)}))
      .sort((a, b) => Number(a.speaker === 'Unknown speaker') - Number(b.speaker === 'Unknown speaker') || b.shared - a.shared
        || b.quotations - a.quotations || (a.speaker < b.speaker ? -1 : 1));
    const types = Object.keys(VIEW_TYPES).filter((t) => [...analyses.values()].some((a) => a.entities.some((e) => e.type === t)));
    return (xs = {analyses, report, mentions, linesOf, speakers, types, f000: path.basename(sample('000'))});
  };
  let sideBar;

  await step(`7. the "Sift: Entities" view: People → "${PERSON}" → the files that name him`, async () => {
    const {analyses, mentions, linesOf, types, f000} = expected();
    assert(mentions.size >= 2 && mentions.has(f000),
      `the engine should name ${PERSON} in 000 and another sample (found: ${[...mentions.keys()].join(', ')})`);
    const total = [...mentions.values()].reduce((n, m) => n + m.length, 0);
    const view = 'Sift: Entities';
    // Room for the two views: the file list folded, the side bar wider (for the screenshots).
    sideBar ??= await sideBarWidth(560);
    await section('Explorer Section', false);
    await section(`${view} Section`, true);
    await section('Sift: Quotes Section', true);
    const children = await waitFor(`People → ${PERSON} → ${mentions.size} files in the Entities view`, async () => {
      const rows = await treeRows(view);
      const top = rows.filter((r) => r.level === 1);
      if (top.map((r) => r.label).join(' | ') !== types.map((t) => VIEW_TYPES[t]).join(' | ')) {
        throw new Error(`top level: ${top.map((r) => `${r.label} (${r.description})`).join(', ') || await viewMessage(view)}`);
      }
      const odd = top.find((r) => !/^\d+ names? · \d+ mentions?$/.test(r.description));
      if (odd) throw new Error(`${odd.label}: "${odd.description}"`);
      if (!(await expanded(view, top.find((r) => r.label === 'People')))) return null;
      const person = rows.find((r) => r.level === 2 && r.parent === 'People' && r.label === PERSON);
      if (!person) throw new Error(`no "${PERSON}" under People: ${rows.filter((r) => r.parent === 'People').map((r) => r.label).join(', ')}`);
      const description = `${count(mentions.size, 'file')} · ${count(total, 'mention')}`;
      if (person.description !== description) throw new Error(`${PERSON}: "${person.description}", expected "${description}"`);
      if (!(await expanded(view, person))) return null;
      const files = rows.filter((r) => r.level === 3 && r.parent === PERSON);
      const got = files.map((r) => r.label).sort().join(', ');
      const want = [...mentions.keys()].sort().join(', ');
      if (got !== want) throw new Error(`${PERSON}'s files: ${got || 'none'}, expected ${want}`);
      for (const row of files) {
        const want = count(mentions.get(row.label).length, 'mention');
        if (!row.description.startsWith(`${want} · `)) throw new Error(`${row.label}: "${row.description}", expected ${want}`);
        const tooltip = `${row.label}: lines ${linesOf(row.label).join(', ')}`;
        if (row.aria !== tooltip) throw new Error(`${row.label}: tooltip "${row.aria}", expected "${tooltip}"`);
      }
      return files;
    }, FIRST_TIMEOUT);
    // A file of the name opens its first mention there, selected (a file other than the active editor's: in that one,
    // the view offers a pick of its mentions instead).
    const file = [...mentions.keys()].filter((f) => f !== f000).at(-1);
    const first = mentions.get(file)[0];
    await clickRow(view, children.find((r) => r.label === file), 'label');
    await waitForEditorAt(file, selectionText(analyses.get(file).text, first.start, first.end));
    await screenshot('entities-view');
    const perFile = children.map((r) => `${r.label.slice(0, 3)} (${r.description.split(' · ')[0]})`).join(', ');
    const line = position(analyses.get(file).text, first.start).line + 1;
    return `${types.map((t) => VIEW_TYPES[t]).join(', ')}; ${PERSON}: ${count(total, 'mention')} in ${perFile}; ${file.slice(0, 3)} opens at line ${line}`;
  });

  await step(`8. the "Sift: Quotes" view: "${PERSON}" first, his quotation carried by two sources, each copy opens`, async () => {
    const {analyses, report, speakers} = expected();
    const top = speakers[0];
    assert(top?.speaker === PERSON, `sift report: ${PERSON} should have the most quotations in several sources (first: ${top?.speaker})`);
    const quote = report.sharedQuotations.find((q) => q.speaker === PERSON);
    const sources = new Set(quote.sources.map((s) => s.file));
    const view = 'Sift: Quotes';
    await section(`${view} Section`, true);
    await section('Sift: Entities Section', false);
    const label = `“${excerpt(quote.text)}”`;
    const diff = (s) => (s.added === 0 && s.removed === 0 ? 'same words'
      : [s.removed ? `${count(s.removed, 'word')} fewer` : '', s.added ? `${count(s.added, 'word')} more` : ''].filter(Boolean).join(', '));
    const copies = await waitFor(`${PERSON} → ${label} → ${quote.sources.length} copies in the Quotes view`, async () => {
      const rows = await treeRows(view);
      const speaker = rows.find((r) => r.level === 1);
      if (!speaker) throw new Error(await viewMessage(view));
      const description = `${count(top.quotations, 'quotation')} · ${top.shared} in several sources`;
      if (speaker.label !== PERSON || speaker.description !== description) {
        throw new Error(`first speaker: ${speaker.label} "${speaker.description}", expected ${PERSON} "${description}"`);
      }
      if (!(await expanded(view, speaker))) return null;
      const quotation = rows.find((r) => r.level === 2 && r.parent === PERSON);
      const carried = count(sources.size, 'source');
      if (!quotation || quotation.label !== label || quotation.description !== carried) {
        throw new Error(`first quotation: ${quotation ? `${quotation.label} "${quotation.description}"` : 'none'}, expected ${label} "${carried}"`);
      }
      if (!(await expanded(view, quotation))) return null;
      const children = rows.filter((r) => r.level === 3 && r.parent === label);
      const want = (s) => `line ${s.line + 1} · ${diff(s)}`;
      const missing = quote.sources.filter((s) => !children.some((r) => r.label === s.file && r.description.startsWith(want(s))));
      if (missing.length || children.length !== quote.sources.length) {
        const seen = children.map((r) => `${r.label} "${r.description}"`).join('; ') || 'none';
        throw new Error(`copies: ${seen}; expected ${quote.sources.map((s) => `${s.file} "${want(s)}"`).join('; ')}`);
      }
      return children;
    });
    // The copy in the other source opens there, the quotation selected.
    const other = quote.sources.find((s) => !s.file.startsWith('000_')) ?? quote.sources.at(-1);
    await clickRow(view, copies.find((r) => r.label === other.file), 'label');
    await waitForEditorAt(other.file, selectionText(analyses.get(other.file).text, other.start, other.end));
    await screenshot('quotes-view');
    const copiesAt = quote.sources.map((s) => `${s.file.slice(0, 3)}:${s.line + 1} (${diff(s)})`).join(', ');
    return `${PERSON}: ${count(top.quotations, 'quotation')}, ${top.shared} in several sources; ${label.slice(0, 40)}…” in ${copiesAt}`;
  });

  await step(`9. workspace symbols (Ctrl+T "Kalin") list "${PERSON}" in each file that names him`, async () => {
    const {analyses, mentions, f000} = expected();
    await page.keyboard.press('Control+t');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({state: 'visible', timeout: TIMEOUT});
    await input.fill(`#${PERSON.split(' ').at(-1)}`);
    const want = [...mentions].map(([file, m]) => `${file} · ${count(m.length, 'mention')}`);
    const rows = await waitFor(`${mentions.size} "${PERSON}" symbols`, async () => {
      const rows = (await quickInputRows()).filter((r) => r.label === PERSON);
      const missing = want.filter((w) => !rows.some((r) => r.description.startsWith(w)));
      if (missing.length || rows.length !== want.length) {
        throw new Error(`rows: ${rows.map((r) => r.description).join(' | ') || 'none'}; missing: ${missing.join(' | ')}`);
      }
      return rows;
    });
    await screenshot('workspace-symbols');
    // Picking one opens the file at the name's first mention.
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {hasText: f000}).first().click();
    const first = mentions.get(f000)[0];
    await waitForEditorAt(f000, selectionText(analyses.get(f000).text, first.start, first.start));
    return rows.map((r) => r.description).join(' | ');
  });

  await step(`10. Find All References (Shift+F12) on "Kalin" in 000 lists every mention in every file`, async () => {
    const {analyses, report, mentions, f000} = expected();
    const a = analyses.get(f000);
    // The "Kalin" after his quotation that 001 carries too ("line 15" of the samples), else his first mention.
    const quoteLine = report.sharedQuotations.find((q) => q.speaker === PERSON)?.sources.find((s) => s.file === f000)?.line;
    const on = (e) => position(a.text, e.start).line;
    const target = mentions.get(f000).find((e) => on(e) === quoteLine && e.text === PERSON.split(' ').at(-1)) ?? mentions.get(f000)[0];
    const at = position(a.text, target.start + 1);
    await quickOpen(f000);
    await goto(at.line + 1, at.col + 1);
    await page.keyboard.press('Shift+F12');
    const total = [...mentions.values()].reduce((n, m) => n + m.length, 0);
    const want = [...mentions].map(([file, m]) => `${file} ${m.length}`).sort().join(', ');
    const peek = page.locator('.peekview-widget').first();
    const got = await waitFor(`a references peek with ${total} references in ${mentions.size} files`, async () => {
      const head = (await peek.locator('.head').innerText()).replace(/\s+/g, ' ');
      const files = (await peek.locator('.ref-tree .monaco-list-row[aria-level="1"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label'))))
        .map((l) => /^(\d+) symbols? in (.+?), full path/.exec(l)).filter(Boolean).map((m) => `${m[2]} ${m[1]}`).sort().join(', ');
      if (!head.includes(`References (${total})`) || files !== want) {
        throw new Error(`peek: "${head}"; files: ${files || 'none'}; expected ${want}`);
      }
      return files;
    });
    await screenshot('000-references');
    await page.keyboard.press('Escape');
    await peek.waitFor({state: 'hidden', timeout: TIMEOUT});
    return `from line ${at.line + 1} "${target.text}": ${total} references: ${got}`;
  });

  await step('11. 000: the code lens on line 1 says which files report the same story', async () => {
    const {report, f000} = expected();
    const story = report.stories.find((st) => st.files.includes(f000));
    assert(story, 'sift report: 000 should share its story with other samples');
    const others = story.files.filter((f) => f !== f000);
    const near = story.nearDuplicates.filter((d) => d.a === f000 || d.b === f000).map((d) => (d.a === f000 ? d.b : d.a));
    const title = `Same story as ${count(others.length, 'other file')}${near.length ? ` (${near.length} near-cop${near.length === 1 ? 'y' : 'ies'})` : ''}`;
    await quickOpen(f000);
    await goto(1);
    const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
    await waitFor(`the code lens "${title}" above line 1`, async () => {
      const texts = await lens.allInnerTexts();
      if (texts.length !== 1 || texts[0].trim() !== title) throw new Error(`code lenses: ${texts.map((t) => `"${t}"`).join(', ') || 'none'}`);
      // Above line 1: between the editor's top and the first line.
      const box = await lens.first().boundingBox();
      const editor = await page.locator('.editor-group-container.active .monaco-editor').first().boundingBox();
      const line1 = await page.evaluate(() => [...document.querySelectorAll('.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers')]
        .find((n) => n.textContent.trim() === '1')?.getBoundingClientRect().top);
      if (line1 === undefined || box.y < editor.y || box.y + box.height > line1 + 1) {
        throw new Error(`the lens is not above line 1 (lens y ${box.y}, line 1 y ${line1})`);
      }
      return true;
    });
    await screenshot('000-story-code-lens');
    // Clicking it offers the other files, all picked; the near-copy says so.
    await lens.locator('a').first().click();
    const rows = await waitFor(`a pick of the ${others.length} other files`, async () => {
      const rows = await quickInputRows();
      const labels = rows.map((r) => r.label).sort().join(', ');
      if (labels !== [...others].sort().join(', ')) throw new Error(`picks: ${labels || 'none'}`);
      const wrong = rows.filter((r) => (r.description === 'near-copy') !== near.includes(r.label));
      if (wrong.length) throw new Error(`near-copy marks: ${rows.map((r) => `${r.label} "${r.description}"`).join(', ')}`);
      return rows;
    });
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({state: 'hidden', timeout: TIMEOUT});
    return `"${title}"; the pick: ${rows.map((r) => `${r.label.slice(0, 3)}${r.description ? ` (${r.description})` : ''}`).join(', ')}`;
  });

  await step(`12. "Sift: Sources Overview": who is quoted where, ${PERSON}'s row counts his quotations per source`, async () => {
    const {report} = expected();
    const speaker = report.speakers.find((sp) => sp.speaker === PERSON);
    assert(speaker, `sift report: ${PERSON} should be quoted`);
    await palette('Sift: Sources Overview');
    await page.locator('.tabs-container .tab.active[aria-label*="Sift: Sources Overview"]').waitFor({timeout: TIMEOUT});
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const files = report.files.map((f) => f.file);
    const cells = await waitFor(`${PERSON}'s row in the overview`, async () => {
      const headings = await frame.locator('h2').allInnerTexts();
      if (!headings.includes('Who is quoted where')) throw new Error(`headings: ${headings.join(', ') || 'none'}`);
      const columns = (await frame.locator('table.matrix thead th').allInnerTexts()).map((t) => t.trim()).slice(1, -1);
      const row = (await frame.locator('table.matrix tbody tr', {has: frame.locator('th', {hasText: PERSON})}).first().locator('td')
        .allInnerTexts()).map((t) => t.trim());
      // A column is labelled with the shortest unique start of its file name.
      const fileOf = columns.map((c) => files.filter((f) => f.startsWith(c)));
      if (fileOf.some((f) => f.length !== 1) || columns.length !== files.length) {
        throw new Error(`columns ${columns.join(', ')} for files ${files.join(', ')}`);
      }
      const want = [...fileOf.map(([f]) => String(speaker.sources[f] ?? '·')), String(speaker.quotations)];
      if (row.join(' ') !== want.join(' ')) {
        throw new Error(`${PERSON}'s row: ${row.join(' ') || 'none'}, expected ${want.join(' ')} (${columns.join(' ')} Total)`);
      }
      return columns.map((c, i) => `${c}: ${row[i]}`).filter((c) => !c.endsWith('·'));
    });
    await screenshot('sources-overview');
    return `${PERSON}: ${cells.join(', ')}, total ${speaker.quotations}`;
  });
  // The layout as before, for the step below.
  await section('Sift: Quotes Section', false).catch(() => {});
  await section('Sift: Entities Section', false).catch(() => {});
  await section('Explorer Section', true).catch(() => {});
  if (sideBar) await sideBarWidth(sideBar).catch(() => {});

  // --- a screenshot for the README, on the project's own (fictional) sample: the seed articles are not ours to show --
  await step('README screenshot: a quotation hover on samples/harbour-strike.txt', async () => {
    const own = analyse(path.join(ROOT, 'samples/harbour-strike.txt'));
    const q = own.quotes.find((x) => x.direct && x.speaker);
    assert(q, 'the engine should find an attributed direct quotation in samples/harbour-strike.txt');
    await palette('View: Close All Editors');
    await openFile('harbour-strike.txt');
    const at = position(own.text, q.start + 2);
    await hoverAt(at.line + 1, at.col + 1, [q.speaker]);
    return path.relative(ROOT, await screenshot('own-sample-hover'));
  });
}

async function finish(code) {
  const ok = code === 0 && checks.summary();
  if (!ok && code === 0) code = 1;
  if (code !== 0) {
    try {
      if (run && existsSync(path.join(run, 'code-server.log'))) cpSync(path.join(run, 'code-server.log'), path.join(OUT, 'code-server.log'));
      if (run && existsSync(path.join(run, 'user-data/logs'))) cpSync(path.join(run, 'user-data/logs'), path.join(OUT, 'logs'), {recursive: true});
      console.log(`vscode e2e: failed; screenshots, code-server.log and the VS Code logs are in ${path.relative(process.cwd(), OUT) || OUT}`);
    } catch {}
  }
  try {
    await page?.context().close();
  } catch {}
  if (codeServer?.exitCode === null) {
    // code-server runs in its own process group (it was spawned detached): stop it and its children by that id.
    try {
      process.kill(-codeServer.pid, 'SIGTERM');
    } catch {}
    const gone = await Promise.race([new Promise((r) => codeServer.once('exit', () => r(true))), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!gone) try {
      process.kill(-codeServer.pid, 'SIGKILL');
    } catch {}
  }
  if (run && code === 0 && !process.env.KEEP_RUN) rmSync(run, {recursive: true, force: true});
  else if (run) console.log(`vscode e2e: run dir kept: ${run}`);
  process.exit(code);
}

const watchdog = setTimeout(async () => {
  checks.fail('watchdog', new Error(`the run took over ${WATCHDOG} ms`));
  try {
    await page?.screenshot({path: path.join(OUT, 'failure-watchdog.png')});
  } catch {}
  await finish(1);
}, WATCHDOG);
watchdog.unref();

main().then(() => finish(0), async (error) => {
  checks.fail('setup', error);
  try {
    await page?.screenshot({path: path.join(OUT, 'failure-setup.png')});
  } catch {}
  await finish(1);
});

#!/usr/bin/env node
// Sift in a real VS Code: installs the packaged .vsix into a fresh code-server 4.100.3 (VS Code 1.100.3 workbench and
// extension host), opens a workspace holding copies of ../shared/samples in Debian's chromium driven by
// playwright-core, and checks what a user sees (issue 4, steps 1-6). Waits on conditions, never on fixed sleeps.
// Screenshots go to artifacts/e2e/ (OUT); a failure adds failure-*.png, code-server.log and the VS Code logs there.
// Env: VSIX, CODE_SERVER, CHROMIUM, OUT, RUN_ROOT, PORT, KEEP_RUN=1 (keep the run dir), E2E_TIMEOUT (ms per wait).
import {execFile, spawn} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {chromium} from 'playwright-core';
import {analyse, assert, Checks, findVsix, freePort, HERE, hoverTargets, isStoryParagraph, position, ROOT, runDir,
  sample, SAMPLES, splitLines, TYPE_NAMES} from './lib.mjs';

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

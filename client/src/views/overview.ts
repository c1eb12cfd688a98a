/**
 * "Sift: Sources Overview": a webview page that draws what people would rather see than read — a matrix of
 * speakers × sources (how many quotations each source carries from each speaker; click a cell to open them), the
 * stories, and the most named entities per source. It uses the theme's colours (CSS variables), so it follows
 * light, dark and high-contrast themes, and refreshes when the workspace index changes.
 */
import * as vscode from 'vscode';
import {CORPUS_OVERVIEW_REQUEST, type CorpusOverviewResult} from '../../../server/src/lsp/corpus-protocol';
import {count, indexMessage, openLocation, openOneOf, type SourcesContext} from './util';

/** The webview's view type (for serializers and tests). */
export const OVERVIEW_VIEW_TYPE = 'sift.sourcesOverview';

/**
 * The Sources Overview panel (one at a time).
 */
export class OverviewPanel {
  private static current: OverviewPanel | undefined;
  private data: CorpusOverviewResult | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * Show the panel (create it or reveal it).
   * @param sources Shared state.
   * @returns The panel.
   */
  static show(sources: SourcesContext): OverviewPanel {
    if (OverviewPanel.current) {
      OverviewPanel.current.panel.reveal();
      void OverviewPanel.current.update();
      return OverviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, 'Sift: Sources Overview', vscode.ViewColumn.Active, {enableScripts: true, retainContextWhenHidden: false, localResourceRoots: []});
    OverviewPanel.current = new OverviewPanel(panel, sources);
    return OverviewPanel.current;
  }

  /**
   * @param panel The webview panel.
   * @param sources Shared state.
   */
  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly sources: SourcesContext,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (panel.visible) void this.update();
      }),
      panel.webview.onDidReceiveMessage((message: {type: string; speaker?: number; source?: number; story?: number}) => this.onMessage(message)),
      sources.onDidChange(() => {
        if (panel.visible) void this.update();
      }),
    );
    void this.update();
  }

  /**
   * Fetch the data and render.
   * @returns Nothing.
   */
  async update(): Promise<void> {
    const client = this.sources.client;
    if (!client.isRunning()) {
      this.panel.webview.html = this.html(undefined);
      return;
    }
    try {
      this.data = await client.sendRequest<CorpusOverviewResult>(CORPUS_OVERVIEW_REQUEST, {});
    } catch {
      this.data = undefined;
    }
    this.panel.webview.html = this.html(this.data);
  }

  /**
   * A click in the page.
   * @param message What was clicked.
   * @returns Nothing.
   */
  private async onMessage(message: {type: string; speaker?: number; source?: number; story?: number}): Promise<void> {
    const data = this.data;
    if (!data) return;
    if (message.type === 'cell' && message.speaker !== undefined && message.source !== undefined) {
      const speaker = data.speakers[message.speaker];
      const cell = speaker?.cells.find((c) => c.source === message.source);
      const source = data.sources[message.source];
      if (speaker && cell && source) await openOneOf(cell.locations, `${speaker.speaker} in ${source.label}`);
    } else if (message.type === 'source' && message.source !== undefined) {
      const source = data.sources[message.source];
      if (source) await openLocation({uri: source.uri, range: {start: {line: 0, character: 0}, end: {line: 0, character: 0}}});
    } else if (message.type === 'story' && message.story !== undefined) {
      const story = data.stories[message.story];
      for (const [i, index] of (story?.files ?? []).entries()) {
        const source = data.sources[index];
        if (source) await vscode.window.showTextDocument(vscode.Uri.parse(source.uri), {preview: false, preserveFocus: i > 0});
      }
    }
  }

  /**
   * The page.
   * @param data Overview data, if any.
   * @returns HTML.
   */
  private html(data: CorpusOverviewResult | undefined): string {
    const nonce = Array.from({length: 24}, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');
    const csp = `default-src 'none'; style-src ${this.panel.webview.cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';`;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sift: Sources Overview</title>
<style>${STYLE}</style></head>
<body>${data ? body(data) : `<h1>Sources Overview</h1><p class="note">${escape(indexMessage(this.sources.status) ?? 'The language server is not running.')}</p>`}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target.closest('[data-type]');
  if (!target) return;
  const d = target.dataset;
  vscode.postMessage({type: d.type, speaker: d.speaker === undefined ? undefined : Number(d.speaker), source: d.source === undefined ? undefined : Number(d.source), story: d.story === undefined ? undefined : Number(d.story)});
});
</script></body></html>`;
  }

  /**
   * Close.
   * @returns Nothing.
   */
  dispose(): void {
    OverviewPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/**
 * The page body.
 * @param data Overview data.
 * @returns HTML.
 */
function body(data: CorpusOverviewResult): string {
  const labels = shortLabels(data.sources.map((s) => s.label));
  const note = indexMessage(data.status);
  const out: string[] = [];
  out.push(`<h1>Sources Overview</h1>`);
  out.push(
    `<p class="note">${count(data.sources.length, 'source')}${data.omittedSources ? ` shown (${data.omittedSources} more with fewer quotations left out)` : ''} · ${count(data.stories.length, 'story', 'stories')} · ${count(data.speakers.length, 'speaker')}${note ? ` · ${escape(note)}` : ''}</p>`,
  );
  if (data.sources.length === 0) {
    out.push(`<p>No sources yet: Sift reads the workspace files that match <code>sift.files</code>.</p>`);
    return out.join('\n');
  }

  out.push(`<h2>Who is quoted where</h2><p class="hint">Quotations of each speaker in each source; click a number to open them.</p>`);
  if (data.speakers.length === 0) out.push(`<p>No quotations found.</p>`);
  else {
    const max = Math.max(1, ...data.speakers.flatMap((s) => s.cells.map((c) => c.count)));
    out.push(`<div class="scroll"><table class="matrix" aria-label="Quotations per speaker and source"><thead><tr><th scope="col" class="corner">Speaker</th>`);
    data.sources.forEach((s, i) => out.push(`<th scope="col" class="source"><button class="link" data-type="source" data-source="${i}" title="${escape(`${s.label} — ${s.title}`)}">${escape(labels[i]!)}</button></th>`));
    out.push(`<th scope="col">Total</th></tr></thead><tbody>`);
    data.speakers.forEach((speaker, si) => {
      out.push(`<tr><th scope="row">${escape(speaker.speaker)}</th>`);
      data.sources.forEach((source, i) => {
        const cell = speaker.cells.find((c) => c.source === i);
        if (!cell) out.push(`<td class="empty" aria-label="none">·</td>`);
        else {
          const strength = Math.round(15 + (cell.count / max) * 65);
          out.push(
            `<td><button class="cell" style="--strength:${strength}%" data-type="cell" data-speaker="${si}" data-source="${i}" aria-label="${escape(`${speaker.speaker} in ${source.label}: ${count(cell.count, 'quotation')}`)}" title="${escape(`${speaker.speaker} in ${source.label}: ${count(cell.count, 'quotation')}`)}">${cell.count}</button></td>`,
          );
        }
      });
      out.push(`<td class="total">${speaker.quotations}</td></tr>`);
    });
    out.push(`</tbody></table></div>`);
  }

  out.push(`<h2>Stories</h2>`);
  if (data.stories.length === 0) out.push(`<p class="hint">No two sources report the same story.</p>`);
  else {
    out.push(`<ul class="stories">`);
    data.stories.forEach((story, i) => {
      out.push(
        `<li><button class="link" data-type="story" data-story="${i}">${count(story.files.length, 'source')}</button>: ${story.files.map((f) => `<span class="tag">${escape(labels[f]!)}</span>`).join(' ')}${story.names.length ? ` <span class="hint">— they all name ${escape(story.names.join(', '))}</span>` : ''}</li>`,
      );
    });
    out.push(`</ul>`);
  }

  out.push(`<h2>Most named per source</h2><div class="names">`);
  for (const entry of data.names) {
    const source = data.sources[entry.source]!;
    const top = entry.top;
    const max = Math.max(1, ...top.map((t) => t.mentions));
    out.push(`<section><h3><button class="link" data-type="source" data-source="${entry.source}" title="${escape(source.title)}">${escape(labels[entry.source]!)}</button></h3>`);
    if (top.length === 0) out.push(`<p class="hint">no names</p>`);
    for (const t of top) {
      out.push(
        `<div class="bar type-${escape(t.type)}" title="${escape(`${t.name} (${t.type}): ${count(t.mentions, 'mention')}`)}"><span class="fill" style="width:${Math.round((t.mentions / max) * 100)}%"></span><span class="label">${escape(t.name)}</span><span class="n">${t.mentions}</span></div>`,
      );
    }
    out.push(`</section>`);
  }
  out.push(`</div>`);
  return out.join('\n');
}

/**
 * Short unique labels for sources (file names without extension, cut to the shortest unique prefix of 3+ chars).
 * @param names File names.
 * @returns Labels.
 */
export function shortLabels(names: readonly string[]): string[] {
  const bases = names.map((n) => n.replace(/\.[^.]+$/, ''));
  return bases.map((base, i) => {
    if (base.length <= 12) return base;
    let n = Math.min(3, base.length);
    while (n < base.length && bases.some((b, j) => j !== i && b.startsWith(base.slice(0, n)))) n++;
    return base.slice(0, Math.max(n, 3));
  });
}

/**
 * Escape HTML.
 * @param text Text.
 * @returns Escaped.
 */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);
}

/** The page's style: theme variables only, so every theme (light, dark, high contrast) colours it. */
const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 18px 0 4px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 22px 0 4px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); padding-bottom: 4px; }
h3 { font-size: 1em; margin: 0 0 6px; }
.note, .hint { color: var(--vscode-descriptionForeground); }
.scroll { overflow-x: auto; }
table.matrix { border-collapse: collapse; margin-top: 8px; }
table.matrix th, table.matrix td { padding: 2px 6px; text-align: center; border: 1px solid var(--vscode-editorWidget-border, var(--vscode-contrastBorder, transparent)); }
table.matrix th[scope=row] { text-align: left; font-weight: normal; white-space: nowrap; }
table.matrix th.source { font-family: var(--vscode-editor-font-family); font-weight: normal; }
td.empty { color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground)); }
td.total { font-weight: 600; }
button { font: inherit; color: inherit; cursor: pointer; }
button.link { background: none; border: none; padding: 0; color: var(--vscode-textLink-foreground); text-decoration: none; }
button.link:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground); }
button.cell { min-width: 2.2em; border: 1px solid transparent; border-radius: 3px; padding: 1px 4px; background: color-mix(in srgb, var(--vscode-charts-blue) var(--strength), transparent); }
button.cell:hover, button.cell:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
ul.stories { padding-left: 18px; }
.tag { font-family: var(--vscode-editor-font-family); background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); border-radius: 3px; padding: 0 4px; }
.names { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px 24px; margin-top: 8px; }
.bar { position: relative; display: flex; justify-content: space-between; padding: 1px 6px; margin: 2px 0; border-radius: 2px; }
.bar .fill { position: absolute; inset: 0 auto 0 0; border-radius: 2px; opacity: 0.35; background: var(--vscode-charts-foreground); }
.bar.type-PER .fill { background: var(--vscode-charts-blue); }
.bar.type-ORG .fill { background: var(--vscode-charts-purple); }
.bar.type-LOC .fill { background: var(--vscode-charts-green); }
.bar.type-MISC .fill { background: var(--vscode-charts-orange); }
.bar .label, .bar .n { position: relative; }
.bar .n { font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); }
body.vscode-high-contrast .bar, body.vscode-high-contrast button.cell { border: 1px solid var(--vscode-contrastBorder); }
`;

// Section 2: the language server over stdio. Open → diagnostics, hover, one-character edit → fresh diagnostics,
// semantic tokens, for 5 KB, 20 KB, 200 KB and 1 MB documents; p50 and p95 over repeated runs. Also: hovers on
// another file while a 1 MB file is analysed, and a file over the size limit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {hoverPositions, note, printTable, round, sleep, summary} from './lib/util.mjs';
import {documentOf, newsCorpus} from './lib/corpus.mjs';
import {BenchClient} from './lib/lsp-client.mjs';

/** The server's debounce after an edit (server/src/lsp/server.ts). */
export const DEBOUNCE_MS = 150;

/**
 * @param {{quick?: boolean}} options
 */
export async function runLsp({quick = false} = {}) {
  const {docs} = newsCorpus(2_000_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sift-bench-lsp-'));
  const client = new BenchClient();
  await client.initialize(tmp);
  const sizes = [
    {name: '5 KB', bytes: 5_000, runs: quick ? 5 : 20},
    {name: '20 KB', bytes: 20_000, runs: quick ? 5 : 20},
    {name: '200 KB', bytes: 200_000, runs: quick ? 2 : 5},
    {name: '1 MB', bytes: 1_000_000, runs: quick ? 1 : 2},
  ];
  const results = [];
  let docNo = 0;
  try {
    for (const size of sizes) {
      const open = [];
      const hover = [];
      const edit = [];
      const tokens = [];
      let diagnosticsCount = 0;
      for (let run = 0; run < size.runs; run++) {
        const text = documentOf(docs, size.bytes, run * 13);
        const file = path.join(tmp, `doc-${docNo++}.txt`);
        const t0 = performance.now();
        const uri = await client.open(file, text);
        const published = await client.diagnosticsAt(uri, 1);
        open.push(published.at - t0);
        diagnosticsCount = published.diagnostics.length;
        for (const position of hoverPositions(published.diagnostics, 10)) hover.push((await client.timed('textDocument/hover', {textDocument: {uri}, position})).ms);
        tokens.push((await client.timed('textDocument/semanticTokens/full', {textDocument: {uri}})).ms);
        // One keystroke in the middle of the document.
        const line = Math.floor(text.split('\n').length / 2);
        const t1 = performance.now();
        const version = await client.insert(uri, {line, character: 0}, 'x');
        const fresh = await client.diagnosticsAt(uri, version);
        edit.push(fresh.at - t1);
        await client.close(uri);
      }
      const row = {
        size: size.name,
        bytes: size.bytes,
        runs: size.runs,
        diagnostics: diagnosticsCount,
        openToDiagnostics: summary(open),
        hover: summary(hover),
        editToDiagnostics: summary(edit),
        editToDiagnosticsMinusDebounce: summary(edit.map((ms) => ms - DEBOUNCE_MS)),
        semanticTokens: summary(tokens),
      };
      results.push(row);
      process.stdout.write(`  lsp ${size.name}: open p50 ${round(row.openToDiagnostics.p50)} ms\n`);
    }

    // A 1 MB file is analysed while the user hovers in another file and opens a third one.
    const small = documentOf(docs, 20_000, 3);
    const smallUri = await client.open(path.join(tmp, `small-${docNo++}.txt`), small);
    const smallDiagnostics = await client.diagnosticsAt(smallUri, 1);
    const positions = hoverPositions(smallDiagnostics.diagnostics, 10);
    const big = documentOf(docs, 1_000_000, 5);
    const bigUri = await client.open(path.join(tmp, `big-${docNo++}.txt`), big);
    const tOther = performance.now();
    const otherUri = await client.open(path.join(tmp, `other-${docNo++}.txt`), documentOf(docs, 5_000, 9));
    const otherOpen = client.diagnosticsAt(otherUri, 1).then((d) => d.at - tOther);
    const during = [];
    let bigDone = false;
    const bigDiagnostics = client.diagnosticsAt(bigUri, 1).then((d) => {
      bigDone = true;
      return d;
    });
    const tBig = performance.now();
    for (let i = 0; !bigDone && i < 10_000; i++) {
      during.push((await client.timed('textDocument/hover', {textDocument: {uri: smallUri}, position: positions[i % positions.length]})).ms);
      await sleep(25);
    }
    const bigMs = (await bigDiagnostics).at - tBig;
    const concurrency = {bigOpenToDiagnosticsMs: round(bigMs), hoverOnOtherFileMeanwhile: summary(during), otherFileOpenToDiagnosticsMs: round(await otherOpen)};
    await client.close(bigUri);
    await client.close(otherUri);
    await client.close(smallUri);

    // Over the size limit (default 5 MB): not analysed, and the user is told why.
    const huge = documentOf(docs, 6_000_000, 0);
    const tHuge = performance.now();
    const hugeUri = await client.open(path.join(tmp, `huge-${docNo++}.txt`), huge);
    const counts = await client.waitFor(() => client.counts.get(hugeUri), 120_000, 'sift/counts of the huge file');
    const told = await client.waitFor(() => client.messages.find((m) => /over the limit/.test(m.message)), 10_000, 'a message about the size limit').catch(() => null);
    const sizeLimit = {megabytes: round(Buffer.byteLength(huge) / 1e6, 1), answeredMs: round(counts.at - tHuge), skipped: counts.skipped ?? null, message: told?.message ?? null};
    await client.close(hugeUri);
    const serverPeakRssMb = round(client.peakRssMb(), 0);

    printTable(
      '2. Language server over stdio (ms; p50 / p95)',
      ['document', 'runs', 'diagnostics', 'open→diagnostics', 'hover', 'edit→fresh diagnostics', '… minus 150 ms debounce', 'semantic tokens'],
      results.map((r) => [
        r.size,
        r.runs,
        r.diagnostics,
        `${round(r.openToDiagnostics.p50)} / ${round(r.openToDiagnostics.p95)}`,
        `${round(r.hover.p50)} / ${round(r.hover.p95)}`,
        `${round(r.editToDiagnostics.p50)} / ${round(r.editToDiagnostics.p95)}`,
        `${round(r.editToDiagnosticsMinusDebounce.p50)} / ${round(r.editToDiagnosticsMinusDebounce.p95)}`,
        `${round(r.semanticTokens.p50)} / ${round(r.semanticTokens.p95)}`,
      ]),
    );
    printTable('While a 1 MB file is analysed', ['measure', 'ms'], [
      ['1 MB open → diagnostics', concurrency.bigOpenToDiagnosticsMs],
      [`hover in another file meanwhile, p50 / p95 / max (${concurrency.hoverOnOtherFileMeanwhile.n} hovers)`, `${concurrency.hoverOnOtherFileMeanwhile.p50} / ${concurrency.hoverOnOtherFileMeanwhile.p95} / ${concurrency.hoverOnOtherFileMeanwhile.max}`],
      ['5 KB file opened just after it: open → diagnostics', concurrency.otherFileOpenToDiagnosticsMs],
    ]);
    printTable('A file over the size limit (sift.maxFileSize, default 5 MB)', ['measure', 'value'], [
      ['file', `${sizeLimit.megabytes} MB`],
      ['open → sift/counts answered', `${sizeLimit.answeredMs} ms`],
      ['reason given', sizeLimit.skipped ?? '(none)'],
      ['message shown', sizeLimit.message ?? '(none)'],
    ]);
    note(`server peak RSS over the section: ${serverPeakRssMb} MB`);
    return {documents: results, whileBigFile: concurrency, sizeLimit, serverPeakRssMb, debounceMs: DEBOUNCE_MS};
  } finally {
    await client.stop();
    fs.rmSync(tmp, {recursive: true, force: true});
  }
}

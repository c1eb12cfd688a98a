// Section 1: engine throughput on news text, side by side in the same run with compromise's entity extraction,
// retext-english parsing alone and a regex tokeniser pass.
import {unified} from 'unified';
import retextEnglish from 'retext-english';
import nlp from 'compromise';
import {megabytes, note, printTable, repeat, round, timeSync} from './lib/util.mjs';
import {documentOf, newsCorpus} from './lib/corpus.mjs';
import {stepTimer} from './lib/pipeline.mjs';

const engineUrl = new URL('../out/server/src/engine/', import.meta.url);
const engine = await import(new URL('index.js', engineUrl).href);
const {contextOf} = await import(new URL('context.js', engineUrl).href);
const {tokensOf} = await import(new URL('tokens.js', engineUrl).href);
const {splitLines} = engine;

/** The floor: one pass of a plain Unicode regex tokeniser over every word and mark. */
const REGEX_TOKEN = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/**
 * @param {string[]} docs
 */
function regexPass(docs) {
  let n = 0;
  for (const doc of docs) {
    REGEX_TOKEN.lastIndex = 0;
    while (REGEX_TOKEN.exec(doc)) n++;
  }
  return n;
}

/**
 * The engine's pipeline as `annotate()` runs it (engine/index.ts `run`), with each step timed: parse, context (the
 * options plugin, which splits the lines), the token stream, the three analysers, and "other" = everything else a
 * call costs (building the processor, the VFile, unified's plumbing, messages, the result object). The steps and
 * "other" add up to the whole call. Wall and CPU time of this process for each step.
 * @param {string[]} docs
 * @param {'retext-english' | 'sift'} parser
 */
export function stages(docs, parser) {
  const timer = stepTimer(engine, contextOf);
  for (const doc of docs) timer.annotate(doc, parser);
  return timer.settle();
}

/**
 * @param {string[]} docs
 */
function compromiseEntities(docs) {
  let n = 0;
  for (const doc of docs) {
    const d = nlp(doc);
    n += d.people().out('array').length + d.places().out('array').length + d.organizations().out('array').length;
  }
  return n;
}

/**
 * @param {{quick?: boolean}} options
 */
export async function runEngine({quick = false} = {}) {
  const corpus = newsCorpus(quick ? 300_000 : 1_000_000);
  const {docs} = corpus;
  const mb = megabytes(docs);
  const runs = quick ? 2 : 5;

  // Tokens of the corpus as the engine counts them (nlcst words, punctuation and symbols).
  const retext = unified().use(retextEnglish);
  let tokens = 0;
  for (const doc of docs) tokens += tokensOf(retext.parse(doc), doc, splitLines(doc)).length;

  const rows = [];
  const add = (name, m, extra = {}) => {
    const wallS = m.wall / 1000;
    const cpuS = m.cpu / 1000;
    rows.push({name, wallMs: round(m.wall), wallBestMs: round(m.wallBest), cpuMs: round(m.cpu), mbPerS: round(mb / wallS, 2), mbPerSCpu: round(mb / cpuS, 2), tokensPerS: Math.round(tokens / wallS), tokensPerSCpu: Math.round(tokens / cpuS), runs: m.runs, ...extra});
  };

  add('regex tokeniser pass', repeat(() => regexPass(docs), {runs}));
  // Each result is dropped at once (as the engine drops its tree): keeping them all would time the garbage collector.
  const each = (fn) => () => {
    for (const d of docs) fn(d);
  };
  add('retext-english parse alone', repeat(each((d) => retext.parse(d)), {runs}));
  add('sift parse.ts alone', repeat(each((d) => engine.parseText(d)), {runs}));
  // The first passes over the text still compile the analysers: with --quick (0.3 MB) one warm-up pass left the
  // first variant timed partly unoptimised (it came out slower than the second in two runs of three).
  const warmup = quick ? 3 : 1;
  add('annotate (whole engine)', repeat(each((d) => engine.annotate(d)), {runs, warmup}));
  add("annotate, parser: 'retext-english'", repeat(each((d) => engine.annotate(d, {parser: 'retext-english'})), {runs, warmup}));
  // Each step inside the pipeline (the default parser, 'sift'), median of the runs; "other" is the rest of the call.
  // Measured before compromise runs, so that its heap and compiled code do not weigh on these figures.
  const stageRuns = [];
  stages(docs, 'sift'); // warm-up: one whole pass, so that the steps are timed compiled
  for (let i = 0; i < Math.max(3, runs - 2); i++) stageRuns.push(stages(docs, 'sift'));
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const stageRows = Object.keys(stageRuns[0].wall).map((name) => {
    const ms = median(stageRuns.map((r) => r.wall[name]));
    const cpuMs = median(stageRuns.map((r) => r.cpu[name]));
    return {name, ms: round(ms), cpuMs: round(cpuMs), mbPerS: round(mb / (ms / 1000), 2), mbPerSCpu: round(mb / (cpuMs / 1000), 2), tokensPerS: Math.round(tokens / (ms / 1000))};
  });
  const stageTotal = stageRows.find((r) => r.name === 'total');
  for (const r of stageRows) {
    r.share = round((100 * r.ms) / stageTotal.ms, 1);
    r.shareCpu = round((100 * r.cpuMs) / stageTotal.cpuMs, 1);
  }

  // compromise is slow: one warm-up on a slice, then the whole corpus once or twice.
  compromiseEntities(docs.slice(0, 5));
  add('compromise people/places/organizations', repeat(() => compromiseEntities(docs), {runs: quick ? 1 : 2, warmup: 0}));

  // One big file: the parse is quadratic in retext-english, linear in parse.ts.
  const bigRows = [];
  for (const size of quick ? [200_000] : [200_000, 1_000_000]) {
    const text = documentOf(docs, size);
    for (const parser of ['retext-english', 'sift']) {
      const parse = timeSync(() => (parser === 'sift' ? engine.parseText(text) : retext.parse(text)));
      const whole = timeSync(() => engine.annotate(text, {parser}));
      bigRows.push({size: `${round(Buffer.byteLength(text) / 1e6, 2)} MB`, parser, parseMs: round(parse.wall), annotateMs: round(whole.wall), annotateCpuMs: round(whole.cpu)});
    }
  }

  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  const whole = byName['annotate (whole engine)'];
  const ratios = {
    engineVsCompromise: round(whole.mbPerSCpu / byName['compromise people/places/organizations'].mbPerSCpu, 1),
    engineVsCompromiseWall: round(whole.mbPerS / byName['compromise people/places/organizations'].mbPerS, 1),
    engineVsRetextParse: round(whole.mbPerSCpu / byName['retext-english parse alone'].mbPerSCpu, 2),
    engineVsRegex: round(whole.mbPerSCpu / byName['regex tokeniser pass'].mbPerSCpu, 3),
    siftParseVsRetextParse: round(byName['sift parse.ts alone'].mbPerSCpu / byName['retext-english parse alone'].mbPerSCpu, 2),
    siftParserEngineGain: round(whole.mbPerSCpu / byName["annotate, parser: 'retext-english'"].mbPerSCpu, 2),
  };

  printTable(
    `1. Engine throughput: ${docs.length} documents, ${round(mb, 3)} MB, ${tokens.toLocaleString('en-US')} tokens (${corpus.source})`,
    ['pass', 'ms (p50)', 'ms best', 'MB/s', 'MB/s cpu', 'tokens/s', 'tokens/s cpu', 'runs'],
    rows.map((r) => [r.name, r.wallMs, r.wallBestMs, r.mbPerS, r.mbPerSCpu, r.tokensPerS, r.tokensPerSCpu, r.runs]),
  );
  note('MB/s = wall clock; "cpu" = bytes per second of this process\'s CPU time, steadier when other work shares the cores.');
  printTable(
    'Ratios (CPU-time based; wall-clock in parentheses where it matters)',
    ['ratio', 'value'],
    [
      ['whole engine ÷ compromise entity extraction', `${ratios.engineVsCompromise}× (${ratios.engineVsCompromiseWall}×)`],
      ['whole engine ÷ retext-english parse alone', ratios.engineVsRetextParse],
      ['whole engine ÷ regex tokeniser', ratios.engineVsRegex],
      ['parse.ts ÷ retext-english parse', ratios.siftParseVsRetextParse],
      ["annotate (default parser 'sift') ÷ annotate with parser 'retext-english'", ratios.siftParserEngineGain],
    ],
  );
  printTable(
    "Where the engine spends its time (each step of annotate()'s pipeline, default parser 'sift'; median of runs; \"other\" = the rest of the call)",
    ['step', 'ms', 'share %', 'cpu ms', 'cpu share %', 'MB/s', 'MB/s cpu', 'tokens/s'],
    stageRows.map((r) => [r.name, r.ms, r.share, r.cpuMs, r.shareCpu, r.mbPerS, r.mbPerSCpu, r.tokensPerS]),
  );
  printTable('One big file (a concatenated dump), one run each', ['file', 'parser', 'parse ms', 'annotate ms', 'annotate cpu ms'], bigRows.map((r) => [r.size, r.parser, r.parseMs, r.annotateMs, r.annotateCpuMs]));
  return {corpus: {documents: docs.length, megabytes: round(mb, 3), tokens, source: corpus.source}, passes: rows, ratios, stages: stageRows, bigFiles: bigRows};
}

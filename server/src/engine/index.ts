/**
 * The Sift engine: text in, annotations out.
 *
 * It imports neither `vscode` nor `vscode-languageserver`; the language server, the CLI, the tests and the
 * benchmarks all call it. Each analyser is a unified plugin over the nlcst tree (parsed by `retext-english`)
 * that emits vfile messages with a stable `ruleId` and stores structured results on `file.data.sift`.
 */
import {unified, type Processor} from 'unified';
import retextEnglish from 'retext-english';
import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';
import type {Root} from 'nlcst';
import {contextOf} from './context.js';
import siftParse, {type SiftParseOptions} from './parse.js';
import siftBoilerplate from './boilerplate/index.js';
import siftEntities from './entities/index.js';
import siftQuotes from './quotes/index.js';
import {ANALYSIS_KINDS, type AnalysisKind, type AnnotateOptions, type Annotations} from './types.js';

export * from './types.js';
export {splitLines, lineAt, removeLines} from './lines.js';
export {RULE_IDS} from './rules.js';
export {siftBoilerplate, siftEntities, siftQuotes, siftParse};
export {parseText, type SiftParseOptions} from './parse.js';

/**
 * Engine options beyond the analyses': which parser makes the nlcst tree. `'sift'` (the default) is `parse.ts`:
 * retext-english's parser (parse-english) run block by block, which makes the same tree node for node in time linear
 * in the size of the document instead of quadratic; `'retext-english'` is the plugin itself; `{maxBlock}` also cuts
 * blocks without blank lines at line ends (see parse.ts).
 */
export interface EngineOptions extends AnnotateOptions {
  parser?: 'retext-english' | 'sift' | SiftParseOptions;
}

/**
 * Build the unified processor for a set of options: the parser plus one plugin per requested analysis.
 *
 * @param options Which analyses to run and their settings.
 * @returns A processor whose `run` fills `file.data.sift` and `file.messages`.
 */
export function createProcessor(options: EngineOptions = {}): Processor<Root, Root, Root> {
  const only = new Set<AnalysisKind>(options.only ?? ANALYSIS_KINDS);
  const parser = options.parser ?? 'sift';
  // The quote analyser resolves speakers through entities, so it gets them even when they are not reported.
  const base = parser === 'retext-english' ? unified().use(retextEnglish) : unified().use(siftParse, parser === 'sift' ? {} : parser);
  const processor = (base as unknown as Processor<Root, Root, Root>).use(attachOptions, options);
  if (only.has('boilerplate')) processor.use(siftBoilerplate, options.boilerplate);
  if (only.has('entities') || only.has('quotes')) processor.use(siftEntities);
  if (only.has('quotes')) processor.use(siftQuotes);
  return processor as unknown as Processor<Root, Root, Root>;
}

/**
 * A plugin that records the options on the run's context, so every analyser sees them.
 *
 * @param options Options of the run.
 * @returns Transform.
 */
function attachOptions(options: AnnotateOptions) {
  return (tree: Root, file: VFile): undefined => {
    contextOf(tree, file).options = options;
    return undefined;
  };
}

/**
 * Analyse a text and return the vfile with its messages (one per annotation) and `data.sift`.
 *
 * @param text The document.
 * @param options Options.
 * @param path Optional file path, used in messages.
 * @returns The file.
 */
export function analyse(text: string, options: EngineOptions = {}, path?: string): VFile {
  return run(text, options, path, true);
}

/** What an analyser gets back from `file.message` when nobody will read the messages (see `run`). */
let discarded: VFileMessage | undefined;

/**
 * Run the processor over a text.
 *
 * @param text The document.
 * @param options Options.
 * @param path Optional file path, used in messages.
 * @param messages Whether the vfile messages are wanted. `annotate` returns the structured results only, so it
 *   skips making a message object per annotation (5–10 % of the engine's time on news text, docs/performance.md):
 *   each analyser's `file.message(…)` then returns one throwaway message.
 * @returns The file.
 */
function run(text: string, options: EngineOptions, path: string | undefined, messages: boolean): VFile {
  const file = new VFile({value: text, path});
  if (!messages) {
    file.message = () => (discarded ??= new VFileMessage('not kept'));
  }
  const processor = createProcessor(options);
  const tree = processor.parse(file);
  // Every vfile message is an Error, and V8 captures a stack trace for each one, which vfile-message then throws
  // away (it sets `stack` to ''): 15 % of the engine's time on news text (docs/performance.md). Capture none
  // while the analysers run. An analyser that throws is run again with stack traces on, so the error that
  // reaches the caller still says where it came from.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    processor.runSync(tree, file);
  } catch {
    Error.stackTraceLimit = limit;
    const again = new VFile({value: text, path});
    if (!messages) again.message = file.message;
    processor.runSync(processor.parse(again), again);
    return again;
  } finally {
    Error.stackTraceLimit = limit;
  }
  return file;
}

/**
 * Annotate a text: boilerplate lines, quotations with speakers, named entities.
 *
 * @param text The document.
 * @param options Options; `only` limits the analyses (absent kinds come back empty).
 * @returns The annotations, each list sorted by offset.
 */
export function annotate(text: string, options: EngineOptions = {}): Annotations {
  const file = run(text, options, undefined, false);
  const result = file.data.sift!.annotations;
  const only = new Set<AnalysisKind>(options.only ?? ANALYSIS_KINDS);
  return {
    boilerplate: only.has('boilerplate') ? result.boilerplate : [],
    quotes: only.has('quotes') ? result.quotes : [],
    entities: only.has('entities') ? result.entities : [],
  };
}

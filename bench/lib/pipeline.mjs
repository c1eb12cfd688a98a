// annotate()'s pipeline as engine/index.ts `run` builds it, with the wall and CPU time of each step added up: the
// stage table of bench/engine.mjs and the cold curve of bench/cold.mjs.
import {unified} from 'unified';
import retextEnglish from 'retext-english';
import {VFile} from 'vfile';
import {VFileMessage} from 'vfile-message';

/** The steps, in pipeline order; "other" (the rest of a call) and "total" are added. */
export const STEPS = ['parse', 'context', 'tokens', 'boilerplate', 'entities', 'quotes'];

/** CPU ms of this process so far (every thread). */
export const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * A step timer over an engine: `annotate(doc)` runs the pipeline step by step (parse, context = the options plugin,
 * which splits the lines, the token stream, the three analysers) and adds each step's time to `wall` and `cpu`, and
 * the whole call's to `total`; `settle()` sets "other" (building the processor, the VFile, unified's plumbing,
 * messages, the result object) so that the steps add up to the whole; `reset()` starts the sums again.
 *
 * @param {Record<string, unknown>} engine The engine module (`out/server/src/engine/index.js` of some checkout).
 * @param {(tree: unknown, file: unknown) => {options: unknown, tokens(): unknown}} contextOf Its `context.js` `contextOf`.
 */
export function stepTimer(engine, contextOf) {
  const zero = () => Object.fromEntries([...STEPS, 'other', 'total'].map((n) => [n, 0]));
  const timer = {
    wall: zero(),
    cpu: zero(),
    reset() {
      timer.wall = zero();
      timer.cpu = zero();
    },
    settle() {
      for (const m of [timer.wall, timer.cpu]) m.other = m.total - STEPS.reduce((s, n) => s + m[n], 0);
      return {wall: timer.wall, cpu: timer.cpu};
    },
    annotate,
  };
  const add = (name, c0, t0) => {
    timer.wall[name] += performance.now() - t0;
    timer.cpu[name] += cpuNow() - c0;
  };
  const timed = (name, attacher) =>
    function (...args) {
      const transform = attacher.apply(this, args);
      return (tree, file) => {
        const c0 = cpuNow();
        const t0 = performance.now();
        const result = transform(tree, file);
        add(name, c0, t0);
        return result;
      };
    };
  const options = {};
  const context = () => (tree, file) => {
    contextOf(tree, file).options = options;
  };
  const tokens = () => (tree, file) => {
    contextOf(tree, file).tokens();
  };
  let discarded;
  const limit = Error.stackTraceLimit;

  /**
   * What run() does for `annotate(doc)`, step by step.
   * @param {string} doc
   * @param {'sift' | 'retext-english'} [parser]
   * @returns The annotations.
   */
  function annotate(doc, parser = 'sift') {
    const c0 = cpuNow();
    const t0 = performance.now();
    const processor = (parser === 'sift' ? unified().use(engine.siftParse, {}) : unified().use(retextEnglish))
      .use(timed('context', context))
      .use(timed('tokens', tokens))
      .use(timed('boilerplate', engine.siftBoilerplate), options.boilerplate)
      .use(timed('entities', engine.siftEntities))
      .use(timed('quotes', engine.siftQuotes));
    const file = new VFile({value: doc});
    file.message = () => (discarded ??= new VFileMessage('not kept'));
    const p0 = cpuNow();
    const pt0 = performance.now();
    const tree = processor.parse(file);
    add('parse', p0, pt0);
    Error.stackTraceLimit = 0;
    try {
      processor.runSync(tree, file);
    } finally {
      Error.stackTraceLimit = limit;
    }
    const result = file.data.sift.annotations;
    add('total', c0, t0);
    return result;
  }
  return timer;
}

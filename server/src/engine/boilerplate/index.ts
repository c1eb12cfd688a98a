/**
 * Boilerplate analyser: a unified plugin that flags lines of site chrome in plain text.
 *
 * How a line is judged (docs/boilerplate.md has the details):
 * 1. the user's choice (`keep`): such lines are never flagged;
 * 2. a learned model (`models/boilerplate.json`, two stages of gradient-boosted trees) scores every non-blank
 *    line from what the line carries (length, function words, punctuation, call-to-action words, dates, pattern
 *    rules, repetition in the file) and from its context (neighbouring lines, runs of short lines, teaser pairs,
 *    the main block of prose; the second stage adds the first stage's scores of the neighbours); the decision is
 *    drawn by region thresholds, a sequence decoder over the lines (`decode.ts`) and a model of runs of short
 *    lines (`runs.ts`);
 * 3. repetition across the workspace: a short line found in many other files of the folder (a site template) is
 *    flagged even when the page alone does not show it;
 * 4. each flagged line gets a category and the most telling reason (`explain.ts`).
 *
 * Each flagged line becomes one vfile message (`ruleId` "boilerplate") and one `BoilerplateLine`.
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {BoilerplateLine, BoilerplateOptions, LineInfo} from '../types.js';
import {contextFeatures, headlineCandidates, lineKey, pageFeatures, type PageFeatures} from './features.js';
import {explain} from './explain.js';
import {decodeScores} from './decode.js';
import {applyRuns} from './runs.js';
import {calibrate, loadModel, predictBag, type BoilerplateModel} from './model.js';
import type {StructureOptions} from './structure.js';

export {lineKey};

/** Defaults of the analyser's options. */
export const DEFAULT_BOILERPLATE_OPTIONS: Readonly<BoilerplateOptions> = Object.freeze({threshold: 0.5, keep: []});

/** Options of `detectBoilerplate`: the plugin's options plus, for training and evaluation, another model. */
export interface DetectOptions extends Partial<BoilerplateOptions> {
  /** A model to use instead of the shipped one (cross-validation folds). */
  model?: BoilerplateModel;
  /** The model's scores of this text, computed before with `rawScores` and the same model (training only). */
  raw?: RawScores;
}

/**
 * Score every non-blank line of a text.
 *
 * @param text The document.
 * @param lines Its lines (`splitLines`).
 * @param model The model.
 * @returns The page's features, the first-stage probabilities, the final probabilities, the calibrated score of
 *   each non-blank line, and the item picked as the headline (−1 when none).
 */
export function scoreLines(text: string, lines: readonly LineInfo[], model: BoilerplateModel, raw?: RawScores) {
  const r = raw ?? rawScores(text, lines, model);
  const {page, p, headline} = r;
  const n = page.stats.length;
  // Inside the main block a line needs more evidence than outside it. A text without a single line of prose (a
  // headline and a quote, a list of links) gives the model nothing to stand on: only the rules judge it (pattern
  // rules, copies, repetition; see detectBoilerplate), so its model scores are set low.
  const [bs, be] = page.block;
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) score[i] = bs < 0 ? Math.min(p[i]!, 0.05) : calibrate(p[i]!, i >= bs && i <= be ? model.calibration.inBlock : model.calibration.outside);
  // A sequence decoder (decode.ts), when the model has one, draws the decision over the model's probabilities or
  // over the region scores above.
  // Where the decoder and the region score fall on the same side of 0.5 (as shown, rounded), the region score is
  // kept; where they disagree, the decoder's score decides.
  if (bs >= 0 && model.decoder) {
    const decoded = decodeScores(model.decoder.input === 'regions' ? score : p, model.decoder);
    for (let i = 0; i < n; i++) if (Math.round(decoded[i]! * 100) >= 50 !== Math.round(score[i]! * 100) >= 50) score[i] = decoded[i]!;
  }
  // Runs of short lines judged as one unit (runs.ts), when the model has a run model.
  if (bs >= 0 && model.runs) applyRuns(page, r.p1, p, score, model.runs);
  if (headline >= 0) score[headline] = Math.min(score[headline]!, 0.05);
  return {...r, score};
}

const structures = new WeakMap<BoilerplateModel, StructureOptions>();

/**
 * The structure columns a model's trees read (structure.ts): computed only then, as they cost ~10 % of the analyser.
 * @param model The model.
 * @returns Which to compute.
 */
function structureOf(model: BoilerplateModel): StructureOptions {
  let s = structures.get(model);
  if (!s) {
    const names = new Set([...model.stage1, ...model.stage2, ...(model.stage3 ?? [])].flatMap((e) => e.features));
    const has = (prefix: string): boolean => [...names].some((name) => name.startsWith(prefix) || name.startsWith(`t${prefix}`));
    structures.set(model, (s = {lists: has('st_'), longRange: has('lr_'), hmm: has('hm_')}));
  }
  return s;
}

/** What the model says of a page before the decision: see `rawScores`. */
export type RawScores = ReturnType<typeof rawScores>;

/**
 * The model's part of `scoreLines` (features, both stages, the headline), without the region thresholds: the
 * training script computes it once per page and tries several decision thresholds on it.
 *
 * @param text The document.
 * @param lines Its lines (`splitLines`).
 * @param model The model.
 * @returns The page's features, the first-stage and final probabilities, the headline item (−1 when none) and the
 *   breadcrumb trails.
 */
export function rawScores(text: string, lines: readonly LineInfo[], model: BoilerplateModel) {
  const structure = structureOf(model);
  const page = pageFeatures(text, lines, structure);
  const n = page.stats.length;
  if (n === 0) return {page, p1: new Float32Array(0), p: new Float32Array(0), headline: -1, breadcrumbs: new Set<number>()};
  const p1 = predictBag(model.stage1, page.names, page.columns, n);
  const extra = contextFeatures(page, p1, structure);
  let p = predictBag(model.stage2, page.names.concat(extra.names), page.columns.concat(extra.columns), n);
  if (model.stage3 && model.stage3.length > 0) {
    // A third stage: the second stage's scores of the neighbours, stacked once more (names prefixed with "t").
    const extra3 = contextFeatures(page, p, structure);
    p = predictBag(model.stage3, [...page.names, ...extra.names, ...extra3.names.map((x) => `t${x}`)], [...page.columns, ...extra.columns, ...extra3.columns], n);
  }
  // Breadcrumb trails: a line that is another line with a few words in front ("News World <headline>").
  const breadcrumbs = breadcrumbLines(page);
  // The headline: the best candidate above the story is kept (a candidate that matches a pattern rule or is a
  // breadcrumb trail is not one).
  let headline = -1;
  const candidates = headlineCandidates(page, p1);
  if (candidates.items.length > 0) {
    const ph = predictBag(model.headline, candidates.names, candidates.columns, candidates.items.length);
    candidates.items.forEach((item, k) => {
      if (page.stats[item]!.patternCategory || breadcrumbs.has(item)) ph[k] = -1;
    });
    let best = 0;
    for (let k = 1; k < ph.length; k++) if (ph[k]! > ph[best]!) best = k;
    if (ph[best]! >= model.headlinePick) headline = candidates.items[best]!;
  }
  return {page, p1, p, headline, breadcrumbs};
}

/**
 * Items that repeat a longer-lived line with one to four words in front: a breadcrumb trail printed before the
 * headline ("News World Turkey says …" above "Turkey says …").
 *
 * @param page Page features.
 * @returns Item indices.
 */
function breadcrumbLines(page: PageFeatures): Set<number> {
  const {stats, keyCounts, block} = page;
  const keys = new Set(stats.filter((s) => s.wordList.length >= 4 && keyCounts.get(s.key)! <= 2).map((s) => s.key));
  const out = new Set<number>();
  const top = block[0] >= 0 ? block[0] : stats.length;
  stats.forEach((s, i) => {
    if (i >= top || keyCounts.get(s.key)! > 1) return;
    const words = s.key.split(' ');
    if (words.length < 5) return;
    for (let cut = 1; cut <= 4 && cut < words.length - 3; cut++) {
      if (keys.has(words.slice(cut).join(' '))) {
        out.add(i);
        return;
      }
    }
  });
  return out;
}

/**
 * Find the boilerplate lines of a text.
 *
 * @param text The document.
 * @param lines Its lines (`splitLines`).
 * @param options Threshold, kept lines, corpus line counts, and optionally a model.
 * @returns The flagged lines, in order.
 */
export function detectBoilerplate(text: string, lines: readonly LineInfo[], options: DetectOptions = {}): BoilerplateLine[] {
  const settings: BoilerplateOptions = {...DEFAULT_BOILERPLATE_OPTIONS, ...options};
  const keep = new Set(settings.keep.map(lineKey));
  const model = options.model ?? loadModel();
  const {page, score: p, headline, breadcrumbs} = scoreLines(text, lines, model, options.raw);
  const {stats} = page;
  const corpus = settings.corpusLineCounts;
  const flagged: BoilerplateLine[] = [];
  // The headline whose later copies are duplicates: the picked one, or else the first line (2–25 words) above or
  // at the start of the story that is printed again further down.
  let original = headline;
  if (original < 0) {
    const top = page.block[0] >= 0 ? page.block[0] + 1 : stats.length;
    original = stats.findIndex((s, i) => i <= top && s.wordList.length >= 2 && s.wordList.length <= 25 && page.firstOf[i] === i && page.keyCounts.get(s.key)! === 2);
  }
  const headlineKey = original >= 0 ? stats[original]!.key : undefined;
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i]!;
    if (keep.has(s.key)) continue;
    let score = p[i]!;
    // The headline printed again further down is the original: its later copies are flagged, not it.
    if (i === original && headline < 0 && !s.patternCategory) score = Math.min(score, 0.05);
    // The pattern rules (`patterns.ts`) are a floor: page vocabulary that is chrome wherever it stands.
    if (s.patternCategory && i !== headline) score = Math.max(score, s.patternScore);
    if (breadcrumbs.has(i)) score = Math.max(score, 0.85);
    // Without any prose, a short line printed three times or more is chrome.
    if (page.block[0] < 0 && page.keyCounts.get(s.key)! >= 3 && s.wordList.length <= 20) score = Math.max(score, 0.9);
    let explanation = Math.round(score * 100) / 100 >= settings.threshold ? (breadcrumbs.has(i) ? {category: 'navigation' as const, reason: 'breadcrumb trail in front of the headline'} : explain(page, i, p)) : undefined;
    // A later copy of the headline is the duplicate, whatever the model says.
    if (s.key === headlineKey && i > original) {
      score = Math.max(score, 0.95);
      explanation = {category: 'duplicate', reason: `copy of line ${stats[original]!.line + 1}`};
    }
    // The same line in many other files of the folder or workspace: a site template.
    const seen = corpus?.get(s.key) ?? 0;
    if (seen >= 2 && !s.prose && s.wordList.length <= 25) {
      const corpusScore = Math.min(0.95, 0.6 + 0.1 * seen);
      if (corpusScore > score) {
        score = corpusScore;
        explanation = {category: s.patternCategory ?? explanation?.category ?? 'chrome', reason: `appears in ${seen} other files of this folder`};
      }
    }
    // The score is shown rounded to two decimals; the threshold applies to the shown score.
    const shown = Math.round(score * 100) / 100;
    if (shown < settings.threshold || !explanation) continue;
    const info = lines[s.line]!;
    flagged.push({line: s.line, start: info.start, end: info.end, category: explanation.category, reason: explanation.reason, score: shown});
  }
  return flagged;
}

/**
 * Sift's boilerplate plugin.
 *
 * @param options Threshold, kept lines, corpus line counts.
 * @returns Transform.
 */
export default function siftBoilerplate(options?: DetectOptions | null) {
  return (tree: Root, file: VFile): undefined => {
    const context = contextOf(tree, file);
    const flagged = detectBoilerplate(context.text, context.lines, options ?? {});
    for (const item of flagged) {
      const message = file.message(`Boilerplate (${item.category}): ${item.reason}`, {
        place: {start: pointAt(context.lines, item.start), end: pointAt(context.lines, item.end)},
        ruleId: RULE_IDS.boilerplate,
        source: SOURCE,
      });
      message.actual = context.text.slice(item.start, item.end).trim();
      message.expected = [''];
    }
    context.annotations.boilerplate = flagged;
    return undefined;
  };
}

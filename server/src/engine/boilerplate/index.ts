/**
 * Boilerplate analyser (first version): a unified plugin that flags lines of site chrome.
 *
 * Evidence, strongest first:
 * 1. the user's choice (`keep`): such lines are never flagged;
 * 2. repetition: a line repeated in the file (every copy after the first is a duplicate; a line repeated three
 *    times or more is chrome wherever it stands) and a line seen in many other files of the folder;
 * 3. vocabulary of chrome (`patterns.ts`): newsletter prompts, share/follow, copyright, captions, metadata;
 * 4. context: the story is a contiguous run of prose lines; outside it, short title-like lines are navigation
 *    and a headline followed by a cut-off blurb ("…") is a teaser of another story.
 *
 * Each flagged line becomes one vfile message (`ruleId` "boilerplate") and one `BoilerplateLine`.
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {BoilerplateCategory, BoilerplateLine, BoilerplateOptions, LineInfo} from '../types.js';
import {PATTERN_RULES} from './patterns.js';

/** Defaults of the analyser's options. */
export const DEFAULT_BOILERPLATE_OPTIONS: Readonly<BoilerplateOptions> = Object.freeze({threshold: 0.5, keep: []});

/** What the analyser knows of one line. */
interface LineFacts {
  info: LineInfo;
  text: string;
  key: string;
  words: number;
  /** Ends like a sentence: `.`, `?`, `!`, or a closing quote after one. */
  terminal: boolean;
  /** Ends with an ellipsis: cut off. */
  truncated: boolean;
  /** A line of prose: long enough, ends like a sentence, not cut off. */
  prose: boolean;
}

/** A decision about one line. */
interface Verdict {
  category: BoilerplateCategory;
  reason: string;
  score: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

/**
 * Normalise a line for comparison: trimmed, white space collapsed, lower case, curly quotes made straight.
 *
 * @param text Line text.
 * @returns Key.
 */
export function lineKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').toLowerCase();
}

/**
 * Collect the facts of each line.
 *
 * @param text Document.
 * @param lines Its lines.
 * @returns Facts per line.
 */
function factsOf(text: string, lines: readonly LineInfo[]): LineFacts[] {
  return lines.map((info) => {
    const raw = text.slice(info.start, info.end);
    const trimmed = raw.trim();
    const words = trimmed.match(WORD)?.length ?? 0;
    const truncated = /(\.\.\.|…)\s*$/.test(trimmed);
    const terminal = !truncated && /[.?!]["'”’)\]]*\s*$|[.?!:]\s*["”’]\s*$/.test(trimmed);
    return {info, text: trimmed, key: lineKey(trimmed), words, terminal, truncated, prose: terminal && words >= 10};
  });
}

/**
 * Sift's boilerplate plugin.
 *
 * @param options Threshold, kept lines, corpus line counts.
 * @returns Transform.
 */
export default function siftBoilerplate(options?: Partial<BoilerplateOptions> | null) {
  const settings: BoilerplateOptions = {...DEFAULT_BOILERPLATE_OPTIONS, ...(options ?? {})};
  const keep = new Set(settings.keep.map(lineKey));

  return (tree: Root, file: VFile): undefined => {
    const context = contextOf(tree, file);
    const facts = factsOf(context.text, context.lines);
    const verdicts = judge(facts, settings);
    const flagged: BoilerplateLine[] = [];
    for (let i = 0; i < facts.length; i++) {
      const verdict = verdicts[i];
      const fact = facts[i]!;
      if (!verdict || verdict.score < settings.threshold || keep.has(fact.key)) continue;
      const item: BoilerplateLine = {line: i, start: fact.info.start, end: fact.info.end, ...verdict};
      flagged.push(item);
      const message = file.message(`Boilerplate (${verdict.category}): ${verdict.reason}`, {
        place: {start: pointAt(context.lines, fact.info.start), end: pointAt(context.lines, fact.info.end)},
        ruleId: RULE_IDS.boilerplate,
        source: SOURCE,
      });
      message.actual = fact.text;
      message.expected = [''];
    }
    context.annotations.boilerplate = flagged;
    return undefined;
  };
}

/**
 * Decide every line.
 *
 * @param facts Facts per line.
 * @param settings Options.
 * @returns A verdict per line, or undefined for content and blank lines.
 */
function judge(facts: readonly LineFacts[], settings: BoilerplateOptions): Array<Verdict | undefined> {
  const verdicts: Array<Verdict | undefined> = new Array(facts.length);
  const counts = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  for (const fact of facts) {
    if (!fact.key) continue;
    counts.set(fact.key, (counts.get(fact.key) ?? 0) + 1);
    if (!firstSeen.has(fact.key)) firstSeen.set(fact.key, fact.info.index);
  }

  // 1. Repetition and vocabulary.
  for (const fact of facts) {
    if (!fact.key) continue;
    const count = counts.get(fact.key)!;
    const first = firstSeen.get(fact.key)!;
    if (count >= 3 && fact.words <= 20) {
      verdicts[fact.info.index] = {category: patternOf(fact)?.category ?? 'chrome', reason: `repeated ${count} times in this file`, score: 0.95};
      continue;
    }
    if (first !== fact.info.index) {
      verdicts[fact.info.index] = {category: 'duplicate', reason: `copy of line ${first + 1}`, score: 0.95};
      continue;
    }
    const pattern = patternOf(fact);
    if (pattern) {
      verdicts[fact.info.index] = {category: pattern.category, reason: pattern.reason, score: pattern.score};
      continue;
    }
    const seen = settings.corpusLineCounts?.get(fact.key) ?? 0;
    if (seen >= 2 && !fact.prose && fact.words <= 25) {
      verdicts[fact.info.index] = {category: 'chrome', reason: `appears in ${seen} other files of this folder`, score: Math.min(0.95, 0.6 + 0.1 * seen)};
    }
  }

  // A line that ends with a later line is a breadcrumb trail in front of the headline ("News World <headline>").
  const keys = new Set(facts.filter((f) => f.words >= 4).map((f) => f.key));
  for (const fact of facts) {
    if (verdicts[fact.info.index] || fact.words < 5) continue;
    const words = fact.key.split(' ');
    for (let cut = 1; cut <= 4 && cut < words.length - 3; cut++) {
      if (keys.has(words.slice(cut).join(' '))) {
        verdicts[fact.info.index] = {category: 'navigation', reason: 'breadcrumb trail in front of the headline', score: 0.85};
        break;
      }
    }
  }

  // 2. Context: the story is the run of prose between the first and the last prose line.
  const prose = facts.filter((f) => f.prose && !verdicts[f.info.index]).map((f) => f.info.index);
  if (prose.length === 0) return verdicts;
  const storyStart = prose[0]!;
  const storyEnd = prose[prose.length - 1]!;

  // After the story: chrome, teasers and navigation.
  for (let i = storyEnd + 1; i < facts.length; i++) {
    const fact = facts[i]!;
    if (!fact.key || verdicts[i]) continue;
    const next = nextNonBlank(facts, i);
    if (fact.truncated) {
      verdicts[i] = {category: 'teaser', reason: 'cut-off blurb of another story', score: 0.9};
    } else if (next && next.truncated && !fact.terminal && fact.words <= 20) {
      verdicts[i] = {category: 'teaser', reason: 'headline of another story (followed by a cut-off blurb)', score: 0.85};
    } else if (fact.words <= 3 && !fact.terminal) {
      verdicts[i] = {category: 'navigation', reason: 'short label after the end of the story', score: 0.8};
    } else if (!fact.terminal && fact.words <= 20) {
      verdicts[i] = {category: 'teaser', reason: 'headline of another story (after the end of the story)', score: 0.75};
    } else if (fact.words <= 8) {
      verdicts[i] = {category: 'chrome', reason: 'short line after the end of the story', score: 0.6};
    }
  }

  // Before the story: keep the headline (the nearest title-like line above the first paragraph), flag the
  // short lines around it as navigation.
  let headline = -1;
  for (let i = storyStart - 1; i >= 0; i--) {
    const fact = facts[i]!;
    if (!fact.key || verdicts[i]) continue;
    if (fact.words >= 3 && !fact.truncated) {
      headline = i;
      break;
    }
  }
  for (let i = 0; i < storyStart; i++) {
    const fact = facts[i]!;
    if (!fact.key || verdicts[i] || i === headline || fact.prose) continue;
    if (fact.words <= 6) verdicts[i] = {category: 'navigation', reason: 'short line above the headline', score: 0.7};
  }
  return verdicts;
}

/**
 * The first pattern rule that matches a line.
 *
 * @param fact Line facts.
 * @returns Rule, or undefined.
 */
function patternOf(fact: LineFacts) {
  return PATTERN_RULES.find((rule) => fact.words <= rule.maxWords && rule.pattern.test(fact.text));
}

/**
 * The next line that is not blank.
 *
 * @param facts Facts.
 * @param index Current line.
 * @returns Facts of the next non-blank line, or undefined.
 */
function nextNonBlank(facts: readonly LineFacts[], index: number): LineFacts | undefined {
  for (let i = index + 1; i < facts.length; i++) if (facts[i]!.key) return facts[i];
  return undefined;
}

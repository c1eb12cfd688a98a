/**
 * Categories and reasons for flagged lines.
 *
 * The model says how likely a line is boilerplate; this module says *why*, in words a person can read, from the
 * most telling evidence the line and its neighbours carry: a pattern rule ("newsletter or subscription prompt"),
 * repetition ("repeated 15 times in this file", "copy of line 3"), a teaser shape ("cut-off blurb of another
 * story"), the place against the story ("short line in a run of navigation", "after the end of the story").
 */
import type {BoilerplateCategory} from '../types.js';
import type {LineStats, PageFeatures} from './features.js';

/** A category and a reason. */
export interface Explanation {
  category: BoilerplateCategory;
  reason: string;
}

const DATE_WORDS = /\b(published|updated|posted|last updated|am|pm|gmt|utc|ist|et)\b/i;
const MONTH_OR_NUMDATE = /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/;
const CREDIT = /\b(getty|reuters|afp|ap photo|associated press|epa|shutterstock|istock|imago|photo|image|picture|credit|courtesy|illustration|foto|imagem|bild)\b/i;
const COMMENT = /\b(reply|replies|report abuse|says:|wrote:|commented|upvote|downvote|permalink)\b|\bat \d{1,2}:\d{2}\s*(am|pm)\b|^\d+\s+(likes?|comments?|replies|points)$/i;

/**
 * Is a line a date, time or reading-time line?
 * @param s Line facts.
 * @returns Whether it reads as a date line.
 */
function dateLine(s: LineStats): boolean {
  if (s.wordList.length > 12) return false;
  const hasMonth = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(s.text);
  return (hasMonth || MONTH_OR_NUMDATE.test(s.text) || DATE_WORDS.test(s.text)) && /\d/.test(s.text) && s.digits / s.chars > 0.08;
}

/**
 * Explain why item `i` of a page is boilerplate.
 *
 * @param page The page's features.
 * @param i Item (non-blank line) index.
 * @param p Final score per item.
 * @returns Category and reason.
 */
export function explain(page: PageFeatures, i: number, p: Float32Array): Explanation {
  const {stats, keyCounts, firstOf, block} = page;
  const s = stats[i]!;
  const n = stats.length;
  const count = keyCounts.get(s.key) ?? 1;
  const [bs, be] = block;
  const after = bs >= 0 && i > be;
  const before = bs >= 0 && i < bs;
  const next = i + 1 < n ? stats[i + 1] : undefined;
  const prev = i > 0 ? stats[i - 1] : undefined;

  // A copy of an earlier line that is kept: the duplicate, not the original.
  const first = firstOf[i]!;
  if (first < i && s.wordList.length >= 3 && count < 3) return {category: 'duplicate', reason: `copy of line ${stats[first]!.line + 1}`};
  if (count >= 3 && s.wordList.length <= 20) return {category: s.patternCategory ?? 'chrome', reason: `repeated ${count} times in this file`};
  if (first < i) return {category: s.patternCategory ?? 'duplicate', reason: `copy of line ${stats[first]!.line + 1}`};
  if (s.patternCategory && s.patternReason) return {category: s.patternCategory, reason: s.patternReason};
  if (dateLine(s)) return {category: 'metadata', reason: 'date line'};
  if (CREDIT.test(s.text) && (s.wordList.length <= 40 || /\(.*(photo|getty|reuters|ap|afp).*\)\s*$/i.test(s.text))) return {category: 'caption', reason: 'photo caption or credit'};
  if (COMMENT.test(s.text) && (after || s.wordList.length <= 6)) return {category: 'chrome', reason: 'reader comment or comment control'};
  if (s.ellipsis) return {category: 'teaser', reason: 'cut-off blurb of another story'};
  if (!s.terminal && s.wordList.length >= 1 && s.wordList.length <= 25 && next && next.ellipsis) return {category: 'teaser', reason: 'headline of another story (followed by a cut-off blurb)'};
  if (s.titleLike && next && !next.titleLike && next.wordList.length >= 8 && p[i + 1]! >= 0.5) return {category: 'teaser', reason: 'teaser of another story (headline followed by a blurb)'};
  if (!s.titleLike && prev?.titleLike && p[i - 1]! >= 0.5 && s.wordList.length >= 8 && (after || before)) return {category: 'teaser', reason: 'teaser of another story (blurb under a headline)'};
  let run = 0;
  for (let j = i; j >= 0 && stats[j]!.short; j--) run++;
  for (let j = i + 1; j < n && stats[j]!.short; j++) run++;
  if (s.short && run >= 3) return {category: 'navigation', reason: 'short line in a run of navigation'};
  if (after && s.titleLike) return {category: 'teaser', reason: 'headline of another story (after the end of the story)'};
  if (after && s.short) return {category: 'navigation', reason: 'short label after the end of the story'};
  if (before && s.short) return {category: 'navigation', reason: 'short line above the headline'};
  if (after) return {category: 'chrome', reason: 'text after the end of the story'};
  if (before) return {category: 'chrome', reason: 'text above the story'};
  if (s.overlapShare >= 0.5 && s.overlapWith >= 0) return {category: 'duplicate', reason: `repeats a passage of line ${stats[s.overlapWith]!.line + 1}`};
  if (s.short) return {category: 'chrome', reason: 'short line that breaks the story'};
  return {category: 'chrome', reason: 'reads as page furniture, not part of the story'};
}

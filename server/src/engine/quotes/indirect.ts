/**
 * Indirect speech: reported speech that is not (only) between quote marks.
 *
 * - `X said (that) CONTENT.`, `X told reporters on Monday CONTENT.`, `X said CONTENT, adding that CONTENT2.`
 * - `CONTENT, X said.`, `CONTENT, said X.`
 * - `According to X, CONTENT.`, `CONTENT, according to X.`
 *
 * The content may hold quoted words (`said the plan was “a disaster”`): the quotation is then a partial direct
 * quote and the whole content is also indirect speech. A content made only of a quotation is a plain direct quote.
 */
import type {Quote} from '../types.js';
import {subjectOf, type QuoteSite} from './attribute.js';
import {cueAt, type Cue} from './cues.js';
import {ADVERBS} from './lexicon.js';
import {npStartingAt, subjectBefore, type Mention} from './mentions.js';
import type {QuoteSpan} from './marks.js';
import type {Resolver} from './resolve.js';
import type {Block, Unit} from './units.js';

const OBJECT_VERBS = /^(told|tells|tell|telling|asked|asks|ask|asking|assured|assures|informed|informs|reminded|reminds|warned|warns|urged|urges|promised|promises|briefed|wrote)$/;
const OBJECT_PRONOUNS = new Set(['him', 'her', 'them', 'us', 'me', 'you', 'reporters', 'journalists', 'supporters', 'voters', 'lawmakers', 'listeners', 'viewers', 'readers', 'members', 'delegates', 'the', 'a', 'an']);
const TIME_WORDS = new Set('monday tuesday wednesday thursday friday saturday sunday yesterday today tonight earlier later recently previously again also then last this next week month year morning afternoon evening night weekend day'.split(' '));
const INTRO_PREPOSITIONS = new Set(['in', 'on', 'at', 'during', 'after', 'before', 'via', 'through', 'from', 'with', 'to', 'over', 'while', 'when', 'late', 'early']);

/**
 * Find indirect speech in a block.
 *
 * @param text Document.
 * @param block Block.
 * @param spans Quote spans.
 * @param sites The block's quote sites (unused words of direct attributions are not content).
 * @param resolver Resolver.
 * @returns Indirect quotes.
 */
export function findIndirect(text: string, block: Block, spans: readonly QuoteSpan[], sites: readonly QuoteSite[], resolver: Resolver): Quote[] {
  void spans;
  const {units} = block;
  const out: Quote[] = [];
  // The verb of an attribution that follows a quotation ("“…,” Kalin told TRT television") reports that quotation.
  const used = new Map<number, Mention>();
  for (const site of sites) {
    const a = site.attribution;
    if (a?.rule === 'after' && a.cue && a.mention && a.block === block) used.set(a.cue.first, a.mention);
  }
  for (const [s, e] of block.sentences) {
    const cues: Cue[] = [];
    for (let i = s; i < e; i++) {
      const cue = cueAt(units, i);
      if (cue) {
        cues.push(cue);
        i = cue.last;
      }
    }
    for (let k = 0; k < cues.length; k++) {
      const cue = cues[k]!;
      const found = cue.kind === 'according' ? according(units, cue, s, e) : reported(units, cue, s, e, cues.slice(k + 1), used.get(cue.first));
      if (!found) continue;
      const [from, to, mention] = found;
      const content = trimContent(units, from, to);
      if (!content) continue;
      const [a, b] = content;
      // Only a quotation (and "that"): a plain direct quote, not indirect speech.
      let words = 0;
      for (let i = a; i < b; i++) if (units[i]!.kind === 'w' && units[i]!.lower !== 'that') words++;
      const quoted = units.slice(a, b).some((u) => u.kind === 'q');
      if (words === 0 || (words < 3 && !quoted)) continue;
      const start = units[a]!.start;
      const end = units[b - 1]!.end;
      const quote: Quote = {
        start,
        end,
        direct: false,
        kind: 'indirect',
        speaker: resolver.resolve(mention, null, block.start),
        speakerMention: text.slice(mention.start, mention.end),
        speakerStart: mention.start,
        speakerEnd: mention.end,
        cue: text.slice(units[cue.first]!.start, units[cue.last]!.end),
        cueStart: units[cue.first]!.start,
        cueEnd: units[cue.last]!.end,
        text: text.slice(start, end),
      };
      if (out.length > 0 && out.slice(-4).some((q) => q.start < end && q.end > start)) continue;
      if (quote.speaker && mention.kind !== 'pronoun') resolver.addSpeaker(mention.start, quote.speaker);
      out.push(quote);
    }
  }
  return out;
}

/**
 * Content and speaker of a reporting verb.
 *
 * @param units Units.
 * @param cue Cue.
 * @param s Sentence start.
 * @param e Sentence end.
 * @param later The later cues of the sentence.
 * @param known The speaker already found for this verb (the attribution of a quotation before it).
 * @returns `[from, to, speaker]` or null.
 */
function reported(units: readonly Unit[], cue: Cue, s: number, e: number, later: readonly Cue[], known?: Mention): [number, number, Mention] | null {
  const mention = known ?? subjectOf(units, cue, s, e);
  if (!mention) return null;
  const inverted = mention.first > cue.last;
  let k = (inverted ? e : cue.last) + 1;
  // The listener of "told", "asked": a pronoun, a name, or a short noun phrase.
  if (!inverted && OBJECT_VERBS.test(units[cue.first]!.lower)) k = skipObject(units, k, e);
  k = skipAdverbials(units, k, e);
  let end = e;
  // A second attribution later in the sentence ends this one's content: "…, adding that …", "…, according to …",
  // "… and urged …".
  for (const next of later) {
    if (next.first <= k) continue;
    const before = units[next.first - 1];
    const conjunction = before?.lower === 'and' || before?.lower === 'but';
    if (before?.text === ',' || conjunction || next.kind === 'according') {
      end = Math.min(end, conjunction && units[next.first - 2]?.text === ',' ? next.first - 2 : next.first - 1);
      break;
    }
    // A new clause with its own speaker: "…, and Trump vowed to …", "…; the minister said …".
    const subject = subjectBefore(units, next.first, k);
    if (subject && subject.kind !== 'role') {
      const b = subject.first - 1;
      if (units[b]?.text === ';' || (units[b]?.text === ',' && units[b + 1] !== undefined)) {
        end = Math.min(end, b);
        break;
      }
      if (/^(and|but)$/.test(units[b]?.lower ?? '') && units[b - 1]?.text === ',') {
        end = Math.min(end, b - 1);
        break;
      }
    }
  }
  // After "“…,” Kalin said" the words that follow are circumstances ("in Washington on Wednesday", "citing …"),
  // not what was said, unless "that" introduces them.
  const first = Math.min(mention.first, cue.first);
  const sameSentence = (u: Unit | undefined): boolean => !!u && u.sentence === units[first]!.sentence;
  const afterQuote = (units[first - 1]?.kind === 'q' && sameSentence(units[first - 1])) || (units[first - 1]?.text === ',' && units[first - 2]?.kind === 'q' && sameSentence(units[first - 2]));
  if (afterQuote && units[k - 1]?.lower !== 'that') k = end;
  // A bare prepositional phrase is a circumstance too ("said on the campaign trail").
  if (k < end && INTRO_PREPOSITIONS.has(units[k]!.lower) && end - k <= 6 && !units.slice(k, end).some((u) => u.kind === 'q')) k = end;
  if (k < end && hasWords(units, k, end)) return [k, end, mention];
  // "CONTENT, X said." — the attribution ends the sentence (an appositive may follow an inverted speaker).
  let tail = skipAdverbials(units, (inverted ? mention.last : cue.last) + 1, e);
  if (inverted && units[tail]?.text === ',') tail = e;
  if (tail < e && !/^[.!?]$/.test(units[tail]!.text)) return null;
  const head = Math.min(mention.first, cue.first);
  const comma = units[head - 1];
  if (!comma || !/^(,|—|--)$/.test(comma.text) || head - 1 <= s) return null;
  return [s, head - 1, mention];
}

/**
 * Content and source of "according to".
 *
 * @param units Units.
 * @param cue Cue.
 * @param s Sentence start.
 * @param e Sentence end.
 * @returns `[from, to, source]` or null.
 */
function according(units: readonly Unit[], cue: Cue, s: number, e: number): [number, number, Mention] | null {
  const mention = npStartingAt(units, cue.last + 1, e);
  if (!mention) return null;
  // The source phrase runs to the next comma ("according to a statement from the ministry,").
  let after = mention.last + 1;
  while (after < e && units[after]!.text !== ',' && !/^[.!?;]$/.test(units[after]!.text) && units[after]!.kind !== 'q' && after - mention.last < 10) after++;
  let k = cue.first - 1;
  while (k >= s && units[k]!.kind === 'p' && /^[(\[]$/.test(units[k]!.text)) k--;
  if (k < s || (units[k]!.kind === 'p' && /^[,—–]$/.test(units[k]!.text) && k === s)) {
    // "According to X, CONTENT."
    if (units[after]?.text !== ',') return null;
    return [after + 1, e, mention];
  }
  // "CONTENT, according to X." / "CONTENT according to X."
  const to = units[k]!.kind === 'p' && /^[,—–]$|^--$/.test(units[k]!.text) ? k : k + 1;
  return [s, to, mention];
}

/**
 * Skip the listener after "told", "asked": a pronoun, a name, or a noun phrase of a few words.
 *
 * @param units Units.
 * @param k First unit after the verb.
 * @param e Sentence end.
 * @returns First unit after the object.
 */
function skipObject(units: readonly Unit[], k: number, e: number): number {
  const u = units[k];
  if (!u || u.kind !== 'w') return k;
  if (OBJECT_PRONOUNS.has(u.lower) && !u.cap && !/^(the|a|an)$/.test(u.lower)) return k + 1;
  const m = npStartingAt(units, k, e);
  if (m) return m.last + 1;
  if (/^(the|a|an)$/.test(u.lower)) {
    let j = k + 1;
    while (j < e && j - k < 5 && units[j]!.kind === 'w' && units[j]!.lower !== 'that') j++;
    return j;
  }
  return k;
}

/**
 * Skip adverbials after a reporting verb: time words (`on Monday`, `last week`), short prepositional phrases that
 * a "that" or a comma closes (`in a statement that`, `at a rally in Ohio,`), and a leading "that".
 *
 * @param units Units.
 * @param k First unit.
 * @param e Sentence end.
 * @returns First unit of the content.
 */
function skipAdverbials(units: readonly Unit[], k: number, e: number): number {
  for (let guard = 0; guard < 6 && k < e; guard++) {
    const u = units[k]!;
    if (u.kind === 'p' && /^[,:—–]$|^--$/.test(u.text)) {
      k++;
      continue;
    }
    if (u.kind !== 'w') break;
    if (TIME_WORDS.has(u.lower) || (ADVERBS.has(u.lower) && !u.cap)) {
      k++;
      continue;
    }
    if (u.lower === 'that') {
      k++;
      break;
    }
    if (INTRO_PREPOSITIONS.has(u.lower)) {
      let j = k + 1;
      while (j < e && j - k < 9 && units[j]!.kind === 'w' && units[j]!.lower !== 'that') j++;
      if (j < e && (units[j]!.lower === 'that' || units[j]!.text === ',')) {
        k = j + 1;
        continue;
      }
      // "said on Monday" + content with no "that": skip a short time phrase only.
      if (units[k + 1] && TIME_WORDS.has(units[k + 1]!.lower)) {
        k += 2;
        continue;
      }
    }
    break;
  }
  return k;
}

/**
 * Are there words (or quotes) in a range?
 *
 * @param units Units.
 * @param a Start.
 * @param b End.
 * @returns Whether.
 */
function hasWords(units: readonly Unit[], a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (units[i]!.kind !== 'p') return true;
  return false;
}

/**
 * Trim punctuation from both ends of a content range.
 *
 * @param units Units.
 * @param a Start.
 * @param b End (exclusive).
 * @returns Trimmed range or null when empty.
 */
function trimContent(units: readonly Unit[], a: number, b: number): [number, number] | null {
  while (a < b && units[a]!.kind === 'p' && !/^[(\[$£€]$/.test(units[a]!.text)) a++;
  while (b > a && units[b - 1]!.kind === 'p' && !/^[)\]%]$/.test(units[b - 1]!.text)) b--;
  return b > a ? [a, b] : null;
}

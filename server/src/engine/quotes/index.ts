/**
 * Quotation analyser (first version): a unified plugin that finds direct quotations by their marks, attributes
 * each to a speaker from the attribution next to it (`“…,” Kalin said`, `said Kalin`, `Kalin said: “…”`,
 * `according to X`), resolves pronouns to the last person quoted or named and short names to the full name
 * used in the file (through the entity analyser's canonical names), and finds indirect speech (`X said (that) …`).
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE, type SiftContext} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {Entity, Quote, QuoteKind} from '../types.js';
import {findQuoteSpans, type QuoteSpan} from './marks.js';

const CUE_WORDS =
  'said|says|say|told|tells|tell|added|adds|asked|asks|stressed|stresses|noted|notes|wrote|writes|explained|explains|insisted|insists|warned|warns|declared|announced|announces|replied|argued|argues|claimed|claims|continued|tweeted|stated|states|remarked|urged|acknowledged|conceded|suggested|recalled|vowed|emphasised|emphasized|reiterated|confirmed|denied|testified|pointed out|went on|according to';
const CUE = new RegExp(`\\b(${CUE_WORDS})\\b`, 'i');
const CUE_GLOBAL = new RegExp(`\\b(${CUE_WORDS})\\b`, 'gi');
const PRONOUN = /^(he|she|they|i|we|it)$/i;
const ROLE_NOUN = /\b(the|a|an|his|her|their)\s+((?:[\p{L}-]+\s+){0,3}(?:minister|spokesman|spokeswoman|spokesperson|president|official|officials|secretary|senator|governor|leader|chief|director|statement|ministry|department|adviser|advisor|ambassador|lawyer|attorney|analyst|candidate|campaign|source|sources|report|police|prosecutor|judge|mayor|chairman|ceo|expert|experts|aide|aides))\b/iu;

/** Where an attribution after a quote ends: a line end, the next quote, or a sentence end (not an abbreviation). */
const SENTENCE_STOP = /[\r\n“"«]|(?<!\b(?:Dr|Mr|Mrs|Ms|St|Gen|Sen|Rep|Gov|Jr|Sr|Prof|Lt|Col|Capt|Mt|No|U\.S|U\.K|U\.N|\p{Lu}))[.!?](?=\s+[\p{Lu}“"])/u;

/** A speaker found in the text, before resolution. */
interface SpeakerHit {
  mention: string;
  start: number;
  end: number;
  cue: string;
  cueStart: number;
  cueEnd: number;
}

/**
 * Sift's quotation plugin.
 *
 * @returns Transform.
 */
export default function siftQuotes() {
  return (tree: Root, file: VFile): undefined => {
    const context = contextOf(tree, file);
    const quotes = findQuotes(context);
    for (const quote of quotes) {
      const who = quote.speaker ?? 'unknown speaker';
      const message = file.info(`${quote.kind === 'indirect' ? 'Indirect speech' : quote.kind === 'partial' ? 'Partial quotation' : 'Quotation'} by ${who}${quote.cue ? ` (${quote.cue})` : ''}`, {
        place: {start: pointAt(context.lines, quote.start), end: pointAt(context.lines, quote.end)},
        ruleId: RULE_IDS.quotation,
        source: SOURCE,
      });
      message.actual = quote.text;
    }
    context.annotations.quotes = quotes;
    return undefined;
  };
}

/**
 * Find the quotations of a text with their speakers.
 *
 * @param context Run context (text, lines, entities).
 * @returns Quotes sorted by offset.
 */
export function findQuotes(context: SiftContext): Quote[] {
  const {text} = context;
  const entities = context.annotations.entities.filter((e) => e.type === 'PER' || e.type === 'ORG');
  const skipLines = new Set(context.annotations.boilerplate.map((b) => b.line));
  const spans = findQuoteSpans(text).filter((span) => !skipLines.has(lineOfOffset(context, span.start)));
  const quotes: Quote[] = [];
  let lastSpeaker: {name: string; mention: string; end: number; line: number} | null = null;

  for (const span of spans) {
    const line = lineOfOffset(context, span.start);
    let hit = attributionAfter(text, span, context) ?? attributionBefore(text, span, context);
    let inherited = false;
    if (!hit && lastSpeaker && line - lastSpeaker.line <= 1 && startsSentence(text, span)) {
      inherited = true;
    }
    const kind: QuoteKind = hit || inherited || startsSentence(text, span) ? 'direct' : 'partial';
    let speaker: string | null = null;
    let mention: string | null = null;
    if (hit) {
      mention = hit.mention;
      speaker = resolve(hit, entities, lastSpeaker?.name ?? null, context);
    } else if (inherited && lastSpeaker) {
      speaker = lastSpeaker.name;
      mention = lastSpeaker.mention;
    }
    if (kind === 'partial' && !hit) {
      // A scare or partial quote takes the speaker of its clause when there is one.
      const clause = clauseSpeaker(text, span, context);
      if (clause) {
        hit = clause;
        mention = clause.mention;
        speaker = resolve(clause, entities, lastSpeaker?.name ?? null, context);
      }
    }
    quotes.push({
      start: span.start,
      end: span.end,
      direct: true,
      kind,
      speaker,
      speakerMention: mention,
      speakerStart: hit?.start ?? null,
      speakerEnd: hit?.end ?? null,
      cue: hit?.cue ?? null,
      cueStart: hit?.cueStart ?? null,
      cueEnd: hit?.cueEnd ?? null,
      text: text.slice(span.start, span.end),
    });
    if (speaker && kind === 'direct') lastSpeaker = {name: speaker, mention: mention ?? speaker, end: span.end, line: lineOfOffset(context, span.end)};
  }
  quotes.push(...findIndirect(context, spans, entities, skipLines));
  return quotes.sort((a, b) => a.start - b.start);
}

/**
 * Line index of an offset.
 *
 * @param context Run context.
 * @param offset Offset.
 * @returns Line index.
 */
function lineOfOffset(context: SiftContext, offset: number): number {
  return pointAt(context.lines, offset).line - 1;
}

/**
 * Does a quote open a sentence (start of line, or after `.`, `:` or a previous quote)?
 *
 * @param text Document.
 * @param span Quote.
 * @returns Whether.
 */
function startsSentence(text: string, span: QuoteSpan): boolean {
  const before = text.slice(Math.max(0, span.outerStart - 3), span.outerStart);
  return span.outerStart === 0 || /(^|[\r\n]|[.:?!,;—–-]["”’]?\s*|\s[—–-]\s*)$/.test(before) || /[\r\n]\s*$/.test(before);
}

/**
 * A speaker named in a stretch of text: the last PER/ORG entity, a pronoun, or a role noun.
 *
 * @param text Document.
 * @param from Start of the stretch.
 * @param to End of the stretch.
 * @param context Context.
 * @param prefer Which one to prefer when several: the first or the last.
 * @returns Mention and offsets, or null.
 */
function speakerIn(text: string, from: number, to: number, context: SiftContext, prefer: 'first' | 'last'): {mention: string; start: number; end: number} | null {
  if (to <= from) return null;
  const inside = context.annotations.entities.filter((e) => (e.type === 'PER' || e.type === 'ORG') && e.start >= from && e.end <= to);
  if (inside.length > 0) {
    const pick = prefer === 'first' ? inside[0]! : inside[inside.length - 1]!;
    // Take a run of adjacent entities as one name ("Turkish President Tayyip Erdogan" keeps the person).
    return {mention: pick.text, start: pick.start, end: pick.end};
  }
  const stretch = text.slice(from, to);
  const pronoun = /\b(he|she|they|we|I)\b/.exec(stretch);
  if (pronoun) return {mention: pronoun[1]!, start: from + pronoun.index, end: from + pronoun.index + pronoun[1]!.length};
  const role = ROLE_NOUN.exec(stretch);
  if (role) return {mention: role[0], start: from + role.index, end: from + role.index + role[0].length};
  const name = /\b\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3}/u.exec(stretch);
  if (name) return {mention: name[0], start: from + name.index, end: from + name.index + name[0].length};
  return null;
}

/**
 * Attribution after the closing mark: `,” Kalin said`, `,” said Kalin`, `,” he added`.
 *
 * @param text Document.
 * @param span Quote.
 * @param context Context.
 * @returns Speaker hit or null.
 */
function attributionAfter(text: string, span: QuoteSpan, context: SiftContext): SpeakerHit | null {
  let windowEnd = Math.min(text.length, span.outerEnd + 160);
  const rest = text.slice(span.outerEnd, windowEnd);
  // The attribution ends at the sentence end, a line end or the next quote.
  const stop = SENTENCE_STOP.exec(rest);
  if (stop) windowEnd = span.outerEnd + stop.index;
  const window = text.slice(span.outerEnd, windowEnd);
  if (!/^\s*[,—–-]?\s*\S/.test(window) || /^\s*[.!?]/.test(window) && !/[,?!]\s*$/.test(text.slice(span.start, span.end))) {
    if (!/[,?!—-]\s*$/.test(text.slice(span.start, span.end))) return null;
  }
  const cue = CUE.exec(window);
  if (!cue || cue.index > 120) return null;
  const cueStart = span.outerEnd + cue.index;
  const cueEnd = cueStart + cue[0].length;
  const front = speakerIn(text, span.outerEnd, cueStart, context, 'first');
  const hit = front ?? speakerIn(text, cueEnd, Math.min(windowEnd, cueEnd + 80), context, 'first');
  if (!hit) return null;
  return {...hit, cue: cue[0], cueStart, cueEnd};
}

/**
 * Attribution before the opening mark: `Kalin said: “…”`, `Akar told journalists that “…”`, `according to X, “…”`.
 *
 * @param text Document.
 * @param span Quote.
 * @param context Context.
 * @returns Speaker hit or null.
 */
function attributionBefore(text: string, span: QuoteSpan, context: SiftContext): SpeakerHit | null {
  const line = context.lines[lineOfOffset(context, span.outerStart)]!;
  let from = Math.max(line.start, span.outerStart - 240);
  const before = text.slice(from, span.outerStart);
  // Only the current sentence counts.
  const boundary = /.*(?:[.!?]["”’]?\s+|["”’]\s+)(?=\S)/su.exec(before);
  if (boundary) from += boundary[0].length;
  const clause = text.slice(from, span.outerStart);
  if (!/[:,]\s*$|\bthat\s*$|\b(as|saying|calling|called)\s*$/.test(clause) && !/\b(said|says|told|added|wrote)\s*$/.test(clause)) return null;
  let cue: RegExpExecArray | null = null;
  CUE_GLOBAL.lastIndex = 0;
  for (let m = CUE_GLOBAL.exec(clause); m; m = CUE_GLOBAL.exec(clause)) cue = m;
  if (!cue) return null;
  const cueStart = from + cue.index;
  const cueEnd = cueStart + cue[0].length;
  const hit = /^according to$/i.test(cue[0]) ? speakerIn(text, cueEnd, span.outerStart, context, 'first') : speakerIn(text, from, cueStart, context, 'last') ?? speakerIn(text, cueEnd, span.outerStart, context, 'first');
  if (!hit) return null;
  return {...hit, cue: cue[0], cueStart, cueEnd};
}

/**
 * The speaker of the clause that holds a partial quote: the nearest cue before it in the same sentence.
 *
 * @param text Document.
 * @param span Quote.
 * @param context Context.
 * @returns Hit or null.
 */
function clauseSpeaker(text: string, span: QuoteSpan, context: SiftContext): SpeakerHit | null {
  const line = context.lines[lineOfOffset(context, span.outerStart)]!;
  let from = Math.max(line.start, span.outerStart - 300);
  const before = text.slice(from, span.outerStart);
  const boundary = /.*[.!?]["”’]?\s+(?=\p{Lu})/su.exec(before);
  if (boundary) from += boundary[0].length;
  const clause = text.slice(from, span.outerStart);
  let cue: RegExpExecArray | null = null;
  CUE_GLOBAL.lastIndex = 0;
  for (let m = CUE_GLOBAL.exec(clause); m; m = CUE_GLOBAL.exec(clause)) cue = m;
  if (!cue) return null;
  const cueStart = from + cue.index;
  const cueEnd = cueStart + cue[0].length;
  const hit = speakerIn(text, from, cueStart, context, 'last');
  return hit ? {...hit, cue: cue[0], cueStart, cueEnd} : null;
}

/**
 * Resolve a speaker mention to a name: an entity's canonical name, or for a pronoun the last person quoted
 * (or, failing that, the last person named before the quote).
 *
 * @param hit Mention.
 * @param entities PER/ORG entities.
 * @param lastSpeaker The last resolved speaker.
 * @param context Context.
 * @returns Name or null.
 */
function resolve(hit: {mention: string; start: number; end: number}, entities: readonly Entity[], lastSpeaker: string | null, context: SiftContext): string | null {
  const entity = entities.find((e) => e.start <= hit.start && e.end >= hit.end) ?? entities.find((e) => e.start >= hit.start && e.end <= hit.end);
  if (entity) return entity.canonical;
  if (PRONOUN.test(hit.mention)) {
    if (/^(he|she)$/i.test(hit.mention)) {
      // The nearest person named in this line or the one before wins; else the last person quoted.
      const line = lineOfOffset(context, hit.start);
      const person = [...entities].reverse().find((e) => e.type === 'PER' && e.end <= hit.start && lineOfOffset(context, e.start) >= line - 2);
      return person?.canonical ?? lastSpeaker;
    }
    return lastSpeaker;
  }
  return hit.mention.replace(/^(the|a|an)\s+/i, 'the ');
}

/**
 * Indirect speech: `X said (that) …`, `according to X, …` in sentences with no quotation marks.
 *
 * @param context Context.
 * @param spans Quote spans (sentences holding one are skipped).
 * @param entities PER/ORG entities.
 * @param skipLines Boilerplate lines.
 * @returns Indirect quotes.
 */
function findIndirect(context: SiftContext, spans: readonly QuoteSpan[], entities: readonly Entity[], skipLines: ReadonlySet<number>): Quote[] {
  const {text} = context;
  const out: Quote[] = [];
  const sentences = sentenceSpans(context);
  let lastPerson: string | null = null;
  for (const [start, end] of sentences) {
    const line = lineOfOffset(context, start);
    if (skipLines.has(line)) continue;
    if (spans.some((s) => s.outerStart < end && s.outerEnd > start)) continue;
    const sentence = text.slice(start, end);
    const speech = /^(?<pre>.{0,120}?)\b(?<cue>said|says|told|added|announced|stressed|warned|noted|argued|claimed|insisted|explained|confirmed|denied)\b(?<mid>[^.]{0,40}?)\b(that\s+)?(?<content>\S.{15,})$/su.exec(sentence);
    const according = /^(?<lead>.*?)\baccording to (?<who>[^,.]+)[,.]?(?<content>.*)$/su.exec(sentence);
    if (speech?.groups) {
      const cueStart = start + speech.groups['pre']!.length;
      const hit = speakerIn(text, start, cueStart, context, 'last');
      if (!hit) continue;
      let contentStart = cueStart + speech.groups['cue']!.length + speech.groups['mid']!.length;
      contentStart += text.slice(contentStart).match(/^\s*(that\s+)?/)![0].length;
      let contentEnd = end;
      while (contentEnd > contentStart && /[\s.]/.test(text[contentEnd - 1]!)) contentEnd--;
      if (contentEnd - contentStart < 15) continue;
      const speaker = resolve(hit, entities, lastPerson, context);
      if (speaker) lastPerson = speaker;
      out.push({start: contentStart, end: contentEnd, direct: false, kind: 'indirect', speaker, speakerMention: hit.mention, speakerStart: hit.start, speakerEnd: hit.end, cue: speech.groups['cue']!, cueStart, cueEnd: cueStart + speech.groups['cue']!.length, text: text.slice(contentStart, contentEnd)});
    } else if (according?.groups && according.groups['lead']!.trim().length > 15) {
      const lead = according.groups['lead']!.replace(/[,\s]+$/, '');
      const whoStart = start + according.groups['lead']!.length + 'according to '.length;
      const hit = speakerIn(text, whoStart, whoStart + according.groups['who']!.length, context, 'first');
      if (!hit) continue;
      const cueStart = start + according.groups['lead']!.length;
      out.push({start, end: start + lead.length, direct: false, kind: 'indirect', speaker: resolve(hit, entities, lastPerson, context), speakerMention: hit.mention, speakerStart: hit.start, speakerEnd: hit.end, cue: 'according to', cueStart, cueEnd: cueStart + 12, text: text.slice(start, start + lead.length)});
    }
  }
  return out;
}

/**
 * Sentence spans from the token stream.
 *
 * @param context Context.
 * @returns `[start, end]` pairs.
 */
function sentenceSpans(context: SiftContext): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let current = -1;
  let line = -1;
  for (const token of context.tokens()) {
    // A sentence never crosses a line: scraped text puts a headline and its paragraph on adjacent lines.
    if (token.sentence !== current || token.line !== line) {
      spans.push([token.start, token.end]);
      current = token.sentence;
      line = token.line;
    } else spans[spans.length - 1]![1] = token.end;
  }
  return spans;
}

/**
 * Quotation analyser: a unified plugin that finds quotations and their speakers.
 *
 * 1. `marks.ts` finds quoted stretches by their marks (straight, curly, single, double, guillemets, `''`, nested,
 *    multi-paragraph; apostrophes and markup attributes are not quotes).
 * 2. `units.ts` reads each paragraph as words, punctuation and whole quotations, split into sentences.
 * 3. `attribute.ts` finds each quotation's reporting verb and speaker noun phrase (`mentions.ts`): after it, before
 *    it, in its clause, or shared with the quotation next to it.
 * 4. `resolve.ts` turns the speaker mention into a name ("he" → "Ibrahim Kalin").
 * 5. `indirect.ts` finds reported speech without quotation marks (`X said (that) …`, `according to X, …`).
 *
 * A quoted stretch that no one says — a title, a nickname, a scare quote with no speaker in its clause — is not
 * reported as a quotation.
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE, type SiftContext} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {Quote, QuoteKind} from '../types.js';
import {attributeBlock, lastSpeechBefore, type Attribution, type AttributionRule, type QuoteSite} from './attribute.js';
import {findIndirect} from './indirect.js';
import {findQuoteSpans} from './marks.js';
import {Resolver} from './resolve.js';
import {isNameWord} from './mentions.js';
import {blocksOf, type Block} from './units.js';

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
      const label = quote.kind === 'indirect' ? 'Indirect speech' : quote.kind === 'partial' ? 'Partial quotation' : 'Quotation';
      const message = file.info(`${label} by ${who}${quote.cue ? ` (${quote.cue})` : ''}`, {
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
 * @param context Run context (text, lines, entities, boilerplate).
 * @param trace Optional callback told about every quoted stretch (the rule that attributed it, or why it is not
 *   reported).
 * @returns Quotes sorted by offset.
 */
export function findQuotes(context: SiftContext, trace?: (event: QuoteTrace) => void): Quote[] {
  const {text} = context;
  const entities = context.annotations.entities.filter((e) => e.type === 'PER' || e.type === 'ORG');
  const skip = new Set(context.annotations.boilerplate.map((b) => b.line));
  const spans = findQuoteSpans(text);
  const blocks = blocksOf(text, context.lines, spans, skip);
  const resolver = new Resolver(blocks, entities);
  const quotes: Quote[] = [];
  let first = true;
  let tail: Attribution | null = null;
  for (const block of blocks) {
    const sites = attributeBlock(block, spans);
    // A paragraph that opens with a quotation nobody is named for continues the speaker of the paragraph before.
    for (const site of sites) {
      if (site.attribution || !site.sentenceStart || !tail) break;
      site.attribution = {...tail, rule: 'paragraph'};
    }
    const last = lastSpeechBefore(block.units, block.units.length, sites);
    if (last) tail = {...last, block: last.block ?? block};
    for (const site of sites) {
      const dropped = skipReason(text, site, first);
      trace?.({start: site.span.start, end: site.span.end, rule: site.attribution?.rule ?? null, dropped});
      if (!dropped) quotes.push(toQuote(text, site, resolver));
    }
    for (const quote of findIndirect(text, block, spans, sites, resolver)) quotes.push(quote);
    first = false;
  }
  return quotes.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** What `findQuotes` decided about one quoted stretch (for error analysis: `scripts/quotes-analyse.mjs`). */
export interface QuoteTrace {
  start: number;
  end: number;
  /** How the attribution was found, or null. */
  rule: AttributionRule | null;
  /** Why the stretch is not reported as a quotation, or null when it is. */
  dropped: string | null;
}

/**
 * Why a quoted stretch is not reported as a quotation, if it is not. Titles, nicknames, bylined article listings
 * and scare quotes with no speaker are not quotations; neither are single-quoted stretches without an attribution
 * next to them, nor an unattributed quote in a headline.
 *
 * @param text Document.
 * @param site Quote site.
 * @param headline Whether the block is the first of the text.
 * @returns Reason, or null when the stretch is a quotation.
 */
function skipReason(text: string, site: QuoteSite, headline: boolean): string | null {
  const {span, attribution} = site;
  const content = text.slice(span.start, span.end);
  const words = content.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  const singleMark = span.single && text.slice(span.outerStart, span.outerStart + 2) !== "''";
  if (singleMark && !(attribution && (attribution.rule === 'after' || attribution.rule === 'before' || attribution.rule === 'colon'))) return 'single marks, no attribution';
  if (!attribution?.mention) {
    if (headline) return 'headline, no speaker';
    if (words < 4) return 'short, no speaker';
  }
  // A headline-style partial quote in single marks ("Ryan: ‘Anti-Semitic Images’ Have ‘No Place …’").
  if (singleMark && !site.sentenceEnd && attribution?.rule === 'colon') return 'single marks inside a headline';
  if (isByline(site)) return 'article listed with its byline';
  if (!site.sentenceStart && isTitle(site, content)) return 'title';
  if (!site.sentenceStart && isNickname(site)) return 'nickname';
  return null;
}

const TITLE_NOUNS = /^(show|program|programme|podcast|book|memoir|biography|film|movie|documentary|song|anthem|hit|album|series|sitcom|column|novel|newsletter|magazine|musical|play|titled|entitled|episode|segment|broadcast|opera|poem|painting|video)$/;
const MINOR_WORDS = /^(of|the|a|an|and|in|on|to|for|with|at|by|or|is|de|from)$/;

/**
 * Is a quoted stretch the title of a show, book or song, named as such ("NBC's “Meet the Press”", "his memoir,
 * “Gifted Hands”", "the reality TV show “The Apprentice”")? A few capitalised words after a possessive or a word
 * like "show" or "book".
 *
 * @param site Quote site.
 * @param content Quoted text.
 * @returns Whether.
 */
function isTitle(site: QuoteSite, content: string): boolean {
  const words = content.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0 || words.length > 8) return false;
  const titleCase = words.every((w) => /^[\p{Lu}\d'‘’"“(]/u.test(w) || MINOR_WORDS.test(w)) && words.some((w) => /^\p{Lu}/u.test(w));
  if (!titleCase) return false;
  const units = site.block.units;
  let k = site.unit - 1;
  if (units[k]?.text === ',') k--;
  const prev = units[k];
  return !!prev && prev.kind === 'w' && (prev.possessive || TITLE_NOUNS.test(prev.lower));
}

/**
 * Is a quoted stretch an article listed with its byline (`“Museum opens,” by Times' Jane Doe: “The museum …”`)?
 * Both the headline and the excerpt that follows the byline are the article's text, not a quotation.
 *
 * @param site Quote site.
 * @returns Whether.
 */
function isByline(site: QuoteSite): boolean {
  const units = site.block.units;
  let k = site.unit + 1;
  if (units[k]?.text === ',') k++;
  const headline = /,\W*$/.test(units[site.unit]!.text) || units[site.unit + 1]?.text === ',';
  if (headline && units[k]?.lower === 'by' && (isNameWord(units[k + 1]) || units[k + 1]?.possessive || units[k + 1]?.lower === 'the')) {
    // "by Times' Ben Sisario:" or "by the New York Post's Amy Spencer http://…" ending the line.
    for (let b = k + 1; b < Math.min(units.length, k + 10); b++) {
      const u = units[b]!;
      if (u.text === ':' || /^https?$/.test(u.lower)) return true;
      if (u.kind !== 'w' || !(u.cap || u.possessive || /^(the|of)$/.test(u.lower))) return false;
    }
    return k + 10 >= units.length;
  }
  // The excerpt: "… by Times' Jane Doe: “…”"
  if (units[site.unit - 1]?.text !== ':') return false;
  for (let b = site.unit - 2; b >= Math.max(0, site.unit - 9); b--) {
    const u = units[b]!;
    if (u.lower === 'by') return b > 0 && (units[b - 1]!.kind === 'q' || units[b - 1]!.text === ',');
    if (u.kind !== 'w' || !(u.cap || u.possessive || /^(the|of)$/.test(u.lower))) return false;
  }
  return false;
}

/**
 * Is a quoted stretch a nickname inside a name (Rep. Robert C. “Bobby” Scott)?
 *
 * @param site Quote site.
 * @returns Whether.
 */
function isNickname(site: QuoteSite): boolean {
  const units = site.block.units;
  const prev = units[site.unit - 1];
  const next = units[site.unit + 1];
  const quote = units[site.unit]!;
  const short = !/\s\S+\s/.test(quote.text.trim()) && !/[.!?,;:]\W*$/.test(quote.text);
  return short && !!prev && !!next && prev.kind === 'w' && next.kind === 'w' && prev.cap && next.cap && !prev.possessive && next.sentence === quote.sentence;
}

/**
 * Build the Quote of a site.
 *
 * @param text Document.
 * @param site Site.
 * @param resolver Resolver.
 * @returns Quote.
 */
function toQuote(text: string, site: QuoteSite, resolver: Resolver): Quote {
  const {span, attribution, block} = site;
  const kind: QuoteKind = site.sentenceStart || introduced(block, site) ? 'direct' : 'partial';
  const quote: Quote = {
    start: span.start,
    end: span.end,
    direct: true,
    kind,
    speaker: null,
    speakerMention: null,
    speakerStart: null,
    speakerEnd: null,
    cue: null,
    cueStart: null,
    cueEnd: null,
    text: text.slice(span.start, span.end),
  };
  fillSpeaker(text, quote, attribution, attribution?.block ?? block, resolver);
  return quote;
}

/**
 * Fill the speaker and cue fields of a quote from an attribution.
 *
 * @param text Document.
 * @param quote Quote (changed in place).
 * @param attribution Attribution or null.
 * @param block Block of the attribution.
 * @param resolver Resolver.
 */
export function fillSpeaker(text: string, quote: Quote, attribution: Attribution | null, block: Block, resolver: Resolver): void {
  if (!attribution) return;
  const {mention, cue, antecedent} = attribution;
  if (mention) {
    quote.speakerMention = text.slice(mention.start, mention.end);
    quote.speakerStart = mention.start;
    quote.speakerEnd = mention.end;
    quote.speaker = resolver.resolve(mention, antecedent, block.start);
    if (quote.speaker && quote.direct) resolver.addSpeaker(quote.start, quote.speaker);
  }
  if (cue) {
    quote.cueStart = block.units[cue.first]!.start;
    quote.cueEnd = block.units[cue.last]!.end;
    quote.cue = text.slice(quote.cueStart, quote.cueEnd);
  }
}

/**
 * Is the quote introduced as a whole statement (`said: “…”`, `said, “…”`)?
 *
 * @param block Block.
 * @param site Site.
 * @returns Whether.
 */
function introduced(block: Block, site: QuoteSite): boolean {
  const prev = block.units[site.unit - 1];
  return !!prev && prev.kind === 'p' && /^[:,—–]$/.test(prev.text);
}

/**
 * Attribution of quotations inside a block: for each quoted stretch, the reporting verb and the speaker noun phrase
 * that go with it.
 *
 * In order:
 * 1. right after the closing mark: `“…,” Kalin said`, `“…,” said Kalin`, `“…,” the minister told reporters`;
 * 2. right before the opening mark, in the same sentence: `Kalin said: “…”`, `Kalin told reporters that “…”`,
 *    `according to Kalin, “…”`, `Reid called Trump a “con artist”`;
 * 3. a partial quote deeper in a clause: the nearest reporting (or describing, or thinking) verb before it in the
 *    sentence, else an attribution at the end of the sentence (`…, he said.`), else a possessive
 *    (`Trump’s “thousands of shootings”`), else the subject of the sentence;
 * 4. a quote that opens a sentence with none of these continues the quote before it in the paragraph
 *    (`“A,” he said. “B.”`), or takes the attribution of the next one (`“A.” “B,” he said.`).
 */
import {cueAt, type Cue} from './cues.js';
import {DETERMINERS, FUNCTION_WORDS, PREPOSITIONS_START} from './lexicon.js';
import {isNameWord, npEndingAt, npStartingAt, subjectAfter, subjectBefore, type Mention} from './mentions.js';
import type {QuoteSpan} from './marks.js';
import type {Block, Unit} from './units.js';

/** How an attribution was found. */
export type AttributionRule = 'after' | 'before' | 'clause' | 'sentence-end' | 'possessive' | 'subject' | 'continued' | 'next' | 'colon';

/** The attribution of one quote unit. */
export interface Attribution {
  mention: Mention | null;
  cue: Cue | null;
  rule: AttributionRule;
  /** For "who"/"which": the noun phrase it refers to. */
  antecedent: Mention | null;
}

/** A quote unit in a block, with what was found for it. */
export interface QuoteSite {
  block: Block;
  /** Unit index of the quote in the block. */
  unit: number;
  span: QuoteSpan;
  /** The quote opens its sentence (after optional intro punctuation). */
  sentenceStart: boolean;
  /** The quote ends its sentence. */
  sentenceEnd: boolean;
  attribution: Attribution | null;
}

/**
 * Attribute every quote unit of a block.
 *
 * @param block Block.
 * @param spans Quote spans of the text.
 * @returns One site per quote unit, in order.
 */
export function attributeBlock(block: Block, spans: readonly QuoteSpan[]): QuoteSite[] {
  const {units} = block;
  const sites: QuoteSite[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u.kind !== 'q') continue;
    const [s, e] = block.sentences[u.sentence]!;
    const sentenceStart = firstContentUnit(units, s) === i;
    const sentenceEnd = lastContentUnit(units, e) === i;
    const site: QuoteSite = {block, unit: i, span: spans[u.quote]!, sentenceStart, sentenceEnd, attribution: null};
    site.attribution = after(units, i) ?? before(units, i, s) ?? (sentenceStart ? null : clause(units, i, s, e));
    sites.push(site);
  }
  // Continuations: a sentence-opening quote with no attribution shares the one of its neighbour in the paragraph.
  for (let k = 0; k < sites.length; k++) {
    const site = sites[k]!;
    if (site.attribution || !site.sentenceStart) continue;
    const previous = sites.slice(0, k).reverse().find((x) => x.attribution?.mention);
    if (previous) {
      site.attribution = {...previous.attribution!, rule: 'continued'};
      continue;
    }
    const next = sites.slice(k + 1).find((x) => x.attribution?.mention && (x.attribution.rule === 'after' || x.attribution.rule === 'before'));
    if (next) site.attribution = {...next.attribution!, rule: 'next'};
  }
  for (const site of sites) if (site.attribution?.mention) site.attribution.antecedent = antecedentOf(units, site.attribution.mention);
  return sites;
}

/**
 * Index of the first unit of a sentence that is not opening punctuation.
 *
 * @param units Units.
 * @param s Sentence start.
 * @returns Index.
 */
function firstContentUnit(units: readonly Unit[], s: number): number {
  let i = s;
  while (i < units.length && units[i]!.kind === 'p' && /^[-—–(\[*•·]+$/.test(units[i]!.text)) i++;
  return i;
}

/**
 * Index of the last unit of a sentence that is not closing punctuation.
 *
 * @param units Units.
 * @param e Sentence end (exclusive).
 * @returns Index.
 */
function lastContentUnit(units: readonly Unit[], e: number): number {
  let i = e - 1;
  while (i > 0 && units[i]!.kind === 'p' && /^[.!?;:,)\]…]+$/.test(units[i]!.text)) i--;
  return i;
}

/**
 * Attribution right after the closing mark.
 *
 * @param units Units.
 * @param qi Quote unit.
 * @returns Attribution or null.
 */
function after(units: readonly Unit[], qi: number): Attribution | null {
  let j = qi + 1;
  const n = units.length;
  if (j < n && units[j]!.kind === 'p' && /^(,|—|–|--)$/.test(units[j]!.text)) j++;
  let limit = j;
  while (limit < n && limit - j < 18) {
    const t = units[limit]!;
    if (t.kind === 'q' || (t.kind === 'p' && /^[.!?;:]$/.test(t.text))) break;
    limit++;
  }
  if (j >= limit) return null;
  const inverted = cueAt(units, j, 'adjacent');
  if (inverted && inverted.kind !== 'according') {
    const m = subjectAfter(units, inverted.last, limit);
    if (m) return {mention: m, cue: inverted, rule: 'after', antecedent: null};
  }
  for (let c = j + 1; c < limit && c <= j + 14; c++) {
    const cue = cueAt(units, c, 'adjacent');
    if (!cue) continue;
    if (cue.kind === 'according') {
      const m = npStartingAt(units, cue.last + 1, limit);
      return m ? {mention: m, cue, rule: 'after', antecedent: null} : null;
    }
    const m = subjectBefore(units, c, j);
    if (m && m.first <= j + 1) return {mention: m, cue, rule: 'after', antecedent: null};
    return null;
  }
  return null;
}

/**
 * Attribution before the opening mark, in the same sentence, within a few words.
 *
 * @param units Units.
 * @param qi Quote unit.
 * @param s Sentence start.
 * @returns Attribution or null.
 */
function before(units: readonly Unit[], qi: number, s: number): Attribution | null {
  let k = qi - 1;
  while (k >= s && ((units[k]!.kind === 'p' && /^([:,—–]|--)$/.test(units[k]!.text)) || units[k]!.lower === 'that')) k--;
  for (let c = k; c >= s && k - c < 12; c--) {
    const t = units[c]!;
    if (t.kind === 'q' || (t.kind === 'p' && /^[.;!?]$/.test(t.text))) break;
    let cue = cueAt(units, c, 'adjacent');
    if (!cue && c > s) {
      const particle = cueAt(units, c - 1, 'adjacent');
      if (particle && particle.last === c) cue = particle;
    }
    if (!cue) continue;
    const m = subjectOf(units, cue, s, qi);
    if (m) return {mention: m, cue, rule: 'before', antecedent: null};
    return null;
  }
  // "Kalin: “…”" — a colon after a name introduces the quote.
  if (units[qi - 1]?.text === ':' && qi - 2 >= s) {
    const m = npEndingAt(units, qi - 2, s) ?? sentenceSubject(units, s, qi - 1);
    if (m && m.kind !== 'role') return {mention: m, cue: null, rule: 'colon', antecedent: null};
  }
  return null;
}

/**
 * Attribution of a partial quote deeper in its sentence.
 *
 * @param units Units.
 * @param qi Quote unit.
 * @param s Sentence start.
 * @param e Sentence end.
 * @returns Attribution or null.
 */
function clause(units: readonly Unit[], qi: number, s: number, e: number): Attribution | null {
  for (let c = qi - 1; c >= s; c--) {
    const cue = cueAt(units, c, 'wide');
    if (!cue) continue;
    const m = subjectOf(units, cue, s, qi);
    if (m) return {mention: m, cue, rule: 'clause', antecedent: null};
    break;
  }
  // "… “a disaster,” he said." / "…, said Kalin."
  for (let c = qi + 1; c < e; c++) {
    const t = units[c]!;
    if (t.kind !== 'p' || !/^(,|—|--)$/.test(t.text)) continue;
    const at = sentenceEndAttribution(units, c + 1, e);
    if (at) return at;
  }
  const prev = units[qi - 1];
  if (prev && prev.possessive && isNameWord(prev)) {
    const m = npEndingAt(units, qi - 1, s);
    if (m) return {mention: {...m, kind: 'name'}, cue: null, rule: 'possessive', antecedent: null};
  }
  const m = sentenceSubject(units, s, qi);
  if (m && m.kind !== 'role') return {mention: m, cue: null, rule: 'subject', antecedent: null};
  return null;
}

/**
 * A bare attribution that ends a sentence: `he said.`, `said Kalin.`, `Kalin told reporters on Monday.`
 *
 * @param units Units.
 * @param j First unit after the comma.
 * @param e Sentence end.
 * @returns Attribution or null.
 */
function sentenceEndAttribution(units: readonly Unit[], j: number, e: number): Attribution | null {
  const inverted = cueAt(units, j);
  if (inverted && inverted.kind !== 'according') {
    const m = subjectAfter(units, inverted.last, e);
    if (m) return {mention: m, cue: inverted, rule: 'sentence-end', antecedent: null};
    return null;
  }
  for (let c = j + 1; c < e && c <= j + 10; c++) {
    const cue = cueAt(units, c);
    if (!cue) continue;
    if (cue.kind === 'according') {
      const m = npStartingAt(units, cue.last + 1, e);
      return m ? {mention: m, cue, rule: 'sentence-end', antecedent: null} : null;
    }
    const m = subjectBefore(units, c, j);
    // The attribution must run to the end of the sentence, give or take an adverbial.
    if (m && m.first <= j + 1 && e - c <= 8) return {mention: m, cue, rule: 'sentence-end', antecedent: null};
    return null;
  }
  return null;
}

/**
 * The speaker of a cue: its subject, the noun phrase after "according to", the subject of the main clause for a
 * participle (`…, adding`), or the inverted subject (`Said Kalin: …`).
 *
 * @param units Units.
 * @param cue Cue.
 * @param s Sentence start.
 * @param limit Index the noun phrase must end before.
 * @returns Mention or null.
 */
export function subjectOf(units: readonly Unit[], cue: Cue, s: number, limit: number): Mention | null {
  if (cue.kind === 'according') return npStartingAt(units, cue.last + 1, limit);
  const m = subjectBefore(units, cue.first, s);
  if (m) return m;
  const verb = units[cue.first]!;
  const prev = units[cue.first - 1];
  if (/ing$/.test(verb.lower) || prev?.lower === 'and' || prev?.text === ',') {
    for (let c = cue.first - 2; c >= s; c--) {
      const earlier = cueAt(units, c, 'adjacent');
      if (!earlier || earlier.kind === 'according') continue;
      const pm = subjectBefore(units, earlier.first, s) ?? subjectAfter(units, earlier.last, cue.first);
      if (pm) return pm;
    }
    // "“…,” Kalin said, adding …": the quote's own attribution comes first in the sentence.
    return sentenceSubject(units, s, cue.first);
  }
  if (cue.first === s || prev?.kind === 'q' || prev?.text === ',') return subjectAfter(units, cue.last, limit);
  return null;
}

/**
 * The subject of a sentence: the first noun phrase, past an opening adverbial (`On Monday, …`, `In a statement,
 * …`) and conjunction.
 *
 * @param units Units.
 * @param s Sentence start.
 * @param limit Index the subject must end before.
 * @returns Mention or null.
 */
export function sentenceSubject(units: readonly Unit[], s: number, limit: number): Mention | null {
  let k = firstContentUnit(units, s);
  if (units[k]?.kind === 'w' && /^(but|and|so|yet|still|now|then|also|meanwhile|however|instead|later|earlier)$/.test(units[k]!.lower)) k++;
  if (units[k]?.text === ',') k++;
  const opener = units[k];
  if (opener && opener.kind === 'w' && (PREPOSITIONS_START.has(opener.lower) || /ly$/.test(opener.lower))) {
    let c = k;
    while (c < limit && units[c]!.text !== ',' && units[c]!.kind !== 'q' && c - k < 14) c++;
    if (units[c]?.text !== ',') return null;
    k = c + 1;
  }
  if (k >= limit) return null;
  const m = npStartingAt(units, k, limit);
  if (!m) return null;
  // A subject is followed by a verb-like word, not by more of the noun phrase.
  const next = units[m.last + 1];
  if (!next || next.kind === 'q') return null;
  if (next.kind === 'w' && (next.cap || DETERMINERS.has(next.lower) || FUNCTION_WORDS.has(next.lower) && !/^(also|has|have|had|is|was|will|would|did|does|can|could)$/.test(next.lower))) return null;
  return m;
}

/**
 * The noun phrase a relative pronoun refers to: "Smith, who …" → Smith.
 *
 * @param units Units.
 * @param m Mention.
 * @returns Antecedent or null.
 */
function antecedentOf(units: readonly Unit[], m: Mention): Mention | null {
  if (m.kind !== 'pronoun' || !/^(who|which|that)$/i.test(m.name)) return null;
  let k = m.first - 1;
  if (units[k]?.text === ',') k--;
  return npEndingAt(units, k, Math.max(0, k - 12), false);
}

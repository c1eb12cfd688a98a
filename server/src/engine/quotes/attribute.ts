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
import {cueAt, type Cue, type CueScope} from './cues.js';
import {ADVERBS, AUXILIARIES, DETERMINERS, FUNCTION_WORDS, PREPOSITIONS_START, ROLE_NOUNS, SPEECH_NOUNS} from './lexicon.js';
import {isNameWord, npEndingAt, npStartingAt, subjectAfter, subjectBefore, type Mention} from './mentions.js';
import type {QuoteSpan} from './marks.js';
import type {Block, Unit} from './units.js';

/** How an attribution was found. */
export type AttributionRule = 'after' | 'before' | 'clause' | 'sentence-end' | 'possessive' | 'subject' | 'continued' | 'next' | 'colon' | 'previous' | 'paragraph' | 'outer';

/** The attribution of one quote unit. */
export interface Attribution {
  mention: Mention | null;
  cue: Cue | null;
  rule: AttributionRule;
  /** For "who"/"which": the noun phrase it refers to. */
  antecedent: Mention | null;
  /** The block whose units the mention and cue index (set once the block is attributed). */
  block?: Block;
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
    const partial = !sentenceStart && !introducedAt(units, i);
    // A quote inside a clause belongs to the clause's attribution, not to an attribution that happens to follow it
    // ("Trump claimed that “…,” one of the prosecutors said the cases differ").
    const inside = partial ? outer(units, i, s, e) : null;
    site.attribution = (inside && inside.cue && inside.mention && inside.mention.first < i ? inside : null) ?? after(units, i) ?? inside ?? before(units, i, s) ?? (sentenceStart ? laterInSentence(units, i) : clause(units, i, s, e));
    sites.push(site);
  }
  // Continuations: a sentence-opening quote with no attribution shares the one of its neighbour in the paragraph,
  // or takes the speaker of the sentence before it ("Kalin spoke on Monday. “…”").
  let previous: QuoteSite | null = null;
  for (let k = 0; k < sites.length; k++) {
    const site = sites[k]!;
    if (site.attribution || !site.sentenceStart) {
      if (site.attribution?.mention) previous = site;
      continue;
    }
    if (previous) {
      site.attribution = {...previous.attribution!, rule: 'continued'};
      previous = site;
      continue;
    }
    const said = lastSpeechBefore(units, site.unit, sites);
    if (said) {
      site.attribution = said;
      previous = site;
      continue;
    }
    for (let n = k + 1; n < sites.length && n - k < 20; n++) {
      const next = sites[n]!.attribution;
      if (next?.mention && (next.rule === 'after' || next.rule === 'before')) {
        site.attribution = {...next, rule: 'next'};
        previous = site;
        break;
      }
    }
  }
  for (const site of sites) {
    if (!site.attribution || site.attribution.block) continue;
    site.attribution.block = block;
    if (site.attribution.mention) site.attribution.antecedent = antecedentOf(units, site.attribution.mention);
  }
  return sites;
}

/**
 * The site of the quote unit at an index (sites are in unit order).
 *
 * @param sites Sites.
 * @param unit Unit index.
 * @returns Site or undefined.
 */
function siteAt(sites: readonly QuoteSite[], unit: number): QuoteSite | undefined {
  let lo = 0;
  let hi = sites.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sites[mid]!.unit < unit) lo = mid + 1;
    else hi = mid;
  }
  return sites[lo]?.unit === unit ? sites[lo] : undefined;
}

/**
 * Is the quote introduced as a whole by what precedes it (`said: “…”`, `said, “…”`, `told reporters that “…”`)?
 *
 * @param units Units.
 * @param qi Quote unit.
 * @returns Whether.
 */
function introducedAt(units: readonly Unit[], qi: number): boolean {
  const prev = units[qi - 1];
  if (!prev) return false;
  if (prev.kind === 'p' && /^[:,—–]$|^--$/.test(prev.text)) return true;
  return false;
}

/**
 * The outermost attribution of a partial quote's sentence: a source that reports the whole sentence
 * (`according to X`, `…, X said.`) or the first verb of speech of the clause (`X said Y called it “…”` → X).
 *
 * @param units Units.
 * @param qi Quote unit.
 * @param s Sentence start.
 * @param e Sentence end.
 * @returns Attribution or null.
 */
function outer(units: readonly Unit[], qi: number, s: number, e: number): Attribution | null {
  e = Math.min(e, units.length);
  for (let c = s; c < e; c++) {
    if (units[c]!.lower !== 'according' || units[c + 1]?.lower !== 'to') continue;
    const m = npStartingAt(units, c + 2, e);
    if (m) return {mention: m, cue: {first: c, last: c + 1, kind: 'according'}, rule: 'outer', antecedent: null};
  }
  const late = laterInSentence(units, qi);
  if (late) return {...late, rule: 'outer'};
  // A passive with its agent: "fighters considered “terrorists” by Turkey", "called the “Crossroads” by residents".
  let n = qi + 1;
  while (n < e && units[n]!.kind === 'q') n++;
  if (units[n]?.lower === 'by' && units.slice(Math.max(s, qi - 4), qi).some((u) => u.kind === 'w' && !u.cap && /(ed|en)$/.test(u.lower))) {
    const m = npStartingAt(units, n + 1, e);
    if (m) return {mention: m, cue: null, rule: 'outer', antecedent: null};
  }
  // The clause starts after the last ", and" / ", but" / ", though" / ";" before the quote, and after an opening
  // subordinate clause ("While Clinton has vowed …, Trump has pledged to “cancel” …").
  let from = s;
  const first = units[firstContentUnit(units, s)];
  if (first && first.kind === 'w' && SUBORDINATORS.test(first.lower)) {
    for (let c = s + 1; c < qi; c++) {
      if (units[c]!.text === ',') {
        from = c + 1;
        break;
      }
    }
  }
  for (let c = qi - 1; c > from; c--) {
    const t = units[c]!;
    if (t.text === ';' || (t.kind === 'w' && (/^(and|but)$/.test(t.lower) || SUBORDINATORS.test(t.lower)) && units[c - 1]!.text === ',')) {
      from = c + 1;
      break;
    }
    // A relative clause with its own speaker: "accusations which the State Department called “unfounded”".
    if (t.kind === 'w' && /^(which|whom)$/.test(t.lower) && cueBetween(units, c + 1, qi)) {
      from = c + 1;
      break;
    }
  }
  for (let c = from; c < qi; c++) {
    const cue = cueAt(units, c);
    if (!cue || cue.kind === 'according') continue;
    const m = subjectOf(units, cue, s, qi);
    if (m && !weakSubject(m)) return {mention: m, cue, rule: 'outer', antecedent: null};
    c = cue.last;
  }
  return null;
}

/**
 * Is there a verb of speech between two units?
 *
 * @param units Units.
 * @param from First unit.
 * @param to End (exclusive).
 * @returns Whether.
 */
function cueBetween(units: readonly Unit[], from: number, to: number): boolean {
  for (let c = from; c < to; c++) if (cueAt(units, c, 'wide')) return true;
  return false;
}

/**
 * The last attribution before a unit of a block: the attribution of an earlier quote, or the subject of the last
 * verb of speech (or thought) that has one.
 *
 * @param units Units of the block.
 * @param index Unit index (exclusive bound).
 * @param sites Quote sites of the block found so far.
 * @returns Attribution (rule `previous`) or null.
 */
export function lastSpeechBefore(units: readonly Unit[], index: number, sites: readonly QuoteSite[]): Attribution | null {
  // Within reach: a few sentences back, not the whole of a very long paragraph.
  for (let c = index - 1; c >= 0 && index - c < 300; c--) {
    const u = units[c]!;
    if (u.kind === 'q') {
      const site = siteAt(sites, c);
      if (site?.attribution?.mention) return {...site.attribution, rule: 'previous'};
      continue;
    }
    const cue = cueAt(units, c, 'wide');
    if (!cue || cue.kind === 'according') continue;
    let s = c;
    while (s > 0 && units[s - 1]!.sentence === u.sentence) s--;
    const m = subjectOf(units, cue, s, index);
    if (m && !weakSubject(m) && (m.kind !== 'role' || ROLE_NOUNS.has(units[m.last]!.lower))) return {mention: m, cue, rule: 'previous', antecedent: antecedentOf(units, m)};
  }
  return null;
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
  let depth = 0;
  while (limit < n && limit - j < 40) {
    const t = units[limit]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (t.kind === 'q' || (t.kind === 'p' && /^[.!?;:]$/.test(t.text)))) break;
    limit++;
  }
  if (j >= limit) return null;
  // After a quote that ends its sentence ("“… over.” He left …") only a bare attribution counts ("he said.").
  const span = units[qi]!;
  const closed = units[j]!.sentence !== span.sentence || /\.\s*['"”’»]*$/.test(span.text);
  // A bare attribution ends its sentence within a few words of its verb.
  const stops = limit >= n || (units[limit]!.kind === 'p' && /^[.!?]$/.test(units[limit]!.text));
  const bare = (c: number): boolean => !closed || (stops && limit - c <= 5);
  let inverted = cueAt(units, j, 'adjacent');
  if (inverted && inverted.kind !== 'according' && /ing$/.test(units[j]!.lower)) inverted = null;
  if (inverted?.kind === 'according') {
    // "“…,” according to Ruth Oyelaran."
    const m = npStartingAt(units, inverted.last + 1, limit);
    return m ? {mention: m, cue: inverted, rule: 'after', antecedent: null} : null;
  }
  // "“…,” remembered Roy Verley": a verb we do not know, then a name.
  if (!inverted && !closed && units[j]!.kind === 'w' && !units[j]!.cap && /^\p{Ll}+ed$/u.test(units[j]!.text) && isNameWord(units[j + 1])) inverted = {first: j, last: j, kind: 'adjacent'};
  if (inverted && inverted.kind !== 'according') {
    const m = subjectAfter(units, inverted.last, limit);
    if (m && bare(inverted.last)) return {mention: m, cue: inverted, rule: 'after', antecedent: null};
  }
  // "“…,” Kalin said", "“…,” Ibrahim Kalin, spokesman of …, told", "“…,” McCaskill (D-Mo.) said".
  const front = npStartingAt(units, j, limit);
  for (let c = j + 1; c < limit; c++) {
    const cue = cueAt(units, c, 'adjacent');
    if (!cue) continue;
    if (cue.kind === 'according') {
      const m = npStartingAt(units, cue.last + 1, limit);
      return m && cue.first === j ? {mention: m, cue, rule: 'after', antecedent: null} : null;
    }
    if (!bare(cue.last)) return null;
    const m = subjectBefore(units, c, j);
    if (m && startsAt(units, m, j)) return {mention: m, cue, rule: 'after', antecedent: null};
    // "the White House spokesman, Josh Earnest, said": the name in apposition.
    if (m && front && m.kind === 'name' && m.first === front.last + 2 && units[front.last + 1]!.text === ',') return {mention: m, cue, rule: 'after', antecedent: null};
    // The first verb after the noun phrase that opens the attribution is its verb, whatever stands between
    // ("Nate Silver, the polling guru who founded fivethirtyeight.com tweeted").
    if (front && c > front.last && (linksToVerb(units, front.last + 1, c) || (units[front.last + 1]!.text === ',' && !(m && m.first === front.last + 2)))) return {mention: front, cue, rule: 'after', antecedent: null};
    return null;
  }
  // "“…,” Trump implored." — a name and a verb we do not know, ending the sentence.
  if (front && !closed && front.last + 2 <= limit) {
    const verb = units[front.last + 1]!;
    if (verb.kind === 'w' && !verb.cap && /^\p{Ll}+(ed|s)$/u.test(verb.text) && !/^(is|was|has|this|his|its|as|us)$/.test(verb.lower) && limit - front.last <= 3) {
      return {mention: front, cue: {first: front.last + 1, last: front.last + 1, kind: 'adjacent'}, rule: 'after', antecedent: null};
    }
  }
  return null;
}

/**
 * Does a mention start at unit `j`, give or take two lower-case modifiers ("panel Chairman Rep. Jason Chaffetz")?
 *
 * @param units Units.
 * @param m Mention.
 * @param j Index.
 * @returns Whether.
 */
function startsAt(units: readonly Unit[], m: Mention, j: number): boolean {
  if (m.first === j) return true;
  if (m.first < j || m.first - j > 2) return false;
  for (let k = j; k < m.first; k++) {
    const u = units[k]!;
    if (u.kind !== 'w' || u.cap || FUNCTION_WORDS.has(u.lower) || VERB_LIKE.test(u.lower)) return false;
  }
  return true;
}

const VERB_LIKE = /(ed|ing)$/;

/**
 * Do the units between a subject and its verb form an appositive, a parenthesis or adverbs only?
 * ("…, the Republican attorney general of Oklahoma, one of the states suing the EPA, said")
 *
 * @param units Units.
 * @param from First unit after the subject.
 * @param verb Index of the verb.
 * @returns Whether.
 */
function linksToVerb(units: readonly Unit[], from: number, verb: number): boolean {
  if (from === verb) return true;
  const open = units[from]!.text;
  let k = verb - 1;
  while (k > from && units[k]!.kind === 'w' && (ADVERBS.has(units[k]!.lower) || AUXILIARIES.has(units[k]!.lower))) k--;
  if (open === '(' && units[k]!.text === ')') return true;
  if ((open === ',' || open === '—' || open === '--') && units[k]!.text === open) return true;
  // "Jeffrey Lewis of the James Martin Center for Nonproliferation Studies wrote", "a voice-over in the ad states"
  if (/^(of|from|at|with|for|in|on)$/.test(units[from]!.lower) && verb - from <= 10) {
    for (let i = from + 1; i <= k; i++) {
      const u = units[i]!;
      if (u.kind !== 'w' || (!u.cap && /(ed|ing)$/.test(u.lower)) || /^(that|who|which|and|but|is|was|are|were)$/.test(u.lower)) return false;
    }
    return true;
  }
  return k < from;
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
    const cue = cueEndingAt(units, c, s, 'adjacent');
    if (!cue) continue;
    const m = subjectOf(units, cue, s, qi);
    if (m && !weakSubject(m)) return {mention: m, cue, rule: 'before', antecedent: null};
    if (m) return clause(units, qi, s, units.length) ?? {mention: m, cue, rule: 'before', antecedent: null};
    return null;
  }
  // "Kalin: “…”" — a colon after a name introduces the quote.
  if (units[qi - 1]?.text === ':' && qi - 2 >= s) {
    let m = npEndingAt(units, qi - 2, s);
    if (!m || m.kind === 'role') m = sentenceSubject(units, s, qi - 1);
    if (m && m.kind !== 'role') return {mention: m, cue: null, rule: 'colon', antecedent: null};
  }
  return null;
}

/**
 * The cue whose last unit is at `c` (a verb, or the particle of "pointed out", or "to" of "according to").
 *
 * @param units Units.
 * @param c Index.
 * @param s Sentence start.
 * @param scope Cue scope.
 * @returns Cue or null.
 */
function cueEndingAt(units: readonly Unit[], c: number, s: number, scope: CueScope): Cue | null {
  const cue = cueAt(units, c, scope);
  if (cue && cue.last === c) return cue;
  if (c > s) {
    const longer = cueAt(units, c - 1, scope);
    if (longer && longer.last === c) return longer;
  }
  return null;
}

/**
 * A subject that is a poor speaker: "it" ("it would tell …").
 *
 * @param m Mention.
 * @returns Whether.
 */
function weakSubject(m: Mention): boolean {
  return m.kind === 'pronoun' && /^it$/i.test(m.name);
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
  e = Math.min(e, units.length);
  let weak: Attribution | null = null;
  // The nearest verb of speech or description before it, then the nearest verb of thought.
  for (const scope of ['describe', 'wide'] as const) {
    for (let c = qi - 1; c >= s; c--) {
      const cue = cueEndingAt(units, c, s, scope === 'describe' ? 'wide' : 'wide');
      if (!cue || (scope === 'describe' && cue.kind === 'other')) continue;
      const m = subjectOf(units, cue, s, qi);
      if (!m) continue;
      if (weakSubject(m)) {
        weak ??= {mention: m, cue, rule: 'clause', antecedent: null};
        continue;
      }
      return {mention: m, cue, rule: 'clause', antecedent: null};
    }
  }
  const late = laterInSentence(units, qi);
  if (late) return late;
  // "Trump’s claim that there were “thousands of shootings”"
  for (let c = qi - 1; c > s; c--) {
    const noun = units[c]!;
    const owner = units[c - 1]!;
    if (noun.kind === 'w' && SPEECH_NOUNS.has(noun.lower) && owner.kind === 'w' && (owner.possessive || /^(his|her|their)$/.test(owner.lower))) {
      const m = owner.possessive ? npEndingAt(units, c - 1, s, false) : {kind: 'pronoun' as const, start: owner.start, end: owner.end, name: owner.text, first: c - 1, last: c - 1};
      if (m) return {mention: {...m, kind: m.kind === 'role' ? 'name' : m.kind}, cue: null, rule: 'possessive', antecedent: null};
    }
  }
  const prev = units[qi - 1];
  if (prev && prev.possessive && isNameWord(prev)) {
    const m = npEndingAt(units, qi - 1, s);
    if (m) return {mention: {...m, kind: 'name'}, cue: null, rule: 'possessive', antecedent: null};
  }
  if (weak) return weak;
  const m = sentenceSubject(units, s, qi);
  if (m && m.kind !== 'role') return {mention: m, cue: null, rule: 'subject', antecedent: null};
  return null;
}

/**
 * An attribution that ends the quote's sentence after more words: `“…” grieving families, he said.`,
 * `“…” but to take the lead, says Evan Tracey.`
 *
 * @param units Units.
 * @param qi Quote unit.
 * @returns Attribution or null.
 */
function laterInSentence(units: readonly Unit[], qi: number): Attribution | null {
  const sentence = units[qi]!.sentence;
  for (let c = qi + 1; c < units.length && units[c]!.sentence === sentence; c++) {
    const t = units[c]!;
    if (t.kind === 'q') break;
    if (t.kind !== 'p' || !/^(,|—|--)$/.test(t.text)) continue;
    const at = sentenceEndAttribution(units, c + 1, sentenceEndOf(units, c));
    if (at) return at;
  }
  return null;
}

/**
 * End (exclusive) of the sentence that holds a unit.
 *
 * @param units Units.
 * @param i Index.
 * @returns Index.
 */
function sentenceEndOf(units: readonly Unit[], i: number): number {
  const sentence = units[i]!.sentence;
  let e = i;
  while (e < units.length && units[e]!.sentence === sentence) e++;
  return e;
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
  if (inverted && /ing$/.test(units[j]!.lower)) return null;
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
      return m && cue.first === j ? {mention: m, cue, rule: 'sentence-end', antecedent: null} : null;
    }
    const m = subjectBefore(units, c, j);
    // The attribution must run to the end of the sentence, give or take an adverbial or a participle clause
    // ("…, Hollande said Tuesday in Paris, noting …").
    let end = e;
    for (let k = c + 1; k < e; k++) {
      if (units[k]!.text === ',' && /ing$/.test(units[k + 1]?.lower ?? '')) {
        end = k;
        break;
      }
    }
    if (m && m.first === j && end - c <= 8) return {mention: m, cue, rule: 'sentence-end', antecedent: null};
    return null;
  }
  return null;
}

/**
 * The speaker of a cue: its subject, the noun phrase after "according to", the subject of the main clause for a
 * participle (`…, adding`) or an infinitive (`going on to say`), or the inverted subject (`Said Kalin: …`).
 *
 * @param units Units.
 * @param cue Cue.
 * @param s Sentence start.
 * @param limit Index the noun phrase must end before.
 * @returns Mention or null.
 */
export function subjectOf(units: readonly Unit[], cue: Cue, s: number, limit: number): Mention | null {
  if (cue.kind === 'according') return npStartingAt(units, cue.last + 1, limit);
  const verb = units[cue.first]!;
  const m = subjectBefore(units, cue.first, s);
  // "issued a statement saying", "defend his remarks calling": the statement's author speaks.
  if (m && m.kind === 'role' && /ing$/.test(verb.lower) && (SPEECH_NOUNS.has(units[m.last]!.lower) || DOCUMENT_NOUNS.has(units[m.last]!.lower) || DOCUMENT_NOUNS.has(units[m.last]!.lower.replace(/s$/, '')))) {
    // "his remarks calling …": the owner speaks; "issued a statement saying …": the subject of the sentence.
    const owner = units[m.first]!;
    if (/^(his|her|their)$/.test(owner.lower)) return {kind: 'pronoun', start: owner.start, end: owner.end, name: owner.text, first: m.first, last: m.first};
    return sentenceSubject(units, s, m.first) ?? m;
  }
  // "comments Biden made during his campaign describing …", "a statement the minister issued saying …": the author
  // named in the reduced relative clause after the speech noun speaks, not the subject of the sentence.
  if (/ing$/.test(verb.lower) && (!m || m.kind === 'role')) {
    for (let c = cue.first - 2; c >= s && cue.first - c <= 14; c--) {
      const noun = units[c]!;
      if (noun.kind === 'q' || noun.text === '.') break;
      if (noun.kind !== 'w' || !(SPEECH_NOUNS.has(noun.lower) || DOCUMENT_NOUNS.has(noun.lower))) continue;
      const author = npStartingAt(units, c + 1, cue.first);
      if (author && author.kind !== 'role' && AUTHOR_VERBS.test(units[author.last + 1]?.lower ?? '')) return author;
      break;
    }
  }
  if (m) return m;
  let p = cue.first - 1;
  while (p > s && units[p]!.kind === 'w' && ADVERBS.has(units[p]!.lower)) p--;
  const prev = units[p];
  const participle = /ing$/.test(verb.lower) && (prev?.text === ',' || prev?.text === '—');
  if (participle || prev?.lower === 'and' || prev?.lower === 'to' || prev?.lower === 'but' || prev?.lower === 'then') {
    const main = participle ? sentenceSubject(units, s, cue.first) : null;
    if (main) return main;
    for (let c = p - 1; c >= s; c--) {
      const earlier = cueAt(units, c, 'wide');
      if (!earlier || earlier.kind === 'according' || earlier.last >= cue.first) continue;
      const pm = subjectBefore(units, earlier.first, s) ?? subjectOf(units, earlier, s, cue.first);
      if (pm) return pm;
    }
    return sentenceSubject(units, s, cue.first);
  }
  if ((cue.first === s || prev?.kind === 'q' || prev?.text === ',') && !/ing$/.test(verb.lower)) return subjectAfter(units, cue.last, limit);
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
  // A dateline: "WASHINGTON, Dec. 8 (UPI) — …", "FLINT, Mich. -- …"
  for (let c = k; c < Math.min(limit, k + 10); c++) {
    const t = units[c]!;
    if (t.kind === 'p' && /^(—|--|–)$/.test(t.text) && units[k]!.kind === 'w' && /^[\p{Lu}\s.-]+$/u.test(units[k]!.text) && units[k]!.text.length > 2) {
      k = c + 1;
      break;
    }
  }
  const opener = units[k];
  if (opener && opener.kind === 'w') {
    // An opening adverbial up to a comma: "In a statement, …", "Hours later, …", "Speaking on Monday, …"
    let c = k;
    let timed = false;
    while (c < limit && units[c]!.text !== ',' && units[c]!.kind !== 'q' && c - k < 14) {
      if (TIME_WORDS.test(units[c]!.lower)) timed = true;
      c++;
    }
    const adverbial = PREPOSITIONS_START.has(opener.lower) || /(ly|ing)$/.test(opener.lower) || /^\d/.test(opener.text) || (timed && c - k <= 5);
    if (adverbial) {
      if (units[c]?.text !== ',') return null;
      k = c + 1;
    }
  }
  if (k >= limit) return null;
  let m = npStartingAt(units, k, limit);
  // More adverbials between commas: "At a campaign event in Ames, Iowa, on Sunday, Mrs. Clinton …"
  for (let guard = 0; m && guard < 3 && units[m.last + 1]?.text === ','; guard++) {
    const after = units[m.last + 2];
    if (!after || after.kind !== 'w' || !(PREPOSITIONS_START.has(after.lower) || TIME_WORDS.test(after.lower))) break;
    let c = m.last + 2;
    while (c < limit && units[c]!.text !== ',' && c - m.last < 10) c++;
    if (units[c]?.text !== ',') break;
    m = npStartingAt(units, c + 1, limit);
  }
  if (!m) return null;
  if (m.kind === 'pronoun') return /^(he|she|they|i|we)$/i.test(m.name) ? m : null;
  // A subject is followed by a verb-like word, not by more of the noun phrase.
  let n = m.last + 1;
  if (units[n]?.text === '(') while (n < limit && units[n]!.text !== ')') n++;
  if (units[n]?.text === ')') n++;
  const next = units[n];
  if (!next || next.kind === 'q') return null;
  if (next.text === ',') return m;
  if (next.kind === 'w' && (next.cap || DETERMINERS.has(next.lower) || /^(of|in|on|at|for|from|with|to|by|and|or|as)$/.test(next.lower))) return null;
  return m;
}

const SUBORDINATORS = /^(while|whereas|though|although|because|since|unless|if|when|whether|after|before|once|until)$/;
const DOCUMENT_NOUNS = new Set(['statement', 'letter', 'memo', 'email', 'e-mail', 'tweet', 'post', 'message', 'release', 'ad', 'advertisement', 'video', 'op-ed', 'column', 'note', 'speech', 'interview', 'filing', 'report', 'document', 'transcript', 'book', 'essay', 'article', 'editorial', 'blog', 'website', 'site', 'page', 'cover', 'mailer', 'flyer', 'billboard', 'banner', 'sign', 'poster', 'petition', 'resolution', 'motion', 'bill', 'ruling', 'order', 'complaint', 'lawsuit', 'brief', 'survey', 'poll', 'study']);
/** Verbs by which someone authors a statement: "comments X made", "the letter Y wrote". */
const AUTHOR_VERBS = /^(made|gave|issued|delivered|posted|wrote|published|tweeted|sent|offered|voiced)$/;
const TIME_WORDS = /^(later|earlier|ago|before|after|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept\.|oct\.|nov\.|dec\.|week|weeks|month|months|year|years|day|days|hours|hour|minutes|morning|afternoon|evening|night|weekend|today|yesterday|tonight|recently|meanwhile)$/;

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

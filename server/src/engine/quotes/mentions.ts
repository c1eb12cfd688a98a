/**
 * Speaker noun phrases read off the units around a reporting verb: a pronoun ("he", "who"), a name with its titles
 * ("Senate Majority Leader Mitch McConnell (R-Ky.)"), or a role noun phrase ("the minister", "a source close to the
 * talks", "the ad's narrator"). No part-of-speech tagger is needed: capitalisation, a few closed word classes and
 * the position next to the verb carry the decision.
 */
import {ADVERBS, AUXILIARIES, DETERMINERS, FUNCTION_WORDS, IRREGULAR_PAST, ROLE_NOUNS, SUBJECT_PRONOUNS, TITLES} from './lexicon.js';
import type {Unit} from './units.js';

/** A speaker mention. */
export interface Mention {
  kind: 'pronoun' | 'name' | 'role';
  /** Extent in the text (titles included, a trailing parenthesis excluded). */
  start: number;
  end: number;
  /** The name without its titles (for a name), or the head noun phrase (for a role); the pronoun itself. */
  name: string;
  /** Unit indices of the mention's first and last unit. */
  first: number;
  last: number;
}

const CALENDAR = new Set('monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '));
const CONNECTORS = new Set(['of', 'on', 'de', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'al', 'el', 'bin', 'ibn', 'van', 'von', 'der', 'den', 'ter', 'for', 'and', '&']);
const NAME_STOP = new Set([...FUNCTION_WORDS].filter((w) => !['source', 'sources', 'officials', 'critics', 'supporters', 'analysts', 'experts', 'observers', 'aides', 'people', 'new'].includes(w)));
/** Lower-case words that may stand between titles and a name: "press secretary Josh Earnest", "retired general". */
export const TITLE_MODIFIERS = new Set([...TITLES, 'former', 'retired', 'then', 'late', 'acting', 'interim', 'vice', 'presidential', 'deputy', 'assistant', 'senior', 'general', 'communications', 'national', 'security', 'policy', 'foreign', 'defense', 'defence', 'state', 'chief', 'executive', 'top', 'independent', 'democratic', 'republican', 'gop', 'house', 'senate', 'majority', 'minority', 'whip', 'party', 'rival', 'opponent', 'running', 'mate', 'talk', 'radio', 'show', 'tv', 'news', 'political', 'co-founder', 'cofounder', 'widow', 'activist', 'comedian', 'actor', 'actress', 'singer', 'rapper', 'businessman', 'billionaire', 'pollster', 'historian', 'journalist', 'reporter', 'correspondent', 'editor', 'writer', 'lawyer', 'attorney', 'economist', 'professor', 'scholar', 'expert', 'official', 'director', 'manager', 'chairman', 'chairwoman', 'strategist', 'consultant', 'operative', 'surrogate', 'supporter', 'backer', 'donor', 'adviser', 'advisor', 'aide', 'staffer', 'spokesman', 'spokeswoman', 'spokesperson', 'coach', 'host', 'anchor', 'moderator', 'founder', 'ceo', 'president', 'candidate', 'nominee', 'hopeful', 'challenger', 'incumbent', 'lawmaker', 'senator', 'congressman', 'congresswoman', 'governor', 'mayor', 'secretary', 'minister', 'leader', 'member', 'counsel', 'general', 'prosecutor', 'judge', 'justice']);
const PREPOSITIONS = new Set('of for at in on with from to by about against under over into through after before during without within between among like near across behind beyond toward towards upon via per as than'.split(' '));
const VERBISH = /^(is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|can|could|should|may|might|must|shall|said|says|say|told|tells|added|adds|asked|asks|wrote|writes|that|which|who|whom|whose|where|when|while|because|if|and|or|but|not|so|then|also|there|here|it|this|these|those)$/;

/**
 * Can this unit be part of a name?
 *
 * @param u Unit.
 * @returns Whether.
 */
export function isNameWord(u: Unit | undefined): boolean {
  return !!u && u.nameWord;
}

/**
 * A word without one final period (`lower.replace(/\.$/, '')` without the regular expression).
 *
 * @param lower Word.
 * @returns Word.
 */
export function withoutDot(lower: string): string {
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Can a capitalised word with this lower-cased form be part of a name? (`Unit.nameWord`, worked out once per unit.)
 *
 * @param lower Lower-cased word without its possessive ending.
 * @returns Whether.
 */
export function isNameLower(lower: string): boolean {
  if (NAME_STOP.has(lower) || CALENDAR.has(lower.endsWith('.') ? lower.slice(0, -1) : lower)) return false;
  return lower !== 'i';
}

/**
 * Is the unit a connector inside a name ("Bank of America", "bin Salman")?
 *
 * @param units Units.
 * @param i Index of the connector.
 * @returns Whether a name word follows and precedes.
 */
function isConnector(units: readonly Unit[], i: number): boolean {
  const u = units[i];
  return !!u && u.kind === 'w' && !u.cap && CONNECTORS.has(u.lower) && isNameWord(units[i + 1]) && isNameWord(units[i - 1]) && u.lower !== 'and';
}

/**
 * Skip a parenthesis that ends at `k` ("(R-Ky.)") going left.
 *
 * @param units Units.
 * @param k Index of a closing parenthesis.
 * @param floor Lowest index allowed.
 * @returns Index just before the opening parenthesis, or k when there is none.
 */
function skipParenthesisLeft(units: readonly Unit[], k: number, floor: number): number {
  if (units[k]?.text !== ')') return k;
  for (let j = k - 1; j >= Math.max(floor, k - 10); j--) if (units[j]!.text === '(') return j - 1;
  return k;
}

/**
 * The noun phrase that ends at unit `k` (going left, not below `floor`).
 *
 * @param units Units.
 * @param k Index of the last unit of the phrase.
 * @param floor Lowest index allowed.
 * @param strict Whether a role noun phrase needs a determiner or a known role noun.
 * @returns Mention or null.
 */
export function npEndingAt(units: readonly Unit[], k: number, floor: number, strict = true): Mention | null {
  k = skipParenthesisLeft(units, k, floor);
  const u = units[k];
  if (!u || k < floor || u.kind !== 'w') return null;
  if (SUBJECT_PRONOUNS.has(u.lower) && !u.possessive) return {kind: 'pronoun', start: u.start, end: u.end, name: u.text, first: k, last: k};
  if (isNameWord(u) && !u.possessive) {
    let first = k;
    while (first - 1 >= floor && (isNameWord(units[first - 1]) || isConnector(units, first - 1)) && !units[first - 1]!.possessive) first--;
    // The name proper starts after the last title ("Sen.", "Illinois Attorney General Lisa M. Madigan").
    let nameFirst = first;
    for (let t = first; t < k; t++) if (TITLES.has(withoutDot(units[t]!.lower))) nameFirst = t + 1;
    // Lower-case titles and modifiers before it: "press secretary Josh Earnest", "the Democratic candidate …".
    let display = first;
    while (display - 1 >= floor && display - first < 6) {
      const prev = units[display - 1]!;
      if (prev.kind === 'w' && !prev.possessive && (TITLE_MODIFIERS.has(prev.lower) || isNameWord(prev))) display--;
      else break;
    }
    if (display - 1 >= floor && units[display - 1]!.kind === 'w' && /^(the|a|an)$/.test(units[display - 1]!.lower) && display < first) display--;
    return mention('name', units, display, k, nameFirst);
  }
  if (!u.cap && !u.possessive && !VERBISH.test(u.lower) && !PREPOSITIONS.has(u.lower) && !DETERMINERS.has(u.lower) && !ADVERBS.has(u.lower) && /^[\p{Ll}][\p{L}-]*$/u.test(u.text)) {
    // A role noun phrase: determiner, modifiers (possibly capitalised or possessive), head.
    let first = k;
    let determiner = false;
    while (first - 1 >= floor && k - first < 6) {
      const prev = units[first - 1]!;
      if (prev.kind !== 'w') break;
      if (DETERMINERS.has(prev.lower) && !prev.possessive && prev.lower !== 'that') {
        first--;
        determiner = true;
        break;
      }
      if (prev.possessive) {
        first--;
        determiner = true;
        // "Apple's chief executive": the possessor's own name belongs to the phrase.
        while (first - 1 >= floor && isNameWord(units[first - 1]) && !units[first - 1]!.possessive) first--;
        break;
      }
      if (VERBISH.test(prev.lower) || PREPOSITIONS.has(prev.lower) || ADVERBS.has(prev.lower) || AUXILIARIES.has(prev.lower) || IRREGULAR_PAST.has(prev.lower)) break;
      if (!prev.cap && /(ed|ing)$/.test(prev.lower) && !ROLE_NOUNS.has(prev.lower)) break;
      if (!prev.cap && /ly$/.test(prev.lower) && prev.lower.length > 4) break;
      first--;
    }
    const known = ROLE_NOUNS.has(u.lower) || ROLE_NOUNS.has(u.lower.replace(/s$/, ''));
    if (strict && !determiner && !known) return null;
    if (!determiner && !known && k - first > 2) return null;
    return mention('role', units, first, k, first);
  }
  return null;
}

/**
 * The noun phrase that starts at unit `k` (going right, not past `ceiling`): inverted attributions ("said Kalin",
 * "said the minister", "according to a source familiar with the talks").
 *
 * @param units Units.
 * @param k Index of the first unit.
 * @param ceiling Index past the last unit allowed.
 * @returns Mention or null.
 */
export function npStartingAt(units: readonly Unit[], k: number, ceiling: number): Mention | null {
  const u = units[k];
  if (!u || k >= ceiling || u.kind !== 'w') return null;
  if (SUBJECT_PRONOUNS.has(u.lower) && u.lower !== 'which' && u.lower !== 'who' && u.lower !== 'it') return {kind: 'pronoun', start: u.start, end: u.end, name: u.text, first: k, last: k};
  // Titles and modifiers, then a name: "campaign spokesman Jason Miller", "Sen. Ted Cruz (R-Texas)".
  let j = k;
  let lastName = -1;
  let firstName = -1;
  if (j < ceiling && /^(the|a|an)$/.test(units[j]!.lower)) j++;
  while (j < ceiling && j - k < 10) {
    const w = units[j]!;
    if (isNameWord(w) || (isConnector(units, j) && lastName >= 0)) {
      if (firstName < 0 || (lastName >= 0 && lastName < j - 1 && !isConnector(units, j - 1))) firstName = j;
      lastName = j;
      if (w.possessive) break;
      j++;
    } else if (w.kind === 'w' && !w.cap && isModifier(w)) {
      // Modifiers count only when a name follows them: "U.S. national security adviser Jake Sullivan",
      // "conservative activist Bob Klaus", "9/11 widow Terry Strada".
      let m = j;
      while (m < ceiling && m - j < 5 && units[m]!.kind === 'w' && !units[m]!.cap && isModifier(units[m]!)) m++;
      const known = TITLE_MODIFIERS.has(w.lower) || /^\d|-year-old$|-time$/.test(w.lower);
      if (!isNameWord(units[m]) && (lastName >= 0 || !known)) break;
      j = m;
    } else break;
  }
  // A name that modifies a role noun: "the White House spokesman", "Clinton campaign chairman".
  if (lastName >= 0 && !units[lastName]!.possessive) {
    let r = lastName + 1;
    while (r < ceiling && r - lastName <= 3 && units[r]!.kind === 'w' && !units[r]!.cap && (TITLE_MODIFIERS.has(units[r]!.lower) || ROLE_NOUNS.has(units[r]!.lower))) r++;
    if (r > lastName + 1 && !isNameWord(units[r]) && ROLE_NOUNS.has(units[r - 1]!.lower)) return mention('role', units, k, r - 1, k);
  }
  if (lastName >= 0 && !units[lastName]!.possessive) {
    let nameFirst = firstName;
    for (let t = firstName; t < lastName; t++) if (TITLES.has(withoutDot(units[t]!.lower))) nameFirst = t + 1;
    // Two names joined: "Trump and Ryan issued a statement".
    if (units[lastName + 1]?.lower === 'and' && isNameWord(units[lastName + 2])) {
      let end = lastName + 2;
      while (end + 1 < ceiling && isNameWord(units[end + 1]) && !units[end]!.possessive) end++;
      if (!units[end]!.possessive && units[end + 1]?.kind === 'w' && !units[end + 1]!.cap) return mention('name', units, k, end, nameFirst);
    }
    return mention('name', units, k, lastName, nameFirst);
  }
  // A role noun phrase: determiner (or possessive name) + up to five words, up to a preposition or punctuation.
  j = k;
  let determiner = false;
  if (DETERMINERS.has(u.lower) && u.lower !== 'that') {
    determiner = true;
    j++;
    // "one of two witnesses", "some of the protesters"
    if (units[j]?.lower === 'of' && j + 1 < ceiling) {
      j++;
      if (units[j] && DETERMINERS.has(units[j]!.lower)) j++;
    }
  } else if (u.possessive || (isNameWord(u) && units[k + 1]?.possessive)) {
    determiner = true;
    while (j < ceiling && !units[j]!.possessive) j++;
    j++;
  }
  let head = -1;
  while (j < ceiling && j - k < 8) {
    const w = units[j]!;
    if (w.kind !== 'w' || PREPOSITIONS.has(w.lower) || VERBISH.test(w.lower) || (AUXILIARIES.has(w.lower) && !ROLE_NOUNS.has(w.lower))) break;
    // A verb or a second determiner ends the phrase: "the spokesman refused", "the city embodied the".
    if (head >= 0 && !w.cap && ((/(ed|ing)$/.test(w.lower) && !ROLE_NOUNS.has(w.lower)) || DETERMINERS.has(w.lower) || ADVERBS.has(w.lower) || /ly$/.test(w.lower) || IRREGULAR_PAST.has(w.lower))) break;
    if (w.possessive) {
      j++;
      continue;
    }
    head = j;
    j++;
    // A name ends the phrase: "an angry Hollande retaliated", "the Democratic candidate Hillary Clinton said".
    const next = units[j];
    if (isNameWord(w) && next?.kind === 'w' && !next.cap && !next.possessive) break;
  }
  if (head < 0) return null;
  const known = ROLE_NOUNS.has(units[head]!.lower) || ROLE_NOUNS.has(units[head]!.lower.replace(/s$/, ''));
  if (!determiner && !known) return null;
  return mention('role', units, k, head, k);
}

/**
 * Can a lower-case word modify a name that follows ("former", "activist", "9/11", "conservative")?
 *
 * @param u Unit.
 * @returns Whether.
 */
function isModifier(u: Unit): boolean {
  if (TITLE_MODIFIERS.has(u.lower) || /^\d|-year-old$|-time$/.test(u.lower)) return true;
  return !FUNCTION_WORDS.has(u.lower) && !VERBISH.test(u.lower) && !PREPOSITIONS.has(u.lower) && !AUXILIARIES.has(u.lower) && !ADVERBS.has(u.lower) && !/(ed|ing|ly)$/.test(u.lower) && !IRREGULAR_PAST.has(u.lower) && /^[\p{Ll}\d][\p{L}\d/-]*$/u.test(u.text);
}

/**
 * Build a mention from unit indices.
 *
 * @param kind Kind.
 * @param units Units.
 * @param first First unit (display).
 * @param last Last unit.
 * @param nameFirst First unit of the name proper.
 * @returns Mention.
 */
function mention(kind: Mention['kind'], units: readonly Unit[], first: number, last: number, nameFirst: number): Mention {
  const words: string[] = [];
  for (let i = nameFirst; i <= last; i++) words.push(i === last && units[i]!.possessive ? units[i]!.text.replace(/['’‘]s$|['’]$/, '') : units[i]!.text);
  return {kind, start: units[first]!.start, end: units[last]!.end, name: words.join(' '), first, last};
}

/**
 * The subject of a reporting verb at unit `cue`: the noun phrase just before it, past adverbs and auxiliaries
 * ("Kalin also said"), a parenthesis ("McConnell (R-Ky.) said"), and an appositive or relative clause between
 * commas ("Ibrahim Kalin, spokesman of …, told"; "Smith, who …, said").
 *
 * @param units Units.
 * @param cue Index of the verb.
 * @param floor Lowest index allowed (sentence start).
 * @returns Mention or null.
 */
export function subjectBefore(units: readonly Unit[], cue: number, floor: number): Mention | null {
  let k = cue - 1;
  let skipped = 0;
  while (k >= floor && skipped < 5) {
    const u = units[k]!;
    if (u.kind !== 'w') break;
    const time = TIME_NOUNS.has(withoutDot(u.lower)) && (u.cap || /^(last|this|next|on|earlier|late|early|that)$/.test(units[k - 1]?.lower ?? ''));
    if (!time && (u.cap || !(ADVERBS.has(u.lower) || AUXILIARIES.has(u.lower) || (/ly$/.test(u.lower) && u.lower.length > 4)))) break;
    // "Kalin on Monday said", "The president last month said"
    if (time && /^(last|this|next|on|earlier|late|early|that)$/.test(units[k - 1]?.lower ?? '')) k--;
    k--;
    skipped++;
  }
  if (k < floor) return null;
  // An infinitive ("to say") or a participle after a comma ("…, saying") has no subject of its own here.
  if (units[k]!.lower === 'to') return null;
  if ((units[k]!.text === ',' || units[k]!.text === '—') && /ing$/.test(units[cue]!.lower)) return null;
  // "Kalin, spokesman of …, told" / "Smith, 45, said" / "Smith, who …, said"
  if (units[k]!.text === ',' || units[k]!.text === '—' || units[k]!.text === '--') {
    const closer = units[k]!.text;
    const openers: number[] = [];
    for (let j = k - 1; j >= Math.max(floor, k - 30); j--) {
      const t = units[j]!;
      if (t.kind === 'q' || (t.kind === 'p' && /^[.;!?]$/.test(t.text))) break;
      if (t.text === closer || (closer === ',' && t.text === '—')) openers.push(j);
    }
    // The earliest comma that a subject precedes and an appositive or relative clause follows
    // ("Swanson, who is a pastor at the Church of Elizabeth, Colorado, slammed"); else the nearest one.
    for (const j of [...openers].reverse()) {
      const next = units[j + 1];
      if (!next || next.kind !== 'w' || !(APPOSITIVE_OPENERS.test(next.lower) || TITLES.has(withoutDot(next.lower)) || /^\d/.test(next.text))) continue;
      const head = npEndingAt(units, j - 1, floor, false);
      if (head && head.kind !== 'role' && isSubjectPosition(units, head, floor)) return head;
    }
    if (openers.length > 0) {
      // "Its secretary, Karel Dvorak, said": an appositive that is a name names the speaker best.
      const inner = npStartingAt(units, openers[0]! + 1, k);
      if (inner && inner.kind === 'name' && inner.last === k - 1) return inner;
      const head = npEndingAt(units, openers[0]! - 1, floor, false);
      return head && isSubjectPosition(units, head, floor) ? head : null;
    }
    return null;
  }
  const m = npEndingAt(units, k, floor);
  return m && isSubjectPosition(units, m, floor) ? m : null;
}

const TIME_NOUNS = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'week', 'month', 'year', 'weekend', 'night', 'morning', 'afternoon', 'evening', 'today', 'yesterday', 'tonight', 'spring', 'summer', 'fall', 'autumn', 'winter']);
const APPOSITIVE_OPENERS = /^(who|which|whose|a|an|the|his|her|their|its|one|another|now|then|also|once|himself|herself|both|each|former|currently|still|then-|age|aged)$/;
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'on', 'into', 'from', 'to', 'for', 'with', 'about', 'against', 'during', 'after', 'before', 'near', 'inside', 'outside', 'across', 'toward', 'towards', 'under', 'over', 'through', 'throughout']);

/**
 * Can a noun phrase be a subject where it stands? Not after a preposition ("earlier in the day", "at his
 * cookout"); a name may follow "of" or "by" ("footage of Trump saying").
 *
 * @param units Units.
 * @param m Mention.
 * @param floor Lowest index allowed.
 * @returns Whether.
 */
function isSubjectPosition(units: readonly Unit[], m: Mention, floor: number): boolean {
  const prev = units[m.first - 1];
  if (!prev || m.first - 1 < floor || prev.kind !== 'w') return true;
  if (m.kind === 'pronoun') return true;
  if (m.kind === 'role') return !PREPOSITIONS.has(prev.lower);
  return !PLACE_PREPOSITIONS.has(prev.lower);
}

/**
 * The speaker after an inverted reporting verb at unit `cue` ("said Kalin", "said the minister, …").
 *
 * @param units Units.
 * @param cue Index of the verb (or of the particle that ends it).
 * @param ceiling Index past the last unit allowed.
 * @returns Mention or null.
 */
export function subjectAfter(units: readonly Unit[], cue: number, ceiling: number): Mention | null {
  let k = cue + 1;
  while (k < ceiling && units[k]!.kind === 'w' && ADVERBS.has(units[k]!.lower) && !units[k]!.cap) k++;
  return npStartingAt(units, k, ceiling);
}

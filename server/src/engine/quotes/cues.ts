/**
 * Reporting cues in a block: verbs of speech ("said", "told", "pointed out") and "according to".
 */
import {CUE_PARTICLES, DESCRIBING_VERBS, NEEDS_PARTICLE, OTHER_CUE_VERBS, QUOTE_ONLY_VERBS, SPEECH_VERBS} from './lexicon.js';
import type {Unit} from './units.js';

/** A cue found at a unit. */
export interface Cue {
  /** Unit index of the verb (or of "according"). */
  first: number;
  /** Unit index of its last unit (particle, or "to" of "according to"). */
  last: number;
  kind: 'speech' | 'describe' | 'other' | 'according' | 'adjacent';
}

/** Which cues to accept. */
export type CueScope = 'speech' | 'adjacent' | 'wide';

const PASSIVE = new Set(['was', 'were', 'been', 'being', 'be', 'is', 'are', 'when', 'if', 'unless', 'once', 'as', 'get', 'got', 'gets', 'getting']);

/**
 * The cue at unit `i`, if any.
 *
 * @param units Units.
 * @param i Index.
 * @param scope `speech`: verbs of speech and "according to"; `adjacent`: also verbs that only introduce a quote
 *   standing right next to them ("she began"); `wide`: also describing and thinking verbs (for partial quotes).
 * @returns Cue or null.
 */
export function cueAt(units: readonly Unit[], i: number, scope: CueScope = 'speech'): Cue | null {
  if (i < 0 || i >= units.length) return null;
  let memo = MEMO.get(units);
  if (!memo) {
    memo = {speech: [], adjacent: [], wide: []};
    MEMO.set(units, memo);
  }
  const known = memo[scope][i];
  if (known !== undefined) return known;
  const cue = findCue(units, i, scope);
  memo[scope][i] = cue;
  return cue;
}

/** Every word that may start a cue. */
const ANY_CUE = new Set(['according', ...SPEECH_VERBS, ...DESCRIBING_VERBS, ...OTHER_CUE_VERBS, ...QUOTE_ONLY_VERBS, ...CUE_PARTICLES.keys()]);

/** Cues found so far, per unit array and scope. */
const MEMO = new WeakMap<readonly Unit[], Record<CueScope, Array<Cue | null>>>();

/**
 * The cue at unit `i` (uncached).
 *
 * @param units Units.
 * @param i Index.
 * @param scope Scope.
 * @returns Cue or null.
 */
function findCue(units: readonly Unit[], i: number, scope: CueScope): Cue | null {
  const u = units[i]!;
  if (u.kind !== 'w') return null;
  const lower = u.lower;
  if (!ANY_CUE.has(lower)) return null;
  if (lower === 'according' && units[i + 1]?.lower === 'to') return {first: i, last: i + 1, kind: 'according'};
  const particles = CUE_PARTICLES.get(lower);
  const next = units[i + 1];
  const withParticle = !!(particles && next && next.kind === 'w' && particles.has(next.lower));
  if (NEEDS_PARTICLE.has(lower) && !withParticle) return null;
  const speech = SPEECH_VERBS.has(lower) || (withParticle && NEEDS_PARTICLE.has(lower));
  const describe = DESCRIBING_VERBS.has(lower);
  const other = OTHER_CUE_VERBS.has(lower);
  const adjacent = QUOTE_ONLY_VERBS.has(lower);
  let kind: Cue['kind'] | null = null;
  if (speech) kind = 'speech';
  else if (scope !== 'speech' && adjacent) kind = 'adjacent';
  else if (scope === 'wide' && describe) kind = 'describe';
  else if (scope === 'wide' && other) kind = 'other';
  if (!kind) return null;
  // Capitalised it is a name ("Will", "State Department"), unless it opens the sentence before a lower-case word.
  if (u.cap) {
    const prevUnit = units[i - 1];
    const opens = !prevUnit || prevUnit.sentence !== u.sentence || (prevUnit.kind === 'p' && /^[-—–(]$/.test(prevUnit.text));
    if (!opens || (next && next.kind === 'w' && next.cap)) return null;
  }
  // Passive or conditional: "was told", "when asked" — the subject is not the speaker.
  const prev = units[i - 1];
  if (prev && prev.kind === 'w' && PASSIVE.has(prev.lower) && /(ed|told|said|written|shown|known|seen|found|thought)$/.test(lower)) return null;
  // An adjective or noun use: "the said", "a call", "the report", "his cybersecurity plan", "telephone call".
  if (prev && prev.kind === 'w' && /^(the|a|an|this|that|his|her|their|its|our|my|no|any|every|each|another)$/.test(prev.lower)) return null;
  if (prev && prev.kind === 'w' && !prev.cap && isBaseForm(lower) && !NOT_NOUNS.test(prev.lower) && !/(s|ly)$/.test(prev.lower)) return null;
  // "the DNC email leaks": a base form after a singular name is a noun ("Democrats say" is a verb).
  if (prev && prev.kind === 'w' && prev.cap && isBaseForm(lower) && prev.sentence === u.sentence && !/s$/.test(prev.lower) && prev.lower !== 'i' && !/^(they|we|you)$/.test(prev.lower)) return null;
  return {first: i, last: withParticle ? i + 1 : i, kind};
}

const NOT_NOUNS = /^(i|you|we|they|to|will|would|can|could|should|may|might|must|shall|do|does|did|not|never|also|still|often|always|just|only|even|then|now|who|which|that|and|or|but|and|n't|please|let|lets|let's|us|me|him|them|why|how|when|where|what)$/;

/**
 * Is a verb form a base form (not -s, -ed, -ing or an irregular past), the form that doubles as a noun?
 *
 * @param lower Word.
 * @returns Whether.
 */
function isBaseForm(lower: string): boolean {
  return !/(s|ed|ing)$/.test(lower) && !/^(said|told|wrote|went|shot|spoke|thought|felt|knew|saw|found|began|sang|hit|put|read|written|shown|known|seen)$/.test(lower);
}

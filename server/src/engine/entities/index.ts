/**
 * Entity analyser (first version): a unified plugin that finds names by capitalisation and a few cues, and links
 * each mention to a canonical name within the file ("Kalin" → "Ibrahim Kalin", "U.S." → "United States").
 *
 * This is an honest heuristic; the trained tagger replaces `tagNames` and keeps the rest.
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {Entity, EntityType} from '../types.js';
import type {Token} from '../tokens.js';
import {findMeasures} from './measures.js';

/** A name found by the tagger, before linking. */
export interface Mention {
  start: number;
  end: number;
  type: EntityType;
}

const FUNCTION_WORDS = new Set(
  'a an the this that these those it its in on at to of for from by with and or but as after before since when while if not no yes he she they we i you his her their our my your there here what who which why how where some many most all any each every both other such one two three four five six seven eight nine ten last next first new mr mrs ms dr also however meanwhile earlier later now then still today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(' '),
);
const CALENDAR = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december)$/i;
const CONNECTORS = new Set(['of', 'for', 'de', 'al', 'al-', 'bin', 'van', 'von', 'der', 'and', '&']);
const PERSON_TITLES = /^(mr|mrs|ms|dr|president|president-elect|prime|minister|secretary|spokesman|spokeswoman|spokesperson|chancellor|king|queen|prince|pope|senator|sen|rep|governor|gov|judge|general|gen|chief|adviser|advisor|ambassador|director|chairman|ceo|leader|coach|mayor)\.?$/i;
const ORG_WORDS = /^(ministry|department|agency|directorate|council|committee|commission|party|bank|corp|corporation|inc|ltd|llc|co|company|group|association|union|university|institute|organisation|organization|office|court|parliament|congress|senate|army|police|fund|times|post|news|reuters|press|network|television|tv|haber|army|navy|forces|state department)\.?$/i;
const LOCATIONS = new Set(
  'turkey russia ukraine syria iran iraq israel greece cyprus china india pakistan bangladesh japan germany france britain england europe asia africa america washington ankara moscow london paris athens nicosia delhi wuhan beijing hong kong tehran libya egypt canada mexico brazil australia italy spain poland uae qatar saudi arabia kurdistan vatican'.split(' '),
);
const LOCATION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['us', 'United States'],
  ['u.s.', 'United States'],
  ['u.s', 'United States'],
  ['usa', 'United States'],
  ['united states', 'United States'],
  ['uk', 'United Kingdom'],
  ['u.k.', 'United Kingdom'],
  ['britain', 'United Kingdom'],
  ['united kingdom', 'United Kingdom'],
]);
const DEMONYM = /^(american|russian|turkish|syrian|kurdish|european|british|french|german|greek|chinese|indian|israeli|iranian|libyan|western|muslim|christian|jewish|arab|english|ukrainian|pakistani|rohingya)s?$/i;

/**
 * Split nlcst words further where names end: `Turkey's` → `Turkey` + `'s`, `Turkey‘s` likewise.
 *
 * @param tokens Tokens of the text.
 * @returns Word pieces (only words; punctuation is kept as boundaries).
 */
function pieces(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const match = token.kind === 'word' ? /^(.+?)(['’‘]s|['’‘])$/i.exec(token.text) : null;
    if (match && match[1]!.length > 0) {
      const cut = token.start + match[1]!.length;
      out.push({...token, text: match[1]!, end: cut});
      out.push({...token, text: token.text.slice(match[1]!.length), start: cut, kind: 'punct', spaceBefore: false});
    } else out.push(token);
  }
  return out;
}

/**
 * Is this word capitalised like a name?
 *
 * @param text Word.
 * @returns Whether.
 */
function isCapitalised(text: string): boolean {
  return /^\p{Lu}/u.test(text);
}

/**
 * Find name mentions by capitalisation. A run of capitalised words (joined by "of", "al-", …) is one mention;
 * a sentence's first word counts only when it is not a common function word.
 *
 * @param tokens Tokens of the text.
 * @returns Mentions with a first guess of their type.
 */
export function tagNames(tokens: readonly Token[]): Mention[] {
  const words = pieces(tokens);
  // Words of multi-word names anywhere in the text: "Brenner" opening a sentence is a name when "Tomas Brenner"
  // appears elsewhere.
  const nameParts = new Set<string>();
  for (let k = 0; k + 1 < words.length; k++) {
    const a = words[k]!;
    const b = words[k + 1]!;
    if (a.kind === 'word' && b.kind === 'word' && a.line === b.line && isCapitalised(a.text) && isCapitalised(b.text) && !FUNCTION_WORDS.has(a.text.toLowerCase()) && !FUNCTION_WORDS.has(b.text.toLowerCase())) {
      nameParts.add(a.text);
      nameParts.add(b.text);
    }
  }
  const mentions: Mention[] = [];
  let i = 0;
  while (i < words.length) {
    const token = words[i]!;
    const sentenceStart = i === 0 || words[i - 1]!.sentence !== token.sentence || words[i - 1]!.line !== token.line || /^["“‘(]$/.test(words[i - 1]!.text);
    if (token.kind !== 'word' || !isCapitalised(token.text) || CALENDAR.test(token.text) || (FUNCTION_WORDS.has(token.text.toLowerCase()) && (sentenceStart || token.text.length < 4)) || /^\p{Lu}[\p{Ll}]*$/u.test(token.text) === false && !/^[\p{Lu}\d.&-]+$/u.test(token.text) && !/^\p{Lu}[\p{L}\d'’.-]*$/u.test(token.text)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < words.length) {
      const next = words[j]!;
      if (next.line !== token.line || next.sentence !== token.sentence) break;
      if (next.kind === 'word' && isCapitalised(next.text) && !FUNCTION_WORDS.has(next.text.toLowerCase())) {
        j++;
        continue;
      }
      if (next.kind === 'word' && CONNECTORS.has(next.text.toLowerCase()) && j + 1 < words.length && words[j + 1]!.kind === 'word' && isCapitalised(words[j + 1]!.text)) {
        j += 2;
        continue;
      }
      break;
    }
    let run = words.slice(i, j);
    // A leading title is context, not part of the name: "President Tayyip Erdogan" → "Tayyip Erdogan" (PER).
    let titled = false;
    while (run.length > 1 && PERSON_TITLES.test(run[0]!.text) && !ORG_WORDS.test(run[run.length - 1]!.text)) {
      run = run.slice(1);
      titled = true;
    }
    const previous = words[i - 1];
    if (previous && PERSON_TITLES.test(previous.text)) titled = true;
    if (sentenceStart && run.length === 1 && !LOCATIONS.has(run[0]!.text.toLowerCase()) && !LOCATION_ALIASES.has(run[0]!.text.toLowerCase()) && !/^[\p{Lu}.]{2,}$/u.test(run[0]!.text) && !DEMONYM.test(run[0]!.text)) {
      // A lone capitalised word at the start of a sentence is usually just the first word.
      if (!(words[j] && /^(said|says|told|added)$/i.test(words[j]!.text)) && !nameParts.has(run[0]!.text)) {
        i = j;
        continue;
      }
    }
    mentions.push({start: run[0]!.start, end: run[run.length - 1]!.end, type: typeOf(run, titled)});
    i = j;
  }
  return mentions;
}

/**
 * Guess the type of a run of name words.
 *
 * @param run Words.
 * @param titled Whether a person title preceded it.
 * @returns Type.
 */
function typeOf(run: readonly Token[], titled: boolean): EntityType {
  const text = run.map((t) => t.text).join(' ');
  const lower = text.toLowerCase();
  const last = run[run.length - 1]!.text;
  if (LOCATION_ALIASES.has(lower) || LOCATIONS.has(lower)) return 'LOC';
  if (ORG_WORDS.test(last) || run.some((t) => /^(ministry|department|directorate|agency)$/i.test(t.text))) return 'ORG';
  if (run.length === 1 && /^[\p{Lu}]{2,}s?$/u.test(last)) return 'ORG';
  if (run.length === 1 && DEMONYM.test(last)) return 'MISC';
  if (titled) return 'PER';
  if (run.length >= 2 && run.length <= 3 && run.every((t) => /^\p{Lu}\p{Ll}+(-\p{Lu}\p{Ll}+)?$/u.test(t.text))) return 'PER';
  if (run.some((t) => DEMONYM.test(t.text))) return 'MISC';
  return 'MISC';
}

/**
 * Link mentions to canonical names within the file: a single word that is the last (or first) word of a longer
 * person name used in the file takes that name and type; known aliases of places share one name.
 *
 * @param text Document.
 * @param mentions Mentions in text order.
 * @returns Entities.
 */
export function linkMentions(text: string, mentions: readonly Mention[]): Entity[] {
  const people = mentions.filter((m) => m.type === 'PER' && /\s/.test(text.slice(m.start, m.end)));
  const byPart = new Map<string, string>();
  for (const person of people) {
    const name = text.slice(person.start, person.end).replace(/\s+/g, ' ');
    const parts = name.split(' ');
    for (const part of [parts[parts.length - 1]!, parts[0]!]) if (!byPart.has(part)) byPart.set(part, name);
  }
  return mentions.map((mention) => {
    const surface = text.slice(mention.start, mention.end);
    let type = mention.type;
    let canonical = surface.replace(/\s+/g, ' ');
    const alias = LOCATION_ALIASES.get(canonical.toLowerCase());
    if (alias) canonical = alias;
    else if (!/\s/.test(surface) && byPart.has(surface) && type !== 'LOC' && type !== 'ORG') {
      canonical = byPart.get(surface)!;
      type = 'PER';
    }
    return {start: mention.start, end: mention.end, type, text: surface, canonical, id: `${type}:${canonical}`};
  });
}

/**
 * Sift's entity plugin.
 *
 * @returns Transform.
 */
export default function siftEntities() {
  return (tree: Root, file: VFile): undefined => {
    const context = contextOf(tree, file);
    const names = linkMentions(context.text, tagNames(context.tokens()));
    const measures = findMeasures(context.text);
    const entities = [...names, ...measures].sort((a, b) => a.start - b.start || b.end - a.end);
    for (const entity of entities) {
      const message = file.info(`${entity.type} ${entity.canonical}`, {
        place: {start: pointAt(context.lines, entity.start), end: pointAt(context.lines, entity.end)},
        ruleId: RULE_IDS.entity,
        source: SOURCE,
      });
      message.actual = entity.text;
    }
    context.annotations.entities = entities;
    return undefined;
  };
}

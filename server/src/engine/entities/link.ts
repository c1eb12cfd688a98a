/**
 * Linking the mentions of one file to canonical names: "Kalin" and "Mr. Kalin" → "Ibrahim Kalin", "U.S." / "US" /
 * "United States" → "United States", "North Atlantic Treaty Organization" / "NATO" → "NATO", an acronym → the long
 * form used in the file ("SSB" → "Defence Industry Directorate" is not one, "WHO" after "World Health Organization"
 * is), "TURKEY" in a headline → "Turkey". The canonical name is shown in the hover and is what the quotation
 * analyser reports as a speaker.
 */
import type {Entity, EntityType} from '../types.js';

/** A tagged name before linking. */
export interface Mention {
  start: number;
  end: number;
  type: EntityType;
}

/** Well-known aliases (lower-cased, dots kept) → canonical name and type. */
const ALIASES: ReadonlyMap<string, [string, EntityType]> = new Map(
  (
    [
      ['united states', 'us', 'u.s.', 'u.s', 'usa', 'u.s.a.', 'united states of america', 'the united states'],
      ['United Kingdom', 'uk', 'u.k.', 'britain', 'great britain', 'united kingdom'],
      ['United Nations', 'un', 'u.n.', 'united nations'],
      ['European Union', 'eu', 'e.u.', 'european union'],
      ['United Arab Emirates', 'uae', 'u.a.e.', 'united arab emirates'],
      ['Soviet Union', 'ussr', 'u.s.s.r.', 'soviet union'],
      ['NATO', 'nato', 'north atlantic treaty organization', 'north atlantic treaty organisation'],
    ] as const
  ).flatMap(([first, ...rest]) => {
    const canonical = first === 'united states' ? 'United States' : first;
    const type: EntityType = canonical === 'United Nations' || canonical === 'European Union' || canonical === 'NATO' ? 'ORG' : 'LOC';
    return [first.toLowerCase(), ...rest].map((alias) => [alias, [canonical, type]] as [string, [string, EntityType]]);
  }),
);

/** Titles that open a person's name in running text but are not part of it ("Mayor Ilse Varga" → "Ilse Varga"). */
const TITLES = new Set(
  'mr mr. mrs mrs. ms ms. dr dr. prof prof. mayor president vice-president premier minister chancellor senator sen. rep. gov. governor general gen. judge justice king queen prince princess pope sheikh ambassador secretary spokesman spokeswoman chairman coach captain officer sergeant sgt. lt. col. colonel major commander cardinal bishop rabbi imam reverend rev. father sister brother dame lord lady'.split(' '),
);

/**
 * Drop a leading title from person mentions: CoNLL-style names do not include it ("President Erdogan" →
 * "Erdogan"), and neither should a canonical name.
 *
 * @param text Document.
 * @param mentions Mentions.
 * @returns Mentions with PER spans trimmed.
 */
export function trimTitles(text: string, mentions: readonly Mention[]): Mention[] {
  return mentions.map((m) => {
    if (m.type !== 'PER') return m;
    const surface = text.slice(m.start, m.end);
    const match = /^(\S+)\s+(?=\S)/.exec(surface);
    if (!match || !TITLES.has(match[1]!.toLowerCase())) return m;
    return {...m, start: m.start + match[0].length};
  });
}

/** Words that are not part of a person's name for matching ("Jr.", "III"). */
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/**
 * Normalise a surface form: collapse white space; an ALL-CAPS form takes the mixed-case form of the same name
 * found elsewhere in the file.
 *
 * @param surface Text as written.
 * @returns Words.
 */
function words(surface: string): string[] {
  return surface.split(/\s+/).filter((w) => w.length > 0);
}

/**
 * Initials of a multi-word name ("North Atlantic Treaty Organization" → "NATO"), capitalised words only.
 *
 * @param parts Words.
 * @returns Initials.
 */
function initials(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) if (/^\p{Lu}/u.test(p)) out += p[0];
  return out;
}

/**
 * Link mentions to canonical names within the file.
 *
 * @param text Document.
 * @param mentions Mentions in text order.
 * @returns Entities (same order).
 */
export function linkMentions(text: string, mentions: readonly Mention[]): Entity[] {
  const surfaces = mentions.map((m) => words(text.slice(m.start, m.end)).join(' '));
  // Mixed-case forms by lower case, for headline mentions.
  const cased = new Map<string, string>();
  surfaces.forEach((s) => {
    if (s !== s.toUpperCase() && !cased.has(s.toLowerCase())) cased.set(s.toLowerCase(), s);
  });
  const display = surfaces.map((s) => (s === s.toUpperCase() && /\p{L}{2}/u.test(s) && cased.has(s.toLowerCase()) ? cased.get(s.toLowerCase())! : s));
  // Full person names (two or more words), in order of appearance: first and last name → full name.
  const byPart = new Map<string, string>();
  const longer = (a: string, b: string | undefined): boolean => b === undefined || words(a).length > words(b).length;
  mentions.forEach((m, i) => {
    if (m.type !== 'PER') return;
    const parts = words(display[i]!).filter((p) => !SUFFIXES.has(p.toLowerCase()));
    if (parts.length < 2) return;
    const full = parts.join(' ');
    const last = parts[parts.length - 1]!.toLowerCase();
    const first = parts[0]!.toLowerCase();
    if (longer(full, byPart.get(last))) byPart.set(last, full);
    if (!byPart.has(first)) byPart.set(first, full);
    // "Kalin" and "Ibrahim Kalin" both lead to "Ibrahim Kalin"; so does "Tayyip Erdogan" → "Recep Tayyip Erdogan".
    if (parts.length > 2) {
      const tail = parts.slice(-2).join(' ').toLowerCase();
      if (longer(full, byPart.get(tail))) byPart.set(tail, full);
    }
  });
  // Acronyms of multi-word names in the file.
  const byInitials = new Map<string, [string, EntityType]>();
  mentions.forEach((m, i) => {
    const parts = words(display[i]!);
    if (parts.length >= 2 && m.type !== 'PER') {
      const acronym = initials(parts);
      if (acronym.length >= 2 && !byInitials.has(acronym)) byInitials.set(acronym, [parts.join(' '), m.type]);
    }
  });
  return mentions.map((m, i) => {
    const surface = text.slice(m.start, m.end);
    let type = m.type;
    let canonical = display[i]!;
    const lower = canonical.toLowerCase();
    const alias = type === 'PER' ? undefined : ALIASES.get(lower);
    if (alias) canonical = alias[0];
    else if (type !== 'LOC' && type !== 'ORG' && byPart.has(lower) && words(canonical).length <= 2) {
      canonical = byPart.get(lower)!;
      type = 'PER';
    } else if (type === 'PER' && byPart.has(lower)) {
      canonical = byPart.get(lower)!;
    } else if (type !== 'PER' && /^[\p{Lu}.&]+$/u.test(canonical)) {
      const long = byInitials.get(canonical.replace(/\./g, ''));
      if (long && long[1] === type) canonical = long[0];
    }
    return {start: m.start, end: m.end, type, text: surface, canonical, id: `${type}:${canonical}`};
  });
}

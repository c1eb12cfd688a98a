/**
 * Resolving a speaker mention to a name: a short name to the full name used earlier in the file ("Kalin" →
 * "Ibrahim Kalin", through the entity analyser's canonical names when it has one), "he"/"she" to the right earlier
 * person (gender from first names, titles and earlier pronouns; the last speaker and sentence subjects first), a
 * role noun ("the minister") to the person who was given that title, "who" to its antecedent.
 */
import type {Entity} from '../types.js';
import {FEMALE_PRONOUNS, FEMALE_TITLES, MALE_PRONOUNS, MALE_TITLES, TITLES} from './lexicon.js';
import {isNameWord, TITLE_MODIFIERS, withoutDot, type Mention} from './mentions.js';
import {nameGenders} from './model.js';
import type {Block} from './units.js';

type Gender = 'm' | 'f' | null;

const ORGANISATION_WORDS = /^(post|times|news|journal|tribune|herald|gazette|globe|review|magazine|press|network|university|college|school|institute|institution|center|centre|foundation|fund|park|street|avenue|square|hall|house|show|party|committee|council|department|ministry|agency|bureau|court|company|corp|inc|group|bank|association|union|church|hospital|museum|library|airport|county|city|state|states|republic|project|campaign|coalition|alliance|caucus|club|team|league)\.?$/;

/** A person or organisation named in the file. */
interface Named {
  start: number;
  /** Full name without titles. */
  name: string;
  last: string;
  /** First name, lower-cased, when the name has two words or more. */
  first: string | null;
  /** The name is an organisation's or a place's. */
  organisation: boolean;
  gender: Gender;
  /** Lower-cased title and role words given with the name ("minister", "spokesman"). */
  roles: string[];
  /** The name opens its sentence (a likely subject). */
  subject: boolean;
  /** Number of words of the name. */
  size: number;
}

/** Resolves speaker mentions within one file. */
export class Resolver {
  private readonly named: Named[] = [];
  private readonly byLast = new Map<string, Named[]>();
  private readonly speakers: Array<{start: number; name: string; gender: Gender}> = [];

  /**
   * Index the names of a file.
   *
   * @param blocks Blocks of the file.
   * @param entities PER/ORG entities of the entity analyser.
   */
  constructor(
    blocks: readonly Block[],
    private readonly entities: readonly Entity[],
  ) {
    for (const block of blocks) this.index(block);
  }

  /**
   * Index the names of one more block (blocks in text order). `findQuotes` indexes each block as soon as it is
   * made, while its units are still in the processor's cache.
   *
   * @param block Block.
   */
  index(block: Block): void {
    const {male, female} = nameGenders();
    const units = block.units;
    for (let i = 0; i < units.length; i++) {
      if (!isNameWord(units[i])) continue;
      let j = i;
      while (j + 1 < units.length && (isNameWord(units[j + 1]) || (/^(of|de|al|bin|van|von|la|le|da|del)$/.test(units[j + 1]!.lower) && isNameWord(units[j + 2]))) && !units[j]!.possessive) j++;
      const words = units.slice(i, j + 1);
      const roles: string[] = [];
      // Titles inside the run ("Finance Minister Olga Petrov", "White House Press Secretary Josh Earnest"): the
      // name starts after the last one.
      let k = 0;
      for (let t = 0; t < words.length - 1; t++) {
        if (TITLES.has(withoutDot(words[t]!.lower))) k = t + 1;
      }
      for (let t = 0; t < k; t++) roles.push(withoutDot(words[t]!.lower));
      // "press secretary Josh Earnest", "Kalin, spokesman of …", "Kalin, the foreign minister, …"
      for (let b = i - 1; b >= Math.max(0, i - 4) && units[b]!.kind === 'w' && !units[b]!.cap && TITLE_MODIFIERS.has(units[b]!.lower); b--) roles.push(units[b]!.lower);
      if (units[j + 1]?.text === ',') {
        let b = j + 2;
        if (units[b] && /^(the|a|an)$/.test(units[b]!.lower)) b++;
        for (; b < Math.min(units.length, j + 7) && units[b]!.kind === 'w' && TITLE_MODIFIERS.has(units[b]!.lower); b++) roles.push(units[b]!.lower);
      }
      const nameWords = words.slice(k);
      const name = nameWords.map((w, n) => (n === nameWords.length - 1 && w.possessive ? w.text.replace(/['’‘]s$|['’]$/, '') : w.text)).join(' ');
      let gender: Gender = null;
      const title = roles.some((r) => TITLES.has(r));
      // An organisation or a place is no one ("The Washington Post", "Christopher Newport University").
      // The entity analyser's type helps when it has one for these words.
      const typed = this.entityAt(units[i]!.start, units[j]!.end);
      const organisation = units[i - 1]?.lower === 'the' || ORGANISATION_WORDS.test(nameWords[nameWords.length - 1]!.lower) || (!!typed && typed.type !== 'PER');
      if (roles.some((r) => MALE_TITLES.has(r))) gender = 'm';
      else if (roles.some((r) => FEMALE_TITLES.has(r))) gender = 'f';
      else if ((nameWords.length >= 2 || title) && !organisation) {
        // The first word that is a first name: "Republican Donald Trump" → Donald.
        for (const w of nameWords.slice(0, Math.max(1, nameWords.length - 1))) {
          if (male.has(w.lower)) gender = 'm';
          else if (female.has(w.lower)) gender = 'f';
          if (gender) break;
        }
      }
      const last = nameWords[nameWords.length - 1]!.lower;
      const first = nameWords.length >= 2 ? nameWords[0]!.lower : null;
      const entry: Named = {start: units[i]!.start, name, last, first, organisation, gender, roles, subject: i === 0 || units[i - 1]!.sentence !== units[i]!.sentence, size: nameWords.length};
      this.named.push(entry);
      const list = this.byLast.get(last);
      if (list) list.push(entry);
      else this.byLast.set(last, [entry]);

      i = j;
    }
  }

  /**
   * The full name a name refers to: the nearest earlier (else the first later) longer name with the same last word.
   *
   * @param name Name.
   * @param at Offset of the mention.
   * @returns Full name.
   */
  fullName(name: string, at: number): string {
    const words = name.split(' ');
    const last = words[words.length - 1]!.toLowerCase();
    let best: Named | null = null;
    for (const n of this.byLast.get(last) ?? []) {
      if (n.size <= words.length) continue;
      if (n.start <= at) best = n;
      else if (!best) {
        best = n;
        break;
      }
    }
    return best ? best.name : name;
  }

  /**
   * Resolve a speaker mention.
   *
   * @param mention Mention.
   * @param antecedent Antecedent of a relative pronoun.
   * @returns Name, or null when nothing fits.
   */
  resolve(mention: Mention, antecedent: Mention | null, blockStart = mention.start): string | null {
    if (mention.kind === 'pronoun') {
      if (antecedent) return this.resolve(antecedent, null);
      const lower = mention.name.toLowerCase();
      if (MALE_PRONOUNS.has(lower)) return this.person(mention.start, 'm', blockStart);
      if (FEMALE_PRONOUNS.has(lower)) return this.person(mention.start, 'f', blockStart);
      if (lower === 'i' || lower === 'we') return this.speakers[this.speakers.length - 1]?.name ?? null;
      return null;
    }
    if (mention.kind === 'name') {
      const own = this.fullName(mention.name, mention.start);
      if (own.includes(' ')) return own;
      // A single word we could not expand: the entity analyser may know the full name ("Kalin" → "Ibrahim Kalin").
      const entity = this.entityAt(mention.start, mention.end);
      const canonical = entity?.canonical.replace(/^(?:(?:the|but|and|despite|as|in|on|at|for|with|by|of|if|when|while|after|before)\s+)+/i, '');
      if (canonical && canonical.length > own.length && lastWord(canonical) === lastWord(own) && !/[,;:]/.test(canonical)) return canonical;
      return own;
    }
    // A role noun: the person last given that title ("the minister" → Mevlut Cavusoglu), all its words
    // included ("the interior minister" is not the foreign minister).
    const words = mention.name.toLowerCase().split(/\s+/).filter((w) => !/^(the|a|an|this|that|his|her|their|its|our)$/.test(w) && !/['’]s?$/.test(w));
    for (let k = this.lastBefore(mention.start); k >= 0 && words.length > 0; k--) {
      const n = this.named[k]!;
      if (mention.start - n.start > 4000) break;
      if (words.every((w) => n.roles.includes(w))) return this.fullName(n.name, n.start);
    }
    return mention.name.replace(/^(the|a|an)\s+/i, (m) => m.toLowerCase());
  }

  /**
   * Record a resolved speaker (pronouns prefer the last speaker).
   *
   * @param start Offset.
   * @param name Name.
   */
  addSpeaker(start: number, name: string): void {
    this.speakers.push({start, name, gender: this.genderOf(name, start)});
  }

  /**
   * The person "he" or "she" at an offset refers to: the last speaker when close and compatible, else the nearest
   * earlier compatible person, sentence subjects first.
   *
   * @param at Offset of the pronoun.
   * @param gender Gender of the pronoun.
   * @returns Name or null.
   */
  private person(at: number, gender: Gender, blockStart: number): string | null {
    const genderAt = (n: Named): Gender => n.gender ?? this.genderOf(n.name, n.start);
    const known = (n: Named): boolean => genderAt(n) === gender;
    // 1. The paragraph's own people: its subject first, then the nearest.
    let nearest: string | null = null;
    for (let k = this.lastBefore(at); k >= 0; k--) {
      const n = this.named[k]!;
      if (n.start < blockStart) break;
      if (!known(n)) continue;
      const name = this.fullName(n.name, n.start);
      if (n.subject) return name;
      nearest ??= name;
    }
    if (nearest) return nearest;
    // 2. The last speaker, when close and not of the other gender ("“…,” Akar told journalists. ¶ “…,” he said.").
    let lastSpeaker: {start: number; name: string; gender: Gender} | undefined;
    for (let k = this.speakers.length - 1; k >= 0 && !lastSpeaker; k--) if (this.speakers[k]!.start < at) lastSpeaker = this.speakers[k];
    if (lastSpeaker && at - lastSpeaker.start < 1500 && (lastSpeaker.gender === gender || (lastSpeaker.gender === null && this.personLike(lastSpeaker.name)))) return lastSpeaker.name;
    // 3. Earlier paragraphs: subjects first, then anyone, within reach.
    let fallback: string | null = null;
    for (let k = this.lastBefore(at); k >= 0; k--) {
      const n = this.named[k]!;
      if (at - n.start > 3000) break;
      if (!known(n)) continue;
      const name = this.fullName(n.name, n.start);
      if (n.subject) return name;
      fallback ??= name;
    }
    if (fallback) return fallback;
    if (lastSpeaker && (lastSpeaker.gender === null || lastSpeaker.gender === gender)) return lastSpeaker.name;
    return null;
  }

  /**
   * The gender of a name: from its own first name or title, else from the nearest mention of the same person
   * (same last name, and the same first name when both have one) that tells it.
   *
   * @param name Name.
   * @param at Offset of the mention.
   * @returns Gender or null.
   */
  genderOf(name: string, at: number): Gender {
    const words = name.split(' ');
    const last = words[words.length - 1]!.toLowerCase();
    const first = words.length >= 2 ? words[0]!.toLowerCase() : null;
    let best: Named | null = null;
    for (const n of this.byLast.get(last) ?? []) {
      if (!n.gender || (first && n.first && n.first !== first)) continue;
      if (n.start <= at) best = n;
      else {
        best ??= n;
        break;
      }
    }
    return best?.gender ?? null;
  }

  /**
   * The first entity that overlaps a range (entities are sorted by start).
   *
   * @param start Start.
   * @param end End.
   * @returns Entity or undefined.
   */
  private entityAt(start: number, end: number): Entity | undefined {
    const list = this.entities;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    // Entities may nest; look a little further for the first that overlaps.
    for (let k = Math.max(0, lo - 2); k < Math.min(list.length, lo + 4); k++) if (list[k]!.start < end && list[k]!.end > start) return list[k];
    return undefined;
  }

  /**
   * Does a name look like a person's (several words or a title, not an organisation)?
   *
   * @param name Name.
   * @returns Whether.
   */
  private personLike(name: string): boolean {
    const words = name.split(' ');
    const entries = this.byLast.get(words[words.length - 1]!.toLowerCase()) ?? [];
    return entries.some((n) => !n.organisation && (n.size >= 2 || n.roles.some((r) => TITLES.has(r))));
  }

  /**
   * Index of the last named mention before an offset.
   *
   * @param at Offset.
   * @returns Index, or -1.
   */
  private lastBefore(at: number): number {
    let lo = 0;
    let hi = this.named.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.named[mid]!.start < at) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

/**
 * Last word of a name, lower-cased.
 *
 * @param name Name.
 * @returns Word.
 */
function lastWord(name: string): string {
  const words = name.trim().split(/\s+/);
  return words[words.length - 1]!.toLowerCase();
}

/**
 * Rule-based entities: dates, times, money, percentages and quantities. The evaluation ignores these types;
 * users see them.
 */
import type {Entity, EntityType} from '../types.js';

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const RULES: ReadonlyArray<[EntityType, RegExp]> = [
  ['DATE', new RegExp(`\\b(?:${DAY},?\\s+)?(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}(?:,?\\s+\\d{4})?|${MONTH}\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|(?:mid-)?(?:19|20)\\d{2}s?)\\b`, 'g')],
  ['DATE', new RegExp(`\\b(?:${DAY}|(?:last|next|this)\\s+(?:week|month|year|${DAY})|yesterday|today|tomorrow)\\b`, 'gi')],
  ['TIME', /\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm|GMT|UTC)\b/gi],
  ['MONEY', /(?:[$€£¥]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|m))?|\b\d[\d,.]*\s?(?:million|billion|trillion)?\s?(?:dollars|euros|pounds|lira|rubles|roubles|yen))\b/gi],
  ['PERCENT', /\b\d[\d,.]*\s?(?:%|per ?cent\b|percent\b)/gi],
  ['QUANTITY', /\b\d[\d,.]*\s?(?:kg|km|g|mg|mm|cm|m|miles?|kilometres?|kilometers?|tonnes?|tons?|litres?|liters?|barrels?|acres?|hectares?)\b/gi],
];

/**
 * Find the rule-based entities of a text. Overlaps are resolved in favour of the earlier, longer match.
 *
 * @param text Document.
 * @returns Entities sorted by offset.
 */
export function findMeasures(text: string): Entity[] {
  const found: Entity[] = [];
  for (const [type, pattern] of RULES) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const start = match.index;
      const end = start + match[0].trimEnd().length;
      const surface = text.slice(start, end);
      found.push({start, end, type, text: surface, canonical: surface, id: `${type}:${surface}`});
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Entity[] = [];
  let reach = -1;
  for (const entity of found) {
    if (entity.start >= reach) {
      kept.push(entity);
      reach = entity.end;
    }
  }
  return kept;
}

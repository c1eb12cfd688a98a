/**
 * Entity analyser: a unified plugin that tags people, organisations, places and other names (PER, ORG, LOC, MISC)
 * with the trained tagger (tagger.ts; trained by scripts/train-ner.mjs, see docs/ner.md), adds dates, times, money,
 * percentages and quantities by rule (measures.ts), and links each name to a canonical name within the file
 * (link.ts: "Kalin" → "Ibrahim Kalin", "U.S." → "United States").
 *
 * It sets `context.annotations.entities` (sorted by offset) and emits one `file.info` message per entity.
 */
import type {Root} from 'nlcst';
import type {VFile} from 'vfile';
import {contextOf, pointAt, SOURCE} from '../context.js';
import {RULE_IDS} from '../rules.js';
import type {Entity} from '../types.js';
import {findMeasures} from './measures.js';
import {linkMentions, trimTitles, type Mention} from './link.js';
import {nerModel} from './model.js';
import {tagTokens} from './tagger.js';
import {tokenize} from './tokenize.js';

export {linkMentions, trimTitles, type Mention} from './link.js';

/**
 * Tag the names of a text (no linking, no measures).
 *
 * @param text Text.
 * @returns Mentions in text order.
 */
export function tagNames(text: string): Mention[] {
  return trimTitles(text, tagTokens(nerModel(), tokenize(text)));
}

/**
 * All entities of a text: linked names plus the rule-based measures that do not overlap a name.
 *
 * @param text Text.
 * @returns Entities sorted by offset (longer first at the same offset).
 */
export function findEntities(text: string): Entity[] {
  const names = linkMentions(text, tagNames(text));
  const measures = findMeasures(text);
  const kept: Entity[] = [...names];
  let n = 0;
  for (const m of measures) {
    while (n < names.length && names[n]!.end <= m.start) n++;
    if (n < names.length && names[n]!.start < m.end) continue;
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Sift's entity plugin.
 *
 * @returns Transform.
 */
export default function siftEntities() {
  return (tree: Root, file: VFile): undefined => {
    const context = contextOf(tree, file);
    const entities = findEntities(context.text);
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

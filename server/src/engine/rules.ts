/**
 * The stable `ruleId`s of Sift's messages. They are the `code` of each diagnostic in the editor, keys in
 * settings and JSON output: never rename one.
 */
export const RULE_IDS = Object.freeze({
  boilerplate: 'boilerplate',
  quotation: 'quotation',
  entity: 'named-entity',
} as const);

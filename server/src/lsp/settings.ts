/**
 * Sift's settings as the language server reads them: one typed shape, fetched per document (`workspace/configuration`
 * with the document as scope), validated, cached, and invalidated on change.
 */
import type {EntityType} from '../engine/index.js';

/** How a kind of annotation is shown. */
export type SeverityName = 'off' | 'hint' | 'information' | 'warning' | 'error';

/** The settings of one document. */
export interface SiftSettings {
  enable: boolean;
  files: string[];
  severity: {boilerplate: SeverityName; quotes: SeverityName; entities: SeverityName};
  entities: {types: EntityType[]};
  boilerplate: {threshold: number; keepLines: string[]};
  inlayHints: {speakers: boolean};
  strip: {keepMetadata: boolean};
  maxFileSize: number;
}

export const ENTITY_TYPES: readonly EntityType[] = Object.freeze(['PER', 'ORG', 'LOC', 'MISC', 'DATE', 'TIME', 'MONEY', 'PERCENT', 'QUANTITY']);
const SEVERITIES: readonly SeverityName[] = ['off', 'hint', 'information', 'warning', 'error'];

const DEFAULTS: SiftSettings = {
  enable: true,
  files: ['**/*.txt'],
  severity: {boilerplate: 'information', quotes: 'hint', entities: 'hint'},
  entities: {types: [...ENTITY_TYPES]},
  boilerplate: {threshold: 0.5, keepLines: []},
  inlayHints: {speakers: true},
  strip: {keepMetadata: false},
  maxFileSize: 5 * 1024 * 1024,
};
export const DEFAULT_SETTINGS: Readonly<SiftSettings> = Object.freeze(DEFAULTS);

/**
 * Validate raw settings: every invalid value falls back to its default and is named in `problems`.
 *
 * @param raw What the client sent for section `sift` (anything).
 * @returns Settings and the problems found.
 */
export function normalizeSettings(raw: unknown): {settings: SiftSettings; problems: string[]} {
  const problems: string[] = [];
  const obj = isObject(raw) ? raw : {};
  const pick = <T>(key: string, value: unknown, ok: (v: unknown) => boolean, fallback: T): T => {
    if (value === undefined || value === null) return fallback;
    if (ok(value)) return value as T;
    problems.push(`sift.${key} has an invalid value (${JSON.stringify(value)?.slice(0, 60)}); using the default ${JSON.stringify(fallback)}`);
    return fallback;
  };
  const severity = isObject(obj['severity']) ? obj['severity'] : {};
  const entities = isObject(obj['entities']) ? obj['entities'] : {};
  const boilerplate = isObject(obj['boilerplate']) ? obj['boilerplate'] : {};
  const inlay = isObject(obj['inlayHints']) ? obj['inlayHints'] : {};
  const strip = isObject(obj['strip']) ? obj['strip'] : {};
  const isSeverity = (v: unknown) => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const settings: SiftSettings = {
    enable: pick('enable', obj['enable'], (v) => typeof v === 'boolean', DEFAULT_SETTINGS.enable),
    files: pick('files', obj['files'], (v) => isStrings(v) && (v as string[]).every((g) => g.length > 0 && g.length < 500), [...DEFAULT_SETTINGS.files]),
    severity: {
      boilerplate: pick('severity.boilerplate', severity['boilerplate'], isSeverity, DEFAULT_SETTINGS.severity.boilerplate),
      quotes: pick('severity.quotes', severity['quotes'], isSeverity, DEFAULT_SETTINGS.severity.quotes),
      entities: pick('severity.entities', severity['entities'], isSeverity, DEFAULT_SETTINGS.severity.entities),
    },
    entities: {
      types: pick('entities.types', entities['types'], (v) => isStrings(v) && (v as string[]).every((t) => (ENTITY_TYPES as readonly string[]).includes(t)), [...DEFAULT_SETTINGS.entities.types]),
    },
    boilerplate: {
      threshold: pick('boilerplate.threshold', boilerplate['threshold'], (v) => typeof v === 'number' && v >= 0 && v <= 1, DEFAULT_SETTINGS.boilerplate.threshold),
      keepLines: pick('boilerplate.keepLines', boilerplate['keepLines'], isStrings, [] as string[]),
    },
    inlayHints: {speakers: pick('inlayHints.speakers', inlay['speakers'], (v) => typeof v === 'boolean', DEFAULT_SETTINGS.inlayHints.speakers)},
    strip: {keepMetadata: pick('strip.keepMetadata', strip['keepMetadata'], (v) => typeof v === 'boolean', DEFAULT_SETTINGS.strip.keepMetadata)},
    maxFileSize: pick('maxFileSize', obj['maxFileSize'], (v) => typeof v === 'number' && v > 0, DEFAULT_SETTINGS.maxFileSize),
  };
  return {settings, problems};
}

/**
 * Is it a plain object?
 * @param value Anything.
 * @returns Whether.
 */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turn a glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) into a regular expression over `/`-separated relative paths.
 * The translation is linear and the result has no nested quantifiers, so a user's glob cannot make matching hang.
 *
 * @param glob Glob.
 * @returns Regular expression.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      inBraces++;
      out += '(?:';
    } else if (ch === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (ch === ',' && inBraces > 0) out += '|';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close > i + 1) {
        out += `[${glob.slice(i + 1, close).replace(/\\/g, '\\\\').replace(/^!/, '^')}]`;
        i = close;
      } else out += '\\[';
    } else out += ch.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  while (inBraces-- > 0) out += ')';
  return new RegExp(`^${out}$`, 'i');
}

/**
 * Does a path match one of the globs? Globs without a slash match the file name anywhere (like `files.exclude`).
 *
 * @param relativePath Path relative to the workspace folder, `/`-separated (or the file name alone).
 * @param globs Globs.
 * @returns Whether.
 */
export function matchesGlobs(relativePath: string, globs: readonly string[]): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return globs.some((glob) => {
    const re = globToRegExp(glob);
    return re.test(relativePath) || (!glob.includes('/') && re.test(name));
  });
}

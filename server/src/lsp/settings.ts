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

/** One step of a compiled glob. */
type GlobToken = {kind: 'char'; ch: string} | {kind: 'one'} | {kind: 'star'} | {kind: 'globstar'} | {kind: 'class'; negate: boolean; test: (ch: string) => boolean};

/** Limits that keep a user's glob cheap: alternatives after brace expansion, and pattern length. */
const MAX_ALTERNATIVES = 64;
const MAX_GLOB_LENGTH = 500;

/**
 * Expand `{a,b}` alternatives (nested allowed), at most `MAX_ALTERNATIVES` results.
 * @param glob Glob.
 * @returns Globs without braces.
 */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  let depth = 0;
  let close = -1;
  const parts: string[] = [];
  let last = open + 1;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) {
      close = i;
      parts.push(glob.slice(last, i));
      break;
    } else if (glob[i] === ',' && depth === 1) {
      parts.push(glob.slice(last, i));
      last = i + 1;
    }
  }
  if (close < 0) return [glob];
  const out: string[] = [];
  for (const part of parts) {
    for (const rest of expandBraces(glob.slice(0, open) + part + glob.slice(close + 1))) {
      if (out.length >= MAX_ALTERNATIVES) return out;
      out.push(rest);
    }
  }
  return out;
}

/**
 * Tokenise a brace-free glob: `**` (any path), `*` (any run without `/`), `?`, `[abc]`/`[!a-z]`, literal characters.
 * @param glob Glob.
 * @returns Tokens (runs of stars collapsed).
 */
function tokenize(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      const globstar = j > i;
      if (globstar && glob[j + 1] === '/') j++; // `**/` also matches nothing
      const previous = tokens[tokens.length - 1];
      if (previous?.kind === 'globstar') {
        // already as wide as it gets
      } else if (previous?.kind === 'star' && globstar) tokens[tokens.length - 1] = {kind: 'globstar'};
      else if (previous?.kind !== 'star') tokens.push({kind: globstar ? 'globstar' : 'star'});
      i = j;
    } else if (ch === '?') tokens.push({kind: 'one'});
    else if (ch === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([body[k]!.toLowerCase(), body[k + 2]!.toLowerCase()]);
          k += 2;
        } else ranges.push([body[k]!.toLowerCase(), body[k]!.toLowerCase()]);
      }
      tokens.push({kind: 'class', negate, test: (c) => ranges.some(([a, b]) => c >= a && c <= b)});
      i = close;
    } else tokens.push({kind: 'char', ch: ch.toLowerCase()});
  }
  return tokens;
}

/**
 * Match a path against glob tokens by dynamic programming: O(path length × tokens), no backtracking, so no glob a
 * user writes can make the server hang.
 * @param tokens Tokens.
 * @param text Lower-cased path.
 * @returns Whether the whole path matches.
 */
function matchTokens(tokens: readonly GlobToken[], text: string): boolean {
  const m = tokens.length;
  // reach[j]: the first j tokens can match the text read so far.
  let reach = new Uint8Array(m + 1);
  reach[0] = 1;
  const close = (row: Uint8Array): void => {
    for (let j = 0; j < m; j++) if (row[j] && (tokens[j]!.kind === 'star' || tokens[j]!.kind === 'globstar')) row[j + 1] = 1;
  };
  close(reach);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = new Uint8Array(m + 1);
    let any = false;
    for (let j = 0; j < m; j++) {
      if (!reach[j]) continue;
      const t = tokens[j]!;
      let stay = false;
      let advance = false;
      switch (t.kind) {
        case 'char':
          advance = t.ch === ch;
          break;
        case 'one':
          advance = ch !== '/';
          break;
        case 'class':
          advance = ch !== '/' && t.test(ch) !== t.negate;
          break;
        case 'star':
          stay = ch !== '/';
          break;
        case 'globstar':
          stay = true;
          break;
      }
      if (stay) next[j] = 1;
      if (advance) next[j + 1] = 1;
      any ||= stay || advance;
    }
    if (!any) return false;
    close(next);
    reach = next;
  }
  return reach[m] === 1;
}

/**
 * Compile a glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) into a case-insensitive matcher over `/`-separated paths. Over-long
 * globs match nothing.
 * @param glob Glob.
 * @returns Matcher.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  if (glob.length > MAX_GLOB_LENGTH) return () => false;
  const alternatives = expandBraces(glob).map(tokenize);
  return (path) => {
    const lower = path.toLowerCase();
    return alternatives.some((tokens) => matchTokens(tokens, lower));
  };
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
    const match = compileGlob(glob);
    return match(relativePath) || (!glob.includes('/') && match(name));
  });
}

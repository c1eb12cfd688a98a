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
 *
 * Not used for matching: a backtracking regular expression of a user's glob can take exponential time
 * (`*a*a*a*a*a*a*b` against a long name; `{a,a}{a,a}…`) and throws on `[z-a]`. `matchesGlobs` runs the linear
 * matcher below instead; this translation stays as the reference its tests compare against on small inputs.
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
 * Matching is linear in the path length times the glob length, whatever the glob: see `GlobMatcher`.
 *
 * @param relativePath Path relative to the workspace folder, `/`-separated (or the file name alone).
 * @param globs Globs.
 * @returns Whether.
 */
export function matchesGlobs(relativePath: string, globs: readonly string[]): boolean {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return globs.some((glob) => {
    const matcher = compileGlob(glob);
    return matcher.test(relativePath) || (!glob.includes('/') && matcher.test(name));
  });
}

// ---- Linear glob matching (reliability: a user's pattern cannot hang the server) -------------------------------

/** One element of a parsed glob. */
type GlobNode =
  | {kind: 'char'; test: (c: string) => boolean}
  | {kind: 'star' | 'globstar' | 'segments'}
  | {kind: 'alt'; options: GlobNode[][]};

const compiled = new Map<string, GlobMatcher>();

/**
 * The matcher of a glob (cached).
 *
 * @param glob Glob.
 * @returns Matcher.
 */
export function compileGlob(glob: string): GlobMatcher {
  let matcher = compiled.get(glob);
  if (!matcher) {
    if (compiled.size >= 512) compiled.clear();
    matcher = new GlobMatcher(glob);
    compiled.set(glob, matcher);
  }
  return matcher;
}

/**
 * Case-insensitive equality of two UTF-16 code units (as a regular expression's `i` flag compares them).
 * @param a Code unit.
 * @param b Code unit.
 * @returns Whether.
 */
function sameLetter(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/**
 * A glob compiled to a nondeterministic automaton and run by simulation (the set of live states advances one code
 * unit at a time), so matching costs O(path length × glob length) and never backtracks. It accepts exactly what
 * `globToRegExp` accepts, except that `**` also crosses line breaks and a reversed range such as `[z-a]` matches
 * nothing instead of throwing.
 */
export class GlobMatcher {
  private readonly eps: number[][] = [];
  private readonly edges: Array<Array<{test: (c: string) => boolean; to: number}>> = [];
  private readonly start: number;
  private readonly accept: number;
  /** Transitions tried by the last `test` (at most its length × the number of transitions: the linear bound). */
  lastSteps = 0;

  /**
   * @param glob Glob.
   */
  constructor(glob: string) {
    const seq = parseGlob(glob);
    this.start = this.state();
    this.accept = this.build(seq, this.start);
  }

  /**
   * Does the whole string match?
   * @param text Path or name.
   * @returns Whether.
   */
  test(text: string): boolean {
    const count = this.eps.length;
    let current = this.closure([this.start], new Uint8Array(count));
    this.lastSteps = 0;
    for (let i = 0; i < text.length && current.length > 0; i++) {
      const c = text[i]!;
      const seen = new Uint8Array(count);
      const next: number[] = [];
      for (const s of current) {
        this.lastSteps += this.edges[s]!.length;
        for (const edge of this.edges[s]!) if (!seen[edge.to] && edge.test(c)) (seen[edge.to] = 1), next.push(edge.to);
      }
      current = this.closure(next, seen);
    }
    return current.includes(this.accept);
  }

  /**
   * The number of transitions of the automaton (edges and empty moves).
   * @returns Count.
   */
  get size(): number {
    return this.edges.reduce((n, e) => n + e.length, 0) + this.eps.reduce((n, e) => n + e.length, 0);
  }

  /**
   * Add the states reachable by empty moves.
   * @param states States (marked in `seen`).
   * @param seen Marks.
   * @returns The closed set.
   */
  private closure(states: number[], seen: Uint8Array): number[] {
    for (const s of states) seen[s] = 1;
    const stack = [...states];
    const out = [...states];
    while (stack.length) {
      for (const to of this.eps[stack.pop()!]!) {
        if (seen[to]) continue;
        seen[to] = 1;
        out.push(to);
        stack.push(to);
      }
    }
    return out;
  }

  /**
   * A new state.
   * @returns Its index.
   */
  private state(): number {
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  /**
   * Compile a sequence from a state.
   * @param seq Nodes.
   * @param from Entry state.
   * @returns Exit state.
   */
  private build(seq: readonly GlobNode[], from: number): number {
    const notSlash = (c: string): boolean => c !== '/';
    const any = (): boolean => true;
    let cur = from;
    for (const node of seq) {
      if (node.kind === 'char') {
        const to = this.state();
        this.edges[cur]!.push({test: node.test, to});
        cur = to;
      } else if (node.kind === 'star' || node.kind === 'globstar') {
        const loop = this.state();
        this.eps[cur]!.push(loop);
        this.edges[loop]!.push({test: node.kind === 'star' ? notSlash : any, to: loop});
        cur = loop;
      } else if (node.kind === 'segments') {
        // (?:[^/]*/)*: at a segment start, or inside a segment until its slash.
        const segment = this.state();
        const inside = this.state();
        this.eps[cur]!.push(segment);
        this.edges[segment]!.push({test: notSlash, to: inside}, {test: (c) => c === '/', to: segment});
        this.edges[inside]!.push({test: notSlash, to: inside}, {test: (c) => c === '/', to: segment});
        cur = segment;
      } else if (node.kind === 'alt') {
        const end = this.state();
        for (const option of node.options) {
          const entry = this.state();
          this.eps[cur]!.push(entry);
          this.eps[this.build(option, entry)]!.push(end);
        }
        cur = end;
      }
    }
    return cur;
  }
}

/**
 * Parse a glob the way `globToRegExp` reads it.
 * @param glob Glob.
 * @returns Sequence of nodes.
 */
function parseGlob(glob: string): GlobNode[] {
  let i = 0;
  const seq = (depth: number): GlobNode[] => {
    const out: GlobNode[] = [];
    while (i < glob.length) {
      const ch = glob[i]!;
      if (depth > 0 && (ch === ',' || ch === '}')) break;
      if (ch === '*') {
        if (glob[i + 1] === '*') {
          const slash = glob[i + 2] === '/';
          out.push({kind: slash ? 'segments' : 'globstar'});
          i += slash ? 3 : 2;
        } else {
          out.push({kind: 'star'});
          i++;
        }
      } else if (ch === '?') {
        out.push({kind: 'char', test: (c) => c !== '/'});
        i++;
      } else if (ch === '{') {
        i++;
        const options = [seq(depth + 1)];
        while (glob[i] === ',') {
          i++;
          options.push(seq(depth + 1));
        }
        if (glob[i] === '}') i++;
        out.push({kind: 'alt', options});
      } else if (ch === '[' && glob.indexOf(']', i + 1) > i + 1) {
        const close = glob.indexOf(']', i + 1);
        out.push({kind: 'char', test: classTest(glob.slice(i + 1, close))});
        i = close + 1;
      } else {
        out.push({kind: 'char', test: (c) => sameLetter(c, ch)});
        i++;
      }
    }
    return out;
  };
  // At the top level, closing braces and commas are literal characters, so one sequence reads the whole glob.
  return seq(0);
}

/**
 * The test of a character class body (`abc`, `a-z`, `!a-z` or `^a-z`), as a regular expression reads it.
 * @param body Text between the brackets.
 * @returns Test; a reversed range matches nothing.
 */
function classTest(body: string): (c: string) => boolean {
  const negate = body[0] === '!' || body[0] === '^';
  const atoms = negate ? body.slice(1) : body;
  const ranges: Array<[number, number]> = [];
  let valid = true;
  for (let k = 0; k < atoms.length; ) {
    if (atoms[k + 1] === '-' && k + 2 < atoms.length) {
      const lo = atoms.charCodeAt(k);
      const hi = atoms.charCodeAt(k + 2);
      if (lo > hi) valid = false;
      ranges.push([lo, hi]);
      k += 3;
    } else {
      ranges.push([atoms.charCodeAt(k), atoms.charCodeAt(k)]);
      k++;
    }
  }
  if (!valid) return () => false;
  const has = (c: string): boolean => {
    for (const form of [c, c.toLowerCase(), c.toUpperCase()]) {
      if (form.length !== 1) continue;
      const code = form.charCodeAt(0);
      if (ranges.some(([lo, hi]) => lo <= code && code <= hi)) return true;
    }
    return false;
  };
  return negate ? (c) => !has(c) : has;
}

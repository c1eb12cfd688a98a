/**
 * Public types of the Sift engine.
 *
 * The engine is pure: text in, annotations out. Offsets are UTF-16 code units
 * (JavaScript string indices), end exclusive, exactly as LSP and the CLI
 * contract count them.
 */

/** The three analyses the engine runs. */
export type AnalysisKind = 'boilerplate' | 'quotes' | 'entities';

/** Every analysis kind, in the order the engine runs them. */
export const ANALYSIS_KINDS: readonly AnalysisKind[] = Object.freeze(['boilerplate', 'entities', 'quotes']);

/** Why a line is boilerplate. Stable strings: they appear in JSON output and settings. */
export type BoilerplateCategory =
  | 'navigation'
  | 'promotion'
  | 'teaser'
  | 'share'
  | 'legal'
  | 'caption'
  | 'duplicate'
  | 'metadata'
  | 'chrome';

/** One flagged line. */
export interface BoilerplateLine {
  /** 0-based line index; lines are split on `\r\n`, `\n` or `\r`. */
  line: number;
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the last character of the line, line terminator excluded. */
  end: number;
  category: BoilerplateCategory;
  /** A reason a person can read, e.g. "repeated 15 times in this file". */
  reason: string;
  /** How sure the analyser is, 0..1. */
  score: number;
}

/** Entity types. The four CoNLL types are scored; the rule-based types are shown to users. */
export type EntityType = 'PER' | 'ORG' | 'LOC' | 'MISC' | 'DATE' | 'TIME' | 'MONEY' | 'PERCENT' | 'QUANTITY';

/** One entity mention. */
export interface Entity {
  start: number;
  end: number;
  type: EntityType;
  /** The mention as written: `text.slice(start, end)`. */
  text: string;
  /** The canonical name shared by every mention of the same entity in the file, e.g. "Ibrahim Kalin" for "Kalin". */
  canonical: string;
  /** A stable id for the entity within the file (`type:canonical`). */
  id: string;
}

/** How a quotation is marked. */
export type QuoteKind = 'direct' | 'partial' | 'indirect';

/** One quotation. */
export interface Quote {
  /** Content span, quote marks excluded. */
  start: number;
  end: number;
  /** True for text between quote marks (direct and partial quotes). */
  direct: boolean;
  kind: QuoteKind;
  /** Resolved speaker name ("Ibrahim Kalin"), or null when none was found. */
  speaker: string | null;
  /** The words in the text that name the speaker ("he", "Kalin"), or null. */
  speakerMention: string | null;
  speakerStart: number | null;
  speakerEnd: number | null;
  /** The cue verb or phrase ("said", "according to"), or null. */
  cue: string | null;
  cueStart: number | null;
  cueEnd: number | null;
  /** The quoted text (`text.slice(start, end)`). */
  text: string;
}

/** Everything the engine finds in one text. */
export interface Annotations {
  boilerplate: BoilerplateLine[];
  quotes: Quote[];
  entities: Entity[];
}

/** Options of the boilerplate analyser. */
export interface BoilerplateOptions {
  /** Lines scoring below this are not flagged (0..1). */
  threshold: number;
  /** Exact line texts (trimmed) the user chose to keep: never flagged. */
  keep: readonly string[];
  /**
   * Lines seen across other files of the same folder or workspace: trimmed line text → number of other
   * files that contain it. Supplied by the CLI (given a folder) or the language server's index.
   */
  corpusLineCounts?: ReadonlyMap<string, number>;
  /** How many files that corpus holds (for the reason text and the threshold). */
  corpusSize?: number;
}

/** Options of `annotate`. */
export interface AnnotateOptions {
  /** Which analyses to run; default all. */
  only?: readonly AnalysisKind[];
  boilerplate?: Partial<BoilerplateOptions>;
}

/** A line of the text with its offsets. */
export interface LineInfo {
  index: number;
  start: number;
  /** End of the line's content (terminator excluded). */
  end: number;
  /** End including the terminator (`\r\n`, `\n`, `\r` or nothing on the last line). */
  endWithTerminator: number;
}
